/* snapshot: the --once output. The JSON schema is a contract (README "JSON output"): units in
 * key names, null for unknown, exact token amounts as decimal strings (they exceed 2^53), and
 * every block carries "source", "age_s" and "error" so a reader knows how far to trust it. */
#include "snapshot.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "autoconf.h"
#include "derive.h"
#include "epoch.h"
#include "sources/source.h"

/* enum r1_problem, for scripts (the words are derive_problem_text's) */
static const char *const problem_names[] = {
    "none",  "offline",        "restart_loop", "bad_signature", "unknown_to_oracle", "oracle_offline",
    "stale", "licence_banned", "licence_invalid", "low_availability", "no_licence",
    "syncing", "source_error",
};
_Static_assert(sizeof(problem_names) / sizeof(problem_names[0]) == R1_PROB_COUNT,
               "a name for every problem");

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

/* Integers are written exactly, never as a rounded double (D18). */
static void add_int(cJSON *o, const char *k, bool valid, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    if (valid)
        cJSON_AddRawToObject(o, k, buf);
    else
        cJSON_AddNullToObject(o, k);
}

static void add_bool(cJSON *o, const char *k, bool valid, bool v)
{
    if (valid)
        cJSON_AddBoolToObject(o, k, v);
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

/* The status of the source that fed a group (or, before anything did, the one that will). */
static const struct r1_src_status *group_status(const struct r1_fleet *f, const struct r1_node *n,
                                                const struct r1_meta *m, enum r1_source_id dflt)
{
    int src = m->fed_by > 0 ? m->fed_by - 1 : (int)dflt;
    return n ? &n->src[src] : &f->src[src];
}

static void add_url(cJSON *o, const char *k, const char *url)
{
    char red[R1_URL_MAX];
    r1_url_redact(red, sizeof(red), url ? url : "");
    add_str(o, k, true, red);
}

static void add_error(cJSON *o, const struct r1_src_status *st)
{
    char words[R1_ERR_MAX], red[R1_URL_MAX];
    r1_url_redact(red, sizeof(red), st->url ? st->url : "");
    model_error_format(&st->err, red, words, sizeof(words));
    add_str(o, "error", true, words);
}

/* The provenance every block opens with: where its figures came from, how old they are, and
 * the last error of the source that feeds it. */
static cJSON *block(cJSON *parent, const char *key, const struct r1_meta *m,
                    const struct r1_src_status *st, double now)
{
    cJSON *o = cJSON_AddObjectToObject(parent, key);
    add_url(o, "source", st->url);
    add_num(o, "age_s", m->updated_at > 0, meta_age(m, now));
    add_error(o, st);
    return o;
}

static const char *const err_kind_names[] = {
    "none", "transport", "timeout", "http",          "redirect", "too_big",     "permission",
    "file", "parse",     "refused", "bad_signature", "config",   "interrupted", "rate_limited",
};

static void add_source_status(cJSON *sources, const char *name, const struct r1_src_status *st,
                              double now)
{
    cJSON *o = cJSON_AddObjectToObject(sources, name);
    add_url(o, "source", st->url);
    cJSON_AddBoolToObject(o, "ok", st->ok_at > 0 && st->err.kind == R1_EK_NONE);
    add_num(o, "age_s", st->ok_at > 0, now - st->ok_at);
    add_num(o, "updated_at_unix_s", st->ok_at > 0, st->ok_at);
    add_error(o, st);
    add_str(o, "error_kind", st->err.kind != R1_EK_NONE,
            (unsigned)st->err.kind < R1_ARRAY_LEN(err_kind_names) ? err_kind_names[st->err.kind]
                                                                 : "?");
    add_int(o, "http_code", st->err.http_code > 0, st->err.http_code);
    add_int(o, "consecutive_failures", true, st->fails);
    add_num(o, "next_attempt_in_s", st->err.kind != R1_EK_NONE && st->next_at > 0,
            st->next_at - now);
}

static void add_epochs(cJSON *o, const char *key, const struct r1_epoch_val *v, int n)
{
    cJSON *a = cJSON_AddArrayToObject(o, key);
    for (int i = 0; i < n; i++) {
        cJSON *e = cJSON_CreateObject();
        add_int(e, "epoch", true, v[i].epoch);
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
    cJSON *b = block(o, "status_file", &i->meta, &n->src[SRC_NODE_INFO], now);
    add_num(b, "file_age_s", R1_VALID(i, INFO_MTIME), now - i->file_mtime);
    add_str(b, "version", R1_VALID(i, INFO_VERSION), i->version);
    add_int(b, "current_epoch", R1_VALID(i, INFO_CUR_EPOCH), i->current_epoch);
    add_num(b, "current_epoch_avail_prc", R1_VALID(i, INFO_CUR_AVAIL),
            100.0 * i->current_epoch_avail);
    if (R1_VALID(i, INFO_LAST_EPOCHS))
        add_epochs(b, "last_epochs", i->last_epochs, i->n_last_epochs);
    else
        cJSON_AddNullToObject(b, "last_epochs");
    add_num(b, "whitelist_count", R1_VALID(i, INFO_WHITELIST), i->whitelist_n);
    add_bool(b, "r1fs_online", R1_VALID(i, INFO_R1FS), i->r1fs_online);
    add_str(b, "evm_network", R1_VALID(i, INFO_NETWORK), i->evm_network);
}

static void node_history(cJSON *o, const struct r1_node *n, double now)
{
    const struct r1_node_history *h = &n->hist;
    cJSON *b = block(o, "history", &h->meta, &n->src[SRC_NODE_HISTORY], now);
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

/* An exact amount beside its float for display: "poai_usdc_micro": "1234567" and
 * "poai_usdc": 1.234567 (the unit is in each key). */
static void add_amount(cJSON *o, const char *exact_key, const char *float_key, bool valid,
                       r1_u128 v, int decimals)
{
    add_u128(o, exact_key, valid, v);
    add_num(o, float_key, valid, amount_to_double(v, decimals));
}

/* The licence's fields, the same keys for the oracle's copy and the chain's. */
static void licence_fields(cJSON *b, const struct r1_licence *l)
{
    add_str(b, "type", R1_VALID(l, LIC_TYPE), model_licence_name(l->type));
    add_int(b, "id", R1_VALID(l, LIC_ID), (int64_t)l->licence_id);
    add_str(b, "owner", R1_VALID(l, LIC_OWNER), l->owner);
    add_str(b, "node_address", R1_VALID(l, LIC_NODE_ADDR), l->node_address);
    add_u128(b, "total_assigned_wei", R1_VALID(l, LIC_ASSIGNED), l->total_assigned_wei);
    add_u128(b, "total_claimed_wei", R1_VALID(l, LIC_CLAIMED), l->total_claimed_wei);
    add_int(b, "last_claim_epoch", R1_VALID(l, LIC_LAST_CLAIM), l->last_claim_epoch);
    add_num(b, "assign_timestamp_unix_s", R1_VALID(l, LIC_ASSIGN_TS), l->assign_timestamp);
    add_str(b, "last_claim_oracle", R1_VALID(l, LIC_LAST_ORACLE), l->last_claim_oracle);
    add_bool(b, "banned", R1_VALID(l, LIC_BANNED), l->is_banned);
    add_bool(b, "valid", R1_VALID(l, LIC_VALID), l->is_valid);
    add_u128(b, "poai_usdc_micro", R1_VALID(l, LIC_POAI_USDC), l->poai_usdc_micro);
    add_u128(b, "poai_r1_wei", R1_VALID(l, LIC_POAI_R1), l->poai_r1_wei);
}

static void node_licence(cJSON *o, const struct r1_node *n, double now)
{
    const struct r1_licence *l = &n->lic;
    cJSON *b = block(o, "licence", &l->meta, group_status(NULL, n, &l->meta, SRC_ORACLE_LAST), now);
    /* the verdict of the reply the licence came from (D4), not of any other reply */
    add_str(b, "trust", l->meta.updated_at > 0, model_trust_name(l->trust));
    add_str(b, "trust_reason", true, l->trust_reason);
    cJSON_AddBoolToObject(b, "verified", l->meta.updated_at > 0 && l->trust == R1_TRUST_VERIFIED);
    licence_fields(b, l);
}

/* What the chain says (sources/chain.c): unsigned, as good as the RPC host it came from, so it
 * has its own block, provenance and trust; where the chain's licence and the oracle's signed copy
 * differ, both values are listed (derive.c compares them). */
static void node_chain(cJSON *o, const struct r1_node *n, double now)
{
    const struct r1_chain_node *c = &n->chain;
    cJSON *b = block(o, "chain", &c->meta, &n->src[SRC_CHAIN], now);
    add_str(b, "trust", c->meta.updated_at > 0, model_trust_name(R1_TRUST_CHAIN));
    add_str(b, "rpc_host", c->rpc_host[0], c->rpc_host);
    add_amount(b, "poai_usdc_micro", "poai_usdc", R1_VALID(c, CHAIN_POAI_USDC), c->poai_usdc_micro,
               R1_USDC_DECIMALS);
    add_amount(b, "poai_r1_wei", "poai_r1", R1_VALID(c, CHAIN_POAI_R1), c->poai_r1_wei,
               R1_WEI_DECIMALS);
    bool calc = R1_VALID(c, CHAIN_CALC);
    add_amount(b, "calc_rewards_wei", "calc_rewards_r1", calc, c->calc_rewards_wei, R1_WEI_DECIMALS);
    add_amount(b, "calc_carryover_wei", "calc_carryover_r1", calc && c->calc_mnd,
               c->calc_carryover_wei, R1_WEI_DECIMALS);
    add_amount(b, "calc_withheld_wei", "calc_withheld_r1", calc && c->calc_mnd,
               c->calc_withheld_wei, R1_WEI_DECIMALS);
    add_int(b, "calc_from_epoch", calc, c->calc_from);
    add_int(b, "calc_to_epoch", calc, c->calc_to);
    add_str(b, "calc_note", !calc && c->calc_note[0], c->calc_note);
    if (R1_VALID(c, CHAIN_LICENCE)) {
        cJSON *lb = cJSON_AddObjectToObject(b, "licence");
        licence_fields(lb, &c->lic);
    } else {
        cJSON_AddNullToObject(b, "licence");
    }
    cJSON *dis = cJSON_AddArrayToObject(b, "licence_disagreements");
    for (int f = LIC_TYPE; f <= LIC_BANNED; f++) {
        if (!(n->rew.lic_disagree >> f & 1u))
            continue;
        char ov[R1_ADDR_MAX], cv[R1_ADDR_MAX];
        model_licence_field_text(&n->lic, (enum r1_lic_field)f, ov, sizeof(ov));
        model_licence_field_text(&c->lic, (enum r1_lic_field)f, cv, sizeof(cv));
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "field", model_licence_field_name((enum r1_lic_field)f));
        cJSON_AddStringToObject(e, "oracle", ov);
        cJSON_AddStringToObject(e, "chain", cv);
        cJSON_AddItemToArray(dis, e);
    }
}

static void add_trust(cJSON *b, const struct r1_oracle_node *o)
{
    add_str(b, "trust", true, model_trust_name(o->trust));
    add_str(b, "trust_reason", true, o->trust_reason);
    add_str(b, "signer", true, o->signer);
    cJSON_AddBoolToObject(b, "verified", o->trust == R1_TRUST_VERIFIED);
}

static void node_availability(cJSON *o, const struct r1_node *n, double now)
{
    const struct r1_oracle_node *a = &n->orc, *r = &n->range;
    cJSON *b = block(o, "availability", &a->meta, &n->src[SRC_ORACLE_LAST], now);
    add_bool(b, "online", R1_VALID(a, ORC_ONLINE), a->is_online);
    add_num(b, "last_seen_s", R1_VALID(a, ORC_LAST_SEEN), a->last_seen_s);
    add_int(b, "last_epoch", R1_VALID(a, ORC_LAST_EPOCH), a->last_epoch_id);
    add_num(b, "last_epoch_avail_u8", R1_VALID(a, ORC_LAST_EPOCH), a->last_epoch_u8);
    add_num(b, "last_epoch_avail_prc", R1_VALID(a, ORC_LAST_EPOCH), a->last_epoch_u8 / 2.55);
    add_str(b, "server_alias", R1_VALID(a, ORC_SERVER), a->server_alias);
    add_str(b, "oracle_error", true, a->oracle_error);
    add_trust(b, a);
    cJSON *rb = block(b, "epochs_range", &r->meta, &n->src[SRC_ORACLE_RANGE], now);
    if (R1_VALID(r, ORC_EPOCHS)) {
        add_int(rb, "from_epoch", true, r->from_epoch);
        add_int(rb, "to_epoch", true, r->to_epoch);
    }
    add_trust(rb, r);
    cJSON *arr = cJSON_AddArrayToObject(b, "epochs");
    if (R1_VALID(r, ORC_EPOCHS))
        for (int i = 0; i < r->n_epochs; i++) {
            cJSON *e = cJSON_CreateObject();
            add_int(e, "epoch", true, r->from_epoch + i);
            cJSON_AddNumberToObject(e, "avail_u8", r->epochs_u8[i]);
            cJSON_AddItemToArray(arr, e);
        }
}

static void node_workloads(cJSON *o, const struct r1_node *n, double now)
{
    const struct r1_workloads *w = &n->work;
    cJSON *b = block(o, "workloads", &w->meta, &n->src[SRC_STREAMS], now);
    bool known = R1_VALID(w, WORK_LIST);
    add_num(b, "pipelines", known, w->n_pipelines);
    add_num(b, "unreadable_files", known, w->n_unreadable);
    /* D8: a capped folder says so: "N of M pipeline files read" and the first file not read */
    add_int(b, "files_total", known, w->n_files_total);
    add_int(b, "files_read", known, w->n_files_read);
    add_str(b, "file_error", true, w->file_error);
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
        add_int(e, "job_id", r->job_id >= 0, r->job_id);
        add_str(e, "last_update", true, r->last_update);
        cJSON_AddItemToArray(arr, e);
    }
}

static void node_docker(cJSON *o, const struct r1_node *n, double now)
{
    const struct r1_docker *d = &n->dock;
    cJSON *b = block(o, "docker", &d->meta, &n->src[SRC_DOCKER], now);
    add_str(b, "container", true, n->container);
    add_str(b, "state", R1_VALID(d, DOCK_STATE), d->state);
    add_num(b, "started_at_unix_s", R1_VALID(d, DOCK_STARTED), d->started_at);
    add_num(b, "restart_count", R1_VALID(d, DOCK_RESTARTS), d->restart_count);
    add_str(b, "image", R1_VALID(d, DOCK_IMAGE), d->image);
    add_str(b, "health", R1_VALID(d, DOCK_HEALTH), d->health);
    add_num(b, "exit_code", R1_VALID(d, DOCK_EXIT), d->exit_code);
    const char *why = R1_VALID(d, DOCK_EXIT) ? derive_exit_meaning(d->exit_code) : NULL;
    add_str(b, "exit_meaning", why != NULL, why ? why : "");
    add_bool(b, "oom_killed", R1_VALID(d, DOCK_OOM), d->oom_killed);
    add_num(b, "finished_at_unix_s", R1_VALID(d, DOCK_FINISHED), d->finished_at);
}

/* r1setup's unit (docs/protocol.md §7.4); present only for a node with a service */
static void node_unit(cJSON *o, const struct r1_node *n, double now)
{
    const struct r1_unit *u = &n->unit;
    if (!n->service[0])
        return;
    cJSON *b = block(o, "unit", &u->meta, &n->src[SRC_UNIT], now);
    add_str(b, "service", true, n->service);
    add_str(b, "load_state", R1_VALID(u, UNIT_LOAD), u->load_state);
    add_str(b, "active_state", R1_VALID(u, UNIT_ACTIVE), u->active_state);
    add_str(b, "sub_state", R1_VALID(u, UNIT_SUB), u->sub_state);
    add_str(b, "result", R1_VALID(u, UNIT_RESULT), u->result);
    add_num(b, "n_restarts", R1_VALID(u, UNIT_NRESTARTS), u->n_restarts);
    add_num(b, "main_started_at_unix_s", R1_VALID(u, UNIT_STARTED), u->main_started_at);
    add_num(b, "main_exit_status", R1_VALID(u, UNIT_MAIN_STATUS), u->main_status);
    add_num(b, "exit_file_code", R1_VALID(u, UNIT_EXIT_FILE), u->exit_file_code);
    const char *why = R1_VALID(u, UNIT_EXIT_FILE) ? derive_exit_meaning(u->exit_file_code) : NULL;
    add_str(b, "exit_file_meaning", why != NULL, why ? why : "");
    add_num(b, "starts_30min", R1_VALID(u, UNIT_STARTS), u->starts_30min);
    cJSON_AddNumberToObject(b, "start_limit_30min", R1_UNIT_START_LIMIT);
}

static void node_gpus(cJSON *o, const struct r1_node *n, double now)
{
    cJSON *b = block(o, "gpus", &n->gpu_meta, group_status(NULL, n, &n->gpu_meta, SRC_GPU), now);
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
    cJSON *b = cJSON_AddObjectToObject(o, "rewards");
    bool ok = r->poa_status == R1_REW_OK;
    add_str(b, "poa_status", true,
            (unsigned)r->poa_status < R1_ARRAY_LEN(rew_names) ? rew_names[r->poa_status] : "?");
    add_u128(b, "poa_claimable_wei", ok, r->poa_claimable_wei);
    add_num(b, "poa_claimable_r1", ok, amount_to_double(r->poa_claimable_wei, R1_WEI_DECIMALS));
    add_int(b, "poa_from_epoch", ok, r->poa_from_epoch);
    add_int(b, "poa_to_epoch", ok, r->poa_to_epoch);
    add_bool(b, "poa_capped", ok, r->poa_capped);
    /* derive.c: the oracle's licence figure when it has one, else the chain's */
    add_amount(b, "poai_usdc_micro", "poai_usdc", r->poai_known, r->poai_usdc_micro,
               R1_USDC_DECIMALS);
    add_amount(b, "poai_r1_wei", "poai_r1", r->poai_known, r->poai_r1_wei, R1_WEI_DECIMALS);
    const struct r1_source_ops *ps =
        r->poai_known ? source_get((enum r1_source_id)r->poai_src) : NULL;
    add_str(b, "poai_source", ps != NULL, ps ? ps->name : "");
    add_str(b, "poai_trust", r->poai_known, model_trust_name(r->poai_trust));
    /* the contract's own figure: the claimable one for MND and GND, a cross-check for ND */
    add_amount(b, "contract_claimable_wei", "contract_claimable_r1", r->contract_known,
               r->contract_wei, R1_WEI_DECIMALS);
    add_bool(b, "contract_differs", r->contract_known, r->contract_differs);
    add_str(b, "note", true, r->poa_note);
    /* derive.c: the weakest verdict behind the estimate (licence, epochs; the epoch used is a
     * verified one near the clock's, or the clock's) */
    cJSON_AddStringToObject(b, "poa_trust", model_trust_name(r->poa_trust));
    cJSON_AddBoolToObject(b, "poa_verified", r->poa_trust == R1_TRUST_VERIFIED);
}

static void node_online(cJSON *o, const struct r1_node *n)
{
    const struct r1_node_status *st = &n->status;
    char why[128];
    derive_online_text(st, why, sizeof(why));
    cJSON_AddStringToObject(o, "online", online_names[st->online]);
    add_str(o, "online_reason", true, why);
    add_num(o, "status_file_age_s", !isnan(st->file_age_s), st->file_age_s);
    add_num(o, "oracle_last_seen_s", !isnan(st->oracle_seen_s), st->oracle_seen_s);
    add_str(o, "container_state", st->container != R1_CT_UNKNOWN,
            derive_container_name(st->container));
    /* the most urgent problem, as the fleet screen's PROBLEM column says it */
    char words[128];
    derive_problem_text(&st->problem, words, sizeof(words));
    add_str(o, "problem", st->problem.kind != R1_PROB_NONE,
            (unsigned)st->problem.kind < R1_PROB_COUNT ? problem_names[st->problem.kind] : "?");
    add_str(o, "problem_text", st->problem.kind != R1_PROB_NONE, words);
}

static cJSON *node_json(const struct r1_fleet *f, const struct r1_node *n, double now)
{
    cJSON *o = cJSON_CreateObject();
    /* The operator's name for the node; the node's own alias beside it, never instead. */
    cJSON_AddStringToObject(o, "name", n->name);
    add_str(o, "address", true, model_node_address(n));
    add_str(o, "eth_address", true, model_node_eth(n));
    add_str(o, "from_wallet", n->from_wallet[0], n->from_wallet);
    add_str(o, "alias", true, model_node_alias(n));
    add_str(o, "version", true, model_node_version(n, NULL));
    bool from_oracle = false;
    model_node_version(n, &from_oracle);
    add_str(o, "version_source", model_node_version(n, NULL)[0],
            from_oracle ? "oracle" : "status_file");
    node_online(o, n);

    cJSON *src = cJSON_AddObjectToObject(o, "sources");
    for (int s = 0; s < SRC_COUNT; s++) {
        const struct r1_source_ops *ops = source_get((enum r1_source_id)s);
        if (ops->scope == R1_SCOPE_NODE && n->src[s].configured)
            add_source_status(src, ops->name, &n->src[s], now);
    }

    node_status_file(o, n, now);
    node_history(o, n, now);
    node_licence(o, n, now);
    node_chain(o, n, now);
    node_availability(o, n, now);
    node_workloads(o, n, now);
    node_docker(o, n, now);
    node_unit(o, n, now);
    node_gpus(o, n, now);
    node_rewards(o, n);
    (void)f;
    return o;
}

/* Every source that answered last time answered well (a bad signature is a failure). */
static bool fleet_ok(const struct r1_fleet *f)
{
    for (int s = 0; s < SRC_COUNT; s++)
        if (f->src[s].err.kind != R1_EK_NONE)
            return false;
    for (size_t i = 0; i < f->n_nodes; i++)
        for (int s = 0; s < SRC_COUNT; s++)
            if (f->nodes[i].src[s].err.kind != R1_EK_NONE)
                return false;
    return true;
}

/* The operator's wallets: how many nodes each one's licences link, where and when that was
 * read, and its own error (a revert, or the whole reply's failure), else the wallets source's
 * (the transfer failed). */
static void fleet_wallets(cJSON *root, const struct r1_fleet *f, double now)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "wallets");
    const struct r1_src_status *st = &f->src[SRC_WALLETS];
    for (size_t i = 0; i < f->n_wallets; i++) {
        const struct r1_wallet *w = &f->wallets[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, o);
        add_str(o, "address", true, w->address);
        add_int(o, "nodes", R1_VALID(w, WALLET_NODES), (int64_t)w->n_nodes);
        add_int(o, "nodes_listed", R1_VALID(w, WALLET_NODES), (int64_t)w->n_listed);
        add_url(o, "source", st->url);
        add_num(o, "age_s", w->meta.updated_at > 0, meta_age(&w->meta, now));
        /* a reply read (PARSE, REFUSED) wrote every wallet's own outcome; any other failure
         * came before a wallet's answer (the transfer, a back-off) and is every wallet's */
        bool before_reply = st->err.kind != R1_EK_PARSE && st->err.kind != R1_EK_REFUSED;
        if (w->error[0] || !before_reply)
            add_str(o, "error", true, w->error);
        else
            add_error(o, st);
    }
}

