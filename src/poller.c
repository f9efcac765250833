/* poller: jobs (node x source) with their timers and back-off, and the three transports that
 * run them. Why three: http(s) and the Docker socket must never block, so they go through one
 * libcurl multi handle; file:// status files are local and tiny, so they are read directly
 * (a directory URL lists *.json files, which libcurl's file:// cannot); demo nodes get their
 * documents from the in-process generator. Every reply ends in the source's apply(). */
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
#include "jsonutil.h"
#include "sources/demo.h"
#include "sources/source.h"
#include "util.h"

#define R1_DIR_MAX_FILES 256
#define R1_FLEET_SCOPE ((size_t)-1)
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
    CURL *easy;
    struct body body;
    struct r1_request req;
    double started;              /* monotonic */
};

struct r1_poller {
    const struct r1_config *cfg;
    struct r1_fleet *fleet;
    CURLM *multi;
    struct job *jobs;
    size_t n_jobs;
    int in_flight;
    bool once;                   /* --once: each job runs one attempt, never again */
};

/* The range request needs the licence's lastClaimEpoch (from oracle_last), and oracle_last
 * needs the node's address, which may only come from local_info.json. Without this ordering
 * --once would ask for the wrong range and report rewards as unknown. */
static const int depends_on[SRC_COUNT] = {
    [SRC_NODE_INFO] = -1, [SRC_NODE_HISTORY] = -1, [SRC_STREAMS] = -1,
    [SRC_ORACLE_EPOCH] = -1, [SRC_ORACLE_LAST] = SRC_NODE_INFO,
    [SRC_ORACLE_RANGE] = SRC_ORACLE_LAST, [SRC_DOCKER] = -1, [SRC_GPU] = -1,
};

static bool curl_global_done;

static struct r1_node *job_node(struct r1_poller *p, const struct job *j)
{
    return j->node_idx == R1_FLEET_SCOPE ? NULL : &p->fleet->nodes[j->node_idx];
}

static struct r1_meta *job_meta(struct r1_poller *p, const struct job *j)
{
    return j->ops->meta ? j->ops->meta(p->fleet, job_node(p, j)) : NULL;
}

static void add_job(struct r1_poller *p, const struct r1_source_ops *ops, size_t node_idx)
{
    struct job *j = &p->jobs[p->n_jobs++];
    memset(j, 0, sizeof(*j));
    j->ops = ops;
    j->node_idx = node_idx;
    j->interval_s = p->cfg->interval_s[ops->id] > 0 ? p->cfg->interval_s[ops->id]
                                                    : ops->default_interval_s;
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
    p->multi = curl_multi_init();
    if (!p->multi) {
        fprintf(stderr, "r1top: libcurl could not create a multi handle\n");
        abort();
    }
    p->jobs = xcalloc(SRC_COUNT * (fleet->n_nodes + 1), sizeof(struct job));
    if (fleet->n_nodes > 0)
        add_job(p, source_get(SRC_ORACLE_EPOCH), R1_FLEET_SCOPE);
    for (size_t n = 0; n < fleet->n_nodes; n++)
        for (int s = 0; s < SRC_COUNT; s++) {
            const struct r1_source_ops *ops = source_get((enum r1_source_id)s);
            if (ops && ops->scope == R1_SCOPE_NODE)
                add_job(p, ops, n);
        }
    return p;
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
    if (j->in_flight) {
        j->in_flight = false;
        p->in_flight--;
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
    for (size_t i = 0; i < p->n_jobs; i++) {
        job_release(p, &p->jobs[i]);
        free(p->jobs[i].body.data);
    }
    free(p->jobs);
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
    return strncmp(j->req.url, "file:", 5) == 0 || j->req.url[0] == '/';
}

static void job_finish(struct r1_poller *p, struct job *j, int rc, const char *err)
{
    double now_mono = r1_mono();
    struct r1_meta *m = job_meta(p, j);
    double wall = r1_now();
    const char *src = j->req.url[0] ? j->req.url : j->ops->name;
    if (rc != 0 && is_local_file(j) && !j->quiet_retry_used) {
        j->quiet_retry_used = true;
        j->next_due = now_mono + R1_REREAD_S;
        return;
    }
    j->quiet_retry_used = rc != 0;
    j->attempted = true;
    if (rc == 0) {
        j->fails = 0;
        j->last_failed = false;
        /* Sampled sources stamp their own groups (a GPU read from the history file is as
         * old as that file, not as this sample). */
        if (m && !j->ops->sample)
            model_meta_ok(m, wall, src);
        j->next_due = now_mono + j->interval_s;
    } else {
        j->fails++;
        j->last_failed = true;
        double delay = retry_delay(j);
        char msg[R1_ERR_MAX];
        if (p->once)
            r1_strlcpy(msg, err && err[0] ? err : "failed", sizeof(msg));
        else
            snprintf(msg, sizeof(msg), "%s; retrying in %.0f s", err && err[0] ? err : "failed",
                     delay);
        if (m)
            model_meta_fail(m, wall, src, msg);
        j->next_due = now_mono + delay;
    }
}

static void apply_reply(struct r1_poller *p, struct job *j, const struct r1_reply *reply)
{
    char err[R1_ERR_MAX] = "";
    struct r1_source_ctx ctx = {.cfg = p->cfg, .fleet = p->fleet, .now = r1_now()};
    int rc = j->ops->apply(&ctx, job_node(p, j), reply, err);
    if (rc < 0 && !err[0])
        snprintf(err, sizeof(err), "%s: could not read the reply", j->ops->name);
    if (rc < 0 && strncmp(err, j->ops->name, strlen(j->ops->name)) != 0) {
        /* Parsers describe the document; say which source and where it came from. */
        char msg[R1_ERR_MAX + R1_URL_MAX];
        snprintf(msg, sizeof(msg), "%s: %.*s (%s)", j->ops->name, 120, err,
                 j->req.url[0] ? j->req.url : "?");
        r1_strlcpy(err, msg, sizeof(err));
    }
    job_finish(p, j, rc < 0 ? -1 : 0, err);
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

static int cmp_files(const void *a, const void *b)
{
    return strcmp(((const struct r1_file *)a)->name, ((const struct r1_file *)b)->name);
}

static void run_file_dir(struct r1_poller *p, struct job *j, const char *dir)
{
    char err[R1_ERR_MAX];
    DIR *d = opendir(dir);
    if (!d) {
        r1_err(err, "%s: cannot list %s: %s", j->ops->name, dir, strerror(errno));
        job_finish(p, j, -1, err);
        return;
    }
    struct r1_file *files = xcalloc(R1_DIR_MAX_FILES, sizeof(*files));
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < R1_DIR_MAX_FILES) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0 || de->d_name[0] == '.')
            continue;
        r1_strlcpy(files[n].name, de->d_name, sizeof(files[n].name));
        n++;
    }
    closedir(d);
    qsort(files, n, sizeof(*files), cmp_files);
    for (size_t i = 0; i < n; i++) {
        char path[R1_URL_MAX + 256];
        snprintf(path, sizeof(path), "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                 files[i].name);
        if (r1_read_file(path, p->cfg->max_body_bytes, &files[i].body, &files[i].len,
                         &files[i].mtime, files[i].error) < 0)
            files[i].body = NULL;
    }
    struct r1_reply reply = {.url = j->req.url, .body = "", .files = files, .n_files = n};
    apply_reply(p, j, &reply);
    for (size_t i = 0; i < n; i++)
        free(files[i].body);
    free(files);
}

