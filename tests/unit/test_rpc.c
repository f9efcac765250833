/* Unit tests for chain/rpc.c: the batch request's shape, replies matched by id in any order,
 * per-call errors (reverts with and without a reason, rate limits), whole-batch errors, replies
 * that must be refused, and the chain id check naming both chains. Replies are written by hand
 * from the JSON-RPC 2.0 specification and EIP-1474 codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "chain/rpc.h"
#include "util.h"

#define POAI "0x68f825aA8fD4Af498c2998F4b165F103080574d4"

static void test_rpc_batch_body_has_ids_methods_and_call_params(void **state)
{
    struct rpc_batch *b = rpc_batch_new();
    struct abi_enc e = {0};
    abi_enc_selector(&e, "getNodePoAIRewards(address)");
    assert_int_equal(rpc_batch_add_chain_id(b, 7), 0);
    assert_int_equal(rpc_batch_add_call(b, 1, POAI, &e), 0);
    assert_int_equal(rpc_batch_add_call(b, 2, "0x1234", &e), -1); /* not an address */
    char *body = rpc_batch_body(b);
    assert_string_equal(body,
                        "[{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"eth_chainId\",\"params\":[]},"
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_call\",\"params\":[{\"to\":"
                        "\"" POAI "\",\"data\":\"0xd4699d3a\"},\"latest\"]}]");
    free(body);
    abi_enc_free(&e);
    rpc_batch_free(b);
}

static void test_rpc_batch_holds_at_most_100_calls(void **state)
{
    struct rpc_batch *b = rpc_batch_new();
    for (int i = 0; i < RPC_BATCH_MAX; i++)
        assert_int_equal(rpc_batch_add_chain_id(b, (size_t)i), 0);
    assert_int_equal(rpc_batch_add_chain_id(b, 100), -1);
    assert_int_equal(rpc_batch_count(b), 100);
    rpc_batch_free(b);
}

static void test_rpc_replies_match_by_id_in_any_order(void **state)
{
    const char *reply = "[{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"0x02\"},"
                        "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":\"0x2105\"},"
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":3,\"message\":"
                        "\"execution reverted\",\"data\":\"0x08c379a0"
                        "0000000000000000000000000000000000000000000000000000000000000020"
                        "000000000000000000000000000000000000000000000000000000000000000c"
                        "6e6f2073756368206e6f64650000000000000000000000000000000000000000\"}}]";
    struct rpc_result r[4];
    char err[R1_ERR_MAX], why[R1_ERR_MAX];
    assert_int_equal(rpc_parse_batch(reply, strlen(reply), r, 4, err), 0);
    assert_int_equal(r[0].status, RPC_OK);
    assert_string_equal(r[0].hex, "0x2105");
    assert_int_equal(r[2].status, RPC_OK);
    assert_string_equal(r[2].hex, "0x02");
    assert_int_equal(r[1].status, RPC_ERROR);
    assert_true(r[1].revert);
    rpc_result_error(&r[1], why, sizeof(why));
    assert_string_equal(why, "reverted: no such node"); /* Error(string) "no such node" */
    assert_int_equal(r[3].status, RPC_MISSING);
    rpc_result_error(&r[3], why, sizeof(why));
    assert_string_equal(why, "no answer in the batch reply");
    assert_false(rpc_rate_limited(r, 4));
    rpc_results_free(r, 4);
}

static void test_rpc_rate_limit_in_one_call_or_the_whole_batch(void **state)
{
    const char *one = "[{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":\"0x\"},"
                      "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32005,"
                      "\"message\":\"limit exceeded\"}}]";
    const char *whole = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32005,"
                        "\"message\":\"rate limited\"}}";
    struct rpc_result r[2];
    char err[R1_ERR_MAX], why[R1_ERR_MAX];
    assert_int_equal(rpc_parse_batch(one, strlen(one), r, 2, err), 0);
    assert_true(rpc_rate_limited(r, 2));
    rpc_results_free(r, 2);
    assert_int_equal(rpc_parse_batch(whole, strlen(whole), r, 2, err), 0);
    assert_true(rpc_rate_limited(r, 2));
    rpc_result_error(&r[1], why, sizeof(why));
    assert_string_equal(why, "RPC error -32005: rate limited");
    rpc_results_free(r, 2);
}

