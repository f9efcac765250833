/* test_cli: the command line contract (options, commands, their errors) and the --help
 * text that documents it. Every test parses more than once: cli_parse keeps no state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "util.h"

#define MAX_ARGS 32

struct argv_buf {
    char *argv[MAX_ARGS + 1];
    int argc;
};

/* Parse "r1top" followed by the NULL-terminated words. The argv lives in *ab. */
static int parse_words(struct argv_buf *ab, struct r1_cli *cli, char *err, const char *first,
                       ...)
{
    va_list ap;
    ab->argc = 0;
    ab->argv[ab->argc++] = (char *)"r1top";
    va_start(ap, first);
    for (const char *w = first; w && ab->argc < MAX_ARGS; w = va_arg(ap, const char *))
        ab->argv[ab->argc++] = (char *)w;
    va_end(ap);
    ab->argv[ab->argc] = NULL;
    err[0] = '\0';
    return cli_parse(ab->argc, ab->argv, cli, err);
}

#define PARSE(cli, err, ...) parse_words(&ab, (cli), (err), __VA_ARGS__, (const char *)NULL)

static void expect_error(struct argv_buf *ab, const char *want, const char *first, ...)
{
    va_list ap;
    ab->argc = 0;
    ab->argv[ab->argc++] = (char *)"r1top";
    va_start(ap, first);
    for (const char *w = first; w && ab->argc < MAX_ARGS; w = va_arg(ap, const char *))
        ab->argv[ab->argc++] = (char *)w;
    va_end(ap);
    ab->argv[ab->argc] = NULL;
    struct r1_cli cli;
    char err[R1_ERR_MAX] = "";
    int rc = cli_parse(ab->argc, ab->argv, &cli, err);
    if (rc == 0 || strcmp(err, want) != 0)
        print_error("want: %s\ngot:  %s (rc %d)\n", want, err, rc);
    assert_int_equal(rc, -1);
    assert_string_equal(err, want);
}

#define EXPECT_ERROR(want, ...) expect_error(&ab, (want), __VA_ARGS__, (const char *)NULL)

static void test_cli_no_arguments_is_interactive_with_nothing_set(void **state)
{
    (void)state;
    struct argv_buf ab;
    struct r1_cli cli;
    char err[R1_ERR_MAX];
    char *argv[] = {(char *)"r1top", NULL};
    assert_int_equal(cli_parse(1, argv, &cli, err), 0);
    assert_int_equal(cli.mode, R1_MODE_UI);
    assert_false(cli.demo || cli.json || cli.no_color || cli.readonly);
    assert_true(cli.delay_s <= 0);
    assert_true(cli.timeout_s <= 0);
    assert_null(cli.config_path);
    assert_null(cli.identity_path);
    assert_null(cli.args);
    assert_int_equal(cli.n_args, 0);
    /* argc 0 (execve with an empty argv) is not a crash. */
    assert_int_equal(cli_parse(0, argv, &cli, err), 0);
    assert_int_equal(cli.mode, R1_MODE_UI);
    (void)ab;
}

static void test_cli_each_flag_sets_its_field(void **state)
{
    (void)state;
    struct argv_buf ab;
    struct r1_cli cli;
    char err[R1_ERR_MAX];
    assert_int_equal(PARSE(&cli, err, "--demo"), 0);
    assert_true(cli.demo);
    assert_int_equal(cli.mode, R1_MODE_UI);
    assert_int_equal(PARSE(&cli, err, "--no-color"), 0);
    assert_true(cli.no_color);
    assert_false(cli.demo);
    assert_int_equal(PARSE(&cli, err, "--readonly"), 0);
    assert_true(cli.readonly);
    assert_false(cli.no_color);
    assert_int_equal(PARSE(&cli, err, "--demo", "--readonly", "--no-color"), 0);
    assert_true(cli.demo && cli.readonly && cli.no_color);
}

static void test_cli_once_and_json(void **state)
{
    (void)state;
    struct argv_buf ab;
    struct r1_cli cli;
    char err[R1_ERR_MAX];
    assert_int_equal(PARSE(&cli, err, "--once"), 0);
    assert_int_equal(cli.mode, R1_MODE_ONCE);
    assert_false(cli.json);
    assert_int_equal(PARSE(&cli, err, "--json", "--once"), 0);
    assert_int_equal(cli.mode, R1_MODE_ONCE);
    assert_true(cli.json);
    assert_int_equal(PARSE(&cli, err, "--once", "--json", "--demo", "--timeout", "2.5"), 0);
    assert_int_equal(cli.mode, R1_MODE_ONCE);
    assert_true(cli.json && cli.demo);
    assert_true(cli.timeout_s == 2.5);
    assert_int_equal(PARSE(&cli, err, "--once", "--timeout=30"), 0);
    assert_true(cli.timeout_s == 30.0);
}

