/* wallets: the operator's wallets (config `wallets:`) and the nodes their licences link. One
 * fleet-scope job asks Reader.getWalletNodes(wallet) for every wallet in one JSON-RPC batch
 * (wallet i is call id i; eth_chainId, until one answer for this URL matched the network, takes
 * id n), decodes each address[] strictly and records it in fleet->wallets[i]. It adds no node:
 * app.c does, after the poller applied the reply, through the path the add-node prompt uses.
 * The RPC, its chain id check and its rate-limit back-off are the chain source's (chain.c). */
#include "wallets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/abi.h"
#include "chain/rpc.h"
#include "config.h"
#include "sources/chain.h"
#include "sources/source.h"

#define WALLET_NODES_SIG "getWalletNodes(address)"

/* The return data's shape, strictly: the one head word points right after itself, and nothing
 * follows the array. */
static int decode_shape(const struct abi_dec *d, size_t *count, struct abi_dec *elems, char *why)
{
    r1_u128 head = 0;
    if (abi_dec_uint(d, 0, &head, why) < 0 || abi_dec_array(d, 0, 1, count, elems, why) < 0)
        return -1;
    if (head != ABI_WORD)
        return r1_err(why, "the array's offset is %llu, not 32", (unsigned long long)head);
    if (d->len != 2 * ABI_WORD + *count * ABI_WORD)
        return r1_err(why, "%zu bytes where an address[] of %zu takes %zu", d->len, *count,
                      2 * ABI_WORD + *count * ABI_WORD);
    return 0;
}

int wallets_decode_nodes(const char *hex, char (**out)[R1_ADDR_MAX], size_t *n, char *err)
{
    unsigned char *data;
    size_t len, count = 0;
    char why[R1_ERR_MAX], elem_why[R1_ERR_MAX];
    *out = NULL;
    *n = 0;
    if (abi_hex_decode(hex, &data, &len, why) < 0)
        return r1_err(err, "getWalletNodes: %s", why);
    struct abi_dec d = {data, len}, elems = {NULL, 0};
    int rc = decode_shape(&d, &count, &elems, why);
    char(*addrs)[R1_ADDR_MAX] = rc == 0 && count ? xcalloc(count, sizeof(*addrs)) : NULL;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        char a[ABI_ADDR_BUF];
        if (abi_dec_address(&elems, i * ABI_WORD, a, elem_why) < 0)
            rc = r1_err(why, "element %zu: %s", i, elem_why);
        else
            r1_strlcpy(addrs[i], a, R1_ADDR_MAX);
    }
    free(data);
    if (rc < 0) {
        free(addrs);
        return r1_err(err, "getWalletNodes: %s", why);
    }
    *out = addrs;
    *n = count;
    return 0;
}

int wallets_store(struct r1_fleet *f, size_t wi, char (*addrs)[R1_ADDR_MAX], size_t n, double now,
                  char *err)
{
    struct r1_wallet *w = &f->wallets[wi];
    f->wallets_gen++;
    /* a licence with no node linked lists the zero address: no node to watch */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (strspn(addrs[i] + 2, "0") != 40)
            memmove(addrs[kept++], addrs[i], R1_ADDR_MAX);
    free(w->nodes);
    w->nodes = addrs;
    w->n_listed = kept;
    w->n_nodes = kept < R1_WALLET_NODES_MAX ? kept : R1_WALLET_NODES_MAX;
    w->error[0] = '\0';
    R1_MARK(w, WALLET_NODES);
    model_meta_ok(&w->meta, now);
    if (kept > R1_WALLET_NODES_MAX) {
        snprintf(w->error, sizeof(w->error), "%s links %zu nodes; r1top adds the first %d",
                 w->address, kept, R1_WALLET_NODES_MAX);
        return r1_err(err, "%s", w->error);
    }
    return 0;
}

