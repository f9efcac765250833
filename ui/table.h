/* table: a generic table widget (tmux's mode-tree, htop's Row + IncSet). A table is a spec —
 * columns with a title, a width range, a priority for dropping them when narrow, an alignment
 * and an optional comparison; callbacks for the row count, a row's stable id, a cell's text and
 * a row's filter text — plus a view the screen keeps: sort column and direction, a filter,
 * the selected row's id and the first row shown. Keys change the view (table_key); drawing
 * only reads it (table_draw), and both resolve it the same way against the current rows, so
 * the selection follows its row (by id, not index) across re-sorts and refreshes, and a
 * scroll position past the end is clamped where it is used, never written back.
 * Used by pane_workloads.c and screen_fleet.c. */
#ifndef R1_UI_TABLE_H
#define R1_UI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "draw.h"

#define TABLE_FILTER_MAX 64
#define TABLE_CELL_MAX 256
#define TABLE_COLS_MAX 16   /* a spec's columns past this are not drawn */

struct table_col {
    const char *title;
    int min_w, max_w;
    int priority; /* 0 = kept longest; columns enter by priority while their minimum fits */
    bool right;   /* numbers align right */
    bool dedupe;  /* blank when equal to the cell above (a pipeline's name once) */
    /* sort order of rows a and b on this column; NULL = compare the cells' text (numbers
     * as numbers) */
    int (*cmp)(const void *data, size_t a, size_t b);
};

struct table_spec {
    const struct table_col *cols;
    int n_cols;
    size_t (*n_rows)(const void *data);
    uint64_t (*row_id)(const void *data, size_t row); /* stable across refreshes */
    /* the text of one cell; *role starts as TH_NORMAL */
    void (*cell)(const void *data, size_t row, int col, char *dst, size_t n, enum th_role *role);
    /* optional: what the filter matches (case-insensitive substring); NULL = every cell */
    void (*filter_text)(const void *data, size_t row, char *dst, size_t n);
    bool selectable; /* a highlighted row that the keys move; else the keys scroll */
    /* optional: rows in groups (workloads: pipelines). When the table is in its own order,
     * unfiltered, and every row plus a heading per group fits, each group gets a heading
     * line (title, then a quieter note) and group_col is not drawn. group_key names a row's
     * group (rows of a group are adjacent). */
    void (*group_key)(const void *data, size_t row, char *dst, size_t n);
    void (*group_heading)(const void *data, size_t row, char *title, size_t tn, char *note,
                          size_t nn);
    int group_col;
};

/* Column widths remembered between frames. A column is as wide as its widest cell over every
 * row (so columns keep still while the list scrolls), and measuring 1,000 rows cell by cell at
 * every frame was most of r1top's CPU at that size. table_draw measures every row again when
 * the rows, the filter, the sort or the glyphs change, when a row on screen needs more than is
 * remembered, and every TABLE_MEMO_FRAMES frames (so a column that got narrower follows). */
#define TABLE_MEMO_MIN_ROWS 64   /* shorter tables are measured at every frame */
#define TABLE_MEMO_FRAMES 10
struct table_widths_memo {
    bool valid;
    size_t n;
    int sort_col;
    bool sort_desc, utf8;
    char filter[TABLE_FILTER_MAX];
    int frames;                  /* frames drawn from the memo since the last measure */
    int want[TABLE_COLS_MAX];
};

struct table_view {
    /* NULL, or the owner's memo (a cache, not view state: table_draw writes it) */
    struct table_widths_memo *memo;
    int sort_col; /* -1: the rows' own order */
    bool sort_desc;
    char filter[TABLE_FILTER_MAX];
    bool has_sel;
    uint64_t sel_id;
    size_t sel_hint; /* where the selection was, for when its row goes away */
    size_t top;      /* first row shown (in sorted, filtered order) */
};

void table_view_init(struct table_view *v);

/* Where a view lands on the current rows for a page of `page` rows. */
struct table_pos {
    size_t n;     /* rows that pass the filter */
    size_t total; /* all rows */
    size_t top;   /* first shown */
    size_t sel;   /* selected (valid when has_sel) */
    bool has_sel;
    uint64_t sel_id;
};

/* The rows in view order (filtered, sorted); returns how many, *order is malloc'd (free it). */
size_t table_order(const struct table_spec *spec, const void *data, const struct table_view *v,
                   size_t **order);
void table_resolve(const struct table_spec *spec, const void *data, const struct table_view *v,
                   int page, struct table_pos *pos);
/* The data row of the selection; false when nothing is selected (or no row passes). */
bool table_selected_row(const struct table_spec *spec, const void *data, const struct table_view *v,
                        size_t *row);

/* Arrows, k/j, PgUp/PgDn, Home/g, End/G for a page of `page` rows. Returns 1 when taken. */
int table_key(const struct table_spec *spec, const void *data, struct table_view *v, int page,
              int code);
/* Sort by col; the same column again reverses the order. -1: the rows' own order. */
void table_sort_by(struct table_view *v, int col);
/* The next (dir > 0) or previous sort column, through "own order" (< and > keys). */
void table_sort_step(struct table_view *v, const struct table_spec *spec, int dir);
void table_set_filter(struct table_view *v, const char *text);

/* How many rows of data a table drawn in `rows` lines shows (the title line taken off). */
int table_page(int rows);

/* What the last table_draw showed, for the pane's foot note. */
struct table_shown {
    size_t first, last; /* 1-based, last = 0: nothing shown */
    size_t n, total;
    bool grouped;
};

/* The title line and as many rows as fit in cv; reads v, never writes it. */
void table_draw(const struct r1_cv *cv, const struct table_spec *spec, const void *data,
                const struct table_view *v, struct table_shown *shown);

/* Column widths for width columns: 0 = not shown; returns the gap between columns. Exposed
 * for tests. want[] may be NULL (the titles' widths then). */
int table_widths(const struct table_spec *spec, const int *want, int width, bool skip_group_col,
                 int *cw);

#endif
