/* network: the constants of each Ratio1 network (mainnet, testnet, devnet): oracle URL,
 * epoch genesis and length, oracle seed addresses, availability threshold, dAuth URL.
 * Pure data (docs/protocol.md §1); config selects one, everything else reads it. */
#ifndef R1_NETWORK_H
#define R1_NETWORK_H

#include <stdint.h>

enum r1_net { R1_NET_MAINNET, R1_NET_TESTNET, R1_NET_DEVNET, R1_NET_COUNT };

struct r1_network {
    enum r1_net id;
    const char *name;              /* "mainnet" */
    const char *oracle_url;        /* "https://oracle.ratio1.ai" (no trailing slash) */
    const char *explorer_url;
    int64_t genesis_unix;          /* epoch 0 starts here (UTC) */
    int64_t epoch_len_s;
    double supervisor_min_avail;   /* an oracle is "certain" above this availability */
    const char *const *oracles;    /* known oracle 0xai addresses, NULL-terminated */
    const char *dauth_url;         /* broker credentials for signed commands (§8.3) */
};

const struct r1_network *network_get(enum r1_net id);
/* NULL if the name is not a network. */
const struct r1_network *network_by_name(const char *name);

#endif
