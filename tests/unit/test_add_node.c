/* test_add_node: a node added while r1top runs (issue 7), or brought by a wallet (issue 9). The poller gives it its own jobs
 * (poller_add_node: each job on the right node, its `after` dependency on the same node's job,
 * the fleet-scope job with the fleet's first node); app.c adds it for the session from what
 * the person typed, refuses repeats and the demo, and save-nodes appends the session's nodes
 * to the config file only when confirmed and not --readonly, logging what it did. File jobs
 * finish inside poller_start_due, so no test waits on a clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions.h"
#include "app.h"
#include "config.h"
#include "model.h"
#include "network.h"
#include "poller.h"
#include "sources/source.h"
#include "sources/wallets.h"
#include "trust/eth.h"
#include "util.h"

/* What tests/data/node_files/local_info.json says about its node. */
#define INFO_ETH "0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5"
#define ADDR_A "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty"
#define ADDR_B "0xai_A2pPf0lxZSZkGONzLOmhzndncc1VvDBHfF-YLWlsrG9m"
#define EVERYTHING 1e7

struct env {
    char dir[64];
    char a[96], b[96], oracle[96]; /* two nodes' _data/ folders, the file:// oracle */
    struct r1_config cfg;
    struct r1_fleet f;
    struct r1_poller *p;
};

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    assert_int_equal(fclose(fp), 0);
}

static void copy_info(const char *dir)
{
    size_t len;
    char *text = test_fixture(R1_TEST_DATA "/node_files/", "local_info.json", &len);
    write_file(dir, "local_info.json", text);
    free(text);
}

static size_t scope_sources(enum r1_scope scope)
{
    size_t n = 0;
    for (int s = 0; s < SRC_COUNT; s++)
        n += source_get((enum r1_source_id)s)->scope == scope;
    return n;
}

static size_t node_scope_sources(void)
{
    return scope_sources(R1_SCOPE_NODE);
}

static int setup(void **state)
{
    struct env *e = calloc(1, sizeof(*e));
    if (!e)
        return -1;
    snprintf(e->dir, sizeof(e->dir), "/tmp/r1top-test-add-XXXXXX");
    if (!mkdtemp(e->dir))
        return -1;
    snprintf(e->a, sizeof(e->a), "%s/a", e->dir);
    snprintf(e->b, sizeof(e->b), "%s/b", e->dir);
    snprintf(e->oracle, sizeof(e->oracle), "%s/oracle", e->dir);
    char cmd[384];
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s' '%s' '%s'", e->a, e->b, e->oracle);
    if (system(cmd) != 0)
        return -1;
    config_defaults(&e->cfg);
    e->cfg.net = network_get(R1_NET_MAINNET);
    e->cfg.oracle_enabled = false;
    e->cfg.oracle_batch = false;
    snprintf(e->cfg.oracle_url, sizeof(e->cfg.oracle_url), "file://%s", e->oracle);
    model_fleet_init(&e->f, e->cfg.net);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;
    poller_free(e->p);
    model_fleet_free(&e->f);
    config_free(&e->cfg);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
    int rc = system(cmd);
    free(e);
    return rc == 0 ? 0 : -1;
}

static struct r1_node *add(struct env *e, const char *name, const char *data)
{
    struct r1_node *n = model_fleet_add(&e->f, name);
    snprintf(n->status_dir_url, sizeof(n->status_dir_url), "file://%s/", data);
    return n;
}

/* ---- the poller ---------------------------------------------------------------------------- */

static void test_add_node_gets_its_own_jobs_once(void **state)
{
    struct env *e = *state;
    add(e, "box", e->a);
    e->p = poller_new(&e->cfg, &e->f);
    int before = poller_jobs_total(e->p);
    /* the fleet's jobs (the oracle's epoch, the wallets) + one node's */
    int fleet = (int)scope_sources(R1_SCOPE_FLEET);
    assert_int_equal(before, fleet + (int)node_scope_sources());
    add(e, "late", e->b);
    assert_int_equal(poller_add_node(e->p, 1), 0);
    assert_int_equal(poller_jobs_total(e->p), before + (int)node_scope_sources());
    assert_int_equal(poller_add_node(e->p, 1), -1); /* it has its jobs */
    assert_int_equal(poller_add_node(e->p, 2), -1); /* no such node */
}

/* The added node's files are read into the added node, not the first one: each job's node
 * index is its own. */
