/* layout: the pure size -> rectangles function (layout.h). Bands of panes get their minimum
 * height (the pane table's) first, then grow in turns towards a preferred height, then towards
 * a cap; whatever is left goes to the last band, so the screen never has holes. When even the
 * minimums do not fit, bands are dropped from the end (they are listed most important first);
 * an arrangement is used only when every pane in it gets its minimum width. */
#include "layout.h"

#include <string.h>

struct band {
    int min, pref, max; /* max < 0: no cap */
};

static struct r1_rect rect_make(int y, int x, int h, int w)
{
    struct r1_rect r = {y, x, h, w, h > 0 && w > 0};
    return r;
}

static int clamp_int(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Heights for n bands sharing avail rows; 0 = dropped. */
static void layout_alloc_bands(int avail, const struct band *b, int n, int *h)
{
    int used = 0, k;
    for (k = 0; k < n && used + b[k].min <= avail; k++)
        used += b[k].min;
    for (int i = 0; i < n; i++)
        h[i] = i < k ? b[i].min : 0;
    int rem = avail - used;
    /* Turns, not greed: at 80x20 every pane keeps some of its lines. */
    for (int pass = 0; pass < 2 && rem > 0; pass++) {
        bool grew = true;
        while (rem > 0 && grew) {
            grew = false;
            for (int i = 0; i < k && rem > 0; i++) {
                int cap = pass == 0 ? b[i].pref : b[i].max;
                if (cap < 0 || h[i] < cap) {
                    h[i]++;
                    rem--;
                    grew = true;
                }
            }
        }
    }
    if (k > 0)
        h[k - 1] += rem;
}

/* A band holds the panes beside each other in it; its minimum height is the tallest of
 * their minimums, and never below the arrangement's own floor. */
static int band_min(const struct layout_pane_min *mins, const enum r1_pane_id *ids, int n,
                    int floor)
{
    int m = floor;
    for (int i = 0; i < n; i++)
        if (mins[ids[i]].h > m)
            m = mins[ids[i]].h;
    return m;
}

static int widest_min(const struct layout_pane_min *mins, const enum r1_pane_id *ids, int n)
{
    int m = 0;
    for (int i = 0; i < n; i++)
        if (mins[ids[i]].w > m)
            m = mins[ids[i]].w;
    return m;
}

/* One column of panes from top to bottom; a pane narrower than its minimum is left out. */
static void layout_column(struct r1_layout *out, int y, int x, int h, int w,
                          const struct layout_pane_min *mins, const enum r1_pane_id *ids,
                          const struct band *pref, int n)
{
    enum r1_pane_id fit[PANE_COUNT];
    struct band b[PANE_COUNT];
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (mins[ids[i]].w > w)
            continue;
        fit[k] = ids[i];
        b[k] = pref[i];
        b[k].min = band_min(mins, &ids[i], 1, pref[i].min);
        if (b[k].pref < b[k].min)
            b[k].pref = b[k].min;
        if (b[k].max >= 0 && b[k].max < b[k].min)
            b[k].max = b[k].min;
        k++;
    }
    int hs[PANE_COUNT];
    layout_alloc_bands(h, b, k, hs);
    for (int i = 0; i < k; i++) {
        out->panes[fit[i]] = rect_make(y, x, hs[i], w);
        y += hs[i];
    }
}

/* Licence|Uptime first (identity and liveness), Rewards|GPU, then the workloads list, which
 * is the one that can use any number of rows. */
static const enum r1_pane_id grid_left[2] = {PANE_LICENCE, PANE_REWARDS};
static const enum r1_pane_id grid_right[2] = {PANE_UPTIME, PANE_GPU};

static bool layout_grid_fits(const struct layout_pane_min *mins, int w)
{
    static const enum r1_pane_id all[1] = {PANE_WORKLOADS};
    return w / 2 >= widest_min(mins, grid_left, 2) &&
           w - w / 2 >= widest_min(mins, grid_right, 2) && w >= widest_min(mins, all, 1);
}

