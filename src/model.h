/* model: the fleet as r1top knows it — fleet -> nodes -> groups of fields.
 * Every group carries r1_meta: one valid bit per field, when it was last updated, where it
 * came from, and the last error. Pollers (the sources) write it; the UI and the snapshot
 * writer only read it. Unknown is never zero: a clear valid bit means "n/a" / JSON null. */
#ifndef R1_MODEL_H
#define R1_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "amount.h"
#include "network.h"
#include "util.h"

#define R1_NAME_MAX 64
#define R1_ADDR_MAX 64     /* 0xai_ (49) and 0x ETH (42) addresses fit */
#define R1_URL_MAX 512
/* Sizes that keep a node small (the fleet issue watches 1,000 of them): 48 history points
 * are four hours of local_history.json (a point per 5 min); local_info.json lists the last 5
 * epochs and local_history.json the last 10 (docs/protocol.md §4.2, docs/protocol.md §5.4). */
#define R1_HIST_MAX 48     /* points kept per history series (sparklines) */
#define R1_LAST_EPOCHS_MAX 16
#define R1_STATUS_URL_MAX 256
#define R1_GPU_MAX 8
#define R1_SRC_SLOTS 11 /* >= SRC_COUNT (sources/source.h checks it at compile time) */

#define R1_VALID(g, f) ((((g)->meta.valid) >> (f)) & 1u)
#define R1_MARK(g, f) ((g)->meta.valid |= (UINT64_C(1) << (f)))

/* A group's values: which are known, how old they are, and which source wrote them. Where
 * that source asked and how its last attempt went is the source's status (node->src[], one
 * per source, P3): a failed poll keeps the values and their age, and the status says why. */
struct r1_meta {
    uint64_t valid;              /* bit per field (the group's enum) */
    double updated_at;           /* wall clock of the last successful read; 0 = never */
    int fed_by;                  /* enum r1_source_id + 1 of the source that wrote it; 0 = none */
};

/* An error as data (D26): what kind, from which source, the codes; words are made only where
 * it is shown (model_error_format). */
enum r1_err_kind {
    R1_EK_NONE,
    R1_EK_TRANSPORT,    /* curl could not complete the transfer (curl_code) */
    R1_EK_TIMEOUT,
    R1_EK_HTTP,       /* HTTP status >= 400 (http_code) */
    R1_EK_REDIRECT,   /* a 3xx: never followed, never parsed (D20) */
    R1_EK_TOO_BIG,    /* over the size cap */
    R1_EK_PERMISSION, /* e.g. the Docker socket refused us */
    R1_EK_FILE,       /* a local file could not be read */
    R1_EK_PARSE,      /* the reply is not what the source expects */
    R1_EK_REFUSED,    /* about another node, too old, another network, unverified over verified */
    R1_EK_BAD_SIGNATURE, /* stored with its verdict so it can be seen, but a failure */
    R1_EK_CONFIG,        /* the source cannot run as configured */
    R1_EK_INTERRUPTED,   /* --once was stopped or timed out before the reply */
    R1_EK_RATE_LIMITED, /* the host asked us to slow down (JSON-RPC -32005): the source backs off */
};
#define R1_REASON_MAX 160
struct r1_error {
    enum r1_err_kind kind;
    int src;                     /* enum r1_source_id */
    long http_code;
    int curl_code;
    char reason[R1_REASON_MAX];  /* the detail, sanitised ("Couldn't connect to server") */
};

/* One per (node, source), written only by the poller (found-defects D26, P3): every group a
 * source feeds points here through its meta's src, so every reader shows the same status. */
struct r1_src_status {
    double attempt_at, ok_at;    /* wall clock; 0 = never */
    double next_at;              /* wall clock of the next attempt (a retry after a failure) */
    double interval_s;           /* how often it refreshes: ages turn stale after this */
    int fails;                   /* consecutive */
    bool configured;             /* the source has something to read for this node */
    struct r1_error err;         /* kind R1_EK_NONE when the last attempt succeeded */
    char *url;                   /* the last request, owned; NULL = none yet */
};

