/* Unit tests for the hash and address layer: keccak.c (Keccak-256 known answers), crypto.c
 * (SHA-256, base64url, hex) and eth.c (EIP-55, 0xai_ <-> key <-> ETH, the availability
 * digest and recoverable signatures). Known answers come from the specs (EIP-55, the Keccak
 * team's values as Ethereum uses them), docs/protocol.md §3.5, or tests/data/trust/pykeccak.py, an
 * independent Python implementation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "trust/crypto.h"
#include "trust/eth.h"
#include "trust/keccak.h"

static void hex_of(const unsigned char *b, size_t n, char *out)
{
    crypto_hex_encode(b, n, out);
}

static void assert_keccak(const void *data, size_t len, const char *want_hex)
{
    unsigned char h[KECCAK256_LEN];
    char hex[65];
    keccak256(data, len, h);
    hex_of(h, sizeof(h), hex);
    assert_string_equal(hex, want_hex);
}

/* ---- keccak ----------------------------------------------------------------------------- */

static void test_keccak_empty_input_known_answer(void **state)
{
    (void)state;
    /* Ethereum's KECCAK_EMPTY; SHA3-256("") would be a7ffc6f8..., the padding bug to catch */
    assert_keccak("", 0, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

static void test_keccak_abc_known_answer(void **state)
{
    (void)state;
    assert_keccak("abc", 3, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

static void test_keccak_200_bytes_crosses_the_136_byte_rate(void **state)
{
    (void)state;
    unsigned char a3[200];
    memset(a3, 0xa3, sizeof(a3));
    /* 200 x 0xA3, the Keccak team's 1600-bit message; also pykeccak.py's answer */
    assert_keccak(a3, sizeof(a3),
                  "3a57666b048777f2c953dc4456f45a2588e1cb6f2da760122d530ac2ce607d4a");
}

static void test_keccak_lengths_around_the_rate_boundary(void **state)
{
    (void)state;
    /* 135 bytes: padding fits in the block (0x01 and 0x80 share the last byte, 0x81);
     * 136: a whole extra padding block; 137 and 272: a second and third block.
     * Expected values from pykeccak.py. */
    static const struct {
        size_t n;
        const char *hex;
    } cases[] = {
        {135, "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446"},
        {136, "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e"},
        {137, "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39"},
        {272, "cf7fcd4f705ee749930d19ca84561a9bf62516bd90a471545fa2f49fdc7e63c8"},
    };
    unsigned char a[272];
    memset(a, 'a', sizeof(a));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_keccak(a, cases[i].n, cases[i].hex);
}

static void test_keccak_incremental_equals_one_shot_for_any_split(void **state)
{
    (void)state;
    unsigned char msg[300], one[32], inc[32];
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (unsigned char)(i * 7 + 3);
    keccak256(msg, sizeof(msg), one);
    for (size_t chunk = 1; chunk <= 137; chunk += 17) {
        struct keccak_ctx c;
        keccak256_init(&c);
        for (size_t off = 0; off < sizeof(msg); off += chunk)
            keccak256_update(&c, msg + off, off + chunk > sizeof(msg) ? sizeof(msg) - off : chunk);
        keccak256_final(&c, inc);
        assert_memory_equal(one, inc, 32);
    }
}

/* ---- crypto ------------------------------------------------------------------------------ */

static void test_sha256_abc_known_answer(void **state)
{
    (void)state;
    unsigned char h[32];
    char hex[65];
    assert_int_equal(crypto_sha256("abc", 3, h), 0);
    hex_of(h, 32, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_b64url_round_trip_with_and_without_padding(void **state)
{
    (void)state;
    /* 0xfb 0xff -> "-_8" uses both url-safe characters; lengths 0..5 cover every remainder */
    const unsigned char in[] = {0xfb, 0xff, 0xbf, 0x00, 0x10};
    static const char *const padded[] = {"", "-w==", "-_8=", "-_-_", "-_-_AA==", "-_-_ABA="};
    for (size_t n = 0; n <= sizeof(in); n++) {
        char *p = crypto_b64url_encode(in, n, true);
        char *u = crypto_b64url_encode(in, n, false);
        assert_string_equal(p, padded[n]);
        assert_int_equal(strlen(u), strcspn(padded[n], "="));
        unsigned char out[8];
        size_t out_len = 99;
        assert_int_equal(crypto_b64url_decode(p, strlen(p), out, sizeof(out), &out_len), 0);
        assert_int_equal(out_len, n);
        assert_memory_equal(out, in, n);
        assert_int_equal(crypto_b64url_decode(u, strlen(u), out, sizeof(out), &out_len), 0);
        assert_int_equal(out_len, n);
        assert_memory_equal(out, in, n);
        free(p);
        free(u);
    }
}

static void test_b64url_decode_rejects_bad_input(void **state)
{
    (void)state;
    unsigned char out[16];
    size_t n;
    assert_int_equal(crypto_b64url_decode("ab+c", 4, out, sizeof(out), &n), -1); /* std alphabet */
    assert_int_equal(crypto_b64url_decode("ab c", 4, out, sizeof(out), &n), -1);
    assert_int_equal(crypto_b64url_decode("abcde", 5, out, sizeof(out), &n), -1); /* 1 left */
    assert_int_equal(crypto_b64url_decode("ab=", 3, out, sizeof(out), &n), -1);   /* short pad */
    assert_int_equal(crypto_b64url_decode("a===", 4, out, sizeof(out), &n), -1);
    assert_int_equal(crypto_b64url_decode("AAAAAAAA", 8, out, 5, &n), -1); /* overflow */
}

static void test_hex_round_trip_and_rejects(void **state)
{
    (void)state;
    unsigned char out[4];
    size_t n;
    char hex[9];
    assert_int_equal(crypto_hex_decode("00fAfF", 6, out, sizeof(out), &n), 0);
    assert_int_equal(n, 3);
    hex_of(out, n, hex);
    assert_string_equal(hex, "00faff");
    assert_int_equal(crypto_hex_decode("abc", 3, out, sizeof(out), &n), -1);
    assert_int_equal(crypto_hex_decode("zz", 2, out, sizeof(out), &n), -1);
    assert_int_equal(crypto_hex_decode("0011223344", 10, out, sizeof(out), &n), -1);
}

/* ---- eth: EIP-55 ------------------------------------------------------------------------ */

static void test_eip55_spec_vectors(void **state)
{
    (void)state;
    /* EIP-55's own examples (the mixed-case group) */
    static const char *const mixed[] = {
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    };
    for (size_t i = 0; i < sizeof(mixed) / sizeof(mixed[0]); i++) {
        unsigned char addr[20];
        char text[ETH_ADDR_BUF];
        assert_int_equal(eth_address_parse(mixed[i], addr), 0);
        eth_address_format(addr, text);
        assert_string_equal(text, mixed[i]);
    }
    /* all-caps and all-lower addresses carry no checksum and are accepted */
    unsigned char addr[20];
    assert_int_equal(eth_address_parse("0x52908400098527886E0F7030069857D2E4169EE7", addr), 0);
    assert_int_equal(eth_address_parse("0xde709f2102306220921060314715629080e2fb77", addr), 0);
}

static void test_eip55_rejects_a_wrong_checksum(void **state)
{
    (void)state;
    unsigned char addr[20];
    /* the first spec vector with one letter's case flipped (a -> A at position 3) */
    assert_int_equal(eth_address_parse("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", addr), -1);
    assert_int_equal(eth_address_parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", addr), -1);
    assert_int_equal(eth_address_parse("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00", addr), -1);
}

/* ---- eth: keys and addresses ------------------------------------------------------------ */

static void test_node_address_to_eth_known_pair(void **state)
{
    (void)state;
    char eth[ETH_ADDR_BUF];
    /* docs/protocol.md §3.5, checked there against the SDK */
    assert_int_equal(eth_node_addr_to_eth("0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty", eth),
                     0);
    assert_string_equal(eth, "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69");
    /* the legacy prefix names the same key */
    assert_int_equal(eth_node_addr_to_eth("aixp_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty", eth),
                     0);
    assert_string_equal(eth, "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69");
    assert_true(eth_node_addr_equal("aixp_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty",
                                    "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty"));
}

static void test_node_address_round_trips_through_the_key(void **state)
{
    (void)state;
    const char *addr = "0xai_A74xZKZJa4LekjvJ6oJz29qxOOs5nLClXAZEhYv59t3Z";
    unsigned char pub[ETH_PUBKEY_LEN];
    char again[ETH_NODE_ADDR_BUF];
    assert_int_equal(eth_node_addr_parse(addr, pub), 0);
    assert_true(pub[0] == 0x02 || pub[0] == 0x03);
    eth_node_addr_format(pub, again);
    assert_string_equal(again, addr);
    assert_int_equal(strlen(again), 49);
}

static void test_node_address_rejects_non_keys(void **state)
{
    (void)state;
    unsigned char pub[ETH_PUBKEY_LEN];
    /* one character short */
    assert_int_equal(eth_node_addr_parse("0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmt", pub),
                     -1);
    /* "BD..." decodes to prefix byte 0x04: not a compressed point */
    assert_int_equal(eth_node_addr_parse("0xai_BDcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty", pub),
                     -1);
    /* x = 5 has no point on secp256k1 (5^3 + 7 = 132 is not a square mod p) */
    unsigned char x5[ETH_PUBKEY_LEN] = {0x02};
    x5[32] = 5;
    char text[ETH_NODE_ADDR_BUF];
    eth_node_addr_format(x5, text);
    assert_int_equal(eth_node_addr_parse(text, pub), -1);
    assert_int_equal(eth_node_addr_parse("", pub), -1);
    assert_int_equal(eth_node_addr_parse(NULL, pub), -1);
}

static void test_secret_key_one_is_the_generator_address(void **state)
{
    (void)state;
    unsigned char sk[32] = {0}, pub[ETH_PUBKEY_LEN], addr[20];
    char eth[ETH_ADDR_BUF];
    sk[31] = 1;
    assert_int_equal(eth_pubkey_from_seckey(sk, pub), 0);
    assert_int_equal(eth_address_from_pubkey(pub, sizeof(pub), addr), 0);
    eth_address_format(addr, eth);
    /* the widely published address of private key 1 */
    assert_string_equal(eth, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
    unsigned char zero[32] = {0};
    assert_int_equal(eth_pubkey_from_seckey(zero, pub), -1);
}

/* ---- eth: availability signatures ------------------------------------------------------ */

static void test_avail_digest_matches_independent_python(void **state)
{
    (void)state;
    unsigned char node[20], digest[32];
    const unsigned char packed[] = {0, 250, 255};
    char hex[65];
    assert_int_equal(eth_address_parse("0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69", node), 0);
    eth_avail_digest(node, 436, 438, packed, sizeof(packed), digest);
    hex_of(digest, 32, hex);
    /* pykeccak.py: keccak("\x19Ethereum Signed Message:\n32" + keccak(node + be32(436) +
     * be32(438) + 00faff)) */
    assert_string_equal(hex, "d3ab0fbee064495fcbb58c2bd90533a1971e955a2b4561923c084b4613cf4175");
}

static void test_recoverable_signature_round_trip(void **state)
{
    (void)state;
    unsigned char sk[32], pub[ETH_PUBKEY_LEN], want[20], got[20], sig[65], digest[32];
    for (int i = 0; i < 32; i++)
        sk[i] = (unsigned char)(i + 1);
    assert_int_equal(eth_pubkey_from_seckey(sk, pub), 0);
    assert_int_equal(eth_address_from_pubkey(pub, sizeof(pub), want), 0);
    keccak256("epochs", 6, digest);
    assert_int_equal(eth_sign(digest, sk, sig), 0);
    assert_true(sig[64] == 27 || sig[64] == 28);
    assert_int_equal(eth_recover(digest, sig, got), 0);
    assert_memory_equal(got, want, 20);
    /* v as 0/1 (some signers) recovers the same key */
    sig[64] = (unsigned char)(sig[64] - 27);
    assert_int_equal(eth_recover(digest, sig, got), 0);
    assert_memory_equal(got, want, 20);
    /* another digest recovers someone else */
    digest[0] ^= 1;
    assert_int_equal(eth_recover(digest, sig, got), 0);
    assert_memory_not_equal(got, want, 20);
    sig[64] = 29;
    assert_int_equal(eth_recover(digest, sig, got), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keccak_empty_input_known_answer),
        cmocka_unit_test(test_keccak_abc_known_answer),
        cmocka_unit_test(test_keccak_200_bytes_crosses_the_136_byte_rate),
        cmocka_unit_test(test_keccak_lengths_around_the_rate_boundary),
        cmocka_unit_test(test_keccak_incremental_equals_one_shot_for_any_split),
        cmocka_unit_test(test_sha256_abc_known_answer),
        cmocka_unit_test(test_b64url_round_trip_with_and_without_padding),
        cmocka_unit_test(test_b64url_decode_rejects_bad_input),
        cmocka_unit_test(test_hex_round_trip_and_rejects),
        cmocka_unit_test(test_eip55_spec_vectors),
        cmocka_unit_test(test_eip55_rejects_a_wrong_checksum),
        cmocka_unit_test(test_node_address_to_eth_known_pair),
        cmocka_unit_test(test_node_address_round_trips_through_the_key),
        cmocka_unit_test(test_node_address_rejects_non_keys),
        cmocka_unit_test(test_secret_key_one_is_the_generator_address),
        cmocka_unit_test(test_avail_digest_matches_independent_python),
        cmocka_unit_test(test_recoverable_signature_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
