/* test_node_files: the status-file parsers and sources (src/sources/node_files.c) against the
 * real shapes of local_info.json, local_history.json and pipeline files (tests/data/node_files,
 * trimmed from docs/protocol.md §4.2-§4.4), plus truncated, null, garbage,
 * wrong-type, huge and hostile inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "dirread.h"
#include "model.h"
#include "sources/node_files.h"
#include "sources/source.h"

#define FIXTURE_DIR R1_TEST_DATA "/node_files/"

static char *fixture(const char *name, size_t *len)
{
    return test_fixture(FIXTURE_DIR, name, len);
}

/* A copy with no terminator at all, so an over-read shows up under valgrind/ASan. */
static char *exact_copy(const char *s, size_t len)
{
    char *p = malloc(len ? len : 1);
    assert_non_null(p);
    memcpy(p, s, len);
    return p;
}

static bool has_control_bytes(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
            return true;
    return false;
}

/* ---- local_info.json ---------------------------------------------------------------------- */

static void test_info_real_file_fills_every_field(void **state)
{
    size_t len;
    char *buf = fixture("local_info.json", &len);
    struct r1_node_info info;
    char err[R1_ERR_MAX] = "";
    memset(&info, 0, sizeof(info));
    assert_int_equal(node_files_parse_info(buf, len, &info, err), 0);
    assert_string_equal(info.address, "0xai_A2pPf0lxZSZkGONzLOmhzndncc1VvDBHfF-YLWlsrG9m");
    assert_string_equal(info.alias, "5ac5438a2775");
    assert_string_equal(info.eth_address, "0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5");
    assert_string_equal(info.version, "v2.5.36 | core v7.4.23 | SDK 2.6.15");
    assert_int_equal(info.current_epoch, 439);
    assert_true(fabs(info.current_epoch_avail - 0.9871) < 1e-9);
    assert_int_equal(info.n_last_epochs, 5);
    assert_int_equal(info.last_epochs[0].epoch, 434);
    assert_int_equal(info.last_epochs[2].epoch, 436);
    assert_int_equal(info.last_epochs[2].avail_u8, 254);
    assert_int_equal(info.last_epochs[4].epoch, 438);
    assert_string_equal(info.evm_network, "mainnet");
    assert_int_equal(info.whitelist_n, 1);
    assert_true(info.r1fs_online);
    assert_string_equal(info.comm_last_active, "2026-08-05 10:00:00.123456");
    for (int f = INFO_ADDRESS; f <= INFO_COMM_ACTIVE; f++)
        assert_true(R1_VALID(&info, f));
    assert_false(R1_VALID(&info, INFO_MTIME));
    free(buf);
}

static void test_info_null_fields_leave_valid_bits_clear(void **state)
{
    size_t len;
    char *buf = fixture("local_info_nulls.json", &len);
    struct r1_node_info info;
    char err[R1_ERR_MAX] = "";
    memset(&info, 0, sizeof(info));
    assert_int_equal(node_files_parse_info(buf, len, &info, err), 0);
    assert_true(R1_VALID(&info, INFO_ADDRESS));
    assert_true(R1_VALID(&info, INFO_ALIAS));
    assert_false(R1_VALID(&info, INFO_CUR_EPOCH));
    assert_false(R1_VALID(&info, INFO_CUR_AVAIL));
    assert_false(R1_VALID(&info, INFO_LAST_EPOCHS));
    assert_false(R1_VALID(&info, INFO_NETWORK));
    assert_false(R1_VALID(&info, INFO_WHITELIST));
    assert_false(R1_VALID(&info, INFO_R1FS));
    assert_false(R1_VALID(&info, INFO_COMM_ACTIVE));
    free(buf);
}

static void test_info_field_turning_null_clears_its_bit(void **state)
{
    size_t len, len2;
    char *good = fixture("local_info.json", &len);
    char *nulls = fixture("local_info_nulls.json", &len2);
    struct r1_node_info info;
    char err[R1_ERR_MAX] = "";
    memset(&info, 0, sizeof(info));
    assert_int_equal(node_files_parse_info(good, len, &info, err), 0);
    assert_true(R1_VALID(&info, INFO_CUR_EPOCH));
    assert_int_equal(node_files_parse_info(nulls, len2, &info, err), 0);
    assert_false(R1_VALID(&info, INFO_CUR_EPOCH));
    assert_false(R1_VALID(&info, INFO_LAST_EPOCHS));
    free(good);
    free(nulls);
}

static void test_info_truncated_file_keeps_previous_values(void **state)
{
    size_t len;
    char *buf = fixture("local_info.json", &len);
    struct r1_node_info info, before;
    char err[R1_ERR_MAX] = "";
    memset(&info, 0, sizeof(info));
    assert_int_equal(node_files_parse_info(buf, len, &info, err), 0);
    info.meta.updated_at = 1234.5;
    memcpy(&before, &info, sizeof(before));
    /* Every cut a non-atomic writer can leave behind. */
    for (size_t cut = 1; cut < len - 2; cut++) {
        char *part = exact_copy(buf, cut);
        err[0] = '\0';
        assert_int_equal(node_files_parse_info(part, cut, &info, err), -1);
        assert_true(err[0] != '\0');
        assert_memory_equal(&info, &before, sizeof(info));
        free(part);
    }
    char *part = exact_copy(buf, len / 2);
    assert_int_equal(node_files_parse_info(part, len / 2, &info, err), -1);
    assert_non_null(strstr(err, "truncated"));
    assert_non_null(strstr(err, "local_info.json"));
    free(part);
    free(buf);
}

static void test_info_garbage_is_an_error(void **state)
{
    static const char *const bad[] = {
        "", "not json at all", "\x01\x02\xff\xfe", "[1,2,3]", "\"a string\"", "42", "null",
        "{}", "{\"foo\": 1}", "{\"address\": \"0xai_x\"} trailing", "{\"address\": }",
    };
    struct r1_node_info info;
    memset(&info, 0, sizeof(info));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[R1_ERR_MAX] = "";
        assert_int_equal(node_files_parse_info(bad[i], strlen(bad[i]), &info, err), -1);
        assert_true(err[0] != '\0');
        assert_int_equal(info.meta.valid, 0);
    }
}

static void test_info_wrong_types_are_unknown_not_zero(void **state)
{
    static const char doc[] =
        "{\"address\": 12, \"alias\": [\"x\"], \"eth_address\": {}, \"version_long\": true,"
        " \"info\": {\"current_epoch\": \"soon\", \"current_epoch_avail\": 7.5,"
        " \"last_epochs\": [255, 254], \"evm_network\": 3, \"whitelist\": \"0xai_x\","
        " \"r1fs_online\": \"yes\", \"comm_last_active\": [1]}}";
    struct r1_node_info info;
    char err[R1_ERR_MAX] = "";
    memset(&info, 0, sizeof(info));
    assert_int_equal(node_files_parse_info(doc, strlen(doc), &info, err), 0);
    assert_int_equal(info.meta.valid, 0);
}

