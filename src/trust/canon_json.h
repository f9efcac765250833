/* canon_json: a JSON reader that keeps what cJSON throws away (the exact number lexeme, so
 * 1 stays 1 and 1.0 stays 1.0) and the canonical serialiser of Ratio1's signing code
 * (docs/protocol.md §3.2): sorted keys, compact separators, raw UTF-8, Python's escapes and
 * Python's float formatting in both the current ("repr") and the legacy encoder.
 * Pure: no I/O. Called by sig.c (hash input), trust.c, and tests/fuzz. */
#ifndef R1_CANON_JSON_H
#define R1_CANON_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CANON_DEPTH_MAX 128                /* nesting of arrays/objects */
#define CANON_INPUT_MAX ((size_t)64 << 20) /* bytes of JSON text */
#define CANON_VALUES_MAX ((size_t)4 << 20) /* values in one document */

enum cj_type { CJ_NULL, CJ_FALSE, CJ_TRUE, CJ_NUMBER, CJ_STRING, CJ_ARRAY, CJ_OBJECT };

/* How floats are written (integers are written the same in both). */
enum canon_float {
    CANON_FLOAT_REPR,   /* Python float.__repr__: 1.0, 0.5, 1e-05, 1e+16 (v2, unversioned) */
    CANON_FLOAT_LEGACY, /* _LegacyComplexJsonEncoder: repr with trailing 0s and '.' cut (v1) */
};

struct cj_member {
    char *key; /* decoded UTF-8, NUL-terminated (may hold NULs: key_len) */
    size_t key_len;
    struct cj_value *value;
};

struct cj_value {
    enum cj_type type;
    char *str; /* STRING: decoded UTF-8; NUMBER: the lexeme as received */
    size_t len;
    struct cj_value **items;   /* ARRAY, in order */
    struct cj_member *members; /* OBJECT, sorted by key bytes, one per key (last wins) */
    size_t n;                  /* number of items or members */
    size_t cap;
    char *dup_key; /* OBJECT: the first key that appeared twice (NULL: none) */
};

/* Parse len bytes. NULL on error with err (R1_ERR_MAX) saying what and at which byte.
 * Strict JSON (RFC 8259) plus what Python's json.loads accepts: NaN, Infinity, -Infinity,
 * and a leading UTF-8 BOM. Rejects invalid UTF-8, lone surrogates, raw control characters,
 * trailing data, and input past the limits above. Duplicate keys: the last one wins. */
struct cj_value *canon_parse(const char *buf, size_t len, char *err);
void canon_free(struct cj_value *v);

/* The canonical text, as Python's json.dumps(..., sort_keys=True, separators=(',',':'),
 * ensure_ascii=False) of json.loads(text) writes it, NaN/Infinity as null. Keys named in
 * drop_keys_top_level (NULL-terminated list, or NULL) are left out of the top-level object.
 * Returns an xmalloc'd NUL-terminated string; *out_len (if not NULL) gets its length. */
char *canon_serialize(const struct cj_value *v, enum canon_float mode,
                      const char *const *drop_keys_top_level, size_t *out_len);

/* Would another JSON reader see this document differently? True (with a sentence in why)
 * when some object had a duplicate key (readers differ on which one wins; cJSON takes the
 * first) or a key holds a NUL byte (C readers cut it short). The canonical form follows
 * Python regardless; trust.c refuses such replies so that what r1top verifies and what it
 * displays cannot differ. */
bool canon_is_ambiguous(const struct cj_value *v, char *why, size_t why_size);

/* Lookups; NULL when obj is not an object or the key is absent (or of another type). */
const struct cj_value *canon_get(const struct cj_value *obj, const char *key);
const char *canon_get_string(const struct cj_value *obj, const char *key);
/* An integer lexeme (no '.', 'e') that fits int64: 0 and *out; -1 otherwise. */
int canon_number_int64(const struct cj_value *v, int64_t *out);
/* Any finite number: 0 and *out; -1 otherwise. */
int canon_number_double(const struct cj_value *v, double *out);

/* Building values (sig_sign, tests). Allocation failure aborts (xmalloc). */
struct cj_value *canon_new(enum cj_type type); /* null, false, true, [] or {} */
struct cj_value *canon_new_string(const char *s);
/* NULL unless lexeme is a JSON number ("12", "-0.5", "1e-05"). */
struct cj_value *canon_new_number(const char *lexeme);
/* Takes ownership of val; replaces (and frees) an existing member of that key. */
void canon_object_set(struct cj_value *obj, const char *key, struct cj_value *val);
/* true if the key was there (its value is freed). */
bool canon_object_remove(struct cj_value *obj, const char *key);
void canon_array_append(struct cj_value *arr, struct cj_value *val);

#endif
