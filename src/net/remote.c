/* remote: a network action from key to confirmation (remote.h). The job registers as a
 * poller client from the start, with no socket while dAuth answers, so that poller_abandon
 * and poller_free end it in either phase; it reports once, then leaves at its next service. */
#include "remote.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions.h"
#include "config.h"
#include "model.h"
#include "dauth.h"
#include "mqtt_cmd.h"
#include "sources/source.h"
#include "trust/crypto.h"
#include "trust/identity.h"

struct remote_job {
    struct r1_poller *p;
    const struct r1_config *cfg;
    const struct r1_network *net;
    uint32_t node_id;
    int action;
    const char *verb; /* ACTION: "STOP" or "RESTART" */
    char node_addr[R1_ADDR_MAX];
    char node_alias[R1_NAME_MAX]; /* "" when not known */
    unsigned char seckey[32];
    char session_id[48];
    char *req_body;      /* the dAuth request, owned while it runs */
    struct mqtt_cmd *mq; /* NULL until dAuth answered */
    bool reported;       /* done was called: leave at the next service */
    poller_done_fn done;
    void *done_ctx;
};

static void job_free(struct remote_job *j)
{
    mqtt_cmd_free(j->mq);
    free(j->req_body);
    memset(j->seckey, 0, sizeof(j->seckey));
    free(j);
}

/* The outcome, once: .error when failed, else .body is the node's confirmation. */
static void report(struct remote_job *j, bool ok, const char *text)
{
    if (j->reported)
        return;
    j->reported = true;
    struct r1_act_reply r = {.http_code = ok ? 200 : 0,
                             .error = ok ? NULL : text,
                             .body = ok ? text : NULL,
                             .len = ok ? strlen(text) : 0};
    j->done(j->done_ctx, j->node_id, j->action, &r);
}

/* ---- the poller client ----------------------------------------------------------------- */

static int cl_fd(void *ctx, bool *want_write)
{
    struct remote_job *j = ctx;
    return mqtt_cmd_fd(j->mq, want_write);
}

static int cl_wait_ms(void *ctx, double now_mono)
{
    struct remote_job *j = ctx;
    if (j->reported)
        return 0;
    return j->mq ? mqtt_cmd_wait_ms(j->mq, now_mono) : INT_MAX;
}

static bool cl_service(void *ctx, bool readable, bool writable, double now_mono)
{
    struct remote_job *j = ctx;
    if (!j->reported && j->mq) {
        enum mqtt_cmd_state st = mqtt_cmd_service(j->mq, readable, writable, now_mono);
        if (st != MQTT_CMD_RUNNING)
            report(j, st == MQTT_CMD_CONFIRMED, mqtt_cmd_result(j->mq));
    }
    if (!j->reported)
        return false;
    job_free(j);
    return true;
}

static void cl_abandon(void *ctx, const char *why)
{
    struct remote_job *j = ctx;
    report(j, false, why);
    job_free(j);
}

/* ---- dAuth, then the broker -------------------------------------------------------------- */

