/* draw: canvases, clipped UTF-8 text, boxes, bars, sparklines, and the theme. Everything that
 * reaches the terminal passes through cv_text_attr(), which is where the last line of defence
 * against control characters in remote strings lives (parsers sanitise too). */
#include "draw.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "model.h"
#include "util.h"

static const struct r1_glyphs glyphs_utf8 = {
    .spark = {"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"},
    .bar_full = "\u2588",
    .bar_empty = "\u2591",
    .dot = "\u25cf",
    .hline = "\u2500",
    .vline = "\u2502",
    .tl = "\u250c",
    .tr = "\u2510",
    .bl = "\u2514",
    .br = "\u2518",
    .ellipsis = "\u2026",
    .up = "\u2191",
    .down = "\u2193",
    .check = "\u2713",
    .sep = "\u00b7",
    .dash = "\u2013",
};

/* Zero keeps a visible mark ('_') in ASCII so a 0% epoch is not mistaken for a gap. */
static const struct r1_glyphs glyphs_ascii = {
    .spark = {"_", ".", ":", "-", "=", "+", "*", "#"},
    .bar_full = "#",
    .bar_empty = ".",
    .dot = "*",
    .hline = "-",
    .vline = "|",
    .tl = "+",
    .tr = "+",
    .bl = "+",
    .br = "+",
    .ellipsis = "~",
    .up = "^",
    .down = "v",
    .check = "v",
    .sep = "|",
    .dash = "-",
};

/* Left-partial blocks for the last cell of a bar, in eighths. */
static const char *const bar_eighths[8] = {"",       "\u258f", "\u258e", "\u258d",
                                           "\u258c", "\u258b", "\u258a", "\u2589"};

enum { PAIR_CYAN = 1, PAIR_GREEN, PAIR_YELLOW, PAIR_RED, PAIR_ALERT, PAIR_KEYLABEL, PAIR_BLUE };

void theme_init(struct r1_theme *th, bool color, bool utf8)
{
    memset(th, 0, sizeof *th);
    th->utf8 = utf8;
    th->g = utf8 ? &glyphs_utf8 : &glyphs_ascii;
    th->color = color;
    attr_t *a = th->attr;
    if (color) {
        init_pair(PAIR_CYAN, COLOR_CYAN, -1);
        init_pair(PAIR_GREEN, COLOR_GREEN, -1);
        init_pair(PAIR_YELLOW, COLOR_YELLOW, -1);
        init_pair(PAIR_RED, COLOR_RED, -1);
        init_pair(PAIR_ALERT, COLOR_WHITE, COLOR_RED);
        init_pair(PAIR_KEYLABEL, COLOR_BLACK, COLOR_CYAN);
        init_pair(PAIR_BLUE, COLOR_BLUE, -1);
        a[TH_NORMAL] = A_NORMAL;
        a[TH_TITLE] = A_BOLD | COLOR_PAIR(PAIR_CYAN);
        a[TH_BORDER] = COLOR_PAIR(PAIR_BLUE);
        a[TH_LABEL] = A_NORMAL;
        a[TH_VALUE] = A_BOLD;
        a[TH_GOOD] = COLOR_PAIR(PAIR_GREEN);
        a[TH_WARN] = COLOR_PAIR(PAIR_YELLOW);
        a[TH_BAD] = A_BOLD | COLOR_PAIR(PAIR_RED);
        a[TH_ALERT] = A_BOLD | COLOR_PAIR(PAIR_ALERT);
        a[TH_NA] = A_DIM;
        a[TH_HEADER] = A_BOLD;
        a[TH_KEY] = A_BOLD;
        a[TH_KEYLABEL] = COLOR_PAIR(PAIR_KEYLABEL);
        a[TH_SELECTED] = A_REVERSE | A_BOLD;
        a[TH_SPARK] = COLOR_PAIR(PAIR_CYAN);
    } else {
        /* Monochrome (no colours, --no-color, NO_COLOR): meaning carried by weight alone. */
        a[TH_NORMAL] = A_NORMAL;
        a[TH_TITLE] = A_BOLD;
        a[TH_BORDER] = A_NORMAL;
        a[TH_LABEL] = A_NORMAL;
        a[TH_VALUE] = A_BOLD;
        a[TH_GOOD] = A_NORMAL;
        a[TH_WARN] = A_BOLD;
        a[TH_BAD] = A_BOLD | A_REVERSE;
        a[TH_ALERT] = A_BOLD | A_REVERSE;
        a[TH_NA] = A_DIM;
        a[TH_HEADER] = A_BOLD;
        a[TH_KEY] = A_BOLD;
        a[TH_KEYLABEL] = A_REVERSE;
        a[TH_SELECTED] = A_REVERSE | A_BOLD;
        a[TH_SPARK] = A_NORMAL;
    }
}

