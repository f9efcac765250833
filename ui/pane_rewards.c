/* pane_rewards: what the licence can claim now (PoA, estimated exactly as the ND contract
 * computes it: rewards.c) and the epoch range the estimate covers, plus the PoAI (compute
 * job) rewards the node has accrued, with where that figure came from (the chain, unsigned)
 * and its age. An estimate that cannot be made says why. */
#include <stdio.h>
#include <string.h>

#include "panes.h"

#define REW_LABEL_W 15

static void rewards_draw_poa(struct pane_ctx *pc, int row, int rows)
{
    const struct r1_node *n = pc->n;
    const struct r1_rewards *rw = &n->rew;
    const struct r1_cv *cv = &pc->cv;
    const char *dash = pc->th->g->dash;
    int col = pane_label(pc, row, "PoA claimable", REW_LABEL_W);
    switch (rw->poa_status) {
    case R1_REW_OK: {
        char a[64];
        pane_fmt_r1(a, sizeof a, rw->poa_claimable_wei, 4);
        col += cv_text(cv, row, col, TH_VALUE, a);
        col += cv_text(cv, row, col, TH_NA, " ");
        /* the MND contract's figure is the chain's word; r1top's own rests on the oracle's */
        col += cv_trust(cv, row, col,
                        rw->poa_trust == R1_TRUST_CHAIN ? R1_TRUST_CHAIN : n->range.trust);
        if (rw->contract_differs) {
            char c[64], t[96];
            pane_fmt_r1(c, sizeof c, rw->contract_wei, 4);
            snprintf(t, sizeof t, " ND contract: %s", c);
            cv_text(cv, row, col, TH_WARN, t);
        }
        break;
    }
    case R1_REW_SYNCING:
        cv_text(cv, row, col, TH_WARN, "n/a (oracles syncing)");
        break;
    case R1_REW_NO_LICENCE:
        cv_text(cv, row, col, TH_NA, "none (no licence)");
        break;
    case R1_REW_UNSUPPORTED:
        /* the MND contract's figure comes from the chain source; until then, why not */
        cv_text(cv, row, col, TH_NA, "n/a (the MND contract's figure not read)");
        break;
    default:
        pane_na(pc, row, col);
    }
    if (rows < 2)
        return;
    bool have_range = rw->poa_from_epoch > 0 && rw->poa_to_epoch >= rw->poa_from_epoch;
    if (rw->poa_status == R1_REW_OK && have_range) {
        col = pane_label(pc, row + 1, "  epochs", REW_LABEL_W);
        col += cv_printf(cv, row + 1, col, TH_NORMAL, "%lld%s%lld", (long long)rw->poa_from_epoch,
                         dash, (long long)rw->poa_to_epoch);
        col += cv_printf(cv, row + 1, col, TH_NA, " (%lld)",
                         (long long)(rw->poa_to_epoch - rw->poa_from_epoch + 1));
        if (rw->poa_capped)
            cv_text(cv, row + 1, col, TH_WARN, " capped");
    } else if (rw->poa_note[0]) {
        char note[R1_ERR_MAX];
        draw_fit(note, sizeof note, rw->poa_note, cv->w - 2, pc->th->utf8);
        cv_text(cv, row + 1, 2, TH_NA, note);
    }
}

