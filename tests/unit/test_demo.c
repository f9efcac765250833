/* Unit tests for the demo fleet (src/sources/demo.c): every document it produces has the shape
 * the protocol notes give for the real one (docs/protocol.md §2, §4.2-§4.4, §5), is deterministic
 * for a fixed clock, and goes through the real parsers — so
 * `r1top --demo` exercises the same code as a real fleet. Run it under valgrind too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "amount.h"
#include "epoch.h"
#include "model.h"
#include "network.h"
#include "sources/demo.h"
#include "trust/trust.h"
#include "sources/docker.h"
#include "sources/node_files.h"
#include "sources/oracle.h"
#include "util.h"

/* 2026-11-20 12:00:00 UTC: mainnet epoch (1795176000 - 1748016000) / 86400 = 545.83 -> 545 */
#define NOW 1795176000.0
#define NOW_EPOCH 545

static struct r1_fleet *fleet_new(enum r1_net net)
{
    struct r1_fleet *f = xcalloc(1, sizeof *f);
    model_fleet_init(f, network_get(net));
    demo_fleet_build(f);
    return f;
}

static void fleet_del(struct r1_fleet *f)
{
    model_fleet_free(f);
    free(f);
}

static const struct r1_node *node_named(const struct r1_fleet *f, const char *name)
{
    for (size_t i = 0; i < f->n_nodes; i++)
        if (strcmp(f->nodes[i].name, name) == 0)
            return &f->nodes[i];
    fail_msg("demo fleet has no node '%s'", name);
    return NULL;
}

/* Fetch and parse one document; the test fails unless the demo says "filled". */
static cJSON *fetch_json(const struct r1_fleet *f, const struct r1_node *n, enum r1_source_id id,
                         double now, struct demo_doc *doc)
{
    char err[R1_ERR_MAX] = "";
    int rc = demo_fetch(f, n, id, now, doc, err);
    if (rc != 0)
        fail_msg("demo_fetch(%s, %d) = %d: %s", n ? n->name : "fleet", (int)id, rc, err);
    assert_non_null(doc->body);
    assert_int_equal(strlen(doc->body), doc->len);
    cJSON *j = cJSON_Parse(doc->body);
    assert_non_null(j);
    return j;
}

static const cJSON *path(const cJSON *j, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(j, a);
    if (x && b)
        x = cJSON_GetObjectItemCaseSensitive(x, b);
    return x;
}

static void assert_keys(const cJSON *obj, const char *const *keys)
{
    assert_true(cJSON_IsObject(obj));
    for (; *keys; keys++)
        if (!cJSON_GetObjectItemCaseSensitive(obj, *keys))
            fail_msg("missing key '%s'", *keys);
}