static void run_file(struct r1_poller *p, struct job *j)
{
    char path[R1_URL_MAX], err[R1_ERR_MAX];
    if (file_url_path(j->req.url, path, sizeof(path)) < 0) {
        r1_err(err, "%s: cannot use '%s' (expected file:///absolute/path)", j->ops->name,
               j->req.url);
        job_finish(p, j, -1, err);
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
    if (r1_read_file(path, j->req.max_bytes, &buf, &len, &mtime, err) < 0) {
        char msg[R1_ERR_MAX + 32];
        snprintf(msg, sizeof(msg), "%s: %s", j->ops->name, err);
        job_finish(p, j, -1, msg);
        return;
    }
    struct r1_reply reply = {.url = j->req.url, .body = buf, .len = len, .mtime = mtime};
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
    int rc = demo_fetch(p->fleet, any, j->ops->id, r1_now(), &doc, err);
    if (rc == 1) {
        j->attempted = true;
        j->next_due = r1_mono() + j->interval_s;
    } else if (rc < 0) {
        job_finish(p, j, -1, err);
    } else {
        struct r1_reply reply = {.url = j->req.url, .body = doc.body ? doc.body : "",
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

static int start_curl(struct r1_poller *p, struct job *j, char *err)
{
    CURL *e = curl_easy_init();
    if (!e)
        return r1_err(err, "%s: libcurl could not start a transfer", j->ops->name);
    body_reset(&j->body, j->req.max_bytes);
    curl_easy_setopt(e, CURLOPT_URL, j->req.url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &j->body);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, j->req.timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, j->req.timeout_ms);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)j->req.max_bytes);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "r1top/" PACKAGE_VERSION);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_FILETIME, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,sftp");
#else
    curl_easy_setopt(e, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_SFTP);
#endif
    if (j->req.unix_socket[0])
        curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, j->req.unix_socket);
    if (curl_multi_add_handle(p->multi, e) != CURLM_OK) {
        curl_easy_cleanup(e);
        return r1_err(err, "%s: libcurl refused the transfer", j->ops->name);
    }
    j->easy = e;
    j->in_flight = true;
    j->started = r1_mono();
    p->in_flight++;
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

