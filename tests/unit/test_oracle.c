/* test_oracle: the oracle reply parsers and sources (src/sources/oracle.c) against the shapes
 * of docs/protocol.md §2 (tests/data/oracle), including the protocol's traps: the misspelt
 * licence key, amounts beyond 64 bits, string-encoded dicts, errors that are only warnings,
 * and epoch lists that do not line up. */
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

#include "amount.h"
#include "config.h"
#include "derive.h"
#include "model.h"
#include "network.h"
#include "sources/oracle.h"
#include "sources/source.h"

#define FIXTURE_DIR R1_TEST_DATA "/oracle/"

#define NODE_ETH "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69"
#define NODE_ADDR "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty"

static char *fixture(const char *name, size_t *len)
{
    return test_fixture(FIXTURE_DIR, name, len);
}

/* Parse a fixture into fresh structs; returns the parser's status. */
static int parse_fixture(const char *name, struct r1_oracle_node *o, struct r1_licence *lic,
                         bool *lic_present, char *err)
{
    size_t len;
    char *buf = fixture(name, &len);
    int rc = oracle_parse_node_epochs(buf, len, o, lic, lic_present, err);
    free(buf);
    return rc;
}

static void u128_equal(r1_u128 v, const char *want)
{
    char got[64];
    amount_to_dec(got, sizeof(got), v);
    assert_string_equal(got, want);
}

/* ---- /current_epoch ----------------------------------------------------------------------- */

static void test_oracle_current_epoch_reply(void **state)
{
    size_t len;
    char *buf = fixture("current_epoch.json", &len);
    int64_t e = -1;
    char err[R1_ERR_MAX] = "";
    assert_int_equal(oracle_parse_current_epoch(buf, len, &e, err), 0);
    assert_int_equal(e, 439);
    free(buf);
}

static void test_oracle_current_epoch_bad_replies_are_errors(void **state)
{
    static const char *const bad[] = {
        "", "<html>502 Bad Gateway</html>", "[]", "{\"detail\": \"Not Found\"}",
        "{\"result\": \"439\"}", "{\"result\": {}}", "{\"result\": {\"current_epoch\": -3}}",
        "{\"result\": {\"current_epoch\": \"soon\"}}", "{\"result\": {\"current_epoch\": 43",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t e = 77;
        char err[R1_ERR_MAX] = "";
        assert_int_equal(oracle_parse_current_epoch(bad[i], strlen(bad[i]), &e, err), -1);
        assert_int_equal(e, 77);
        assert_true(err[0] != '\0');
    }
}

/* D18: epochs up to 2^62 were accepted ("nothing to claim", 0, ok). Every epoch number a reply
 * carries is bounded by R1_EPOCH_MAX (1,000,000: days since 2025), the bound itself included. */
static void test_D18_oracle_absurd_epochs_refused(void **state)
{
    (void)state;
    int64_t e = 77;
    char err[R1_ERR_MAX] = "";
    const char *ok = "{\"result\": {\"current_epoch\": 1000000}}";
    assert_int_equal(oracle_parse_current_epoch(ok, strlen(ok), &e, err), 0);
    assert_int_equal(e, 1000000);
    static const char *const big[] = {
        "{\"result\": {\"current_epoch\": 1000001}}",
        "{\"result\": {\"current_epoch\": 4611686018427387904}}",
        "{\"result\": {\"server_current_epoch\": 4611686018427387904}}",
    };
    for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
        e = 77;
        assert_int_equal(oracle_parse_current_epoch(big[i], strlen(big[i]), &e, err), -1);
        assert_int_equal(e, 77);
        assert_string_equal(err, "oracle reply: result.current_epoch is missing or not an epoch "
                                 "number (0..1000000)");
    }

    struct r1_oracle_node o;
    struct r1_licence lic;
    bool lp;
    memset(&o, 0, sizeof(o));
    memset(&lic, 0, sizeof(lic));
    /* last_epoch_id */
    const char *last = "{\"result\": {\"node\": \"" NODE_ADDR "\", \"last_epoch_id\": "
                       "4611686018427387904, \"last_epoch_val\": 255}}";
    assert_int_equal(oracle_parse_node_epochs(last, strlen(last), &o, &lic, &lp, err), -1);
    assert_string_equal(err, "oracle reply: last_epoch_id 4611686018427387904 is not an epoch "
                             "number (0..1000000)");
    /* an epochs list that starts past the bound */
    const char *range = "{\"result\": {\"node\": \"" NODE_ADDR "\", \"epochs\": [1000001], "
                        "\"epochs_vals\": [255]}}";
    assert_int_equal(oracle_parse_node_epochs(range, strlen(range), &o, &lic, &lp, err), -1);
    assert_non_null(strstr(err, "epochs[0] is not an epoch number (0..1000000)"));
    /* lastClaimEpoch and the server epochs are unknown, the rest of the reply stands */
    const char *rest = "{\"result\": {\"node\": \"" NODE_ADDR "\", \"node_alias\": \"a\", "
                       "\"server_current_epoch\": 4611686018427387904, "
                       "\"server_last_synced_epoch\": 438, \"node_license_info\": "
                       "{\"licenseType\": 1, \"lastClaimEpoch\": 4611686018427387904}}}";
    assert_int_equal(oracle_parse_node_epochs(rest, strlen(rest), &o, &lic, &lp, err), 0);
    assert_true(R1_VALID(&o, ORC_ALIAS));
    assert_false(R1_VALID(&o, ORC_SERVER));
    assert_true(lp);
    assert_true(R1_VALID(&lic, LIC_TYPE));
    assert_false(R1_VALID(&lic, LIC_LAST_CLAIM));
    free(o.epochs_u8);
    /* the Python dict of recent epochs */
    struct r1_epoch_val ev[4];
    int n = -1;
    assert_int_equal(oracle_parse_pydict_epochs("{4611686018427387904: 255}", ev, 4, &n, err), -1);
    assert_int_equal(oracle_parse_pydict_epochs("{1000001: 255}", ev, 4, &n, err), -1);
    assert_int_equal(oracle_parse_pydict_epochs("{1000000: 255}", ev, 4, &n, err), 0);
    assert_int_equal(n, 1);
}

/* D10: the node-epochs block's resources.gpu_name names the node's GPU, which
 * local_history.json does not. */
