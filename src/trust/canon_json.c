#include "canon_json.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- growable byte buffer ------------------------------------------------------------ */

struct sbuf {
    char *buf;
    size_t len, cap;
};

static void sb_reserve(struct sbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->buf = xrealloc(b->buf, cap);
    b->cap = cap;
}

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
    sb_reserve(b, n);
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void sb_putc(struct sbuf *b, char c)
{
    sb_put(b, &c, 1);
}

static void sb_puts(struct sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

/* ---- values --------------------------------------------------------------------------- */

struct cj_value *canon_new(enum cj_type type)
{
    struct cj_value *v = xcalloc(1, sizeof(*v));
    v->type = type;
    return v;
}

static char *dup_bytes(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

struct cj_value *canon_new_string(const char *s)
{
    struct cj_value *v = canon_new(CJ_STRING);
    v->len = strlen(s);
    v->str = dup_bytes(s, v->len);
    return v;
}

void canon_free(struct cj_value *v)
{
    if (!v)
        return;
    if (v->type == CJ_ARRAY) {
        for (size_t i = 0; i < v->n; i++)
            canon_free(v->items[i]);
        free(v->items);
    } else if (v->type == CJ_OBJECT) {
        for (size_t i = 0; i < v->n; i++) {
            free(v->members[i].key);
            canon_free(v->members[i].value);
        }
        free(v->members);
    }
    free(v->str);
    free(v->dup_key);
    free(v);
}

static int key_cmp(const char *a, size_t a_len, const char *b, size_t b_len)
{
    /* Python sorts str keys by code point; UTF-8 byte order is the same order, and a key
     * that is a prefix of another sorts first. memcmp, not strcmp: keys may hold \u0000. */
    int c = memcmp(a, b, a_len < b_len ? a_len : b_len);
    if (c != 0)
        return c;
    return (a_len > b_len) - (a_len < b_len);
}

/* Index of key in the sorted members, or of where it would go (*found = false). */
static size_t member_find(const struct cj_value *obj, const char *key, size_t key_len, bool *found)
{
    size_t lo = 0, hi = obj->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = key_cmp(obj->members[mid].key, obj->members[mid].key_len, key, key_len);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

const struct cj_value *canon_get(const struct cj_value *obj, const char *key)
{
    if (!obj || obj->type != CJ_OBJECT || !key)
        return NULL;
    bool found;
    size_t i = member_find(obj, key, strlen(key), &found);
    return found ? obj->members[i].value : NULL;
}

const char *canon_get_string(const struct cj_value *obj, const char *key)
{
    const struct cj_value *v = canon_get(obj, key);
    return v && v->type == CJ_STRING ? v->str : NULL;
}

void canon_object_set(struct cj_value *obj, const char *key, struct cj_value *val)
{
    size_t key_len = strlen(key);
    bool found;
    size_t i = member_find(obj, key, key_len, &found);
    if (found) {
        canon_free(obj->members[i].value);
        obj->members[i].value = val;
        return;
    }
    if (obj->n == obj->cap) {
        obj->cap = obj->cap ? obj->cap * 2 : 8;
        obj->members = xrealloc(obj->members, obj->cap * sizeof(*obj->members));
    }
    memmove(&obj->members[i + 1], &obj->members[i], (obj->n - i) * sizeof(*obj->members));
    obj->members[i].key = dup_bytes(key, key_len);
    obj->members[i].key_len = key_len;
    obj->members[i].value = val;
    obj->n++;
}

bool canon_object_remove(struct cj_value *obj, const char *key)
{
    if (!obj || obj->type != CJ_OBJECT)
        return false;
    bool found;
    size_t i = member_find(obj, key, strlen(key), &found);
    if (!found)
        return false;
    free(obj->members[i].key);
    canon_free(obj->members[i].value);
    memmove(&obj->members[i], &obj->members[i + 1], (obj->n - i - 1) * sizeof(*obj->members));
    obj->n--;
    return true;
}

void canon_array_append(struct cj_value *arr, struct cj_value *val)
{
    if (arr->n == arr->cap) {
        arr->cap = arr->cap ? arr->cap * 2 : 8;
        arr->items = xrealloc(arr->items, arr->cap * sizeof(*arr->items));
    }
    arr->items[arr->n++] = val;
}

/* ---- numbers -------------------------------------------------------------------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the JSON number at p (strict RFC 8259 grammar), 0 if there is none. */
static size_t number_scan(const char *p, const char *end)
{
    const char *s = p;
    if (s < end && *s == '-')
        s++;
    if (s >= end || !is_digit(*s))
        return 0;
    if (*s == '0')
        s++;
    else
        while (s < end && is_digit(*s))
            s++;
    if (s < end && *s == '.') {
        s++;
        if (s >= end || !is_digit(*s))
            return 0;
        while (s < end && is_digit(*s))
            s++;
    }
    if (s < end && (*s == 'e' || *s == 'E')) {
        s++;
        if (s < end && (*s == '+' || *s == '-'))
            s++;
        if (s >= end || !is_digit(*s))
            return 0;
        while (s < end && is_digit(*s))
            s++;
    }
    return (size_t)(s - p);
}

static bool lexeme_nonfinite(const char *lex)
{
    return strcmp(lex, "NaN") == 0 || strcmp(lex, "Infinity") == 0 || strcmp(lex, "-Infinity") == 0;
}

static bool lexeme_is_float(const char *lex)
{
    return strpbrk(lex, ".eE") != NULL;
}

struct cj_value *canon_new_number(const char *lexeme)
{
    size_t n = strlen(lexeme);
    if (!lexeme_nonfinite(lexeme) && (n == 0 || number_scan(lexeme, lexeme + n) != n))
        return NULL;
    struct cj_value *v = canon_new(CJ_NUMBER);
    v->str = dup_bytes(lexeme, n);
    v->len = n;
    return v;
}

/* strtod and printf follow LC_NUMERIC, and the UI calls setlocale(): a German locale would
 * read "1.5" as 1 and print "1,5". Every number conversion here runs in the C locale. */
struct c_numeric {
    locale_t c, old;
};

static void c_numeric_enter(struct c_numeric *cn)
{
    cn->c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    cn->old = cn->c ? uselocale(cn->c) : (locale_t)0;
}

static void c_numeric_leave(struct c_numeric *cn)
{
    if (cn->c) {
        uselocale(cn->old);
        freelocale(cn->c);
    }
}

int canon_number_double(const struct cj_value *v, double *out)
{
    if (!v || v->type != CJ_NUMBER || lexeme_nonfinite(v->str))
        return -1;
    struct c_numeric cn;
    c_numeric_enter(&cn);
    double d = strtod(v->str, NULL);
    c_numeric_leave(&cn);
    if (!isfinite(d))
        return -1;
    *out = d;
    return 0;
}

int canon_number_int64(const struct cj_value *v, int64_t *out)
{
    if (!v || v->type != CJ_NUMBER || lexeme_nonfinite(v->str) || lexeme_is_float(v->str))
        return -1;
    const char *p = v->str;
    bool neg = *p == '-';
    if (neg)
        p++;
    uint64_t acc = 0;
    for (; *p; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (acc > (UINT64_MAX - d) / 10)
            return -1;
        acc = acc * 10 + d;
    }
    if (neg ? acc > (uint64_t)INT64_MAX + 1 : acc > (uint64_t)INT64_MAX)
        return -1;
    *out = neg ? (acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc) : (int64_t)acc;
    return 0;
}

/* Decimal digits (no sign, no leading zero) and the exponent of the first digit. */
struct dec_digits {
    char d[24];
    size_t n;
    int exp10;
};

static void dec_from_sci(const char *sci, struct dec_digits *dd)
{
    dd->n = 0;
    const char *p = sci;
    for (; *p && *p != 'e'; p++)
        if (is_digit(*p) && dd->n < sizeof(dd->d) - 1)
            dd->d[dd->n++] = *p;
    dd->d[dd->n] = '\0';
    dd->exp10 = *p == 'e' ? atoi(p + 1) : 0;
}

static bool dec_reads_back(const struct dec_digits *dd, bool neg, double x)
{
    char s[48];
    snprintf(s, sizeof(s), "%s%c.%se%d", neg ? "-" : "", dd->d[0], dd->d + 1, dd->exp10);
    return strtod(s, NULL) == x;
}

/* The next digit string of the same length up (+1 in the last place) or down (-1). */
static void dec_step(struct dec_digits *dd, int dir)
{
    size_t i = dd->n;
    while (i-- > 0) {
        if (dir > 0 && dd->d[i] == '9') {
            dd->d[i] = '0';
        } else if (dir < 0 && dd->d[i] == '0') {
            dd->d[i] = '9';
        } else {
            dd->d[i] = (char)(dd->d[i] + dir);
            break;
        }
    }
    if (dir > 0 && dd->d[0] == '0') { /* 999 -> 1000: one digit more, shift */
        dd->d[0] = '1';
        dd->exp10++;
    } else if (dir < 0 && dd->d[0] == '0') { /* 1000 -> 0999: 9999 one decade down */
        memmove(dd->d, dd->d + 1, dd->n - 1);
        dd->d[dd->n - 1] = '9';
        dd->exp10--;
    }
}

/* Python's float.__repr__: the shortest digit string that reads back as x (and of those
 * the nearest to x), written positionally when the decimal exponent is in [-4, 16) (with
 * ".0" when integral), else as d.ddde+XX with at least two exponent digits.
 * Needs the C numeric locale. */
/* Does some string of prec+1 significant digits read back as x? Then dd holds it. */
static bool dec_shortest_at(double x, bool neg, int prec, struct dec_digits *dd)
{
    char sci[40];
    snprintf(sci, sizeof(sci), "%.*e", prec, fabs(x));
    dec_from_sci(sci, dd);
    if (dec_reads_back(dd, neg, x))
        return true;
    /* Just above a power of two the gap below x is half the gap above, so the nearest
     * string of this length can miss while its upper neighbour still reads back. */
    struct dec_digits up = *dd, down = *dd;
    dec_step(&up, +1);
    dec_step(&down, -1);
    if (dec_reads_back(&up, neg, x)) {
        *dd = up;
        return true;
    }
    if (dec_reads_back(&down, neg, x)) {
        *dd = down;
        return true;
    }
    return false;
}

/* Significant digits of a number lexeme ("0.00120" -> 2): x needs at most that many. */
static int lexeme_sig_digits(const char *lex)
{
    int n = 0, trailing_zeros = 0;
    bool started = false;
    for (const char *p = lex; *p && *p != 'e' && *p != 'E'; p++) {
        if (!is_digit(*p) || (!started && *p == '0'))
            continue;
        started = true;
        n++;
        trailing_zeros = *p == '0' ? trailing_zeros + 1 : 0;
    }
    return n - trailing_zeros;
}

static void py_float_repr(double x, const char *lexeme, char *out, size_t out_size)
{
    if (x == 0) {
        snprintf(out, out_size, "%s", signbit(x) ? "-0.0" : "0.0");
        return;
    }
    bool neg = signbit(x) != 0;
    struct dec_digits dd = {{0}, 0, 0};
    /* A sender's lexeme is almost always already shortest (Python wrote it): if one digit
     * less does not read back, the search can start at the lexeme's length. 2 or 3
     * conversions instead of up to 17, which matters on 400 KB payloads. */
    int k = lexeme_sig_digits(lexeme);
    int start = 0;
    if (k >= 2 && k <= 17 && !dec_shortest_at(x, neg, k - 2, &dd))
        start = k - 1;
    for (int prec = start; prec < 17; prec++)
        if (dec_shortest_at(x, neg, prec, &dd))
            break;
    size_t nd = dd.n;
    while (nd > 1 && dd.d[nd - 1] == '0')
        nd--;
    dd.d[nd] = '\0';
    int exp10 = dd.exp10;
    const char *digits = dd.d;

    struct sbuf b = {0};
    if (neg)
        sb_putc(&b, '-');
    if (exp10 < -4 || exp10 >= 16) {
        sb_putc(&b, digits[0]);
        if (nd > 1) {
            sb_putc(&b, '.');
            sb_puts(&b, digits + 1);
        }
        char e[16];
        snprintf(e, sizeof(e), "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
        sb_puts(&b, e);
    } else if (exp10 < 0) {
        sb_puts(&b, "0.");
        for (int i = 0; i < -exp10 - 1; i++)
            sb_putc(&b, '0');
        sb_puts(&b, digits);
    } else if ((size_t)exp10 + 1 < nd) {
        sb_put(&b, digits, (size_t)exp10 + 1);
        sb_putc(&b, '.');
        sb_puts(&b, digits + exp10 + 1);
    } else {
        sb_puts(&b, digits);
        for (size_t i = nd; i < (size_t)exp10 + 1; i++)
            sb_putc(&b, '0');
        sb_puts(&b, ".0");
    }
    r1_strlcpy(out, b.buf, out_size);
    free(b.buf);
}

/* The legacy encoder's floatstr: repr(x).rstrip('0').rstrip('.') when repr has a '.'. */
static void legacy_strip(char *s)
{
    if (!strchr(s, '.'))
        return;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '0')
        n--;
    while (n > 0 && s[n - 1] == '.')
        n--;
    s[n] = '\0';
}

static void put_number(struct sbuf *b, const struct cj_value *v, enum canon_float mode)
{
    const char *lex = v->str;
    if (lexeme_nonfinite(lex)) {
        sb_puts(b, "null"); /* replace_nan_inf / floatstr write NaN and Infinity as null */
        return;
    }
    if (!lexeme_is_float(lex)) {
        /* Python reads an integer lexeme into an int and prints it back digit for digit;
         * only "-0" changes, since int -0 is 0. */
        sb_puts(b, strcmp(lex, "-0") == 0 ? "0" : lex);
        return;
    }
    double x = strtod(lex, NULL);
    if (!isfinite(x)) {
        sb_puts(b, "null"); /* 1e999 loads as inf */
        return;
    }
    char s[40];
    py_float_repr(x, lex, s, sizeof(s));
    if (mode == CANON_FLOAT_LEGACY) {
        /* _dict_to_json dumps, re-loads and dumps again with the same encoder, so the strip
         * runs twice: "1.5e+20" -> "1.5e+2" -> 150.0 -> "150"; "9.0" -> "9" -> int 9. */
        legacy_strip(s);
        if (lexeme_is_float(s)) {
            char again[40];
            r1_strlcpy(again, s, sizeof(again));
            py_float_repr(strtod(again, NULL), again, s, sizeof(s));
            legacy_strip(s);
        } else if (strcmp(s, "-0") == 0) {
            strcpy(s, "0");
        }
    }
    sb_puts(b, s);
}

/* ---- strings -------------------------------------------------------------------------- */

/* Python's encode_basestring (ensure_ascii=False): only '"', '\\' and C0 controls are
 * escaped; '/', DEL and all non-ASCII go out raw. */
static void put_string(struct sbuf *b, const char *s, size_t n)
{
    sb_reserve(b, n + 2);
    sb_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"':
            sb_put(b, "\\\"", 2);
            break;
        case '\\':
            sb_put(b, "\\\\", 2);
            break;
        case '\n':
            sb_put(b, "\\n", 2);
            break;
        case '\r':
            sb_put(b, "\\r", 2);
            break;
        case '\t':
            sb_put(b, "\\t", 2);
            break;
        case '\b':
            sb_put(b, "\\b", 2);
            break;
        case '\f':
            sb_put(b, "\\f", 2);
            break;
        default:
            if (c < 0x20) {
                char esc[8];
                snprintf(esc, sizeof(esc), "\\u%04x", c);
                sb_put(b, esc, 6);
            } else {
                sb_putc(b, (char)c);
            }
        }
    }
    sb_putc(b, '"');
}

/* ---- serialiser ----------------------------------------------------------------------- */

static bool dropped(const char *key, size_t key_len, const char *const *drop)
{
    for (; drop && *drop; drop++)
        if (strlen(*drop) == key_len && memcmp(*drop, key, key_len) == 0)
            return true;
    return false;
}

static void put_value(struct sbuf *b, const struct cj_value *v, enum canon_float mode,
                      const char *const *drop)
{
    switch (v->type) {
    case CJ_NULL:
        sb_puts(b, "null");
        break;
    case CJ_FALSE:
        sb_puts(b, "false");
        break;
    case CJ_TRUE:
        sb_puts(b, "true");
        break;
    case CJ_NUMBER:
        put_number(b, v, mode);
        break;
    case CJ_STRING:
        put_string(b, v->str, v->len);
        break;
    case CJ_ARRAY:
        sb_putc(b, '[');
        for (size_t i = 0; i < v->n; i++) {
            if (i > 0)
                sb_putc(b, ',');
            put_value(b, v->items[i], mode, NULL);
        }
        sb_putc(b, ']');
        break;
    case CJ_OBJECT: {
        sb_putc(b, '{');
        bool first = true;
        for (size_t i = 0; i < v->n; i++) { /* members are kept sorted */
            const struct cj_member *m = &v->members[i];
            if (dropped(m->key, m->key_len, drop))
                continue;
            if (!first)
                sb_putc(b, ',');
            first = false;
            put_string(b, m->key, m->key_len);
            sb_putc(b, ':');
            put_value(b, m->value, mode, NULL);
        }
        sb_putc(b, '}');
        break;
    }
    }
}

char *canon_serialize(const struct cj_value *v, enum canon_float mode,
                      const char *const *drop_keys_top_level, size_t *out_len)
{
    struct sbuf b = {0};
    struct c_numeric cn;
    sb_reserve(&b, 256);
    c_numeric_enter(&cn);
    put_value(&b, v, mode, drop_keys_top_level);
    c_numeric_leave(&cn);
    if (out_len)
        *out_len = b.len;
    return b.buf;
}

bool canon_is_ambiguous(const struct cj_value *v, char *why, size_t why_size)
{
    if (!v)
        return false;
    if (v->type == CJ_ARRAY) {
        for (size_t i = 0; i < v->n; i++)
            if (canon_is_ambiguous(v->items[i], why, why_size))
                return true;
    } else if (v->type == CJ_OBJECT) {
        char key[64];
        if (v->dup_key) {
            r1_sanitize(key, sizeof(key), v->dup_key);
            snprintf(why, why_size, "duplicate key '%s'", key);
            return true;
        }
        for (size_t i = 0; i < v->n; i++) {
            if (memchr(v->members[i].key, '\0', v->members[i].key_len)) {
                r1_sanitize(key, sizeof(key), v->members[i].key);
                snprintf(why, why_size, "key '%s' holds a NUL byte", key);
                return true;
            }
            if (canon_is_ambiguous(v->members[i].value, why, why_size))
                return true;
        }
    }
    return false;
}

/* ---- parser --------------------------------------------------------------------------- */

struct parser {
    const char *start, *p, *end;
    int depth;
    size_t n_values;
    char *err;
    bool failed;
};

static struct cj_value *fail(struct parser *ps, const char *what)
{
    if (!ps->failed) {
        ps->failed = true;
        r1_err(ps->err, "JSON: %s at byte %zu", what, (size_t)(ps->p - ps->start));
    }
    return NULL;
}

static void skip_ws(struct parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int hex4(const char *p, const char *end, unsigned *out)
{
    if (end - p < 4)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return -1;
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

static void put_utf8(struct sbuf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | cp >> 18);
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sb_put(b, u, n);
}

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates,
 * nothing past U+10FFFF), 0 if it is not one. */
static size_t utf8_seq_len(const unsigned char *p, const unsigned char *end)
{
    unsigned char c = p[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

/* At the opening quote. Decodes into *out / *out_len (xmalloc'd). */
static int parse_string(struct parser *ps, char **out, size_t *out_len)
{
    struct sbuf b = {0};
    sb_reserve(&b, 16);
    ps->p++;
    for (;;) {
        if (ps->p >= ps->end) {
            free(b.buf);
            fail(ps, "unterminated string");
            return -1;
        }
        unsigned char c = (unsigned char)*ps->p;
        if (c == '"') {
            ps->p++;
            break;
        }
        if (c < 0x20) {
            free(b.buf);
            fail(ps, "control character in string");
            return -1;
        }
        if (c == '\\') {
            if (ps->end - ps->p < 2) {
                free(b.buf);
                fail(ps, "unterminated string");
                return -1;
            }
            char e = ps->p[1];
            const char *simple = strchr("\"\\/bfnrt", e);
            if (e != '\0' && simple) {
                static const char decoded[] = "\"\\/\b\f\n\r\t";
                sb_putc(&b, decoded[simple - "\"\\/bfnrt"]);
                ps->p += 2;
                continue;
            }
            if (e != 'u') {
                free(b.buf);
                fail(ps, "invalid escape in string");
                return -1;
            }
            unsigned cp;
            if (hex4(ps->p + 2, ps->end, &cp) != 0) {
                free(b.buf);
                fail(ps, "invalid \\u escape");
                return -1;
            }
            ps->p += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' ||
                    hex4(ps->p + 2, ps->end, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF) {
                    free(b.buf);
                    /* Python would load it, but cannot encode it to UTF-8 to hash it */
                    fail(ps, "lone surrogate in \\u escape");
                    return -1;
                }
                ps->p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                free(b.buf);
                fail(ps, "lone surrogate in \\u escape");
                return -1;
            }
            put_utf8(&b, cp);
            continue;
        }
        if (c < 0x80) {
            sb_putc(&b, (char)c);
            ps->p++;
            continue;
        }
        size_t n = utf8_seq_len((const unsigned char *)ps->p, (const unsigned char *)ps->end);
        if (n == 0) {
            free(b.buf);
            fail(ps, "invalid UTF-8 in string");
            return -1;
        }
        sb_put(&b, ps->p, n);
        ps->p += n;
    }
    *out = b.buf;
    *out_len = b.len;
    return 0;
}

static struct cj_value *parse_value(struct parser *ps);

static bool literal(struct parser *ps, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return false;
    ps->p += n;
    return true;
}

struct pending_member {
    struct cj_member m;
    size_t order;
};

static int pending_cmp(const void *a, const void *b)
{
    const struct pending_member *x = a, *y = b;
    int c = key_cmp(x->m.key, x->m.key_len, y->m.key, y->m.key_len);
    if (c != 0)
        return c;
    return (x->order > y->order) - (x->order < y->order);
}

static struct cj_value *parse_object(struct parser *ps)
{
    struct pending_member *pm = NULL;
    size_t n = 0, cap = 0;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        return canon_new(CJ_OBJECT);
    }
    for (;;) {
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != '"') {
            fail(ps, "expected a string key");
            goto error;
        }
        char *key;
        size_t key_len;
        if (parse_string(ps, &key, &key_len) != 0)
            goto error;
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':') {
            free(key);
            fail(ps, "expected ':'");
            goto error;
        }
        ps->p++;
        struct cj_value *val = parse_value(ps);
        if (!val) {
            free(key);
            goto error;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            pm = xrealloc(pm, cap * sizeof(*pm));
        }
        pm[n].m.key = key;
        pm[n].m.key_len = key_len;
        pm[n].m.value = val;
        pm[n].order = n;
        n++;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == '}') {
            ps->p++;
            break;
        }
        fail(ps, "expected ',' or '}'");
        goto error;
    }
    /* Sort once (stable by input order), then keep the last of equal keys, as a Python
     * dict built by json.loads does. */
    qsort(pm, n, sizeof(*pm), pending_cmp);
    struct cj_value *obj = canon_new(CJ_OBJECT);
    obj->members = xmalloc(n * sizeof(*obj->members));
    obj->cap = n;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n &&
            key_cmp(pm[i].m.key, pm[i].m.key_len, pm[i + 1].m.key, pm[i + 1].m.key_len) == 0) {
            if (!obj->dup_key)
                obj->dup_key = dup_bytes(pm[i].m.key, pm[i].m.key_len);
            free(pm[i].m.key);
            canon_free(pm[i].m.value);
            continue;
        }
        obj->members[obj->n++] = pm[i].m;
    }
    free(pm);
    return obj;
