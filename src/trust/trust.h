/* trust: the policy over sig.c and eth.c that the rest of r1top calls — is an oracle reply
 * signed (EE_SIGN valid) by a known oracle of the configured network, and does its EVM
 * availability signature hold; plus the `r1top verify | whoami | keygen` subcommands.
 * Never blocks on the network: known oracles are network.c's seeds plus config extras. */
#ifndef R1_TRUST_H
#define R1_TRUST_H

#include <stdbool.h>
#include <stdio.h>

#include "canon_json.h"
#include "model.h"
#include "network.h"

struct trust_result {
    int trust;                    /* enum r1_trust */
    char signer[R1_ADDR_MAX];     /* EE_SENDER's key as 0xai_..., "" if none */
    char signer_eth[R1_ADDR_MAX]; /* derived from the key, EIP-55 */
    char canon[32];               /* "v2", "v1", "unversioned", ... or "" */
    char reason[R1_ERR_MAX];      /* why not VERIFIED; "" when verified */
    /* the EVM signature over the node's availability (docs/protocol.md §3.6), when carried */
    bool avail_present;            /* result had eth_signatures */
    bool avail_sig_ok;             /* every signature recovers to its eth_addresses
                                      entry and packed_availabilities == epochs_vals */
    bool avail_signer_known;       /* ...and a recovered signer is a known oracle */
    bool avail_state_invalid;      /* eth_signatures is [[]]: the oracle itself says its state
                                      is not valid for the range (not a forgery) */
    char avail_reason[R1_ERR_MAX]; /* why not ok; "" when ok */
    bool ambiguous;                /* duplicate keys or keys with NUL: readers could differ */
    /* What the reply says it is about, read from the signed part (so a VERIFIED verdict vouches
     * for it) except the network, which the oracle puts in the envelope. The caller binds the
     * verdict to the node it asked about, the time and the network (oracle.c). "" / 0 / -1 when
     * the reply does not say. */
    char about_node[R1_ADDR_MAX];   /* result.node (0xai_) */
    char about_eth[R1_ADDR_MAX];    /* result.node_eth_address */
    char network[16];               /* envelope evm_network (or ee_node_network) */
    double server_time;             /* result.server_time as unix s, 0 = not given */
    int64_t server_epoch;           /* result.server_current_epoch, -1 = not given */
};

/* Check an oracle HTTP body: the envelope {"result": {...signed...}, ...} or a bare signed
 * object. VERIFIED only when EE_SIGN is valid and the signer is one of net->oracles or of
 * extra (0xai_ node or 0x ETH addresses, n_extra of them); a valid signature by anyone else
 * is UNKNOWN_SIGNER; no EE_SIGN is UNSIGNED; anything else is BAD: bad JSON, a bad signature,
 * and JSON other readers could read differently (duplicate keys, keys with NUL bytes; see
 * canon_is_ambiguous), since the caller's own parser might pick the unsigned duplicate.
 * Returns out->trust. */
int trust_check_oracle_reply(const char *body, size_t len, const struct r1_network *net,
                             const char (*extra)[R1_ADDR_MAX], int n_extra,
                             struct trust_result *out);
/* The same on an already parsed value (the envelope or the signed object). */
int trust_check_value(const struct cj_value *reply, const struct r1_network *net,
                      const char (*extra)[R1_ADDR_MAX], int n_extra, struct trust_result *out);

/* A multi_node_epochs_range reply: the whole result is signed once, and each node's block in
 * it (keyed by the node's ETH address) carries its own availability signature. whole gets the
 * reply's verdict (as trust_check_oracle_reply); per_key[i] the verdict for keys[i]'s block:
 * the whole's, weakened by that block's availability signature, with the block's about_* and the
 * whole's network and time. A key with no block gets trust R1_TRUST_UNCHECKED and missing=true.
 * Keys match case-insensitively (ETH addresses). Returns whole->trust. */
struct trust_block {
    struct trust_result tr;
    bool missing;
};
int trust_check_oracle_batch(const char *body, size_t len, const struct r1_network *net,
                             const char (*extra)[R1_ADDR_MAX], int n_extra,
                             const char *const *keys, size_t n_keys, struct trust_result *whole,
                             struct trust_block *per_key);

/* Is addr (0xai_/aixp_ node address or 0x ETH address) a known oracle of net or in extra? */
bool trust_is_known_oracle(const char *addr, const struct r1_network *net,
                           const char (*extra)[R1_ADDR_MAX], int n_extra);

/* `r1top verify FILE...`: one line per file,
 *   "FILE: VALID (v2) sender 0xai_... 0x... known oracle" (or "not a known oracle"), or
 *   "FILE: INVALID (reason)" (ambiguous JSON included, as for oracle replies),
 * and "FILE: availability signature ok|BAD (...)" when the message carries one.
 * "Known oracle" means the network's seed oracles or extra (the config's oracle.trusted).
 * Returns 0 only if every file is valid (availability signatures included), else 1. */
int trust_cmd_verify(int n, char **files, const struct r1_network *net,
                     const char (*extra)[R1_ADDR_MAX], int n_extra, FILE *out);
/* `r1top whoami`: the node and ETH address of the key at identity_path (NULL = default). */
int trust_cmd_whoami(const char *identity_path, FILE *out, char *err);
/* `r1top keygen FILE`: create a key (path NULL = default; its ~/.ratio1 is made 0700). */
int trust_cmd_keygen(const char *path, FILE *out, char *err);

#endif
