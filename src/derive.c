/* derive: see derive.h. Every rule that turns raw figures into a verdict a person reads lives
 * here once: the online state (status file age first, the oracle's view second), the epoch
 * (a verified oracle epoch near the clock's, else the clock's), the rewards estimate and the
 * weakest trust behind it. */
#include "derive.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "epoch.h"
#include "rewards.h"
#include "sources/source.h"
#include "util.h"

void derive_epoch(struct r1_fleet *f, double now)
{
    int64_t clock = epoch_at(f->net, now);
    int64_t e = clock;
    f->epoch_from_oracle = false;
    /* D3: an unsigned, forged or replayed epoch never drives an estimate; a verified one that
     * disagrees with the clock by more than the skew means one of the two is wrong, and the
     * clock is the one r1top can stand behind. */
    if (R1_VALID(&f->epoch, FLEET_EPOCH) && f->epoch.trust == R1_TRUST_VERIFIED &&
        f->epoch.current_epoch >= clock - DERIVE_EPOCH_SKEW &&
        f->epoch.current_epoch <= clock + DERIVE_EPOCH_SKEW) {
        e = f->epoch.current_epoch;
        f->epoch_from_oracle = true;
    }
    f->epoch_now = e;
    f->epoch_left_s = epoch_remaining_s(f->net, now);
    f->epoch_frac = epoch_elapsed_frac(f->net, now);
}

/* The oracle's view, from node_last_epoch or else node_epochs_range; NULL if neither has it. */
static const struct r1_oracle_node *oracle_view(const struct r1_node *n)
{
    /* an answer about a node the oracle never saw says nothing of its state (its "offline" is
     * a placeholder, docs/protocol.md §2.5): the node is unknown, not down */
    if (R1_VALID(&n->orc, ORC_ONLINE) && !n->orc.unknown_node)
        return &n->orc;
    if (R1_VALID(&n->range, ORC_ONLINE) && !n->range.unknown_node)
        return &n->range;
    return NULL;
}

static void derive_online(struct r1_node *n, double now)
{
    struct r1_node_status *st = &n->status;
    const struct r1_oracle_node *o = oracle_view(n);
    st->online = R1_ONLINE_UNKNOWN;
    st->basis = R1_BASIS_NONE;
    st->file_age_s = NAN;
    st->oracle_seen_s = NAN;
    st->file_configured = n->status_dir_url[0] != '\0';
    st->oracle_known = o != NULL;
    st->oracle_online = o && o->is_online;
    if (o && R1_VALID(o, ORC_LAST_SEEN) && o->last_seen_s >= 0) {
        /* node_last_seen_sec was measured when the oracle replied; add the reply's age. */
        double reply_age = model_meta_age(&o->meta, now);
        st->oracle_seen_s = o->last_seen_s + (reply_age > 0 ? reply_age : 0);
    }
    bool have_file = st->file_configured && R1_VALID(&n->info, INFO_MTIME) &&
                     n->info.file_mtime > 0;
    if (have_file) {
        /* The status file is the node's own heartbeat and the freshest signal; it decides. A
         * host clock a little behind the node's gives a negative age: "just written". */
        double age = now - n->info.file_mtime;
        st->file_age_s = age < 0 ? 0 : age;
        st->basis = R1_BASIS_FILE;
        st->online = st->file_age_s < DERIVE_FILE_FRESH_S    ? R1_ONLINE_YES
                     : st->file_age_s <= DERIVE_FILE_DEAD_S ? R1_ONLINE_STALE
                                                             : R1_ONLINE_NO;
        if (st->online == R1_ONLINE_YES && o && !o->is_online) {
            /* Alive locally but invisible to the network loses rewards: say so. */
            st->basis = R1_BASIS_FILE_ORACLE_OFFLINE;
        } else if (st->online != R1_ONLINE_YES && o && o->is_online &&
                   !isnan(st->oracle_seen_s) && st->oracle_seen_s < DERIVE_ORACLE_SEEN_S) {
            /* The network still hears the node: its file stopped changing (a wrong path, a
             * stuck writer), worth a look, but it is not down. */
            st->online = R1_ONLINE_STALE;
            st->basis = R1_BASIS_FILE_ORACLE_SEES;
        }
        return;
    }
    if (o) {
        st->basis = R1_BASIS_ORACLE;
        if (!o->is_online)
            st->online = R1_ONLINE_NO;
        else if (isnan(st->oracle_seen_s))
            st->online = R1_ONLINE_UNKNOWN;
        else
            st->online = st->oracle_seen_s < DERIVE_ORACLE_SEEN_S ? R1_ONLINE_YES : R1_ONLINE_STALE;
        return;
    }
    st->basis = st->file_configured ? R1_BASIS_FILE_NOT_READ : R1_BASIS_NONE;
}

