/* Unit tests for sources/wallets.c: getWalletNodes' address[] decoded strictly (the vector comes
 * from tests/data/abi/vectors.txt, written by an independent Python encoder; hostile shapes are
 * made here), the list stored into the model (zero addresses dropped, the 1,000 cap an error),
 * and the source through its descriptor as the poller calls it: one batch for every wallet with
 * eth_chainId last, a revert that is one wallet's error alone, a wrong chain refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "model.h"
#include "sources/source.h"
#include "sources/wallets.h"

#define NODE "0x13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e69"
#define OWNER "0x00000000000000000000000000000000000000ff"
#define RPC "http://rpc.test:8545"
#define W1 "0x00000000000000000000000000000000000000A1"
#define W2 "0x00000000000000000000000000000000000000a2"

/* "0x" + the words given (each 64 hex digits), malloc'd. */
static char *words(size_t n, const char *const *w)
{
    char *out = malloc(3 + 64 * n);
    assert_non_null(out);
    strcpy(out, "0x");
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(strlen(w[i]), 64);
        strcat(out, w[i]);
    }
    return out;
}

#define Z24 "000000000000000000000000"
#define WORD_N(d) "000000000000000000000000000000000000000000000000000000000000000" d
#define OFF32 "0000000000000000000000000000000000000000000000000000000000000020"
#define OFF64 "0000000000000000000000000000000000000000000000000000000000000040"

static void expect_refused(size_t n, const char *const *w, const char *want)
{
    char *hex = words(n, w), err[R1_ERR_MAX] = "";
    char(*out)[R1_ADDR_MAX] = NULL;
    size_t got = 99;
    assert_int_equal(wallets_decode_nodes(hex, &out, &got, err), -1);
    assert_null(out);
    assert_int_equal(got, 0);
    if (!strstr(err, want))
        fail_msg("error '%s' does not say '%s'", err, want);
    free(hex);
}

