/* Unit tests for snapshot.c: the --once output. The JSON document is a contract (README "JSON
 * output"), so each test builds a fleet by hand, prints it, parses it back with cJSON and
 * checks what a script reading it relies on: unknown is null (never 0), exact token amounts,
 * provenance on every block, failures in "sources" and the top-level "ok", trust verdicts.
 * A fleet is built the way the sources and the poller leave it (groups with their meta, and
 * the per-source status in n->src[]), then derive_fleet() runs as app.c runs it before --once
 * output, so the derived fields (online state, epoch, rewards) come from the real rules.
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
#include "derive.h"
#include "model.h"
#include "export/snapshot.h"
#include "sources/source.h"

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

/* snapshot_json() parsed back, after the derive step --once runs first; the fixture owns the
 * result. */
static const cJSON *snap(struct fixture *x)
{
    cJSON_Delete(x->doc);
    derive_fleet(&x->f, NOW);
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
    derive_fleet(&x->f, NOW);
    assert_int_equal(snapshot_text(fp, &x->f, NOW), 0);
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

/* The poller's record of one (node, source) pair that answered at `at` from url. */
static void status_ok(struct r1_src_status *st, double at, const char *url)
{
    st->configured = true;
    st->attempt_at = st->ok_at = at;
    st->next_at = at + 60;   /* the next regular refresh, not a retry */
    st->fails = 0;
    memset(&st->err, 0, sizeof(st->err));
    free(st->url);
    st->url = url ? strdup(url) : NULL;
}

/* ... and of one whose last `fails` attempts failed, the last at `at`; the next try is at
 * next_at. ok_at (the last success, 0 = never) is left as it was. */
static void status_fail(struct r1_src_status *st, double at, int fails, double next_at,
                        enum r1_err_kind kind, long http_code, const char *reason,
                        const char *url)
{
    st->configured = true;
    st->attempt_at = at;
    st->next_at = next_at;
    st->fails = fails;
    memset(&st->err, 0, sizeof(st->err));
    st->err.kind = kind;
    st->err.http_code = http_code;
    snprintf(st->err.reason, sizeof(st->err.reason), "%s", reason);
    free(st->url);
    st->url = url ? strdup(url) : NULL;
}

/* A group read fine at `at` by source src, as the poller records it: the group's meta
 * (stamped, fed_by) and the source's status. */
static void read_ok(struct r1_node *n, struct r1_meta *m, enum r1_source_id src, double at,
                    const char *url)
{
    model_meta_ok(m, at);
    m->fed_by = (int)src + 1;
    status_ok(&n->src[src], at, url);
}

#define URL_INFO "file:///srv/_data/local_info.json"
#define URL_HIST "file:///srv/_data/local_history.json"
#define URL_STREAMS "file:///srv/_data/box_configuration/streams/"
#define URL_LAST "https://oracle.ratio1.ai/node_last_epoch"
#define URL_RANGE "https://oracle.ratio1.ai/node_epochs_range"
#define URL_EPOCH "https://oracle.ratio1.ai/current_epoch"
#define URL_DOCKER "/var/run/docker.sock"

/* Every source of a node read successfully `age` seconds ago from its usual place. The
 * licence rides in node_last_epoch, so oracle_last feeds it. */
static void all_sources_ok(struct r1_node *n, double age)
{
    read_ok(n, &n->info.meta, SRC_NODE_INFO, NOW - age, URL_INFO);
    read_ok(n, &n->hist.meta, SRC_NODE_HISTORY, NOW - age, URL_HIST);
    read_ok(n, &n->work.meta, SRC_STREAMS, NOW - age, URL_STREAMS);
    read_ok(n, &n->orc.meta, SRC_ORACLE_LAST, NOW - age, URL_LAST);
    model_meta_ok(&n->lic.meta, NOW - age);
    n->lic.meta.fed_by = SRC_ORACLE_LAST + 1;
    read_ok(n, &n->range.meta, SRC_ORACLE_RANGE, NOW - age, URL_RANGE);
    read_ok(n, &n->dock.meta, SRC_DOCKER, NOW - age, URL_DOCKER);
    read_ok(n, &n->gpu_meta, SRC_GPU, NOW - age, "nvml");
}

/* The availabilities node_epochs_range returned for epochs 181..184: NOW is in epoch 185, the
 * licence last claimed at 183, so the estimate covers 183..184 (255 and 255: exactly two
 * epochs' worth, 2 * EPOCH_WEI), and 181..182 are chart-only. */
static void set_range(struct r1_node *n)
{
    struct r1_oracle_node *r = &n->range;
    free(r->epochs_u8);
    r->from_epoch = 181;
    r->to_epoch = 184;
    r->n_epochs = 4;
    r->epochs_u8 = malloc(4);
    assert_non_null(r->epochs_u8);
    r->epochs_u8[0] = 255;
    r->epochs_u8[1] = 128;
    r->epochs_u8[2] = 255;
    r->epochs_u8[3] = 255;
    R1_MARK(r, ORC_EPOCHS);
}

/* A node with a figure in every field, each marked valid, every reply verified. */
static struct r1_node *add_full_node(struct fixture *x, const char *name)
{
    struct r1_node *n = model_fleet_add(&x->f, name);
    snprintf(n->status_dir_url, sizeof(n->status_dir_url), "file:///srv/_data/");
    all_sources_ok(n, 5);
    model_node_gpus(n);

    struct r1_node_info *i = &n->info;
    snprintf(i->alias, sizeof(i->alias), "gpu-box-1");
    snprintf(i->version, sizeof(i->version), "v2.5.36");
    i->current_epoch = 185;
    i->current_epoch_avail = 0.987;
    i->last_epochs[0] = (struct r1_epoch_val){183, 250};
    i->last_epochs[1] = (struct r1_epoch_val){184, 255};
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
    l->last_claim_epoch = 183;
    l->assign_timestamp = 1748016000.0;
    snprintf(l->last_claim_oracle, sizeof(l->last_claim_oracle), "0xai_oracle");
    l->is_banned = false;
    l->is_valid = true;
    l->poai_usdc_micro = 12345678; /* 12.345678 USDC */
    l->poai_r1_wei = EPOCH_WEI;
    l->trust = R1_TRUST_VERIFIED;
    for (int f = LIC_TYPE; f <= LIC_POAI_R1; f++)
        R1_MARK(l, f);

    struct r1_oracle_node *o = &n->orc;
    o->is_online = true;
    o->last_seen_s = 12;
    o->last_epoch_id = 184;
    o->last_epoch_u8 = 255;
    snprintf(o->server_alias, sizeof(o->server_alias), "oracle-1");
    o->trust = R1_TRUST_VERIFIED;
    for (int f = ORC_ALIAS; f <= ORC_IS_ORACLE; f++)
        if (f != ORC_EPOCHS)
            R1_MARK(o, f);

    set_range(n);
    n->range.trust = R1_TRUST_VERIFIED;

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
    model_node_gpus(n);
    struct r1_gpu *g = &n->gpus[0];
    snprintf(g->name, sizeof(g->name), "NVIDIA GeForce RTX 4090");
    g->util_pct = 87;
    g->mem_used_bytes = 12884901888.0;  /* 12 GiB */
    g->mem_total_bytes = 25769803776.0; /* 24 GiB */
    g->temp_c = 64;
    g->power_mw = 212000;
    for (int f = GPU_NAME; f <= GPU_POWER; f++)
        R1_MARK(g, f);
    /* n->rew and n->status are derive.c's: snap() computes them */
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
    /* no oracle epoch read: the one current epoch is the clock's */
    assert_num_at(d, "epoch.current", 185);
    assert_str_at(d, "epoch.current_source", "clock");
    assert_null_at(d, "epoch.oracle");
    assert_true(cJSON_IsArray(at(d, "nodes")));
    assert_int_equal(cJSON_GetArraySize(at(d, "nodes")), 1);

    static const char *const node_keys[] = {
        "name",          "address",           "eth_address",        "alias",
        "version",       "version_source",    "online",             "online_reason",
        "status_file_age_s", "oracle_last_seen_s", "container_state", "sources",
        "status_file",   "history",           "licence",            "availability",
        "workloads",     "docker",            "gpus",               "rewards",
    };
    const cJSON *n = at(d, "nodes.0");
    for (size_t k = 0; k < sizeof(node_keys) / sizeof(node_keys[0]); k++)
        if (!cJSON_HasObjectItem(n, node_keys[k]))
            fail_at(n, node_keys[k], "a key", __FILE__, __LINE__);
    /* the operator's name stays the name; the node's own alias sits beside it */
    assert_str_at(d, "nodes.0.name", "box");
    assert_str_at(d, "nodes.0.alias", "gpu-box-1");
    static const char *const source_keys[] = {
        "source", "ok",          "age_s",        "updated_at_unix_s",    "error",
        "error_kind", "http_code", "consecutive_failures", "next_attempt_in_s",
    };
    const cJSON *st = at(d, "nodes.0.sources.node_info");
    for (size_t k = 0; k < sizeof(source_keys) / sizeof(source_keys[0]); k++)
        if (!cJSON_HasObjectItem(st, source_keys[k]))
            fail_at(st, source_keys[k], "a key", __FILE__, __LINE__);
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
    n->orc.meta.updated_at = NOW - 1;
    /* a status folder is configured, but the file's mtime bit is clear: not read yet */
    snprintf(n->status_dir_url, sizeof(n->status_dir_url), "file:///srv/_data/");
    n->info.file_mtime = NOW - 2;
    snprintf(n->info.version, sizeof(n->info.version), "v9.9.9");
    snprintf(n->orc.node_version, sizeof(n->orc.node_version), "v8.8.8");
    snprintf(n->dock.state, sizeof(n->dock.state), "running");
    n->dock.restart_count = 0;
    n->n_gpus = 1; /* a GPU whose figures all failed to read */
    model_node_gpus(n);
    n->gpus[0].util_pct = 0;
    n->gpus[0].power_mw = 150000;
    n->work.rows = calloc(1, sizeof(*n->work.rows)); /* rows of a list not (yet) known */
    assert_non_null(n->work.rows);
    model_instance_init(&n->work.rows[0]);
    n->work.n_rows = 1;
    const cJSON *d = snap(x);

    static const char *const nulls[] = {
        "epoch.oracle",
        "epoch.trust",
        "epoch.age_s",
        "nodes.0.alias",
        "nodes.0.address",
        "nodes.0.eth_address",
        "nodes.0.version",
        "nodes.0.version_source",
        "nodes.0.status_file_age_s",
        "nodes.0.oracle_last_seen_s",
        "nodes.0.container_state",
        "nodes.0.licence.trust",
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
    assert_str_at(d, "nodes.0.online_reason", "status file not read yet");
    assert_bool_at(d, "nodes.0.licence.verified", false);
    /* nothing was asked of any source, so none is listed */
    assert_int_equal(cJSON_GetArraySize(at(d, "nodes.0.sources")), 0);
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
    model_node_gpus(n);
    n->gpus[0].util_pct = 0;
    R1_MARK(&n->gpus[0], GPU_UTIL);
    /* a status file written this very second, an oracle that saw the node as it replied */
    snprintf(n->status_dir_url, sizeof(n->status_dir_url), "file:///srv/_data/");
    n->info.file_mtime = NOW;
    R1_MARK(&n->info, INFO_MTIME);
    n->orc.last_seen_s = 0;
    R1_MARK(&n->orc, ORC_LAST_SEEN);
    n->orc.meta.updated_at = NOW;
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
    assert_num_at(d, "nodes.0.status_file_age_s", 0);
    assert_num_at(d, "nodes.0.oracle_last_seen_s", 0);
}

/* Known figures come out as numbers in the unit their key names. */
static void test_snapshot_known_values_in_key_units(void **state)
{
    struct fixture *x = *state;
    add_full_node(x, "box");
    const cJSON *d = snap(x);

    assert_num_at(d, "nodes.0.status_file.file_age_s", 7); /* NOW - mtime */
    assert_num_at(d, "nodes.0.status_file.current_epoch", 185);
    assert_num_at(d, "nodes.0.status_file.current_epoch_avail_prc", 98.7); /* 0.987 */
    assert_num_at(d, "nodes.0.status_file.last_epochs.1.epoch", 184);
    assert_num_at(d, "nodes.0.status_file.last_epochs.1.avail_u8", 255);
    assert_str_at(d, "nodes.0.status_file.version", "v2.5.36");
    assert_num_at(d, "nodes.0.history.file_age_s", 120);
    assert_num_at(d, "nodes.0.history.uptime_s", 867723); /* 864000 + 3723 */
    assert_num_at(d, "nodes.0.history.mem_total_gb", 32);
    assert_str_at(d, "nodes.0.licence.type", "ND");
    assert_num_at(d, "nodes.0.licence.id", 1234);
    assert_num_at(d, "nodes.0.licence.last_claim_epoch", 183);
    assert_bool_at(d, "nodes.0.licence.valid", true);
    assert_num_at(d, "nodes.0.availability.last_seen_s", 12);
    assert_num_at(d, "nodes.0.availability.last_epoch", 184);
    assert_num_at(d, "nodes.0.availability.last_epoch_avail_prc", 100); /* 255 / 2.55 */
    assert_num_at(d, "nodes.0.availability.epochs_range.from_epoch", 181);
    assert_num_at(d, "nodes.0.availability.epochs_range.to_epoch", 184);
    /* epochs[i] is from_epoch + i */
    assert_int_equal(cJSON_GetArraySize(at(d, "nodes.0.availability.epochs")), 4);
    assert_num_at(d, "nodes.0.availability.epochs.3.epoch", 184);
    assert_num_at(d, "nodes.0.availability.epochs.1.epoch", 182);
    assert_num_at(d, "nodes.0.availability.epochs.1.avail_u8", 128);
    assert_num_at(d, "nodes.0.docker.started_at_unix_s", NOW - 3600);
    assert_str_at(d, "nodes.0.docker.container", "edge_node");
    assert_str_at(d, "nodes.0.gpus.backend", "nvml");
    assert_str_at(d, "nodes.0.gpus.list.0.name", "NVIDIA GeForce RTX 4090");
    assert_num_at(d, "nodes.0.gpus.list.0.mem_used_bytes", 12884901888.0);
    assert_num_at(d, "nodes.0.gpus.list.0.mem_total_bytes", 25769803776.0);
    assert_num_at(d, "nodes.0.gpus.list.0.power_mw", 212000);
    assert_num_at(d, "nodes.0.rewards.poai_usdc", 12.345678);
    /* derived: the file is 7 s old; the oracle's 12 s plus its reply's age of 5 s */
    assert_str_at(d, "nodes.0.online", "online");
    assert_str_at(d, "nodes.0.online_reason", "status file 7 s old");
    assert_num_at(d, "nodes.0.status_file_age_s", 7);
    assert_num_at(d, "nodes.0.oracle_last_seen_s", 17);
    assert_str_at(d, "nodes.0.container_state", "running");
    assert_str_at(d, "nodes.0.version", "v2.5.36");
    assert_str_at(d, "nodes.0.version_source", "status_file");
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
    read_ok(n, &n->info.meta, SRC_NODE_INFO, NOW - 5, URL_INFO);
    read_ok(n, &n->hist.meta, SRC_NODE_HISTORY, NOW - 300, URL_HIST);
    read_ok(n, &n->orc.meta, SRC_ORACLE_LAST, NOW - 60, URL_LAST "?x");
    read_ok(n, &n->work.meta, SRC_STREAMS, NOW - 30, URL_STREAMS);
    read_ok(n, &n->dock.meta, SRC_DOCKER, NOW - 10, URL_DOCKER);
    read_ok(n, &n->gpu_meta, SRC_GPU, NOW - 2, "nvml");
    read_ok(n, &n->range.meta, SRC_ORACLE_RANGE, NOW - 600, URL_RANGE);
    /* the licence last came with a node_epochs_range reply: its source is that one's */
    model_meta_ok(&n->lic.meta, NOW - 12.5);
    n->lic.meta.fed_by = SRC_ORACLE_RANGE + 1;
    model_meta_ok(&x->f.epoch.meta, NOW - 45);
    status_ok(&x->f.src[SRC_ORACLE_EPOCH], NOW - 45, URL_EPOCH);
    const cJSON *d = snap(x);

    for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
        char p[96];
        snprintf(p, sizeof(p), "nodes.0.%s.error", blocks[b]);
        check_null(d, p, __FILE__, __LINE__);
        snprintf(p, sizeof(p), "nodes.0.%s.source", blocks[b]);
        if (!cJSON_IsString(at(d, p)))
            fail_at(d, p, "a source string", __FILE__, __LINE__);
    }
    assert_str_at(d, "nodes.0.status_file.source", URL_INFO);
    assert_num_at(d, "nodes.0.status_file.age_s", 5);
    assert_str_at(d, "nodes.0.history.source", URL_HIST);
    assert_num_at(d, "nodes.0.history.age_s", 300);
    assert_str_at(d, "nodes.0.licence.source", URL_RANGE);
    assert_num_at(d, "nodes.0.licence.age_s", 12.5);
    assert_str_at(d, "nodes.0.availability.source", URL_LAST "?x");
    assert_num_at(d, "nodes.0.availability.age_s", 60);
    assert_num_at(d, "nodes.0.workloads.age_s", 30);
    assert_str_at(d, "nodes.0.docker.source", URL_DOCKER);
    assert_num_at(d, "nodes.0.docker.age_s", 10);
    assert_str_at(d, "nodes.0.gpus.source", "nvml");
    assert_num_at(d, "nodes.0.gpus.age_s", 2);
    assert_str_at(d, "nodes.0.availability.epochs_range.source", URL_RANGE);
    assert_num_at(d, "nodes.0.availability.epochs_range.age_s", 600);
    assert_null_at(d, "nodes.0.availability.epochs_range.error");
    assert_str_at(d, "epoch.source", URL_EPOCH);
    assert_num_at(d, "epoch.age_s", 45);
    assert_null_at(d, "epoch.error");
    assert_num_at(d, "nodes.0.sources.node_history.updated_at_unix_s", NOW - 300);
    assert_num_at(d, "nodes.0.sources.node_history.age_s", 300);
    assert_str_at(d, "nodes.0.sources.node_history.source", URL_HIST);
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
    model_meta_ok(&x->f.epoch.meta, NOW - 1);
    status_ok(&x->f.src[SRC_ORACLE_EPOCH], NOW - 1, URL_EPOCH);
    const cJSON *d = snap(x);

    assert_bool_at(d, "ok", true);
    assert_bool_at(d, "nodes.0.sources.oracle_last.ok", true);
    assert_null_at(d, "nodes.0.sources.oracle_last.error");
    assert_null_at(d, "nodes.0.sources.oracle_last.error_kind");
    assert_null_at(d, "nodes.0.sources.oracle_last.http_code");
    assert_num_at(d, "nodes.0.sources.oracle_last.consecutive_failures", 0);
    /* a healthy source has no retry pending */
    assert_null_at(d, "nodes.0.sources.oracle_last.next_attempt_in_s");
}

/* The words of an error are made from the status (model_error_format) where they are shown:
 * the source's name is not repeated in them (the key already names it), and the poller's
 * log-style text in the group's meta is not what a reader gets. */
static void test_snapshot_failed_source_is_not_ok_with_its_error(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = add_full_node(x, "box");
    read_ok(n, &n->orc.meta, SRC_ORACLE_LAST, NOW - 100, URL_LAST);
    model_meta_ok(&n->lic.meta, NOW - 100);
    /* three failures in a row, the last 1 s ago; the next try in 29 s */
    status_fail(&n->src[SRC_ORACLE_LAST], NOW - 1, 3, NOW + 29, R1_EK_HTTP, 503, "", URL_LAST);
    const char *why = "HTTP 503 from " URL_LAST;
    const cJSON *d = snap(x);

    assert_bool_at(d, "ok", false);
    assert_bool_at(d, "nodes.0.sources.oracle_last.ok", false);
    assert_str_at(d, "nodes.0.sources.oracle_last.error", why);
    assert_str_at(d, "nodes.0.sources.oracle_last.error_kind", "http");
    assert_num_at(d, "nodes.0.sources.oracle_last.http_code", 503);
    assert_num_at(d, "nodes.0.sources.oracle_last.consecutive_failures", 3);
    assert_num_at(d, "nodes.0.sources.oracle_last.next_attempt_in_s", 29);
    /* the last good values keep their age: 100 s since the last success, not 1 s */
    assert_num_at(d, "nodes.0.sources.oracle_last.age_s", 100);
    assert_num_at(d, "nodes.0.sources.oracle_last.updated_at_unix_s", NOW - 100);
    assert_str_at(d, "nodes.0.availability.error", why);
    assert_num_at(d, "nodes.0.availability.age_s", 100);
    /* the licence rides in the same reply: its block carries the same error */
    assert_str_at(d, "nodes.0.licence.error", why);
    assert_num_at(d, "nodes.0.licence.age_s", 100);
    /* the other sources are unaffected */
    assert_bool_at(d, "nodes.0.sources.node_info.ok", true);
    assert_null_at(d, "nodes.0.status_file.error");
    assert_null_at(d, "nodes.0.availability.epochs_range.error");
}

/* The licence block shows the status of whichever source last fed it (fed_by), not a fixed
 * one: a licence that came with node_epochs_range fails when that source fails. */
static void test_snapshot_licence_error_follows_the_source_that_fed_it(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = add_full_node(x, "box");
    n->lic.meta.fed_by = SRC_ORACLE_RANGE + 1;
    status_fail(&n->src[SRC_ORACLE_RANGE], NOW - 1, 1, NOW + 14, R1_EK_REFUSED, 0,
                "reply is about 0xai_other, not this node (0xai_me): not used", URL_RANGE);
    const cJSON *d = snap(x);

    assert_str_at(d, "nodes.0.licence.error",
                  "reply is about 0xai_other, not this node (0xai_me): not used");
    assert_str_at(d, "nodes.0.licence.source", URL_RANGE);
    assert_str_at(d, "nodes.0.sources.oracle_range.error_kind", "refused");
    assert_null_at(d, "nodes.0.sources.oracle_range.http_code");
    assert_null_at(d, "nodes.0.availability.error");
}

/* A source that never succeeded is not ok either, and says so without an age. */
static void test_snapshot_source_failing_from_the_start_has_null_age(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = model_fleet_add(&x->f, "box");
    status_fail(&n->src[SRC_DOCKER], NOW - 1, 1, NOW + 14, R1_EK_PERMISSION, 0,
                "cannot connect to the Docker socket: Permission denied", URL_DOCKER);
    const cJSON *d = snap(x);

    assert_bool_at(d, "ok", false);
    assert_bool_at(d, "nodes.0.sources.docker.ok", false);
    assert_null_at(d, "nodes.0.sources.docker.age_s");
    assert_null_at(d, "nodes.0.sources.docker.updated_at_unix_s");
    assert_str_at(d, "nodes.0.sources.docker.error",
                  "cannot connect to the Docker socket: Permission denied (" URL_DOCKER ")");
    assert_str_at(d, "nodes.0.sources.docker.error_kind", "permission");
    assert_str_at(d, "nodes.0.sources.docker.source", URL_DOCKER);
    assert_str_at(d, "nodes.0.docker.source", URL_DOCKER);
    assert_null_at(d, "nodes.0.docker.age_s");
}

/* A failed /current_epoch gives no oracle epoch: the clock's stands in, and says so. */
static void test_snapshot_failed_epoch_source_is_not_ok(void **state)
{
    struct fixture *x = *state;
    add_full_node(x, "box");
    status_fail(&x->f.src[SRC_ORACLE_EPOCH], NOW - 1, 1, NOW + 14, R1_EK_TIMEOUT, 0,
                "timed out after 8 s", URL_EPOCH);
    const cJSON *d = snap(x);

    assert_bool_at(d, "ok", false);
    assert_str_at(d, "epoch.error", "timed out after 8 s (" URL_EPOCH ")");
    assert_null_at(d, "epoch.oracle");
    assert_num_at(d, "epoch.current", 185);
    assert_str_at(d, "epoch.current_source", "clock");
}

static void test_snapshot_sources_that_never_ran_are_absent(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = model_fleet_add(&x->f, "box");
    read_ok(n, &n->info.meta, SRC_NODE_INFO, NOW - 3, URL_INFO);
    read_ok(n, &n->gpu_meta, SRC_GPU, NOW - 1, "nvml");
    status_fail(&n->src[SRC_ORACLE_RANGE], NOW - 2, 1, NOW + 13, R1_EK_HTTP, 500, "",
                URL_RANGE);
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
    /* the fleet-scope epoch source is the epoch block's, never a node's */
    assert_absent_at(d, "nodes.0.sources.oracle_epoch");
}

/* D7: a URL with a password is shown with the password starred, wherever it appears. */
static void test_snapshot_source_urls_are_redacted(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = model_fleet_add(&x->f, "remote");
    const char *url = "sftp://edge:hunter2@10.0.0.5/srv/_data/local_info.json";
    const char *shown = "sftp://edge:***@10.0.0.5/srv/_data/local_info.json";
    read_ok(n, &n->info.meta, SRC_NODE_INFO, NOW - 3, url);
    status_fail(&n->src[SRC_NODE_HISTORY], NOW - 1, 2, NOW + 29, R1_EK_TRANSPORT, 0,
                "Couldn't connect to server",
                "sftp://edge:hunter2@10.0.0.5/srv/_data/local_history.json");
    snprintf(x->f.oracle_url, sizeof(x->f.oracle_url), "https://u:p4ss@oracle.example/");
    char *raw = (derive_fleet(&x->f, NOW), snapshot_json(&x->f, NOW));
    assert_non_null(raw);
    if (strstr(raw, "hunter2") || strstr(raw, "p4ss")) {
        print_error("%s\n", raw);
        free(raw);
        fail_msg("a password was printed");
    }
    free(raw);
    const cJSON *d = snap(x);
    assert_str_at(d, "nodes.0.sources.node_info.source", shown);
    assert_str_at(d, "nodes.0.status_file.source", shown);
    assert_str_at(d, "nodes.0.sources.node_history.error",
                  "Couldn't connect to server (sftp://edge:***@10.0.0.5/srv/_data/"
                  "local_history.json)");
    assert_str_at(d, "oracle_url", "https://u:***@oracle.example/");
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
    model_meta_ok(&w->meta, NOW - 4);
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
        n->orc.trust = n->range.trust = n->lic.trust = cases[c].trust;
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

/* Each figure carries the verdict of the reply it came from: availability rides in
 * node_last_epoch, the epoch chart in node_epochs_range, the licence keeps the verdict of
 * whichever reply brought it (D4), and the PoA estimate is only as good as the weaker of the
 * licence and the range. */
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
    n->lic.trust = R1_TRUST_UNSIGNED;
    snprintf(n->lic.trust_reason, sizeof(n->lic.trust_reason), "no EE_SIGN: unsigned");
    n->range.trust = R1_TRUST_VERIFIED;
    n->range.trust_reason[0] = '\0';
    d = snap(x);
    assert_str_at(d, "nodes.0.licence.trust", "unsigned");
    assert_str_at(d, "nodes.0.licence.trust_reason", "no EE_SIGN: unsigned");
    assert_bool_at(d, "nodes.0.licence.verified", false);
    /* ... even while the latest node_last_epoch reply is verified: the licence is not from it */
    assert_bool_at(d, "nodes.0.availability.verified", true);
    assert_bool_at(d, "nodes.0.availability.epochs_range.verified", true);
    assert_str_at(d, "nodes.0.rewards.poa_trust", "unsigned");
    assert_bool_at(d, "nodes.0.rewards.poa_verified", false);

    /* and a bad later node_last_epoch reply does not taint a licence kept from a verified one */
    n->lic.trust = R1_TRUST_VERIFIED;
    n->lic.trust_reason[0] = '\0';
    n->orc.trust = R1_TRUST_BAD;
    d = snap(x);
    assert_str_at(d, "nodes.0.licence.trust", "verified");
    assert_bool_at(d, "nodes.0.licence.verified", true);
    assert_bool_at(d, "nodes.0.availability.verified", false);
    assert_str_at(d, "nodes.0.rewards.poa_trust", "verified");
}

/* ---- JSON: epoch ------------------------------------------------------------------------ */

/* "current" is the one derived epoch (a verified oracle epoch within one of the clock's, else
 * the clock's); "oracle" is what the oracle said, shown whether or not it was used. */
static void test_snapshot_epoch_block_shows_derived_current_and_raw_oracle(void **state)
{
    struct fixture *x = *state;
    add_full_node(x, "box");
    struct r1_fleet *f = &x->f;
    model_meta_ok(&f->epoch.meta, NOW - 20);
    status_ok(&f->src[SRC_ORACLE_EPOCH], NOW - 20, URL_EPOCH);
    f->epoch.current_epoch = 186; /* one ahead of the clock's 185: within the skew */
    f->epoch.trust = R1_TRUST_VERIFIED;
    R1_MARK(&f->epoch, FLEET_EPOCH);
    const cJSON *d = snap(x);
    assert_num_at(d, "epoch.current", 186);
    assert_str_at(d, "epoch.current_source", "oracle");
    assert_num_at(d, "epoch.oracle", 186);
    assert_num_at(d, "epoch.clock_current", 185);
    assert_str_at(d, "epoch.trust", "verified");
    /* the estimate runs to the epoch before the current one: 185, which the range (181..184)
     * does not have yet */
    assert_str_at(d, "nodes.0.rewards.poa_status", "syncing");
    assert_str_at(d, "nodes.0.rewards.note", "oracle is still syncing: no availability for epoch 185");

    f->epoch.current_epoch = 190; /* verified, but five off: the clock wins */
    d = snap(x);
    assert_num_at(d, "epoch.current", 185);
    assert_str_at(d, "epoch.current_source", "clock");
    assert_num_at(d, "epoch.oracle", 190);
    assert_str_at(d, "nodes.0.rewards.poa_status", "ok");
    assert_num_at(d, "nodes.0.rewards.poa_to_epoch", 184);

    f->epoch.current_epoch = 185;
    f->epoch.trust = R1_TRUST_UNSIGNED;
    snprintf(f->epoch.trust_reason, sizeof(f->epoch.trust_reason), "no EE_SIGN: unsigned");
    d = snap(x);
    assert_str_at(d, "epoch.current_source", "clock");
    assert_str_at(d, "epoch.trust", "unsigned");
    assert_str_at(d, "epoch.trust_reason", "no EE_SIGN: unsigned");
}

/* D18: integers are written as their exact digits, never through a double (2^53 + 1 would
 * print as 9007199254740992). */
static void test_snapshot_integers_beyond_2_53_are_exact(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = add_full_node(x, "box");
    n->lic.licence_id = 9007199254740993ULL;
    n->lic.last_claim_epoch = 9007199254740995LL;
    char *raw = (derive_fleet(&x->f, NOW), snapshot_json(&x->f, NOW));
    assert_non_null(raw);
    bool id = strstr(raw, "9007199254740993") != NULL;
    bool claim = strstr(raw, "9007199254740995") != NULL;
    free(raw);
    assert_true(id);
    assert_true(claim);
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
    for (size_t c = 0; c < sizeof(not_ok) / sizeof(not_ok[0]); c++) {
        /* the licence as derive.c will find it for each status */
        n->lic.type = R1_LIC_ND;
        n->lic.last_claim_epoch = 183;
        R1_MARK(&n->lic, LIC_TYPE);
        switch (not_ok[c].st) {
        case R1_REW_UNKNOWN:
            n->lic.meta.valid &= ~(UINT64_C(1) << LIC_TYPE);
            break;
        case R1_REW_SYNCING: /* claims since 100, but the range starts at 181 */
            n->lic.last_claim_epoch = 100;
            break;
        case R1_REW_NO_LICENCE:
            n->lic.type = R1_LIC_NONE;
            break;
        default:
            n->lic.type = R1_LIC_MND;
            break;
        }
        const cJSON *d = snap(x);
        assert_int_equal(n->rew.poa_status, not_ok[c].st);
        assert_str_at(d, "nodes.0.rewards.poa_status", not_ok[c].name);
        assert_null_at(d, "nodes.0.rewards.poa_claimable_wei");
        assert_null_at(d, "nodes.0.rewards.poa_claimable_r1");
        /* syncing knows its range (100..184) but it is not an estimate's range */
        assert_null_at(d, "nodes.0.rewards.poa_from_epoch");
        assert_null_at(d, "nodes.0.rewards.poa_to_epoch");
        assert_null_at(d, "nodes.0.rewards.poa_capped");
        const cJSON *note = at(d, "nodes.0.rewards.note");
        if (!cJSON_IsString(note) || !note->valuestring[0])
            fail_at(d, "nodes.0.rewards.note", "why there is no estimate", __FILE__, __LINE__);
    }

    /* ok, capped: 2 epochs' worth (183..184) but only one epoch's worth left unclaimed */
    n->lic.type = R1_LIC_ND;
    n->lic.last_claim_epoch = 183;
    n->lic.total_assigned_wei = EPOCH_WEI;
    n->lic.total_claimed_wei = 0;
    R1_MARK(&n->lic, LIC_TYPE);
    const cJSON *d = snap(x);
    assert_str_at(d, "nodes.0.rewards.poa_status", "ok");
    assert_str_at(d, "nodes.0.rewards.poa_claimable_wei", "1458508188386985115");
    assert_num_at(d, "nodes.0.rewards.poa_claimable_r1", 1.458508188386985115);
    assert_num_at(d, "nodes.0.rewards.poa_from_epoch", 183);
    assert_num_at(d, "nodes.0.rewards.poa_to_epoch", 184);
    assert_bool_at(d, "nodes.0.rewards.poa_capped", true);
    assert_str_at(d, "nodes.0.rewards.note",
                  "epochs 183..184 (2); capped at the licence's unclaimed total");
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
    model_meta_ok(&x->f.epoch.meta, NOW - 1);
    status_ok(&x->f.src[SRC_ORACLE_EPOCH], NOW - 1, URL_EPOCH);
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

    /* each node under its configured name, the node's own alias beside it, and its online
     * state with the reason */
    assert_non_null(strstr(t, "\nnode box (alias gpu-box-1)  [online: status file 7 s old]\n"));
    assert_non_null(strstr(t, "\nnode blank  [unknown: no status file and no oracle data]\n"));
    const char *second = strstr(t, "\nnode blank");
    assert_string_equal(text_value(t, "uptime", buf, sizeof(buf)), "10d 01:02:03");
    assert_string_equal(text_value(second, "uptime", buf, sizeof(buf)), "n/a");
    assert_string_equal(text_value(second, "licence", buf, sizeof(buf)), "n/a");
    assert_string_equal(text_value(second, "version", buf, sizeof(buf)), "n/a");
}

/* The version comes from the status file; without one, from the (node-bound) oracle reply,
 * and then it says so in both outputs. */
static void test_snapshot_version_falls_back_to_the_oracle_and_says_so(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = model_fleet_add(&x->f, "eth-only");
    snprintf(n->orc.node_version, sizeof(n->orc.node_version), "2.9.370");
    R1_MARK(&n->orc, ORC_VERSION);
    const cJSON *d = snap(x);
    assert_str_at(d, "nodes.0.version", "2.9.370");
    assert_str_at(d, "nodes.0.version_source", "oracle");
    char buf[256];
    const char *t = snap_text(x);
    assert_string_equal(text_value(t, "version", buf, sizeof(buf)), "2.9.370 (oracle)");

    snprintf(n->info.version, sizeof(n->info.version), "v2.5.36");
    R1_MARK(&n->info, INFO_VERSION);
    d = snap(x);
    assert_str_at(d, "nodes.0.version", "v2.5.36");
    assert_str_at(d, "nodes.0.version_source", "status_file");
    t = snap_text(x);
    assert_string_equal(text_value(t, "version", buf, sizeof(buf)), "v2.5.36");
}

/* Regression: a GPU whose load is known but whose memory and temperature are not printed
 * "0 B / 0 B  0 C" — unknown shown as zero. */
static void test_snapshot_text_unknown_gpu_figures_are_na(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = model_fleet_add(&x->f, "gpu-half-known");
    n->n_gpus = 1;
    model_node_gpus(n);
    n->gpus[0].util_pct = 40;
    R1_MARK(&n->gpus[0], GPU_UTIL);
    read_ok(n, &n->gpu_meta, SRC_GPU, 1000.0, "nvml");
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
                        "2.9170 R1 (epochs 183-184) [BAD SIGNATURE: hash mismatch]");
    /* the licence came in the other (verified) reply */
    assert_string_equal(text_value(t, "  oracle reply", buf, sizeof(buf)), "verified");

    /* a bad node_last_epoch reply after it does not change the licence's verdict (D4) ... */
    n->orc.trust = R1_TRUST_BAD;
    snprintf(n->orc.trust_reason, sizeof(n->orc.trust_reason), "signature does not verify");
    t = snap_text(x);
    assert_string_equal(text_value(t, "  oracle reply", buf, sizeof(buf)), "verified");

    /* ... the licence's own verdict does */
    n->lic.trust = R1_TRUST_BAD;
    snprintf(n->lic.trust_reason, sizeof(n->lic.trust_reason), "signature does not verify");
    t = snap_text(x);
    assert_string_equal(text_value(t, "  oracle reply", buf, sizeof(buf)),
                        "BAD SIGNATURE: signature does not verify");
}

