/* table: order (filter, then a stable sort), resolve (where the view's selection and scroll
 * land on today's rows), keys, and drawing (table.h). */
#include "table.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TABLE_GAP_WIDE 2

void table_view_init(struct table_view *v)
{
    memset(v, 0, sizeof *v);
    v->sort_col = -1;
}

int table_page(int rows)
{
    return rows > 1 ? rows - 1 : 0;
}

static int ncols(const struct table_spec *spec)
{
    return spec->n_cols < TABLE_COLS_MAX ? spec->n_cols : TABLE_COLS_MAX;
}

static void cell_text(const struct table_spec *spec, const void *data, size_t row, int col,
                      char *dst, size_t n, enum th_role *role)
{
    enum th_role r = TH_NORMAL;
    dst[0] = '\0';
    spec->cell(data, row, col, dst, n, &r);
    if (role)
        *role = r;
}

/* ---- filter ---------------------------------------------------------------------------- */

static bool contains_nocase(const char *hay, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl == 0)
        return true;
    for (const char *p = hay; *p; p++)
        if (strncasecmp(p, needle, nl) == 0)
            return true;
    return false;
}

static bool row_passes(const struct table_spec *spec, const void *data, size_t row,
                       const char *filter)
{
    if (!filter[0])
        return true;
    char text[TABLE_CELL_MAX * 2];
    if (spec->filter_text) {
        text[0] = '\0';
        spec->filter_text(data, row, text, sizeof text);
        return contains_nocase(text, filter);
    }
    for (int c = 0; c < ncols(spec); c++) {
        cell_text(spec, data, row, c, text, sizeof text, NULL);
        if (contains_nocase(text, filter))
            return true;
    }
    return false;
}

/* ---- sort ------------------------------------------------------------------------------ */

struct sort_ctx {
    const struct table_spec *spec;
    const void *data;
    int col;
    bool desc;
};

/* A cell that reads as a number ("12", "-3.5", "1.2 GiB") sorts as one. */
static bool leading_number(const char *s, double *v)
{
    while (*s == ' ')
        s++;
    if (!(isdigit((unsigned char)s[0]) ||
          ((s[0] == '-' || s[0] == '+') && isdigit((unsigned char)s[1]))))
        return false;
    *v = strtod(s, NULL);
    return true;
}

static int cmp_cells(const struct sort_ctx *sc, size_t a, size_t b)
{
    const struct table_col *col = &sc->spec->cols[sc->col];
    if (col->cmp)
        return col->cmp(sc->data, a, b);
    char ta[TABLE_CELL_MAX], tb[TABLE_CELL_MAX];
    cell_text(sc->spec, sc->data, a, sc->col, ta, sizeof ta, NULL);
    cell_text(sc->spec, sc->data, b, sc->col, tb, sizeof tb, NULL);
    double va, vb;
    bool na = leading_number(ta, &va), nb = leading_number(tb, &vb);
    if (na && nb)
        return va < vb ? -1 : va > vb ? 1 : 0;
    if (na != nb) /* numbers before words ("-", "n/a") */
        return na ? -1 : 1;
    return strcasecmp(ta, tb);
}

static int cmp_rows(const struct sort_ctx *sc, size_t a, size_t b)
{
    int r = sc->col >= 0 ? cmp_cells(sc, a, b) : 0;
    if (sc->desc)
        r = -r;
    if (r == 0) /* stable: the rows' own order breaks ties */
        r = a < b ? -1 : a > b ? 1 : 0;
    return r;
}

static void merge_sort(size_t *v, size_t *tmp, size_t n, const struct sort_ctx *sc)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(v, tmp, h, sc);
    merge_sort(v + h, tmp, n - h, sc);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_rows(sc, v[j], v[i]) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

size_t table_order(const struct table_spec *spec, const void *data, const struct table_view *v,
                   size_t **order)
{
    size_t total = spec->n_rows(data);
    size_t *o = xcalloc(total ? total : 1, sizeof *o);
    size_t n = 0;
    for (size_t i = 0; i < total; i++)
        if (row_passes(spec, data, i, v->filter))
            o[n++] = i;
    if (v->sort_col >= 0 && v->sort_col < ncols(spec)) {
        struct sort_ctx sc = {spec, data, v->sort_col, v->sort_desc};
        size_t *tmp = xcalloc(n ? n : 1, sizeof *tmp);
        merge_sort(o, tmp, n, &sc);
        free(tmp);
    }
    *order = o;
    return n;
}

