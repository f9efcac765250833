/* util: checked allocation, bounded copies, clocks, formatting, parsing of the node's time
 * strings, bounded file reads and the terminal-safety sanitiser (util.h).
 * Owns no state; nothing here touches curses. Called by every module. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- allocation ------------------------------------------------------------------------ */

static void oom(size_t n)
{
    /* The one sanctioned abort (style.md "Errors"): nothing sensible can continue. */
    fprintf(stderr, "r1top: out of memory allocating %zu bytes\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);   /* malloc(0) may return NULL, which is not OOM */
    if (!p)
        oom(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    if (n == 0 || size == 0)
        n = size = 1;
    void *p = calloc(n, size);     /* calloc checks n * size for overflow */
    if (!p)
        oom(size && n > SIZE_MAX / size ? SIZE_MAX : n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

void r1_sb_add(struct r1_sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void r1_sb_str(struct r1_sbuf *b, const char *s)
{
    r1_sb_add(b, s, strlen(s));
}

/* s starts with a letter or digit and holds only those and the characters in extra */
static bool plain_name(const char *s, const char *extra)
{
    static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    if (!s[0] || !strchr(alnum, s[0]))
        return false;
    for (const char *p = s; *p; p++)
        if (!strchr(alnum, *p) && !strchr(extra, *p))
            return false;
    return true;
}

bool r1_container_name_ok(const char *s)
{
    return plain_name(s, "_.-");
}

bool r1_service_name_ok(const char *s)
{
    return plain_name(s, "_.-@:");
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xmalloc(n);
    memcpy(d, s, n);
    return d;
}

/* ---- strings and errors ---------------------------------------------------------------- */

size_t r1_strlcpy(char *dst, const char *src, size_t dst_size)
{
    size_t len = strlen(src);
    if (dst_size) {
        size_t n = len < dst_size - 1 ? len : dst_size - 1;
        memmove(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

int r1_err(char *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, R1_ERR_MAX, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* ---- clocks ---------------------------------------------------------------------------- */

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double r1_now(void)
{
    return clock_s(CLOCK_REALTIME);
}

double r1_mono(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* ---- sanitiser ------------------------------------------------------------------------- */

/* Length of the escape sequence starting at s[0] == ESC, or of the C1 CSI/OSC/DCS... string
 * introduced by code point `c1` (already consumed, `s` points after it). We drop the whole
 * sequence rather than only the ESC byte: "ESC ] 0 ; title BEL" with just the ESC replaced
 * would still print the attacker's payload, and replacing every byte would make the cell
 * unreadable. The sequence becomes a single '?' so the operator sees something was there. */
static size_t esc_string_len(const unsigned char *s)
{
    /* s points at the first byte after the introducer; consume up to BEL, ST (ESC \) or
     * the 8-bit ST (U+009C, "\xc2\x9c"). An unterminated string runs to the end. */
    size_t i = 0;
    while (s[i]) {
        if (s[i] == 0x07)
            return i + 1;
        if (s[i] == 0x1b && s[i + 1] == '\\')
            return i + 2;
        if (s[i] == 0xc2 && s[i + 1] == 0x9c)
            return i + 2;
        i++;
    }
    return i;
}

static size_t csi_len(const unsigned char *s)
{
    /* ECMA-48 CSI: parameter bytes 0x30-0x3F, intermediates 0x20-0x2F, one final 0x40-0x7E.
     * Anything else ends the sequence without being part of it. */
    size_t i = 0;
    while (s[i] >= 0x30 && s[i] <= 0x3f)
        i++;
    while (s[i] >= 0x20 && s[i] <= 0x2f)
        i++;
    if (s[i] >= 0x40 && s[i] <= 0x7e)
        i++;
    return i;
}

/* Bytes consumed by the sequence whose introducer is `intro` (the byte after ESC, or the C1
 * code point minus 0x40), with `s` pointing after the introducer. */
static size_t seq_body_len(unsigned intro, const unsigned char *s)
{
    switch (intro) {
    case '[':
        return csi_len(s);
    case ']': case 'P': case 'X': case '^': case '_':   /* OSC, DCS, SOS, PM, APC */
        return esc_string_len(s);
    default:
        return 0;
    }
}

size_t r1_utf8_decode(const unsigned char *s, unsigned *cp)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        n = 2, min = 0x80, c &= 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3, min = 0x800, c &= 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4, min = 0x10000, c &= 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)   /* also catches the NUL terminator */
            return 0;
        c = (c << 6) | (s[i] & 0x3fu);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

/* Format and invisible code points (D19): Unicode general categories Cf, Zl and Zp, plus the
 * default-ignorable fillers that draw as nothing. Bidi marks and overrides (U+200E/F, U+061C,
 * U+202A..E, U+2066..9) reorder what follows ("Trojan Source", CVE-2021-42574); zero-width
 * and filler characters make two aliases that look the same compare different, or a name look
 * empty; U+2028/9 break lines on some terminals. Variation selectors (U+FE00..F, U+E0100..)
 * are left alone: emoji need them and they cannot reorder or hide text. Sorted, inclusive. */
static const struct {
    unsigned lo, hi;
} invisible_ranges[] = {
    {0x00ad, 0x00ad},   {0x034f, 0x034f},   {0x0600, 0x0605},   {0x061c, 0x061c},
    {0x06dd, 0x06dd},   {0x070f, 0x070f},   {0x0890, 0x0891},   {0x08e2, 0x08e2},
    {0x115f, 0x1160},   {0x17b4, 0x17b5},   {0x180b, 0x180f},   {0x200b, 0x200f},
    {0x2028, 0x202e},   {0x2060, 0x206f},   {0x3164, 0x3164},   {0xfeff, 0xfeff},
    {0xffa0, 0xffa0},   {0xfff0, 0xfffb},   {0x110bd, 0x110bd}, {0x110cd, 0x110cd},
    {0x13430, 0x1343f}, {0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a}, {0xe0000, 0xe00ff},
    {0xe01f0, 0xe0fff},
};

bool r1_cp_unsafe(unsigned cp)
{
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))   /* C0, DEL, C1 */
        return true;
    size_t lo = 0, hi = R1_ARRAY_LEN(invisible_ranges);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp > invisible_ranges[mid].hi)
            lo = mid + 1;
        else if (cp < invisible_ranges[mid].lo)
            hi = mid;
        else
            return true;
    }
    return false;
}

bool r1_text_ok(const char *s, size_t max)
{
    if (!s[0] || strlen(s) >= max)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned cp = 0;
        size_t k = r1_utf8_decode(p, &cp);
        if (k == 0 || r1_cp_unsafe(cp))
            return false;
        p += k;
    }
    return true;
}

void r1_sanitize(char *dst, size_t dst_size, const char *src)
{
    if (!dst || dst_size == 0)
        return;
    const unsigned char *s = (const unsigned char *)(src ? src : "");
    size_t o = 0;
    while (*s) {
        unsigned cp = 0;
        size_t n = r1_utf8_decode(s, &cp);
        const unsigned char *out = s;
        size_t out_n = n;
        if (n == 0) {
            n = 1;                    /* resynchronise on the next byte */
            out = (const unsigned char *)"?", out_n = 1;
        } else if (cp == 0x1b) {
            n = 1;
            if (s[1] >= 0x20 && s[1] <= 0x7e)   /* ESC x: two-byte sequence at least */
                n = 2 + seq_body_len(s[1], s + 2);
            out = (const unsigned char *)"?", out_n = 1;
        } else if (cp >= 0x80 && cp <= 0x9f) {
            /* C1: U+009B is CSI, U+009D OSC, ... on terminals that honour 8-bit controls */
            n += seq_body_len(cp - 0x40, s + n);
            out = (const unsigned char *)"?", out_n = 1;
        } else if (r1_cp_unsafe(cp)) {
            out = (const unsigned char *)"?", out_n = 1;
        }
        if (o + out_n > dst_size - 1)   /* never split a character at the end */
            break;
        memcpy(dst + o, out, out_n);
        o += out_n;
        s += n;
    }
    dst[o] = '\0';
}

void r1_sanitize_lines(char *dst, size_t dst_size, const char *src)
{
    if (!dst || dst_size == 0)
        return;
    char *copy = xstrdup(src ? src : "");
    size_t o = 0;
    dst[0] = '\0';
    for (char *line = copy; line && o < dst_size - 1;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        size_t cr = strlen(line);
        if (cr && line[cr - 1] == '\r')
            line[cr - 1] = '\0';   /* CRLF output: the CR would only show as '?' */
        r1_sanitize(dst + o, dst_size - o, line);
        o += strlen(dst + o);
        if (nl && o < dst_size - 1) {
            dst[o++] = '\n';
            dst[o] = '\0';
        }
        line = nl ? nl + 1 : NULL;
    }
    free(copy);
}

/* ---- URLs ------------------------------------------------------------------------------ */

/* Where a URL's password is: *colon at the ':' that starts it, *at at the '@' that ends it.
 * The authority ends at the first '/', '?' or '#' (RFC 3986 §3.2); only an '@' inside it ends
 * a userinfo, so "https://host/path?mail=a:b@c" has none. */
static bool url_password_span(const char *url, const char **colon, const char **at)
{
    const char *sep = url ? strstr(url, "://") : NULL;
    if (!sep)
        return false;
    const char *auth = sep + 3;
    const char *auth_end = auth + strcspn(auth, "/?#");
    const char *last_at = NULL;
    for (const char *q = auth; q < auth_end; q++)
        if (*q == '@')
            last_at = q;
    const char *c = last_at ? memchr(auth, ':', (size_t)(last_at - auth)) : NULL;
    if (!c)
        return false;
    *colon = c;
    *at = last_at;
    return true;
}

bool r1_url_has_password(const char *url)
{
    const char *colon, *at;
    return url_password_span(url, &colon, &at);
}

void r1_url_redact(char *dst, size_t n, const char *url)
{
    if (!dst || n == 0)
        return;
    const char *colon, *at;
    if (!url_password_span(url, &colon, &at)) {
        r1_strlcpy(dst, url ? url : "", n);
        return;
    }
    snprintf(dst, n, "%.*s:***%s", (int)(colon - url), url, at);
}

/* ---- formatting ------------------------------------------------------------------------ */

void r1_fmt_age(char *dst, size_t dst_size, double age_s)
{
    /* Negative means "never read" (model_meta_age); clock skew is clamped by callers. */
    if (!dst_size)
        return;
    if (isnan(age_s) || age_s < 0) {
        snprintf(dst, dst_size, "n/a");
    } else if (age_s < 60) {
        snprintf(dst, dst_size, "%d s", (int)age_s);
    } else if (age_s < 3600) {
        snprintf(dst, dst_size, "%d min", (int)(age_s / 60));
    } else if (age_s < 86400) {
        snprintf(dst, dst_size, "%d h", (int)(age_s / 3600));
    } else if (age_s < 1e15) {
        snprintf(dst, dst_size, "%lld d", (long long)(age_s / 86400));
    } else {
        snprintf(dst, dst_size, "n/a");
    }
}

void r1_fmt_duration(char *dst, size_t dst_size, double secs)
{
    if (!dst_size)
        return;
    if (isnan(secs) || secs < 0 || secs >= 1e15) {
        snprintf(dst, dst_size, "n/a");
        return;
    }
    long long t = (long long)secs;   /* truncate: an uptime is never shown longer than it is */
    long long d = t / 86400;
    int h = (int)(t / 3600 % 24), m = (int)(t / 60 % 60), sec = (int)(t % 60);
    if (d > 0)
        snprintf(dst, dst_size, "%lldd %02d:%02d:%02d", d, h, m, sec);
    else
        snprintf(dst, dst_size, "%02d:%02d:%02d", h, m, sec);
}

void r1_fmt_bytes(char *dst, size_t dst_size, double bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (!dst_size)
        return;
    if (isnan(bytes) || bytes < 0 || isinf(bytes)) {
        snprintf(dst, dst_size, "n/a");
        return;
    }
    size_t u = 0;
    double v = bytes;
    while (v >= 1024 && u + 1 < R1_ARRAY_LEN(units)) {
        v /= 1024;
        u++;
    }
    if (u == 0) {
        snprintf(dst, dst_size, "%.0f B", v);
    } else if (v < 9.95) {
        snprintf(dst, dst_size, "%.1f %s", v, units[u]);
    } else if (v < 1023.5 || u + 1 == R1_ARRAY_LEN(units)) {
        snprintf(dst, dst_size, "%.0f %s", v, units[u]);
    } else {
        /* 1023.7 MiB would print as "1024 MiB"; say "1.0 GiB" instead */
        snprintf(dst, dst_size, "%.1f %s", v / 1024, units[u + 1]);
    }
}

/* ---- parsing --------------------------------------------------------------------------- */

/* Parse 1..max_digits decimal digits at *p, advancing it. -1 if none or too many. */
static int parse_digits(const char **p, int max_digits, long long *out)
{
    const char *s = *p;
    long long v = 0;
    int n = 0;
    while (*s >= '0' && *s <= '9') {
        if (++n > max_digits)
            return -1;
        v = v * 10 + (*s - '0');
        s++;
    }
    if (n == 0)
        return -1;
    *p = s;
    *out = v;
    return 0;
}

/* Exactly `n` digits. */
static int parse_fixed(const char **p, int n, long long *out)
{
    for (int i = 0; i < n; i++)
        if ((*p)[i] < '0' || (*p)[i] > '9')
            return -1;
    return parse_digits(p, n, out);
}

/* Optional ".fff..." fraction of a second (Python prints 6 digits; accept 1..9). */
static int parse_fraction(const char **p, double *frac)
{
    *frac = 0;
    if (**p != '.')
        return 0;
    (*p)++;
    double scale = 0.1;
    int n = 0;
    while (**p >= '0' && **p <= '9') {
        if (++n > 9)
            return -1;
        *frac += (**p - '0') * scale;
        scale /= 10;
        (*p)++;
    }
    return n ? 0 : -1;
}

int r1_parse_elapsed(const char *s, double *secs)
{
    if (!s || !secs)
        return -1;
    const char *p = s;
    long long days = 0, h, m, sec;
    /* "3 days, 4:05:06" / "1 day, 0:00:01": Python timedelta str(). Peek for " day". */
    const char *q = p;
    long long d;
    if (parse_digits(&q, 9, &d) == 0 && *q == ' ') {
        q++;
        if (strncmp(q, "days, ", 6) == 0)
            q += 6;
        else if (strncmp(q, "day, ", 5) == 0)
            q += 5;
        else
            return -1;
        days = d;
        p = q;
    }
    /* Hours are unbounded in the node's "HH:MM:SS" uptime ("123:04:05"); 12 digits keeps the
     * total well inside a double's exact range. */
    double frac;
    if (parse_digits(&p, 12, &h) < 0 || *p++ != ':')
        return -1;
    if (parse_fixed(&p, 2, &m) < 0 || m > 59 || *p++ != ':')
        return -1;
    if (parse_fixed(&p, 2, &sec) < 0 || sec > 59 || parse_fraction(&p, &frac) < 0)
        return -1;
    if (*p != '\0')
        return -1;
    if (days && h > 23)   /* timedelta normalises hours below 24 once days are present */
        return -1;
    *secs = (double)days * 86400 + (double)h * 3600 + (double)m * 60 + (double)sec + frac;
    return 0;
}

static bool is_leap(long long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* D17: every field in range, or the date is unknown. timegm() would otherwise normalise month
 * 13, day 32 or hour 25 into a real-looking date. Years outside R1_YEAR_MIN..R1_YEAR_MAX are
 * refused too: nothing r1top reads was written before 1971 (Docker writes year 1 for "never
 * started"), and a date centuries ahead is a garbled file, not a clock. */
static int utc_to_unix(long long y, long long mo, long long d, long long h, long long mi,
                       long long sec, double frac, double *t)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < R1_YEAR_MIN || y > R1_YEAR_MAX || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 ||
        mi < 0 || mi > 59 || sec < 0 || sec > 59)
        return -1;
    if (d > mdays[mo - 1] + (mo == 2 && is_leap(y)))
        return -1;
    struct tm tm = {0};
    tm.tm_year = (int)(y - 1900);
    tm.tm_mon = (int)(mo - 1);
    tm.tm_mday = (int)d;
    tm.tm_hour = (int)h;
    tm.tm_min = (int)mi;
    tm.tm_sec = (int)sec;
    time_t tt = timegm(&tm);   /* the node writes UTC; mktime would apply the local zone */
    *t = (double)tt + frac;
    return 0;
}

/* "YYYY-mm-dd?HH:MM:SS[.f]" with sep between date and time; *p is left after it. */
static int parse_date_time(const char **pp, const char *seps, double *t)
{
    const char *p = *pp;
    long long y, mo, d, h, mi, sec;
    double frac;
    if (parse_fixed(&p, 4, &y) < 0 || *p++ != '-' || parse_fixed(&p, 2, &mo) < 0 ||
        *p++ != '-' || parse_fixed(&p, 2, &d) < 0)
        return -1;
    if (*p == '\0' || !strchr(seps, *p))
        return -1;
    p++;
    if (parse_fixed(&p, 2, &h) < 0 || *p++ != ':' || parse_fixed(&p, 2, &mi) < 0 ||
        *p++ != ':' || parse_fixed(&p, 2, &sec) < 0 || parse_fraction(&p, &frac) < 0)
        return -1;
    if (utc_to_unix(y, mo, d, h, mi, sec, frac, t) < 0)
        return -1;
    *pp = p;
    return 0;
}

int r1_parse_utc(const char *s, double *t)
{
    if (!s || !t)
        return -1;
    const char *p = s;
    double v;
    /* the node writes a space; ISO 'T' is harmless */
    if (parse_date_time(&p, " T", &v) < 0 || *p != '\0')
        return -1;
    *t = v;
    return 0;
}

int r1_parse_rfc3339(const char *s, double *t)
{
    if (!s || !t)
        return -1;
    const char *p = s;
    double v;
    if (parse_date_time(&p, "Tt", &v) < 0)
        return -1;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '+' ? 1 : -1;
        long long oh, om;
        /* real zones lie within -12:00..+14:00; hh:mm must at least be a time of day */
        if (parse_fixed(&p, 2, &oh) < 0 || *p++ != ':' || parse_fixed(&p, 2, &om) < 0 ||
            oh > 23 || om > 59)
            return -1;
        v -= sign * (double)(oh * 3600 + om * 60);
    } else {
        return -1;
    }
    if (*p != '\0')
        return -1;
    *t = v;
    return 0;
}

/* ---- files ----------------------------------------------------------------------------- */

int r1_read_file(const char *path, size_t max_bytes, char **out, size_t *len, double *mtime,
                 char *err)
{
    *out = NULL;
    if (len)
        *len = 0;
    /* O_NONBLOCK: a FIFO planted where the status file should be must not hang the one
     * event loop in open(); it is then refused as not a regular file. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return r1_err(err, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        return r1_err(err, "cannot stat %s: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return r1_err(err, "%s is not a regular file", path);
    }
    /* Read up to max_bytes + 1 whatever st_size says: the node rewrites the file while we
     * read it, so the size can change under us; the extra byte detects "too large". */
    size_t cap = (size_t)st.st_size < max_bytes ? (size_t)st.st_size + 1 : max_bytes + 1;
    if (cap < 4096 && cap <= max_bytes)
        cap = max_bytes + 1 < 4096 ? max_bytes + 1 : 4096;
    char *buf = xmalloc(cap + 1);
    size_t n = 0;
    for (;;) {
        if (n == cap) {
            if (cap > max_bytes)
                break;
            size_t ncap = cap * 2 > max_bytes + 1 ? max_bytes + 1 : cap * 2;
            buf = xrealloc(buf, ncap + 1);
            cap = ncap;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            close(fd);
            return r1_err(err, "cannot read %s: %s", path, strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (n > max_bytes) {
        free(buf);
        return r1_err(err, "%s is larger than %zu bytes; not reading it", path, max_bytes);
    }
    buf[n] = '\0';
    *out = buf;
    if (len)
        *len = n;
    if (mtime)
        *mtime = (double)st.st_mtim.tv_sec + (double)st.st_mtim.tv_nsec / 1e9;
    return 0;
}

int r1_hex_nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void r1_url_host(const char *url, char *dst, size_t dst_size)
{
    const char *s = strstr(url, "://");
    s = s ? s + 3 : url;
    size_t len = strcspn(s, "/?#");
    const char *at = memchr(s, '@', len);
    if (at) {
        len -= (size_t)(at + 1 - s);
        s = at + 1;
    }
    snprintf(dst, dst_size, "%.*s", (int)len, s);
}
