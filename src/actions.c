/* actions: the table of things r1top can do to a node, the checks every intent goes through
 * (actions.h), the one-shot requests they become, and the audit log. The UI and the CLI both
 * come here: neither can run an action another way. */
#include "actions.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "docker_stream.h"
#include "hostpath.h"
#include "jsonutil.h"
#include "manage.h"
#include "model.h"
#include "node_log.h"
#include "sources/docker.h"
#include "sources/source.h"
#include "transport_ssh.h"
#include "trust/trust.h"

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
    [R1_ACT_LOGS] = {R1_ACT_LOGS, "logs", 'L', "Logs",
                     "show the container's log as it grows (/ searches)", NULL, false,
                     R1_BACKEND_DOCKER},
    [R1_ACT_ALLOWED] = {R1_ACT_ALLOWED, "allowed", 'A', "Allowed",
                        "show who may command this node (a adds)", NULL,
                        false, R1_BACKEND_DOCKER, "get_allowed", 0, 0},
    [R1_ACT_ALLOW] = {R1_ACT_ALLOW, "allow", 0, "Allow",
                      "add an address to this node's allowed list (asks first)",
                      "Allow %a to command %s? The address is added to the node's allowed "
                      "list: its owner can then stop and restart the node (and its host, on "
                      "r1setup hosts) over the network.",
                      true, R1_BACKEND_DOCKER, "add_allowed", 1, 2},
    [R1_ACT_ALIAS] = {R1_ACT_ALIAS, "alias", 'E', "Alias",
                      "give this node a new alias (asks first)",
                      "Rename %s to '%a'? The node writes the alias to its start-up config and "
                      "announces it after its next restart.",
                      true, R1_BACKEND_DOCKER, "change_alias", 1, 1},
    [R1_ACT_APPS] = {R1_ACT_APPS, "apps", 'P', "Apps",
                     "list the container apps inside this node", NULL,
                     false, R1_BACKEND_DOCKER, "docker-ps", 0, 0},
    [R1_ACT_NODE_LOG] = {R1_ACT_NODE_LOG, "node-log", 0, "NodeLog",
                         "show the node's own log file (its _logs folder on this host)", NULL,
                         false, R1_BACKEND_FILE},
    [R1_ACT_SAVE_NODES] = {R1_ACT_SAVE_NODES, "save-nodes", 'w', "Save",
                           "append the nodes added to the config file (asks first)",
                           "Add %s? r1top appends the entries to the file's nodes: list and "
                           "changes nothing else in it.",
                           true, R1_BACKEND_CONFIG},
    /* Over the Ratio1 network: for nodes with no SSH or Docker path (docs/protocol.md §8.7). */
    [R1_ACT_NET_STOP] = {R1_ACT_NET_STOP, "net-stop", 'X', "NetStop",
                         "stop the node by a signed network command (asks first)",
                         "Send a signed STOP to %s over the Ratio1 network? The node process "
                         "exits: an r1setup host starts it again after 60 s, a plain docker run "
                         "--rm node stays gone. Your key must be in the node's allowed list.",
                         true, R1_BACKEND_NETWORK},
    [R1_ACT_NET_RESTART] = {R1_ACT_NET_RESTART, "net-restart", 'B', "NetReboot",
                            "restart the node's host over the network (asks first)",
                            "Send a signed RESTART to %s over the Ratio1 network? On an r1setup "
                            "host this REBOOTS THE WHOLE MACHINE (the node exits with code 10); "
                            "elsewhere the node process exits. Your key must be in the node's "
                            "allowed list.",
                            true, R1_BACKEND_NETWORK},
};

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
        return "not possible here: no Docker socket and container, and no systemd service, are "
               "configured for this node";
    case R1_ACT_BUSY:
        return "already running on this node";
    case R1_ACT_BAD_ARG:
        return "not sent: an operand is not valid";
    case R1_ACT_NO_ADDRESS:
        return "not possible yet: the node's 0xai_ address is not known (set its address in the "
               "config, or wait for local_info.json)";
    case R1_ACT_UNKNOWN:
        break;
    }
    return "no such action or node";
}