/* ---- where the view lands -------------------------------------------------------------- */

static void resolve_order(const struct table_spec *spec, const void *data,
                          const struct table_view *v, int page, const size_t *order, size_t n,
                          struct table_pos *pos)
{
    memset(pos, 0, sizeof *pos);
    pos->n = n;
    pos->total = spec->n_rows(data);
    size_t pg = page > 0 ? (size_t)page : 1;
    if (spec->selectable && n > 0) {
        size_t sel = n;
        for (size_t i = 0; v->has_sel && i < n; i++)
            if (spec->row_id(data, order[i]) == v->sel_id) {
                sel = i;
                break;
            }
        if (sel == n) /* its row went away (or nothing chosen yet): keep the place */
            sel = v->sel_hint < n ? v->sel_hint : n - 1;
        pos->sel = sel;
        pos->has_sel = true;
        pos->sel_id = spec->row_id(data, order[sel]);
    }
    size_t max_top = n > pg ? n - pg : 0;
    size_t top = v->top < max_top ? v->top : max_top;
    if (pos->has_sel) {
        if (pos->sel < top)
            top = pos->sel;
        else if (pos->sel >= top + pg)
            top = pos->sel - pg + 1;
    }
    pos->top = top;
}

void table_resolve(const struct table_spec *spec, const void *data, const struct table_view *v,
                   int page, struct table_pos *pos)
{
    size_t *order;
    size_t n = table_order(spec, data, v, &order);
    resolve_order(spec, data, v, page, order, n, pos);
    free(order);
}

bool table_selected_row(const struct table_spec *spec, const void *data, const struct table_view *v,
                        size_t *row)
{
    size_t *order;
    size_t n = table_order(spec, data, v, &order);
    struct table_pos pos;
    resolve_order(spec, data, v, 1, order, n, &pos);
    bool ok = pos.has_sel;
    if (ok)
        *row = order[pos.sel];
    free(order);
    return ok;
}

/* ---- keys ------------------------------------------------------------------------------ */

int table_key(const struct table_spec *spec, const void *data, struct table_view *v, int page,
              int code)
{
    if (page < 1)
        page = 1;
    long step = page > 1 ? page - 1 : 1; /* a page keeps one row of the last for context */
    long delta = 0;
    bool to_start = false, to_end = false;
    switch (code) {
    case KEY_UP:
    case 'k':
        delta = -1;
        break;
    case KEY_DOWN:
    case 'j':
        delta = 1;
        break;
    case KEY_PPAGE:
        delta = -step;
        break;
    case KEY_NPAGE:
        delta = step;
        break;
    case KEY_HOME:
    case 'g':
        to_start = true;
        break;
    case KEY_END:
    case 'G':
        to_end = true;
        break;
    default:
        return 0;
    }
    size_t *order;
    size_t n = table_order(spec, data, v, &order);
    struct table_pos pos;
    resolve_order(spec, data, v, page, order, n, &pos);
    if (pos.has_sel) {
        long s = to_start ? 0 : to_end ? (long)n - 1 : (long)pos.sel + delta;
        s = s < 0 ? 0 : s >= (long)n ? (long)n - 1 : s;
        v->has_sel = true;
        v->sel_id = spec->row_id(data, order[s]);
        v->sel_hint = (size_t)s;
        v->top = pos.top;
        if ((size_t)s < v->top)
            v->top = (size_t)s;
        else if ((size_t)s >= v->top + (size_t)page)
            v->top = (size_t)s - (size_t)page + 1;
    } else {
        long max_top = (long)n > page ? (long)n - page : 0;
        long t = to_start ? 0 : to_end ? max_top : (long)pos.top + delta;
        v->top = (size_t)(t < 0 ? 0 : t > max_top ? max_top : t);
    }
    free(order);
    return 1;
}

void table_sort_by(struct table_view *v, int col)
{
    if (col >= 0 && col == v->sort_col) {
        v->sort_desc = !v->sort_desc;
        return;
    }
    v->sort_col = col;
    v->sort_desc = false;
}

void table_sort_step(struct table_view *v, const struct table_spec *spec, int dir)
{
    int n = ncols(spec) + 1; /* own order, then every column */
    int at = (v->sort_col + 1 + (dir > 0 ? 1 : n - 1)) % n;
    v->sort_col = at - 1;
    v->sort_desc = false;
}

void table_set_filter(struct table_view *v, const char *text)
{
    r1_strlcpy(v->filter, text ? text : "", sizeof v->filter);
    v->top = 0;
}

