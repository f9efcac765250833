/* node_files: parsers and sources for the node's status files (see node_files.h).
 * Everything a node writes is treated as hostile input: strings are sanitised, numbers are
 * range-checked, and a file caught mid-write keeps the previous values. */
#include "node_files.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "trust/eth.h"
#include "jsonutil.h"

#define NODE_FILES_ADMIN_PIPELINE "admin_pipeline"

/* ---- local_info.json (docs/protocol.md §4.2) ----------------------------------------------------
 * */

static int cmp_epoch_val(const void *a, const void *b)
{
    const struct r1_epoch_val *x = a, *y = b;
    return (x->epoch > y->epoch) - (x->epoch < y->epoch);
}

/* info.last_epochs is a dict with string epoch ids ("434": 255). Python dicts keep insertion
 * order but nothing promises it, so sort; keep the newest R1_LAST_EPOCHS_MAX. Entries that
 * are not an epoch id -> 0..255 pair are dropped rather than failing the whole file. */
static bool info_parse_last_epochs(const cJSON *dict, struct r1_node_info *t)
{
    if (!cJSON_IsObject(dict))
        return false;
    struct r1_epoch_val *all = NULL;
    size_t n = 0, cap = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, dict) {
        char *endp = NULL;
        if (it->string == NULL || it->string[0] == '\0')
            continue;
        errno = 0;
        long long ep = strtoll(it->string, &endp, 10);
        int64_t val;
        /* D18: an epoch id beyond R1_EPOCH_MAX (strtoll saturates at 2^63-1) is not one */
        if (*endp != '\0' || errno != 0 || ep < 0 || ep > R1_EPOCH_MAX ||
            !json_to_i64(it, &val) || val < 0 || val > 255)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            all = xrealloc(all, cap * sizeof(*all));
        }
        all[n].epoch = (int64_t)ep;
        all[n].avail_u8 = (uint8_t)val;
        n++;
    }
    if (n > 0)
        qsort(all, n, sizeof(*all), cmp_epoch_val);
    size_t keep = n < R1_LAST_EPOCHS_MAX ? n : R1_LAST_EPOCHS_MAX;
    /* Member by member: the scratch array's padding bytes were never written. */
    for (size_t i = 0; i < keep; i++) {
        t->last_epochs[i].epoch = all[n - keep + i].epoch;
        t->last_epochs[i].avail_u8 = all[n - keep + i].avail_u8;
    }
    t->n_last_epochs = (int)keep;
    free(all);
    return true;
}