/* The last action asked of a node, whatever asked it (a key, a script): what a person sees as
 * its progress and outcome. Written by actions.c through app.c. */
enum r1_act_state { R1_ACTST_NONE, R1_ACTST_RUNNING, R1_ACTST_OK, R1_ACTST_FAILED,
                    R1_ACTST_REFUSED };
struct r1_action_status {
    int action;                  /* enum r1_action_id */
    enum r1_act_state state;
    double started_at, finished_at;   /* wall clock */
    char path[64];               /* how it was carried out: "docker API", "poller", "docker CLI
                                  * over ssh", "systemd unit edge_node over ssh" (hostpath.c) */
    char result[R1_REASON_MAX];  /* "restarted", "HTTP 404: No such container: x", refusal */
};

struct r1_epoch_val {
    int64_t epoch;
    uint8_t avail_u8;            /* 0..255, 255 = 100% */
};
/* The largest epoch number any parser accepts (D18). Epochs count days since the 2025-05-23
 * genesis (4-hour periods on devnet; docs/protocol.md §1.2): a million is over 450 years
 * even on devnet, so a bigger number is garbage, and the bound keeps epoch arithmetic far from
 * overflow. */
#define R1_EPOCH_MAX ((int64_t)1000000)

/* local_info.json (docs/protocol.md §4.2), rewritten by the node every 10 s. */
enum r1_info_field {
    INFO_ADDRESS, INFO_ALIAS, INFO_ETH, INFO_VERSION, INFO_CUR_EPOCH, INFO_CUR_AVAIL,
    INFO_LAST_EPOCHS, INFO_NETWORK, INFO_WHITELIST, INFO_R1FS, INFO_COMM_ACTIVE, INFO_MTIME,
};
struct r1_node_info {
    struct r1_meta meta;
    char address[R1_ADDR_MAX];
    char alias[R1_NAME_MAX];          /* sanitised */
    char eth_address[R1_ADDR_MAX];
    char version[R1_NAME_MAX * 2];    /* version_long, sanitised */
    int64_t current_epoch;
    double current_epoch_avail;       /* 0..1, share of the epoch so far the node was seen */
    struct r1_epoch_val last_epochs[R1_LAST_EPOCHS_MAX];
    int n_last_epochs;
    char evm_network[16];
    int whitelist_n;
    bool r1fs_online;
    char comm_last_active[40];
    double file_mtime;                /* liveness: the node rewrites this file every 10 s */
};

/* local_history.json (docs/protocol.md §4.3), every 5 min; GPU = first GPU only. */
enum r1_hist_field {
    HIST_UPTIME, HIST_VERSION, HIST_LAST_EPOCHS, HIST_CPU, HIST_MEM, HIST_GPU, HIST_SAVE_TIME,
    HIST_MTIME,
};
struct r1_series {
    float v[R1_HIST_MAX];             /* oldest first; NAN = unknown point (-1 in the file) */
    int n;
};
struct r1_node_history {
    struct r1_meta meta;
    double uptime_s;                  /* "HH:MM:SS", hours unbounded */
    char version[R1_NAME_MAX];
    uint8_t last_epochs_u8[R1_LAST_EPOCHS_MAX];
    int n_last_epochs;
    struct r1_series cpu_load_pct, cpu_temp_c, mem_total_gb, mem_occupied_gb;
    struct r1_series gpu_load_pct, gpu_temp_c, gpu_mem_occupied_gb, gpu_mem_total_gb;
    double last_save_time;            /* unix s */
    double file_mtime;
};

/* One row of the workloads pane: a plugin instance of a pipeline (streams/<NAME>.json).
 * Only these keys are ever read: pipeline files hold secrets (docs/protocol.md §4.4). */
