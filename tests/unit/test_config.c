/* test_config: the settings table, the YAML loader's errors (file:line:col and what was
 * expected), defaults, the example file, and inputs that must not crash it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

#define EXAMPLE_PATH R1_TEST_DATA "/../../config/r1top.yaml.example"
#define FIXTURE(name) R1_TEST_DATA "/config/" name

/* Load buf (named "t.yaml") over fresh defaults; returns config_load_buffer's result. */
static int load(struct r1_config *cfg, const char *buf, char *err)
{
    config_defaults(cfg);
    err[0] = '\0';
    return config_load_buffer(cfg, buf, strlen(buf), "t.yaml", err);
}

/* buf must fail with exactly this message. */
static void expect_error(const char *buf, const char *want)
{
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    int rc = load(&cfg, buf, err);
    if (rc == 0 || strcmp(err, want) != 0)
        print_error("input:\n%s\nwant: %s\ngot:  %s (rc %d)\n", buf, want, err, rc);
    assert_int_equal(rc, -1);
    assert_string_equal(err, want);
    config_free(&cfg);
}

/* buf must fail with a message that starts with prefix (and then says something). */
static void expect_error_prefix(const char *buf, const char *prefix)
{
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    int rc = load(&cfg, buf, err);
    if (rc == 0 || strncmp(err, prefix, strlen(prefix)) != 0)
        print_error("input:\n%s\nwant prefix: %s\ngot: %s (rc %d)\n", buf, prefix, err, rc);
    assert_int_equal(rc, -1);
    assert_true(strncmp(err, prefix, strlen(prefix)) == 0);
    assert_true(strlen(err) > strlen(prefix) + 5);
    config_free(&cfg);
}

static void assert_is_default(const struct r1_config *cfg)
{
    assert_ptr_equal(cfg->net, network_get(R1_NET_MAINNET));
    assert_string_equal(cfg->oracle_url, "");
    assert_true(cfg->oracle_enabled);
    assert_int_equal(cfg->n_trusted_oracles, 0);
    assert_true(cfg->ui_delay_s == 2.0);
    assert_true(cfg->interval_s[SRC_NODE_INFO] == 10.0);
    assert_true(cfg->interval_s[SRC_NODE_HISTORY] == 300.0);
    assert_true(cfg->interval_s[SRC_STREAMS] == 30.0);
    assert_true(cfg->interval_s[SRC_ORACLE_EPOCH] == 120.0);
    assert_true(cfg->interval_s[SRC_ORACLE_LAST] == 120.0);   /* the oracle caches 120 s */
    assert_true(cfg->interval_s[SRC_ORACLE_RANGE] == 600.0);
    assert_true(cfg->interval_s[SRC_DOCKER] == 10.0);
    assert_true(cfg->interval_s[SRC_GPU] == 2.0);
    assert_int_equal(cfg->http_timeout_ms, 10000);
    assert_int_equal(cfg->max_body_bytes, 4096 * 1024);
}

/* No nodes by default: app.c then looks for the node on this host. */
static void assert_default_node_list(const struct r1_config *cfg)
{
    assert_int_equal(cfg->n_nodes, 0);
    assert_null(cfg->nodes);
}

/* ---- defaults and good files ----------------------------------------------------------- */

static void test_config_defaults_without_a_file(void **state)
{
    (void)state;
    struct r1_config cfg;
    config_defaults(&cfg);
    assert_is_default(&cfg);
    assert_default_node_list(&cfg);
    assert_string_equal(cfg.path, "");
    config_free(&cfg);
    assert_null(cfg.nodes);
    assert_int_equal(cfg.n_nodes, 0);
}

static void test_config_empty_or_comment_only_file_keeps_defaults(void **state)
{
    (void)state;
    static const char *const inputs[] = {"", "# nothing here\n\n   # still nothing\n", "---\n",
                                         "~\n", "---\n...\n", "oracle:\nrefresh:\n"};
    for (size_t i = 0; i < R1_ARRAY_LEN(inputs); i++) {
        struct r1_config cfg;
        char err[R1_ERR_MAX];
        int rc = load(&cfg, inputs[i], err);
        if (rc != 0)
            print_error("input %zu: %s\n", i, err);
        assert_int_equal(rc, 0);
        assert_is_default(&cfg);
        assert_default_node_list(&cfg);
        assert_string_equal(cfg.path, "t.yaml");
        config_free(&cfg);
    }
}

static void test_config_example_file_loads(void **state)
{
    (void)state;
    struct r1_config cfg;
    char err[R1_ERR_MAX] = "";
    config_defaults(&cfg);
    int rc = config_load(&cfg, EXAMPLE_PATH, err);
    if (rc != 0)
        print_error("%s\n", err);
    assert_int_equal(rc, 0);
    /* The example shows the defaults, so loading it changes nothing but the node list. */
    assert_is_default(&cfg);
    assert_int_equal(cfg.n_nodes, 1);
    assert_string_equal(cfg.nodes[0].name, "my-node");
    assert_string_equal(cfg.nodes[0].status_url,
                        "file:///var/cache/edge_node/_local_cache/_data/");
    assert_string_equal(cfg.nodes[0].docker_socket, "/var/run/docker.sock");
    assert_string_equal(cfg.nodes[0].container, "edge_node");
    assert_string_equal(cfg.path, EXAMPLE_PATH);
    config_free(&cfg);
}

/* The example file is the table's output; a field added to the table without regenerating
 * the example would leave the example undocumented. */
static void test_config_example_file_is_what_the_table_writes(void **state)
{
    (void)state;
    char *want = NULL;
    size_t want_len = 0;
    FILE *mem = open_memstream(&want, &want_len);
    assert_non_null(mem);
    config_write_example(mem);
    fclose(mem);

    char *have = NULL;
    size_t have_len = 0;
    char err[R1_ERR_MAX];
    assert_int_equal(r1_read_file(EXAMPLE_PATH, 1 << 20, &have, &have_len, NULL, err), 0);
    if (have_len != want_len || memcmp(have, want, want_len) != 0) {
        const char *tmp = "/tmp/r1top.yaml.example.expected";
        FILE *f = fopen(tmp, "w");
        if (f) {
            fwrite(want, 1, want_len, f);
            fclose(f);
        }
        print_error("config/r1top.yaml.example is out of date; the table writes %s "
                    "(cp it over the example)\n", tmp);
    }
    assert_int_equal(have_len, want_len);
    assert_memory_equal(have, want, want_len);
    free(have);
    free(want);
}

static void test_config_example_lines_fit_80_columns(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    config_write_example(mem);
    fclose(mem);
    size_t col = 0;
    for (size_t i = 0; i < len; i++) {
        col = text[i] == '\n' ? 0 : col + 1;
        assert_true(col <= 80);
    }
    free(text);
}

