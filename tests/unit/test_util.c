/* Unit tests for util.c (sanitiser, parsers, formatters, bounded reads) and model.c (fleet
 * lifetime, meta bookkeeping, identity precedence, online state). Expected values are worked
 * out by hand in the comments, never copied from the code's output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "derive.h"
#include "model.h"
#include "sources/docker.h"
#include "util.h"

/* ---- sanitiser ------------------------------------------------------------------------- */

/* No byte may be a C0 control, DEL, or the lead of a UTF-8 encoded C1 control (C2 80..9F). */
static void assert_terminal_safe(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++) {
        assert_true(*p >= 0x20);
        assert_true(*p != 0x7f);
        if (p[0] == 0xc2)
            assert_false(p[1] >= 0x80 && p[1] <= 0x9f);
    }
}

static void test_sanitize_strips_osc_and_csi_sequences(void **state)
{
    (void)state;
    char out[64];
    /* OSC "ESC ] 0 ; pwned BEL" (set window title) and CSI "ESC [ 2 J" (clear screen): each
     * whole sequence becomes one '?', so neither the title text nor "2J" is printed. */
    r1_sanitize(out, sizeof(out), "evil\x1b]0;pwned\x07\x1b[2J");
    assert_string_equal(out, "evil??");
    assert_terminal_safe(out);

    /* OSC terminated by ST (ESC \), then SGR colour, then plain text */
    r1_sanitize(out, sizeof(out), "a\x1b]8;;http://x\x1b\\b\x1b[1;31mc");
    assert_string_equal(out, "a?b?c");

    /* the same attacks with 8-bit C1 introducers encoded as UTF-8: U+009B CSI, U+009D OSC
     * ended by U+009C ST */
    r1_sanitize(out, sizeof(out), "x\xc2\x9b" "2Jy\xc2\x9d" "0;t\xc2\x9cz");
    assert_string_equal(out, "x?y?z");
    assert_terminal_safe(out);

    /* lone controls: BEL, TAB, LF, DEL, U+0085 (NEL); a raw 0x9b byte is invalid UTF-8;
     * 0x1c..0x1f sit above ESC but are C0 all the same */
    r1_sanitize(out, sizeof(out), "a\x07" "b\tc\nd\x7f" "e\xc2\x85" "f\x9bg\x1f" "h\x01");
    assert_string_equal(out, "a?b?c?d?e?f?g?h?");
    assert_terminal_safe(out);

    /* an unterminated OSC swallows the rest instead of leaking it */
    r1_sanitize(out, sizeof(out), "ok\x1b]2;rest of title");
    assert_string_equal(out, "ok?");

    /* bidi override U+202E could make an alias display as another node's name */
    r1_sanitize(out, sizeof(out), "a\xe2\x80\xae" "b");
    assert_string_equal(out, "a?b");

    /* NULL source is an empty string, not a crash */
    r1_sanitize(out, sizeof(out), NULL);
    assert_string_equal(out, "");
}

static void test_sanitize_keeps_utf8_alias(void **state)
{
    (void)state;
    char out[64];
    /* 2-, 3- and 4-byte characters survive byte for byte: "nodé-東京-🚀" */
    const char *alias = "nod\xc3\xa9-\xe6\x9d\xb1\xe4\xba\xac-\xf0\x9f\x9a\x80";
    r1_sanitize(out, sizeof(out), alias);
    assert_string_equal(out, alias);

    /* invalid UTF-8: stray 0xff, overlong "/" (C0 AF), surrogate U+D800 (ED A0 80), > U+10FFFF
     * (F4 90 80 80), and a 3-byte character cut short at the end. Each bad byte is one '?'. */
    r1_sanitize(out, sizeof(out),
                "a\xff" "b\xc0\xaf" "c\xed\xa0\x80" "d\xf4\x90\x80\x80" "e\xe6\x9d");
    assert_string_equal(out, "a?b??c???d????e??");
    /* 3-byte overlong "/" (E0 80 AF): decoders that skip the minimum check let overlong
     * forms smuggle characters past byte-level filters */
    r1_sanitize(out, sizeof(out), "a\xe0\x80\xaf" "b");
    assert_string_equal(out, "a???b");
}

