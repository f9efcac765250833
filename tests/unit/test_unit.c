/* test_unit: the unit source's parser — the framed reply of transport_ssh's unit snippet around
 * `systemctl show` (systemd 252's KEY=VALUE lines, --timestamp=unix), the exit file and the
 * journal's start count — and where the exit file is (docs/protocol.md §7.4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <string.h>

#include "model.h"
#include "sources/unit.h"

/* systemctl show prints the properties in systemd's own order, not the --property order */
#define SHOW_OK                                                                                    \
    "Result=success\n"                                                                             \
    "NRestarts=4\n"                                                                                \
    "ExecMainStartTimestamp=@900\n"                                                                \
    "ExecMainStatus=0\n"                                                                           \
    "LoadState=loaded\n"                                                                           \
    "ActiveState=active\n"                                                                         \
    "SubState=running\n"

static int parse(const char *reply, struct r1_unit *u, char *err)
{
    /* the remote NOW is 1000, this host's 1100: the host's clock is 100 s behind */
    return unit_parse(reply, strlen(reply), 1100.0, u, err);
}

static void test_unit_reply_fills_every_field_after_a_login_banner(void **state)
{
    (void)state;
    struct r1_unit u;
    char err[R1_ERR_MAX];
    memset(&u, 0, sizeof(u));
    const char *r = "Welcome to node-7\n"
                    "r1top-unit 1000\n" SHOW_OK "r1top-show-rc 0\n"
                    "r1top-exit-file 10\n"
                    "r1top-starts 22\n";
    assert_int_equal(parse(r, &u, err), 0);
    assert_string_equal(u.load_state, "loaded");
    assert_string_equal(u.active_state, "active");
    assert_string_equal(u.sub_state, "running");
    assert_string_equal(u.result, "success");
    assert_int_equal(u.n_restarts, 4);
    assert_int_equal(u.main_status, 0);
    /* @900 on the host's clock is 900 + (1100 - 1000) = 1000 on this one */
    assert_true(R1_VALID(&u, UNIT_STARTED));
    assert_true(u.main_started_at == 1000.0);
    assert_true(R1_VALID(&u, UNIT_EXIT_FILE));
    assert_int_equal(u.exit_file_code, 10);
    assert_true(R1_VALID(&u, UNIT_STARTS));
    assert_int_equal(u.starts_30min, 22);
}

static void test_unit_no_exit_file_and_unreadable_journal_are_unknown_not_zero(void **state)
{
    (void)state;
    struct r1_unit u;
    char err[R1_ERR_MAX];
    memset(&u, 0, sizeof(u));
    const char *r = "r1top-unit 1000\n"
                    "LoadState=loaded\nActiveState=activating\nSubState=auto-restart\n"
                    "ExecMainStartTimestamp=\n"
                    "r1top-show-rc 0\n"
                    "r1top-exit-file -\n"
                    "r1top-starts -\n";
    assert_int_equal(parse(r, &u, err), 0);
    assert_string_equal(u.sub_state, "auto-restart");
    assert_false(R1_VALID(&u, UNIT_STARTED)); /* never started: empty */
    assert_false(R1_VALID(&u, UNIT_EXIT_FILE));
    assert_false(R1_VALID(&u, UNIT_STARTS));
    assert_false(R1_VALID(&u, UNIT_NRESTARTS));
}

