/* source: the table of sources, in the order their jobs are started for a node. Order
 * matters for --once: the status file comes first so the oracle requests can use the address
 * it reveals, and the licence (oracle_last) comes before the range that needs lastClaimEpoch. */
#include "source.h"

#include <string.h>

#include "trust/eth.h"

static const struct r1_source_ops *const source_table[SRC_COUNT] = {
    [SRC_NODE_INFO] = &source_node_info,
    [SRC_NODE_HISTORY] = &source_node_history,
    [SRC_STREAMS] = &source_streams,
    [SRC_ORACLE_EPOCH] = &source_oracle_epoch,
    [SRC_ORACLE_LAST] = &source_oracle_last,
    [SRC_ORACLE_RANGE] = &source_oracle_range,
    [SRC_DOCKER] = &source_docker,
    [SRC_GPU] = &source_gpu,
    [SRC_UNIT] = &source_unit,
    [SRC_CHAIN] = &source_chain,
    [SRC_WALLETS] = &source_wallets,
};

const struct r1_source_ops *source_get(enum r1_source_id id)
{
    if ((int)id < 0 || id >= SRC_COUNT)
        return NULL;
    return source_table[id];
}

const struct r1_source_ops *source_by_name(const char *name)
{
    for (int i = 0; i < SRC_COUNT; i++)
        if (name && source_table[i] && strcmp(source_table[i]->name, name) == 0)
            return source_table[i];
    return NULL;
}

void source_node_eth(const struct r1_node *node, char out[ETH_ADDR_BUF])
{
    const char *eth = model_node_eth(node), *addr = model_node_address(node);
    out[0] = '\0';
    if (eth[0])
        r1_strlcpy(out, eth, ETH_ADDR_BUF);
    else if (addr[0] && eth_node_addr_to_eth(addr, out) != 0)
        out[0] = '\0';
}
