/* screen_fleet: the fleet screen — every node on one row (NODE, STATE, LIC, AVAIL, LAST 7, GPU,
 * CLAIMABLE, POAI, TRUST, PROBLEM) in a table (table.h) that sorts by any column, filters as you
 * type and keeps its selection by node id, over a totals line. It is the start screen when more
 * than one node is configured. It reads what the derive step wrote (n->status and its problem,
 * n->rew) and never derives a verdict itself. Enter shows the selected node on the node screen:
 * a node screen on top (Esc there comes back to this list as it was), or the node screen below
 * when the list was opened from there. Columns drop by priority on narrow terminals. */
#ifndef R1_UI_SCREEN_FLEET_H
#define R1_UI_SCREEN_FLEET_H

#include "screen.h"
#include "table.h"

extern const struct screen_ops screen_fleet_ops;

/* A fleet screen with node_id selected (R1_NODE_ALL: the first row). */
struct screen *screen_fleet_new(uint32_t node_id);
/* The first screen for this fleet: the fleet screen when it has more than one node, else the
 * node screen. */
struct screen *screen_fleet_start(const struct r1_fleet *f);
/* Select the node with this id (the node screen's l goes back to the list on the node shown). */
void screen_fleet_select(struct screen *s, uint32_t node_id);
/* Its table view (sort, filter, selection, scroll), for tests. */
const struct table_view *screen_fleet_view(const struct screen *s);

/* The node table itself; its data is this. */
struct fleet_table_data {
    const struct r1_fleet *f;
    double now;
    const struct r1_glyphs *g; /* the sparkline and trust glyphs; NULL = ASCII */
};
extern const struct table_spec screen_fleet_table;

enum fleet_col {
    FC_MARK, /* "!" (bad) or "*" (warning) on a row with a problem: it reads without colour */
    FC_NODE,
    FC_STATE,
    FC_LIC,
    FC_AVAIL,
    FC_LAST7,
    FC_GPU,
    FC_CLAIM,
    FC_POAI,
    FC_TRUST,
    FC_PROBLEM,
    FC_COUNT
};

/* The totals line: the rows that pass the view's filter. */
struct fleet_totals {
    size_t shown, total;
    size_t up, stale, down, unknown; /* by the derived online state */
    size_t claim_known;              /* nodes whose PoA claimable is known... */
    r1_u128 claimable_wei;           /* ...and its sum over them */
    size_t poai_known;               /* nodes whose accrued PoAI (USDC) is known... */
    r1_u128 poai_usdc_micro;         /* ...and its sum over them */
};
void screen_fleet_totals(const struct fleet_table_data *d, const struct table_view *v,
                         struct fleet_totals *t);

#endif
