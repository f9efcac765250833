/* libFuzzer target for what r1top reads when it manages a node over the Docker Engine API: the
 * exec and logs output framing (docker_stream_demux), the allowed list (allowed_parse), the
 * log ring (logbuf_add_text, logbuf_parse_ts) and an exec's three replies through the action
 * steps (actions_reply).
 *
 * The first byte picks the parser (byte % 5; the corpus uses the ASCII digits):
 *   '0' get_allowed's output          the rest is the text
 *   '1' an exec or logs reply body    the rest is the body
 *   '2' a logs reply, demuxed          the rest, cut in two at its middle: two reads
 *   '3' a Docker timestamp            the rest is the text
 *   '4' an exec's replies             the rest cut at its first two NULs: create, start, inspect
 *
 * Properties checked beyond "no crash, no leak, no UB" (abort() on a violation):
 *   - allowed: at most 4096 entries, n_valid counts the valid ones, a valid entry's address
 *     starts 0xai_, every string is clean for the screen, me_listed says whether one is_me;
 *   - demux: never consumes more than it was given nor outputs more, consumes everything when
 *     final, and a non-final call on a prefix of whole frames consumes exactly those frames;
 *   - logbuf: every line clean and under R1_LOG_LINE_MAX, at most R1_LOG_LINES_MAX held, total
 *     counts every line added, `since` is "" or S.NNNNNNNNN;
 *   - parse_ts: the stamp is inside the text and ends with 'Z', nanoseconds below 10^9;
 *   - exec: the action ends (or asks for its next step) with a clean result, never RUNNING
 *     once it says it is done.
 * Build and run: see tests/fuzz/README.md (make fuzz FUZZ_TARGET=manage). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "allowed.h"
#include "docker_stream.h"
#include "logbuf.h"
#include "manage.h"
#include "model.h"
#include "network.h"
#include "sources/source.h"
#include "util.h"

#include "fuzz_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ORACLE "0xai_Aj1FpPQHISEBelp-tQ8cegwk434Dcl6xaHmuhZQT74if"
#define ME "0xai_A2pPf0lxZSZkGONzLOmhzndncc1VvDBHfF-YLWlsrG9m"

static bool is_oracle(const char *addr, void *ctx)
{
    (void)ctx;
    return strcmp(addr, ORACLE) == 0;
}

static void fuzz_allowed(const char *buf, size_t len)
{
    struct r1_allowed a = {0};
    allowed_parse(buf, len, is_oracle, NULL, ME, &a);
    if (a.n > 4096 || a.n_valid > a.n || !a.me_known)
        abort();
    size_t valid = 0;
    bool me = false;
    for (size_t i = 0; i < a.n; i++) {
        const struct r1_allowed_entry *e = &a.v[i];
        check_clean(e->addr, sizeof(e->addr));
        check_clean(e->alias, sizeof(e->alias));
        check_clean(e->eth, sizeof(e->eth));
        check_clean(e->text, sizeof(e->text));
        if (e->valid) {
            valid++;
            if (strncmp(e->addr, "0xai_", 5) != 0)
                abort();
        } else if (e->is_me || e->oracle) {
            abort();
        }
        me |= e->is_me;
    }
    if (valid != a.n_valid || me != a.me_listed)
        abort();
    allowed_free(&a);
}

static void fuzz_demux(const char *buf, size_t len)
{
    struct r1_sbuf all = {0}, part = {0};
    size_t used = docker_stream_demux(buf, len, true, &all);
    if (used != len || all.len > len || (all.data && all.data[all.len] != '\0'))
        abort();
    used = docker_stream_demux(buf, len, false, &part);
    if (used > len || part.len > len)
        abort();
    /* what a non-final call consumed demuxes to the same bytes on its own */
    if (used && len >= 4 && (unsigned char)buf[0] <= 2) {
        struct r1_sbuf again = {0};
        if (docker_stream_demux(buf, used, false, &again) != used || again.len != part.len ||
            (part.len && memcmp(again.data, part.data, part.len) != 0))
            abort();
        free(again.data);
    }
    free(all.data);
    free(part.data);
}

static void check_logbuf(const struct r1_logbuf *b, uint64_t added_at_least)
{
    if (b->n > R1_LOG_LINES_MAX || b->total < b->n || b->total < added_at_least)
        abort();
    for (size_t i = 0; i < b->n; i++) {
        const char *l = logbuf_line(b, i);
        if (!l)
            abort();
        size_t n = strlen(l);
        if (n >= R1_LOG_LINE_MAX)
            abort();
        check_clean(l, n + 1);
    }
    char since[40];
    logbuf_since(b, since, sizeof(since));
    size_t n = strlen(since);
    if (n && (n < 11 || since[n - 10] != '.' || strspn(since, "0123456789.") != n))
        abort();
}

