/* Unit tests for chain/abi.c: fixed vectors written by an independent Python encoder
 * (tests/data/abi/make_vectors.py, output in tests/data/abi/vectors.txt), round trips, strict
 * refusals of hostile return data, and every selector of docs/protocol.md §6.3 recomputed with
 * the project's Keccak from its signature. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/abi.h"
#include "util.h"

#define NODE "0x13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e69"
#define OWNER "0x00000000000000000000000000000000000000ff"
#define ORACLE "0xabcdef0123456789abcdef0123456789abcdef01"

/* The vector `name` of vectors.txt, decoded (the test owns *out). */
static void vector(const char *name, unsigned char **out, size_t *n)
{
    char err[R1_ERR_MAX], *hex = test_abi_vector_hex(R1_TEST_DATA, name);
    assert_int_equal(abi_hex_decode(hex, out, n, err), 0);
    free(hex);
}

static void assert_u128(r1_u128 got, r1_u128 want)
{
    char g[48], w[48];
    amount_to_dec(g, sizeof(g), got);
    amount_to_dec(w, sizeof(w), want);
    assert_string_equal(g, w);
}

static r1_u128 dec(const char *s)
{
    r1_u128 v;
    assert_int_equal(amount_parse(s, &v), 0);
    return v;
}

/* Read the selector table of docs/protocol.md §6.3 and recompute each row: the doc is where the
 * selectors are kept, and the code builds them from signatures at run time. */
static void test_abi_selectors_match_protocol_table(void **state)
{
    size_t len;
    char *doc = test_fixture(R1_TEST_DATA, "/../../docs/protocol.md", &len);
    char *sec = strstr(doc, "### §6.3 Function selectors");
    assert_non_null(sec);
    char *end = strstr(sec + 4, "\n---");
    if (end)
        *end = '\0';
    int rows = 0;
    for (char *line = strtok(sec, "\n"); line; line = strtok(NULL, "\n")) {
        char fn[200], sel[16];
        /* "| `Reader.f(address)` | `0x...` |" or "| ERC-20 `balanceOf(address)` | ..." */
        const char *tick = strchr(line, '`');
        if (line[0] != '|' || !tick || sscanf(tick, "`%199[^`]` | `%15[^`]` |", fn, sel) != 2)
            continue;
        /* "Reader.getNodeLicenseDetails(address)": the contract's name is not hashed */
        const char *paren = strchr(fn, '('), *dot = strchr(fn, '.');
        const char *sig = dot && dot < paren ? dot + 1 : fn;
        /* the struct is hashed as its tuple of types (docs/protocol.md §5.7) */
        char canon[256];
        const char *cp = strstr(sig, "ComputeRewardsParams");
        if (cp)
            snprintf(canon, sizeof(canon), "%.*s(uint256,address,uint256,uint256,bytes)%s",
                     (int)(cp - sig), sig, cp + strlen("ComputeRewardsParams"));
        else
            snprintf(canon, sizeof(canon), "%s", sig);
        /* a canonical signature has no spaces ("bytes[][]" after a comma) */
        char *w = canon;
        for (const char *r = canon; *r; r++)
            if (*r != ' ')
                *w++ = *r;
        *w = '\0';
        char got[16];
        abi_selector_hex(canon, got);
        if (strcmp(got, sel) != 0)
            fail_msg("%s: Keccak gives %s, docs/protocol.md §6.3 says %s", canon, got, sel);
        rows++;
    }
    if (rows < 19)
        fail_msg("only %d selector rows read from docs/protocol.md §6.3", rows);
    free(doc);
}

static void test_abi_encodes_an_address_argument_as_python_does(void **state)
{
    unsigned char *want;
    size_t n;
    char err[R1_ERR_MAX];
    vector("poai_args", &want, &n);
    struct abi_enc e = {0};
    assert_int_equal(abi_enc_address(&e, "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69", err), 0);
    assert_int_equal(e.len, n);
    assert_memory_equal(e.data, want, n);
    abi_enc_free(&e);
    free(want);
}