/* D19: bidi marks and invisible characters passed the sanitiser. Every one of them becomes a
 * visible '?', like the controls above; the UTF-8 bytes are written out by hand. */
static void test_D19_sanitize_replaces_bidi_marks_and_invisibles(void **state)
{
    (void)state;
    static const struct {
        const char *utf8;
        const char *what;
    } cases[] = {
        {"\xe2\x80\x8e", "U+200E LRM"},          {"\xe2\x80\x8f", "U+200F RLM"},
        {"\xd8\x9c", "U+061C ALM"},                {"\xe2\x80\xa8", "U+2028 LS"},
        {"\xe2\x80\xa9", "U+2029 PS"},            {"\xe2\x80\x8b", "U+200B ZWSP"},
        {"\xe2\x81\xa0", "U+2060 WJ"},            {"\xef\xbb\xbf", "U+FEFF BOM"},
        {"\xe2\x80\xaa", "U+202A LRE"},           {"\xe2\x80\xae", "U+202E RLO"},
        {"\xe2\x81\xa6", "U+2066 LRI"},           {"\xe2\x81\xa9", "U+2069 PDI"},
        {"\xc2\xad", "U+00AD soft hyphen"},        {"\xd8\x80", "U+0600 Arabic number sign"},
        {"\xe1\xa0\x8e", "U+180E MVS"},           {"\xe2\x80\x8d", "U+200D ZWJ"},
        {"\xe2\x81\xaf", "U+206F NADS"},          {"\xef\xbf\xb9", "U+FFF9 IAA"},
        {"\xe3\x85\xa4", "U+3164 Hangul filler"}, {"\xf3\xa0\x80\x81", "U+E0001 tag"},
        {"\xf3\xa0\x81\xbf", "U+E007F cancel tag"},
        {"\xf0\x9d\x85\xb3", "U+1D173 beam"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char in[32], out[32];
        snprintf(in, sizeof(in), "a%sb", cases[i].utf8);
        r1_sanitize(out, sizeof(out), in);
        if (strcmp(out, "a?b") != 0)
            fail_msg("%s: got \"%s\", expected \"a?b\"", cases[i].what, out);
    }
    /* what stays: a variation selector after a heart (U+2764 U+FE0F), a no-break space, and
     * the character right after a range (U+2030 per mille, after U+202E) */
    char out[32];
    r1_sanitize(out, sizeof(out), "\xe2\x9d\xa4\xef\xb8\x8f \xc2\xa0\xe2\x80\xb0");
    assert_string_equal(out, "\xe2\x9d\xa4\xef\xb8\x8f \xc2\xa0\xe2\x80\xb0");
    assert_true(r1_cp_unsafe(0x9f));
    assert_false(r1_cp_unsafe(0xa0));
    assert_false(r1_cp_unsafe(0x2030));
    assert_true(r1_cp_unsafe(0xe0fff));
    assert_false(r1_cp_unsafe(0xe0100));   /* VS17: ideographic variation, kept */
}

/* D7: a password in a configured URL was printed everywhere; r1_url_redact is the defence in
 * depth wherever a URL is shown. */
static void test_D7_url_redact_hides_password_only(void **state)
{
    (void)state;
    char out[128];
    r1_url_redact(out, sizeof(out), "sftp://alice:s3cret@host.example/var/cache/_data/");
    assert_string_equal(out, "sftp://alice:***@host.example/var/cache/_data/");
    r1_url_redact(out, sizeof(out), "https://u:p@x@oracle.example:8443/current_epoch");
    assert_string_equal(out, "https://u:***@oracle.example:8443/current_epoch");   /* last '@' */
    r1_url_redact(out, sizeof(out), "https://:tok@h/");
    assert_string_equal(out, "https://:***@h/");
    /* unchanged: a user name alone, no userinfo, '@' and ':' only after the authority */
    static const char *const keep[] = {
        "sftp://alice@host/data/", "https://oracle.ratio1.ai", "file:///var/cache/x/",
        "https://h/p?mail=a:b@c", "https://h#a:b@c", "not a url: a:b@c", "",
    };
    for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
        r1_url_redact(out, sizeof(out), keep[i]);
        assert_string_equal(out, keep[i]);
    }
    /* a short buffer truncates and terminates; it never ends inside the password */
    char small[12];
    r1_url_redact(small, sizeof(small), "sftp://alice:s3cret@host/");
    assert_string_equal(small, "sftp://alic");
    r1_url_redact(out, sizeof(out), NULL);
    assert_string_equal(out, "");
}