static bool is_b64url(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* ---- the fleet ----------------------------------------------------------------------------- */

static void test_demo_fleet_has_eight_uniquely_named_demo_nodes(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    assert_true(f->demo);
    assert_true(f->n_nodes >= 8);
    for (size_t i = 0; i < f->n_nodes; i++) {
        assert_true(f->nodes[i].demo);
        assert_true(f->nodes[i].name[0] != '\0');
        assert_true(strncmp(f->nodes[i].status_dir_url, "demo://", 7) == 0);
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(f->nodes[i].name, f->nodes[k].name);
    }
    fleet_del(f);
}

static void test_demo_addresses_have_the_real_formats(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    for (size_t i = 0; i < f->n_nodes; i++) {
        const char *a = f->nodes[i].addr_cfg, *e = f->nodes[i].eth_cfg;
        /* 0xai_ + base64url of a 33-byte compressed key (02/03 prefix -> 'A'), docs/protocol.md
         * §3.5 */
        assert_int_equal(strlen(a), 49);
        assert_memory_equal(a, "0xai_A", 6);
        for (int k = 5; k < 49; k++)
            assert_true(is_b64url(a[k]));
        assert_int_equal(strlen(e), 42);
        assert_memory_equal(e, "0x", 2);
        for (int k = 2; k < 42; k++)
            assert_true(is_hex(e[k]));
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(a, f->nodes[k].addr_cfg);
    }
    /* the protocol notes' own example pair is one of them */
    const struct r1_node *fra = node_named(f, "r1-gpu-fra-01");
    assert_string_equal(fra->addr_cfg, "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty");
    assert_string_equal(fra->eth_cfg, "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69");
    fleet_del(f);
}

/* ---- every document --------------------------------------------------------------------- */

static const char *const info_keys[] = {"address",       "alias", "eth_address", "version_long",
                                        "version_short", "info",  NULL};
static const char *const info_info_keys[] = {
    "whitelist", "current_epoch", "current_epoch_avail", "last_epochs", "evm_network",
    "r1fs_id",   "r1fs_online",   "comm_last_active",    NULL};
static const char *const hist_series[] = {
    "cpu_load",   "cpu_temp", "total_memory",        "occupied_memory",
    "gpu_load",   "gpu_temp", "gpu_occupied_memory", "gpu_total_memory",
    "timestamps", NULL};
static const char *const hist_keys[] = {
    "address", "eth_address", "alias",       "current_epoch",  "current_epoch_avail",
    "uptime",  "version",     "last_epochs", "last_save_time", NULL};
static const char *const epochs_keys[] = {"node",
                                          "node_eth_address",
                                          "node_alias",
                                          "epochs",
                                          "epochs_vals",
                                          "from_epoch",
                                          "to_epoch",
                                          "packed_availabilities",
                                          "eth_signed_data",
                                          "eth_signatures",
                                          "eth_addresses",
                                          "node_last_seen_sec",
                                          "resources",
                                          "tags",
                                          "node_is_online",
                                          "node_version",
                                          "node_is_oracle",
                                          "node_license_info",
                                          "node_licese_info",
                                          "oracle",
                                          "server_alias",
                                          "server_version",
                                          "server_time",
                                          "server_current_epoch",
                                          "server_last_synced_epoch",
                                          "server_uptime",
                                          NULL};
static const char *const licence_keys[] = {"network",
                                           "licenseType",
                                           "licenseId",
                                           "owner",
                                           "nodeAddress",
                                           "totalAssignedAmount",
                                           "totalClaimedAmount",
                                           "lastClaimEpoch",
                                           "assignTimestamp",
                                           "lastClaimOracle",
                                           "isBanned",
                                           "isValid",
                                           NULL};

static void check_doc_shape(const struct r1_node *n, enum r1_source_id id, const cJSON *j,
                            const struct demo_doc *doc)
{
    switch (id) {
    case SRC_NODE_INFO:
        assert_keys(j, info_keys);
        assert_keys(path(j, "info", NULL), info_info_keys);
        assert_string_equal(path(j, "address", NULL)->valuestring, n->addr_cfg);
        assert_true(doc->mtime > 0);
        assert_int_equal(doc->http_code, 0);
        break;
    case SRC_NODE_HISTORY: {
        assert_keys(j, hist_keys);
        assert_keys(j, hist_series);
        int len = cJSON_GetArraySize(path(j, "timestamps", NULL));
        assert_true(len >= 1 && len <= 64);
        for (const char *const *k = hist_series; *k; k++)
            assert_int_equal(cJSON_GetArraySize(path(j, *k, NULL)), len);
        assert_true(cJSON_GetArraySize(path(j, "last_epochs", NULL)) <= 10);
        assert_true(doc->mtime > 0);
        break;
    }
    case SRC_ORACLE_LAST:
        assert_int_equal(doc->http_code, 200);
        assert_keys(path(j, "result", NULL), epochs_keys);
        assert_non_null(path(path(j, "result", NULL), "last_epoch_id", NULL));
        assert_keys(path(path(j, "result", NULL), "node_license_info", NULL), licence_keys);
        assert_keys(path(path(j, "result", NULL), "node_licese_info", NULL), licence_keys);
        assert_true(cJSON_IsString(path(j, "server_node_addr", NULL)));
        break;
    case SRC_ORACLE_RANGE:
        assert_int_equal(doc->http_code, 200);
        assert_keys(path(j, "result", NULL), epochs_keys);
        break;
    case SRC_DOCKER: {
        static const char *const keys[] = {"Id", "Name", "State", "RestartCount", "Config", NULL};
        static const char *const st[] = {"Status", "Running", "StartedAt", "Health", NULL};
        assert_int_equal(doc->http_code, 200);
        assert_keys(j, keys);
        assert_keys(path(j, "State", NULL), st);
        assert_string_equal(path(j, "Name", NULL)->valuestring, "/edge_node");
        assert_true(cJSON_IsString(path(j, "Config", "Image")));
        break;
    }
    default:
        break;
    }
}

static void check_streams(const struct demo_doc *doc)
{
    assert_true(doc->n_files >= 1);
    for (size_t k = 0; k < doc->n_files; k++) {
        const struct r1_file *file = &doc->files[k];
        assert_non_null(file->body);
        assert_int_equal(strlen(file->body), file->len);
        assert_true(file->mtime > 0);
        cJSON *j = cJSON_Parse(file->body);
        assert_non_null(j);
        char want[300];
        snprintf(want, sizeof want, "%s.json", path(j, "NAME", NULL)->valuestring);
        assert_string_equal(file->name, want);
        assert_true(cJSON_IsString(path(j, "TYPE", NULL)));
        const cJSON *p;
        cJSON_ArrayForEach(p, path(j, "PLUGINS", NULL))
        {
            assert_true(cJSON_IsString(path(p, "SIGNATURE", NULL)));
            const cJSON *in;
            cJSON_ArrayForEach(in, path(p, "INSTANCES", NULL))
                assert_true(cJSON_IsString(path(in, "INSTANCE_ID", NULL)));
        }
        cJSON_Delete(j);
    }
}

static void check_all_docs(enum r1_net net_id, double now)
{
    struct r1_fleet *f = fleet_new(net_id);
    struct demo_doc doc;
    char err[R1_ERR_MAX];
    int n_filled = 0, n_failed = 0;

    cJSON *j = fetch_json(f, NULL, SRC_ORACLE_EPOCH, now, &doc);
    assert_int_equal(path(j, "result", "current_epoch")->valuedouble,
                     (double)epoch_at(f->net, now));
    assert_non_null(path(j, "result", "server_last_synced_epoch"));
    assert_int_equal(doc.http_code, 200);
    cJSON_Delete(j);
    demo_doc_free(&doc);

    for (size_t i = 0; i < f->n_nodes; i++) {
        const struct r1_node *n = &f->nodes[i];
        for (int id = 0; id < SRC_COUNT; id++) {
            if (id == SRC_ORACLE_EPOCH)
                continue;
            err[0] = '\0';
            int rc = demo_fetch(f, n, (enum r1_source_id)id, now, &doc, err);
            if (rc < 0) {
                assert_true(err[0] != '\0'); /* a failure always says why */
                assert_null(doc.body);
                n_failed++;
                continue;
            }
            if (rc == 1) {
                assert_null(doc.body);
                continue;
            }
            assert_int_equal(rc, 0);
            n_filled++;
            if (id == SRC_STREAMS) {
                check_streams(&doc);
            } else {
                j = cJSON_Parse(doc.body);
                if (!j)
                    fail_msg("%s source %d: invalid JSON", n->name, id);
                check_doc_shape(n, (enum r1_source_id)id, j, &doc);
                cJSON_Delete(j);
            }
            demo_doc_free(&doc);
        }
    }
    assert_true(n_filled >= 40);
    assert_true(n_failed >= 1); /* the demo shows what a failing source looks like */
    fleet_del(f);
}

static void test_demo_every_doc_is_valid_json_with_the_protocol_keys(void **state)
{
    (void)state;
    check_all_docs(R1_NET_MAINNET, NOW);
}

static void test_demo_docs_stay_valid_near_genesis_and_on_devnet(void **state)
{
    (void)state;
    const struct r1_network *main_net = network_get(R1_NET_MAINNET);
    check_all_docs(R1_NET_MAINNET, (double)main_net->genesis_unix + 2.5 * 86400.0);
    check_all_docs(R1_NET_DEVNET, NOW);
}

/* ---- local_info.json / local_history.json ------------------------------------------------- */

static void test_demo_local_info_epochs_follow_the_clock(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    struct demo_doc doc;
    cJSON *j = fetch_json(f, node_named(f, "r1-gpu-fra-01"), SRC_NODE_INFO, NOW, &doc);
    const cJSON *info = path(j, "info", NULL);
    assert_int_equal(path(info, "current_epoch", NULL)->valueint, NOW_EPOCH);
    double avail = path(info, "current_epoch_avail", NULL)->valuedouble;
    assert_true(avail > 0.98 && avail <= 1.0);
    /* last 5 epochs as a dict with string keys, healthy = 253..255 */
    const cJSON *last = path(info, "last_epochs", NULL);
    assert_int_equal(cJSON_GetArraySize(last), 5);
    assert_non_null(path(last, "540", NULL));
    assert_non_null(path(last, "544", NULL));
    const cJSON *v;
    cJSON_ArrayForEach(v, last)
        assert_int_equal(v->valueint, 255); /* this node is the healthy one: 255s */
    /* rewritten every 10 s, so at most 10 s old */
    assert_true(doc.mtime <= NOW && doc.mtime > NOW - 10.0);
    cJSON_Delete(j);
    demo_doc_free(&doc);
    fleet_del(f);
}

static void test_demo_history_of_long_running_node_has_uptime_over_24_hours(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    struct demo_doc doc;
    cJSON *j = fetch_json(f, node_named(f, "r1-gpu-fra-01"), SRC_NODE_HISTORY, NOW, &doc);
    int h = -1, m = -1, s = -1;
    assert_int_equal(sscanf(path(j, "uptime", NULL)->valuestring, "%d:%d:%d", &h, &m, &s), 3);
    assert_true(h > 24);
    assert_true(m >= 0 && m < 60 && s >= 0 && s < 60);
    assert_int_equal(cJSON_GetArraySize(path(j, "cpu_load", NULL)), 60);
    const cJSON *v;
    cJSON_ArrayForEach(v, path(j, "gpu_load", NULL))
        assert_true(v->valuedouble >= 0 && v->valuedouble <= 100);
    cJSON_Delete(j);
    demo_doc_free(&doc);
    fleet_del(f);
}

/* Every view of one node tells the same story: the container's StartedAt plus the uptime
 * the history file reports lands on the file's last_save_time. */
static void test_demo_history_uptime_matches_the_container_start(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    for (size_t i = 0; i < f->n_nodes; i++) {
        const struct r1_node *n = &f->nodes[i];
        struct demo_doc hd, dd;
        char err[R1_ERR_MAX];
        if (demo_fetch(f, n, SRC_DOCKER, NOW, &dd, err) != 0 ||
            demo_fetch(f, n, SRC_NODE_HISTORY, NOW, &hd, err) != 0) {
            demo_doc_free(&dd);
            continue;
        }
        cJSON *h = cJSON_Parse(hd.body), *d = cJSON_Parse(dd.body);
        double uptime, saved, started;
        assert_int_equal(r1_parse_elapsed(path(h, "uptime", NULL)->valuestring, &uptime), 0);
        assert_int_equal(r1_parse_utc(path(h, "last_save_time", NULL)->valuestring, &saved), 0);
        assert_int_equal(docker_parse_time(path(d, "State", "StartedAt")->valuestring, &started),
                         0);
        if (fabs(started + uptime - saved) > 2.0)
            fail_msg("%s: started %.0f + uptime %.0f != saved %.0f", n->name, started, uptime,
                     saved);
        cJSON_Delete(h);
        cJSON_Delete(d);
        demo_doc_free(&hd);
        demo_doc_free(&dd);
    }
    fleet_del(f);
}

static void test_demo_cpu_only_node_history_has_minus_one_gpu_values(void **state)
{
    (void)state;
    static const char *const gpu_keys[] = {"gpu_load", "gpu_temp", "gpu_occupied_memory",
                                           "gpu_total_memory", NULL};
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    struct demo_doc doc;
    cJSON *j = fetch_json(f, node_named(f, "r1-cpu-sgp-03"), SRC_NODE_HISTORY, NOW, &doc);
    for (const char *const *k = gpu_keys; *k; k++) {
        const cJSON *v;
        assert_true(cJSON_GetArraySize(path(j, *k, NULL)) > 0);
        cJSON_ArrayForEach(v, path(j, *k, NULL))
            assert_true(cJSON_IsNumber(v) && v->valuedouble == -1);
    }
    cJSON_Delete(j);
    demo_doc_free(&doc);
    fleet_del(f);
}

static void test_demo_poor_node_has_low_availability(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    struct demo_doc doc;
    cJSON *j = fetch_json(f, node_named(f, "r1-cpu-home-04"), SRC_NODE_INFO, NOW, &doc);
    double avail = path(j, "info", "current_epoch_avail")->valuedouble;
    assert_true(avail > 0.5 && avail < 0.6);
    int low = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, path(j, "info", "last_epochs")) low += v->valueint < 240;
    assert_true(low >= 3);
    cJSON_Delete(j);
    demo_doc_free(&doc);
    fleet_del(f);
}

