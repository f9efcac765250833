/* screen_fleet: every node, one row each (NODE, STATE, LIC, TRUST), in a table (table.h) that
 * sorts by any column, filters as you type, and keeps its selection by node id. Enter shows
 * the selected node on the node screen: the node screen below it when the list was opened from
 * there, else a new node screen on top (so Esc there comes back to the list as it was). */
#ifndef R1_UI_SCREEN_FLEET_H
#define R1_UI_SCREEN_FLEET_H

#include "screen.h"
#include "table.h"

extern const struct screen_ops screen_fleet_ops;

/* A node list with node_id selected (R1_NODE_ALL: the first row). */
struct screen *screen_fleet_new(uint32_t node_id);
/* Its table view (sort, filter, selection, scroll), for tests. */
const struct table_view *screen_fleet_view(const struct screen *s);

/* The node table itself; its data is this pair. */
struct fleet_table_data {
    const struct r1_fleet *f;
    double now; /* for the online state */
};
extern const struct table_spec screen_fleet_table;

#endif