int node_files_parse_info(const char *buf, size_t len, struct r1_node_info *out, char *err)
{
    char perr[R1_ERR_MAX];
    cJSON *root = json_parse(buf, len, perr);
    if (root == NULL)
        return r1_err(err, "local_info.json: %s", perr);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return r1_err(err, "local_info.json: expected a JSON object at the top level");
    }
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(root, "info");
    if (cJSON_GetObjectItemCaseSensitive(root, "address") == NULL && info == NULL) {
        cJSON_Delete(root);
        return r1_err(err, "local_info.json: neither \"address\" nor \"info\" is present; "
                           "is the status URL pointing at the node's _data folder?");
    }

    /* Fill a copy: only a fully parsed file replaces what is shown. Valid bits restart from
     * zero because a field that turned null (epoch manager restarting) is unknown now. */
    struct r1_node_info t;
    memset(&t, 0, sizeof(t));
    t.meta = out->meta;
    t.meta.valid &= UINT64_C(1) << INFO_MTIME;
    t.file_mtime = out->file_mtime;

    if (json_get_str(root, "address", t.address, sizeof(t.address)))
        R1_MARK(&t, INFO_ADDRESS);
    if (json_get_str(root, "alias", t.alias, sizeof(t.alias)))
        R1_MARK(&t, INFO_ALIAS);
    if (json_get_str(root, "eth_address", t.eth_address, sizeof(t.eth_address)))
        R1_MARK(&t, INFO_ETH);
    if (json_get_str(root, "version_long", t.version, sizeof(t.version)) ||
        json_get_str(root, "version_short", t.version, sizeof(t.version)))
        R1_MARK(&t, INFO_VERSION);

    if (cJSON_IsObject(info)) {
        double d;
        const cJSON *it;
        if (json_get_i64(info, "current_epoch", &t.current_epoch) && t.current_epoch >= 0 &&
            t.current_epoch <= R1_EPOCH_MAX)
            R1_MARK(&t, INFO_CUR_EPOCH);
        if (json_get_num(info, "current_epoch_avail", &d) && d >= 0.0 && d <= 1.0) {
            t.current_epoch_avail = d;
            R1_MARK(&t, INFO_CUR_AVAIL);
        }
        if (info_parse_last_epochs(cJSON_GetObjectItemCaseSensitive(info, "last_epochs"), &t))
            R1_MARK(&t, INFO_LAST_EPOCHS);
        if (json_get_str(info, "evm_network", t.evm_network, sizeof(t.evm_network)))
            R1_MARK(&t, INFO_NETWORK);
        it = cJSON_GetObjectItemCaseSensitive(info, "whitelist");
        if (cJSON_IsArray(it)) {
            t.whitelist_n = cJSON_GetArraySize(it);
            R1_MARK(&t, INFO_WHITELIST);
        }
        if (json_get_bool(info, "r1fs_online", &t.r1fs_online))
            R1_MARK(&t, INFO_R1FS);
        /* The doc shows "<timestamp>" without saying string or number: accept both. */
        it = cJSON_GetObjectItemCaseSensitive(info, "comm_last_active");
        if (cJSON_IsString(it)) {
            r1_sanitize(t.comm_last_active, sizeof(t.comm_last_active), it->valuestring);
            R1_MARK(&t, INFO_COMM_ACTIVE);
        } else if (json_to_num(it, &d)) {
            snprintf(t.comm_last_active, sizeof(t.comm_last_active), "%.3f", d);
            R1_MARK(&t, INFO_COMM_ACTIVE);
        }
    }
    cJSON_Delete(root);
    *out = t;
    return 0;
}

/* ---- local_history.json (docs/protocol.md §4.3) --------------------------------- */

/* A series is the tail of a parallel array; -1 (and anything not a finite number) is an
 * unknown point, drawn as a gap. Returns false when the key is not an array. */
static bool hist_parse_series(const cJSON *root, const char *key, struct r1_series *s)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, key);
    memset(s, 0, sizeof(*s));
    if (!cJSON_IsArray(arr))
        return false;
    int n = cJSON_GetArraySize(arr);
    int skip = n > R1_HIST_MAX ? n - R1_HIST_MAX : 0;
    int i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        if (i++ < skip)
            continue;
        double d;
        if (cJSON_IsNumber(it) && json_to_num(it, &d) && d >= 0.0 && d < 3.0e38)
            s->v[s->n++] = (float)d;
        else
            s->v[s->n++] = NAN;
    }
    return true;
}

/* last_epochs here is a plain list of the last values (no epoch ids). One bad element makes
 * the positions meaningless, so the whole list is refused rather than shifted. */
static bool hist_parse_last_epochs(const cJSON *arr, struct r1_node_history *t)
{
    if (!cJSON_IsArray(arr))
        return false;
    int n = cJSON_GetArraySize(arr);
    int skip = n > R1_LAST_EPOCHS_MAX ? n - R1_LAST_EPOCHS_MAX : 0;
    int i = 0, k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        int64_t v;
        if (!cJSON_IsNumber(it) || !json_to_i64(it, &v) || v < 0 || v > 255)
            return false;
        if (i++ < skip)
            continue;
        t->last_epochs_u8[k++] = (uint8_t)v;
    }
    t->n_last_epochs = k;
    return true;
}