static const struct {
    const char *docker;
    enum r1_container_state st;
} container_states[] = {
    {"running", R1_CT_RUNNING}, {"restarting", R1_CT_RESTARTING}, {"paused", R1_CT_PAUSED},
    {"created", R1_CT_CREATED}, {"exited", R1_CT_EXITED},         {"dead", R1_CT_DEAD},
    {"removing", R1_CT_REMOVING},
};

enum r1_container_state derive_container_state(const char *docker_state)
{
    if (!docker_state || !docker_state[0])
        return R1_CT_UNKNOWN;
    for (size_t i = 0; i < R1_ARRAY_LEN(container_states); i++)
        if (strcmp(docker_state, container_states[i].docker) == 0)
            return container_states[i].st;
    return R1_CT_OTHER;
}

/* Why the node's process ended, from its container's exit code (docs/protocol.md §7.3); 128+N
 * is Docker's "killed by signal N". NULL for a code with no known meaning. */
static const struct {
    int code;
    const char *why;
} exit_meanings[] = {
    {0, "stopped by a STOP command or for an update"},
    {1, "graceful shutdown"},
    {10, "RESTART command: an r1setup host reboots"},
    {51, "exception, lost comms or low memory"},
    {52, "configuration error"},
    {137, "killed (SIGKILL)"},
    {143, "terminated (SIGTERM)"},
};

const char *derive_exit_meaning(int code)
{
    for (size_t i = 0; i < R1_ARRAY_LEN(exit_meanings); i++)
        if (exit_meanings[i].code == code)
            return exit_meanings[i].why;
    return NULL;
}

const char *derive_container_name(enum r1_container_state s)
{
    for (size_t i = 0; i < R1_ARRAY_LEN(container_states); i++)
        if (container_states[i].st == s)
            return container_states[i].docker;
    return s == R1_CT_OTHER ? "other" : "unknown";
}

/* The weaker of two verdicts: BAD beats everything, then unknown signer, unsigned, unchecked. */
static int trust_weakest(int a, int b)
{
    static const int rank[] = {[R1_TRUST_VERIFIED] = 0, [R1_TRUST_UNCHECKED] = 1,
                               [R1_TRUST_UNSIGNED] = 2, [R1_TRUST_UNKNOWN_SIGNER] = 3,
                               [R1_TRUST_BAD] = 4};
    int ra = a >= 0 && a <= R1_TRUST_BAD ? rank[a] : 4;
    int rb = b >= 0 && b <= R1_TRUST_BAD ? rank[b] : 4;
    return ra >= rb ? a : b;
}

/* Section 5 of the reshape issue: a node configured by ETH address alone shows the 0xai
 * address a node-bound oracle reply carries. oracle.c keeps that address only when it is one
 * and the reply's ETH address is the same key (the binding checked it once, when the reply
 * came): here it is enough that the reply's ETH address is the configured one. No key is
 * parsed per frame (it cost 40 % of a 1,000-node fleet's CPU). */
static bool oracle_addr_derives(const struct r1_node *n)
{
    return n->eth_cfg[0] && n->orc.node_addr[0] && R1_VALID(&n->orc, ORC_ETH) &&
           strcasecmp(n->orc.node_eth, n->eth_cfg) == 0;
}

/* PoAI accrued (docs/protocol.md §5.6): the oracle's licence copy carries it only if an oracle
 * ever adds it (none does today); the chain's getNodePoAIRewards otherwise. */