/* Each of these fails the read and leaves what was shown alone. */
static void test_unit_bad_replies_are_errors_and_keep_the_previous_values(void **state)
{
    (void)state;
    static const struct {
        const char *reply, *says;
    } bad[] = {
        {"r1top-unit 1000\nsystemctl: unrecognized option '--timestamp=unix'\n"
         "r1top-show-rc 1\nr1top-exit-file -\nr1top-starts -\n",
         "systemctl show failed (exit 1): systemctl: unrecognized option"},
        {"r1top-unit 1000\nLoadState=loaded\nActiveState=Active!!\nr1top-show-rc 0\n"
         "r1top-exit-file -\nr1top-starts -\n",
         "ActiveState"},
        {"r1top-unit 1000\nLoadState=not-found\nActiveState=inactive\nr1top-show-rc 0\n"
         "r1top-exit-file -\nr1top-starts -\n",
         "not-found"},
        {"r1top-unit 1000\nLoadState=loaded\nActiveState=active\nNRestarts=99999999999\n"
         "r1top-show-rc 0\nr1top-exit-file -\nr1top-starts -\n",
         "NRestarts"},
        {"r1top-unit 1000\nLoadState=loaded\nActiveState=active\n"
         "ExecMainStartTimestamp=Mon 2026-11-30 08:00:00 UTC\nr1top-show-rc 0\n"
         "r1top-exit-file -\nr1top-starts -\n",
         "ExecMainStartTimestamp"},
        {"r1top-unit 1000\n" SHOW_OK "r1top-show-rc 0\nr1top-exit-file 0\n", "cut short"},
        {"r1top-unit 1000\n" SHOW_OK, "cut short"},
        {"r1top-unit 1000\nLoadState=loaded\nr1top-show-rc 0\nr1top-exit-file 0\n"
         "r1top-starts 1\n",
         "no ActiveState"},
        {"r1top-unit 1000\n" SHOW_OK "r1top-show-rc 0\nr1top-exit-file 0\nr1top-starts x\n",
         "start count"},
        {"garbage\n", "not what r1top asked for"},
        {"", "not what r1top asked for"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct r1_unit u;
        char err[R1_ERR_MAX] = "";
        memset(&u, 0, sizeof(u));
        r1_strlcpy(u.active_state, "active", sizeof(u.active_state));
        R1_MARK(&u, UNIT_ACTIVE);
        if (parse(bad[i].reply, &u, err) != -1)
            fail_msg("case %zu parsed", i);
        if (!strstr(err, bad[i].says))
            fail_msg("case %zu: '%s' does not say '%s'", i, err, bad[i].says);
        assert_string_equal(u.active_state, "active");
        assert_true(R1_VALID(&u, UNIT_ACTIVE));
    }
}

/* A NUL inside the reply ends that line: no crash, and the line is not trusted. */
static void test_unit_reply_with_a_nul_is_refused(void **state)
{
    (void)state;
    static const char r[] = "r1top-unit 1000\nActiveState=act\0ive\nr1top-show-rc 0\n"
                            "r1top-exit-file -\nr1top-starts -\n";
    struct r1_unit u;
    char err[R1_ERR_MAX];
    memset(&u, 0, sizeof(u));
    assert_int_equal(unit_parse(r, sizeof(r) - 1, 0, &u, err), -1);
}

static void test_unit_exit_file_is_r1setups(void **state)
{
    (void)state;
    char f[128];
    /* standard install: the service and the container are both edge_node */
    assert_int_equal(unit_exit_file("edge_node", "edge_node", f, sizeof(f)), 0);
    assert_string_equal(f, "/tmp/edge_node.exit");
    assert_int_equal(unit_exit_file("edge_node", "", f, sizeof(f)), 0);
    assert_string_equal(f, "/tmp/edge_node.exit");
    /* expert instance: /tmp/<container>.exit */
    assert_int_equal(unit_exit_file("edge_node_two", "edge_node_two", f, sizeof(f)), 0);
    assert_string_equal(f, "/tmp/edge_node_two.exit");
    assert_int_equal(unit_exit_file("edge_node_two", "", f, sizeof(f)), 0);
    assert_string_equal(f, "/tmp/edge_node_two.exit");
    assert_int_equal(unit_exit_file("a/../b", "", f, sizeof(f)), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_reply_fills_every_field_after_a_login_banner),
        cmocka_unit_test(test_unit_no_exit_file_and_unreadable_journal_are_unknown_not_zero),
        cmocka_unit_test(test_unit_bad_replies_are_errors_and_keep_the_previous_values),
        cmocka_unit_test(test_unit_reply_with_a_nul_is_refused),
        cmocka_unit_test(test_unit_exit_file_is_r1setups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
