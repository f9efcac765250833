/* libFuzzer target for the Docker Engine API container-inspect parser: docker_parse_inspect
 * and docker_parse_time (State.StartedAt).
 *
 * The first byte picks the parser (byte % 2; the corpus uses the ASCII digits):
 *   '0' GET /containers/<name>/json reply   the rest is the reply body
 *   '1' an RFC 3339 time as Docker writes it the rest (to its first NUL) is the text
 *
 * Properties checked beyond "no crash, no leak, no UB" (abort() on a violation):
 *   - a failed inspect parse returns -1, writes a non-empty NUL-terminated error without
 *     control characters, and leaves *out byte-for-byte as it was (filled with a known
 *     pattern before the call);
 *   - a successful one keeps meta but the valid bits, sets only DOCK_* bits, leaves state,
 *     image and health NUL-terminated inside their arrays, valid UTF-8 and free of C0, DEL,
 *     ESC, C1 and bidi overrides; a valid start or finish time is finite; a valid restart count is
 *     the reply's RestartCount exactly (a count: not negative, not wrapped into an int);
 *   - docker_parse_time sets *t only on success, then to a finite number, and agrees with
 *     r1_parse_utc on every "YYYY-mm-ddTHH:MM:SS[.f]Z" text both accept.
 * Build and run: see tests/fuzz/README.md (make fuzz FUZZ_TARGET=docker). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "model.h"
#include "sources/docker.h"
#include "util.h"

#include "fuzz_checks.h"

#define PATTERN 0xA5

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK_STR(field) check_clean((field), sizeof(field))

/* ---- container inspect ------------------------------------------------------------------- */

static void fuzz_inspect(const char *buf, size_t len)
{
    struct r1_docker out, before;
    char err[R1_ERR_MAX];
    memset(&out, PATTERN, sizeof(out));
    memset(err, PATTERN, sizeof(err));
    memcpy(&before, &out, sizeof(out));
    if (docker_parse_inspect(buf, len, &out, err) != 0) {
        check_err(err);
        if (memcmp(&out, &before, sizeof(out)) != 0)
            abort();
        return;
    }
    const struct r1_meta *m = &out.meta, *b = &before.meta;
    if (memcmp(&m->updated_at, &b->updated_at, sizeof(m->updated_at)) != 0 ||
        m->fed_by != b->fed_by)
        abort();
    if (m->valid >> (DOCK_FINISHED + 1))
        abort();
    CHECK_STR(out.state);
    CHECK_STR(out.image);
    CHECK_STR(out.health);
    if (R1_VALID(&out, DOCK_STARTED) && !isfinite(out.started_at))
        abort();
    if (R1_VALID(&out, DOCK_FINISHED) && !isfinite(out.finished_at))
        abort();
    if (R1_VALID(&out, DOCK_RESTARTS)) {
        /* The count shown is the count Docker sent, read again independently. */
        char perr[R1_ERR_MAX];
        int64_t sent;
        cJSON *doc = json_parse(buf, len, perr);
        /* `docker inspect` over ssh:// prints the object in an array of one */
        const cJSON *obj = cJSON_IsArray(doc) ? cJSON_GetArrayItem(doc, 0) : doc;
        if (doc == NULL || !json_get_i64(obj, "RestartCount", &sent))
            abort();
        cJSON_Delete(doc);
        if (out.restart_count < 0 || (int64_t)out.restart_count != sent)
            abort();
    }
}

/* ---- StartedAt ---------------------------------------------------------------------------- */

/* "YYYY-mm-ddTHH:MM:SS[.digits]Z" exactly: the shape both time parsers read. */
static bool plain_utc_shape(const char *s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    size_t i = 0;
    for (; shape[i]; i++) {
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
            return false;
    }
    if (s[i] == '.') {
        size_t digits = 0;
        for (i++; s[i] >= '0' && s[i] <= '9'; i++)
            digits++;
        if (digits == 0)
            return false;
    }
    return s[i] == 'Z' && s[i + 1] == '\0';
}

static void fuzz_time(const uint8_t *data, size_t size)
{
    char *s = nul_terminated(data, size);
    double t = -12345.5;
    if (docker_parse_time(s, &t) != 0) {
        if (t != -12345.5)
            abort();
    } else {
        if (!isfinite(t))
            abort();
        if (plain_utc_shape(s)) {
            /* Same instant as r1_parse_utc gives for the text without its 'Z', when that
             * accepts it (it also checks month and day ranges; Docker's does not). */
            double u;
            s[strlen(s) - 1] = '\0';
            if (r1_parse_utc(s, &u) == 0 && fabs(u - t) > 1e-3)
                abort();
        }
    }
    /* NULL is refused, not dereferenced. */
    if (docker_parse_time(NULL, &t) != -1)
        abort();
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] % 2 == 0)
        fuzz_inspect((const char *)data + 1, size - 1);
    else
        fuzz_time(data + 1, size - 1);
    return 0;
}
