/* model: lifetime of the fleet and its nodes, meta bookkeeping (valid bits, ages, errors),
 * and the few derived views every reader needs: best-known identity and the online state.
 * Does not parse anything (sources/) nor compute rewards (rewards.c).
 * Called by app.c (fleet lifetime), the sources (writers), ui/ and snapshot.c (readers). */
#include "model.h"

#include "manage.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void model_fleet_init(struct r1_fleet *f, const struct r1_network *net)
{
    memset(f, 0, sizeof(*f));
    f->net = net ? net : network_get(R1_NET_MAINNET);
    r1_strlcpy(f->oracle_url, f->net->oracle_url, sizeof(f->oracle_url));
    f->epoch.current_epoch = -1;
}

void model_fleet_add_wallet(struct r1_fleet *f, const char *address)
{
    f->wallets = xrealloc(f->wallets, (f->n_wallets + 1) * sizeof(*f->wallets));
    struct r1_wallet *w = &f->wallets[f->n_wallets++];
    memset(w, 0, sizeof(*w));
    r1_strlcpy(w->address, address, sizeof(w->address));
}

static void oracle_node_init(struct r1_oracle_node *o)
{
    o->last_epoch_id = -1;
    o->from_epoch = o->to_epoch = -1;
    o->server_current_epoch = o->server_last_synced_epoch = -1;
    o->trust = R1_TRUST_UNCHECKED;
}

/* Grows f->nodes, so pointers to earlier nodes are invalidated: hold indices, not pointers,
 * across calls. */
struct r1_node *model_fleet_add(struct r1_fleet *f, const char *name)
{
    f->nodes = xrealloc(f->nodes, (f->n_nodes + 1) * sizeof(*f->nodes));
    struct r1_node *n = &f->nodes[f->n_nodes++];
    memset(n, 0, sizeof(*n));
    n->id = (uint32_t)(f->n_nodes - 1);
    /* Config names are the operator's text, but may also come from discovery: sanitise. */
    r1_sanitize(n->name, sizeof(n->name), name ? name : "");
    /* -1 marks "no epoch" on top of the valid bits, so a reader that forgets to check a bit
     * shows an impossible epoch rather than a plausible epoch 0. */
    n->info.current_epoch = -1;
    oracle_node_init(&n->orc);
    oracle_node_init(&n->range);
    n->lic.last_claim_epoch = -1;
    n->chain.lic.last_claim_epoch = -1;
    n->rew.poai_src = -1;
    n->rew.poa_status = R1_REW_UNKNOWN;
    n->rew.poa_from_epoch = n->rew.poa_to_epoch = -1;
    return n;
}

void model_fleet_free(struct r1_fleet *f)
{
    for (size_t i = 0; i < f->n_nodes; i++) {
        model_workloads_clear(&f->nodes[i].work);
        model_oracle_node_clear(&f->nodes[i].orc);
        model_oracle_node_clear(&f->nodes[i].range);
        model_src_status_clear(f->nodes[i].src, R1_SRC_SLOTS);
        free(f->nodes[i].gpus);
        manage_free(f->nodes[i].mng);
    }
    model_src_status_clear(f->src, R1_SRC_SLOTS);
    for (size_t i = 0; i < f->n_wallets; i++)
        free(f->wallets[i].nodes);
    free(f->wallets);
    f->wallets = NULL;
    f->n_wallets = 0;
    free(f->wallets_req);
    f->wallets_req = NULL;
    free(f->nodes);
    f->nodes = NULL;
    f->n_nodes = 0;
}

/* ---- meta ------------------------------------------------------------------------------ */

void model_meta_ok(struct r1_meta *m, double now)
{
    m->updated_at = now;
}