/* ---- the offline node ---------------------------------------------------------------------- */

static void test_demo_offline_node_status_file_is_old_and_frozen(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    const struct r1_node *n = node_named(f, "r1-offline-05");
    struct demo_doc a, b;
    cJSON *j = fetch_json(f, n, SRC_NODE_INFO, NOW, &a);
    assert_true(a.mtime < NOW - 3600.0);
    cJSON_Delete(j);
    /* ten minutes later nothing was rewritten */
    j = fetch_json(f, n, SRC_NODE_INFO, NOW + 600.0, &b);
    assert_true(a.mtime == b.mtime);
    assert_string_equal(a.body, b.body);
    cJSON_Delete(j);
    demo_doc_free(&a);
    demo_doc_free(&b);

    j = fetch_json(f, n, SRC_NODE_HISTORY, NOW, &a);
    assert_true(a.mtime < NOW - 3600.0);
    cJSON_Delete(j);
    demo_doc_free(&a);

    j = fetch_json(f, n, SRC_ORACLE_LAST, NOW, &a);
    assert_true(cJSON_IsFalse(path(j, "result", "node_is_online")));
    assert_true(path(j, "result", "node_last_seen_sec")->valuedouble >= 10800.0);
    cJSON_Delete(j);
    demo_doc_free(&a);

    j = fetch_json(f, n, SRC_DOCKER, NOW, &a);
    assert_string_equal(path(j, "State", "Status")->valuestring, "exited");
    assert_true(cJSON_IsFalse(path(j, "State", "Running")));
    cJSON_Delete(j);
    demo_doc_free(&a);
    fleet_del(f);
}

