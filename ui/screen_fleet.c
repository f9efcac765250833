/* screen_fleet: the fleet screen (screen_fleet.h). A cell is made only for the rows the table
 * measures and draws; sorting compares model fields through each column's cmp (no text is
 * formatted to sort), so a key press at 1,000 nodes costs a filter pass, one sort and a frame. */
#include "screen_fleet.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "actions.h"
#include "node_actions.h"
#include "amount.h"
#include "derive.h"
#include "dialog.h"
#include "fleet_edit.h"
#include "menu.h"
#include "screen_node.h"

/* ---- reading a row ----------------------------------------------------------------------- */

static const struct r1_node *row_node(const void *data, size_t row)
{
    return &((const struct fleet_table_data *)data)->f->nodes[row];
}

static const char *glyph_check(const struct fleet_table_data *d)
{
    return d->g ? d->g->check : "v";
}

/* The role a problem is drawn in; the mark column says the same without colour. */
static enum th_role problem_role(const struct r1_node_problem *p)
{
    switch (p->kind) {
    case R1_PROB_NONE:
        return TH_NORMAL;
    case R1_PROB_BAD_SIGNATURE:
        return TH_ALERT;
    case R1_PROB_OFFLINE:
    case R1_PROB_RESTART_LOOP:
    case R1_PROB_UNKNOWN_NODE:
    case R1_PROB_ORACLE_OFFLINE:
    case R1_PROB_LIC_BANNED:
    case R1_PROB_LIC_INVALID:
        return TH_BAD;
    case R1_PROB_LOW_AVAIL:
        return p->pct < 50 ? TH_BAD : TH_WARN;
    default:
        return TH_WARN;
    }
}

/* This epoch's availability so far from the status file, 0..1; NAN when not known. */
static double avail_now(const struct fleet_table_data *d, const struct r1_node *n)
{
    const struct r1_node_info *in = &n->info;
    if (!R1_VALID(in, INFO_CUR_AVAIL) || !R1_VALID(in, INFO_CUR_EPOCH) ||
        in->current_epoch != d->f->epoch_now)
        return NAN;
    return in->current_epoch_avail;
}

#define LAST_N 7

/* The last LAST_N epochs' availability, oldest first: the oracle's range, else the status
 * file's, else the history file's. Returns how many (0: none known). An address the oracle
 * does not know gets placeholder zeros from it (docs/protocol.md §2.5): none. */
static int last_epochs(const struct r1_node *n, uint8_t out[LAST_N])
{
    int k = 0;
    const struct r1_oracle_node *rg = &n->range;
    if (n->status.problem.kind == R1_PROB_UNKNOWN_NODE)
        return 0;
    if (R1_VALID(rg, ORC_EPOCHS) && rg->epochs_u8 && rg->n_epochs > 0) {
        int from = rg->n_epochs > LAST_N ? rg->n_epochs - LAST_N : 0;
        for (int i = from; i < rg->n_epochs; i++)
            out[k++] = rg->epochs_u8[i];
    } else if (R1_VALID(&n->info, INFO_LAST_EPOCHS) && n->info.n_last_epochs > 0) {
        int m = n->info.n_last_epochs;
        for (int i = m > LAST_N ? m - LAST_N : 0; i < m; i++)
            out[k++] = n->info.last_epochs[i].avail_u8;
    } else if (R1_VALID(&n->hist, HIST_LAST_EPOCHS) && n->hist.n_last_epochs > 0) {
        int m = n->hist.n_last_epochs;
        for (int i = m > LAST_N ? m - LAST_N : 0; i < m; i++)
            out[k++] = n->hist.last_epochs_u8[i];
    }
    return k;
}

/* The first GPU's load in percent; -1: the node has no GPU (a reading said so); NAN: unknown. */
static double gpu_load(const struct r1_node *n)
{
    if (n->n_gpus > 0 && n->gpus && R1_VALID(&n->gpus[0], GPU_UTIL))
        return n->gpus[0].util_pct;
    if (n->n_gpus == 0 && n->gpu_meta.updated_at > 0)
        return -1;
    return NAN;
}

/* Worse verdicts rank higher: verified, not checked, unsigned, unknown signer, BAD. */
static int trust_rank(int trust)
{
    static const int rank[] = {[R1_TRUST_VERIFIED] = 0,
                               [R1_TRUST_UNCHECKED] = 1,
                               [R1_TRUST_UNSIGNED] = 2,
                               [R1_TRUST_UNKNOWN_SIGNER] = 3,
                               [R1_TRUST_BAD] = 4};
    return trust >= 0 && trust <= R1_TRUST_BAD ? rank[trust] : 4;
}

