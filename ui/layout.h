/* layout: where each pane goes for a terminal of a given size — a pure function, unit-tested
 * over many sizes (nvtop learned this from a real bug). The node screen draws into the
 * rectangles. A pane's smallest size comes from the pane table (ui/panes.c, passed in by the
 * caller), the arrangements' preferred sizes from here; no curses, no knowledge of what the
 * panes show. */
#ifndef R1_LAYOUT_H
#define R1_LAYOUT_H

#include <stdbool.h>

enum r1_pane_id { PANE_LICENCE, PANE_UPTIME, PANE_WORKLOADS, PANE_GPU, PANE_REWARDS, PANE_COUNT };

struct r1_rect {
    int y, x, h, w;
    bool visible;
};

/* How the body is arranged (for tests and for panes that adapt their detail). */
enum r1_layout_mode {
    LAYOUT_TOO_SMALL,
    LAYOUT_STACK, /* narrow: one column, lowest-priority panes dropped when rows run out */
    LAYOUT_GRID,  /* 80x24 class: Licence|Uptime, Rewards|GPU, Workloads full width */
    LAYOUT_WIDE,  /* big: Licence, Rewards, GPU on the left; Uptime, Workloads right */
};

struct r1_layout {
    struct r1_rect header; /* top line(s) */
    struct r1_rect panes[PANE_COUNT];
    struct r1_rect keybar; /* bottom line */
    bool too_small;        /* below the minimum: draw only a "terminal too small" note */
    struct r1_rect nodes;  /* the fleet: a left column, or a one-line strip under the header */
    bool nodes_column;     /* nodes is the left column (else a strip, or not visible) */
    enum r1_layout_mode mode;
};

#define R1_MIN_COLS 40
#define R1_MIN_ROWS 10

/* The node list becomes a left column from this width (and LAYOUT_NODE_COL_MIN_ROWS rows). */
#define LAYOUT_NODE_COL_MIN_COLS 100
#define LAYOUT_NODE_COL_MIN_ROWS 20
/* Below this many rows the node strip gives its line back to the panes. */
#define LAYOUT_STRIP_MIN_ROWS 14

/* The smallest rectangle a pane can show anything in (pane_table's min_w, min_h). */
struct layout_pane_min {
    int w, h;
};

/* mins[PANE_COUNT]: every visible pane gets at least its minimum; a pane whose minimum does
 * not fit is not shown. */
void layout_compute(int rows, int cols, const struct layout_pane_min *mins, struct r1_layout *out);

#endif