static void test_sanitize_truncates_on_char_boundary(void **state)
{
    (void)state;
    char out[6];
    /* "abcd" + 東 (3 bytes) = 7 bytes; only 5 fit before the NUL: 東 is dropped whole */
    r1_sanitize(out, sizeof(out), "abcd\xe6\x9d\xb1");
    assert_string_equal(out, "abcd");

    /* "ab" + 東 = 5 bytes: fits exactly */
    r1_sanitize(out, sizeof(out), "ab\xe6\x9d\xb1zz");
    assert_string_equal(out, "ab\xe6\x9d\xb1");

    /* a 1-byte buffer holds only the terminator */
    char one[1] = {'x'};
    r1_sanitize(one, sizeof(one), "abc");
    assert_int_equal(one[0], '\0');

    /* the '?' for an escape sequence counts against the room too */
    char four[4];
    r1_sanitize(four, sizeof(four), "abc\x1b[2J");
    assert_string_equal(four, "abc");
}

/* ---- strings --------------------------------------------------------------------------- */

static void test_strlcpy_truncates_and_terminates(void **state)
{
    (void)state;
    char buf[4] = "zzz";
    assert_int_equal(r1_strlcpy(buf, "abcdef", sizeof(buf)), 6);   /* returns strlen(src) */
    assert_string_equal(buf, "abc");
    char err[R1_ERR_MAX];
    assert_int_equal(r1_err(err, "oracle: HTTP %d", 503), -1);
    assert_string_equal(err, "oracle: HTTP 503");
}

/* ---- elapsed and UTC parsing ----------------------------------------------------------- */

static void test_elapsed_hours_beyond_24(void **state)
{
    (void)state;
    double s = -1;
    /* 123 h 4 min 5 s = 123*3600 + 4*60 + 5 = 442800 + 240 + 5 = 443045 */
    assert_int_equal(r1_parse_elapsed("123:04:05", &s), 0);
    assert_true(s == 443045.0);
    /* 00:00:00 is a value (just started), not an error */
    assert_int_equal(r1_parse_elapsed("00:00:00", &s), 0);
    assert_true(s == 0.0);
}

static void test_elapsed_python_timedelta_forms(void **state)
{
    (void)state;
    double s = -1;
    /* 3*86400 + 4*3600 + 5*60 + 6 = 259200 + 14400 + 300 + 6 = 273906 */
    assert_int_equal(r1_parse_elapsed("3 days, 4:05:06", &s), 0);
    assert_true(s == 273906.0);
    /* 86400 + 1 */
    assert_int_equal(r1_parse_elapsed("1 day, 0:00:01", &s), 0);
    assert_true(s == 86401.0);
    assert_int_equal(r1_parse_elapsed("0:00:12.345", &s), 0);
    assert_true(fabs(s - 12.345) < 1e-9);
}

static void test_elapsed_rejects_garbage(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "abc", "12:00", "12:3:04", "1:60:00", "1:00:60", "12:00:00x", " 1:00:00",
        "1 days 0:00:01", "-1 day, 23:59:59", "1 day, 25:00:00", "3 weeks, 1:00:00",
        "1:00:00.", "1::00:00", ":00:00",
    };
    for (size_t i = 0; i < R1_ARRAY_LEN(bad); i++) {
        double s = 42;
        if (r1_parse_elapsed(bad[i], &s) != -1)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_true(s == 42);   /* untouched on error */
    }
    double s;
    assert_int_equal(r1_parse_elapsed(NULL, &s), -1);
}

