/* actions: the table of things r1top can do to a node, the checks every intent goes through
 * (actions.h), the one-shot requests they become, and the audit log. The UI and the CLI both
 * come here: neither can run an action another way. */
#include "actions.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jsonutil.h"
#include "model.h"
#include "sources/source.h"

const struct r1_action actions_table[R1_ACT_COUNT] = {
    [R1_ACT_POLL_NODE] = {R1_ACT_POLL_NODE, "poll", 'u', "Update",
                          "read every source of this node now", NULL, false,
                          R1_BACKEND_POLLER},
    [R1_ACT_RESTART_CONTAINER] = {R1_ACT_RESTART_CONTAINER, "restart", 'R', "Restart",
                                  "restart this node's container (asks first)",
                                  "Restart the container of %s? The node goes offline and its "
                                  "workloads stop until it is back up (on an r1setup host the "
                                  "unit may pull and restart it again).",
                                  true, R1_BACKEND_DOCKER},
    [R1_ACT_STOP_CONTAINER] = {R1_ACT_STOP_CONTAINER, "stop", 'S', "Stop",
                               "stop this node's container (asks first)",
                               "Stop the container of %s? The node goes offline and earns no "
                               "availability until it is started again (an r1setup unit or a "
                               "restart policy may start it by itself).",
                               true, R1_BACKEND_DOCKER},
    [R1_ACT_START_CONTAINER] = {R1_ACT_START_CONTAINER, "start", 's', "Start",
                                "start this node's stopped container (asks first)",
                                "Start the container of %s? The node starts with the image and "
                                "settings the container was created with.",
                                true, R1_BACKEND_DOCKER},
    [R1_ACT_SAVE_NODES] = {R1_ACT_SAVE_NODES, "save-nodes", 'w', "Save",
                           "append the nodes added to the config file (asks first)",
                           "Add %s? r1top appends the entries to the file's nodes: list and "
                           "changes nothing else in it.",
                           true, R1_BACKEND_CONFIG},
    /* Over the Ratio1 network: for nodes with no SSH or Docker path (docs/protocol.md §8.7). */
    [R1_ACT_NET_STOP] = {R1_ACT_NET_STOP, "net-stop", 'X', "NetStop",
                         "stop the node's process by a signed network command (asks first)",
                         "Send a signed STOP to %s over the Ratio1 network? The node process "
                         "exits: an r1setup host starts it again after 60 s, a plain docker run "
                         "--rm node stays gone. Your key must be in the node's allowed list.",
                         true, R1_BACKEND_NETWORK},
    [R1_ACT_NET_RESTART] = {R1_ACT_NET_RESTART, "net-restart", 'B', "NetReboot",
                            "restart the node's host by a signed network command (asks first)",
                            "Send a signed RESTART to %s over the Ratio1 network? On an r1setup "
                            "host this REBOOTS THE WHOLE MACHINE (the node exits with code 10); "
                            "elsewhere the node process exits. Your key must be in the node's "
                            "allowed list.",
                            true, R1_BACKEND_NETWORK},
};

/* How an action is carried out, for its status and the audit log. */
static const char *act_path(const struct r1_action *a)
{
    switch (a->backend) {
    case R1_BACKEND_DOCKER:
        return "docker API";
    case R1_BACKEND_NETWORK:
        return "network (MQTT)";
    default:
        return "poller";
    }
}

const struct r1_action *actions_get(int id)
{
    if (id < 0 || id >= R1_ACT_COUNT)
        return NULL;
    return &actions_table[id];
}

const struct r1_action *actions_by_key(int key)
{
    for (int i = 0; i < R1_ACT_COUNT; i++)
        if (actions_table[i].key == key)
            return &actions_table[i];
    return NULL;
}

const char *actions_refusal_text(enum r1_act_refusal r)
{
    switch (r) {
    case R1_ACT_OK:
        return "allowed";
    case R1_ACT_READONLY:
        return "read-only mode: r1top was started with --readonly, so nothing on a node or in the config is changed";
    case R1_ACT_UNCONFIRMED:
        return "not confirmed: a changing action runs only after its question is answered";
    case R1_ACT_NO_BACKEND:
        return "not possible here: no Docker socket and container on this host are configured "
               "for this node";
    case R1_ACT_BUSY:
        return "already running on this node";
    case R1_ACT_NO_ADDRESS:
        return "not possible yet: the node's 0xai_ address is not known (set its address in the "
               "config, or wait for local_info.json)";
    case R1_ACT_UNKNOWN:
        break;
    }
    return "no such action or node";
}