static void test_wallets_decode_address_array_strictly(void **state)
{
    (void)state;
    char *hex = test_abi_vector_hex(R1_TEST_DATA, "addresses_result");
    char(*out)[R1_ADDR_MAX] = NULL, err[R1_ERR_MAX];
    size_t n = 0;
    assert_int_equal(wallets_decode_nodes(hex, &out, &n, err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(out[0], NODE);
    assert_string_equal(out[1], OWNER);
    free(out);
    free(hex);

    const char *empty[] = {OFF32, WORD_N("0")};
    hex = words(2, empty);
    assert_int_equal(wallets_decode_nodes(hex, &out, &n, err), 0);
    assert_int_equal(n, 0);
    assert_null(out);
    free(hex);

    const char *off = OFF32, *one = WORD_N("1"), *two = WORD_N("2");
    const char *addr = Z24 "13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e69";
    const char *dirty = "ff0000000000000000000000"
                        "13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e69";
    const char *trailing[] = {off, one, addr, addr};
    expect_refused(4, trailing, "bytes where an address[] of 1 takes 96");
    const char *short_[] = {off, two, addr};
    expect_refused(3, short_, "getWalletNodes: ");
    const char *dirty_[] = {off, one, dirty};
    expect_refused(3, dirty_, "element 0: ");
    const char *far[] = {OFF64, addr, one, addr}; /* valid ABI, but not the canonical shape */
    expect_refused(4, far, "the array's offset is 64, not 32");
    char err2[R1_ERR_MAX];
    assert_int_equal(wallets_decode_nodes("0x12z4", &out, &n, err2), -1);
}

static void test_wallets_store_drops_zero_addresses_and_caps_at_1000(void **state)
{
    (void)state;
    struct r1_fleet f;
    model_fleet_init(&f, network_get(R1_NET_MAINNET));
    model_fleet_add_wallet(&f, W1);
    const struct r1_wallet *w = &f.wallets[0];
    char err[R1_ERR_MAX] = "";
    char(*a)[R1_ADDR_MAX] = calloc(3, sizeof(*a));
    snprintf(a[0], R1_ADDR_MAX, "%s", NODE);
    snprintf(a[1], R1_ADDR_MAX, "0x%040d", 0);
    snprintf(a[2], R1_ADDR_MAX, "%s", OWNER);
    assert_int_equal(wallets_store(&f, 0, a, 3, 500.0, err), 0);
    assert_int_equal(w->n_nodes, 2);
    assert_string_equal(w->nodes[1], OWNER);
    assert_true(R1_VALID(w, WALLET_NODES));
    assert_true(w->meta.updated_at == 500.0);
    assert_int_equal(f.wallets_gen, 1); /* app.c adds nodes when it changes */

    size_t big = R1_WALLET_NODES_MAX + 5;
    a = calloc(big, sizeof(*a));
    for (size_t i = 0; i < big; i++)
        snprintf(a[i], R1_ADDR_MAX, "0x%040zx", i + 1);
    assert_int_equal(wallets_store(&f, 0, a, big, 600.0, err), -1);
    assert_int_equal(w->n_nodes, R1_WALLET_NODES_MAX);
    assert_int_equal(w->n_listed, big);
    assert_string_equal(err, W1 " links 1005 nodes; r1top adds the first 1000");
    assert_string_equal(w->error, err);
    assert_int_equal(f.wallets_gen, 2);
    model_fleet_free(&f);
}

struct fx {
    struct r1_config cfg;
    struct r1_fleet fleet;
    struct r1_source_ctx ctx;
};

static void fx_init(struct fx *f)
{
    memset(f, 0, sizeof(*f));
    config_defaults(&f->cfg);
    f->cfg.chain_enabled = 1;
    snprintf(f->cfg.chain_rpc_url, sizeof(f->cfg.chain_rpc_url), "%s", RPC);
    model_fleet_init(&f->fleet, network_get(R1_NET_MAINNET));
    model_fleet_add_wallet(&f->fleet, W1);
    model_fleet_add_wallet(&f->fleet, W2);
    f->ctx = (struct r1_source_ctx){.cfg = &f->cfg, .fleet = &f->fleet, .now = 1000.0};
}

static void fx_free(struct fx *f)
{
    model_fleet_free(&f->fleet);
    config_free(&f->cfg);
}

/* Prepare the wallets' request; its batch parsed (NULL when nothing is asked). */
static cJSON *prepare(struct fx *f, int want_rc)
{
    struct r1_request req;
    memset(&req, 0, sizeof(req));
    char err[R1_ERR_MAX] = "";
    assert_int_equal(source_wallets.prepare(&f->ctx, NULL, &req, err), want_rc);
    if (want_rc != 0)
        return NULL;
    assert_string_equal(req.url, RPC);
    assert_string_equal(req.method, "POST");
    cJSON *doc = cJSON_Parse(req.body);
    assert_non_null(doc);
    return doc;
}

static int apply(struct fx *f, const char *reply, char *err)
{
    struct r1_reply r = {.url = RPC, .body = reply, .len = strlen(reply), .http_code = 200};
    return source_wallets.apply(&f->ctx, NULL, &r, err);
}

/* W1's nodes (the vector), W2 reverting, and the chain id when given. */
static char *reply(const char *chain_id)
{
    char *hex = test_abi_vector_hex(R1_TEST_DATA, "addresses_result");
    size_t n = strlen(hex) + 512;
    char *out = malloc(n);
    snprintf(out, n,
             "[{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":3,\"message\":\"execution "
             "reverted\"}},{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":\"%s\"}%s%s%s]",
             hex, chain_id ? ",{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"" : "",
             chain_id ? chain_id : "", chain_id ? "\"}" : "");
    free(hex);
    return out;
}

static void test_wallets_one_batch_and_a_revert_is_one_wallets_error(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    char err[R1_ERR_MAX] = "";
    cJSON *doc = prepare(&f, 0);
    assert_int_equal(cJSON_GetArraySize(doc), 3);
    for (int i = 0; i < 2; i++) {
        cJSON *c = cJSON_GetArrayItem(doc, i);
        assert_int_equal(cJSON_GetObjectItem(c, "id")->valueint, i);
        const char *data =
            cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(c, "params"), 0), "data")
                ->valuestring;
        assert_true(strncmp(data, "0x3956065f", 10) == 0); /* docs/protocol.md §6 */
    }
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 2), "method")->valuestring,
                        "eth_chainId");
    cJSON_Delete(doc);

    char *r = reply("0x2105");
    assert_int_equal(apply(&f, r, err), -1);
    free(r);
    assert_non_null(strstr(err, W2 ": reverted"));
    assert_int_equal(f.fleet.wallets[0].n_nodes, 2);
    assert_string_equal(f.fleet.wallets[0].nodes[0], NODE);
    assert_string_equal(f.fleet.wallets[0].error, "");
    assert_false(R1_VALID(&f.fleet.wallets[1], WALLET_NODES));
    assert_non_null(strstr(f.fleet.wallets[1].error, "reverted"));
    /* the chain id is checked once per URL: the next batch does not ask it again */
    doc = prepare(&f, 0);
    assert_int_equal(cJSON_GetArraySize(doc), 2);
    cJSON_Delete(doc);
    fx_free(&f);
}

static void test_wallets_wrong_chain_keeps_the_lists_and_names_both(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    char err[R1_ERR_MAX] = "";
    char *r = reply("0x14a34");
    assert_int_equal(apply(&f, r, err), R1_APPLY_REFUSED);
    free(r);
    assert_non_null(strstr(err, "the RPC serves chain 84532 (Base Sepolia), not 8453 (Base)"));
    assert_int_equal(f.fleet.wallets[0].n_nodes, 0);
    assert_string_equal(f.fleet.wallets[0].error, err);
    assert_string_equal(f.fleet.wallets[1].error, err);
    fx_free(&f);
}

static void test_wallets_nothing_to_ask_without_wallets_and_an_error_without_the_chain(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    f.cfg.chain_enabled = 0; /* wallets, but no chain: an error that says why */
    struct r1_request req;
    memset(&req, 0, sizeof(req));
    char err[R1_ERR_MAX] = "";
    assert_int_equal(source_wallets.prepare(&f.ctx, NULL, &req, err), -1);
    assert_non_null(strstr(err, "needs the chain"));
    f.cfg.chain_enabled = 1;
    f.fleet.demo = true;
    assert_null(prepare(&f, 1));
    fx_free(&f);
    fx_init(&f);
    f.fleet.n_wallets = 0; /* none configured (their nodes lists are still empty) */
    assert_null(prepare(&f, 1));
    f.fleet.n_wallets = 2;
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wallets_decode_address_array_strictly),
        cmocka_unit_test(test_wallets_store_drops_zero_addresses_and_caps_at_1000),
        cmocka_unit_test(test_wallets_one_batch_and_a_revert_is_one_wallets_error),
        cmocka_unit_test(test_wallets_wrong_chain_keeps_the_lists_and_names_both),
        cmocka_unit_test(test_wallets_nothing_to_ask_without_wallets_and_an_error_without_the_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