struct r1_cv cv_make(WINDOW *win, int y, int x, int h, int w, const struct r1_theme *th)
{
    struct r1_cv cv = {win, y, x, h > 0 ? h : 0, w > 0 ? w : 0, th};
    return cv;
}

struct r1_cv cv_sub(const struct r1_cv *cv, int y, int x, int h, int w)
{
    if (y < 0) {
        h += y;
        y = 0;
    }
    if (x < 0) {
        w += x;
        x = 0;
    }
    if (y + h > cv->h)
        h = cv->h - y;
    if (x + w > cv->w)
        w = cv->w - x;
    return cv_make(cv->win, cv->y + y, cv->x + x, h, w, cv->th);
}

/* One code point from s; returns the bytes it took (>= 1) and *cp = -1 when invalid. */
static int utf8_next(const unsigned char *s, long *cp)
{
    unsigned c;
    size_t n = r1_utf8_decode(s, &c);
    if (n == 0) {
        *cp = -1;
        return 1;
    }
    *cp = (long)c;
    return (int)n;
}

/* What one code point becomes on screen: the replacement and its width (0 = drop it). */
static long cell_of(long cp, bool utf8, int *width)
{
    *width = 1;
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
        return '?';
    if (cp < 0x80)
        return cp;
    if (!utf8)
        return '?';
    int w = wcwidth((wchar_t)cp);
    if (w < 0)
        return '?';
    *width = w; /* 0: a combining mark, drawn in the cell of the character before it */
    return cp;
}

/* Bytes of the longest prefix of s that fits maxcols; *cols gets its width. */
static size_t utf8_prefix(const char *s, int maxcols, bool utf8, int *cols)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t off = 0;
    int used = 0;
    while (p[off]) {
        long cp;
        int w, n = utf8_next(p + off, &cp);
        cell_of(cp, utf8, &w);
        if (used + w > maxcols)
            break;
        used += w;
        off += (size_t)n;
    }
    if (cols)
        *cols = used;
    return off;
}

int draw_width(const char *s, bool utf8)
{
    int cols;
    utf8_prefix(s ? s : "", 1 << 30, utf8, &cols);
    return cols;
}

void draw_fit(char *dst, size_t dst_size, const char *s, int maxcols, bool utf8)
{
    if (!dst_size)
        return;
    dst[0] = '\0';
    if (!s || maxcols <= 0)
        return;
    const char *ell = utf8 ? glyphs_utf8.ellipsis : glyphs_ascii.ellipsis;
    size_t n;
    if (draw_width(s, utf8) <= maxcols) {
        n = strlen(s);
        ell = "";
    } else {
        n = utf8_prefix(s, maxcols - 1, utf8, NULL);
    }
    if (n + strlen(ell) + 1 > dst_size)
        n = dst_size > strlen(ell) + 1 ? dst_size - strlen(ell) - 1 : 0;
    memcpy(dst, s, n);
    dst[n] = '\0';
    strncat(dst, ell, dst_size - n - 1);
}

void draw_fit_middle(char *dst, size_t dst_size, const char *s, int maxcols, bool utf8)
{
    if (!s || draw_width(s, utf8) <= maxcols || maxcols < 5) {
        draw_fit(dst, dst_size, s, maxcols, utf8);
        return;
    }
    int head_cols = (maxcols - 1 + 1) / 2, tail_cols = maxcols - 1 - head_cols;
    size_t head = utf8_prefix(s, head_cols, utf8, NULL);
    /* the tail: walk forward until what remains fits tail_cols */
    const unsigned char *p = (const unsigned char *)s;
    size_t off = head;
    while (p[off] && draw_width(s + off, utf8) > tail_cols) {
        long cp;
        off += (size_t)utf8_next(p + off, &cp);
    }
    const char *ell = utf8 ? glyphs_utf8.ellipsis : glyphs_ascii.ellipsis;
    snprintf(dst, dst_size, "%.*s%s%s", (int)head, s, ell, s + off);
}