void actions_question(const struct r1_action *a, const char *node, char *dst, size_t dst_size)
{
    /* The table's texts hold one %s; substituted here, never used as a format string. */
    const char *q = a->confirm ? a->confirm : a->help;
    const char *at = strstr(q, "%s");
    if (!at)
        snprintf(dst, dst_size, "%s", q);
    else
        snprintf(dst, dst_size, "%.*s%s%s", (int)(at - q), q, node, at + 2);
}

enum r1_act_refusal actions_check(const struct r1_action *a, const struct r1_node *n,
                                  bool readonly, bool confirmed)
{
    if (!a || (!n && a->backend != R1_BACKEND_CONFIG))
        return R1_ACT_UNKNOWN;
    if (a->changes_node && readonly)
        return R1_ACT_READONLY;
    if (a->confirm && !confirmed)
        return R1_ACT_UNCONFIRMED;
    /* An ssh:// node's container is on its own host: the socket named is that host's, and a
     * restart sent to the one here would restart another container. */
    if (a->backend == R1_BACKEND_DOCKER &&
        (!n->docker_socket[0] || !n->container[0] || strncmp(n->status_dir_url, "ssh://", 6) == 0))
        return R1_ACT_NO_BACKEND;
    if (a->backend == R1_BACKEND_NETWORK && !model_node_address(n)[0])
        return R1_ACT_NO_ADDRESS;
    if (n && n->act.state == R1_ACTST_RUNNING && n->act.action == (int)a->id)
        return R1_ACT_BUSY;
    return R1_ACT_OK;
}

int actions_prepare(const struct r1_action *a, const struct r1_node *n, struct r1_request *req,
                    char *err)
{
    switch (a->id) {
    case R1_ACT_RESTART_CONTAINER:
    case R1_ACT_STOP_CONTAINER:
    case R1_ACT_START_CONTAINER:
        if (!r1_container_name_ok(n->container)) /* anything else would change the path */
            return r1_err(err, "container name '%s' is not a valid Docker name", n->container);
        r1_strlcpy(req->unix_socket, n->docker_socket, sizeof(req->unix_socket));
        /* No API version prefix, as the inspect source: the daemon answers in its own. The
         * action's name is the Engine API's verb. */
        snprintf(req->url, sizeof(req->url), "http://localhost/containers/%s/%s", n->container,
                 a->name);
        req->method = "POST";
        req->max_bytes = 64 * 1024;
        /* the caller sets the timeout (http.action_timeout): Docker stops the container (10 s
         * grace by default) before it starts it again */
        return 0;
    default:
        return r1_err(err, "%s has no request of its own", a->name);
    }
}

void actions_begin(struct r1_node *n, const struct r1_action *a, double now)
{
    memset(&n->act, 0, sizeof(n->act));
    n->act.action = (int)a->id;
    n->act.state = R1_ACTST_RUNNING;
    n->act.started_at = now;
    r1_strlcpy(n->act.path, act_path(a), sizeof(n->act.path));
    snprintf(n->act.result, sizeof(n->act.result), "%s: running", a->name);
}

void actions_refuse(struct r1_node *n, const struct r1_action *a, enum r1_act_refusal why,
                    double now)
{
    memset(&n->act, 0, sizeof(n->act));
    n->act.action = a ? (int)a->id : -1;
    n->act.state = R1_ACTST_REFUSED;
    n->act.started_at = n->act.finished_at = now;
    if (a)
        r1_strlcpy(n->act.path, act_path(a), sizeof(n->act.path));
    snprintf(n->act.result, sizeof(n->act.result), "%s: %s", a ? a->name : "action",
             actions_refusal_text(why));
}