/* ---- cells ------------------------------------------------------------------------------- */

static void cell_node(const struct r1_node *n, char *dst, size_t len, enum th_role *role)
{
    const char *alias = model_node_alias(n);
    const char *name = n->name[0] ? n->name : alias;
    /* the oracle calls an address it does not know "unknown": that is no alias */
    bool own_alias =
        R1_VALID(&n->info, INFO_ALIAS) || n->status.problem.kind != R1_PROB_UNKNOWN_NODE;
    if (alias[0] && own_alias && strcmp(alias, name) != 0)
        snprintf(dst, len, "%s [%s]", name, alias);
    else
        snprintf(dst, len, "%s", name);
    *role = n->status.problem.kind != R1_PROB_NONE ? problem_role(&n->status.problem) : TH_VALUE;
}

static void cell_state(const struct r1_node *n, char *dst, size_t len, enum th_role *role)
{
    static const char *const word[] = {"unknown", "online", "stale", "offline"};
    static const enum th_role roles[] = {TH_NA, TH_GOOD, TH_WARN, TH_BAD};
    const struct r1_node_status *st = &n->status;
    enum r1_online o = st->online <= R1_ONLINE_NO ? st->online : R1_ONLINE_UNKNOWN;
    double age = st->basis == R1_BASIS_ORACLE ? st->oracle_seen_s : st->file_age_s;
    char ago[24] = "";
    if (o != R1_ONLINE_UNKNOWN && !isnan(age))
        r1_fmt_age(ago, sizeof ago, age);
    snprintf(dst, len, "%s%s%s", word[o], ago[0] ? " " : "", ago);
    *role = roles[o];
}

static void cell_lic(const struct r1_node *n, char *dst, size_t len, enum th_role *role)
{
    const struct r1_licence *l = &n->lic;
    if (!R1_VALID(l, LIC_TYPE)) {
        snprintf(dst, len, "n/a");
        *role = TH_NA;
        return;
    }
    if (l->type == R1_LIC_NONE) {
        snprintf(dst, len, "none");
        *role = TH_WARN;
        return;
    }
    const char *st = "";
    *role = TH_NORMAL;
    if (R1_VALID(l, LIC_BANNED) && l->is_banned) {
        st = " banned";
        *role = TH_BAD;
    } else if (R1_VALID(l, LIC_VALID)) {
        st = l->is_valid ? " valid" : " invalid";
        *role = l->is_valid ? TH_NORMAL : TH_BAD;
    }
    snprintf(dst, len, "%s%s", model_licence_name(l->type), st);
}

static void cell_last7(const struct fleet_table_data *d, const struct r1_node *n, char *dst,
                       size_t len, enum th_role *role)
{
    static const char *const ascii_spark[8] = {"_", ".", ":", "-", "=", "+", "*", "#"};
    const char *const *spark = d->g ? d->g->spark : ascii_spark;
    uint8_t v[LAST_N];
    int k = last_epochs(n, v);
    if (k == 0) {
        snprintf(dst, len, "n/a");
        *role = TH_NA;
        return;
    }
    size_t used = 0;
    dst[0] = '\0';
    for (int i = k; i < LAST_N; i++) /* the newest epoch always in the last cell */
        used += (size_t)snprintf(dst + used, used < len ? len - used : 0, " ");
    for (int i = 0; i < k && used < len; i++)
        used += (size_t)snprintf(dst + used, len - used, "%s", spark[v[i] * 8 / 256]);
    *role = TH_SPARK;
}

static void cell_claim(const struct r1_node *n, char *dst, size_t len, enum th_role *role)
{
    const struct r1_rewards *rw = &n->rew;
    switch (rw->poa_status) {
    case R1_REW_OK: {
        char a[64];
        amount_fmt(a, sizeof a, rw->poa_claimable_wei, R1_WEI_DECIMALS, 2);
        snprintf(dst, len, "%s R1", a);
        *role = TH_VALUE;
        break;
    }
    case R1_REW_SYNCING:
        snprintf(dst, len, "syncing");
        *role = TH_WARN;
        break;
    case R1_REW_NO_LICENCE:
        snprintf(dst, len, "-");
        *role = TH_NA;
        break;
    case R1_REW_UNSUPPORTED: /* MND/GND: adoption is on-chain (rewards.c) */
        snprintf(dst, len, "not est.");
        *role = TH_NA;
        break;
    default:
        snprintf(dst, len, "n/a");
        *role = TH_NA;
    }
}

