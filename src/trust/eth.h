/* eth: Ratio1 and Ethereum identities of a secp256k1 key — the 0xai_ node address (docs/protocol.md
 * §3.5), the EIP-55 ETH address — and the oracle's EVM signature over a node's epoch
 * availability (docs/protocol.md §3.6: abi.encodePacked, EIP-191, recoverable r||s||v). Bytes in,
 * bytes out; the JSON around them is trust.c's. Called by sig.c, identity.c, trust.c. */
#ifndef R1_ETH_H
#define R1_ETH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ETH_ADDR_LEN 20
#define ETH_ADDR_BUF 43      /* "0x" + 40 hex + NUL */
#define ETH_NODE_ADDR_BUF 64 /* "0xai_" + 44 base64url + NUL, rounded up (= R1_ADDR_MAX) */
#define ETH_PUBKEY_LEN 33    /* X9.62 compressed point */
#define ETH_SIG_LEN 65       /* r || s || v */

/* EIP-55 mixed-case text of a 20-byte address. */
void eth_address_format(const unsigned char addr[ETH_ADDR_LEN], char out[ETH_ADDR_BUF]);
/* "0x" + 40 hex digits in any case. 0, or -1 if it is not an address. A mixed-case address
 * must carry a correct EIP-55 checksum (a typo guard); all-lower or all-upper need not. */
int eth_address_parse(const char *text, unsigned char addr[ETH_ADDR_LEN]);

/* The ETH address of a public key given as 33 (compressed) or 65 (uncompressed) bytes:
 * keccak256(X || Y)[12:]. 0 or -1 (not a curve point). */
int eth_address_from_pubkey(const unsigned char *pub, size_t pub_len,
                            unsigned char addr[ETH_ADDR_LEN]);
int eth_pubkey_from_seckey(const unsigned char seckey[32], unsigned char pub[ETH_PUBKEY_LEN]);

/* "0xai_" + base64url(compressed key), 49 characters. */
void eth_node_addr_format(const unsigned char pub[ETH_PUBKEY_LEN], char out[ETH_NODE_ADDR_BUF]);
/* Accepts the 0xai_ prefix, the legacy aixp_ prefix, or none; the key must be a curve point.
 * 0 or -1. */
int eth_node_addr_parse(const char *text, unsigned char pub[ETH_PUBKEY_LEN]);
/* Node address -> EIP-55 ETH address. 0 or -1. */
int eth_node_addr_to_eth(const char *node_addr, char out[ETH_ADDR_BUF]);
/* Same key, whatever the prefix. False if either does not parse. */
bool eth_node_addr_equal(const char *a, const char *b);

/* The digest the oracle signs for a node's availability:
 * keccak256("\x19Ethereum Signed Message:\n32" || keccak256(node || from || to || packed))
 * with from and to as 32-byte big-endian uint256 (Web3.solidity_keccak + encode_defunct). */
void eth_avail_digest(const unsigned char node[ETH_ADDR_LEN], uint64_t from_epoch,
                      uint64_t to_epoch, const unsigned char *packed, size_t n_packed,
                      unsigned char digest[32]);
/* Address that made sig (v = 27/28, or 0/1) over digest. 0 or -1. */
int eth_recover(const unsigned char digest[32], const unsigned char sig[ETH_SIG_LEN],
                unsigned char addr[ETH_ADDR_LEN]);
/* Deterministic (RFC 6979) recoverable signature with v = 27/28, as eth_account writes it. */
int eth_sign(const unsigned char digest[32], const unsigned char seckey[32],
             unsigned char sig[ETH_SIG_LEN]);

#endif