static void test_parse_utc_ignores_local_zone(void **state)
{
    (void)state;
    /* A local zone far from UTC would shift mktime() by hours; timegm() must not care.
     * A POSIX TZ string (UTC+9) needs no tzdata in the build container. */
    const char *old = getenv("TZ");
    char *saved = old ? xstrdup(old) : NULL;
    setenv("TZ", "JST-9", 1);
    tzset();
    double t = 0;
    /* mainnet genesis (docs/protocol.md §1.2) */
    assert_int_equal(r1_parse_utc("2025-05-23 16:00:00", &t), 0);
    assert_true(t == 1748016000.0);
    /* 2026-11-25 12:00:00 = genesis + 551 days - 4 h (see test_epoch.c) = 1795608000 */
    assert_int_equal(r1_parse_utc("2026-11-25 12:00:00.500000", &t), 0);
    assert_true(t == 1795608000.5);
    /* 2024-02-29 exists (leap year): 2024-03-01 00:00 is 1709251200, minus one day */
    assert_int_equal(r1_parse_utc("2024-02-29 00:00:00", &t), 0);
    assert_true(t == 1709251200.0 - 86400);
    static const char *const bad[] = {
        "2025-02-29 00:00:00", "2025-13-01 00:00:00", "2025-00-10 00:00:00", "2025-05-23",
        "2025-05-23 24:00:00",
        "2025-5-23 16:00:00", "2025-05-23 16:00:00Z", "", "2025-04-31 00:00:00",
    };
    for (size_t i = 0; i < R1_ARRAY_LEN(bad); i++)
        if (r1_parse_utc(bad[i], &t) != -1)
            fail_msg("accepted \"%s\"", bad[i]);
    if (saved) {
        setenv("TZ", saved, 1);
        free(saved);
    } else {
        unsetenv("TZ");
    }
    tzset();
}

/* ---- formatting ------------------------------------------------------------------------ */

/* D17: impossible Docker StartedAt dates (month 13, day 32, hour 25, year 9999) became
 * real-looking ones through sscanf + timegm. Every field is range-checked; invalid is unknown,
 * and the inspect reply then has no start time rather than a wrong one. */
static void test_D17_docker_impossible_dates_are_unknown(void **state)
{
    (void)state;
    double t = -1;
    /* 2024-02-29 00:00:00Z = 1709251200 - 86400 (see test_parse_utc_ignores_local_zone) */
    assert_int_equal(docker_parse_time("2024-02-29T00:00:00.250Z", &t), 0);
    assert_true(t == 1709251200.0 - 86400 + 0.25);
    /* 08:00-05:30 is 13:30 UTC */
    assert_int_equal(docker_parse_time("2024-03-01T08:00:00-05:30", &t), 0);
    assert_true(t == 1709251200.0 + 13.5 * 3600);
    assert_int_equal(docker_parse_time("2024-03-01T00:00:00.123456789+01:00", &t), 0);
    assert_true(fabs(t - (1709251200.0 - 3600 + 0.123456789)) < 1e-6);
    static const char *const bad[] = {
        "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-32T00:00:00Z",
        "2025-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-01T25:00:00Z",
        "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:61Z",
        "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z",
        "2026-13-45T25:61:61Z", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00+01:60",
        "2026-1-01T00:00:00Z",  "2026-01-01T00:00:00",     "2026-01-01T00:00:00Zjunk",
        "2026-01-01 00:00:00Z", "+026-01-01T00:00:00Z",     "2026-01-01T 1:00:00Z",
        "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+1:00",
    };
    for (size_t i = 0; i < R1_ARRAY_LEN(bad); i++) {
        t = -12345;
        if (docker_parse_time(bad[i], &t) != -1 || t != -12345)
            fail_msg("accepted \"%s\" as %.0f", bad[i], t);
    }
    const char *inspect =
        "{\"State\": {\"Status\": \"running\", \"StartedAt\": \"2026-13-45T25:61:61Z\"}}";
    struct r1_docker d;
    char err[R1_ERR_MAX];
    memset(&d, 0, sizeof(d));
    assert_int_equal(docker_parse_inspect(inspect, strlen(inspect), &d, err), 0);
    assert_true(R1_VALID(&d, DOCK_STATE));
    assert_false(R1_VALID(&d, DOCK_STARTED));
    /* the node's own UTC dates (local_history last_save_time) the same way */
    static const char *const bad_utc[] = {"9999-12-31 23:59:59", "0000-01-01 00:00:00",
                                          "2026-01-32 00:00:00", "2026-01-01 00:00:60"};
    for (size_t i = 0; i < R1_ARRAY_LEN(bad_utc); i++)
        if (r1_parse_utc(bad_utc[i], &t) != -1)
            fail_msg("accepted \"%s\"", bad_utc[i]);
}

