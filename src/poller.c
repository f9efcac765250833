/* poller: jobs (node x source) with their timers and back-off, and the four transports that
 * run them. Why four: http(s) and the Docker socket must never block, so they go through one
 * libcurl multi handle; file:// status files are local and tiny, so they are read directly
 * (a directory URL lists *.json files, which libcurl's file:// cannot); ssh:// node hosts are
 * read through the operator's own ssh client (transport_ssh.c says why), whose pipes join the
 * same wait; demo nodes get their documents from the in-process generator. Every reply ends in
 * the source's apply(). */
#include "poller.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "autoconf.h"
#include "actions.h"
#include "dirread.h"
#include "jsonutil.h"
#include "sources/demo.h"
#include "sources/source.h"
#include "transport_ssh.h"
#include "util.h"

#define R1_FLEET_SCOPE ((size_t)-1)
/* Transfers in flight at once, in total and to one host (D15: 1,024 nodes at once exhausted
 * the descriptors; the fleet issue asks for at most 4 per host). Jobs over the cap wait their
 * turn in table order, which is fair: every job's due time only moves forward. */
#define R1_MAX_IN_FLIGHT 64
#define R1_MAX_PER_HOST 4
/* Actions a person can have running at once (one per node and action is the real limit). */
#define R1_ONESHOT_MAX 16
#define R1_CLIENT_MAX R1_ONESHOT_MAX

/* A job whose source had nothing to do (no address known yet, no socket configured) looks
 * again this soon: cheap, and it picks up an address as soon as local_info.json reveals it. */
#define R1_RECHECK_S 2.0

struct body {
    char *data;
    size_t len, cap, max;
    bool too_big;
};

struct job {
    const struct r1_source_ops *ops;
    size_t node_idx;             /* index into fleet->nodes, or R1_FLEET_SCOPE */
    double interval_s;
    double next_due;             /* monotonic */
    int fails;
    bool in_flight;
    bool attempted;              /* finished (or was skipped) at least once */
    bool last_failed;
    bool quiet_retry_used;       /* the silent re-read after a failed file read was spent */
    bool waiting_slot;           /* prepared but over the in-flight cap: starts when one ends */
    int ssh_key_match;           /* enum curl_khmatch + 1 of the last SSH host key check; 0 none */
    /* a batch (ops->batch_max): the job that carries the request lists every member's index
     * (itself first) and owns the request body; the other members wait, in flight, with no
     * transfer of their own */
    size_t *batch;
    size_t n_batch;
    char *req_body;
    /* one-shot (action) jobs: no source; done() reports the outcome once */
    bool oneshot;
    uint32_t node_id;
    int action;
    poller_done_fn done;
    void *done_ctx;
    size_t dep_idx;              /* the job this one runs after (ops->after), or SIZE_MAX */
    CURL *easy;
    struct ssh_call *ssh;        /* the ssh:// request in flight (transport_ssh), or NULL */
    struct curl_slist *headers;  /* the request's extra headers, freed with the transfer */
    struct body body;
    /* the last request it made (its URL names the source in the status); NULL until the job
     * first asks: most jobs of a fleet known by addresses only never do, and 1,000 nodes'
     * idle rows would otherwise hold 4 MB of empty requests */
    struct r1_request *req;
    double started;              /* monotonic */
};

struct r1_poller {
    const struct r1_config *cfg;
    struct r1_fleet *fleet;
    CURLM *multi;
    struct job *jobs;            /* cap_jobs rows, n_jobs used (poller_new says why a cap) */
    size_t n_jobs, cap_jobs;
    int in_flight;
    bool once;                   /* --once: each job runs one attempt, never again */
    double (*wall)(void);        /* the clocks (r1_now, r1_mono; tests and fuzzing set others) */
    double (*mono)(void);
    struct job *flying[R1_MAX_IN_FLIGHT]; /* curl transfers in flight (for the per-host cap) */
    struct job oneshots[R1_ONESHOT_MAX];  /* actions in flight; a free slot has !in_flight */
    struct ssh_transport *ssh;   /* made on the first ssh:// request; NULL until then */
    struct poller_client clients[R1_CLIENT_MAX]; /* a free slot has service == NULL */
    short client_events[R1_CLIENT_MAX];          /* CURL_WAIT_* ready at the last wait */
};

static bool curl_global_done;
static void abandon_clients(struct r1_poller *p, const char *why);

/* Give the job its request: made on its first use, then kept and overwritten. */
static struct r1_request *job_req_set(struct job *j, const struct r1_request *r)
{
    if (!j->req)
        j->req = xcalloc(1, sizeof(*j->req));
    *j->req = *r;
    return j->req;
}

static struct r1_node *job_node(struct r1_poller *p, const struct job *j)
{
    return j->node_idx == R1_FLEET_SCOPE ? NULL : &p->fleet->nodes[j->node_idx];
}

static struct r1_meta *job_meta(struct r1_poller *p, const struct job *j)
{
    return j->ops->meta ? j->ops->meta(p->fleet, job_node(p, j)) : NULL;
}

static struct r1_src_status *job_status(struct r1_poller *p, const struct job *j)
{
    struct r1_node *n = job_node(p, j);
    return n ? &n->src[j->ops->id] : &p->fleet->src[j->ops->id];
}

/* Dependencies are between jobs of one node, and a node's jobs sit together in source order:
 * each job's predecessor is found once, when it is added, so scheduling never scans the
 * table. */
static void add_job(struct r1_poller *p, const struct r1_source_ops *ops, size_t node_idx)
{
    size_t i = p->n_jobs++;
    struct job *j = &p->jobs[i];
    memset(j, 0, sizeof(*j));
    j->ops = ops;
    j->node_idx = node_idx;
    j->interval_s = p->cfg->interval_s[ops->id] > 0 ? p->cfg->interval_s[ops->id]
                                                    : ops->default_interval_s;
    job_status(p, j)->interval_s = j->interval_s;
    j->dep_idx = SIZE_MAX;
    for (size_t k = i; ops->after && k-- > 0 && p->jobs[k].node_idx == node_idx;)
        if (p->jobs[k].ops == ops->after)
            j->dep_idx = k;
}

/* The fleet-scope sources' jobs (the oracle's epoch, the wallets), one each. */
static void add_fleet_jobs(struct r1_poller *p)
{
    for (int s = 0; s < SRC_COUNT; s++) {
        const struct r1_source_ops *ops = source_get((enum r1_source_id)s);
        if (ops && ops->scope == R1_SCOPE_FLEET)
            add_job(p, ops, R1_FLEET_SCOPE);
    }
}

