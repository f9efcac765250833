/* help: what the key table says, for people — the help screen (every key, then what the marks
 * and colours mean) and the function-key bar at the bottom. Both are generated from
 * keys_table, so a key cannot be added without showing up here. */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "panes.h"

struct help_line {
    enum th_role role;
    int indent; /* where a wrapped continuation starts */
    char text[256];
};

#define HELP_LINES_MAX 64
#define HELP_WRAPPED_MAX 160

/* The help text; glyphs follow the theme so the legend shows what the screen shows. */
static int help_build(const struct r1_theme *th, struct help_line *out, int max)
{
    const struct r1_glyphs *g = th ? th->g : NULL;
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
    for (size_t i = 0; i < keys_count && n < max; i++) {
        out[n].role = TH_NORMAL;
        out[n].indent = 20; /* under the description, past the key names */
        keys_format_line(&keys_table[i], out[n].text, sizeof out[n].text);
        n++;
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

void help_draw(const struct r1_cv *cv, struct r1_view *v)
{
    struct help_line lines[HELP_LINES_MAX];
    static struct help_line shown[HELP_WRAPPED_MAX];
    int n0 = help_build(cv->th, lines, HELP_LINES_MAX);
    cv_box(cv, "Help");
    struct r1_cv in = cv_sub(cv, 1, 2, cv->h - 2, cv->w - 4);
    int n = help_wrap(lines, n0, in.w, cv->th->utf8, shown, HELP_WRAPPED_MAX);
    int max_scroll = n - in.h;
    if (max_scroll < 0)
        max_scroll = 0;
    if (v->help_scroll > max_scroll)
        v->help_scroll = max_scroll;
    for (int r = 0; r < in.h && v->help_scroll + r < n; r++) {
        const struct help_line *l = &shown[v->help_scroll + r];
        cv_text(&in, r, l->indent, l->role, l->text);
    }
    char note[64];
    if (max_scroll > 0) {
        snprintf(note, sizeof note, "%s%s more", v->help_scroll > 0 ? cv->th->g->up : "",
                 v->help_scroll < max_scroll ? cv->th->g->down : "");
        cv_border_note(cv, cv->h - 1, TH_NA, note);
    }
    cv_border_note(cv, 0, TH_NA, "Esc closes");
}

void keybar_draw(const struct r1_cv *cv, const struct r1_fleet *f, const struct r1_view *v)
{
    int col = 0;
    for (size_t i = 0; i < keys_count; i++) {
        const struct r1_key *k = &keys_table[i];
        if (!(k->flags & KEYF_BAR) || !k->label)
            continue;
        if ((k->flags & KEYF_FLEET) && f->n_nodes < 2)
            continue;
        if (v->help_open && !(k->flags & KEYF_IN_HELP))
            continue;
        char name[24], label[24];
        keys_name(k->codes[0], name, sizeof name);
        const char *text = k->label;
        if (v->help_open && k->fn && strcmp(k->label, "Help") == 0)
            text = "Close";
        snprintf(label, sizeof label, "%-6s", text);
        if (col + (int)strlen(name) + (int)strlen(label) > cv->w)
            break;
        col += cv_text(cv, 0, col, TH_KEY, name);
        col += cv_text(cv, 0, col, TH_KEYLABEL, label);
    }
    /* where we are in the fleet, at the right end */
    char right[64] = "";
    if (f->n_nodes > 1)
        snprintf(right, sizeof right, "node %zu/%zu ", f->selected + 1, f->n_nodes);
    if (v->readonly)
        snprintf(right + strlen(right), sizeof right - strlen(right), "read-only ");
    int rw = draw_width(right, cv->th->utf8);
    if (rw && col + rw < cv->w)
        cv_text(cv, 0, cv->w - rw, TH_NA, right);
}
