/* Unit tests for the manage code: docker_stream.c (the Engine API's multiplexed stream),
 * allowed.c (get_allowed's output, the checks on an address or alias typed), logbuf.c (the
 * ring of log lines, Docker's timestamps, `since`), and actions.c's Docker exec and logs
 * actions driven step by step with fabricated replies, as the poller would hand them over.
 * Expected values are worked out by hand in the comments, never copied from the code's output;
 * the addresses are real (r1s-01 is a mainnet seed oracle: src/network.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "allowed.h"
#include "docker_stream.h"
#include "jsonutil.h"
#include "logbuf.h"
#include "manage.h"
#include "model.h"
#include "network.h"
#include "sources/source.h"
#include "util.h"

#define ORACLE "0xai_Aj1FpPQHISEBelp-tQ8cegwk434Dcl6xaHmuhZQT74if" /* r1s-01 */
#define ORACLE_ETH "0x2539fDD57f93b267E58d5f2E6F77063C0230F6F4"
#define OWNER "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty"
#define NEWADDR "0xai_A2pPf0lxZSZkGONzLOmhzndncc1VvDBHfF-YLWlsrG9m"
#define OTHER "0xai_A8GIwv9qUBSawjfosRllzI7WaqqFGsHZ1BbZMeLsiYfB"
#define EXEC_ID "5f1c0de2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e"

/* No byte may be ESC, another C0 control or DEL. */
static void assert_no_controls(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        assert_true(*p >= 0x20);
        assert_true(*p != 0x7f);
    }
}

/* One frame of the stream into dst: stream, three zero bytes, big-endian length, payload. */
static size_t put_frame(char *dst, int stream, const char *data, size_t n)
{
    unsigned char *h = (unsigned char *)dst;
    h[0] = (unsigned char)stream;
    h[1] = h[2] = h[3] = 0;
    h[4] = (unsigned char)(n >> 24);
    h[5] = (unsigned char)(n >> 16);
    h[6] = (unsigned char)(n >> 8);
    h[7] = (unsigned char)n;
    memcpy(dst + 8, data, n);
    return 8 + n;
}

/* ---- docker_stream_demux ------------------------------------------------------------------ */

static void test_demux_whole_frames_stdout_and_stderr(void **state)
{
    (void)state;
    char buf[256];
    size_t len = put_frame(buf, 1, "hello\n", 6);
    len += put_frame(buf + len, 2, "oops\n", 5); /* stderr, interleaved as it came */
    len += put_frame(buf + len, 1, "bye\n", 4);
    struct r1_sbuf out = {0};
    assert_int_equal(docker_stream_demux(buf, len, false, &out), len);
    assert_string_equal(out.data, "hello\noops\nbye\n");
    assert_int_equal(out.len, 15);
    free(out.data);
}

static void test_demux_partial_frame_kept_then_completed(void **state)
{
    (void)state;
    char buf[256];
    size_t first = put_frame(buf, 1, "one\n", 4);                   /* 12 bytes */
    size_t len = first + put_frame(buf + first, 1, "two two\n", 8); /* +16 */
    struct r1_sbuf out = {0};
    /* the second frame's header and 3 of its 8 payload bytes: only the first is consumed */
    assert_int_equal(docker_stream_demux(buf, first + 11, false, &out), first);
    assert_string_equal(out.data, "one\n");
    /* half a header (5 bytes) is also left for later */
    assert_int_equal(docker_stream_demux(buf + first, 5, false, &out), 0);
    assert_string_equal(out.data, "one\n");
    /* the rest arrives: the caller hands the unconsumed bytes again */
    assert_int_equal(docker_stream_demux(buf + first, len - first, false, &out), len - first);
    assert_string_equal(out.data, "one\ntwo two\n");
    free(out.data);
}

static void test_demux_partial_frame_dropped_when_final(void **state)
{
    (void)state;
    char buf[256];
    size_t first = put_frame(buf, 1, "kept\n", 5);
    put_frame(buf + first, 2, "cut short\n", 10);
    struct r1_sbuf out = {0};
    /* the whole reply ended inside the second frame: it is dropped, everything is consumed */
    assert_int_equal(docker_stream_demux(buf, first + 8 + 4, true, &out), first + 12);
    assert_string_equal(out.data, "kept\n");
    /* a frame that claims 4 GiB: never read past the buffer */
    char big[16] = {1, 0, 0, 0, (char)0xff, (char)0xff, (char)0xff, (char)0xff, 'a', 'b'};
    struct r1_sbuf out2 = {0};
    assert_int_equal(docker_stream_demux(big, 10, true, &out2), 10);
    assert_null(out2.data);
    free(out.data);
}

static void test_demux_raw_tty_text(void **state)
{
    (void)state;
    struct r1_sbuf out = {0};
    const char *text = "CONTAINER ID   IMAGE\n3f2a9c1b7d4e   ratio1/car-llm\n";
    assert_int_equal(docker_stream_demux(text, strlen(text), true, &out), strlen(text));
    assert_string_equal(out.data, text);
    free(out.data);
    /* a text shorter than a header, at the end of the reply */
    struct r1_sbuf out2 = {0};
    assert_int_equal(docker_stream_demux("ok", 2, true, &out2), 2);
    assert_string_equal(out2.data, "ok");
    free(out2.data);
    /* an empty reply adds nothing */
    struct r1_sbuf out3 = {0};
    assert_int_equal(docker_stream_demux("", 0, true, &out3), 0);
    assert_null(out3.data);
}

static void test_demux_zero_length_and_stdin_frames(void **state)
{
    (void)state;
    char buf[256];
    size_t len = put_frame(buf, 1, "", 0); /* an empty write: skipped */
    len += put_frame(buf + len, 1, "a", 1);
    len += put_frame(buf + len, 2, "", 0);
    len += put_frame(buf + len, 0, "stdin", 5); /* stream 0 is never output */
    len += put_frame(buf + len, 2, "b", 1);
    struct r1_sbuf out = {0};
    assert_int_equal(docker_stream_demux(buf, len, true, &out), len);
    assert_string_equal(out.data, "ab");
    free(out.data);
}