struct r1_instance {
    char pipeline[R1_NAME_MAX];
    char pipeline_type[32];
    char app_alias[R1_NAME_MAX];
    char signature[48];
    char instance_id[R1_NAME_MAX];
    char image[128];
    int port;                          /* -1 = none */
    int64_t job_id;                    /* deeploy / PoAI job id; -1 = not deeployed */
    bool is_deeployed;
    char last_update[32];             /* LAST_UPDATE_TIME as written */
};
enum r1_work_field { WORK_LIST };
struct r1_workloads {
    struct r1_meta meta;
    struct r1_instance *rows;          /* owned; sorted by pipeline, then instance id */
    size_t n_rows;
    int n_pipelines;                   /* user pipelines (admin_pipeline excluded) */
    int n_unreadable;                  /* files that failed to parse this round (kept old rows) */
    /* D8: *.json files in the folder and how many were read this round; fewer read than there
     * are (a count or byte cap) means the list may be missing pipelines: say "N of M read" */
    int n_files_total, n_files_read;
    char file_error[R1_REASON_MAX];    /* the first file not read or not parsed this round and
                                        * why ("big.json is larger than 262144 bytes"); "" none */
};

/* How far r1top can stand behind an oracle-derived figure (docs/protocol.md §3.7, trust.c). */
enum r1_trust {
    R1_TRUST_UNCHECKED,      /* not (yet) checked */
    R1_TRUST_VERIFIED,       /* EE_SIGN valid and the signer is a known oracle */
    R1_TRUST_UNSIGNED,       /* no signature in the reply */
    R1_TRUST_UNKNOWN_SIGNER, /* valid signature by a key that is not a known oracle */
    R1_TRUST_BAD,            /* signature or hash does not verify: do not believe it */
    R1_TRUST_CHAIN,          /* read from the chain over one RPC host: not signed, as good as
                              * that host (sources/chain.c; docs/protocol.md §6.4) */
};

/* Oracle node_last_epoch / node_epochs_range (docs/protocol.md §2.3-§2.4). */
enum r1_orc_field {
    ORC_ALIAS, ORC_ETH, ORC_ONLINE, ORC_LAST_SEEN, ORC_VERSION, ORC_LAST_EPOCH, ORC_EPOCHS,
    ORC_SERVER, ORC_IS_ORACLE, ORC_GPU_NAME,
};
struct r1_oracle_node {
    struct r1_meta meta;
    char node_alias[R1_NAME_MAX];
    char node_eth[R1_ADDR_MAX];
    bool is_online;
    double last_seen_s;                /* node_last_seen_sec */
    char node_version[R1_NAME_MAX];
    bool is_oracle;
    int64_t last_epoch_id;
    uint8_t last_epoch_u8;
    /* node_epochs_range: contiguous [from_epoch, to_epoch] as the oracle returned them */
    int64_t from_epoch, to_epoch;
    uint8_t *epochs_u8;                /* owned, n_epochs entries, epochs[i] = from_epoch+i */
    int n_epochs;
    char server_alias[R1_NAME_MAX];
    char gpu_name[R1_NAME_MAX];        /* resources.gpu_name: the node's default GPU, sanitised */
    char node_addr[R1_ADDR_MAX];       /* the reply's "node" (0xai_), signed; checked against the
                                        * node asked about before anything is stored */
    double server_time;                /* unix s of the oracle's server_time; 0 = not given */
    bool unknown_node;                 /* the oracle never saw this node ("unknown:<eth>",
                                        * "[No internal node address found]"): its offline
                                        * flag and zero availabilities are placeholders */
    int64_t server_current_epoch, server_last_synced_epoch;
    char oracle_error[R1_REASON_MAX];  /* the reply's own "error" field, sanitised */
    /* trust (docs/protocol.md §3.7): filled by trust.c; R1_TRUST_UNCHECKED until then */
    int trust;                         /* enum r1_trust */
    char trust_reason[R1_REASON_MAX];
    char signer[R1_ADDR_MAX];
};

