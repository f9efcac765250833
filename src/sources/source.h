/* source: the table of data sources. A source knows how to ask for one document about one
 * node (prepare) and how to turn the reply into model fields (apply); the poller owns timers,
 * transports (libcurl multi, local files, the in-process demo) and back-off. Adding a source
 * is one file plus one line in source_table (source.c).  Parsers never touch curses. */
#ifndef R1_SOURCE_H
#define R1_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

struct r1_config;

enum r1_source_id {
    SRC_NODE_INFO,    /* _data/local_info.json */
    SRC_NODE_HISTORY, /* _data/local_history.json */
    SRC_STREAMS,      /* _data/box_configuration/streams/ (a directory) */
    SRC_ORACLE_EPOCH, /* /current_epoch (fleet scope) */
    SRC_ORACLE_LAST,  /* /node_last_epoch?include_bc_info=true */
    SRC_ORACLE_RANGE, /* /node_epochs_range [lastClaimEpoch or cur-30, cur-1] */
    SRC_DOCKER,       /* GET /containers/<name>/json over the unix socket */
    SRC_GPU,          /* local GPUs (NVML) — a sampled source, no transfer */
    SRC_UNIT,         /* systemctl show, exit file, journal starts (r1setup hosts) */
    SRC_CHAIN,        /* eth_call batches to the network's RPC (PoAI, licence; chain.c) */
    SRC_WALLETS,      /* Reader.getWalletNodes per configured wallet (fleet scope; wallets.c) */
    SRC_COUNT
};
_Static_assert(SRC_COUNT <= R1_SRC_SLOTS, "model.h R1_SRC_SLOTS must hold every source");

/* What apply() returns besides 0: the reply was refused whole (not about this node, too old,
 * another network, unverified over verified), or stored with a bad verdict (so a person can see
 * what it claimed) but counted as a failure. */
enum { R1_PREPARE_SERVED = 2, R1_PREPARE_BACKOFF = 3 };
enum {
    R1_APPLY_FAILED = -1,
    R1_APPLY_REFUSED = -2,
    R1_APPLY_BACKOFF = -3,
    R1_APPLY_STORED_BAD = 1,
    R1_APPLY_AGAIN = 2
};
/* R1_PREPARE_BACKOFF (prepare, prepare_batch) and R1_APPLY_BACKOFF: the host asked the whole
 * source to slow down (a JSON-RPC rate limit); recorded as R1_EK_RATE_LIMITED with err's words,
 * and the source's own back-off applies. */
/* R1_APPLY_AGAIN: stored, and the node must be asked again at once (a batch learnt from this
 * reply that it needs a wider range; --once waits for that second answer). */

/* What a source wants fetched. The poller chooses the transport from the URL scheme:
 * file:// (local read; a URL ending in '/' lists *.json files), http(s)://, or unix_socket. */
struct r1_request {
    char url[R1_URL_MAX];
    char unix_socket[108];
    size_t max_bytes;       /* response-size cap; bigger replies are an error, not a crash */
    long timeout_ms;
    const char *method;     /* NULL = GET; "POST" for one-shot actions and batches */
    const char *body;       /* request body (owned by the caller until the job ends), or NULL */
    const char *content_type; /* with body: "application/json" */
};

struct r1_file {            /* one file of a directory fetch */
    char name[256];
    char *body;             /* NUL-terminated, NULL when it could not be read */
    size_t len;
    double mtime;
    char error[R1_ERR_MAX];
};

struct r1_reply {
    const char *url;
    const char *body;       /* NUL-terminated (also for binary garbage) */
    size_t len;
    long http_code;         /* 0 for file:// and demo */
    double mtime;           /* file mtime, 0 if unknown */
    const struct r1_file *files;   /* directory fetch */
    size_t n_files;
    size_t n_files_total;   /* directory fetch: *.json in the folder, more than n_files when a
                             * cap left some out (dirread.h); 0 = n_files */
};

struct r1_source_ctx {
    const struct r1_config *cfg;
    struct r1_fleet *fleet;
    double now;             /* wall clock of the reply */
};

enum r1_scope { R1_SCOPE_NODE, R1_SCOPE_FLEET };

/* What sample() returns when its backend must fetch (nvidia-smi over SSH): nothing was read;
 * the poller fetches req->url as it would a fetched source's and gives the reply to apply(). */