void actions_finish(struct r1_node *n, const struct r1_action *a, const struct r1_act_reply *r,
                    double now)
{
    n->act.finished_at = now;
    if (r->error) {
        n->act.state = R1_ACTST_FAILED;
        snprintf(n->act.result, sizeof(n->act.result), "%s failed: %s", a->name, r->error);
    } else if (a->backend == R1_BACKEND_NETWORK) {
        n->act.state = R1_ACTST_OK;
        snprintf(n->act.result, sizeof(n->act.result), "%s: %.*s", a->name, (int)r->len,
                 r->body ? r->body : "");
    } else if (r->http_code >= 200 && r->http_code < 300) {
        n->act.state = R1_ACTST_OK;
        snprintf(n->act.result, sizeof(n->act.result), "%s: done (HTTP %ld)", a->name,
                 r->http_code);
    } else if (r->http_code == 304 && a->backend == R1_BACKEND_DOCKER) {
        /* Docker's answer to stopping a stopped container or starting a running one */
        n->act.state = R1_ACTST_OK;
        snprintf(n->act.result, sizeof(n->act.result), "%s: nothing to do, already %s (HTTP 304)",
                 a->name, a->id == R1_ACT_START_CONTAINER ? "running" : "stopped");
    } else {
        /* Docker explains itself in {"message": ...}: 404 no such container, 409 conflict. */
        char msg[120] = "";
        char perr[R1_ERR_MAX];
        cJSON *doc = r->body && r->len ? json_parse(r->body, r->len, perr) : NULL;
        if (doc)
            json_get_str(doc, "message", msg, sizeof(msg));
        cJSON_Delete(doc);
        n->act.state = R1_ACTST_FAILED;
        snprintf(n->act.result, sizeof(n->act.result), "%s failed: HTTP %ld%s%s", a->name,
                 r->http_code, msg[0] ? ": " : "", msg);
    }
    char clean[R1_REASON_MAX];
    r1_sanitize(clean, sizeof(clean), n->act.result);
    r1_strlcpy(n->act.result, clean, sizeof(n->act.result));
}

int actions_log_path(char *dst, size_t n, char *err)
{
    const char *over = getenv("R1TOP_ACTIONS_LOG");
    if (over && over[0]) {
        r1_strlcpy(dst, over, n);
        return 0;
    }
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char dir[R1_URL_MAX];
    if (state && state[0] == '/')
        snprintf(dir, sizeof(dir), "%s/r1top", state);
    else if (home && home[0] == '/')
        snprintf(dir, sizeof(dir), "%s/.local/state/r1top", home);
    else
        return r1_err(err, "no HOME or XDG_STATE_HOME for the actions log");
    /* mkdir -p, private: the log says what was done to which node */
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(dir, 0700);
        *p = '/';
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return r1_err(err, "cannot create %s: %s", dir, strerror(errno));
    snprintf(dst, n, "%s/actions.log", dir);
    return 0;
}

int actions_log(const struct r1_node *n, const struct r1_action *a, const char *event,
                double now, char *err)
{
    return actions_log_status(n->name, a, &n->act, event, now, err);
}

int actions_log_status(const char *node, const struct r1_action *a,
                       const struct r1_action_status *st, const char *event, double now,
                       char *err)
{
    char path[R1_URL_MAX + 16];
    if (actions_log_path(path, sizeof(path), err) < 0)
        return -1;
    /* O_APPEND: never truncated, never rewritten; 0600 on creation */
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return r1_err(err, "cannot open the actions log %s: %s", path, strerror(errno));
    char when[32], line[R1_REASON_MAX * 2 + R1_NAME_MAX * 2 + 128];
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    int len = snprintf(line, sizeof(line), "%s node=%s action=%s event=%s path=%s result=%s\n",
                       when, node, a->name, event, st->path[0] ? st->path : "-",
                       st->result[0] ? st->result : "-");
    if (len < 0 || (size_t)len >= sizeof(line))
        len = (int)strlen(line);
    ssize_t w = write(fd, line, (size_t)len);
    int saved = errno;
    close(fd);
    if (w != len)
        return r1_err(err, "cannot write the actions log %s: %s", path,
                      w < 0 ? strerror(saved) : "short write");
    return 0;
}