static void test_config_every_field_lands_where_it_should(void **state)
{
    (void)state;
    struct r1_config cfg;
    char err[R1_ERR_MAX] = "";
    config_defaults(&cfg);
    int rc = config_load(&cfg, FIXTURE("full.yaml"), err);
    if (rc != 0)
        print_error("%s\n", err);
    assert_int_equal(rc, 0);

    assert_ptr_equal(cfg.net, network_get(R1_NET_TESTNET));
    assert_string_equal(cfg.oracle_url, "http://127.0.0.1:8787"); /* trailing '/' dropped */
    assert_false(cfg.oracle_enabled);
    assert_int_equal(cfg.n_trusted_oracles, 2);
    assert_string_equal(cfg.trusted_oracles[0], "0xai_AhIQz47-2dpbncDTODXcP7_cByr0_CI9VEB1dCXnbbG7");
    /* The legacy aixp_ prefix is read as 0xai_. */
    assert_string_equal(cfg.trusted_oracles[1], "0xai_AgnygSlY8BwnmaCj6mItg36JHlG_Lh3UqqFaTPbuNzy0");
    assert_true(cfg.ui_delay_s == 0.5);
    assert_true(cfg.interval_s[SRC_NODE_INFO] == 11.0);
    assert_true(cfg.interval_s[SRC_NODE_HISTORY] == 301.0);
    assert_true(cfg.interval_s[SRC_STREAMS] == 31.0);
    assert_true(cfg.interval_s[SRC_ORACLE_EPOCH] == 61.0);
    assert_true(cfg.interval_s[SRC_ORACLE_LAST] == 62.0);
    assert_true(cfg.interval_s[SRC_ORACLE_RANGE] == 601.0);
    assert_true(cfg.interval_s[SRC_DOCKER] == 12.0);
    assert_true(cfg.interval_s[SRC_GPU] == 3.0);
    assert_int_equal(cfg.http_timeout_ms, 2500);
    assert_int_equal(cfg.max_body_bytes, 128 * 1024);

    assert_int_equal(cfg.n_nodes, 2);
    const struct r1_node_cfg *a = &cfg.nodes[0], *b = &cfg.nodes[1];
    assert_string_equal(a->name, "alpha");
    assert_string_equal(a->address, "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty");
    assert_string_equal(a->eth_address, "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69");
    assert_string_equal(a->status_url, "file:///srv/alpha/_data/");
    assert_string_equal(a->docker_socket, "/run/user/1000/docker.sock");
    assert_string_equal(a->container, "edge_node_2");
    assert_string_equal(b->name, "beta");
    assert_string_equal(b->address, "0xai_A2pPf0lxZSZkGONzLOmhzndncc1VvDBHfF-YLWlsrG9m");
    assert_string_equal(b->eth_address, "");
    assert_string_equal(b->status_url,
                        "sftp://ops@beta.example.net/var/cache/edge_node/_local_cache/_data/");
    /* No docker block: no Docker source for a node on another host. */
    assert_string_equal(b->docker_socket, "");
    assert_string_equal(b->container, "");
    assert_string_equal(cfg.path, FIXTURE("full.yaml"));
    config_free(&cfg);
}

static void test_config_keys_left_out_keep_their_defaults(void **state)
{
    (void)state;
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    assert_int_equal(load(&cfg, "refresh:\n  gpu: 5\n", err), 0);
    assert_true(cfg.interval_s[SRC_GPU] == 5.0);
    assert_true(cfg.interval_s[SRC_DOCKER] == 10.0);
    assert_true(cfg.ui_delay_s == 2.0);
    assert_default_node_list(&cfg);
    config_free(&cfg);
}

static void test_config_plain_path_becomes_file_url_with_trailing_slash(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"/var/cache/edge_node/_local_cache/_data", "file:///var/cache/edge_node/_local_cache/_data/"},
        {"/srv/n1/_data/", "file:///srv/n1/_data/"},
        {"file:///srv/n1/_data", "file:///srv/n1/_data/"},
        {"file://localhost/srv/n1/_data", "file:///srv/n1/_data/"},
        {"sftp://me@host/srv/_data", "sftp://me@host/srv/_data/"},
        {"sftp://me@host:2222/srv/_data/", "sftp://me@host:2222/srv/_data/"},
    };
    for (size_t i = 0; i < R1_ARRAY_LEN(cases); i++) {
        char buf[256];
        snprintf(buf, sizeof(buf), "nodes:\n  - name: n\n    status: %s\n", cases[i].in);
        struct r1_config cfg;
        char err[R1_ERR_MAX];
        int rc = load(&cfg, buf, err);
        if (rc != 0)
            print_error("%s: %s\n", cases[i].in, err);
        assert_int_equal(rc, 0);
        assert_string_equal(cfg.nodes[0].status_url, cases[i].out);
        config_free(&cfg);
    }
}

static void test_config_docker_block_brings_default_socket_and_container(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "nodes:\n  - name: n\n    docker: {}\n",
        "nodes:\n  - name: n\n    docker:\n",
    };
    for (size_t i = 0; i < R1_ARRAY_LEN(inputs); i++) {
        struct r1_config cfg;
        char err[R1_ERR_MAX];
        assert_int_equal(load(&cfg, inputs[i], err), 0);
        assert_string_equal(cfg.nodes[0].docker_socket, "/var/run/docker.sock");
        assert_string_equal(cfg.nodes[0].container, "edge_node");
        assert_string_equal(cfg.nodes[0].status_url, "");
        config_free(&cfg);
    }
}

/* A second file (a reload) replaces the node list; a bad one changes nothing. */
static void test_config_reload_replaces_nodes_and_a_bad_one_changes_nothing(void **state)
{
    (void)state;
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    config_defaults(&cfg);
    assert_int_equal(config_load(&cfg, FIXTURE("full.yaml"), err), 0);
    assert_int_equal(cfg.n_nodes, 2);
    assert_int_equal(config_load_buffer(&cfg, "nodes:\n  - name: x\n    status: rel\n", 35,
                                        "bad.yaml", err), -1);
    assert_int_equal(cfg.n_nodes, 2);
    assert_string_equal(cfg.nodes[1].name, "beta");
    assert_string_equal(cfg.path, FIXTURE("full.yaml"));
    /* Keys the new file leaves out keep the values loaded before; the list is replaced. */
    const char *next = "nodes:\n  - name: gamma\n    address: "
                       "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty\n";
    assert_int_equal(config_load_buffer(&cfg, next, strlen(next), "next.yaml", err), 0);
    assert_int_equal(cfg.n_nodes, 1);
    assert_string_equal(cfg.nodes[0].name, "gamma");
    assert_ptr_equal(cfg.net, network_get(R1_NET_TESTNET));
    assert_int_equal(config_load_buffer(&cfg, "nodes: []\n", 10, "empty.yaml", err), 0);
    assert_int_equal(cfg.n_nodes, 0);
    assert_null(cfg.nodes);
    config_free(&cfg);
}

