#include "crypto.h"

#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "util.h"

int crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_SHA256_LEN])
{
    unsigned int n = 0;
    if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 || n != CRYPTO_SHA256_LEN)
        return -1;
    return 0;
}

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *crypto_b64url_encode(const unsigned char *in, size_t len, bool pad)
{
    char *out = xmalloc((len + 2) / 3 * 4 + 1);
    size_t o = 0;
    size_t i = 0;
    for (; i + 3 <= len; i += 3) {
        unsigned long v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8 | in[i + 2];
        out[o++] = b64url_alphabet[(v >> 18) & 63];
        out[o++] = b64url_alphabet[(v >> 12) & 63];
        out[o++] = b64url_alphabet[(v >> 6) & 63];
        out[o++] = b64url_alphabet[v & 63];
    }
    if (len - i == 1) {
        unsigned long v = (unsigned long)in[i] << 16;
        out[o++] = b64url_alphabet[(v >> 18) & 63];
        out[o++] = b64url_alphabet[(v >> 12) & 63];
        if (pad) {
            out[o++] = '=';
            out[o++] = '=';
        }
    } else if (len - i == 2) {
        unsigned long v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8;
        out[o++] = b64url_alphabet[(v >> 18) & 63];
        out[o++] = b64url_alphabet[(v >> 12) & 63];
        out[o++] = b64url_alphabet[(v >> 6) & 63];
        if (pad)
            out[o++] = '=';
    }
    out[o] = '\0';
    return out;
}

static int b64url_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

int crypto_b64url_decode(const char *in, size_t in_len, unsigned char *out, size_t out_size,
                         size_t *out_len)
{
    size_t n = in_len;
    /* Padding is optional (0xai_ addresses have none, EE_SIGN has it), but when present it
     * must complete the last quantum exactly. */
    size_t n_pad = 0;
    while (n > 0 && in[n - 1] == '=' && n_pad < 2) {
        n--;
        n_pad++;
    }
    if (n_pad > 0 && (n + n_pad) % 4 != 0)
        return -1;
    if (n % 4 == 1)
        return -1;
    size_t need = n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
    if (need > out_size)
        return -1;
    size_t o = 0;
    unsigned long acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64url_value(in[i]);
        if (v < 0)
            return -1;
        acc = (acc << 6) | (unsigned long)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
            acc &= (1UL << bits) - 1;
        }
    }
    *out_len = o;
    return 0;
}

void crypto_hex_encode(const unsigned char *in, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = '\0';
}

int crypto_hex_decode(const char *hex, size_t hex_len, unsigned char *out, size_t out_size,
                      size_t *out_len)
{
    if (hex_len % 2 != 0 || hex_len / 2 > out_size)
        return -1;
    for (size_t i = 0; i < hex_len / 2; i++) {
        int hi = r1_hex_nibble(hex[2 * i]), lo = r1_hex_nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    *out_len = hex_len / 2;
    return 0;
}

int crypto_random(unsigned char *out, size_t len)
{
    if (len > (size_t)0x7fffffff)
        return -1;
    return RAND_bytes(out, (int)len) == 1 ? 0 : -1;
}

const secp256k1_context *crypto_secp_public(void)
{
    static secp256k1_context *ctx;   /* made once; lives as long as the process */
    if (!ctx)
#ifdef SECP256K1_CONTEXT_NONE
        ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
#else
        ctx = secp256k1_context_create(SECP256K1_CONTEXT_VERIFY);
#endif
    return ctx;
}

secp256k1_context *crypto_secp_new(void)
{
#ifdef SECP256K1_CONTEXT_NONE
    secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
#else
    /* libsecp256k1 before 0.2 needs the capabilities named */
    secp256k1_context *ctx =
        secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
#endif
    if (!ctx)
        return NULL;
    unsigned char seed[32];
    if (crypto_random(seed, sizeof(seed)) != 0 || !secp256k1_context_randomize(ctx, seed)) {
        secp256k1_context_destroy(ctx);
        return NULL;
    }
    return ctx;
}