struct r1_poller *poller_new(const struct r1_config *cfg, struct r1_fleet *fleet)
{
    if (!curl_global_done) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        curl_global_done = true;
    }
    struct r1_poller *p = xcalloc(1, sizeof(*p));
    p->cfg = cfg;
    p->fleet = fleet;
    p->wall = r1_now;
    p->mono = r1_mono;
    p->multi = curl_multi_init();
    if (!p->multi) {
        fprintf(stderr, "r1top: libcurl could not create a multi handle\n");
        abort();
    }
    /* Jobs never move: while one runs, libcurl (PRIVATE, WRITEDATA, SSH_KEYDATA), the ssh
     * transport (its owner) and flying[] hold its address. So the table is made once for the
     * most nodes a fleet can have, and poller_add_node fills it; calloc's pages for rows never
     * used are never touched, so they cost address space, not memory. */
    size_t most = fleet->n_nodes > R1_CONFIG_MAX_NODES ? fleet->n_nodes : R1_CONFIG_MAX_NODES;
    p->cap_jobs = SRC_COUNT * (most + 1);
    p->jobs = xcalloc(p->cap_jobs, sizeof(struct job));
    /* a fleet known from wallets starts with no node, and its wallets job brings them */
    if (fleet->n_nodes > 0 || fleet->n_wallets > 0)
        add_fleet_jobs(p);
    for (size_t n = 0; n < fleet->n_nodes; n++)
        for (int s = 0; s < SRC_COUNT; s++) {
            const struct r1_source_ops *ops = source_get((enum r1_source_id)s);
            if (ops && ops->scope == R1_SCOPE_NODE)
                add_job(p, ops, n);
        }
    return p;
}

int poller_add_node(struct r1_poller *p, size_t node_idx)
{
    if (node_idx >= p->fleet->n_nodes || p->n_jobs + 2 * SRC_COUNT > p->cap_jobs)
        return -1;
    for (size_t i = 0; i < p->n_jobs; i++)
        if (p->jobs[i].node_idx == node_idx)
            return -1; /* it has its jobs already */
    /* the fleet's first node brings the fleet-scope job, as in poller_new */
    bool fleet_job = false;
    for (size_t i = 0; i < p->n_jobs && !fleet_job; i++)
        fleet_job = p->jobs[i].node_idx == R1_FLEET_SCOPE;
    if (!fleet_job)
        add_fleet_jobs(p);
    for (int s = 0; s < SRC_COUNT; s++) {
        const struct r1_source_ops *ops = source_get((enum r1_source_id)s);
        if (ops && ops->scope == R1_SCOPE_NODE)
            add_job(p, ops, node_idx);
    }
    return 0;
}

static void body_reset(struct body *b, size_t max)
{
    b->len = 0;
    b->max = max;
    b->too_big = false;
    if (!b->data) {
        b->cap = 4096;
        b->data = xmalloc(b->cap);
    }
    b->data[0] = '\0';
}

static void job_release(struct r1_poller *p, struct job *j)
{
    if (j->easy) {
        curl_multi_remove_handle(p->multi, j->easy);
        curl_easy_cleanup(j->easy);
        j->easy = NULL;
    }
    if (j->ssh) {
        transport_ssh_cancel(p->ssh, j->ssh);   /* killed and reaped */
        j->ssh = NULL;
    }
    curl_slist_free_all(j->headers);
    j->headers = NULL;
    free(j->batch);
    j->batch = NULL;
    j->n_batch = 0;
    free(j->req_body);
    j->req_body = NULL;
    if (j->req)
        j->req->body = NULL;
    if (j->in_flight) {
        j->in_flight = false;
        p->in_flight--;
        for (size_t k = 0; k < R1_MAX_IN_FLIGHT; k++)
            if (p->flying[k] == j)
                p->flying[k] = NULL;
    }
    /* Keep memory small when idle: a big buffer is only worth keeping for the next poll if
     * replies are usually big. */
    if (j->body.cap > 256 * 1024) {
        free(j->body.data);
        j->body.data = NULL;
        j->body.cap = 0;
    }
}

void poller_free(struct r1_poller *p)
{
    if (!p)
        return;
    abandon_clients(p, "r1top is closing");   /* first: a client may own a one-shot's body */
    for (size_t i = 0; i < R1_ONESHOT_MAX; i++) {
        job_release(p, &p->oneshots[i]);
        free(p->oneshots[i].body.data);
        free(p->oneshots[i].req);
    }
    for (size_t i = 0; i < p->n_jobs; i++) {
        job_release(p, &p->jobs[i]);
        free(p->jobs[i].body.data);
        free(p->jobs[i].req);
    }
    free(p->jobs);
    /* every ssh child was reaped above; this closes the hosts' shared connections */
    transport_ssh_free(p->ssh);
    curl_multi_cleanup(p->multi);
    free(p);
}

/* Failure back-off: retry a broken source soon once (a node file caught mid-write parses on
 * the next read), then less and less often, never more often than its interval. */
static double retry_delay(const struct job *j)
{
    double first = j->interval_s < 15.0 ? j->interval_s : 15.0;
    double d = first * pow(2.0, j->fails > 0 ? j->fails - 1 : 0);
    double cap = j->interval_s > 300.0 ? j->interval_s : 300.0;
    return d > cap ? cap : d;
}

/* The node rewrites its status files in place (no atomic rename), so a read can catch one
 * half-written: that first failure is retried after a second without being reported. */
#define R1_REREAD_S 1.0

static bool is_local_file(const struct job *j)
{
    return j->req && (strncmp(j->req->url, "file:", 5) == 0 || j->req->url[0] == '/');
}

/* Record the request's URL in the status (once per change: URLs rarely change). */
static void status_url(struct r1_src_status *st, const struct job *j)
{
    if (!j->req)
        return;
    const char *u = j->req->unix_socket[0] ? j->req->unix_socket : j->req->url;
    if (!u[0] || (st->url && strcmp(st->url, u) == 0))
        return;
    free(st->url);
    st->url = xstrdup(u);
}

/* The one place a job's outcome is recorded: its (node, source) status, and for the old
 * readers the group's meta. e is NULL on success. `stored` says the reply's values were kept
 * (a reply stored with a bad verdict is still a failure). */
static void job_finish(struct r1_poller *p, struct job *j, const struct r1_error *e, bool stored)
{
    double now_mono = p->mono();
    struct r1_meta *m = job_meta(p, j);
    struct r1_src_status *st = job_status(p, j);
    double wall = p->wall();
    if (e && !stored && !j->quiet_retry_used &&
        (is_local_file(j) || (j->req && transport_ssh_is_url(j->req->url) && e->kind == R1_EK_PARSE))) {
        /* The node rewrites its status files in place: a half-written one is read again in a
         * second before it is reported. */
        j->quiet_retry_used = true;
        j->next_due = now_mono + R1_REREAD_S;
        return;
    }
    j->quiet_retry_used = e != NULL;
    j->attempted = true;
    st->attempt_at = wall;
    st->configured = true;
    status_url(st, j);
    /* Sampled sources stamp their own groups (a GPU read from the history file is as old as
     * that file, not as this sample). */
    if ((!e || stored) && m && !j->ops->sample) {
        model_meta_ok(m, wall);
        m->fed_by = (int)j->ops->id + 1;
    }
    if (!e) {
        j->fails = 0;
        j->last_failed = false;
        st->ok_at = wall;
        st->fails = 0;
        memset(&st->err, 0, sizeof(st->err));
        j->next_due = now_mono + j->interval_s;
        st->next_at = wall + j->interval_s;
        return;
    }
    j->fails++;
    j->last_failed = true;
    double delay = stored ? j->interval_s : retry_delay(j);
    st->fails = j->fails;
    st->err = *e;
    st->err.src = (int)j->ops->id;
    r1_sanitize(st->err.reason, sizeof(st->err.reason), e->reason);
    j->next_due = now_mono + delay;
    st->next_at = p->once ? 0 : wall + delay;
}