static void test_D10_oracle_reply_gpu_name(void **state)
{
    (void)state;
    struct r1_oracle_node o;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    const char *r = "{\"result\": {\"node\": \"" NODE_ADDR "\", \"resources\": {\"default_cuda\": "
                    "\"cuda:0\", \"gpu_name\": \"NVIDIA A100 80GB PCIe\\u001b[2J\"}}}";
    assert_int_equal(oracle_parse_node_epochs(r, strlen(r), &o, NULL, NULL, err), 0);
    assert_true(R1_VALID(&o, ORC_GPU_NAME));
    assert_string_equal(o.gpu_name, "NVIDIA A100 80GB PCIe?");
    const char *none = "{\"result\": {\"node\": \"" NODE_ADDR "\", \"resources\": {\"gpu_name\": "
                       "null}}}";
    assert_int_equal(oracle_parse_node_epochs(none, strlen(none), &o, NULL, NULL, err), 0);
    assert_false(R1_VALID(&o, ORC_GPU_NAME));
    free(o.epochs_u8);
}

static void test_oracle_current_epoch_as_string_is_read(void **state)
{
    static const char doc[] = "{\"result\": {\"current_epoch\": \"440\"}}";
    int64_t e = 0;
    char err[R1_ERR_MAX] = "";
    assert_int_equal(oracle_parse_current_epoch(doc, strlen(doc), &e, err), 0);
    assert_int_equal(e, 440);
}

/* ---- node_last_epoch / node_epochs_range --------------------------------------------------- */

static void test_oracle_last_epoch_reply(void **state)
{
    struct r1_oracle_node o;
    struct r1_licence lic;
    bool present = false;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    memset(&lic, 0, sizeof(lic));
    assert_int_equal(parse_fixture("node_last_epoch.json", &o, &lic, &present, err), 0);
    assert_string_equal(o.node_alias, "test1");
    assert_string_equal(o.node_eth, NODE_ETH);
    assert_true(o.is_online);
    assert_true(fabs(o.last_seen_s - 4.1) < 1e-9);
    assert_string_equal(o.node_version, "2.9.370");
    assert_false(o.is_oracle);
    assert_int_equal(o.last_epoch_id, 438);
    assert_int_equal(o.last_epoch_u8, 255);
    assert_int_equal(o.n_epochs, 1);
    assert_int_equal(o.from_epoch, 438);
    assert_int_equal(o.to_epoch, 438);
    assert_int_equal(o.epochs_u8[0], 255);
    assert_string_equal(o.server_alias, "r1s-01");
    assert_int_equal(o.server_current_epoch, 439);
    assert_int_equal(o.server_last_synced_epoch, 438);
    assert_string_equal(o.oracle_error, "");
    assert_int_equal(o.trust, R1_TRUST_UNCHECKED);
    static const int fields[] = {ORC_ALIAS, ORC_ETH, ORC_ONLINE, ORC_LAST_SEEN, ORC_VERSION,
                                 ORC_LAST_EPOCH, ORC_EPOCHS, ORC_SERVER, ORC_IS_ORACLE};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        assert_true(R1_VALID(&o, fields[i]));
    free(o.epochs_u8);
}

static void test_oracle_misspelt_licence_key(void **state)
{
    /* The fixture has node_license_info: null and the details under node_licese_info. */
    struct r1_oracle_node o;
    struct r1_licence lic;
    bool present = false;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    memset(&lic, 0, sizeof(lic));
    assert_int_equal(parse_fixture("node_last_epoch.json", &o, &lic, &present, err), 0);
    assert_true(present);
    assert_int_equal(lic.type, R1_LIC_ND);
    assert_int_equal(lic.licence_id, 1234);
    assert_string_equal(lic.owner, "0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5");
    assert_string_equal(lic.node_address, NODE_ETH);
    assert_int_equal(lic.last_claim_epoch, 410);
    assert_true(lic.assign_timestamp == 1748016000.0);
    assert_string_equal(lic.last_claim_oracle, NODE_ETH);
    assert_false(lic.is_banned);
    assert_true(lic.is_valid);
    static const int fields[] = {LIC_TYPE, LIC_ID, LIC_OWNER, LIC_NODE_ADDR, LIC_ASSIGNED,
                                 LIC_CLAIMED, LIC_LAST_CLAIM, LIC_ASSIGN_TS, LIC_LAST_ORACLE,
                                 LIC_BANNED, LIC_VALID};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        assert_true(R1_VALID(&lic, fields[i]));
    /* This SDK version leaves the PoAI amounts out (docs/protocol.md §5.2): unknown, not zero. */
    assert_false(R1_VALID(&lic, LIC_POAI_USDC));
    assert_false(R1_VALID(&lic, LIC_POAI_R1));
    free(o.epochs_u8);
}

static void test_oracle_correct_licence_key_wins_when_both_are_objects(void **state)
{
    static const char doc[] =
        "{\"result\": {\"node\": \"" NODE_ADDR "\","
        " \"node_license_info\": {\"licenseType\": 2, \"licenseId\": 7},"
        " \"node_licese_info\": {\"licenseType\": 1, \"licenseId\": 8}}}";
    struct r1_oracle_node o;
    struct r1_licence lic;
    bool present = false;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    memset(&lic, 0, sizeof(lic));
    assert_int_equal(oracle_parse_node_epochs(doc, strlen(doc), &o, &lic, &present, err), 0);
    assert_true(present);
    assert_int_equal(lic.type, R1_LIC_MND);
    assert_int_equal(lic.licence_id, 7);
}

static void test_oracle_null_licence_keys_leave_licence_alone(void **state)
{
    struct r1_oracle_node o;
    struct r1_licence lic;
    bool present = true;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    memset(&lic, 0, sizeof(lic));
    lic.licence_id = 99;
    R1_MARK(&lic, LIC_ID);
    assert_int_equal(parse_fixture("node_epochs_range.json", &o, &lic, &present, err), 0);
    assert_false(present);
    assert_int_equal(lic.licence_id, 99);
    assert_true(R1_VALID(&lic, LIC_ID));
    free(o.epochs_u8);
}

static void test_licence_amount_beyond_64_bits(void **state)
{
    struct r1_oracle_node o;
    struct r1_licence lic;
    bool present = false;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    memset(&lic, 0, sizeof(lic));
    /* 1575188843457943924600 wei: a double would give ...943961600 (docs/protocol.md §2.6). */
    assert_int_equal(parse_fixture("node_last_epoch.json", &o, &lic, &present, err), 0);
    u128_equal(lic.total_assigned_wei, "1575188843457943924600");
    u128_equal(lic.total_claimed_wei, "36462704709674627875");
    free(o.epochs_u8);
}

