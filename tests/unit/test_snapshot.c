/* Unit tests for snapshot.c: the --once output. The JSON document is a contract (README "JSON
 * output"), so each test builds a fleet by hand, prints it, parses it back with cJSON and
 * checks what a script reading it relies on: unknown is null (never 0), exact token amounts,
 * provenance on every block, failures in "sources" and the top-level "ok", trust verdicts.
 * The text form is checked for what a person reads in it. Expected values are worked out by
 * hand in the comments, never copied from the code's output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autoconf.h"
#include "model.h"
#include "snapshot.h"

/* A fixed "now": 2025-11-25 03:06:40 UTC, mainnet epoch 551 (README's example). Times below
 * are offsets from it that a double holds exactly, so ages compare with ==. */
#define NOW 1764040000.0

/* 1575188843457943924600 wei (README's example) = 157518884345794392 * 10^4 + 4600; it needs
 * 71 bits, so a uint64_t or a double cannot carry it. */
#define BIG_WEI ((r1_u128)157518884345794392ULL * 10000u + 4600u)
/* One epoch of an ND licence at full availability: 1458508188386985115 wei (1.4585... R1). */
#define EPOCH_WEI ((r1_u128)1458508188386985115ULL)

struct fixture {
    struct r1_fleet f;
    cJSON *doc;
    char *text;
};

static int setup(void **state)
{
    struct fixture *x = calloc(1, sizeof(*x));
    if (!x)
        return -1;
    model_fleet_init(&x->f, network_get(R1_NET_MAINNET));
    *state = x;
    return 0;
}

/* Runs after a failed assertion too, so the valgrind run stays leak-free either way. */
static int teardown(void **state)
{
    struct fixture *x = *state;
    cJSON_Delete(x->doc);
    free(x->text);
    model_fleet_free(&x->f);
    free(x);
    return 0;
}

/* ---- helpers ----------------------------------------------------------------------------- */

/* snapshot_json() parsed back; the fixture owns the result. */
static const cJSON *snap(struct fixture *x)
{
    cJSON_Delete(x->doc);
    char *s = snapshot_json(&x->f, NOW);
    assert_non_null(s);
    x->doc = cJSON_Parse(s);
    free(s);
    assert_non_null(x->doc);
    return x->doc;
}

/* snapshot_text() captured as a string; the fixture owns the result. */
static const char *snap_text(struct fixture *x)
{
    free(x->text);
    x->text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&x->text, &len);
    assert_non_null(fp);
    snapshot_text(fp, &x->f, NOW);
    assert_int_equal(fclose(fp), 0);
    assert_non_null(x->text);
    return x->text;
}

/* "nodes.0.licence.type": object keys and array indexes separated by dots; NULL if absent. */
static const cJSON *at(const cJSON *d, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    const cJSON *v = d;
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && v;
         k = strtok_r(NULL, ".", &save)) {
        if (cJSON_IsArray(v))
            v = cJSON_GetArrayItem(v, atoi(k));
        else
            v = cJSON_GetObjectItemCaseSensitive(v, k);
    }
    return v;
}

static void fail_at(const cJSON *d, const char *path, const char *want, const char *file, int line)
{
    const cJSON *v = at(d, path);
    char *got = v ? cJSON_PrintUnformatted(v) : NULL;
    print_error("%s: expected %s, got %s\n", path, want, got ? got : "(absent)");
    free(got);
    _fail(file, line);
}

static void check_null(const cJSON *d, const char *path, const char *file, int line)
{
    if (!cJSON_IsNull(at(d, path)))
        fail_at(d, path, "null", file, line);
}

static void check_num(const cJSON *d, const char *path, double want, const char *file, int line)
{
    const cJSON *v = at(d, path);
    if (!cJSON_IsNumber(v) || fabs(v->valuedouble - want) > 1e-9 * fmax(1.0, fabs(want))) {
        char w[64];
        snprintf(w, sizeof(w), "the number %.17g", want);
        fail_at(d, path, w, file, line);
    }
}

static void check_str(const cJSON *d, const char *path, const char *want, const char *file,
                      int line)
{
    const cJSON *v = at(d, path);
    if (!cJSON_IsString(v) || strcmp(v->valuestring, want) != 0) {
        char w[300];
        snprintf(w, sizeof(w), "the string \"%s\"", want);
        fail_at(d, path, w, file, line);
    }
}

static void check_bool(const cJSON *d, const char *path, bool want, const char *file, int line)
{
    const cJSON *v = at(d, path);
    if (!cJSON_IsBool(v) || (bool)cJSON_IsTrue(v) != want)
        fail_at(d, path, want ? "true" : "false", file, line);
}

static void check_absent(const cJSON *d, const char *path, const char *file, int line)
{
    if (at(d, path))
        fail_at(d, path, "no such key", file, line);
}

#define assert_null_at(d, p) check_null((d), (p), __FILE__, __LINE__)
#define assert_num_at(d, p, v) check_num((d), (p), (v), __FILE__, __LINE__)
#define assert_str_at(d, p, v) check_str((d), (p), (v), __FILE__, __LINE__)
#define assert_bool_at(d, p, v) check_bool((d), (p), (v), __FILE__, __LINE__)
#define assert_absent_at(d, p) check_absent((d), (p), __FILE__, __LINE__)

/* The text of the first output line that starts with "  KEY" (a text_row), or NULL. */
static const char *text_line(const char *text, const char *key, char *buf, size_t n)
{
    size_t kl = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, "  ", 2) == 0 && strncmp(p + 2, key, kl) == 0 && p[2 + kl] == ' ') {
            size_t l = strcspn(p, "\n");
            snprintf(buf, n, "%.*s", (int)l, p);
            return buf;
        }
    }
    return NULL;
}

/* The value column of a text row: what follows the key and its padding. */
static const char *text_value(const char *text, const char *key, char *buf, size_t n)
{
    const char *l = text_line(text, key, buf, n);
    assert_non_null(l);
    l += 2 + strlen(key);
    while (*l == ' ')
        l++;
    return l;
}

