/* Unit tests for sources/chain.c through its source descriptor (source_chain), as the poller
 * calls it: the batch's call ids (node k, read r = 2k + r; eth_chainId after the last node's),
 * which nodes are asked, answers bound to their nodes, calculateRewards once for the batch's ND
 * licences with each node's epochs and its answer stored per licence, a revert that is one node's error alone,
 * the chain id checked once per URL, a wrong chain refused, and a rate limit holding every batch
 * back with a doubling wait. Return data comes from tests/data/abi/vectors.txt (written by an
 * independent Python encoder). */
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
#include "sources/chain.h"
#include "sources/source.h"

/* the address the licence vector is bound to */
#define NODE_ETH "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69"
#define OTHER_ETH "0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5"
#define RPC "http://rpc.test:8545"

struct fx {
    struct r1_config cfg;
    struct r1_fleet fleet;
    struct r1_source_ctx ctx;
    struct r1_node *nodes[3];
};

static void fx_init(struct fx *f)
{
    memset(f, 0, sizeof(*f));
    config_defaults(&f->cfg);
    snprintf(f->cfg.chain_rpc_url, sizeof(f->cfg.chain_rpc_url), "%s", RPC);
    model_fleet_init(&f->fleet, network_get(R1_NET_MAINNET));
    model_fleet_add(&f->fleet, "nd");
    model_fleet_add(&f->fleet, "nobody"); /* no address: not asked */
    model_fleet_add(&f->fleet, "other");
    snprintf(f->fleet.nodes[0].eth_cfg, R1_ADDR_MAX, "%s", NODE_ETH);
    snprintf(f->fleet.nodes[2].eth_cfg, R1_ADDR_MAX, "%s", OTHER_ETH);
    for (int i = 0; i < 3; i++)
        f->nodes[i] = &f->fleet.nodes[i];
    f->ctx = (struct r1_source_ctx){.cfg = &f->cfg, .fleet = &f->fleet, .now = 1000.0};
}

static void fx_free(struct fx *f)
{
    model_fleet_free(&f->fleet);
    config_free(&f->cfg);
}

static char *vector_hex(const char *name)
{
    return test_abi_vector_hex(R1_TEST_DATA, name);
}

/* Prepare a batch over all three nodes; returns the parsed body (NULL when nothing asked). */
static cJSON *prepare(struct fx *f, int want_rc, bool asked[3], char *err)
{
    struct r1_request req;
    memset(&req, 0, sizeof(req));
    char *body = NULL;
    int rc = source_chain.prepare_batch(&f->ctx, f->nodes, 3, asked, &req, &body, err);
    assert_int_equal(rc, want_rc);
    if (rc != 0)
        return NULL;
    assert_string_equal(req.url, RPC);
    assert_string_equal(req.method, "POST");
    cJSON *doc = cJSON_Parse(body);
    free(body);
    assert_non_null(doc);
    return doc;
}

/* Apply `reply` to the asked nodes (nd and other), results into rc/err. */
static void apply(struct fx *f, const char *reply, int rc[2], char err[2][R1_ERR_MAX])
{
    struct r1_node *asked[2] = {f->nodes[0], f->nodes[2]};
    struct r1_reply r = {.url = RPC, .body = reply, .len = strlen(reply), .http_code = 200};
    source_chain.apply_batch(&f->ctx, asked, 2, &r, rc, err);
}

/* A reply for nd (ids 0, 1) and a revert for other (ids 2, 3), chain id at 6 when given (4 and
 * 5 are the calculateRewards calls, not asked here: no licence is known). */
static char *reply_ok(const char *chain_id)
{
    char *poai = vector_hex("poai_result"), *lic = vector_hex("licence_result");
    size_t n = strlen(poai) + strlen(lic) + 1024;
    char *out = malloc(n);
    int k = snprintf(out, n,
                     "[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"%s\"},"
                     "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":\"%s\"},"
                     "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":3,\"message\":\"execution "
                     "reverted\"}},"
                     "{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32000,\"message\":"
                     "\"execution reverted\"}}",
                     lic, poai);
    if (chain_id)
        k += snprintf(out + k, n - (size_t)k, ",{\"jsonrpc\":\"2.0\",\"id\":6,\"result\":\"%s\"}",
                      chain_id);
    snprintf(out + k, n - (size_t)k, "]");
    free(poai);
    free(lic);
    return out;
}

/* One round as the poller runs it: prepare a batch over all three nodes, then apply the reply
 * reply_ok(chain_id) gives to the two asked. */
static void round_ok(struct fx *f, const char *chain_id, int rc[2], char errs[2][R1_ERR_MAX])
{
    bool asked[3];
    char err[R1_ERR_MAX];
    cJSON_Delete(prepare(f, 0, asked, err));
    char *reply = reply_ok(chain_id);
    apply(f, reply, rc, errs);
    free(reply);
}

