/* keys: the key table and its handlers. Adding a key is one line in keys_table; the help
 * screen, the key bar and --keys follow. Handlers never block and never touch the terminal:
 * they change the view (or fleet->selected) and ask app.c for a redraw, a poll or to quit. */
#include "keys.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "app.h"

#define KEY_ESC 27
#define KEY_CTRL_L 12

static int key_help(struct r1_view *v, struct r1_fleet *f, int code)
{
    v->help_open = !v->help_open;
    v->help_scroll = 0;
    return R1_FE_REDRAW;
}

static int key_close(struct r1_view *v, struct r1_fleet *f, int code)
{
    if (!v->help_open)
        return 0;
    v->help_open = false;
    return R1_FE_REDRAW;
}

static int key_quit(struct r1_view *v, struct r1_fleet *f, int code)
{
    /* q first closes the help, as in less and htop; F10 always quits */
    if (v->help_open && code == 'q') {
        v->help_open = false;
        return R1_FE_REDRAW;
    }
    return R1_FE_QUIT;
}

static int key_node(struct r1_view *v, struct r1_fleet *f, int code)
{
    if (f->n_nodes < 2)
        return 0;
    bool next = code == '\t' || code == 'n' || code == KEY_RIGHT;
    if (f->selected >= f->n_nodes)
        f->selected = 0;
    f->selected =
        next ? (f->selected + 1) % f->n_nodes : (f->selected + f->n_nodes - 1) % f->n_nodes;
    v->wl_scroll = 0; /* another node's list starts at its top */
    return R1_FE_REDRAW;
}

/* Moves the help text while it is open, the workloads list otherwise. */
static int *scroll_target(struct r1_view *v)
{
    return v->help_open ? &v->help_scroll : &v->wl_scroll;
}

static int key_scroll_line(struct r1_view *v, struct r1_fleet *f, int code)
{
    int *s = scroll_target(v);
    *s += (code == KEY_UP || code == 'k') ? -1 : 1;
    if (*s < 0)
        *s = 0;
    return R1_FE_REDRAW;
}

static int key_scroll_page(struct r1_view *v, struct r1_fleet *f, int code)
{
    int *s = scroll_target(v);
    int page = v->wl_page > 1 ? v->wl_page - 1 : 1;
    if (v->help_open)
        page = 10;
    *s += code == KEY_PPAGE ? -page : page;
    if (*s < 0)
        *s = 0;
    return R1_FE_REDRAW;
}

static int key_scroll_end(struct r1_view *v, struct r1_fleet *f, int code)
{
    /* the panes clamp an overshoot to the last full page when they draw */
    *scroll_target(v) = (code == KEY_HOME || code == 'g') ? 0 : 1 << 20;
    return R1_FE_REDRAW;
}

static int key_poll(struct r1_view *v, struct r1_fleet *f, int code)
{
    return R1_FE_POLL_NOW | R1_FE_REDRAW;
}

static int key_redraw(struct r1_view *v, struct r1_fleet *f, int code)
{
    v->full_redraw = true;
    return R1_FE_REDRAW;
}

const struct r1_key keys_table[] = {
    {{KEY_F(1), '?'},
     "Help",
     "show this help (Esc, q, ? or F1 close it)",
     key_help,
     KEYF_BAR | KEYF_IN_HELP},
    {{'\t', 'n', KEY_RIGHT}, "Next", "show the next node", key_node, KEYF_BAR | KEYF_FLEET},
    {{KEY_BTAB, 'p', KEY_LEFT}, NULL, "show the previous node", key_node, KEYF_FLEET},
    {{KEY_UP, 'k', KEY_DOWN, 'j'},
     NULL,
     "scroll the workloads list (or this help) by a line",
     key_scroll_line,
     KEYF_IN_HELP},
    {{KEY_PPAGE, KEY_NPAGE},
     NULL,
     "scroll the workloads list (or this help) by a page",
     key_scroll_page,
     KEYF_IN_HELP},
    {{KEY_HOME, 'g', KEY_END, 'G'},
     NULL,
     "jump to the top or the bottom of the list",
     key_scroll_end,
     KEYF_IN_HELP},
    {{KEY_F(5), 'r'}, "Poll", "poll every source now", key_poll, KEYF_BAR},
    {{KEY_CTRL_L}, NULL, "redraw the whole screen", key_redraw, KEYF_IN_HELP},
    {{KEY_ESC}, NULL, "close the help", key_close, KEYF_IN_HELP},
    {{KEY_F(10), 'q'},
     "Quit",
     "quit r1top (q closes the help first when it is open)",
     key_quit,
     KEYF_BAR | KEYF_IN_HELP},
};
const size_t keys_count = R1_ARRAY_LEN(keys_table);

int keys_dispatch(struct r1_view *v, struct r1_fleet *f, int code)
{
    for (size_t i = 0; i < keys_count; i++) {
        const struct r1_key *k = &keys_table[i];
        for (int j = 0; j < KEYS_CODES_MAX && k->codes[j]; j++) {
            if (k->codes[j] != code)
                continue;
            if (v->help_open && !(k->flags & KEYF_IN_HELP))
                return 0;
            return k->fn(v, f, code);
        }
    }
    return 0;
}

void keys_name(int code, char *dst, size_t dst_size)
{
    static const struct {
        int code;
        const char *name;
    } named[] = {
        {'\t', "Tab"},        {KEY_BTAB, "Shift-Tab"}, {KEY_UP, "Up"},      {KEY_DOWN, "Down"},
        {KEY_LEFT, "Left"},   {KEY_RIGHT, "Right"},    {KEY_PPAGE, "PgUp"}, {KEY_NPAGE, "PgDn"},
        {KEY_HOME, "Home"},   {KEY_END, "End"},        {KEY_ESC, "Esc"},    {' ', "Space"},
        {KEY_ENTER, "Enter"}, {'\n', "Enter"},
    };
    for (size_t i = 0; i < R1_ARRAY_LEN(named); i++) {
        if (named[i].code == code) {
            snprintf(dst, dst_size, "%s", named[i].name);
            return;
        }
    }
    if (code >= KEY_F(1) && code <= KEY_F(24))
        snprintf(dst, dst_size, "F%d", code - KEY_F0);
    else if (code >= 1 && code <= 26)
        snprintf(dst, dst_size, "Ctrl-%c", 'A' + code - 1);
    else if (code > 32 && code < 127)
        snprintf(dst, dst_size, "%c", code);
    else
        snprintf(dst, dst_size, "key %d", code);
}

void keys_names(const struct r1_key *k, char *dst, size_t dst_size)
{
    dst[0] = '\0';
    for (int j = 0; j < KEYS_CODES_MAX && k->codes[j]; j++) {
        char name[24];
        keys_name(k->codes[j], name, sizeof name);
        size_t len = strlen(dst);
        snprintf(dst + len, dst_size - len, "%s%s", j ? ", " : "", name);
    }
}

void keys_format_line(const struct r1_key *k, char *dst, size_t dst_size)
{
    char names[96];
    keys_names(k, names, sizeof names);
    snprintf(dst, dst_size, "%-19s %s", names, k->help);
}

void keys_print_table(FILE *out)
{
    for (size_t i = 0; i < keys_count; i++) {
        char line[256];
        keys_format_line(&keys_table[i], line, sizeof line);
        fprintf(out, "%s\n", line);
    }
}
