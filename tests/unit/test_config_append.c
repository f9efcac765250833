/* test_config_append: adding nodes to a config file without rewriting it. Every case checks
 * the result byte for byte: the old file is kept whole around the inserted lines (only an
 * empty "nodes: []" or "nodes: ~" token is cut), and the result loads back with the old nodes
 * followed by exactly the new ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "config_append.h"

#define ADDR_A "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty"
#define ADDR_B "0xai_A2pPf0lxZSZkGONzLOmhzndncc1VvDBHfF-YLWlsrG9m"
#define ETH_C "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69"

static struct r1_node_cfg node(const char *name, const char *addr, const char *eth,
                               const char *status)
{
    struct r1_node_cfg n;
    memset(&n, 0, sizeof(n));
    snprintf(n.name, sizeof(n.name), "%s", name);
    snprintf(n.address, sizeof(n.address), "%s", addr ? addr : "");
    snprintf(n.eth_address, sizeof(n.eth_address), "%s", eth ? eth : "");
    snprintf(n.status_url, sizeof(n.status_url), "%s", status ? status : "");
    return n;
}

/* Plan, apply, and check the result: old bytes around the edit unchanged, the inserted text
 * as expected (want_text, when given), and the result loading with the new nodes last.
 * Returns the result (caller frees). */
static char *append_ok(const char *old, const struct r1_node_cfg *nodes, size_t n,
                       const char *want_text, size_t *at_out)
{
    size_t len = strlen(old);
    struct config_append_edit e;
    char err[R1_ERR_MAX] = "";
    int rc = config_append_plan(old, len, nodes, n, "t.yaml", &e, err);
    if (rc != 0)
        print_error("plan failed: %s\n", err);
    assert_int_equal(rc, 0);
    if (want_text && strcmp(e.text, want_text) != 0)
        print_error("inserted:\n[%s]\nwant:\n[%s]\n", e.text, want_text);
    if (want_text)
        assert_string_equal(e.text, want_text);
    size_t new_len;
    char *res = config_append_apply(old, len, &e, &new_len);
    /* byte for byte outside the inserted lines (and the cut token) */
    assert_true(e.cut_from <= e.cut_to && e.cut_to <= e.at && e.at <= len);
    assert_int_equal(new_len, len - (e.cut_to - e.cut_from) + e.text_len);
    assert_memory_equal(res, old, e.cut_from);
    size_t mid = e.at - e.cut_to;
    assert_memory_equal(res + e.cut_from, old + e.cut_to, mid);
    assert_memory_equal(res + e.cut_from + mid, e.text, e.text_len);
    assert_memory_equal(res + e.cut_from + mid + e.text_len, old + e.at, len - e.at);
    /* and it loads, the new nodes last */
    struct r1_config cfg;
    config_defaults(&cfg);
    rc = config_load_buffer(&cfg, res, new_len, "t.yaml", err);
    if (rc != 0)
        print_error("result does not load: %s\n%s\n", err, res);
    assert_int_equal(rc, 0);
    assert_true(cfg.n_nodes >= n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(cfg.nodes[cfg.n_nodes - n + i].name, nodes[i].name);
    config_free(&cfg);
    if (at_out)
        *at_out = e.at;
    config_append_edit_free(&e);
    return res;
}

static void expect_refusal(const char *old, const struct r1_node_cfg *nodes, size_t n,
                           const char *needle)
{
    struct config_append_edit e;
    char err[R1_ERR_MAX] = "";
    int rc = config_append_plan(old, strlen(old), nodes, n, "t.yaml", &e, err);
    if (rc == 0 || !strstr(err, needle))
        print_error("want a refusal holding '%s', got rc %d: %s\n", needle, rc, err);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, needle));
    assert_null(e.text);
}

/* A config as people keep them: a header, settings, the list in the middle with comments in
 * it, a commented-out key under the last entry, a blank line, then more settings. */
static const char *const middle_cfg = "# r1top config for the rack\n"
                                      "network: mainnet\n"
                                      "\n"
                                      "oracle:\n"
                                      "  enabled: true   # keep it on\n"
                                      "\n"
                                      "nodes:\n"
                                      "  # the GPU box\n"
                                      "  - name: gpu-1\n"
                                      "    address: " ADDR_A "\n"
                                      "    status: /var/cache/edge_node/_local_cache/_data/\n"
                                      "    # docker:\n"
                                      "    #   container: edge_node\n"
                                      "\n"
                                      "# Limits\n"
                                      "http:\n"
                                      "  timeout: 10\n";

