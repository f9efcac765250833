/* chain: the chain source (docs/protocol.md §6.4). For each node with an ETH address it asks
 * the network's RPC a table of eth_calls (chain_reads in chain.c: PoAIManager.getNodePoAIRewards,
 * Reader.getNodeLicenseDetails), many nodes per JSON-RPC batch through the poller's batch
 * mechanism, and stores the answers in node->chain with trust R1_TRUST_CHAIN. The RPC's chain id
 * is checked before any figure from it is stored. It never compares the chain with the oracle:
 * derive.c does. The source descriptor is source_chain (source.h). */
#ifndef R1_CHAIN_H
#define R1_CHAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

struct r1_config;

/* Nodes per batch: each asks every read, and CHAIN_N_EXTRA slots are kept, so a batch never
 * exceeds RPC_BATCH_MAX calls (1,000 nodes: 21 requests). */
#define CHAIN_N_READS 2
/* ...and after the nodes' reads, one calculateRewards call for all the batch's ND licences and
 * one for its MND and GND licences (the argument is an array), then eth_chainId */
#define CHAIN_N_EXTRA 3
#define CHAIN_BATCH_NODES ((100 - CHAIN_N_EXTRA) / CHAIN_N_READS)

/* The RPC URL (chain.rpc_url, else the network's) and a contract's address (chain.contracts.*,
 * else the network's). cfg may be NULL (the network's). */
const char *chain_rpc_url(const struct r1_config *cfg, const struct r1_network *net);
const char *chain_contract(const struct r1_config *cfg, const struct r1_network *net,
                           enum r1_contract c);

/* For the other sources that read the chain over the same RPC (sources/wallets.c), so that the
 * chain id is checked once per URL and a rate limit holds back every chain read alike. */
struct r1_source_ctx;
struct rpc_result;
/* The chain is read: not the demo, and chain.enabled (resolved) says so. */
bool chain_reads_on(const struct r1_source_ctx *ctx);
/* 0, or R1_PREPARE_BACKOFF with err saying how long a rate limit still holds the RPC back. */
int chain_backoff(const struct r1_source_ctx *ctx, const char *url, char *err);
/* The eth_chainId answer r (or, when r is RPC_MISSING, the check already made for url)
 * against the network's chain id: 0, or -1 with err naming both chains. */
int chain_check_id(const struct r1_source_ctx *ctx, const struct rpc_result *r, const char *url,
                   char *err);
/* A rate-limited reply: every chain read waits (30 s, doubling); err says so. */
void chain_rate_limited(const struct r1_source_ctx *ctx, const char *url, char *err);

#endif
