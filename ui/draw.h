/* draw: the only place that puts characters on the screen. A canvas is a clipped rectangle
 * of a curses window; every text goes through one UTF-8 decoder that measures columns with
 * wcwidth, replaces what is not printable, and stops at the canvas edge, so nothing a node
 * says can spill out of its pane or move the cursor. Also owns the theme (colour roles with a
 * monochrome fallback) and the glyphs (Unicode or ASCII). Used by every pane. */
#ifndef R1_UI_DRAW_H
#define R1_UI_DRAW_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* What a piece of text means; the theme maps each role to colour or to bold/reverse. */
enum th_role {
    TH_NORMAL,
    TH_TITLE, /* pane titles */
    TH_BORDER,
    TH_LABEL,    /* "Owner", "Uptime" */
    TH_VALUE,    /* the figures */
    TH_GOOD,     /* online, valid, verified */
    TH_WARN,     /* stale, syncing, unsigned */
    TH_BAD,      /* offline, banned, errors */
    TH_ALERT,    /* BAD SIG: must not be missed */
    TH_NA,       /* n/a and secondary text */
    TH_HEADER,   /* the top line's name */
    TH_KEY,      /* key bar: the key */
    TH_KEYLABEL, /* key bar: what it does */
    TH_SELECTED, /* the chosen node */
    TH_SPARK,    /* histories */
    TH_COUNT
};

struct r1_glyphs {
    const char *spark[8]; /* lowest to highest */
    const char *bar_full, *bar_empty;
    const char *dot; /* online-state mark */
    const char *hline, *vline, *tl, *tr, *bl, *br;
    const char *ellipsis;
    const char *up, *down; /* scroll hints */
    const char *check;     /* verified signature */
    const char *sep;       /* between items in a line */
    const char *dash;      /* epoch ranges "e171–e185" */
};

struct r1_theme {
    attr_t attr[TH_COUNT];
    bool color;
    bool utf8;
    const struct r1_glyphs *g;
};

/* Sets up colour pairs when color is true (call after initscr/start_color). */
void theme_init(struct r1_theme *th, bool color, bool utf8);

/* A clipped drawing area: rows 0..h-1 and columns 0..w-1 relative to (y, x) in win. */
struct r1_cv {
    WINDOW *win;
    int y, x, h, w;
    const struct r1_theme *th;
};

struct r1_cv cv_make(WINDOW *win, int y, int x, int h, int w, const struct r1_theme *th);
/* A part of cv, clipped to it. */
struct r1_cv cv_sub(const struct r1_cv *cv, int y, int x, int h, int w);

/* Text at (row, col), at most maxcols columns (and never past the canvas edge; maxcols < 0
 * means up to the edge). Returns the columns used. Control characters, invalid UTF-8 and
 * unprintable code points become '?'; outside UTF-8 locales every non-ASCII one does. */
int cv_textn(const struct r1_cv *cv, int row, int col, int maxcols, enum th_role role,
             const char *s);
int cv_text(const struct r1_cv *cv, int row, int col, enum th_role role, const char *s);
int cv_printf(const struct r1_cv *cv, int row, int col, enum th_role role, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Text wrapped at blanks over up to max_rows rows from (row, col); returns the rows used. */
int cv_text_wrap(const struct r1_cv *cv, int row, int col, int max_rows, enum th_role role,
                 const char *s);
/* Same with an explicit curses attribute (combined roles, e.g. selected + colour). */
int cv_text_attr(const struct r1_cv *cv, int row, int col, int maxcols, attr_t a, const char *s);
/* Fill n columns with a glyph. */
void cv_fill(const struct r1_cv *cv, int row, int col, int n, enum th_role role, const char *g);
/* A box on the canvas's outline with a title in the top border. */
void cv_box(const struct r1_cv *cv, const char *title);
/* Right-aligned text in a border line (row 0 or h-1) ending before the corner. */
void cv_border_note(const struct r1_cv *cv, int row, enum th_role role, const char *s);

/* One screen cell: a spacing character and the combining marks that follow it. */
#define DRAW_CELL_CHARS (CCHARW_MAX < 8 ? CCHARW_MAX : 8)
struct draw_cell {
    wchar_t wc[DRAW_CELL_CHARS];
    int n;     /* characters in wc: the base, then its marks */
    int width; /* columns: 1 or 2 */
};
/* The cells cv_text draws for s: at most max cells in maxcols columns (*cols gets the
 * columns used). Unprintable characters are '?'; a combining mark joins the cell before it
 * (a leading one is dropped). */
int draw_cells(const char *s, bool utf8, int maxcols, struct draw_cell *out, int max, int *cols);

/* Display columns of s as cv_text would draw it. */
int draw_width(const char *s, bool utf8);
/* Copy s into dst cut to maxcols columns, ending with an ellipsis when cut. */
void draw_fit(char *dst, size_t dst_size, const char *s, int maxcols, bool utf8);
/* Keep the start and the end ("0x1a2B…9f3C"): for addresses, where both ends identify. */
void draw_fit_middle(char *dst, size_t dst_size, const char *s, int maxcols, bool utf8);

/* A sparkline of n values (NAN = gap) scaled to [lo, hi], the newest at the right; draws the
 * last `width` values. Returns the columns used. */
int cv_spark(const struct r1_cv *cv, int row, int col, int width, const float *v, int n, float lo,
             float hi, enum th_role role);
/* A horizontal bar of width columns filled to frac (0..1). */
void cv_bar(const struct r1_cv *cv, int row, int col, int width, double frac, enum th_role full);

/* Colour role for data of this age when the source refreshes every interval_s:
 * normal up to 3 intervals, then yellow, then red past 10. */
enum th_role draw_age_role(double age_s, double interval_s);
/* The trust mark of an oracle-derived figure ("✓", "?", "!", "BAD SIG"). Returns columns. */
int cv_trust(const struct r1_cv *cv, int row, int col, int trust);
/* Role for an epoch availability 0..255 (green when it earns nearly all of the reward). */
enum th_role draw_avail_role(int avail_u8);

#endif
