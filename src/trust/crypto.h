/* crypto: the byte-level helpers of the trust layer: SHA-256 (OpenSSL EVP), base64url as the
 * Ratio1 SDK writes it (urlsafe alphabet, '=' padding), hex, random bytes, and a fresh
 * randomised secp256k1 context. No JSON, no keys on disk (identity.c), no policy (trust.c).
 * Called by sig.c, eth.c, identity.c and trust.c. */
#ifndef R1_CRYPTO_H
#define R1_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#include <secp256k1.h>

#define CRYPTO_SHA256_LEN 32

/* 0 on success, -1 if OpenSSL failed (it does not, short of memory). */
int crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_SHA256_LEN]);

/* Base64url (alphabet A-Z a-z 0-9 - _). Returns a NUL-terminated xmalloc'd string. */
char *crypto_b64url_encode(const unsigned char *in, size_t len, bool pad);
/* Accepts input with or without '=' padding; rejects other alphabets and stray characters.
 * Writes at most out_size bytes; 0 and *out_len on success, -1 on bad input or overflow. */
int crypto_b64url_decode(const char *in, size_t in_len, unsigned char *out, size_t out_size,
                         size_t *out_len);

/* Lowercase hex of len bytes into out (2*len+1 bytes with the NUL). */
void crypto_hex_encode(const unsigned char *in, size_t len, char *out);
/* Exactly 2*n hex digits (either case; no "0x" — strip it first). 0, or -1 on bad input or
 * when the decoded length would exceed out_size. */
int crypto_hex_decode(const char *hex, size_t hex_len, unsigned char *out, size_t out_size,
                      size_t *out_len);

/* Cryptographically strong random bytes (OpenSSL's RAND). 0 or -1. */
int crypto_random(unsigned char *out, size_t len);

/* A secp256k1 context for one operation, randomised against side channels; the caller
 * destroys it with secp256k1_context_destroy(). NULL if the library or RNG failed. */
secp256k1_context *crypto_secp_new(void);
/* The one context for public-key work (parse, serialise, recover, verify): made once, read only
 * after (libsecp256k1 allows that from any thread), never randomised (blinding protects secret
 * keys only). Making a context costs far more than using one: per call, it was 75 % of the
 * CPU of a 1,000-node fleet. NULL if the library failed. */
const secp256k1_context *crypto_secp_public(void);

#endif
