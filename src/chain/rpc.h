/* rpc: Ethereum JSON-RPC as the chain source speaks it (docs/protocol.md §6.4): building a
 * batch of eth_chainId and eth_call requests (a JSON array, ids 0..n-1, at most RPC_BATCH_MAX
 * calls), and reading the reply: results matched by id in any order, per-call errors kept per
 * call (reverts, rate limits), the chain id checked against the network's. Pure: strings in,
 * values out; no I/O (the poller sends the body). Called by sources/chain.c. */
#ifndef R1_RPC_H
#define R1_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/abi.h"
#include "model.h"

/* Calls per HTTP request: public RPC hosts refuse bigger batches (docs/protocol.md §6.4). */
#define RPC_BATCH_MAX 100
/* "limit exceeded": the host asks the client to slow down (EIP-1474) */
#define RPC_CODE_RATE_LIMIT (-32005)
/* The longest eth_call result kept: the largest read r1top makes is a wallet's address[]
 * (sources/wallets.c), 32 bytes a node: 256 KiB of hex holds about 4,000 of them. */
#define RPC_RESULT_MAX_HEX (256 * 1024)

struct rpc_batch;

/* An empty batch (never NULL). */
struct rpc_batch *rpc_batch_new(void);
void rpc_batch_free(struct rpc_batch *b);
size_t rpc_batch_count(const struct rpc_batch *b);
/* Append a call with the caller's id (the index its answer takes in rpc_parse_batch: callers
 * lay ids out so that an id says which node and which read it is). 0, or -1 when the batch is
 * full (RPC_BATCH_MAX) or, for eth_call, `to` is not an address. */
int rpc_batch_add_chain_id(struct rpc_batch *b, size_t id);
int rpc_batch_add_call(struct rpc_batch *b, size_t id, const char *to, const struct abi_enc *data);
/* The request body: a JSON array of the calls, malloc'd. */
char *rpc_batch_body(const struct rpc_batch *b);

enum rpc_status { RPC_MISSING, RPC_OK, RPC_ERROR };

struct rpc_result {
    enum rpc_status status;      /* RPC_MISSING: the reply has no answer with this id */
    char *hex;                   /* RPC_OK: the result, "0x..." hex digits only; owned */
    long code;                   /* RPC_ERROR: the JSON-RPC error code */
    bool revert;                 /* RPC_ERROR: the call reverted (code 3, or -32000 "revert") */
    char message[R1_REASON_MAX]; /* RPC_ERROR: sanitised; a revert's Error(string) reason */
};

/* Parse the reply to a batch whose ids are below n into res[0..n) (each filled; free with
 * rpc_results_free). A reply that is one error object with no id (a host refusing the whole
 * batch, e.g. rate limited) gives every call that error. -1 with err set, and nothing to free,
 * when the reply is not JSON-RPC at all, or answers one id twice or an id never asked. */
int rpc_parse_batch(const char *body, size_t len, struct rpc_result *res, size_t n, char *err);
void rpc_results_free(struct rpc_result *res, size_t n);
/* Does any call carry the rate-limit code? Then the whole source backs off. */
bool rpc_rate_limited(const struct rpc_result *res, size_t n);
/* One result's failure in words: "reverted: <reason>", "RPC error -32602: <message>",
 * "no answer in the batch reply". "" for RPC_OK. */
void rpc_result_error(const struct rpc_result *r, char *dst, size_t dst_size);

/* A JSON-RPC quantity ("0x2105") as an integer: 1 to 15 hex digits. 0 or -1. */
int rpc_quantity(const char *hex, int64_t *out, char *err);
/* "Base", "Base Sepolia", or NULL for a chain r1top does not know by name. */
const char *rpc_chain_name(int64_t chain_id);
/* 0 when got == want; else -1 and err names both: "the RPC serves chain 84532 (Base Sepolia),
 * not 8453 (Base)". */
int rpc_check_chain_id(int64_t got, int64_t want, char *err);

#endif
