/* Unit tests for sig.c (EE_SIGN verification in all three canon forms, v2 signing) and
 * trust.c (oracle replies: known, unknown and missing signers; the EVM availability
 * signature; `r1top verify`). Real signed messages come from docs/protocol.md §3.8's vectors and
 * from tests/data/trust/make_py_signed.py (Python `cryptography`, not r1top's code). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <secp256k1.h>

#include "trust/canon_json.h"
#include "trust/crypto.h"
#include "trust/eth.h"
#include "trust/keccak.h"
#include "network.h"
#include "trust/sig.h"
#include "trust/trust.h"

#define VECTORS R1_TEST_DATA "/vectors/"

static const char *const vector_files[] = {
    VECTORS "dauth_request_request_sdk_edge_node.json",
    VECTORS "dauth_request_request_bad_node_edge_node.json",
    VECTORS "dauth_request_good_request_edge_node.json",
    VECTORS "netmon_payload_legacy_v1_ratio1_sdk.json",
};

/* make_py_signed.py's fixed test key: sha256("r1top test oracle key") */
#define TEST_KEY_HEX "0202e9d3fe18b6a9733ecf7c0b26a24ebd065a15f8c77ec71ea6d26e62d7626f"
#define TEST_KEY_NODE "0xai_A8GIwv9qUBSawjfosRllzI7WaqqFGsHZ1BbZMeLsiYfB"
#define TEST_KEY_ETH "0x4882001412da8fbB3A18A971c7a33eb4e71Ea106"

static void test_key(unsigned char sk[32])
{
    size_t n;
    assert_int_equal(crypto_hex_decode(TEST_KEY_HEX, 64, sk, 32, &n), 0);
}

/* noinline: once inlined, GCC 12's -Wdangling-pointer mistakes the returned heap buffer for
 * the address of the local that received it */
__attribute__((noinline)) static char *read_all(const char *path, size_t *len)
{
    char *buf = NULL;
    char err[R1_ERR_MAX];
    double mtime;
    if (r1_read_file(path, CANON_INPUT_MAX, &buf, len, &mtime, err) != 0)
        fail_msg("%s", err);
    return buf;
}

static struct cj_value *load_json(const char *path)
{
    size_t len;
    char err[R1_ERR_MAX];
    char *buf = read_all(path, &len);
    struct cj_value *v = canon_parse(buf, len, err);
    free(buf);
    if (!v)
        fail_msg("%s: %s", path, err);
    return v;
}

static struct cj_value *parse_ok(const char *text)
{
    char err[R1_ERR_MAX];
    struct cj_value *v = canon_parse(text, strlen(text), err);
    if (!v)
        fail_msg("%s", err);
    return v;
}

/* ---- the four real vectors -------------------------------------------------------------- */

static void test_sig_all_four_vectors_verify(void **state)
{
    (void)state;
    static const enum sig_canon want[] = {
        SIG_CANON_UNVERSIONED, SIG_CANON_UNVERSIONED, SIG_CANON_UNVERSIONED,
        SIG_CANON_UNVERSIONED_LEGACY, /* netmon: only the legacy floats verify (docs/protocol.md §3.8) */
    };
    for (size_t i = 0; i < 4; i++) {
        struct cj_value *msg = load_json(vector_files[i]);
        struct sig_result r;
        if (sig_verify(msg, &r) != 0)
            fail_msg("%s: %s", vector_files[i], r.reason);
        assert_true(r.valid);
        assert_int_equal(r.canon, want[i]);
        /* the hash we rebuilt is the one the signer wrote, and the ETH address we derive from
         * the key is the one the signer wrote (unsigned, so only a cross-check) */
        assert_string_equal(r.hash_hex, canon_get_string(msg, "EE_HASH"));
        assert_string_equal(r.sender_eth, canon_get_string(msg, "EE_ETH_SENDER"));
        assert_string_equal(r.sender, canon_get_string(msg, "EE_SENDER"));
        assert_string_equal(r.reason, "");
        canon_free(msg);
    }
}

static void test_sig_netmon_fails_with_repr_floats(void **state)
{
    (void)state;
    static const char *const drop[] = {"EE_SIGN",     "EE_SENDER",     "EE_HASH", "SIGN_CANON_V",
                                       "EE_ETH_SIGN", "EE_ETH_SENDER", NULL};
    struct cj_value *msg = load_json(vector_files[3]);
    size_t n;
    unsigned char h[32];
    char hex[65];
    char *text = canon_serialize(msg, CANON_FLOAT_LEGACY, drop, &n);
    assert_int_equal(crypto_sha256(text, n, h), 0);
    crypto_hex_encode(h, 32, hex);
    assert_string_equal(hex, "0bdd4dbe7033de35eea8fa3d4ace2127a7c45655cbf57f8230b1fc948c105eda");
    free(text);
    text = canon_serialize(msg, CANON_FLOAT_REPR, drop, &n);
    assert_int_equal(crypto_sha256(text, n, h), 0);
    crypto_hex_encode(h, 32, hex);
    assert_string_not_equal(hex,
                            "0bdd4dbe7033de35eea8fa3d4ace2127a7c45655cbf57f8230b1fc948c105eda");
    free(text);
    /* declared v2 (repr floats only), the same payload does not verify */
    canon_object_set(msg, "SIGN_CANON_V", canon_new_string("v2"));
    struct sig_result r;
    assert_int_equal(sig_verify(msg, &r), -1);
    assert_string_equal(r.reason, "EE_HASH mismatch: message altered");
    /* declared v1 (legacy floats only), it does */
    canon_object_set(msg, "SIGN_CANON_V", canon_new_string("v1"));
    assert_int_equal(sig_verify(msg, &r), 0);
    assert_int_equal(r.canon, SIG_CANON_V1);
    canon_free(msg);
}