static void test_add_node_jobs_read_into_the_added_node(void **state)
{
    struct env *e = *state;
    add(e, "box", e->a);
    e->p = poller_new(&e->cfg, &e->f);
    add(e, "late", e->b);
    assert_int_equal(poller_add_node(e->p, 1), 0);
    copy_info(e->b);
    poller_start_due(e->p, r1_mono() + EVERYTHING);
    assert_true(R1_VALID(&e->f.nodes[1].info, INFO_ADDRESS));
    assert_false(R1_VALID(&e->f.nodes[0].info, INFO_ADDRESS));
    assert_true(e->f.nodes[1].src[SRC_NODE_INFO].ok_at > 0);
    assert_true(e->f.nodes[0].src[SRC_NODE_INFO].ok_at == 0);
}

/* oracle_last runs after its own node's node_info: for the added node too (its dependency
 * points at its own job, not at the first node's). */
static void test_add_node_jobs_wait_for_their_own_dependency(void **state)
{
    struct env *e = *state;
    e->cfg.oracle_enabled = true;
    char name[256], reply[512];
    snprintf(name, sizeof(name), "node_last_epoch?eth_node_addr=%s&include_bc_info=true", INFO_ETH);
    snprintf(reply, sizeof(reply),
             "{\"result\":{\"node_eth_address\":\"%s\",\"node_alias\":\"from-oracle\","
             "\"node_is_online\":true,\"node_last_seen_sec\":3}}",
             INFO_ETH);
    write_file(e->oracle, name, reply);
    add(e, "box", e->a);
    copy_info(e->a); /* the first node's dependency is met: that must not free the new one */
    e->p = poller_new(&e->cfg, &e->f);
    poller_start_due(e->p, r1_mono());
    add(e, "late", e->b);
    assert_int_equal(poller_add_node(e->p, 1), 0);
    poller_start_due(e->p, r1_mono());
    struct r1_node *late = &e->f.nodes[1];
    assert_true(late->src[SRC_ORACLE_LAST].attempt_at == 0);
    copy_info(e->b);
    poller_start_due(e->p, r1_mono() + 1.5);
    late = &e->f.nodes[1];
    assert_true(late->src[SRC_NODE_INFO].ok_at > 0);
    assert_true(late->src[SRC_ORACLE_LAST].attempt_at >= late->src[SRC_NODE_INFO].ok_at);
    assert_string_equal(late->orc.node_alias, "from-oracle");
}

/* A fleet that started empty (nothing found on this host) gets the fleet-scope job with its
 * first node. */
static void test_add_node_to_an_empty_fleet_brings_the_fleet_job(void **state)
{
    struct env *e = *state;
    e->p = poller_new(&e->cfg, &e->f);
    assert_int_equal(poller_jobs_total(e->p), 0);
    add(e, "first", e->a);
    assert_int_equal(poller_add_node(e->p, 0), 0);
    int fleet = (int)scope_sources(R1_SCOPE_FLEET);
    assert_int_equal(poller_jobs_total(e->p), fleet + (int)node_scope_sources());
    add(e, "second", e->b);
    assert_int_equal(poller_add_node(e->p, 1), 0);
    assert_int_equal(poller_jobs_total(e->p), fleet + 2 * (int)node_scope_sources());
}

/* ---- app.c ---------------------------------------------------------------------------------- */

struct app_env {
    char dir[64], cfg_path[128], log_path[128];
    struct r1_config cfg;
    struct r1_app app;
};

static const char *const app_yaml = "# mine\n"
                                    "oracle:\n"
                                    "  enabled: false\n"
                                    "nodes:\n"
                                    "  - name: home\n"
                                    "    address: " ADDR_A "\n"
                                    "\n"
                                    "# the end\n";

static int app_setup(void **state)
{
    struct app_env *e = calloc(1, sizeof(*e));
    char err[R1_ERR_MAX];
    if (!e)
        return -1;
    snprintf(e->dir, sizeof(e->dir), "/tmp/r1top-test-app-add-XXXXXX");
    if (!mkdtemp(e->dir))
        return -1;
    snprintf(e->cfg_path, sizeof(e->cfg_path), "%s/config.yaml", e->dir);
    snprintf(e->log_path, sizeof(e->log_path), "%s/actions.log", e->dir);
    setenv("R1TOP_ACTIONS_LOG", e->log_path, 1);
    FILE *f = fopen(e->cfg_path, "w");
    if (!f)
        return -1;
    fputs(app_yaml, f);
    fclose(f);
    config_defaults(&e->cfg);
    if (config_load(&e->cfg, e->cfg_path, err) < 0 || app_init(&e->app, &e->cfg, false, err) < 0)
        return -1;
    *state = e;
    return 0;
}

