/* gpu: backend choice and the sampled GPU source. NVML only describes *this* host, so it is
 * used for nodes whose status files are local (file://); a node reached over ssh:// gets every
 * GPU of its host from nvidia-smi there; other remote nodes fall back to the first-GPU figures
 * in their local_history.json. */
#include "gpu.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/demo.h"
#include "sources/nvml.h"
#include "sources/source.h"
#include "transport_ssh.h"

/* nvidia-smi over SSH is a process on the node host and one here: at most this often,
 * whatever refresh.gpu says (2 s suits NVML's in-process read, not a remote command). */
#define GPU_SSH_MIN_INTERVAL_S 10.0

static bool demo_usable(const struct r1_node *n)
{
    return n->demo;
}

static int demo_sample(struct r1_node *n, double now, char *err)
{
    return demo_gpu_sample(n, now, err);
}

static bool nvml_usable(const struct r1_node *n)
{
    char err[R1_ERR_MAX];
    bool local = strncmp(n->status_dir_url, "file:", 5) == 0 || n->status_dir_url[0] == '/' ||
                 (n->docker_socket[0] && !transport_ssh_is_url(n->status_dir_url));
    return local && nvml_open(err) == 0;
}

/* ---- nvidia-smi over SSH ------------------------------------------------------------------- */

/* A node reached over ssh:// is on another host: NVML here would describe the wrong GPUs. */
static bool ssh_usable(const struct r1_node *n)
{
    return transport_ssh_is_url(n->status_dir_url);
}

static int ssh_fetch_url(const struct r1_node *n, double now, char *url, size_t url_size, char *err)
{
    if (n->gpu_meta.updated_at > 0 && now - n->gpu_meta.updated_at < GPU_SSH_MIN_INTERVAL_S &&
        now >= n->gpu_meta.updated_at)
        return 1;
    if (transport_ssh_command_url(n->status_dir_url, "nvidia-smi", url, url_size) < 0)
        return r1_err(err, "gpu: the status URL is too long for the nvidia-smi request");
    return 0;
}

struct smi_gpu {
    char name[R1_NAME_MAX];
    double util_pct, mem_used_bytes, mem_total_bytes, temp_c, power_mw;
    unsigned valid;   /* bits of enum r1_gpu_field */
};

/* One CSV cell as a number in [lo, hi]; "[N/A]", "[Not Supported]" and the rest are not. */
static bool smi_num(const char *s, size_t len, double lo, double hi, double *out)
{
    char tmp[32];
    while (len > 0 && isspace((unsigned char)*s))
        s++, len--;
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    if (len == 0 || len >= sizeof(tmp))
        return false;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    char *end = NULL;
    double v = strtod(tmp, &end);
    if (*end != '\0' || !isfinite(v) || v < lo || v > hi || !(isdigit((unsigned char)tmp[0])))
        return false;
    *out = v;
    return true;
}

/* index, name, util, mem used, mem total, temp, power: the name is everything between the
 * first comma and the fifth from the end (a name may hold a comma; nvidia-smi does not quote). */
static int smi_line(const char *s, size_t len, struct smi_gpu *g, char *err)
{
    const char *comma[64];
    size_t nc = 0;
    for (size_t i = 0; i < len && nc < R1_ARRAY_LEN(comma); i++)
        if (s[i] == ',')
            comma[nc++] = s + i;
    if (nc < 6)
        return r1_err(err, "nvidia-smi: a line has %zu columns, not 7", nc + 1);
    const char *c[7], *e[7];   /* column k runs from c[k] to e[k] */
    c[0] = s;
    e[0] = comma[0];
    c[1] = comma[0] + 1;
    e[1] = comma[nc - 5];
    for (size_t k = 2; k < 7; k++) {
        c[k] = comma[nc - 7 + k] + 1;
        e[k] = k < 6 ? comma[nc - 6 + k] : s + len;
    }
    double idx, used, total, v;
    memset(g, 0, sizeof(*g));
    if (!smi_num(c[0], (size_t)(e[0] - c[0]), 0, 1024, &idx))
        return r1_err(err, "nvidia-smi: a line does not start with a GPU index");
    char name[R1_NAME_MAX * 2];
    size_t nlen = (size_t)(e[1] - c[1]);
    while (nlen > 0 && c[1][0] == ' ')
        c[1]++, nlen--;
    snprintf(name, sizeof(name), "%.*s", (int)(nlen > 120 ? 120 : nlen), c[1]);
    if (name[0] && name[0] != '[') {
        r1_sanitize(g->name, sizeof(g->name), name);
        g->valid |= 1u << GPU_NAME;
    }
    if (smi_num(c[2], (size_t)(e[2] - c[2]), 0, 100, &v)) {
        g->util_pct = v;
        g->valid |= 1u << GPU_UTIL;
    }
    /* MiB, and 1 PiB is no GPU's memory */
    if (smi_num(c[3], (size_t)(e[3] - c[3]), 0, 1e9, &used) &&
        smi_num(c[4], (size_t)(e[4] - c[4]), 1, 1e9, &total) && used <= total) {
        g->mem_used_bytes = used * 1048576.0;
        g->mem_total_bytes = total * 1048576.0;
        g->valid |= 1u << GPU_MEM;
    }
    if (smi_num(c[5], (size_t)(e[5] - c[5]), 0, 200, &v)) {
        g->temp_c = v;
        g->valid |= 1u << GPU_TEMP;
    }
    if (smi_num(c[6], (size_t)(e[6] - c[6]), 0, 10000, &v)) {
        g->power_mw = v * 1000.0;
        g->valid |= 1u << GPU_POWER;
    }
    return 0;
}

