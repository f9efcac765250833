/* config: r1top's settings — built-in defaults, then the user's YAML file (libyaml), then the
 * command line (main.c). One table of fields drives parsing, validation messages and the
 * example file. A bad file is an error with file:line:column and what was expected; r1top
 * never rewrites the user's config (config_append.h only appends nodes, when asked). Called by
 * main.c; read by every source. */
#ifndef R1_CONFIG_H
#define R1_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "network.h"
#include "sources/source.h"
#include "util.h"

#define R1_CONFIG_MAX_NODES 1024
#define R1_CONFIG_MAX_ORACLES 32
#define R1_CONFIG_MAX_WALLETS 32        /* one eth_call each, in one batch (sources/wallets.c) */
#define R1_CONFIG_MAX_BYTES (1024 * 1024)   /* a bigger config file is refused, not parsed */

struct r1_node_cfg {
    char name[R1_NAME_MAX];
    char address[R1_ADDR_MAX];       /* 0xai_... ("" = take it from local_info.json) */
    char eth_address[R1_ADDR_MAX];   /* 0x... */
    char status_url[R1_STATUS_URL_MAX];     /* the node's _data/ folder: file:///..., ssh://...
                                      * or sftp://..., always ending in '/'; "" = none */
    char docker_socket[108];         /* "" = no Docker source */
    char container[R1_NAME_MAX];
    char service[R1_NAME_MAX];       /* r1setup's systemd unit, "" = none */
};

struct r1_config {
    const struct r1_network *net;
    char oracle_url[R1_URL_MAX];    /* override (no trailing '/'), else net->oracle_url */
    bool oracle_enabled;            /* oracle: false turns every oracle request off */
    bool oracle_batch;              /* ask for a fleet in multi_node_epochs_range batches */
    int chain_enabled;              /* chain.enabled: 1, 0, or -1 = auto (as oracle_enabled) */
    char chain_rpc_url[R1_URL_MAX]; /* override (no trailing '/'), else net->rpc_url */
    char chain_contracts[R1_CONTRACT_COUNT][R1_ADDR_MAX]; /* overrides; "" = the network's */
    double interval_s[SRC_COUNT];                         /* refresh per source */
    double ui_delay_s;                                    /* screen refresh (-d) */
    long http_timeout_ms;
    long action_timeout_ms;          /* a changing action's request (restart waits for a stop) */
    size_t max_body_bytes;
    char trusted_oracles[R1_CONFIG_MAX_ORACLES][R1_ADDR_MAX]; /* in addition to the network's */
    char ssh_config[R1_URL_MAX];     /* ssh -F for ssh:// nodes, "" = ssh's own ~/.ssh/config */
    char ssh_known_hosts[R1_URL_MAX]; /* UserKnownHostsFile, "" = the ssh configuration's */
    int n_trusted_oracles;
    char wallets[R1_CONFIG_MAX_WALLETS][R1_ADDR_MAX]; /* operator wallets, as written */
    int n_wallets;
    char dauth_url[R1_URL_MAX];      /* override of net->dauth_url, "" = the network's */
    char identity_file[R1_URL_MAX];  /* the key commands are signed with, "" = the default */
    double confirm_timeout_s;        /* broker + the node's confirmation of a command */
    struct r1_node_cfg *nodes;       /* owned */
    size_t n_nodes;
    char path[R1_URL_MAX];           /* the file loaded, "" for defaults only */
    char warning[R1_ERR_MAX];        /* a problem worth telling but not fatal (a config others
                                      * can write), "" = none; main prints it on stderr */
};

/* Built-in defaults, from the field table. No nodes: with none configured, app.c looks for
 * the node on this host. */
void config_defaults(struct r1_config *cfg);
/* Load and validate path over the defaults already in cfg. On error returns -1 and err holds
 * "PATH:LINE:COL: what was wrong; expected ..." and cfg is left with defaults. On success
 * cfg->warning says when other users can write the file or its folder (it holds the trusted
 * oracle signers). URLs with a password in them are refused (they would be shown).
 * A `nodes:` list in the file replaces the default node list; other keys override one by one. */
int config_load(struct r1_config *cfg, const char *path, char *err);
/* Same, from a buffer (tests, fuzzing); name is used in messages. */
int config_load_buffer(struct r1_config *cfg, const char *buf, size_t len, const char *name,
                       char *err);
/* config_load on config_default_path() when a file is there; no file (or no HOME) is not an
 * error: cfg keeps its defaults and 0 is returned. */
int config_load_default(struct r1_config *cfg, char *err);
/* $XDG_CONFIG_HOME/r1top/config.yaml, else ~/.config/r1top/config.yaml. 0, or -1 if no HOME. */
int config_default_path(char *dst, size_t dst_size);
/* The documented example config (config/r1top.yaml.example), written from the field table:
 * every key, its default and what it means. Loads back with config_load. */
void config_write_example(FILE *out);
void config_free(struct r1_config *cfg);
/* chain.enabled resolved. "auto" follows oracle.enabled, so a config that turns the oracle off
 * (tests, offline use) does not reach the chain's RPC either; and with oracle.url set (a
 * simulator, a mirror) the chain is read only when chain.rpc_url is set too. */
bool config_chain_enabled(const struct r1_config *cfg);

#endif