static void test_info_numbers_sent_as_strings_are_read(void **state)
{
    static const char doc[] = "{\"address\": \"0xai_x\", \"info\": {\"current_epoch\": \"439\","
                              " \"current_epoch_avail\": \"0.5\"}}";
    struct r1_node_info info;
    char err[R1_ERR_MAX] = "";
    memset(&info, 0, sizeof(info));
    assert_int_equal(node_files_parse_info(doc, strlen(doc), &info, err), 0);
    assert_true(R1_VALID(&info, INFO_CUR_EPOCH));
    assert_int_equal(info.current_epoch, 439);
    assert_true(R1_VALID(&info, INFO_CUR_AVAIL));
    assert_true(fabs(info.current_epoch_avail - 0.5) < 1e-12);
}

static void test_info_escape_codes_in_alias_are_sanitised(void **state)
{
    static const char doc[] =
        "{\"address\": \"0xai_\\u001b[31mred\","
        " \"alias\": \"\\u001b[2J\\u001b]0;pwned\\u0007evil\\r\","
        " \"version_long\": \"v2\\u009b1m\", \"info\": {\"evm_network\": \"main\\u007fnet\"}}";
    struct r1_node_info info;
    char err[R1_ERR_MAX] = "";
    memset(&info, 0, sizeof(info));
    assert_int_equal(node_files_parse_info(doc, strlen(doc), &info, err), 0);
    assert_true(R1_VALID(&info, INFO_ALIAS));
    assert_false(has_control_bytes(info.alias));
    assert_false(has_control_bytes(info.address));
    assert_false(has_control_bytes(info.evm_network));
    assert_null(strstr(info.version, "\xc2\x9b"));   /* C1 CSI must not survive either */
    assert_non_null(strstr(info.alias, "evil"));
}

static void test_info_last_epochs_sorted_newest_kept(void **state)
{
    /* 40 epochs written newest first, plus entries that are not epoch -> 0..255. */
    char doc[4096];
    size_t o = (size_t)snprintf(doc, sizeof(doc),
                                "{\"address\": \"0xai_x\", \"info\": {\"last_epochs\": {"
                                "\"x\": 1, \"500\": 256, \"501\": null, ");
    for (int e = 479; e >= 440; e--)
        o += (size_t)snprintf(doc + o, sizeof(doc) - o, "\"%d\": %d%s", e, e - 440,
                              e > 440 ? ", " : "");
    snprintf(doc + o, sizeof(doc) - o, "}}}");
    struct r1_node_info info;
    char err[R1_ERR_MAX] = "";
    memset(&info, 0, sizeof(info));
    assert_int_equal(node_files_parse_info(doc, strlen(doc), &info, err), 0);
    assert_true(R1_VALID(&info, INFO_LAST_EPOCHS));
    assert_int_equal(info.n_last_epochs, R1_LAST_EPOCHS_MAX);
    assert_int_equal(info.last_epochs[0].epoch, 480 - R1_LAST_EPOCHS_MAX);
    assert_int_equal(info.last_epochs[R1_LAST_EPOCHS_MAX - 1].epoch, 479);
    assert_int_equal(info.last_epochs[R1_LAST_EPOCHS_MAX - 1].avail_u8, 39);
    for (int i = 1; i < info.n_last_epochs; i++)
        assert_true(info.last_epochs[i].epoch > info.last_epochs[i - 1].epoch);
}

/* D18: local_info.json's epoch numbers are bounded like the oracle's (R1_EPOCH_MAX): an absurd
 * current epoch is unknown, an absurd last_epochs key is dropped (not sorted to the end). */
static void test_D18_info_absurd_epochs_unknown(void **state)
{
    (void)state;
    const char *doc = "{\"address\": \"a\", \"info\": {\"current_epoch\": 4611686018427387904, "
                      "\"last_epochs\": {\"437\": 250, \"4611686018427387904\": 1, "
                      "\"99999999999999999999\": 2, \"1000001\": 3, \"1000000\": 254}}}";
    struct r1_node_info info;
    char err[R1_ERR_MAX];
    memset(&info, 0, sizeof(info));
    assert_int_equal(node_files_parse_info(doc, strlen(doc), &info, err), 0);
    assert_false(R1_VALID(&info, INFO_CUR_EPOCH));
    assert_true(R1_VALID(&info, INFO_LAST_EPOCHS));
    assert_int_equal(info.n_last_epochs, 2);
    assert_int_equal(info.last_epochs[0].epoch, 437);
    assert_int_equal(info.last_epochs[1].epoch, 1000000);
    assert_int_equal(info.last_epochs[1].avail_u8, 254);
    const char *edge = "{\"address\": \"a\", \"info\": {\"current_epoch\": 1000000}}";
    assert_int_equal(node_files_parse_info(edge, strlen(edge), &info, err), 0);
    assert_true(R1_VALID(&info, INFO_CUR_EPOCH));
    assert_int_equal(info.current_epoch, 1000000);
}

static void test_info_parse_keeps_mtime_and_meta(void **state)
{
    size_t len;
    char *buf = fixture("local_info.json", &len);
    struct r1_node_info info;
    char err[R1_ERR_MAX] = "";
    memset(&info, 0, sizeof(info));
    info.file_mtime = 1786010400.0;
    R1_MARK(&info, INFO_MTIME);
    R1_MARK(&info, INFO_R1FS);
    info.meta.updated_at = 99.0;
    info.meta.fed_by = SRC_NODE_INFO + 1;
    assert_int_equal(node_files_parse_info(buf, len, &info, err), 0);
    assert_true(R1_VALID(&info, INFO_MTIME));
    assert_true(info.file_mtime == 1786010400.0);
    assert_true(info.meta.updated_at == 99.0);
    assert_int_equal(info.meta.fed_by, SRC_NODE_INFO + 1);
    free(buf);
}

/* ---- local_history.json ------------------------------------------------------------------- */

static void test_history_real_file(void **state)
{
    size_t len;
    char *buf = fixture("local_history.json", &len);
    struct r1_node_history h;
    char err[R1_ERR_MAX] = "";
    memset(&h, 0, sizeof(h));
    assert_int_equal(node_files_parse_history(buf, len, &h, err), 0);
    assert_string_equal(h.version, "v2.5.36");
    assert_int_equal(h.n_last_epochs, 10);
    assert_int_equal(h.last_epochs_u8[5], 0);
    assert_int_equal(h.last_epochs_u8[6], 128);
    assert_int_equal(h.last_epochs_u8[9], 253);
    assert_int_equal(h.cpu_load_pct.n, 4);
    assert_true(h.cpu_load_pct.v[0] == 12.5f);
    assert_true(h.cpu_load_pct.v[3] == 9.75f);
    assert_int_equal(h.mem_total_gb.n, 4);
    assert_true(fabsf(h.mem_occupied_gb.v[3] - 11.0f) < 1e-5f);
    assert_true(fabsf(h.gpu_mem_total_gb.v[3] - 23.6f) < 1e-5f);
    assert_true(h.gpu_temp_c.v[2] == 61.0f);
    assert_true(h.last_save_time == 1786010400.5);
    for (int f = HIST_UPTIME; f <= HIST_SAVE_TIME; f++)
        assert_true(R1_VALID(&h, f));
    free(buf);
}

