/* help: what the key tables say, for people — the help screen and `r1top --keys` (help.h).
 * The help screen keeps only its scroll position; the text is rebuilt for each frame (and for
 * each scroll key, which needs to know how long it is), so it always matches the tables. */
#include "help.h"

#include <stdlib.h>
#include <string.h>

#include "dialog.h"
#include "menu.h"
#include "screen_allowed.h"
#include "screen_fleet.h"
#include "screen_node.h"
#include "screen_text.h"

/* Every key table, in the order the help and --keys show them. NULL ops = the global table. */
static const struct {
    const char *title;
    const struct screen_ops *ops;
} help_sections[] = {
    {"Everywhere", NULL},       {NULL, &screen_node_ops},    {NULL, &screen_fleet_ops},
    {NULL, &screen_logs_ops},   {NULL, &screen_allowed_ops}, {NULL, &screen_apps_ops},
    {NULL, &help_screen_ops},   {NULL, &dialog_confirm_ops}, {NULL, &dialog_message_ops},
    {NULL, &dialog_prompt_ops}, {NULL, &menu_ops},
};

static const char *section_title(size_t i)
{
    return help_sections[i].ops ? help_sections[i].ops->title : help_sections[i].title;
}

static const struct r1_key *section_keys(size_t i, size_t *n)
{
    if (!help_sections[i].ops) {
        *n = keys_global_count;
        return keys_global;
    }
    *n = help_sections[i].ops->n_keys;
    return help_sections[i].ops->keys;
}

void help_print_keys(FILE *out)
{
    for (size_t i = 0; i < R1_ARRAY_LEN(help_sections); i++) {
        size_t n;
        const struct r1_key *t = section_keys(i, &n);
        fprintf(out, "%s%s:\n", i ? "\n" : "", section_title(i));
        keys_print_table(out, t, n);
    }
}

struct help_view {
    struct screen base;
    int scroll; /* first wrapped line shown */
};

struct help_line {
    enum th_role role;
    int indent; /* where a wrapped continuation starts */
    char text[256];
};

#define HELP_LINES_MAX 256 /* every key of every table, headings and blank lines: about 130 today */
#define HELP_WRAPPED_MAX 512

/* The help text; glyphs follow the theme so the legend shows what the screen shows. Keys that
 * cannot run under --readonly are greyed, as on the key bar. */
static int help_build(const struct ui_env *env, struct help_line *out, int max)
{
    const struct r1_glyphs *g = env->th ? env->th->g : NULL;
    const char *check = g ? g->check : "v", *dot = g ? g->dot : "*";
    int n = 0;
#define HELP_ADD(r, ...)                                                                           \
    do {                                                                                           \
        if (n < max) {                                                                             \
            out[n].role = (r);                                                                     \
            out[n].indent = 2;                                                                     \
            snprintf(out[n].text, sizeof out[n].text, __VA_ARGS__);                                \
            n++;                                                                                   \
        }                                                                                          \
    } while (0)
    HELP_ADD(TH_TITLE, "Keys");
    for (size_t s = 0; s < R1_ARRAY_LEN(help_sections); s++) {
        size_t nk;
        const struct r1_key *t = section_keys(s, &nk);
        if (s)
            HELP_ADD(TH_NORMAL, "%s", "");
        HELP_ADD(TH_VALUE, "%s:", section_title(s));
        for (size_t i = 0; i < nk && n < max; i++) {
            out[n].role = keys_unavailable(&t[i], env->readonly) ? TH_NA : TH_NORMAL;
            out[n].indent = 20; /* under the description, past the key names */
            keys_format_line(&t[i], out[n].text, sizeof out[n].text);
            n++;
        }
    }
    HELP_ADD(TH_NORMAL, "%s", "");
    HELP_ADD(TH_TITLE, "Marks");
    HELP_ADD(TH_NORMAL, "%s green online, yellow stale, red offline (status file, else oracle)",
             dot);
    HELP_ADD(TH_NORMAL,
             "%s signature verified  ? unsigned or unchecked  ! unknown signer  "
             "BAD SIG",
             check);
    HELP_ADD(TH_NORMAL, "Ages turn yellow after 3 refresh intervals without data, red after 10");
    HELP_ADD(TH_NORMAL, "n/a: not known (unknown is never shown as 0)");
    HELP_ADD(TH_NORMAL, "Epoch availability 0..255 (255 = 100%%): green from 90%%, yellow from "
                        "50%%");
    if (env->readonly)
        HELP_ADD(TH_NA, "Greyed keys change a node: read-only mode (--readonly) turns them off");
#undef HELP_ADD
    return n;
}

