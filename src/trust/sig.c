#include "sig.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secp256k1.h>

#include "crypto.h"

/* BCctbase's non-data fields: the SDK strips all of them before hashing (eth enabled, the
 * default everywhere); v2 then hashes SIGN_CANON_V too, so it stays in (docs/protocol.md §3.2). */
static const char *const non_data_all[] = {
    "EE_SIGN", "EE_SENDER", "EE_HASH", "SIGN_CANON_V", "EE_ETH_SIGN", "EE_ETH_SENDER", NULL,
};
static const char *const non_data_v2[] = {
    "EE_SIGN", "EE_SENDER", "EE_HASH", "EE_ETH_SIGN", "EE_ETH_SENDER", NULL,
};

const char *sig_canon_name(enum sig_canon c)
{
    switch (c) {
    case SIG_CANON_V2:
        return "v2";
    case SIG_CANON_V1:
        return "v1";
    case SIG_CANON_UNVERSIONED:
        return "unversioned";
    case SIG_CANON_UNVERSIONED_LEGACY:
        return "unversioned, legacy floats";
    case SIG_CANON_NONE:
        break;
    }
    return "none";
}

/* Python's bool(): verify() only checks EE_HASH when it is truthy ("if received_digest:"). */
static bool py_truthy(const struct cj_value *v)
{
    if (!v)
        return false;
    switch (v->type) {
    case CJ_NULL:
    case CJ_FALSE:
        return false;
    case CJ_TRUE:
        return true;
    case CJ_STRING:
    case CJ_ARRAY:
    case CJ_OBJECT:
        return v->type == CJ_STRING ? v->len > 0 : v->n > 0;
    case CJ_NUMBER: {
        double d;
        if (canon_number_double(v, &d) != 0)
            return true; /* NaN and inf are truthy */
        return d != 0;
    }
    }
    return true;
}

enum attempt { ATTEMPT_OK, ATTEMPT_HASH_MISMATCH, ATTEMPT_SIG_FAIL, ATTEMPT_ERROR };

/* One reconstruction: canonical text -> hash -> (EE_HASH check) -> ECDSA verify. */
static enum attempt verify_form(const struct cj_value *msg, enum canon_float mode,
                                const char *const *drop, const secp256k1_context *ctx,
                                const secp256k1_ecdsa_signature *sig, const secp256k1_pubkey *pk,
                                char hash_hex[65])
{
    size_t len;
    char *text = canon_serialize(msg, mode, drop, &len);
    unsigned char h[CRYPTO_SHA256_LEN], e[CRYPTO_SHA256_LEN];
    int rc = crypto_sha256(text, len, h);
    free(text);
    if (rc != 0)
        return ATTEMPT_ERROR;
    crypto_hex_encode(h, sizeof(h), hash_hex);
    const struct cj_value *ee_hash = canon_get(msg, "EE_HASH");
    if (py_truthy(ee_hash)) {
        if (ee_hash->type != CJ_STRING || ee_hash->len != 64 || memcmp(ee_hash->str, hash_hex, 64))
            return ATTEMPT_HASH_MISMATCH;
        /* ECDSA(SHA256) over the 32 hash bytes: e = SHA256(SHA256(text)) */
        if (crypto_sha256(h, sizeof(h), e) != 0)
            return ATTEMPT_ERROR;
    } else {
        /* no EE_HASH: the signature is over the text itself, so e = SHA256(text) */
        memcpy(e, h, sizeof(e));
    }
    return secp256k1_ecdsa_verify(ctx, sig, e, pk) ? ATTEMPT_OK : ATTEMPT_SIG_FAIL;
}

static int result_fail(struct sig_result *out, const char *reason)
{
    out->valid = false;
    out->canon = SIG_CANON_NONE;
    r1_strlcpy(out->reason, reason, sizeof(out->reason));
    return -1;
}