static void test_licence_amounts_as_strings_and_poai_fields(void **state)
{
    static const char doc[] =
        "{\"result\": {\"node\": \"" NODE_ADDR "\", \"node_license_info\": {"
        "\"licenseType\": \"ND\", \"licenseId\": \"42\","
        " \"totalAssignedAmount\": \"1575188843457943924600\","
        " \"totalClaimedAmount\": \"0x1\", \"usdcPoaiRewards\": 1250000,"
        " \"r1PoaiRewards\": 340282366920938463463374607431768211455}}}";
    struct r1_oracle_node o;
    struct r1_licence lic;
    bool present = false;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    memset(&lic, 0, sizeof(lic));
    assert_int_equal(oracle_parse_node_epochs(doc, strlen(doc), &o, &lic, &present, err), 0);
    assert_true(present);
    assert_int_equal(lic.type, R1_LIC_ND);
    assert_int_equal(lic.licence_id, 42);
    u128_equal(lic.total_assigned_wei, "1575188843457943924600");
    u128_equal(lic.total_claimed_wei, "1");
    u128_equal(lic.poai_usdc_micro, "1250000");
    u128_equal(lic.poai_r1_wei, "340282366920938463463374607431768211455");   /* 2^128-1 */
    assert_true(R1_VALID(&lic, LIC_POAI_R1));
}

static void test_licence_amount_above_128_bits_is_unknown(void **state)
{
    static const char doc[] =
        "{\"result\": {\"node\": \"" NODE_ADDR "\", \"node_license_info\": {"
        "\"totalAssignedAmount\": 340282366920938463463374607431768211456,"
        " \"totalClaimedAmount\": -5, \"r1PoaiRewards\": 1.5}}}";
    struct r1_oracle_node o;
    struct r1_licence lic;
    bool present = false;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    memset(&lic, 0, sizeof(lic));
    assert_int_equal(oracle_parse_node_epochs(doc, strlen(doc), &o, &lic, &present, err), 0);
    assert_true(present);
    assert_false(R1_VALID(&lic, LIC_ASSIGNED));
    assert_false(R1_VALID(&lic, LIC_CLAIMED));
    assert_false(R1_VALID(&lic, LIC_POAI_R1));
}

static void test_licence_dict_sent_as_json_string(void **state)
{
    static const char doc[] =
        "{\"result\": {\"node\": \"" NODE_ADDR "\", \"node_license_info\": \"not a dict\","
        " \"node_licese_info\": \"{\\\"licenseType\\\": 1, \\\"licenseId\\\": 5,"
        " \\\"totalAssignedAmount\\\": 1575188843457943924600, \\\"lastClaimEpoch\\\": 400,"
        " \\\"owner\\\": \\\"0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5\\\","
        " \\\"isBanned\\\": false}\"}}";
    struct r1_oracle_node o;
    struct r1_licence lic;
    bool present = false;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    memset(&lic, 0, sizeof(lic));
    assert_int_equal(oracle_parse_node_epochs(doc, strlen(doc), &o, &lic, &present, err), 0);
    assert_true(present);
    assert_int_equal(lic.licence_id, 5);
    assert_int_equal(lic.last_claim_epoch, 400);
    u128_equal(lic.total_assigned_wei, "1575188843457943924600");
    assert_string_equal(lic.owner, "0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5");
    assert_true(R1_VALID(&lic, LIC_BANNED));
}

static void test_oracle_error_unknown_node_is_warning(void **state)
{
    struct r1_oracle_node o;
    struct r1_licence lic;
    bool present = true;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    memset(&lic, 0, sizeof(lic));
    assert_int_equal(parse_fixture("unknown_node.json", &o, &lic, &present, err), 0);
    assert_non_null(strstr(o.oracle_error, "[No internal node address found]"));
    assert_false(R1_VALID(&o, ORC_EPOCHS));
    assert_false(R1_VALID(&o, ORC_ALIAS));
    assert_true(R1_VALID(&o, ORC_SERVER));
    assert_int_equal(o.server_last_synced_epoch, 438);
    assert_false(present);
    assert_null(o.epochs_u8);
}

static void test_oracle_no_epochs_short_form(void **state)
{
    struct r1_oracle_node o;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    assert_int_equal(parse_fixture("no_epochs.json", &o, NULL, NULL, err), 0);
    assert_string_equal(o.oracle_error, "No epochs found for the given node");
    assert_string_equal(o.node_alias, "test1");
    assert_true(R1_VALID(&o, ORC_ONLINE));
    assert_false(o.is_online);
    assert_false(R1_VALID(&o, ORC_EPOCHS));
    assert_false(R1_VALID(&o, ORC_LAST_EPOCH));
}

static void test_oracle_state_not_valid_keeps_epochs(void **state)
{
    struct r1_oracle_node o;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    assert_int_equal(parse_fixture("state_not_valid.json", &o, NULL, NULL, err), 0);
    assert_non_null(strstr(o.oracle_error, "Oracle state is not valid"));
    assert_true(R1_VALID(&o, ORC_EPOCHS));
    assert_int_equal(o.n_epochs, 3);
    assert_int_equal(o.from_epoch, 436);
    assert_int_equal(o.epochs_u8[2], 254);
    free(o.epochs_u8);
}

static void test_oracle_range_epochs_stored_contiguous(void **state)
{
    struct r1_oracle_node o;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    assert_int_equal(parse_fixture("node_epochs_range.json", &o, NULL, NULL, err), 0);
    assert_int_equal(o.n_epochs, 3);
    assert_int_equal(o.from_epoch, 431);
    assert_int_equal(o.to_epoch, 433);
    assert_int_equal(o.epochs_u8[0], 255);
    assert_int_equal(o.epochs_u8[1], 250);
    assert_int_equal(o.epochs_u8[2], 0);
    assert_false(R1_VALID(&o, ORC_LAST_EPOCH));
    free(o.epochs_u8);
}

/* Every rejected reply must leave the previous values (and their epochs buffer) in place. */
static void expect_rejected(const char *doc, const char *err_part)
{
    struct r1_oracle_node o;
    struct r1_licence lic;
    bool present = false;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    memset(&lic, 0, sizeof(lic));
    assert_int_equal(parse_fixture("node_epochs_range.json", &o, &lic, &present, err), 0);
    uint8_t *before = o.epochs_u8;
    struct r1_oracle_node copy = o;
    assert_int_equal(oracle_parse_node_epochs(doc, strlen(doc), &o, &lic, &present, err), -1);
    assert_ptr_equal(o.epochs_u8, before);
    assert_memory_equal(&o, &copy, sizeof(o));
    assert_int_equal(lic.meta.valid, 0);
    if (strstr(err, err_part) == NULL)
        fail_msg("error \"%s\" does not mention \"%s\"", err, err_part);
    free(o.epochs_u8);
}

