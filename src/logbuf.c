/* logbuf: a node's recent log lines (logbuf.h). */
#include "logbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void logbuf_clear(struct r1_logbuf *b)
{
    if (b->ring)
        for (size_t i = 0; i < R1_LOG_LINES_MAX; i++)
            free(b->ring[i]);
    free(b->ring);
    memset(b, 0, sizeof(*b));
}

const char *logbuf_line(const struct r1_logbuf *b, size_t i)
{
    if (i >= b->n)
        return NULL;
    return b->ring[(b->head + i) % R1_LOG_LINES_MAX];
}

static int digits(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

size_t logbuf_parse_ts(const char *t, size_t len, int64_t *s, int32_t *ns)
{
    if (len < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':')
        return 0;
    int y = digits(t, 4), mo = digits(t + 5, 2), d = digits(t + 8, 2);
    int h = digits(t + 11, 2), mi = digits(t + 14, 2), se = digits(t + 17, 2);
    /* before 1970 no log line was written: the seconds would go negative, and so would the
     * `since` the next read sends */
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        se < 0 || se > 60)
        return 0;
    size_t at = 19;
    int32_t frac = 0;
    if (at < len && t[at] == '.') {
        int k = 0;
        for (at++; at < len && t[at] >= '0' && t[at] <= '9'; at++, k++)
            if (k < 9)
                frac = frac * 10 + (t[at] - '0');
        for (; k < 9; k++)
            frac *= 10;
    }
    if (at >= len || t[at] != 'Z')
        return 0;   /* Docker writes UTC; an offset is not what it sends */
    *s = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    *ns = frac;
    return at + 1;
}

static void push_line(struct r1_logbuf *b, const char *line, size_t len)
{
    /* tabs to spaces first: the sanitiser would turn them into '?' */
    char raw[R1_LOG_LINE_MAX], clean[R1_LOG_LINE_MAX];
    size_t o = 0;
    bool cut = false;
    for (size_t i = 0; i < len && !cut; i++) {
        if (line[i] == '\t') {
            do
                raw[o++] = ' ';
            while (o % 8 && o < sizeof(raw) - 8);
        } else if (line[i] != '\r') {
            raw[o++] = line[i];
        }
        cut = o >= sizeof(raw) - 8;
    }
    raw[o] = '\0';
    r1_sanitize(clean, sizeof(clean) - 4, raw);
    if (cut)
        strcat(clean, "\xe2\x80\xa6");   /* … */
    if (!b->ring)
        b->ring = xcalloc(R1_LOG_LINES_MAX, sizeof(char *));
    size_t slot;
    if (b->n < R1_LOG_LINES_MAX) {
        slot = (b->head + b->n) % R1_LOG_LINES_MAX;
        b->n++;
    } else {
        slot = b->head;
        b->head = (b->head + 1) % R1_LOG_LINES_MAX;
        free(b->ring[slot]);
    }
    b->ring[slot] = xstrdup(clean);
    b->total++;
}

void logbuf_add_text(struct r1_logbuf *b, const char *text, size_t len, bool with_ts)
{
    /* compared with what earlier reads held, not with this reply's own lines, which may share
     * a stamp */
    bool had = b->have_last;
    int64_t prev_s = b->last_s;
    int32_t prev_ns = b->last_ns;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        size_t n = (size_t)(stop - p);
        int64_t s;
        int32_t ns;
        if (with_ts && logbuf_parse_ts(p, n, &s, &ns)) {
            if (had && (s < prev_s || (s == prev_s && ns <= prev_ns))) {
                p = nl ? nl + 1 : end;
                continue;   /* already held: `since` repeats the newest line */
            }
            if (!b->have_last || s > b->last_s || (s == b->last_s && ns > b->last_ns)) {
                b->last_s = s;
                b->last_ns = ns;
                b->have_last = true;
            }
            /* shown as "2026-12-02 05:27:57  text": the nanoseconds only told lines apart */
            size_t ts_len = logbuf_parse_ts(p, n, &s, &ns);
            const char *rest = p + ts_len + (ts_len < n && p[ts_len] == ' ');
            char line[R1_LOG_LINE_MAX];
            int k = snprintf(line, sizeof(line), "%.10s %.8s  %.*s", p, p + 11,
                             (int)(stop - rest), rest);
            push_line(b, line, k < 0 ? 0 : (size_t)k < sizeof(line) ? (size_t)k : sizeof(line) - 1);
            p = nl ? nl + 1 : end;
            continue;
        }
        push_line(b, p, n);
        p = nl ? nl + 1 : end;
    }
}

void logbuf_since(const struct r1_logbuf *b, char *dst, size_t n)
{
    if (!b->have_last)
        snprintf(dst, n, "%s", "");
    else
        snprintf(dst, n, "%lld.%09d", (long long)b->last_s, (int)b->last_ns);
}