static void test_history_uptime_over_24_hours(void **state)
{
    static const char doc[] = "{\"uptime\": \"123:04:05\"}";
    struct r1_node_history h;
    char err[R1_ERR_MAX] = "";
    memset(&h, 0, sizeof(h));
    assert_int_equal(node_files_parse_history(doc, strlen(doc), &h, err), 0);
    assert_true(R1_VALID(&h, HIST_UPTIME));
    assert_true(h.uptime_s == 123 * 3600 + 4 * 60 + 5);
}

static void test_history_minus_one_points_are_nan(void **state)
{
    size_t len;
    char *buf = fixture("local_history.json", &len);
    struct r1_node_history h;
    char err[R1_ERR_MAX] = "";
    memset(&h, 0, sizeof(h));
    assert_int_equal(node_files_parse_history(buf, len, &h, err), 0);
    assert_true(isnan(h.cpu_load_pct.v[2]));
    assert_true(isnan(h.cpu_temp_c.v[3]));
    assert_true(isnan(h.gpu_load_pct.v[0]));
    assert_true(isnan(h.gpu_mem_occupied_gb.v[1]));
    assert_false(isnan(h.gpu_load_pct.v[2]));
    free(buf);
}

static void test_history_huge_arrays_keep_last_points(void **state)
{
    size_t cap = 200000, o = 0;
    char *doc = malloc(cap);
    assert_non_null(doc);
    o += (size_t)snprintf(doc + o, cap - o, "{\"uptime\": \"1:00:00\", \"cpu_load\": [");
    for (int i = 0; i < 10000; i++)
        o += (size_t)snprintf(doc + o, cap - o, "%d%s", i % 100, i < 9999 ? "," : "");
    o += (size_t)snprintf(doc + o, cap - o, "], \"last_epochs\": [");
    for (int i = 0; i < 1000; i++)
        o += (size_t)snprintf(doc + o, cap - o, "%d%s", i % 256, i < 999 ? "," : "");
    snprintf(doc + o, cap - o, "]}");
    struct r1_node_history h;
    char err[R1_ERR_MAX] = "";
    memset(&h, 0, sizeof(h));
    assert_int_equal(node_files_parse_history(doc, strlen(doc), &h, err), 0);
    assert_int_equal(h.cpu_load_pct.n, R1_HIST_MAX);
    assert_true(h.cpu_load_pct.v[R1_HIST_MAX - 1] == 99.0f);         /* point 9999 */
    assert_true(h.cpu_load_pct.v[0] == (float)((10000 - R1_HIST_MAX) % 100));
    assert_int_equal(h.n_last_epochs, R1_LAST_EPOCHS_MAX);
    assert_int_equal(h.last_epochs_u8[R1_LAST_EPOCHS_MAX - 1], 999 % 256);
    free(doc);
}

static void test_history_truncated_keeps_previous_values(void **state)
{
    size_t len;
    char *buf = fixture("local_history.json", &len);
    struct r1_node_history h, before;
    char err[R1_ERR_MAX] = "";
    memset(&h, 0, sizeof(h));
    assert_int_equal(node_files_parse_history(buf, len, &h, err), 0);
    memcpy(&before, &h, sizeof(h));
    for (size_t cut = 1; cut < len - 2; cut += 7) {
        char *part = exact_copy(buf, cut);
        assert_int_equal(node_files_parse_history(part, cut, &h, err), -1);
        assert_memory_equal(&h, &before, sizeof(h));
        free(part);
    }
    free(buf);
}

static void test_history_bad_values_refused_field_by_field(void **state)
{
    static const char doc[] = "{\"uptime\": \"soon\", \"version\": 2, \"last_epochs\": [255, 300],"
                              " \"cpu_load\": \"high\", \"gpu_load\": [1, null, \"x\", -5, 2],"
                              " \"last_save_time\": \"yesterday\"}";
    struct r1_node_history h;
    char err[R1_ERR_MAX] = "";
    memset(&h, 0, sizeof(h));
    assert_int_equal(node_files_parse_history(doc, strlen(doc), &h, err), 0);
    assert_false(R1_VALID(&h, HIST_UPTIME));
    assert_false(R1_VALID(&h, HIST_VERSION));
    assert_false(R1_VALID(&h, HIST_LAST_EPOCHS));
    assert_false(R1_VALID(&h, HIST_CPU));
    assert_false(R1_VALID(&h, HIST_SAVE_TIME));
    assert_true(R1_VALID(&h, HIST_GPU));
    assert_int_equal(h.gpu_load_pct.n, 5);
    assert_true(isnan(h.gpu_load_pct.v[1]) && isnan(h.gpu_load_pct.v[2]) &&
                isnan(h.gpu_load_pct.v[3]));
    assert_true(h.gpu_load_pct.v[4] == 2.0f);
}

/* D10: a history whose last GPU load sample is unknown (-1, or null as GPU-less nodes write)
 * showed "no GPU found" though temperature and memory were known. The GPU stays, its load is
 * n/a, the load history keeps the gap; no GPU only when no GPU series has any known point. */
static int gpu_from_history(struct r1_node *n, const char *doc)
{
    char err[R1_ERR_MAX] = "";
    free(n->gpus);   /* the node is reused: its GPU slots go with it */
    memset(n, 0, sizeof(*n));
    /* a remote status folder: NVML (this host's GPUs) is never asked */
    strcpy(n->status_dir_url, "sftp://gpu-host/srv/_data/");
    if (node_files_parse_history(doc, strlen(doc), &n->hist, err) != 0)
        fail_msg("%s", err);
    n->hist.meta.updated_at = 1000.0;
    struct r1_source_ctx ctx = {.now = 1010.0};
    struct r1_request req = {0};
    int rc = source_get(SRC_GPU)->sample(&ctx, n, &req, err);
    assert_string_equal(req.url, "node-history");   /* the status names the backend */
    return rc;
}

