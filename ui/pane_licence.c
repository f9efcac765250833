/* pane_licence: the node's licence as the oracle reports it from the chain (docs/protocol.md §5.2):
 * type and id, validity, owner, assigned and claimed R1, the last claim epoch, and the fields on
 * which the chain itself (the chain source) disagrees. Lines are in order of importance, so a
 * short pane keeps the ones that matter. */
#include <stdio.h>

#include "panes.h"

#define LIC_LABEL_W 11

/* "chain disagrees: owner 0x00…ff" — the first field on which the chain's licence and the
 * oracle's signed copy differ (derive.c), with the chain's value; the JSON lists them all. */
static int licence_draw_disagreement(struct pane_ctx *pc, int row)
{
    uint32_t mask = pc->n->rew.lic_disagree;
    for (int f = LIC_TYPE; f <= LIC_BANNED; f++) {
        if (!(mask >> f & 1u))
            continue;
        char v[R1_ADDR_MAX], line[160], fit[160];
        model_licence_field_text(&pc->n->chain.lic, (enum r1_lic_field)f, v, sizeof v);
        snprintf(line, sizeof line, "chain disagrees: %s %s", model_licence_field_name(f), v);
        draw_fit(fit, sizeof fit, line, pc->cv.w, pc->th->utf8);
        cv_text(&pc->cv, row, 0, TH_WARN, fit);
        return 1;
    }
    return 0;
}

/* First line: "ND #1234  valid ✓" — the one a short pane must keep. */
static void licence_draw_status(struct pane_ctx *pc, const struct r1_licence *l)
{
    const struct r1_cv *cv = &pc->cv;
    const char *sep = pc->th->g->sep;
    int col = 0;
    if (!R1_VALID(l, LIC_TYPE)) {
        col += cv_text(cv, 0, col, TH_NA, "licence n/a");
    } else if (l->type == R1_LIC_NONE) {
        col += cv_text(cv, 0, col, TH_WARN, "no licence assigned");
    } else {
        col += cv_text(cv, 0, col, TH_VALUE, model_licence_name(l->type));
        if (R1_VALID(l, LIC_ID))
            col += cv_printf(cv, 0, col, TH_VALUE, " #%llu", (unsigned long long)l->licence_id);
        col += cv_printf(cv, 0, col, TH_NA, " %s ", sep);
        if (R1_VALID(l, LIC_BANNED) && l->is_banned)
            col += cv_text(cv, 0, col, TH_BAD, "BANNED");
        else if (R1_VALID(l, LIC_VALID))
            col += cv_text(cv, 0, col, l->is_valid ? TH_GOOD : TH_WARN,
                           l->is_valid ? "valid" : "not valid");
        else
            col += pane_na(pc, 0, col);
    }
    if (l->meta.updated_at > 0) {
        col += cv_text(cv, 0, col, TH_NA, " ");
        cv_trust(cv, 0, col, pc->n->orc.trust);
    }
}

static void licence_draw_amount(struct pane_ctx *pc, int row, const char *label, bool valid,
                                r1_u128 wei, const char *extra)
{
    int col = pane_label(pc, row, label, LIC_LABEL_W);
    if (!valid) {
        pane_na(pc, row, col);
        return;
    }
    char a[64];
    pane_fmt_r1(a, sizeof a, wei, 4);
    col += cv_text(&pc->cv, row, col, TH_VALUE, a);
    if (extra && *extra)
        cv_text(&pc->cv, row, col, TH_NA, extra);
}

void pane_licence_draw(struct pane_ctx *pc)
{
    const struct r1_node *n = pc->n;
    const struct r1_licence *l = &n->lic;
    const struct r1_cv *cv = &pc->cv;
    bool failed = pane_src_failed(pc, &l->meta, SRC_ORACLE_LAST);
    int rows = cv->h - (failed ? 1 : 0);
    int vw = cv->w - LIC_LABEL_W;
    char buf[128];

    pane_note_age(pc, "oracle", &l->meta, SRC_ORACLE_LAST);
    if (rows > 0)
        licence_draw_status(pc, l);

    if (l->meta.updated_at <= 0) {
        /* never read: one line saying so beats a column of n/a */
        if (!failed && rows > 1)
            cv_text(cv, 1, 0, TH_NA, "waiting for the oracle");
        pane_draw_error(pc, cv->h - 1, "oracle", &l->meta, SRC_ORACLE_LAST);
        return;
    }
    bool has_lic = !(R1_VALID(l, LIC_TYPE) && l->type == R1_LIC_NONE);
    int row = 1;
    /* the licence rides in node_last_epoch: if that reply does not verify, say why first */
    if (rows > 1 && pane_draw_trust_detail(pc, rows - 1, &n->orc))
        rows--;
    if (rows > 1 && licence_draw_disagreement(pc, rows - 1))
        rows--;
    if (row < rows && has_lic) {
        int col = pane_label(pc, row, "Owner", LIC_LABEL_W);
        if (R1_VALID(l, LIC_OWNER) && l->owner[0]) {
            draw_fit_middle(buf, sizeof buf, l->owner, vw, pc->th->utf8);
            cv_text(cv, row, col, TH_VALUE, buf);
        } else {
            pane_na(pc, row, col);
        }
        row++;
    }
    bool both = R1_VALID(l, LIC_ASSIGNED) && R1_VALID(l, LIC_CLAIMED);
    if (row < rows && has_lic) {
        licence_draw_amount(pc, row++, "Assigned", R1_VALID(l, LIC_ASSIGNED), l->total_assigned_wei,
                            NULL);
    }
    if (row < rows && has_lic) {
        char pct[32] = "";
        if (both && l->total_assigned_wei > 0) {
            double p = amount_to_double(l->total_claimed_wei, R1_WEI_DECIMALS) /
                       amount_to_double(l->total_assigned_wei, R1_WEI_DECIMALS) * 100;
            snprintf(pct, sizeof pct, " (%.0f%%)", p);
        }
        licence_draw_amount(pc, row++, "Claimed", R1_VALID(l, LIC_CLAIMED), l->total_claimed_wei,
                            pct);
    }
    if (row < rows && has_lic) {
        int col = pane_label(pc, row, "Last claim", LIC_LABEL_W);
        if (R1_VALID(l, LIC_LAST_CLAIM)) {
            col += cv_printf(cv, row, col, TH_VALUE, "epoch %lld", (long long)l->last_claim_epoch);
            int64_t cur = pc->f->epoch_now;
            if (cur >= l->last_claim_epoch)
                cv_printf(cv, row, col, TH_NA, " (%lld epochs ago)",
                          (long long)(cur - l->last_claim_epoch));
        } else {
            pane_na(pc, row, col);
        }
        row++;
    }
    if (row < rows && has_lic && R1_VALID(l, LIC_NODE_ADDR) && l->node_address[0]) {
        int col = pane_label(pc, row, "Node ETH", LIC_LABEL_W);
        draw_fit_middle(buf, sizeof buf, l->node_address, vw, pc->th->utf8);
        cv_text(cv, row, col, TH_NORMAL, buf);
        row++;
    }
    pane_draw_error(pc, cv->h - 1, "oracle", &l->meta, SRC_ORACLE_LAST);
}