/* The PoA line's flag names the reply that made the estimate weak: with a verified range and
 * a bad licence reply, the reason is the licence's, not the (empty) range's. */
static void test_snapshot_text_poa_flag_gives_the_weak_licence_reason(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = add_full_node(x, "box");
    n->lic.trust = R1_TRUST_BAD;
    snprintf(n->lic.trust_reason, sizeof(n->lic.trust_reason), "signature does not verify");
    char buf[256];
    const char *t = snap_text(x);
    assert_string_equal(text_value(t, "PoA claimable", buf, sizeof(buf)),
                        "2.9170 R1 (epochs 183-184) [BAD SIGNATURE: signature does not verify]");
}

/* Each failing source gets one line, in the words model_error_format makes, without the
 * source's name repeated inside them. */
static void test_snapshot_text_lists_each_failed_source(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = add_full_node(x, "box");
    status_fail(&n->src[SRC_ORACLE_LAST], NOW - 1, 1, NOW + 14, R1_EK_HTTP, 503, "", URL_LAST);
    status_fail(&n->src[SRC_DOCKER], NOW - 1, 1, NOW + 14, R1_EK_TRANSPORT, 0,
                "Couldn't connect to server", URL_DOCKER);
    status_fail(&x->f.src[SRC_ORACLE_EPOCH], NOW - 1, 1, NOW + 14, R1_EK_TIMEOUT, 0,
                "timed out after 8 s", URL_EPOCH);
    const char *t = snap_text(x);

    assert_non_null(strstr(t, "\n  error (oracle_last): HTTP 503 from " URL_LAST "\n"));
    assert_non_null(strstr(t, "\n  error (docker): Couldn't connect to server (" URL_DOCKER ")\n"));
    assert_non_null(strstr(t, "\n  error (oracle): timed out after 8 s (" URL_EPOCH ")\n"));
    /* the healthy sources get no error line */
    assert_null(strstr(t, "error (node_info)"));
    assert_null(strstr(t, "error (gpu)"));
}