static void cell_trust(const struct fleet_table_data *d, const struct r1_node *n, char *dst,
                       size_t len, enum th_role *role)
{
    switch (n->rew.poa_trust) {
    case R1_TRUST_VERIFIED:
        snprintf(dst, len, "%s", glyph_check(d));
        *role = TH_GOOD;
        break;
    case R1_TRUST_UNSIGNED:
        snprintf(dst, len, "?");
        *role = TH_WARN;
        break;
    case R1_TRUST_UNKNOWN_SIGNER:
        snprintf(dst, len, "!");
        *role = TH_WARN;
        break;
    case R1_TRUST_BAD:
        snprintf(dst, len, "BAD");
        *role = TH_ALERT;
        break;
    default:
        snprintf(dst, len, "?");
        *role = TH_NA;
    }
}

static void cell_problem(const struct r1_node *n, char *dst, size_t len, enum th_role *role)
{
    const struct r1_node_problem *p = &n->status.problem;
    derive_problem_text(p, dst, len);
    *role = problem_role(p);
    if (p->kind == R1_PROB_SOURCE_ERROR && p->src >= 0 && p->src < R1_SRC_SLOTS) {
        /* which error, briefly: the node screen has the rest */
        char why[R1_ERR_MAX];
        model_error_format(&n->src[p->src].err, NULL, why, sizeof why);
        size_t used = strlen(dst);
        if (why[0] && used < len)
            snprintf(dst + used, len - used, ": %s", why);
    }
}

static void fleet_cell(const void *data, size_t row, int col, char *dst, size_t n,
                       enum th_role *role)
{
    const struct fleet_table_data *d = data;
    const struct r1_node *node = row_node(data, row);
    switch (col) {
    case FC_MARK: {
        enum th_role r = problem_role(&node->status.problem);
        snprintf(dst, n, "%s", r == TH_NORMAL ? " " : r == TH_WARN ? "*" : "!");
        *role = r;
        break;
    }
    case FC_NODE:
        cell_node(node, dst, n, role);
        break;
    case FC_STATE:
        cell_state(node, dst, n, role);
        break;
    case FC_LIC:
        cell_lic(node, dst, n, role);
        break;
    case FC_AVAIL: {
        double a = avail_now(d, node);
        if (isnan(a)) {
            snprintf(dst, n, "n/a");
            *role = TH_NA;
        } else {
            snprintf(dst, n, "%d%%", (int)(a * 100.0));
            *role = draw_avail_role((int)(a * 255.0));
        }
        break;
    }
    case FC_LAST7:
        cell_last7(d, node, dst, n, role);
        break;
    case FC_GPU: {
        double g = gpu_load(node);
        if (isnan(g) || g < 0) {
            snprintf(dst, n, isnan(g) ? "n/a" : "cpu");
            *role = TH_NA;
        } else {
            snprintf(dst, n, "%.0f%%", g);
        }
        break;
    }
    case FC_CLAIM:
        cell_claim(node, dst, n, role);
        break;
    case FC_POAI:
        /* accrued PoAI in USDC (derive.c: the oracle's figure when it has one, which the real
           oracle never does, docs/protocol.md §5.6; else the chain's) */
        if (node->rew.poai_known) {
            amount_fmt(dst, n, node->rew.poai_usdc_micro, R1_USDC_DECIMALS, 2);
            *role = TH_VALUE;
        } else {
            snprintf(dst, n, "n/a");
            *role = TH_NA;
        }
        break;
    case FC_TRUST:
        cell_trust(d, node, dst, n, role);
        break;
    case FC_PROBLEM:
        cell_problem(node, dst, n, role);
        break;
    default:
        dst[0] = '\0';
    }
}

/* ---- sort keys: model fields, never formatted text ----------------------------------------- */

/* NAN is n/a: below every number, so the first (descending) sort puts the unknown last. */
static int cmp_num(double a, double b)
{
    bool na = isnan(a), nb = isnan(b);
    if (na || nb)
        return na == nb ? 0 : na ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
}

static int cmp_problem(const void *data, size_t a, size_t b)
{
    /* the more urgent problem is the bigger one; none is the least */
    enum r1_problem ka = row_node(data, a)->status.problem.kind;
    enum r1_problem kb = row_node(data, b)->status.problem.kind;
    int ua = ka == R1_PROB_NONE ? 0 : R1_PROB_COUNT - (int)ka;
    int ub = kb == R1_PROB_NONE ? 0 : R1_PROB_COUNT - (int)kb;
    return ua < ub ? -1 : ua > ub ? 1 : 0;
}