/* An error value from words (the sources' parsers describe their documents in text). */
static struct r1_error err_text(enum r1_err_kind kind, const char *reason)
{
    struct r1_error e;
    memset(&e, 0, sizeof(e));
    e.kind = kind;
    r1_strlcpy(e.reason, reason && reason[0] ? reason : "failed", sizeof(e.reason));
    return e;
}

static void job_fail(struct r1_poller *p, struct job *j, enum r1_err_kind kind, const char *why)
{
    struct r1_error e = err_text(kind, why);
    job_finish(p, j, &e, false);
}

static void apply_reply(struct r1_poller *p, struct job *j, const struct r1_reply *reply)
{
    char err[R1_ERR_MAX] = "";
    struct r1_source_ctx ctx = {.cfg = p->cfg, .fleet = p->fleet, .now = p->wall()};
    int rc = j->ops->apply(&ctx, job_node(p, j), reply, err);
    if (rc == 0) {
        job_finish(p, j, NULL, true);
        return;
    }
    if (!err[0])
        r1_strlcpy(err, "could not read the reply", sizeof(err));
    if (rc == R1_APPLY_STORED_BAD) {
        struct r1_error e = err_text(R1_EK_BAD_SIGNATURE, err);
        job_finish(p, j, &e, true);
        return;
    }
    job_fail(p, j,
             rc == R1_APPLY_REFUSED   ? R1_EK_REFUSED
             : rc == R1_APPLY_BACKOFF ? R1_EK_RATE_LIMITED
                                      : R1_EK_PARSE,
             err);
}

/* ---- file:// transport ------------------------------------------------------------------ */

static int file_url_path(const char *url, char *path, size_t n)
{
    const char *s = url;
    if (strncmp(s, "file://", 7) == 0) {
        s += 7;
        if (strncmp(s, "localhost/", 10) == 0)
            s += 9;
    }
    if (s[0] != '/')
        return -1;
    size_t o = 0;
    for (; *s && o + 1 < n; s++) {
        /* Only %XX decoding; paths from config are plain, but be exact about what a URL means. */
        if (s[0] == '%' && s[1] && s[2]) {
            char hex[3] = {s[1], s[2], 0};
            char *end;
            long v = strtol(hex, &end, 16);
            if (*end == '\0' && v > 0) {
                path[o++] = (char)v;
                s += 2;
                continue;
            }
        }
        path[o++] = *s;
    }
    path[o] = '\0';
    return *s ? -1 : 0;
}

static void run_file_dir(struct r1_poller *p, struct job *j, const char *dir)
{
    /* Bounded pass (dirread.h, D8/D9): sorted then capped, small files, a byte budget. */
    char err[R1_ERR_MAX];
    struct dirread_result dr;
    if (dirread_json(dir, NULL, &dr, err) < 0) {
        job_fail(p, j, R1_EK_FILE, err);
        return;
    }
    struct r1_reply reply = {.url = j->req->url, .body = "", .files = dr.files,
                             .n_files = dr.n_files, .n_files_total = dr.n_total};
    apply_reply(p, j, &reply);
    dirread_free(&dr);
}

static void run_file(struct r1_poller *p, struct job *j)
{
    char path[R1_URL_MAX], err[R1_ERR_MAX];
    if (file_url_path(j->req->url, path, sizeof(path)) < 0) {
        r1_err(err, "cannot use '%s' (expected file:///absolute/path)", j->req->url);
        job_fail(p, j, R1_EK_CONFIG, err);
        return;
    }
    size_t l = strlen(path);
    if (l > 0 && path[l - 1] == '/') {
        run_file_dir(p, j, path);
        return;
    }
    char *buf = NULL;
    size_t len = 0;
    double mtime = 0;
    if (r1_read_file(path, j->req->max_bytes, &buf, &len, &mtime, err) < 0) {
        job_fail(p, j, R1_EK_FILE, err);
        return;
    }
    struct r1_reply reply = {.url = j->req->url, .body = buf, .len = len, .mtime = mtime};
    apply_reply(p, j, &reply);
    free(buf);
}

/* ---- demo transport ------------------------------------------------------------------- */

static void run_demo(struct r1_poller *p, struct job *j)
{
    struct demo_doc doc;
    char err[R1_ERR_MAX] = "";
    memset(&doc, 0, sizeof(doc));
    struct r1_node *n = job_node(p, j);
    const struct r1_node *any = n ? n : (p->fleet->n_nodes ? &p->fleet->nodes[0] : NULL);
    int rc = demo_fetch(p->fleet, any, j->ops->id, p->wall(), &doc, err);
    if (rc == 1) {
        j->attempted = true;
        j->next_due = p->mono() + j->interval_s;
    } else if (rc < 0) {
        job_fail(p, j, R1_EK_TRANSPORT, err);
    } else {
        struct r1_reply reply = {.url = j->req->url, .body = doc.body ? doc.body : "",
                                 .len = doc.len, .http_code = doc.http_code, .mtime = doc.mtime,
                                 .files = doc.files, .n_files = doc.n_files};
        apply_reply(p, j, &reply);
    }
    demo_doc_free(&doc);
}

/* ---- libcurl transport ---------------------------------------------------------------- */

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct body *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n > b->max) {
        b->too_big = true;
        return 0;    /* aborts the transfer: a huge reply is an error, not a memory hog */
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

/* "host:port" of a URL (or the socket path) into dst; "" for local reads. */
static void request_host(const struct r1_request *r, char *dst, size_t n)
{
    if (r->unix_socket[0]) {
        r1_strlcpy(dst, r->unix_socket, n);
        return;
    }
    r1_url_host(r->url, dst, n);
}

/* D5: an SSH host key is checked the way ssh(1) checks it, against the user's known_hosts; an
 * unknown or changed key refuses the connection (the error names the host). */
static int ssh_key_check(CURL *e, const struct curl_khkey *known, const struct curl_khkey *found,
                         enum curl_khmatch match, void *ctx)
{
    (void)e, (void)known, (void)found;
    struct job *j = ctx;
    j->ssh_key_match = (int)match + 1;   /* why a refused login was refused, for the error */
    return match == CURLKHMATCH_OK ? CURLKHSTAT_FINE : CURLKHSTAT_REJECT;
}

/* The user's key as ssh(1) would offer it: libcurl alone tries only id_rsa and id_dsa (and then
 * the agent), so the ed25519 key modern ssh-keygen makes would never be offered. */
static void ssh_user_key(CURL *e, const char *home)
{
    static const char *const names[] = {"id_ed25519", "id_ecdsa", "id_rsa"};
    for (size_t i = 0; i < R1_ARRAY_LEN(names); i++) {
        char path[R1_URL_MAX];
        snprintf(path, sizeof(path), "%s/.ssh/%s", home, names[i]);
        if (access(path, R_OK) == 0) {
            curl_easy_setopt(e, CURLOPT_SSH_PRIVATE_KEYFILE, path);
            return;
        }
    }
}

static void ssh_strict_host_keys(CURL *e, struct job *j)
{
    const char *home = getenv("HOME");
    char kh[R1_URL_MAX];
    if (!home || !home[0])
        home = "/nonexistent";
    snprintf(kh, sizeof(kh), "%s/.ssh/known_hosts", home);
    j->ssh_key_match = 0;
    curl_easy_setopt(e, CURLOPT_SSH_KNOWNHOSTS, kh);
    curl_easy_setopt(e, CURLOPT_SSH_KEYFUNCTION, ssh_key_check);
    curl_easy_setopt(e, CURLOPT_SSH_KEYDATA, j);
    ssh_user_key(e, home);
}

static int start_curl(struct r1_poller *p, struct job *j, char *err)
{
    CURL *e = curl_easy_init();
    if (!e)
        return r1_err(err, "libcurl could not start a transfer");
    body_reset(&j->body, j->req->max_bytes);
    curl_easy_setopt(e, CURLOPT_URL, j->req->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &j->body);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, j->req->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, j->req->timeout_ms);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)j->req->max_bytes);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "r1top/" PACKAGE_VERSION);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_FILETIME, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,sftp");