static void test_demux_framing_lost_keeps_the_rest_as_text(void **state)
{
    (void)state;
    char buf[256];
    size_t len = put_frame(buf, 1, "framed\n", 7);
    memcpy(buf + len, "garbage!", 8); /* 'g' is no stream number */
    len += 8;
    struct r1_sbuf out = {0};
    assert_int_equal(docker_stream_demux(buf, len, true, &out), len);
    assert_string_equal(out.data, "framed\ngarbage!");
    free(out.data);
}

/* ---- allowed_parse ------------------------------------------------------------------------- */

static int oracle_calls;
static bool is_oracle(const char *addr, void *ctx)
{
    (void)ctx;
    oracle_calls++;
    return strcmp(addr, ORACLE) == 0;
}

static void test_allowed_parse_real_line_formats(void **state)
{
    (void)state;
    /* add_allowed's two spaces, normalised with the ETH address; update_allowed_batch's one
     * space; no alias; no alias but an ETH address, with CRLF; a comment; a blank line; a line
     * the node marked INVALID; a first word that is no address */
    const char *text = ORACLE "  r1s-01 # " ORACLE_ETH "\n" OWNER " owner-laptop\n" NEWADDR
                              "\n" OTHER " # 0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69\r\n"
                              "# edited by hand on 2026-11-30\n"
                              "\n"
                              "   \t\n"
                              "# 0xai_bad  old-box # INVALID: Invalid address format\n"
                              "somebody  friend\n";
    struct r1_allowed a = {0};
    oracle_calls = 0;
    allowed_parse(text, strlen(text), is_oracle, NULL, NEWADDR, &a);
    assert_int_equal(a.n, 6);
    assert_int_equal(a.n_valid, 4);
    assert_int_equal(oracle_calls, 4); /* asked for the valid entries only */

    assert_true(a.v[0].valid);
    assert_string_equal(a.v[0].addr, ORACLE);
    assert_string_equal(a.v[0].alias, "r1s-01");
    assert_string_equal(a.v[0].eth, ORACLE_ETH);
    assert_true(a.v[0].oracle);
    assert_false(a.v[0].is_me);

    assert_string_equal(a.v[1].addr, OWNER);
    assert_string_equal(a.v[1].alias, "owner-laptop");
    assert_string_equal(a.v[1].eth, "");
    assert_false(a.v[1].oracle);

    assert_string_equal(a.v[2].addr, NEWADDR);
    assert_string_equal(a.v[2].alias, "");
    assert_true(a.v[2].is_me);

    assert_string_equal(a.v[3].addr, OTHER);
    assert_string_equal(a.v[3].alias, "");
    assert_string_equal(a.v[3].eth, "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69"); /* no \r */

    assert_false(a.v[4].valid);
    assert_string_equal(a.v[4].addr, "");
    assert_string_equal(a.v[4].text, "0xai_bad  old-box: Invalid address format");

    assert_false(a.v[5].valid);
    assert_string_equal(a.v[5].addr, "");
    assert_non_null(strstr(a.v[5].text, "somebody  friend"));
    assert_non_null(strstr(a.v[5].text, "not a node address"));

    assert_true(a.me_known);
    assert_true(a.me_listed);

    /* parsed again (the list re-read): emptied first; no identity, no oracle callback */
    allowed_parse(text, strlen(text), NULL, NULL, NULL, &a);
    assert_int_equal(a.n, 6);
    assert_int_equal(a.n_valid, 4);
    assert_false(a.v[0].oracle);
    assert_false(a.v[2].is_me);
    assert_false(a.me_known);
    assert_false(a.me_listed);
    /* an identity not in the list */
    allowed_parse(text, strlen(text), NULL, NULL,
                  "0xai_A74xZKZJa4LekjvJ6oJz29qxOOs5nLClXAZEhYv59t3Z", &a);
    assert_true(a.me_known);
    assert_false(a.me_listed);
    allowed_free(&a);
    assert_null(a.v);
    assert_int_equal(a.n, 0);
}

static void test_allowed_parse_hostile_and_odd_lines(void **state)
{
    (void)state;
    char text[1024];
    /* an alias holding an escape sequence; a 200-character word starting 0xai_; an address
     * that is no curve point; a last line without a newline */
    char longword[201];
    memset(longword, 'A', 200);
    longword[200] = '\0';
    memcpy(longword, "0xai_", 5);
    snprintf(text, sizeof(text),
             OWNER "  ev\x1b[2Jil # 0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69\n"
                   "%s alias\n"
                   "0xai_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n" NEWADDR "  last",
             longword);
    struct r1_allowed a = {0};
    allowed_parse(text, strlen(text), NULL, NULL, NULL, &a);
    assert_int_equal(a.n, 4);
    assert_int_equal(a.n_valid, 2);
    assert_true(a.v[0].valid);
    assert_no_controls(a.v[0].alias);
    assert_non_null(strstr(a.v[0].alias, "ev"));
    assert_false(a.v[1].valid);
    assert_no_controls(a.v[1].text);
    assert_false(a.v[2].valid);
    assert_true(a.v[3].valid);
    assert_string_equal(a.v[3].alias, "last");
    allowed_free(&a);
}

static void test_allowed_parse_invalid_mark_without_original(void **state)
{
    (void)state;
    /* the mark at the line's start: once read a byte before the line and up to 120 past it
     * (heap-buffer-overflow under ASan); a mark with no reason; a mark inside a comment */
    const char *lines[] = {"# INVALID: bad", "#  # INVALID: empty line",
                           "# x # INVALID:", "# note: # INVALID: is how the node marks a line"};
    const char *want[] = {": bad", ": empty line", NULL, "note:: is how the node marks a line"};
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        char *text = strdup(lines[i]); /* exactly its bytes: ASan sees a read outside */
        assert_non_null(text);
        struct r1_allowed a = {0};
        allowed_parse(text, strlen(text), NULL, NULL, NULL, &a);
        if (want[i]) {
            assert_int_equal(a.n, 1);
            assert_false(a.v[0].valid);
            assert_string_equal(a.v[0].text, want[i]);
        } else {
            assert_int_equal(a.n, 0); /* nothing after the mark: a comment */
        }
        allowed_free(&a);
        free(text);
    }
}