static void test_fmt_age_units(void **state)
{
    (void)state;
    char b[32];
    r1_fmt_age(b, sizeof(b), 12.9);   /* truncated, not rounded */
    assert_string_equal(b, "12 s");
    r1_fmt_age(b, sizeof(b), 4 * 60 + 59);
    assert_string_equal(b, "4 min");
    r1_fmt_age(b, sizeof(b), 3599);
    assert_string_equal(b, "59 min");
    r1_fmt_age(b, sizeof(b), 3600);
    assert_string_equal(b, "1 h");
    r1_fmt_age(b, sizeof(b), 3 * 3600 + 59 * 60);
    assert_string_equal(b, "3 h");
    r1_fmt_age(b, sizeof(b), 2 * 86400 + 5);
    assert_string_equal(b, "2 d");
    r1_fmt_age(b, sizeof(b), -1);   /* model_meta_age's "never read" */
    assert_string_equal(b, "n/a");
    r1_fmt_age(b, sizeof(b), NAN);
    assert_string_equal(b, "n/a");
}

static void test_fmt_duration_and_bytes(void **state)
{
    (void)state;
    char b[32];
    /* 1 d 2 h 3 min 4 s = 86400 + 7200 + 180 + 4 = 93784 */
    r1_fmt_duration(b, sizeof(b), 93784);
    assert_string_equal(b, "1d 02:03:04");
    r1_fmt_duration(b, sizeof(b), 93784 - 86400);
    assert_string_equal(b, "02:03:04");
    r1_fmt_bytes(b, sizeof(b), 1.5 * 1024 * 1024 * 1024);
    assert_string_equal(b, "1.5 GiB");
    r1_fmt_bytes(b, sizeof(b), 512.0 * 1024 * 1024);
    assert_string_equal(b, "512 MiB");
    r1_fmt_bytes(b, sizeof(b), 100);
    assert_string_equal(b, "100 B");
    r1_fmt_bytes(b, sizeof(b), -1);
    assert_string_equal(b, "n/a");
}

/* ---- bounded file read ----------------------------------------------------------------- */

static void test_read_file_is_bounded_and_reports_mtime(void **state)
{
    (void)state;
    char path[] = "/tmp/r1top-test-util-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    char data[100];
    memset(data, 'x', sizeof(data));
    assert_int_equal(write(fd, data, sizeof(data)), (ssize_t)sizeof(data));
    close(fd);
    struct timespec ts[2] = {{1700000000, 0}, {1700000000, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);

    char err[R1_ERR_MAX] = "";
    char *buf = NULL;
    size_t len = 0;
    double mtime = 0;
    assert_int_equal(r1_read_file(path, 100, &buf, &len, &mtime, err), 0);
    assert_int_equal(len, 100);
    assert_int_equal(buf[100], '\0');
    assert_true(mtime == 1700000000.0);
    free(buf);

    /* one byte over the limit is an error, and nothing is handed out */
    buf = (char *)1;
    assert_int_equal(r1_read_file(path, 99, &buf, &len, &mtime, err), -1);
    assert_null(buf);
    assert_non_null(strstr(err, path));
    unlink(path);

    assert_int_equal(r1_read_file(path, 100, &buf, &len, &mtime, err), -1);
    assert_non_null(strstr(err, "cannot open"));
    /* a directory is not a status file */
    assert_int_equal(r1_read_file("/tmp", 100, &buf, &len, &mtime, err), -1);
    /* nor is a FIFO, and opening one with no writer must not block */
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(r1_read_file(path, 100, &buf, &len, &mtime, err), -1);
    assert_non_null(strstr(err, "not a regular file"));
    unlink(path);
}

/* ---- model ----------------------------------------------------------------------------- */

static void test_fleet_add_initialises_and_free_releases(void **state)
{
    (void)state;
    struct r1_fleet f;
    model_fleet_init(&f, network_get(R1_NET_DEVNET));
    assert_string_equal(f.oracle_url, "https://devnet-oracle.ratio1.ai");
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof(name), "node-%d", i);
        struct r1_node *n = model_fleet_add(&f, name);
        assert_string_equal(n->name, name);
        assert_int_equal(n->info.meta.valid, 0);
        assert_int_equal(n->range.from_epoch, -1);
        assert_int_equal(n->rew.poa_status, R1_REW_UNKNOWN);
        /* owned memory, released by model_fleet_free (valgrind checks) */
        n->range.epochs_u8 = xcalloc(3, 1);
        n->range.n_epochs = 3;
        n->work.rows = xcalloc(2, sizeof(*n->work.rows));
        n->work.n_rows = 2;
    }
    assert_int_equal(f.n_nodes, 5);
    assert_string_equal(f.nodes[0].name, "node-0");   /* earlier nodes survive the growth */
    model_fleet_free(&f);
    assert_int_equal(f.n_nodes, 0);
    assert_null(f.nodes);
}

