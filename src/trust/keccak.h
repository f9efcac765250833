/* keccak: Keccak-256 as Ethereum uses it (the original Keccak padding 0x01, not SHA3-256's
 * 0x06), for ETH addresses, EIP-55 checksums and the oracle's availability signatures.
 * Pure computation, no allocation, no state between calls. Called by eth.c. */
#ifndef R1_KECCAK_H
#define R1_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#define KECCAK256_LEN 32
#define KECCAK256_RATE 136 /* bytes absorbed per permutation: (1600 - 2*256) / 8 */

struct keccak_ctx {
    uint64_t st[25];
    unsigned char buf[KECCAK256_RATE];
    size_t n_buf;
};

void keccak256_init(struct keccak_ctx *c);
void keccak256_update(struct keccak_ctx *c, const void *data, size_t len);
void keccak256_final(struct keccak_ctx *c, unsigned char out[KECCAK256_LEN]);
/* One shot: out = Keccak-256(data). */
void keccak256(const void *data, size_t len, unsigned char out[KECCAK256_LEN]);

#endif