static void test_config_booleans_and_quoted_values(void **state)
{
    (void)state;
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    assert_int_equal(load(&cfg, "oracle: {enabled: no}\nnetwork: \"devnet\"\n", err), 0);
    assert_false(cfg.oracle_enabled);
    assert_ptr_equal(cfg.net, network_get(R1_NET_DEVNET));
    config_free(&cfg);
    assert_int_equal(load(&cfg, "oracle:\n  enabled: False\n  url: https://o.example/\n", err), 0);
    assert_false(cfg.oracle_enabled);
    assert_string_equal(cfg.oracle_url, "https://o.example");
    config_free(&cfg);
}

static void test_config_many_nodes_up_to_the_limit(void **state)
{
    (void)state;
    size_t cap = 64 * (R1_CONFIG_MAX_NODES + 1);
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t n = (size_t)snprintf(buf, cap, "nodes:\n");
    for (int i = 0; i < R1_CONFIG_MAX_NODES; i++)
        n += (size_t)snprintf(buf + n, cap - n, "  - {name: n%d, status: /srv/n%d}\n", i, i);
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    assert_int_equal(load(&cfg, buf, err), 0);
    assert_int_equal(cfg.n_nodes, R1_CONFIG_MAX_NODES);
    assert_string_equal(cfg.nodes[1023].name, "n1023");
    assert_string_equal(cfg.nodes[1023].status_url, "file:///srv/n1023/");
    config_free(&cfg);

    snprintf(buf + n, cap - n, "  - {name: one-too-many, status: /srv/x}\n");
    char want[R1_ERR_MAX];
    snprintf(want, sizeof(want),
             "t.yaml:%d:5: nodes: too many nodes; expected at most %d", R1_CONFIG_MAX_NODES + 2,
             R1_CONFIG_MAX_NODES);
    expect_error(buf, want);
    free(buf);
}

/* ---- errors: each class, with its line:column ------------------------------------------ */

static void test_config_syntax_error_gives_line_and_column(void **state)
{
    (void)state;
    expect_error("network: mainnet\nrefresh:\n  ui: 2\n gpu: 3\n",
                 "t.yaml:4:2: YAML syntax error: did not find expected key (while parsing a block "
                 "mapping); expected valid YAML (spaces for indentation, 'key: value')");
    expect_error_prefix("refresh:\n  ui: \"2\n", "t.yaml:3:1: YAML syntax error: found "
                                                  "unexpected end of stream");
    expect_error_prefix("nodes: [{name: a, status: /x}\n", "t.yaml:2:1: YAML syntax error: ");
    /* A tab for indentation is the classic YAML mistake. */
    expect_error_prefix("refresh:\n\tui: 2\n", "t.yaml:2:1: YAML syntax error: ");
}

static void test_config_unknown_key_suggests_nearest(void **state)
{
    (void)state;
    expect_error("network: mainnet\nrefesh:\n  ui: 2\n",
                 "t.yaml:2:1: unknown key 'refesh'; did you mean 'refresh'?");
    expect_error("refresh:\n  ui: 2\n  nodeinfo: 5\n",
                 "t.yaml:3:3: refresh: unknown key 'nodeinfo'; did you mean 'node_info'?");
    expect_error("http:\n  timout: 5\n", "t.yaml:2:3: http: unknown key 'timout'; did you mean "
                                          "'timeout'?");
}

static void test_config_unknown_key_far_from_any_lists_the_valid_ones(void **state)
{
    (void)state;
    expect_error("colour: red\n", "t.yaml:1:1: unknown key 'colour'; expected one of: network, "
                                  "oracle, refresh, chain, http, remote, ssh, wallets, nodes");
    expect_error("oracle:\n  verify_signatures: true\n",
                 "t.yaml:2:3: oracle: unknown key 'verify_signatures'; expected one of: url, "
                 "enabled, batch, trusted");
    /* A dotted path is not a key. */
    expect_error_prefix("oracle.url: http://x\n", "t.yaml:1:1: unknown key 'oracle.url'; ");
}

static void test_config_unknown_key_in_a_node_file_has_exact_position(void **state)
{
    (void)state;
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    config_defaults(&cfg);
    assert_int_equal(config_load(&cfg, FIXTURE("typo_in_node.yaml"), err), -1);
    assert_string_equal(err, FIXTURE("typo_in_node.yaml") ":3:5: nodes[0]: unknown key 'adress'; "
                                                          "did you mean 'address'?");
    assert_default_node_list(&cfg);
    config_free(&cfg);
}

static void test_config_wrong_type_says_what_was_expected(void **state)
{
    (void)state;
    expect_error("refresh: 5\n", "t.yaml:1:10: refresh: got a single value; expected a mapping of "
                                 "keys (key: value) under 'refresh'");
    expect_error("refresh:\n  ui: [1, 2]\n",
                 "t.yaml:2:7: refresh.ui: got a list; expected seconds from 0.1 to 3600");
    expect_error("nodes:\n  name: a\n", "t.yaml:2:3: nodes: got a mapping; expected a list of "
                                        "nodes, each starting '- name: ...'");
    expect_error("oracle:\n  trusted: 0xai_x\n", "t.yaml:2:12: oracle.trusted: got a single "
                                                 "value; expected a list of at most 32 addresses, "
                                                 "each 0xai_ followed by 44 base64url characters");
    expect_error("- network\n", "t.yaml:1:1: the file holds a list; expected a mapping of "
                                "settings such as 'network: mainnet'");
    expect_error("[a]: 1\n", "t.yaml:1:1: got a list as a key; expected a key name");
}