/* ---- oracle ---------------------------------------------------------------------------------- */

static void test_demo_banned_node_licence_is_banned_and_invalid(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    struct demo_doc doc;
    cJSON *j = fetch_json(f, node_named(f, "r1-banned-06"), SRC_ORACLE_LAST, NOW, &doc);
    static const char *const spellings[] = {"node_license_info", "node_licese_info"};
    for (int k = 0; k < 2; k++) {
        const cJSON *lic = path(path(j, "result", NULL), spellings[k], NULL);
        assert_true(cJSON_IsTrue(path(lic, "isBanned", NULL)));
        assert_true(cJSON_IsFalse(path(lic, "isValid", NULL)));
    }
    cJSON_Delete(j);
    demo_doc_free(&doc);
    fleet_del(f);
}

static void test_demo_total_assigned_is_written_as_exact_digits(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    struct demo_doc doc;
    cJSON *j = fetch_json(f, node_named(f, "r1-gpu-fra-01"), SRC_ORACLE_LAST, NOW, &doc);
    /* bigger than 64 bits: must be the JSON integer lexeme, not a rounded double */
    assert_non_null(strstr(doc.body, "\"totalAssignedAmount\":1575188843457943924600,"));
    assert_int_equal(path(path(j, "result", "node_license_info"), "licenseType", NULL)->valueint,
                     R1_LIC_ND);
    cJSON_Delete(j);
    demo_doc_free(&doc);

    j = fetch_json(f, node_named(f, "r1-mnd-master"), SRC_ORACLE_LAST, NOW, &doc);
    assert_int_equal(path(path(j, "result", "node_license_info"), "licenseType", NULL)->valueint,
                     R1_LIC_MND);
    cJSON_Delete(j);
    demo_doc_free(&doc);
    fleet_del(f);
}

