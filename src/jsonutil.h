/* jsonutil: tolerant field readers over cJSON for payloads r1top does not control. Every
 * getter says whether the value was there and of a usable type; none trusts a field to exist.
 * Handles the protocol's traps: numbers sent as strings, Python dict reprs, misspelt
 * duplicate keys. Pure; used by the parsers in src/sources/. */
#ifndef R1_JSONUTIL_H
#define R1_JSONUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Parse buf[0..len) (need not be NUL-terminated). NULL and err set on failure
 * ("truncated or invalid JSON near byte 123"). */
cJSON *json_parse(const char *buf, size_t len, char *err);

/* Case-sensitive lookup; each returns true and sets *out only for a usable value. */
bool json_get_str(const cJSON *obj, const char *key, char *dst, size_t dst_size); /* sanitised */
bool json_get_num(const cJSON *obj, const char *key, double *out);   /* number or numeric string */
bool json_get_i64(const cJSON *obj, const char *key, int64_t *out);  /* integral number/string */
bool json_get_bool(const cJSON *obj, const char *key, bool *out);
/* First key of a NULL-terminated list of alternative spellings that is present and not null. */
const cJSON *json_get_any(const cJSON *obj, const char *const *keys);

/* The same conversions for an item already in hand (array elements). */
bool json_to_num(const cJSON *item, double *out);                    /* number or numeric string */
bool json_to_i64(const cJSON *item, int64_t *out);                   /* integral number/string */

/* Find the raw text of the value at path[0]/path[1]/.../path[n_path-1] (object keys) in a
 * document that already parsed: cJSON keeps numbers as doubles, so integers above 2^53
 * (on-chain amounts in wei) must be re-read from their lexeme. The first occurrence of a
 * duplicated key wins, as in cJSON. *lex points into buf (not NUL-terminated). */
bool json_find_lexeme(const char *buf, size_t len, const char *const *path, size_t n_path,
                      const char **lex, size_t *lex_len);

#endif