char *snapshot_json(const struct r1_fleet *f, double now)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "r1top_version", PACKAGE_VERSION);
    cJSON_AddNumberToObject(root, "generated_at_unix_s", now);
    cJSON_AddStringToObject(root, "network", f->net->name);
    add_url(root, "oracle_url", f->oracle_url);
    cJSON_AddBoolToObject(root, "ok", fleet_ok(f) && f->n_nodes > 0);
    add_str(root, "note", true, f->discovery_note);

    cJSON *ep = block(root, "epoch", &f->epoch.meta, &f->src[SRC_ORACLE_EPOCH], now);
    /* "current" is the one epoch every figure uses (derive.c); "oracle" is what the oracle
     * said, used only when verified and within one epoch of the clock's (D3). */
    add_int(ep, "current", true, f->epoch_now);
    add_str(ep, "current_source", true, f->epoch_from_oracle ? "oracle" : "clock");
    add_int(ep, "oracle", R1_VALID(&f->epoch, FLEET_EPOCH), f->epoch.current_epoch);
    add_int(ep, "clock_current", true, epoch_at(f->net, now));
    cJSON_AddNumberToObject(ep, "remaining_s", floor(f->epoch_left_s));
    add_int(ep, "length_s", true, (int64_t)f->net->epoch_len_s);
    add_str(ep, "trust", f->epoch.meta.updated_at > 0, model_trust_name(f->epoch.trust));
    add_str(ep, "trust_reason", true, f->epoch.trust_reason);

    fleet_wallets(root, f, now);
    cJSON *nodes = cJSON_AddArrayToObject(root, "nodes");
    for (size_t i = 0; i < f->n_nodes; i++)
        cJSON_AddItemToArray(nodes, node_json(f, &f->nodes[i], now));
    char *out = cJSON_Print(root);
    cJSON_Delete(root);
    return out;
}

