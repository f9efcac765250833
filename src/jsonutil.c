/* jsonutil: tolerant readers over cJSON (see jsonutil.h). Nothing here trusts a payload: every
 * getter checks presence and type, strings are sanitised on the way out, and the raw-lexeme
 * finder recovers the exact digits of numbers that cJSON's doubles would round. */
#include "jsonutil.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Scan the document's bracket structure to tell a truncated file (the node writes its status
 * files with a plain open('w'), so a reader can catch one half-written) from plain garbage. */
static bool json_looks_truncated(const char *buf, size_t len)
{
    int depth = 0;
    bool in_str = false, esc = false, seen = false;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (in_str) {
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"')
                in_str = false;
            continue;
        }
        if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            depth++;
            seen = true;
        } else if (c == '}' || c == ']') {
            depth--;
            if (depth < 0)
                return false;
        }
    }
    return seen && (depth > 0 || in_str);
}

static bool json_tail_is_one_token(const char *p, size_t n)
{
    int quotes = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return false;
        if (c == '"' && (i == 0 || p[i - 1] != '\\') && ++quotes > 1)
            return false;
    }
    return true;
}

cJSON *json_parse(const char *buf, size_t len, char *err)
{
    if (buf == NULL || len == 0) {
        r1_err(err, "empty document (0 bytes); the writer may not have written it yet");
        return NULL;
    }
    const char *end = NULL;
    /* require_null_terminated=false: with true, cJSON 1.7.x rejects a buffer whose length
     * excludes the terminator. Trailing bytes are checked below instead. */
    cJSON *root = cJSON_ParseWithLengthOpts(buf, len, &end, false);
    if (root == NULL) {
        size_t off = len;
        if (end != NULL && end >= buf && end <= buf + len)
            off = (size_t)(end - buf);
        /* "Truncated" only when what follows the parse error could be the start of one
         * token cut short (cJSON points at the start of an unterminated string): random bytes
         * are garbage, whatever their brackets look like. */
        if (json_looks_truncated(buf, len) && json_tail_is_one_token(buf + off, len - off))
            r1_err(err, "truncated JSON: the document stops at byte %zu inside an unfinished "
                        "object or string (the writer may be mid-write)", len);
        else
            r1_err(err, "invalid JSON near byte %zu of %zu", off, len);
        return NULL;
    }
    if (end != NULL && end >= buf && end <= buf + len) {
        for (const char *p = end; p < buf + len; p++) {
            if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '\0') {
                cJSON_Delete(root);
                r1_err(err, "invalid JSON: unexpected data after the document at byte %zu of %zu",
                       (size_t)(p - buf), len);
                return NULL;
            }
        }
    }
    return root;
}

bool json_to_num(const cJSON *item, double *out)
{
    if (item == NULL)
        return false;
    if (cJSON_IsNumber(item)) {
        if (!isfinite(item->valuedouble))
            return false;
        *out = item->valuedouble;
        return true;
    }
    if (cJSON_IsString(item) && item->valuestring != NULL) {
        /* Numbers sent as strings are a protocol habit (Python str() of a value). */
        const char *s = item->valuestring;
        char *endp = NULL;
        if (*s == '\0' || *s == ' ')
            return false;
        errno = 0;
        double d = strtod(s, &endp);
        if (errno != 0 || endp == s || *endp != '\0' || !isfinite(d))
            return false;
        *out = d;
        return true;
    }
    return false;
}

bool json_to_i64(const cJSON *item, int64_t *out)
{
    if (item == NULL)
        return false;
    if (cJSON_IsNumber(item)) {
        double d = item->valuedouble;
        /* valueint saturates silently; check the double is integral and in range instead. */
        if (!isfinite(d) || d != floor(d) || d < -9223372036854775808.0 ||
            d >= 9223372036854775808.0)
            return false;
        *out = (int64_t)d;
        return true;
    }
    if (cJSON_IsString(item) && item->valuestring != NULL) {
        const char *s = item->valuestring;
        char *endp = NULL;
        if (*s == '\0' || *s == ' ')
            return false;
        errno = 0;
        long long v = strtoll(s, &endp, 10);
        if (errno != 0 || endp == s || *endp != '\0')
            return false;
        *out = (int64_t)v;
        return true;
    }
    return false;
}