static void test_demo_range_is_the_one_the_real_request_asks_for(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    for (size_t i = 0; i < f->n_nodes; i++) {
        struct demo_doc doc;
        cJSON *last = fetch_json(f, &f->nodes[i], SRC_ORACLE_LAST, NOW, &doc);
        int64_t last_claim =
            (int64_t)path(path(last, "result", "node_license_info"), "lastClaimEpoch", NULL)
                ->valuedouble;
        assert_int_equal(path(last, "result", "last_epoch_id")->valueint, NOW_EPOCH - 1);
        cJSON_Delete(last);
        demo_doc_free(&doc);

        int64_t end = NOW_EPOCH - 1;
        int64_t start = last_claim < end - 29 ? last_claim : end - 29;
        cJSON *j = fetch_json(f, &f->nodes[i], SRC_ORACLE_RANGE, NOW, &doc);
        const cJSON *r = path(j, "result", NULL);
        assert_int_equal(path(r, "from_epoch", NULL)->valueint, start);
        assert_int_equal(path(r, "to_epoch", NULL)->valueint, end);
        int n = cJSON_GetArraySize(path(r, "epochs", NULL));
        assert_int_equal(n, end - start + 1);
        assert_int_equal(cJSON_GetArraySize(path(r, "epochs_vals", NULL)), n);
        const char *packed = path(r, "packed_availabilities", NULL)->valuestring;
        assert_int_equal(strlen(packed), 2 + 2 * (size_t)n);
        /* the packed bytes are the values, except where the demo alters a reply on purpose */
        const cJSON *v = path(r, "epochs_vals", NULL)->child;
        int differ = 0;
        for (int k = 0; k < n; k++, v = v->next) {
            unsigned byte;
            assert_int_equal(sscanf(packed + 2 + 2 * k, "%2x", &byte), 1);
            differ += byte != (unsigned)v->valueint;
        }
        assert_int_equal(differ, strcmp(f->nodes[i].name, "r1-gpu-ams-08") == 0 ? 1 : 0);
        cJSON_Delete(j);
        demo_doc_free(&doc);
    }
    fleet_del(f);
}

/* ---- streams -------------------------------------------------------------------------------- */

static void test_demo_streams_hold_admin_and_deeployed_pipelines_with_secrets(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    struct demo_doc doc;
    char err[R1_ERR_MAX];
    assert_int_equal(demo_fetch(f, node_named(f, "r1-gpu-fra-01"), SRC_STREAMS, NOW, &doc, err), 0);
    bool admin = false, deeployed = false, cf = false, worker = false;
    for (size_t k = 0; k < doc.n_files; k++) {
        cJSON *j = cJSON_Parse(doc.files[k].body);
        assert_non_null(j);
        if (strcmp(doc.files[k].name, "admin_pipeline.json") == 0)
            admin = true;
        if (cJSON_IsTrue(path(j, "IS_DEEPLOYED", NULL)) &&
            cJSON_IsNumber(path(j, "DEEPLOY_SPECS", "job_id")))
            deeployed = true;
        /* the secrets are really in the raw file: the parser's filtering is what hides them */
        if (strstr(doc.files[k].body, "\"CLOUDFLARE_TOKEN\"") &&
            strstr(doc.files[k].body, "DEMO-SECRET-"))
            cf = true;
        if (strstr(doc.files[k].body, "\"WORKER_APP_RUNNER\"") &&
            strstr(doc.files[k].body, "\"TOKEN\""))
            worker = true;
        cJSON_Delete(j);
    }
    assert_true(admin);
    assert_true(deeployed);
    assert_true(cf);
    assert_true(worker);
    demo_doc_free(&doc);
    fleet_del(f);
}

/* ---- Docker ---------------------------------------------------------------------------------- */

static void test_demo_docker_running_denied_and_absent(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    struct demo_doc doc;
    char err[R1_ERR_MAX] = "";
    cJSON *j = fetch_json(f, node_named(f, "r1-gpu-fra-01"), SRC_DOCKER, NOW, &doc);
    assert_string_equal(path(j, "State", "Status")->valuestring, "running");
    assert_true(cJSON_IsTrue(path(j, "State", "Running")));
    assert_string_equal(path(path(j, "State", "Health"), "Status", NULL)->valuestring, "healthy");
    assert_string_equal(path(j, "Config", "Image")->valuestring, "ratio1/edge_node_gpu:mainnet");
    const char *started = path(j, "State", "StartedAt")->valuestring;
    assert_int_equal(strlen(started), strlen("2026-11-20T08:00:00.123456789Z"));
    assert_int_equal(started[strlen(started) - 1], 'Z');
    cJSON_Delete(j);
    demo_doc_free(&doc);

    assert_int_equal(demo_fetch(f, node_named(f, "r1-gpu-lab-07"), SRC_DOCKER, NOW, &doc, err), -1);
    assert_non_null(strstr(err, "docker"));
    assert_int_equal(demo_fetch(f, node_named(f, "r1-cpu-sgp-03"), SRC_DOCKER, NOW, &doc, err), 1);
    assert_int_equal(demo_fetch(f, node_named(f, "r1-gpu-fra-01"), SRC_GPU, NOW, &doc, err), 1);
    demo_doc_free(&doc);
    fleet_del(f);
}

/* ---- determinism --------------------------------------------------------------------------- */

