/* libFuzzer target for the node's own status files and the string helpers they go through:
 * node_files_parse_info, node_files_parse_history, node_files_parse_stream (+ sort_rows),
 * r1_sanitize, r1_parse_elapsed and r1_parse_utc.
 *
 * The first byte picks the parser (byte % 4; the corpus uses the ASCII digits):
 *   '0' local_info.json      the rest is the file
 *   '1' local_history.json   the rest is the file
 *   '2' streams/<NAME>.json  the rest up to the first '\n' is the file name, then the file
 *   '3' util                 the rest (to its first NUL) is a string for r1_sanitize,
 *                            r1_parse_elapsed and r1_parse_utc
 *
 * Properties checked beyond "no crash, no leak, no UB" (abort() on a violation):
 *   - a failed parse returns -1, writes a non-empty NUL-terminated error without control
 *     characters, and leaves the output struct byte-for-byte as it was (the struct is filled
 *     with a known pattern before the call);
 *   - a successful parse keeps meta (all but the valid bits) and the file mtime, sets only
 *     valid bits the group's enum defines (and keeps the MTIME bit as it was), leaves every
 *     string NUL-terminated inside its array, valid UTF-8 and free of C0, DEL, ESC, C1 and
 *     bidi overrides, and keeps counts and numbers in their documented ranges;
 *   - node_files_parse_stream leaves the accumulator untouched on -1 and 1, keeps the rows it
 *     already had on 0, and node_files_sort_rows orders rows totally;
 *   - r1_sanitize output is clean at every buffer size, never longer than its input, a
 *     prefix of the full output when the buffer is short, and a fixed point (sanitising it
 *     again changes nothing); r1_parse_elapsed / r1_parse_utc leave *out alone on failure.
 * Build and run: see tests/fuzz/README.md (make fuzz FUZZ_TARGET=node_files). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "sources/node_files.h"
#include "util.h"

#include "fuzz_checks.h"

#define PATTERN 0xA5

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK_STR(field) check_clean((field), sizeof(field))

/* ---- local_info.json ---------------------------------------------------------------------- */

static void fuzz_info(const char *buf, size_t len)
{
    struct r1_node_info out, before;
    char err[R1_ERR_MAX];
    memset(&out, PATTERN, sizeof(out));
    out.meta.valid = UINT64_MAX; /* every bit set: the parser must clear all but INFO_MTIME */
    memset(err, PATTERN, sizeof(err));
    memcpy(&before, &out, sizeof(out));
    if (node_files_parse_info(buf, len, &out, err) != 0) {
        check_err(err);
        if (memcmp(&out, &before, sizeof(out)) != 0)
            abort();
        return;
    }
    check_meta(&out.meta, &before.meta, INFO_MTIME, INFO_MTIME);
    if (memcmp(&out.file_mtime, &before.file_mtime, sizeof(out.file_mtime)) != 0)
        abort();
    CHECK_STR(out.address);
    CHECK_STR(out.alias);
    CHECK_STR(out.eth_address);
    CHECK_STR(out.version);
    CHECK_STR(out.evm_network);
    CHECK_STR(out.comm_last_active);
    if (R1_VALID(&out, INFO_CUR_EPOCH) && out.current_epoch < 0)
        abort();
    if (R1_VALID(&out, INFO_CUR_AVAIL) &&
        !(out.current_epoch_avail >= 0.0 && out.current_epoch_avail <= 1.0))
        abort();
    if (out.n_last_epochs < 0 || out.n_last_epochs > R1_LAST_EPOCHS_MAX)
        abort();
    if (!R1_VALID(&out, INFO_LAST_EPOCHS) && out.n_last_epochs != 0)
        abort();
    for (int i = 0; i < out.n_last_epochs; i++) {
        if (out.last_epochs[i].epoch < 0)
            abort();
        if (i > 0 && out.last_epochs[i].epoch < out.last_epochs[i - 1].epoch)
            abort(); /* sorted, oldest first */
    }
    if (out.whitelist_n < 0)
        abort();
}

/* ---- local_history.json ------------------------------------------------------------------- */

static void check_series(const struct r1_series *s)
{
    if (s->n < 0 || s->n > R1_HIST_MAX)
        abort();
    for (int i = 0; i < s->n; i++)
        if (!isnan(s->v[i]) && !(s->v[i] >= 0.0f && isfinite(s->v[i])))
            abort();
}