int draw_cells(const char *s, bool utf8, int maxcols, struct draw_cell *out, int max, int *cols)
{
    int n = 0, used = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        long cp;
        int w, len = utf8_next(p, &cp);
        long shown = cell_of(cp, utf8, &w);
        if (w == 0) {
            /* D29: a combining mark belongs to the character before it (NFD "e" + U+0301 is
             * one cell "é"); one with nothing before it, or past what a cell holds, goes */
            if (n > 0 && out[n - 1].n < DRAW_CELL_CHARS)
                out[n - 1].wc[out[n - 1].n++] = (wchar_t)shown;
            p += len;
            continue;
        }
        if (n >= max || used + w > maxcols)
            break;
        out[n].wc[0] = (wchar_t)shown;
        out[n].n = 1;
        out[n].width = w;
        n++;
        used += w;
        p += len;
    }
    if (cols)
        *cols = used;
    return n;
}

int cv_text_attr(const struct r1_cv *cv, int row, int col, int maxcols, attr_t a, const char *s)
{
    if (!s || row < 0 || row >= cv->h || col < 0 || col >= cv->w)
        return 0;
    int avail = cv->w - col;
    if (maxcols >= 0 && maxcols < avail)
        avail = maxcols;
    struct draw_cell cells[512];
    int used = 0;
    int n = draw_cells(s, cv->th->utf8, avail, cells, (int)R1_ARRAY_LEN(cells), &used);
    if (n == 0 || !cv->win)
        return used;
    if (cv->th->utf8) {
        wmove(cv->win, cv->y + row, cv->x + col);
        for (int i = 0; i < n; i++) {
            wchar_t wc[DRAW_CELL_CHARS + 1];
            memcpy(wc, cells[i].wc, (size_t)cells[i].n * sizeof wc[0]);
            wc[cells[i].n] = L'\0';
            cchar_t cc;
            if (setcchar(&cc, wc, a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL) == OK)
                wadd_wch(cv->win, &cc);
        }
    } else {
        char abuf[R1_ARRAY_LEN(cells) + 1];
        for (int i = 0; i < n; i++)
            abuf[i] = (char)(cells[i].wc[0] < 0x80 ? cells[i].wc[0] : '?');
        wattrset(cv->win, a);
        mvwaddnstr(cv->win, cv->y + row, cv->x + col, abuf, n);
        wattrset(cv->win, A_NORMAL);
    }
    return used;
}

int cv_textn(const struct r1_cv *cv, int row, int col, int maxcols, enum th_role role,
             const char *s)
{
    return cv_text_attr(cv, row, col, maxcols, cv->th->attr[role], s);
}

int cv_text(const struct r1_cv *cv, int row, int col, enum th_role role, const char *s)
{
    return cv_text_attr(cv, row, col, -1, cv->th->attr[role], s);
}

int cv_text_wrap(const struct r1_cv *cv, int row, int col, int max_rows, enum th_role role,
                 const char *s)
{
    int width = cv->w - col, used = 0;
    if (!s || width <= 0)
        return 0;
    while (*s && used < max_rows) {
        size_t take = utf8_prefix(s, width, cv->th->utf8, NULL);
        if (s[take] && used + 1 < max_rows) {
            /* break at the last blank that fits, unless the word is longer than the line */
            size_t cut = take;
            while (cut > 0 && s[cut] != ' ')
                cut--;
            if (cut > 0)
                take = cut;
        }
        if (take == 0)
            take = 1; /* a cell wider than the line: skip it rather than loop */
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)take, s);
        cv_text(cv, row + used, col, role, line);
        used++;
        s += take;
        while (*s == ' ')
            s++;
    }
    return used;
}

int cv_printf(const struct r1_cv *cv, int row, int col, enum th_role role, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return cv_text(cv, row, col, role, buf);
}

void cv_fill(const struct r1_cv *cv, int row, int col, int n, enum th_role role, const char *g)
{
    for (int i = 0; i < n; i++)
        cv_text(cv, row, col + i, role, g);
}