static void assert_docs_equal(const struct demo_doc *a, const struct demo_doc *b)
{
    assert_int_equal(a->len, b->len);
    assert_memory_equal(a->body, b->body, a->len);
    assert_true(a->mtime == b->mtime);
    assert_int_equal(a->http_code, b->http_code);
    assert_int_equal(a->n_files, b->n_files);
    for (size_t k = 0; k < a->n_files; k++) {
        assert_string_equal(a->files[k].name, b->files[k].name);
        assert_string_equal(a->files[k].body, b->files[k].body);
        assert_true(a->files[k].mtime == b->files[k].mtime);
    }
}

static void test_demo_docs_are_deterministic_for_a_fixed_clock(void **state)
{
    (void)state;
    /* two separately built fleets: no hidden state may leak between calls */
    struct r1_fleet *f1 = fleet_new(R1_NET_MAINNET), *f2 = fleet_new(R1_NET_MAINNET);
    char err[R1_ERR_MAX];
    for (size_t i = 0; i < f1->n_nodes; i++)
        for (int id = 0; id < SRC_COUNT; id++) {
            struct demo_doc a, b;
            int ra = demo_fetch(f1, &f1->nodes[i], (enum r1_source_id)id, NOW, &a, err);
            demo_doc_free(&a); /* and freeing one never disturbs the next */
            ra = demo_fetch(f1, &f1->nodes[i], (enum r1_source_id)id, NOW, &a, err);
            int rb = demo_fetch(f2, &f2->nodes[i], (enum r1_source_id)id, NOW, &b, err);
            assert_int_equal(ra, rb);
            if (ra == 0)
                assert_docs_equal(&a, &b);
            demo_doc_free(&a);
            demo_doc_free(&b);
        }
    fleet_del(f1);
    fleet_del(f2);
}

static void test_demo_values_move_smoothly_between_polls(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    struct r1_node *n = &f->nodes[0];
    char err[R1_ERR_MAX];
    assert_int_equal(demo_gpu_sample(n, NOW, err), 0);
    double prev = n->gpus[0].util_pct;
    bool moved = false;
    for (int k = 1; k <= 60; k++) {
        assert_int_equal(demo_gpu_sample(n, NOW + 2.0 * k, err), 0);
        double d = fabs(n->gpus[0].util_pct - prev);
        assert_true(d <= 15.0); /* a step of 2 s never jumps across the gauge */
        moved |= d > 0;
        prev = n->gpus[0].util_pct;
    }
    assert_true(moved);
    fleet_del(f);
}

/* ---- GPU sampling ----------------------------------------------------------------------- */

static void test_demo_gpu_sample_fills_gpus_history_and_meta(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    struct r1_node *fra = &f->nodes[0];
    char err[R1_ERR_MAX] = "";
    assert_string_equal(fra->name, "r1-gpu-fra-01");
    assert_int_equal(demo_gpu_sample(fra, NOW, err), 0);
    assert_int_equal(fra->n_gpus, 2);
    assert_string_equal(fra->gpu_backend, "demo");
    for (int g = 0; g < 2; g++) {
        const struct r1_gpu *gpu = &fra->gpus[g];
        assert_string_equal(gpu->name, "NVIDIA GeForce RTX 4090");
        assert_true(R1_VALID(gpu, GPU_NAME) && R1_VALID(gpu, GPU_UTIL) && R1_VALID(gpu, GPU_MEM));
        assert_true(R1_VALID(gpu, GPU_TEMP) && R1_VALID(gpu, GPU_POWER));
        assert_true(gpu->meta.updated_at == NOW);
        assert_int_equal(fra->gpu_meta.fed_by, SRC_GPU + 1);
        assert_true(gpu->util_pct >= 0 && gpu->util_pct <= 100);
        assert_true(gpu->mem_used_bytes > 0 && gpu->mem_used_bytes < gpu->mem_total_bytes);
        assert_true(gpu->temp_c > 20 && gpu->temp_c < 95);
        assert_true(gpu->power_mw > 10000 && gpu->power_mw <= 450000);
        assert_int_equal(gpu->util_hist.n, R1_HIST_MAX); /* back-filled on first sample */
        assert_true(gpu->util_hist.v[R1_HIST_MAX - 1] == (float)gpu->util_pct);
    }
    assert_int_equal(demo_gpu_sample(fra, NOW + 2, err), 0);
    assert_int_equal(fra->gpus[0].util_hist.n, R1_HIST_MAX);

    struct r1_node *sgp = (struct r1_node *)node_named(f, "r1-cpu-sgp-03");
    assert_int_equal(demo_gpu_sample(sgp, NOW, err), 1);
    assert_int_equal(sgp->n_gpus, 0);

    struct r1_node stranger;
    memset(&stranger, 0, sizeof stranger);
    r1_strlcpy(stranger.name, "not-a-demo-node", sizeof stranger.name);
    assert_int_equal(demo_gpu_sample(&stranger, NOW, err), -1);
    assert_non_null(strstr(err, "not-a-demo-node"));
    struct demo_doc doc;
    assert_int_equal(demo_fetch(f, &stranger, SRC_NODE_INFO, NOW, &doc, err), -1);
    demo_doc_free(&doc);
    fleet_del(f);
}