static void fuzz_history(const char *buf, size_t len)
{
    struct r1_node_history out, before;
    char err[R1_ERR_MAX];
    memset(&out, PATTERN, sizeof(out));
    out.meta.valid = UINT64_MAX; /* every bit set: the parser must clear all but HIST_MTIME */
    memset(err, PATTERN, sizeof(err));
    memcpy(&before, &out, sizeof(out));
    if (node_files_parse_history(buf, len, &out, err) != 0) {
        check_err(err);
        if (memcmp(&out, &before, sizeof(out)) != 0)
            abort();
        return;
    }
    check_meta(&out.meta, &before.meta, HIST_MTIME, HIST_MTIME);
    if (memcmp(&out.file_mtime, &before.file_mtime, sizeof(out.file_mtime)) != 0)
        abort();
    CHECK_STR(out.version);
    if (R1_VALID(&out, HIST_UPTIME) && !(out.uptime_s >= 0.0 && isfinite(out.uptime_s)))
        abort();
    if (out.n_last_epochs < 0 || out.n_last_epochs > R1_LAST_EPOCHS_MAX)
        abort();
    if (!R1_VALID(&out, HIST_LAST_EPOCHS) && out.n_last_epochs != 0)
        abort();
    const struct r1_series *all[] = {&out.cpu_load_pct,     &out.cpu_temp_c,
                                     &out.mem_total_gb,     &out.mem_occupied_gb,
                                     &out.gpu_load_pct,     &out.gpu_temp_c,
                                     &out.gpu_mem_occupied_gb, &out.gpu_mem_total_gb};
    for (size_t i = 0; i < R1_ARRAY_LEN(all); i++)
        check_series(all[i]);
    if (R1_VALID(&out, HIST_SAVE_TIME) && !isfinite(out.last_save_time))
        abort();
}

/* ---- streams/<NAME>.json ------------------------------------------------------------------ */

static void check_row(const struct r1_instance *r)
{
    CHECK_STR(r->pipeline);
    CHECK_STR(r->pipeline_type);
    CHECK_STR(r->app_alias);
    CHECK_STR(r->signature);
    CHECK_STR(r->instance_id);
    CHECK_STR(r->image);
    CHECK_STR(r->last_update);
    /* A row may be called admin_pipeline (D11): only the node's own admin pipeline, recognised
     * by its file name and shape, is hidden; test_node_files.c checks which. */
    if (r->port != -1 && (r->port < 1 || r->port > 65535))
        abort();
    if (r->job_id < -1)
        abort();
    unsigned char b;
    memcpy(&b, &r->is_deeployed, 1);
    if (b > 1)
        abort();
}

static int row_cmp(const struct r1_instance *x, const struct r1_instance *y)
{
    int c = strcmp(x->pipeline, y->pipeline);
    if (c == 0)
        c = strcmp(x->instance_id, y->instance_id);
    if (c == 0)
        c = strcmp(x->signature, y->signature);
    return c;
}

