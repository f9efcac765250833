/* testutil: helpers shared by the cmocka tests. Include after <cmocka.h>. */
#ifndef R1_TESTUTIL_H
#define R1_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The ABI vector `name` of tests/data/abi/vectors.txt ("name hex" lines, written by
 * make_vectors.py) as "0x" + hex, malloc'd; fails the test when there is none. */
static inline char *test_abi_vector_hex(const char *dir, const char *name)
{
    size_t len, nl = strlen(name);
    char *all = test_fixture(dir, "/abi/vectors.txt", &len);
    for (char *line = strtok(all, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, name, nl) != 0 || line[nl] != ' ')
            continue;
        char *hex = malloc(strlen(line + nl + 1) + 3);
        assert_non_null(hex);
        sprintf(hex, "0x%s", line + nl + 1);
        free(all);
        return hex;
    }
    free(all);
    fail_msg("no vector %s in vectors.txt", name);
    return NULL;
}

#endif