static void test_oracle_mismatched_epochs_arrays_rejected(void **state)
{
    expect_rejected("{\"result\": {\"node_alias\": \"x\", \"epochs\": [431, 432, 433],"
                    " \"epochs_vals\": [255, 250],"
                    " \"node_license_info\": {\"licenseId\": 1}}}", "3 epochs but 2");
    expect_rejected("{\"result\": {\"epochs\": [431], \"epochs_vals\": null}}", "two lists");
    expect_rejected("{\"result\": {\"epochs\": \"431\", \"epochs_vals\": [1]}}", "two lists");
}

static void test_oracle_non_contiguous_epochs_rejected(void **state)
{
    expect_rejected("{\"result\": {\"epochs\": [431, 432, 434], \"epochs_vals\": [1, 2, 3]}}",
                    "not contiguous");
    expect_rejected("{\"result\": {\"epochs\": [433, 432, 431], \"epochs_vals\": [1, 2, 3]}}",
                    "not contiguous");
    expect_rejected("{\"result\": {\"epochs\": [431, 431], \"epochs_vals\": [1, 2]}}",
                    "not contiguous");
    expect_rejected("{\"result\": {\"epochs\": [431, 432], \"epochs_vals\": [1, 2],"
                    " \"from_epoch\": 430, \"to_epoch\": 432}}", "from_epoch");
}

static void test_oracle_epoch_value_out_of_range_rejected(void **state)
{
    expect_rejected("{\"result\": {\"epochs\": [431, 432], \"epochs_vals\": [255, 256]}}",
                    "0..255");
    expect_rejected("{\"result\": {\"epochs\": [431], \"epochs_vals\": [-1]}}", "0..255");
    expect_rejected("{\"result\": {\"epochs\": [431], \"epochs_vals\": [254.5]}}", "0..255");
    expect_rejected("{\"result\": {\"epochs\": [431], \"epochs_vals\": [\"255\"]}}", "0..255");
    expect_rejected("{\"result\": {\"epochs\": [\"x\"], \"epochs_vals\": [1]}}", "epochs[0]");
    expect_rejected("{\"result\": {\"last_epoch_id\": 438, \"last_epoch_val\": 300}}", "0..255");
}

static void test_oracle_bad_envelope_rejected(void **state)
{
    expect_rejected("", "empty");
    expect_rejected("[1, 2]", "result");
    expect_rejected("{\"result\": null}", "result");
    expect_rejected("{\"result\": [1]}", "result");
    expect_rejected("{\"detail\": \"Internal Server Error\"}", "result");
    expect_rejected("{\"result\": {\"foo\": 1}}", "node-epochs");
    expect_rejected("{\"result\": {\"node\": \"0xai_x\", \"epochs\": [431, 43", "truncated");
    expect_rejected("\xff\xfe garbage \x01", "invalid JSON");
}

static void test_oracle_truncated_reply_keeps_previous_values(void **state)
{
    size_t len;
    char *buf = fixture("node_last_epoch.json", &len);
    struct r1_oracle_node o;
    struct r1_licence lic;
    bool present = false;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    memset(&lic, 0, sizeof(lic));
    assert_int_equal(oracle_parse_node_epochs(buf, len, &o, &lic, &present, err), 0);
    struct r1_oracle_node copy = o;
    struct r1_licence lic_copy = lic;
    for (size_t cut = 1; cut < len - 2; cut += 11) {
        char *part = malloc(cut);
        assert_non_null(part);
        memcpy(part, buf, cut);    /* no terminator: over-reads show under valgrind */
        assert_int_equal(oracle_parse_node_epochs(part, cut, &o, &lic, &present, err), -1);
        assert_memory_equal(&o, &copy, sizeof(o));
        assert_memory_equal(&lic, &lic_copy, sizeof(lic));
        free(part);
    }
    free(o.epochs_u8);
    free(buf);
}

static void test_oracle_huge_epochs_arrays(void **state)
{
    size_t cap = 2u * 1024 * 1024, o = 0;
    int n = 5000;
    char *doc = malloc(cap);
    assert_non_null(doc);
    o += (size_t)snprintf(doc + o, cap - o, "{\"result\": {\"epochs\": [");
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(doc + o, cap - o, "%d%s", 1000 + i, i < n - 1 ? "," : "");
    o += (size_t)snprintf(doc + o, cap - o, "], \"epochs_vals\": [");
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(doc + o, cap - o, "%d%s", i % 256, i < n - 1 ? "," : "");
    snprintf(doc + o, cap - o, "]}}");
    struct r1_oracle_node on;
    char err[R1_ERR_MAX] = "";
    memset(&on, 0, sizeof(on));
    assert_int_equal(oracle_parse_node_epochs(doc, strlen(doc), &on, NULL, NULL, err), 0);
    assert_int_equal(on.n_epochs, n);
    assert_int_equal(on.to_epoch, 1000 + n - 1);
    assert_int_equal(on.epochs_u8[n - 1], (n - 1) % 256);
    free(on.epochs_u8);

    /* Past the cap: refused before anything is allocated for it. */
    n = ORACLE_EPOCHS_MAX + 1;
    cap = 16u * 1024 * 1024;
    free(doc);
    doc = malloc(cap);
    assert_non_null(doc);
    o = (size_t)snprintf(doc, cap, "{\"result\": {\"epochs\": [");
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(doc + o, cap - o, "%d%s", i, i < n - 1 ? "," : "");
    o += (size_t)snprintf(doc + o, cap - o, "], \"epochs_vals\": [");
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(doc + o, cap - o, "1%s", i < n - 1 ? "," : "");
    snprintf(doc + o, cap - o, "]}}");
    memset(&on, 0, sizeof(on));
    assert_int_equal(oracle_parse_node_epochs(doc, strlen(doc), &on, NULL, NULL, err), -1);
    assert_non_null(strstr(err, "more than"));
    free(doc);
}

static void test_oracle_empty_epoch_lists_are_a_value(void **state)
{
    static const char doc[] = "{\"result\": {\"node\": \"" NODE_ADDR "\", \"epochs\": [],"
                              " \"epochs_vals\": [], \"from_epoch\": 440}}";
    struct r1_oracle_node o;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    assert_int_equal(oracle_parse_node_epochs(doc, strlen(doc), &o, NULL, NULL, err), 0);
    assert_true(R1_VALID(&o, ORC_EPOCHS));
    assert_int_equal(o.n_epochs, 0);
    assert_int_equal(o.from_epoch, 440);
    free(o.epochs_u8);
}