static void test_demo_doc_free_is_safe_on_empty_and_twice(void **state)
{
    (void)state;
    struct demo_doc doc;
    memset(&doc, 0, sizeof doc);
    demo_doc_free(&doc);
    demo_doc_free(NULL);
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    char err[R1_ERR_MAX];
    assert_int_equal(demo_fetch(f, &f->nodes[0], SRC_STREAMS, NOW, &doc, err), 0);
    demo_doc_free(&doc);
    assert_null(doc.files);
    assert_null(doc.body);
    demo_doc_free(&doc);
    fleet_del(f);
}

/* ---- through the real parsers ----------------------------------------------------------- */

static void test_demo_docs_parse_through_the_real_parsers(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    char err[R1_ERR_MAX] = "";
    struct demo_doc doc;

    assert_int_equal(demo_fetch(f, NULL, SRC_ORACLE_EPOCH, NOW, &doc, err), 0);
    int64_t epoch = -1;
    if (oracle_parse_current_epoch(doc.body, doc.len, &epoch, err) != 0)
        fail_msg("current_epoch: %s", err);
    assert_int_equal(epoch, NOW_EPOCH);
    demo_doc_free(&doc);

    r1_u128 nd_total;
    assert_int_equal(amount_parse("1575188843457943924600", &nd_total), 0);

    for (size_t i = 0; i < f->n_nodes; i++) {
        struct r1_node *n = &f->nodes[i];
        if (demo_fetch(f, n, SRC_NODE_INFO, NOW, &doc, err) == 0) {
            struct r1_node_info info;
            memset(&info, 0, sizeof info);
            if (node_files_parse_info(doc.body, doc.len, &info, err) != 0)
                fail_msg("%s local_info: %s", n->name, err);
            assert_string_equal(info.address, n->addr_cfg);
            assert_string_equal(info.eth_address, n->eth_cfg);
            assert_string_equal(info.alias, n->name);
            assert_true(R1_VALID(&info, INFO_LAST_EPOCHS));
            assert_int_equal(info.n_last_epochs, 5);
            demo_doc_free(&doc);
        }
        if (demo_fetch(f, n, SRC_NODE_HISTORY, NOW, &doc, err) == 0) {
            struct r1_node_history *h = xcalloc(1, sizeof *h);
            if (node_files_parse_history(doc.body, doc.len, h, err) != 0)
                fail_msg("%s local_history: %s", n->name, err);
            assert_true(h->uptime_s > 0);
            assert_true(h->cpu_load_pct.n > 0);
            if (strcmp(n->name, "r1-cpu-sgp-03") == 0) /* -1 = unknown point */
                assert_true(isnan(h->gpu_load_pct.v[h->gpu_load_pct.n - 1]));
            if (strcmp(n->name, "r1-gpu-fra-01") == 0)
                assert_false(isnan(h->gpu_load_pct.v[h->gpu_load_pct.n - 1]));
            free(h);
            demo_doc_free(&doc);
        }
        if (demo_fetch(f, n, SRC_STREAMS, NOW, &doc, err) == 0) {
            struct r1_workloads w;
            memset(&w, 0, sizeof w);
            for (size_t k = 0; k < doc.n_files; k++) {
                int rc = node_files_parse_stream(doc.files[k].name, doc.files[k].body,
                                                 doc.files[k].len, &w, err);
                if (rc < 0)
                    fail_msg("%s %s: %s", n->name, doc.files[k].name, err);
                assert_int_equal(rc, strcmp(doc.files[k].name, "admin_pipeline.json") == 0);
            }
            assert_true(w.n_rows >= doc.n_files - 1); /* one row per instance */
            for (size_t r = 0; r < w.n_rows; r++) {
                const struct r1_instance *row = &w.rows[r];
                /* nothing secret made it into a row */
                const char *fields[] = {row->pipeline,   row->pipeline_type, row->app_alias,
                                        row->signature,  row->instance_id,   row->image,
                                        row->last_update};
                for (size_t k = 0; k < R1_ARRAY_LEN(fields); k++)
                    assert_null(strstr(fields[k], "DEMO-SECRET"));
                assert_true(row->instance_id[0] != '\0');
                assert_true(row->port > 0);
            }
            if (strcmp(n->name, "r1-gpu-fra-01") == 0) {
                assert_int_equal(w.n_rows, 2);
                bool job = false;
                for (size_t r = 0; r < w.n_rows; r++)
                    job |= w.rows[r].is_deeployed && w.rows[r].job_id == 66;
                assert_true(job);
            }
            model_workloads_clear(&w);
            demo_doc_free(&doc);
        }
        if (demo_fetch(f, n, SRC_DOCKER, NOW, &doc, err) == 0) {
            struct r1_docker d;
            memset(&d, 0, sizeof d);
            if (docker_parse_inspect(doc.body, doc.len, &d, err) != 0)
                fail_msg("%s docker: %s", n->name, err);
            assert_true(R1_VALID(&d, DOCK_STATE) && R1_VALID(&d, DOCK_STARTED));
            assert_true(R1_VALID(&d, DOCK_IMAGE) && R1_VALID(&d, DOCK_RESTARTS));
            bool offline = strcmp(n->name, "r1-offline-05") == 0;
            assert_string_equal(d.state, offline ? "exited" : "running");
            assert_true(d.started_at > NOW - 90 * 86400.0 && d.started_at < NOW);
            demo_doc_free(&doc);
        }
        for (int id = SRC_ORACLE_LAST; id <= SRC_ORACLE_RANGE; id++) {
            assert_int_equal(demo_fetch(f, n, (enum r1_source_id)id, NOW, &doc, err), 0);
            struct r1_oracle_node o;
            struct r1_licence lic;
            bool lic_present = false;
            memset(&o, 0, sizeof o);
            memset(&lic, 0, sizeof lic);
            if (oracle_parse_node_epochs(doc.body, doc.len, &o, &lic, &lic_present, err) != 0)
                fail_msg("%s oracle %d: %s", n->name, id, err);
            assert_true(lic_present);
            assert_int_equal(o.to_epoch, NOW_EPOCH - 1);
            assert_int_equal(o.n_epochs, o.to_epoch - o.from_epoch + 1);
            assert_string_equal(o.oracle_error, "");
            assert_true(lic.is_banned == (strcmp(n->name, "r1-banned-06") == 0));
            assert_true(lic.is_valid == !lic.is_banned);
            if (lic.type == R1_LIC_ND)
                assert_true(lic.total_assigned_wei == nd_total);
            assert_true(lic.total_claimed_wei <= lic.total_assigned_wei);
            assert_true(o.is_online == (strcmp(n->name, "r1-offline-05") != 0));
            model_oracle_node_clear(&o);
            demo_doc_free(&doc);
        }
    }
    fleet_del(f);
}

