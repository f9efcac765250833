/* keys: the one key table (htop's Action idea). Each entry names its key codes, the label it
 * shows on the function-key bar, its help text, its handler and flags; the help screen, the
 * key bar and `r1top --keys` (which the README and man page are checked against) are all
 * generated from it, so they cannot drift apart. Handlers change only the view and
 * fleet->selected, and return R1_FE_* flags for app.c. */
#ifndef R1_UI_KEYS_H
#define R1_UI_KEYS_H

#include <stdio.h>

#include "model.h"
#include "panes.h"

#define KEYS_CODES_MAX 5 /* four codes and the 0 that ends them */

enum {
    KEYF_BAR = 1,     /* shown on the function-key bar */
    KEYF_FLEET = 2,   /* only useful with several nodes (hidden from the bar otherwise) */
    KEYF_IN_HELP = 4, /* still works while the help screen is open */
};

struct r1_key {
    int codes[KEYS_CODES_MAX]; /* curses key codes, 0-terminated */
    const char *label;         /* key bar text ("Help"), NULL if not on the bar */
    const char *help;          /* one line for the help screen and --keys */
    int (*fn)(struct r1_view *v, struct r1_fleet *f, int code);
    unsigned flags;
};

extern const struct r1_key keys_table[];
extern const size_t keys_count;

/* Run the handler bound to code; returns R1_FE_* flags (0 when no key matches). */
int keys_dispatch(struct r1_view *v, struct r1_fleet *f, int code);
/* A person's name for a key code: "F1", "Tab", "Shift-Tab", "PgDn", "Ctrl-L", "q". */
void keys_name(int code, char *dst, size_t dst_size);
/* The keys of an entry joined: "F1, ?". */
void keys_names(const struct r1_key *k, char *dst, size_t dst_size);
/* One entry as the help screen and --keys print it: "F1, ?        show this help...". */
void keys_format_line(const struct r1_key *k, char *dst, size_t dst_size);
/* Every entry, one line each, plain text (for --keys, README and man page checks). */
void keys_print_table(FILE *out);

#endif