static void test_config_append_in_the_middle_keeps_every_other_byte(void **state)
{
    struct r1_node_cfg nn = node("gpu-2", ADDR_B, NULL, NULL);
    size_t at;
    char *res = append_ok(middle_cfg, &nn, 1,
                          "  - name: gpu-2\n"
                          "    address: " ADDR_B "\n",
                          &at);
    /* right after the commented-out lines that belong to gpu-1, before the blank line */
    const char *want_at = strstr(middle_cfg, "\n# Limits");
    assert_int_equal(at, (size_t)(want_at - middle_cfg));
    free(res);
}

static void test_config_append_several_nodes_in_order(void **state)
{
    struct r1_node_cfg nn[3] = {node("b", ADDR_B, NULL, NULL), node("c", NULL, ETH_C, NULL),
                                node("d", NULL, NULL,
                                     "sftp://ubuntu@203.0.113.10:22/var/cache/edge_node/"
                                     "_local_cache/_data/")};
    char *res = append_ok(middle_cfg, nn, 3,
                          "  - name: b\n"
                          "    address: " ADDR_B "\n"
                          "  - name: c\n"
                          "    eth_address: \"" ETH_C "\"\n"
                          "  - name: d\n"
                          "    status: sftp://ubuntu@203.0.113.10:22/var/cache/edge_node/"
                          "_local_cache/_data/\n",
                          NULL);
    free(res);
}

/* The list is the last thing in the file (the example file's shape): an append at the end. */
static void test_config_append_list_at_the_end_appends_at_the_end(void **state)
{
    size_t len;
    char *old = test_fixture(R1_TEST_DATA "/../../config/", "r1top.yaml.example", &len);
    struct r1_node_cfg nn = node("gpu-2", ADDR_B, NULL, NULL);
    size_t at;
    char *res = append_ok(old, &nn, 1, NULL, &at);
    assert_int_equal(at, len);
    free(res);
    free(old);
}

/* The last line has no line break: one is added before the new entry. */
static void test_config_append_last_line_without_newline(void **state)
{
    struct r1_node_cfg nn = node("b", ADDR_B, NULL, NULL);
    char *res = append_ok("nodes:\n  - name: a\n    address: " ADDR_A, &nn, 1,
                          "\n  - name: b\n    address: " ADDR_B "\n", NULL);
    free(res);
}

static void test_config_append_follows_the_lists_own_indentation(void **state)
{
    struct r1_node_cfg nn = node("b", ADDR_B, NULL, NULL);
    /* dashes at the key's column (an "indentless" list) */
    char *res = append_ok("nodes:\n- name: a\n  address: " ADDR_A "\nhttp:\n  timeout: 5\n", &nn, 1,
                          "- name: b\n  address: " ADDR_B "\n", NULL);
    free(res);
    /* four spaces, and three after the dash */
    res = append_ok("nodes:\n    -   name: a\n        address: " ADDR_A "\n", &nn, 1,
                    "    -   name: b\n        address: " ADDR_B "\n", NULL);
    free(res);
}

static void test_config_append_without_a_nodes_key_adds_a_block_at_the_end(void **state)
{
    struct r1_node_cfg nn = node("b", ADDR_B, NULL, NULL);
    size_t at;
    const char *old = "# mine\nnetwork: testnet\nhttp:\n  timeout: 5\n";
    char *res = append_ok(old, &nn, 1, "\nnodes:\n  - name: b\n    address: " ADDR_B "\n", &at);
    assert_int_equal(at, strlen(old));
    free(res);
    /* no final newline, a file of comments only, an empty file */
    res = append_ok("network: testnet", &nn, 1,
                    "\n\nnodes:\n  - name: b\n    address: " ADDR_B "\n", NULL);
    free(res);
    res = append_ok("# nothing yet\n", &nn, 1, "\nnodes:\n  - name: b\n    address: " ADDR_B "\n",
                    NULL);
    free(res);
    res = append_ok("", &nn, 1, "nodes:\n  - name: b\n    address: " ADDR_B "\n", NULL);
    free(res);
}

