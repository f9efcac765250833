/* pane_workloads: the node's pipelines and their plugin instances, one row per instance, from
 * the pipeline files (workloads §1.1). Only the keys the model keeps are shown — pipeline
 * files hold secrets, and the model never copies the rest. Columns are dropped by priority
 * when the pane is narrow; the list scrolls with the arrow and page keys. */
#include <stdio.h>
#include <string.h>

#include "panes.h"

enum wl_col {
    WC_PIPELINE,
    WC_SIGNATURE,
    WC_INSTANCE,
    WC_IMAGE,
    WC_PORT,
    WC_JOB,
    WC_UPDATED,
    WC_COUNT
};

struct wl_colspec {
    const char *title;
    int min_w, max_w;
    int priority; /* 0 = kept longest */
    bool right;   /* numbers align right */
};

static const struct wl_colspec wl_cols[WC_COUNT] = {
    [WC_PIPELINE] = {"PIPELINE", 8, 28, 3, false}, [WC_SIGNATURE] = {"SIGNATURE", 10, 26, 0, false},
    [WC_INSTANCE] = {"INSTANCE", 8, 28, 1, false}, [WC_IMAGE] = {"IMAGE", 10, 40, 2, false},
    [WC_PORT] = {"PORT", 5, 5, 4, true},           [WC_JOB] = {"JOB", 5, 8, 5, true},
    [WC_UPDATED] = {"UPDATED", 7, 10, 6, true},
};

#define WL_GAP_WIDE 2

static void wl_cell(const struct pane_ctx *pc, const struct r1_instance *r, enum wl_col c,
                    char *dst, size_t n)
{
    switch (c) {
    case WC_PIPELINE:
        snprintf(dst, n, "%s", r->pipeline);
        break;
    case WC_SIGNATURE:
        snprintf(dst, n, "%s", r->signature);
        break;
    case WC_INSTANCE:
        snprintf(dst, n, "%s", r->instance_id);
        break;
    case WC_IMAGE:
        snprintf(dst, n, "%s", r->image[0] ? r->image : "-");
        break;
    case WC_PORT:
        if (r->port >= 0)
            snprintf(dst, n, "%d", r->port);
        else
            snprintf(dst, n, "-");
        break;
    case WC_JOB:
        if (r->is_deeployed && r->job_id >= 0)
            snprintf(dst, n, "%lld", (long long)r->job_id);
        else
            snprintf(dst, n, "-");
        break;
    case WC_UPDATED: {
        double t;
        if (!r->last_update[0]) {
            snprintf(dst, n, "-");
        } else if (r1_parse_utc(r->last_update, &t) == 0) {
            char a[24];
            r1_fmt_age(a, sizeof a, pc->now > t ? pc->now - t : 0);
            snprintf(dst, n, "%s", a);
        } else {
            snprintf(dst, n, "%s", r->last_update);
        }
        break;
    }
    default:
        dst[0] = '\0';
    }
}

/* Column widths for this pane width: columns enter by priority while their minimum fits,
 * then grow in turns towards what their longest cell needs. 0 = column not shown. */
static int wl_widths(const struct pane_ctx *pc, const struct r1_workloads *w, int width,
                     bool grouped, int *cw)
{
    int want[WC_COUNT], total = 0;
    for (int c = 0; c < WC_COUNT; c++) {
        if (grouped && c == WC_PIPELINE) {
            want[c] = cw[c] = 0;
            continue;
        }
        want[c] = draw_width(wl_cols[c].title, pc->th->utf8);
        for (size_t i = 0; i < w->n_rows; i++) {
            char cell[160];
            wl_cell(pc, &w->rows[i], (enum wl_col)c, cell, sizeof cell);
            int cwid = draw_width(cell, pc->th->utf8);
            if (cwid > want[c])
                want[c] = cwid;
        }
        if (want[c] > wl_cols[c].max_w)
            want[c] = wl_cols[c].max_w;
        total += want[c];
        cw[c] = 0;
    }
    /* one blank between columns when that is what lets the text through */
    int gap = total + (WC_COUNT - 1) * WL_GAP_WIDE <= width ? WL_GAP_WIDE : 1;
    int used = 0;
    for (int p = 0; p < WC_COUNT; p++) {
        for (int c = 0; c < WC_COUNT; c++) {
            if (wl_cols[c].priority != p || (grouped && c == WC_PIPELINE))
                continue;
            int m = want[c] < wl_cols[c].min_w ? want[c] : wl_cols[c].min_w;
            int add = m + (used ? gap : 0);
            if (used + add <= width) {
                cw[c] = m;
                used += add;
            }
        }
    }
    bool grew = true;
    while (used < width && grew) {
        grew = false;
        for (int c = 0; c < WC_COUNT && used < width; c++) {
            if (cw[c] && cw[c] < want[c]) {
                cw[c]++;
                used++;
                grew = true;
            }
        }
    }
    return gap;
}

static void wl_draw_row(const struct pane_ctx *pc, int row, int x0, const int *cw, int gap,
                        const char **cells, enum th_role role)
{
    int col = x0;
    for (int c = 0; c < WC_COUNT; c++) {
        if (!cw[c])
            continue;
        char fit[256];
        draw_fit(fit, sizeof fit, cells[c], cw[c], pc->th->utf8);
        int pad = wl_cols[c].right ? cw[c] - draw_width(fit, pc->th->utf8) : 0;
        enum th_role r = role;
        if (role != TH_TITLE && (strcmp(fit, "-") == 0))
            r = TH_NA;
        else if (role != TH_TITLE && c == WC_PIPELINE)
            r = TH_VALUE;
        cv_textn(&pc->cv, row, col + pad, cw[c], r, fit);
        col += cw[c] + gap;
    }
}

