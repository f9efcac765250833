#include "keccak.h"

#include <string.h>

/* Keccak-f[1600] round constants (iota step), FIPS 202 §3.2.5. */
static const uint64_t round_consts[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* Rotation offset of lane (x, y), indexed x + 5*y (rho step); one row per y. */
/* clang-format off */
static const unsigned rho_offsets[25] = {
    0, 1, 62, 28, 27,
    36, 44, 6, 55, 20,
    3, 10, 43, 25, 39,
    41, 45, 15, 21, 8,
    18, 2, 61, 56, 14,
};
/* clang-format on */

static uint64_t rotl64(uint64_t v, unsigned n)
{
    return n == 0 ? v : (v << n) | (v >> (64 - n));
}

static void keccak_f1600(uint64_t a[25])
{
    for (int round = 0; round < 24; round++) {
        uint64_t c[5], d[5], b[25];
        for (int x = 0; x < 5; x++)
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; x++)
            d[x] = c[(x + 4) % 5] ^ rotl64(c[(x + 1) % 5], 1);
        for (int i = 0; i < 25; i++)
            a[i] ^= d[i % 5];
        /* rho and pi: lane (x, y) moves to (y, 2x + 3y) after rotating */
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++)
                b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl64(a[x + 5 * y], rho_offsets[x + 5 * y]);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 5; x++)
                a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
        a[0] ^= round_consts[round];
    }
}

/* Lanes are little-endian regardless of the host, so absorb byte by byte. */
static void absorb_block(uint64_t st[25], const unsigned char *block)
{
    for (int i = 0; i < KECCAK256_RATE / 8; i++) {
        uint64_t lane = 0;
        for (int j = 7; j >= 0; j--)
            lane = (lane << 8) | block[8 * i + j];
        st[i] ^= lane;
    }
    keccak_f1600(st);
}

void keccak256_init(struct keccak_ctx *c)
{
    memset(c, 0, sizeof(*c));
}

void keccak256_update(struct keccak_ctx *c, const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len > 0) {
        size_t take = KECCAK256_RATE - c->n_buf;
        if (take > len)
            take = len;
        memcpy(c->buf + c->n_buf, p, take);
        c->n_buf += take;
        p += take;
        len -= take;
        if (c->n_buf == KECCAK256_RATE) {
            absorb_block(c->st, c->buf);
            c->n_buf = 0;
        }
    }
}

void keccak256_final(struct keccak_ctx *c, unsigned char out[KECCAK256_LEN])
{
    /* Ethereum's Keccak predates FIPS 202: domain byte 0x01, not SHA3's 0x06. */
    memset(c->buf + c->n_buf, 0, KECCAK256_RATE - c->n_buf);
    c->buf[c->n_buf] ^= 0x01;
    c->buf[KECCAK256_RATE - 1] ^= 0x80;
    absorb_block(c->st, c->buf);
    for (int i = 0; i < KECCAK256_LEN; i++)
        out[i] = (unsigned char)(c->st[i / 8] >> (8 * (i % 8)));
    memset(c, 0, sizeof(*c));
}

void keccak256(const void *data, size_t len, unsigned char out[KECCAK256_LEN])
{
    struct keccak_ctx c;
    keccak256_init(&c);
    keccak256_update(&c, data, len);
    keccak256_final(&c, out);
}
