/* snapshot: the --once output. The JSON schema is a contract (README "JSON output"): units in
 * key names, null for unknown, exact token amounts as decimal strings (they exceed 2^53), and
 * every block carries "source", "age_s" and "error" so a reader knows how far to trust it. */
#include "snapshot.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "autoconf.h"
#include "epoch.h"
#include "sources/source.h"

static const char *const trust_names[] = {"unchecked", "verified", "unsigned", "unknown_signer",
                                          "bad_signature"};
static const char *const rew_names[] = {"unknown", "ok", "syncing", "no_licence", "unsupported"};
static const char *const online_names[] = {"unknown", "online", "stale", "offline"};

static void add_num(cJSON *o, const char *k, bool valid, double v)
{
    if (valid && isfinite(v))
        cJSON_AddNumberToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static void add_str(cJSON *o, const char *k, bool valid, const char *v)
{
    if (valid && v && v[0])
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static void add_u128(cJSON *o, const char *k, bool valid, r1_u128 v)
{
    char buf[48];
    amount_to_dec(buf, sizeof(buf), v);
    add_str(o, k, valid, buf);
}

static double meta_age(const struct r1_meta *m, double now)
{
    return m->updated_at > 0 ? now - m->updated_at : NAN;
}

/* The provenance every block opens with. */
static cJSON *block(cJSON *parent, const char *key, const struct r1_meta *m, double now)
{
    cJSON *o = cJSON_AddObjectToObject(parent, key);
    add_str(o, "source", true, m->source);
    add_num(o, "age_s", m->updated_at > 0, meta_age(m, now));
    add_str(o, "error", true, m->error);
    return o;
}

static void add_source_status(cJSON *sources, const char *name, const struct r1_meta *m,
                              double now)
{
    cJSON *o = cJSON_AddObjectToObject(sources, name);
    add_str(o, "source", true, m->source);
    cJSON_AddBoolToObject(o, "ok", m->updated_at > 0 && !m->error[0]);
    add_num(o, "age_s", m->updated_at > 0, meta_age(m, now));
    add_num(o, "updated_at_unix_s", m->updated_at > 0, m->updated_at);
    add_str(o, "error", true, m->error);
}

/* A source counts as configured (and so reported) once it has been attempted. */
static bool attempted(const struct r1_meta *m)
{
    return m->attempt_at > 0 || m->updated_at > 0 || m->error[0];
}

static void add_epochs(cJSON *o, const char *key, const struct r1_epoch_val *v, int n)
{
    cJSON *a = cJSON_AddArrayToObject(o, key);
    for (int i = 0; i < n; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "epoch", (double)v[i].epoch);
        cJSON_AddNumberToObject(e, "avail_u8", v[i].avail_u8);
        cJSON_AddItemToArray(a, e);
    }
}

/* Series are stored as float to keep per-node memory small; print them at the precision the
 * node wrote them with, not float's binary noise (31.2, not 31.200000762939453). */
static double series_last(const struct r1_series *s)
{
    return s->n > 0 ? round((double)s->v[s->n - 1] * 1000.0) / 1000.0 : NAN;
}

static void node_status_file(cJSON *o, const struct r1_node *n, double now)
{
    const struct r1_node_info *i = &n->info;
    cJSON *b = block(o, "status_file", &i->meta, now);
    add_num(b, "file_age_s", R1_VALID(i, INFO_MTIME), now - i->file_mtime);
    add_str(b, "version", R1_VALID(i, INFO_VERSION), i->version);
    add_num(b, "current_epoch", R1_VALID(i, INFO_CUR_EPOCH), (double)i->current_epoch);
    add_num(b, "current_epoch_avail_prc", R1_VALID(i, INFO_CUR_AVAIL),
            100.0 * i->current_epoch_avail);
    if (R1_VALID(i, INFO_LAST_EPOCHS))
        add_epochs(b, "last_epochs", i->last_epochs, i->n_last_epochs);
    else
        cJSON_AddNullToObject(b, "last_epochs");
    add_num(b, "whitelist_count", R1_VALID(i, INFO_WHITELIST), i->whitelist_n);
    if (R1_VALID(i, INFO_R1FS))
        cJSON_AddBoolToObject(b, "r1fs_online", i->r1fs_online);
    else
        cJSON_AddNullToObject(b, "r1fs_online");
    add_str(b, "evm_network", R1_VALID(i, INFO_NETWORK), i->evm_network);
}

static void node_history(cJSON *o, const struct r1_node *n, double now)
{
    const struct r1_node_history *h = &n->hist;
    cJSON *b = block(o, "history", &h->meta, now);
    add_num(b, "file_age_s", R1_VALID(h, HIST_MTIME), now - h->file_mtime);
    add_num(b, "uptime_s", R1_VALID(h, HIST_UPTIME), h->uptime_s);
    bool cpu = R1_VALID(h, HIST_CPU), mem = R1_VALID(h, HIST_MEM), gpu = R1_VALID(h, HIST_GPU);
    add_num(b, "cpu_load_pct", cpu, series_last(&h->cpu_load_pct));
    add_num(b, "cpu_temp_c", cpu, series_last(&h->cpu_temp_c));
    add_num(b, "mem_used_gb", mem, series_last(&h->mem_occupied_gb));
    add_num(b, "mem_total_gb", mem, series_last(&h->mem_total_gb));
    add_num(b, "gpu_load_pct", gpu, series_last(&h->gpu_load_pct));
    add_num(b, "gpu_temp_c", gpu, series_last(&h->gpu_temp_c));
}

static const char *trust_name(int t)
{
    return (unsigned)t < R1_ARRAY_LEN(trust_names) ? trust_names[t] : "unknown";
}

static void node_licence(cJSON *o, const struct r1_node *n, double now)
{
    const struct r1_licence *l = &n->lic;
    cJSON *b = block(o, "licence", &l->meta, now);
    /* the licence rides in the node_last_epoch reply: it is as trustworthy as that reply */
    cJSON_AddStringToObject(b, "trust", trust_name(n->orc.trust));
    cJSON_AddBoolToObject(b, "verified", n->orc.trust == R1_TRUST_VERIFIED);
    add_str(b, "type", R1_VALID(l, LIC_TYPE), model_licence_name(l->type));
    add_num(b, "id", R1_VALID(l, LIC_ID), (double)l->licence_id);
    add_str(b, "owner", R1_VALID(l, LIC_OWNER), l->owner);
    add_str(b, "node_address", R1_VALID(l, LIC_NODE_ADDR), l->node_address);
    add_u128(b, "total_assigned_wei", R1_VALID(l, LIC_ASSIGNED), l->total_assigned_wei);
    add_u128(b, "total_claimed_wei", R1_VALID(l, LIC_CLAIMED), l->total_claimed_wei);
    add_num(b, "last_claim_epoch", R1_VALID(l, LIC_LAST_CLAIM), (double)l->last_claim_epoch);
    add_num(b, "assign_timestamp_unix_s", R1_VALID(l, LIC_ASSIGN_TS), l->assign_timestamp);
    add_str(b, "last_claim_oracle", R1_VALID(l, LIC_LAST_ORACLE), l->last_claim_oracle);
    if (R1_VALID(l, LIC_BANNED))
        cJSON_AddBoolToObject(b, "banned", l->is_banned);
    else
        cJSON_AddNullToObject(b, "banned");
    if (R1_VALID(l, LIC_VALID))
        cJSON_AddBoolToObject(b, "valid", l->is_valid);
    else
        cJSON_AddNullToObject(b, "valid");
    add_u128(b, "poai_usdc_micro", R1_VALID(l, LIC_POAI_USDC), l->poai_usdc_micro);
    add_u128(b, "poai_r1_wei", R1_VALID(l, LIC_POAI_R1), l->poai_r1_wei);
}

static void add_trust(cJSON *b, const struct r1_oracle_node *o)
{
    add_str(b, "trust", true, trust_name(o->trust));
    add_str(b, "trust_reason", true, o->trust_reason);
    add_str(b, "signer", true, o->signer);
    cJSON_AddBoolToObject(b, "verified", o->trust == R1_TRUST_VERIFIED);
}

static void node_availability(cJSON *o, const struct r1_node *n, double now)
{
    const struct r1_oracle_node *a = &n->orc, *r = &n->range;
    cJSON *b = block(o, "availability", &a->meta, now);
    if (R1_VALID(a, ORC_ONLINE))
        cJSON_AddBoolToObject(b, "online", a->is_online);
    else
        cJSON_AddNullToObject(b, "online");
    add_num(b, "last_seen_s", R1_VALID(a, ORC_LAST_SEEN), a->last_seen_s);
    add_num(b, "last_epoch", R1_VALID(a, ORC_LAST_EPOCH), (double)a->last_epoch_id);
    add_num(b, "last_epoch_avail_u8", R1_VALID(a, ORC_LAST_EPOCH), a->last_epoch_u8);
    add_num(b, "last_epoch_avail_prc", R1_VALID(a, ORC_LAST_EPOCH), a->last_epoch_u8 / 2.55);
    add_str(b, "server_alias", R1_VALID(a, ORC_SERVER), a->server_alias);
    add_str(b, "oracle_error", true, a->oracle_error);
    add_trust(b, a);
    cJSON *rb = block(b, "epochs_range", &r->meta, now);
    if (R1_VALID(r, ORC_EPOCHS)) {
        cJSON_AddNumberToObject(rb, "from_epoch", (double)r->from_epoch);
        cJSON_AddNumberToObject(rb, "to_epoch", (double)r->to_epoch);
    }
    add_trust(rb, r);
    cJSON *arr = cJSON_AddArrayToObject(b, "epochs");
    if (R1_VALID(r, ORC_EPOCHS))
        for (int i = 0; i < r->n_epochs; i++) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddNumberToObject(e, "epoch", (double)(r->from_epoch + i));
            cJSON_AddNumberToObject(e, "avail_u8", r->epochs_u8[i]);
            cJSON_AddItemToArray(arr, e);
        }
}

