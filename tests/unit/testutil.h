/* testutil: helpers shared by the cmocka tests. Include after <cmocka.h>. */
#ifndef R1_TESTUTIL_H
#define R1_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>

/* The whole file dir/name, NUL-terminated; *len excludes the NUL. Fails the test if absent. */
static inline char *test_fixture(const char *dir, const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open fixture %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

#endif
