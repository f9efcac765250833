/* corpus_driver: runs a libFuzzer target (LLVMFuzzerTestOneInput) over every file of its
 * committed corpus with a plain compiler, one TAP line per input, so the regression inputs
 * are checked in every build, not only when someone runs clang's fuzzer. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    /* line by line: when an input aborts the target, the log still names the inputs before it */
    setvbuf(stdout, NULL, _IOLBF, 0);
    DIR *d = opendir(R1_FUZZ_CORPUS);
    if (!d) {
        printf("1..0 # SKIP no corpus at %s\n", R1_FUZZ_CORPUS);
        return 0;
    }
    char *names[4096];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < R1_ARRAY_LEN(names))
        if (de->d_name[0] != '.')
            names[n++] = xstrdup(de->d_name);
    closedir(d);
    qsort(names, n, sizeof(names[0]), cmp);
    printf("1..%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        char path[4096], err[R1_ERR_MAX];
        char *buf = NULL;
        size_t len = 0;
        double mtime;
        snprintf(path, sizeof(path), "%s/%s", R1_FUZZ_CORPUS, names[i]);
        if (r1_read_file(path, 16 << 20, &buf, &len, &mtime, err) < 0) {
            printf("not ok %zu - %s: %s\n", i + 1, names[i], err);
        } else {
            /* The target aborts on any violated property; returning means it held. */
            fprintf(stderr, "input %s\n", names[i]);
            LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
            printf("ok %zu - corpus input %s\n", i + 1, names[i]);
        }
        free(buf);
        free(names[i]);
    }
    return 0;
}