static void test_oracle_escape_codes_in_alias_are_sanitised(void **state)
{
    static const char doc[] =
        "{\"result\": {\"node_alias\": \"\\u001b]52;c;cHduZWQ=\\u0007\\u001b[1;31mevil\","
        " \"server_alias\": \"r1s\\r\\n01\", \"node_version\": \"2.9\\u0000x\","
        " \"error\": \"bad\\u001b[2J\"}}";
    struct r1_oracle_node o;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    assert_int_equal(oracle_parse_node_epochs(doc, strlen(doc), &o, NULL, NULL, err), 0);
    const char *const strs[] = {o.node_alias, o.server_alias, o.oracle_error, o.node_version};
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        for (const char *p = strs[i]; *p != '\0'; p++)
            assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p != 0x7f);
    assert_non_null(strstr(o.node_alias, "evil"));
}

static void test_oracle_reparse_replaces_old_epochs(void **state)
{
    struct r1_oracle_node o;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    o.meta.updated_at = 5.0;
    R1_MARK(&o, ORC_ALIAS);
    assert_int_equal(parse_fixture("node_epochs_range.json", &o, NULL, NULL, err), 0);
    assert_int_equal(parse_fixture("state_not_valid.json", &o, NULL, NULL, err), 0);
    assert_int_equal(o.from_epoch, 436);
    assert_true(o.meta.updated_at == 5.0);   /* meta travels, only the bits are redone */
    /* Under valgrind: the first epochs buffer must have been freed. */
    assert_int_equal(parse_fixture("unknown_node.json", &o, NULL, NULL, err), 0);
    assert_null(o.epochs_u8);
    assert_false(R1_VALID(&o, ORC_ALIAS));
}

/* ---- Python dict repr --------------------------------------------------------------------- */

static void test_oracle_pydict_epochs_last_10_ep(void **state)
{
    struct r1_epoch_val v[16];
    int n = -1;
    char err[R1_ERR_MAX] = "";
    assert_int_equal(oracle_parse_pydict_epochs("{430: 255, 431: 254}", v, 16, &n, err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].epoch, 430);
    assert_int_equal(v[0].avail_u8, 255);
    assert_int_equal(v[1].epoch, 431);
    assert_int_equal(v[1].avail_u8, 254);
    /* Out of order, quoted keys, None, odd spacing. */
    assert_int_equal(oracle_parse_pydict_epochs(" { '433':0 ,\"432\" : 12,434: None } ", v, 16, &n,
                                                err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].epoch, 432);
    assert_int_equal(v[1].epoch, 433);
    assert_int_equal(v[1].avail_u8, 0);
    assert_int_equal(oracle_parse_pydict_epochs("{}", v, 16, &n, err), 0);
    assert_int_equal(n, 0);
}

static void test_oracle_pydict_epochs_keeps_newest(void **state)
{
    struct r1_epoch_val v[3];
    int n = 0;
    char err[R1_ERR_MAX] = "";
    assert_int_equal(oracle_parse_pydict_epochs("{5: 5, 1: 1, 4: 4, 2: 2, 3: 3}", v, 3, &n, err),
                     0);
    assert_int_equal(n, 3);
    assert_int_equal(v[0].epoch, 3);
    assert_int_equal(v[2].epoch, 5);
}

static void test_oracle_pydict_epochs_rejects_other_text(void **state)
{
    static const char *const bad[] = {
        "", "[430, 255]", "{430: 256}", "{430: -1}", "{430 255}", "{430: 255", "{430: 255,}x",
        "{'430: 255}", "{abc: 1}", "{430: 255} extra", "{99999999999999999999: 1}",
    };
    struct r1_epoch_val v[4];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int n = -7;
        char err[R1_ERR_MAX] = "";
        if (oracle_parse_pydict_epochs(bad[i], v, 4, &n, err) != -1)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(n, -7);
        assert_non_null(strstr(err, "epoch dict"));
    }
}

/* ---- sources ------------------------------------------------------------------------------ */

struct env {
    struct r1_config cfg;
    struct r1_fleet fleet;
    struct r1_node node;
    struct r1_source_ctx ctx;
    struct r1_request req;
    char err[R1_ERR_MAX];
};

static void env_init(struct env *e)
{
    memset(e, 0, sizeof(*e));
    e->cfg.oracle_enabled = true;
    e->cfg.net = network_get(R1_NET_MAINNET);
    e->cfg.max_body_bytes = 1u << 20;
    e->cfg.http_timeout_ms = 8000;
    e->fleet.net = e->cfg.net;
    snprintf(e->fleet.oracle_url, sizeof(e->fleet.oracle_url), "https://oracle.ratio1.ai");
    e->ctx.cfg = &e->cfg;
    e->ctx.fleet = &e->fleet;
    e->ctx.now = 1786010400.0;   /* 2026-08-06 10:00:00 UTC */
}

static void env_free(struct env *e)
{
    free(e->node.orc.epochs_u8);
    free(e->node.range.epochs_u8);
}

/* The fixtures' replies carry server_time "2026-08-05 10:00:00" (UTC) and server epoch 439: a
 * reply is used only near the time it was made (D6), so the apply tests run 30 s after it
 * (the clock's epoch then is 438, within one of the reply's). */
#define FIXTURE_SERVER_TIME 1785924000.0

static void env_init_at_fixture_time(struct env *e)
{
    env_init(e);
    e->ctx.now = FIXTURE_SERVER_TIME + 30;
    snprintf(e->node.eth_cfg, sizeof(e->node.eth_cfg), NODE_ETH);
}

static void test_oracle_last_url_prefers_eth_address(void **state)
{
    struct env e;
    env_init(&e);
    snprintf(e.node.eth_cfg, sizeof(e.node.eth_cfg), NODE_ETH);
    snprintf(e.node.addr_cfg, sizeof(e.node.addr_cfg), NODE_ADDR);
    assert_int_equal(source_oracle_last.prepare(&e.ctx, &e.node, &e.req, e.err), 0);
    assert_string_equal(e.req.url, "https://oracle.ratio1.ai/node_last_epoch?eth_node_addr="
                                   NODE_ETH "&include_bc_info=true");
    assert_int_equal(e.req.max_bytes, 1u << 20);
    assert_int_equal(e.req.timeout_ms, 8000);
}