static bool is_non_data(const char *key)
{
    static const char *const non_data[] = {"EE_SIGN",      "EE_SENDER",   "EE_HASH",
                                           "SIGN_CANON_V", "EE_ETH_SIGN", "EE_ETH_SENDER"};
    for (size_t i = 0; i < sizeof(non_data) / sizeof(non_data[0]); i++)
        if (strcmp(key, non_data[i]) == 0)
            return true;
    return false;
}

/* Scalars under the signed keys, found depth-first: where a tamperer would edit. */
static void collect_scalars(struct cj_value *v, struct cj_value **out, size_t *n, size_t max)
{
    if (*n >= max)
        return;
    if (v->type == CJ_STRING || v->type == CJ_NUMBER) {
        if (v->len > 0 && strcmp(v->str, "NaN") != 0)
            out[(*n)++] = v;
    } else if (v->type == CJ_ARRAY) {
        for (size_t i = 0; i < v->n; i++)
            collect_scalars(v->items[i], out, n, max);
    } else if (v->type == CJ_OBJECT) {
        for (size_t i = 0; i < v->n; i++)
            collect_scalars(v->members[i].value, out, n, max);
    }
}

static char changed_byte(const struct cj_value *v, size_t pos)
{
    char c = v->str[pos];
    if (v->type == CJ_NUMBER) /* another digit, so the lexeme stays a number */
        return c >= '0' && c <= '9' ? (char)('0' + (c - '0' + 1) % 10) : c;
    if ((unsigned char)c >= 0x80) /* keep UTF-8 valid: skip multi-byte characters */
        return c;
    return c == 'x' ? 'y' : 'x';
}

static void test_sig_any_single_byte_change_to_a_value_breaks_each_vector(void **state)
{
    (void)state;
    for (size_t f = 0; f < 4; f++) {
        struct cj_value *msg = load_json(vector_files[f]);
        struct cj_value *all[4096];
        size_t n_all = 0;
        for (size_t i = 0; i < msg->n; i++)
            if (!is_non_data(msg->members[i].key))
                collect_scalars(msg->members[i].value, all, &n_all, 4096);
        assert_true(n_all >= 3);
        size_t tried = 0;
        /* up to 12 values spread over the message, each at its first, middle, last byte */
        for (size_t k = 0; k < 12 && k < n_all; k++) {
            struct cj_value *v = all[k * n_all / (n_all < 12 ? n_all : 12)];
            size_t positions[3] = {0, v->len / 2, v->len - 1};
            for (int p = 0; p < 3; p++) {
                char old = v->str[positions[p]];
                char neu = changed_byte(v, positions[p]);
                if (neu == old)
                    continue;
                v->str[positions[p]] = neu;
                struct sig_result r;
                if (sig_verify(msg, &r) == 0)
                    fail_msg("%s: changing '%s' at %zu still verifies", vector_files[f], v->str,
                             positions[p]);
                assert_string_equal(r.reason, "EE_HASH mismatch: message altered");
                v->str[positions[p]] = old;
                tried++;
            }
        }
        assert_true(tried >= 6);
        struct sig_result r;
        assert_int_equal(sig_verify(msg, &r), 0); /* restored: valid again */
        canon_free(msg);
    }
}

static void test_sig_raw_byte_flips_in_the_wire_text_are_caught(void **state)
{
    (void)state;
    /* flip bytes of the text itself inside the request_sdk values: parse error or invalid */
    size_t len;
    char *buf = read_all(vector_files[0], &len);
    const char *values[] = {"test1", "a14473a1", "2.6.29"};
    for (size_t i = 0; i < 3; i++) {
        char *at = strstr(buf, values[i]);
        assert_non_null(at);
        for (size_t k = 0; k < strlen(values[i]); k++) {
            char old = at[k];
            at[k] = (char)(old ^ 0x01);
            char err[R1_ERR_MAX];
            struct cj_value *v = canon_parse(buf, len, err);
            if (v) {
                struct sig_result r;
                assert_int_equal(sig_verify(v, &r), -1);
                canon_free(v);
            }
            at[k] = old;
        }
    }
    free(buf);
}