static void node_workloads(cJSON *o, const struct r1_node *n, double now)
{
    const struct r1_workloads *w = &n->work;
    cJSON *b = block(o, "workloads", &w->meta, now);
    bool known = R1_VALID(w, WORK_LIST);
    add_num(b, "pipelines", known, w->n_pipelines);
    add_num(b, "unreadable_files", known, w->n_unreadable);
    cJSON *arr = cJSON_AddArrayToObject(b, "instances");
    for (size_t i = 0; known && i < w->n_rows; i++) {
        const struct r1_instance *r = &w->rows[i];
        cJSON *e = cJSON_CreateObject();
        add_str(e, "pipeline", true, r->pipeline);
        add_str(e, "type", true, r->pipeline_type);
        add_str(e, "app_alias", true, r->app_alias);
        add_str(e, "signature", true, r->signature);
        add_str(e, "instance_id", true, r->instance_id);
        add_str(e, "image", true, r->image);
        add_num(e, "port", r->port >= 0, r->port);
        cJSON_AddBoolToObject(e, "deeployed", r->is_deeployed);
        add_num(e, "job_id", r->job_id >= 0, (double)r->job_id);
        add_str(e, "last_update", true, r->last_update);
        cJSON_AddItemToArray(arr, e);
    }
}

static void node_docker(cJSON *o, const struct r1_node *n, double now)
{
    const struct r1_docker *d = &n->dock;
    cJSON *b = block(o, "docker", &d->meta, now);
    add_str(b, "container", true, n->container);
    add_str(b, "state", R1_VALID(d, DOCK_STATE), d->state);
    add_num(b, "started_at_unix_s", R1_VALID(d, DOCK_STARTED), d->started_at);
    add_num(b, "restart_count", R1_VALID(d, DOCK_RESTARTS), d->restart_count);
    add_str(b, "image", R1_VALID(d, DOCK_IMAGE), d->image);
    add_str(b, "health", R1_VALID(d, DOCK_HEALTH), d->health);
}