static void test_oracle_last_url_falls_back_to_node_address(void **state)
{
    struct env e;
    env_init(&e);
    snprintf(e.node.addr_cfg, sizeof(e.node.addr_cfg), "0xai_A+b/c=");
    assert_int_equal(source_oracle_last.prepare(&e.ctx, &e.node, &e.req, e.err), 0);
    /* Addresses are escaped: a hostile or odd one cannot add query parameters. */
    assert_string_equal(e.req.url, "https://oracle.ratio1.ai/node_last_epoch?node_addr="
                                   "0xai_A%2Bb%2Fc%3D&include_bc_info=true");
}

static void test_oracle_sources_skip_unknown_node_and_disabled_oracle(void **state)
{
    struct env e;
    env_init(&e);
    assert_int_equal(source_oracle_last.prepare(&e.ctx, &e.node, &e.req, e.err), 1);
    assert_int_equal(source_oracle_range.prepare(&e.ctx, &e.node, &e.req, e.err), 1);
    assert_int_equal(source_oracle_epoch.prepare(&e.ctx, NULL, &e.req, e.err), 0);
    e.cfg.oracle_enabled = false;
    snprintf(e.node.eth_cfg, sizeof(e.node.eth_cfg), NODE_ETH);
    assert_int_equal(source_oracle_epoch.prepare(&e.ctx, NULL, &e.req, e.err), 1);
    assert_int_equal(source_oracle_last.prepare(&e.ctx, &e.node, &e.req, e.err), 1);
    assert_int_equal(source_oracle_range.prepare(&e.ctx, &e.node, &e.req, e.err), 1);
}

static void test_oracle_config_url_overrides_network(void **state)
{
    struct env e;
    env_init(&e);
    snprintf(e.cfg.oracle_url, sizeof(e.cfg.oracle_url), "http://127.0.0.1:8080/");
    assert_int_equal(source_oracle_epoch.prepare(&e.ctx, NULL, &e.req, e.err), 0);
    assert_string_equal(e.req.url, "http://127.0.0.1:8080/current_epoch");
    e.cfg.oracle_url[0] = '\0';
    assert_int_equal(source_oracle_epoch.prepare(&e.ctx, NULL, &e.req, e.err), 0);
    assert_string_equal(e.req.url, "https://oracle.ratio1.ai/current_epoch");
}

static void test_oracle_range_window_ends_at_last_synced_epoch(void **state)
{
    struct env e;
    env_init(&e);
    snprintf(e.node.eth_cfg, sizeof(e.node.eth_cfg), NODE_ETH);
    e.node.orc.server_current_epoch = 439;
    e.node.orc.server_last_synced_epoch = 437;
    R1_MARK(&e.node.orc, ORC_SERVER);
    assert_int_equal(source_oracle_range.prepare(&e.ctx, &e.node, &e.req, e.err), 0);
    assert_string_equal(e.req.url, "https://oracle.ratio1.ai/node_epochs_range?start_epoch=408"
                                   "&end_epoch=437&eth_node_addr=" NODE_ETH);
    /* Reaches back to the last claim for the PoA estimate. */
    e.node.lic.last_claim_epoch = 300;
    R1_MARK(&e.node.lic, LIC_LAST_CLAIM);
    assert_int_equal(source_oracle_range.prepare(&e.ctx, &e.node, &e.req, e.err), 0);
    assert_non_null(strstr(e.req.url, "start_epoch=300&end_epoch=437&"));
    /* A claim newer than the chart window does not shrink it. */
    e.node.lic.last_claim_epoch = 430;
    assert_int_equal(source_oracle_range.prepare(&e.ctx, &e.node, &e.req, e.err), 0);
    assert_non_null(strstr(e.req.url, "start_epoch=408&"));
}

/* The window ends before the fleet's current epoch as derive.c defines it (D3): a verified
 * oracle epoch within one of the clock's, else the clock's. */
static void test_oracle_range_window_from_fleet_epoch(void **state)
{
    struct env e;
    env_init(&e);
    snprintf(e.node.eth_cfg, sizeof(e.node.eth_cfg), NODE_ETH);
    /* 20 days and an hour after mainnet genesis: the clock says epoch 20 */
    e.ctx.now = 1748016000.0 + 20 * 86400 + 3600;
    e.fleet.epoch.current_epoch = 21;
    e.fleet.epoch.trust = R1_TRUST_VERIFIED;
    R1_MARK(&e.fleet.epoch, FLEET_EPOCH);
    assert_int_equal(source_oracle_range.prepare(&e.ctx, &e.node, &e.req, e.err), 0);
    /* 21-1 = 20 ends the window; 20-29 is clamped at epoch 0. */
    assert_non_null(strstr(e.req.url, "?start_epoch=0&end_epoch=20&"));
    /* the same figure unverified does not move the window: the clock's 20 does */
    e.fleet.epoch.trust = R1_TRUST_UNSIGNED;
    assert_int_equal(source_oracle_range.prepare(&e.ctx, &e.node, &e.req, e.err), 0);
    assert_non_null(strstr(e.req.url, "?start_epoch=0&end_epoch=19&"));
    /* nor does a verified one five epochs away from the clock's */
    e.fleet.epoch.trust = R1_TRUST_VERIFIED;
    e.fleet.epoch.current_epoch = 25;
    assert_int_equal(source_oracle_range.prepare(&e.ctx, &e.node, &e.req, e.err), 0);
    assert_non_null(strstr(e.req.url, "?start_epoch=0&end_epoch=19&"));
}

static void test_oracle_range_window_from_clock(void **state)
{
    struct env e;
    env_init(&e);
    snprintf(e.node.eth_cfg, sizeof(e.node.eth_cfg), NODE_ETH);
    /* Mainnet genesis 2025-05-23 16:00 UTC, 1-day epochs: 2026-08-06 10:00 is epoch 439. */
    assert_int_equal(source_oracle_range.prepare(&e.ctx, &e.node, &e.req, e.err), 0);
    assert_non_null(strstr(e.req.url, "?start_epoch=409&end_epoch=438&"));
}