void actions_question_node(const struct r1_action *a, const struct r1_node *n, const char *arg,
                           char *dst, size_t dst_size)
{
    char note[R1_ERR_MAX];
    actions_question(a, n->name, arg, dst, dst_size);
    if (a->backend != R1_BACKEND_DOCKER || a->id == R1_ACT_LOGS ||
        (a->exec && !hostpath_cli_ssh(n)))
        return;
    if (a->exec) /* the operands as the host's docker gets them */
        snprintf(note, sizeof(note), "Path: docker exec %s %s%s%s on its host, over ssh.",
                 n->container, a->exec, arg && arg[0] ? " " : "", arg ? arg : "");
    else
        hostpath_note(n, a->name, note, sizeof(note));
    size_t l = strlen(dst);
    if (note[0] && l + 1 < dst_size)
        snprintf(dst + l, dst_size - l, " %s", note);
}

void actions_question(const struct r1_action *a, const char *node, const char *arg, char *dst,
                      size_t dst_size)
{
    /* The table's texts hold %s (the node) and %a (the operands); substituted here, never
     * used as a format string. */
    const char *q = a->confirm ? a->confirm : a->help;
    struct r1_sbuf b = {0};
    for (const char *p = q; *p; p++) {
        if (p[0] == '%' && (p[1] == 's' || p[1] == 'a')) {
            r1_sb_str(&b, p[1] == 's' ? node : arg ? arg : "");
            p++;
        } else {
            r1_sb_add(&b, p, 1);
        }
    }
    r1_strlcpy(dst, b.data ? b.data : "", dst_size);
    free(b.data);
}

/* The i-th space-separated word of arg into dst; its length (0 = none). */
static size_t arg_word(const char *arg, int i, char *dst, size_t n)
{
    const char *p = arg ? arg : "";
    for (int k = 0;; k++) {
        p += strspn(p, " ");
        size_t len = strcspn(p, " ");
        if (!len) {
            if (n)
                dst[0] = '\0';
            return 0;
        }
        if (k == i) {
            snprintf(dst, n, "%.*s", (int)len, p);
            return len;
        }
        p += len;
    }
}

int actions_check_arg(const struct r1_action *a, const char *arg, char *err)
{
    char w[R1_ACT_ARG_MAX];
    int n = 0;
    while (arg_word(arg, n, w, sizeof(w)))
        n++;
    if (n < a->min_args || n > a->max_args)
        return r1_err(err, "%s takes %s", a->name,
                      a->id == R1_ACT_ALLOW ? "an ADDRESS and an optional ALIAS"
                      : a->id == R1_ACT_ALIAS ? "one NEW alias" : "no operands");
    if (a->id == R1_ACT_ALLOW) {
        arg_word(arg, 0, w, sizeof(w));
        if (allowed_check_address(w, err) < 0)
            return -1;
        if (arg_word(arg, 1, w, sizeof(w)) && allowed_check_alias(w, err) < 0)
            return -1;
    } else if (a->id == R1_ACT_ALIAS) {
        arg_word(arg, 0, w, sizeof(w));
        if (allowed_check_alias(w, err) < 0)
            return -1;
    }
    return 0;
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
    if (a->backend == R1_BACKEND_DOCKER && hostpath_of(n) == R1_HP_NONE)
        return R1_ACT_NO_BACKEND;
    if (a->backend == R1_BACKEND_NETWORK && !model_node_address(n)[0])
        return R1_ACT_NO_ADDRESS;
    if (a->backend == R1_BACKEND_FILE && strncmp(n->status_dir_url, "file://", 7) != 0)
        return R1_ACT_NO_BACKEND;
    /* an exec and the logs need the container: on an ssh:// node's host through the docker
     * CLI, else through the Engine API on this host's socket */
    if (a->backend == R1_BACKEND_DOCKER && (a->exec || a->id == R1_ACT_LOGS) &&
        (!n->container[0] || (!hostpath_cli_ssh(n) && !n->docker_socket[0])))
        return R1_ACT_NO_BACKEND;
    /* one Docker action at a time per node: an exec's steps keep their state in the node */
    if (n && n->act.state == R1_ACTST_RUNNING &&
        (n->act.action == (int)a->id ||
         (a->backend == R1_BACKEND_DOCKER &&
          actions_get(n->act.action) && actions_get(n->act.action)->backend == R1_BACKEND_DOCKER)))
        return R1_ACT_BUSY;
    return R1_ACT_OK;
}

/* The exec's command line as the Engine API's Cmd array: the table's command and the operands
 * (checked by actions_check_arg), each its own argv entry: no shell inside the node. */