static void node_gpus(cJSON *o, const struct r1_node *n, double now)
{
    cJSON *b = block(o, "gpus", &n->gpus[0].meta, now);
    add_str(b, "backend", true, n->gpu_backend);
    cJSON *arr = cJSON_AddArrayToObject(b, "list");
    for (int i = 0; i < n->n_gpus; i++) {
        const struct r1_gpu *g = &n->gpus[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "index", i);
        add_str(e, "name", R1_VALID(g, GPU_NAME), g->name);
        add_num(e, "util_pct", R1_VALID(g, GPU_UTIL), g->util_pct);
        add_num(e, "mem_used_bytes", R1_VALID(g, GPU_MEM), g->mem_used_bytes);
        add_num(e, "mem_total_bytes", R1_VALID(g, GPU_MEM), g->mem_total_bytes);
        add_num(e, "temp_c", R1_VALID(g, GPU_TEMP), g->temp_c);
        add_num(e, "power_mw", R1_VALID(g, GPU_POWER), g->power_mw);
        cJSON_AddItemToArray(arr, e);
    }
}

static void node_rewards(cJSON *o, const struct r1_node *n)
{
    const struct r1_rewards *r = &n->rew;
    const struct r1_licence *l = &n->lic;
    cJSON *b = cJSON_AddObjectToObject(o, "rewards");
    bool ok = r->poa_status == R1_REW_OK;
    add_str(b, "poa_status", true,
            (unsigned)r->poa_status < R1_ARRAY_LEN(rew_names) ? rew_names[r->poa_status] : "?");
    add_u128(b, "poa_claimable_wei", ok, r->poa_claimable_wei);
    add_num(b, "poa_claimable_r1", ok, amount_to_double(r->poa_claimable_wei, R1_WEI_DECIMALS));
    add_num(b, "poa_from_epoch", ok, (double)r->poa_from_epoch);
    add_num(b, "poa_to_epoch", ok, (double)r->poa_to_epoch);
    if (ok)
        cJSON_AddBoolToObject(b, "poa_capped", r->poa_capped);
    else
        cJSON_AddNullToObject(b, "poa_capped");
    add_num(b, "poai_usdc", R1_VALID(l, LIC_POAI_USDC),
            amount_to_double(l->poai_usdc_micro, R1_USDC_DECIMALS));
    add_num(b, "poai_r1", R1_VALID(l, LIC_POAI_R1),
            amount_to_double(l->poai_r1_wei, R1_WEI_DECIMALS));
    add_str(b, "note", true, r->poa_note);
    /* the estimate stands on the range reply (availabilities) and the licence reply */
    int t = n->range.trust != R1_TRUST_VERIFIED ? n->range.trust : n->orc.trust;
    cJSON_AddStringToObject(b, "poa_trust", trust_name(t));
    cJSON_AddBoolToObject(b, "poa_verified",
                          n->range.trust == R1_TRUST_VERIFIED && n->orc.trust == R1_TRUST_VERIFIED);
}

