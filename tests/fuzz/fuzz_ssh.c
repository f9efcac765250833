/* libFuzzer target for what a node host reached over ssh:// sends back, and for the ssh:// URL
 * itself: transport_ssh_parse_dir, transport_ssh_parse_file, gpu_parse_nvidia_smi,
 * transport_ssh_parse_url and unit_parse (the unit command's reply, local or over ssh).
 *
 * The first byte picks the parser (byte % 4, but '4' is unit_parse; the corpus uses the ASCII
 * digits):
 *   '0' a folder read's framed stream      '1' a file read's framed stream
 *   '2' nvidia-smi's CSV                   '3' an ssh:// or local:// URL (to its first NUL)
 *   '4' the unit command's framed reply
 *
 * Properties checked beyond "no crash, no leak, no UB" (abort() on a violation):
 *   - a folder listing that fails has no files; one that parses has at most DIRREAD_MAX_FILES
 *     entries sorted by name, each named *.json (not hidden, NUL-terminated), either with a
 *     NUL-terminated body of at most DIRREAD_MAX_FILE_BYTES or with no body and an error;
 *     n_read counts the bodies and n_total is at least the entries;
 *   - a file reply's body lies inside the input and is over the cap exactly when 1 is returned;
 *   - nvidia-smi: failure leaves the GPUs and the count as they were; success gives at most
 *     max GPUs with GPU_* bits only, clean names and figures in range;
 *   - a URL that parses has a host and a login that cannot be an option, a port in 0..65535,
 *     and a FILE/DIR path starting with '/'; an action's name and verb cannot be options;
 *   - a unit reply that fails leaves the unit as it was; one that parses sets UNIT_* bits only,
 *     with lower-case states and counts and codes in range.
 * Build and run: see tests/fuzz/README.md (make fuzz FUZZ_TARGET=ssh). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dirread.h"
#include "model.h"
#include "sources/gpu.h"
#include "sources/unit.h"
#include "transport_ssh.h"
#include "util.h"

#include "fuzz_checks.h"

#define PATTERN 0xA5

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_dir(const char *buf, size_t len)
{
    struct dirread_result d;
    char err[R1_ERR_MAX];
    memset(err, PATTERN, sizeof(err));
    if (transport_ssh_parse_dir(buf, len, 1000.0, &d, err) != 0) {
        check_err(err);
        if (d.files || d.n_files)
            abort();
        return;
    }
    if (!d.files || d.n_files > DIRREAD_MAX_FILES || d.n_total < d.n_files)
        abort();
    size_t read = 0;
    for (size_t i = 0; i < d.n_files; i++) {
        const struct r1_file *f = &d.files[i];
        size_t nl = strnlen(f->name, sizeof(f->name));
        if (nl == sizeof(f->name) || nl < 6 || f->name[0] == '.' ||
            strcmp(f->name + nl - 5, ".json") != 0)
            abort();
        if (i > 0 && strcmp(d.files[i - 1].name, f->name) > 0)
            abort();
        if (f->body) {
            if (f->len > DIRREAD_MAX_FILE_BYTES || f->body[f->len] != '\0')
                abort();
            read++;
        } else {
            check_err(f->error);
        }
    }
    if (read != d.n_read)
        abort();
    dirread_free(&d);
}

static void fuzz_file(const char *buf, size_t len)
{
    const char *body = NULL;
    size_t blen = 0;
    double mtime = 0;
    char err[R1_ERR_MAX];
    memset(err, PATTERN, sizeof(err));
    int rc = transport_ssh_parse_file(buf, len, 64, 1000.0, &body, &blen, &mtime, err);
    if (rc < 0) {
        check_err(err);
        return;
    }
    if (body < buf || body + blen != buf + len || (rc == 1) != (blen > 64) || !isfinite(mtime))
        abort();
}

static void fuzz_smi(const char *buf, size_t len)
{
    struct r1_gpu g[R1_GPU_MAX], before[R1_GPU_MAX];
    int n = -7;
    char err[R1_ERR_MAX];
    memset(g, PATTERN, sizeof(g));
    for (int i = 0; i < R1_GPU_MAX; i++) {
        memset(&g[i].util_hist, 0, sizeof(g[i].util_hist));
        memset(&g[i].mem_hist_pct, 0, sizeof(g[i].mem_hist_pct));
    }
    memcpy(before, g, sizeof(g));
    if (gpu_parse_nvidia_smi(buf, len, g, 4, &n, 50.0, err) != 0) {
        check_err(err);
        if (n != -7 || memcmp(g, before, sizeof(g)) != 0)
            abort();
        return;
    }
    if (n < 0 || n > 4)
        abort();
    for (int i = 0; i < n; i++) {
        if (g[i].meta.valid >> (GPU_POWER + 1) || g[i].meta.updated_at != 50.0)
            abort();
        if (R1_VALID(&g[i], GPU_NAME))
            check_clean(g[i].name, sizeof(g[i].name));
        if (R1_VALID(&g[i], GPU_UTIL) && !(g[i].util_pct >= 0 && g[i].util_pct <= 100))
            abort();
        if (R1_VALID(&g[i], GPU_MEM) &&
            !(g[i].mem_total_bytes > 0 && g[i].mem_used_bytes <= g[i].mem_total_bytes))
            abort();
        if (R1_VALID(&g[i], GPU_TEMP) && !isfinite(g[i].temp_c))
            abort();
        if (R1_VALID(&g[i], GPU_POWER) && !(g[i].power_mw >= 0 && isfinite(g[i].power_mw)))
            abort();
    }
    /* GPUs past n are untouched */
    if (memcmp(&g[4], &before[4], sizeof(g[0]) * (R1_GPU_MAX - 4)) != 0)
        abort();
}

