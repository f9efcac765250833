/* panes: the table of panes (htop's Meter idea) that make up the node screen. Each pane draws
 * one node's figures from the read-only model into a clipped canvas; none of them reads
 * anything else, and none writes the view it is given. screen_node.c calls panes_draw_all();
 * the layout takes each pane's minimum size from the table (panes_min_sizes). */
#ifndef R1_UI_PANES_H
#define R1_UI_PANES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "draw.h"
#include "layout.h"
#include "model.h"
#include "screen.h"
#include "sources/source.h"
#include "table.h"

/* What the person chose to look at on the node screen: kept by the screen, changed by its
 * keys, read (never written) by the panes. */
struct node_view {
    uint32_t node_id;   /* the node shown (struct r1_node.id) */
    struct table_view wl; /* the workloads list: its scroll position */
};

/* Everything a pane's draw function may look at. */
struct pane_ctx {
    struct r1_cv cv; /* the inside of the pane's box */
    const struct r1_fleet *f;
    const struct r1_node *n; /* the node shown, never NULL */
    double now;
    const struct r1_theme *th;
    const struct ui_env *env;     /* refresh intervals, --readonly */
    const struct node_view *view; /* read only */
    enum r1_layout_mode mode;
    /* set by the pane, drawn into its border by panes.c */
    char title_note[96]; /* after the title: "3 pipelines" */
    char age_note[64];   /* top right: "oracle 12 s" */
    enum th_role age_role;
    char foot_note[64]; /* bottom right: "↓ 4 more" */
};

struct pane {
    enum r1_pane_id id;
    const char *title;
    int min_w, min_h; /* the box included: what layout_compute() gives it at the least */
    void (*draw)(struct pane_ctx *pc);
};

extern const struct pane pane_table[PANE_COUNT];

/* Every pane's minimum size, for layout_compute(). */
void panes_min_sizes(struct layout_pane_min out[PANE_COUNT]);

void pane_licence_draw(struct pane_ctx *pc);
void pane_uptime_draw(struct pane_ctx *pc);
void pane_workloads_draw(struct pane_ctx *pc);
void pane_gpu_draw(struct pane_ctx *pc);
void pane_rewards_draw(struct pane_ctx *pc);

/* The workloads list as a table (pane_workloads.c); its data is this pair. */
struct pane_workloads_data {
    const struct r1_node *n;
    double now; /* for the UPDATED ages */
};
extern const struct table_spec pane_workloads_table;
/* Rows of the list (scroll step) when the pane's inside is inner_h lines high. The node
 * screen's keys and the pane's draw both ask this, so a page is the page on screen. */
int pane_workloads_page(const struct r1_node *n, int inner_h);

/* Draw every visible pane of the layout for node n. */
void panes_draw_all(WINDOW *win, const struct r1_layout *lay, const struct r1_theme *th,
                    const struct r1_fleet *f, const struct r1_node *n, double now,
                    const struct ui_env *env, const struct node_view *v);

/* Top line (the node's name when show_node) and the node strip/column (pane_header.c). The
 * strip and column show the page of nodes that holds the selected one: which page follows
 * from the selection alone, so drawing keeps no state. */
void header_draw(const struct r1_cv *cv, const struct r1_fleet *f, const struct r1_node *n,
                 double now, bool show_node);
void nodes_draw(const struct r1_cv *cv, bool column, const struct r1_fleet *f, double now,
                uint32_t selected_id);

/* Shared helpers for the panes (panes.c). */
double pane_interval(const struct pane_ctx *pc, enum r1_source_id src);
/* Age of a group's data as the top-right border note ("oracle 12 s"), coloured by staleness. */
void pane_note_age(struct pane_ctx *pc, const char *what, const struct r1_meta *m,
                   enum r1_source_id src);
/* The last error of m on row `row` ("oracle: HTTP 500 … (12 s ago)"); returns rows used. */
int pane_draw_error(struct pane_ctx *pc, int row, const char *what, const struct r1_meta *m,
                    enum r1_source_id src);
/* The status of the source that fed m (dflt before any did), and whether its last try failed. */
const struct r1_src_status *pane_src(const struct pane_ctx *pc, const struct r1_meta *m,
                                     enum r1_source_id dflt);
bool pane_src_failed(const struct pane_ctx *pc, const struct r1_meta *m, enum r1_source_id dflt);
/* When an oracle reply is not verified, one line saying why, on row `row` (docs/protocol.md §3.7: a
 * bad signature in red with its reason, an unknown signer, an unsigned reply). Returns rows used:
 * 0 for verified or unchecked replies. */
int pane_draw_trust_detail(struct pane_ctx *pc, int row, const struct r1_oracle_node *o);
/* "Label" in the label role, padded to label_w columns; returns the column after it. */
int pane_label(const struct pane_ctx *pc, int row, const char *label, int label_w);
/* "n/a" in its role; returns columns. */
int pane_na(const struct pane_ctx *pc, int row, int col);
/* Seconds of age as "12 s ago" / "never". */
void pane_fmt_ago(char *dst, size_t dst_size, double age_s);
/* Time left as "7h 12m" / "12m 05s". */
void pane_fmt_left(char *dst, size_t dst_size, double secs);
/* "1575.1888 R1" from wei (truncated, never rounded up). */
void pane_fmt_r1(char *dst, size_t dst_size, r1_u128 wei, int places);

#endif