static void test_rpc_revert_as_minus_32000_without_data(void **state)
{
    const char *reply = "[{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{\"code\":-32000,"
                        "\"message\":\"execution reverted\"}}]";
    struct rpc_result r[1];
    char err[R1_ERR_MAX], why[R1_ERR_MAX];
    assert_int_equal(rpc_parse_batch(reply, strlen(reply), r, 1, err), 0);
    assert_true(r[0].revert);
    rpc_result_error(&r[0], why, sizeof(why));
    assert_string_equal(why, "reverted: execution reverted");
    rpc_results_free(r, 1);
}

/* A second answer to one id, an id never asked, a result that is not hex, garbage: each would
 * let a hostile host bind figures to the wrong node, so the whole reply is refused. */
static void test_rpc_refuses_replies_that_do_not_line_up(void **state)
{
    static const char *const bad[] = {
        "[{\"id\":0,\"result\":\"0x01\"},{\"id\":0,\"result\":\"0x02\"}]",
        "[{\"id\":5,\"result\":\"0x01\"}]",
        "[{\"id\":-1,\"result\":\"0x01\"}]",
        "[{\"id\":\"0\",\"result\":\"0x01\"}]",
        "[{\"id\":0,\"result\":\"0xzz\"}]",
        "[{\"id\":0,\"result\":12}]",
        "[1,2]",
        "{\"id\":0,\"result\":\"0x01\"}",
        "<html>rate limited</html>",
        "",
    };
    for (size_t i = 0; i < R1_ARRAY_LEN(bad); i++) {
        struct rpc_result r[2];
        char err[R1_ERR_MAX] = "";
        if (rpc_parse_batch(bad[i], strlen(bad[i]), r, 2, err) != -1)
            fail_msg("accepted %s", bad[i]);
        assert_true(err[0] != '\0');
    }
}

static void test_rpc_chain_id_quantity_and_check_names_both_chains(void **state)
{
    int64_t id;
    char err[R1_ERR_MAX];
    assert_int_equal(rpc_quantity("0x2105", &id, err), 0);
    assert_int_equal(id, 8453);
    assert_int_equal(rpc_quantity("0x14a34", &id, err), 0); /* odd digit count is fine */
    assert_int_equal(id, 84532);
    assert_int_equal(rpc_quantity("0x", &id, err), -1);
    assert_int_equal(rpc_quantity("2105", &id, err), -1);
    assert_int_equal(rpc_quantity("0x10000000000000000", &id, err), -1);
    assert_int_equal(rpc_check_chain_id(8453, 8453, err), 0);
    assert_int_equal(rpc_check_chain_id(84532, 8453, err), -1);
    assert_string_equal(err, "the RPC serves chain 84532 (Base Sepolia), not 8453 (Base)");
    assert_int_equal(rpc_check_chain_id(77, 84532, err), -1);
    assert_string_equal(err, "the RPC serves chain 77, not 84532 (Base Sepolia)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rpc_batch_body_has_ids_methods_and_call_params),
        cmocka_unit_test(test_rpc_batch_holds_at_most_100_calls),
        cmocka_unit_test(test_rpc_replies_match_by_id_in_any_order),
        cmocka_unit_test(test_rpc_rate_limit_in_one_call_or_the_whole_batch),
        cmocka_unit_test(test_rpc_revert_as_minus_32000_without_data),
        cmocka_unit_test(test_rpc_refuses_replies_that_do_not_line_up),
        cmocka_unit_test(test_rpc_chain_id_quantity_and_check_names_both_chains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