static void derive_poai(struct r1_node *n)
{
    struct r1_rewards *r = &n->rew;
    const struct r1_licence *l = &n->lic;
    const struct r1_chain_node *c = &n->chain;
    r->poai_known = false;
    r->poai_src = -1;
    r->poai_trust = R1_TRUST_UNCHECKED;
    if (R1_VALID(l, LIC_POAI_USDC) && R1_VALID(l, LIC_POAI_R1)) {
        r->poai_known = true;
        r->poai_usdc_micro = l->poai_usdc_micro;
        r->poai_r1_wei = l->poai_r1_wei;
        r->poai_src = l->meta.fed_by > 0 ? l->meta.fed_by - 1 : SRC_ORACLE_LAST;
        r->poai_trust = l->trust;
    } else if (R1_VALID(c, CHAIN_POAI_USDC) && R1_VALID(c, CHAIN_POAI_R1)) {
        r->poai_known = true;
        r->poai_usdc_micro = c->poai_usdc_micro;
        r->poai_r1_wei = c->poai_r1_wei;
        r->poai_src = SRC_CHAIN;
        r->poai_trust = R1_TRUST_CHAIN;
    }
}

/* Which licence fields the oracle's signed copy and the chain's answer disagree on. Compared as
 * the text both would be shown as (addresses in one case), field by field, only where both
 * know the field: a disagreement is shown, never resolved (the oracle may lag a claim). */
static uint32_t licence_disagreement(const struct r1_licence *orc, const struct r1_licence *ch)
{
    uint32_t mask = 0;
    for (int f = LIC_TYPE; f <= LIC_BANNED; f++) {
        char a[R1_ADDR_MAX], b[R1_ADDR_MAX];
        if (model_licence_field_text(orc, (enum r1_lic_field)f, a, sizeof(a)) &&
            model_licence_field_text(ch, (enum r1_lic_field)f, b, sizeof(b)) && strcmp(a, b) != 0)
            mask |= UINT32_C(1) << f;
    }
    return mask;
}

/* The contract's own claimable figure (docs/protocol.md §5.5). MND and GND: it is the figure,
 * since r1top cannot compute theirs (adoption, carry-over, owner-set curve constants are on
 * chain); its trust is the chain's. ND: r1top's own arithmetic stays the figure (it rests on
 * signed oracle data) and the contract's is a cross-check, flagged when the two differ over the
 * same epochs. */
static void derive_contract_claim(struct r1_node *n)
{
    const struct r1_chain_node *c = &n->chain;
    struct r1_rewards *r = &n->rew;
    r->contract_known = R1_VALID(c, CHAIN_CALC);
    r->contract_wei = r->contract_known ? c->calc_rewards_wei : 0;
    r->contract_differs = false;
    if (!r->contract_known) {
        if (r->poa_status == R1_REW_UNSUPPORTED)
            snprintf(r->poa_note, sizeof(r->poa_note),
                     "only the MND contract computes MND and GND rewards: %.100s",
                     c->calc_note[0] ? c->calc_note : "its figure is not read yet (chain source)");
        return;
    }
    if (c->calc_mnd && r->poa_status == R1_REW_UNSUPPORTED) {
        r->poa_status = R1_REW_OK;
        r->poa_claimable_wei = c->calc_rewards_wei;
        r->poa_from_epoch = c->calc_from;
        r->poa_to_epoch = c->calc_to;
        r->poa_capped = false;
        r->poa_trust = R1_TRUST_CHAIN;
        char carry[48], held[48];
        amount_fmt(carry, sizeof(carry), c->calc_carryover_wei, R1_WEI_DECIMALS, 4);
        amount_fmt(held, sizeof(held), c->calc_withheld_wei, R1_WEI_DECIMALS, 4);
        char note[R1_REASON_MAX * 2];
        snprintf(note, sizeof(note),
                 "the MND contract's figure for epochs %" PRId64 "..%" PRId64
                 " (carry-over %s, withheld %s R1)",
                 c->calc_from, c->calc_to, carry, held);
        r1_strlcpy(r->poa_note, note, sizeof(r->poa_note));
    } else if (!c->calc_mnd && r->poa_status == R1_REW_OK && c->calc_from == r->poa_from_epoch &&
               c->calc_to == r->poa_to_epoch) {
        r->contract_differs = c->calc_rewards_wei != r->poa_claimable_wei;
    }
}

