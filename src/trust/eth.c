#include "eth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "crypto.h"
#include "keccak.h"
#include "util.h"

void eth_address_format(const unsigned char addr[ETH_ADDR_LEN], char out[ETH_ADDR_BUF])
{
    char lower[2 * ETH_ADDR_LEN + 1];
    unsigned char h[KECCAK256_LEN];
    crypto_hex_encode(addr, ETH_ADDR_LEN, lower);
    /* EIP-55: uppercase a letter when the matching nibble of keccak(lowercase hex) >= 8 */
    keccak256(lower, 2 * ETH_ADDR_LEN, h);
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < 2 * ETH_ADDR_LEN; i++) {
        unsigned nibble = i % 2 == 0 ? h[i / 2] >> 4 : h[i / 2] & 15;
        char c = lower[i];
        out[2 + i] = (c >= 'a' && c <= 'f' && nibble >= 8) ? (char)(c - 'a' + 'A') : c;
    }
    out[ETH_ADDR_BUF - 1] = '\0';
}

int eth_address_parse(const char *text, unsigned char addr[ETH_ADDR_LEN])
{
    size_t n;
    if (!text || strlen(text) != 2 + 2 * ETH_ADDR_LEN || text[0] != '0' ||
        (text[1] != 'x' && text[1] != 'X'))
        return -1;
    if (crypto_hex_decode(text + 2, 2 * ETH_ADDR_LEN, addr, ETH_ADDR_LEN, &n) != 0)
        return -1;
    bool has_lower = false, has_upper = false;
    for (const char *p = text + 2; *p; p++) {
        has_lower |= *p >= 'a' && *p <= 'f';
        has_upper |= *p >= 'A' && *p <= 'F';
    }
    if (has_lower && has_upper) {
        char canon[ETH_ADDR_BUF];
        eth_address_format(addr, canon);
        if (strcmp(canon + 2, text + 2) != 0)
            return -1;
    }
    return 0;
}

static int pubkey_parse(const secp256k1_context *ctx, const unsigned char *pub, size_t len,
                        secp256k1_pubkey *pk)
{
    return secp256k1_ec_pubkey_parse(ctx, pk, pub, len) ? 0 : -1;
}

static void addr_from_pk(const secp256k1_context *ctx, const secp256k1_pubkey *pk,
                         unsigned char addr[ETH_ADDR_LEN])
{
    unsigned char full[65], h[KECCAK256_LEN];
    size_t n = sizeof(full);
    secp256k1_ec_pubkey_serialize(ctx, full, &n, pk, SECP256K1_EC_UNCOMPRESSED);
    keccak256(full + 1, 64, h); /* X || Y without the 0x04 prefix */
    memcpy(addr, h + KECCAK256_LEN - ETH_ADDR_LEN, ETH_ADDR_LEN);
}

int eth_address_from_pubkey(const unsigned char *pub, size_t pub_len,
                            unsigned char addr[ETH_ADDR_LEN])
{
    const secp256k1_context *ctx = crypto_secp_public();
    secp256k1_pubkey pk;
    if (!ctx || pubkey_parse(ctx, pub, pub_len, &pk) != 0)
        return -1;
    addr_from_pk(ctx, &pk, addr);
    return 0;
}

int eth_pubkey_from_seckey(const unsigned char seckey[32], unsigned char pub[ETH_PUBKEY_LEN])
{
    secp256k1_context *ctx = crypto_secp_new();
    secp256k1_pubkey pk;
    size_t n = ETH_PUBKEY_LEN;
    int rc = -1;
    if (ctx && secp256k1_ec_seckey_verify(ctx, seckey) &&
        secp256k1_ec_pubkey_create(ctx, &pk, seckey)) {
        secp256k1_ec_pubkey_serialize(ctx, pub, &n, &pk, SECP256K1_EC_COMPRESSED);
        rc = 0;
    }
    if (ctx)
        secp256k1_context_destroy(ctx);
    return rc;
}

void eth_node_addr_format(const unsigned char pub[ETH_PUBKEY_LEN], char out[ETH_NODE_ADDR_BUF])
{
    char *b64 = crypto_b64url_encode(pub, ETH_PUBKEY_LEN, false);
    snprintf(out, ETH_NODE_ADDR_BUF, "0xai_%s", b64);
    free(b64);
}