/* Licence details (oracle node_license_info with include_bc_info=true; docs/protocol.md §5.2). */
enum r1_lic_type { R1_LIC_NONE = 0, R1_LIC_ND = 1, R1_LIC_MND = 2, R1_LIC_GND = 3 };
enum r1_lic_field {
    LIC_TYPE, LIC_ID, LIC_OWNER, LIC_NODE_ADDR, LIC_ASSIGNED, LIC_CLAIMED, LIC_LAST_CLAIM,
    LIC_ASSIGN_TS, LIC_LAST_ORACLE, LIC_BANNED, LIC_VALID, LIC_POAI_USDC, LIC_POAI_R1,
};
struct r1_licence {
    struct r1_meta meta;
    enum r1_lic_type type;
    uint64_t licence_id;
    char owner[R1_ADDR_MAX];
    char node_address[R1_ADDR_MAX];
    r1_u128 total_assigned_wei, total_claimed_wei;
    int64_t last_claim_epoch;
    double assign_timestamp;
    char last_claim_oracle[R1_ADDR_MAX];
    bool is_banned, is_valid;
    r1_u128 poai_usdc_micro;           /* USDC has 6 decimals */
    r1_u128 poai_r1_wei;
    /* The verdict of the reply these figures came from (D4: never another reply's). */
    int trust;                         /* enum r1_trust */
    char trust_reason[R1_REASON_MAX];
};

/* What the chain says about a node (sources/chain.c; docs/protocol.md §5.6, §6.4): eth_calls
 * answered by one RPC host, unsigned (trust R1_TRUST_CHAIN). Its own meta: its age and errors
 * are the chain source's, never the oracle's. */
enum r1_chain_field { CHAIN_POAI_USDC, CHAIN_POAI_R1, CHAIN_LICENCE, CHAIN_CALC };
struct r1_chain_node {
    struct r1_meta meta;
    r1_u128 poai_usdc_micro;    /* PoAIManager.getNodePoAIRewards: USDC, 6 decimals */
    r1_u128 poai_r1_wei;        /* ...and its R1 quote */
    struct r1_licence lic;      /* Reader.getNodeLicenseDetails (valid bits per field);
                                 * lic.trust is R1_TRUST_CHAIN */
    char rpc_host[R1_NAME_MAX]; /* the RPC host that answered (no path, no credentials) */
    /* The licence's contract's own claimable figure (calculateRewards, docs/protocol.md §5.5):
     * ND for ND (r1top's arithmetic is checked against it), MND for MND and GND. */
    r1_u128 calc_rewards_wei, calc_carryover_wei, calc_withheld_wei;
    bool calc_mnd;                    /* the carryover and withheld figures are the MND's */
    int64_t calc_from, calc_to;       /* the epochs it covers */
    char calc_note[R1_REASON_MAX];    /* why there is no figure: the wait, or the call's error */
    /* the call in flight: which contract (enum chain_calc_contract, 0 none), for which licence
     * and epochs (what is stored when it answers) */
    int calc_asked;
    uint64_t calc_ask_licence;
    int64_t calc_ask_from, calc_ask_to;
};

/* The node container as the Docker Engine API reports it. */
enum r1_dock_field {
    DOCK_STATE, DOCK_STARTED, DOCK_RESTARTS, DOCK_IMAGE, DOCK_HEALTH,
    DOCK_EXIT, DOCK_OOM, DOCK_FINISHED
};
struct r1_docker {
    struct r1_meta meta;
    char state[24];                    /* "running", "exited", ... */
    double started_at;                 /* unix s */
    int restart_count;
    char image[128];
    char health[24];
    int exit_code;                     /* State.ExitCode: the last run's (docs/protocol.md §7.3) */
    bool oom_killed;                   /* State.OOMKilled */
    double finished_at;                /* State.FinishedAt, unix s */
};

/* r1setup's systemd unit on the node's host (docs/protocol.md §7.4): `systemctl show`, the
 * exit file and how often the unit started in the last 30 minutes (sources/unit.c). */