int gpu_parse_nvidia_smi(const char *buf, size_t len, struct r1_gpu *gpus, int max, int *n,
                         double now, char *err)
{
    struct smi_gpu got[R1_GPU_MAX];
    int count = 0;
    size_t tl = strlen(TRANSPORT_SSH_NO_NVIDIA_SMI);
    if (len >= tl && memcmp(buf, TRANSPORT_SSH_NO_NVIDIA_SMI, tl) == 0) {
        *n = 0;
        return 0;
    }
    /* Fill a copy: only a reply whose every line parsed replaces what is shown. */
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(buf + i, '\n', len - i);
        size_t l = nl ? (size_t)(nl - buf) - i : len - i;
        const char *line = buf + i;
        i += l + 1;
        if (l > 0 && line[l - 1] == '\r')
            l--;
        if (l == 0)
            continue;
        if (l > 512 || memchr(line, '\0', l))
            return r1_err(err, "nvidia-smi: a line is not text");
        if (count >= max || count >= R1_GPU_MAX)
            continue;   /* more GPUs than r1top shows: the first ones, by index */
        if (smi_line(line, l, &got[count], err) < 0)
            return -1;
        count++;
    }
    for (int k = 0; k < count; k++) {
        struct r1_gpu *g = &gpus[k];
        g->meta.valid = got[k].valid;
        r1_strlcpy(g->name, got[k].name, sizeof(g->name));
        g->util_pct = got[k].util_pct;
        g->mem_used_bytes = got[k].mem_used_bytes;
        g->mem_total_bytes = got[k].mem_total_bytes;
        g->temp_c = got[k].temp_c;
        g->power_mw = got[k].power_mw;
        model_series_push(&g->util_hist, R1_VALID(g, GPU_UTIL) ? (float)g->util_pct : NAN);
        model_series_push(&g->mem_hist_pct,
                          R1_VALID(g, GPU_MEM)
                              ? (float)(100.0 * g->mem_used_bytes / g->mem_total_bytes)
                              : NAN);
        model_meta_ok(&g->meta, now);
    }
    *n = count;
    return 0;
}

static int nvml_backend_sample(struct r1_node *n, double now, char *err)
{
    int count = 0;
    n->gpu_meta.fed_by = SRC_GPU + 1;
    if (nvml_sample(n->gpus, R1_GPU_MAX, &count, now, err) < 0)
        return -1;
    n->n_gpus = count;
    /* "NVML answered: no GPUs" is a reading too, and the source did run */
    model_meta_ok(&n->gpu_meta, now);
    return count > 0 ? 0 : 1;
}

/* GB as the node wrote it (3 decimals), not float's binary noise, before scaling to bytes. */
static double gb_to_bytes(float gb)
{
    return round((double)gb * 1000.0) / 1000.0 * 1073741824.0;
}

static bool history_usable(const struct r1_node *n)
{
    return n->status_dir_url[0] != '\0';
}

static float last_point(const struct r1_series *s)
{
    return s->n > 0 ? s->v[s->n - 1] : NAN;
}

static bool series_any_known(const struct r1_series *s)
{
    for (int i = 0; i < s->n; i++)
        if (!isnan(s->v[i]))
            return true;
    return false;
}

/* local_history.json keeps parallel arrays for GPU 0. A node without a GPU writes them all
 * null (older nodes -1 throughout); one unknown sample (-1 or null, docs/protocol.md §4.3: a
 * sample nvidia-smi did not give) is that figure unknown, not the GPU gone (D10). So the
 * GPU exists when any point of any GPU series is known, and each figure is its series' last
 * point, n/a when that point is unknown. */
static bool history_has_gpu(const struct r1_node_history *h)
{
    return R1_VALID(h, HIST_GPU) &&
           (series_any_known(&h->gpu_load_pct) || series_any_known(&h->gpu_temp_c) ||
            series_any_known(&h->gpu_mem_occupied_gb) || series_any_known(&h->gpu_mem_total_gb));
}