int eth_node_addr_parse(const char *text, unsigned char pub[ETH_PUBKEY_LEN])
{
    if (!text)
        return -1;
    /* aixp_ is the pre-Ratio1 prefix; the SDK still accepts it (docs/protocol.md §3.5) */
    if (strncmp(text, "0xai_", 5) == 0 || strncmp(text, "aixp_", 5) == 0)
        text += 5;
    unsigned char buf[ETH_PUBKEY_LEN + 3];
    size_t n;
    if (crypto_b64url_decode(text, strlen(text), buf, sizeof(buf), &n) != 0 ||
        n != ETH_PUBKEY_LEN || (buf[0] != 0x02 && buf[0] != 0x03))
        return -1;
    unsigned char addr[ETH_ADDR_LEN];
    if (eth_address_from_pubkey(buf, n, addr) != 0) /* on the curve? */
        return -1;
    memcpy(pub, buf, ETH_PUBKEY_LEN);
    return 0;
}

int eth_node_addr_to_eth(const char *node_addr, char out[ETH_ADDR_BUF])
{
    unsigned char pub[ETH_PUBKEY_LEN], addr[ETH_ADDR_LEN];
    if (eth_node_addr_parse(node_addr, pub) != 0 ||
        eth_address_from_pubkey(pub, sizeof(pub), addr) != 0)
        return -1;
    eth_address_format(addr, out);
    return 0;
}

bool eth_node_addr_equal(const char *a, const char *b)
{
    unsigned char pa[ETH_PUBKEY_LEN], pb[ETH_PUBKEY_LEN];
    return eth_node_addr_parse(a, pa) == 0 && eth_node_addr_parse(b, pb) == 0 &&
           memcmp(pa, pb, ETH_PUBKEY_LEN) == 0;
}

static void put_uint256(struct keccak_ctx *k, uint64_t v)
{
    unsigned char word[32] = {0};
    for (int i = 0; i < 8; i++)
        word[31 - i] = (unsigned char)(v >> (8 * i));
    keccak256_update(k, word, sizeof(word));
}

void eth_avail_digest(const unsigned char node[ETH_ADDR_LEN], uint64_t from_epoch,
                      uint64_t to_epoch, const unsigned char *packed, size_t n_packed,
                      unsigned char digest[32])
{
    struct keccak_ctx k;
    unsigned char inner[KECCAK256_LEN];
    /* abi.encodePacked(address, uint256, uint256, bytes): 20 + 32 + 32 + n bytes, no padding
     * on the address or the dynamic bytes */
    keccak256_init(&k);
    keccak256_update(&k, node, ETH_ADDR_LEN);
    put_uint256(&k, from_epoch);
    put_uint256(&k, to_epoch);
    keccak256_update(&k, packed, n_packed);
    keccak256_final(&k, inner);
    static const char prefix[] = "\x19"
                                 "Ethereum Signed Message:\n32";
    keccak256_init(&k);
    keccak256_update(&k, prefix, sizeof(prefix) - 1);
    keccak256_update(&k, inner, sizeof(inner));
    keccak256_final(&k, digest);
}

int eth_recover(const unsigned char digest[32], const unsigned char sig[ETH_SIG_LEN],
                unsigned char addr[ETH_ADDR_LEN])
{
    int v = sig[64];
    if (v >= 27)
        v -= 27;
    if (v != 0 && v != 1)
        return -1;
    const secp256k1_context *ctx = crypto_secp_public();
    if (!ctx)
        return -1;
    secp256k1_ecdsa_recoverable_signature rsig;
    secp256k1_pubkey pk;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rsig, sig, v) ||
        !secp256k1_ecdsa_recover(ctx, &pk, &rsig, digest))
        return -1;
    addr_from_pk(ctx, &pk, addr);
    return 0;
}

int eth_sign(const unsigned char digest[32], const unsigned char seckey[32],
             unsigned char sig[ETH_SIG_LEN])
{
    secp256k1_context *ctx = crypto_secp_new();
    if (!ctx)
        return -1;
    secp256k1_ecdsa_recoverable_signature rsig;
    int recid = 0, rc = -1;
    if (secp256k1_ecdsa_sign_recoverable(ctx, &rsig, digest, seckey, NULL, NULL) &&
        secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, sig, &recid, &rsig)) {
        sig[64] = (unsigned char)(27 + recid);
        rc = 0;
    }
    secp256k1_context_destroy(ctx);
    return rc;
}