/* ---- reasons ------------------------------------------------------------------------------- */

static void assert_reason(const char *json, const char *reason)
{
    struct cj_value *v = parse_ok(json);
    struct sig_result r;
    assert_int_equal(sig_verify(v, &r), -1);
    assert_false(r.valid);
    assert_string_equal(r.reason, reason);
    canon_free(v);
}

static void test_sig_reasons_for_each_kind_of_failure(void **state)
{
    (void)state;
    const char *sender = "\"EE_SENDER\":\"0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty\"";
    char json[512];
    assert_reason("{\"a\":1}", "no EE_SIGN: unsigned");
    assert_reason("{\"a\":1,\"EE_SIGN\":null}", "no EE_SIGN: unsigned");
    assert_reason("[1]", "not a JSON object");
    assert_reason("{\"EE_SIGN\":\"MEQC\"}", "no EE_SENDER: cannot tell who signed");
    assert_reason("{\"EE_SIGN\":\"MEQC\",\"EE_SENDER\":\"0xai_short\"}", "malformed EE_SENDER");
    snprintf(json, sizeof(json), "{\"EE_SIGN\":\"not base64!\",%s}", sender);
    assert_reason(json, "malformed EE_SIGN");
    snprintf(json, sizeof(json), "{\"EE_SIGN\":\"AAAA\",%s}", sender); /* not DER */
    assert_reason(json, "malformed EE_SIGN");
    snprintf(json, sizeof(json), "{\"EE_SIGN\":42,%s}", sender);
    assert_reason(json, "malformed EE_SIGN");
    /* a well-formed signature from the request_sdk vector, on other content */
    snprintf(json, sizeof(json),
             "{\"EE_SIGN\":\"MEQCIAnXNWxcskr_2zj5kGRFQobJdDVovA57J_WMphFIOCf7AiAkDE7P446N4mQCA"
             "O2OAnQvW7PCdLNsRsHvGkBEz-BL4Q==\",%s,\"SIGN_CANON_V\":\"v3\"}",
             sender);
    assert_reason(json, "unknown SIGN_CANON_V 'v3'");
    snprintf(json, sizeof(json),
             "{\"EE_SIGN\":\"MEQCIAnXNWxcskr_2zj5kGRFQobJdDVovA57J_WMphFIOCf7AiAkDE7P446N4mQCA"
             "O2OAnQvW7PCdLNsRsHvGkBEz-BL4Q==\",%s,\"EE_HASH\":\"00\",\"x\":1}",
             sender);
    assert_reason(json, "EE_HASH mismatch: message altered");
    /* EE_HASH absent: the signature must cover the text itself, and this one does not */
    snprintf(json, sizeof(json),
             "{\"EE_SIGN\":\"MEQCIAnXNWxcskr_2zj5kGRFQobJdDVovA57J_WMphFIOCf7AiAkDE7P446N4mQCA"
             "O2OAnQvW7PCdLNsRsHvGkBEz-BL4Q==\",%s,\"x\":1}",
             sender);
    assert_reason(json, "signature does not verify");
    /* EE_HASH recomputed by a tamperer: the hash matches, the signature does not */
    struct cj_value *v = load_json(vector_files[0]);
    canon_object_set(v, "nonce", canon_new_string("a14473a2"));
    struct sig_result r;
    assert_int_equal(sig_verify(v, &r), -1);
    canon_object_set(v, "EE_HASH", canon_new_string(r.hash_hex));
    assert_int_equal(sig_verify(v, &r), -1);
    assert_string_equal(r.reason, "signature does not verify");
    canon_free(v);
}

/* ---- DER and low-S -------------------------------------------------------------------------- */

static size_t der_int(unsigned char *out, const unsigned char be[32])
{
    size_t skip = 0;
    while (skip < 31 && be[skip] == 0)
        skip++;
    size_t n = 32 - skip;
    bool pad = be[skip] & 0x80;
    out[0] = 0x02;
    out[1] = (unsigned char)(n + pad);
    out[2] = 0;
    memcpy(out + 2 + pad, be + skip, n);
    return 2 + pad + n;
}