static void finish_curl(struct r1_poller *p, CURL *e, CURLcode code)
{
    struct job *j = NULL;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&j);
    if (!j)
        return;
    long http = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &http);
    curl_off_t ftime = -1;
    curl_easy_getinfo(e, CURLINFO_FILETIME_T, &ftime);
    char err[R1_ERR_MAX];
    const char *what = j->req.unix_socket[0] ? j->req.unix_socket : j->req.url;
    if (j->body.too_big || code == CURLE_FILESIZE_EXCEEDED) {
        r1_err(err, "%s: reply too large (over %zu KiB) from %s", j->ops->name,
               j->req.max_bytes / 1024, what);
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
        r1_err(err, "%s: timed out after %.0f s waiting for %s", j->ops->name,
               j->req.timeout_ms / 1000.0, what);
    } else if (code != CURLE_OK) {
        r1_err(err, "%s: %s (%s)", j->ops->name, curl_easy_strerror(code), what);
    } else if (http >= 400) {
        char detail[200];
        error_detail(&j->body, detail, sizeof(detail));
        r1_err(err, "%s: HTTP %ld from %s%s", j->ops->name, http, what, detail);
    } else {
        struct r1_reply reply = {.url = j->req.url, .body = j->body.data, .len = j->body.len,
                                 .http_code = http, .mtime = ftime > 0 ? (double)ftime : 0};
        job_release(p, j);
        apply_reply(p, j, &reply);
        return;
    }
    job_release(p, j);
    job_finish(p, j, -1, err);
}

/* ---- scheduling ----------------------------------------------------------------------- */

static bool dependency_pending(struct r1_poller *p, const struct job *j)
{
    int dep = depends_on[j->ops->id];
    if (dep < 0)
        return false;
    for (size_t i = 0; i < p->n_jobs; i++) {
        const struct job *o = &p->jobs[i];
        if (o->node_idx == j->node_idx && (int)o->ops->id == dep)
            return !o->attempted || o->in_flight;
    }
    return false;
}

static void start_job(struct r1_poller *p, struct job *j, double t)
{
    char err[R1_ERR_MAX] = "";
    struct r1_node *n = job_node(p, j);
    struct r1_source_ctx ctx = {.cfg = p->cfg, .fleet = p->fleet, .now = r1_now()};
    bool demo = n ? n->demo : p->fleet->demo;

    if (j->ops->sample) {
        int rc = j->ops->sample(&ctx, n, err);
        if (rc == 1) {
            j->attempted = true;
            j->next_due = t + j->interval_s;
        } else {
            job_finish(p, j, rc, err);
        }
        return;
    }

    memset(&j->req, 0, sizeof(j->req));
    j->req.max_bytes = p->cfg->max_body_bytes;
    j->req.timeout_ms = p->cfg->http_timeout_ms;
    int rc = j->ops->prepare(&ctx, n, &j->req, err);
    if (rc == 1) {
        /* Nothing to ask yet; count it as done so --once does not wait for it. */
        j->attempted = true;
        j->next_due = t + (j->interval_s < R1_RECHECK_S ? j->interval_s : R1_RECHECK_S);
        return;
    }
    if (rc < 0) {
        job_finish(p, j, -1, err);
        return;
    }
    size_t url_len = strlen(j->req.url);
    if (demo) {
        run_demo(p, j);
    } else if (is_local_file(j)) {
        run_file(p, j);
    } else if (url_len > 0 && j->req.url[url_len - 1] == '/') {
        /* Folder listings exist for file:// only; sftp:// listing comes with fleet mode. */
        r1_err(err, "%s: reading a folder over %.*s is not supported yet (only file://)",
               j->ops->name, (int)(strcspn(j->req.url, ":") + 3), j->req.url);
        job_finish(p, j, -1, err);
    } else if (start_curl(p, j, err) < 0) {
        job_finish(p, j, -1, err);
    }
}

int poller_start_due(struct r1_poller *p, double t)
{
    int started = 0;
    for (size_t i = 0; i < p->n_jobs; i++) {
        struct job *j = &p->jobs[i];
        if (j->in_flight || j->next_due > t || dependency_pending(p, j))
            continue;
        if (p->once && j->attempted)
            continue;
        start_job(p, j, t);
        started++;
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
        if (j->in_flight)
            continue;
        double d = j->next_due - t;
        if (dependency_pending(p, j))
            continue;
        if (d < best)
            best = d;
    }
    return best < 0 ? 0 : best;
}

int poller_wait(struct r1_poller *p, int extra_fd, int timeout_ms, bool *fd_ready)
{
    struct curl_waitfd wfd = {.fd = extra_fd, .events = CURL_WAIT_POLLIN, .revents = 0};
    int numfds = 0;
    *fd_ready = false;
    CURLMcode mc = curl_multi_poll(p->multi, extra_fd >= 0 ? &wfd : NULL, extra_fd >= 0 ? 1 : 0,
                                   timeout_ms, &numfds);
    if (mc != CURLM_OK)
        return -1;
    *fd_ready = extra_fd >= 0 && (wfd.revents & CURL_WAIT_POLLIN);
    return 0;
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
        if (!j->in_flight)
            continue;
        char err[R1_ERR_MAX];
        r1_err(err, "%s: %s (%s)", j->ops->name, why, j->req.url);
        job_release(p, j);
        job_finish(p, j, -1, err);
    }
}

void poller_set_once(struct r1_poller *p, bool once)
{
    p->once = once;
}

void poller_wakeup(struct r1_poller *p)
{
    curl_multi_wakeup(p->multi);
}