static void test_D10_history_last_gpu_sample_unknown_is_na_not_no_gpu(void **state)
{
    (void)state;
    struct r1_node *n = xcalloc(1, sizeof(*n));
    static const char *const tails[] = {"-1", "null"};
    for (size_t i = 0; i < 2; i++) {
        char doc[512];
        snprintf(doc, sizeof(doc),
                 "{\"uptime\": \"01:00:00\", \"gpu_load\": [40, 55, %s], \"gpu_temp\": [70, 70, "
                 "71], \"gpu_occupied_memory\": [33.3, 33.3, 33.3], \"gpu_total_memory\": [79.6, "
                 "79.6, 79.6]}", tails[i]);
        assert_int_equal(gpu_from_history(n, doc), 0);
        assert_string_equal(n->gpu_backend, "node-history");
        assert_int_equal(n->n_gpus, 1);
        const struct r1_gpu *g = &n->gpus[0];
        assert_false(R1_VALID(g, GPU_UTIL));   /* n/a, not 0 and not "no GPU" */
        assert_true(R1_VALID(g, GPU_TEMP));
        assert_true(g->temp_c == 71.0);
        assert_true(R1_VALID(g, GPU_MEM));
        /* 33.3 and 79.6 GB as written, in bytes (GiB, as the node's psutil/nvidia-smi count) */
        assert_true(g->mem_used_bytes == 33.3 * 1073741824.0);
        assert_true(g->mem_total_bytes == 79.6 * 1073741824.0);
        /* the load history keeps its gap at the end */
        assert_int_equal(g->util_hist.n, 3);
        assert_true(g->util_hist.v[1] == 55.0f);
        assert_true(isnan(g->util_hist.v[2]));
        assert_false(R1_VALID(g, GPU_NAME));
    }
    /* the oracle's resources.gpu_name names it */
    const char *doc = "{\"uptime\": \"01:00:00\", \"gpu_load\": [-1], \"gpu_temp\": [71]}";
    assert_int_equal(gpu_from_history(n, doc), 0);
    strcpy(n->orc.gpu_name, "NVIDIA A100 80GB PCIe");
    R1_MARK(&n->orc, ORC_GPU_NAME);
    char err[R1_ERR_MAX];
    struct r1_source_ctx ctx = {.now = 1010.0};
    struct r1_request req = {0};
    assert_int_equal(source_get(SRC_GPU)->sample(&ctx, n, &req, err), 0);
    assert_true(R1_VALID(&n->gpus[0], GPU_NAME));
    assert_string_equal(n->gpus[0].name, "NVIDIA A100 80GB PCIe");
    /* no GPU: every series null (what GPU-less nodes write), -1 throughout (older nodes), or
     * no GPU keys at all */
    static const char *const none[] = {
        "{\"uptime\": \"01:00:00\", \"gpu_load\": [null, null], \"gpu_temp\": [null, null], "
        "\"gpu_occupied_memory\": [null, null], \"gpu_total_memory\": [null, null]}",
        "{\"uptime\": \"01:00:00\", \"gpu_load\": [-1, -1], \"gpu_temp\": [-1, -1], "
        "\"gpu_occupied_memory\": [-1, -1], \"gpu_total_memory\": [-1, -1]}",
        "{\"uptime\": \"01:00:00\", \"cpu_load\": [3]}",
    };
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        assert_int_equal(gpu_from_history(n, none[i]), 1);
        assert_int_equal(n->n_gpus, 0);
    }
    free(n->gpus);
    free(n);
}

static void test_history_other_document_is_an_error(void **state)
{
    size_t len;
    char *buf = fixture("local_info.json", &len);
    struct r1_node_history h;
    char err[R1_ERR_MAX] = "";
    memset(&h, 0, sizeof(h));
    assert_int_equal(node_files_parse_history(buf, len, &h, err), -1);
    assert_non_null(strstr(err, "local_history.json"));
    free(buf);
}

/* ---- pipeline files ----------------------------------------------------------------------- */

static void parse_stream_fixture(const char *name, struct r1_workloads *w, int want_rc)
{
    size_t len;
    char path[128];
    snprintf(path, sizeof(path), "streams/%s", name);
    char *buf = fixture(path, &len);
    char err[R1_ERR_MAX] = "";
    assert_int_equal(node_files_parse_stream(name, buf, len, w, err), want_rc);
    free(buf);
}

static void test_stream_deeployed_app_row(void **state)
{
    struct r1_workloads w;
    memset(&w, 0, sizeof(w));
    parse_stream_fixture("myapp_3e02d52.json", &w, 0);
    assert_int_equal(w.n_rows, 1);
    assert_int_equal(w.n_pipelines, 1);
    struct r1_instance *r = &w.rows[0];
    assert_string_equal(r->pipeline, "myapp_3e02d52");
    assert_string_equal(r->pipeline_type, "void");
    assert_string_equal(r->app_alias, "myapp");
    assert_string_equal(r->signature, "CONTAINER_APP_RUNNER");
    assert_string_equal(r->instance_id, "CONTAINER_APP_2f710e");
    assert_string_equal(r->image, "tvitalii/ratio1-drive");
    assert_int_equal(r->port, 3333);
    assert_true(r->is_deeployed);
    assert_int_equal(r->job_id, 66);
    assert_string_equal(r->last_update, "2025-09-24 20:15:14.563115");
    free(w.rows);
}

static bool bytes_contain(const void *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    const char *h = hay;
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(h + i, needle, k) == 0)
            return true;
    return false;
}

static void test_stream_secrets_never_copied(void **state)
{
    struct r1_workloads w;
    memset(&w, 0, sizeof(w));
    parse_stream_fixture("myapp_3e02d52.json", &w, 0);
    parse_stream_fixture("worker_b71c.json", &w, 0);
    /* Every fixture secret is marked SECRET-; none of it may be anywhere in the rows. */
    assert_false(bytes_contain(w.rows, w.n_rows * sizeof(*w.rows), "SECRET"));
    assert_false(bytes_contain(w.rows, w.n_rows * sizeof(*w.rows), "eyJhIjoiZm9vIn0"));
    assert_false(bytes_contain(w.rows, w.n_rows * sizeof(*w.rows), "0xc440cdD0"));
    free(w.rows);
}

/* D11: any pipeline whose NAME was admin_pipeline was hidden, whatever its file and content (a
 * deeployed container on port 4444 vanished). Only the node's own admin pipeline is hidden: the
 * file admin_pipeline.json with NAME admin_pipeline and nothing but admin plugins, each with
 * its "<SIGNATURE>_INST" instance. */