static void test_cli_json_without_once_is_an_error(void **state)
{
    (void)state;
    struct argv_buf ab;
    EXPECT_ERROR("--json needs --once; try 'r1top --once --json'", "--json");
    EXPECT_ERROR("--json needs --once; try 'r1top --once --json'", "--demo", "--json");
}

static void test_cli_timeout_without_once_is_an_error(void **state)
{
    (void)state;
    struct argv_buf ab;
    EXPECT_ERROR("--timeout needs --once; try 'r1top --once --timeout 5'", "--timeout", "5");
}

static void test_cli_delay_accepts_decimal_seconds_in_every_spelling(void **state)
{
    (void)state;
    struct argv_buf ab;
    struct r1_cli cli;
    char err[R1_ERR_MAX];
    assert_int_equal(PARSE(&cli, err, "-d", "2"), 0);
    assert_true(cli.delay_s == 2.0);
    assert_int_equal(PARSE(&cli, err, "-d0.5"), 0);
    assert_true(cli.delay_s == 0.5);
    assert_int_equal(PARSE(&cli, err, "--delay", ".25"), 0);
    assert_true(cli.delay_s == 0.25);
    assert_int_equal(PARSE(&cli, err, "--delay=3600"), 0);
    assert_true(cli.delay_s == 3600.0);
    assert_int_equal(PARSE(&cli, err, "-d", "0.1"), 0);
    assert_true(cli.delay_s == 0.1);
    /* Given twice, the last one wins (as with top). */
    assert_int_equal(PARSE(&cli, err, "-d", "1", "--delay", "7"), 0);
    assert_true(cli.delay_s == 7.0);
}

static void test_cli_delay_out_of_range_or_not_a_number_is_an_error(void **state)
{
    (void)state;
    struct argv_buf ab;
    EXPECT_ERROR("invalid delay '0.05' for -d; expected seconds from 0.1 to 3600", "-d", "0.05");
    EXPECT_ERROR("invalid delay '3601' for --delay; expected seconds from 0.1 to 3600",
                 "--delay=3601");
    EXPECT_ERROR("invalid delay 'fast' for -d; expected seconds from 0.1 to 3600", "-dfast");
    EXPECT_ERROR("invalid delay '1e2' for -d; expected seconds from 0.1 to 3600", "-d", "1e2");
    EXPECT_ERROR("invalid delay '-1' for -d; expected seconds from 0.1 to 3600", "-d", "-1");
    EXPECT_ERROR("invalid delay '' for --delay; expected seconds from 0.1 to 3600", "--delay=");
    EXPECT_ERROR("invalid delay 'nan' for -d; expected seconds from 0.1 to 3600", "-d", "nan");
    EXPECT_ERROR("invalid timeout '0' for --timeout; expected seconds from 0.1 to 3600",
                 "--once", "--timeout", "0");
}

static void test_cli_config_and_identity_take_a_file(void **state)
{
    (void)state;
    struct argv_buf ab;
    struct r1_cli cli;
    char err[R1_ERR_MAX];
    assert_int_equal(PARSE(&cli, err, "-c", "a.yaml"), 0);
    assert_string_equal(cli.config_path, "a.yaml");
    assert_int_equal(PARSE(&cli, err, "-cb.yaml"), 0);
    assert_string_equal(cli.config_path, "b.yaml");
    assert_int_equal(PARSE(&cli, err, "--config", "c.yaml"), 0);
    assert_string_equal(cli.config_path, "c.yaml");
    assert_int_equal(PARSE(&cli, err, "--config=d.yaml", "--identity", "k.pem"), 0);
    assert_string_equal(cli.config_path, "d.yaml");
    assert_string_equal(cli.identity_path, "k.pem");
    assert_int_equal(PARSE(&cli, err, "--identity=/keys/me.pem"), 0);
    assert_string_equal(cli.identity_path, "/keys/me.pem");
    assert_null(cli.config_path);
    /* Like getopt: the word after -c is the file, even if it looks like an option. */
    assert_int_equal(PARSE(&cli, err, "-c", "--demo"), 0);
    assert_string_equal(cli.config_path, "--demo");
    assert_false(cli.demo);
    EXPECT_ERROR("option '--config' needs a FILE, not an empty string", "--config=");
}

