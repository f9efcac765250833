/* test_layout: the layout picker over every terminal size from 20x5 to 300x100 — nothing
 * overlaps, nothing leaves the screen, the header and key bar sit where people look for them,
 * every pane gets at least the minimum the pane table gives it, all five panes show from 80x24
 * up, and "too small" is said exactly below the minimum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "layout.h"
#include "panes.h"

static struct layout_pane_min mins[PANE_COUNT];

static void layout_at(int rows, int cols, struct r1_layout *l)
{
    layout_compute(rows, cols, mins, l);
}

/* Every visible rectangle of a layout, for the generic checks. */
static int layout_rects(const struct r1_layout *l, const struct r1_rect **out)
{
    int n = 0;
    out[n++] = &l->header;
    out[n++] = &l->keybar;
    out[n++] = &l->nodes;
    for (int i = 0; i < PANE_COUNT; i++)
        out[n++] = &l->panes[i];
    return n;
}

static int rects_overlap(const struct r1_rect *a, const struct r1_rect *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* Fails with the size in the message so a broken size is easy to reproduce. */
static void check_size(int rows, int cols)
{
    struct r1_layout l;
    layout_at(rows, cols, &l);
    char where[64];
    snprintf(where, sizeof where, "%dx%d", cols, rows);

    bool small = rows < R1_MIN_ROWS || cols < R1_MIN_COLS;
    if (l.too_small != small)
        fail_msg("%s: too_small=%d, expected %d", where, l.too_small, small);
    const struct r1_rect *r[3 + PANE_COUNT];
    int n = layout_rects(&l, r);
    if (small) {
        for (int i = 0; i < n; i++)
            if (r[i]->visible)
                fail_msg("%s: too small, yet rect %d is visible", where, i);
        return;
    }
    if (!l.header.visible || l.header.y != 0 || l.header.x != 0 || l.header.w != cols ||
        l.header.h != 1)
        fail_msg("%s: header not on the top line", where);
    if (!l.keybar.visible || l.keybar.y != rows - 1 || l.keybar.x != 0 || l.keybar.w != cols)
        fail_msg("%s: key bar not on the bottom line", where);

    for (int i = 0; i < n; i++) {
        if (!r[i]->visible)
            continue;
        if (r[i]->h <= 0 || r[i]->w <= 0)
            fail_msg("%s: rect %d visible but empty", where, i);
        if (r[i]->y < 0 || r[i]->x < 0 || r[i]->y + r[i]->h > rows || r[i]->x + r[i]->w > cols)
            fail_msg("%s: rect %d (%d,%d %dx%d) leaves the screen", where, i, r[i]->y, r[i]->x,
                     r[i]->w, r[i]->h);
        for (int j = i + 1; j < n; j++)
            if (r[j]->visible && rects_overlap(r[i], r[j]))
                fail_msg("%s: rects %d and %d overlap", where, i, j);
    }
    int shown = 0;
    for (int p = 0; p < PANE_COUNT; p++) {
        const struct r1_rect *pr = &l.panes[p];
        if (!pr->visible)
            continue;
        shown++;
        if (pr->w < mins[p].w || pr->h < mins[p].h)
            fail_msg("%s: pane %d is %dx%d, below the minimum", where, p, pr->w, pr->h);
    }
    if (shown == 0)
        fail_msg("%s: no pane at all", where);
    if (rows >= 24 && cols >= 80 && shown != PANE_COUNT)
        fail_msg("%s: only %d of %d panes", where, shown, PANE_COUNT);
}

static void test_layout_every_size_20x5_to_300x100(void **state)
{
    (void)state;
    for (int rows = 5; rows <= 100; rows++)
        for (int cols = 20; cols <= 300; cols++)
            check_size(rows, cols);
}

static void test_layout_huge_and_degenerate_sizes(void **state)
{
    (void)state;
    static const int sizes[][2] = {{0, 0},   {1, 1},    {-5, 80}, {24, -1},   {1000, 1000},
                                   {9, 300}, {100, 39}, {10, 40}, {2000, 40}, {10, 4000}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        check_size(sizes[i][0], sizes[i][1]);
}

static void test_layout_80x24_shows_all_panes_in_two_columns(void **state)
{
    (void)state;
    struct r1_layout l;
    layout_at(24, 80, &l);
    assert_false(l.too_small);
    assert_int_equal(l.mode, LAYOUT_GRID);
    /* the node strip sits under the header */
    assert_true(l.nodes.visible);
    assert_false(l.nodes_column);
    assert_int_equal(l.nodes.y, 1);
    assert_int_equal(l.nodes.h, 1);
    /* licence beside uptime, rewards beside GPU, workloads across */
    assert_int_equal(l.panes[PANE_LICENCE].y, l.panes[PANE_UPTIME].y);
    assert_true(l.panes[PANE_LICENCE].x < l.panes[PANE_UPTIME].x);
    assert_int_equal(l.panes[PANE_REWARDS].y, l.panes[PANE_GPU].y);
    assert_int_equal(l.panes[PANE_WORKLOADS].w, 80);
    /* enough lines for each pane's key figures */
    assert_true(l.panes[PANE_LICENCE].h >= 7);
    assert_true(l.panes[PANE_UPTIME].h >= 7);
    assert_true(l.panes[PANE_REWARDS].h >= 5);
    assert_true(l.panes[PANE_GPU].h >= 5);
    assert_true(l.panes[PANE_WORKLOADS].h >= 5);
    /* no row left unused between the strip and the key bar */
    assert_int_equal(l.panes[PANE_WORKLOADS].y + l.panes[PANE_WORKLOADS].h, 23);
}

static void test_layout_200x50_wide_with_node_column(void **state)
{
    (void)state;
    struct r1_layout l;
    layout_at(50, 200, &l);
    assert_int_equal(l.mode, LAYOUT_WIDE);
    assert_true(l.nodes_column);
    assert_int_equal(l.nodes.x, 0);
    assert_int_equal(l.nodes.h, 48);
    for (int p = 0; p < PANE_COUNT; p++) {
        assert_true(l.panes[p].visible);
        assert_true(l.panes[p].x >= l.nodes.w);
    }
    /* the epoch chart gets room for 30 epochs with their values */
    assert_true(l.panes[PANE_UPTIME].w >= 100);
    assert_true(l.panes[PANE_UPTIME].h >= 12);
}

static void test_layout_100x30_node_column_and_grid(void **state)
{
    (void)state;
    struct r1_layout l;
    layout_at(30, 100, &l);
    assert_true(l.nodes_column);
    assert_int_equal(l.mode, LAYOUT_GRID);
    layout_at(30, 99, &l);
    assert_false(l.nodes_column);
    assert_true(l.nodes.visible);
}

static void test_layout_60x20_keeps_every_pane(void **state)
{
    (void)state;
    struct r1_layout l;
    layout_at(20, 60, &l);
    assert_int_equal(l.mode, LAYOUT_GRID);
    for (int p = 0; p < PANE_COUNT; p++)
        assert_true(l.panes[p].visible);
}

static void test_layout_narrow_stack_drops_workloads_first(void **state)
{
    (void)state;
    struct r1_layout l;
    layout_at(12, 50, &l);
    assert_int_equal(l.mode, LAYOUT_STACK);
    assert_true(l.panes[PANE_UPTIME].visible);
    assert_false(l.panes[PANE_WORKLOADS].visible);
    assert_int_equal(l.panes[PANE_UPTIME].y, 1);
}

/* The pane table's minimums are what the layout honours: a GPU pane that needs 45 columns
 * makes 80 columns too narrow for two panes side by side, and a workloads pane that needs 12
 * lines takes them from the panes above it. */
static void test_layout_takes_minimums_from_the_pane_table(void **state)
{
    (void)state;
    struct r1_layout l;
    assert_int_equal(mins[PANE_GPU].w, pane_table[PANE_GPU].min_w);
    assert_int_equal(mins[PANE_WORKLOADS].h, pane_table[PANE_WORKLOADS].min_h);
    struct layout_pane_min saved[PANE_COUNT];
    memcpy(saved, mins, sizeof saved);
    mins[PANE_GPU].w = 45;
    layout_at(24, 80, &l);
    assert_int_equal(l.mode, LAYOUT_STACK);
    layout_at(24, 92, &l);
    assert_int_equal(l.mode, LAYOUT_GRID);
    assert_true(l.panes[PANE_GPU].w >= 45);
    memcpy(mins, saved, sizeof saved);
    mins[PANE_WORKLOADS].h = 12;
    layout_at(24, 80, &l);
    assert_int_equal(l.mode, LAYOUT_GRID);
    assert_true(l.panes[PANE_WORKLOADS].visible);
    assert_true(l.panes[PANE_WORKLOADS].h >= 12);
    for (int rows = 5; rows <= 60; rows++)
        for (int cols = 20; cols <= 200; cols += 3)
            check_size(rows, cols);
    memcpy(mins, saved, sizeof saved);
}

static void test_layout_too_small_below_minimum(void **state)
{
    (void)state;
    struct r1_layout l;
    layout_at(R1_MIN_ROWS - 1, 200, &l);
    assert_true(l.too_small);
    layout_at(50, R1_MIN_COLS - 1, &l);
    assert_true(l.too_small);
    assert_int_equal(l.mode, LAYOUT_TOO_SMALL);
    layout_at(R1_MIN_ROWS, R1_MIN_COLS, &l);
    assert_false(l.too_small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_every_size_20x5_to_300x100),
        cmocka_unit_test(test_layout_huge_and_degenerate_sizes),
        cmocka_unit_test(test_layout_80x24_shows_all_panes_in_two_columns),
        cmocka_unit_test(test_layout_200x50_wide_with_node_column),
        cmocka_unit_test(test_layout_100x30_node_column_and_grid),
        cmocka_unit_test(test_layout_60x20_keeps_every_pane),
        cmocka_unit_test(test_layout_narrow_stack_drops_workloads_first),
        cmocka_unit_test(test_layout_too_small_below_minimum),
        cmocka_unit_test(test_layout_takes_minimums_from_the_pane_table),
    };
    panes_min_sizes(mins);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
