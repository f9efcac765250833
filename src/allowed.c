/* allowed: parsing the allowed list and checking input for it (allowed.h). */
#include "allowed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trust/eth.h"

#define ALLOWED_MAX_ENTRIES 4096   /* a list is tens of lines; a bound keeps a hostile one small */

void allowed_free(struct r1_allowed *a)
{
    free(a->v);
    memset(a, 0, sizeof(*a));
}

static struct r1_allowed_entry *push(struct r1_allowed *a)
{
    if (a->n >= ALLOWED_MAX_ENTRIES)
        return NULL;
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
    }
    struct r1_allowed_entry *e = &a->v[a->n++];
    memset(e, 0, sizeof(*e));
    return e;
}

/* The next whitespace-separated word of line (not past end) into dst; advances *at. */
static size_t word(const char **at, const char *end, char *dst, size_t dst_size)
{
    const char *p = *at;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    const char *w = p;
    while (p < end && *p != ' ' && *p != '\t')
        p++;
    size_t n = (size_t)(p - w);
    char raw[256];
    size_t k = n < sizeof(raw) - 1 ? n : sizeof(raw) - 1;
    memcpy(raw, w, k);
    raw[k] = '\0';
    r1_sanitize(dst, dst_size, raw);
    *at = p;
    return n;
}

static void invalid(struct r1_allowed_entry *e, const char *line, size_t len, const char *why)
{
    char raw[R1_REASON_MAX * 2];
    snprintf(raw, sizeof(raw), "%.*s%s%.150s", (int)(len < 120 ? len : 120), line,
             why ? ": " : "", why ? why : "");
    r1_sanitize(e->text, sizeof(e->text), raw);
    e->valid = false;
}

static void parse_line(const char *line, size_t len, bool (*is_oracle)(const char *, void *),
                       void *ctx, const char *me, struct r1_allowed *out)
{
    while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    while (len && (*line == ' ' || *line == '\t'))
        line++, len--;
    if (!len)
        return;
    const char *end = line + len;
    if (line[0] == '#') {
        /* the node's own mark for a line it could not use: "# <line> # INVALID: <reason>" */
        const char *mark = NULL;
        for (const char *p = line; p + 11 <= end; p++)
            if (memcmp(p, "# INVALID:", 10) == 0)
                mark = p;
        if (!mark)
            return;   /* a comment */
        struct r1_allowed_entry *e = push(out);
        if (e) {
            /* the mark may be the line's own first '#' ("# INVALID: x"): no original then */
            const char *orig = line + 1 < mark ? line + 1 : mark;
            while (orig < mark && *orig == ' ')
                orig++;
            size_t olen = (size_t)(mark - orig);
            while (olen && orig[olen - 1] == ' ')
                olen--;
            char why[R1_REASON_MAX];
            const char *r = mark + 10;   /* past "# INVALID:" */
            while (r < end && *r == ' ')
                r++;
            snprintf(why, sizeof(why), "%.*s", (int)(end - r), r);
            invalid(e, orig, olen, why);
        }
        return;
    }
    struct r1_allowed_entry *e = push(out);
    if (!e)
        return;
    const char *at = line;
    size_t alen = word(&at, end, e->addr, sizeof(e->addr));
    unsigned char pub[ETH_PUBKEY_LEN];
    if (alen >= sizeof(e->addr) || strncmp(e->addr, "0xai_", 5) != 0 ||
        eth_node_addr_parse(e->addr, pub) < 0) {
        invalid(e, line, len, "not a node address (r1top cannot read this line)");
        e->addr[0] = '\0';
        return;
    }
    e->valid = true;
    char w2[R1_NAME_MAX];
    word(&at, end, w2, sizeof(w2));
    if (strcmp(w2, "#") != 0) {
        r1_strlcpy(e->alias, w2, sizeof(e->alias));
        word(&at, end, w2, sizeof(w2));   /* the "#" before the ETH address, if any */
    }
    if (strcmp(w2, "#") == 0)
        word(&at, end, e->eth, sizeof(e->eth));
    e->oracle = is_oracle && is_oracle(e->addr, ctx);
    e->is_me = me && me[0] && eth_node_addr_equal(e->addr, me);
    out->n_valid++;
    out->me_listed |= e->is_me;
}

void allowed_parse(const char *text, size_t len, bool (*is_oracle)(const char *addr, void *ctx),
                   void *ctx, const char *me, struct r1_allowed *out)
{
    out->n = out->n_valid = 0;
    out->me_known = me && me[0];
    out->me_listed = false;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        parse_line(p, (size_t)(stop - p), is_oracle, ctx, me, out);
        p = nl ? nl + 1 : end;
    }
}

int allowed_check_address(const char *addr, char *err)
{
    unsigned char pub[ETH_PUBKEY_LEN];
    if (strncmp(addr, "0xai_", 5) != 0)
        return r1_err(err, "'%.60s' is not a node address: it must start with 0xai_", addr);
    if (strlen(addr) != 49 || eth_node_addr_parse(addr, pub) < 0)
        return r1_err(err, "'%.60s' is not a valid node address (0xai_ and 44 characters of a "
                           "public key)", addr);
    return 0;
}

int allowed_check_alias(const char *alias, char *err)
{
    size_t n = strlen(alias);
    if (n == 0)
        return r1_err(err, "the alias is empty");
    if (n > R1_ALIAS_MAX_LEN)
        return r1_err(err, "the alias is %zu characters; a node keeps at most %d", n,
                      R1_ALIAS_MAX_LEN);
    for (const char *p = alias; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '.' || *p == '-'))
            return r1_err(err, "the alias may hold only letters, digits, '_', '.' and '-'");
    return 0;
}