/* Every source of a node read successfully `age` seconds ago from its usual place. */
static void all_sources_ok(struct r1_node *n, double age)
{
    model_meta_ok(&n->info.meta, NOW - age, "file:///srv/_data/local_info.json");
    model_meta_ok(&n->hist.meta, NOW - age, "file:///srv/_data/local_history.json");
    model_meta_ok(&n->work.meta, NOW - age, "file:///srv/_data/box_configuration/streams/");
    model_meta_ok(&n->orc.meta, NOW - age, "https://oracle.ratio1.ai/node_last_epoch");
    model_meta_ok(&n->range.meta, NOW - age, "https://oracle.ratio1.ai/node_epochs_range");
    model_meta_ok(&n->dock.meta, NOW - age, "unix:///var/run/docker.sock");
    model_meta_ok(&n->gpus[0].meta, NOW - age, "nvml");
}

/* A node with a figure in every field, each marked valid. */
static struct r1_node *add_full_node(struct fixture *x, const char *name)
{
    struct r1_node *n = model_fleet_add(&x->f, name);
    all_sources_ok(n, 5);

    struct r1_node_info *i = &n->info;
    snprintf(i->alias, sizeof(i->alias), "gpu-box-1");
    snprintf(i->version, sizeof(i->version), "v2.5.36");
    i->current_epoch = 551;
    i->current_epoch_avail = 0.987;
    i->last_epochs[0] = (struct r1_epoch_val){549, 250};
    i->last_epochs[1] = (struct r1_epoch_val){550, 255};
    i->n_last_epochs = 2;
    snprintf(i->evm_network, sizeof(i->evm_network), "mainnet");
    i->whitelist_n = 3;
    i->r1fs_online = true;
    i->file_mtime = NOW - 7;
    for (int f = INFO_ADDRESS; f <= INFO_MTIME; f++)
        if (f != INFO_ADDRESS && f != INFO_ETH)
            R1_MARK(i, f);

    struct r1_node_history *h = &n->hist;
    h->uptime_s = 10 * 86400 + 3600 + 2 * 60 + 3; /* "10d 01:02:03" */
    model_series_push(&h->cpu_load_pct, 12.5f);
    model_series_push(&h->cpu_temp_c, 55.0f);
    model_series_push(&h->mem_occupied_gb, 8.0f);
    model_series_push(&h->mem_total_gb, 32.0f);
    model_series_push(&h->gpu_load_pct, 35.0f);
    model_series_push(&h->gpu_temp_c, 61.0f);
    h->file_mtime = NOW - 120;
    R1_MARK(h, HIST_UPTIME);
    R1_MARK(h, HIST_CPU);
    R1_MARK(h, HIST_MEM);
    R1_MARK(h, HIST_GPU);
    R1_MARK(h, HIST_MTIME);

    struct r1_licence *l = &n->lic;
    l->type = R1_LIC_ND;
    l->licence_id = 1234;
    snprintf(l->owner, sizeof(l->owner), "%s", "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69");
    snprintf(l->node_address, sizeof(l->node_address), "%s",
             "0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5");
    l->total_assigned_wei = BIG_WEI;
    l->total_claimed_wei = 0;
    l->last_claim_epoch = 540;
    l->assign_timestamp = 1748016000.0;
    snprintf(l->last_claim_oracle, sizeof(l->last_claim_oracle), "0xai_oracle");
    l->is_banned = false;
    l->is_valid = true;
    l->poai_usdc_micro = 12345678; /* 12.345678 USDC */
    l->poai_r1_wei = EPOCH_WEI;
    for (int f = LIC_TYPE; f <= LIC_POAI_R1; f++)
        R1_MARK(l, f);

    struct r1_oracle_node *o = &n->orc;
    o->is_online = true;
    o->last_seen_s = 12;
    o->last_epoch_id = 550;
    o->last_epoch_u8 = 255;
    snprintf(o->server_alias, sizeof(o->server_alias), "oracle-1");
    o->trust = R1_TRUST_VERIFIED;
    for (int f = ORC_ALIAS; f <= ORC_IS_ORACLE; f++)
        if (f != ORC_EPOCHS)
            R1_MARK(o, f);

    struct r1_oracle_node *r = &n->range;
    r->from_epoch = 540;
    r->to_epoch = 542;
    r->n_epochs = 3;
    r->epochs_u8 = malloc(3);
    assert_non_null(r->epochs_u8);
    r->epochs_u8[0] = 255;
    r->epochs_u8[1] = 128;
    r->epochs_u8[2] = 0;
    r->trust = R1_TRUST_VERIFIED;
    R1_MARK(r, ORC_EPOCHS);

    struct r1_docker *d = &n->dock;
    snprintf(d->state, sizeof(d->state), "running");
    d->started_at = NOW - 3600;
    d->restart_count = 2;
    snprintf(d->image, sizeof(d->image), "ratio1/edge_node:latest");
    snprintf(d->health, sizeof(d->health), "healthy");
    snprintf(n->container, sizeof(n->container), "edge_node");
    for (int f = DOCK_STATE; f <= DOCK_HEALTH; f++)
        R1_MARK(d, f);

    snprintf(n->gpu_backend, sizeof(n->gpu_backend), "nvml");
    n->n_gpus = 1;
    struct r1_gpu *g = &n->gpus[0];
    snprintf(g->name, sizeof(g->name), "NVIDIA GeForce RTX 4090");
    g->util_pct = 87;
    g->mem_used_bytes = 12884901888.0;  /* 12 GiB */
    g->mem_total_bytes = 25769803776.0; /* 24 GiB */
    g->temp_c = 64;
    g->power_mw = 212000;
    for (int f = GPU_NAME; f <= GPU_POWER; f++)
        R1_MARK(g, f);

    n->rew.poa_status = R1_REW_OK;
    n->rew.poa_claimable_wei = EPOCH_WEI * 2;
    n->rew.poa_from_epoch = 540;
    n->rew.poa_to_epoch = 550;
    n->rew.poa_capped = false;
    return n;
}

/* ---- JSON: shape ------------------------------------------------------------------------- */