#else
    curl_easy_setopt(e, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_SFTP);
#endif
    if (j->req->unix_socket[0])
        curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, j->req->unix_socket);
    /* Credentials never live in URLs (the config refuses them, D7): ~/.netrc is the place. */
    curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
    if (j->req->method)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, j->req->method);
    if (j->req->body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->req->body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(j->req->body));
    } else if (j->req->method && strcmp(j->req->method, "POST") == 0) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
    }
    struct curl_slist *hdr = NULL;
    if (j->req->content_type) {
        char h[96];
        snprintf(h, sizeof(h), "Content-Type: %s", j->req->content_type);
        hdr = curl_slist_append(NULL, h);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdr);
    }
    j->headers = hdr;
    if (strncmp(j->req->url, "sftp:", 5) == 0)
        ssh_strict_host_keys(e, j);
    if (curl_multi_add_handle(p->multi, e) != CURLM_OK) {
        curl_easy_cleanup(e);
        curl_slist_free_all(hdr);
        j->headers = NULL;
        return r1_err(err, "libcurl refused the transfer");
    }
    j->easy = e;
    j->in_flight = true;
    j->started = p->mono();
    p->in_flight++;
    for (size_t k = 0; k < R1_MAX_IN_FLIGHT; k++)
        if (!p->flying[k]) {
            p->flying[k] = j;
            break;
        }
    return 0;
}

/* A short reason from an error reply: FastAPI says {"detail": ...}, Docker {"message": ...}. */
static void error_detail(const struct body *b, char *dst, size_t n)
{
    dst[0] = '\0';
    if (b->len == 0 || b->len > 64 * 1024)
        return;
    char err[R1_ERR_MAX];
    cJSON *doc = json_parse(b->data, b->len, err);
    if (!doc)
        return;
    char msg[160];
    if (json_get_str(doc, "message", msg, sizeof(msg)) ||
        json_get_str(doc, "detail", msg, sizeof(msg)))
        snprintf(dst, n, ": %s", msg);
    cJSON_Delete(doc);
}

/* D28: connecting to a unix socket we may not open reads as "Couldn't connect": say why. */
static bool socket_denied(const struct job *j)
{
    return j->req->unix_socket[0] && access(j->req->unix_socket, R_OK | W_OK) != 0 &&
           errno == EACCES;
}

/* Tell an action's owner its outcome once, then free the slot (r may point into the job's
 * body, so it is reported before the release). */
static void oneshot_report(struct r1_poller *p, struct job *j, const struct r1_act_reply *r)
{
    poller_done_fn done = j->done;
    j->done = NULL;
    if (done)
        done(j->done_ctx, j->node_id, j->action, r);
    job_release(p, j);
}

/* An action's request ended: tell its owner once, then free the slot. */
static void finish_oneshot(struct r1_poller *p, struct job *j, CURLcode code, long http)
{
    char why[R1_REASON_MAX];
    struct r1_act_reply r = {.http_code = http, .body = j->body.data, .len = j->body.len};
    if (code == CURLE_OPERATION_TIMEDOUT) {
        snprintf(why, sizeof(why), "no answer within %.0f s", j->req->timeout_ms / 1000.0);
        r.error = why;
    } else if (code != CURLE_OK && socket_denied(j)) {
        snprintf(why, sizeof(why), "permission denied on %.80s; add your user to the docker group",
                 j->req->unix_socket);
        r.error = why;
    } else if (code != CURLE_OK) {
        snprintf(why, sizeof(why), "%.60s (%.90s)", curl_easy_strerror(code),
                 j->req->unix_socket[0] ? j->req->unix_socket : j->req->url);
        r.error = why;
    }
    oneshot_report(p, j, &r);
}

/* When a batch answered well, its members are next due at their batch's own slot of the
 * interval: batch k of nb at phase k/nb, so a fleet's batches spread over the interval instead of
 * going out together at every refresh (the first round goes at once, to fill the screen).
 * The result lies in (now + interval/2, now + 3*interval/2], so the mean period is unchanged. */
static double batch_slot_due(const struct r1_poller *p, const struct job *lead, double now)
{
    double iv = lead->interval_s;
    size_t per = lead->ops->batch_max, n = p->fleet->n_nodes;
    size_t nb = per ? (n + per - 1) / per : 1;
    if (nb <= 1 || iv <= 0 || lead->node_idx == R1_FLEET_SCOPE)
        return now + iv;
    double phase = (double)(lead->node_idx / per % nb) * iv / (double)nb;
    double due = now + iv;
    double off = fmod(due - phase, iv);   /* how far past its slot the plain due time is */
    if (off < 0)
        off += iv;
    due -= off;
    if (due <= now + iv / 2)
        due += iv;
    return due;
}

/* One reply for every member of a batch: the source stores each node's part, and each member
 * job records its own outcome (a node missing from the reply fails alone). */