static void test_config_numbers_must_be_numbers_in_range(void **state)
{
    (void)state;
    expect_error("refresh:\n  node_info: fast\n",
                 "t.yaml:2:14: refresh.node_info: 'fast' is not a number; expected seconds from "
                 "1 to 86400");
    expect_error("refresh:\n  node_info: 0.5\n",
                 "t.yaml:2:14: refresh.node_info: '0.5' is out of range; expected seconds from "
                 "1 to 86400");
    expect_error("refresh:\n  ui: -1\n",
                 "t.yaml:2:7: refresh.ui: '-1' is out of range; expected seconds from 0.1 to 3600");
    expect_error("http:\n  timeout: 1e3\n",
                 "t.yaml:2:12: http.timeout: '1e3' is not a number; expected seconds from 1 to 300");
    expect_error("http:\n  max_body_kib: 1.5\n",
                 "t.yaml:2:17: http.max_body_kib: '1.5' is not a whole number; expected a whole "
                 "number of KiB from 1 to 1048576");
    expect_error("http:\n  timeout:\n", "t.yaml:2:11: http.timeout: no value; expected seconds "
                                        "from 1 to 300");
    expect_error_prefix("refresh:\n  gpu: nan\n", "t.yaml:2:8: refresh.gpu: 'nan' is not a number");
    expect_error_prefix("refresh:\n  gpu: .inf\n", "t.yaml:2:8: refresh.gpu: '.inf' is not a");
}

static void test_config_bad_network_name(void **state)
{
    (void)state;
    expect_error("network: mainet\n", "t.yaml:1:10: network: 'mainet' is not a Ratio1 network; "
                                      "expected mainnet, testnet or devnet");
    expect_error("oracle:\n  enabled: maybe\n", "t.yaml:2:12: oracle.enabled: 'maybe' is not a "
                                                "boolean; expected true or false");
}

static void test_config_bad_addresses(void **state)
{
    (void)state;
    /* 43 base64 characters: one short. */
    expect_error("nodes:\n  - name: a\n    address: 0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmt\n",
                 "t.yaml:3:14: nodes[0].address: '0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmt' is "
                 "not a node address; expected 0xai_ followed by 44 base64url characters");
    /* '+' is standard base64, not base64url. */
    expect_error_prefix("nodes:\n  - name: a\n    address: "
                        "0xai_AjcIThkOqrPlp35+S8czHUOV-y4mnhksnLs8NGjTbmty\n",
                        "t.yaml:3:14: nodes[0].address: ");
    expect_error("nodes:\n  - name: a\n    eth_address: 0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e6g\n",
                 "t.yaml:3:18: nodes[0].eth_address: '0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e6g' "
                 "is not an ETH address; expected 0x followed by 40 hex digits");
    expect_error_prefix("oracle:\n  trusted:\n    - 0xai_Aj1F\n",
                        "t.yaml:3:7: oracle.trusted[0]: '0xai_Aj1F' is not a node address; "
                        "expected 0xai_");
    expect_error_prefix("oracle:\n  trusted:\n    - [0xai_Aj1F]\n",
                        "t.yaml:3:7: oracle.trusted[0]: got a list; ");
}

static void test_config_too_many_trusted_oracles(void **state)
{
    (void)state;
    char buf[4096];
    size_t n = (size_t)snprintf(buf, sizeof(buf), "oracle:\n  trusted:\n");
    for (int i = 0; i <= R1_CONFIG_MAX_ORACLES; i++)
        n += (size_t)snprintf(buf + n, sizeof(buf) - n,
                              "    - 0xai_Aj1FpPQHISEBelp-tQ8cegwk434Dcl6xaHmuhZQT74if\n");
    expect_error(buf, "t.yaml:35:7: oracle.trusted: too many addresses; expected at most 32");
}

static void test_config_wallets_are_eth_addresses_once_each(void **state)
{
    (void)state;
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    assert_int_equal(load(&cfg, "wallets:\n  - 0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69\n"
                                "  - \"0x00000000000000000000000000000000000000a1\"\n", err), 0);
    assert_int_equal(cfg.n_wallets, 2);
    assert_string_equal(cfg.wallets[0], "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69");
    assert_string_equal(cfg.wallets[1], "0x00000000000000000000000000000000000000a1");
    assert_int_equal(cfg.n_nodes, 0); /* wallets alone: no node listed */
    config_free(&cfg);
    assert_int_equal(load(&cfg, "wallets: []\n", err), 0);
    assert_int_equal(cfg.n_wallets, 0);
    config_free(&cfg);
    expect_error("wallets:\n  - 0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69\n  - 0x12\n",
                 "t.yaml:3:5: wallets[1]: '0x12' is not an ETH address; expected 0x followed by "
                 "40 hex digits");
    expect_error("wallets:\n  - 0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty\n",
                 "t.yaml:2:5: wallets[0]: '0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty' is "
                 "not an ETH address; expected 0x followed by 40 hex digits");
    expect_error("wallets: 0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69\n",
                 "t.yaml:1:10: wallets: got a single value; expected a list of at most 32 addresses, "
                 "each 0x followed by 40 hex digits");
    expect_error("wallets:\n  - 0x13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e69\n"
                 "  - 0x13DC6EE23D45D1E4BF0BDBDF58BFDF24BB077E69\n",
                 "t.yaml:3:5: wallets[1]: 0x13DC6EE23D45D1E4BF0BDBDF58BFDF24BB077E69 is already "
                 "wallets[0]; expected each address once");
    char buf[4096];
    size_t n = (size_t)snprintf(buf, sizeof(buf), "wallets:\n");
    for (int i = 0; i <= R1_CONFIG_MAX_WALLETS; i++)
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "  - 0x%040x\n", i + 1);
    expect_error(buf, "t.yaml:34:5: wallets: too many addresses; expected at most 32");
}

static void test_config_bad_status_urls(void **state)
{
    (void)state;
    expect_error("nodes:\n  - name: a\n    status: https://node/_data/\n",
                 "t.yaml:3:13: nodes[0].status: 'https://node/_data/': status files are read over "
                 "file://, ssh:// or sftp:// only; expected an absolute path, file:///path or "
                 "ssh://[user@]host/path");
    expect_error_prefix("nodes:\n  - name: a\n    status: edge_node/_data\n",
                        "t.yaml:3:13: nodes[0].status: 'edge_node/_data' is not an absolute path; ");
    expect_error_prefix("nodes:\n  - name: a\n    status: file://otherhost/x\n",
                        "t.yaml:3:13: nodes[0].status: 'file://otherhost/x' names a host");
    expect_error_prefix("nodes:\n  - name: a\n    status: sftp:///x\n",
                        "t.yaml:3:13: nodes[0].status: 'sftp:///x' has no host or no path");
    expect_error_prefix("nodes:\n  - name: a\n    status: sftp://host\n",
                        "t.yaml:3:13: nodes[0].status: 'sftp://host' has no host or no path");
}

/* Issue 7: a node host through the operator's own ssh. The host may be a ~/.ssh/config alias;
 * what ssh would read as an option is refused at load time, before any ssh runs. */
