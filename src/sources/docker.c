/* docker: the container-inspect source. The API path carries no version prefix so any
 * daemon answers it with its own default version. */
#include "docker.h"

#include <curl/curl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "jsonutil.h"
#include "sources/source.h"

int docker_parse_time(const char *s, double *t)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    int y, mo, d, h, mi, sec, used = 0;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6)
        return -1;
    /* Docker writes the zero time for containers that never started. */
    if (y < 1971)
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    double frac = 0;
    const char *p = s + used;
    if (*p == '.') {
        double scale = 0.1;
        for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
            frac += (*p - '0') * scale;
    }
    double off = 0;
    if (*p == '+' || *p == '-') {
        int oh = 0, om = 0;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2)
            return -1;
        off = (*p == '+' ? 1 : -1) * (oh * 3600.0 + om * 60.0);
    } else if (*p != 'Z') {
        return -1;
    }
    *t = (double)timegm(&tm) + frac - off;
    return 0;
}

int docker_parse_inspect(const char *buf, size_t len, struct r1_docker *out, char *err)
{
    cJSON *doc = json_parse(buf, len, err);
    if (!doc)
        return -1;
    struct r1_docker d;
    memset(&d, 0, sizeof(d));
    d.meta = out->meta;
    d.meta.valid = 0;
    const cJSON *state = cJSON_GetObjectItemCaseSensitive(doc, "State");
    if (!cJSON_IsObject(state)) {
        cJSON_Delete(doc);
        return r1_err(err, "docker: reply has no State object (is this a container inspect?)");
    }
    if (json_get_str(state, "Status", d.state, sizeof(d.state)))
        R1_MARK(&d, DOCK_STATE);
    char started[48];
    if (json_get_str(state, "StartedAt", started, sizeof(started)) &&
        docker_parse_time(started, &d.started_at) == 0)
        R1_MARK(&d, DOCK_STARTED);
    const cJSON *health = cJSON_GetObjectItemCaseSensitive(state, "Health");
    if (cJSON_IsObject(health) && json_get_str(health, "Status", d.health, sizeof(d.health)))
        R1_MARK(&d, DOCK_HEALTH);
    int64_t restarts;
    /* a count is 0..INT_MAX; anything else is not one (and must not wrap into one) */
    if (json_get_i64(doc, "RestartCount", &restarts) && restarts >= 0 && restarts <= INT_MAX) {
        d.restart_count = (int)restarts;
        R1_MARK(&d, DOCK_RESTARTS);
    }
    const cJSON *config = cJSON_GetObjectItemCaseSensitive(doc, "Config");
    if (cJSON_IsObject(config) && json_get_str(config, "Image", d.image, sizeof(d.image)))
        R1_MARK(&d, DOCK_IMAGE);
    cJSON_Delete(doc);
    *out = d;
    return 0;
}

static int docker_prepare(const struct r1_source_ctx *ctx, struct r1_node *node,
                          struct r1_request *req, char *err)
{
    (void)ctx;
    if (!node->container[0] || (!node->docker_socket[0] && !node->demo))
        return 1;
    char *esc = curl_easy_escape(NULL, node->container, 0);
    if (!esc)
        return r1_err(err, "docker: cannot encode container name");
    snprintf(req->url, sizeof(req->url), "http://localhost/containers/%s/json", esc);
    curl_free(esc);
    r1_strlcpy(req->unix_socket, node->docker_socket, sizeof(req->unix_socket));
    return 0;
}

static int docker_apply(const struct r1_source_ctx *ctx, struct r1_node *node,
                        const struct r1_reply *reply, char *err)
{
    (void)ctx;
    return docker_parse_inspect(reply->body, reply->len, &node->dock, err);
}

static struct r1_meta *docker_meta(struct r1_fleet *f, struct r1_node *node)
{
    (void)f;
    return &node->dock.meta;
}

const struct r1_source_ops source_docker = {
    .id = SRC_DOCKER,
    .name = "docker",
    .label = "container",
    .scope = R1_SCOPE_NODE,
    .default_interval_s = 10,
    .prepare = docker_prepare,
    .apply = docker_apply,
    .meta = docker_meta,
};