static void test_D11_only_the_real_admin_pipeline_is_hidden(void **state)
{
    (void)state;
    struct r1_workloads w;
    char err[R1_ERR_MAX] = "";
    memset(&w, 0, sizeof(w));
    /* the real one (fixture trimmed from the node's file) */
    parse_stream_fixture("admin_pipeline.json", &w, 1);
    assert_int_equal(w.n_rows, 0);
    assert_int_equal(w.n_pipelines, 0);

    /* the defect's case: a deeployed container app that calls itself admin_pipeline */
    static const char app[] =
        "{\"NAME\": \"admin_pipeline\", \"TYPE\": \"void\", \"IS_DEEPLOYED\": true, "
        "\"DEEPLOY_SPECS\": {\"job_id\": 77}, \"PLUGINS\": [{\"SIGNATURE\": "
        "\"CONTAINER_APP_RUNNER\", \"INSTANCES\": [{\"INSTANCE_ID\": \"CONTAINER_APP_aa\", "
        "\"IMAGE\": \"evil/app\", \"PORT\": 4444}]}]}";
    static const char *const files[] = {"admin_pipeline.json", "myapp.json", "x.json"};
    for (size_t i = 0; i < 3; i++) {
        memset(&w, 0, sizeof(w));
        assert_int_equal(node_files_parse_stream(files[i], app, strlen(app), &w, err), 0);
        assert_int_equal(w.n_rows, 1);
        assert_string_equal(w.rows[0].pipeline, "admin_pipeline");
        assert_int_equal(w.rows[0].port, 4444);
        free(w.rows);
    }
    /* an admin-looking pipeline with one foreign plugin, or a wrong instance id, is shown */
    static const char *const shown[] = {
        "{\"NAME\": \"admin_pipeline\", \"PLUGINS\": [{\"SIGNATURE\": \"NET_MON_01\", "
        "\"INSTANCES\": [{\"INSTANCE_ID\": \"NET_MON_01_INST\"}]}, {\"SIGNATURE\": "
        "\"WORKER_APP_RUNNER\", \"INSTANCES\": [{\"INSTANCE_ID\": \"WORKER_APP_RUNNER_INST\"}]}]}",
        "{\"NAME\": \"admin_pipeline\", \"PLUGINS\": [{\"SIGNATURE\": \"NET_MON_01\", "
        "\"INSTANCES\": [{\"INSTANCE_ID\": \"my_tunnel\", \"PORT\": 8080}]}]}",
        "{\"NAME\": \"not_admin\", \"PLUGINS\": []}",
        "{\"PLUGINS\": [{\"SIGNATURE\": \"NET_MON_01\", \"INSTANCES\": [{\"INSTANCE_ID\": "
        "\"NET_MON_01_INST\"}]}]}",
    };
    for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
        memset(&w, 0, sizeof(w));
        if (node_files_parse_stream("admin_pipeline.json", shown[i], strlen(shown[i]), &w, err) !=
            0)
            fail_msg("hidden: %s", shown[i]);
        assert_true(w.n_rows >= 1);
        free(w.rows);
    }
    /* the real content under another file name is not the node's admin pipeline */
    size_t len;
    char *buf = fixture("streams/admin_pipeline.json", &len);
    memset(&w, 0, sizeof(w));
    assert_int_equal(node_files_parse_stream("renamed.json", buf, len, &w, err), 0);
    assert_int_equal(w.n_rows, 4);
    free(w.rows);
    free(buf);
    /* a truncated admin_pipeline.json is a parse error (its previous rows are kept), not a
     * reason to hide whatever it becomes */
    memset(&w, 0, sizeof(w));
    assert_int_equal(node_files_parse_stream("admin_pipeline.json", "{\"NA", 4, &w, err), -1);
    assert_int_equal(w.n_rows, 0);
}

static void test_stream_pipeline_without_instances_gives_one_row(void **state)
{
    struct r1_workloads w;
    memset(&w, 0, sizeof(w));
    parse_stream_fixture("empty_pipeline.json", &w, 0);
    assert_int_equal(w.n_rows, 1);
    assert_string_equal(w.rows[0].pipeline, "empty_pipeline");
    assert_string_equal(w.rows[0].signature, "");
    assert_string_equal(w.rows[0].instance_id, "");
    assert_int_equal(w.rows[0].port, -1);
    assert_int_equal(w.rows[0].job_id, -1);
    assert_false(w.rows[0].is_deeployed);
    free(w.rows);
}

static void test_stream_every_plugin_instance_is_a_row(void **state)
{
    struct r1_workloads w;
    memset(&w, 0, sizeof(w));
    parse_stream_fixture("worker_b71c.json", &w, 0);
    assert_int_equal(w.n_rows, 3);
    assert_int_equal(w.n_pipelines, 1);
    node_files_sort_rows(&w);
    assert_string_equal(w.rows[0].instance_id, "CONTAINER_APP_0c");
    assert_int_equal(w.rows[0].port, 3334);              /* "3334" as a string */
    assert_string_equal(w.rows[1].instance_id, "WORKER_APP_a1");
    assert_int_equal(w.rows[1].port, 8080);
    assert_string_equal(w.rows[2].instance_id, "WORKER_APP_b2");
    assert_int_equal(w.rows[2].port, -1);                /* PORT: null */
    assert_string_equal(w.rows[2].signature, "WORKER_APP_RUNNER");
    assert_int_equal(w.rows[2].job_id, -1);
    free(w.rows);
}

static void test_stream_truncated_file_adds_nothing(void **state)
{
    size_t len;
    char *buf = fixture("streams/worker_b71c.json", &len);
    struct r1_workloads w;
    char err[R1_ERR_MAX] = "";
    memset(&w, 0, sizeof(w));
    parse_stream_fixture("myapp_3e02d52.json", &w, 0);
    struct r1_instance first = w.rows[0];
    for (size_t cut = 1; cut < len - 2; cut += 13) {
        char *part = exact_copy(buf, cut);
        assert_int_equal(node_files_parse_stream("worker_b71c.json", part, cut, &w, err), -1);
        assert_int_equal(w.n_rows, 1);
        assert_int_equal(w.n_pipelines, 1);
        free(part);
    }
    assert_memory_equal(&w.rows[0], &first, sizeof(first));
    assert_non_null(strstr(err, "worker_b71c"));
    free(w.rows);
    free(buf);
}

static void test_stream_hostile_shapes_do_not_crash(void **state)
{
    static const char *const docs[] = {
        "{\"NAME\": \"p1\", \"PLUGINS\": {\"SIGNATURE\": \"X\"}}",
        "{\"NAME\": \"p2\", \"PLUGINS\": [1, \"x\", null, {\"INSTANCES\": 5}]}",
        "{\"NAME\": \"p3\", \"PLUGINS\": [{\"SIGNATURE\": 7, \"INSTANCES\": [null, 3, "
        "{\"INSTANCE_ID\": \"\\u001b[2Jx\", \"PORT\": 99999, \"IMAGE\": {}}]}],"
        " \"DEEPLOY_SPECS\": {\"job_id\": \"abc\"}, \"IS_DEEPLOYED\": \"yes\"}",
        "{\"NAME\": 5}",
    };
    struct r1_workloads w;
    memset(&w, 0, sizeof(w));
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        char err[R1_ERR_MAX] = "";
        char name[32];
        snprintf(name, sizeof(name), "doc%zu.json", i);
        assert_int_equal(node_files_parse_stream(name, docs[i], strlen(docs[i]), &w, err), 0);
    }
    assert_int_equal(w.n_rows, 4);
    assert_string_equal(w.rows[3].pipeline, "doc3");     /* NAME unusable: the file's name */
    assert_false(has_control_bytes(w.rows[2].instance_id));
    assert_int_equal(w.rows[2].port, -1);
    assert_int_equal(w.rows[2].job_id, -1);
    free(w.rows);
}

/* ---- the pipeline folder (dirread.c) ------------------------------------------------------ */

static void write_file(const char *dir, const char *name, size_t bytes)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    /* a pipeline file of the given size: {"NAME": "<stem>"} padded with spaces */
    char stem[128];
    snprintf(stem, sizeof(stem), "%.*s", (int)(strlen(name) - 5), name);
    int w = fprintf(f, "{\"NAME\": \"%s\"", stem);
    for (size_t i = (size_t)w; i + 1 < bytes; i++)
        fputc(' ', f);
    fputc('}', f);
    fclose(f);
}

static void rm_dir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);   /* our own mkdtemp folder */
    assert_int_equal(system(cmd), 0);
}

/* D8: the folder was cut at 256 files in readdir order BEFORE sorting, silently: which
 * pipelines showed depended on the file system. Now every name is counted, the first 256 by
 * name are read, and the streams group says "256 of 300". Files are created in reverse name
 * order so readdir's order (creation order on most file systems, the reverse on tmpfs) differs
 * from the sorted one either way. */
