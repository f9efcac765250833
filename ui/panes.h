/* panes: the table of panes (htop's Meter/Panel idea) and the view state they share with the
 * key handlers — which node, scroll positions, whether help is open. Each pane draws one
 * node's figures from the read-only model into a clipped canvas; none of them reads anything
 * else. ui.c calls panes_draw_all(); keys.c changes the view. */
#ifndef R1_UI_PANES_H
#define R1_UI_PANES_H

#include <stdbool.h>
#include <stddef.h>

#include "draw.h"
#include "layout.h"
#include "model.h"
#include "sources/source.h"

/* What the person chose to look at; the only state the UI keeps besides the terminal. */
struct r1_view {
    bool help_open;
    int help_scroll;
    int wl_scroll;      /* first workload row shown */
    int wl_page;        /* rows the workloads pane showed last time (PgUp/PgDn step) */
    int wl_rows;        /* rows it had to show (to clamp scrolling) */
    size_t strip_first; /* first node shown in the strip / column */
    bool readonly;
    bool full_redraw;             /* repaint every cell next time (resize, Ctrl-L) */
    double interval_s[SRC_COUNT]; /* how often each source refreshes: ages turn yellow/red */
};

/* Everything a pane's draw function may look at. */
struct pane_ctx {
    struct r1_cv cv; /* the inside of the pane's box */
    const struct r1_fleet *f;
    const struct r1_node *n; /* the selected node, never NULL */
    double now;
    const struct r1_theme *th;
    struct r1_view *view;
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
    int min_w, min_h;
    void (*draw)(struct pane_ctx *pc);
    /* optional: a key the pane handles while it is shown; R1_FE_* flags, 0 = not handled */
    int (*key)(struct r1_view *v, const struct r1_fleet *f, int key);
};

extern const struct pane pane_table[PANE_COUNT];

void pane_licence_draw(struct pane_ctx *pc);
void pane_uptime_draw(struct pane_ctx *pc);
void pane_workloads_draw(struct pane_ctx *pc);
void pane_gpu_draw(struct pane_ctx *pc);
void pane_rewards_draw(struct pane_ctx *pc);

/* Draw every visible pane of the layout for node n. */
void panes_draw_all(WINDOW *win, const struct r1_layout *lay, const struct r1_theme *th,
                    const struct r1_fleet *f, const struct r1_node *n, double now,
                    struct r1_view *v);

/* Top line, node strip/column (pane_header.c); help screen and key bar (help.c). */
void header_draw(const struct r1_cv *cv, const struct r1_fleet *f, const struct r1_node *n,
                 double now, bool show_node);
void nodes_draw(const struct r1_cv *cv, bool column, const struct r1_fleet *f, double now,
                struct r1_view *v);
void help_draw(const struct r1_cv *cv, struct r1_view *v);
void keybar_draw(const struct r1_cv *cv, const struct r1_fleet *f, const struct r1_view *v);

/* Shared helpers for the panes (panes.c). */
double pane_interval(const struct pane_ctx *pc, enum r1_source_id src);
/* Age of a group's data as the top-right border note ("oracle 12 s"), coloured by staleness. */
void pane_note_age(struct pane_ctx *pc, const char *what, const struct r1_meta *m,
                   enum r1_source_id src);
/* The last error of m on row `row` ("oracle: HTTP 500 … (12 s ago)"); returns rows used. */
int pane_draw_error(struct pane_ctx *pc, int row, const char *what, const struct r1_meta *m);
/* When an oracle reply is not verified, one line saying why, on row `row` (issue 3: a bad
 * signature in red with its reason, an unknown signer, an unsigned reply). Returns rows used:
 * 0 for verified or unchecked replies. */
int pane_draw_trust_detail(struct pane_ctx *pc, int row, const struct r1_oracle_node *o);
/* "Label" in the label role, padded to label_w columns; returns the column after it. */
int pane_label(const struct pane_ctx *pc, int row, const char *label, int label_w);
/* "n/a" in its role; returns columns. */
int pane_na(const struct pane_ctx *pc, int row, int col);
/* Seconds of age as "12 s ago" / "never". */
void pane_fmt_ago(char *dst, size_t dst_size, double age_s);
/* The network's current epoch: the oracle's when known, else the clock's (epoch.c). */
int64_t pane_current_epoch(const struct r1_fleet *f, double now);
/* Time left as "7h 12m" / "12m 05s". */
void pane_fmt_left(char *dst, size_t dst_size, double secs);
/* "1575.1888 R1" from wei (truncated, never rounded up). */
void pane_fmt_r1(char *dst, size_t dst_size, r1_u128 wei, int places);

#endif
