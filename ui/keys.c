/* keys: the global key table, the lookups every key table shares, key names, and the key bar.
 * Adding a global key is one line in keys_global; a screen's keys live in its own file. */
#include "keys.h"

#include <stdio.h>
#include <string.h>

#include "actions.h"
#include "help.h"
#include "screen.h"

static int key_help(struct screen *s, struct screen_input *in, int code)
{
    (void)s;
    (void)code;
    screen_push(in->stack, help_screen_new());
    return 1;
}

static int key_quit(struct screen *s, struct screen_input *in, int code)
{
    (void)s;
    (void)code;
    screen_intent(in, R1_INTENT_QUIT);
    return 1;
}

static int key_poll(struct screen *s, struct screen_input *in, int code)
{
    (void)s;
    (void)code;
    screen_intent(in, R1_INTENT_POLL_NOW); /* node_id R1_NODE_ALL */
    return 1;
}

static int key_redraw(struct screen *s, struct screen_input *in, int code)
{
    (void)s;
    (void)code;
    in->full_redraw = true;
    return 1;
}

const struct r1_key keys_global[] = {
    {{KEY_F(1), '?'},
     "Help",
     "show this help (Esc, q, ? or F1 close it)",
     key_help,
     KEYF_BAR | KEYF_BAR_LEAD,
     0},
    {{KEY_F(5), 'r'}, "Poll", "poll every source of every node now", key_poll, KEYF_BAR, 0},
    {{KEY_CTRL_L}, NULL, "redraw the whole screen", key_redraw, 0, 0},
    {{KEY_F(10), 'q'},
     "Quit",
     "quit r1top (q closes the help first when it is open)",
     key_quit,
     KEYF_BAR,
     0},
};
const size_t keys_global_count = R1_ARRAY_LEN(keys_global);

int keys_code(const struct r1_key *k, int j)
{
    if (k->flags & KEYF_ACTION) {
        const struct r1_action *a = actions_get(k->action);
        return j == 0 && a ? a->key : 0;
    }
    return j >= 0 && j < KEYS_CODES_MAX ? k->codes[j] : 0;
}

const char *keys_label(const struct r1_key *k)
{
    if (k->flags & KEYF_ACTION) {
        const struct r1_action *a = actions_get(k->action);
        return a ? a->label : NULL;
    }
    return k->label;
}

const char *keys_help(const struct r1_key *k)
{
    if (k->flags & KEYF_ACTION) {
        const struct r1_action *a = actions_get(k->action);
        return a ? a->help : "";
    }
    return k->help ? k->help : "";
}

bool keys_unavailable(const struct r1_key *k, bool readonly)
{
    if (!readonly || !(k->flags & KEYF_ACTION))
        return false;
    const struct r1_action *a = actions_get(k->action);
    return a && a->changes_node;
}

const struct r1_key *keys_find(const struct r1_key *t, size_t n, int code)
{
    for (size_t i = 0; t && i < n; i++)
        for (int j = 0; j < KEYS_CODES_MAX; j++) {
            int c = keys_code(&t[i], j);
            if (!c)
                break;
            if (c == code)
                return &t[i];
        }
    return NULL;
}

void keys_name(int code, char *dst, size_t dst_size)
{
    static const struct {
        int code;
        const char *name;
    } named[] = {
        {'\t', "Tab"},         {KEY_BTAB, "Shift-Tab"},
        {KEY_UP, "Up"},        {KEY_DOWN, "Down"},
        {KEY_LEFT, "Left"},    {KEY_RIGHT, "Right"},
        {KEY_PPAGE, "PgUp"},   {KEY_NPAGE, "PgDn"},
        {KEY_HOME, "Home"},    {KEY_END, "End"},
        {KEY_ESC, "Esc"},      {' ', "Space"},
        {KEY_ENTER, "Enter"},  {'\n', "Enter"},
        {KEY_RETURN, "Enter"}, {KEY_BACKSPACE, "Backspace"},
        {127, "Backspace"},
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
    for (int j = 0; j < KEYS_CODES_MAX; j++) {
        int c = keys_code(k, j);
        if (!c)
            break;
        char name[24];
        keys_name(c, name, sizeof name);
        /* Enter has several codes (\r, \n, the keypad's): one name is enough */
        bool seen = false;
        for (int i = 0; i < j; i++) {
            char prev[24];
            keys_name(keys_code(k, i), prev, sizeof prev);
            seen = seen || strcmp(prev, name) == 0;
        }
        if (seen)
            continue;
        size_t len = strlen(dst);
        snprintf(dst + len, dst_size - len, "%s%s", len ? ", " : "", name);
    }
}

void keys_format_line(const struct r1_key *k, char *dst, size_t dst_size)
{
    char names[96];
    keys_names(k, names, sizeof names);
    snprintf(dst, dst_size, "%-19s %s", names, keys_help(k));
}

void keys_print_table(FILE *out, const struct r1_key *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char line[256];
        keys_format_line(&t[i], line, sizeof line);
        fprintf(out, "%s\n", line);
    }
}