static void apply_batch_reply(struct r1_poller *p, struct job *lead, const struct r1_reply *reply)
{
    size_t n = lead->n_batch;
    struct r1_node **nodes = xcalloc(n, sizeof(*nodes));
    int *rc = xcalloc(n, sizeof(*rc));
    char(*err)[R1_ERR_MAX] = xcalloc(n, sizeof(*err));
    for (size_t k = 0; k < n; k++)
        nodes[k] = job_node(p, &p->jobs[lead->batch[k]]);
    struct r1_source_ctx ctx = {.cfg = p->cfg, .fleet = p->fleet, .now = p->wall()};
    lead->ops->apply_batch(&ctx, nodes, n, reply, rc, err);
    for (size_t k = 0; k < n; k++) {
        struct job *m = &p->jobs[lead->batch[k]];
        if (m != lead)
            job_release(p, m);
        if (rc[k] == 0 || rc[k] == R1_APPLY_AGAIN) {
            job_finish(p, m, NULL, true);
            if (rc[k] == 0 && !p->once) {
                double now = p->mono(), due = batch_slot_due(p, lead, now);
                m->next_due = due;
                job_status(p, m)->next_at = p->wall() + (due - now);
            }
            if (rc[k] == R1_APPLY_AGAIN) {
                /* a wider range is needed now: ask again at once, and --once waits for it */
                m->next_due = 0;   /* due now, together with the rest of its batch */
                m->attempted = false;
            }
            continue;
        }
        enum r1_err_kind kind = rc[k] == R1_APPLY_STORED_BAD ? R1_EK_BAD_SIGNATURE
                                : rc[k] == R1_APPLY_REFUSED  ? R1_EK_REFUSED
                                : rc[k] == R1_APPLY_BACKOFF  ? R1_EK_RATE_LIMITED
                                                             : R1_EK_PARSE;
        struct r1_error e = err_text(kind, err[k][0] ? err[k] : "could not read the reply");
        job_finish(p, m, &e, rc[k] == R1_APPLY_STORED_BAD);
    }
    free(nodes);
    free(rc);
    free(err);
}

/* The reply path every fetched job ends in, whatever brought the bytes: classify the transfer's
 * outcome, parse a good reply (then release the buffer, D1), record the status. */
static void finish_reply(struct r1_poller *p, struct job *j, CURLcode code, long http,
                         double mtime, const char *redirect_to)
{
    struct r1_error er;
    memset(&er, 0, sizeof(er));
    er.http_code = http;
    er.curl_code = (int)code;
    if (j->body.too_big || code == CURLE_FILESIZE_EXCEEDED) {
        er.kind = R1_EK_TOO_BIG;
        snprintf(er.reason, sizeof(er.reason), "reply too large (over %zu KiB)",
                 j->req->max_bytes / 1024);
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
        er.kind = R1_EK_TIMEOUT;
        snprintf(er.reason, sizeof(er.reason), "timed out after %.0f s",
                 j->req->timeout_ms / 1000.0);
    } else if (code != CURLE_OK && j->ssh_key_match > 0 &&
               j->ssh_key_match != (int)CURLKHMATCH_OK + 1) {
        /* D5: say which, as ssh(1) does; never accepted, never written to known_hosts */
        char host[R1_URL_MAX];
        request_host(j->req, host, sizeof(host));
        er.kind = R1_EK_REFUSED;
        snprintf(er.reason, sizeof(er.reason),
                 j->ssh_key_match == (int)CURLKHMATCH_MISMATCH + 1
                     ? "the SSH host key of %.80s has CHANGED since ~/.ssh/known_hosts recorded it"
                     : "the SSH host key of %.80s is not in ~/.ssh/known_hosts (ssh to it once)",
                 host);
    } else if (code != CURLE_OK && socket_denied(j)) {
        er.kind = R1_EK_PERMISSION;
        snprintf(er.reason, sizeof(er.reason),
                 "permission denied on the socket; add your user to the docker group");
    } else if (code != CURLE_OK) {
        er.kind = R1_EK_TRANSPORT;
        snprintf(er.reason, sizeof(er.reason), "%s", curl_easy_strerror(code));
    } else if (http >= 300 && http < 400) {
        /* D20: redirects are never followed, and their bodies are not the answer. */
        er.kind = R1_EK_REDIRECT;
        r1_sanitize(er.reason, sizeof(er.reason), redirect_to ? redirect_to : "");
    } else if (http >= 400) {
        char detail[200];
        er.kind = R1_EK_HTTP;
        error_detail(&j->body, detail, sizeof(detail));
        r1_strlcpy(er.reason, detail[0] ? detail + 2 : "", sizeof(er.reason));
    } else {
        struct r1_reply reply = {.url = j->req->url, .body = j->body.data, .len = j->body.len,
                                 .http_code = http, .mtime = mtime};
        /* Parse, then release: job_release frees a big body (D1, a use-after-free on every
         * reply of 256 KiB or more). */
        if (j->batch)
            apply_batch_reply(p, j, &reply);
        else
            apply_reply(p, j, &reply);
        job_release(p, j);
        return;
    }
    if (j->batch) {
        /* one failed batch is one failure of this source for each node in it: their values
         * and ages stay, and nothing calls them offline for it */
        for (size_t k = 1; k < j->n_batch; k++) {
            struct job *m = &p->jobs[j->batch[k]];
            job_release(p, m);
            job_finish(p, m, &er, false);
        }
    }
    job_release(p, j);
    job_finish(p, j, &er, false);
}

static void finish_curl(struct r1_poller *p, CURL *e, CURLcode code)
{
    struct job *j = NULL;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&j);
    if (!j)
        return;
    long http = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &http);
    if (j->oneshot) {
        finish_oneshot(p, j, code, http);
        return;
    }
    curl_off_t ftime = -1;
    curl_easy_getinfo(e, CURLINFO_FILETIME_T, &ftime);
    char *to = NULL;
    curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &to);
    finish_reply(p, j, code, http, ftime > 0 ? (double)ftime : 0, to);
}

int poller_feed_reply(struct r1_poller *p, uint32_t node_id, int source, const char *body,
                      size_t len, long http_code)
{
    for (size_t i = 0; i < p->n_jobs; i++) {
        struct job *j = &p->jobs[i];
        bool node_match = j->node_idx == R1_FLEET_SCOPE
                              ? node_id == R1_NODE_ALL
                              : p->fleet->nodes[j->node_idx].id == node_id;
        if ((int)j->ops->id != source || !node_match || j->ops->sample)
            continue;
        /* what start_job does before a transfer, then the bytes as on_body would take them */
        char err[R1_ERR_MAX];
        struct r1_source_ctx ctx = {.cfg = p->cfg, .fleet = p->fleet, .now = p->wall()};
        struct r1_request r;
        memset(&r, 0, sizeof(r));
        r.max_bytes = p->cfg->max_body_bytes;
        r.timeout_ms = p->cfg->http_timeout_ms;
        if (j->ops->prepare(&ctx, job_node(p, j), &r, err) != 0)
            return -1;
        job_req_set(j, &r);
        if (j->ops->max_reply_kib && j->req->max_bytes > j->ops->max_reply_kib * 1024)
            j->req->max_bytes = j->ops->max_reply_kib * 1024;
        body_reset(&j->body, j->req->max_bytes);
        if (on_body((char *)body, 1, len, &j->body) != len)
            j->body.too_big = true;
        j->in_flight = true;
        p->in_flight++;
        finish_reply(p, j, CURLE_OK, http_code, 0, NULL);
        return 0;
    }
    return -1;
}

/* ---- scheduling ----------------------------------------------------------------------- */

static bool dependency_pending(struct r1_poller *p, const struct job *j)
{
    if (j->dep_idx == SIZE_MAX)
        return false;
    const struct job *o = &p->jobs[j->dep_idx];
    return !o->attempted || o->in_flight;
}

