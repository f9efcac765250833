/* snapshot: what `r1top --once` prints — a readable table or the JSON document whose schema
 * README "JSON output" documents. Numbers are numbers with units in key names, unknown is
 * null, every block says where it came from and how old it is. Reads the model only, after derive.c has run. */
#ifndef R1_SNAPSHOT_H
#define R1_SNAPSHOT_H

#include <stdio.h>

#include "model.h"

/* Returns a malloc'd JSON document (caller frees). */
char *snapshot_json(const struct r1_fleet *f, double now);
/* Returns 0, or -1 when out reported a write error (D14: the caller also checks the close). */
int snapshot_text(FILE *out, const struct r1_fleet *f, double now);

#endif
