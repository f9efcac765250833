/* Unit tests for net/mqtt_cmd.c's pure half: the command message (docs/protocol.md §8.6),
 * signed so that sig_verify accepts it, and the check that a notification is the node's own
 * confirmation of our command (§8.7). The confirmations here are signed with r1top's own
 * signer (sig_sign) to exercise the matcher; tests/integration/mqtt.sh has a node signing
 * with Python `cryptography`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testutil.h"

#include <string.h>

#include "net/mqtt_cmd.h"
#include "trust/canon_json.h"
#include "trust/crypto.h"
#include "trust/identity.h"
#include "trust/sig.h"

/* tests/data/trust's fixed test key, here the node's */
#define NODE_KEY_HEX "0202e9d3fe18b6a9733ecf7c0b26a24ebd065a15f8c77ec71ea6d26e62d7626f"
#define NODE_ADDR "0xai_A8GIwv9qUBSawjfosRllzI7WaqqFGsHZ1BbZMeLsiYfB"
/* r1top's key in these tests: any other valid secret */
#define OPERATOR_KEY_HEX "1111111111111111111111111111111111111111111111111111111111111111"
#define SESSION "r1top-0a1b2c3d"

static void key(const char *hex, unsigned char sk[32])
{
    size_t n;
    assert_int_equal(crypto_hex_decode(hex, 64, sk, 32, &n), 0);
}

static void test_mqtt_cmd_message_is_signed_and_addressed_to_the_node(void **state)
{
    (void)state;
    unsigned char sk[32];
    char err[R1_ERR_MAX], me[ETH_NODE_ADDR_BUF], me_eth[ETH_ADDR_BUF];
    key(OPERATOR_KEY_HEX, sk);
    assert_int_equal(identity_names(sk, me, me_eth, err), 0);
    char *text = mqtt_cmd_build(sk, NODE_ADDR, "STOP", SESSION, "2026-12-02 05:00:00.000001", err);
    assert_non_null(text);
    struct cj_value *m = canon_parse(text, strlen(text), err);
    assert_non_null(m);
    struct sig_result sr;
    assert_int_equal(sig_verify(m, &sr), 0);
    assert_int_equal(sr.canon, SIG_CANON_V2);
    assert_string_equal(sr.sender, me);
    assert_string_equal(canon_get_string(m, "ACTION"), "STOP");
    assert_int_equal(canon_get(m, "PAYLOAD")->type, CJ_NULL);
    assert_int_equal(canon_get(m, "EE_IS_ENCRYPTED")->type, CJ_FALSE);
    assert_string_equal(canon_get_string(m, "EE_DEST"), NODE_ADDR);
    assert_string_equal(canon_get_string(m, "EE_ID"), NODE_ADDR);
    assert_string_equal(canon_get_string(m, "SESSION_ID"), SESSION);
    assert_string_equal(canon_get_string(m, "INITIATOR_ID"), SESSION);
    assert_string_equal(canon_get_string(m, "TIME"), "2026-12-02 05:00:00.000001");
    canon_free(m);
    free(text);
}

/* A notification as the node sends it (§8.7), signed by sk; text is NOTIFICATION. */
static char *notification(const char *hex, const char *text, const char *session)
{
    unsigned char sk[32];
    char err[R1_ERR_MAX];
    key(hex, sk);
    struct cj_value *m = canon_new(CJ_OBJECT);
    canon_object_set(m, "EE_EVENT_TYPE", canon_new_string("NOTIFICATION"));
    canon_object_set(m, "MODULE", canon_new_string("Orchestrator"));
    canon_object_set(m, "NOTIFICATION_TYPE", canon_new_string("NORMAL"));
    canon_object_set(m, "NOTIFICATION", canon_new_string(text));
    canon_object_set(m, "INITIATOR_ID", canon_new_string(session));
    canon_object_set(m, "SESSION_ID", canon_new_string(session));
    assert_int_equal(sig_sign(m, sk, err), 0);
    char *out = canon_serialize(m, CANON_FLOAT_REPR, NULL, NULL);
    canon_free(m);
    return out;
}

#define RUNNING_STOP "  Running 'STOP' command in main loop received from '" SESSION "'"

static void test_mqtt_cmd_the_nodes_confirmation_is_recognised(void **state)
{
    (void)state;
    char note[160];
    char *n = notification(NODE_KEY_HEX, RUNNING_STOP, SESSION);
    assert_true(
        mqtt_cmd_is_confirmation(n, strlen(n), NODE_ADDR, SESSION, "STOP", note, sizeof(note)));
    /* the two leading spaces of the node's text are cut */
    assert_string_equal(note, "Running 'STOP' command in main loop received from '" SESSION "'");
    /* the node's address written with the old aixp_ prefix names the same key */
    assert_true(mqtt_cmd_is_confirmation(n, strlen(n),
                                         "aixp_A8GIwv9qUBSawjfosRllzI7WaqqFGsHZ1BbZMeLsiYfB",
                                         SESSION, "STOP", note, sizeof(note)));
    free(n);
}

static void test_mqtt_cmd_confirmation_by_another_key_is_not_taken(void **state)
{
    (void)state;
    char note[160];
    char *n = notification(OPERATOR_KEY_HEX, RUNNING_STOP, SESSION);
    assert_false(
        mqtt_cmd_is_confirmation(n, strlen(n), NODE_ADDR, SESSION, "STOP", note, sizeof(note)));
    free(n);
}

static void test_mqtt_cmd_another_session_or_action_is_not_ours(void **state)
{
    (void)state;
    char note[160];
    char *n = notification(NODE_KEY_HEX, RUNNING_STOP, "r1top-ffffffff");
    assert_false(
        mqtt_cmd_is_confirmation(n, strlen(n), NODE_ADDR, SESSION, "STOP", note, sizeof(note)));
    free(n);
    n = notification(NODE_KEY_HEX, RUNNING_STOP, SESSION);
    assert_false(
        mqtt_cmd_is_confirmation(n, strlen(n), NODE_ADDR, SESSION, "RESTART", note, sizeof(note)));
    free(n);
}

static void test_mqtt_cmd_confirmation_changed_after_signing_is_not_taken(void **state)
{
    (void)state;
    char note[160];
    char *n = notification(NODE_KEY_HEX, RUNNING_STOP, SESSION);
    char *at = strstr(n, "Orchestrator");
    assert_non_null(at);
    at[0] = 'o';
    assert_false(
        mqtt_cmd_is_confirmation(n, strlen(n), NODE_ADDR, SESSION, "STOP", note, sizeof(note)));
    assert_false(
        mqtt_cmd_is_confirmation("not json", 8, NODE_ADDR, SESSION, "STOP", note, sizeof(note)));
    free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mqtt_cmd_message_is_signed_and_addressed_to_the_node),
        cmocka_unit_test(test_mqtt_cmd_the_nodes_confirmation_is_recognised),
        cmocka_unit_test(test_mqtt_cmd_confirmation_by_another_key_is_not_taken),
        cmocka_unit_test(test_mqtt_cmd_another_session_or_action_is_not_ours),
        cmocka_unit_test(test_mqtt_cmd_confirmation_changed_after_signing_is_not_taken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