void derive_node(const struct r1_fleet *f, struct r1_node *n, double now)
{
    n->status.oracle_addr_derives = oracle_addr_derives(n);
    derive_online(n, now);
    n->status.container = R1_VALID(&n->dock, DOCK_STATE) ? derive_container_state(n->dock.state)
                                                         : R1_CT_UNKNOWN;
    rewards_update(n, f->epoch_now);
    n->rew.poa_trust = trust_weakest(n->lic.trust, n->range.trust);
    derive_contract_claim(n);
    derive_poai(n);
    n->rew.lic_disagree =
        R1_VALID(&n->chain, CHAIN_LICENCE) ? licence_disagreement(&n->lic, &n->chain.lic) : 0;
    derive_problem(f, n);
}

void derive_fleet(struct r1_fleet *f, double now)
{
    derive_epoch(f, now);
    for (size_t i = 0; i < f->n_nodes; i++)
        derive_node(f, &f->nodes[i], now);
}

void derive_online_text(const struct r1_node_status *st, char *dst, size_t dst_size)
{
    char file[24] = "", seen[24] = "";
    if (!isnan(st->file_age_s))
        r1_fmt_age(file, sizeof(file), st->file_age_s);
    if (!isnan(st->oracle_seen_s))
        r1_fmt_age(seen, sizeof(seen), st->oracle_seen_s);
    const char *pre = st->file_configured ? "status file unreadable; " : "";
    switch (st->basis) {
    case R1_BASIS_NONE:
        snprintf(dst, dst_size, "no status file and no oracle data");
        break;
    case R1_BASIS_FILE_NOT_READ:
        snprintf(dst, dst_size, "status file not read yet");
        break;
    case R1_BASIS_FILE:
        snprintf(dst, dst_size, "status file %s old", file);
        break;
    case R1_BASIS_FILE_ORACLE_OFFLINE:
        snprintf(dst, dst_size, "status file %s old; oracle says offline", file);
        break;
    case R1_BASIS_FILE_ORACLE_SEES:
        snprintf(dst, dst_size, "status file %s old, but the oracle saw it %s ago", file, seen);
        break;
    case R1_BASIS_ORACLE:
        if (!st->oracle_online)
            snprintf(dst, dst_size, seen[0] ? "%soracle: offline, last seen %s ago"
                                            : "%soracle: offline%s",
                     pre, seen);
        else if (seen[0])
            snprintf(dst, dst_size, "%soracle: last seen %s ago", pre, seen);
        else
            snprintf(dst, dst_size, "%soracle: online, last seen unknown", pre);
        break;
    }
}

/* ---- the most urgent problem (the fleet screen's PROBLEM column) ------------------------- */

/* docs/protocol.md §2.5: the oracle answers for an address it never saw with "node":
 * "unknown:0x<ETH>", offline, and availabilities that are all zero: placeholders, not facts
 * about the node. */
static bool oracle_unknown_node(const struct r1_oracle_node *o)
{
    return o && o->unknown_node;
}

static void problem_set(struct r1_node_problem *p, enum r1_problem kind, double age_s, int pct,
                        int src)
{
    p->kind = kind;
    p->age_s = age_s;
    p->pct = pct;
    p->src = src;
}

/* The oracle source whose stored reply does not verify, or -1. */
static int bad_signature_src(const struct r1_node *n)
{
    if (n->orc.trust == R1_TRUST_BAD)
        return SRC_ORACLE_LAST;
    if (n->range.trust == R1_TRUST_BAD)
        return SRC_ORACLE_RANGE;
    if (n->lic.trust == R1_TRUST_BAD)
        return n->lic.meta.fed_by > 0 ? n->lic.meta.fed_by - 1 : SRC_ORACLE_LAST;
    for (int i = 0; i < R1_SRC_SLOTS; i++)
        if (n->src[i].err.kind == R1_EK_BAD_SIGNATURE)
            return i;
    return -1;
}

static int pct_of_u8(int avail_u8)
{
    return avail_u8 * 100 / 255;
}

/* The availability a person would call this node's: this epoch so far from the status file,
 * else the last epoch the oracle has; -1 when neither is known. *src says which. */
