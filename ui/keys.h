/* keys: the key tables (htop's Action idea). Each entry names its key codes, the label it shows
 * on the function-key bar, its help text, its handler and flags. There is one global table
 * (keys that work on every screen that does not take them first) and one table per screen
 * (screen.h); an action row takes its key, label and help from actions_table (actions.h). The
 * help screen, the key bar and `r1top --keys` (which the README and man page are checked
 * against) are all generated from these tables, so they cannot drift apart. Handlers change
 * only their screen's view and answer with intents (frontend.h); they never touch the model
 * or the terminal. */
#ifndef R1_UI_KEYS_H
#define R1_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "draw.h"

#define KEYS_CODES_MAX 5 /* four codes and the 0 that ends them */
#define KEY_ESC 27
#define KEY_CTRL_L 12
#define KEY_RETURN '\r' /* Enter, with nonl() */

struct screen;
struct screen_input;
struct ui_env;

enum {
    KEYF_BAR = 1,      /* shown on the function-key bar */
    KEYF_FLEET = 2,    /* only useful with several nodes (hidden from the bar otherwise) */
    KEYF_ACTION = 4,   /* codes, label and help come from actions_table[action] */
    KEYF_BAR_LEAD = 8, /* a global key shown on the bar before the screen's own keys */
};

/* A handler returns 1 when it took the key, 0 to let it fall through (screen.c). */
typedef int (*key_fn)(struct screen *s, struct screen_input *in, int code);

struct r1_key {
    int codes[KEYS_CODES_MAX]; /* curses key codes, 0-terminated (unused with KEYF_ACTION) */
    const char *label;         /* key bar text ("Help"), NULL if not on the bar */
    const char *help;          /* one line for the help screen and --keys */
    key_fn fn;
    unsigned flags;
    int action; /* KEYF_ACTION: enum r1_action_id */
};

extern const struct r1_key keys_global[];
extern const size_t keys_global_count;

/* The entry of table t bound to code, or NULL. */
const struct r1_key *keys_find(const struct r1_key *t, size_t n, int code);
/* The j-th code of an entry (0 past the last), its bar label and its help line. */
int keys_code(const struct r1_key *k, int j);
const char *keys_label(const struct r1_key *k);
const char *keys_help(const struct r1_key *k);
/* A changing action under --readonly: shown greyed, and pressing it only says why. */
bool keys_unavailable(const struct r1_key *k, bool readonly);

/* A person's name for a key code: "F1", "Tab", "Shift-Tab", "PgDn", "Ctrl-L", "q". */
void keys_name(int code, char *dst, size_t dst_size);
/* The keys of an entry joined, each name once: "F1, ?". */
void keys_names(const struct r1_key *k, char *dst, size_t dst_size);
/* One entry as the help screen and --keys print it: "F1, ?        show this help...". */
void keys_format_line(const struct r1_key *k, char *dst, size_t dst_size);
/* The entries of one table, one line each (for --keys). */
void keys_print_table(FILE *out, const struct r1_key *t, size_t n);

/* The bottom line: the global keys marked KEYF_BAR_LEAD, the top screen's bar keys, the other
 * global bar keys (a global key the screen binds itself is not shown), and at the right end
 * the screen's status plus "read-only". */
void keybar_draw(const struct r1_cv *cv, const struct screen *top, const struct r1_fleet *f,
                 const struct ui_env *env);

#endif