/* One bar item "F1Help  "; returns the columns used, 0 when it does not fit. */
static int keybar_item(const struct r1_cv *cv, int col, const struct r1_key *k, bool greyed)
{
    char name[24], label[24];
    keys_name(keys_code(k, 0), name, sizeof name);
    const char *l = keys_label(k);
    int lw = (int)strlen(l) + 1 > 6 ? (int)strlen(l) + 1 : 6; /* "Help  ", "Restart " */
    snprintf(label, sizeof label, "%-*s", lw, l);
    if (col + (int)strlen(name) + (int)strlen(label) > cv->w)
        return 0;
    /* htop's roInactive: a key that cannot run here stays visible, greyed */
    int used = cv_text(cv, 0, col, greyed ? TH_NA : TH_KEY, name);
    used += cv_text(cv, 0, col + used, greyed ? TH_NA : TH_KEYLABEL, label);
    return used;
}

/* "restart: done (HTTP 204) 3 s ago" in the colour of its outcome; false when there is
 * nothing recent to say. */
#define ACTION_NOTE_S 60.0
static bool action_note(const struct r1_action_status *a, double now, char *dst, size_t size,
                        enum th_role *role)
{
    if (a->state == R1_ACTST_NONE ||
        (a->state != R1_ACTST_RUNNING && now - a->finished_at > ACTION_NOTE_S))
        return false;
    char ago[24];
    r1_fmt_age(ago, sizeof ago, now - (a->state == R1_ACTST_RUNNING ? a->started_at
                                                                     : a->finished_at));
    snprintf(dst, size, "%s %s%s", a->result, ago, a->state == R1_ACTST_RUNNING ? "" : " ago");
    *role = a->state == R1_ACTST_RUNNING ? TH_WARN : a->state == R1_ACTST_OK ? TH_GOOD : TH_BAD;
    return true;
}

static bool keybar_shown(const struct r1_key *k, const struct r1_fleet *f)
{
    return (k->flags & KEYF_BAR) && keys_label(k) && !((k->flags & KEYF_FLEET) && f->n_nodes < 2) &&
           !((k->flags & KEYF_ACTION) && f->n_nodes == 0);
}

void keybar_draw(const struct r1_cv *cv, const struct screen *top, const struct r1_fleet *f,
                 const struct ui_env *env)
{
    const struct r1_key *own = top ? top->ops->keys : NULL;
    size_t n_own = top ? top->ops->n_keys : 0;
    char right[R1_REASON_MAX + 48] = "";
    enum th_role role = TH_NA;
    uint32_t id = top && top->ops->node ? top->ops->node(top, f) : R1_NODE_ALL;
    /* The last action on the node in view (or on the fleet), while it runs and for a minute
     * after: its outcome is what the person who pressed the key is waiting for. */
    /* the newer of the node's and the fleet's (a node added, nodes written to the config) */
    const struct r1_action_status *act = &f->act;
    if (id < f->n_nodes && f->nodes[id].act.started_at >= f->act.started_at)
        act = &f->nodes[id].act;
    if (!action_note(act, r1_now(), right, sizeof right - 16, &role))
        if (top && top->ops->status)
            top->ops->status(top, f, right, sizeof right - 16);
    if (env->readonly)
        snprintf(right + strlen(right), sizeof right - strlen(right), "%sread-only",
                 right[0] ? " " : "");
    if (right[0])
        strcat(right, " ");
    int rw = draw_width(right, cv->th->utf8);
    /* Under --readonly the bar keeps room for saying so: the keys stop short of it rather
     * than push it off the bar (the status or an outcome then shows only where it fits). */
    static const char ro_note[] = "read-only ";
    int reserve = env->readonly ? (int)strlen(ro_note) + 1 : 0;
    struct r1_cv keys_cv = cv_sub(cv, 0, 0, 1, cv->w - reserve);
    bool modal = top && top->ops->modal;
    int col = 0;
    bool full = false;
    /* pass 0: leading global keys; 1: the screen's; 2: the other global keys */
    for (int pass = 0; pass < 3 && !full; pass++) {
        const struct r1_key *t = pass == 1 ? own : keys_global;
        size_t n = pass == 1 ? n_own : keys_global_count;
        for (size_t i = 0; i < n && !full; i++) {
            const struct r1_key *k = &t[i];
            if (!keybar_shown(k, f))
                continue;
            if (pass != 1) {
                if (modal || ((k->flags & KEYF_BAR_LEAD) != 0) != (pass == 0))
                    continue;
                if (keys_find(own, n_own, keys_code(k, 0))) /* the screen binds it itself */
                    continue;
            }
            int used = keybar_item(&keys_cv, col, k, keys_unavailable(k, env->readonly));
            if (!used)
                full = true;
            col += used;
        }
    }
    if (rw && col + rw >= cv->w && role != TH_NA) {
        /* an outcome is worth more than the last key labels: cut it to what is left */
        char cut[sizeof right];
        int room = cv->w - col - 1;
        if (room > 12) {
            draw_fit(cut, sizeof cut, right, room, cv->th->utf8);
            r1_strlcpy(right, cut, sizeof right);
            rw = draw_width(right, cv->th->utf8);
        }
    }
    if (rw && col + rw >= cv->w && env->readonly) {
        r1_strlcpy(right, ro_note, sizeof right);
        role = TH_NA;
        rw = draw_width(right, cv->th->utf8);
    }
    if (rw && col + rw < cv->w)
        cv_text(cv, 0, cv->w - rw, role, right);
}
