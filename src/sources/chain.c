/* chain: a batch lays its call ids out so that each id names its node and its read: node k of
 * the batch, read r, is id k * CHAIN_N_READS + r, and eth_chainId (asked until one answer for
 * this URL matched the network) takes the id after the last node's. Replies are matched by id
 * (rpc.c), every result is decoded strictly (abi.c), and a node's figures replace the old ones
 * only when all its reads answered. Per node, not fleet scope, so that one node's revert is that
 * node's error alone; the batches make it cost one request per CHAIN_BATCH_NODES nodes. */
#include "chain.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chain/abi.h"
#include "chain/calc.h"
#include "chain/rpc.h"
#include "config.h"
#include "epoch.h"
#include "sources/source.h"
#include "trust/eth.h"

/* ---- the reads: one row per eth_call asked of every node ------------------------------------ */

struct chain_read {
    const char *name;      /* in errors */
    const char *signature; /* hashed for the selector (docs/protocol.md §6.3) */
    enum r1_contract contract;
    size_t words; /* the return data's static size */
    /* Store the decoded answer into t; eth is the node's address (lower case not assumed). */
    int (*store)(const struct abi_dec *d, const char *eth, struct r1_chain_node *t, char *err);
};

static int poai_store(const struct abi_dec *d, const char *eth, struct r1_chain_node *t, char *err)
{
    if (abi_dec_uint(d, 0, &t->poai_usdc_micro, err) < 0 ||
        abi_dec_uint(d, ABI_WORD, &t->poai_r1_wei, err) < 0)
        return -1;
    R1_MARK(t, CHAIN_POAI_USDC);
    R1_MARK(t, CHAIN_POAI_R1);
    return 0;
}

/* The twelve words of getNodeLicenseDetails (docs/protocol.md §5.2), in tuple order. */
static int lic_decode(const struct abi_dec *d, struct r1_licence *l, unsigned *type, r1_u128 *id,
                      r1_u128 *last, r1_u128 *ts, char *err)
{
    const size_t w = ABI_WORD;
    if (abi_dec_uint8(d, 0, type, err) < 0 || abi_dec_uint(d, w, id, err) < 0 ||
        abi_dec_address(d, 2 * w, l->owner, err) < 0 ||
        abi_dec_address(d, 3 * w, l->node_address, err) < 0 ||
        abi_dec_uint(d, 4 * w, &l->total_assigned_wei, err) < 0 ||
        abi_dec_uint(d, 5 * w, &l->total_claimed_wei, err) < 0 ||
        abi_dec_uint(d, 6 * w, last, err) < 0 || abi_dec_uint(d, 7 * w, ts, err) < 0 ||
        abi_dec_address(d, 8 * w, l->last_claim_oracle, err) < 0 ||
        abi_dec_bool(d, 9 * w, &l->is_banned, err) < 0 ||
        abi_dec_uint(d, 10 * w, &l->poai_usdc_micro, err) < 0 ||
        abi_dec_uint(d, 11 * w, &l->poai_r1_wei, err) < 0)
        return -1;
    return 0;
}

static bool addr_zero(const char *a)
{
    return strspn(a + 2, "0") == 40;
}

static int lic_store(const struct abi_dec *d, const char *eth, struct r1_chain_node *t, char *err)
{
    struct r1_licence l;
    memset(&l, 0, sizeof(l));
    l.last_claim_epoch = -1;
    unsigned type;
    r1_u128 id, last, ts;
    if (lic_decode(d, &l, &type, &id, &last, &ts, err) < 0)
        return -1;
    /* A licence bound to another node is another node's: refused, never shown as this one's. */
    if (!addr_zero(l.node_address) && strcasecmp(l.node_address, eth) != 0)
        return r1_err(err, "getNodeLicenseDetails: the licence is bound to %s, not to %s",
                      l.node_address, eth);
    /* Out-of-range values are unknown, not clamped (docs/styleguide.md). */
    for (int f = LIC_TYPE; f <= LIC_POAI_R1; f++)
        R1_MARK(&l, f);
    if (type <= R1_LIC_GND)
        l.type = (enum r1_lic_type)type;
    else
        l.meta.valid &= ~(UINT64_C(1) << LIC_TYPE);
    if (id <= UINT64_MAX)
        l.licence_id = (uint64_t)id;
    else
        l.meta.valid &= ~(UINT64_C(1) << LIC_ID);
    if (last <= (r1_u128)R1_EPOCH_MAX)
        l.last_claim_epoch = (int64_t)last;
    else
        l.meta.valid &= ~(UINT64_C(1) << LIC_LAST_CLAIM);
    if (ts < ((r1_u128)1 << 53))
        l.assign_timestamp = (double)ts;
    else
        l.meta.valid &= ~(UINT64_C(1) << LIC_ASSIGN_TS);
    /* as the SDK computes it (docs/protocol.md §5.2) */
    l.is_valid = !addr_zero(l.owner) && !addr_zero(l.node_address) && !l.is_banned;
    l.trust = R1_TRUST_CHAIN;
    t->lic = l;
    R1_MARK(t, CHAIN_LICENCE);
    return 0;
}