static void test_sig_high_s_signatures_verify(void **state)
{
    (void)state;
    /* OpenSSL signers leave S as it comes: both S and n-S must be accepted (docs/protocol.md §3.3)
     * */
    static const unsigned char order[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
                                            0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b,
                                            0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
    struct cj_value *msg = load_json(vector_files[1]);
    const char *b64 = canon_get_string(msg, "EE_SIGN");
    unsigned char der[80], compact[64];
    size_t der_len;
    assert_int_equal(crypto_b64url_decode(b64, strlen(b64), der, sizeof(der), &der_len), 0);
    secp256k1_context *ctx = crypto_secp_new();
    secp256k1_ecdsa_signature sig;
    assert_true(secp256k1_ecdsa_signature_parse_der(ctx, &sig, der, der_len));
    assert_true(secp256k1_ecdsa_signature_serialize_compact(ctx, compact, &sig));
    secp256k1_context_destroy(ctx);
    /* s' = n - s, big-endian subtraction */
    unsigned char s2[32];
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int d = order[i] - compact[32 + i] - borrow;
        borrow = d < 0;
        s2[i] = (unsigned char)(d + (borrow ? 256 : 0));
    }
    unsigned char body[80], out[82];
    size_t n = der_int(body, compact);
    n += der_int(body + n, s2);
    out[0] = 0x30;
    out[1] = (unsigned char)n;
    memcpy(out + 2, body, n);
    char *flipped = crypto_b64url_encode(out, n + 2, true);
    assert_string_not_equal(flipped, b64);
    canon_object_set(msg, "EE_SIGN", canon_new_string(flipped));
    free(flipped);
    struct sig_result r;
    if (sig_verify(msg, &r) != 0)
        fail_msg("the other S does not verify: %s", r.reason);
    canon_free(msg);
}

/* ---- signing ------------------------------------------------------------------------------ */

static const char *const sample_result =
    "{\"node\":\"0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty\",\"node_alias\":"
    "\"n\\u00f6de-\\ud83d\\ude00\",\"last_epoch_prc\":1.0,\"epochs_vals\":[255,250,0],"
    "\"ratio\":1e-05,\"big\":1e+16,\"n\":null,\"ok\":true,\"ctl\":\"a\\u0001/\\\"\","
    "\"EE_HASH\":\"stale\",\"EE_SIGN\":\"stale\"}";

static void test_sig_v2_sign_then_verify_round_trip(void **state)
{
    (void)state;
    unsigned char sk[32];
    char err[R1_ERR_MAX];
    test_key(sk);
    struct cj_value *msg = parse_ok(sample_result);
    assert_int_equal(sig_sign(msg, sk, err), 0);
    assert_string_equal(canon_get_string(msg, "SIGN_CANON_V"), "v2");
    assert_string_equal(canon_get_string(msg, "EE_SENDER"), TEST_KEY_NODE);
    assert_string_equal(canon_get_string(msg, "EE_ETH_SENDER"), TEST_KEY_ETH);
    assert_string_equal(canon_get_string(msg, "EE_ETH_SIGN"), "0xBEEF");
    const char *b64 = canon_get_string(msg, "EE_SIGN");
    assert_true(strncmp(b64, "MEQC", 4) == 0 || strncmp(b64, "MEUC", 4) == 0);
    assert_int_equal(strlen(b64) % 4, 0); /* padded, like urlsafe_b64encode */
    struct sig_result r;
    assert_int_equal(sig_verify(msg, &r), 0);
    assert_int_equal(r.canon, SIG_CANON_V2);
    assert_string_equal(r.sender, TEST_KEY_NODE);

    /* through the wire and back: serialise, parse, verify */
    size_t n;
    char *wire = canon_serialize(msg, CANON_FLOAT_REPR, NULL, &n);
    struct cj_value *again = parse_ok(wire);
    assert_int_equal(sig_verify(again, &r), 0);
    const char *out_path = getenv("R1_SIGNED_OUT");
    if (out_path) { /* for tests/data/trust/verify_py.py: Python must accept it too */
        FILE *f = fopen(out_path, "w");
        assert_non_null(f);
        fwrite(wire, 1, n, f);
        fclose(f);
    }
    free(wire);

    /* v2 hashes SIGN_CANON_V: without it the same content is not what was signed */
    canon_object_remove(again, "SIGN_CANON_V");
    assert_int_equal(sig_verify(again, &r), -1);
    assert_string_equal(r.reason, "EE_HASH mismatch: message altered");
    canon_free(again);
    canon_free(msg);
}

static void test_sig_sign_is_deterministic_and_matches_the_python_checked_fixture(void **state)
{
    (void)state;
    /* r1top_signed_v2.json was written by this code (RFC 6979, fixed key) and checked with
     * verify_py.py (Python cryptography). Same input, same bytes: still what Python accepts. */
    unsigned char sk[32];
    char err[R1_ERR_MAX];
    test_key(sk);
    struct cj_value *msg = parse_ok(sample_result);
    assert_int_equal(sig_sign(msg, sk, err), 0);
    size_t n, want_len;
    char *wire = canon_serialize(msg, CANON_FLOAT_REPR, NULL, &n);
    char *want = read_all(R1_TEST_DATA "/trust/r1top_signed_v2.json", &want_len);
    while (want_len > 0 && want[want_len - 1] == '\n')
        want_len--;
    assert_int_equal(n, want_len);
    assert_memory_equal(wire, want, n);
    free(want);
    free(wire);
    canon_free(msg);
}