static void exec_create_body(const struct r1_action *a, const char *arg, char *dst, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "AttachStdout", 1);
    cJSON_AddBoolToObject(o, "AttachStderr", 1);
    cJSON_AddBoolToObject(o, "Tty", 0);
    cJSON *cmd = cJSON_AddArrayToObject(o, "Cmd");
    const struct ssh_node_command *c = transport_ssh_node_command(a->exec);
    for (const char *const *word = c ? c->words : NULL; word && *word; word++)
        cJSON_AddItemToArray(cmd, cJSON_CreateString(*word));
    char w[R1_ACT_ARG_MAX];
    for (int i = 0; arg_word(arg, i, w, sizeof(w)); i++)
        cJSON_AddItemToArray(cmd, cJSON_CreateString(w));
    char *text = cJSON_PrintUnformatted(o);
    r1_strlcpy(dst, text ? text : "{}", n);
    free(text);
    cJSON_Delete(o);
}

static void docker_req(const struct r1_node *n, struct r1_request *req, const char *method,
                       size_t max_bytes)
{
    r1_strlcpy(req->unix_socket, n->docker_socket, sizeof(req->unix_socket));
    req->method = method;
    req->max_bytes = max_bytes;
}

/* The one request of an exec or the logs over ssh: docker-KIND=NAME[&socket=...] on the
 * node's host and the options (each checked again by the transport). */
static int cli_req(const struct r1_node *n, const char *kind, const char *opts,
                   struct r1_request *req, size_t max_bytes, char *err)
{
    req->max_bytes = max_bytes;
    size_t l, ol = strlen(opts);
    if (docker_ssh_url(n, kind, req->url, sizeof(req->url)) < 0 ||
        (l = strlen(req->url)) + ol >= sizeof(req->url))
        return r1_err(err, "the node's URL is too long for the %s request", kind);
    memcpy(req->url + l, opts, ol + 1);
    return 0;
}

/* An exec over ssh: `docker exec NAME CMD OPERANDS` in one request, its output and exit
 * status in the reply (the operands checked by actions_check_arg, plain words). */
static int prepare_exec_cli(const struct r1_action *a, struct r1_node *n, struct r1_request *req,
                            char *err)
{
    const struct r1_act_run *run = &model_node_manage(n)->run;
    char opts[R1_ACT_ARG_MAX * 2 + 64], w[R1_ACT_ARG_MAX];
    int len = snprintf(opts, sizeof(opts), "&cmd=%s", a->exec);
    for (int i = 0; arg_word(run->arg, i, w, sizeof(w)) && len > 0 && (size_t)len < sizeof(opts);
         i++)
        len += snprintf(opts + len, sizeof(opts) - (size_t)len, "&arg=%s", w);
    if (len < 0 || (size_t)len >= sizeof(opts))
        return r1_err(err, "%s: the operands are too long", a->name);
    return cli_req(n, "exec", opts, req, 4 * 1024 * 1024, err);
}

/* An exec's step: 0 create, 1 start (the output, multiplexed), 2 inspect (the exit code). */
static int prepare_exec(const struct r1_action *a, struct r1_node *n, struct r1_request *req)
{
    struct r1_act_run *run = &model_node_manage(n)->run;
    switch (run->step) {
    case 0:
        exec_create_body(a, run->arg, run->body, sizeof(run->body));
        docker_req(n, req, "POST", 64 * 1024);
        snprintf(req->url, sizeof(req->url), "http://localhost/containers/%s/exec", n->container);
        req->body = run->body;
        req->content_type = "application/json";
        return 0;
    case 1:
        r1_strlcpy(run->body, "{\"Detach\":false,\"Tty\":false}", sizeof(run->body));
        docker_req(n, req, "POST", 4 * 1024 * 1024);
        snprintf(req->url, sizeof(req->url), "http://localhost/exec/%s/start", run->exec_id);
        req->body = run->body;
        req->content_type = "application/json";
        return 0;
    default:
        docker_req(n, req, NULL, 64 * 1024);
        snprintf(req->url, sizeof(req->url), "http://localhost/exec/%s/json", run->exec_id);
        return 0;
    }
}