static void utc_time_text(char *dst, size_t n)
{
    double now = r1_now();
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    char base[32];
    strftime(base, sizeof(base), "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(dst, n, "%s.%06d", base, (int)((now - (double)t) * 1e6) % 1000000);
}

static int start_broker(struct remote_job *j, const struct dauth_creds *cr, char *err)
{
    if (cr->subtopic_alias && !j->node_alias[0])
        return r1_err(err, "dAuth says topics name nodes by alias, and this node's alias is not "
                           "known yet");
    char when[40];
    utc_time_text(when, sizeof(when));
    char *msg = mqtt_cmd_build(j->seckey, j->node_addr, j->verb, j->session_id, when, err);
    if (!msg)
        return -1;
    struct mqtt_cmd_params mp = {
        .creds = cr,
        .topic_node = cr->subtopic_alias ? j->node_alias : j->node_addr,
        .node_addr = j->node_addr,
        .action = j->verb,
        .session_id = j->session_id,
        .message = msg,
        .timeout_s = j->cfg->confirm_timeout_s > 0 ? j->cfg->confirm_timeout_s : 30.0,
    };
    j->mq = mqtt_cmd_start(&mp, r1_mono(), err);
    free(msg);
    return j->mq ? 0 : -1;
}

static void dauth_done(void *ctx, uint32_t node_id, int action, const struct r1_act_reply *r)
{
    struct remote_job *j = ctx;
    char err[R1_ERR_MAX];
    struct dauth_creds cr;
    free(j->req_body); /* the one-shot is over with it */
    j->req_body = NULL;
    if (r->error) {
        r1_err(err, "dAuth: %s", r->error);
    } else if (dauth_parse_reply(r->body, r->len, r->http_code, j->net, j->cfg->trusted_oracles,
                                 j->cfg->n_trusted_oracles, &cr, err) == 0) {
        int rc = start_broker(j, &cr, err);
        dauth_creds_clear(&cr);
        if (rc == 0)
            return;
    }
    report(j, false, err);
}

static const char *action_verb(int action)
{
    switch (action) {
    case R1_ACT_NET_STOP:
        return "STOP";
    case R1_ACT_NET_RESTART:
        return "RESTART";
    default:
        return NULL;
    }
}

/* 8 random hex digits (the dAuth nonce, the session's id). */
static int random_hex8(char out[9], char *err)
{
    unsigned char b[4];
    if (crypto_random(b, sizeof(b)) != 0)
        return r1_err(err, "no random bytes for the command's nonce");
    crypto_hex_encode(b, sizeof(b), out);
    return 0;
}

static int job_key(struct remote_job *j, const struct r1_config *cfg, char *err)
{
    char path[R1_URL_MAX];
    if (cfg->identity_file[0])
        r1_strlcpy(path, cfg->identity_file, sizeof(path));
    else if (identity_default_path(path, sizeof(path), err) < 0)
        return -1;
    return identity_load(path, j->seckey, err);
}

static int job_submit(struct remote_job *j, char *err)
{
    char nonce[9], sid[9];
    if (random_hex8(nonce, err) < 0 || random_hex8(sid, err) < 0)
        return -1;
    snprintf(j->session_id, sizeof(j->session_id), "r1top-%s", sid);
    j->req_body = dauth_build_request(j->seckey, nonce, err);
    if (!j->req_body)
        return -1;
    struct r1_request req;
    memset(&req, 0, sizeof(req));
    const char *url = j->cfg->dauth_url[0] ? j->cfg->dauth_url : j->net->dauth_url;
    r1_strlcpy(req.url, url, sizeof(req.url));
    req.method = "POST";
    req.body = j->req_body;
    req.content_type = "application/json";
    req.max_bytes = 256 * 1024;
    req.timeout_ms = j->cfg->action_timeout_ms > 0 ? j->cfg->action_timeout_ms : 60000;
    char perr[R1_ERR_MAX];
    if (poller_submit(j->p, j->node_id, j->action, &req, dauth_done, j, perr) < 0)
        return r1_err(err, "dAuth: %s", perr);
    return 0;
}

int remote_start(struct r1_poller *p, const struct r1_config *cfg, const struct r1_network *net,
                 const struct r1_node *n, int action, poller_done_fn done, void *ctx, char *err)
{
    const char *verb = action_verb(action);
    if (!verb)
        return r1_err(err, "not a network action");
    struct remote_job *j = xcalloc(1, sizeof(*j));
    *j = (struct remote_job){.p = p,
                             .cfg = cfg,
                             .net = net,
                             .node_id = n->id,
                             .action = action,
                             .verb = verb,
                             .done = done,
                             .done_ctx = ctx};
    r1_strlcpy(j->node_addr, model_node_address(n), sizeof(j->node_addr));
    if (R1_VALID(&n->info, INFO_ALIAS))
        r1_strlcpy(j->node_alias, n->info.alias, sizeof(j->node_alias));
    struct poller_client cl = {cl_fd, cl_wait_ms, cl_service, cl_abandon, j};
    if (job_key(j, cfg, err) < 0 || poller_add_client(p, &cl, err) < 0) {
        job_free(j);
        return -1;
    }
    if (job_submit(j, err) < 0) {
        /* registered already: leave through the client's path, without reporting */
        j->reported = true;
        return -1;
    }
    return 0;
}
