/* test_sources: the source table is the one place a source is described (the reshape issue,
 * section 2): every fact about a source is in its descriptor, the config's refresh.<name> rows
 * come from it, and no other file keeps a table indexed by source. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <string.h>

#include "config.h"
#include "sources/source.h"
#include "testutil.h"

static void test_every_source_describes_itself(void **state)
{
    (void)state;
    for (int s = 0; s < SRC_COUNT; s++) {
        const struct r1_source_ops *ops = source_get((enum r1_source_id)s);
        assert_non_null(ops);
        assert_int_equal(ops->id, s);
        assert_true(ops->name && ops->name[0]);
        assert_true(ops->label && ops->label[0]);
        assert_true(ops->config_help && ops->config_help[0]);
        assert_true(ops->default_interval_s > 0);
        assert_non_null(ops->meta);
        assert_true(ops->sample != NULL || (ops->prepare != NULL && ops->apply != NULL));
        assert_ptr_equal(source_by_name(ops->name), ops);
        if (ops->after) {
            /* a dependency is another source of the table, of the same scope, listed earlier
             * (jobs start in table order) */
            assert_ptr_equal(source_get(ops->after->id), ops->after);
            assert_int_equal(ops->after->scope, ops->scope);
            assert_true(ops->after->id < ops->id);
        }
        for (int o = 0; o < s; o++)
            assert_string_not_equal(source_get((enum r1_source_id)o)->name, ops->name);
    }
    assert_null(source_by_name("no_such_source"));
}

static void test_config_refresh_rows_come_from_the_sources(void **state)
{
    (void)state;
    struct r1_config cfg;
    config_defaults(&cfg);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    config_write_example(out);
    fclose(out);
    for (int s = 0; s < SRC_COUNT; s++) {
        const struct r1_source_ops *ops = source_get((enum r1_source_id)s);
        assert_true(cfg.interval_s[s] == ops->default_interval_s);
        char row[96];
        snprintf(row, sizeof(row), "\n  %s: %g\n", ops->name, ops->default_interval_s);
        if (!strstr(text, row))
            fail_msg("the example config has no row '%s: %g' under refresh:", ops->name,
                     ops->default_interval_s);
        char head[32];   /* the example wraps help text: its first words stay on one line */
        snprintf(head, sizeof(head), "# %.20s", ops->config_help);
        assert_non_null(strstr(text, head));
    }
    free(text);
    config_free(&cfg);
}

/* A table indexed by source id ([SRC_x] = ...) anywhere but source.c is a second list of
 * sources that the next source would have to be added to. */
/* "[SRC_NAME] =" (a designated initializer), not "src[SRC_NAME]" (a look-up). */
static bool has_source_table(const char *body)
{
    for (const char *p = strstr(body, "[SRC_"); p; p = strstr(p + 1, "[SRC_")) {
        const char *q = p + 5;
        while ((*q >= 'A' && *q <= 'Z') || *q == '_')
            q++;
        if (*q++ != ']')
            continue;
        while (*q == ' ')
            q++;
        if (q[0] == '=' && q[1] != '=')
            return true;
    }
    return false;
}

static void scan_dir(const char *dir, int *found)
{
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot list %s", dir);
    struct dirent *de;
    while ((de = readdir(d))) {
        char path[1024];
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        size_t l = strlen(de->d_name);
        if (l > 2 && strcmp(de->d_name + l - 2, ".c") == 0 && strcmp(de->d_name, "source.c")) {
            size_t n = 0;
            char *body = test_fixture(path, "", &n);
            if (has_source_table(body)) {
                print_message("# %s keeps a table indexed by source id\n", path);
                (*found)++;
            }
            free(body);
        } else if (!strchr(de->d_name, '.')) {
            scan_dir(path, found);
        }
    }
    closedir(d);
}

static void test_no_other_file_lists_the_sources(void **state)
{
    (void)state;
    int found = 0;
    scan_dir(R1_TEST_DATA "/../../src", &found);
    scan_dir(R1_TEST_DATA "/../../ui", &found);
    assert_int_equal(found, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_source_describes_itself),
        cmocka_unit_test(test_config_refresh_rows_come_from_the_sources),
        cmocka_unit_test(test_no_other_file_lists_the_sources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