static void test_chain_batch_ids_name_node_and_read_and_chain_id_comes_last(void **state)
{
    struct fx f;
    fx_init(&f);
    bool asked[3];
    char err[R1_ERR_MAX];
    cJSON *doc = prepare(&f, 0, asked, err);
    assert_true(asked[0]);
    assert_false(asked[1]); /* no address known yet */
    assert_true(asked[2]);
    assert_int_equal(cJSON_GetArraySize(doc), 5); /* 2 nodes x 2 reads + eth_chainId */
    const char *net_poai = f.fleet.net->contracts[R1_CONTRACT_POAI_MANAGER];
    const char *net_reader = f.fleet.net->contracts[R1_CONTRACT_READER];
    for (int i = 0; i < 5; i++) {
        const cJSON *c = cJSON_GetArrayItem(doc, i);
        int id = cJSON_GetObjectItem(c, "id")->valueint;
        const char *m = cJSON_GetObjectItem(c, "method")->valuestring;
        if (id == 6) { /* after the nodes' reads and the two calculateRewards slots */
            assert_string_equal(m, "eth_chainId");
            continue;
        }
        const cJSON *call = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "params"), 0);
        const char *to = cJSON_GetObjectItem(call, "to")->valuestring;
        const char *data = cJSON_GetObjectItem(call, "data")->valuestring;
        /* read 0 = getNodePoAIRewards 0xd4699d3a on the PoAI manager, read 1 =
         * getNodeLicenseDetails 0x292ef0d7 on the Reader (docs/protocol.md §6.2-§6.3) */
        assert_string_equal(to, id % 2 == 0 ? net_poai : net_reader);
        assert_int_equal(strncmp(data, id % 2 == 0 ? "0xd4699d3a" : "0x292ef0d7", 10), 0);
        const char *who = id / 2 == 0 ? "13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e69"
                                      : "c440cdd0bbddb5a271de07d3378e31cb8d9727a5";
        assert_string_equal(data + 10 + 24, who);
    }
    cJSON_Delete(doc);
    fx_free(&f);
}

static void test_chain_answers_bind_to_their_nodes_and_a_revert_is_one_nodes_error(void **state)
{
    struct fx f;
    fx_init(&f);
    char err[R1_ERR_MAX], errs[2][R1_ERR_MAX];
    int rc[2];
    bool asked[3];
    round_ok(&f, "0x2105", rc, errs);
    assert_int_equal(rc[0], 0);
    const struct r1_chain_node *c = &f.nodes[0]->chain;
    assert_true(R1_VALID(c, CHAIN_POAI_USDC) && R1_VALID(c, CHAIN_LICENCE));
    assert_true(c->poai_usdc_micro == 1234567); /* the vector: 1.234567 USDC */
    assert_int_equal(c->lic.type, R1_LIC_ND);
    assert_int_equal(c->lic.licence_id, 42);
    assert_int_equal(c->lic.trust, R1_TRUST_CHAIN);
    assert_string_equal(c->rpc_host, "rpc.test:8545");
    assert_int_equal(rc[1], R1_APPLY_FAILED);
    assert_string_equal(errs[1], "getNodePoAIRewards: reverted: execution reverted");
    assert_int_equal(f.nodes[2]->chain.meta.valid, 0);
    /* the chain id is now known for this URL: the next batch does not ask it */
    cJSON *doc = prepare(&f, 0, asked, err);
    assert_int_equal(cJSON_GetArraySize(doc), 4);
    cJSON_Delete(doc);
    fx_free(&f);
}

/* The licence vector is bound to NODE_ETH: given as the answer about another node, it is
 * refused rather than shown as that node's licence. */
static void test_chain_licence_bound_to_another_node_is_refused(void **state)
{
    struct fx f;
    fx_init(&f);
    snprintf(f.nodes[0]->eth_cfg, R1_ADDR_MAX, "%s", OTHER_ETH);
    char errs[2][R1_ERR_MAX];
    int rc[2];
    round_ok(&f, "0x2105", rc, errs);
    assert_int_equal(rc[0], R1_APPLY_FAILED);
    assert_non_null(strstr(errs[0], "bound to 0x13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e69"));
    assert_int_equal(f.nodes[0]->chain.meta.valid, 0);
    fx_free(&f);
}

static void test_chain_wrong_chain_id_refuses_the_batch_and_names_both(void **state)
{
    struct fx f;
    fx_init(&f);
    char errs[2][R1_ERR_MAX];
    int rc[2];
    round_ok(&f, "0x14a34", rc, errs);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(rc[k], R1_APPLY_REFUSED);
        assert_string_equal(errs[k], "the RPC serves chain 84532 (Base Sepolia), not 8453 (Base)");
    }
    assert_int_equal(f.nodes[0]->chain.meta.valid, 0); /* nothing stored from it */
    /* no chain id in the reply and none checked before: refused too */
    char *reply = reply_ok(NULL);
    apply(&f, reply, rc, errs);
    assert_int_equal(rc[0], R1_APPLY_REFUSED);
    assert_string_equal(errs[0], "the RPC did not answer eth_chainId");
    free(reply);
    fx_free(&f);
}