int node_files_parse_history(const char *buf, size_t len, struct r1_node_history *out, char *err)
{
    static const char *const known[] = {"uptime", "version", "last_epochs", "cpu_load",
                                        "last_save_time", "total_memory", NULL};
    char perr[R1_ERR_MAX];
    cJSON *root = json_parse(buf, len, perr);
    if (root == NULL)
        return r1_err(err, "local_history.json: %s", perr);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return r1_err(err, "local_history.json: expected a JSON object at the top level");
    }
    bool any = false;
    for (size_t i = 0; known[i] != NULL; i++)
        any = any || cJSON_GetObjectItemCaseSensitive(root, known[i]) != NULL;
    if (!any) {
        cJSON_Delete(root);
        return r1_err(err, "local_history.json: none of uptime, version, last_epochs, cpu_load "
                           "is present; is the status URL pointing at the node's _data folder?");
    }

    struct r1_node_history t;
    memset(&t, 0, sizeof(t));
    t.meta = out->meta;
    t.meta.valid &= UINT64_C(1) << HIST_MTIME;
    t.file_mtime = out->file_mtime;

    char tmp[64];
    double d;
    /* "HH:MM:SS" with unbounded hours: "123:04:05" is five days, not an error. */
    if (json_get_str(root, "uptime", tmp, sizeof(tmp)) && r1_parse_elapsed(tmp, &t.uptime_s) == 0)
        R1_MARK(&t, HIST_UPTIME);
    if (json_get_str(root, "version", t.version, sizeof(t.version)))
        R1_MARK(&t, HIST_VERSION);
    if (hist_parse_last_epochs(cJSON_GetObjectItemCaseSensitive(root, "last_epochs"), &t))
        R1_MARK(&t, HIST_LAST_EPOCHS);

    bool cpu = hist_parse_series(root, "cpu_load", &t.cpu_load_pct);
    cpu = hist_parse_series(root, "cpu_temp", &t.cpu_temp_c) || cpu;
    if (cpu)
        R1_MARK(&t, HIST_CPU);
    bool mem = hist_parse_series(root, "total_memory", &t.mem_total_gb);
    mem = hist_parse_series(root, "occupied_memory", &t.mem_occupied_gb) || mem;
    if (mem)
        R1_MARK(&t, HIST_MEM);
    bool gpu = hist_parse_series(root, "gpu_load", &t.gpu_load_pct);
    gpu = hist_parse_series(root, "gpu_temp", &t.gpu_temp_c) || gpu;
    gpu = hist_parse_series(root, "gpu_occupied_memory", &t.gpu_mem_occupied_gb) || gpu;
    gpu = hist_parse_series(root, "gpu_total_memory", &t.gpu_mem_total_gb) || gpu;
    if (gpu)
        R1_MARK(&t, HIST_GPU);

    /* The notes do not fix its type: a unix time as a number, or a UTC date string. */
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "last_save_time");
    if (cJSON_IsNumber(st) && json_to_num(st, &d) && d >= 0.0) {
        t.last_save_time = d;
        R1_MARK(&t, HIST_SAVE_TIME);
    } else if (cJSON_IsString(st) && (r1_parse_utc(st->valuestring, &d) == 0 ||
                                      json_to_num(st, &d))) {
        t.last_save_time = d;
        R1_MARK(&t, HIST_SAVE_TIME);
    }
    cJSON_Delete(root);
    *out = t;
    return 0;
}

/* ---- streams/<NAME>.json (docs/protocol.md §4.4) ------------------------------------------------
 * */

/* "myapp.json" -> "myapp", sanitised and cut exactly as a parsed NAME would be, so a file that
 * fails to parse can be matched to its pipeline's previous rows. */
static void stream_file_stem(const char *file_name, char *dst, size_t dst_size)
{
    char stem[256];
    const char *base = strrchr(file_name, '/');
    base = base ? base + 1 : file_name;
    r1_strlcpy(stem, base, sizeof(stem));
    size_t n = strlen(stem);
    if (n > 5 && strcmp(stem + n - 5, ".json") == 0)
        stem[n - 5] = '\0';
    r1_sanitize(dst, dst_size, stem);
}

