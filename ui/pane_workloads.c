/* pane_workloads: the node's pipelines and their plugin instances, one row per instance, from
 * the pipeline files. Only the keys the model keeps are shown — pipeline files hold secrets,
 * and the model never copies the rest. The list is a table (table.c): columns are dropped by
 * priority when the pane is narrow, and it scrolls with the node screen's arrow and page keys.
 * When every row fits with a heading line per pipeline, the pipelines become headings. */
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

/* title, min/max width, priority (0 = dropped last), right-aligned, named once per pipeline */
static const struct table_col wl_cols[WC_COUNT] = {
    [WC_PIPELINE] = {"PIPELINE", 8, 28, 3, false, true, NULL},
    [WC_SIGNATURE] = {"SIGNATURE", 10, 26, 0, false, false, NULL},
    [WC_INSTANCE] = {"INSTANCE", 8, 28, 1, false, false, NULL},
    [WC_IMAGE] = {"IMAGE", 10, 40, 2, false, false, NULL},
    [WC_PORT] = {"PORT", 5, 5, 4, true, false, NULL},
    [WC_JOB] = {"JOB", 5, 8, 5, true, false, NULL},
    [WC_UPDATED] = {"UPDATED", 7, 10, 6, true, false, NULL},
};

static void wl_cell_text(double now, const struct r1_instance *r, enum wl_col c, char *dst,
                         size_t n)
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
            r1_fmt_age(a, sizeof a, now > t ? now - t : 0);
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

static size_t wl_n_rows(const void *data)
{
    const struct pane_workloads_data *d = data;
    return d->n->work.n_rows;
}

/* FNV-1a over the fields that name an instance: the same instance keeps its id when the
 * pipeline files are read again, whatever order they come in. */
static uint64_t wl_row_id(const void *data, size_t row)
{
    const struct pane_workloads_data *d = data;
    const struct r1_instance *r = &d->n->work.rows[row];
    const char *parts[3] = {r->pipeline, r->signature, r->instance_id};
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < 3; i++) {
        for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
            h = (h ^ *p) * 1099511628211ULL;
        h = (h ^ 0x1f) * 1099511628211ULL; /* a separator, so "ab"+"c" != "a"+"bc" */
    }
    return h;
}

static void wl_cell(const void *data, size_t row, int col, char *dst, size_t n,
                    enum th_role *role)
{
    const struct pane_workloads_data *d = data;
    wl_cell_text(d->now, &d->n->work.rows[row], (enum wl_col)col, dst, n);
    if (strcmp(dst, "-") == 0)
        *role = TH_NA;
    else if (col == WC_PIPELINE)
        *role = TH_VALUE;
}

static void wl_group_key(const void *data, size_t row, char *dst, size_t n)
{
    const struct pane_workloads_data *d = data;
    r1_strlcpy(dst, d->n->work.rows[row].pipeline, n);
}

static void wl_group_heading(const void *data, size_t row, char *title, size_t tn, char *note,
                             size_t nn)
{
    const struct pane_workloads_data *d = data;
    const struct r1_instance *r = &d->n->work.rows[row];
    r1_strlcpy(title, r->pipeline, tn);
    bool alias = r->app_alias[0] && strcmp(r->app_alias, r->pipeline) != 0;
    snprintf(note, nn, "%s%s%s", alias ? r->app_alias : "", alias && r->is_deeployed ? "  " : "",
             r->is_deeployed ? "deeployed" : "");
}

const struct table_spec pane_workloads_table = {
    .cols = wl_cols,
    .n_cols = WC_COUNT,
    .n_rows = wl_n_rows,
    .row_id = wl_row_id,
    .cell = wl_cell,
    .selectable = false,
    .group_key = wl_group_key,
    .group_heading = wl_group_heading,
    .group_col = WC_PIPELINE,
};

/* Lines of the pane's inside that the table gets: the error line and the unreadable-files
 * note come off the bottom. */
static int wl_table_h(const struct r1_node *n, int inner_h)
{
    const struct r1_workloads *w = &n->work;
    int rows = inner_h - (n->src[SRC_STREAMS].err.kind != R1_EK_NONE ? 1 : 0);
    bool note_unreadable = w->n_unreadable > 0 && rows >= 4;
    rows -= note_unreadable ? 1 : 0;
    return rows > 0 ? rows : 0;
}

int pane_workloads_page(const struct r1_node *n, int inner_h)
{
    int page = table_page(wl_table_h(n, inner_h));
    return page > 0 ? page : 1;
}

void pane_workloads_draw(struct pane_ctx *pc)
{
    const struct r1_node *n = pc->n;
    const struct r1_workloads *w = &n->work;
    const struct r1_cv *cv = &pc->cv;
    int rows = cv->h - (pane_src_failed(pc, &w->meta, SRC_STREAMS) ? 1 : 0);
    pane_note_age(pc, "files", &w->meta, SRC_STREAMS);

    if (!R1_VALID(w, WORK_LIST)) {
        const char *why = !n->status_dir_url[0]     ? "n/a (no status folder for this node)"
                          : pane_src_failed(pc, &w->meta, SRC_STREAMS) ? "n/a (pipeline files not read)"
                          : w->meta.updated_at <= 0 ? "waiting for the pipeline files"
                                                    : "n/a";
        if (rows > 0)
            cv_text(cv, 0, 0, TH_NA, why);
        pane_draw_error(pc, cv->h - 1, "pipelines", &w->meta, SRC_STREAMS);
        return;
    }
    if (w->n_rows > 0)
        snprintf(pc->title_note, sizeof pc->title_note, "%d pipeline%s, %zu instance%s",
                 w->n_pipelines, w->n_pipelines == 1 ? "" : "s", w->n_rows,
                 w->n_rows == 1 ? "" : "s");
    if (w->n_files_read < w->n_files_total) {
        /* D8: a capped folder says so, in the title where it cannot be missed */
        size_t used = strlen(pc->title_note);
        snprintf(pc->title_note + used, sizeof pc->title_note - used, "%s%d of %d files read",
                 used ? ", " : "", w->n_files_read, w->n_files_total);
        pc->age_role = TH_WARN;
    }
    if (w->n_rows == 0) {
        if (rows > 0)
            cv_text(cv, 0, 0, TH_NA, "no user pipelines on this node (admin_pipeline not shown)");
        pane_draw_error(pc, cv->h - 1, "pipelines", &w->meta, SRC_STREAMS);
        return;
    }
    int table_h = wl_table_h(n, cv->h);
    struct r1_cv tcv = cv_sub(cv, 0, 0, table_h, cv->w);
    struct pane_workloads_data d = {n, pc->now};
    struct table_view none;
    table_view_init(&none);
    struct table_shown sh;
    table_draw(&tcv, &pane_workloads_table, &d, pc->view ? &pc->view->wl : &none, &sh);
    if (table_h < rows)
        cv_printf(cv, rows - 1, 0, TH_WARN, "%d pipeline file%s could not be read (kept as before)",
                  w->n_unreadable, w->n_unreadable == 1 ? "" : "s");
    if (!sh.grouped && sh.last > 0 && (sh.first > 1 || sh.last < sh.n))
        snprintf(pc->foot_note, sizeof pc->foot_note, "%s%s %zu-%zu of %zu",
                 sh.first > 1 ? pc->th->g->up : "", sh.last < sh.n ? pc->th->g->down : "",
                 sh.first, sh.last, sh.n);
    pane_draw_error(pc, cv->h - 1, "pipelines", &w->meta, SRC_STREAMS);
}