static void layout_grid(struct r1_layout *out, int y, int x, int h, int w,
                        const struct layout_pane_min *mins)
{
    static const enum r1_pane_id row0[2] = {PANE_LICENCE, PANE_UPTIME};
    static const enum r1_pane_id row1[2] = {PANE_REWARDS, PANE_GPU};
    static const enum r1_pane_id row2[1] = {PANE_WORKLOADS};
    struct band bands[3] = {{3, 8, 12}, {3, 6, 10}, {4, 7, -1}};
    bands[0].min = band_min(mins, row0, 2, bands[0].min);
    bands[1].min = band_min(mins, row1, 2, bands[1].min);
    bands[2].min = band_min(mins, row2, 1, bands[2].min);
    int hs[3];
    layout_alloc_bands(h, bands, 3, hs);
    int lw = w / 2, rw = w - lw;
    out->panes[PANE_LICENCE] = rect_make(y, x, hs[0], lw);
    out->panes[PANE_UPTIME] = rect_make(y, x + lw, hs[0], rw);
    y += hs[0];
    out->panes[PANE_REWARDS] = rect_make(y, x, hs[1], lw);
    out->panes[PANE_GPU] = rect_make(y, x + lw, hs[1], rw);
    y += hs[1];
    out->panes[PANE_WORKLOADS] = rect_make(y, x, hs[2], w);
}

/* The epoch chart and the workloads table want width; licence and rewards are a few short
 * lines, so they share the left column with the GPUs. */
static const enum r1_pane_id wide_left[3] = {PANE_LICENCE, PANE_REWARDS, PANE_GPU};
static const enum r1_pane_id wide_right[2] = {PANE_UPTIME, PANE_WORKLOADS};

static int wide_left_w(int w)
{
    return clamp_int(w / 3, 44, 64);
}

static bool layout_wide_fits(const struct layout_pane_min *mins, int w, int h)
{
    int lw = wide_left_w(w);
    return w >= 140 && h >= 30 && lw >= widest_min(mins, wide_left, 3) &&
           w - lw >= widest_min(mins, wide_right, 2);
}

static void layout_wide(struct r1_layout *out, int y, int x, int h, int w,
                        const struct layout_pane_min *mins)
{
    static const struct band lb[3] = {{3, 8, 9}, {3, 5, 7}, {3, 8, -1}};
    static const struct band rb[2] = {{3, 14, 16}, {4, 10, -1}};
    int lw = wide_left_w(w);
    layout_column(out, y, x, h, lw, mins, wide_left, lb, 3);
    layout_column(out, y, x + lw, h, w - lw, mins, wide_right, rb, 2);
}

static void layout_stack(struct r1_layout *out, int y, int x, int h, int w,
                         const struct layout_pane_min *mins)
{
    /* Narrow: liveness first, the long list last, so what drops off is the least urgent. */
    static const enum r1_pane_id ids[PANE_COUNT] = {PANE_UPTIME, PANE_LICENCE, PANE_REWARDS,
                                                    PANE_GPU, PANE_WORKLOADS};
    static const struct band b[PANE_COUNT] = {
        {3, 7, 9}, {3, 8, 8}, {3, 5, 5}, {3, 4, 6}, {4, 6, -1}};
    layout_column(out, y, x, h, w, mins, ids, b, PANE_COUNT);
}

void layout_compute(int rows, int cols, const struct layout_pane_min *mins, struct r1_layout *out)
{
    memset(out, 0, sizeof *out);
    if (rows < R1_MIN_ROWS || cols < R1_MIN_COLS) {
        out->too_small = true;
        out->mode = LAYOUT_TOO_SMALL;
        return;
    }
    out->header = rect_make(0, 0, 1, cols);
    out->keybar = rect_make(rows - 1, 0, 1, cols);
    int by = 1, bx = 0, bh = rows - 2, bw = cols;
    if (cols >= LAYOUT_NODE_COL_MIN_COLS && rows >= LAYOUT_NODE_COL_MIN_ROWS) {
        int nw = clamp_int(cols / 7, 24, 30);
        out->nodes = rect_make(by, 0, bh, nw);
        out->nodes_column = true;
        bx = nw;
        bw = cols - nw;
    } else if (rows >= LAYOUT_STRIP_MIN_ROWS) {
        out->nodes = rect_make(by, 0, 1, cols);
        by++;
        bh--;
    }
    if (layout_wide_fits(mins, bw, bh)) {
        out->mode = LAYOUT_WIDE;
        layout_wide(out, by, bx, bh, bw, mins);
    } else if (layout_grid_fits(mins, bw)) {
        out->mode = LAYOUT_GRID;
        layout_grid(out, by, bx, bh, bw, mins);
    } else {
        out->mode = LAYOUT_STACK;
        layout_stack(out, by, bx, bh, bw, mins);
    }
}