static void test_config_append_empty_nodes_values(void **state)
{
    struct r1_node_cfg nn = node("b", ADDR_B, NULL, NULL);
    /* "nodes:" then the next key: the entries go under it */
    char *res = append_ok("nodes:   # none yet\nhttp:\n  timeout: 5\n", &nn, 1,
                          "  - name: b\n    address: " ADDR_B "\n", NULL);
    assert_string_equal(res, "nodes:   # none yet\n  - name: b\n    address: " ADDR_B
                             "\nhttp:\n  timeout: 5\n");
    free(res);
    /* an empty flow list and a null lose their token (and only it) */
    res = append_ok("nodes: []  # none yet\nhttp:\n  timeout: 5\n", &nn, 1, NULL, NULL);
    assert_string_equal(res, "nodes:  # none yet\n  - name: b\n    address: " ADDR_B
                             "\nhttp:\n  timeout: 5\n");
    free(res);
    res = append_ok("network: mainnet\nnodes: ~\n", &nn, 1, NULL, NULL);
    assert_string_equal(res, "network: mainnet\nnodes:\n  - name: b\n    address: " ADDR_B "\n");
    free(res);
}

static void test_config_append_flow_style_list_is_refused(void **state)
{
    struct r1_node_cfg nn = node("b", ADDR_B, NULL, NULL);
    expect_refusal("nodes: [{name: a, address: " ADDR_A "}]\n", &nn, 1, "flow style");
    expect_refusal("{network: mainnet}\n", &nn, 1, "flow mapping");
}

static void test_config_append_keeps_crlf_line_endings(void **state)
{
    struct r1_node_cfg nn = node("b", ADDR_B, NULL, NULL);
    char *res = append_ok("network: mainnet\r\nnodes:\r\n  - name: a\r\n    address: " ADDR_A
                          "\r\n\r\nhttp:\r\n  timeout: 5\r\n",
                          &nn, 1, "  - name: b\r\n    address: " ADDR_B "\r\n", NULL);
    free(res);
    res = append_ok("network: mainnet\r\n", &nn, 1,
                    "\r\nnodes:\r\n  - name: b\r\n    address: " ADDR_B "\r\n", NULL);
    free(res);
    expect_refusal("network: mainnet\rnodes: []\n", &nn, 1, "lone carriage return");
}

/* libyaml counts characters; a BOM and accented comments before the list must not shift the
 * place by their extra bytes. */
static void test_config_append_multibyte_text_before_the_list(void **state)
{
    struct r1_node_cfg nn = node("nœud-2", ADDR_B, NULL, NULL);
    char *res = append_ok("\xef\xbb\xbf# configuración del nodo — «principal»\n"
                          "nodes:\n  - name: nœud-1   # ünïcode\n    address: " ADDR_A
                          "\n# fin\nhttp:\n  timeout: 5\n",
                          &nn, 1, "  - name: \"nœud-2\"\n    address: " ADDR_B "\n", NULL);
    assert_non_null(strstr(res, "# ünïcode\n    address: " ADDR_A "\n  - name: \"nœud-2\""));
    free(res);
}

static void test_config_append_refuses_names_and_addresses_already_there(void **state)
{
    struct r1_node_cfg same_name = node("gpu-1", ADDR_B, NULL, NULL);
    expect_refusal(middle_cfg, &same_name, 1, "already has a node named 'gpu-1'");
    struct r1_node_cfg same_addr = node("other", ADDR_A, NULL, NULL);
    expect_refusal(middle_cfg, &same_addr, 1, "already has the node " ADDR_A);
    struct r1_node_cfg twice[2] = {node("x", ADDR_B, NULL, NULL), node("x", NULL, ETH_C, NULL)};
    expect_refusal(middle_cfg, twice, 2, "the nodes to add already has a node named 'x'");
}

static void test_config_append_refuses_a_file_that_does_not_load(void **state)
{
    struct r1_node_cfg nn = node("b", ADDR_B, NULL, NULL);
    expect_refusal("nodes:\n  - name: a\n    adress: " ADDR_A "\n", &nn, 1, "does not load");
    expect_refusal("network: [\n", &nn, 1, "does not load");
}