static void test_sig_python_signed_v2_fixture_verifies(void **state)
{
    (void)state;
    struct cj_value *env = load_json(R1_TEST_DATA "/trust/py_signed_v2.json");
    const struct cj_value *msg = canon_get(env, "result");
    struct sig_result r;
    if (sig_verify(msg, &r) != 0)
        fail_msg("%s", r.reason);
    assert_int_equal(r.canon, SIG_CANON_V2);
    assert_string_equal(r.sender, TEST_KEY_NODE);
    /* Python's keccak (pykeccak.py) and ours agree on the ETH address */
    assert_string_equal(r.sender_eth, canon_get_string(msg, "EE_ETH_SENDER"));
    /* and our canonical text is the one Python hashed, byte for byte */
    static const char *const drop[] = {"EE_SIGN",     "EE_SENDER",     "EE_HASH",
                                       "EE_ETH_SIGN", "EE_ETH_SENDER", NULL};
    size_t n, want_len;
    char *text = canon_serialize(msg, CANON_FLOAT_REPR, drop, &n);
    char *want = read_all(R1_TEST_DATA "/trust/py_signed_v2.canon", &want_len);
    assert_int_equal(n, want_len);
    assert_memory_equal(text, want, n);
    free(want);
    free(text);
    canon_free(env);
}

static void test_sig_without_ee_hash_signs_the_text_itself(void **state)
{
    (void)state;
    /* verify(): no (or an empty) EE_HASH means ECDSA(SHA256) over the JSON bytes */
    unsigned char sk[32];
    char err[R1_ERR_MAX];
    test_key(sk);
    struct cj_value *msg = parse_ok("{\"a\":[1,2.50],\"b\":\"x\"}");
    assert_int_equal(sig_sign(msg, sk, err), 0);
    canon_object_remove(msg, "EE_HASH");
    struct sig_result r;
    assert_int_equal(sig_verify(msg, &r), -1); /* that signature covers the hash */
    static const char *const drop[] = {"EE_SIGN",     "EE_SENDER",     "EE_HASH",
                                       "EE_ETH_SIGN", "EE_ETH_SENDER", NULL};
    size_t n;
    char *text = canon_serialize(msg, CANON_FLOAT_REPR, drop, &n);
    unsigned char e[32], der[80];
    size_t der_len = sizeof(der);
    assert_int_equal(crypto_sha256(text, n, e), 0);
    free(text);
    secp256k1_context *ctx = crypto_secp_new();
    secp256k1_ecdsa_signature sig;
    assert_true(secp256k1_ecdsa_sign(ctx, &sig, e, sk, NULL, NULL));
    assert_true(secp256k1_ecdsa_signature_serialize_der(ctx, der, &der_len, &sig));
    secp256k1_context_destroy(ctx);
    char *b64 = crypto_b64url_encode(der, der_len, true);
    canon_object_set(msg, "EE_SIGN", canon_new_string(b64));
    free(b64);
    assert_int_equal(sig_verify(msg, &r), 0);
    canon_object_set(msg, "EE_HASH", canon_new_string("")); /* falsy: same as absent */
    assert_int_equal(sig_verify(msg, &r), 0);
    canon_free(msg);
}

/* ---- trust: who signed ------------------------------------------------------------------ */

static char *signed_envelope(const char *result_json)
{
    unsigned char sk[32];
    char err[R1_ERR_MAX];
    test_key(sk);
    struct cj_value *res = parse_ok(result_json);
    assert_int_equal(sig_sign(res, sk, err), 0);
    struct cj_value *env = canon_new(CJ_OBJECT);
    canon_object_set(env, "result", res);
    canon_object_set(env, "server_node_addr", canon_new_string(TEST_KEY_NODE));
    char *body = canon_serialize(env, CANON_FLOAT_REPR, NULL, NULL);
    canon_free(env);
    return body;
}

static void test_trust_signature_by_a_non_oracle_is_unknown_signer(void **state)
{
    (void)state;
    char *body = signed_envelope("{\"current_epoch\":439}");
    struct trust_result tr;
    const struct r1_network *main_net = network_get(R1_NET_MAINNET);
    assert_int_equal(trust_check_oracle_reply(body, strlen(body), main_net, NULL, 0, &tr),
                     R1_TRUST_UNKNOWN_SIGNER);
    assert_string_equal(tr.signer, TEST_KEY_NODE);
    assert_string_equal(tr.signer_eth, TEST_KEY_ETH);
    assert_string_equal(tr.canon, "v2");
    assert_non_null(strstr(tr.reason, "not a known mainnet oracle"));
    assert_false(tr.avail_present);

    /* the same key named by the operator (node or ETH form) is trusted */
    char extra[2][R1_ADDR_MAX] = {"0xai_AgNhMIJZkkWdrTjnmrqdOa6hzAXkoXPNV4Zbvbm_piYJ"};
    r1_strlcpy(extra[1], TEST_KEY_NODE, R1_ADDR_MAX);
    assert_int_equal(trust_check_oracle_reply(body, strlen(body), main_net,
                                              (const char(*)[R1_ADDR_MAX])extra, 2, &tr),
                     R1_TRUST_VERIFIED);
    assert_string_equal(tr.reason, "");
    r1_strlcpy(extra[1], TEST_KEY_ETH, R1_ADDR_MAX);
    assert_int_equal(trust_check_oracle_reply(body, strlen(body), main_net,
                                              (const char(*)[R1_ADDR_MAX])extra, 2, &tr),
                     R1_TRUST_VERIFIED);
    free(body);
}

