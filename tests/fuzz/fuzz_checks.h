/* fuzz_checks: the property checks every fuzz target shares. Each target is its own program,
 * so these are static; unused ones are fine. Every check abort()s on a violation, which
 * libFuzzer (and the corpus replay in `make check`) reports as a failure. */
#ifndef R1_FUZZ_CHECKS_H
#define R1_FUZZ_CHECKS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "util.h"

#define FUZZ_UNUSED __attribute__((unused))

/* Length of one well-formed UTF-8 character at s (RFC 3629: no overlongs, surrogates or code
 * points above U+10FFFF), 0 if malformed. Written here, not taken from util.c, so the check
 * does not trust the code it checks. */
FUZZ_UNUSED static size_t utf8_len(const unsigned char *s, unsigned *cp)
{
    unsigned c = s[0];
    size_t n;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xe0) == 0xc0)
        n = 2, c &= 0x1f;
    else if ((c & 0xf0) == 0xe0)
        n = 3, c &= 0x0f;
    else if ((c & 0xf8) == 0xf0)
        n = 4, c &= 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3fu);
    }
    static const unsigned min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

/* A string a parser hands to the screen: NUL-terminated within size, valid UTF-8, and no
 * C0, DEL (so no ESC), C1 or bidi override. */
FUZZ_UNUSED static void check_clean(const char *s, size_t size)
{
    if (memchr(s, '\0', size) == NULL)
        abort();
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp = 0;
        size_t n = utf8_len(p, &cp);
        if (n == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
            (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
            abort();
        p += n;
    }
}

/* An error message: non-empty, NUL-terminated within R1_ERR_MAX, no C0 or DEL. */
FUZZ_UNUSED static void check_err(const char *err)
{
    const char *end = memchr(err, '\0', R1_ERR_MAX);
    if (end == NULL || end == err)
        abort();
    for (const char *p = err; p < end; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            abort();
}

/* meta as the caller left it, but for the valid bits: those stay within [0, last], and bit
 * `kept` (a bit the source, not the parser, owns; -1 for none) is as it was. */
FUZZ_UNUSED static void check_meta(const struct r1_meta *now, const struct r1_meta *before,
                                   int last, int kept)
{
    if (memcmp(&now->updated_at, &before->updated_at, sizeof(now->updated_at)) != 0 ||
        now->fed_by != before->fed_by)
        abort();
    if (now->valid >> (last + 1))
        abort();
    if (kept >= 0 && ((now->valid >> kept) & 1u) != ((before->valid >> kept) & 1u))
        abort();
}

/* The fuzzer's bytes as a C string (parsers of files get NUL-terminated buffers). */
FUZZ_UNUSED static char *nul_terminated(const uint8_t *data, size_t size)
{
    char *s = xmalloc(size + 1);
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