static int availability_pct(const struct r1_fleet *f, const struct r1_node *n, int *src)
{
    const struct r1_node_info *in = &n->info;
    if (R1_VALID(in, INFO_CUR_AVAIL) && R1_VALID(in, INFO_CUR_EPOCH) &&
        in->current_epoch == f->epoch_now && n->status.online == R1_ONLINE_YES) {
        *src = SRC_NODE_INFO;
        return (int)(in->current_epoch_avail * 100.0);
    }
    if (R1_VALID(&n->orc, ORC_LAST_EPOCH) && n->orc.last_epoch_id >= f->epoch_now - 1 &&
        !oracle_unknown_node(&n->orc)) {
        *src = SRC_ORACLE_LAST;
        return pct_of_u8(n->orc.last_epoch_u8);
    }
    const struct r1_oracle_node *rg = &n->range;
    if (R1_VALID(rg, ORC_EPOCHS) && rg->epochs_u8 && rg->n_epochs > 0 &&
        rg->from_epoch + rg->n_epochs - 1 >= f->epoch_now - 1 && !oracle_unknown_node(rg)) {
        *src = SRC_ORACLE_RANGE;
        return pct_of_u8(rg->epochs_u8[rg->n_epochs - 1]);
    }
    return -1;
}

/* The licence's own problem (banned, not valid, none), or R1_PROB_NONE. */
static enum r1_problem licence_problem(const struct r1_licence *l)
{
    if (!R1_VALID(l, LIC_TYPE))
        return R1_PROB_NONE;
    if (l->type == R1_LIC_NONE)
        return R1_PROB_NO_LICENCE;
    if (R1_VALID(l, LIC_BANNED) && l->is_banned)
        return R1_PROB_LIC_BANNED;
    if (R1_VALID(l, LIC_VALID) && !l->is_valid)
        return R1_PROB_LIC_INVALID;
    return R1_PROB_NONE;
}

/* The first source whose last attempt failed (a bad signature is its own problem), or -1. */
static int failing_src(const struct r1_node *n)
{
    for (int i = 0; i < R1_SRC_SLOTS; i++) {
        const struct r1_src_status *st = &n->src[i];
        if (st->configured && st->err.kind != R1_EK_NONE && st->err.kind != R1_EK_BAD_SIGNATURE)
            return i;
    }
    return -1;
}

/* Every check below is a candidate; the most urgent one found wins (enum r1_problem's order).
 * Why that order: a node that is down loses its rewards now. A bad signature comes next
 * because every verdict below that reads the oracle could rest on forged figures, and an
 * address the oracle does not know comes before the verdicts that would read its placeholder
 * answer. A banned or invalid licence earns nothing whatever the availability, so it outranks
 * a low one; "no licence" and syncing oracles cost nothing the operator can fix now, and a
 * failing source is a problem of r1top's view more than of the node. */