static int history_sample(struct r1_node *n, double now, char *err)
{
    const struct r1_node_history *h = &n->hist;
    (void)err;
    if (!history_has_gpu(h)) {
        n->n_gpus = 0;
        /* the history file says "no GPU": as fresh as that file */
        if (h->meta.updated_at > 0) {
            n->gpu_meta.updated_at = h->meta.updated_at;
            n->gpu_meta.fed_by = SRC_NODE_HISTORY + 1;
        }
        return 1;
    }
    struct r1_gpu *g = &n->gpus[0];
    g->meta.valid = 0;
    float load = last_point(&h->gpu_load_pct);
    if (!isnan(load)) {
        g->util_pct = load;
        R1_MARK(g, GPU_UTIL);
    }
    float used = last_point(&h->gpu_mem_occupied_gb), total = last_point(&h->gpu_mem_total_gb);
    if (!isnan(used) && !isnan(total) && total > 0) {
        g->mem_used_bytes = gb_to_bytes(used);
        g->mem_total_bytes = gb_to_bytes(total);
        R1_MARK(g, GPU_MEM);
    }
    float temp = last_point(&h->gpu_temp_c);
    if (!isnan(temp)) {
        g->temp_c = temp;
        R1_MARK(g, GPU_TEMP);
    }
    /* The history file has no GPU name; the oracle's view of the node does (resources). */
    const struct r1_oracle_node *o = R1_VALID(&n->orc, ORC_GPU_NAME) ? &n->orc
                                     : R1_VALID(&n->range, ORC_GPU_NAME) ? &n->range
                                                                         : NULL;
    if (o) {
        r1_strlcpy(g->name, o->gpu_name, sizeof(g->name));
        R1_MARK(g, GPU_NAME);
    }
    /* The history file already is a series: show it (unknown points as gaps) rather than
     * re-sampling one point. */
    g->util_hist = h->gpu_load_pct;
    g->mem_hist_pct.n = 0;
    for (int i = 0; i < h->gpu_mem_occupied_gb.n && i < h->gpu_mem_total_gb.n; i++) {
        float t = h->gpu_mem_total_gb.v[i];
        model_series_push(&g->mem_hist_pct,
                          t > 0 ? 100.0f * h->gpu_mem_occupied_gb.v[i] / t : NAN);
    }
    /* as old as the history file, and fed by it: its status is the one to show */
    g->meta.updated_at = h->meta.updated_at;
    n->gpu_meta.updated_at = h->meta.updated_at;
    n->gpu_meta.fed_by = SRC_NODE_HISTORY + 1;
    (void)now;
    n->n_gpus = 1;
    return 0;
}

static const struct gpu_backend backends[] = {
    {"demo", demo_usable, demo_sample, NULL},
    {"ssh-nvidia-smi", ssh_usable, NULL, ssh_fetch_url},
    {"nvml", nvml_usable, nvml_backend_sample, NULL},
    {"node-history", history_usable, history_sample, NULL},
};

const struct gpu_backend *gpu_backend_for(const struct r1_node *n)
{
    for (size_t i = 0; i < R1_ARRAY_LEN(backends); i++)
        if (backends[i].usable(n))
            return &backends[i];
    return NULL;
}

static int gpu_sample(const struct r1_source_ctx *ctx, struct r1_node *node,
                      struct r1_request *req, char *err)
{
    const struct gpu_backend *b = gpu_backend_for(node);
    if (!b)
        return 1;
    r1_strlcpy(node->gpu_backend, b->name, sizeof(node->gpu_backend));
    model_node_gpus(node);
    if (b->fetch_url) {
        int rc = b->fetch_url(node, ctx->now, req->url, sizeof(req->url), err);
        return rc == 0 ? R1_SAMPLE_FETCH : rc == 1 ? 1 : -1;
    }
    int rc = b->sample(node, ctx->now, err);
    /* What was read, for the source's status ("nvml", "node-history"); nothing when the
     * backend had nothing to read yet (the history file not read), so "no GPU" is never
     * claimed from no reading. */
    if (rc == 0 || node->gpu_meta.updated_at > 0)
        r1_strlcpy(req->url, b->name, sizeof(req->url));
    return rc;
}

/* The reply of a fetching backend (R1_SAMPLE_FETCH): nvidia-smi's lines. */
static int gpu_apply(const struct r1_source_ctx *ctx, struct r1_node *node,
                     const struct r1_reply *reply, char *err)
{
    int count = 0;
    if (gpu_parse_nvidia_smi(reply->body, reply->len, model_node_gpus(node), R1_GPU_MAX, &count,
                             ctx->now, err) < 0)
        return -1;
    node->n_gpus = count;
    /* "the host has no NVIDIA GPU" is a reading too */
    model_meta_ok(&node->gpu_meta, ctx->now);
    node->gpu_meta.fed_by = SRC_GPU + 1;
    return 0;
}

/* The GPU group's own stamp (each GPU keeps its valid bits). */
static struct r1_meta *gpu_meta(struct r1_fleet *f, struct r1_node *node)
{
    (void)f;
    return &node->gpu_meta;
}

const struct r1_source_ops source_gpu = {
    .id = SRC_GPU,
    .name = "gpu",
    .label = "GPUs",
    .config_help = "Local GPUs through NVML: load, memory, temperature, power (nvidia-smi over "
                   "SSH for an ssh:// node, at most every 10 s).",
    .scope = R1_SCOPE_NODE,
    .default_interval_s = 2,
    .apply = gpu_apply,
    .sample = gpu_sample,
    .meta = gpu_meta,
};