/* Every demo oracle reply is signed like a real oracle's and verifies against the demo
 * oracle's key, except the one node whose replies are altered after signing. */
static void test_demo_oracle_replies_verify_except_the_tampered_node(void **state)
{
    (void)state;
    struct r1_fleet *f = fleet_new(R1_NET_MAINNET);
    char demo_oracle[1][R1_ADDR_MAX];
    demo_oracle_address(demo_oracle[0]);
    const enum r1_source_id ids[] = {SRC_ORACLE_LAST, SRC_ORACLE_RANGE};
    for (size_t i = 0; i < f->n_nodes; i++) {
        bool tampered = strcmp(f->nodes[i].name, "r1-gpu-ams-08") == 0;
        for (size_t k = 0; k < 2; k++) {
            struct demo_doc doc;
            char err[R1_ERR_MAX];
            assert_int_equal(demo_fetch(f, &f->nodes[i], ids[k], NOW, &doc, err), 0);
            struct trust_result tr;
            trust_check_oracle_reply(doc.body, doc.len, f->net, demo_oracle, 1, &tr);
            if (tampered) {
                assert_int_equal(tr.trust, R1_TRUST_BAD);
                assert_non_null(strstr(tr.reason, "EE_HASH"));
            } else {
                assert_int_equal(tr.trust, R1_TRUST_VERIFIED);
                assert_true(tr.avail_present);
                assert_true(tr.avail_sig_ok);
                assert_true(tr.avail_signer_known);
            }
            /* without trusting the demo key, a valid signature is only an unknown signer */
            trust_check_oracle_reply(doc.body, doc.len, f->net, NULL, 0, &tr);
            assert_int_equal(tr.trust, tampered ? R1_TRUST_BAD : R1_TRUST_UNKNOWN_SIGNER);
            demo_doc_free(&doc);
        }
    }
    fleet_del(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_fleet_has_eight_uniquely_named_demo_nodes),
        cmocka_unit_test(test_demo_addresses_have_the_real_formats),
        cmocka_unit_test(test_demo_every_doc_is_valid_json_with_the_protocol_keys),
        cmocka_unit_test(test_demo_docs_stay_valid_near_genesis_and_on_devnet),
        cmocka_unit_test(test_demo_local_info_epochs_follow_the_clock),
        cmocka_unit_test(test_demo_history_of_long_running_node_has_uptime_over_24_hours),
        cmocka_unit_test(test_demo_history_uptime_matches_the_container_start),
        cmocka_unit_test(test_demo_cpu_only_node_history_has_minus_one_gpu_values),
        cmocka_unit_test(test_demo_poor_node_has_low_availability),
        cmocka_unit_test(test_demo_offline_node_status_file_is_old_and_frozen),
        cmocka_unit_test(test_demo_banned_node_licence_is_banned_and_invalid),
        cmocka_unit_test(test_demo_total_assigned_is_written_as_exact_digits),
        cmocka_unit_test(test_demo_range_is_the_one_the_real_request_asks_for),
        cmocka_unit_test(test_demo_oracle_replies_verify_except_the_tampered_node),
        cmocka_unit_test(test_demo_streams_hold_admin_and_deeployed_pipelines_with_secrets),
        cmocka_unit_test(test_demo_docker_running_denied_and_absent),
        cmocka_unit_test(test_demo_docs_are_deterministic_for_a_fixed_clock),
        cmocka_unit_test(test_demo_values_move_smoothly_between_polls),
        cmocka_unit_test(test_demo_gpu_sample_fills_gpus_history_and_meta),
        cmocka_unit_test(test_demo_doc_free_is_safe_on_empty_and_twice),
        cmocka_unit_test(test_demo_docs_parse_through_the_real_parsers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