/* Room for one more transfer, in total and to this request's host (D15)? */
static bool slot_free(const struct r1_poller *p, const struct r1_request *r)
{
    if (p->in_flight >= R1_MAX_IN_FLIGHT)
        return false;
    char host[R1_URL_MAX], other[R1_URL_MAX];
    request_host(r, host, sizeof(host));
    int same = 0;
    for (size_t k = 0; k < R1_MAX_IN_FLIGHT; k++) {
        if (!p->flying[k])
            continue;
        request_host(p->flying[k]->req, other, sizeof(other));
        same += strcmp(host, other) == 0;
    }
    return same < R1_MAX_PER_HOST;
}

static void start_transport(struct r1_poller *p, struct job *j, bool demo);

static void start_job(struct r1_poller *p, struct job *j, double t)
{
    char err[R1_ERR_MAX] = "";
    struct r1_node *n = job_node(p, j);
    struct r1_source_ctx ctx = {.cfg = p->cfg, .fleet = p->fleet, .now = p->wall()};
    bool demo = n ? n->demo : p->fleet->demo;

    if (j->ops->sample) {
        struct r1_request r;
        memset(&r, 0, sizeof(r));
        int rc = j->ops->sample(&ctx, n, &r, err);
        if (rc == 1 && !r.url[0]) {
            /* no backend for this node: nothing was read, nothing to report */
            j->attempted = true;
            j->next_due = t + j->interval_s;
            return;
        }
        job_req_set(j, &r);
        if (rc == R1_SAMPLE_FETCH) {
            /* the backend is a remote command (nvidia-smi over SSH): fetch, then apply() */
            j->req->max_bytes = 64 * 1024;
            j->req->timeout_ms = p->cfg->http_timeout_ms;
            start_transport(p, j, demo);
        } else if (rc >= 0) {
            /* read (1: and found nothing, e.g. "NVML: no GPUs", which is an answer too) */
            job_finish(p, j, NULL, true);
        } else {
            job_fail(p, j, R1_EK_PARSE, err);
        }
        return;
    }

    struct r1_request r;
    memset(&r, 0, sizeof(r));
    r.max_bytes = p->cfg->max_body_bytes;
    r.timeout_ms = p->cfg->http_timeout_ms;
    int rc = j->ops->prepare(&ctx, n, &r, err);
    if (j->ops->max_reply_kib && r.max_bytes > j->ops->max_reply_kib * 1024)
        r.max_bytes = j->ops->max_reply_kib * 1024;
    if (rc == 1 || rc == R1_PREPARE_SERVED) {
        /* Nothing to ask yet (look again soon: an address may come), or another job asks for
         * it (a batch: look again at the interval); done, so --once does not wait for it. */
        j->attempted = true;
        j->next_due = rc == R1_PREPARE_SERVED ? t + j->interval_s
                      : t + (j->interval_s < R1_RECHECK_S ? j->interval_s : R1_RECHECK_S);
        return;
    }
    job_req_set(j, &r);
    if (rc < 0 || rc == R1_PREPARE_BACKOFF) {
        job_fail(p, j, rc < 0 ? R1_EK_CONFIG : R1_EK_RATE_LIMITED, err);
        return;
    }
    start_transport(p, j, demo);
}

/* ---- ssh transport -------------------------------------------------------------------- */

/* An action's command ended (on its host, or here): its output and exit status, or why it
 * could not run. */
static void ssh_oneshot_done(struct r1_poller *p, struct job *j, const struct ssh_result *r)
{
    char why[R1_REASON_MAX];
    struct r1_act_reply a = {.command = true,
                             .exit_status = r->exit_status,
                             .body = r->body,
                             .len = r->len,
                             .errs = r->errs};
    if (r->err.kind != R1_EK_NONE) {
        model_error_format(&r->err, NULL, why, sizeof(why));
        a.error = why;
    }
    oneshot_report(p, j, &a);
}

static void ssh_done(void *ctx, void *owner, const struct ssh_result *r)
{
    struct r1_poller *p = ctx;
    struct job *j = owner;
    j->ssh = NULL;   /* the transport frees the request after this call */
    if (j->oneshot) {
        ssh_oneshot_done(p, j, r);
        return;
    }
    if (r->err.kind != R1_EK_NONE) {
        job_release(p, j);
        job_finish(p, j, &r->err, false);
        return;
    }
    struct r1_reply reply = {.url = j->req->url, .body = r->body ? r->body : "", .len = r->len,
                             .mtime = r->mtime};
    if (r->dir) {
        reply.files = r->dir->files;
        reply.n_files = r->dir->n_files;
        reply.n_files_total = r->dir->n_total;
    }
    apply_reply(p, j, &reply);
    job_release(p, j);
}

static int start_ssh(struct r1_poller *p, struct job *j, char *err)
{
    if (!p->ssh) {
        struct ssh_options o = {.config_file = p->cfg->ssh_config,
                                .known_hosts_file = p->cfg->ssh_known_hosts};
        p->ssh = transport_ssh_new(&o, err);
        if (!p->ssh)
            return -1;
    }
    j->ssh = transport_ssh_start(p->ssh, j->req->url, j->req->max_bytes, j->req->timeout_ms,
                                 p->mono(), j, err);
    if (!j->ssh)
        return -1;
    /* in flight like a transfer: the per-host cap (request_host gives the ssh host) and
     * --once's count see it */
    j->in_flight = true;
    j->started = p->mono();
    p->in_flight++;
    for (size_t k = 0; k < R1_MAX_IN_FLIGHT; k++)
        if (!p->flying[k]) {
            p->flying[k] = j;
            break;
        }
    return 0;
}

/* ---- transport choice ----------------------------------------------------------------- */

/* j->req is prepared: run it on the transport its URL names. */
static void start_transport(struct r1_poller *p, struct job *j, bool demo)
{
    char err[R1_ERR_MAX] = "";
    size_t url_len = strlen(j->req->url);
    if (demo) {
        run_demo(p, j);
    } else if (is_local_file(j)) {
        run_file(p, j);
    } else if (transport_ssh_handles(j->req->url)) {
        j->waiting_slot = !slot_free(p, j->req);
        if (!j->waiting_slot && start_ssh(p, j, err) < 0)
            job_fail(p, j, R1_EK_CONFIG, err);
    } else if (url_len > 0 && j->req->url[url_len - 1] == '/') {
        /* Folder listings exist for file:// only; sftp:// listing comes with fleet mode. */
        r1_err(err, "reading a folder over %.*s is not supported yet (only file://)",
               (int)(strcspn(j->req->url, ":") + 3), j->req->url);
        job_fail(p, j, R1_EK_CONFIG, err);
    } else if (!slot_free(p, j->req)) {
        j->waiting_slot = true;   /* a finishing transfer wakes the loop and starts it */
    } else {
        j->waiting_slot = false;
        if (start_curl(p, j, err) < 0)
            job_fail(p, j, R1_EK_TRANSPORT, err);
    }
}