static cJSON *node_json(const struct r1_node *n, double now)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", n->name);
    add_str(o, "address", true, model_node_address(n));
    add_str(o, "eth_address", true, model_node_eth(n));
    add_str(o, "alias", R1_VALID(&n->info, INFO_ALIAS), n->info.alias);
    const char *why = NULL;
    enum r1_online on = model_node_online(n, now, &why);
    cJSON_AddStringToObject(o, "online", online_names[on]);
    add_str(o, "online_reason", true, why);

    cJSON *src = cJSON_AddObjectToObject(o, "sources");
    const struct r1_meta *metas[SRC_COUNT] = {
        [SRC_NODE_INFO] = &n->info.meta, [SRC_NODE_HISTORY] = &n->hist.meta,
        [SRC_STREAMS] = &n->work.meta,   [SRC_ORACLE_LAST] = &n->orc.meta,
        [SRC_ORACLE_RANGE] = &n->range.meta, [SRC_DOCKER] = &n->dock.meta,
        [SRC_GPU] = &n->gpus[0].meta,
    };
    for (int s = 0; s < SRC_COUNT; s++)
        if (metas[s] && attempted(metas[s]))
            add_source_status(src, source_get((enum r1_source_id)s)->name, metas[s], now);

    node_status_file(o, n, now);
    node_history(o, n, now);
    node_licence(o, n, now);
    node_availability(o, n, now);
    node_workloads(o, n, now);
    node_docker(o, n, now);
    node_gpus(o, n, now);
    node_rewards(o, n);
    return o;
}

static bool fleet_ok(const struct r1_fleet *f)
{
    if (f->epoch.meta.error[0])
        return false;
    for (size_t i = 0; i < f->n_nodes; i++) {
        const struct r1_node *n = &f->nodes[i];
        const struct r1_meta *m[] = {&n->info.meta, &n->hist.meta,  &n->work.meta,
                                     &n->orc.meta,  &n->range.meta, &n->dock.meta,
                                     &n->gpus[0].meta};
        for (size_t k = 0; k < R1_ARRAY_LEN(m); k++)
            if (m[k]->error[0])
                return false;
    }
    return true;
}