enum { R1_SAMPLE_FETCH = 2 };

struct r1_source_ops {
    enum r1_source_id id;
    const char *name;            /* "node_info" — JSON keys, log lines, config keys */
    const char *label;           /* "status file", shown to people */
    const char *config_help;     /* its refresh.<name> row in the config and the example file */
    enum r1_scope scope;
    double default_interval_s;
    /* Fill req. Return 0 to fetch, 1 = nothing to do for this node yet (e.g. no address),
     * R1_PREPARE_SERVED = another source's request brings it (a batch), <0 with err set when
     * the source cannot run (shown as that source's error). */
    int (*prepare)(const struct r1_source_ctx *ctx, struct r1_node *node, struct r1_request *req,
                   char *err);
    /* Parse reply into the model. On error return <0 with err set and leave the model's
     * previous values alone (the poller then records the failure in the group's meta). */
    int (*apply)(const struct r1_source_ctx *ctx, struct r1_node *node,
                 const struct r1_reply *reply, char *err);
    /* Sampled sources (no transfer): read now, and name what was read in req->url ("nvml",
     * "demo") for the source's status. NULL for fetched sources. */
    int (*sample)(const struct r1_source_ctx *ctx, struct r1_node *node, struct r1_request *req,
                  char *err);
    /* The model group this source fills (for failures and ages); fleet-scope sources return a
     * fleet group (oracle_epoch: &f->epoch.meta) and get node == NULL. */
    struct r1_meta *(*meta)(struct r1_fleet *f, struct r1_node *node);
    /* Runs only after this source has answered for the same node (NULL = none): oracle_range
     * needs the licence's lastClaimEpoch from oracle_last, which needs the node's address. */
    const struct r1_source_ops *after;
    /* Batching (batch_max 0 = never): when batching(ctx) says so, up to batch_max of this
     * source's due jobs (one per node) are asked in one request. prepare_batch fills req
     * (method, URL) and *body (malloc'd, owned by the poller until the request ends) for
     * nodes[0..n), clearing asked[i] for a node it cannot serve (that node has nothing to ask
     * this round); apply_batch stores each node's part of the one reply, with a result per node
     * in rc[i] (0, R1_APPLY_*, or <0) and err[i]. */
    size_t batch_max;
    bool (*batching)(const struct r1_source_ctx *ctx);
    int (*prepare_batch)(const struct r1_source_ctx *ctx, struct r1_node *const *nodes, size_t n,
                         bool *asked, struct r1_request *req, char **body, char *err);
    void (*apply_batch)(const struct r1_source_ctx *ctx, struct r1_node *const *nodes, size_t n,
                        const struct r1_reply *reply, int *rc, char (*err)[R1_ERR_MAX]);
    /* The largest reply worth parsing, in KiB (0 = the config's http.max_body_kib). The
     * parse cost of JSON grows with the reply (D21: 4 MB of small values cost 250 MB and 1.7 s
     * on the UI loop), so each source caps what it can plausibly need. */
    size_t max_reply_kib;
};

/* Each source module defines one of these; source.c lists them in source_table. */
extern const struct r1_source_ops source_node_info;    /* node_files.c */
extern const struct r1_source_ops source_node_history; /* node_files.c */
extern const struct r1_source_ops source_streams;      /* node_files.c */
extern const struct r1_source_ops source_oracle_epoch; /* oracle.c */
extern const struct r1_source_ops source_oracle_last;  /* oracle.c */
extern const struct r1_source_ops source_oracle_range; /* oracle.c */
extern const struct r1_source_ops source_docker;       /* docker.c */
extern const struct r1_source_ops source_gpu;          /* gpu.c */
extern const struct r1_source_ops source_unit;         /* unit.c */
extern const struct r1_source_ops source_chain;        /* chain.c */
extern const struct r1_source_ops source_wallets;      /* wallets.c */

/* The node's ETH address as sources key it in batches: configured or read, else derived from
 * its 0xai address (one key has both). "" when neither is known yet. out: 43 bytes. */
void source_node_eth(const struct r1_node *node, char out[43]);

const struct r1_source_ops *source_get(enum r1_source_id id);
const struct r1_source_ops *source_by_name(const char *name);

#endif