/* D7: the text form stars a URL's password too. */
static void test_snapshot_text_error_urls_are_redacted(void **state)
{
    struct fixture *x = *state;
    struct r1_node *n = model_fleet_add(&x->f, "remote");
    status_fail(&n->src[SRC_NODE_INFO], NOW - 1, 2, NOW + 29, R1_EK_TRANSPORT, 0,
                "Couldn't connect to server",
                "sftp://edge:hunter2@10.0.0.5/srv/_data/local_info.json");
    const char *t = snap_text(x);
    assert_null(strstr(t, "hunter2"));
    assert_non_null(strstr(t, "\n  error (node_info): Couldn't connect to server "
                              "(sftp://edge:***@10.0.0.5/srv/_data/local_info.json)\n"));
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
        T(test_snapshot_licence_error_follows_the_source_that_fed_it),
        T(test_snapshot_source_failing_from_the_start_has_null_age),
        T(test_snapshot_failed_epoch_source_is_not_ok),
        T(test_snapshot_sources_that_never_ran_are_absent),
        T(test_snapshot_source_urls_are_redacted),
        T(test_snapshot_workload_without_port_or_job_has_nulls),
        T(test_snapshot_trust_names_and_verified_flags),
        T(test_snapshot_trust_follows_the_reply_each_figure_came_from),
        T(test_snapshot_epoch_block_shows_derived_current_and_raw_oracle),
        T(test_snapshot_integers_beyond_2_53_are_exact),
        T(test_snapshot_rewards_poa_fields_null_unless_status_ok),
        T(test_snapshot_series_values_printed_without_float_noise),
        T(test_snapshot_series_unknown_last_point_is_null),
        T(test_snapshot_empty_fleet_is_not_ok_and_carries_the_note),
        T(test_snapshot_text_uptime_is_na_only_when_unknown),
        T(test_snapshot_version_falls_back_to_the_oracle_and_says_so),
        T(test_snapshot_text_unknown_gpu_figures_are_na),
        T(test_snapshot_text_licence_line),
        T(test_snapshot_text_bad_range_signature_is_flagged),
        T(test_snapshot_text_poa_flag_gives_the_weak_licence_reason),
        T(test_snapshot_text_lists_each_failed_source),
        T(test_snapshot_text_error_urls_are_redacted),
        T(test_snapshot_text_empty_fleet_prints_the_note),
    };
    return cmocka_run_group_tests_name("snapshot", tests, NULL, NULL);
}