void model_error_format(const struct r1_error *e, const char *url, char *dst, size_t dst_size)
{
    /* url NULL: the short form for narrow places, the reason without where it came from */
    const char *u = url && url[0] ? url : "?";
    bool brief = url == NULL;
    switch (e->kind) {
    case R1_EK_NONE:
        snprintf(dst, dst_size, "%s", "");
        break;
    case R1_EK_HTTP:
        snprintf(dst, dst_size, "HTTP %ld%s%s%s%s", e->http_code, brief ? "" : " from ",
                 brief ? "" : u, e->reason[0] ? ": " : "", e->reason);
        break;
    case R1_EK_REDIRECT:
        snprintf(dst, dst_size, "HTTP %ld redirect%s%s to %s (not followed)", e->http_code,
                 brief ? "" : " from ", brief ? "" : u, e->reason[0] ? e->reason : "?");
        break;
    case R1_EK_TRANSPORT:
    case R1_EK_TIMEOUT:
    case R1_EK_TOO_BIG:
    case R1_EK_PERMISSION:
    case R1_EK_RATE_LIMITED:
        snprintf(dst, dst_size, brief ? "%s" : "%s (%s)", e->reason, u);
        break;
    case R1_EK_BAD_SIGNATURE:
        snprintf(dst, dst_size, brief ? "BAD SIGNATURE: %s" : "BAD SIGNATURE: %s (%s)", e->reason,
                 u);
        break;
    default:
        snprintf(dst, dst_size, "%s", e->reason);
        break;
    }
}

void model_src_status_clear(struct r1_src_status *st, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(st[i].url);
        st[i].url = NULL;
    }
}

double model_meta_age(const struct r1_meta *m, double now)
{
    if (m->updated_at <= 0)
        return -1;
    double age = now - m->updated_at;
    return age < 0 ? 0 : age;   /* a clock step backwards is not "never read" */
}

/* ---- identity -------------------------------------------------------------------------- */

const char *model_node_address(const struct r1_node *n)
{
    if (n->addr_cfg[0])
        return n->addr_cfg;
    if (R1_VALID(&n->info, INFO_ADDRESS) && n->info.address[0])
        return n->info.address;
    if (n->status.oracle_addr_derives)
        return n->orc.node_addr;
    return "";
}

const char *model_node_eth(const struct r1_node *n)
{
    if (n->eth_cfg[0])
        return n->eth_cfg;
    if (R1_VALID(&n->info, INFO_ETH) && n->info.eth_address[0])
        return n->info.eth_address;
    return "";   /* never learnt from the oracle: replies are checked against this (D2) */
}

const char *model_node_alias(const struct r1_node *n)
{
    if (R1_VALID(&n->info, INFO_ALIAS) && n->info.alias[0])
        return n->info.alias;
    if (R1_VALID(&n->orc, ORC_ALIAS) && n->orc.node_alias[0])
        return n->orc.node_alias;
    if (R1_VALID(&n->range, ORC_ALIAS) && n->range.node_alias[0])
        return n->range.node_alias;
    return "";
}

const char *model_node_version(const struct r1_node *n, bool *from_oracle)
{
    if (from_oracle)
        *from_oracle = false;
    if (R1_VALID(&n->info, INFO_VERSION) && n->info.version[0])
        return n->info.version;
    if (R1_VALID(&n->orc, ORC_VERSION) && n->orc.node_version[0]) {
        if (from_oracle)
            *from_oracle = true;
        return n->orc.node_version;
    }
    return "";
}

const char *model_node_label(const struct r1_node *n)
{
    const char *alias = model_node_alias(n);
    return alias[0] ? alias : n->name;
}

/* ---- containers ------------------------------------------------------------------------ */

void model_series_push(struct r1_series *s, float v)
{
    if (s->n < 0 || s->n > R1_HIST_MAX)
        s->n = 0;
    if (s->n == R1_HIST_MAX) {
        /* oldest first: drop v[0]. 64 floats; a memmove is cheaper than ring bookkeeping in
         * every reader. */
        memmove(&s->v[0], &s->v[1], (R1_HIST_MAX - 1) * sizeof(s->v[0]));
        s->n--;
    }
    s->v[s->n++] = v;
}

struct r1_gpu *model_node_gpus(struct r1_node *n)
{
    if (!n->gpus)
        n->gpus = xcalloc(R1_GPU_MAX, sizeof(*n->gpus));
    return n->gpus;
}

void model_instance_init(struct r1_instance *r)
{
    memset(r, 0, sizeof(*r));
    r->port = -1;     /* 0 is a port number a plugin could report; -1 is "none" */
    r->job_id = -1;   /* not deeployed */
}