static void test_snapshot_top_level_keys_and_node_blocks(void **state)
{
    struct fixture *x = *state;
    add_full_node(x, "box");
    const cJSON *d = snap(x);

    assert_true(cJSON_IsObject(d));
    assert_str_at(d, "r1top_version", PACKAGE_VERSION);
    assert_num_at(d, "generated_at_unix_s", NOW);
    assert_str_at(d, "network", "mainnet");
    assert_str_at(d, "oracle_url", "https://oracle.ratio1.ai");
    assert_true(cJSON_IsBool(at(d, "ok")));
    assert_null_at(d, "note");
    assert_true(cJSON_IsObject(at(d, "epoch")));
    assert_num_at(d, "epoch.length_s", 86400);
    /* mainnet genesis 2025-05-23 16:00 UTC (1748016000): NOW is 16024000 s later, epoch 185
     * (185 * 86400 = 15984000), 40000 s into it, so 46400 s remain */
    assert_num_at(d, "epoch.clock_current", 185);
    assert_num_at(d, "epoch.remaining_s", 46400);
    assert_true(cJSON_IsArray(at(d, "nodes")));
    assert_int_equal(cJSON_GetArraySize(at(d, "nodes")), 1);

    static const char *const node_keys[] = {
        "name",          "address",   "eth_address", "alias",   "online",
        "online_reason", "sources",   "status_file", "history", "licence",
        "availability",  "workloads", "docker",      "gpus",    "rewards",
    };
    const cJSON *n = at(d, "nodes.0");
    for (size_t k = 0; k < sizeof(node_keys) / sizeof(node_keys[0]); k++)
        if (!cJSON_HasObjectItem(n, node_keys[k]))
            fail_at(n, node_keys[k], "a key", __FILE__, __LINE__);
    assert_str_at(d, "nodes.0.name", "box");
    assert_str_at(d, "nodes.0.alias", "gpu-box-1");
}

/* ---- JSON: unknown is null --------------------------------------------------------------- */

/* Every field that a source fills, with its valid bit clear, must be null — even where the
 * struct holds a plausible number (0, or a leftover value). */
static void test_snapshot_unknown_is_null_not_zero(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = model_fleet_add(&x->f, "blank");
    /* leftovers that must not leak out while their bits are clear */
    n->info.whitelist_n = 5;
    n->info.current_epoch_avail = 0.5;
    n->hist.uptime_s = 3600;
    model_series_push(&n->hist.cpu_load_pct, 12.0f);
    n->lic.licence_id = 77;
    n->lic.total_assigned_wei = BIG_WEI;
    n->orc.last_seen_s = 3;
    n->orc.last_epoch_id = 550;
    n->dock.restart_count = 0;
    n->n_gpus = 1; /* a GPU whose figures all failed to read */
    n->gpus[0].util_pct = 0;
    n->gpus[0].power_mw = 150000;
    n->work.rows = calloc(1, sizeof(*n->work.rows)); /* rows of a list not (yet) known */
    assert_non_null(n->work.rows);
    model_instance_init(&n->work.rows[0]);
    n->work.n_rows = 1;
    const cJSON *d = snap(x);

    static const char *const nulls[] = {
        "epoch.current",
        "nodes.0.alias",
        "nodes.0.address",
        "nodes.0.eth_address",
        "nodes.0.status_file.file_age_s",
        "nodes.0.status_file.version",
        "nodes.0.status_file.current_epoch",
        "nodes.0.status_file.current_epoch_avail_prc",
        "nodes.0.status_file.last_epochs",
        "nodes.0.status_file.whitelist_count",
        "nodes.0.status_file.r1fs_online",
        "nodes.0.status_file.evm_network",
        "nodes.0.history.file_age_s",
        "nodes.0.history.uptime_s",
        "nodes.0.history.cpu_load_pct",
        "nodes.0.history.cpu_temp_c",
        "nodes.0.history.mem_used_gb",
        "nodes.0.history.mem_total_gb",
        "nodes.0.history.gpu_load_pct",
        "nodes.0.history.gpu_temp_c",
        "nodes.0.licence.type",
        "nodes.0.licence.id",
        "nodes.0.licence.owner",
        "nodes.0.licence.node_address",
        "nodes.0.licence.total_assigned_wei",
        "nodes.0.licence.total_claimed_wei",
        "nodes.0.licence.last_claim_epoch",
        "nodes.0.licence.assign_timestamp_unix_s",
        "nodes.0.licence.last_claim_oracle",
        "nodes.0.licence.banned",
        "nodes.0.licence.valid",
        "nodes.0.licence.poai_usdc_micro",
        "nodes.0.licence.poai_r1_wei",
        "nodes.0.availability.online",
        "nodes.0.availability.last_seen_s",
        "nodes.0.availability.last_epoch",
        "nodes.0.availability.last_epoch_avail_u8",
        "nodes.0.availability.last_epoch_avail_prc",
        "nodes.0.availability.server_alias",
        "nodes.0.workloads.pipelines",
        "nodes.0.workloads.unreadable_files",
        "nodes.0.docker.state",
        "nodes.0.docker.started_at_unix_s",
        "nodes.0.docker.restart_count",
        "nodes.0.docker.image",
        "nodes.0.docker.health",
        "nodes.0.gpus.list.0.name",
        "nodes.0.gpus.list.0.util_pct",
        "nodes.0.gpus.list.0.mem_used_bytes",
        "nodes.0.gpus.list.0.mem_total_bytes",
        "nodes.0.gpus.list.0.temp_c",
        "nodes.0.gpus.list.0.power_mw",
        "nodes.0.rewards.poai_usdc",
        "nodes.0.rewards.poai_r1",
    };
    for (size_t k = 0; k < sizeof(nulls) / sizeof(nulls[0]); k++)
        check_null(d, nulls[k], __FILE__, __LINE__);
    /* nothing known, so nothing listed */
    assert_int_equal(cJSON_GetArraySize(at(d, "nodes.0.workloads.instances")), 0);
    assert_int_equal(cJSON_GetArraySize(at(d, "nodes.0.availability.epochs")), 0);
    assert_str_at(d, "nodes.0.online", "unknown");
}