static void test_trust_known_oracles_of_each_network(void **state)
{
    (void)state;
    /* the seeds of docs/protocol.md §1.3, in either prefix, on their own network only */
    const struct r1_network *m = network_get(R1_NET_MAINNET), *t = network_get(R1_NET_TESTNET);
    assert_true(
        trust_is_known_oracle("0xai_Aj1FpPQHISEBelp-tQ8cegwk434Dcl6xaHmuhZQT74if", m, NULL, 0));
    assert_true(
        trust_is_known_oracle("aixp_Aj1FpPQHISEBelp-tQ8cegwk434Dcl6xaHmuhZQT74if", m, NULL, 0));
    assert_false(
        trust_is_known_oracle("0xai_Aj1FpPQHISEBelp-tQ8cegwk434Dcl6xaHmuhZQT74if", t, NULL, 0));
    assert_true(
        trust_is_known_oracle("0xai_A61eKDV1otIH6uWy3zDlbJNJUWayp1jAsirOuYxztf82", t, NULL, 0));
    assert_false(trust_is_known_oracle(TEST_KEY_NODE, m, NULL, 0));
    assert_false(trust_is_known_oracle("garbage", m, NULL, 0));
}

static void test_trust_unsigned_and_bad_replies(void **state)
{
    (void)state;
    const struct r1_network *m = network_get(R1_NET_MAINNET);
    struct trust_result tr;
    const char *unsigned_body = "{\"result\":{\"current_epoch\":439},\"server_node_addr\":\"x\"}";
    assert_int_equal(
        trust_check_oracle_reply(unsigned_body, strlen(unsigned_body), m, NULL, 0, &tr),
        R1_TRUST_UNSIGNED);
    assert_string_equal(tr.reason, "no EE_SIGN: unsigned");
    const char *garbage = "<html>502 Bad Gateway</html>";
    assert_int_equal(trust_check_oracle_reply(garbage, strlen(garbage), m, NULL, 0, &tr),
                     R1_TRUST_BAD);
    assert_non_null(strstr(tr.reason, "not valid JSON"));
    assert_int_equal(trust_check_oracle_reply(NULL, 0, m, NULL, 0, &tr), R1_TRUST_BAD);

    char *body = signed_envelope("{\"current_epoch\":439}");
    char *at = strstr(body, "439");
    at[2] = '8'; /* the oracle said 439; someone on the path says 438 */
    assert_int_equal(trust_check_oracle_reply(body, strlen(body), m, NULL, 0, &tr), R1_TRUST_BAD);
    assert_string_equal(tr.reason, "EE_HASH mismatch: message altered");
    free(body);
}

static void test_trust_duplicate_keys_make_a_signed_reply_ambiguous(void **state)
{
    (void)state;
    /* A forged first "current_epoch" before the signed last one: Python (and sig_verify)
     * check the last and find it valid, but cJSON (the oracle parser) reads the first. */
    char *body = signed_envelope("{\"current_epoch\":439}");
    const char *at = strstr(body, "\"result\":{");
    assert_non_null(at);
    size_t head = (size_t)(at - body) + strlen("\"result\":{");
    const char *forged = "\"current_epoch\":1,";
    char *evil = xmalloc(strlen(body) + strlen(forged) + 1);
    memcpy(evil, body, head);
    strcpy(evil + head, forged);
    strcat(evil, body + head);

    struct cj_value *v = parse_ok(evil);
    struct sig_result r;
    assert_int_equal(sig_verify(canon_get(v, "result"), &r), 0); /* Python would accept */
    canon_free(v);
    struct trust_result tr;
    char extra[1][R1_ADDR_MAX];
    r1_strlcpy(extra[0], TEST_KEY_NODE, R1_ADDR_MAX);
    assert_int_equal(trust_check_oracle_reply(evil, strlen(evil), network_get(R1_NET_MAINNET),
                                              (const char(*)[R1_ADDR_MAX])extra, 1, &tr),
                     R1_TRUST_BAD);
    assert_non_null(strstr(tr.reason, "duplicate key 'current_epoch'"));
    /* the clean body from the same signer is verified */
    assert_int_equal(trust_check_oracle_reply(body, strlen(body), network_get(R1_NET_MAINNET),
                                              (const char(*)[R1_ADDR_MAX])extra, 1, &tr),
                     R1_TRUST_VERIFIED);
    free(evil);
    free(body);
}

/* ---- trust: the availability signature --------------------------------------------------- */