static void test_meta_ok_stamps_the_time_and_keeps_values(void **state)
{
    (void)state;
    struct r1_node_info info;
    memset(&info, 0, sizeof(info));
    assert_true(model_meta_age(&info.meta, 1000) < 0);   /* never read */
    info.current_epoch = 440;
    R1_MARK(&info, INFO_CUR_EPOCH);
    model_meta_ok(&info.meta, 1000);
    assert_true(R1_VALID(&info, INFO_CUR_EPOCH));
    assert_int_equal(info.current_epoch, 440);
    assert_true(info.meta.updated_at == 1000);   /* age keeps growing from the last success */
    assert_true(model_meta_age(&info.meta, 1030) == 30);
    assert_true(model_meta_age(&info.meta, 990) == 0);   /* a clock step back is not "never" */
}

/* Errors are data, made into words only where shown: the long form names where, the brief
 * one (narrow panes) does not, and neither repeats the source's name. */
static void test_error_format_long_and_brief(void **state)
{
    (void)state;
    struct r1_error e = {.kind = R1_EK_HTTP, .http_code = 503};
    char out[R1_ERR_MAX];
    snprintf(e.reason, sizeof(e.reason), "Service Unavailable");
    model_error_format(&e, "https://oracle.ratio1.ai/x", out, sizeof(out));
    assert_string_equal(out, "HTTP 503 from https://oracle.ratio1.ai/x: Service Unavailable");
    model_error_format(&e, NULL, out, sizeof(out));
    assert_string_equal(out, "HTTP 503: Service Unavailable");
    e.kind = R1_EK_TIMEOUT;
    snprintf(e.reason, sizeof(e.reason), "timed out after 5 s");
    model_error_format(&e, "https://o/x", out, sizeof(out));
    assert_string_equal(out, "timed out after 5 s (https://o/x)");
    model_error_format(&e, NULL, out, sizeof(out));
    assert_string_equal(out, "timed out after 5 s");
    e.kind = R1_EK_NONE;
    model_error_format(&e, "https://o/x", out, sizeof(out));
    assert_string_equal(out, "");
}

static void test_node_identity_config_then_info_then_oracle(void **state)
{
    (void)state;
    struct r1_fleet f;
    model_fleet_init(&f, NULL);
    struct r1_node *n = model_fleet_add(&f, "rack-3");
    assert_string_equal(model_node_eth(n), "");
    assert_string_equal(model_node_label(n), "rack-3");
    strcpy(n->orc.node_eth, "0xORACLE");
    strcpy(n->orc.node_alias, "orc-alias");
    R1_MARK(&n->orc, ORC_ETH);
    R1_MARK(&n->orc, ORC_ALIAS);
    /* D2: an oracle reply never tells r1top who the node is; its alias may label it */
    assert_string_equal(model_node_eth(n), "");
    assert_string_equal(model_node_label(n), "orc-alias");
    strcpy(n->info.eth_address, "0xINFO");
    strcpy(n->info.alias, "info-alias");
    strcpy(n->info.address, "0xai_INFO");
    R1_MARK(&n->info, INFO_ETH);
    R1_MARK(&n->info, INFO_ALIAS);
    R1_MARK(&n->info, INFO_ADDRESS);
    assert_string_equal(model_node_eth(n), "0xINFO");
    assert_string_equal(model_node_label(n), "info-alias");
    assert_string_equal(model_node_address(n), "0xai_INFO");
    strcpy(n->eth_cfg, "0xCFG");
    strcpy(n->addr_cfg, "0xai_CFG");
    assert_string_equal(model_node_eth(n), "0xCFG");
    assert_string_equal(model_node_address(n), "0xai_CFG");
    model_fleet_free(&f);
}