static int wallets_prepare(const struct r1_source_ctx *ctx, struct r1_node *node,
                           struct r1_request *req, char *err)
{
    struct r1_fleet *f = ctx->fleet;
    if (f->n_wallets == 0 || f->demo)
        return 1;
    /* wallets with the chain off would list nothing, silently: say why instead */
    if (!chain_reads_on(ctx))
        return r1_err(err, "wallets: needs the chain, and chain.enabled is off (auto is off "
                           "when oracle.enabled is false, or oracle.url is set without "
                           "chain.rpc_url)");
    const char *url = chain_rpc_url(ctx->cfg, f->net);
    if (r1_strlcpy(req->url, url, sizeof(req->url)) >= sizeof(req->url))
        return r1_err(err, "wallets: the RPC URL is too long");
    if (chain_backoff(ctx, url, err) != 0)
        return R1_PREPARE_BACKOFF;
    const char *reader = chain_contract(ctx->cfg, f->net, R1_CONTRACT_READER);
    struct rpc_batch *b = rpc_batch_new();
    int rc = 0;
    for (size_t i = 0; i < f->n_wallets && rc == 0; i++) {
        struct abi_enc e = {0};
        abi_enc_selector(&e, WALLET_NODES_SIG);
        rc = abi_enc_address(&e, f->wallets[i].address, err);
        if (rc == 0 && rpc_batch_add_call(b, i, reader, &e) < 0)
            rc = r1_err(err, "wallets: %s is not a contract address", reader);
        abi_enc_free(&e);
    }
    if (rc == 0 && strcmp(f->chain.checked_url, url) != 0)
        rpc_batch_add_chain_id(b, f->n_wallets);
    free(f->wallets_req);
    f->wallets_req = rc == 0 ? rpc_batch_body(b) : NULL;
    rpc_batch_free(b);
    if (rc < 0)
        return -1;
    req->method = "POST";
    req->content_type = "application/json";
    req->body = f->wallets_req;
    return 0;
}

/* One wallet's answer into the model; its own failure is kept beside it. */
static int apply_wallet(const struct r1_source_ctx *ctx, size_t i, const struct rpc_result *r,
                        char *err)
{
    struct r1_wallet *w = &ctx->fleet->wallets[i];
    char why[R1_ERR_MAX];
    char(*addrs)[R1_ADDR_MAX];
    size_t n;
    if (r->status != RPC_OK)
        rpc_result_error(r, why, sizeof(why));
    if (r->status != RPC_OK || wallets_decode_nodes(r->hex, &addrs, &n, why) < 0) {
        r1_strlcpy(w->error, why, sizeof(w->error));
        return r1_err(err, "%s: %s", w->address, why);
    }
    return wallets_store(ctx->fleet, i, addrs, n, ctx->now, err);
}

/* A reply that fails whole is each wallet's failure: each keeps its last list, and says why. */
static void every_wallet_failed(struct r1_fleet *f, const char *err)
{
    for (size_t i = 0; i < f->n_wallets; i++)
        r1_strlcpy(f->wallets[i].error, err, sizeof(f->wallets[i].error));
}

static int wallets_apply(const struct r1_source_ctx *ctx, struct r1_node *node,
                         const struct r1_reply *reply, char *err)
{
    struct r1_fleet *f = ctx->fleet;
    size_t slots = f->n_wallets + 1;
    struct rpc_result *res = xcalloc(slots, sizeof(*res));
    int rc = 0;
    if (rpc_parse_batch(reply->body, reply->len, res, slots, err) < 0) {
        free(res);
        every_wallet_failed(f, err);
        return R1_APPLY_FAILED;
    }
    if (rpc_rate_limited(res, slots)) {
        chain_rate_limited(ctx, reply->url, err);
        rc = R1_APPLY_BACKOFF;
    } else if (chain_check_id(ctx, &res[slots - 1], reply->url, err) < 0) {
        rc = R1_APPLY_REFUSED;
    } else {
        f->chain.rate_limits = 0;
        /* every wallet is stored on its own; the first failure is the source's error */
        for (size_t i = 0; i < f->n_wallets; i++) {
            char why[R1_ERR_MAX];
            if (apply_wallet(ctx, i, &res[i], why) < 0 && rc == 0)
                rc = r1_err(err, "%s", why);
        }
    }
    if (rc == R1_APPLY_BACKOFF || rc == R1_APPLY_REFUSED)
        every_wallet_failed(f, err);
    rpc_results_free(res, slots);
    free(res);
    return rc;
}

static struct r1_meta *wallets_meta(struct r1_fleet *f, struct r1_node *node)
{
    return &f->wallets_meta;
}

const struct r1_source_ops source_wallets = {
    .id = SRC_WALLETS,
    .name = "wallets",
    .label = "wallets",
    .config_help = "The nodes linked to the licences of each wallet in wallets: "
                   "(Reader.getWalletNodes over chain.rpc_url).",
    .scope = R1_SCOPE_FLEET,
    /* licences are linked by hand, rarely: the chain source's five minutes */
    .default_interval_s = 300.0,
    .prepare = wallets_prepare,
    .apply = wallets_apply,
    .sample = NULL,
    .meta = wallets_meta,
    .after = NULL,
    /* 32 wallets of 1,000 nodes are 2 MiB of hex; more is refused as too big */
    .max_reply_kib = 4096,
};