void pane_workloads_draw(struct pane_ctx *pc)
{
    const struct r1_node *n = pc->n;
    const struct r1_workloads *w = &n->work;
    const struct r1_cv *cv = &pc->cv;
    struct r1_view *v = pc->view;
    int rows = cv->h - (w->meta.error[0] ? 1 : 0);
    pane_note_age(pc, "files", &w->meta, SRC_STREAMS);
    v->wl_rows = 0;

    if (!R1_VALID(w, WORK_LIST)) {
        const char *why = !n->status_dir_url[0]     ? "n/a (no status folder for this node)"
                          : w->meta.error[0]        ? "n/a (pipeline files not read)"
                          : w->meta.updated_at <= 0 ? "waiting for the pipeline files"
                                                    : "n/a";
        if (rows > 0)
            cv_text(cv, 0, 0, TH_NA, why);
        pane_draw_error(pc, cv->h - 1, "pipelines", &w->meta);
        return;
    }
    if (w->n_rows > 0)
        snprintf(pc->title_note, sizeof pc->title_note, "%d pipeline%s, %zu instance%s",
                 w->n_pipelines, w->n_pipelines == 1 ? "" : "s", w->n_rows,
                 w->n_rows == 1 ? "" : "s");
    if (w->n_rows == 0) {
        if (rows > 0)
            cv_text(cv, 0, 0, TH_NA, "no user pipelines on this node (admin_pipeline not shown)");
        pane_draw_error(pc, cv->h - 1, "pipelines", &w->meta);
        return;
    }
    bool note_unreadable = w->n_unreadable > 0 && rows >= 4;
    int list_rows = rows - 1 - (note_unreadable ? 1 : 0); /* header row */
    if (list_rows < 0)
        list_rows = 0;
    v->wl_rows = (int)w->n_rows;
    v->wl_page = list_rows > 0 ? list_rows : 1;
    int max_scroll = (int)w->n_rows - list_rows;
    if (max_scroll < 0)
        max_scroll = 0;
    if (v->wl_scroll > max_scroll)
        v->wl_scroll = max_scroll;
    if (v->wl_scroll < 0)
        v->wl_scroll = 0;

    /* Room for a line per pipeline above its instances: the pipeline gets a whole line
     * (with its app alias) instead of a squeezed column. */
    int groups = 0;
    for (size_t i = 0; i < w->n_rows; i++)
        if (i == 0 || strcmp(w->rows[i - 1].pipeline, w->rows[i].pipeline) != 0)
            groups++;
    bool grouped = (int)w->n_rows + groups <= list_rows;
    int x0 = grouped ? 2 : 0;
    int cw[WC_COUNT];
    int gap = wl_widths(pc, w, cv->w - x0, grouped, cw);
    const char *titles[WC_COUNT];
    for (int c = 0; c < WC_COUNT; c++)
        titles[c] = wl_cols[c].title;
    if (rows > 0)
        wl_draw_row(pc, 0, x0, cw, gap, titles, TH_TITLE);

    int line = 1;
    for (int k = 0; line <= list_rows; k++) {
        size_t i = (size_t)((grouped ? 0 : v->wl_scroll) + k);
        if (i >= w->n_rows)
            break;
        const struct r1_instance *r = &w->rows[i];
        bool first_of_pipeline = i == 0 || strcmp(w->rows[i - 1].pipeline, r->pipeline) != 0;
        if (grouped && first_of_pipeline) {
            int col = cv_text(cv, line, 0, TH_VALUE, r->pipeline);
            if (r->app_alias[0] && strcmp(r->app_alias, r->pipeline) != 0)
                col += cv_printf(cv, line, col, TH_NA, "  %s", r->app_alias);
            if (r->is_deeployed)
                cv_text(cv, line, col, TH_NA, "  deeployed");
            line++;
        }
        char buf[WC_COUNT][160];
        const char *cells[WC_COUNT];
        for (int c = 0; c < WC_COUNT; c++) {
            wl_cell(pc, r, (enum wl_col)c, buf[c], sizeof buf[c]);
            cells[c] = buf[c];
        }
        /* a pipeline's name once, on its first row (and on the first row shown) */
        if (k > 0 && !first_of_pipeline)
            cells[WC_PIPELINE] = "";
        wl_draw_row(pc, line++, x0, cw, gap, cells, TH_NORMAL);
    }
    if (note_unreadable)
        cv_printf(cv, rows - 1, 0, TH_WARN, "%d pipeline file%s could not be read (kept as before)",
                  w->n_unreadable, w->n_unreadable == 1 ? "" : "s");
    if (!grouped && (int)w->n_rows > list_rows && list_rows > 0) {
        int last = v->wl_scroll + list_rows;
        if (last > (int)w->n_rows)
            last = (int)w->n_rows;
        snprintf(pc->foot_note, sizeof pc->foot_note, "%s%s %d-%d of %zu",
                 v->wl_scroll > 0 ? pc->th->g->up : "",
                 last < (int)w->n_rows ? pc->th->g->down : "", v->wl_scroll + 1, last, w->n_rows);
    }
    pane_draw_error(pc, cv->h - 1, "pipelines", &w->meta);
}