/* ---- drawing --------------------------------------------------------------------------- */

int table_widths(const struct table_spec *spec, const int *want_in, int width, bool skip_group_col,
                 int *cw)
{
    int nc = ncols(spec), want[TABLE_COLS_MAX], total = 0, max_prio = 0;
    for (int c = 0; c < nc; c++) {
        cw[c] = 0;
        bool skip = skip_group_col && c == spec->group_col;
        want[c] = skip ? 0 : want_in ? want_in[c] : (int)strlen(spec->cols[c].title);
        if (want[c] > spec->cols[c].max_w)
            want[c] = spec->cols[c].max_w;
        total += want[c];
        if (spec->cols[c].priority > max_prio)
            max_prio = spec->cols[c].priority;
    }
    /* one blank between columns when that is what lets the text through */
    int gap = total + (nc - 1) * TABLE_GAP_WIDE <= width ? TABLE_GAP_WIDE : 1;
    int used = 0;
    for (int p = 0; p <= max_prio; p++) {
        for (int c = 0; c < nc; c++) {
            if (spec->cols[c].priority != p || want[c] == 0)
                continue;
            int m = want[c] < spec->cols[c].min_w ? want[c] : spec->cols[c].min_w;
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
        for (int c = 0; c < nc && used < width; c++) {
            if (cw[c] && cw[c] < want[c]) {
                cw[c]++;
                used++;
                grew = true;
            }
        }
    }
    return gap;
}

static bool starts_group(const struct table_spec *spec, const void *data, const size_t *order,
                         size_t k)
{
    if (k == 0)
        return true;
    char a[TABLE_CELL_MAX], b[TABLE_CELL_MAX];
    spec->group_key(data, order[k - 1], a, sizeof a);
    spec->group_key(data, order[k], b, sizeof b);
    return strcmp(a, b) != 0;
}

static void draw_row(const struct r1_cv *cv, int line, int x0, const struct table_spec *spec,
                     const int *cw, int gap, char (*cells)[TABLE_CELL_MAX],
                     const enum th_role *roles, bool selected)
{
    const struct r1_theme *th = cv->th;
    if (selected)
        for (int c = 0; c < cv->w; c++)
            cv_text_attr(cv, line, c, 1, th->attr[TH_SELECTED], " ");
    int col = x0;
    for (int c = 0; c < ncols(spec); c++) {
        if (!cw[c])
            continue;
        char fit[TABLE_CELL_MAX];
        draw_fit(fit, sizeof fit, cells[c], cw[c], th->utf8);
        int pad = spec->cols[c].right ? cw[c] - draw_width(fit, th->utf8) : 0;
        attr_t a = th->attr[roles[c]];
        if (selected)
            a = roles[c] == TH_NORMAL ? th->attr[TH_SELECTED] : (a | A_REVERSE);
        cv_text_attr(cv, line, col + pad, cw[c], a, fit);
        col += cw[c] + gap;
    }
}

/* want[c] = the widest of column c's title (with the sort mark) and its cells in
 * order[from..to) */
static void measure_rows(const struct table_spec *spec, const void *data,
                         const struct table_view *v, const size_t *order, size_t from, size_t to,
                         bool utf8, int *want)
{
    for (int c = 0; c < ncols(spec); c++) {
        want[c] = draw_width(spec->cols[c].title, utf8) + (c == v->sort_col ? 1 : 0);
        for (size_t k = from; k < to; k++) {
            char cell[TABLE_CELL_MAX];
            cell_text(spec, data, order[k], c, cell, sizeof cell, NULL);
            int w = draw_width(cell, utf8);
            if (w > want[c])
                want[c] = w;
        }
    }
}

/* The remembered widths into want, when they still hold for these rows (table_widths_memo). */
static bool widths_from_memo(const struct table_spec *spec, const void *data,
                             const struct table_view *v, const size_t *order, size_t n,
                             size_t first, int page, bool utf8, int *want)
{
    struct table_widths_memo *m = v->memo;
    if (!m || n < TABLE_MEMO_MIN_ROWS || !m->valid || m->n != n || m->sort_col != v->sort_col ||
        m->sort_desc != v->sort_desc || m->utf8 != utf8 || strcmp(m->filter, v->filter) != 0 ||
        m->frames >= TABLE_MEMO_FRAMES)
        return false;
    /* the rows on screen must fit in what is remembered */
    int seen[TABLE_COLS_MAX];
    size_t last = first + (size_t)(page > 0 ? page : 0);
    measure_rows(spec, data, v, order, first < n ? first : n, last < n ? last : n, utf8, seen);
    for (int c = 0; c < ncols(spec); c++)
        if (seen[c] > m->want[c])
            return false;
    memcpy(want, m->want, sizeof m->want);
    m->frames++;
    return true;
}

void table_draw(const struct r1_cv *cv, const struct table_spec *spec, const void *data,
                const struct table_view *v, struct table_shown *shown)
{
    struct table_shown sh = {0, 0, 0, 0, false};
    int page = table_page(cv->h);
    size_t *order;
    size_t n = table_order(spec, data, v, &order);
    struct table_pos pos;
    resolve_order(spec, data, v, page, order, n, &pos);
    sh.n = n;
    sh.total = pos.total;
    int nc = ncols(spec);
    const struct r1_theme *th = cv->th;

    size_t groups = 0;
    bool can_group = spec->group_key && spec->group_heading && v->sort_col < 0 && !v->filter[0];
    for (size_t k = 0; can_group && k < n; k++)
        groups += starts_group(spec, data, order, k);
    sh.grouped = can_group && n + groups <= (size_t)page;

    /* each column wants its title (and sort mark) or its longest cell, up to its max_w */
    int want[TABLE_COLS_MAX] = {0};
    size_t first = sh.grouped ? 0 : pos.top;
    if (!widths_from_memo(spec, data, v, order, n, first, page, th->utf8, want)) {
        measure_rows(spec, data, v, order, 0, n, th->utf8, want);
        struct table_widths_memo *m = v->memo;
        if (m) {
            *m = (struct table_widths_memo){.valid = true, .n = n, .sort_col = v->sort_col,
                                            .sort_desc = v->sort_desc, .utf8 = th->utf8};
            r1_strlcpy(m->filter, v->filter, sizeof m->filter);
            memcpy(m->want, want, sizeof m->want);
        }
    }
    int x0 = sh.grouped ? 2 : 0;
    int cw[TABLE_COLS_MAX] = {0};
    int gap = table_widths(spec, want, cv->w - x0, sh.grouped, cw);

    if (cv->h > 0) {
        int col = x0;
        for (int c = 0; c < nc; c++) {
            if (!cw[c])
                continue;
            char title[64];
            snprintf(title, sizeof title, "%s%s", spec->cols[c].title,
                     c == v->sort_col ? (v->sort_desc ? th->g->down : th->g->up) : "");
            int pad = spec->cols[c].right ? cw[c] - draw_width(title, th->utf8) : 0;
            cv_textn(cv, 0, col + (pad > 0 ? pad : 0), cw[c], TH_TITLE, title);
            col += cw[c] + gap;
        }
    }

    char cells[TABLE_COLS_MAX][TABLE_CELL_MAX], above[TABLE_COLS_MAX][TABLE_CELL_MAX];
    enum th_role roles[TABLE_COLS_MAX];
    int line = 1;
    size_t k = sh.grouped ? 0 : pos.top;
    for (; k < n && line <= page; k++) {
        size_t row = order[k];
        if (sh.grouped && starts_group(spec, data, order, k)) {
            char title[TABLE_CELL_MAX], note[TABLE_CELL_MAX];
            title[0] = note[0] = '\0';
            spec->group_heading(data, row, title, sizeof title, note, sizeof note);
            int c = cv_text(cv, line, 0, TH_VALUE, title);
            if (note[0])
                cv_printf(cv, line, c, TH_NA, "  %s", note);
            line++;
            if (line > page)
                break;
        }
        for (int c = 0; c < nc; c++)
            cell_text(spec, data, row, c, cells[c], sizeof cells[c], &roles[c]);
        bool first_shown = k == (sh.grouped ? 0 : pos.top);
        for (int c = 0; c < nc; c++) {
            char keep[TABLE_CELL_MAX];
            r1_strlcpy(keep, cells[c], sizeof keep);
            if (spec->cols[c].dedupe && !first_shown && strcmp(above[c], cells[c]) == 0)
                cells[c][0] = '\0';
            r1_strlcpy(above[c], keep, sizeof above[c]);
        }
        draw_row(cv, line, x0, spec, cw, gap, cells, roles, pos.has_sel && k == pos.sel);
        if (sh.first == 0)
            sh.first = k + 1;
        sh.last = k + 1;
        line++;
    }
    free(order);
    if (shown)
        *shown = sh;
}