char *snapshot_json(const struct r1_fleet *f, double now)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "r1top_version", PACKAGE_VERSION);
    cJSON_AddNumberToObject(root, "generated_at_unix_s", now);
    cJSON_AddStringToObject(root, "network", f->net->name);
    cJSON_AddStringToObject(root, "oracle_url", f->oracle_url);
    cJSON_AddBoolToObject(root, "ok", fleet_ok(f) && f->n_nodes > 0);
    add_str(root, "note", true, f->discovery_note);

    cJSON *ep = block(root, "epoch", &f->epoch.meta, now);
    add_num(ep, "current", R1_VALID(&f->epoch, FLEET_EPOCH), (double)f->epoch.current_epoch);
    cJSON_AddNumberToObject(ep, "clock_current", (double)epoch_at(f->net, now));
    cJSON_AddNumberToObject(ep, "remaining_s", floor(epoch_remaining_s(f->net, now)));
    cJSON_AddNumberToObject(ep, "length_s", (double)f->net->epoch_len_s);
    add_str(ep, "trust", f->epoch.meta.updated_at > 0, trust_name(f->epoch.trust));
    add_str(ep, "trust_reason", true, f->epoch.trust_reason);

    cJSON *nodes = cJSON_AddArrayToObject(root, "nodes");
    for (size_t i = 0; i < f->n_nodes; i++)
        cJSON_AddItemToArray(nodes, node_json(&f->nodes[i], now));
    char *out = cJSON_Print(root);
    cJSON_Delete(root);
    return out;
}

/* "verified", or what is wrong with the reply: text readers get the same verdict as JSON. */
static const char *text_trust(const struct r1_oracle_node *o, char *buf, size_t n)
{
    switch (o->trust) {
    case R1_TRUST_VERIFIED:
        return "verified";
    case R1_TRUST_BAD:
        snprintf(buf, n, "BAD SIGNATURE: %s", o->trust_reason);
        return buf;
    case R1_TRUST_UNKNOWN_SIGNER:
        snprintf(buf, n, "unknown signer %s", o->signer);
        return buf;
    case R1_TRUST_UNSIGNED:
        return "unsigned";
    default:
        return "not checked";
    }
}

static void text_row(FILE *out, const char *k, const char *v)
{
    fprintf(out, "  %-22s %s\n", k, v && v[0] ? v : "n/a");
}

