/* libFuzzer target for the ABI decoder (chain/abi.c) and the JSON-RPC reply parser
 * (chain/rpc.c): return data is whatever an RPC host sends. The first byte picks a decode path;
 * the rest is the data. Beyond "no crash": every view the decoder hands back lies inside the
 * input, and decoded addresses and digits are well formed.
 * Build and run: make fuzz FUZZ_TARGET=abi (tests/fuzz/README.md). */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chain/abi.h"
#include "chain/rpc.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(const struct abi_dec *d, const unsigned char *p, size_t n)
{
    if (p < d->p || (size_t)(p - d->p) > d->len || n > d->len - (size_t)(p - d->p))
        abort();
}

static void decode_words(const struct abi_dec *d)
{
    char err[R1_ERR_MAX], addr[ABI_ADDR_BUF], digits[ABI_U256_DEC_BUF];
    for (size_t off = 0; off < d->len && off < 16 * ABI_WORD; off += ABI_WORD) {
        r1_u128 v;
        unsigned u8;
        bool b;
        (void)abi_dec_uint(d, off, &v, err);
        (void)abi_dec_uint8(d, off, &u8, err);
        (void)abi_dec_bool(d, off, &b, err);
        if (abi_dec_address(d, off, addr, err) == 0 && strlen(addr) != 42)
            abort();
        if (abi_dec_u256_dec(d, off, digits, sizeof(digits), err) == 0)
            for (const char *c = digits; *c; c++)
                if (!isdigit((unsigned char)*c))
                    abort();
        const unsigned char *p;
        size_t n;
        if (abi_dec_bytes(d, off, &p, &n, err) == 0)
            inside(d, p, n);
        struct abi_dec el;
        for (size_t w = 1; w <= 4; w++)
            if (abi_dec_array(d, off, w, &n, &el, err) == 0)
                inside(d, el.p, el.len);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct abi_dec d = {data + 1, size - 1};
    if (data[0] & 1) {
        decode_words(&d);
        return 0;
    }
    /* the same bytes as an RPC reply to a batch of up to 8 calls */
    char *body = malloc(size);
    memcpy(body, data + 1, size - 1);
    body[size - 1] = '\0';
    size_t n_calls = (size_t)(data[0] >> 1) % 8 + 1;
    struct rpc_result res[8];
    char err[R1_ERR_MAX];
    if (rpc_parse_batch(body, size - 1, res, n_calls, err) == 0) {
        for (size_t i = 0; i < n_calls; i++) {
            unsigned char *b;
            size_t n;
            if (res[i].status == RPC_OK && abi_hex_decode(res[i].hex, &b, &n, err) == 0) {
                struct abi_dec rd = {b, n};
                decode_words(&rd);
                free(b);
            }
        }
        rpc_results_free(res, n_calls);
    }
    free(body);
    return 0;
}