static void test_cli_short_options_cluster(void **state)
{
    (void)state;
    struct argv_buf ab;
    struct r1_cli cli;
    char err[R1_ERR_MAX];
    /* A value ends the cluster: -d takes "2" here, not "2c...". */
    assert_int_equal(PARSE(&cli, err, "-c", "x.yaml", "-d2"), 0);
    assert_true(cli.delay_s == 2.0);
    assert_int_equal(PARSE(&cli, err, "-Vh"), 0);
    assert_int_equal(cli.mode, R1_MODE_VERSION);
    assert_int_equal(PARSE(&cli, err, "-hV"), 0);
    assert_int_equal(cli.mode, R1_MODE_HELP);
    assert_int_equal(PARSE(&cli, err, "-cd"), 0);
    assert_string_equal(cli.config_path, "d");
    EXPECT_ERROR("unknown option '-q'; try 'r1top --help'", "-qd", "2");
    EXPECT_ERROR("unknown option '-?'; try 'r1top --help'", "-c", "x", "-\x1b");
}

static void test_cli_help_and_version(void **state)
{
    (void)state;
    struct argv_buf ab;
    struct r1_cli cli;
    char err[R1_ERR_MAX];
    assert_int_equal(PARSE(&cli, err, "-h"), 0);
    assert_int_equal(cli.mode, R1_MODE_HELP);
    assert_int_equal(PARSE(&cli, err, "--help"), 0);
    assert_int_equal(cli.mode, R1_MODE_HELP);
    assert_int_equal(PARSE(&cli, err, "-V"), 0);
    assert_int_equal(cli.mode, R1_MODE_VERSION);
    assert_int_equal(PARSE(&cli, err, "--version"), 0);
    assert_int_equal(cli.mode, R1_MODE_VERSION);
    /* --help wins over what comes after it, even nonsense: asking for help is never wrong. */
    assert_int_equal(PARSE(&cli, err, "--once", "--help", "--bogus", "frobnicate"), 0);
    assert_int_equal(cli.mode, R1_MODE_HELP);
    assert_int_equal(PARSE(&cli, err, "verify", "--help"), 0);
    assert_int_equal(cli.mode, R1_MODE_HELP);
    /* A hidden option for tests and the man page. */
    assert_int_equal(PARSE(&cli, err, "--keys"), 0);
    assert_int_equal(cli.mode, R1_MODE_KEYS);
}

static void test_cli_unknown_option_names_it(void **state)
{
    (void)state;
    struct argv_buf ab;
    EXPECT_ERROR("unknown option '--x'; try 'r1top --help'", "--x");
    EXPECT_ERROR("unknown option '--frobnicate'; try 'r1top --help'", "--demo", "--frobnicate=2");
    EXPECT_ERROR("unknown option '-q'; try 'r1top --help'", "-q");
    /* No abbreviations: a script's "--conf" would break the day an option "--confirm" came. */
    EXPECT_ERROR("unknown option '--conf'; try 'r1top --help'", "--conf", "x.yaml");
    EXPECT_ERROR("unknown option '---'; try 'r1top --help'", "---");
}

static void test_cli_missing_or_unwanted_values_are_errors(void **state)
{
    (void)state;
    struct argv_buf ab;
    EXPECT_ERROR("option '-d' needs a value (SECONDS); try 'r1top --help'", "-d");
    EXPECT_ERROR("option '--config' needs a value (FILE); try 'r1top --help'", "--config");
    EXPECT_ERROR("option '--timeout' needs a value (SECONDS); try 'r1top --help'", "--once",
                 "--timeout");
    EXPECT_ERROR("option '--demo' takes no value; try 'r1top --help'", "--demo=1");
    EXPECT_ERROR("option '--once' takes no value; try 'r1top --help'", "--once=yes");
}

