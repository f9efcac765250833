/* docker: the container-inspect source. The API path carries no version prefix so any
 * daemon answers it with its own default version. A node reached over ssh:// has its
 * container inspected on its own host (`docker inspect`, through transport_ssh), which
 * prints the same object inside an array. */
#include "docker.h"

#include <curl/curl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "jsonutil.h"
#include "sources/source.h"
#include "transport_ssh.h"

/* The daemon's usual socket: `docker` on the node host needs no -H for it. */
#define DOCKER_DEFAULT_SOCKET "/var/run/docker.sock"

int docker_parse_time(const char *s, double *t)
{
    /* D17: sscanf("%2d") and timegm() turned month 13 or hour 25 into a real-looking date;
     * the util parser checks every field. Docker's "never started" (0001-01-01T00:00:00Z) is
     * outside its years, so it is unknown too. */
    return r1_parse_rfc3339(s, t);
}

int docker_parse_inspect(const char *buf, size_t len, struct r1_docker *out, char *err)
{
    cJSON *root = json_parse(buf, len, err);
    if (!root)
        return -1;
    /* `docker inspect NAME` prints the API's object in an array of one; an empty array is
     * what it prints for a container that does not exist (and exits 1 saying so) */
    const cJSON *doc = root;
    if (cJSON_IsArray(root)) {
        int n = cJSON_GetArraySize(root);
        if (n != 1) {
            cJSON_Delete(root);
            if (n == 0)
                return r1_err(err, "docker: no such container");
            return r1_err(err, "docker: the inspect reply describes %d containers, not one", n);
        }
        doc = cJSON_GetArrayItem(root, 0);
    }
    struct r1_docker d;
    memset(&d, 0, sizeof(d));
    d.meta = out->meta;
    d.meta.valid = 0;
    const cJSON *state = cJSON_GetObjectItemCaseSensitive(doc, "State");
    if (!cJSON_IsObject(state)) {
        cJSON_Delete(root);
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
    /* The last run's end: its exit code says why the node stopped (docs/protocol.md §7.3).
     * Docker keeps the code of the previous run while a container runs again. */
    int64_t code;
    if (json_get_i64(state, "ExitCode", &code) && code >= INT_MIN && code <= INT_MAX) {
        d.exit_code = (int)code;
        R1_MARK(&d, DOCK_EXIT);
    }
    const cJSON *oom = cJSON_GetObjectItemCaseSensitive(state, "OOMKilled");
    if (cJSON_IsBool(oom)) {
        d.oom_killed = cJSON_IsTrue(oom);
        R1_MARK(&d, DOCK_OOM);
    }
    char finished[48];
    if (json_get_str(state, "FinishedAt", finished, sizeof(finished)) &&
        docker_parse_time(finished, &d.finished_at) == 0)
        R1_MARK(&d, DOCK_FINISHED);
    int64_t restarts;
    /* a count is 0..INT_MAX; anything else is not one (and must not wrap into one) */
    if (json_get_i64(doc, "RestartCount", &restarts) && restarts >= 0 && restarts <= INT_MAX) {
        d.restart_count = (int)restarts;
        R1_MARK(&d, DOCK_RESTARTS);
    }
    const cJSON *config = cJSON_GetObjectItemCaseSensitive(doc, "Config");
    if (cJSON_IsObject(config) && json_get_str(config, "Image", d.image, sizeof(d.image)))
        R1_MARK(&d, DOCK_IMAGE);
    cJSON_Delete(root);
    *out = d;
    return 0;
}

int docker_ssh_url(const struct r1_node *node, const char *verb, char *dst, size_t n)
{
    char q[R1_NAME_MAX + 160];
    bool dflt = strcmp(node->docker_socket, DOCKER_DEFAULT_SOCKET) == 0 || !node->docker_socket[0];
    snprintf(q, sizeof(q), "docker-%s=%s%s%s", verb, node->container,
             dflt ? "" : "&socket=", dflt ? "" : node->docker_socket);
    return transport_ssh_command_url(node->status_dir_url, q, dst, n);
}

static int docker_prepare(const struct r1_source_ctx *ctx, struct r1_node *node,
                          struct r1_request *req, char *err)
{
    (void)ctx;
    if (!node->container[0] || (!node->docker_socket[0] && !node->demo))
        return 1;
    if (transport_ssh_is_url(node->status_dir_url)) {
        /* the container is on the node's host, with the daemon's socket there */
        if (docker_ssh_url(node, "inspect", req->url, sizeof(req->url)) < 0)
            return r1_err(err, "docker: the status URL is too long for the inspect request");
        return 0;
    }
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
    .config_help = "The node's container: state, uptime, restarts, last exit code, image.",
    .scope = R1_SCOPE_NODE,
    .default_interval_s = 10,
    .prepare = docker_prepare,
    .apply = docker_apply,
    .meta = docker_meta,
};