void model_workloads_clear(struct r1_workloads *w)
{
    /* Values go; meta's times, source, error and fail count stay with the group. */
    free(w->rows);
    w->rows = NULL;
    w->n_rows = 0;
    w->n_pipelines = 0;
    w->n_unreadable = 0;
    w->n_files_total = w->n_files_read = 0;
    w->file_error[0] = '\0';
    w->meta.valid = 0;
}

void model_oracle_node_clear(struct r1_oracle_node *o)
{
    free(o->epochs_u8);
    struct r1_meta keep = o->meta;
    memset(o, 0, sizeof(*o));
    o->meta = keep;
    o->meta.valid = 0;
    oracle_node_init(o);
}

const char *model_trust_name(int trust)
{
    static const char *const names[] = {"unchecked",      "verified",      "unsigned",
                                        "unknown_signer", "bad_signature", "chain"};
    return trust >= 0 && (size_t)trust < R1_ARRAY_LEN(names) ? names[trust] : "unknown";
}

/* The keys of the JSON licence block (export/snapshot.c), by field. */
static const char *const lic_field_names[] = {
    [LIC_TYPE] = "type",
    [LIC_ID] = "id",
    [LIC_OWNER] = "owner",
    [LIC_NODE_ADDR] = "node_address",
    [LIC_ASSIGNED] = "total_assigned_wei",
    [LIC_CLAIMED] = "total_claimed_wei",
    [LIC_LAST_CLAIM] = "last_claim_epoch",
    [LIC_ASSIGN_TS] = "assign_timestamp_unix_s",
    [LIC_LAST_ORACLE] = "last_claim_oracle",
    [LIC_BANNED] = "banned",
    [LIC_VALID] = "valid",
    [LIC_POAI_USDC] = "poai_usdc_micro",
    [LIC_POAI_R1] = "poai_r1_wei",
};

const char *model_licence_field_name(enum r1_lic_field f)
{
    return (unsigned)f < R1_ARRAY_LEN(lic_field_names) ? lic_field_names[f] : "?";
}

static void lower_copy(char *dst, size_t n, const char *src)
{
    r1_strlcpy(dst, src, n);
    for (char *c = dst; *c; c++)
        *c = (char)tolower((unsigned char)*c);
}

bool model_licence_field_text(const struct r1_licence *l, enum r1_lic_field f, char *dst,
                              size_t dst_size)
{
    dst[0] = '\0';
    if (!R1_VALID(l, f))
        return false;
    switch (f) {
    case LIC_TYPE:
        snprintf(dst, dst_size, "%s", model_licence_name(l->type));
        break;
    case LIC_ID:
        snprintf(dst, dst_size, "%llu", (unsigned long long)l->licence_id);
        break;
    case LIC_OWNER:
        lower_copy(dst, dst_size, l->owner);
        break;
    case LIC_NODE_ADDR:
        lower_copy(dst, dst_size, l->node_address);
        break;
    case LIC_LAST_ORACLE:
        lower_copy(dst, dst_size, l->last_claim_oracle);
        break;
    case LIC_ASSIGNED:
        amount_to_dec(dst, dst_size, l->total_assigned_wei);
        break;
    case LIC_CLAIMED:
        amount_to_dec(dst, dst_size, l->total_claimed_wei);
        break;
    case LIC_POAI_USDC:
        amount_to_dec(dst, dst_size, l->poai_usdc_micro);
        break;
    case LIC_POAI_R1:
        amount_to_dec(dst, dst_size, l->poai_r1_wei);
        break;
    case LIC_LAST_CLAIM:
        snprintf(dst, dst_size, "%lld", (long long)l->last_claim_epoch);
        break;
    case LIC_ASSIGN_TS:
        snprintf(dst, dst_size, "%.0f", l->assign_timestamp);
        break;
    case LIC_BANNED:
        snprintf(dst, dst_size, "%s", l->is_banned ? "true" : "false");
        break;
    case LIC_VALID:
        snprintf(dst, dst_size, "%s", l->is_valid ? "true" : "false");
        break;
    }
    return true;
}

const char *model_licence_name(enum r1_lic_type t)
{
    switch (t) {
    case R1_LIC_ND:
        return "ND";
    case R1_LIC_MND:
        return "MND";
    case R1_LIC_GND:
        return "GND";
    default:
        return "none";
    }
}