/* "verified", or what is wrong with the reply: text readers get the same verdict as JSON. */
static const char *text_trust(int trust, const char *reason, const char *signer, char *buf,
                              size_t n)
{
    switch (trust) {
    case R1_TRUST_VERIFIED:
        return "verified";
    case R1_TRUST_BAD:
        snprintf(buf, n, "BAD SIGNATURE: %.*s", (int)(n > 16 ? n - 16 : 0), reason);
        return buf;
    case R1_TRUST_UNKNOWN_SIGNER:
        snprintf(buf, n, "unknown signer %s", signer);
        return buf;
    case R1_TRUST_UNSIGNED:
        return "unsigned";
    default:
        return "not checked";
    }
}

static void text_error(FILE *out, const char *name, const struct r1_src_status *st)
{
    if (st->err.kind == R1_EK_NONE)
        return;
    char words[R1_ERR_MAX], red[R1_URL_MAX];
    r1_url_redact(red, sizeof(red), st->url ? st->url : "");
    model_error_format(&st->err, red, words, sizeof(words));
    fprintf(out, "  error (%s): %s\n", name, words);
}

static void text_row(FILE *out, const char *k, const char *v)
{
    fprintf(out, "  %-22s %s\n", k, v && v[0] ? v : "n/a");
}

/* "edge_node active/running  restarts 3 of 30 in 30 min  last exit 10: ..." */
static void text_unit(FILE *out, const struct r1_node *n)
{
    const struct r1_unit *u = &n->unit;
    char buf[400] = "", part[200];
    if (!n->service[0])
        return;
    if (R1_VALID(u, UNIT_ACTIVE)) {
        snprintf(buf, sizeof(buf), "%s %s%s%s", n->service, u->active_state,
                 R1_VALID(u, UNIT_SUB) ? "/" : "", R1_VALID(u, UNIT_SUB) ? u->sub_state : "");
        if (R1_VALID(u, UNIT_STARTS)) {
            snprintf(part, sizeof(part), "  restarts %d of %d in 30 min%s", u->starts_30min,
                     R1_UNIT_START_LIMIT, u->starts_30min >= R1_UNIT_START_WARN ? " (!)" : "");
            r1_strlcpy(buf + strlen(buf), part, sizeof(buf) - strlen(buf));
        }
        if (R1_VALID(u, UNIT_EXIT_FILE)) {
            const char *why = derive_exit_meaning(u->exit_file_code);
            snprintf(part, sizeof(part), "  last exit %d%s%.120s", u->exit_file_code,
                     why ? ": " : "", why ? why : "");
            r1_strlcpy(buf + strlen(buf), part, sizeof(buf) - strlen(buf));
        }
    }
    text_row(out, "unit", buf);
}