static void test_config_ssh_status_urls_and_ssh_keys(void **state)
{
    (void)state;
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    assert_int_equal(load(&cfg,
                          "ssh:\n  config: /home/me/.ssh/r1top\n  known_hosts: /home/me/kh\n"
                          "nodes:\n  - name: a\n    status: SSH://ops@gpu-box:2222/srv/_data\n"
                          "  - name: b\n    status: ssh://gpu-alias/srv/_data/\n",
                          err),
                     0);
    assert_string_equal(cfg.nodes[0].status_url, "ssh://ops@gpu-box:2222/srv/_data/");
    assert_string_equal(cfg.nodes[1].status_url, "ssh://gpu-alias/srv/_data/");
    assert_string_equal(cfg.ssh_config, "/home/me/.ssh/r1top");
    assert_string_equal(cfg.ssh_known_hosts, "/home/me/kh");
    config_free(&cfg);
    config_defaults(&cfg);
    assert_string_equal(cfg.ssh_config, "");      /* ssh's own ~/.ssh/config */
    assert_string_equal(cfg.ssh_known_hosts, ""); /* the ssh configuration's */
    config_free(&cfg);
    expect_error_prefix("nodes:\n  - name: a\n    status: ssh://-oProxyCommand=x/p/\n",
                        "t.yaml:3:13: nodes[0].status: 'ssh://-oProxyCommand=x/p/': "
                        "'-oProxyCommand=x' is not a host name or alias");
    expect_error_prefix("nodes:\n  - name: a\n    status: ssh://h:70000/p/\n",
                        "t.yaml:3:13: nodes[0].status: 'ssh://h:70000/p/': the port of 'h' is "
                        "not 1 to 65535");
    expect_error_prefix("nodes:\n  - name: a\n    status: ssh://h?nvidia-smi\n",
                        "t.yaml:3:13: nodes[0].status: 'ssh://h?nvidia-smi': no path after the "
                        "host");
    expect_error_prefix("ssh:\n  known_hosts: ~/.ssh/known_hosts\n",
                        "t.yaml:2:16: ssh.known_hosts: '~/.ssh/known_hosts' is not a usable file "
                        "path; expected an absolute path to a file");
}

static void test_config_bad_oracle_url_and_docker_settings(void **state)
{
    (void)state;
    expect_error("oracle:\n  url: ftp://oracle\n", "t.yaml:2:8: oracle.url: 'ftp://oracle' is not "
                                                   "an http(s) URL; expected an http:// or "
                                                   "https:// URL");
    expect_error_prefix("oracle:\n  url: https:///x\n", "t.yaml:2:8: oracle.url: 'https:///x' has "
                                                         "no host");
    expect_error_prefix("nodes:\n  - name: a\n    docker:\n      socket: docker.sock\n",
                        "t.yaml:4:15: nodes[0].docker.socket: 'docker.sock' is not a usable "
                        "socket path; ");
    /* The container name goes into an API path; nothing may escape it. */
    expect_error("nodes:\n  - name: a\n    docker:\n      container: ../../images\n",
                 "t.yaml:4:18: nodes[0].docker.container: '../../images' is not a container "
                 "name; expected a Docker container name (letters, digits, '_', '.', '-')");
}

/* D7: a password in oracle.url or a status URL was printed everywhere the URL is shown. The
 * config refuses it, says where the password belongs, and never quotes it back. */
static void test_D7_config_refuses_password_in_urls(void **state)
{
    (void)state;
    expect_error("oracle:\n  url: https://bob:hunter2@oracle.example/\n",
                 "t.yaml:2:8: oracle.url: 'https://bob:***@oracle.example/' holds a password, "
                 "which r1top would show with the URL; remove it and use ~/.netrc instead; "
                 "expected an http:// or https:// URL");
    expect_error("nodes:\n  - name: a\n    status: sftp://ops:hunter2@n1.example/srv/_data/\n",
                 "t.yaml:3:13: nodes[0].status: 'sftp://ops:***@n1.example/srv/_data/' holds a "
                 "password, which r1top would show with the URL; remove it and use SSH keys "
                 "(ssh-agent) instead; expected an absolute path, file:///path or "
                 "ssh://[user@]host/path");
    /* an empty password is still the form of one */
    expect_error_prefix("oracle:\n  url: http://bob:@127.0.0.1:8787\n",
                        "t.yaml:2:8: oracle.url: 'http://bob:***@127.0.0.1:8787' holds a password");
    /* a user name alone is no secret, and '@' or ':' after the host are not userinfo */
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    assert_int_equal(load(&cfg, "oracle:\n  url: https://o.example/x?a=b:c@d\nnodes:\n"
                                "  - name: a\n    status: sftp://ops@n1.example:2222/srv/_data\n",
                          err), 0);
    assert_string_equal(cfg.oracle_url, "https://o.example/x?a=b:c@d");
    assert_string_equal(cfg.nodes[0].status_url, "sftp://ops@n1.example:2222/srv/_data/");
    config_free(&cfg);
}

/* D23: C1 and bidi-override characters in oracle.url reached the JSON raw. Every URL setting
 * refuses controls (C0, C1), format and invisible characters and spaces, naming the character. */
static void test_D23_config_refuses_controls_bidi_and_spaces_in_urls(void **state)
{
    (void)state;
    expect_error("oracle:\n  url: \"https://o.example/\\x85x\"\n",
                 "t.yaml:2:8: oracle.url: 'https://o.example/??x' contains the control or "
                 "invisible character U+0085; expected an http:// or https:// URL");
    expect_error_prefix("oracle:\n  url: \"https://o.example/\\u202Ex\"\n",
                        "t.yaml:2:8: oracle.url: 'https://o.example/???x' contains the control or "
                        "invisible character U+202E");
    expect_error_prefix("oracle:\n  url: \"https://o\\u200B.example\"\n",
                        "t.yaml:2:8: oracle.url: 'https://o???.example' contains the control or "
                        "invisible character U+200B");
    expect_error_prefix("oracle:\n  url: \"https://o.example/a b\"\n",
                        "t.yaml:2:8: oracle.url: 'https://o.example/a b' contains a space (U+0020); "
                        "write a space as %20");
    expect_error_prefix("oracle:\n  url: \"https://o.example/a\\u00A0b\"\n",
                        "t.yaml:2:8: oracle.url: 'https://o.example/a??b' contains a space "
                        "(U+00A0)");
    expect_error_prefix("oracle:\n  url: \"https://o.example/\\tb\"\n",
                        "t.yaml:2:8: oracle.url: 'https://o.example/?b' contains the control or "
                        "invisible character U+0009");
    /* status URLs and plain paths the same way */
    expect_error_prefix("nodes:\n  - name: a\n    status: \"sftp://h/srv/\\u2066x\"\n",
                        "t.yaml:3:13: nodes[0].status: 'sftp://h/srv/???x' contains the control "
                        "or invisible character U+2066");
    expect_error_prefix("nodes:\n  - name: a\n    status: \"/srv/\\u009Bx\"\n",
                        "t.yaml:3:13: nodes[0].status: '/srv/??x' contains the control or "
                        "invisible character U+009B");
    expect_error_prefix("nodes:\n  - name: a\n    status: \"/srv/my node/_data\"\n",
                        "t.yaml:3:13: nodes[0].status: '/srv/my node/_data' contains a space");
    /* a name shown on screen: no bidi override either */
    expect_error_prefix("nodes:\n  - name: \"a\\u202Eb\"\n    status: /x\n",
                        "t.yaml:2:11: nodes[0].name: ");
    /* non-ASCII letters in a path are fine */
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    assert_int_equal(load(&cfg, "nodes:\n  - name: n\xc3\xa9\n    status: /srv/Jos\xc3\xa9/\n", err),
                     0);
    assert_string_equal(cfg.nodes[0].status_url, "file:///srv/Jos\xc3\xa9/");
    config_free(&cfg);
}

