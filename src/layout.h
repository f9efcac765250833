/* layout: where each pane goes for a terminal of a given size — a pure function, unit-tested
 * over many sizes (nvtop learned this from a real bug). ui/ draws into the rectangles.
 * Owns the minimum pane sizes (ui/panes.c's table uses the same macros); knows nothing of
 * curses or of what the panes show. */
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

/* Smallest rectangle a visible pane gets: a border plus one line of content. */
#define LAYOUT_PANE_MIN_W 30
#define LAYOUT_PANE_MIN_H 3

void layout_compute(int rows, int cols, struct r1_layout *out);

#endif