static int cmp_node(const void *data, size_t a, size_t b)
{
    const struct r1_node *na = row_node(data, a), *nb = row_node(data, b);
    int r = strcasecmp(na->name, nb->name);
    return r ? r : strcasecmp(model_node_alias(na), model_node_alias(nb));
}

/* Online, unknown, stale, offline; within each the longer since last seen the worse. */
static double state_key(const struct r1_node *n)
{
    static const double sev[] = {
        [R1_ONLINE_YES] = 0, [R1_ONLINE_UNKNOWN] = 1, [R1_ONLINE_STALE] = 2, [R1_ONLINE_NO] = 3};
    const struct r1_node_status *st = &n->status;
    double age = st->basis == R1_BASIS_ORACLE ? st->oracle_seen_s : st->file_age_s;
    double s = st->online <= R1_ONLINE_NO ? sev[st->online] : 1;
    return s * 1e12 + (isnan(age) ? 0 : age);
}

static int cmp_state(const void *data, size_t a, size_t b)
{
    return cmp_num(state_key(row_node(data, a)), state_key(row_node(data, b)));
}

/* Type, then valid, invalid, banned; unknown first. */
static double lic_key(const struct r1_node *n)
{
    const struct r1_licence *l = &n->lic;
    if (!R1_VALID(l, LIC_TYPE))
        return NAN;
    int st = R1_VALID(l, LIC_BANNED) && l->is_banned  ? 2
             : R1_VALID(l, LIC_VALID) && !l->is_valid ? 1
                                                      : 0;
    return (double)l->type * 10 + st;
}

static int cmp_lic(const void *data, size_t a, size_t b)
{
    return cmp_num(lic_key(row_node(data, a)), lic_key(row_node(data, b)));
}

static int cmp_avail(const void *data, size_t a, size_t b)
{
    return cmp_num(avail_now(data, row_node(data, a)), avail_now(data, row_node(data, b)));
}

static double last7_mean(const struct r1_node *n)
{
    uint8_t v[LAST_N];
    int k = last_epochs(n, v);
    if (k == 0)
        return NAN;
    double sum = 0;
    for (int i = 0; i < k; i++)
        sum += v[i];
    return sum / k;
}

static int cmp_last7(const void *data, size_t a, size_t b)
{
    return cmp_num(last7_mean(row_node(data, a)), last7_mean(row_node(data, b)));
}

static int cmp_gpu(const void *data, size_t a, size_t b)
{
    return cmp_num(gpu_load(row_node(data, a)), gpu_load(row_node(data, b)));
}

/* Two amounts, exact on 128 bits; one that is not known (n/a) sorts lowest. */
static int cmp_amount(bool ka, r1_u128 va, bool kb, r1_u128 vb)
{
    if (!ka || !kb)
        return ka == kb ? 0 : ka ? 1 : -1;
    return va < vb ? -1 : va > vb ? 1 : 0;
}

/* an estimate that could not be made is n/a */
static int cmp_claim(const void *data, size_t a, size_t b)
{
    const struct r1_rewards *ra = &row_node(data, a)->rew, *rb = &row_node(data, b)->rew;
    return cmp_amount(ra->poa_status == R1_REW_OK, ra->poa_claimable_wei,
                      rb->poa_status == R1_REW_OK, rb->poa_claimable_wei);
}

static int cmp_poai(const void *data, size_t a, size_t b)
{
    const struct r1_rewards *ra = &row_node(data, a)->rew, *rb = &row_node(data, b)->rew;
    return cmp_amount(ra->poai_known, ra->poai_usdc_micro, rb->poai_known, rb->poai_usdc_micro);
}