static void test_abi_refuses_a_bad_address_argument(void **state)
{
    char err[R1_ERR_MAX];
    struct abi_enc e = {0};
    assert_int_equal(abi_enc_address(&e, "0x13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e6", err), -1);
    assert_int_equal(abi_enc_address(&e, "0x13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e6g", err), -1);
    assert_int_equal(abi_enc_address(&e, "13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e6900", err), -1);
    assert_int_equal(e.len, 0);
    abi_enc_free(&e);
}

static void test_abi_decodes_poai_rewards(void **state)
{
    unsigned char *b;
    size_t n;
    char err[R1_ERR_MAX];
    vector("poai_result", &b, &n);
    struct abi_dec d = {b, n};
    r1_u128 usdc, r1;
    assert_int_equal(abi_dec_uint(&d, 0, &usdc, err), 0);
    assert_int_equal(abi_dec_uint(&d, 32, &r1, err), 0);
    assert_u128(usdc, 1234567);                           /* 1.234567 USDC */
    assert_u128(r1, dec("98765432109876543210"));         /* 98.765... R1 */
    assert_int_equal(abi_dec_uint(&d, 64, &r1, err), -1); /* a third word is not there */
    free(b);
}

static void test_abi_decodes_the_licence_tuple(void **state)
{
    unsigned char *b;
    size_t n;
    char err[R1_ERR_MAX], addr[ABI_ADDR_BUF], digits[ABI_U256_DEC_BUF];
    vector("licence_result", &b, &n);
    assert_int_equal(n, 12 * 32); /* a static tuple is inline: twelve words, no offset */
    struct abi_dec d = {b, n};
    unsigned type;
    bool banned = true;
    r1_u128 v;
    assert_int_equal(abi_dec_uint8(&d, 0, &type, err), 0);
    assert_int_equal(type, 1);
    assert_int_equal(abi_dec_uint(&d, 32, &v, err), 0);
    assert_u128(v, 42);
    assert_int_equal(abi_dec_address(&d, 64, addr, err), 0);
    assert_string_equal(addr, OWNER);
    assert_int_equal(abi_dec_address(&d, 96, addr, err), 0);
    assert_string_equal(addr, NODE);
    assert_int_equal(abi_dec_u256_dec(&d, 128, digits, sizeof(digits), err), 0);
    assert_string_equal(digits, "1575188843457943924600");
    assert_int_equal(abi_dec_uint(&d, 160, &v, err), 0);
    assert_u128(v, dec("1458508188386985115"));
    assert_int_equal(abi_dec_address(&d, 256, addr, err), 0);
    assert_string_equal(addr, ORACLE);
    assert_int_equal(abi_dec_bool(&d, 288, &banned, err), 0);
    assert_false(banned);
    assert_int_equal(abi_dec_uint(&d, 320, &v, err), 0);
    assert_u128(v, 1234567);
    free(b);
}

static void test_abi_decodes_arrays_of_pairs_quads_and_addresses(void **state)
{
    unsigned char *b;
    size_t n, count;
    char err[R1_ERR_MAX], addr[ABI_ADDR_BUF];
    struct abi_dec el;
    r1_u128 v;

    vector("pairs_result", &b, &n);
    struct abi_dec d = {b, n};
    assert_int_equal(abi_dec_array(&d, 0, 2, &count, &el, err), 0);
    assert_int_equal(count, 3);
    assert_int_equal(abi_dec_uint(&el, 1 * 64 + 32, &v, err), 0);
    assert_u128(v, (r1_u128)1 << 100); /* (8, 2**100) */
    assert_int_equal(abi_dec_uint(&el, 2 * 64, &v, err), 0);
    assert_u128(v, 9);
    assert_int_equal(abi_dec_uint(&el, 3 * 64, &v, err), -1); /* the view ends with the array */
    free(b);

    vector("quads_result", &b, &n);
    d = (struct abi_dec){b, n};
    assert_int_equal(abi_dec_array(&d, 0, 4, &count, &el, err), 0);
    assert_int_equal(count, 2);
    assert_int_equal(abi_dec_uint(&el, 1 * 128 + 96, &v, err), 0);
    assert_u128(v, 8);
    free(b);

    vector("addresses_result", &b, &n);
    d = (struct abi_dec){b, n};
    assert_int_equal(abi_dec_array(&d, 0, 1, &count, &el, err), 0);
    assert_int_equal(count, 2);
    assert_int_equal(abi_dec_address(&el, 32, addr, err), 0);
    assert_string_equal(addr, OWNER);
    free(b);
}