/* Values plain YAML would misread are quoted, and load back as the same text. */
static void test_config_append_quotes_what_plain_yaml_would_misread(void **state)
{
    struct r1_node_cfg nn[4] = {node("yes", ADDR_B, NULL, NULL), node("12", NULL, ETH_C, NULL),
                                node("a: b # c", NULL, NULL, "file:///srv/n1/_data/"),
                                node("say \"hi\"", NULL, NULL, "file:///srv/n2/_data/")};
    char *res = append_ok("nodes: []\n", nn, 4,
                          "  - name: \"yes\"\n    address: " ADDR_B "\n"
                          "  - name: \"12\"\n    eth_address: \"" ETH_C "\"\n"
                          "  - name: \"a: b # c\"\n    status: file:///srv/n1/_data/\n"
                          "  - name: \"say \\\"hi\\\"\"\n    status: file:///srv/n2/_data/\n",
                          NULL);
    free(res);
}

static void test_config_append_parse_node_typed_addresses(void **state)
{
    struct r1_node_cfg n;
    char err[R1_ERR_MAX];
    assert_int_equal(config_append_parse_node("  " ADDR_A "  ", &n, err), 0);
    assert_string_equal(n.address, ADDR_A);
    assert_string_equal(n.eth_address, "");
    assert_string_equal(n.name, "0xai_AjcITh..bmty"); /* 11 characters, "..", the last 4 */
    /* the legacy prefix is written as 0xai_ */
    assert_int_equal(config_append_parse_node("aixp_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty "
                                              "rack 2 / gpu",
                                              &n, err),
                     0);
    assert_string_equal(n.address, ADDR_A);
    assert_string_equal(n.name, "rack 2 / gpu");
    /* lower case ETH is accepted and stored with its EIP-55 checksum */
    assert_int_equal(
        config_append_parse_node("0x13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e69", &n, err), 0);
    assert_string_equal(n.eth_address, ETH_C);
    assert_string_equal(n.name, "0x13Dc6E..7e69");
}