enum r1_unit_field {
    UNIT_LOAD, UNIT_ACTIVE, UNIT_SUB, UNIT_RESULT, UNIT_NRESTARTS, UNIT_STARTED, UNIT_MAIN_STATUS,
    UNIT_EXIT_FILE, UNIT_STARTS
};
/* StartLimitBurst=30 in StartLimitIntervalSec=1800, StartLimitAction=reboot: the 30th start in
 * 30 minutes reboots the host; the screen warns from the 20th. */
#define R1_UNIT_START_LIMIT 30
#define R1_UNIT_START_WARN 20
struct r1_unit {
    struct r1_meta meta;
    char load_state[24];               /* "loaded", "not-found" */
    char active_state[24];             /* "active", "activating", "failed", ... */
    char sub_state[24];                /* "running", "auto-restart", "dead", ... */
    char result[32];                   /* "success", "exit-code", "signal", ... */
    int n_restarts;                    /* NRestarts: automatic restarts (Restart=always) */
    double main_started_at;            /* ExecMainStartTimestamp, unix s on this host's clock */
    int main_status;                   /* ExecMainStatus: the main process's last exit status */
    int exit_file_code;                /* the exit file: the container's last exit code (§7.3) */
    int starts_30min;                  /* "Started" in the unit's journal, last 30 minutes */
};

/* GPUs: NVML on the local host, or the node's history file (first GPU only), or the demo. */
enum r1_gpu_field { GPU_NAME, GPU_UTIL, GPU_MEM, GPU_TEMP, GPU_POWER };
struct r1_gpu {
    struct r1_meta meta;
    char name[R1_NAME_MAX];
    double util_pct;
    double mem_used_bytes, mem_total_bytes;
    double temp_c;
    double power_mw;
    struct r1_series util_hist, mem_hist_pct;   /* appended on every sample */
};

/* Derived each time its inputs change (rewards.c). */
enum r1_rew_status {
    R1_REW_UNKNOWN,        /* inputs missing */
    R1_REW_OK,
    R1_REW_SYNCING,        /* oracle returned fewer epochs than the range needs (docs/protocol.md §5.4) */
    R1_REW_NO_LICENCE,
    R1_REW_UNSUPPORTED,    /* MND/GND estimates need on-chain adoption data: not estimated */
};
struct r1_rewards {
    int poa_trust;                          /* enum r1_trust: the weakest of the licence's and
                                             * the epochs' verdicts (the epoch used is either
                                             * a verified one near the clock's, or the clock's) */
    enum r1_rew_status poa_status;
    r1_u128 poa_claimable_wei;
    int64_t poa_from_epoch, poa_to_epoch;   /* range the estimate covers */
    bool poa_capped;                        /* hit totalAssigned - totalClaimed */
    char poa_note[R1_REASON_MAX];
    /* PoAI accrued (docs/protocol.md §5.6): the oracle's licence copy when it carries it (the
     * real oracle never does), else the chain's getNodePoAIRewards. */
    bool poai_known;
    r1_u128 poai_usdc_micro, poai_r1_wei;
    int poai_src;   /* enum r1_source_id it came from; -1 = none */
    int poai_trust; /* enum r1_trust of that figure */
    /* Licence fields (bit per enum r1_lic_field, LIC_TYPE..LIC_BANNED) where the oracle's
     * signed copy and the chain's differ: shown, never resolved. Both known, else 0. */
    uint32_t lic_disagree;
    /* The licence's contract's own figure (node->chain's calculateRewards): for MND and GND it
     * is the claimable figure (poa_*), for ND a cross-check of r1top's arithmetic. */
    bool contract_known;
    r1_u128 contract_wei;
    bool contract_differs;   /* ND: both known over the same epochs, and not equal */
};

/* ---- derived (derive.c): what readers need, as plain fields, recomputed every round ---- */

enum r1_online { R1_ONLINE_UNKNOWN, R1_ONLINE_YES, R1_ONLINE_STALE, R1_ONLINE_NO };