void derive_problem(const struct r1_fleet *f, struct r1_node *n)
{
    const struct r1_node_status *st = &n->status;
    struct r1_node_problem *p = &n->status.problem;
    const struct r1_oracle_node *o = oracle_view(n);   /* NULL for an unknown node */
    bool unknown = oracle_unknown_node(&n->orc) ||
                   (!R1_VALID(&n->orc, ORC_ONLINE) && oracle_unknown_node(&n->range));
    bool from_file = st->basis != R1_BASIS_ORACLE && st->basis != R1_BASIS_NONE &&
                     st->basis != R1_BASIS_FILE_NOT_READ;
    double seen = from_file ? st->file_age_s : st->oracle_seen_s;
    int bad_src = bad_signature_src(n);
    problem_set(p, R1_PROB_NONE, NAN, -1, -1);

    /* Offline on the oracle's word alone counts only when that word can be believed. */
    if (st->online == R1_ONLINE_NO &&
        (from_file || (!unknown && !(o && o->trust == R1_TRUST_BAD)))) {
        problem_set(p, R1_PROB_OFFLINE, seen, -1, from_file ? SRC_NODE_INFO : SRC_ORACLE_LAST);
        return;
    }
    /* a few more starts and systemd reboots the host (docs/protocol.md §7.4) */
    if (R1_VALID(&n->unit, UNIT_STARTS) && n->unit.starts_30min >= R1_UNIT_START_WARN) {
        problem_set(p, R1_PROB_RESTART_LOOP, NAN, n->unit.starts_30min, SRC_UNIT);
        return;
    }
    if (bad_src >= 0) {
        problem_set(p, R1_PROB_BAD_SIGNATURE, NAN, -1, bad_src);
        return;
    }
    if (unknown) {
        problem_set(p, R1_PROB_UNKNOWN_NODE, NAN, -1, SRC_ORACLE_LAST);
        return;
    }
    if (st->basis == R1_BASIS_FILE_ORACLE_OFFLINE) {
        problem_set(p, R1_PROB_ORACLE_OFFLINE, NAN, -1, SRC_ORACLE_LAST);
        return;
    }
    if (st->online == R1_ONLINE_STALE) {
        problem_set(p, R1_PROB_STALE, seen, -1, from_file ? SRC_NODE_INFO : SRC_ORACLE_LAST);
        return;
    }
    enum r1_problem lic = licence_problem(&n->lic);
    if (lic == R1_PROB_LIC_BANNED || lic == R1_PROB_LIC_INVALID) {
        problem_set(p, lic, NAN, -1, -1);
        return;
    }
    int src = -1, pct = availability_pct(f, n, &src);
    if (pct >= 0 && pct < DERIVE_AVAIL_LOW_PCT) {
        problem_set(p, R1_PROB_LOW_AVAIL, NAN, pct, src);
        return;
    }
    if (lic != R1_PROB_NONE) {
        problem_set(p, lic, NAN, -1, -1);
        return;
    }
    if (n->rew.poa_status == R1_REW_SYNCING ||
        (o && R1_VALID(o, ORC_SERVER) &&
         o->server_last_synced_epoch < o->server_current_epoch - 1)) {
        problem_set(p, R1_PROB_SYNCING, NAN, -1, SRC_ORACLE_RANGE);
        return;
    }
    src = failing_src(n);
    if (src >= 0)
        problem_set(p, R1_PROB_SOURCE_ERROR, NAN, -1, src);
}

void derive_problem_text(const struct r1_node_problem *p, char *dst, size_t dst_size)
{
    char age[24] = "";
    if (!isnan(p->age_s))
        r1_fmt_age(age, sizeof(age), p->age_s);
    const struct r1_source_ops *src =
        p->src >= 0 && p->src < SRC_COUNT ? source_get((enum r1_source_id)p->src) : NULL;
    switch (p->kind) {
    case R1_PROB_OFFLINE:
        snprintf(dst, dst_size, "offline%s%s", age[0] ? " " : "", age);
        break;
    case R1_PROB_RESTART_LOOP:
        snprintf(dst, dst_size, "restart loop: %d of %d starts", p->pct, R1_UNIT_START_LIMIT);
        break;
    case R1_PROB_BAD_SIGNATURE:
        snprintf(dst, dst_size, "bad signature");
        break;
    case R1_PROB_UNKNOWN_NODE:
        snprintf(dst, dst_size, "unknown to the oracle");
        break;
    case R1_PROB_ORACLE_OFFLINE:
        snprintf(dst, dst_size, "oracle says offline");
        break;
    case R1_PROB_STALE:
        if (p->src == SRC_NODE_INFO)
            snprintf(dst, dst_size, "stale files%s%s", age[0] ? " " : "", age);
        else
            snprintf(dst, dst_size, "not seen for %s", age[0] ? age : "a while");
        break;
    case R1_PROB_LIC_BANNED:
        snprintf(dst, dst_size, "licence banned");
        break;
    case R1_PROB_LIC_INVALID:
        snprintf(dst, dst_size, "licence not valid");
        break;
    case R1_PROB_LOW_AVAIL:
        snprintf(dst, dst_size, "%s %d %%", p->src == SRC_NODE_INFO ? "availability" : "last epoch",
                 p->pct);
        break;
    case R1_PROB_NO_LICENCE:
        snprintf(dst, dst_size, "no licence");
        break;
    case R1_PROB_SYNCING:
        snprintf(dst, dst_size, "oracle syncing");
        break;
    case R1_PROB_SOURCE_ERROR:
        snprintf(dst, dst_size, "%s error", src ? src->label : "source");
        break;
    default:
        snprintf(dst, dst_size, "%s", "");
    }
}