/* A node_epochs_range result (docs/protocol.md §3.6) with a real EVM signature by the test key. */
static char *avail_result(const unsigned char vals[], size_t n, int64_t from, bool sign_ee)
{
    unsigned char sk[32], node[20], digest[32], sig[65];
    char sig_hex[131], packed_hex[64], vals_json[128] = "";
    test_key(sk);
    const char *node_eth = "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69";
    assert_int_equal(eth_address_parse(node_eth, node), 0);
    eth_avail_digest(node, (uint64_t)from, (uint64_t)(from + (int64_t)n - 1), vals, n, digest);
    assert_int_equal(eth_sign(digest, sk, sig), 0);
    crypto_hex_encode(sig, 65, sig_hex);
    crypto_hex_encode(vals, n, packed_hex);
    for (size_t i = 0; i < n; i++)
        snprintf(vals_json + strlen(vals_json), sizeof(vals_json) - strlen(vals_json), "%s%u",
                 i ? "," : "", vals[i]);
    char *json = xmalloc(2048);
    snprintf(json, 2048,
             "{\"node\":\"0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty\","
             "\"node_eth_address\":\"%s\",\"epochs_vals\":[%s],\"from_epoch\":%lld,"
             "\"to_epoch\":%lld,\"packed_availabilities\":\"0x%s\",\"eth_signed_data\":"
             "{\"input\":[\"address\",\"uint256\",\"uint256\",\"bytes\"],"
             "\"signature_field\":\"eth_signature\"},\"eth_signatures\":[\"0x%s\"],"
             "\"eth_addresses\":[\"%s\"]}",
             node_eth, vals_json, (long long)from, (long long)(from + (int64_t)n - 1), packed_hex,
             sig_hex, TEST_KEY_ETH);
    if (!sign_ee)
        return json;
    char *body = signed_envelope(json);
    free(json);
    return body;
}

static int check_avail(const char *body, const char (*extra)[R1_ADDR_MAX], int n_extra,
                       struct trust_result *tr)
{
    return trust_check_oracle_reply(body, strlen(body), network_get(R1_NET_MAINNET), extra, n_extra,
                                    tr);
}

static void test_trust_availability_signature_verifies(void **state)
{
    (void)state;
    const unsigned char vals[] = {255, 250, 0};
    char *body = avail_result(vals, 3, 436, true);
    char extra[1][R1_ADDR_MAX];
    r1_strlcpy(extra[0], TEST_KEY_NODE, R1_ADDR_MAX);
    struct trust_result tr;
    assert_int_equal(check_avail(body, (const char(*)[R1_ADDR_MAX])extra, 1, &tr),
                     R1_TRUST_VERIFIED);
    assert_true(tr.avail_present);
    assert_true(tr.avail_sig_ok);
    assert_true(tr.avail_signer_known);
    assert_string_equal(tr.avail_reason, "");
    /* not a known oracle: the signature still holds, the signer is just not trusted */
    assert_int_equal(check_avail(body, NULL, 0, &tr), R1_TRUST_UNKNOWN_SIGNER);
    assert_true(tr.avail_sig_ok);
    assert_false(tr.avail_signer_known);
    free(body);
}

static void test_trust_availability_fails_when_one_epoch_value_changes(void **state)
{
    (void)state;
    const unsigned char vals[] = {255, 250, 0};
    struct trust_result tr;
    /* unsigned by EE_SIGN, so only the EVM signature guards the figures */
    char *json = avail_result(vals, 3, 436, false);

    /* epochs_vals edited, packed left alone */
    char *edited = strdup(json);
    memcpy(strstr(edited, "[255,250,0]"), "[255,251,0]", 11);
    check_avail(edited, NULL, 0, &tr);
    assert_true(tr.avail_present);
    assert_false(tr.avail_sig_ok);
    assert_string_equal(tr.avail_reason,
                        "epochs_vals differ from the signed packed_availabilities");
    free(edited);

    /* both edited consistently: the signature no longer recovers to the listed oracle */
    edited = strdup(json);
    memcpy(strstr(edited, "[255,250,0]"), "[255,251,0]", 11);
    memcpy(strstr(edited, "0xfffa00"), "0xfffb00", 8);
    check_avail(edited, NULL, 0, &tr);
    assert_false(tr.avail_sig_ok);
    assert_non_null(strstr(tr.avail_reason, "does not match its eth_addresses"));
    free(edited);

    /* the range moved by one epoch */
    edited = strdup(json);
    memcpy(strstr(edited, "\"to_epoch\":438"), "\"to_epoch\":439", 14);
    check_avail(edited, NULL, 0, &tr);
    assert_false(tr.avail_sig_ok);
    free(edited);

    /* the untouched one still holds */
    check_avail(json, NULL, 0, &tr);
    assert_true(tr.avail_sig_ok);
    free(json);

    /* an oracle whose state is not valid for the range sends [[]] (docs/protocol.md §2.5) */
    const char *invalid = "{\"eth_signatures\":[[]],\"eth_addresses\":[],"
                          "\"packed_availabilities\":\"0x\",\"epochs_vals\":[]}";
    check_avail(invalid, NULL, 0, &tr);
    assert_true(tr.avail_present);
    assert_false(tr.avail_sig_ok);
    assert_non_null(strstr(tr.avail_reason, "not valid"));
}