static void test_abi_decodes_bytes_and_the_largest_uint256(void **state)
{
    unsigned char *b;
    size_t n, len;
    const unsigned char *p;
    char err[R1_ERR_MAX], digits[ABI_U256_DEC_BUF];
    vector("bytes_result", &b, &n);
    struct abi_dec d = {b, n};
    assert_int_equal(abi_dec_bytes(&d, 0, &p, &len, err), 0);
    assert_int_equal(len, 33);
    assert_int_equal(p[0], 1);
    assert_int_equal(p[32], 33);
    free(b);

    vector("u256_max", &b, &n);
    d = (struct abi_dec){b, n};
    r1_u128 v;
    assert_int_equal(abi_dec_uint(&d, 0, &v, err), -1); /* beyond 128 bits: refused, not cut */
    assert_int_equal(abi_dec_u256_dec(&d, 0, digits, sizeof(digits), err), 0);
    assert_string_equal(digits, "115792089237316195423570985008687907853269984665640564039457584007"
                                "913129639935");
    free(b);
}

static void test_abi_encodes_compute_params_as_python_does(void **state)
{
    static const unsigned char a1[] = {255, 128, 0};
    unsigned char a2[33];
    for (int i = 0; i < 33; i++)
        a2[i] = (unsigned char)i;
    struct abi_compute_params p[2] = {
        {42, NODE, 170, 172, a1, sizeof(a1)},
        {7, OWNER, 1, 33, a2, sizeof(a2)},
    };
    char err[R1_ERR_MAX];
    unsigned char *want;
    size_t n;
    struct abi_enc e = {0};
    vector("compute_params_args", &want, &n);
    assert_int_equal(abi_enc_compute_params(&e, p, 2, err), 0);
    assert_int_equal(e.len, n);
    assert_memory_equal(e.data, want, n);
    free(want);
    abi_enc_free(&e);

    vector("compute_params_empty", &want, &n);
    assert_int_equal(abi_enc_compute_params(&e, NULL, 0, err), 0);
    assert_int_equal(e.len, n);
    assert_memory_equal(e.data, want, n);
    free(want);
    abi_enc_free(&e);
}

/* The encoder's output read back by the decoder: the bytes of the second element. */
static void test_abi_compute_params_round_trip_through_the_decoder(void **state)
{
    static const unsigned char av[] = {9, 8, 7, 6, 5};
    struct abi_compute_params p = {1, NODE, 10, 14, av, sizeof(av)};
    struct abi_compute_params two[2] = {p, p};
    two[1].licence_id = 2;
    char err[R1_ERR_MAX], addr[ABI_ADDR_BUF];
    struct abi_enc e = {0};
    assert_int_equal(abi_enc_compute_params(&e, two, 2, err), 0);
    struct abi_dec d = {e.data, e.len};
    /* [offset 0x20][len 2][off0][off1][tuple0][tuple1]: element 1's offset is at 32+32+32 */
    r1_u128 off1;
    assert_int_equal(abi_dec_uint(&d, 96, &off1, err), 0);
    struct abi_dec t1 = {e.data + 64 + (size_t)off1, e.len - 64 - (size_t)off1};
    r1_u128 id;
    assert_int_equal(abi_dec_uint(&t1, 0, &id, err), 0);
    assert_u128(id, 2);
    assert_int_equal(abi_dec_address(&t1, 32, addr, err), 0);
    assert_string_equal(addr, NODE);
    const unsigned char *b;
    size_t n;
    assert_int_equal(abi_dec_bytes(&t1, 128, &b, &n, err), 0);
    assert_int_equal(n, sizeof(av));
    assert_memory_equal(b, av, n);
    abi_enc_free(&e);
}