static void test_cli_verify_takes_files_with_options_anywhere(void **state)
{
    (void)state;
    struct argv_buf ab;
    struct r1_cli cli;
    char err[R1_ERR_MAX];
    assert_int_equal(PARSE(&cli, err, "verify", "a.json"), 0);
    assert_int_equal(cli.mode, R1_MODE_VERIFY);
    assert_int_equal(cli.n_args, 1);
    assert_string_equal(cli.args[0], "a.json");

    assert_int_equal(PARSE(&cli, err, "-c", "x.yaml", "verify", "a.json", "--readonly", "b.json",
                           "-", "c.json"), 0);
    assert_int_equal(cli.mode, R1_MODE_VERIFY);
    assert_string_equal(cli.config_path, "x.yaml");
    assert_true(cli.readonly);
    assert_int_equal(cli.n_args, 4);
    assert_string_equal(cli.args[0], "a.json");
    assert_string_equal(cli.args[1], "b.json");
    assert_string_equal(cli.args[2], "-");
    assert_string_equal(cli.args[3], "c.json");
    assert_null(cli.args[4]); /* argv stays NULL-terminated */
    assert_ptr_equal(cli.args, ab.argv + ab.argc - 4);

    /* After "--" everything is a file, even "-d". */
    assert_int_equal(PARSE(&cli, err, "verify", "--", "-d", "--json"), 0);
    assert_int_equal(cli.n_args, 2);
    assert_string_equal(cli.args[0], "-d");
    assert_string_equal(cli.args[1], "--json");
    assert_true(cli.delay_s <= 0);
    assert_false(cli.json);
}

static void test_cli_verify_without_files_is_an_error(void **state)
{
    (void)state;
    struct argv_buf ab;
    EXPECT_ERROR("verify needs at least one FILE; usage: r1top verify FILE...", "verify");
    EXPECT_ERROR("verify needs at least one FILE; usage: r1top verify FILE...", "-c", "x",
                 "verify", "--readonly");
}

static void test_cli_whoami_and_keygen(void **state)
{
    (void)state;
    struct argv_buf ab;
    struct r1_cli cli;
    char err[R1_ERR_MAX];
    assert_int_equal(PARSE(&cli, err, "whoami"), 0);
    assert_int_equal(cli.mode, R1_MODE_WHOAMI);
    assert_int_equal(cli.n_args, 0);
    assert_null(cli.identity_path);
    assert_int_equal(PARSE(&cli, err, "whoami", "--identity", "me.pem"), 0);
    assert_int_equal(cli.mode, R1_MODE_WHOAMI);
    assert_string_equal(cli.identity_path, "me.pem");
    EXPECT_ERROR("whoami takes no arguments; got 'me.pem'", "whoami", "me.pem");

    assert_int_equal(PARSE(&cli, err, "keygen", "new.pem"), 0);
    assert_int_equal(cli.mode, R1_MODE_KEYGEN);
    assert_int_equal(cli.n_args, 1);
    assert_string_equal(cli.args[0], "new.pem");
    EXPECT_ERROR("keygen needs a FILE; usage: r1top keygen FILE", "keygen");
    EXPECT_ERROR("keygen takes one FILE; got 2 (usage: r1top keygen FILE)", "keygen", "a", "b");
}

static void test_cli_unknown_command_is_an_error(void **state)
{
    (void)state;
    struct argv_buf ab;
    EXPECT_ERROR("unknown command 'status'; expected verify, whoami, keygen, restart, stop, start, logs, allowed, allow, alias, apps, net-stop or net-restart (try 'r1top "
                 "--help')", "status");
    EXPECT_ERROR("unknown command 'node.yaml'; expected verify, whoami, keygen, restart, stop, start, logs, allowed, allow, alias, apps, net-stop or net-restart (try 'r1top "
                 "--help')", "--once", "node.yaml");
    EXPECT_ERROR("unknown command '-'; expected verify, whoami, keygen, restart, stop, start, logs, allowed, allow, alias, apps, net-stop or net-restart (try 'r1top --help')",
                 "-");
}

static void test_cli_once_with_a_command_is_an_error(void **state)
{
    (void)state;
    struct argv_buf ab;
    EXPECT_ERROR("--once does not go with 'verify'; try 'r1top --help'", "--once", "verify",
                 "a.json");
    EXPECT_ERROR("--once does not go with 'whoami'; try 'r1top --help'", "whoami", "--once");
}

