/* gpu: backend choice and the sampled GPU source. NVML only describes *this* host, so it is
 * used for nodes whose status files are local (file://); remote nodes fall back to the
 * first-GPU figures in their local_history.json. */
#include "gpu.h"

#include <math.h>
#include <string.h>

#include "sources/demo.h"
#include "sources/nvml.h"
#include "sources/source.h"

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
                 n->docker_socket[0];
    return local && nvml_open(err) == 0;
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
    {"demo", demo_usable, demo_sample},
    {"nvml", nvml_usable, nvml_backend_sample},
    {"node-history", history_usable, history_sample},
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
    int rc = b->sample(node, ctx->now, err);
    /* What was read, for the source's status ("nvml", "node-history"); nothing when the
     * backend had nothing to read yet (the history file not read), so "no GPU" is never
     * claimed from no reading. */
    if (rc == 0 || node->gpu_meta.updated_at > 0)
        r1_strlcpy(req->url, b->name, sizeof(req->url));
    return rc;
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
    .config_help = "Local GPUs through NVML: load, memory, temperature, power.",
    .scope = R1_SCOPE_NODE,
    .default_interval_s = 2,
    .sample = gpu_sample,
    .meta = gpu_meta,
};