static void fuzz_logbuf(const char *buf, size_t len)
{
    struct r1_sbuf text = {0};
    docker_stream_demux(buf, len, true, &text);
    const char *t = text.data ? text.data : "";
    size_t half = text.len / 2;
    struct r1_logbuf b = {0};
    logbuf_add_text(&b, t, half, true);
    check_logbuf(&b, 0);
    logbuf_add_text(&b, t + half, text.len - half, true);
    check_logbuf(&b, 0);
    struct r1_logbuf raw = {0};
    logbuf_add_text(&raw, t, text.len, false);
    /* without timestamps every line is kept: one per newline, and the last unended one */
    uint64_t lines = 0;
    for (size_t i = 0; i < text.len; i++)
        lines += t[i] == '\n';
    if (text.len && t[text.len - 1] != '\n')
        lines++;
    if (raw.total != lines)
        abort();
    check_logbuf(&raw, lines);
    logbuf_clear(&b);
    logbuf_clear(&raw);
    free(text.data);
}

static void fuzz_ts(const char *buf, size_t len)
{
    int64_t s = 0;
    int32_t ns = -1;
    size_t n = logbuf_parse_ts(buf, len, &s, &ns);
    if (n > len || (n && (buf[n - 1] != 'Z' || ns < 0 || ns >= 1000000000)))
        abort();
}

static void fuzz_exec(const char *buf, size_t len)
{
    const char *parts[3];
    size_t lens[3];
    const char *p = buf, *end = buf + len;
    for (int i = 0; i < 3; i++) {
        const char *z = i < 2 ? memchr(p, '\0', (size_t)(end - p)) : NULL;
        parts[i] = p;
        lens[i] = z ? (size_t)(z - p) : (size_t)(end - p);
        p = z ? z + 1 : end;
    }
    static const int ids[] = {R1_ACT_ALLOWED, R1_ACT_APPS, R1_ACT_ALLOW};
    static const long codes[] = {201, 200, 200};
    struct r1_fleet f;
    model_fleet_init(&f, network_get(R1_NET_MAINNET));
    struct r1_node *n = model_fleet_add(&f, "n");
    r1_strlcpy(n->docker_socket, "/run/docker.sock", sizeof(n->docker_socket));
    r1_strlcpy(n->container, "edge_node", sizeof(n->container));
    const struct r1_action *a = actions_get(ids[len % 3]);
    struct r1_act_env env = {.net = network_get(R1_NET_MAINNET), .me = ME};
    actions_begin(n, a, a->id == R1_ACT_ALLOW ? ME " x" : "", 1.0);
    bool more = true;
    for (int step = 0; step < 3 && more; step++) {
        struct r1_request req;
        char err[R1_ERR_MAX];
        memset(&req, 0, sizeof(req));
        if (actions_prepare(a, n, &req, err) != 0)
            abort();
        /* the id in the next URL is what the create reply said, hex only */
        if (strstr(req.url, "/exec/") && strspn(req.url + 22, "0123456789abcdef") == 0)
            abort();
        struct r1_act_reply r = {.http_code = codes[step], .body = parts[step], .len = lens[step]};
        more = actions_reply(n, a, &r, &env, 2.0);
        if (!more && n->act.state == R1_ACTST_RUNNING)
            abort();
    }
    if (more)
        abort();   /* an exec has three steps */
    check_clean(n->act.result, sizeof(n->act.result));
    for (const char *l = n->mng->apps; l && *l;) {   /* the apps text: clean line by line */
        size_t k = strcspn(l, "\n");
        char line[R1_LOG_LINE_MAX * 4];
        snprintf(line, sizeof(line), "%.*s", (int)(k < sizeof(line) - 1 ? k : sizeof(line) - 1), l);
        check_clean(line, sizeof(line));
        l += k + (l[k] == '\n');
    }
    model_fleet_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* a copy with a NUL after it, as the poller hands replies over */
    char *buf = malloc(size);
    if (!buf)
        return 0;
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    const char *b = buf;
    size_t len = size - 1;
    switch (data[0] % 5) {
    case 0:
        fuzz_allowed(b, len);
        break;
    case 1:
        fuzz_demux(b, len);
        break;
    case 2:
        fuzz_logbuf(b, len);
        break;
    case 3:
        fuzz_ts(b, len);
        break;
    default:
        fuzz_exec(b, len);
        break;
    }
    free(buf);
    return 0;
}