static void test_allowed_parse_caps_entries(void **state)
{
    (void)state;
    /* 5000 lines: at most 4096 entries are kept (allowed.h) */
    size_t line_len = strlen(NEWADDR "  x\n");
    char *text = malloc(5000 * line_len + 1);
    assert_non_null(text);
    for (int i = 0; i < 5000; i++)
        memcpy(text + (size_t)i * line_len, NEWADDR "  x\n", line_len);
    text[5000 * line_len] = '\0';
    struct r1_allowed a = {0};
    allowed_parse(text, 5000 * line_len, NULL, NULL, NULL, &a);
    assert_int_equal(a.n, 4096);
    assert_int_equal(a.n_valid, 4096);
    allowed_free(&a);
    free(text);
}

static void test_allowed_check_address(void **state)
{
    (void)state;
    char err[R1_ERR_MAX];
    assert_int_equal(allowed_check_address(NEWADDR, err), 0);
    assert_int_equal(allowed_check_address(ORACLE, err), 0);
    assert_int_equal(allowed_check_address(ORACLE_ETH, err), -1);
    assert_non_null(strstr(err, "must start with 0xai_"));
    assert_int_equal(allowed_check_address("0xai_nope", err), -1);
    assert_non_null(strstr(err, "not a valid node address"));
    assert_int_equal(allowed_check_address("", err), -1);
    /* 44 characters of base64 but a prefix byte of 0: no public key */
    assert_int_equal(
        allowed_check_address("0xai_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", err), -1);
    /* one character short, one too many */
    assert_int_equal(allowed_check_address("0xai_A2pPf0lxZSZkGONzLOmhzndncc1VvDBHfF-YLWlsrG9", err),
                     -1);
    assert_int_equal(allowed_check_address(NEWADDR "m", err), -1);
    /* a shell word glued on */
    assert_int_equal(allowed_check_address(NEWADDR ";", err), -1);
}

static void test_allowed_check_alias(void **state)
{
    (void)state;
    char err[R1_ERR_MAX];
    assert_int_equal(allowed_check_alias("gpu-box_7.a", err), 0);
    assert_int_equal(allowed_check_alias("fifteen-chars-x", err), 0);   /* 15 */
    assert_int_equal(allowed_check_alias("sixteen-chars-xy", err), -1); /* 16 */
    assert_non_null(strstr(err, "at most 15"));
    assert_int_equal(allowed_check_alias("", err), -1);
    assert_non_null(strstr(err, "empty"));
    assert_int_equal(allowed_check_alias("a b", err), -1);
    assert_int_equal(allowed_check_alias("a;reboot", err), -1);
    assert_int_equal(allowed_check_alias("$(id)", err), -1);
    assert_int_equal(allowed_check_alias("caf\xc3\xa9", err), -1);
    assert_int_equal(allowed_check_alias("#", err), -1);
}

/* ---- logbuf ------------------------------------------------------------------------------- */

static void test_logbuf_ring_keeps_the_newest(void **state)
{
    (void)state;
    struct r1_logbuf b = {0};
    assert_null(logbuf_line(&b, 0));
    char line[32];
    for (int i = 0; i < R1_LOG_LINES_MAX + 3; i++) {
        int k = snprintf(line, sizeof(line), "line %d\n", i);
        logbuf_add_text(&b, line, (size_t)k, false);
    }
    assert_int_equal(b.n, R1_LOG_LINES_MAX);
    assert_int_equal(b.total, R1_LOG_LINES_MAX + 3);
    assert_string_equal(logbuf_line(&b, 0), "line 3"); /* 0, 1, 2 dropped */
    assert_string_equal(logbuf_line(&b, R1_LOG_LINES_MAX - 1), "line 5002");
    assert_null(logbuf_line(&b, R1_LOG_LINES_MAX));
    logbuf_clear(&b);
    assert_int_equal(b.n, 0);
    assert_null(b.ring);
}

static void test_logbuf_dedupe_across_adds(void **state)
{
    (void)state;
    struct r1_logbuf b = {0};
    char since[40];
    logbuf_since(&b, since, sizeof(since));
    assert_string_equal(since, "");
    const char *r1 = "2026-12-02T05:18:01.000000001Z a\n"
                     "2026-12-02T05:18:02.000000000Z b\n";
    logbuf_add_text(&b, r1, strlen(r1), true);
    assert_int_equal(b.n, 2);
    assert_string_equal(logbuf_line(&b, 0), "2026-12-02 05:18:01  a");
    assert_string_equal(logbuf_line(&b, 1), "2026-12-02 05:18:02  b");
    /* 2026-12-02T05:18:02Z is 1796188682 s (1796188683 at :03, worked out with timegm) */
    logbuf_since(&b, since, sizeof(since));
    assert_string_equal(since, "1796188682.000000000");
    /* the next read asks since that line: Docker repeats it (inclusive), and may send an older
     * one; both are skipped, the new ones kept, a last line without its newline too */
    const char *r2 = "2026-12-02T05:18:01.5Z older\n"
                     "2026-12-02T05:18:02.000000000Z b\n"
                     "2026-12-02T05:18:03.5Z c\n"
                     "2026-12-02T05:18:03.500000001Z d";
    logbuf_add_text(&b, r2, strlen(r2), true);
    assert_int_equal(b.n, 4);
    assert_int_equal(b.total, 4);
    assert_string_equal(logbuf_line(&b, 2), "2026-12-02 05:18:03  c");
    assert_string_equal(logbuf_line(&b, 3), "2026-12-02 05:18:03  d");
    logbuf_since(&b, since, sizeof(since));
    assert_string_equal(since, "1796188683.500000001");
    /* the same reply again: nothing new */
    logbuf_add_text(&b, r2, strlen(r2), true);
    assert_int_equal(b.total, 4);
    logbuf_clear(&b);
}

