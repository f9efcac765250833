/* Unit tests for net/dauth.c: the request r1top sends (the same keys as the SDK's real request
 * in tests/data/vectors, signed v2 so that sig_verify accepts it) and the reply it believes
 * (tests/data/dauth: signed by Python `cryptography`, not by r1top). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testutil.h"

#include <string.h>

#include "net/dauth.h"
#include "network.h"
#include "trust/canon_json.h"
#include "trust/crypto.h"
#include "trust/sig.h"

#define DAUTH_DIR R1_TEST_DATA "/dauth/"
/* tests/data/trust's fixed test key: sha256("r1top test oracle key") */
#define TEST_KEY_HEX "0202e9d3fe18b6a9733ecf7c0b26a24ebd065a15f8c77ec71ea6d26e62d7626f"
#define TEST_KEY_NODE "0xai_A8GIwv9qUBSawjfosRllzI7WaqqFGsHZ1BbZMeLsiYfB"

static const char trusted[1][R1_ADDR_MAX] = {TEST_KEY_NODE};

static void test_key(unsigned char sk[32])
{
    size_t n;
    assert_int_equal(crypto_hex_decode(TEST_KEY_HEX, 64, sk, 32, &n), 0);
}

static int parse_fixture(const char *name, const char (*extra)[R1_ADDR_MAX], int n_extra,
                         struct dauth_creds *c, char *err)
{
    size_t len;
    char *body = test_fixture(DAUTH_DIR, name, &len);
    int rc = dauth_parse_reply(body, len, 200, network_get(R1_NET_MAINNET), extra, n_extra, c, err);
    free(body);
    return rc;
}

static void test_dauth_request_is_signed_v2_by_the_key(void **state)
{
    (void)state;
    unsigned char sk[32];
    char err[R1_ERR_MAX];
    test_key(sk);
    char *text = dauth_build_request(sk, "0a1b2c3d", err);
    assert_non_null(text);
    struct cj_value *doc = canon_parse(text, strlen(text), err);
    assert_non_null(doc);
    const struct cj_value *body = canon_get(doc, "body");
    assert_non_null(body);
    struct sig_result sr;
    assert_int_equal(sig_verify(body, &sr), 0);
    assert_int_equal(sr.canon, SIG_CANON_V2);
    assert_string_equal(sr.sender, TEST_KEY_NODE);
    /* dAuth compares EE_ETH_SENDER with the key's own address (§8.3 step 3) */
    assert_string_equal(canon_get_string(body, "EE_ETH_SENDER"), sr.sender_eth);
    assert_string_equal(canon_get_string(body, "nonce"), "0a1b2c3d");
    assert_string_equal(canon_get_string(body, "sender_alias"), "r1top");
    canon_free(doc);
    free(text);
}

/* The SDK's version triple: app and core null, an SDK version (§8.3 step 4), and no key the
 * real SDK request lacks. */
static void test_dauth_request_has_the_keys_of_the_sdk_request(void **state)
{
    (void)state;
    unsigned char sk[32];
    char err[R1_ERR_MAX];
    size_t len;
    test_key(sk);
    char *text = dauth_build_request(sk, "deadbeef", err);
    char *real =
        test_fixture(R1_TEST_DATA "/vectors/", "dauth_request_request_sdk_edge_node.json", &len);
    struct cj_value *doc = canon_parse(text, strlen(text), err);
    struct cj_value *want = canon_parse(real, len, err);
    assert_non_null(want);
    const struct cj_value *body = canon_get(doc, "body");
    for (size_t i = 0; i < want->n; i++)
        assert_non_null(canon_get(body, want->members[i].key));
    /* ours adds only SIGN_CANON_V (v2; the vector predates it) */
    assert_int_equal(body->n, want->n + 1);
    assert_int_equal(canon_get(body, "sender_app_ver")->type, CJ_NULL);
    assert_int_equal(canon_get(body, "sender_core_ver")->type, CJ_NULL);
    assert_int_equal(canon_get(body, "sender_sdk_ver")->type, CJ_STRING);
    canon_free(doc);
    canon_free(want);
    free(real);
    free(text);
}

static void test_dauth_request_refuses_a_nonce_that_is_not_8_hex(void **state)
{
    (void)state;
    unsigned char sk[32];
    char err[R1_ERR_MAX];
    test_key(sk);
    assert_null(dauth_build_request(sk, "0a1b2c3", err));
    assert_null(dauth_build_request(sk, "0A1B2C3D", err));
    assert_null(dauth_build_request(sk, "0a1b2c3d0", err));
    assert_non_null(strstr(err, "dAuth request"));
}

