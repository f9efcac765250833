/* layout: where each pane goes for a terminal of a given size — a pure function, unit-tested
 * over many sizes (nvtop learned this from a real bug). ui/ draws into the rectangles. */
#ifndef R1_LAYOUT_H
#define R1_LAYOUT_H

#include <stdbool.h>

enum r1_pane_id {
    PANE_LICENCE, PANE_UPTIME, PANE_WORKLOADS, PANE_GPU, PANE_REWARDS, PANE_COUNT
};

struct r1_rect { int y, x, h, w; bool visible; };

struct r1_layout {
    struct r1_rect header;       /* top line(s) */
    struct r1_rect panes[PANE_COUNT];
    struct r1_rect keybar;       /* bottom line */
    bool too_small;              /* below the minimum: draw only a "terminal too small" note */
};

#define R1_MIN_COLS 40
#define R1_MIN_ROWS 10

void layout_compute(int rows, int cols, struct r1_layout *out);

#endif