/* What decided the online state. Text is made only where it is shown (derive_online_text). */
enum r1_online_basis {
    R1_BASIS_NONE,                /* nothing read yet */
    R1_BASIS_FILE_NOT_READ,       /* a status file is configured but not read yet */
    R1_BASIS_FILE,                /* the status file's age decides */
    R1_BASIS_FILE_ORACLE_OFFLINE, /* the file is fresh, but the oracle says offline */
    R1_BASIS_FILE_ORACLE_SEES,    /* the file is old, but the oracle saw the node lately */
    R1_BASIS_ORACLE,              /* no status file: the oracle's flag and last-seen decide */
};

enum r1_container_state {
    R1_CT_UNKNOWN, R1_CT_RUNNING, R1_CT_RESTARTING, R1_CT_PAUSED, R1_CT_CREATED, R1_CT_EXITED,
    R1_CT_DEAD, R1_CT_REMOVING, R1_CT_OTHER,
};

/* The most urgent thing wrong with a node, as data: derive_problem() picks it, and
 * derive_problem_text() makes the words where it is shown. The kinds are in order of urgency,
 * the most urgent first; R1_PROB_NONE (nothing wrong, or nothing known) sorts after them all. */
enum r1_problem {
    R1_PROB_NONE,
    R1_PROB_OFFLINE,        /* age_s: since it was last seen (NAN: not known) */
    R1_PROB_RESTART_LOOP,   /* pct: the unit's starts in the last 30 min, R1_UNIT_START_WARN or
                             * more of the 30 after which systemd reboots the host */
    R1_PROB_BAD_SIGNATURE,  /* src: the oracle source whose reply does not verify */
    R1_PROB_UNKNOWN_NODE,   /* the oracle has never seen this address */
    R1_PROB_ORACLE_OFFLINE, /* the status file is fresh, but the oracle says offline */
    R1_PROB_STALE,          /* age_s; src: SRC_NODE_INFO (the file's age) or SRC_ORACLE_LAST */
    R1_PROB_LIC_BANNED,
    R1_PROB_LIC_INVALID,
    R1_PROB_LOW_AVAIL,      /* pct; src: SRC_NODE_INFO (this epoch so far) or an oracle source
                             * (the last epoch) */
    R1_PROB_NO_LICENCE,
    R1_PROB_SYNCING,        /* the oracles have not synced the epochs an estimate needs */
    R1_PROB_SOURCE_ERROR,   /* src: the first source whose last attempt failed */
    R1_PROB_COUNT
};
struct r1_node_problem {
    enum r1_problem kind;
    double age_s;                 /* NAN = not known or not part of this kind */
    int pct;                      /* 0..100; -1 = not part of this kind */
    int src;                      /* enum r1_source_id; -1 = not part of this kind */
};

struct r1_node_status {
    enum r1_online online;
    enum r1_online_basis basis;
    double file_age_s;            /* NAN = unknown */
    double oracle_seen_s;         /* oracle's last-seen plus its reply's age; NAN = unknown */
    bool oracle_known;            /* the oracle's online flag was read */
    bool oracle_online;
    bool file_configured;         /* the node has a status folder (else only the oracle) */
    bool oracle_addr_derives;     /* the oracle's "node" derives the configured ETH address, so
                                   * it may stand in for an unknown 0xai address (a check, not
                                   * trust: the reply was already bound to that ETH address) */
    enum r1_container_state container;
    struct r1_node_problem problem;
};

struct r1_manage;