/* "PoAI accrued 1.23 USDC (R1 quote 98.7654) [chain, 12 s old]" and each licence field on
 * which the chain and the oracle disagree. */
static void text_chain(FILE *out, const struct r1_node *n, double now)
{
    const struct r1_rewards *r = &n->rew;
    char buf[320], a[64], b[64], age[32] = "";
    if (r->poai_known) {
        const struct r1_meta *m = r->poai_src == SRC_CHAIN ? &n->chain.meta : &n->lic.meta;
        amount_fmt(a, sizeof(a), r->poai_usdc_micro, R1_USDC_DECIMALS, 6);
        amount_fmt(b, sizeof(b), r->poai_r1_wei, R1_WEI_DECIMALS, 4);
        r1_fmt_age(age, sizeof(age), model_meta_age(m, now));
        snprintf(buf, sizeof(buf), "%s USDC (R1 quote %s) [%s, %s old]", a, b,
                 model_trust_name(r->poai_trust), age);
    }
    text_row(out, "PoAI accrued", r->poai_known ? buf : NULL);
    for (int f = LIC_TYPE; f <= LIC_BANNED; f++) {
        if (!(r->lic_disagree >> f & 1u))
            continue;
        model_licence_field_text(&n->lic, (enum r1_lic_field)f, a, sizeof(a));
        model_licence_field_text(&n->chain.lic, (enum r1_lic_field)f, b, sizeof(b));
        snprintf(buf, sizeof(buf), "%s: oracle %s, chain %s",
                 model_licence_field_name((enum r1_lic_field)f), a, b);
        text_row(out, "licence DISAGREES", buf);
    }
}