static void test_D8_pipeline_folder_sorted_then_capped_and_counted(void **state)
{
    (void)state;
    char dir[] = "/tmp/r1top-test-streams-XXXXXX";
    assert_non_null(mkdtemp(dir));
    for (int i = 299; i >= 0; i--) {
        char name[32];
        snprintf(name, sizeof(name), "p%03d.json", i);
        write_file(dir, name, 40);
        if (i == 150) {   /* not pipeline files: other names, hidden temporaries, a folder */
            write_file(dir, ".p150.json.swp", 10);
            write_file(dir, ".hidden.json", 10);
            write_file(dir, "notes.txt", 10);
        }
    }
    char sub[600];
    snprintf(sub, sizeof(sub), "%s/archived_streams", dir);
    assert_int_equal(mkdir(sub, 0700), 0);

    struct dirread_result dr;
    char err[R1_ERR_MAX] = "";
    assert_int_equal(dirread_json(dir, NULL, &dr, err), 0);
    assert_int_equal(dr.n_total, 300);
    assert_int_equal(dr.n_files, 256);
    assert_int_equal(dr.n_read, 256);
    for (size_t i = 0; i < dr.n_files; i++) {
        char want[32];
        snprintf(want, sizeof(want), "p%03zu.json", i);
        assert_string_equal(dr.files[i].name, want);
        assert_non_null(dr.files[i].body);
    }

    /* through the streams source: 256 pipelines, and the 44 left out are counted */
    struct r1_node *node = xcalloc(1, sizeof(*node));
    struct r1_source_ctx ctx = {0};
    struct r1_reply reply = {.files = dr.files, .n_files = dr.n_files,
                             .n_files_total = dr.n_total};
    assert_int_equal(source_streams.apply(&ctx, node, &reply, err), 0);
    assert_int_equal(node->work.n_pipelines, 256);
    assert_int_equal(node->work.n_files_read, 256);
    assert_int_equal(node->work.n_files_total, 300);
    assert_string_equal(node->work.rows[0].pipeline, "p000");
    assert_string_equal(node->work.rows[255].pipeline, "p255");
    model_workloads_clear(&node->work);
    free(node);
    dirread_free(&dr);
    rm_dir(dir);
}

/* D9: pipeline files were read whole (up to 4 MiB each, 1 GiB a pass) on the UI loop. A file
 * over the per-file cap is that file's error, and a pass stops reading at the folder budget;
 * both show in the streams group (n_files_read < n_files_total, file_error). */