int actions_prepare(const struct r1_action *a, struct r1_node *n, struct r1_request *req,
                    char *err)
{
    if (a->backend == R1_BACKEND_DOCKER && !r1_container_name_ok(n->container))
        return r1_err(err, "container name '%s' is not a valid Docker name", n->container);
    if (a->exec)
        return hostpath_cli_ssh(n) ? prepare_exec_cli(a, n, req, err) : prepare_exec(a, n, req);
    switch (a->id) {
    case R1_ACT_LOGS: {
        struct r1_manage *m = model_node_manage(n);
        char since[40], opts[96];
        size_t tail = m->run.log_lines ? m->run.log_lines : 200;
        logbuf_since(&m->logs, since, sizeof(since));
        if (hostpath_cli_ssh(n)) {
            /* the CLI always takes a tail: after a since, at most what the log screen keeps */
            snprintf(opts, sizeof(opts), "&tail=%zu%s%s", since[0] ? R1_LOG_LINES_MAX : tail,
                     since[0] ? "&since=" : "", since);
            return cli_req(n, "logs", opts, req, 8 * 1024 * 1024, err);
        }
        docker_req(n, req, NULL, 8 * 1024 * 1024);
        /* timestamps: the next read asks only for what came after the newest line held */
        int len = snprintf(req->url, sizeof(req->url),
                           "http://localhost/containers/%s/logs?stdout=1&stderr=1&timestamps=1",
                           n->container);
        if (since[0])
            snprintf(req->url + len, sizeof(req->url) - (size_t)len, "&since=%s", since);
        else
            snprintf(req->url + len, sizeof(req->url) - (size_t)len, "&tail=%zu", tail);
        return 0;
    }
    case R1_ACT_RESTART_CONTAINER:
    case R1_ACT_STOP_CONTAINER:
    case R1_ACT_START_CONTAINER:
        if (hostpath_of(n) != R1_HP_DOCKER_API) /* a command on a host: the unit or the CLI */
            return hostpath_prepare(n, a->name, req, err);
        /* No API version prefix, as the inspect source: the daemon answers in its own. The
         * action's name is the Engine API's verb. */
        docker_req(n, req, "POST", 64 * 1024);
        snprintf(req->url, sizeof(req->url), "http://localhost/containers/%s/%s", n->container,
                 a->name);
        /* the caller sets the timeout (http.action_timeout): Docker stops the container (10 s
         * grace by default) before it starts it again */
        return 0;
    default:
        return r1_err(err, "%s has no request of its own", a->name);
    }
}

/* How the action is carried out, for n->act.path and the audit log: the container verbs by
 * their host path, an exec and the logs by the Docker API here or the CLI over ssh */
static void act_path(const struct r1_action *a, const struct r1_node *n, char *dst, size_t size)
{
    if (a->backend == R1_BACKEND_DOCKER && !a->exec && a->id != R1_ACT_LOGS)
        hostpath_name(n, dst, size);
    else if (a->backend == R1_BACKEND_DOCKER)
        hostpath_exec_name(n, dst, size);
    else
        r1_strlcpy(dst, a->backend == R1_BACKEND_FILE      ? "file"
                        : a->backend == R1_BACKEND_NETWORK ? "network (MQTT)"
                                                           : "poller",
                   size);
}

void actions_begin(struct r1_node *n, const struct r1_action *a, const char *arg, double now)
{
    memset(&n->act, 0, sizeof(n->act));
    n->act.action = (int)a->id;
    n->act.state = R1_ACTST_RUNNING;
    n->act.started_at = now;
    act_path(a, n, n->act.path, sizeof(n->act.path));
    snprintf(n->act.result, sizeof(n->act.result), "%s: running", a->name);
    if (a->exec || a->id == R1_ACT_LOGS || a->id == R1_ACT_NODE_LOG) {
        struct r1_act_run *run = &model_node_manage(n)->run;
        run->step = 0;
        run->exec_id[0] = '\0';
        run->exit_code = -1;
        run->out.len = 0;
        if (run->out.data)
            run->out.data[0] = '\0';
        if (a->id == R1_ACT_LOGS || a->id == R1_ACT_NODE_LOG) {
            long lines = arg && arg[0] ? strtol(arg, NULL, 10) : 0;
            run->log_lines = lines > 0 && lines <= R1_LOG_LINES_MAX ? (size_t)lines : 0;
            run->arg[0] = '\0';
        } else {
            r1_strlcpy(run->arg, arg ? arg : "", sizeof(run->arg));
        }
    }
}

void actions_refuse(struct r1_node *n, const struct r1_action *a, enum r1_act_refusal why,
                    double now)
{
    memset(&n->act, 0, sizeof(n->act));
    n->act.action = a ? (int)a->id : -1;
    n->act.state = R1_ACTST_REFUSED;
    n->act.started_at = n->act.finished_at = now;
    if (a)
        act_path(a, n, n->act.path, sizeof(n->act.path));
    snprintf(n->act.result, sizeof(n->act.result), "%s: %s", a ? a->name : "action",
             a && a->backend == R1_BACKEND_FILE && why == R1_ACT_NO_BACKEND
                 ? "not possible here: the node's files are not on this host"
                 : actions_refusal_text(why));
}