static void test_config_append_parse_node_refuses_what_is_not_an_address(void **state)
{
    struct r1_node_cfg n;
    char err[R1_ERR_MAX];
    assert_int_equal(config_append_parse_node("", &n, err), -1);
    assert_non_null(strstr(err, "type the node's address"));
    /* one character changed: a checksum typo in a mixed-case ETH address */
    assert_int_equal(
        config_append_parse_node("0x13dC6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69", &n, err), -1);
    assert_non_null(strstr(err, "not an ETH address"));
    /* 44 characters that are not a point of the curve */
    assert_int_equal(
        config_append_parse_node("0xai_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &n, err), -1);
    assert_non_null(strstr(err, "not a node address"));
    assert_int_equal(config_append_parse_node("gpu-1", &n, err), -1);
    assert_non_null(strstr(err, "not an address"));
    assert_int_equal(config_append_parse_node(ADDR_A " bad\x1b[2Jname", &n, err), -1);
    assert_non_null(strstr(err, "not a usable name"));
}

static void test_config_append_describe_names_nodes_and_file(void **state)
{
    struct r1_node_cfg nn[6];
    for (int i = 0; i < 6; i++) {
        char name[8];
        snprintf(name, sizeof(name), "n%d", i);
        nn[i] = node(name, NULL, NULL, NULL);
    }
    char d[256];
    config_append_describe(nn, 1, "/c.yaml", d, sizeof(d));
    assert_string_equal(d, "1 node (n0) to /c.yaml");
    config_append_describe(nn, 6, "/c.yaml", d, sizeof(d));
    assert_string_equal(d, "6 nodes (n0, n1, n2, n3 and 2 more) to /c.yaml");
}

/* ---- the file -------------------------------------------------------------------------- */

static char tmpdir[64];

static int setup_dir(void **state)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/r1top-append-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

static char *read_back(const char *path)
{
    size_t len;
    return test_fixture(path, "", &len);
}

static void test_config_append_file_in_the_middle_renames_and_keeps_mode(void **state)
{
    char path[256], err[R1_ERR_MAX] = "";
    snprintf(path, sizeof(path), "%s/mid.yaml", tmpdir);
    write_file(path, middle_cfg, 0640);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    struct r1_node_cfg nn = node("gpu-2", ADDR_B, NULL, NULL);
    int rc = config_append_file(path, &nn, 1, err);
    if (rc)
        print_error("%s\n", err);
    assert_int_equal(rc, 0);
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(after.st_mode & 07777, 0640);
    assert_true(after.st_ino != before.st_ino); /* a new file renamed into place */
    char *got = read_back(path);
    char *want = append_ok(middle_cfg, &nn, 1, NULL, NULL);
    assert_string_equal(got, want);
    free(got);
    free(want);
    /* no temporary file left behind */
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -q r1top-", tmpdir);
    assert_int_not_equal(system(cmd), 0);
}

static void test_config_append_file_at_the_end_appends_in_place(void **state)
{
    char path[256], err[R1_ERR_MAX] = "";
    snprintf(path, sizeof(path), "%s/end.yaml", tmpdir);
    const char *old = "network: mainnet\nnodes:\n  - name: a\n    address: " ADDR_A "\n";
    write_file(path, old, 0600);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    struct r1_node_cfg nn = node("b", ADDR_B, NULL, NULL);
    assert_int_equal(config_append_file(path, &nn, 1, err), 0);
    assert_int_equal(stat(path, &after), 0);
    assert_true(after.st_ino == before.st_ino);
    char *got = read_back(path);
    assert_memory_equal(got, old, strlen(old));
    assert_string_equal(got + strlen(old), "  - name: b\n    address: " ADDR_B "\n");
    free(got);
    /* once there, the same node is refused and the file is left alone */
    assert_int_equal(config_append_file(path, &nn, 1, err), -1);
    assert_non_null(strstr(err, "already has a node named 'b'"));
}

static void test_config_append_file_creates_a_missing_file_privately(void **state)
{
    char path[256], err[R1_ERR_MAX] = "";
    snprintf(path, sizeof(path), "%s/cfg/r1top/config.yaml", tmpdir);
    struct r1_node_cfg nn = node("b", ADDR_B, NULL, NULL);
    assert_int_equal(config_append_file(path, &nn, 1, err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    char *got = read_back(path);
    assert_string_equal(got, "# r1top configuration (r1top.yaml.example describes every key).\n"
                             "\nnodes:\n  - name: b\n    address: " ADDR_B "\n");
    free(got);
}

/* A config kept in a dotfiles folder and linked into ~/.config: the target changes, the link
 * stays a link. */
static void test_config_append_file_through_a_symlink_keeps_the_link(void **state)
{
    char target[256], link[256], err[R1_ERR_MAX] = "";
    snprintf(target, sizeof(target), "%s/dot.yaml", tmpdir);
    snprintf(link, sizeof(link), "%s/link.yaml", tmpdir);
    write_file(target, middle_cfg, 0600);
    assert_int_equal(symlink(target, link), 0);
    struct r1_node_cfg nn = node("gpu-2", ADDR_B, NULL, NULL);
    assert_int_equal(config_append_file(link, &nn, 1, err), 0);
    struct stat lst;
    assert_int_equal(lstat(link, &lst), 0);
    assert_true(S_ISLNK(lst.st_mode));
    char *got = read_back(target);
    assert_non_null(strstr(got, "  - name: gpu-2\n"));
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_append_in_the_middle_keeps_every_other_byte),
        cmocka_unit_test(test_config_append_several_nodes_in_order),
        cmocka_unit_test(test_config_append_list_at_the_end_appends_at_the_end),
        cmocka_unit_test(test_config_append_last_line_without_newline),
        cmocka_unit_test(test_config_append_follows_the_lists_own_indentation),
        cmocka_unit_test(test_config_append_without_a_nodes_key_adds_a_block_at_the_end),
        cmocka_unit_test(test_config_append_empty_nodes_values),
        cmocka_unit_test(test_config_append_flow_style_list_is_refused),
        cmocka_unit_test(test_config_append_keeps_crlf_line_endings),
        cmocka_unit_test(test_config_append_multibyte_text_before_the_list),
        cmocka_unit_test(test_config_append_refuses_names_and_addresses_already_there),
        cmocka_unit_test(test_config_append_refuses_a_file_that_does_not_load),
        cmocka_unit_test(test_config_append_quotes_what_plain_yaml_would_misread),
        cmocka_unit_test(test_config_append_parse_node_typed_addresses),
        cmocka_unit_test(test_config_append_parse_node_refuses_what_is_not_an_address),
        cmocka_unit_test(test_config_append_describe_names_nodes_and_file),
        cmocka_unit_test(test_config_append_file_in_the_middle_renames_and_keeps_mode),
        cmocka_unit_test(test_config_append_file_at_the_end_appends_in_place),
        cmocka_unit_test(test_config_append_file_creates_a_missing_file_privately),
        cmocka_unit_test(test_config_append_file_through_a_symlink_keeps_the_link),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