static void test_logbuf_same_stamp_within_one_add_is_kept(void **state)
{
    (void)state;
    struct r1_logbuf b = {0};
    /* two lines of one reply with one stamp are two lines; in a later reply that stamp is
     * "already held" */
    const char *r1 = "2026-12-02T05:18:02Z x\n2026-12-02T05:18:02Z y\n";
    logbuf_add_text(&b, r1, strlen(r1), true);
    assert_int_equal(b.n, 2);
    assert_string_equal(logbuf_line(&b, 1), "2026-12-02 05:18:02  y");
    const char *r2 = "2026-12-02T05:18:02Z y\n2026-12-02T05:18:02.000000001Z z\n";
    logbuf_add_text(&b, r2, strlen(r2), true);
    assert_int_equal(b.n, 3);
    assert_string_equal(logbuf_line(&b, 2), "2026-12-02 05:18:02  z");
    /* without timestamps nothing is deduplicated */
    logbuf_add_text(&b, "same\nsame\n", 10, false);
    assert_int_equal(b.n, 5);
    logbuf_clear(&b);
}

static void test_logbuf_text_is_made_safe(void **state)
{
    (void)state;
    struct r1_logbuf b = {0};
    /* a tab goes to the next multiple of 8; CR is dropped */
    logbuf_add_text(&b, "a\tb\r\n", 5, false);
    assert_string_equal(logbuf_line(&b, 0), "a       b");
    /* escape sequences and controls never reach the terminal */
    const char *evil = "2026-12-02T05:18:04Z x\x1b]0;pwned\x07y\x1b[2Jz\x08\n";
    logbuf_add_text(&b, evil, strlen(evil), true);
    assert_no_controls(logbuf_line(&b, 1));
    assert_non_null(strstr(logbuf_line(&b, 1), "2026-12-02 05:18:04  x"));
    assert_null(strstr(logbuf_line(&b, 1), "pwned"));
    /* a stamp-less line in a stamped reply is kept as it is */
    logbuf_add_text(&b, "no stamp here\n", 14, true);
    assert_string_equal(logbuf_line(&b, 2), "no stamp here");
    /* a long line is cut, and says so with "…" */
    char *lng = malloc(3001);
    assert_non_null(lng);
    memset(lng, 'x', 3000);
    lng[3000] = '\0';
    logbuf_add_text(&b, lng, 3000, false);
    const char *l = logbuf_line(&b, 3);
    size_t n = strlen(l);
    assert_true(n < R1_LOG_LINE_MAX);
    assert_true(n > 900);
    assert_memory_equal(l + n - 3, "\xe2\x80\xa6", 3);
    assert_int_equal(strspn(l, "x"), n - 3);
    /* a long line full of tabs is cut too, inside the buffer */
    memset(lng, '\t', 3000);
    logbuf_add_text(&b, lng, 3000, false);
    l = logbuf_line(&b, 4);
    assert_true(strlen(l) < R1_LOG_LINE_MAX);
    assert_memory_equal(l + strlen(l) - 3, "\xe2\x80\xa6", 3);
    free(lng);
    logbuf_clear(&b);
}