static int app_teardown(void **state)
{
    struct app_env *e = *state;
    app_free(&e->app);
    config_free(&e->cfg);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
    int rc = system(cmd);
    unsetenv("R1TOP_ACTIONS_LOG");
    free(e);
    return rc == 0 ? 0 : -1;
}

static char *read_text(const char *path)
{
    size_t len;
    return test_fixture(path, "", &len);
}

static void test_add_node_from_typed_text_for_the_session(void **state)
{
    struct app_env *e = *state;
    struct r1_fleet *f = &e->app.fleet;
    assert_string_equal(f->config_path, e->cfg_path);
    int jobs = poller_jobs_total(e->app.poller);
    assert_int_equal(app_add_node(&e->app, ADDR_B " rack 2"), 0);
    assert_int_equal(f->n_nodes, 2);
    assert_string_equal(f->nodes[1].name, "rack 2");
    assert_string_equal(f->nodes[1].addr_cfg, ADDR_B);
    assert_int_equal(f->nodes[1].id, 1);
    assert_true(f->nodes[1].unsaved);
    assert_false(f->nodes[0].unsaved);
    assert_int_equal(poller_jobs_total(e->app.poller), jobs + (int)node_scope_sources());
    assert_int_equal(f->act.state, R1_ACTST_OK);
    assert_non_null(strstr(f->act.result, "added rack 2 for this session"));
    /* an ETH address, no name: the address shortened */
    assert_int_equal(app_add_node(&e->app, "0x13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e69"), 0);
    assert_string_equal(f->nodes[2].name, "0x13Dc6E..7e69");
    assert_string_equal(f->nodes[2].eth_cfg, "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69");
    /* nothing was written */
    char *text = read_text(e->cfg_path);
    assert_string_equal(text, app_yaml);
    free(text);
}

static void test_add_node_refusals_say_why_and_change_nothing(void **state)
{
    struct app_env *e = *state;
    struct r1_fleet *f = &e->app.fleet;
    int jobs = poller_jobs_total(e->app.poller);
    assert_int_equal(app_add_node(&e->app, ADDR_A), -1);
    assert_int_equal(f->act.state, R1_ACTST_REFUSED);
    assert_non_null(strstr(f->act.result, "watched already (as 'home')"));
    assert_int_equal(app_add_node(&e->app, ADDR_B " home"), -1);
    assert_non_null(strstr(f->act.result, "home is watched already"));
    assert_int_equal(app_add_node(&e->app, "gpu-7"), -1);
    assert_non_null(strstr(f->act.result, "not an address"));
    assert_int_equal(f->n_nodes, 1);
    assert_int_equal(poller_jobs_total(e->app.poller), jobs);
    f->demo = true;
    assert_int_equal(app_add_node(&e->app, ADDR_B), -1);
    assert_non_null(strstr(f->act.result, "demo"));
    f->demo = false;
}

static void save(struct app_env *e, bool confirmed)
{
    struct r1_intent in = {.kind = R1_INTENT_ACT,
                           .node_id = R1_NODE_ALL,
                           .action = R1_ACT_SAVE_NODES,
                           .confirmed = confirmed};
    app_apply_intent(&e->app, &in);
}

static void test_add_node_save_asks_respects_readonly_and_logs(void **state)
{
    struct app_env *e = *state;
    struct r1_fleet *f = &e->app.fleet;
    assert_int_equal(app_add_node(&e->app, ADDR_B " rack-2"), 0);
    save(e, false);
    assert_int_equal(f->act.state, R1_ACTST_REFUSED);
    assert_non_null(strstr(f->act.result, "not confirmed"));
    e->app.readonly = true;
    save(e, true);
    assert_int_equal(f->act.state, R1_ACTST_REFUSED);
    assert_non_null(strstr(f->act.result, "read-only"));
    char *text = read_text(e->cfg_path);
    assert_string_equal(text, app_yaml);
    free(text);
    e->app.readonly = false;
    save(e, true);
    assert_int_equal(f->act.state, R1_ACTST_OK);
    assert_false(f->nodes[1].unsaved);
    text = read_text(e->cfg_path);
    /* after the last node's line, before the blank line and the comment */
    assert_string_equal(text, "# mine\noracle:\n  enabled: false\nnodes:\n  - name: home\n"
                              "    address: " ADDR_A "\n"
                              "  - name: rack-2\n    address: " ADDR_B "\n"
                              "\n# the end\n");
    free(text);
    /* nothing left to write */
    save(e, true);
    assert_int_equal(f->act.state, R1_ACTST_FAILED);
    assert_non_null(strstr(f->act.result, "no node was added"));
    char *log = read_text(e->log_path);
    assert_non_null(strstr(log, "node=- action=save-nodes event=refused path=config file "
                                "result=save-nodes: not confirmed"));
    assert_non_null(strstr(log, "event=refused path=config file result=save-nodes: read-only"));
    assert_non_null(strstr(log, "event=start"));
    assert_non_null(strstr(log, "event=end path=config file result=save-nodes: added 1 node "
                                "(rack-2) to "));
    free(log);
}