/* ---- r1top verify ------------------------------------------------------------------------ */

static char *write_temp(const char *dir, const char *name, const char *content)
{
    char *path = xmalloc(512);
    snprintf(path, 512, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
    return path;
}

static void test_trust_cmd_verify_reports_each_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/r1top-test-verify-XXXXXX";
    assert_non_null(mkdtemp(dir));
    size_t len;
    char *good = read_all(vector_files[0], &len);
    char *bad_text = strdup(good);
    memcpy(strstr(bad_text, "a14473a1"), "a14473a2", 8);
    char *files[] = {
        (char *)vector_files[0],
        write_temp(dir, "tampered.json", bad_text),
        write_temp(dir, "unsigned.json", "{\"a\":1}"),
        (char *)R1_TEST_DATA "/trust/py_signed_v2.json",
        write_temp(dir, "garbage.json", "{\"a\":"),
    };
    char *out_buf = NULL;
    size_t out_len = 0;
    FILE *out = open_memstream(&out_buf, &out_len);
    int rc = trust_cmd_verify(5, files, network_get(R1_NET_MAINNET), NULL, 0, out);
    fclose(out);
    assert_int_equal(rc, 1);
    char want[1024];
    snprintf(want, sizeof(want),
             "%s: VALID (unversioned) sender 0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty "
             "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69 not a known oracle\n",
             vector_files[0]);
    assert_non_null(strstr(out_buf, want));
    snprintf(want, sizeof(want), "%s: INVALID (EE_HASH mismatch: message altered)\n", files[1]);
    assert_non_null(strstr(out_buf, want));
    snprintf(want, sizeof(want), "%s: INVALID (no EE_SIGN: unsigned)\n", files[2]);
    assert_non_null(strstr(out_buf, want));
    snprintf(want, sizeof(want), "%s: VALID (v2) sender %s %s not a known oracle\n", files[3],
             TEST_KEY_NODE, TEST_KEY_ETH);
    assert_non_null(strstr(out_buf, want));
    snprintf(want, sizeof(want), "%s: INVALID (JSON:", files[4]);
    assert_non_null(strstr(out_buf, want));
    free(out_buf);

    /* all valid: exit status 0 */
    out = open_memstream(&out_buf, &out_len);
    assert_int_equal(trust_cmd_verify(1, files, network_get(R1_NET_MAINNET), NULL, 0, out), 0);
    fclose(out);
    free(out_buf);

    /* a signer the config trusts (oracle.trusted) is reported as a known oracle */
    char trusted[1][R1_ADDR_MAX];
    r1_strlcpy(trusted[0], TEST_KEY_NODE, sizeof(trusted[0]));
    out = open_memstream(&out_buf, &out_len);
    assert_int_equal(trust_cmd_verify(1, &files[3], network_get(R1_NET_MAINNET),
                                      (const char(*)[R1_ADDR_MAX])trusted, 1, out), 0);
    fclose(out);
    snprintf(want, sizeof(want), "%s: VALID (v2) sender %s %s known oracle\n", files[3],
             TEST_KEY_NODE, TEST_KEY_ETH);
    assert_non_null(strstr(out_buf, want));
    free(out_buf);

    static const int temp_files[] = {1, 2, 4};
    for (size_t i = 0; i < 3; i++) {
        unlink(files[temp_files[i]]);
        free(files[temp_files[i]]);
    }
    rmdir(dir);
    free(good);
    free(bad_text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sig_all_four_vectors_verify),
        cmocka_unit_test(test_sig_netmon_fails_with_repr_floats),
        cmocka_unit_test(test_sig_any_single_byte_change_to_a_value_breaks_each_vector),
        cmocka_unit_test(test_sig_raw_byte_flips_in_the_wire_text_are_caught),
        cmocka_unit_test(test_sig_reasons_for_each_kind_of_failure),
        cmocka_unit_test(test_sig_high_s_signatures_verify),
        cmocka_unit_test(test_sig_v2_sign_then_verify_round_trip),
        cmocka_unit_test(test_sig_sign_is_deterministic_and_matches_the_python_checked_fixture),
        cmocka_unit_test(test_sig_python_signed_v2_fixture_verifies),
        cmocka_unit_test(test_sig_without_ee_hash_signs_the_text_itself),
        cmocka_unit_test(test_trust_signature_by_a_non_oracle_is_unknown_signer),
        cmocka_unit_test(test_trust_known_oracles_of_each_network),
        cmocka_unit_test(test_trust_unsigned_and_bad_replies),
        cmocka_unit_test(test_trust_duplicate_keys_make_a_signed_reply_ambiguous),
        cmocka_unit_test(test_trust_availability_signature_verifies),
        cmocka_unit_test(test_trust_availability_fails_when_one_epoch_value_changes),
        cmocka_unit_test(test_trust_cmd_verify_reports_each_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