struct r1_node {
    uint32_t id;                       /* stable for the fleet's life (its index when added) */
    char name[R1_NAME_MAX];            /* the name the operator chose (config), never the alias */
    /* where to read it (from config or discovery) */
    char status_dir_url[R1_STATUS_URL_MAX]; /* ".../_data/": file://, ssh://, sftp://; "" = none */
    char addr_cfg[R1_ADDR_MAX];        /* 0xai_ address from config, "" = use local_info */
    char eth_cfg[R1_ADDR_MAX];
    char docker_socket[108];
    char container[R1_NAME_MAX];
    char service[R1_NAME_MAX];         /* r1setup's systemd unit; "" = none (docs §7.4) */
    bool demo;
    bool unsaved;                      /* added in this session (the add-node prompt), not in
                                        * the config file yet: w appends it (app.c) */
    char from_wallet[R1_ADDR_MAX];     /* the wallet whose licence links it (app.c adds such
                                        * nodes; never unsaved: the wallet brings it each run);
                                        * "" = configured or added by hand */
    /* what we know */
    struct r1_node_info info;
    struct r1_node_history hist;
    struct r1_workloads work;
    struct r1_oracle_node orc;         /* node_last_epoch */
    struct r1_oracle_node range;       /* node_epochs_range for rewards and the epoch chart */
    struct r1_licence lic;
    struct r1_chain_node chain; /* sources/chain.c */
    struct r1_docker dock;
    struct r1_unit unit;
    /* GPUs: most nodes have none or one, so their R1_GPU_MAX slots are allocated only when a
     * GPU source first runs (model_node_gpus); gpu_meta is the group's own stamp. */
    struct r1_gpu *gpus;               /* owned; NULL until then, n_gpus valid entries */
    int n_gpus;
    struct r1_meta gpu_meta;
    char gpu_backend[16];              /* "nvml", "node-history", "demo" */
    struct r1_src_status src[R1_SRC_SLOTS]; /* by enum r1_source_id; written by the poller */
    struct r1_action_status act;       /* the last action asked of this node (actions.c) */
    struct r1_manage *mng;             /* manage.h: allowed list, logs, an exec in flight;
                                        * NULL until the node's first such action */
    struct r1_rewards rew;             /* derived */
    struct r1_node_status status;      /* derived */
};

/* An operator wallet (config `wallets:`) and the nodes its licences link, as
 * Reader.getWalletNodes answered (sources/wallets.c). Its own meta: one wallet's revert leaves
 * the others' lists and ages alone. */
#define R1_WALLET_NODES_MAX 1000 /* nodes added per wallet: the fleet is sized for 1,000 */
enum r1_wallet_field { WALLET_NODES };
struct r1_wallet {
    struct r1_meta meta;
    char address[R1_ADDR_MAX];         /* as configured */
    char (*nodes)[R1_ADDR_MAX];        /* owned, n_nodes ETH addresses in lower case */
    size_t n_nodes;
    size_t n_listed;                   /* what the chain listed: above n_nodes when capped */
    char error[R1_REASON_MAX];         /* this wallet's own failure in the last read, "" none */
};

/* Network-wide state (oracle current_epoch). */
enum r1_fleet_field { FLEET_EPOCH };
struct r1_fleet {
    const struct r1_network *net;
    char oracle_url[R1_URL_MAX];
    struct {
        struct r1_meta meta;
        int64_t current_epoch;         /* from the oracle; the clock-derived one is epoch.c */
        int trust;                     /* enum r1_trust of the /current_epoch reply */
        char trust_reason[R1_ERR_MAX];
    } epoch;
    struct r1_src_status src[R1_SRC_SLOTS]; /* fleet-scope sources (the oracle's epoch) */
    /* The chain source's state across its batches (sources/chain.c): the RPC URL whose chain id
     * was checked, and until when a rate limit holds every batch back. */
    struct {
        char checked_url[R1_URL_MAX]; /* "" until an eth_chainId answer matched the network */
        double backoff_until;         /* wall clock; 0 = none */
        int rate_limits;              /* consecutive rate-limited replies (the back-off grows) */
    } chain;
    /* The operator's wallets (sources/wallets.c); app.c adds the nodes they list. */
    struct r1_wallet *wallets;         /* owned, n_wallets (config order) */
    size_t n_wallets;
    struct r1_meta wallets_meta;       /* the wallets source's group: the last whole read */
    unsigned wallets_gen;              /* bumped whenever a wallet's list is stored */
    char *wallets_req;                 /* the request body in flight, owned (sources/wallets.c) */
    /* derived: the one current epoch every reader uses (header, rewards, ranges, JSON) */
    int64_t epoch_now;
    bool epoch_from_oracle;            /* a verified oracle epoch within one of the clock's */
    double epoch_left_s, epoch_frac;   /* time left in it; share elapsed 0..1 */
    struct r1_node *nodes;             /* owned */
    size_t n_nodes;
    char discovery_note[R1_ERR_MAX * 2]; /* what auto-discovery found or did not find */
    bool demo;
    /* Nodes are added at run time (model_fleet_add may move nodes[]: keep ids, not pointers).
     * config_path is where w appends them: the file loaded, else the default path (created). */
    char config_path[R1_URL_MAX];
    char me_addr[R1_ADDR_MAX];         /* r1top's own identity (its key's 0xai_ address), "" when
                                        * it has none: the allowed list is checked for it */
    struct r1_action_status act;       /* the last fleet-wide action: a node added, nodes
                                        * written to the config file (app.c) */
};