/* Returns the rows it used. */
static int rewards_draw_poai(struct pane_ctx *pc, int row, int rows)
{
    const struct r1_rewards *rw = &pc->n->rew;
    const struct r1_cv *cv = &pc->cv;
    int col = pane_label(pc, row, "PoAI accrued", REW_LABEL_W);
    char usdc[64] = "", r1[64] = "";
    if (rw->poai_known) {
        amount_fmt(usdc, sizeof usdc, rw->poai_usdc_micro, R1_USDC_DECIMALS, 2);
        snprintf(usdc + strlen(usdc), sizeof usdc - strlen(usdc), " USDC");
        pane_fmt_r1(r1, sizeof r1, rw->poai_r1_wei, 4);
    }
    if (!usdc[0] && !r1[0]) {
        pane_na(pc, row, col);
        return 1;
    }
    int need = draw_width(usdc, pc->th->utf8) + 3 + draw_width(r1, pc->th->utf8);
    if (col + need <= cv->w) {
        col += usdc[0] ? cv_text(cv, row, col, TH_VALUE, usdc) : pane_na(pc, row, col);
        col += cv_printf(cv, row, col, TH_NA, " %s ", pc->th->g->sep);
        if (r1[0])
            cv_text(cv, row, col, TH_VALUE, r1);
        else
            pane_na(pc, row, col);
        return 1;
    }
    /* two lines, or as much as fits whole on one: never half an amount */
    if (draw_width(usdc[0] ? usdc : "n/a", pc->th->utf8) <= cv->w - col)
        usdc[0] ? cv_text(cv, row, col, TH_VALUE, usdc) : pane_na(pc, row, col);
    if (rows >= 2 && draw_width(r1[0] ? r1 : "n/a", pc->th->utf8) <= cv->w - col) {
        r1[0] ? cv_text(cv, row + 1, col, TH_VALUE, r1) : pane_na(pc, row + 1, col);
        return 2;
    }
    return 1;
}

/* "  from  chain base-rpc.publicnode.com, 12 s ago", or the chain source's error when it has
 * nothing to show. Returns the rows used. */
static int rewards_draw_poai_source(struct pane_ctx *pc, int row)
{
    const struct r1_node *n = pc->n;
    const struct r1_rewards *rw = &n->rew;
    if (!rw->poai_known)
        return pane_src_failed(pc, &n->chain.meta, SRC_CHAIN)
                   ? pane_draw_error(pc, row, "chain", &n->chain.meta, SRC_CHAIN)
                   : 0;
    bool chain = rw->poai_src == SRC_CHAIN;
    const struct r1_meta *m = chain ? &n->chain.meta : &n->lic.meta;
    char ago[32];
    pane_fmt_ago(ago, sizeof ago, model_meta_age(m, pc->now));
    int col = pane_label(pc, row, "  from", REW_LABEL_W);
    col += cv_trust(&pc->cv, row, col, rw->poai_trust);
    cv_printf(&pc->cv, row, col, TH_NA, " %s, %s", chain ? n->chain.rpc_host : "oracle", ago);
    return 1;
}

void pane_rewards_draw(struct pane_ctx *pc)
{
    const struct r1_node *n = pc->n;
    const struct r1_cv *cv = &pc->cv;
    bool failed = pane_src_failed(pc, &n->range.meta, SRC_ORACLE_RANGE);
    int rows = cv->h - (failed ? 1 : 0);
    pane_note_age(pc, "oracle", &n->range.meta, SRC_ORACLE_RANGE);
    if (rows <= 0) {
        pane_draw_error(pc, cv->h - 1, "oracle", &n->range.meta, SRC_ORACLE_RANGE);
        return;
    }
    /* PoA first; with two spare rows its range line, then PoAI */
    int poa_rows = rows >= 3 ? 2 : 1;
    rewards_draw_poa(pc, 0, poa_rows);
    int row = poa_rows;
    if (row < rows)
        row += rewards_draw_poai(pc, row, rows - row);
    if (row < rows - 1)
        row += rewards_draw_poai_source(pc, row);
    /* An estimate built on a reply that does not verify says so before anything else. */
    const struct r1_oracle_node *o = n->range.trust != R1_TRUST_VERIFIED ? &n->range : &n->orc;
    if (row < rows && pane_draw_trust_detail(pc, rows - 1, o))
        rows--;
    /* what the licence has yet to mine: how long the rewards will keep coming */
    const struct r1_licence *l = &n->lic;
    if (row < rows && R1_VALID(l, LIC_ASSIGNED) && R1_VALID(l, LIC_CLAIMED) &&
        l->type != R1_LIC_NONE && l->total_assigned_wei >= l->total_claimed_wei) {
        char a[64];
        pane_fmt_r1(a, sizeof a, l->total_assigned_wei - l->total_claimed_wei, 4);
        int col = pane_label(pc, row, "Licence left", REW_LABEL_W);
        cv_text(cv, row, col, TH_NORMAL, a);
        row++;
    }
    if (failed)
        pane_draw_error(pc, cv->h - 1, "oracle", &n->range.meta, SRC_ORACLE_RANGE);
}
