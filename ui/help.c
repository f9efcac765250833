/* help: what the key table says, for people — the help screen (every key, then what the marks
 * and colours mean) and the function-key bar at the bottom. Both are generated from
 * keys_table, so a key cannot be added without showing up here. */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "panes.h"

struct help_line {
    enum th_role role;
    char text[256];
};

#define HELP_LINES_MAX 64

/* The help text; glyphs follow the theme so the legend shows what the screen shows. */
static int help_build(const struct r1_theme *th, struct help_line *out, int max)
{
    const struct r1_glyphs *g = th ? th->g : NULL;
    const char *check = g ? g->check : "v", *dot = g ? g->dot : "*";
    int n = 0;
#define HELP_ADD(r, ...)                                                                      \
    do {                                                                                      \
        if (n < max) {                                                                        \
            out[n].role = (r);                                                                \
            snprintf(out[n].text, sizeof out[n].text, __VA_ARGS__);                           \
            n++;                                                                              \
        }                                                                                     \
    } while (0)
    HELP_ADD(TH_TITLE, "Keys");
    for (size_t i = 0; i < keys_count && n < max; i++) {
        out[n].role = TH_NORMAL;
        keys_format_line(&keys_table[i], out[n].text, sizeof out[n].text);
        n++;
    }
    HELP_ADD(TH_NORMAL, "%s", "");
    HELP_ADD(TH_TITLE, "Marks");
    HELP_ADD(TH_NORMAL, "%s online (green), stale (yellow), offline (red): status file age, "
                        "else oracle", dot);
    HELP_ADD(TH_NORMAL, "%s signature verified  ? unsigned or unchecked  ! unknown signer  "
                        "BAD SIG", check);
    HELP_ADD(TH_NORMAL, "Ages turn yellow after 3 refresh intervals without data, red after 10");
    HELP_ADD(TH_NORMAL, "n/a: not known (unknown is never shown as 0)");
    HELP_ADD(TH_NORMAL, "Epoch availability 0..255 (255 = 100%%): green from 90%%, yellow from "
                        "50%%");
#undef HELP_ADD
    return n;
}

int help_line_count(void)
{
    struct help_line lines[HELP_LINES_MAX];
    return help_build(NULL, lines, HELP_LINES_MAX);
}

void help_draw(const struct r1_cv *cv, struct r1_view *v)
{
    struct help_line lines[HELP_LINES_MAX];
    int n = help_build(cv->th, lines, HELP_LINES_MAX);
    cv_box(cv, "Help");
    struct r1_cv in = cv_sub(cv, 1, 2, cv->h - 2, cv->w - 4);
    int max_scroll = n - in.h;
    if (max_scroll < 0)
        max_scroll = 0;
    if (v->help_scroll > max_scroll)
        v->help_scroll = max_scroll;
    for (int r = 0; r < in.h && v->help_scroll + r < n; r++) {
        const struct help_line *l = &lines[v->help_scroll + r];
        cv_text(&in, r, 0, l->role, l->text);
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