/* D24: the config holds the trust anchors (oracle.trusted) but its permissions were never
 * looked at. A file or folder others can write loads, with a warning that says what to do. */
static void test_D24_config_writable_by_others_warns(void **state)
{
    (void)state;
    char dir[] = "/tmp/r1top-cfg-perm-XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chmod(dir, 0700), 0);
    char path[128];
    snprintf(path, sizeof(path), "%s/config.yaml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("network: mainnet\n", f);
    fclose(f);
    struct r1_config cfg;
    char err[R1_ERR_MAX], want[400];

    assert_int_equal(chmod(path, 0600), 0);
    config_defaults(&cfg);
    assert_int_equal(config_load(&cfg, path, err), 0);
    assert_string_equal(cfg.warning, "");

    assert_int_equal(chmod(path, 0664), 0);
    config_defaults(&cfg);
    assert_int_equal(config_load(&cfg, path, err), 0);
    snprintf(want, sizeof(want), "%s is writable by other users (mode 0664) and names the oracle "
             "signers r1top trusts; run 'chmod go-w %s'", path, path);
    assert_string_equal(cfg.warning, want);

    assert_int_equal(chmod(path, 0602), 0);
    config_defaults(&cfg);
    assert_int_equal(config_load(&cfg, path, err), 0);
    assert_non_null(strstr(cfg.warning, "(mode 0602)"));

    /* the file is private but its folder is not: others can swap it */
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(chmod(dir, 0777), 0);
    config_defaults(&cfg);
    assert_int_equal(config_load(&cfg, path, err), 0);
    snprintf(want, sizeof(want), "%s: other users can replace it, as they can write to its folder "
             "(mode 0777); run 'chmod go-w %s'", path, dir);
    assert_string_equal(cfg.warning, want);
    /* a sticky folder (like /tmp) does not let them */
    assert_int_equal(chmod(dir, 01777), 0);
    config_defaults(&cfg);
    assert_int_equal(config_load(&cfg, path, err), 0);
    assert_string_equal(cfg.warning, "");

    unlink(path);
    rmdir(dir);
}

static void test_config_node_needs_a_name_and_something_to_watch(void **state)
{
    (void)state;
    expect_error("nodes:\n  - status: /srv/_data\n",
                 "t.yaml:2:5: nodes[0]: the node has no name; expected 'name: <unique name>'");
    expect_error("nodes:\n  - name: idle\n",
                 "t.yaml:2:5: nodes[0]: node 'idle' has nothing to watch; expected at least one "
                 "of status, address, eth_address, docker");
    expect_error_prefix("nodes:\n  - name: \"\"\n    status: /x\n",
                        "t.yaml:2:11: nodes[0].name: '' is not a usable name; ");
    expect_error_prefix("nodes:\n  - name: \"a\\tb\"\n    status: /x\n",
                        "t.yaml:2:11: nodes[0].name: 'a?b' is not a usable name; ");
    expect_error_prefix("nodes:\n  - just-a-string\n", "t.yaml:2:5: nodes[0]: got a single value");
}

static void test_config_duplicate_node_names_rejected(void **state)
{
    (void)state;
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    config_defaults(&cfg);
    assert_int_equal(config_load(&cfg, FIXTURE("duplicate_node_names.yaml"), err), -1);
    assert_string_equal(err, FIXTURE("duplicate_node_names.yaml") ":6:5: nodes[2]: the name "
                                                                  "'alpha' is already used by "
                                                                  "nodes[0]; expected a unique "
                                                                  "name");
    assert_default_node_list(&cfg);
    config_free(&cfg);
}

static void test_config_duplicate_key_rejected(void **state)
{
    (void)state;
    expect_error("refresh:\n  ui: 1\n  ui: 2\n",
                 "t.yaml:3:3: refresh: duplicate key 'ui'; expected each key once");
    expect_error("network: mainnet\nnetwork: testnet\n",
                 "t.yaml:2:1: duplicate key 'network'; expected each key once");
}

static void test_config_aliases_rejected_with_a_message(void **state)
{
    (void)state;
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    config_defaults(&cfg);
    assert_int_equal(config_load(&cfg, FIXTURE("alias.yaml"), err), -1);
    assert_string_equal(err, FIXTURE("alias.yaml") ":3:7: alias *'fast' is not supported; "
                                                   "expected the value written out");
    config_free(&cfg);
    /* Merge keys ride on aliases; they are unknown keys here. */
    expect_error_prefix("refresh:\n  <<: {ui: 1}\n", "t.yaml:2:3: refresh: unknown key '<<'");
}

static void test_config_second_document_rejected(void **state)
{
    (void)state;
    expect_error("network: mainnet\n---\nnetwork: testnet\n",
                 "t.yaml:2:1: a second YAML document; expected one document");
}

static void test_config_error_leaves_cfg_at_defaults(void **state)
{
    (void)state;
    /* Everything before the mistake is valid, and none of it may stick. */
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    int rc = load(&cfg, "network: devnet\noracle:\n  enabled: false\n  url: http://x\n"
                        "refresh:\n  ui: 9\nnodes:\n  - name: a\n    status: /a\n"
                        "  - name: b\n    status: relative\n", err);
    assert_int_equal(rc, -1);
    assert_true(strncmp(err, "t.yaml:11:13: ", 14) == 0);
    assert_is_default(&cfg);
    assert_default_node_list(&cfg);
    assert_string_equal(cfg.path, "");
    config_free(&cfg);
}

static void test_config_missing_file_is_an_error_naming_it(void **state)
{
    (void)state;
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    config_defaults(&cfg);
    assert_int_equal(config_load(&cfg, "/nonexistent/r1top.yaml", err), -1);
    assert_non_null(strstr(err, "/nonexistent/r1top.yaml"));
    assert_is_default(&cfg);
    config_free(&cfg);
}

/* ---- hostile input --------------------------------------------------------------------- */

static void test_config_rejects_nul_inside_a_value(void **state)
{
    (void)state;
    expect_error_prefix("nodes:\n  - name: \"a\\0b\"\n    status: /x\n",
                        "t.yaml:2:11: nodes[0].name: the value contains a NUL byte; ");
}

static void test_config_binary_garbage_does_not_crash(void **state)
{
    (void)state;
    /* Mostly YAML punctuation, so the parser gets past the first byte often. */
    static const char alphabet[] = ":-[]{}&*!|>?#,'\" \n\t\r%@`~abnr0x1_./\\\x80\xff\xc3\x00";
    uint32_t seed = 12345;
    char buf[2048];
    for (int round = 0; round < 3000; round++) {
        size_t len = 0, want = (size_t)(round % 700);
        for (; len < want; len++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = seed >> 16;
            buf[len] = (r & 3) == 0 ? (char)(r >> 2) : alphabet[(r >> 2) % (sizeof(alphabet) - 1)];
        }
        struct r1_config cfg;
        char err[R1_ERR_MAX] = "";
        config_defaults(&cfg);
        int rc = config_load_buffer(&cfg, buf, len, "g.yaml", err);
        assert_true(rc == 0 || rc == -1);
        if (rc < 0) {
            assert_true(strncmp(err, "g.yaml:", 7) == 0);
            assert_is_default(&cfg);
        }
        config_free(&cfg);
    }
}

static void test_config_invalid_utf8_gives_line_and_column(void **state)
{
    (void)state;
    expect_error_prefix("network: mainnet\nnodes:\n  - name: \xff\xfe\n",
                        "t.yaml:3:11: YAML syntax error: ");
    const char nul_inside[] = "network: main\0net\n";
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    config_defaults(&cfg);
    assert_int_equal(config_load_buffer(&cfg, nul_inside, sizeof(nul_inside) - 1, "t.yaml", err),
                     -1);
    assert_true(strncmp(err, "t.yaml:1:14: YAML syntax error: ", 32) == 0);
    config_free(&cfg);
}

static void test_config_huge_input_is_refused(void **state)
{
    (void)state;
    size_t len = R1_CONFIG_MAX_BYTES + 1;
    char *buf = malloc(len);
    assert_non_null(buf);
    memset(buf, '#', len);
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    config_defaults(&cfg);
    assert_int_equal(config_load_buffer(&cfg, buf, len, "big.yaml", err), -1);
    assert_string_equal(err, "big.yaml: the file is larger than 1024 KiB; expected a config file");
    /* Just under the cap: a comment is fine. */
    buf[len - 2] = '\n';
    assert_int_equal(config_load_buffer(&cfg, buf, len - 1, "big.yaml", err), 0);
    assert_is_default(&cfg);
    config_free(&cfg);
    free(buf);
}

static void test_config_deep_nesting_is_refused_quickly(void **state)
{
    (void)state;
    size_t len = R1_CONFIG_MAX_BYTES - 16;
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    static const char *const heads[] = {"", "nodes: ", "refresh: ", "oracle:\n  trusted: "};
    static const char opens[] = {'[', '{'};
    for (size_t h = 0; h < R1_ARRAY_LEN(heads); h++) {
        for (size_t o = 0; o < sizeof(opens); o++) {
            size_t hl = strlen(heads[h]);
            memcpy(buf, heads[h], hl);
            memset(buf + hl, opens[o], len - hl);
            buf[len] = '\0';
            struct r1_config cfg;
            char err[R1_ERR_MAX] = "";
            config_defaults(&cfg);
            assert_int_equal(config_load_buffer(&cfg, buf, len, "deep.yaml", err), -1);
            assert_true(strncmp(err, "deep.yaml:", 10) == 0);
            config_free(&cfg);
        }
    }
    /* Block nesting under an unknown key stops at that key. */
    size_t n = 0;
    for (int d = 0; d < 2000 && n + 4100 < len; d++)
        n += (size_t)snprintf(buf + n, len - n, "%*sk:\n", d * 2 > 4000 ? 4000 : d * 2, "");
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    config_defaults(&cfg);
    assert_int_equal(config_load_buffer(&cfg, buf, n, "deep.yaml", err), -1);
    assert_string_equal(err, "deep.yaml:1:1: unknown key 'k'; expected one of: network, oracle, "
                             "refresh, chain, http, remote, ssh, wallets, nodes");
    config_free(&cfg);
    free(buf);
}

/* ---- the default path ------------------------------------------------------------------ */

static void test_config_default_path_prefers_xdg_config_home(void **state)
{
    (void)state;
    char path[R1_URL_MAX];
    setenv("HOME", "/home/op", 1);
    setenv("XDG_CONFIG_HOME", "/xdg", 1);
    assert_int_equal(config_default_path(path, sizeof(path)), 0);
    assert_string_equal(path, "/xdg/r1top/config.yaml");
    /* The XDG spec: a relative XDG_CONFIG_HOME is ignored. */
    setenv("XDG_CONFIG_HOME", "relative", 1);
    assert_int_equal(config_default_path(path, sizeof(path)), 0);
    assert_string_equal(path, "/home/op/.config/r1top/config.yaml");
    unsetenv("XDG_CONFIG_HOME");
    assert_int_equal(config_default_path(path, sizeof(path)), 0);
    assert_string_equal(path, "/home/op/.config/r1top/config.yaml");
    unsetenv("HOME");
    assert_int_equal(config_default_path(path, sizeof(path)), -1);
    setenv("HOME", "/home/op", 1);
    char tiny[8];
    assert_int_equal(config_default_path(tiny, sizeof(tiny)), -1);
}

static void test_config_load_default_without_a_file_keeps_defaults(void **state)
{
    (void)state;
    setenv("XDG_CONFIG_HOME", "/nonexistent-r1top-test", 1);
    struct r1_config cfg;
    char err[R1_ERR_MAX] = "";
    config_defaults(&cfg);
    assert_int_equal(config_load_default(&cfg, err), 0);
    assert_is_default(&cfg);
    assert_string_equal(cfg.path, "");
    config_free(&cfg);

    /* With a file there, it is loaded (and its errors are errors). */
    char dir[] = "/tmp/r1top-cfg-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[64], file[96];
    snprintf(sub, sizeof(sub), "%s/r1top", dir);
    snprintf(file, sizeof(file), "%s/config.yaml", sub);
    assert_int_equal(mkdir(sub, 0700), 0);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("refresh:\n  ui: 7\n", f);
    fclose(f);
    setenv("XDG_CONFIG_HOME", dir, 1);
    config_defaults(&cfg);
    assert_int_equal(config_load_default(&cfg, err), 0);
    assert_true(cfg.ui_delay_s == 7.0);
    assert_string_equal(cfg.path, file);
    config_free(&cfg);
    unlink(file);
    rmdir(sub);
    rmdir(dir);
    unsetenv("XDG_CONFIG_HOME");
}

/* chain.enabled: auto (the default) follows oracle.enabled, so test configs that keep r1top off
 * the network keep it off the chain too; true or false decide by themselves. */
static void test_config_chain_enabled_auto_follows_the_oracle(void **state)
{
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    assert_int_equal(load(&cfg, "network: mainnet\n", err), 0);
    assert_int_equal(cfg.chain_enabled, -1);
    assert_true(config_chain_enabled(&cfg));
    config_free(&cfg);
    assert_int_equal(load(&cfg, "oracle:\n  enabled: false\n", err), 0);
    assert_false(config_chain_enabled(&cfg));
    config_free(&cfg);
    assert_int_equal(load(&cfg, "oracle:\n  enabled: false\nchain:\n  enabled: true\n", err), 0);
    assert_true(config_chain_enabled(&cfg));
    config_free(&cfg);
    /* the oracle pointed at a simulator: not the network's own, so not its public RPC either */
    assert_int_equal(load(&cfg, "oracle:\n  url: http://127.0.0.1:8787\n", err), 0);
    assert_false(config_chain_enabled(&cfg));
    config_free(&cfg);
    assert_int_equal(load(&cfg,
                          "oracle:\n  url: http://127.0.0.1:8787\nchain:\n  rpc_url: "
                          "http://127.0.0.1:8545\n",
                          err),
                     0);
    assert_true(config_chain_enabled(&cfg));
    config_free(&cfg);
    assert_int_equal(load(&cfg, "chain:\n  enabled: no\n", err), 0);
    assert_false(config_chain_enabled(&cfg));
    config_free(&cfg);
    expect_error("chain:\n  enabled: maybe\n",
                 "t.yaml:2:12: chain.enabled: 'maybe' is not a boolean; expected true, false or "
                 "auto");
}

static void test_config_chain_rpc_url_and_contract_overrides(void **state)
{
    struct r1_config cfg;
    char err[R1_ERR_MAX];
    assert_int_equal(load(&cfg,
                          "chain:\n  rpc_url: http://127.0.0.1:8545/\n  contracts:\n    "
                          "poai_manager: \"0x68f825aA8fD4Af498c2998F4b165F103080574d4\"\n",
                          err),
                     0);
    assert_string_equal(cfg.chain_rpc_url, "http://127.0.0.1:8545");
    assert_string_equal(cfg.chain_contracts[R1_CONTRACT_POAI_MANAGER],
                        "0x68f825aA8fD4Af498c2998F4b165F103080574d4");
    assert_string_equal(cfg.chain_contracts[R1_CONTRACT_READER], "");
    config_free(&cfg);
    expect_error_prefix("chain:\n  contracts:\n    reader: 0x12\n", "t.yaml:3:13: ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_defaults_without_a_file),
        cmocka_unit_test(test_config_chain_enabled_auto_follows_the_oracle),
        cmocka_unit_test(test_config_chain_rpc_url_and_contract_overrides),
        cmocka_unit_test(test_config_empty_or_comment_only_file_keeps_defaults),
        cmocka_unit_test(test_config_example_file_loads),
        cmocka_unit_test(test_config_example_file_is_what_the_table_writes),
        cmocka_unit_test(test_config_example_lines_fit_80_columns),
        cmocka_unit_test(test_config_every_field_lands_where_it_should),
        cmocka_unit_test(test_config_keys_left_out_keep_their_defaults),
        cmocka_unit_test(test_config_plain_path_becomes_file_url_with_trailing_slash),
        cmocka_unit_test(test_config_docker_block_brings_default_socket_and_container),
        cmocka_unit_test(test_config_reload_replaces_nodes_and_a_bad_one_changes_nothing),
        cmocka_unit_test(test_config_booleans_and_quoted_values),
        cmocka_unit_test(test_config_many_nodes_up_to_the_limit),
        cmocka_unit_test(test_config_syntax_error_gives_line_and_column),
        cmocka_unit_test(test_config_unknown_key_suggests_nearest),
        cmocka_unit_test(test_config_unknown_key_far_from_any_lists_the_valid_ones),
        cmocka_unit_test(test_config_unknown_key_in_a_node_file_has_exact_position),
        cmocka_unit_test(test_config_wrong_type_says_what_was_expected),
        cmocka_unit_test(test_config_numbers_must_be_numbers_in_range),
        cmocka_unit_test(test_config_bad_network_name),
        cmocka_unit_test(test_config_bad_addresses),
        cmocka_unit_test(test_config_too_many_trusted_oracles),
        cmocka_unit_test(test_config_wallets_are_eth_addresses_once_each),
        cmocka_unit_test(test_config_bad_status_urls),
        cmocka_unit_test(test_config_ssh_status_urls_and_ssh_keys),
        cmocka_unit_test(test_config_bad_oracle_url_and_docker_settings),
        cmocka_unit_test(test_D7_config_refuses_password_in_urls),
        cmocka_unit_test(test_D23_config_refuses_controls_bidi_and_spaces_in_urls),
        cmocka_unit_test(test_D24_config_writable_by_others_warns),
        cmocka_unit_test(test_config_node_needs_a_name_and_something_to_watch),
        cmocka_unit_test(test_config_duplicate_node_names_rejected),
        cmocka_unit_test(test_config_duplicate_key_rejected),
        cmocka_unit_test(test_config_aliases_rejected_with_a_message),
        cmocka_unit_test(test_config_second_document_rejected),
        cmocka_unit_test(test_config_error_leaves_cfg_at_defaults),
        cmocka_unit_test(test_config_missing_file_is_an_error_naming_it),
        cmocka_unit_test(test_config_rejects_nul_inside_a_value),
        cmocka_unit_test(test_config_binary_garbage_does_not_crash),
        cmocka_unit_test(test_config_invalid_utf8_gives_line_and_column),
        cmocka_unit_test(test_config_huge_input_is_refused),
        cmocka_unit_test(test_config_deep_nesting_is_refused_quickly),
        cmocka_unit_test(test_config_default_path_prefers_xdg_config_home),
        cmocka_unit_test(test_config_load_default_without_a_file_keeps_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