static bool job_due(const struct r1_poller *p, const struct job *j, double t)
{
    return !j->in_flight && j->next_due <= t && !(p->once && j->attempted);
}

/* Up to ops->batch_max due jobs of lead's source, from lead on, asked in one request (the
 * oracle's multi_node_epochs_range: a fleet costs a request per batch, not two per node). */
static void start_batch(struct r1_poller *p, size_t lead_idx, double t)
{
    struct job *lead = &p->jobs[lead_idx];
    const struct r1_source_ops *ops = lead->ops;
    /* A batch already prepared once is waiting for a slot to its host: nothing to build until
     * one frees (a finishing transfer wakes the loop). Building it again on every turn of the
     * loop cost a 1,000-node fleet seconds of CPU. */
    if (lead->waiting_slot && lead->req && lead->req->url[0] && !slot_free(p, lead->req))
        return;
    size_t *idx = xcalloc(ops->batch_max, sizeof(*idx));
    struct r1_node **nodes = xcalloc(ops->batch_max, sizeof(*nodes));
    bool *asked = xcalloc(ops->batch_max, sizeof(*asked));
    size_t n = 0;
    for (size_t i = lead_idx; i < p->n_jobs && n < ops->batch_max; i++) {
        struct job *o = &p->jobs[i];
        if (o->ops != ops || !job_due(p, o, t) || dependency_pending(p, o))
            continue;
        idx[n] = i;
        nodes[n] = job_node(p, o);
        asked[n] = true;
        n++;
    }
    char err[R1_ERR_MAX] = "";
    char *body = NULL;
    struct r1_request req;
    memset(&req, 0, sizeof(req));
    req.max_bytes = p->cfg->max_body_bytes;
    req.timeout_ms = p->cfg->http_timeout_ms;
    struct r1_source_ctx ctx = {.cfg = p->cfg, .fleet = p->fleet, .now = p->wall()};
    int rc = ops->prepare_batch(&ctx, nodes, n, asked, &req, &body, err);
    if (ops->max_reply_kib && req.max_bytes > ops->max_reply_kib * 1024)
        req.max_bytes = ops->max_reply_kib * 1024;
    size_t n_asked = 0;
    for (size_t k = 0; k < n; k++) {
        struct job *o = &p->jobs[idx[k]];
        if (rc == 0 && asked[k]) {
            idx[n_asked++] = idx[k];
            continue;
        }
        if (rc < 0 || rc == R1_PREPARE_BACKOFF) {
            job_req_set(o, &req);
            job_fail(p, o, rc < 0 ? R1_EK_CONFIG : R1_EK_RATE_LIMITED, err);
        } else {
            /* nothing to ask for this node yet (no address): look again soon */
            o->attempted = true;
            o->next_due = t + (o->interval_s < R1_RECHECK_S ? o->interval_s : R1_RECHECK_S);
        }
    }
    free(nodes);
    free(asked);
    if (rc != 0 || n_asked == 0 || !slot_free(p, &req)) {
        /* over the cap: every member waits for a slot (a finishing transfer wakes the loop),
         * knowing the batch's host, so that it is not built again until that host has room */
        for (size_t k = 0; rc == 0 && k < n_asked; k++) {
            p->jobs[idx[k]].waiting_slot = true;
            job_req_set(&p->jobs[idx[k]], &req)->body = NULL;
        }
        free(body);
        free(idx);
        return;
    }
    lead = &p->jobs[idx[0]];
    lead->waiting_slot = false;
    job_req_set(lead, &req)->body = body;
    lead->req_body = body;
    lead->batch = idx;
    lead->n_batch = n_asked;
    if (start_curl(p, lead, err) < 0) {
        lead->batch = NULL;
        lead->n_batch = 0;
        for (size_t k = 0; k < n_asked; k++)
            job_fail(p, &p->jobs[idx[k]], R1_EK_TRANSPORT, err);
        free(idx);
        return;
    }
    for (size_t k = 1; k < n_asked; k++) {
        struct job *m = &p->jobs[idx[k]];
        job_req_set(m, &req)->body = NULL;   /* the batch's URL, for the member's status */
        m->waiting_slot = false;
        m->in_flight = true;
        p->in_flight++;
    }
}

static bool job_batched(const struct r1_poller *p, const struct job *j)
{
    struct r1_source_ctx ctx = {.cfg = p->cfg, .fleet = p->fleet, .now = p->wall()};
    bool demo = j->node_idx == R1_FLEET_SCOPE ? p->fleet->demo : p->fleet->nodes[j->node_idx].demo;
    return j->ops->batch_max > 0 && !demo && j->ops->batching && j->ops->batching(&ctx);
}