static void test_logbuf_parse_ts_edges(void **state)
{
    (void)state;
    int64_t s = 0;
    int32_t ns = 0;
    const char *t = "2026-12-02T05:18:03Z rest";
    assert_int_equal(logbuf_parse_ts(t, strlen(t), &s, &ns), 20);
    assert_int_equal(s, 1796188683);
    assert_int_equal(ns, 0);
    t = "2026-12-02T05:18:03.5Z";
    assert_int_equal(logbuf_parse_ts(t, strlen(t), &s, &ns), 22);
    assert_int_equal(ns, 500000000);
    /* more than nine fraction digits: the first nine count */
    t = "2026-12-02T05:18:03.1234567891Z x";
    assert_int_equal(logbuf_parse_ts(t, strlen(t), &s, &ns), 31);
    assert_int_equal(ns, 123456789);
    /* the epoch, a leap second, the end of a leap year */
    t = "1970-01-01T00:00:00Z";
    assert_int_equal(logbuf_parse_ts(t, strlen(t), &s, &ns), 20);
    assert_int_equal(s, 0);
    t = "2024-12-31T23:59:60Z";
    assert_int_equal(logbuf_parse_ts(t, strlen(t), &s, &ns), 20);
    assert_int_equal(s, 1735689600); /* = 2025-01-01T00:00:00Z */
    /* not stamps: an offset, no zone, a month 13, an hour 24, too short, letters, cut short */
    const char *bad[] = {"2026-12-02T05:18:03+01:00", "2026-12-02T05:18:03", "2026-13-02T05:18:03Z",
                         "2026-12-02T24:00:00Z", "2026-12-02", "2026-1a-02T05:18:03Z",
                         "2026-12-02 05:18:03Z", "2026-12-02T05:18:03.", "",
                         /* before 1970 (Go's zero time): seconds and `since` would go negative */
                         "0001-01-01T00:00:00Z", "1969-12-31T23:59:59Z"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(logbuf_parse_ts(bad[i], strlen(bad[i]), &s, &ns), 0);
    /* len bounds the read: a stamp cut by len is none */
    t = "2026-12-02T05:18:03Z";
    assert_int_equal(logbuf_parse_ts(t, 19, &s, &ns), 0);
}

/* ---- actions: operands and questions -------------------------------------------------------- */

static void test_actions_check_arg(void **state)
{
    (void)state;
    char err[R1_ERR_MAX];
    const struct r1_action *allow = actions_get(R1_ACT_ALLOW);
    const struct r1_action *alias = actions_get(R1_ACT_ALIAS);
    const struct r1_action *allowed = actions_get(R1_ACT_ALLOWED);
    assert_int_equal(actions_check_arg(allow, NEWADDR, err), 0);
    assert_int_equal(actions_check_arg(allow, NEWADDR " newbox", err), 0);
    assert_int_equal(actions_check_arg(allow, "  " NEWADDR "   newbox  ", err), 0);
    assert_int_equal(actions_check_arg(allow, "", err), -1);
    assert_non_null(strstr(err, "ADDRESS"));
    assert_int_equal(actions_check_arg(allow, NULL, err), -1);
    assert_int_equal(actions_check_arg(allow, NEWADDR " a b", err), -1);
    assert_int_equal(actions_check_arg(allow, "0xai_nope newbox", err), -1);
    assert_int_equal(actions_check_arg(allow, NEWADDR " sixteen-chars-xy", err), -1);
    assert_int_equal(actions_check_arg(allow, NEWADDR " a;b", err), -1);
    assert_int_equal(actions_check_arg(alias, "gpu-box-7", err), 0);
    assert_int_equal(actions_check_arg(alias, "", err), -1);
    assert_int_equal(actions_check_arg(alias, "a b", err), -1);
    assert_non_null(strstr(err, "one NEW alias"));
    assert_int_equal(actions_check_arg(alias, "sixteen-chars-xy", err), -1);
    assert_int_equal(actions_check_arg(allowed, "", err), 0);
    assert_int_equal(actions_check_arg(allowed, "x", err), -1);
    assert_non_null(strstr(err, "no operands"));
}

static void test_actions_question_substitutes_node_and_operands(void **state)
{
    (void)state;
    char q[512];
    actions_question(actions_get(R1_ACT_ALLOW), "gpu-1", NEWADDR " newbox", q, sizeof(q));
    assert_non_null(strstr(q, "Allow " NEWADDR " newbox to command gpu-1? "));
    /* a node name with format directives is text, never a format */
    actions_question(actions_get(R1_ACT_ALIAS), "%n%s%a", "new", q, sizeof(q));
    assert_true(strncmp(q, "Rename %n%s%a to 'new'? ", 24) == 0);
    /* no operands: %a is empty */
    actions_question(actions_get(R1_ACT_ALIAS), "gpu-1", NULL, q, sizeof(q));
    assert_true(strncmp(q, "Rename gpu-1 to ''? ", 20) == 0);
    /* an action without a question: its help line */
    actions_question(actions_get(R1_ACT_ALLOWED), "gpu-1", NULL, q, sizeof(q));
    assert_string_equal(q, actions_get(R1_ACT_ALLOWED)->help);
    /* cut to the buffer */
    char small[10];
    actions_question(actions_get(R1_ACT_ALLOW), "gpu-1", NEWADDR, small, sizeof(small));
    assert_string_equal(small, "Allow 0xa");
}

/* ---- actions: the exec and logs steps -------------------------------------------------------- */

struct fixture {
    struct r1_fleet f;
    struct r1_node *n;
};

static int setup_node(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    model_fleet_init(&fx->f, network_get(R1_NET_MAINNET));
    fx->n = model_fleet_add(&fx->f, "gpu-1");
    r1_strlcpy(fx->n->docker_socket, "/run/docker.sock", sizeof(fx->n->docker_socket));
    r1_strlcpy(fx->n->container, "edge_node", sizeof(fx->n->container));
    *state = fx;
    return 0;
}

static int teardown_node(void **state)
{
    struct fixture *fx = *state;
    model_fleet_free(&fx->f);
    free(fx);
    return 0;
}

static struct r1_act_reply reply(long code, const char *body, size_t len)
{
    struct r1_act_reply r = {.http_code = code, .body = body, .len = len};
    return r;
}

static struct r1_act_reply reply_str(long code, const char *body)
{
    return reply(code, body, strlen(body));
}

/* Begin action a with arg, prepare the create and check its request and Cmd (JSON text). */
static void begin_and_create(struct r1_node *n, const struct r1_action *a, const char *arg,
                             const char *want_cmd)
{
    char err[R1_ERR_MAX];
    assert_int_equal(actions_check(a, n, false, true), R1_ACT_OK);
    actions_begin(n, a, arg, 1000.0);
    assert_int_equal(n->act.state, R1_ACTST_RUNNING);
    assert_non_null(n->mng);
    struct r1_request req;
    memset(&req, 0, sizeof(req));
    assert_int_equal(actions_prepare(a, n, &req, err), 0);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.url, "http://localhost/containers/edge_node/exec");
    assert_string_equal(req.unix_socket, "/run/docker.sock");
    assert_string_equal(req.content_type, "application/json");
    char perr[R1_ERR_MAX];
    cJSON *body = json_parse(req.body, strlen(req.body), perr);
    assert_non_null(body);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(body, "AttachStdout")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(body, "AttachStderr")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(body, "Tty")));
    char *cmd = cJSON_PrintUnformatted(cJSON_GetObjectItem(body, "Cmd"));
    assert_string_equal(cmd, want_cmd);
    free(cmd);
    cJSON_Delete(body);
}

/* The create's 201, then the start's request; the inspect's request after the stream. */
static void created_then_started(struct r1_node *n, const struct r1_action *a, const char *stream,
                                 size_t stream_len)
{
    char err[R1_ERR_MAX];
    struct r1_act_reply r = reply_str(201, "{\"Id\":\"" EXEC_ID "\"}\n");
    assert_true(actions_reply(n, a, &r, NULL, 1000.1));
    assert_string_equal(n->mng->run.exec_id, EXEC_ID);
    struct r1_request req;
    memset(&req, 0, sizeof(req));
    assert_int_equal(actions_prepare(a, n, &req, err), 0);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.url, "http://localhost/exec/" EXEC_ID "/start");
    assert_string_equal(req.body, "{\"Detach\":false,\"Tty\":false}");
    r = reply(200, stream, stream_len);
    assert_true(actions_reply(n, a, &r, NULL, 1000.2));
    memset(&req, 0, sizeof(req));
    assert_int_equal(actions_prepare(a, n, &req, err), 0);
    assert_null(req.method); /* GET */
    assert_string_equal(req.url, "http://localhost/exec/" EXEC_ID "/json");
    assert_int_equal(n->act.state, R1_ACTST_RUNNING);
}