static void test_D9_pipeline_files_capped_per_file_and_per_pass(void **state)
{
    (void)state;
    char dir[] = "/tmp/r1top-test-streams-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "a.json", 80);
    write_file(dir, "big.json", DIRREAD_MAX_FILE_BYTES + 1);
    write_file(dir, "c.json", DIRREAD_MAX_FILE_BYTES);
    struct dirread_result dr;
    char err[R1_ERR_MAX] = "";
    /* the default caps: 256 KiB a file */
    assert_int_equal(dirread_json(dir, NULL, &dr, err), 0);
    assert_int_equal(dr.n_total, 3);
    assert_int_equal(dr.n_read, 2);
    assert_null(dr.files[1].body);
    char want[R1_ERR_MAX];
    snprintf(want, sizeof(want), "%s/big.json is larger than 262144 bytes; not reading it", dir);
    assert_string_equal(dr.files[1].error, want);
    assert_non_null(dr.files[2].body);
    assert_int_equal(dr.files[2].len, DIRREAD_MAX_FILE_BYTES);

    struct r1_node *node = xcalloc(1, sizeof(*node));
    struct r1_source_ctx ctx = {0};
    struct r1_reply reply = {.files = dr.files, .n_files = dr.n_files,
                             .n_files_total = dr.n_total};
    assert_int_equal(source_streams.apply(&ctx, node, &reply, err), 0);
    assert_int_equal(node->work.n_files_total, 3);
    assert_int_equal(node->work.n_files_read, 2);
    assert_int_equal(node->work.n_unreadable, 1);
    assert_string_equal(node->work.n_pipelines == 2 ? node->work.rows[1].pipeline : "", "c");
    assert_non_null(strstr(node->work.file_error, "big.json is larger than 262144 bytes"));
    dirread_free(&dr);

    /* a pass budget of 150 bytes: a (80) and the next file are read, then nothing more */
    write_file(dir, "b.json", 80);
    struct dirread_limits lim = {.max_files = 10, .max_file_bytes = 1024, .max_pass_bytes = 150};
    assert_int_equal(dirread_json(dir, &lim, &dr, err), 0);
    assert_int_equal(dr.n_total, 4);
    assert_int_equal(dr.n_read, 2);   /* a.json 80 B, b.json 80 B: 160 >= 150 */
    assert_string_equal(dr.files[1].name, "b.json");
    assert_string_equal(dr.files[2].name, "big.json");
    assert_null(dr.files[2].body);
    assert_string_equal(dr.files[2].error, "big.json: not read this pass (the folder's 150 B "
                                           "budget was spent on the files before it)");
    dirread_free(&dr);

    /* a FIFO named like a pipeline file is refused at once, not waited on */
    char fifo[600];
    snprintf(fifo, sizeof(fifo), "%s/0fifo.json", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    alarm(5);
    assert_int_equal(dirread_json(dir, NULL, &dr, err), 0);
    alarm(0);
    assert_null(dr.files[0].body);
    assert_non_null(strstr(dr.files[0].error, "not a regular file"));
    dirread_free(&dr);

    /* a folder that is not there is the source's error */
    char gone[600];
    snprintf(gone, sizeof(gone), "%s/none", dir);
    assert_int_equal(dirread_json(gone, NULL, &dr, err), -1);
    assert_non_null(strstr(err, "cannot list"));
    dirread_free(&dr);
    model_workloads_clear(&node->work);
    free(node);
    rm_dir(dir);
}

/* ---- sources ------------------------------------------------------------------------------ */

struct loaded {
    struct r1_file files[4];
    char *bodies[4];
};

static void load_streams(struct loaded *l, const char *const *names, size_t n)
{
    memset(l, 0, sizeof(*l));
    for (size_t i = 0; i < n; i++) {
        char path[128];
        snprintf(path, sizeof(path), "streams/%s", names[i]);
        l->bodies[i] = fixture(path, &l->files[i].len);
        l->files[i].body = l->bodies[i];
        l->files[i].mtime = 1786010400.0 + (double)i;
        snprintf(l->files[i].name, sizeof(l->files[i].name), "%s", names[i]);
    }
}

static void free_streams(struct loaded *l)
{
    for (size_t i = 0; i < 4; i++)
        free(l->bodies[i]);
}

static void test_streams_apply_builds_sorted_rows(void **state)
{
    static const char *const names[] = {"worker_b71c.json", "admin_pipeline.json",
                                        "myapp_3e02d52.json", "empty_pipeline.json"};
    struct loaded l;
    struct r1_node node;
    struct r1_source_ctx ctx = {0};
    char err[R1_ERR_MAX] = "";
    memset(&node, 0, sizeof(node));
    load_streams(&l, names, 4);
    struct r1_reply reply = {.url = "file:///d/box_configuration/streams/", .files = l.files,
                             .n_files = 4};
    assert_int_equal(source_streams.apply(&ctx, &node, &reply, err), 0);
    assert_int_equal(node.work.n_rows, 5);
    assert_int_equal(node.work.n_pipelines, 3);
    assert_int_equal(node.work.n_unreadable, 0);
    assert_true(R1_VALID(&node.work, WORK_LIST));
    assert_string_equal(node.work.rows[0].pipeline, "empty_pipeline");
    assert_string_equal(node.work.rows[1].pipeline, "myapp_3e02d52");
    assert_string_equal(node.work.rows[2].instance_id, "CONTAINER_APP_0c");
    assert_string_equal(node.work.rows[4].instance_id, "WORKER_APP_b2");
    for (size_t i = 0; i < node.work.n_rows; i++)
        assert_string_not_equal(node.work.rows[i].pipeline, "admin_pipeline");
    free(node.work.rows);
    free_streams(&l);
}

static void test_streams_unreadable_file_keeps_pipeline_rows(void **state)
{
    static const char *const names[] = {"worker_b71c.json", "myapp_3e02d52.json"};
    struct loaded l;
    struct r1_node node;
    struct r1_source_ctx ctx = {0};
    char err[R1_ERR_MAX] = "";
    memset(&node, 0, sizeof(node));
    load_streams(&l, names, 2);
    struct r1_reply reply = {.files = l.files, .n_files = 2};
    assert_int_equal(source_streams.apply(&ctx, &node, &reply, err), 0);
    assert_int_equal(node.work.n_rows, 4);
    /* Next round: the worker file is caught mid-write, the other is gone. */
    l.files[0].len = 40;
    reply.n_files = 1;
    assert_int_equal(source_streams.apply(&ctx, &node, &reply, err), 0);
    assert_int_equal(node.work.n_unreadable, 1);
    assert_int_equal(node.work.n_rows, 3);
    assert_int_equal(node.work.n_pipelines, 1);
    for (size_t i = 0; i < node.work.n_rows; i++)
        assert_string_equal(node.work.rows[i].pipeline, "worker_b71c");
    /* A file that could not be read at all counts the same way. */
    l.files[0].body = NULL;
    assert_int_equal(source_streams.apply(&ctx, &node, &reply, err), 0);
    assert_int_equal(node.work.n_rows, 3);
    assert_int_equal(node.work.n_unreadable, 1);
    free(node.work.rows);
    free_streams(&l);
}

static void test_streams_empty_folder_clears_rows(void **state)
{
    static const char *const names[] = {"worker_b71c.json"};
    struct loaded l;
    struct r1_node node;
    struct r1_source_ctx ctx = {0};
    char err[R1_ERR_MAX] = "";
    memset(&node, 0, sizeof(node));
    load_streams(&l, names, 1);
    struct r1_reply reply = {.files = l.files, .n_files = 1};
    assert_int_equal(source_streams.apply(&ctx, &node, &reply, err), 0);
    assert_int_equal(node.work.n_rows, 3);
    reply.n_files = 0;
    reply.files = NULL;
    assert_int_equal(source_streams.apply(&ctx, &node, &reply, err), 0);
    assert_int_equal(node.work.n_rows, 0);
    assert_int_equal(node.work.n_pipelines, 0);
    free(node.work.rows);
    free_streams(&l);
}

static void test_info_apply_records_file_mtime(void **state)
{
    size_t len;
    char *buf = fixture("local_info.json", &len);
    struct r1_node node;
    struct r1_source_ctx ctx = {0};
    char err[R1_ERR_MAX] = "";
    memset(&node, 0, sizeof(node));
    struct r1_reply reply = {.body = buf, .len = len, .mtime = 1786010401.25};
    assert_int_equal(source_node_info.apply(&ctx, &node, &reply, err), 0);
    assert_true(R1_VALID(&node.info, INFO_MTIME));
    assert_true(node.info.file_mtime == 1786010401.25);
    assert_string_equal(node.info.alias, "5ac5438a2775");
    /* The poller owns the time stamps and the error. */
    assert_true(node.info.meta.updated_at == 0.0);
    /* A truncated rewrite fails and leaves the mtime of the last good read. */
    reply.len = len / 3;
    reply.mtime = 1786010411.0;
    assert_int_equal(source_node_info.apply(&ctx, &node, &reply, err), -1);
    assert_true(node.info.file_mtime == 1786010401.25);
    free(buf);
}

static void test_history_apply_records_file_mtime(void **state)
{
    size_t len;
    char *buf = fixture("local_history.json", &len);
    struct r1_node node;
    struct r1_source_ctx ctx = {0};
    char err[R1_ERR_MAX] = "";
    memset(&node, 0, sizeof(node));
    struct r1_reply reply = {.body = buf, .len = len, .mtime = 1786010400.0};
    assert_int_equal(source_node_history.apply(&ctx, &node, &reply, err), 0);
    assert_true(R1_VALID(&node.hist, HIST_MTIME));
    assert_true(node.hist.file_mtime == 1786010400.0);
    assert_true(R1_VALID(&node.hist, HIST_UPTIME));
    free(buf);
}

static void test_prepare_builds_urls_under_status_folder(void **state)
{
    struct r1_config cfg;
    struct r1_node node;
    struct r1_request req;
    char err[R1_ERR_MAX] = "";
    memset(&cfg, 0, sizeof(cfg));
    cfg.max_body_bytes = 4u << 20;
    cfg.http_timeout_ms = 5000;
    struct r1_source_ctx ctx = {.cfg = &cfg};
    memset(&node, 0, sizeof(node));
    snprintf(node.status_dir_url, sizeof(node.status_dir_url),
             "file:///var/cache/edge_node/_local_cache/_data/");
    memset(&req, 0, sizeof(req));
    assert_int_equal(source_node_info.prepare(&ctx, &node, &req, err), 0);
    assert_string_equal(req.url, "file:///var/cache/edge_node/_local_cache/_data/local_info.json");
    assert_int_equal(req.max_bytes, 4u << 20);
    assert_int_equal(req.timeout_ms, 5000);
    assert_int_equal(source_node_history.prepare(&ctx, &node, &req, err), 0);
    assert_string_equal(req.url,
                        "file:///var/cache/edge_node/_local_cache/_data/local_history.json");
    assert_int_equal(source_streams.prepare(&ctx, &node, &req, err), 0);
    assert_string_equal(req.url, "file:///var/cache/edge_node/_local_cache/_data/"
                                 "box_configuration/streams/");
    /* A folder URL written without its final slash still names the folder. */
    snprintf(node.status_dir_url, sizeof(node.status_dir_url), "sftp://host/data");
    assert_int_equal(source_node_info.prepare(&ctx, &node, &req, err), 0);
    assert_string_equal(req.url, "sftp://host/data/local_info.json");
}

static void test_prepare_without_status_folder_skips(void **state)
{
    struct r1_config cfg;
    struct r1_node node;
    struct r1_request req;
    char err[R1_ERR_MAX] = "";
    memset(&cfg, 0, sizeof(cfg));
    struct r1_source_ctx ctx = {.cfg = &cfg};
    memset(&node, 0, sizeof(node));
    memset(&req, 0, sizeof(req));
    assert_int_equal(source_node_info.prepare(&ctx, &node, &req, err), 1);
    assert_int_equal(source_node_history.prepare(&ctx, &node, &req, err), 1);
    assert_int_equal(source_streams.prepare(&ctx, &node, &req, err), 1);
}

/* The longest status folder the config accepts still makes whole request URLs: nothing is
 * cut off the file name (a cut URL would read another file). */
static void test_prepare_longest_status_url_is_never_cut(void **state)
{
    struct r1_node node;
    struct r1_request req;
    char err[R1_ERR_MAX] = "";
    struct r1_source_ctx ctx = {0};
    memset(&node, 0, sizeof(node));
    memset(node.status_dir_url, 'a', sizeof(node.status_dir_url) - 2);
    node.status_dir_url[sizeof(node.status_dir_url) - 2] = '/';
    assert_int_equal(source_node_history.prepare(&ctx, &node, &req, err), 0);
    size_t l = strlen(req.url);
    assert_true(l > sizeof(node.status_dir_url));
    assert_string_equal(req.url + l - strlen("local_history.json"), "local_history.json");
    assert_int_equal(source_streams.prepare(&ctx, &node, &req, err), 0);
}

static void test_sources_table_entries(void **state)
{
    struct r1_node node;
    memset(&node, 0, sizeof(node));
    assert_int_equal(source_node_info.id, SRC_NODE_INFO);
    assert_string_equal(source_node_info.name, "node_info");
    assert_true(source_node_info.default_interval_s == 10.0);
    assert_true(source_node_history.default_interval_s == 300.0);
    assert_true(source_streams.default_interval_s == 30.0);
    assert_int_equal(source_node_history.id, SRC_NODE_HISTORY);
    assert_int_equal(source_streams.id, SRC_STREAMS);
    assert_ptr_equal(source_node_info.meta(NULL, &node), &node.info.meta);
    assert_ptr_equal(source_node_history.meta(NULL, &node), &node.hist.meta);
    assert_ptr_equal(source_streams.meta(NULL, &node), &node.work.meta);
    assert_null(source_streams.sample);
}

/* D2: a status file about another node (a copied or wrong folder) is refused whole: nothing of
 * it is stored, so the oracle replies bound to this node's identity stay bound to it. */
static void test_D2_status_file_about_another_node_is_refused(void **state)
{
    (void)state;
    size_t len = 0;
    char *buf = fixture("local_info.json", &len);
    struct r1_node node;
    char err[R1_ERR_MAX] = "";
    struct r1_source_ctx ctx = {.now = 1000.0};
    struct r1_reply reply = {.url = "file:///x/local_info.json", .body = buf, .len = len};

    /* the file's own addresses, configured: taken */
    memset(&node, 0, sizeof(node));
    strcpy(node.eth_cfg, "0xC440CDD0bbddB5A271DE07D3378e31cb8d9727a5");   /* any case */
    assert_int_equal(source_node_info.apply(&ctx, &node, &reply, err), 0);
    assert_true(R1_VALID(&node.info, INFO_ETH));

    /* another node's ETH address configured: refused, nothing stored */
    memset(&node, 0, sizeof(node));
    strcpy(node.eth_cfg, "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69");
    assert_int_equal(source_node_info.apply(&ctx, &node, &reply, err), R1_APPLY_REFUSED);
    assert_non_null(strstr(err, "not this node"));
    assert_int_equal(node.info.meta.valid, 0);

    /* another node's 0xai address configured: refused */
    memset(&node, 0, sizeof(node));
    strcpy(node.addr_cfg, "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty");
    assert_int_equal(source_node_info.apply(&ctx, &node, &reply, err), R1_APPLY_REFUSED);
    assert_int_equal(node.info.meta.valid, 0);

    /* a file whose ETH address is not its own key's: refused even with nothing configured */
    char *p = strstr(buf, "0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5");
    assert_non_null(p);
    memcpy(p, "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69", 42);
    memset(&node, 0, sizeof(node));
    assert_int_equal(source_node_info.apply(&ctx, &node, &reply, err), R1_APPLY_REFUSED);
    assert_non_null(strstr(err, "not the same key"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_info_real_file_fills_every_field),
        cmocka_unit_test(test_info_null_fields_leave_valid_bits_clear),
        cmocka_unit_test(test_info_field_turning_null_clears_its_bit),
        cmocka_unit_test(test_info_truncated_file_keeps_previous_values),
        cmocka_unit_test(test_info_garbage_is_an_error),
        cmocka_unit_test(test_info_wrong_types_are_unknown_not_zero),
        cmocka_unit_test(test_info_numbers_sent_as_strings_are_read),
        cmocka_unit_test(test_info_escape_codes_in_alias_are_sanitised),
        cmocka_unit_test(test_info_last_epochs_sorted_newest_kept),
        cmocka_unit_test(test_info_parse_keeps_mtime_and_meta),
        cmocka_unit_test(test_D10_history_last_gpu_sample_unknown_is_na_not_no_gpu),
        cmocka_unit_test(test_D18_info_absurd_epochs_unknown),
        cmocka_unit_test(test_history_real_file),
        cmocka_unit_test(test_history_uptime_over_24_hours),
        cmocka_unit_test(test_history_minus_one_points_are_nan),
        cmocka_unit_test(test_history_huge_arrays_keep_last_points),
        cmocka_unit_test(test_history_truncated_keeps_previous_values),
        cmocka_unit_test(test_history_bad_values_refused_field_by_field),
        cmocka_unit_test(test_history_other_document_is_an_error),
        cmocka_unit_test(test_stream_deeployed_app_row),
        cmocka_unit_test(test_stream_secrets_never_copied),
        cmocka_unit_test(test_D11_only_the_real_admin_pipeline_is_hidden),
        cmocka_unit_test(test_D8_pipeline_folder_sorted_then_capped_and_counted),
        cmocka_unit_test(test_D9_pipeline_files_capped_per_file_and_per_pass),
        cmocka_unit_test(test_stream_pipeline_without_instances_gives_one_row),
        cmocka_unit_test(test_stream_every_plugin_instance_is_a_row),
        cmocka_unit_test(test_stream_truncated_file_adds_nothing),
        cmocka_unit_test(test_stream_hostile_shapes_do_not_crash),
        cmocka_unit_test(test_streams_apply_builds_sorted_rows),
        cmocka_unit_test(test_streams_unreadable_file_keeps_pipeline_rows),
        cmocka_unit_test(test_streams_empty_folder_clears_rows),
        cmocka_unit_test(test_info_apply_records_file_mtime),
        cmocka_unit_test(test_history_apply_records_file_mtime),
        cmocka_unit_test(test_prepare_builds_urls_under_status_folder),
        cmocka_unit_test(test_prepare_without_status_folder_skips),
        cmocka_unit_test(test_prepare_longest_status_url_is_never_cut),
        cmocka_unit_test(test_D2_status_file_about_another_node_is_refused),
        cmocka_unit_test(test_sources_table_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