static void test_cli_repeated_parses_start_clean(void **state)
{
    (void)state;
    struct argv_buf ab;
    struct r1_cli cli;
    char err[R1_ERR_MAX];
    for (int round = 0; round < 3; round++) {
        assert_int_equal(PARSE(&cli, err, "--once", "--json", "-d", "5", "-c", "x"), 0);
        assert_int_equal(cli.mode, R1_MODE_ONCE);
        assert_int_equal(PARSE(&cli, err, "--bogus"), -1);
        assert_int_equal(PARSE(&cli, err, "--demo"), 0);
        assert_int_equal(cli.mode, R1_MODE_UI);
        assert_false(cli.json);
        assert_true(cli.delay_s <= 0);
        assert_null(cli.config_path);
        assert_int_equal(PARSE(&cli, err, "verify", "f1", "f2"), 0);
        assert_int_equal(cli.n_args, 2);
        assert_int_equal(PARSE(&cli, err, "whoami"), 0);
        assert_int_equal(cli.n_args, 0);
        assert_null(cli.args);
    }
    /* The same argv twice: the first parse's reordering must not change the second's result. */
    char *argv[] = {(char *)"r1top", (char *)"verify", (char *)"a", (char *)"--readonly",
                    (char *)"b", NULL};
    for (int round = 0; round < 2; round++) {
        assert_int_equal(cli_parse(5, argv, &cli, err), 0);
        assert_int_equal(cli.mode, R1_MODE_VERIFY);
        assert_true(cli.readonly);
        assert_int_equal(cli.n_args, 2);
        assert_string_equal(cli.args[0], "a");
        assert_string_equal(cli.args[1], "b");
    }
}

static char *usage_text(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    assert_non_null(mem);
    cli_usage(mem);
    fclose(mem);
    return text;
}

static void test_cli_usage_documents_every_option_and_command(void **state)
{
    (void)state;
    char *text = usage_text();
    static const char *const must[] = {
        "Usage: r1top [OPTIONS]", "--demo", "--once", "--json", "--timeout SECONDS",
        "-c, --config FILE", "-d, --delay SECONDS", "--no-color", "--readonly",
        "--identity FILE", "-h, --help", "-V, --version", "r1top verify FILE...",
        "r1top whoami", "r1top keygen FILE", "$XDG_CONFIG_HOME/r1top/config.yaml",
        "~/.config/r1top/config.yaml", "NO_COLOR", "XDG_CONFIG_HOME", "Exit status",
        "0  every source answered", "1  at least one source failed",
        "2  usage or configuration error", "Keys: press ? or F1 inside r1top",
    };
    for (size_t i = 0; i < R1_ARRAY_LEN(must); i++) {
        if (!strstr(text, must[i]))
            print_error("--help lacks: %s\n", must[i]);
        assert_non_null(strstr(text, must[i]));
    }
    /* The hidden option stays hidden. */
    assert_null(strstr(text, "--keys"));
    free(text);
}

static void test_cli_usage_fits_80_columns(void **state)
{
    (void)state;
    char *text = usage_text();
    size_t col = 0;
    for (const char *p = text; *p; p++) {
        col = *p == '\n' ? 0 : col + 1;
        if (col >= 80)
            print_error("line too long near: %.40s\n", p - 40);
        assert_true(col < 80);
        assert_true(*p != '\t');
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_no_arguments_is_interactive_with_nothing_set),
        cmocka_unit_test(test_cli_each_flag_sets_its_field),
        cmocka_unit_test(test_cli_once_and_json),
        cmocka_unit_test(test_cli_json_without_once_is_an_error),
        cmocka_unit_test(test_cli_timeout_without_once_is_an_error),
        cmocka_unit_test(test_cli_delay_accepts_decimal_seconds_in_every_spelling),
        cmocka_unit_test(test_cli_delay_out_of_range_or_not_a_number_is_an_error),
        cmocka_unit_test(test_cli_config_and_identity_take_a_file),
        cmocka_unit_test(test_cli_short_options_cluster),
        cmocka_unit_test(test_cli_help_and_version),
        cmocka_unit_test(test_cli_unknown_option_names_it),
        cmocka_unit_test(test_cli_missing_or_unwanted_values_are_errors),
        cmocka_unit_test(test_cli_verify_takes_files_with_options_anywhere),
        cmocka_unit_test(test_cli_verify_without_files_is_an_error),
        cmocka_unit_test(test_cli_whoami_and_keygen),
        cmocka_unit_test(test_cli_unknown_command_is_an_error),
        cmocka_unit_test(test_cli_once_with_a_command_is_an_error),
        cmocka_unit_test(test_cli_repeated_parses_start_clean),
        cmocka_unit_test(test_cli_usage_documents_every_option_and_command),
        cmocka_unit_test(test_cli_usage_fits_80_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
