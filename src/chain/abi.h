/* abi: the Solidity ABI as r1top's chain reads need it (docs/protocol.md §6.4): function
 * selectors (Keccak-256 of the signature), an encoder for call data (static words, `bytes`, and
 * the ComputeRewardsParams[] argument of calculateRewards) and a strict decoder for return data
 * (uint256 as r1_u128 or exact decimal, address, bool, uint8, `bytes`, dynamic arrays of static
 * tuples). Pure: bytes in, values out. Every offset and length is checked against the data
 * before it is followed, so hostile return data is an error value, never a crash. Called by
 * rpc.c and sources/chain.c. */
#ifndef R1_ABI_H
#define R1_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "amount.h"

#define ABI_WORD 32
#define ABI_SELECTOR_LEN 4
#define ABI_ADDR_BUF 43     /* "0x" + 40 hex digits + NUL */
#define ABI_U256_DEC_BUF 80 /* 2^256-1 has 78 decimal digits */
/* The most elements a decoded array may claim: return data is capped far below this anyway,
 * and the bound keeps n * elem_words * 32 far from overflow. */
#define ABI_ARRAY_MAX 1000000

/* Keccak-256 of the canonical signature ("getNodePoAIRewards(address)"), first four bytes. */
void abi_selector(const char *signature, unsigned char out[ABI_SELECTOR_LEN]);
/* The same as "0x" + 8 lowercase hex digits. */
void abi_selector_hex(const char *signature, char out[2 + 2 * ABI_SELECTOR_LEN + 1]);

/* ---- encoding: a growable byte buffer, words appended in order --------------------------- */

struct abi_enc {
    unsigned char *data; /* owned; NULL while empty */
    size_t len, cap;
};

void abi_enc_free(struct abi_enc *e);
void abi_enc_selector(struct abi_enc *e, const char *signature);
void abi_enc_uint(struct abi_enc *e, r1_u128 v);
void abi_enc_bool(struct abi_enc *e, bool v);
/* A 0x + 40 hex digit address (any case); -1 with err set for anything else. */
int abi_enc_address(struct abi_enc *e, const char *hex, char *err);
/* A `bytes` value's tail: its length word, then the bytes padded with zeros to a word. */
void abi_enc_bytes_tail(struct abi_enc *e, const unsigned char *p, size_t n);
/* "0x" + lowercase hex of the buffer, malloc'd (never NULL). */
char *abi_enc_hex(const struct abi_enc *e);

/* One element of calculateRewards' argument (docs/protocol.md §5.7). */
struct abi_compute_params {
    r1_u128 licence_id;
    char node_address[ABI_ADDR_BUF];
    r1_u128 from_epoch, to_epoch;
    const unsigned char *packed_avail; /* one byte per epoch, 0..255; not owned */
    size_t n_packed;
};
/* The argument block of a function taking ComputeRewardsParams[] (a dynamic array of a dynamic
 * tuple): offset word, length, per-element offsets, then each tuple with its bytes tail.
 * Appended to e (after the caller's selector). 0, or -1 with err set (a bad address). */
int abi_enc_compute_params(struct abi_enc *e, const struct abi_compute_params *p, size_t n,
                           char *err);

/* ---- decoding: a view of return data; offsets are relative to the view's start ---------- */

struct abi_dec {
    const unsigned char *p;
    size_t len;
};

/* "0x" + an even number of hex digits into malloc'd bytes (*out NULL for "0x"). 0 or -1. */
int abi_hex_decode(const char *hex, unsigned char **out, size_t *n, char *err);

/* The word at byte offset off as an unsigned integer; -1 when it is beyond the data or does not
 * fit 128 bits (no on-chain amount r1top shows comes near: the R1 supply is below 2^88). */
int abi_dec_uint(const struct abi_dec *d, size_t off, r1_u128 *out, char *err);
/* Any uint256 word as exact decimal digits. */
int abi_dec_u256_dec(const struct abi_dec *d, size_t off, char *dst, size_t dst_size, char *err);
/* uint8: the word must be below 256 (a strict decoder refuses dirty high bits). */
int abi_dec_uint8(const struct abi_dec *d, size_t off, unsigned *out, char *err);
/* bool: the word must be 0 or 1. */
int abi_dec_bool(const struct abi_dec *d, size_t off, bool *out, char *err);
/* address: the 12 high bytes must be zero; written as "0x" + 40 lowercase hex digits. */
int abi_dec_address(const struct abi_dec *d, size_t off, char out[ABI_ADDR_BUF], char *err);
/* The `bytes` whose offset word is at head_off: *p points into d (not copied). */
int abi_dec_bytes(const struct abi_dec *d, size_t head_off, const unsigned char **p, size_t *n,
                  char *err);
/* The dynamic array of static tuples (elem_words words each; 1 for address[]) whose offset
 * word is at head_off: *n elements, element i at byte i * elem_words * 32 of *elems. */
int abi_dec_array(const struct abi_dec *d, size_t head_off, size_t elem_words, size_t *n,
                  struct abi_dec *elems, char *err);

#endif