static void test_exec_allowed_steps(void **state)
{
    struct fixture *fx = *state;
    struct r1_node *n = fx->n;
    const struct r1_action *a = actions_get(R1_ACT_ALLOWED);
    begin_and_create(n, a, "", "[\"get_allowed\"]");
    /* get_allowed's output in two stdout frames, cut mid-line */
    char stream[1024];
    const char *p1 = ORACLE "  r1s-01 # " ORACLE_ETH "\n" OWNER " own";
    const char *p2 = "er-laptop\n# 0xai_bad # INVALID: Invalid address format\n" NEWADDR "  me\n";
    size_t len = put_frame(stream, 1, p1, strlen(p1));
    len += put_frame(stream + len, 1, p2, strlen(p2));
    created_then_started(n, a, stream, len);
    assert_non_null(strstr(n->mng->run.out.data, OWNER " owner-laptop\n"));
    struct r1_act_env env = {.net = network_get(R1_NET_MAINNET), .me = NEWADDR};
    struct r1_act_reply r =
        reply_str(200, "{\"ID\":\"" EXEC_ID "\",\"Running\":false,\"ExitCode\":0}");
    assert_false(actions_reply(n, a, &r, &env, 1000.3));
    assert_int_equal(n->act.state, R1_ACTST_OK);
    assert_true(n->act.finished_at == 1000.3);
    assert_string_equal(n->act.result, "allowed: 3 addresses, and invalid lines");
    const struct r1_allowed *al = &n->mng->allowed;
    assert_true(n->mng->allowed_read);
    assert_int_equal(al->n, 4);
    assert_true(al->v[0].oracle); /* r1s-01, known from the network's seed list */
    assert_false(al->v[1].oracle);
    assert_string_equal(al->v[1].alias, "owner-laptop");
    assert_false(al->v[2].valid);
    assert_true(al->v[3].is_me);
    assert_true(al->me_listed);
    assert_true(al->read_at == 1000.3);

    /* read again: the old output is not kept in front of the new one */
    begin_and_create(n, a, "", "[\"get_allowed\"]");
    const char *p3 = NEWADDR "\n";
    len = put_frame(stream, 1, p3, strlen(p3));
    created_then_started(n, a, stream, len);
    assert_string_equal(n->mng->run.out.data, NEWADDR "\n");
    r = reply_str(200, "{\"ExitCode\":0}");
    assert_false(actions_reply(n, a, &r, &env, 1001.0));
    assert_int_equal(n->mng->allowed.n, 1);
    assert_string_equal(n->act.result, "allowed: 1 addresses");
}

static void test_exec_allow_fails_with_the_scripts_last_line(void **state)
{
    struct fixture *fx = *state;
    struct r1_node *n = fx->n;
    const struct r1_action *a = actions_get(R1_ACT_ALLOW);
    begin_and_create(n, a, NEWADDR " newbox", "[\"add_allowed\",\"" NEWADDR "\",\"newbox\"]");
    char stream[512];
    const char *warn = "Warning: something\n";
    const char *e = "Error: Address already exists: " NEWADDR "\r\n";
    size_t len = put_frame(stream, 2, warn, strlen(warn));
    len += put_frame(stream + len, 2, e, strlen(e));
    created_then_started(n, a, stream, len);
    struct r1_act_reply r = reply_str(200, "{\"Running\":false,\"ExitCode\":1}");
    assert_false(actions_reply(n, a, &r, NULL, 1000.3));
    assert_int_equal(n->act.state, R1_ACTST_FAILED);
    assert_string_equal(n->act.result,
                        "allow failed (exit 1): Error: Address already exists: " NEWADDR);

    /* done: the result names what was added */
    begin_and_create(n, a, NEWADDR " newbox", "[\"add_allowed\",\"" NEWADDR "\",\"newbox\"]");
    len = put_frame(stream, 1, "{}\n", 3);
    created_then_started(n, a, stream, len);
    r = reply_str(200, "{\"ExitCode\":0}");
    assert_false(actions_reply(n, a, &r, NULL, 1000.4));
    assert_int_equal(n->act.state, R1_ACTST_OK);
    assert_string_equal(n->act.result, "allow: added " NEWADDR " newbox");

    /* a hostile last line: no escape sequence in the result */
    begin_and_create(n, a, NEWADDR, "[\"add_allowed\",\"" NEWADDR "\"]");
    const char *h = "Error: \x1b]0;pwned\x07 \x1b[2Jbad\n";
    len = put_frame(stream, 2, h, strlen(h));
    created_then_started(n, a, stream, len);
    r = reply_str(200, "{\"ExitCode\":2}");
    assert_false(actions_reply(n, a, &r, NULL, 1000.5));
    assert_int_equal(n->act.state, R1_ACTST_FAILED);
    assert_no_controls(n->act.result);
    assert_non_null(strstr(n->act.result, "allow failed (exit 2): Error: "));
}