/* The online state as derive.c computes it, with its words (the old model_node_online). */
static enum r1_online online_of(struct r1_fleet *f, struct r1_node *n, double now, const char **why)
{
    static char words[128];
    derive_epoch(f, now);
    derive_node(f, n, now);
    derive_online_text(&n->status, words, sizeof(words));
    *why = words;
    return n->status.online;
}

static struct r1_node *node_with_file(struct r1_fleet *f, double mtime)
{
    struct r1_node *n = model_fleet_add(f, "n");
    strcpy(n->status_dir_url, "file:///var/cache/edge_node/_local_cache/_data/");
    n->info.file_mtime = mtime;
    R1_MARK(&n->info, INFO_MTIME);
    return n;
}

static void test_online_stale_status_file(void **state)
{
    (void)state;
    struct r1_fleet f;
    model_fleet_init(&f, NULL);
    const double now = 1800000000;
    const char *why = NULL;
    /* rewritten every 10 s: 12 s old is fine, 45 s is stale, 301 s is down */
    assert_int_equal(online_of(&f, node_with_file(&f, now - 12), now, &why), R1_ONLINE_YES);
    assert_string_equal(why, "status file 12 s old");
    assert_int_equal(online_of(&f, node_with_file(&f, now - 45), now, &why),
                     R1_ONLINE_STALE);
    assert_string_equal(why, "status file 45 s old");
    assert_int_equal(online_of(&f, node_with_file(&f, now - 30), now, &why),
                     R1_ONLINE_STALE);
    assert_int_equal(online_of(&f, node_with_file(&f, now - 300), now, &why),
                     R1_ONLINE_STALE);
    assert_int_equal(online_of(&f, node_with_file(&f, now - 301), now, &why), R1_ONLINE_NO);
    assert_string_equal(why, "status file 5 min old");
    /* host clock 2 s behind the node's: just written, not unknown */
    assert_int_equal(online_of(&f, node_with_file(&f, now + 2), now, &why), R1_ONLINE_YES);
    assert_string_equal(why, "status file 0 s old");
    model_fleet_free(&f);
}

static void test_online_from_oracle_without_status_file(void **state)
{
    (void)state;
    struct r1_fleet f;
    model_fleet_init(&f, NULL);
    const double now = 1800000000;
    const char *why = NULL;
    struct r1_node *n = model_fleet_add(&f, "remote");
    assert_int_equal(online_of(&f, n, now, &why), R1_ONLINE_UNKNOWN);
    assert_non_null(why);

    /* oracle replied 2 s ago saying "seen 10 s ago": 12 s in all */
    n->orc.is_online = true;
    n->orc.last_seen_s = 10;
    R1_MARK(&n->orc, ORC_ONLINE);
    R1_MARK(&n->orc, ORC_LAST_SEEN);
    model_meta_ok(&n->orc.meta, now - 2);
    assert_int_equal(online_of(&f, n, now, &why), R1_ONLINE_YES);
    assert_string_equal(why, "oracle: last seen 12 s ago");

    /* 2 h since the oracle's reply: its "online" is too old to call the node up */
    assert_int_equal(online_of(&f, n, now + 7200, &why), R1_ONLINE_STALE);
    assert_string_equal(why, "oracle: last seen 2 h ago");

    n->orc.is_online = false;
    assert_int_equal(online_of(&f, n, now, &why), R1_ONLINE_NO);
    assert_non_null(strstr(why, "offline"));
    model_fleet_free(&f);
}

static void test_series_push_drops_oldest_when_full(void **state)
{
    (void)state;
    struct r1_series s = {.n = 0};
    for (int i = 0; i < R1_HIST_MAX + 3; i++)
        model_series_push(&s, (float)i);
    /* pushed 0..66 into 64 slots: 0, 1, 2 fell off the front */
    assert_int_equal(s.n, R1_HIST_MAX);
    assert_true(s.v[0] == 3.0f);
    assert_true(s.v[R1_HIST_MAX - 1] == (float)(R1_HIST_MAX + 2));
}