/* The converse: a zero that was read is a zero, not null (false, "0", 0 all count). */
static void test_snapshot_known_zero_is_zero_not_null(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = model_fleet_add(&x->f, "zeros");
    n->info.whitelist_n = 0;
    n->info.r1fs_online = false;
    n->info.current_epoch_avail = 0;
    R1_MARK(&n->info, INFO_WHITELIST);
    R1_MARK(&n->info, INFO_R1FS);
    R1_MARK(&n->info, INFO_CUR_AVAIL);
    n->lic.total_claimed_wei = 0;
    n->lic.is_banned = false;
    R1_MARK(&n->lic, LIC_CLAIMED);
    R1_MARK(&n->lic, LIC_BANNED);
    n->dock.restart_count = 0;
    R1_MARK(&n->dock, DOCK_RESTARTS);
    n->orc.is_online = false;
    n->orc.last_epoch_id = 550;
    n->orc.last_epoch_u8 = 0;
    R1_MARK(&n->orc, ORC_ONLINE);
    R1_MARK(&n->orc, ORC_LAST_EPOCH);
    n->n_gpus = 1;
    n->gpus[0].util_pct = 0;
    R1_MARK(&n->gpus[0], GPU_UTIL);
    const cJSON *d = snap(x);

    assert_num_at(d, "nodes.0.status_file.whitelist_count", 0);
    assert_bool_at(d, "nodes.0.status_file.r1fs_online", false);
    assert_num_at(d, "nodes.0.status_file.current_epoch_avail_prc", 0);
    assert_str_at(d, "nodes.0.licence.total_claimed_wei", "0");
    assert_bool_at(d, "nodes.0.licence.banned", false);
    assert_num_at(d, "nodes.0.docker.restart_count", 0);
    assert_bool_at(d, "nodes.0.availability.online", false);
    assert_num_at(d, "nodes.0.availability.last_epoch_avail_u8", 0);
    assert_num_at(d, "nodes.0.availability.last_epoch_avail_prc", 0);
    assert_num_at(d, "nodes.0.gpus.list.0.util_pct", 0);
}

/* Known figures come out as numbers in the unit their key names. */
static void test_snapshot_known_values_in_key_units(void **state)
{
    struct fixture *x = *state;
    add_full_node(x, "box");
    const cJSON *d = snap(x);

    assert_num_at(d, "nodes.0.status_file.file_age_s", 7); /* NOW - mtime */
    assert_num_at(d, "nodes.0.status_file.current_epoch", 551);
    assert_num_at(d, "nodes.0.status_file.current_epoch_avail_prc", 98.7); /* 0.987 */
    assert_num_at(d, "nodes.0.status_file.last_epochs.1.epoch", 550);
    assert_num_at(d, "nodes.0.status_file.last_epochs.1.avail_u8", 255);
    assert_str_at(d, "nodes.0.status_file.version", "v2.5.36");
    assert_num_at(d, "nodes.0.history.file_age_s", 120);
    assert_num_at(d, "nodes.0.history.uptime_s", 867723); /* 864000 + 3723 */
    assert_num_at(d, "nodes.0.history.mem_total_gb", 32);
    assert_str_at(d, "nodes.0.licence.type", "ND");
    assert_num_at(d, "nodes.0.licence.id", 1234);
    assert_num_at(d, "nodes.0.licence.last_claim_epoch", 540);
    assert_bool_at(d, "nodes.0.licence.valid", true);
    assert_num_at(d, "nodes.0.availability.last_seen_s", 12);
    assert_num_at(d, "nodes.0.availability.last_epoch", 550);
    assert_num_at(d, "nodes.0.availability.last_epoch_avail_prc", 100); /* 255 / 2.55 */
    assert_num_at(d, "nodes.0.availability.epochs_range.from_epoch", 540);
    assert_num_at(d, "nodes.0.availability.epochs_range.to_epoch", 542);
    /* epochs[i] is from_epoch + i */
    assert_int_equal(cJSON_GetArraySize(at(d, "nodes.0.availability.epochs")), 3);
    assert_num_at(d, "nodes.0.availability.epochs.2.epoch", 542);
    assert_num_at(d, "nodes.0.availability.epochs.1.avail_u8", 128);
    assert_num_at(d, "nodes.0.docker.started_at_unix_s", NOW - 3600);
    assert_str_at(d, "nodes.0.docker.container", "edge_node");
    assert_str_at(d, "nodes.0.gpus.backend", "nvml");
    assert_str_at(d, "nodes.0.gpus.list.0.name", "NVIDIA GeForce RTX 4090");
    assert_num_at(d, "nodes.0.gpus.list.0.mem_used_bytes", 12884901888.0);
    assert_num_at(d, "nodes.0.gpus.list.0.mem_total_bytes", 25769803776.0);
    assert_num_at(d, "nodes.0.gpus.list.0.power_mw", 212000);
    assert_num_at(d, "nodes.0.rewards.poai_usdc", 12.345678);
}

/* ---- JSON: token amounts ------------------------------------------------------------------ */

static void test_snapshot_licence_amount_beyond_64_bits_is_exact_decimal_string(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = add_full_node(x, "box");
    n->lic.poai_r1_wei = BIG_WEI * 1000u + 7u; /* 1575188843457943924600007: 81 bits */
    const cJSON *d = snap(x);

    assert_str_at(d, "nodes.0.licence.total_assigned_wei", "1575188843457943924600");
    assert_str_at(d, "nodes.0.licence.total_claimed_wei", "0");
    assert_str_at(d, "nodes.0.licence.poai_usdc_micro", "12345678");
    assert_str_at(d, "nodes.0.licence.poai_r1_wei", "1575188843457943924600007");
    /* the _r1 twin is a float for display: 2 * 1458508188386985115 wei = 2.91701637677397023 */
    assert_str_at(d, "nodes.0.rewards.poa_claimable_wei", "2917016376773970230");
    assert_num_at(d, "nodes.0.rewards.poa_claimable_r1", 2.91701637677397023);
}

/* ---- JSON: provenance ------------------------------------------------------------------- */

static const char *const blocks[] = {
    "status_file", "history", "licence", "availability", "workloads", "docker", "gpus",
};