static void test_abi_uint_round_trip_and_selector_prefix(void **state)
{
    r1_u128 vals[] = {0, 1, 255, dec("1575188843457943924600"), ~(r1_u128)0};
    char err[R1_ERR_MAX];
    for (size_t i = 0; i < R1_ARRAY_LEN(vals); i++) {
        struct abi_enc e = {0};
        abi_enc_selector(&e, "getNodePoAIRewards(address)");
        abi_enc_uint(&e, vals[i]);
        char *hex = abi_enc_hex(&e);
        assert_int_equal(strncmp(hex, "0xd4699d3a", 10), 0);
        assert_int_equal(strlen(hex), 2 + 2 * (4 + 32));
        struct abi_dec d = {e.data + 4, e.len - 4};
        r1_u128 back;
        assert_int_equal(abi_dec_uint(&d, 0, &back, err), 0);
        assert_u128(back, vals[i]);
        free(hex);
        abi_enc_free(&e);
    }
}

/* Hostile return data: offsets and lengths that point past the end, wrap-around sizes, dirty
 * high bits. Each is an error value. */
static void test_abi_refuses_hostile_offsets_lengths_and_dirty_words(void **state)
{
    unsigned char b[96];
    char err[R1_ERR_MAX], addr[ABI_ADDR_BUF];
    struct abi_dec d = {b, sizeof(b)}, el;
    size_t n;
    const unsigned char *p;
    memset(b, 0, sizeof(b));
    b[31] = 200; /* offset beyond the 96 bytes */
    assert_int_equal(abi_dec_array(&d, 0, 2, &n, &el, err), -1);
    assert_int_equal(abi_dec_bytes(&d, 0, &p, &n, err), -1);
    b[31] = 64; /* offset to the last word: a length with no room after it */
    b[95] = 1;
    assert_int_equal(abi_dec_array(&d, 0, 1, &n, &el, err), -1);
    assert_int_equal(abi_dec_bytes(&d, 0, &p, &n, err), -1);
    b[31] = 32; /* length word at 32 says 2^64-1 elements */
    memset(b + 56, 0xff, 8);
    assert_int_equal(abi_dec_array(&d, 0, 2, &n, &el, err), -1);
    assert_int_equal(abi_dec_bytes(&d, 0, &p, &n, err), -1);
    memset(b, 0, sizeof(b));
    b[0] = 1; /* bits above 160 in an address, above 128 in a uint */
    assert_int_equal(abi_dec_address(&d, 0, addr, err), -1);
    r1_u128 v;
    assert_int_equal(abi_dec_uint(&d, 0, &v, err), -1);
    memset(b, 0, sizeof(b));
    b[31] = 2;
    bool bo;
    assert_int_equal(abi_dec_bool(&d, 0, &bo, err), -1);
    b[30] = 1;
    unsigned u8;
    assert_int_equal(abi_dec_uint8(&d, 0, &u8, err), -1);
    assert_int_equal(abi_dec_uint(&d, SIZE_MAX - 8, &v, err), -1); /* no wrap-around */
}

static void test_abi_hex_decode_is_strict(void **state)
{
    unsigned char *b;
    size_t n;
    char err[R1_ERR_MAX];
    assert_int_equal(abi_hex_decode("0x", &b, &n, err), 0);
    assert_null(b);
    assert_int_equal(n, 0);
    assert_int_equal(abi_hex_decode("0xabc", &b, &n, err), -1);
    assert_int_equal(abi_hex_decode("abcd", &b, &n, err), -1);
    assert_int_equal(abi_hex_decode("0xzz", &b, &n, err), -1);
    assert_int_equal(abi_hex_decode("0xABcd", &b, &n, err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(b[0], 0xab);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abi_selectors_match_protocol_table),
        cmocka_unit_test(test_abi_encodes_an_address_argument_as_python_does),
        cmocka_unit_test(test_abi_refuses_a_bad_address_argument),
        cmocka_unit_test(test_abi_decodes_poai_rewards),
        cmocka_unit_test(test_abi_decodes_the_licence_tuple),
        cmocka_unit_test(test_abi_decodes_arrays_of_pairs_quads_and_addresses),
        cmocka_unit_test(test_abi_decodes_bytes_and_the_largest_uint256),
        cmocka_unit_test(test_abi_encodes_compute_params_as_python_does),
        cmocka_unit_test(test_abi_compute_params_round_trip_through_the_decoder),
        cmocka_unit_test(test_abi_uint_round_trip_and_selector_prefix),
        cmocka_unit_test(test_abi_refuses_hostile_offsets_lengths_and_dirty_words),
        cmocka_unit_test(test_abi_hex_decode_is_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