static const struct chain_read chain_reads[] = {
    {"getNodePoAIRewards", "getNodePoAIRewards(address)", R1_CONTRACT_POAI_MANAGER, 2, poai_store},
    {"getNodeLicenseDetails", "getNodeLicenseDetails(address)", R1_CONTRACT_READER, 12, lic_store},
};
_Static_assert(R1_ARRAY_LEN(chain_reads) == CHAIN_N_READS, "chain.h counts the reads");
_Static_assert(CHAIN_BATCH_NODES *CHAIN_N_READS + CHAIN_N_EXTRA <= RPC_BATCH_MAX,
               "a batch fits a request");

/* ---- configuration ------------------------------------------------------------------------ */

const char *chain_rpc_url(const struct r1_config *cfg, const struct r1_network *net)
{
    return cfg && cfg->chain_rpc_url[0] ? cfg->chain_rpc_url : net->rpc_url;
}

const char *chain_contract(const struct r1_config *cfg, const struct r1_network *net,
                           enum r1_contract c)
{
    return cfg && cfg->chain_contracts[c][0] ? cfg->chain_contracts[c] : net->contracts[c];
}

static bool chain_on(const struct r1_source_ctx *ctx)
{
    return ctx->fleet && !ctx->fleet->demo && (ctx->cfg == NULL || config_chain_enabled(ctx->cfg));
}

/* ---- requests ----------------------------------------------------------------------------- */

/* Every chain read goes in a batch; a single job has nothing of its own to ask (demo nodes,
 * the chain turned off). */
static int chain_prepare(const struct r1_source_ctx *ctx, struct r1_node *node,
                         struct r1_request *req, char *err)
{
    return 1;
}

static int chain_apply(const struct r1_source_ctx *ctx, struct r1_node *node,
                       const struct r1_reply *reply, char *err)
{
    return r1_err(err, "chain: replies come in batches");
}

static bool chain_batching(const struct r1_source_ctx *ctx)
{
    return chain_on(ctx);
}