static void test_snapshot_every_block_has_source_age_and_error(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = add_full_node(x, "box");
    /* each group read at a different time, so a block showing another group's age shows */
    const double ages[] = {5, 300, 12.5, 60, 30, 2};
    model_meta_ok(&n->info.meta, NOW - ages[0], "file:///srv/_data/local_info.json");
    model_meta_ok(&n->hist.meta, NOW - ages[1], "file:///srv/_data/local_history.json");
    model_meta_ok(&n->lic.meta, NOW - ages[2], "https://oracle.ratio1.ai/node_last_epoch");
    model_meta_ok(&n->orc.meta, NOW - ages[3], "https://oracle.ratio1.ai/node_last_epoch?x");
    model_meta_ok(&n->work.meta, NOW - ages[4], "file:///srv/_data/box_configuration/streams/");
    model_meta_ok(&n->dock.meta, NOW - 10, "unix:///var/run/docker.sock");
    model_meta_ok(&n->gpus[0].meta, NOW - ages[5], "nvml");
    model_meta_ok(&n->range.meta, NOW - 600, "https://oracle.ratio1.ai/node_epochs_range");
    model_meta_ok(&x->f.epoch.meta, NOW - 45, "https://oracle.ratio1.ai/current_epoch");
    const cJSON *d = snap(x);

    for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
        char p[96];
        snprintf(p, sizeof(p), "nodes.0.%s.error", blocks[b]);
        check_null(d, p, __FILE__, __LINE__);
        snprintf(p, sizeof(p), "nodes.0.%s.source", blocks[b]);
        if (!cJSON_IsString(at(d, p)))
            fail_at(d, p, "a source string", __FILE__, __LINE__);
    }
    assert_str_at(d, "nodes.0.status_file.source", "file:///srv/_data/local_info.json");
    assert_num_at(d, "nodes.0.status_file.age_s", 5);
    assert_str_at(d, "nodes.0.history.source", "file:///srv/_data/local_history.json");
    assert_num_at(d, "nodes.0.history.age_s", 300);
    assert_str_at(d, "nodes.0.licence.source", "https://oracle.ratio1.ai/node_last_epoch");
    assert_num_at(d, "nodes.0.licence.age_s", 12.5);
    assert_str_at(d, "nodes.0.availability.source", "https://oracle.ratio1.ai/node_last_epoch?x");
    assert_num_at(d, "nodes.0.availability.age_s", 60);
    assert_num_at(d, "nodes.0.workloads.age_s", 30);
    assert_str_at(d, "nodes.0.docker.source", "unix:///var/run/docker.sock");
    assert_num_at(d, "nodes.0.docker.age_s", 10);
    assert_str_at(d, "nodes.0.gpus.source", "nvml");
    assert_num_at(d, "nodes.0.gpus.age_s", 2);
    assert_str_at(d, "nodes.0.availability.epochs_range.source",
                  "https://oracle.ratio1.ai/node_epochs_range");
    assert_num_at(d, "nodes.0.availability.epochs_range.age_s", 600);
    assert_null_at(d, "nodes.0.availability.epochs_range.error");
    assert_num_at(d, "epoch.age_s", 45);
    assert_null_at(d, "epoch.error");
    assert_num_at(d, "nodes.0.sources.node_history.updated_at_unix_s", NOW - 300);
    assert_num_at(d, "nodes.0.sources.node_history.age_s", 300);
}

/* A block never read still has the three keys, all null: no age of 0, no "" source. */
static void test_snapshot_never_read_block_has_null_provenance(void **state)
{
    struct fixture *x = *state;
    model_fleet_add(&x->f, "blank");
    const cJSON *d = snap(x);

    for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
        static const char *const keys[] = {"source", "age_s", "error"};
        for (size_t k = 0; k < 3; k++) {
            char p[96];
            snprintf(p, sizeof(p), "nodes.0.%s.%s", blocks[b], keys[k]);
            check_null(d, p, __FILE__, __LINE__);
        }
    }
    assert_null_at(d, "epoch.age_s");
}

/* ---- JSON: failures --------------------------------------------------------------------- */

static void test_snapshot_all_sources_fine_is_ok(void **state)
{
    struct fixture *x = *state;
    add_full_node(x, "box");
    model_meta_ok(&x->f.epoch.meta, NOW - 1, "https://oracle.ratio1.ai/current_epoch");
    const cJSON *d = snap(x);

    assert_bool_at(d, "ok", true);
    assert_bool_at(d, "nodes.0.sources.oracle_last.ok", true);
    assert_null_at(d, "nodes.0.sources.oracle_last.error");
}

static void test_snapshot_failed_source_is_not_ok_with_its_error(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = add_full_node(x, "box");
    const char *why = "oracle_last: HTTP 503 from https://oracle.ratio1.ai/node_last_epoch";
    model_meta_ok(&n->orc.meta, NOW - 100, "https://oracle.ratio1.ai/node_last_epoch");
    model_meta_fail(&n->orc.meta, NOW - 1, NULL, why);
    const cJSON *d = snap(x);

    assert_bool_at(d, "ok", false);
    assert_bool_at(d, "nodes.0.sources.oracle_last.ok", false);
    assert_str_at(d, "nodes.0.sources.oracle_last.error", why);
    /* the last good values keep their age: 100 s since the last success, not 1 s */
    assert_num_at(d, "nodes.0.sources.oracle_last.age_s", 100);
    assert_num_at(d, "nodes.0.sources.oracle_last.updated_at_unix_s", NOW - 100);
    assert_str_at(d, "nodes.0.availability.error", why);
    assert_num_at(d, "nodes.0.availability.age_s", 100);
    /* the other sources are unaffected */
    assert_bool_at(d, "nodes.0.sources.node_info.ok", true);
    assert_null_at(d, "nodes.0.status_file.error");
}

/* A source that never succeeded is not ok either, and says so without an age. */
static void test_snapshot_source_failing_from_the_start_has_null_age(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = model_fleet_add(&x->f, "box");
    model_meta_fail(&n->dock.meta, NOW - 1, "unix:///var/run/docker.sock",
                    "docker: cannot connect to /var/run/docker.sock: Permission denied");
    const cJSON *d = snap(x);

    assert_bool_at(d, "ok", false);
    assert_bool_at(d, "nodes.0.sources.docker.ok", false);
    assert_null_at(d, "nodes.0.sources.docker.age_s");
    assert_null_at(d, "nodes.0.sources.docker.updated_at_unix_s");
    assert_str_at(d, "nodes.0.sources.docker.error",
                  "docker: cannot connect to /var/run/docker.sock: Permission denied");
    assert_str_at(d, "nodes.0.docker.source", "unix:///var/run/docker.sock");
}

static void test_snapshot_failed_epoch_source_is_not_ok(void **state)
{
    struct fixture *x = *state;
    add_full_node(x, "box");
    model_meta_fail(&x->f.epoch.meta, NOW - 1, "https://oracle.ratio1.ai/current_epoch",
                    "oracle_epoch: timed out");
    const cJSON *d = snap(x);

    assert_bool_at(d, "ok", false);
    assert_str_at(d, "epoch.error", "oracle_epoch: timed out");
    assert_null_at(d, "epoch.current");
}