void actions_run_file(struct r1_node *n, const struct r1_action *a, double now)
{
    struct r1_manage *m = model_node_manage(n);
    char path[R1_URL_MAX], err[R1_ERR_MAX];
    if (node_log_path(n->status_dir_url, path, sizeof(path), err) < 0 ||
        node_log_read(path, m->run.log_lines ? m->run.log_lines : 200, &m->file_pos, &m->file_log,
                      err) < 0) {
        n->act.state = R1_ACTST_FAILED;
        snprintf(n->act.result, sizeof(n->act.result), "%s failed: %.120s", a->name, err);
    } else {
        n->act.state = R1_ACTST_OK;
        const char *base = strrchr(path, '/');
        snprintf(n->act.result, sizeof(n->act.result), "%s: %zu lines of %.100s", a->name,
                 m->file_log.n, base ? base + 1 : path);
    }
    n->act.finished_at = now;
    char clean[R1_REASON_MAX];
    r1_sanitize(clean, sizeof(clean), n->act.result);
    r1_strlcpy(n->act.result, clean, sizeof(n->act.result));
}

/* The outcome of a plain request (a container verb, the last step of the others). */
static void finish_http(struct r1_node *n, const struct r1_action *a, const struct r1_act_reply *r)
{
    if (r->error) {
        n->act.state = R1_ACTST_FAILED;
        snprintf(n->act.result, sizeof(n->act.result), "%s failed: %s", a->name, r->error);
    } else if (r->command) {
        n->act.state = hostpath_outcome(n, a->name, r, n->act.result, sizeof(n->act.result))
                           ? R1_ACTST_OK
                           : R1_ACTST_FAILED;
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
        /* Docker explains itself in {"message": ...}: 404 no such container, 409 conflict
         * (an exec in a stopped container). */
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
}

/* The last non-empty line of the output: what a node's command says when it fails. */
static void last_line(const char *out, char *dst, size_t n)
{
    const char *end = out + strlen(out);
    while (end > out && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
        end--;
    const char *start = end;
    while (start > out && start[-1] != '\n')
        start--;
    snprintf(dst, n, "%.*s", (int)(end - start), start);
}

static bool is_oracle_cb(const char *addr, void *ctx)
{
    const struct r1_act_env *env = ctx;
    return env && env->net && trust_is_known_oracle(addr, env->net, env->oracles, env->n_oracles);
}

/* Log lines with Docker's timestamps (the API's demuxed reply, or `docker logs --timestamps`,
 * which prints the same RFC3339Nano prefix) into the node's log. */
static void finish_logs(struct r1_node *n, const char *text, size_t len, double now)
{
    struct r1_manage *m = n->mng;
    uint64_t before = m->logs.total;
    logbuf_add_text(&m->logs, text, len, true);
    m->logs_at = now;
    n->act.state = R1_ACTST_OK;
    snprintf(n->act.result, sizeof(n->act.result), "logs: %llu new lines",
             (unsigned long long)(m->logs.total - before));
}

/* The exec (or the logs over ssh) ended with its exit code: keep what the reading ones read,
 * say how it went. */
static void finish_exec(struct r1_node *n, const struct r1_action *a, const struct r1_act_env *env,
                        double now)
{
    struct r1_manage *m = n->mng;
    const char *out = m->run.out.data ? m->run.out.data : "";
    char said[R1_REASON_MAX];
    last_line(out, said, sizeof(said));
    if (m->run.exit_code != 0) {
        n->act.state = R1_ACTST_FAILED;
        snprintf(n->act.result, sizeof(n->act.result), "%s failed (exit %d)%s%.120s", a->name,
                 m->run.exit_code, said[0] ? ": " : "", said);
        return;
    }
    n->act.state = R1_ACTST_OK;
    switch (a->id) {
    case R1_ACT_ALLOWED:
        allowed_parse(out, m->run.out.len, is_oracle_cb, (void *)env, env ? env->me : NULL,
                      &m->allowed);
        m->allowed.read_at = now;
        m->allowed_read = true;
        snprintf(n->act.result, sizeof(n->act.result), "allowed: %zu addresses%s",
                 m->allowed.n_valid,
                 m->allowed.n > m->allowed.n_valid ? ", and invalid lines" : "");
        break;
    case R1_ACT_APPS: {
        free(m->apps);
        size_t cap = m->run.out.len + 1;   /* the sanitiser never makes a text longer */
        m->apps = xmalloc(cap);
        r1_sanitize_lines(m->apps, cap, out);
        m->apps_at = now;
        snprintf(n->act.result, sizeof(n->act.result), "apps: listed");
        break;
    }
    case R1_ACT_ALLOW:
        snprintf(n->act.result, sizeof(n->act.result), "allow: added %.100s", m->run.arg);
        break;
    case R1_ACT_ALIAS:
        snprintf(n->act.result, sizeof(n->act.result),
                 "alias: set to %.40s (the node takes it at its next restart)", m->run.arg);
        break;
    case R1_ACT_LOGS:
        finish_logs(n, out, m->run.out.len, now);
        m->run.out.len = 0; /* held in the log now */
        break;
    default:
        snprintf(n->act.result, sizeof(n->act.result), "%s: done", a->name);
        break;
    }
}

/* An exec step's reply: true when there is a next step. */
static bool exec_step(struct r1_node *n, const struct r1_action *a, const struct r1_act_reply *r,
                      const struct r1_act_env *env, double now)
{
    struct r1_act_run *run = &n->mng->run;
    bool ok = !r->error && r->http_code >= 200 && r->http_code < 300;
    if (!ok) {
        finish_http(n, a, r);
        return false;
    }
    if (run->step == 0) {
        char perr[R1_ERR_MAX], id[80] = "";
        cJSON *doc = r->body && r->len ? json_parse(r->body, r->len, perr) : NULL;
        if (doc)
            json_get_str(doc, "Id", id, sizeof(id));
        cJSON_Delete(doc);
        /* the id goes into the next URL: hex only */
        if (!id[0] || strspn(id, "0123456789abcdef") != strlen(id)) {
            n->act.state = R1_ACTST_FAILED;
            snprintf(n->act.result, sizeof(n->act.result),
                     "%s failed: Docker's exec reply has no valid Id", a->name);
            return false;
        }
        r1_strlcpy(run->exec_id, id, sizeof(run->exec_id));
    } else if (run->step == 1) {
        docker_stream_demux(r->body ? r->body : "", r->len, true, &run->out);
        if (!run->out.data)
            r1_sb_str(&run->out, "");
    } else {
        char perr[R1_ERR_MAX];
        cJSON *doc = r->body && r->len ? json_parse(r->body, r->len, perr) : NULL;
        double code = -1;
        /* an int, as Docker's is: a nonsense number would overflow the conversion (UB) */
        if (!doc || !json_get_num(doc, "ExitCode", &code) || !(code >= INT_MIN && code <= INT_MAX))
            code = -1;
        cJSON_Delete(doc);
        run->exit_code = (int)code;
        finish_exec(n, a, env, now);
        return false;
    }
    run->step++;
    return true;
}

/* An exec or the logs over ssh, in one reply: the command's output (stdout and stderr as they
 * came) and exit status, read as an exec's last step is. */
static void finish_cli(struct r1_node *n, const struct r1_action *a, const struct r1_act_reply *r,
                       const struct r1_act_env *env, double now)
{
    struct r1_act_run *run = &n->mng->run;
    if (r->error) {
        finish_http(n, a, r);
        return;
    }
    run->out.len = 0;
    r1_sb_add(&run->out, r->body ? r->body : "", r->len);
    if (!run->out.data)
        r1_sb_str(&run->out, "");
    run->exit_code = r->exit_status;
    finish_exec(n, a, env, now);
}

bool actions_reply(struct r1_node *n, const struct r1_action *a, const struct r1_act_reply *r,
                   const struct r1_act_env *env, double now)
{
    bool more = false;
    if ((a->exec || a->id == R1_ACT_LOGS) && n->mng && r->command) {
        finish_cli(n, a, r, env, now);
    } else if (a->exec && n->mng) {
        more = exec_step(n, a, r, env, now);
    } else if (a->id == R1_ACT_LOGS && n->mng && !r->error && r->http_code == 200) {
        struct r1_sbuf text = {0};
        docker_stream_demux(r->body ? r->body : "", r->len, true, &text);
        finish_logs(n, text.data ? text.data : "", text.len, now);
        free(text.data);
    } else {
        finish_http(n, a, r);
    }
    if (more)
        return true;
    n->act.finished_at = now;
    char clean[R1_REASON_MAX];
    r1_sanitize(clean, sizeof(clean), n->act.result);
    r1_strlcpy(n->act.result, clean, sizeof(n->act.result));
    return false;
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