void snapshot_text(FILE *out, const struct r1_fleet *f, double now)
{
    char buf[256], a[64], b[64];
    int64_t cur = R1_VALID(&f->epoch, FLEET_EPOCH) ? f->epoch.current_epoch
                                                    : epoch_at(f->net, now);
    r1_fmt_duration(a, sizeof(a), epoch_remaining_s(f->net, now));
    fprintf(out, "r1top %s  network %s  epoch %lld (%s left)\n", PACKAGE_VERSION, f->net->name,
            (long long)cur, a);
    if (f->epoch.meta.error[0])
        fprintf(out, "  oracle: %s\n", f->epoch.meta.error);
    if (f->discovery_note[0])
        fprintf(out, "%s\n", f->discovery_note);
    for (size_t i = 0; i < f->n_nodes; i++) {
        const struct r1_node *n = &f->nodes[i];
        const char *why = NULL;
        enum r1_online on = model_node_online(n, now, &why);
        fprintf(out, "\nnode %s  [%s%s%s]\n", model_node_label(n), online_names[on],
                why ? ": " : "", why ? why : "");
        text_row(out, "address", model_node_address(n));
        text_row(out, "eth address", model_node_eth(n));
        text_row(out, "version", R1_VALID(&n->info, INFO_VERSION) ? n->info.version : NULL);
        if (R1_VALID(&n->hist, HIST_UPTIME)) {
            r1_fmt_duration(a, sizeof(a), n->hist.uptime_s);
            text_row(out, "uptime", a);
        } else {
            text_row(out, "uptime", NULL);
        }
        const struct r1_licence *l = &n->lic;
        if (R1_VALID(l, LIC_TYPE)) {
            amount_fmt(a, sizeof(a), l->total_assigned_wei, R1_WEI_DECIMALS, 2);
            amount_fmt(b, sizeof(b), l->total_claimed_wei, R1_WEI_DECIMALS, 2);
            snprintf(buf, sizeof(buf), "%s #%llu  claimed %s of %s R1%s%s",
                     model_licence_name(l->type),
                     (unsigned long long)l->licence_id, b, a, l->is_banned ? "  BANNED" : "",
                     R1_VALID(l, LIC_VALID) && !l->is_valid ? "  INVALID" : "");
            text_row(out, "licence", buf);
            text_row(out, "  oracle reply", text_trust(&n->orc, a, sizeof(a)));
        } else {
            text_row(out, "licence", NULL);
        }
        if (R1_VALID(&n->info, INFO_CUR_AVAIL)) {
            snprintf(buf, sizeof(buf), "%.1f%%", 100.0 * n->info.current_epoch_avail);
            text_row(out, "epoch availability", buf);
        }
        const struct r1_oracle_node *r = &n->range;
        if (R1_VALID(r, ORC_EPOCHS) && r->n_epochs > 0) {
            size_t o = 0;
            int first = r->n_epochs > 7 ? r->n_epochs - 7 : 0;
            for (int k = first; k < r->n_epochs && o < sizeof(buf) - 16; k++)
                o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%lld:%u ",
                                      (long long)(r->from_epoch + k), r->epochs_u8[k]);
            text_row(out, "last epochs", buf);
        }
        if (n->rew.poa_status == R1_REW_OK) {
            amount_fmt(a, sizeof(a), n->rew.poa_claimable_wei, R1_WEI_DECIMALS, 4);
            char t[R1_ERR_MAX + 32];
            snprintf(buf, sizeof(buf), "%s R1 (epochs %lld-%lld) [%s]", a,
                     (long long)n->rew.poa_from_epoch, (long long)n->rew.poa_to_epoch,
                     text_trust(&n->range, t, sizeof(t)));
            text_row(out, "PoA claimable", buf);
        } else {
            text_row(out, "PoA claimable", rew_names[n->rew.poa_status]);
        }
        snprintf(buf, sizeof(buf), "%d pipeline(s), %zu instance(s)", n->work.n_pipelines,
                 n->work.n_rows);
        text_row(out, "workloads", R1_VALID(&n->work, WORK_LIST) ? buf : NULL);
        for (int g = 0; g < n->n_gpus; g++) {
            const struct r1_gpu *gp = &n->gpus[g];
            char util[16] = "n/a", mem[160] = "n/a", temp[16] = "n/a";
            if (R1_VALID(gp, GPU_UTIL))
                snprintf(util, sizeof(util), "%.0f%%", gp->util_pct);
            if (R1_VALID(gp, GPU_MEM)) {
                r1_fmt_bytes(a, sizeof(a), gp->mem_used_bytes);
                r1_fmt_bytes(b, sizeof(b), gp->mem_total_bytes);
                snprintf(mem, sizeof(mem), "%s / %s", a, b);
            }
            if (R1_VALID(gp, GPU_TEMP))
                snprintf(temp, sizeof(temp), "%.0f C", gp->temp_c);
            snprintf(buf, sizeof(buf), "%s  %s  %s  %s", R1_VALID(gp, GPU_NAME) ? gp->name : "GPU",
                     util, mem, temp);
            text_row(out, g == 0 ? "gpu" : "", buf);
        }
        const struct r1_meta *m[] = {&n->info.meta, &n->hist.meta,  &n->work.meta,
                                     &n->orc.meta,  &n->range.meta, &n->dock.meta,
                                     &n->gpus[0].meta};
        const enum r1_source_id ids[] = {SRC_NODE_INFO,   SRC_NODE_HISTORY, SRC_STREAMS,
                                         SRC_ORACLE_LAST, SRC_ORACLE_RANGE, SRC_DOCKER, SRC_GPU};
        for (size_t k = 0; k < R1_ARRAY_LEN(m); k++)
            if (m[k]->error[0])
                fprintf(out, "  error (%s): %s\n", source_get(ids[k])->name, m[k]->error);
    }
}