static void test_snapshot_sources_that_never_ran_are_absent(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = model_fleet_add(&x->f, "box");
    model_meta_ok(&n->info.meta, NOW - 3, "file:///srv/_data/local_info.json");
    model_meta_ok(&n->gpus[0].meta, NOW - 1, "nvml");
    model_meta_fail(&n->range.meta, NOW - 2, NULL, "oracle_range: HTTP 500");
    const cJSON *d = snap(x);

    const cJSON *src = at(d, "nodes.0.sources");
    assert_true(cJSON_IsObject(src));
    assert_int_equal(cJSON_GetArraySize(src), 3);
    assert_bool_at(d, "nodes.0.sources.node_info.ok", true);
    assert_bool_at(d, "nodes.0.sources.gpu.ok", true);
    assert_bool_at(d, "nodes.0.sources.oracle_range.ok", false);
    assert_absent_at(d, "nodes.0.sources.node_history");
    assert_absent_at(d, "nodes.0.sources.streams");
    assert_absent_at(d, "nodes.0.sources.oracle_last");
    assert_absent_at(d, "nodes.0.sources.docker");
}

/* ---- JSON: workloads -------------------------------------------------------------------- */

static void test_snapshot_workload_without_port_or_job_has_nulls(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = model_fleet_add(&x->f, "box");
    struct r1_workloads *w = &n->work;
    w->rows = calloc(3, sizeof(*w->rows));
    assert_non_null(w->rows);
    w->n_rows = 3;
    w->n_pipelines = 2;
    w->n_unreadable = 1;
    for (int i = 0; i < 3; i++)
        model_instance_init(&w->rows[i]);
    /* a plain plugin: no port, not deeployed */
    snprintf(w->rows[0].pipeline, sizeof(w->rows[0].pipeline), "ai_app");
    snprintf(w->rows[0].signature, sizeof(w->rows[0].signature), "REST_CUSTOM_EXEC_01");
    /* a deeployed container app on a port */
    snprintf(w->rows[1].pipeline, sizeof(w->rows[1].pipeline), "webapp");
    snprintf(w->rows[1].image, sizeof(w->rows[1].image), "nginx:1.27");
    w->rows[1].port = 8080;
    w->rows[1].job_id = 42;
    w->rows[1].is_deeployed = true;
    /* port 0 and job 0 are numbers a node could report: only -1 means "none" */
    w->rows[2].port = 0;
    w->rows[2].job_id = 0;
    R1_MARK(w, WORK_LIST);
    model_meta_ok(&w->meta, NOW - 4, "file:///srv/_data/box_configuration/streams/");
    const cJSON *d = snap(x);

    assert_num_at(d, "nodes.0.workloads.pipelines", 2);
    assert_num_at(d, "nodes.0.workloads.unreadable_files", 1);
    assert_int_equal(cJSON_GetArraySize(at(d, "nodes.0.workloads.instances")), 3);
    assert_str_at(d, "nodes.0.workloads.instances.0.pipeline", "ai_app");
    assert_null_at(d, "nodes.0.workloads.instances.0.port");
    assert_null_at(d, "nodes.0.workloads.instances.0.job_id");
    assert_null_at(d, "nodes.0.workloads.instances.0.image");
    assert_bool_at(d, "nodes.0.workloads.instances.0.deeployed", false);
    assert_num_at(d, "nodes.0.workloads.instances.1.port", 8080);
    assert_num_at(d, "nodes.0.workloads.instances.1.job_id", 42);
    assert_bool_at(d, "nodes.0.workloads.instances.1.deeployed", true);
    assert_str_at(d, "nodes.0.workloads.instances.1.image", "nginx:1.27");
    assert_num_at(d, "nodes.0.workloads.instances.2.port", 0);
    assert_num_at(d, "nodes.0.workloads.instances.2.job_id", 0);
}

/* ---- JSON: trust ------------------------------------------------------------------------ */

static void test_snapshot_trust_names_and_verified_flags(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = add_full_node(x, "box");
    static const struct {
        int trust;
        const char *name;
    } cases[] = {
        {R1_TRUST_UNCHECKED, "unchecked"}, {R1_TRUST_VERIFIED, "verified"},
        {R1_TRUST_UNSIGNED, "unsigned"},   {R1_TRUST_UNKNOWN_SIGNER, "unknown_signer"},
        {R1_TRUST_BAD, "bad_signature"},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        n->orc.trust = n->range.trust = cases[c].trust;
        bool v = cases[c].trust == R1_TRUST_VERIFIED;
        const cJSON *d = snap(x);
        assert_str_at(d, "nodes.0.availability.trust", cases[c].name);
        assert_bool_at(d, "nodes.0.availability.verified", v);
        assert_str_at(d, "nodes.0.availability.epochs_range.trust", cases[c].name);
        assert_bool_at(d, "nodes.0.availability.epochs_range.verified", v);
        assert_str_at(d, "nodes.0.licence.trust", cases[c].name);
        assert_bool_at(d, "nodes.0.licence.verified", v);
        assert_str_at(d, "nodes.0.rewards.poa_trust", cases[c].name);
        assert_bool_at(d, "nodes.0.rewards.poa_verified", v);
    }
}

/* Each figure carries the verdict of the reply it came from: the licence and availability
 * ride in node_last_epoch, the epoch chart in node_epochs_range, and the PoA estimate needs
 * both to be verified. */
static void test_snapshot_trust_follows_the_reply_each_figure_came_from(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = add_full_node(x, "box");
    n->orc.trust = R1_TRUST_VERIFIED;
    snprintf(n->orc.signer, sizeof(n->orc.signer), "0xai_good_oracle");
    n->range.trust = R1_TRUST_BAD;
    snprintf(n->range.trust_reason, sizeof(n->range.trust_reason), "hash mismatch");
    const cJSON *d = snap(x);
    assert_str_at(d, "nodes.0.licence.trust", "verified");
    assert_bool_at(d, "nodes.0.licence.verified", true);
    assert_str_at(d, "nodes.0.availability.signer", "0xai_good_oracle");
    assert_bool_at(d, "nodes.0.availability.verified", true);
    assert_str_at(d, "nodes.0.availability.epochs_range.trust", "bad_signature");
    assert_str_at(d, "nodes.0.availability.epochs_range.trust_reason", "hash mismatch");
    assert_bool_at(d, "nodes.0.availability.epochs_range.verified", false);
    assert_str_at(d, "nodes.0.rewards.poa_trust", "bad_signature");
    assert_bool_at(d, "nodes.0.rewards.poa_verified", false);

    /* the other way round: a good range cannot vouch for an unsigned licence reply */
    n->orc.trust = R1_TRUST_UNSIGNED;
    n->range.trust = R1_TRUST_VERIFIED;
    d = snap(x);
    assert_str_at(d, "nodes.0.licence.trust", "unsigned");
    assert_bool_at(d, "nodes.0.licence.verified", false);
    assert_bool_at(d, "nodes.0.availability.epochs_range.verified", true);
    assert_str_at(d, "nodes.0.rewards.poa_trust", "unsigned");
    assert_bool_at(d, "nodes.0.rewards.poa_verified", false);
}