static struct r1_instance *stream_push_row(struct r1_workloads *acc, size_t *cap)
{
    if (acc->n_rows == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        acc->rows = xrealloc(acc->rows, *cap * sizeof(*acc->rows));
    }
    return &acc->rows[acc->n_rows++];
}

/* The plugins the node itself puts in its admin pipeline (docs/protocol.md, workloads: admin
 * pipeline plugins), the supervisor-only ones included. */
static const char *const admin_signatures[] = {
    "UPDATE_MONITOR_01",   "NET_MON_01",     "NET_CONFIG_MONITOR", "CSTORE_MANAGER_API",
    "R1FS_MANAGER_API",    "CHAIN_DIST_MONITOR", "ORACLE_API",     "DAUTH_MANAGER",
    "DEEPLOY_MANAGER_API", "ORACLE_SYNC_01", "LIVENESS_API",       "TUNNELS_MANAGER",
    "NAEURAL_RELEASE_APP",
};

static bool is_admin_signature(const char *sig)
{
    for (size_t i = 0; i < R1_ARRAY_LEN(admin_signatures); i++)
        if (strcmp(sig, admin_signatures[i]) == 0)
            return true;
    return false;
}

/* D11: only the node's own admin pipeline is hidden, and a name is not enough to tell it:
 * anything called admin_pipeline used to vanish, a deeployed container on port 4444 with it.
 * The real one is the file admin_pipeline.json, whose NAME is admin_pipeline, which is not
 * deeployed, and whose every plugin is an admin plugin with the instance id
 * "<SIGNATURE>_INST" the node gives it (docs/protocol.md, workloads: admin pipeline). Anything
 * else is shown: a future admin plugin would make the admin pipeline appear, which is the
 * harmless way to be wrong. */
static bool stream_is_admin_pipeline(const char *stem, const cJSON *root)
{
    char name[R1_NAME_MAX] = "";
    bool deeployed = false;
    if (strcmp(stem, NODE_FILES_ADMIN_PIPELINE) != 0 ||
        !json_get_str(root, "NAME", name, sizeof(name)) ||
        strcmp(name, NODE_FILES_ADMIN_PIPELINE) != 0 ||
        (json_get_bool(root, "IS_DEEPLOYED", &deeployed) && deeployed) ||
        cJSON_GetObjectItemCaseSensitive(root, "DEEPLOY_SPECS") != NULL)
        return false;
    const cJSON *plugins = cJSON_GetObjectItemCaseSensitive(root, "PLUGINS");
    if (!cJSON_IsArray(plugins))
        return false;
    const cJSON *plugin;
    cJSON_ArrayForEach(plugin, plugins) {
        const cJSON *sig = cJSON_GetObjectItemCaseSensitive(plugin, "SIGNATURE");
        const cJSON *insts = cJSON_GetObjectItemCaseSensitive(plugin, "INSTANCES");
        if (!cJSON_IsObject(plugin) || !cJSON_IsString(sig) ||
            !is_admin_signature(sig->valuestring) || !cJSON_IsArray(insts))
            return false;
        char want[64];
        snprintf(want, sizeof(want), "%s_INST", sig->valuestring);
        const cJSON *inst;
        cJSON_ArrayForEach(inst, insts) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(inst, "INSTANCE_ID");
            if (!cJSON_IsObject(inst) || !cJSON_IsString(id) || strcmp(id->valuestring, want) != 0)
                return false;
        }
    }
    return true;
}

int node_files_parse_stream(const char *file_name, const char *buf, size_t len,
                            struct r1_workloads *acc, char *err)
{
    char stem[R1_NAME_MAX];
    stream_file_stem(file_name ? file_name : "", stem, sizeof(stem));