/* One line per wallet: how many nodes its licences link, or why that is not known. */
static void text_wallets(FILE *out, const struct r1_fleet *f)
{
    for (size_t i = 0; i < f->n_wallets; i++) {
        const struct r1_wallet *w = &f->wallets[i];
        if (R1_VALID(w, WALLET_NODES))
            fprintf(out, "wallet %s: %zu node%s%s%s\n", w->address, w->n_nodes,
                    w->n_nodes == 1 ? "" : "s", w->error[0] ? "; " : "", w->error);
        else
            fprintf(out, "wallet %s: not read%s%s\n", w->address, w->error[0] ? ": " : "",
                    w->error);
    }
    text_error(out, "wallets", &f->src[SRC_WALLETS]);
}

int snapshot_text(FILE *out, const struct r1_fleet *f, double now)
{
    char buf[320], a[64], b[64];
    r1_fmt_duration(a, sizeof(a), f->epoch_left_s);
    fprintf(out, "r1top %s  network %s  epoch %lld (%s left)\n", PACKAGE_VERSION, f->net->name,
            (long long)f->epoch_now, a);
    text_error(out, "oracle", &f->src[SRC_ORACLE_EPOCH]);
    if (f->discovery_note[0])
        fprintf(out, "%s\n", f->discovery_note);
    text_wallets(out, f);
    for (size_t i = 0; i < f->n_nodes; i++) {
        const struct r1_node *n = &f->nodes[i];
        char why[128];
        derive_online_text(&n->status, why, sizeof(why));
        const char *alias = model_node_alias(n);
        fprintf(out, "\nnode %s%s%s%s  [%s: %s]\n", n->name, alias[0] ? " (alias " : "", alias,
                alias[0] ? ")" : "", online_names[n->status.online], why);
        if (n->status.problem.kind != R1_PROB_NONE) {
            derive_problem_text(&n->status.problem, buf, sizeof(buf));
            text_row(out, "problem", buf);
        }
        text_row(out, "address", model_node_address(n));
        text_row(out, "eth address", model_node_eth(n));
        if (n->from_wallet[0])
            text_row(out, "from wallet", n->from_wallet);
        bool ver_oracle = false;
        const char *ver = model_node_version(n, &ver_oracle);
        snprintf(buf, sizeof(buf), "%s%s", ver, ver[0] && ver_oracle ? " (oracle)" : "");
        text_row(out, "version", buf);
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
            char t[R1_ERR_MAX + 32];
            text_row(out, "  oracle reply", text_trust(l->trust, l->trust_reason, "", t, sizeof(t)));
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
            /* the reason shown is the one of the reply the weakest verdict came from */
            bool lic_weaker = n->rew.poa_trust == n->lic.trust && n->lic.trust != n->range.trust;
            const char *reason = lic_weaker ? n->lic.trust_reason : n->range.trust_reason;
            const char *signer = lic_weaker ? "" : n->range.signer;
            amount_fmt(a, sizeof(a), n->rew.poa_claimable_wei, R1_WEI_DECIMALS, 4);
            char t[R1_ERR_MAX + 32];
            snprintf(buf, sizeof(buf), "%s R1 (epochs %lld-%lld) [%.120s]", a,
                     (long long)n->rew.poa_from_epoch, (long long)n->rew.poa_to_epoch,
                     text_trust(n->rew.poa_trust, reason, signer, t, sizeof(t)));
            text_row(out, "PoA claimable", buf);
        } else {
            text_row(out, "PoA claimable", rew_names[n->rew.poa_status]);
        }
        if (n->rew.contract_known && !n->chain.calc_mnd) {
            /* the ND contract's own figure beside r1top's: a cross-check */
            amount_fmt(a, sizeof(a), n->rew.contract_wei, R1_WEI_DECIMALS, 4);
            snprintf(buf, sizeof(buf), "%s R1%s", a,
                     n->rew.contract_differs ? " (DIFFERS from r1top's figure)" : "");
            text_row(out, "ND contract says", buf);
        }
        text_chain(out, n, now);
        snprintf(buf, sizeof(buf), "%d pipeline(s), %zu instance(s)", n->work.n_pipelines,
                 n->work.n_rows);
        if (n->work.n_files_read < n->work.n_files_total) {
            size_t used = strlen(buf);
            snprintf(buf + used, sizeof(buf) - used, "; %d of %d pipeline files read",
                     n->work.n_files_read, n->work.n_files_total);
        }
        text_row(out, "workloads", R1_VALID(&n->work, WORK_LIST) ? buf : NULL);
        text_unit(out, n);
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
        for (int s = 0; s < SRC_COUNT; s++) {
            const struct r1_source_ops *ops = source_get((enum r1_source_id)s);
            if (ops->scope == R1_SCOPE_NODE)
                text_error(out, ops->name, &n->src[s]);
        }
    }
    return ferror(out) ? -1 : 0;
}