/* The node's reads appended with ids k * CHAIN_N_READS + r. */
static int add_node_reads(const struct r1_source_ctx *ctx, struct rpc_batch *b, size_t k,
                          const char *eth, char *err)
{
    for (size_t r = 0; r < CHAIN_N_READS; r++) {
        const struct chain_read *rd = &chain_reads[r];
        struct abi_enc e = {0};
        abi_enc_selector(&e, rd->signature);
        int rc = abi_enc_address(&e, eth, err);
        const char *to = chain_contract(ctx->cfg, ctx->fleet->net, rd->contract);
        if (rc == 0 && rpc_batch_add_call(b, k * CHAIN_N_READS + r, to, &e) < 0)
            rc = r1_err(err, "chain: %s is not a contract address", to);
        abi_enc_free(&e);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* The licence a claim is computed for: the oracle's signed copy when it has what the call needs,
 * else the chain's own. */
static const struct r1_licence *calc_licence(const struct r1_node *n)
{
    const struct r1_licence *o = &n->lic;
    if (R1_VALID(o, LIC_TYPE) && R1_VALID(o, LIC_ID) && R1_VALID(o, LIC_LAST_CLAIM))
        return o;
    return &n->chain.lic;
}

static const char *const calc_wait_text[] = {
    [CHAIN_CALC_READY] = "",
    [CHAIN_CALC_NO_LICENCE] = "no licence a contract computes",
    [CHAIN_CALC_NOT_READ] = "the licence's id or last claim not read yet",
    [CHAIN_CALC_NO_EPOCH] = "the current epoch not known yet",
    [CHAIN_CALC_NOTHING] = "nothing to claim yet: claimed in this epoch",
    [CHAIN_CALC_EPOCHS_MISSING] = "the oracle's epochs since the last claim not read yet",
};

/* calculateRewards, once for the batch's ND licences (id first) and once for its MND and GND
 * licences (id first + 1), each node's element built from its licence and the oracle's epochs;
 * a node with nothing to ask says why in calc_note. */
static int add_calc_calls(const struct r1_source_ctx *ctx, struct r1_node *const *nodes, size_t n,
                          const bool *asked, struct rpc_batch *b, size_t first, char *err)
{
    struct abi_compute_params *p = xcalloc(n ? n : 1, sizeof(*p));
    int rc = 0;
    /* the epoch derive.c settled on, or before its first round (--once) the clock's */
    int64_t epoch = ctx->fleet->epoch_now > 0 ? ctx->fleet->epoch_now
                                               : epoch_at(ctx->fleet->net, ctx->now);
    for (int c = CHAIN_CALC_ND; c <= CHAIN_CALC_MND && rc == 0; c++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            struct r1_chain_node *t = &nodes[i]->chain;
            const struct r1_licence *lic = calc_licence(nodes[i]);
            if (c == CHAIN_CALC_ND)
                t->calc_asked = CHAIN_CALC_NONE;
            if (!asked[i] || chain_calc_contract_for(lic->type) != (enum chain_calc_contract)c)
                continue;
            char eth[ETH_ADDR_BUF];
            source_node_eth(nodes[i], eth);
            enum chain_calc_wait w = chain_calc_params(lic, &nodes[i]->range, eth, epoch, &p[m]);
            if (w != CHAIN_CALC_READY) {
                r1_strlcpy(t->calc_note, calc_wait_text[w], sizeof(t->calc_note));
                continue;
            }
            t->calc_asked = c;
            t->calc_ask_licence = lic->licence_id;
            t->calc_ask_from = (int64_t)p[m].from_epoch;
            t->calc_ask_to = (int64_t)p[m].to_epoch;
            m++;
        }
        if (m == 0)
            continue;
        struct abi_enc e = {0};
        const char *to = chain_contract(ctx->cfg, ctx->fleet->net,
                                        c == CHAIN_CALC_ND ? R1_CONTRACT_ND : R1_CONTRACT_MND);
        rc = chain_calc_encode(&e, p, m, err);
        if (rc == 0 && rpc_batch_add_call(b, first + (size_t)(c - CHAIN_CALC_ND), to, &e) < 0)
            rc = r1_err(err, "chain: %s is not a contract address", to);
        abi_enc_free(&e);
    }
    free(p);
    return rc;
}

int chain_backoff(const struct r1_source_ctx *ctx, const char *url, char *err)
{
    double wait_s = ctx->fleet->chain.backoff_until - ctx->now;
    if (wait_s <= 0)
        return 0;
    char host[R1_URL_MAX];
    r1_url_host(url, host, sizeof(host));
    r1_err(err, "rate limited by %s; the chain source waits %.0f s more", host, wait_s);
    return R1_PREPARE_BACKOFF;
}

static int chain_prepare_batch(const struct r1_source_ctx *ctx, struct r1_node *const *nodes,
                               size_t n, bool *asked, struct r1_request *req, char **body,
                               char *err)
{
    if (!chain_on(ctx))
        return 1;
    const char *url = chain_rpc_url(ctx->cfg, ctx->fleet->net);
    if (r1_strlcpy(req->url, url, sizeof(req->url)) >= sizeof(req->url))
        return r1_err(err, "chain: the RPC URL is too long");
    if (chain_backoff(ctx, url, err) != 0)
        return R1_PREPARE_BACKOFF;
    struct rpc_batch *b = rpc_batch_new();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char eth[ETH_ADDR_BUF];
        source_node_eth(nodes[i], eth);
        asked[i] = eth[0] != '\0';
        if (asked[i] && add_node_reads(ctx, b, k++, eth, err) < 0) {
            rpc_batch_free(b);
            return -1;
        }
    }
    if (k && add_calc_calls(ctx, nodes, n, asked, b, k * CHAIN_N_READS, err) < 0) {
        rpc_batch_free(b);
        return -1;
    }
    if (k && strcmp(ctx->fleet->chain.checked_url, url) != 0)
        rpc_batch_add_chain_id(b, k * CHAIN_N_READS + 2);
    *body = k ? rpc_batch_body(b) : NULL;
    rpc_batch_free(b);
    if (!k)
        return 1;
    req->method = "POST";
    req->content_type = "application/json";
    return 0;
}