    char perr[R1_ERR_MAX];
    cJSON *root = json_parse(buf, len, perr);
    if (root == NULL)
        return r1_err(err, "pipeline file %s: %s", stem, perr);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return r1_err(err, "pipeline file %s: expected a JSON object at the top level", stem);
    }

    /* The pipeline-level fields every row of this file shares. Only these keys are read:
     * the rest of the file (instance configs, ENV, tokens) may hold secrets. */
    if (stream_is_admin_pipeline(stem, root)) {
        cJSON_Delete(root);
        return 1;
    }
    struct r1_instance base;
    memset(&base, 0, sizeof(base));
    if (!json_get_str(root, "NAME", base.pipeline, sizeof(base.pipeline)) || !base.pipeline[0])
        r1_strlcpy(base.pipeline, stem, sizeof(base.pipeline));
    json_get_str(root, "TYPE", base.pipeline_type, sizeof(base.pipeline_type));
    json_get_str(root, "APP_ALIAS", base.app_alias, sizeof(base.app_alias));
    json_get_bool(root, "IS_DEEPLOYED", &base.is_deeployed);
    base.job_id = -1;
    const cJSON *specs = cJSON_GetObjectItemCaseSensitive(root, "DEEPLOY_SPECS");
    int64_t job;
    if (cJSON_IsObject(specs) && json_get_i64(specs, "job_id", &job) && job >= 0)
        base.job_id = job;
    json_get_str(root, "LAST_UPDATE_TIME", base.last_update, sizeof(base.last_update));
    base.port = -1;

    size_t cap = acc->n_rows, first = acc->n_rows;
    const cJSON *plugins = cJSON_GetObjectItemCaseSensitive(root, "PLUGINS");
    const cJSON *plugin;
    if (!cJSON_IsArray(plugins))
        plugins = NULL;
    cJSON_ArrayForEach(plugin, plugins) {
        if (!cJSON_IsObject(plugin))
            continue;
        char sig[sizeof(base.signature)] = "";
        json_get_str(plugin, "SIGNATURE", sig, sizeof(sig));
        const cJSON *insts = cJSON_GetObjectItemCaseSensitive(plugin, "INSTANCES");
        const cJSON *inst;
        if (!cJSON_IsArray(insts))
            insts = NULL;
        cJSON_ArrayForEach(inst, insts) {
            if (!cJSON_IsObject(inst))
                continue;
            struct r1_instance *row = stream_push_row(acc, &cap);
            *row = base;
            r1_strlcpy(row->signature, sig, sizeof(row->signature));
            json_get_str(inst, "INSTANCE_ID", row->instance_id, sizeof(row->instance_id));
            json_get_str(inst, "IMAGE", row->image, sizeof(row->image));
            int64_t port;
            if (json_get_i64(inst, "PORT", &port) && port > 0 && port <= 65535)
                row->port = (int)port;
        }
    }
    /* A configured pipeline with no instances is still a workload the operator set up. */
    if (acc->n_rows == first)
        *stream_push_row(acc, &cap) = base;
    acc->n_pipelines++;
    cJSON_Delete(root);
    return 0;
}

static int cmp_instance(const void *a, const void *b)
{
    const struct r1_instance *x = a, *y = b;
    int c = strcmp(x->pipeline, y->pipeline);
    if (c == 0)
        c = strcmp(x->instance_id, y->instance_id);
    if (c == 0)
        c = strcmp(x->signature, y->signature);
    return c;
}

void node_files_sort_rows(struct r1_workloads *w)
{
    if (w->n_rows > 1)
        qsort(w->rows, w->n_rows, sizeof(*w->rows), cmp_instance);
}

/* ---- sources ----------------------------------------------------------------------------- */

static int node_files_url(const struct r1_source_ctx *ctx, const struct r1_node *node,
                          const char *leaf, struct r1_request *req, char *err)
{
    const char *dir = node->status_dir_url;
    if (dir[0] == '\0')
        return 1;
    size_t n = strlen(dir);
    const char *sep = dir[n - 1] == '/' ? "" : "/";
    int w = snprintf(req->url, sizeof(req->url), "%s%s%s", dir, sep, leaf);
    if (w < 0 || (size_t)w >= sizeof(req->url))
        return r1_err(err, "%s: status folder URL is too long (%zu bytes, at most %zu)", leaf, n,
                      sizeof(req->url) - strlen(leaf) - 2);
    if (ctx != NULL && ctx->cfg != NULL) {
        req->max_bytes = ctx->cfg->max_body_bytes;
        req->timeout_ms = ctx->cfg->http_timeout_ms;
    }
    return 0;
}