bool json_get_str(const cJSON *obj, const char *key, char *dst, size_t dst_size)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(it) || it->valuestring == NULL)
        return false;
    r1_sanitize(dst, dst_size, it->valuestring);
    return true;
}

bool json_get_num(const cJSON *obj, const char *key, double *out)
{
    return json_to_num(cJSON_GetObjectItemCaseSensitive(obj, key), out);
}

bool json_get_i64(const cJSON *obj, const char *key, int64_t *out)
{
    return json_to_i64(cJSON_GetObjectItemCaseSensitive(obj, key), out);
}

bool json_get_bool(const cJSON *obj, const char *key, bool *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsBool(it)) {
        *out = cJSON_IsTrue(it);
        return true;
    }
    /* Some writers send flags as 0/1; anything else is not a flag. */
    if (cJSON_IsNumber(it) && (it->valuedouble == 0.0 || it->valuedouble == 1.0)) {
        *out = it->valuedouble == 1.0;
        return true;
    }
    return false;
}

const cJSON *json_get_any(const cJSON *obj, const char *const *keys)
{
    if (!cJSON_IsObject(obj) || keys == NULL)
        return NULL;
    for (size_t i = 0; keys[i] != NULL; i++) {
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, keys[i]);
        if (it != NULL && !cJSON_IsNull(it))
            return it;
    }
    return NULL;
}

/* ---- raw lexemes ------------------------------------------------------------------------ */

struct json_scan {
    const char *p, *end;
};

static void scan_ws(struct json_scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
        s->p++;
}

/* At an opening quote: step past the closing one. */
static bool scan_string(struct json_scan *s)
{
    if (s->p >= s->end || *s->p != '"')
        return false;
    for (s->p++; s->p < s->end; s->p++) {
        if (*s->p == '\\') {
            s->p++;
        } else if (*s->p == '"') {
            s->p++;
            return true;
        }
    }
    return false;
}

/* Step over one value. Iterative (depth counter, no recursion) so hostile nesting cannot
 * exhaust the stack; the document already passed cJSON, this only has to stay in bounds. */
static bool scan_value(struct json_scan *s)
{
    scan_ws(s);
    if (s->p >= s->end)
        return false;
    if (*s->p == '"')
        return scan_string(s);
    if (*s->p == '{' || *s->p == '[') {
        size_t depth = 0;
        while (s->p < s->end) {
            char c = *s->p;
            if (c == '"') {
                if (!scan_string(s))
                    return false;
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']')
                depth--;
            s->p++;
            if (depth == 0)
                return true;
        }
        return false;
    }
    const char *start = s->p;
    while (s->p < s->end && strchr(",}] \t\r\n", *s->p) == NULL)
        s->p++;
    return s->p > start;
}

bool json_find_lexeme(const char *buf, size_t len, const char *const *path, size_t n_path,
                      const char **lex, size_t *lex_len)
{
    if (buf == NULL || path == NULL || n_path == 0)
        return false;
    struct json_scan s = {buf, buf + len};
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        s.p += 3;
    for (size_t level = 0; level < n_path; level++) {
        scan_ws(&s);
        if (s.p >= s.end || *s.p != '{')
            return false;
        s.p++;
        size_t want = strlen(path[level]);
        for (;;) {
            scan_ws(&s);
            if (s.p >= s.end || *s.p != '"')
                return false;   /* '}' (key absent) or broken text */
            const char *key = s.p + 1;
            if (!scan_string(&s))
                return false;
            size_t key_len = (size_t)(s.p - 1 - key);
            scan_ws(&s);
            if (s.p >= s.end || *s.p != ':')
                return false;
            s.p++;
            /* The first occurrence wins, as with cJSON_GetObjectItemCaseSensitive, so the
             * lexeme always belongs to the value the parsed tree holds. */
            if (key_len == want && memcmp(key, path[level], want) == 0)
                break;
            if (!scan_value(&s))
                return false;
            scan_ws(&s);
            if (s.p < s.end && *s.p == ',')
                s.p++;
            else
                return false;
        }
    }
    scan_ws(&s);
    const char *start = s.p;
    if (!scan_value(&s))
        return false;
    *lex = start;
    *lex_len = (size_t)(s.p - start);
    return true;
}