static bool name_safe(const char *s)
{
    if (s[0] == '-')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("._-:%@", *s)))
            return false;
    return true;
}

static void fuzz_url(const uint8_t *data, size_t size)
{
    char *s = nul_terminated(data, size);
    struct ssh_target t;
    char err[R1_ERR_MAX];
    memset(err, PATTERN, sizeof(err));
    if (transport_ssh_parse_url(s, &t, err) != 0) {
        check_err(err);
    } else {
        if (!t.host[0] || !name_safe(t.host) || !name_safe(t.user) || t.port < 0 || t.port > 65535)
            abort();
        if ((t.op == SSH_OP_FILE || t.op == SSH_OP_DIR) && t.path[0] != '/')
            abort();
        if ((t.op == SSH_OP_DOCKER || t.op == SSH_OP_DOCKER_ACT || t.op == SSH_OP_UNIT_ACT ||
             t.op == SSH_OP_UNIT) &&
            (!t.path[0] || !name_safe(t.path) || !name_safe(t.verb)))
            abort();
        if (t.op == SSH_OP_UNIT && t.exit_file[0] && t.exit_file[0] != '/')
            abort();
        /* the node's commands and log: every word that reaches the remote command is plain */
        if ((t.op == SSH_OP_DOCKER_EXEC || t.op == SSH_OP_DOCKER_LOGS) &&
            (!t.path[0] || !name_safe(t.path) || (t.socket[0] && t.socket[0] != '/')))
            abort();
        if (t.op == SSH_OP_DOCKER_EXEC && !transport_ssh_node_command(t.verb))
            abort();
        for (int i = 0; i < t.n_args; i++)
            if (t.op != SSH_OP_DOCKER_EXEC || !t.args[i][0] || !name_safe(t.args[i]))
                abort();
        if (t.op == SSH_OP_DOCKER_LOGS &&
            (!t.tail[0] || strspn(t.tail, "0123456789") != strlen(t.tail) ||
             strspn(t.since, "0123456789.") != strlen(t.since)))
            abort();
    }
    free(s);
}

static bool state_word(const char *s, size_t size)
{
    size_t n = strnlen(s, size);
    return n < size && strspn(s, "abcdefghijklmnopqrstuvwxyz-") == n;
}

static void fuzz_unit(const char *buf, size_t len)
{
    struct r1_unit u, before;
    char err[R1_ERR_MAX];
    memset(&u, PATTERN, sizeof(u));
    u.meta.valid = 0;
    before = u;
    memset(err, PATTERN, sizeof(err));
    if (unit_parse(buf, len, 1000.0, &u, err) != 0) {
        check_err(err);
        if (memcmp(&u, &before, sizeof(u)) != 0)
            abort();
        return;
    }
    if (u.meta.valid >> (UNIT_STARTS + 1) || !R1_VALID(&u, UNIT_ACTIVE))
        abort();
    if (!state_word(u.active_state, sizeof(u.active_state)) ||
        (R1_VALID(&u, UNIT_SUB) && !state_word(u.sub_state, sizeof(u.sub_state))) ||
        (R1_VALID(&u, UNIT_RESULT) && !state_word(u.result, sizeof(u.result))) ||
        (R1_VALID(&u, UNIT_LOAD) && strcmp(u.load_state, "loaded") != 0))
        abort();
    if ((R1_VALID(&u, UNIT_NRESTARTS) && u.n_restarts < 0) ||
        (R1_VALID(&u, UNIT_MAIN_STATUS) && (u.main_status < 0 || u.main_status > 255)) ||
        (R1_VALID(&u, UNIT_EXIT_FILE) && (u.exit_file_code < 0 || u.exit_file_code > 255)) ||
        (R1_VALID(&u, UNIT_STARTS) && u.starts_30min < 0) ||
        (R1_VALID(&u, UNIT_STARTED) && !isfinite(u.main_started_at)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *rest = (const char *)data + 1;
    if (data[0] == '4') {
        fuzz_unit(rest, size - 1);
        return 0;
    }
    switch (data[0] % 4) {
    case 0:
        fuzz_dir(rest, size - 1);
        break;
    case 1:
        fuzz_file(rest, size - 1);
        break;
    case 2:
        fuzz_smi(rest, size - 1);
        break;
    default:
        fuzz_url(data + 1, size - 1);
        break;
    }
    return 0;
}