/* ---- replies ------------------------------------------------------------------------------ */

/* The chain id answer in slot `at`, or the cached check for this URL. */
static int check_chain(const struct r1_source_ctx *ctx, const struct rpc_result *r, const char *url,
                       char *err)
{
    int64_t got;
    char why[R1_ERR_MAX];
    if (r->status == RPC_MISSING) {
        if (strcmp(ctx->fleet->chain.checked_url, url) == 0)
            return 0;
        return r1_err(err, "the RPC did not answer eth_chainId");
    }
    if (r->status == RPC_ERROR) {
        rpc_result_error(r, why, sizeof(why));
        return r1_err(err, "eth_chainId: %s", why);
    }
    if (rpc_quantity(r->hex, &got, why) < 0)
        return r1_err(err, "eth_chainId: %s", why);
    if (rpc_check_chain_id(got, ctx->fleet->net->chain_id, err) < 0)
        return -1;
    r1_strlcpy(ctx->fleet->chain.checked_url, url, sizeof(ctx->fleet->chain.checked_url));
    return 0;
}

/* A rate limit holds every batch back: 30 s, doubling per rate-limited reply, at most the
 * source's interval (the poller's own back-off then spaces each node's retries). */
static void rate_limited(const struct r1_source_ctx *ctx, const char *url, char *err)
{
    double iv = ctx->cfg && ctx->cfg->interval_s[SRC_CHAIN] > 0 ? ctx->cfg->interval_s[SRC_CHAIN]
                                                                : source_chain.default_interval_s;
    int k = ctx->fleet->chain.rate_limits++;
    double wait_s = 30.0 * (double)(1u << (k < 10 ? k : 10));
    if (wait_s > iv)
        wait_s = iv;
    ctx->fleet->chain.backoff_until = ctx->now + wait_s;
    char host[R1_URL_MAX];
    r1_url_host(url, host, sizeof(host));
    r1_err(err, "rate limited by %s (JSON-RPC %d); the chain source waits %.0f s", host,
           RPC_CODE_RATE_LIMIT, wait_s);
}

/* One node's answers (res[0..CHAIN_N_READS)), stored only when every read answered well. */
static int store_node(struct r1_node *node, const struct rpc_result *res, const char *host,
                      char *err)
{
    char eth[ETH_ADDR_BUF], why[R1_ERR_MAX];
    source_node_eth(node, eth);
    struct r1_chain_node t = node->chain;
    t.meta.valid = 0;
    for (size_t r = 0; r < CHAIN_N_READS; r++) {
        const struct chain_read *rd = &chain_reads[r];
        unsigned char *data;
        size_t n;
        if (res[r].status != RPC_OK) {
            rpc_result_error(&res[r], why, sizeof(why));
            return r1_err(err, "%s: %s", rd->name, why);
        }
        if (abi_hex_decode(res[r].hex, &data, &n, why) < 0)
            return r1_err(err, "%s: %s", rd->name, why);
        struct abi_dec d = {data, n};
        int rc = n == rd->words * ABI_WORD
                     ? rd->store(&d, eth, &t, why)
                     : r1_err(why, "%zu bytes where %zu were expected", n, rd->words * ABI_WORD);
        free(data);
        if (rc < 0)
            return r1_err(err, "%s: %s", rd->name, why);
    }
    r1_strlcpy(t.rpc_host, host, sizeof(t.rpc_host));
    node->chain = t;
    return 0;
}

/* The node's claimable figure from its contract's calculateRewards answer (res: the ND call's,
 * then the MND call's). A failure here is said in calc_note and leaves the node's other chain
 * figures standing: they answered on their own. */