static void test_oracle_epoch_apply_sets_fleet_epoch(void **state)
{
    struct env e;
    size_t len;
    env_init_at_fixture_time(&e);
    char *buf = fixture("current_epoch.json", &len);
    struct r1_reply reply = {.url = "https://oracle.ratio1.ai/current_epoch", .body = buf,
                             .len = len, .http_code = 200};
    /* The fixture's EE_SIGN is a placeholder: the figure is stored with its BAD verdict (so a
     * person can see what it claimed) and the source counts as failed ... */
    assert_int_equal(source_oracle_epoch.apply(&e.ctx, NULL, &reply, e.err), R1_APPLY_STORED_BAD);
    assert_true(e.err[0] != '\0');
    assert_int_equal(e.fleet.epoch.trust, R1_TRUST_BAD);
    assert_int_equal(e.fleet.epoch.current_epoch, 439);
    assert_true(R1_VALID(&e.fleet.epoch, FLEET_EPOCH));
    /* ... but a forged epoch would shift every range and estimate: the clock's (438) stands in */
    derive_epoch(&e.fleet, e.ctx.now);
    assert_int_equal(e.fleet.epoch_now, 438);
    assert_false(e.fleet.epoch_from_oracle);
    assert_ptr_equal(source_oracle_epoch.meta(&e.fleet, NULL), &e.fleet.epoch.meta);
    assert_int_equal(source_oracle_epoch.scope, R1_SCOPE_FLEET);
    free(buf);

    /* Without any signature the figure is stored, marked unsigned, and still not used (D3). */
    const char *unsigned_reply = "{\"result\":{\"current_epoch\":439,\"server_alias\":\"r1s-01\"},"
                                 "\"server_node_addr\":\"0xai_x\"}";
    struct r1_reply r2 = {.url = reply.url, .body = unsigned_reply, .len = strlen(unsigned_reply),
                          .http_code = 200};
    assert_int_equal(source_oracle_epoch.apply(&e.ctx, NULL, &r2, e.err), 0);
    assert_int_equal(e.fleet.epoch.current_epoch, 439);
    assert_true(R1_VALID(&e.fleet.epoch, FLEET_EPOCH));
    assert_int_equal(e.fleet.epoch.trust, R1_TRUST_UNSIGNED);
    derive_epoch(&e.fleet, e.ctx.now);
    assert_int_equal(e.fleet.epoch_now, 438);
    assert_false(e.fleet.epoch_from_oracle);
}

static void test_oracle_last_apply_stores_node_and_licence(void **state)
{
    struct env e;
    size_t len;
    env_init_at_fixture_time(&e);
    char *buf = fixture("node_last_epoch.json", &len);
    struct r1_reply reply = {.url = "https://oracle.ratio1.ai/node_last_epoch", .body = buf,
                             .len = len, .http_code = 200};
    /* The fixture's EE_SIGN is the protocol notes' placeholder: stored with its verdict, but
     * the source has failed (the poller counts it as a bad signature). */
    assert_int_equal(source_oracle_last.apply(&e.ctx, &e.node, &reply, e.err),
                     R1_APPLY_STORED_BAD);
    assert_true(e.err[0] != '\0');
    assert_string_equal(e.node.orc.node_alias, "test1");
    assert_int_equal(e.node.orc.trust, R1_TRUST_BAD);
    assert_true(e.node.orc.trust_reason[0] != '\0');
    /* the reply is bound to the node it names */
    assert_string_equal(e.node.orc.node_addr, NODE_ADDR);
    assert_true(R1_VALID(&e.node.lic, LIC_ASSIGNED));
    u128_equal(e.node.lic.total_assigned_wei, "1575188843457943924600");
    /* The licence carries the verdict of the reply it came from (D4) ... */
    assert_int_equal(e.node.lic.trust, R1_TRUST_BAD);
    assert_string_equal(e.node.lic.trust_reason, e.node.orc.trust_reason);
    /* ... and, riding in this reply, its group is stamped here, fed by this source. */
    assert_true(e.node.lic.meta.updated_at == e.ctx.now);
    assert_int_equal(e.node.lic.meta.fed_by, SRC_ORACLE_LAST + 1);
    assert_true(e.node.orc.meta.updated_at == 0.0);   /* the poller stamps orc itself */
    assert_ptr_equal(source_oracle_last.meta(&e.fleet, &e.node), &e.node.orc.meta);
    free(buf);
    env_free(&e);
}

/* The oracle's answer for a node it never saw names no node (only the address asked about, in
 * its error text), so it cannot be bound to this node and nothing is stored (D2). What the
 * oracle said must still reach the person: it is the reason the source failed. */
static void test_oracle_last_apply_unknown_node_keeps_warning(void **state)
{
    struct env e;
    size_t len;
    env_init_at_fixture_time(&e);
    char *buf = fixture("unknown_node.json", &len);
    struct r1_reply reply = {.body = buf, .len = len, .http_code = 200};
    assert_int_equal(source_oracle_last.apply(&e.ctx, &e.node, &reply, e.err), R1_APPLY_REFUSED);
    assert_false(R1_VALID(&e.node.orc, ORC_ALIAS));
    assert_int_equal(e.node.orc.meta.valid, 0);
    free(buf);
    env_free(&e);
    if (!strstr(e.err, "[No internal node address found]"))
        fail_msg("the oracle's own words are lost; the error reads \"%s\"", e.err);
}

static void test_oracle_range_apply_error_keeps_previous_range(void **state)
{
    struct env e;
    size_t len, len2;
    env_init_at_fixture_time(&e);
    char *good = fixture("node_epochs_range.json", &len);
    char *bad = fixture("no_epochs.json", &len2);
    struct r1_reply reply = {.body = good, .len = len, .http_code = 200};
    /* stored with the placeholder signature's BAD verdict: a failure, but the figures stay */
    assert_int_equal(source_oracle_range.apply(&e.ctx, &e.node, &reply, e.err),
                     R1_APPLY_STORED_BAD);
    assert_int_equal(e.node.range.trust, R1_TRUST_BAD);
    assert_int_equal(e.node.range.n_epochs, 3);
    reply.body = bad;
    reply.len = len2;
    assert_int_equal(source_oracle_range.apply(&e.ctx, &e.node, &reply, e.err), -1);
    assert_non_null(strstr(e.err, "No epochs found"));
    assert_int_equal(e.node.range.n_epochs, 3);
    assert_int_equal(e.node.range.epochs_u8[1], 250);
    assert_ptr_equal(source_oracle_range.meta(&e.fleet, &e.node), &e.node.range.meta);
    free(good);
    free(bad);
    env_free(&e);
}

/* The estimate is derive.c's (after each round of replies), from the stored licence and range
 * and the fleet's one current epoch. */