/* ---- JSON: rewards ---------------------------------------------------------------------- */

static void test_snapshot_rewards_poa_fields_null_unless_status_ok(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = add_full_node(x, "box");
    static const struct {
        enum r1_rew_status st;
        const char *name;
    } not_ok[] = {
        {R1_REW_UNKNOWN, "unknown"},
        {R1_REW_SYNCING, "syncing"},
        {R1_REW_NO_LICENCE, "no_licence"},
        {R1_REW_UNSUPPORTED, "unsupported"},
    };
    /* a stale estimate left in the struct must not be shown as if it held */
    n->rew.poa_claimable_wei = EPOCH_WEI;
    n->rew.poa_capped = true;
    for (size_t c = 0; c < sizeof(not_ok) / sizeof(not_ok[0]); c++) {
        n->rew.poa_status = not_ok[c].st;
        const cJSON *d = snap(x);
        assert_str_at(d, "nodes.0.rewards.poa_status", not_ok[c].name);
        assert_null_at(d, "nodes.0.rewards.poa_claimable_wei");
        assert_null_at(d, "nodes.0.rewards.poa_claimable_r1");
        assert_null_at(d, "nodes.0.rewards.poa_from_epoch");
        assert_null_at(d, "nodes.0.rewards.poa_to_epoch");
        assert_null_at(d, "nodes.0.rewards.poa_capped");
    }

    n->rew.poa_status = R1_REW_OK;
    snprintf(n->rew.poa_note, sizeof(n->rew.poa_note), "capped at assigned - claimed");
    const cJSON *d = snap(x);
    assert_str_at(d, "nodes.0.rewards.poa_status", "ok");
    assert_str_at(d, "nodes.0.rewards.poa_claimable_wei", "1458508188386985115");
    assert_num_at(d, "nodes.0.rewards.poa_claimable_r1", 1.458508188386985115);
    assert_num_at(d, "nodes.0.rewards.poa_from_epoch", 540);
    assert_num_at(d, "nodes.0.rewards.poa_to_epoch", 550);
    assert_bool_at(d, "nodes.0.rewards.poa_capped", true);
    assert_str_at(d, "nodes.0.rewards.note", "capped at assigned - claimed");
}

/* ---- JSON: series ----------------------------------------------------------------------- */

/* The printed text of a number as the document has it. */
static void assert_printed_as(const cJSON *d, const char *path, const char *want)
{
    const cJSON *v = at(d, path);
    assert_true(cJSON_IsNumber(v));
    char *s = cJSON_PrintUnformatted(v);
    assert_non_null(s);
    if (strcmp(s, want) != 0) {
        print_error("%s: printed as %s, expected %s\n", path, s, want);
        free(s);
        fail();
    }
    free(s);
}

static void test_snapshot_series_values_printed_without_float_noise(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = model_fleet_add(&x->f, "box");
    struct r1_node_history *h = &n->hist;
    /* the last point is the figure; 31.2f is 31.200000762939453 as a double */
    model_series_push(&h->cpu_load_pct, 80.0f);
    model_series_push(&h->cpu_load_pct, 31.2f);
    model_series_push(&h->cpu_temp_c, 47.3f);
    model_series_push(&h->mem_occupied_gb, 12.7f);
    model_series_push(&h->mem_total_gb, 31.3f);
    model_series_push(&h->gpu_load_pct, 0.1f);
    model_series_push(&h->gpu_temp_c, 61.9f);
    R1_MARK(h, HIST_CPU);
    R1_MARK(h, HIST_MEM);
    R1_MARK(h, HIST_GPU);
    const cJSON *d = snap(x);

    assert_printed_as(d, "nodes.0.history.cpu_load_pct", "31.2");
    assert_printed_as(d, "nodes.0.history.cpu_temp_c", "47.3");
    assert_printed_as(d, "nodes.0.history.mem_used_gb", "12.7");
    assert_printed_as(d, "nodes.0.history.mem_total_gb", "31.3");
    assert_printed_as(d, "nodes.0.history.gpu_load_pct", "0.1");
    assert_printed_as(d, "nodes.0.history.gpu_temp_c", "61.9");
}

/* A series whose last point is unknown (-1 in the file, NAN here) is null, not NaN/-1. */
static void test_snapshot_series_unknown_last_point_is_null(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = model_fleet_add(&x->f, "box");
    model_series_push(&n->hist.gpu_load_pct, 35.0f);
    model_series_push(&n->hist.gpu_load_pct, NAN);
    model_series_push(&n->hist.gpu_temp_c, NAN);
    R1_MARK(&n->hist, HIST_GPU);
    const cJSON *d = snap(x);

    assert_null_at(d, "nodes.0.history.gpu_load_pct");
    assert_null_at(d, "nodes.0.history.gpu_temp_c");
}

/* ---- JSON: empty fleet ------------------------------------------------------------------ */

static void test_snapshot_empty_fleet_is_not_ok_and_carries_the_note(void **state)
{
    struct fixture *x = *state;
    const char *note = "No config file and no local node found (looked for local_info.json in "
                       "/var/cache/edge_node/_local_cache/_data/). Point r1top at a node with "
                       "--config FILE (see r1top.yaml.example), or try the demo: r1top --demo";
    snprintf(x->f.discovery_note, sizeof(x->f.discovery_note), "%s", note);
    /* even with the epoch read fine: nothing watched is not "ok" */
    model_meta_ok(&x->f.epoch.meta, NOW - 1, "https://oracle.ratio1.ai/current_epoch");
    const cJSON *d = snap(x);

    assert_bool_at(d, "ok", false);
    assert_str_at(d, "note", note);
    assert_true(cJSON_IsArray(at(d, "nodes")));
    assert_int_equal(cJSON_GetArraySize(at(d, "nodes")), 0);
}

/* ---- text ------------------------------------------------------------------------------- */