static void test_oracle_node_clear_frees_and_forgets(void **state)
{
    (void)state;
    struct r1_oracle_node o;
    memset(&o, 0, sizeof(o));
    o.epochs_u8 = xmalloc(4);
    o.n_epochs = 4;
    o.from_epoch = 10;
    R1_MARK(&o, ORC_EPOCHS);
    o.meta.fed_by = 5;
    model_oracle_node_clear(&o);
    assert_null(o.epochs_u8);
    assert_int_equal(o.n_epochs, 0);
    assert_int_equal(o.from_epoch, -1);
    assert_false(R1_VALID(&o, ORC_EPOCHS));
    assert_int_equal(o.meta.fed_by, 5);   /* which source feeds the group stays */
    struct r1_workloads w = {.rows = xmalloc(sizeof(struct r1_instance)), .n_rows = 1};
    model_instance_init(&w.rows[0]);
    assert_int_equal(w.rows[0].port, -1);
    assert_int_equal(w.rows[0].job_id, -1);
    model_workloads_clear(&w);
    assert_null(w.rows);
    assert_int_equal(w.n_rows, 0);
}

/* Docker's container-name rule, shared by the config, the r1setup import and the actions. */
/* The name rule the config append and the r1setup import share: printable UTF-8 that fits. */
static void test_text_ok(void **state)
{
    (void)state;
    assert_true(r1_text_ok("gpu-1", 64));
    assert_true(r1_text_ok("n\xc5\x93ud", 64));          /* non-ASCII is a name too */
    assert_false(r1_text_ok("", 64));
    assert_false(r1_text_ok("abcd", 4));                  /* must be shorter than max */
    assert_true(r1_text_ok("abc", 4));
    assert_false(r1_text_ok("a\x1b[31m", 64));          /* escape sequence */
    assert_false(r1_text_ok("a\xe2\x80\xae" "b", 64));  /* bidi override */
    assert_false(r1_text_ok("a\xff", 64));               /* not UTF-8 */
}

static void test_container_name_rule(void **state)
{
    (void)state;
    assert_true(r1_container_name_ok("edge_node"));
    assert_true(r1_container_name_ok("r1node2.gpu-a"));
    assert_true(r1_container_name_ok("0"));
    assert_false(r1_container_name_ok(""));
    assert_false(r1_container_name_ok("_edge"));
    assert_false(r1_container_name_ok(".edge"));
    assert_false(r1_container_name_ok("-edge"));
    assert_false(r1_container_name_ok("edge/../x"));
    assert_false(r1_container_name_ok("edge node"));
    assert_false(r1_container_name_ok("edge\xc3\xa9"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sanitize_strips_osc_and_csi_sequences),
        cmocka_unit_test(test_sanitize_keeps_utf8_alias),
        cmocka_unit_test(test_sanitize_truncates_on_char_boundary),
        cmocka_unit_test(test_D19_sanitize_replaces_bidi_marks_and_invisibles),
        cmocka_unit_test(test_D7_url_redact_hides_password_only),
        cmocka_unit_test(test_strlcpy_truncates_and_terminates),
        cmocka_unit_test(test_elapsed_hours_beyond_24),
        cmocka_unit_test(test_elapsed_python_timedelta_forms),
        cmocka_unit_test(test_elapsed_rejects_garbage),
        cmocka_unit_test(test_parse_utc_ignores_local_zone),
        cmocka_unit_test(test_D17_docker_impossible_dates_are_unknown),
        cmocka_unit_test(test_fmt_age_units),
        cmocka_unit_test(test_fmt_duration_and_bytes),
        cmocka_unit_test(test_read_file_is_bounded_and_reports_mtime),
        cmocka_unit_test(test_fleet_add_initialises_and_free_releases),
        cmocka_unit_test(test_meta_ok_stamps_the_time_and_keeps_values),
        cmocka_unit_test(test_error_format_long_and_brief),
        cmocka_unit_test(test_node_identity_config_then_info_then_oracle),
        cmocka_unit_test(test_online_stale_status_file),
        cmocka_unit_test(test_online_from_oracle_without_status_file),
        cmocka_unit_test(test_series_push_drops_oldest_when_full),
        cmocka_unit_test(test_oracle_node_clear_frees_and_forgets),
        cmocka_unit_test(test_container_name_rule),
        cmocka_unit_test(test_text_ok),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