/* A wallet's nodes join through the same path, once each, never as unsaved: w writes none. */
static void test_add_node_from_a_wallet_once_and_never_saved(void **state)
{
    struct app_env *e = *state;
    struct r1_fleet *f = &e->app.fleet;
    const char *wallet = "0x00000000000000000000000000000000000000a1";
    char home_eth[ETH_ADDR_BUF], err[R1_ERR_MAX];
    assert_int_equal(eth_node_addr_to_eth(ADDR_A, home_eth), 0);
    model_fleet_add_wallet(f, wallet);
    char (*listed)[R1_ADDR_MAX] = calloc(2, sizeof(*listed));
    snprintf(listed[0], R1_ADDR_MAX, "%s", home_eth);      /* "home", by its derived address */
    snprintf(listed[1], R1_ADDR_MAX, "0xc440cdd0bbddb5a271de07d3378e31cb8d9727a5");
    for (char *c = listed[0]; *c; c++) /* in lower case, as wallets.c decodes them */
        *c = (char)(*c >= 'A' && *c <= 'F' ? *c + 32 : *c);
    assert_int_equal(wallets_store(f, 0, listed, 2, 1000.0, err), 0);
    /* a second wallet lists the same node: it is added once, from the first wallet */
    model_fleet_add_wallet(f, "0x00000000000000000000000000000000000000a2");
    char (*again)[R1_ADDR_MAX] = calloc(1, sizeof(*again));
    snprintf(again[0], R1_ADDR_MAX, "%s", INFO_ETH);
    assert_int_equal(wallets_store(f, 1, again, 1, 1000.0, err), 0);
    int jobs = poller_jobs_total(e->app.poller);
    assert_int_equal(app_adopt_wallet_nodes(&e->app), 1);
    assert_int_equal(f->n_nodes, 2);
    assert_string_equal(f->nodes[1].name, "0xc440cd..27A5");
    assert_string_equal(f->nodes[1].eth_cfg, INFO_ETH);
    assert_string_equal(f->nodes[1].from_wallet, wallet);
    assert_false(f->nodes[1].unsaved);
    assert_string_equal(f->nodes[0].from_wallet, "");
    assert_int_equal(poller_jobs_total(e->app.poller), jobs + (int)node_scope_sources());
    assert_non_null(strstr(f->act.result, "1 node from the wallets' licences"));
    /* the next reply lists them again: nothing new */
    char (*same)[R1_ADDR_MAX] = calloc(1, sizeof(*same));
    snprintf(same[0], R1_ADDR_MAX, "%s", INFO_ETH);
    assert_int_equal(wallets_store(f, 1, same, 1, 2000.0, err), 0);
    assert_int_equal(app_adopt_wallet_nodes(&e->app), 0);
    assert_int_equal(f->n_nodes, 2);
    save(e, true);
    assert_int_equal(f->act.state, R1_ACTST_FAILED);
    assert_non_null(strstr(f->act.result, "no node was added"));
    char *text = read_text(e->cfg_path);
    assert_string_equal(text, app_yaml);
    free(text);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define A(f) cmocka_unit_test_setup_teardown(f, app_setup, app_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_add_node_gets_its_own_jobs_once),
        T(test_add_node_jobs_read_into_the_added_node),
        T(test_add_node_jobs_wait_for_their_own_dependency),
        T(test_add_node_to_an_empty_fleet_brings_the_fleet_job),
        A(test_add_node_from_typed_text_for_the_session),
        A(test_add_node_refusals_say_why_and_change_nothing),
        A(test_add_node_save_asks_respects_readonly_and_logs),
        A(test_add_node_from_a_wallet_once_and_never_saved),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