static void test_exec_failures(void **state)
{
    struct fixture *fx = *state;
    struct r1_node *n = fx->n;
    const struct r1_action *a = actions_get(R1_ACT_ALLOWED);

    /* 409 at create: Docker's message */
    begin_and_create(n, a, "", "[\"get_allowed\"]");
    struct r1_act_reply r = reply_str(409, "{\"message\":\"Container 4f3c is not running\"}\n");
    assert_false(actions_reply(n, a, &r, NULL, 1000.1));
    assert_int_equal(n->act.state, R1_ACTST_FAILED);
    assert_string_equal(n->act.result, "allowed failed: HTTP 409: Container 4f3c is not running");
    assert_true(n->act.finished_at == 1000.1);

    /* 404 at create */
    begin_and_create(n, a, "", "[\"get_allowed\"]");
    r = reply_str(404, "{\"message\":\"No such container: edge_node\"}");
    assert_false(actions_reply(n, a, &r, NULL, 1000.1));
    assert_string_equal(n->act.result, "allowed failed: HTTP 404: No such container: edge_node");

    /* a 201 whose Id is not hex (it would go into the next URL), or is missing */
    const char *bad_ids[] = {"{\"Id\":\"../../containers/x/stop?\"}", "{\"Id\":\"\"}", "{}",
                             "not json", "{\"Id\":\"ABCDEF\"}"};
    for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
        begin_and_create(n, a, "", "[\"get_allowed\"]");
        r = reply_str(201, bad_ids[i]);
        assert_false(actions_reply(n, a, &r, NULL, 1000.1));
        assert_int_equal(n->act.state, R1_ACTST_FAILED);
        assert_string_equal(n->act.result, "allowed failed: Docker's exec reply has no valid Id");
    }

    /* the start never answered: the transport's words */
    begin_and_create(n, a, "", "[\"get_allowed\"]");
    r = reply_str(201, "{\"Id\":\"" EXEC_ID "\"}");
    assert_true(actions_reply(n, a, &r, NULL, 1000.1));
    struct r1_act_reply t = {.error = "no answer within 3 s"};
    assert_false(actions_reply(n, a, &t, NULL, 1003.1));
    assert_int_equal(n->act.state, R1_ACTST_FAILED);
    assert_string_equal(n->act.result, "allowed failed: no answer within 3 s");

    /* an image without the command: the runtime's message on stdout, exit 126 */
    begin_and_create(n, a, "", "[\"get_allowed\"]");
    char stream[512];
    const char *oci = "OCI runtime exec failed: exec failed: unable to start container process: "
                      "exec: \"get_allowed\": executable file not found in $PATH: unknown\r\n";
    size_t len = put_frame(stream, 1, oci, strlen(oci));
    created_then_started(n, a, stream, len);
    r = reply_str(200, "{\"ExitCode\":126}");
    assert_false(actions_reply(n, a, &r, NULL, 1000.3));
    assert_int_equal(n->act.state, R1_ACTST_FAILED);
    assert_true(strncmp(n->act.result, "allowed failed (exit 126): OCI runtime exec failed", 50) ==
                0);
    assert_int_equal(n->mng->allowed_read, false);

    /* an inspect without an exit code (null: it has not run), or with a nonsense one */
    const char *inspects[] = {"{\"Running\":true,\"ExitCode\":null}", "{}", "{\"ExitCode\":1e300}",
                              "{\"ExitCode\":-1e300}"};
    for (size_t i = 0; i < sizeof(inspects) / sizeof(inspects[0]); i++) {
        begin_and_create(n, a, "", "[\"get_allowed\"]");
        len = put_frame(stream, 1, "x\n", 2);
        created_then_started(n, a, stream, len);
        r = reply_str(200, inspects[i]);
        assert_false(actions_reply(n, a, &r, NULL, 1000.3));
        assert_int_equal(n->act.state, R1_ACTST_FAILED);
        assert_string_equal(n->act.result, "allowed failed (exit -1): x");
    }

    /* a container name Docker would not accept: nothing is prepared */
    char err[R1_ERR_MAX];
    struct r1_request req;
    memset(&req, 0, sizeof(req));
    r1_strlcpy(n->container, "edge/../x", sizeof(n->container));
    actions_begin(n, a, "", 1000.0);
    assert_int_equal(actions_prepare(a, n, &req, err), -1);
    assert_non_null(strstr(err, "not a valid Docker name"));
}

static void test_exec_apps_and_alias(void **state)
{
    struct fixture *fx = *state;
    struct r1_node *n = fx->n;
    const struct r1_action *a = actions_get(R1_ACT_APPS);
    begin_and_create(n, a, "", "[\"docker\",\"ps\",\"-a\",\"--filter\",\"name=car_\"]");
    char stream[512];
    const char *ps = "CONTAINER ID   NAMES\n3f2a9c1b7d4e   car_\x1b[31mred\x1b[0m\n";
    size_t len = put_frame(stream, 1, ps, strlen(ps));
    created_then_started(n, a, stream, len);
    struct r1_act_reply r = reply_str(200, "{\"ExitCode\":0}");
    assert_false(actions_reply(n, a, &r, NULL, 1000.3));
    assert_int_equal(n->act.state, R1_ACTST_OK);
    assert_string_equal(n->act.result, "apps: listed");
    assert_non_null(n->mng->apps);
    assert_non_null(strstr(n->mng->apps, "CONTAINER ID   NAMES\n"));
    assert_null(strchr(n->mng->apps, '\x1b'));
    assert_true(n->mng->apps_at == 1000.3);

    a = actions_get(R1_ACT_ALIAS);
    begin_and_create(n, a, "gpu-box-7", "[\"change_alias\",\"gpu-box-7\"]");
    len = put_frame(stream, 1, "ok\n", 3);
    created_then_started(n, a, stream, len);
    r = reply_str(200, "{\"ExitCode\":0}");
    assert_false(actions_reply(n, a, &r, NULL, 1000.3));
    assert_string_equal(n->act.result,
                        "alias: set to gpu-box-7 (the node takes it at its next restart)");
}