int sig_verify(const struct cj_value *msg, struct sig_result *out)
{
    memset(out, 0, sizeof(*out));
    if (!msg || msg->type != CJ_OBJECT)
        return result_fail(out, "not a JSON object");
    const struct cj_value *ee_sign = canon_get(msg, "EE_SIGN");
    if (!ee_sign || ee_sign->type == CJ_NULL)
        return result_fail(out, "no EE_SIGN: unsigned");
    out->has_sign = true;

    unsigned char pub[ETH_PUBKEY_LEN];
    const struct cj_value *sender_v = canon_get(msg, "EE_SENDER");
    if (!sender_v || sender_v->type == CJ_NULL)
        return result_fail(out, "no EE_SENDER: cannot tell who signed");
    const char *sender = canon_get_string(msg, "EE_SENDER");
    if (!sender || eth_node_addr_parse(sender, pub) != 0)
        return result_fail(out, "malformed EE_SENDER");
    eth_node_addr_format(pub, out->sender);
    eth_node_addr_to_eth(out->sender, out->sender_eth);

    unsigned char der[128];
    size_t der_len = 0;
    if (ee_sign->type != CJ_STRING ||
        crypto_b64url_decode(ee_sign->str, ee_sign->len, der, sizeof(der), &der_len) != 0)
        return result_fail(out, "malformed EE_SIGN");

    const secp256k1_context *ctx = crypto_secp_public();
    if (!ctx)
        return result_fail(out, "secp256k1 context could not be created");
    secp256k1_ecdsa_signature sig;
    secp256k1_pubkey pk;
    if (!secp256k1_ecdsa_signature_parse_der(ctx, &sig, der, der_len)) {
        return result_fail(out, "malformed EE_SIGN");
    }
    /* OpenSSL (the SDK's signer) does not produce low-S signatures; libsecp256k1 only
     * verifies low-S ones. */
    secp256k1_ecdsa_signature_normalize(ctx, &sig, &sig);
    if (!secp256k1_ec_pubkey_parse(ctx, &pk, pub, sizeof(pub))) {
        return result_fail(out, "malformed EE_SENDER");
    }

    /* Which forms to try, in verify()'s order (docs/protocol.md §3.4). A null SIGN_CANON_V reads as
     * absent there (dict.get returns None). */
    struct form {
        enum canon_float mode;
        const char *const *drop;
        enum sig_canon canon;
    } forms[2];
    int n_forms;
    const struct cj_value *canon_v = canon_get(msg, "SIGN_CANON_V");
    if (!canon_v || canon_v->type == CJ_NULL) {
        forms[0] = (struct form){CANON_FLOAT_REPR, non_data_all, SIG_CANON_UNVERSIONED};
        forms[1] = (struct form){CANON_FLOAT_LEGACY, non_data_all, SIG_CANON_UNVERSIONED_LEGACY};
        n_forms = 2;
    } else if (canon_v->type == CJ_STRING && strcmp(canon_v->str, "v2") == 0 && canon_v->len == 2) {
        forms[0] = (struct form){CANON_FLOAT_REPR, non_data_v2, SIG_CANON_V2};
        n_forms = 1;
    } else if (canon_v->type == CJ_STRING && strcmp(canon_v->str, "v1") == 0 && canon_v->len == 2) {
        forms[0] = (struct form){CANON_FLOAT_LEGACY, non_data_all, SIG_CANON_V1};
        n_forms = 1;
    } else {
        char sanitized[40];
        r1_sanitize(sanitized, sizeof(sanitized), canon_v->type == CJ_STRING ? canon_v->str : "?");
        char reason[R1_ERR_MAX];
        snprintf(reason, sizeof(reason), "unknown SIGN_CANON_V '%s'", sanitized);
        return result_fail(out, reason);
    }

    bool hash_matched = false;
    for (int i = 0; i < n_forms; i++) {
        enum attempt a =
            verify_form(msg, forms[i].mode, forms[i].drop, ctx, &sig, &pk, out->hash_hex);
        if (a == ATTEMPT_OK) {
                out->valid = true;
            out->canon = forms[i].canon;
            out->reason[0] = '\0';
            return 0;
        }
        if (a == ATTEMPT_ERROR) {
                return result_fail(out, "SHA-256 failed");
        }
        hash_matched |= a == ATTEMPT_SIG_FAIL;
    }
    /* Of the two unversioned attempts, the one whose hash matched says more. */
    return result_fail(out, hash_matched ? "signature does not verify"
                                         : "EE_HASH mismatch: message altered");
}

int sig_sign(struct cj_value *msg, const unsigned char seckey[32], char *err)
{
    if (!msg || msg->type != CJ_OBJECT)
        return r1_err(err, "sign: the message is not a JSON object");
    unsigned char pub[ETH_PUBKEY_LEN];
    if (eth_pubkey_from_seckey(seckey, pub) != 0)
        return r1_err(err, "sign: the secret key is not a valid secp256k1 key");
    for (const char *const *k = non_data_all; *k; k++)
        canon_object_remove(msg, *k);
    canon_object_set(msg, "SIGN_CANON_V", canon_new_string("v2"));

    size_t len;
    char *text = canon_serialize(msg, CANON_FLOAT_REPR, non_data_v2, &len);
    unsigned char h[CRYPTO_SHA256_LEN], e[CRYPTO_SHA256_LEN];
    int rc = crypto_sha256(text, len, h);
    free(text);
    if (rc != 0 || crypto_sha256(h, sizeof(h), e) != 0)
        return r1_err(err, "sign: SHA-256 failed");

    secp256k1_context *ctx = crypto_secp_new();
    if (!ctx)
        return r1_err(err, "sign: secp256k1 context could not be created");
    secp256k1_ecdsa_signature sig;
    unsigned char der[80];
    size_t der_len = sizeof(der);
    /* NULL nonce function = RFC 6979: the same message and key give the same signature */
    int ok = secp256k1_ecdsa_sign(ctx, &sig, e, seckey, NULL, NULL) &&
             secp256k1_ecdsa_signature_serialize_der(ctx, der, &der_len, &sig);
    secp256k1_context_destroy(ctx);
    if (!ok)
        return r1_err(err, "sign: secp256k1 signing failed");

    char hash_hex[65], node_addr[ETH_NODE_ADDR_BUF], eth[ETH_ADDR_BUF];
    crypto_hex_encode(h, sizeof(h), hash_hex);
    eth_node_addr_format(pub, node_addr);
    if (eth_node_addr_to_eth(node_addr, eth) != 0)
        return r1_err(err, "sign: could not derive the ETH address");
    char *b64 = crypto_b64url_encode(der, der_len, true);
    canon_object_set(msg, "EE_SIGN", canon_new_string(b64));
    free(b64);
    canon_object_set(msg, "EE_SENDER", canon_new_string(node_addr));
    canon_object_set(msg, "EE_ETH_SENDER", canon_new_string(eth));
    /* the SDK's placeholder when it does not make an EVM signature of the text */
    canon_object_set(msg, "EE_ETH_SIGN", canon_new_string("0xBEEF"));
    canon_object_set(msg, "EE_HASH", canon_new_string(hash_hex));
    return 0;
}
