/* help: the help screen (every key of every key table, by screen, then what the marks and
 * colours mean) and `r1top --keys`, both generated from the key tables, so a key cannot be
 * added without showing up in them. Opened by the global F1/? key (keys.c). */
#ifndef R1_UI_HELP_H
#define R1_UI_HELP_H

#include <stdio.h>

#include "screen.h"

extern const struct screen_ops help_screen_ops;

struct screen *help_screen_new(void);
/* Every key table, a heading line before each ("Node screen:"), for --keys. */
void help_print_keys(FILE *out);

#endif