error:
    for (size_t i = 0; i < n; i++) {
        free(pm[i].m.key);
        canon_free(pm[i].m.value);
    }
    free(pm);
    return NULL;
}

static struct cj_value *parse_array(struct parser *ps)
{
    struct cj_value *arr = canon_new(CJ_ARRAY);
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        return arr;
    }
    for (;;) {
        struct cj_value *item = parse_value(ps);
        if (!item) {
            canon_free(arr);
            return NULL;
        }
        canon_array_append(arr, item);
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == ']') {
            ps->p++;
            return arr;
        }
        canon_free(arr);
        return fail(ps, "expected ',' or ']'");
    }
}

static struct cj_value *number_value(struct parser *ps, size_t n)
{
    struct cj_value *v = canon_new(CJ_NUMBER);
    v->str = dup_bytes(ps->p, n);
    v->len = n;
    ps->p += n;
    return v;
}

static struct cj_value *parse_value(struct parser *ps)
{
    skip_ws(ps);
    if (ps->p >= ps->end)
        return fail(ps, "unexpected end of input");
    if (++ps->n_values > CANON_VALUES_MAX)
        return fail(ps, "too many values");
    char c = *ps->p;
    if (c == '{' || c == '[') {
        if (ps->depth >= CANON_DEPTH_MAX)
            return fail(ps, "nesting too deep");
        ps->depth++;
        struct cj_value *v = c == '{' ? parse_object(ps) : parse_array(ps);
        ps->depth--;
        return v;
    }
    if (c == '"') {
        struct cj_value *v = canon_new(CJ_STRING);
        if (parse_string(ps, &v->str, &v->len) != 0) {
            free(v);
            return NULL;
        }
        return v;
    }
    if (literal(ps, "null"))
        return canon_new(CJ_NULL);
    if (literal(ps, "true"))
        return canon_new(CJ_TRUE);
    if (literal(ps, "false"))
        return canon_new(CJ_FALSE);
    /* Python's json.dumps writes these for nan/inf unless allow_nan=False */
    if (c == 'N' && (size_t)(ps->end - ps->p) >= 3 && memcmp(ps->p, "NaN", 3) == 0)
        return number_value(ps, 3);
    if (c == 'I' && (size_t)(ps->end - ps->p) >= 8 && memcmp(ps->p, "Infinity", 8) == 0)
        return number_value(ps, 8);
    if (c == '-' && (size_t)(ps->end - ps->p) >= 9 && memcmp(ps->p, "-Infinity", 9) == 0)
        return number_value(ps, 9);
    size_t n = number_scan(ps->p, ps->end);
    if (n > 0)
        return number_value(ps, n);
    return fail(ps, "unexpected character");
}

struct cj_value *canon_parse(const char *buf, size_t len, char *err)
{
    char scratch[R1_ERR_MAX];
    struct parser ps = {buf, buf, buf + len, 0, 0, err ? err : scratch, false};
    if (len > CANON_INPUT_MAX) {
        r1_err(ps.err, "JSON: %zu bytes is more than the %zu-byte limit", len, CANON_INPUT_MAX);
        return NULL;
    }
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        ps.p += 3;
    struct cj_value *v = parse_value(&ps);
    if (!v)
        return NULL;
    skip_ws(&ps);
    if (ps.p != ps.end) {
        canon_free(v);
        return fail(&ps, "trailing data after the JSON value");
    }
    return v;
}