static void test_chain_rate_limit_holds_every_batch_back_and_the_wait_doubles(void **state)
{
    struct fx f;
    fx_init(&f);
    bool asked[3];
    char err[R1_ERR_MAX], errs[2][R1_ERR_MAX];
    int rc[2];
    const char *limited = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32005,"
                          "\"message\":\"limit exceeded\"}}";
    cJSON_Delete(prepare(&f, 0, asked, err));
    apply(&f, limited, rc, errs);
    assert_int_equal(rc[0], R1_APPLY_BACKOFF);
    assert_int_equal(rc[1], R1_APPLY_BACKOFF);
    assert_string_equal(
        errs[0], "rate limited by rpc.test:8545 (JSON-RPC -32005); the chain source waits 30 s");
    f.ctx.now += 10; /* 20 s of the 30 left: no request at all */
    prepare(&f, R1_PREPARE_BACKOFF, asked, err);
    assert_string_equal(err, "rate limited by rpc.test:8545; the chain source waits 20 s more");
    f.ctx.now += 21; /* the wait is over */
    cJSON_Delete(prepare(&f, 0, asked, err));
    apply(&f, limited, rc, errs); /* limited again: 60 s */
    assert_non_null(strstr(errs[0], "waits 60 s"));
    f.ctx.now += 61;
    char *reply = reply_ok("0x2105");
    cJSON_Delete(prepare(&f, 0, asked, err));
    apply(&f, reply, rc, errs); /* a good answer resets the doubling */
    assert_int_equal(rc[0], 0);
    assert_int_equal(f.fleet.chain.rate_limits, 0);
    free(reply);
    fx_free(&f);
}

static void test_chain_off_when_the_oracle_is_off_unless_asked_for(void **state)
{
    struct fx f;
    fx_init(&f);
    bool asked[3];
    char err[R1_ERR_MAX];
    f.cfg.oracle_enabled = false; /* chain.enabled: auto */
    assert_false(source_chain.batching(&f.ctx));
    prepare(&f, 1, asked, err);
    f.cfg.chain_enabled = 1;
    assert_true(source_chain.batching(&f.ctx));
    fx_free(&f);
}

/* An ND licence known from the oracle (id 8, last claim at epoch `from`) and the oracle's epochs
 * [from, from + n) for node i. */
static void nd_licence(struct fx *f, int i, uint64_t id, int64_t from, uint8_t *epochs, int n)
{
    struct r1_node *node = f->nodes[i];
    node->lic.type = R1_LIC_ND;
    node->lic.licence_id = id;
    node->lic.last_claim_epoch = from;
    R1_MARK(&node->lic, LIC_TYPE);
    R1_MARK(&node->lic, LIC_ID);
    R1_MARK(&node->lic, LIC_LAST_CLAIM);
    node->range.from_epoch = from;
    node->range.to_epoch = from + n - 1;
    node->range.n_epochs = n;
    node->range.epochs_u8 = malloc((size_t)n);
    memcpy(node->range.epochs_u8, epochs, (size_t)n);
    R1_MARK(&node->range, ORC_EPOCHS);
}

/* Both nodes hold ND licences: one calculateRewards call on the ND contract (id 4) carries both
 * licences with their epochs; its answer (the pairs vector: licence 8 -> 2^100, 9 -> 0) is
 * stored per licence; nothing for MND (id 5). The epochs run to the clock's epoch - 1. */
