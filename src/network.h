/* network: the constants of each Ratio1 network (mainnet, testnet, devnet): oracle URL,
 * epoch genesis and length, oracle seed addresses, availability threshold, dAuth URL, and its
 * chain (chain id, the RPC the Ratio1 tools use, contract addresses; docs/protocol.md §6).
 * Pure data (docs/protocol.md §1); config selects one, everything else reads it. */
#ifndef R1_NETWORK_H
#define R1_NETWORK_H

#include <stdint.h>

enum r1_net { R1_NET_MAINNET, R1_NET_TESTNET, R1_NET_DEVNET, R1_NET_COUNT };

/* The contracts r1top reads (docs/protocol.md §6.2); the names are the config's
 * chain.contracts.<name> keys (network_contract_names). */
enum r1_contract {
    R1_CONTRACT_READER,
    R1_CONTRACT_ND,
    R1_CONTRACT_MND,
    R1_CONTRACT_POAI_MANAGER,
    R1_CONTRACT_CONTROLLER,
    R1_CONTRACT_COUNT
};
extern const char *const network_contract_names[R1_CONTRACT_COUNT];

struct r1_network {
    enum r1_net id;
    const char *name;              /* "mainnet" */
    const char *oracle_url;        /* "https://oracle.ratio1.ai" (no trailing slash) */
    const char *explorer_url;
    int64_t genesis_unix;          /* epoch 0 starts here (UTC) */
    int64_t epoch_len_s;
    double supervisor_min_avail;              /* an oracle is "certain" above this availability */
    const char *const *oracles;               /* known oracle 0xai addresses, NULL-terminated */
    const char *dauth_url;                    /* broker credentials for signed commands (§8.3) */
    int64_t chain_id;                         /* Base 8453, Base Sepolia 84532 (§6.1) */
    const char *rpc_url;                      /* the JSON-RPC the Ratio1 tools use (§6.1) */
    const char *contracts[R1_CONTRACT_COUNT]; /* 0x... (§6.2) */
};

const struct r1_network *network_get(enum r1_net id);
/* NULL if the name is not a network. */
const struct r1_network *network_by_name(const char *name);

#endif