static int cmp_trust(const void *data, size_t a, size_t b)
{
    int ta = trust_rank(row_node(data, a)->rew.poa_trust);
    int tb = trust_rank(row_node(data, b)->rew.poa_trust);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/* ---- the table ----------------------------------------------------------------------------- */

/* Priority 0 is what 80 columns must show (NODE, STATE, LIC, CLAIMABLE, PROBLEM); their
 * minimum widths are generous so they fill before the others enter. */
static const struct table_col fleet_cols[FC_COUNT] = {
    [FC_MARK] = {"", 1, 1, 0, false, false, cmp_problem},
    [FC_NODE] = {"NODE", 14, 32, 0, false, false, cmp_node},
    [FC_STATE] = {"STATE", 11, 13, 0, false, false, cmp_state},
    [FC_LIC] = {"LIC", 9, 10, 0, false, false, cmp_lic},
    [FC_AVAIL] = {"AVAIL", 5, 5, 2, true, false, cmp_avail},
    [FC_LAST7] = {"LAST 7", 7, 7, 3, false, false, cmp_last7},
    [FC_GPU] = {"GPU", 4, 4, 2, true, false, cmp_gpu},
    [FC_CLAIM] = {"CLAIMABLE", 10, 16, 0, true, false, cmp_claim},
    [FC_POAI] = {"POAI", 4, 8, 4, true, false, cmp_poai},
    [FC_TRUST] = {"TRUST", 5, 5, 1, false, false, cmp_trust},
    [FC_PROBLEM] = {"PROBLEM", 19, 72, 0, false, false, cmp_problem},
};

/* The direction a column sorts in when it is first picked: figures and urgency the biggest
 * first (htop's habit), words from A. */
static const bool fleet_desc_first[FC_COUNT] = {
    [FC_MARK] = true,  [FC_STATE] = true, [FC_AVAIL] = true, [FC_LAST7] = true,   [FC_GPU] = true,
    [FC_CLAIM] = true, [FC_POAI] = true,  [FC_TRUST] = true, [FC_PROBLEM] = true,
};

static size_t fleet_n_rows(const void *data)
{
    return ((const struct fleet_table_data *)data)->f->n_nodes;
}

static uint64_t fleet_row_id(const void *data, size_t row)
{
    return row_node(data, row)->id;
}

/* The filter matches the configured name, the alias, both addresses and the wallet that
 * brought the node (so a wallet's address lists its nodes). */
static void fleet_filter_text(const void *data, size_t row, char *dst, size_t n)
{
    const struct r1_node *node = row_node(data, row);
    snprintf(dst, n, "%s\n%s\n%s\n%s\n%s", node->name, model_node_alias(node),
             model_node_address(node), model_node_eth(node), node->from_wallet);
}

const struct table_spec screen_fleet_table = {
    .cols = fleet_cols,
    .n_cols = FC_COUNT,
    .n_rows = fleet_n_rows,
    .row_id = fleet_row_id,
    .cell = fleet_cell,
    .filter_text = fleet_filter_text,
    .selectable = true,
    .group_col = -1,
};

void screen_fleet_totals(const struct fleet_table_data *d, const struct table_view *v,
                         struct fleet_totals *t)
{
    memset(t, 0, sizeof *t);
    size_t *order;
    t->shown = table_order(&screen_fleet_table, d, v, &order);
    t->total = d->f->n_nodes;
    for (size_t i = 0; i < t->shown; i++) {
        const struct r1_node *n = &d->f->nodes[order[i]];
        switch (n->status.online) {
        case R1_ONLINE_YES:
            t->up++;
            break;
        case R1_ONLINE_STALE:
            t->stale++;
            break;
        case R1_ONLINE_NO:
            t->down++;
            break;
        default:
            t->unknown++;
        }
        if (n->rew.poa_status == R1_REW_OK) {
            t->claim_known++;
            t->claimable_wei += n->rew.poa_claimable_wei;
        }
        if (n->rew.poai_known) {
            t->poai_known++;
            t->poai_usdc_micro += n->rew.poai_usdc_micro;
        }
    }
    free(order);
}

/* ---- the screen ---------------------------------------------------------------------------- */

struct fleet_screen {
    struct screen base;
    struct table_view tv;
    char filter_before[TABLE_FILTER_MAX]; /* what Esc in the filter prompt goes back to */
    int pick_col[FC_COUNT + 1];           /* the sort menu's choices: -1 own order, columns */
    struct table_widths_memo widths;      /* tv.memo: 1,000 rows are not measured every frame */
};

/* The table's lines: the body's box inside, less the totals line, less the title row. */
static int fleet_page(const struct ui_env *env)
{
    int page = table_page(screen_body(env).h - 3);
    return page > 0 ? page : 1;
}

/* A sum over the nodes that know their figure into sum[80] ("12.34 R1", else "n/a") and the
 * count of those that do not into na[32] (" (3 n/a)", else ""). */
static void fmt_sum(char sum[static 80], char na[static 32], r1_u128 value, int decimals,
                    const char *unit, size_t known, size_t shown)
{
    snprintf(sum, 80, "n/a");
    na[0] = '\0';
    if (!known)
        return;
    char a[64];
    amount_fmt(a, sizeof a, value, decimals, 2);
    snprintf(sum, 80, "%s %s", a, unit);
    if (known < shown)
        snprintf(na, 32, " (%zu n/a)", shown - known);
}

/* The totals line, at the widest of three forms that fits: in words with the n/a counts, in
 * figures with the claimable n/a count, in figures alone ("12 up 1 stale 2 down"). */
static void draw_totals(const struct r1_cv *cv, int row, const struct fleet_table_data *d,
                        const struct table_view *v)
{
    struct fleet_totals t;
    screen_fleet_totals(d, v, &t);
    const char *sep = d->g ? d->g->sep : "|";
    char claim[80], unknown[32] = "", na[32], poai[80], poai_na[32];
    fmt_sum(claim, na, t.claimable_wei, R1_WEI_DECIMALS, "R1", t.claim_known, t.shown);
    /* PoAI is summed over the nodes that know theirs; none does until a source reads it (the
       oracle never carries it, docs/protocol.md §5.6). */
    fmt_sum(poai, poai_na, t.poai_usdc_micro, R1_USDC_DECIMALS, "USDC", t.poai_known, t.shown);
    if (t.unknown)
        snprintf(unknown, sizeof unknown, " %zu unknown", t.unknown);
    for (int form = 2; form >= 0; form--) {
        const bool wordy = form == 2;
        const char *claim_na = form >= 1 ? na : "", *p_na = wordy ? poai_na : "";
        char line[512]; /* the parts are at most 80, 32, 32, 80 and 32 bytes */
        snprintf(line, sizeof line, "%zu of %zu nodes: %zu up %zu stale %zu down%s %s %s%s%s %s PoAI %s%s",
                 t.shown, t.total, t.up, t.stale, t.down, unknown, sep, wordy ? "claimable " : "",
                 claim, claim_na, sep, poai, p_na);
        if (form > 0 && draw_width(line, cv->th->utf8) > cv->w)
            continue;
        int col = 0;
        if (t.shown == t.total)
            col += cv_printf(cv, row, col, TH_LABEL, "%zu nodes: ", t.total);
        else
            col += cv_printf(cv, row, col, TH_LABEL, "%zu of %zu nodes: ", t.shown, t.total);
        col += cv_printf(cv, row, col, t.up ? TH_GOOD : TH_NA, "%zu up", t.up);
        col += cv_printf(cv, row, col, t.stale ? TH_WARN : TH_NA, " %zu stale", t.stale);
        col += cv_printf(cv, row, col, t.down ? TH_BAD : TH_NA, " %zu down", t.down);
        col += cv_text(cv, row, col, TH_NA, unknown);
        col += cv_printf(cv, row, col, TH_NA, " %s ", sep);
        if (wordy)
            col += cv_text(cv, row, col, TH_LABEL, "claimable ");
        col += cv_text(cv, row, col, t.claim_known ? TH_VALUE : TH_NA, claim);
        col += cv_text(cv, row, col, TH_NA, claim_na);
        col += cv_printf(cv, row, col, TH_NA, " %s ", sep);
        col += cv_text(cv, row, col, TH_LABEL, "PoAI ");
        col += cv_text(cv, row, col, t.poai_known ? TH_VALUE : TH_NA, poai);
        cv_text(cv, row, col, TH_NA, p_na);
        return;
    }
}

static void fleet_draw(const struct screen *s, const struct screen_frame *fr)
{
    const struct fleet_screen *fs = (const struct fleet_screen *)s;
    const struct table_view *tv = &fs->tv;
    struct r1_cv box = cv_make(fr->win, fr->body.y, fr->body.x, fr->body.h, fr->body.w, fr->th);
    char title[96];
    int n = snprintf(title, sizeof title, "Fleet %zu node%s", fr->f->n_nodes,
                     fr->f->n_nodes == 1 ? "" : "s");
    if (tv->sort_col >= 0 && tv->sort_col < FC_COUNT && fleet_cols[tv->sort_col].title[0] && n > 0)
        snprintf(title + n, sizeof title - (size_t)n, " %s by %s%s", fr->th->g->sep,
                 fleet_cols[tv->sort_col].title, tv->sort_desc ? fr->th->g->down : fr->th->g->up);
    cv_box(&box, title);
    struct r1_cv in = cv_sub(&box, 1, 1, box.h - 2, box.w - 2);
    struct r1_cv tcv = cv_sub(&in, 0, 0, in.h - 1, in.w);
    struct fleet_table_data d = {fr->f, fr->now, fr->th->g};
    struct table_shown sh;
    table_draw(&tcv, &screen_fleet_table, &d, tv, &sh);
    if (in.h > 1)
        draw_totals(&in, in.h - 1, &d, tv);
    char note[96];
    if (tv->filter[0]) {
        snprintf(note, sizeof note, "/%s: %zu of %zu", tv->filter, sh.n, sh.total);
        cv_border_note(&box, 0, TH_WARN, note);
    }
    if (sh.last > 0 && (sh.first > 1 || sh.last < sh.n)) {
        snprintf(note, sizeof note, "%zu-%zu of %zu", sh.first, sh.last, sh.n);
        cv_border_note(&box, box.h - 1, TH_NA, note);
    }
}

static void fleet_status(const struct screen *s, const struct r1_fleet *f, char *dst, size_t n)
{
    const struct fleet_screen *fs = (const struct fleet_screen *)s;
    struct fleet_table_data d = {f, r1_now(), NULL};
    struct table_pos pos;
    table_resolve(&screen_fleet_table, &d, &fs->tv, 1, &pos);
    if (pos.has_sel)
        snprintf(dst, n, "node %zu/%zu", pos.sel + 1, pos.n);
    else
        snprintf(dst, n, "no node matches");
}

/* ---- keys ---------------------------------------------------------------------------------- */

static int key_move(struct screen *s, struct screen_input *in, int code)
{
    struct fleet_screen *fs = (struct fleet_screen *)s;
    struct fleet_table_data d = {in->f, r1_now(), NULL};
    table_key(&screen_fleet_table, &d, &fs->tv, fleet_page(in->env), code);
    return 1;
}

/* Sort by col (-1: the configured order); the column already sorted by: the other way. */
static void fleet_sort_by(struct fleet_screen *fs, int col)
{
    if (col >= 0 && col == fs->tv.sort_col) {
        table_sort_by(&fs->tv, col);
        return;
    }
    fs->tv.sort_col = col >= 0 && col < FC_COUNT ? col : -1;
    fs->tv.sort_desc = fs->tv.sort_col >= 0 && fleet_desc_first[fs->tv.sort_col];
}

static int key_sort_step(struct screen *s, struct screen_input *in, int code)
{
    struct fleet_screen *fs = (struct fleet_screen *)s;
    int col = fs->tv.sort_col;
    /* through the configured order and every titled column (the mark sorts as PROBLEM) */
    do
        col = code == '>' ? (col + 1 >= FC_COUNT ? -1 : col + 1)
                          : (col <= -1 ? FC_COUNT - 1 : col - 1);
    while (col >= 0 && !fleet_cols[col].title[0]);
    fleet_sort_by(fs, col);
    return 1;
}

static void sort_picked(void *ctx, int choice)
{
    struct fleet_screen *fs = ctx;
    if (choice >= 0 && choice <= FC_COUNT)
        fleet_sort_by(fs, fs->pick_col[choice]);
}

static int key_sort_menu(struct screen *s, struct screen_input *in, int code)
{
    struct fleet_screen *fs = (struct fleet_screen *)s;
    const struct r1_glyphs *g = in->env->th ? in->env->th->g : NULL;
    char labels[FC_COUNT + 1][MENU_ITEM_MAX];
    const char *items[FC_COUNT + 1];
    int n = 0, current = 0;
    for (int c = -1; c < FC_COUNT; c++) {
        if (c >= 0 && !fleet_cols[c].title[0])
            continue;
        bool on = c == fs->tv.sort_col;
        snprintf(labels[n], sizeof labels[n], "%s%s",
                 c < 0 ? "configured order" : fleet_cols[c].title,
                 !on || c < 0       ? ""
                 : fs->tv.sort_desc ? (g ? g->down : "v")
                                    : (g ? g->up : "^"));
        if (on)
            current = n;
        fs->pick_col[n] = c;
        items[n] = labels[n];
        n++;
    }
    screen_push(in->stack, menu_new("Sort by", items, n, current, sort_picked, fs));
    return 1;
}

static void filter_changed(void *ctx, const char *text)
{
    table_set_filter(&((struct fleet_screen *)ctx)->tv, text);
}

static void filter_done(void *ctx, const char *text, bool accepted)
{
    struct fleet_screen *fs = ctx;
    table_set_filter(&fs->tv, accepted ? text : fs->filter_before);
}

static int key_filter(struct screen *s, struct screen_input *in, int code)
{
    struct fleet_screen *fs = (struct fleet_screen *)s;
    r1_strlcpy(fs->filter_before, fs->tv.filter, sizeof fs->filter_before);
    screen_push(in->stack,
                dialog_prompt_new("Filter", fs->tv.filter, filter_changed, filter_done, fs));
    return 1;
}

static int key_clear_filter(struct screen *s, struct screen_input *in, int code)
{
    table_set_filter(&((struct fleet_screen *)s)->tv, "");
    return 1;
}

static int key_open(struct screen *s, struct screen_input *in, int code)
{
    struct fleet_screen *fs = (struct fleet_screen *)s;
    struct fleet_table_data d = {in->f, r1_now(), NULL};
    size_t row;
    if (!table_selected_row(&screen_fleet_table, &d, &fs->tv, &row))
        return 1;
    uint32_t id = in->f->nodes[row].id;
    struct screen *below = screen_below(in->stack, s);
    if (below && below->ops == &screen_node_ops) {
        screen_node_show(below, id); /* opened from the node screen: go back to it */
        screen_dismiss(s);
    } else {
        screen_push(in->stack, screen_node_new(id));
    }
    return 1;
}

/* An action key acts on the selected row's node, as on the node screen (dialog.h). */
static int key_action(struct screen *s, struct screen_input *in, int code)
{
    struct fleet_screen *fs = (struct fleet_screen *)s;
    struct fleet_table_data d = {in->f, r1_now(), NULL};
    size_t row;
    const struct r1_node *n =
        table_selected_row(&screen_fleet_table, &d, &fs->tv, &row) ? &in->f->nodes[row] : NULL;
    return node_action_key(in, keys_find(s->ops->keys, s->ops->n_keys, code), n);
}

static int key_back(struct screen *s, struct screen_input *in, int code)
{
    struct fleet_screen *fs = (struct fleet_screen *)s;
    if (fs->tv.filter[0]) { /* Esc first drops the filter, as in htop */
        table_set_filter(&fs->tv, "");
        return 1;
    }
    if (!screen_below(in->stack, s))
        return 0;
    screen_dismiss(s);
    return 1;
}

/* A key that adds a node (a prompt for its address) belongs here, with its own row. */
static const struct r1_key fleet_keys[] = {
    {{KEY_RETURN, KEY_ENTER},
     "Show",
     "show the selected node (Esc there comes back here)",
     key_open,
     KEYF_BAR,
     0},
    {{KEY_UP, 'k', KEY_DOWN, 'j'}, NULL, "select the node above or below", key_move, 0, 0},
    {{KEY_PPAGE, KEY_NPAGE}, NULL, "move the selection by a page", key_move, 0, 0},
    {{KEY_HOME, 'g', KEY_END, 'G'}, NULL, "select the first or the last node", key_move, 0, 0},
    {{KEY_F(6)},
     "SortBy",
     "pick the sort column (the same one again: reversed)",
     key_sort_menu,
     KEYF_BAR,
     0},
    {{'<', '>'}, NULL, "sort by the previous or the next column", key_sort_step, 0, 0},
    {{'/'},
     "Filter",
     "show only nodes whose name, alias or address matches",
     key_filter,
     KEYF_BAR,
     0},
    {{'\\'}, NULL, "clear the filter", key_clear_filter, 0, 0},
    {{KEY_ESC}, NULL, "clear the filter, else go back to the screen below", key_back, 0, 0},
    NODE_ACTION_KEYS(key_action),
    FLEET_EDIT_KEYS,
};

static void fleet_destroy(struct screen *s)
{
    free(s);
}

const struct screen_ops screen_fleet_ops = {
    .name = "fleet",
    .title = "Fleet screen",
    .keys = fleet_keys,
    .n_keys = R1_ARRAY_LEN(fleet_keys),
    .draw = fleet_draw,
    .status = fleet_status,
    .destroy = fleet_destroy,
};

struct screen *screen_fleet_new(uint32_t node_id)
{
    struct fleet_screen *fs = xcalloc(1, sizeof *fs);
    fs->base.ops = &screen_fleet_ops;
    table_view_init(&fs->tv);
    fs->tv.memo = &fs->widths;
    if (node_id != R1_NODE_ALL) {
        fs->tv.has_sel = true;
        fs->tv.sel_id = node_id;
    }
    return &fs->base;
}

struct screen *screen_fleet_start(const struct r1_fleet *f)
{
    return f && f->n_nodes > 1 ? screen_fleet_new(R1_NODE_ALL) : screen_node_new(R1_NODE_ALL);
}

void screen_fleet_select(struct screen *s, uint32_t node_id)
{
    if (!s || s->ops != &screen_fleet_ops || node_id == R1_NODE_ALL)
        return;
    struct fleet_screen *fs = (struct fleet_screen *)s;
    fs->tv.has_sel = true;
    fs->tv.sel_id = node_id; /* the page follows it where the view is resolved */
}

const struct table_view *screen_fleet_view(const struct screen *s)
{
    return s && s->ops == &screen_fleet_ops ? &((const struct fleet_screen *)s)->tv : NULL;
}