static void test_snapshot_text_uptime_is_na_only_when_unknown(void **state)
{
    struct fixture *x = *state;
    add_full_node(x, "box");
    model_fleet_add(&x->f, "blank");
    const char *t = snap_text(x);
    char buf[256];

    /* the first node is labelled by its alias, the second by its config name */
    assert_non_null(strstr(t, "\nnode gpu-box-1  ["));
    assert_non_null(strstr(t, "\nnode blank  ["));
    const char *second = strstr(t, "\nnode blank");
    assert_string_equal(text_value(t, "uptime", buf, sizeof(buf)), "10d 01:02:03");
    assert_string_equal(text_value(second, "uptime", buf, sizeof(buf)), "n/a");
    assert_string_equal(text_value(second, "licence", buf, sizeof(buf)), "n/a");
    assert_string_equal(text_value(second, "version", buf, sizeof(buf)), "n/a");
}

/* Regression: a GPU whose load is known but whose memory and temperature are not printed
 * "0 B / 0 B  0 C" — unknown shown as zero. */
static void test_snapshot_text_unknown_gpu_figures_are_na(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = model_fleet_add(&x->f, "gpu-half-known");
    n->n_gpus = 1;
    n->gpus[0].util_pct = 40;
    R1_MARK(&n->gpus[0], GPU_UTIL);
    model_meta_ok(&n->gpus[0].meta, 1000.0, "nvml");
    const char *t = snap_text(x);
    char buf[256];
    assert_string_equal(text_value(t, "gpu", buf, sizeof(buf)), "GPU  40%  n/a  n/a");
}

static void test_snapshot_text_licence_line(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = add_full_node(x, "box");
    n->lic.total_claimed_wei = EPOCH_WEI;
    const char *t = snap_text(x);
    char buf[256];

    /* 1575188843457943924600 wei = 1575.1888... R1 and 1.4585... R1, cut to 2 places */
    assert_string_equal(text_value(t, "licence", buf, sizeof(buf)),
                        "ND #1234  claimed 1.45 of 1575.18 R1");
    assert_string_equal(text_value(t, "  oracle reply", buf, sizeof(buf)), "verified");

    n->lic.is_banned = true;
    t = snap_text(x);
    assert_non_null(strstr(text_value(t, "licence", buf, sizeof(buf)), "BANNED"));
}

static void test_snapshot_text_bad_range_signature_is_flagged(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = add_full_node(x, "box");
    char buf[256];

    /* verified: the estimate is shown plainly */
    const char *t = snap_text(x);
    assert_null(strstr(t, "BAD SIGNATURE"));
    assert_non_null(strstr(text_value(t, "PoA claimable", buf, sizeof(buf)), "[verified]"));

    n->range.trust = R1_TRUST_BAD;
    snprintf(n->range.trust_reason, sizeof(n->range.trust_reason), "hash mismatch");
    t = snap_text(x);
    /* 2 * 1458508188386985115 wei = 2.9170... R1, cut to 4 places */
    assert_string_equal(text_value(t, "PoA claimable", buf, sizeof(buf)),
                        "2.9170 R1 (epochs 540-550) [BAD SIGNATURE: hash mismatch]");
    /* the licence came in the other (verified) reply */
    assert_string_equal(text_value(t, "  oracle reply", buf, sizeof(buf)), "verified");

    n->orc.trust = R1_TRUST_BAD;
    snprintf(n->orc.trust_reason, sizeof(n->orc.trust_reason), "signature does not verify");
    t = snap_text(x);
    assert_string_equal(text_value(t, "  oracle reply", buf, sizeof(buf)),
                        "BAD SIGNATURE: signature does not verify");
}

static void test_snapshot_text_lists_each_failed_source(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = add_full_node(x, "box");
    model_meta_fail(&n->orc.meta, NOW - 1, NULL,
                    "oracle_last: HTTP 503 from https://oracle.ratio1.ai/node_last_epoch");
    model_meta_fail(&n->dock.meta, NOW - 1, NULL, "docker: connection refused");
    const char *t = snap_text(x);

    assert_non_null(strstr(t, "\n  error (oracle_last): oracle_last: HTTP 503 from "
                              "https://oracle.ratio1.ai/node_last_epoch\n"));
    assert_non_null(strstr(t, "\n  error (docker): docker: connection refused\n"));
    /* the healthy sources get no error line */
    assert_null(strstr(t, "error (node_info)"));
    assert_null(strstr(t, "error (gpu)"));
}

static void test_snapshot_text_empty_fleet_prints_the_note(void **state)
{
    struct fixture *x = *state;
    snprintf(x->f.discovery_note, sizeof(x->f.discovery_note),
             "No config file and no local node found.");
    const char *t = snap_text(x);

    assert_non_null(strstr(t, "network mainnet"));
    assert_non_null(strstr(t, "\nNo config file and no local node found.\n"));
    assert_null(strstr(t, "\nnode "));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_snapshot_top_level_keys_and_node_blocks),
        T(test_snapshot_unknown_is_null_not_zero),
        T(test_snapshot_known_zero_is_zero_not_null),
        T(test_snapshot_known_values_in_key_units),
        T(test_snapshot_licence_amount_beyond_64_bits_is_exact_decimal_string),
        T(test_snapshot_every_block_has_source_age_and_error),
        T(test_snapshot_never_read_block_has_null_provenance),
        T(test_snapshot_all_sources_fine_is_ok),
        T(test_snapshot_failed_source_is_not_ok_with_its_error),
        T(test_snapshot_source_failing_from_the_start_has_null_age),
        T(test_snapshot_failed_epoch_source_is_not_ok),
        T(test_snapshot_sources_that_never_ran_are_absent),
        T(test_snapshot_workload_without_port_or_job_has_nulls),
        T(test_snapshot_trust_names_and_verified_flags),
        T(test_snapshot_trust_follows_the_reply_each_figure_came_from),
        T(test_snapshot_rewards_poa_fields_null_unless_status_ok),
        T(test_snapshot_series_values_printed_without_float_noise),
        T(test_snapshot_series_unknown_last_point_is_null),
        T(test_snapshot_empty_fleet_is_not_ok_and_carries_the_note),
        T(test_snapshot_text_uptime_is_na_only_when_unknown),
        T(test_snapshot_text_unknown_gpu_figures_are_na),
        T(test_snapshot_text_licence_line),
        T(test_snapshot_text_bad_range_signature_is_flagged),
        T(test_snapshot_text_lists_each_failed_source),
        T(test_snapshot_text_empty_fleet_prints_the_note),
    };
    return cmocka_run_group_tests_name("snapshot", tests, NULL, NULL);
}