static void store_calc(struct r1_node *node, const struct rpc_result *res)
{
    struct r1_chain_node *t = &node->chain;
    if (t->calc_asked == CHAIN_CALC_NONE)
        return;
    const struct rpc_result *r = &res[t->calc_asked - CHAIN_CALC_ND];
    struct chain_calc_result cr;
    char why[R1_ERR_MAX];
    if (r->status != RPC_OK) {
        rpc_result_error(r, why, sizeof(why));
        snprintf(t->calc_note, sizeof(t->calc_note), "calculateRewards: %.120s", why);
    } else if (chain_calc_parse((enum chain_calc_contract)t->calc_asked, r->hex,
                                t->calc_ask_licence, &cr, why) < 0) {
        snprintf(t->calc_note, sizeof(t->calc_note), "calculateRewards: %.120s", why);
    } else {
        t->calc_rewards_wei = cr.rewards_wei;
        t->calc_carryover_wei = cr.carryover_wei;
        t->calc_withheld_wei = cr.withheld_wei;
        t->calc_mnd = cr.mnd;
        t->calc_from = t->calc_ask_from;
        t->calc_to = t->calc_ask_to;
        t->calc_note[0] = '\0';
        R1_MARK(t, CHAIN_CALC);
    }
    t->calc_asked = CHAIN_CALC_NONE;
}

static void chain_apply_batch(const struct r1_source_ctx *ctx, struct r1_node *const *nodes,
                              size_t n, const struct r1_reply *reply, int *rc,
                              char (*err)[R1_ERR_MAX])
{
    size_t slots = n * CHAIN_N_READS + CHAIN_N_EXTRA;
    struct rpc_result *res = xcalloc(slots, sizeof(*res));
    char whole[R1_ERR_MAX] = "", host[R1_NAME_MAX];
    int whole_rc = 0;
    r1_url_host(reply->url, host, sizeof(host));
    if (rpc_parse_batch(reply->body, reply->len, res, slots, whole) < 0) {
        whole_rc = R1_APPLY_FAILED;
    } else if (rpc_rate_limited(res, slots)) {
        rate_limited(ctx, reply->url, whole);
        whole_rc = R1_APPLY_BACKOFF;
    } else if (check_chain(ctx, &res[slots - 1], reply->url, whole) < 0) {
        whole_rc = R1_APPLY_REFUSED;
    } else {
        ctx->fleet->chain.rate_limits = 0;
    }
    for (size_t k = 0; k < n; k++) {
        err[k][0] = '\0';
        if (whole_rc != 0) {
            rc[k] = whole_rc;
            r1_strlcpy(err[k], whole, R1_ERR_MAX);
            continue;
        }
        rc[k] = store_node(nodes[k], &res[k * CHAIN_N_READS], host, err[k]);
        if (rc[k] == 0)
            store_calc(nodes[k], &res[n * CHAIN_N_READS]);
    }
    rpc_results_free(res, slots);
    free(res);
}

/* ---- shared with the other sources that read the chain (sources/wallets.c) --------------- */

bool chain_reads_on(const struct r1_source_ctx *ctx)
{
    return chain_on(ctx);
}

int chain_check_id(const struct r1_source_ctx *ctx, const struct rpc_result *r, const char *url,
                   char *err)
{
    return check_chain(ctx, r, url, err);
}

void chain_rate_limited(const struct r1_source_ctx *ctx, const char *url, char *err)
{
    rate_limited(ctx, url, err);
}

static struct r1_meta *chain_meta(struct r1_fleet *f, struct r1_node *node)
{
    return node ? &node->chain.meta : NULL;
}

const struct r1_source_ops source_chain = {
    .id = SRC_CHAIN,
    .name = "chain",
    .label = "chain RPC",
    .config_help = "Each node's accrued PoAI rewards and its licence as the chain has it "
                   "(eth_call over chain.rpc_url).",
    .scope = R1_SCOPE_NODE,
    /* PoAI is allocated once an epoch (docs/protocol.md §5.6): five minutes is fresh enough and
     * keeps a public RPC's rate limits far away */
    .default_interval_s = 300.0,
    .prepare = chain_prepare,
    .apply = chain_apply,
    .sample = NULL,
    .meta = chain_meta,
    /* after the oracle's range: calculateRewards needs the licence and the epochs it brings */
    .after = &source_oracle_range,
    .batch_max = CHAIN_BATCH_NODES,
    .batching = chain_batching,
    .prepare_batch = chain_prepare_batch,
    .apply_batch = chain_apply_batch,
    /* 99 results of at most twelve words: about 80 KiB */
    .max_reply_kib = 256,
};