/* Wrap each line at a blank to width columns; continuations start at the line's indent. */
static int help_wrap(const struct help_line *in, int n, int width, bool utf8, struct help_line *out,
                     int max)
{
    int m = 0;
    for (int i = 0; i < n && m < max; i++) {
        const char *p = in[i].text;
        int indent = 0;
        do {
            int room = width - indent;
            if (room < 10) /* too narrow to indent: clip instead */
                room = width, indent = 0;
            size_t take = strlen(p);
            if (draw_width(p, utf8) > room) {
                /* the last blank that keeps the part within room; none: cut hard */
                size_t cut = 0, k;
                for (k = 0; p[k]; k++) {
                    char tmp[256];
                    snprintf(tmp, sizeof tmp, "%.*s", (int)k, p);
                    if (draw_width(tmp, utf8) > room)
                        break;
                    if (p[k] == ' ')
                        cut = k;
                }
                take = cut > 0 ? cut : (k > 0 ? k - 1 : 1);
            }
            out[m].role = in[i].role;
            out[m].indent = indent;
            snprintf(out[m].text, sizeof out[m].text, "%.*s", (int)take, p);
            m++;
            p += take;
            while (*p == ' ')
                p++;
            indent = in[i].indent;
        } while (*p && m < max);
    }
    return m;
}

/* The help's box inside the body, and its text wrapped to it: shared by draw and keys. */
struct help_page {
    struct help_line lines[HELP_WRAPPED_MAX];
    int n, rows, max_scroll;
};

static struct help_page *help_page_build(const struct ui_env *env)
{
    struct help_page *pg = xcalloc(1, sizeof *pg);
    struct help_line src[HELP_LINES_MAX];
    struct r1_rect body = screen_body(env);
    int n0 = help_build(env, src, HELP_LINES_MAX);
    bool utf8 = env->th && env->th->utf8;
    pg->n = help_wrap(src, n0, body.w - 4, utf8, pg->lines, HELP_WRAPPED_MAX);
    pg->rows = body.h - 2 > 0 ? body.h - 2 : 0;
    pg->max_scroll = pg->n - pg->rows > 0 ? pg->n - pg->rows : 0;
    return pg;
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void help_draw(const struct screen *s, const struct screen_frame *fr)
{
    const struct help_view *hv = (const struct help_view *)s;
    struct help_page *pg = help_page_build(fr->env);
    struct r1_cv cv = cv_make(fr->win, fr->body.y, fr->body.x, fr->body.h, fr->body.w, fr->th);
    cv_box(&cv, "Help");
    struct r1_cv in = cv_sub(&cv, 1, 2, cv.h - 2, cv.w - 4);
    int scroll = clamp(hv->scroll, 0, pg->max_scroll);
    for (int r = 0; r < in.h && scroll + r < pg->n; r++) {
        const struct help_line *l = &pg->lines[scroll + r];
        cv_text(&in, r, l->indent, l->role, l->text);
    }
    char note[64];
    if (pg->max_scroll > 0) {
        snprintf(note, sizeof note, "%s%s more", scroll > 0 ? fr->th->g->up : "",
                 scroll < pg->max_scroll ? fr->th->g->down : "");
        cv_border_note(&cv, cv.h - 1, TH_NA, note);
    }
    cv_border_note(&cv, 0, TH_NA, "Esc closes");
    free(pg);
}

static int help_key_close(struct screen *s, struct screen_input *in, int code)
{
    (void)in;
    (void)code;
    screen_dismiss(s);
    return 1;
}

static int help_key_scroll(struct screen *s, struct screen_input *in, int code)
{
    struct help_view *hv = (struct help_view *)s;
    struct help_page *pg = help_page_build(in->env);
    int page = pg->rows > 1 ? pg->rows - 1 : 1;
    int at = clamp(hv->scroll, 0, pg->max_scroll);
    switch (code) {
    case KEY_UP:
    case 'k':
        at--;
        break;
    case KEY_DOWN:
    case 'j':
        at++;
        break;
    case KEY_PPAGE:
        at -= page;
        break;
    case KEY_NPAGE:
        at += page;
        break;
    case KEY_HOME:
    case 'g':
        at = 0;
        break;
    case KEY_END:
    case 'G':
        at = pg->max_scroll;
        break;
    default:
        break;
    }
    hv->scroll = clamp(at, 0, pg->max_scroll);
    free(pg);
    return 1;
}

static const struct r1_key help_keys[] = {
    {{KEY_ESC, 'q', KEY_F(1), '?'}, "Close", "close this help", help_key_close, KEYF_BAR, 0},
    {{KEY_UP, 'k', KEY_DOWN, 'j'}, NULL, "scroll this help by a line", help_key_scroll, 0, 0},
    {{KEY_PPAGE, KEY_NPAGE}, NULL, "scroll this help by a page", help_key_scroll, 0, 0},
    {{KEY_HOME, 'g', KEY_END, 'G'},
     NULL,
     "jump to the top or the end of this help",
     help_key_scroll,
     0,
     0},
};

static void help_destroy(struct screen *s)
{
    free(s);
}

const struct screen_ops help_screen_ops = {
    .name = "help",
    .title = "Help screen",
    .keys = help_keys,
    .n_keys = R1_ARRAY_LEN(help_keys),
    .draw = help_draw,
    .destroy = help_destroy,
};

struct screen *help_screen_new(void)
{
    struct help_view *hv = xcalloc(1, sizeof *hv);
    hv->base.ops = &help_screen_ops;
    return &hv->base;
}