void cv_box(const struct r1_cv *cv, const char *title)
{
    if (cv->h < 2 || cv->w < 2)
        return;
    const struct r1_glyphs *g = cv->th->g;
    cv_text(cv, 0, 0, TH_BORDER, g->tl);
    cv_fill(cv, 0, 1, cv->w - 2, TH_BORDER, g->hline);
    cv_text(cv, 0, cv->w - 1, TH_BORDER, g->tr);
    for (int r = 1; r < cv->h - 1; r++) {
        cv_text(cv, r, 0, TH_BORDER, g->vline);
        cv_text(cv, r, cv->w - 1, TH_BORDER, g->vline);
    }
    cv_text(cv, cv->h - 1, 0, TH_BORDER, g->bl);
    cv_fill(cv, cv->h - 1, 1, cv->w - 2, TH_BORDER, g->hline);
    cv_text(cv, cv->h - 1, cv->w - 1, TH_BORDER, g->br);
    if (title && *title && cv->w > 6) {
        int used = cv_textn(cv, 0, 2, cv->w - 5, TH_TITLE, " ");
        used += cv_textn(cv, 0, 2 + used, cv->w - 5 - used, TH_TITLE, title);
        cv_textn(cv, 0, 2 + used, cv->w - 4 - used, TH_TITLE, " ");
    }
}

void cv_border_note(const struct r1_cv *cv, int row, enum th_role role, const char *s)
{
    if (!s || !*s || cv->w < 8)
        return;
    char buf[256];
    draw_fit(buf, sizeof buf, s, cv->w / 2, cv->th->utf8);
    int w = draw_width(buf, cv->th->utf8);
    int col = cv->w - 3 - w;
    cv_text(cv, row, col - 1, TH_BORDER, " ");
    cv_text(cv, row, col, role, buf);
    cv_text(cv, row, col + w, TH_BORDER, " ");
}

int cv_spark(const struct r1_cv *cv, int row, int col, int width, const float *v, int n, float lo,
             float hi, enum th_role role)
{
    if (width <= 0 || n <= 0)
        return 0;
    int first = n > width ? n - width : 0;
    int used = 0;
    for (int i = first; i < n; i++, used++) {
        if (isnan(v[i])) {
            cv_text(cv, row, col + used, TH_NA, " ");
            continue;
        }
        double f = hi > lo ? (v[i] - lo) / (hi - lo) : 0;
        int lvl = (int)lround(f * 7);
        lvl = lvl < 0 ? 0 : lvl > 7 ? 7 : lvl;
        cv_text(cv, row, col + used, role, cv->th->g->spark[lvl]);
    }
    return used;
}

void cv_bar(const struct r1_cv *cv, int row, int col, int width, double frac, enum th_role full)
{
    if (width <= 0)
        return;
    if (!(frac >= 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    int eighths = (int)(frac * width * 8 + 0.5);
    int whole = eighths / 8, part = eighths % 8;
    cv_fill(cv, row, col, whole, full, cv->th->g->bar_full);
    int at = whole;
    if (part && at < width) {
        if (cv->th->utf8)
            cv_text(cv, row, col + at, full, bar_eighths[part]);
        else
            cv_text(cv, row, col + at, TH_NA, cv->th->g->bar_empty);
        at++;
    }
    cv_fill(cv, row, col + at, width - at, TH_NA, cv->th->g->bar_empty);
}

enum th_role draw_age_role(double age_s, double interval_s)
{
    if (age_s < 0)
        return TH_NA;
    if (interval_s <= 0)
        interval_s = 10;
    if (age_s > 10 * interval_s)
        return TH_BAD;
    if (age_s > 3 * interval_s)
        return TH_WARN;
    return TH_NA;
}

int cv_trust(const struct r1_cv *cv, int row, int col, int trust)
{
    switch (trust) {
    case R1_TRUST_VERIFIED:
        return cv_text(cv, row, col, TH_GOOD, cv->th->g->check);
    case R1_TRUST_UNSIGNED:
        return cv_text(cv, row, col, TH_WARN, "?");
    case R1_TRUST_UNKNOWN_SIGNER:
        return cv_text(cv, row, col, TH_WARN, "!");
    case R1_TRUST_BAD:
        return cv_text(cv, row, col, TH_ALERT, "BAD SIG");
    case R1_TRUST_CHAIN:
        return cv_text(cv, row, col, TH_NA, "chain");
    default:
        return cv_text(cv, row, col, TH_NA, "?");
    }
}

enum th_role draw_avail_role(int avail_u8)
{
    /* 230/255 = 90%: the mainnet supervisor threshold; below half an epoch is a real loss */
    if (avail_u8 >= 230)
        return TH_GOOD;
    if (avail_u8 >= 128)
        return TH_WARN;
    return TH_BAD;
}