static void test_chain_calculate_rewards_once_for_the_batchs_nd_licences(void **state)
{
    struct fx f;
    fx_init(&f);
    f.fleet.epoch_now = 200;
    uint8_t ep[3] = {255, 128, 0};
    nd_licence(&f, 0, 8, 197, ep, 3);
    nd_licence(&f, 2, 9, 198, ep + 1, 2);
    bool asked[3];
    char err[R1_ERR_MAX];
    cJSON *doc = prepare(&f, 0, asked, err);
    assert_int_equal(cJSON_GetArraySize(doc), 6); /* 4 reads, one calc, eth_chainId */
    const cJSON *calc = NULL;
    for (int i = 0; i < 6; i++) {
        const cJSON *c = cJSON_GetArrayItem(doc, i);
        if (cJSON_GetObjectItem(c, "id")->valueint == 4)
            calc = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "params"), 0);
        assert_int_not_equal(cJSON_GetObjectItem(c, "id")->valueint, 5);
    }
    assert_non_null(calc);
    assert_string_equal(cJSON_GetObjectItem(calc, "to")->valuestring,
                        f.fleet.net->contracts[R1_CONTRACT_ND]);
    assert_int_equal(strncmp(cJSON_GetObjectItem(calc, "data")->valuestring, "0xde5a764e", 10), 0);
    cJSON_Delete(doc);
    assert_int_equal(f.nodes[0]->chain.calc_asked, 1);
    assert_true(f.nodes[0]->chain.calc_ask_from == 197 && f.nodes[0]->chain.calc_ask_to == 199);
    /* the replies: both nodes' reads (the licence vector is bound to NODE_ETH: give the other
     * node that address too) and the pairs for the calc call */
    snprintf(f.nodes[2]->eth_cfg, R1_ADDR_MAX, "%s", NODE_ETH);
    char *poai = vector_hex("poai_result"), *lic = vector_hex("licence_result"),
         *pairs = vector_hex("pairs_result");
    size_t n = 3 * strlen(lic) + 2 * strlen(poai) + strlen(pairs) + 1024;
    char *reply = malloc(n);
    snprintf(reply, n,
             "[{\"id\":0,\"result\":\"%s\"},{\"id\":1,\"result\":\"%s\"},"
             "{\"id\":2,\"result\":\"%s\"},{\"id\":3,\"result\":\"%s\"},"
             "{\"id\":4,\"result\":\"%s\"},{\"id\":6,\"result\":\"0x2105\"}]",
             poai, lic, poai, lic, pairs);
    int rc[2];
    char errs[2][R1_ERR_MAX];
    apply(&f, reply, rc, errs);
    assert_int_equal(rc[0], 0);
    assert_int_equal(rc[1], 0);
    const struct r1_chain_node *a = &f.nodes[0]->chain, *b = &f.nodes[2]->chain;
    assert_true(R1_VALID(a, CHAIN_CALC) && R1_VALID(b, CHAIN_CALC));
    assert_true(a->calc_rewards_wei == (r1_u128)1 << 100 && !a->calc_mnd);
    assert_true(b->calc_rewards_wei == 0);
    assert_true(a->calc_from == 197 && a->calc_to == 199 && b->calc_from == 198);
    assert_int_equal(a->calc_asked, 0);
    free(reply);
    free(poai);
    free(lic);
    free(pairs);
    fx_free(&f);
}

/* calculateRewards reverting leaves the node's PoAI and licence standing, and says why. */
static void test_chain_calculate_rewards_revert_is_a_note(void **state)
{
    struct fx f;
    fx_init(&f);
    f.fleet.epoch_now = 200;
    uint8_t ep[3] = {255, 128, 0};
    nd_licence(&f, 0, 8, 197, ep, 3);
    bool asked[3];
    char err[R1_ERR_MAX];
    cJSON_Delete(prepare(&f, 0, asked, err));
    char *poai = vector_hex("poai_result"), *lic = vector_hex("licence_result");
    size_t n = strlen(lic) + strlen(poai) + 1024;
    char *reply = malloc(n);
    snprintf(reply, n,
             "[{\"id\":0,\"result\":\"%s\"},{\"id\":1,\"result\":\"%s\"},"
             "{\"id\":2,\"error\":{\"code\":3,\"message\":\"execution reverted\"}},"
             "{\"id\":3,\"error\":{\"code\":3,\"message\":\"execution reverted\"}},"
             "{\"id\":4,\"error\":{\"code\":3,\"message\":\"execution reverted\"}},"
             "{\"id\":6,\"result\":\"0x2105\"}]",
             poai, lic);
    int rc[2];
    char errs[2][R1_ERR_MAX];
    apply(&f, reply, rc, errs);
    assert_int_equal(rc[0], 0);
    assert_true(R1_VALID(&f.nodes[0]->chain, CHAIN_POAI_USDC));
    assert_false(R1_VALID(&f.nodes[0]->chain, CHAIN_CALC));
    assert_non_null(strstr(f.nodes[0]->chain.calc_note, "calculateRewards: reverted"));
    free(reply);
    free(poai);
    free(lic);
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain_batch_ids_name_node_and_read_and_chain_id_comes_last),
        cmocka_unit_test(test_chain_answers_bind_to_their_nodes_and_a_revert_is_one_nodes_error),
        cmocka_unit_test(test_chain_licence_bound_to_another_node_is_refused),
        cmocka_unit_test(test_chain_wrong_chain_id_refuses_the_batch_and_names_both),
        cmocka_unit_test(test_chain_rate_limit_holds_every_batch_back_and_the_wait_doubles),
        cmocka_unit_test(test_chain_off_when_the_oracle_is_off_unless_asked_for),
        cmocka_unit_test(test_chain_calculate_rewards_once_for_the_batchs_nd_licences),
        cmocka_unit_test(test_chain_calculate_rewards_revert_is_a_note),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