static void test_oracle_range_apply_updates_poa_estimate(void **state)
{
    struct env e;
    size_t len, len2;
    env_init_at_fixture_time(&e);
    char *last = fixture("node_last_epoch.json", &len);
    char *range = fixture("state_not_valid.json", &len2);
    /* a verified 439, one ahead of the clock's 438: the current epoch */
    e.fleet.epoch.current_epoch = 439;
    e.fleet.epoch.trust = R1_TRUST_VERIFIED;
    R1_MARK(&e.fleet.epoch, FLEET_EPOCH);
    struct r1_reply reply = {.body = last, .len = len, .http_code = 200};
    assert_int_equal(source_oracle_last.apply(&e.ctx, &e.node, &reply, e.err),
                     R1_APPLY_STORED_BAD);
    /* Pretend the last claim was at 436, so the range 436..438 covers [claim, 439-1]. */
    e.node.lic.last_claim_epoch = 436;
    reply.body = range;
    reply.len = len2;
    assert_int_equal(source_oracle_range.apply(&e.ctx, &e.node, &reply, e.err),
                     R1_APPLY_STORED_BAD);
    derive_epoch(&e.fleet, e.ctx.now);
    derive_node(&e.fleet, &e.node, e.ctx.now);
    assert_int_equal(e.node.rew.poa_status, R1_REW_OK);
    /* 2 x 1458508188386985115 + 1458508188386985115 * 254 / 255 (integer division). */
    u128_equal(e.node.rew.poa_claimable_wei, "4369804925206496579");
    /* both replies carry the placeholder signature: the estimate says so */
    assert_int_equal(e.node.rew.poa_trust, R1_TRUST_BAD);
    free(last);
    free(range);
    env_free(&e);
}

static void test_licence_amount_lexeme_found_inside_licence_only(void **state)
{
    /* The same key earlier in the reply, inside a string and in another object, and a
     * duplicate inside the licence: the digits must be the licence's first occurrence,
     * the value cJSON holds too. */
    static const char doc[] =
        "{\"result\": {\"node\": \"" NODE_ADDR "\", \"note\": \"\\\"totalAssignedAmount\\\": 1\","
        " \"oracle\": {\"totalAssignedAmount\": 2}, \"totalAssignedAmount\": 3,"
        " \"node_license_info\": {\"licenseType\": 1,"
        " \"nested\": {\"totalAssignedAmount\": 4},"
        " \"totalAssignedAmount\": 1575188843457943924600,"
        " \"totalAssignedAmount\": 5}}}";
    struct r1_oracle_node o;
    struct r1_licence lic;
    bool present = false;
    char err[R1_ERR_MAX] = "";
    memset(&o, 0, sizeof(o));
    memset(&lic, 0, sizeof(lic));
    assert_int_equal(oracle_parse_node_epochs(doc, strlen(doc), &o, &lic, &present, err), 0);
    assert_true(present);
    u128_equal(lic.total_assigned_wei, "1575188843457943924600");
}

static void test_oracle_sources_table_entries(void **state)
{
    assert_int_equal(source_oracle_epoch.id, SRC_ORACLE_EPOCH);
    assert_int_equal(source_oracle_last.id, SRC_ORACLE_LAST);
    assert_int_equal(source_oracle_range.id, SRC_ORACLE_RANGE);
    assert_true(source_oracle_epoch.default_interval_s == 120.0);
    assert_true(source_oracle_last.default_interval_s == 120.0);
    assert_true(source_oracle_range.default_interval_s == 600.0);
    assert_int_equal(source_oracle_last.scope, R1_SCOPE_NODE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oracle_current_epoch_reply),
        cmocka_unit_test(test_oracle_current_epoch_bad_replies_are_errors),
        cmocka_unit_test(test_oracle_current_epoch_as_string_is_read),
        cmocka_unit_test(test_oracle_last_epoch_reply),
        cmocka_unit_test(test_oracle_misspelt_licence_key),
        cmocka_unit_test(test_oracle_correct_licence_key_wins_when_both_are_objects),
        cmocka_unit_test(test_oracle_null_licence_keys_leave_licence_alone),
        cmocka_unit_test(test_licence_amount_beyond_64_bits),
        cmocka_unit_test(test_licence_amounts_as_strings_and_poai_fields),
        cmocka_unit_test(test_licence_amount_above_128_bits_is_unknown),
        cmocka_unit_test(test_licence_dict_sent_as_json_string),
        cmocka_unit_test(test_oracle_error_unknown_node_is_warning),
        cmocka_unit_test(test_oracle_no_epochs_short_form),
        cmocka_unit_test(test_oracle_state_not_valid_keeps_epochs),
        cmocka_unit_test(test_oracle_range_epochs_stored_contiguous),
        cmocka_unit_test(test_oracle_mismatched_epochs_arrays_rejected),
        cmocka_unit_test(test_oracle_non_contiguous_epochs_rejected),
        cmocka_unit_test(test_oracle_epoch_value_out_of_range_rejected),
        cmocka_unit_test(test_oracle_bad_envelope_rejected),
        cmocka_unit_test(test_oracle_truncated_reply_keeps_previous_values),
        cmocka_unit_test(test_oracle_huge_epochs_arrays),
        cmocka_unit_test(test_oracle_empty_epoch_lists_are_a_value),
        cmocka_unit_test(test_oracle_escape_codes_in_alias_are_sanitised),
        cmocka_unit_test(test_oracle_reparse_replaces_old_epochs),
        cmocka_unit_test(test_oracle_pydict_epochs_last_10_ep),
        cmocka_unit_test(test_oracle_pydict_epochs_keeps_newest),
        cmocka_unit_test(test_oracle_pydict_epochs_rejects_other_text),
        cmocka_unit_test(test_oracle_last_url_prefers_eth_address),
        cmocka_unit_test(test_oracle_last_url_falls_back_to_node_address),
        cmocka_unit_test(test_oracle_sources_skip_unknown_node_and_disabled_oracle),
        cmocka_unit_test(test_oracle_config_url_overrides_network),
        cmocka_unit_test(test_oracle_range_window_ends_at_last_synced_epoch),
        cmocka_unit_test(test_oracle_range_window_from_fleet_epoch),
        cmocka_unit_test(test_oracle_range_window_from_clock),
        cmocka_unit_test(test_oracle_epoch_apply_sets_fleet_epoch),
        cmocka_unit_test(test_oracle_last_apply_stores_node_and_licence),
        cmocka_unit_test(test_oracle_last_apply_unknown_node_keeps_warning),
        cmocka_unit_test(test_oracle_range_apply_error_keeps_previous_range),
        cmocka_unit_test(test_oracle_range_apply_updates_poa_estimate),
        cmocka_unit_test(test_licence_amount_lexeme_found_inside_licence_only),
        cmocka_unit_test(test_oracle_sources_table_entries),
        cmocka_unit_test(test_D18_oracle_absurd_epochs_refused),
        cmocka_unit_test(test_D10_oracle_reply_gpu_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