int poller_start_due(struct r1_poller *p, double t)
{
    int started = 0;
    /* Two passes: single jobs first, batches last, so that every member's dependencies (the
     * node's own earlier sources) have run and a batch gathers the whole fleet at once. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < p->n_jobs; i++) {
            struct job *j = &p->jobs[i];
            if (!job_due(p, j, t) || dependency_pending(p, j) || job_batched(p, j) != (pass == 1))
                continue;
            if (pass == 1)
                start_batch(p, i, t);
            else
                start_job(p, j, t);
            started++;
        }
    }
    return started;
}

void poller_due_all(struct r1_poller *p)
{
    for (size_t i = 0; i < p->n_jobs; i++)
        if (!p->jobs[i].in_flight)
            p->jobs[i].next_due = 0;
}

double poller_next_due(struct r1_poller *p, double t)
{
    double best = 3600.0;
    for (size_t i = 0; i < p->n_jobs; i++) {
        const struct job *j = &p->jobs[i];
        if (j->in_flight || j->waiting_slot)
            continue;
        double d = j->next_due - t;
        if (dependency_pending(p, j))
            continue;
        if (d < best)
            best = d;
    }
    return best < 0 ? 0 : best;
}

/* The clients' sockets into wfd from index n (at[i] = the wfd index of client i, or -1);
 * returns the new n and shortens *timeout_ms to the soonest service a client needs. */
static unsigned client_wait_fds(struct r1_poller *p, struct curl_waitfd *wfd, unsigned n,
                                int *at, int *timeout_ms)
{
    for (size_t i = 0; i < R1_CLIENT_MAX; i++) {
        const struct poller_client *c = &p->clients[i];
        bool want_write = false;
        int fd = c->service ? c->fd(c->ctx, &want_write) : -1;
        at[i] = fd >= 0 ? (int)n : -1;
        if (fd >= 0)
            wfd[n++] = (struct curl_waitfd){
                .fd = fd, .events = CURL_WAIT_POLLIN | (want_write ? CURL_WAIT_POLLOUT : 0)};
        int ms = c->service ? c->wait_ms(c->ctx, p->mono()) : *timeout_ms;
        if (ms < *timeout_ms)
            *timeout_ms = ms;
    }
    return n;
}

int poller_wait(struct r1_poller *p, int extra_fd, int timeout_ms, bool *fd_ready)
{
    /* the frontend's fd first, then the ssh children's pipes and the clients' sockets: one
     * wait for everything */
    struct curl_waitfd wfd[1 + 2 * R1_MAX_IN_FLIGHT + R1_CLIENT_MAX];
    int fds[2 * R1_MAX_IN_FLIGHT], at[R1_CLIENT_MAX];
    unsigned n = 0;
    if (extra_fd >= 0)
        wfd[n++] = (struct curl_waitfd){.fd = extra_fd, .events = CURL_WAIT_POLLIN};
    int n_ssh = transport_ssh_fds(p->ssh, fds, (int)R1_ARRAY_LEN(fds));
    for (int i = 0; i < n_ssh; i++)
        wfd[n++] = (struct curl_waitfd){.fd = fds[i], .events = CURL_WAIT_POLLIN};
    n = client_wait_fds(p, wfd, n, at, &timeout_ms);
    timeout_ms = transport_ssh_wait_ms(p->ssh, p->mono(), timeout_ms);
    int numfds = 0;
    *fd_ready = false;
    CURLMcode mc = curl_multi_poll(p->multi, n ? wfd : NULL, n, timeout_ms, &numfds);
    if (mc != CURLM_OK)
        return -1;
    *fd_ready = extra_fd >= 0 && (wfd[0].revents & CURL_WAIT_POLLIN);
    for (size_t i = 0; i < R1_CLIENT_MAX; i++)
        p->client_events[i] = at[i] >= 0 ? wfd[at[i]].revents : 0;
    return 0;
}

int poller_add_client(struct r1_poller *p, const struct poller_client *c, char *err)
{
    for (size_t i = 0; i < R1_CLIENT_MAX; i++)
        if (!p->clients[i].service) {
            p->clients[i] = *c;
            p->client_events[i] = 0;
            return 0;
        }
    return r1_err(err, "too many actions running at once; try again in a moment");
}

/* Every client once, with what its socket was ready for; a finished one frees its slot. An
 * error or hang-up counts as readable, so the client reads it and learns why. */
static int service_clients(struct r1_poller *p)
{
    int finished = 0;
    for (size_t i = 0; i < R1_CLIENT_MAX; i++) {
        struct poller_client *c = &p->clients[i];
        if (!c->service)
            continue;
        short ev = p->client_events[i];
        p->client_events[i] = 0;
        if (c->service(c->ctx, ev != 0 && (ev & ~CURL_WAIT_POLLOUT), (ev & CURL_WAIT_POLLOUT) != 0,
                       p->mono())) {
            memset(c, 0, sizeof(*c));
            finished++;
        }
    }
    return finished;
}

static void abandon_clients(struct r1_poller *p, const char *why)
{
    for (size_t i = 0; i < R1_CLIENT_MAX; i++) {
        struct poller_client c = p->clients[i];
        memset(&p->clients[i], 0, sizeof(p->clients[i]));
        if (c.service)
            c.abandon(c.ctx, why);
    }
}

int poller_perform(struct r1_poller *p)
{
    int running = 0, applied = 0, left = 0;
    curl_multi_perform(p->multi, &running);
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(p->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        finish_curl(p, msg->easy_handle, msg->data.result);
        applied++;
    }
    applied += transport_ssh_service(p->ssh, p->mono(), p->wall(), ssh_done, p);
    applied += service_clients(p);
    return applied;
}

int poller_in_flight(const struct r1_poller *p)
{
    return p->in_flight;
}

int poller_jobs_total(const struct r1_poller *p)
{
    return (int)p->n_jobs;
}

int poller_jobs_done(const struct r1_poller *p)
{
    int n = 0;
    for (size_t i = 0; i < p->n_jobs; i++)
        n += p->jobs[i].attempted && !p->jobs[i].in_flight;
    return n;
}

int poller_jobs_failed(const struct r1_poller *p)
{
    int n = 0;
    for (size_t i = 0; i < p->n_jobs; i++)
        n += p->jobs[i].last_failed;
    return n;
}

void poller_abandon(struct r1_poller *p, const char *why)
{
    for (size_t i = 0; i < p->n_jobs; i++) {
        struct job *j = &p->jobs[i];
        /* D13: everything not answered yet is listed as interrupted, waiting ones included. */
        bool pending = j->in_flight || j->waiting_slot || !j->attempted;
        if (!pending)
            continue;
        job_release(p, j);
        j->waiting_slot = false;
        j->quiet_retry_used = true;
        struct r1_error e = err_text(R1_EK_INTERRUPTED, why);
        job_finish(p, j, &e, false);
    }
    for (size_t i = 0; i < R1_ONESHOT_MAX; i++) {
        struct job *j = &p->oneshots[i];
        if (!j->in_flight)
            continue;
        struct r1_act_reply r = {.error = why};
        poller_done_fn done = j->done;
        j->done = NULL;
        if (done)
            done(j->done_ctx, j->node_id, j->action, &r);
        job_release(p, j);
    }
    abandon_clients(p, why);
}

void poller_due_node(struct r1_poller *p, uint32_t node_id)
{
    for (size_t i = 0; i < p->n_jobs; i++) {
        struct job *j = &p->jobs[i];
        if (j->node_idx != R1_FLEET_SCOPE && p->fleet->nodes[j->node_idx].id == node_id &&
            !j->in_flight)
            j->next_due = 0;
    }
}

int poller_submit(struct r1_poller *p, uint32_t node_id, int action, const struct r1_request *req,
                  poller_done_fn done, void *ctx, char *err)
{
    struct job *j = NULL;
    for (size_t i = 0; i < R1_ONESHOT_MAX && !j; i++)
        if (!p->oneshots[i].in_flight && !p->oneshots[i].done)
            j = &p->oneshots[i];
    if (!j)
        return r1_err(err, "too many actions running at once; try again in a moment");
    struct body keep = j->body;
    struct r1_request *keep_req = j->req;
    memset(j, 0, sizeof(*j));
    j->body = keep;
    j->req = keep_req;
    j->oneshot = true;
    j->node_id = node_id;
    j->action = action;
    job_req_set(j, req);
    j->done = done;
    j->done_ctx = ctx;
    j->dep_idx = SIZE_MAX;
    /* a command on the node's host (ssh://) or on this one (local://): transport_ssh */
    if ((transport_ssh_handles(req->url) ? start_ssh(p, j, err) : start_curl(p, j, err)) < 0) {
        j->done = NULL;
        return -1;
    }
    return 0;
}

int poller_oneshots_running(const struct r1_poller *p)
{
    int n = 0;
    for (size_t i = 0; i < R1_ONESHOT_MAX; i++)
        n += p->oneshots[i].in_flight;
    for (size_t i = 0; i < R1_CLIENT_MAX; i++)
        n += p->clients[i].service != NULL;
    return n;
}

void poller_set_clock(struct r1_poller *p, double (*wall)(void), double (*mono)(void))
{
    p->wall = wall ? wall : r1_now;
    p->mono = mono ? mono : r1_mono;
}

void poller_set_once(struct r1_poller *p, bool once)
{
    p->once = once;
}

void poller_wakeup(struct r1_poller *p)
{
    curl_multi_wakeup(p->multi);
}