static int info_prepare(const struct r1_source_ctx *ctx, struct r1_node *node,
                        struct r1_request *req, char *err)
{
    return node_files_url(ctx, node, "local_info.json", req, err);
}

/* D2: a status file about another node is refused, never stored: its addresses must be the
 * configured ones (when configured), and its ETH address must derive from its 0xai address.
 * Otherwise a copied or wrong folder would give this node another node's identity, and the
 * oracle replies bound to it. */
static int info_check_identity(const struct r1_node *node, const struct r1_node_info *in,
                               char *err)
{
    bool has_addr = R1_VALID(in, INFO_ADDRESS) && in->address[0];
    bool has_eth = R1_VALID(in, INFO_ETH) && in->eth_address[0];
    char derived[ETH_ADDR_BUF];
    if (has_addr && has_eth &&
        (eth_node_addr_to_eth(in->address, derived) != 0 ||
         strcasecmp(derived, in->eth_address) != 0))
        return r1_err(err, "local_info.json's address %s and ETH address %s are not the same "
                           "key: not used", in->address, in->eth_address);
    if (has_addr && node->addr_cfg[0] && !eth_node_addr_equal(in->address, node->addr_cfg))
        return r1_err(err, "local_info.json is about %s, not this node (%s): not used",
                      in->address, node->addr_cfg);
    if (has_eth && node->eth_cfg[0] && strcasecmp(in->eth_address, node->eth_cfg) != 0)
        return r1_err(err, "local_info.json is about %s, not this node (%s): not used",
                      in->eth_address, node->eth_cfg);
    return 0;
}

static int info_apply(const struct r1_source_ctx *ctx, struct r1_node *node,
                      const struct r1_reply *reply, char *err)
{
    struct r1_node_info fresh = node->info;
    if (node_files_parse_info(reply->body, reply->len, &fresh, err) < 0)
        return -1;
    if (info_check_identity(node, &fresh, err) < 0)
        return R1_APPLY_REFUSED;
    node->info = fresh;
    /* The node rewrites this file every 10 s: its mtime is the liveness signal. */
    if (reply->mtime > 0) {
        node->info.file_mtime = reply->mtime;
        R1_MARK(&node->info, INFO_MTIME);
    }
    return 0;
}

static struct r1_meta *info_meta(struct r1_fleet *f, struct r1_node *node)
{
    return node ? &node->info.meta : NULL;
}

static int history_prepare(const struct r1_source_ctx *ctx, struct r1_node *node,
                           struct r1_request *req, char *err)
{
    return node_files_url(ctx, node, "local_history.json", req, err);
}

static int history_apply(const struct r1_source_ctx *ctx, struct r1_node *node,
                         const struct r1_reply *reply, char *err)
{
    if (node_files_parse_history(reply->body, reply->len, &node->hist, err) < 0)
        return -1;
    if (reply->mtime > 0) {
        node->hist.file_mtime = reply->mtime;
        R1_MARK(&node->hist, HIST_MTIME);
    }
    return 0;
}

static struct r1_meta *history_meta(struct r1_fleet *f, struct r1_node *node)
{
    return node ? &node->hist.meta : NULL;
}

static int streams_prepare(const struct r1_source_ctx *ctx, struct r1_node *node,
                           struct r1_request *req, char *err)
{
    /* A URL ending in '/' asks the poller for every *.json in the folder (source.h). */
    return node_files_url(ctx, node, "box_configuration/streams/", req, err);
}

/* Copy the rows a pipeline had last round: a pipeline file caught mid-write should not make
 * its workload blink out of the list. Returns how many rows were copied. */