static void test_dauth_reply_from_a_trusted_signer_gives_the_broker(void **state)
{
    (void)state;
    struct dauth_creds c;
    char err[R1_ERR_MAX];
    assert_int_equal(parse_fixture("good.json", trusted, 1, &c, err), 0);
    assert_string_equal(c.host, "203.0.113.7");
    assert_int_equal(c.port, 8883); /* sent as the string "8883" */
    assert_string_equal(c.user, "sdkuser");
    /* the password exactly as sent: not sanitised (the newline and the non-ASCII stay) */
    assert_string_equal(c.password, "pa\xc3\x9fword \"quoted\"\n");
    assert_non_null(strstr(c.cert_pem, "-----BEGIN CERTIFICATE-----\nMIIB"));
    assert_false(c.subtopic_alias);
    assert_string_equal(c.signer, TEST_KEY_NODE);
    dauth_creds_clear(&c);
    assert_null(c.cert_pem);
    assert_int_equal(c.password[0], 0);
}

static void test_dauth_reply_with_alias_subtopic_and_numeric_port(void **state)
{
    (void)state;
    struct dauth_creds c;
    char err[R1_ERR_MAX];
    assert_int_equal(parse_fixture("alias.json", trusted, 1, &c, err), 0);
    assert_true(c.subtopic_alias);
    assert_int_equal(c.port, 18883);
    dauth_creds_clear(&c);
}

static void test_dauth_reply_from_an_unknown_signer_is_refused(void **state)
{
    (void)state;
    struct dauth_creds c;
    char err[R1_ERR_MAX];
    /* the same genuine reply, but its signer is not among mainnet's oracles nor trusted */
    assert_int_equal(parse_fixture("good.json", NULL, 0, &c, err), -1);
    assert_string_equal(err, "dAuth reply refused: signed by " TEST_KEY_NODE
                             ", not a known oracle of mainnet");
    assert_null(c.cert_pem);
    assert_int_equal(c.host[0], 0);
}

static void test_dauth_reply_changed_after_signing_is_refused(void **state)
{
    (void)state;
    struct dauth_creds c;
    char err[R1_ERR_MAX];
    assert_int_equal(parse_fixture("badsig.json", trusted, 1, &c, err), -1);
    assert_non_null(strstr(err, "dAuth reply refused: bad signature"));
    assert_int_equal(c.password[0], 0);
}

static void test_dauth_reply_with_auth_error_is_dauths_refusal(void **state)
{
    (void)state;
    struct dauth_creds c;
    char err[R1_ERR_MAX];
    assert_int_equal(parse_fixture("autherror.json", trusted, 1, &c, err), -1);
    assert_string_equal(err, "dAuth refused the request: Version check failed: app None sdk None "
                             "core 1.0.0");
}

static void test_dauth_reply_without_certificate_or_with_bad_port_is_refused(void **state)
{
    (void)state;
    struct dauth_creds c;
    char err[R1_ERR_MAX];
    assert_int_equal(parse_fixture("nocert.json", trusted, 1, &c, err), -1);
    assert_non_null(strstr(err, "no EE_MQTT_CERT"));
    assert_int_equal(parse_fixture("badport.json", trusted, 1, &c, err), -1);
    assert_non_null(strstr(err, "EE_MQTT_PORT"));
}

static void test_dauth_reply_http_error_and_garbage_are_refused(void **state)
{
    (void)state;
    struct dauth_creds c;
    char err[R1_ERR_MAX];
    const struct r1_network *net = network_get(R1_NET_MAINNET);
    assert_int_equal(dauth_parse_reply("{}", 2, 503, net, trusted, 1, &c, err), -1);
    assert_string_equal(err, "dAuth answered HTTP 503");
    assert_int_equal(dauth_parse_reply("{\"result\":", 10, 200, net, trusted, 1, &c, err), -1);
    assert_non_null(strstr(err, "dAuth reply refused"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dauth_request_is_signed_v2_by_the_key),
        cmocka_unit_test(test_dauth_request_has_the_keys_of_the_sdk_request),
        cmocka_unit_test(test_dauth_request_refuses_a_nonce_that_is_not_8_hex),
        cmocka_unit_test(test_dauth_reply_from_a_trusted_signer_gives_the_broker),
        cmocka_unit_test(test_dauth_reply_with_alias_subtopic_and_numeric_port),
        cmocka_unit_test(test_dauth_reply_from_an_unknown_signer_is_refused),
        cmocka_unit_test(test_dauth_reply_changed_after_signing_is_refused),
        cmocka_unit_test(test_dauth_reply_with_auth_error_is_dauths_refusal),
        cmocka_unit_test(test_dauth_reply_without_certificate_or_with_bad_port_is_refused),
        cmocka_unit_test(test_dauth_reply_http_error_and_garbage_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