static void test_logs_steps_tail_then_since(void **state)
{
    struct fixture *fx = *state;
    struct r1_node *n = fx->n;
    const struct r1_action *a = actions_get(R1_ACT_LOGS);
    char err[R1_ERR_MAX];
    struct r1_request req;
    assert_int_equal(actions_check(a, n, true, false), R1_ACT_OK); /* reads: fine read-only */
    actions_begin(n, a, "5", 1000.0);
    memset(&req, 0, sizeof(req));
    assert_int_equal(actions_prepare(a, n, &req, err), 0);
    assert_null(req.method);
    assert_string_equal(req.url, "http://localhost/containers/edge_node/logs?stdout=1&stderr=1&"
                                 "timestamps=1&tail=5");
    char stream[1024];
    const char *l1 = "2026-12-02T05:18:01.000000001Z one\n";
    const char *l2 = "2026-12-02T05:18:02.250000000Z two (stderr)\n";
    size_t len = put_frame(stream, 1, l1, strlen(l1));
    len += put_frame(stream + len, 2, l2, strlen(l2));
    struct r1_act_reply r = reply(200, stream, len);
    assert_false(actions_reply(n, a, &r, NULL, 1000.1));
    assert_int_equal(n->act.state, R1_ACTST_OK);
    assert_string_equal(n->act.result, "logs: 2 new lines");
    assert_int_equal(n->mng->logs.n, 2);
    assert_string_equal(logbuf_line(&n->mng->logs, 1), "2026-12-02 05:18:02  two (stderr)");

    /* the next read asks since the newest line; Docker repeats it */
    actions_begin(n, a, "5", 1001.0);
    memset(&req, 0, sizeof(req));
    assert_int_equal(actions_prepare(a, n, &req, err), 0);
    assert_string_equal(req.url, "http://localhost/containers/edge_node/logs?stdout=1&stderr=1&"
                                 "timestamps=1&since=1796188682.250000000");
    const char *l3 = "2026-12-02T05:18:03Z three\n";
    len = put_frame(stream, 2, l2, strlen(l2));
    len += put_frame(stream + len, 1, l3, strlen(l3));
    r = reply(200, stream, len);
    assert_false(actions_reply(n, a, &r, NULL, 1001.1));
    assert_string_equal(n->act.result, "logs: 1 new lines");
    assert_int_equal(n->mng->logs.n, 3);
    assert_string_equal(logbuf_line(&n->mng->logs, 2), "2026-12-02 05:18:03  three");

    /* no -n: the default tail of 200; a 404 is a failure with Docker's message */
    struct r1_node *n2 = model_fleet_add(&fx->f, "gpu-2");
    r1_strlcpy(n2->docker_socket, "/run/docker.sock", sizeof(n2->docker_socket));
    r1_strlcpy(n2->container, "r1node", sizeof(n2->container));
    actions_begin(n2, a, "", 1000.0);
    memset(&req, 0, sizeof(req));
    assert_int_equal(actions_prepare(a, n2, &req, err), 0);
    assert_non_null(strstr(req.url, "/containers/r1node/logs?"));
    assert_non_null(strstr(req.url, "&tail=200"));
    r = reply_str(404, "{\"message\":\"No such container: r1node\"}");
    assert_false(actions_reply(n2, a, &r, NULL, 1000.1));
    assert_int_equal(n2->act.state, R1_ACTST_FAILED);
    assert_string_equal(n2->act.result, "logs failed: HTTP 404: No such container: r1node");
}

static void test_actions_refusals_for_manage(void **state)
{
    struct fixture *fx = *state;
    struct r1_node *n = fx->n;
    /* changing ones: read-only first, then a confirmation; reading ones need neither */
    assert_int_equal(actions_check(actions_get(R1_ACT_ALLOW), n, true, true), R1_ACT_READONLY);
    assert_int_equal(actions_check(actions_get(R1_ACT_ALIAS), n, false, false), R1_ACT_UNCONFIRMED);
    assert_int_equal(actions_check(actions_get(R1_ACT_ALLOWED), n, true, false), R1_ACT_OK);
    assert_int_equal(actions_check(actions_get(R1_ACT_APPS), n, true, false), R1_ACT_OK);
    /* an ssh:// node's container is on its host: read with the docker CLI over ssh, and
     * refused when no container is named */
    r1_strlcpy(n->status_dir_url, "ssh://host/var/cache/edge_node/_local_cache/_data/",
               sizeof(n->status_dir_url));
    assert_int_equal(actions_check(actions_get(R1_ACT_ALLOWED), n, false, true), R1_ACT_OK);
    char keep[sizeof(n->container)];
    r1_strlcpy(keep, n->container, sizeof(keep));
    n->container[0] = '\0';
    assert_int_equal(actions_check(actions_get(R1_ACT_ALLOWED), n, false, true), R1_ACT_NO_BACKEND);
    r1_strlcpy(n->container, keep, sizeof(n->container));
    n->status_dir_url[0] = '\0';
    n->docker_socket[0] = '\0';
    assert_int_equal(actions_check(actions_get(R1_ACT_LOGS), n, false, true), R1_ACT_NO_BACKEND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demux_whole_frames_stdout_and_stderr),
        cmocka_unit_test(test_demux_partial_frame_kept_then_completed),
        cmocka_unit_test(test_demux_partial_frame_dropped_when_final),
        cmocka_unit_test(test_demux_raw_tty_text),
        cmocka_unit_test(test_demux_zero_length_and_stdin_frames),
        cmocka_unit_test(test_demux_framing_lost_keeps_the_rest_as_text),
        cmocka_unit_test(test_allowed_parse_real_line_formats),
        cmocka_unit_test(test_allowed_parse_hostile_and_odd_lines),
        cmocka_unit_test(test_allowed_parse_invalid_mark_without_original),
        cmocka_unit_test(test_allowed_parse_caps_entries),
        cmocka_unit_test(test_allowed_check_address),
        cmocka_unit_test(test_allowed_check_alias),
        cmocka_unit_test(test_logbuf_ring_keeps_the_newest),
        cmocka_unit_test(test_logbuf_dedupe_across_adds),
        cmocka_unit_test(test_logbuf_same_stamp_within_one_add_is_kept),
        cmocka_unit_test(test_logbuf_text_is_made_safe),
        cmocka_unit_test(test_logbuf_parse_ts_edges),
        cmocka_unit_test(test_actions_check_arg),
        cmocka_unit_test(test_actions_question_substitutes_node_and_operands),
        cmocka_unit_test_setup_teardown(test_exec_allowed_steps, setup_node, teardown_node),
        cmocka_unit_test_setup_teardown(test_exec_allow_fails_with_the_scripts_last_line,
                                        setup_node, teardown_node),
        cmocka_unit_test_setup_teardown(test_exec_failures, setup_node, teardown_node),
        cmocka_unit_test_setup_teardown(test_exec_apps_and_alias, setup_node, teardown_node),
        cmocka_unit_test_setup_teardown(test_logs_steps_tail_then_since, setup_node, teardown_node),
        cmocka_unit_test_setup_teardown(test_actions_refusals_for_manage, setup_node,
                                        teardown_node),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