static size_t streams_keep_previous(const struct r1_workloads *old, const char *pipeline,
                                    struct r1_workloads *fresh, size_t *cap)
{
    size_t kept = 0;
    for (size_t i = 0; i < old->n_rows; i++) {
        if (strcmp(old->rows[i].pipeline, pipeline) != 0)
            continue;
        *stream_push_row(fresh, cap) = old->rows[i];
        kept++;
    }
    return kept;
}

static int streams_apply(const struct r1_source_ctx *ctx, struct r1_node *node,
                         const struct r1_reply *reply, char *err)
{
    struct r1_workloads fresh;
    memset(&fresh, 0, sizeof(fresh));
    int listed = 0;
    for (size_t i = 0; i < reply->n_files; i++) {
        const struct r1_file *f = &reply->files[i];
        size_t nlen = strlen(f->name);
        if (nlen < 5 || strcmp(f->name + nlen - 5, ".json") != 0)
            continue;
        listed++;
        int rc = -1;
        char ferr[R1_ERR_MAX] = "";
        if (f->body != NULL) {
            fresh.n_files_read++;
            rc = node_files_parse_stream(f->name, f->body, f->len, &fresh, ferr);
        } else {
            r1_strlcpy(ferr, f->error[0] ? f->error : "not read", sizeof(ferr));
        }
        if (rc >= 0)
            continue;
        /* the first reason is kept (a file over the size cap says so); the count says how many */
        if (!fresh.file_error[0])
            r1_sanitize(fresh.file_error, sizeof(fresh.file_error), ferr);
        char stem[R1_NAME_MAX];
        stream_file_stem(f->name, stem, sizeof(stem));
        size_t cap = fresh.n_rows;
        if (streams_keep_previous(&node->work, stem, &fresh, &cap) > 0)
            fresh.n_pipelines++;
        fresh.n_unreadable++;
    }
    /* D8: the folder may hold more than was listed (a cap): say how many, never hide it */
    fresh.n_files_total = reply->n_files_total > (size_t)listed
                              ? (reply->n_files_total > INT32_MAX ? INT32_MAX
                                                                  : (int)reply->n_files_total)
                              : listed;
    node_files_sort_rows(&fresh);
    free(node->work.rows);
    node->work.rows = fresh.rows;
    node->work.n_rows = fresh.n_rows;
    node->work.n_pipelines = fresh.n_pipelines;
    node->work.n_unreadable = fresh.n_unreadable;
    node->work.n_files_total = fresh.n_files_total;
    node->work.n_files_read = fresh.n_files_read;
    r1_strlcpy(node->work.file_error, fresh.file_error, sizeof(node->work.file_error));
    R1_MARK(&node->work, WORK_LIST);
    return 0;
}

static struct r1_meta *streams_meta(struct r1_fleet *f, struct r1_node *node)
{
    return node ? &node->work.meta : NULL;
}

const struct r1_source_ops source_node_info = {
    .id = SRC_NODE_INFO,
    .name = "node_info",
    .label = "status file",
    .config_help = "local_info.json, the node's own status (the node rewrites it every 10 s).",
    .scope = R1_SCOPE_NODE,
    .default_interval_s = 10.0,
    .prepare = info_prepare,
    .apply = info_apply,
    .sample = NULL,
    .meta = info_meta,
};

const struct r1_source_ops source_node_history = {
    .id = SRC_NODE_HISTORY,
    .name = "node_history",
    .label = "history file",
    .config_help = "local_history.json, resource history (the node rewrites it every 5 minutes).",
    .scope = R1_SCOPE_NODE,
    .default_interval_s = 300.0,
    .prepare = history_prepare,
    .apply = history_apply,
    .sample = NULL,
    .meta = history_meta,
};

const struct r1_source_ops source_streams = {
    .id = SRC_STREAMS,
    .name = "streams",
    .label = "pipeline files",
    .config_help = "The node's pipelines (box_configuration/streams/).",
    .scope = R1_SCOPE_NODE,
    .default_interval_s = 30.0,
    .prepare = streams_prepare,
    .apply = streams_apply,
    .sample = NULL,
    .meta = streams_meta,
};