static void fuzz_stream(const uint8_t *data, size_t size)
{
    /* "NAME.json\n{...}": the file name, then the file. No newline: a fixed name. */
    const uint8_t *nl = memchr(data, '\n', size);
    char *name;
    const char *buf;
    size_t len;
    if (nl != NULL) {
        name = nul_terminated(data, (size_t)(nl - data));
        buf = (const char *)nl + 1;
        len = size - (size_t)(nl - data) - 1;
    } else {
        name = xstrdup("fuzz.json");
        buf = (const char *)data;
        len = size;
    }

    /* An accumulator that already holds one pipeline's row from an earlier file. */
    struct r1_workloads acc, before;
    struct r1_instance prev;
    memset(&acc, PATTERN, sizeof(acc));
    acc.rows = xmalloc(sizeof(*acc.rows));
    model_instance_init(&acc.rows[0]);
    r1_strlcpy(acc.rows[0].pipeline, "earlier", sizeof(acc.rows[0].pipeline));
    r1_strlcpy(acc.rows[0].instance_id, "EARLIER_INST", sizeof(acc.rows[0].instance_id));
    acc.n_rows = 1;
    acc.n_pipelines = 1;
    acc.n_unreadable = 0;
    memcpy(&prev, &acc.rows[0], sizeof(prev));
    memcpy(&before, &acc, sizeof(acc));

    char err[R1_ERR_MAX];
    memset(err, PATTERN, sizeof(err));
    int rc = node_files_parse_stream(name[0] ? name : NULL, buf, len, &acc, err);
    if (rc < 0)
        check_err(err);
    if (rc != 0) {
        if (rc != -1 && rc != 1)
            abort();
        if (memcmp(&acc, &before, sizeof(acc)) != 0 ||
            memcmp(&acc.rows[0], &prev, sizeof(prev)) != 0)
            abort();
    } else {
        if (acc.n_rows < 2 || acc.n_pipelines != 2 || acc.n_unreadable != 0 ||
            memcmp(&acc.meta, &before.meta, sizeof(acc.meta)) != 0 ||
            memcmp(&acc.rows[0], &prev, sizeof(prev)) != 0)
            abort();
        for (size_t i = 1; i < acc.n_rows; i++) {
            const struct r1_instance *r = &acc.rows[i], *f = &acc.rows[1];
            check_row(r);
            /* pipeline-level fields are the same on every row of one file */
            if (strcmp(r->pipeline, f->pipeline) != 0 ||
                strcmp(r->pipeline_type, f->pipeline_type) != 0 ||
                strcmp(r->app_alias, f->app_alias) != 0 ||
                strcmp(r->last_update, f->last_update) != 0 || r->job_id != f->job_id ||
                r->is_deeployed != f->is_deeployed)
                abort();
        }
        size_t n = acc.n_rows;
        node_files_sort_rows(&acc);
        if (acc.n_rows != n)
            abort();
        bool found = false;
        for (size_t i = 0; i < acc.n_rows; i++) {
            if (i > 0 && row_cmp(&acc.rows[i - 1], &acc.rows[i]) > 0)
                abort();
            found = found || memcmp(&acc.rows[i], &prev, sizeof(prev)) == 0;
        }
        if (!found)
            abort(); /* sorting lost or changed the earlier row */
    }
    free(acc.rows);
    free(name);
}

/* ---- util: r1_sanitize, r1_parse_elapsed, r1_parse_utc ------------------------------------ */

static void fuzz_util(const uint8_t *data, size_t size)
{
    char *s = nul_terminated(data, size);
    size_t slen = strlen(s);

    /* The full output: a buffer as long as the input always suffices (every replacement is
     * one '?' for at least one byte). */
    size_t full_size = slen + 1;
    char *full = xmalloc(full_size);
    r1_sanitize(full, full_size, s);
    check_clean(full, full_size);
    size_t full_len = strlen(full);

    /* Short buffers (allocated to size, so an overrun is caught): clean, and a prefix of the
     * full output that ends on a character boundary. */
    static const size_t sizes[] = {1, 2, 3, 4, 5, 8, 17, 64};
    for (size_t i = 0; i < R1_ARRAY_LEN(sizes); i++) {
        char *dst = xmalloc(sizes[i]);
        r1_sanitize(dst, sizes[i], s);
        check_clean(dst, sizes[i]);
        size_t n = strlen(dst);
        if (n > full_len || memcmp(dst, full, n) != 0)
            abort();
        /* Nothing that would have fitted was dropped: the next character did not fit. */
        if (n < full_len) {
            unsigned cp;
            size_t next = utf8_len((const unsigned char *)full + n, &cp);
            if (next == 0 || n + next <= sizes[i] - 1)
                abort();
        }
        free(dst);
    }

    /* Sanitised text is already safe: a second pass changes nothing. */
    char *again = xmalloc(full_size);
    r1_sanitize(again, full_size, full);
    if (strcmp(again, full) != 0)
        abort();
    free(again);

    /* dst_size 0 writes nothing; NULL src is "". */
    char guard = 'G';
    r1_sanitize(&guard, 0, s);
    if (guard != 'G')
        abort();
    char empty[4] = "xyz";
    r1_sanitize(empty, sizeof(empty), NULL);
    if (empty[0] != '\0')
        abort();

    /* The time parsers: *out only on success, and then a finite number. */
    double secs = -12345.5;
    if (r1_parse_elapsed(s, &secs) == 0) {
        if (!isfinite(secs) || secs < 0.0)
            abort();
    } else if (secs != -12345.5) {
        abort();
    }
    double t = -12345.5;
    if (r1_parse_utc(s, &t) == 0) {
        if (!isfinite(t))
            abort();
    } else if (t != -12345.5) {
        abort();
    }
    free(full);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t *rest = data + 1;
    size_t n = size - 1;
    switch (data[0] % 4) {
    case 0:
        fuzz_info((const char *)rest, n);
        break;
    case 1:
        fuzz_history((const char *)rest, n);
        break;
    case 2:
        fuzz_stream(rest, n);
        break;
    default:
        fuzz_util(rest, n);
        break;
    }
    return 0;
}