void model_fleet_init(struct r1_fleet *f, const struct r1_network *net);
struct r1_node *model_fleet_add(struct r1_fleet *f, const char *name);
void model_fleet_free(struct r1_fleet *f);
/* Another operator wallet to read (config `wallets:`), with no nodes known yet. */
void model_fleet_add_wallet(struct r1_fleet *f, const char *address);

/* Record a successful read: stamps the time (the poller records the source's status). */
void model_meta_ok(struct r1_meta *m, double now);
/* The error in words: "HTTP 503 from URL: detail", "timed out after 5 s (URL)"; with url NULL
 * the brief form without where it came from ("HTTP 503: detail"). The source's name is not
 * included (callers that list several sources add it). "" for none. */
void model_error_format(const struct r1_error *e, const char *url, char *dst, size_t dst_size);
/* Free what the statuses own (their URLs). */
void model_src_status_clear(struct r1_src_status *st, size_t n);
/* Age of the group's data in seconds; negative when never read. */
double model_meta_age(const struct r1_meta *m, double now);

/* The node's best-known identity (config first, then local_info, then oracle). "" if none. */
const char *model_node_address(const struct r1_node *n);
const char *model_node_eth(const struct r1_node *n);
const char *model_node_label(const struct r1_node *n);   /* alias, else name */
/* The node's alias: its status file's, else a (node-bound) oracle reply's; "" if none. */
const char *model_node_alias(const struct r1_node *n);
/* The node's version: the status file's, else the oracle's (*from_oracle set); "" if none. */
const char *model_node_version(const struct r1_node *n, bool *from_oracle);


/* A workloads row with nothing known: port and job_id -1 ("none"), strings empty. */
void model_instance_init(struct r1_instance *r);

/* "verified", "unsigned", "unknown_signer", "bad_signature", "unchecked", "chain" (JSON words). */
const char *model_trust_name(int trust);
/* "ND", "MND", "GND", or "none" (R1_LIC_NONE and anything the contracts don't define). */
const char *model_licence_name(enum r1_lic_type t);
/* The JSON key of a licence field ("owner", "total_assigned_wei"), and its value as text for
 * comparing and showing ("ND", "1575188843457943924600", addresses in lower case); false (and
 * "") when the field is not known. */
const char *model_licence_field_name(enum r1_lic_field f);
bool model_licence_field_text(const struct r1_licence *l, enum r1_lic_field f, char *dst,
                              size_t dst_size);
void model_series_push(struct r1_series *s, float v);
void model_workloads_clear(struct r1_workloads *w);
/* The node's GPU slots, allocated (R1_GPU_MAX, zeroed) on first use. */
struct r1_gpu *model_node_gpus(struct r1_node *n);
void model_oracle_node_clear(struct r1_oracle_node *o);

#endif
