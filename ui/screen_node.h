/* screen_node: one node in detail — the node strip or column, and the panes (panes.h) laid out
 * for the terminal (layout.h). Its view is the node shown (by id) and the workloads list's
 * scroll position; its keys move between nodes, scroll the list, and ask for the node's
 * actions (actions.h): one that changes nothing is an intent at once, one that changes the
 * node opens the confirm dialog, and under --readonly a changing one only says why not. */
#ifndef R1_UI_SCREEN_NODE_H
#define R1_UI_SCREEN_NODE_H

#include "panes.h"
#include "screen.h"

extern const struct screen_ops screen_node_ops;

/* A node screen showing the node with this id (any id: the first node is shown until the
 * fleet has it). */
struct screen *screen_node_new(uint32_t node_id);
/* Its view, for tests and for the screen that opened it. */
const struct node_view *screen_node_view(const struct screen *s);
void screen_node_show(struct screen *s, uint32_t node_id);

#endif
