/* r1setup: reads r1setup's fleet inventory on the operator's workstation (docs/protocol.md
 * §7.6) — active_config.json names the active configuration, configs/<name>.yml is its Ansible
 * inventory — and turns each host into a config node entry that reads the node's files over
 * SSH. The inventory holds SSH and sudo passwords: only the host's inventory name,
 * ansible_host, ansible_user, ansible_port, mnl_docker_volume_path, mnl_docker_container_name,
 * edge_node_service_name and node_status are kept;
 * every other value is wiped unread, and so are the files' bytes. Parsers are pure; main.c
 * (--import-r1setup) calls r1setup_load, r1setup_plan and r1setup_print. */
#ifndef R1_R1SETUP_H
#define R1_R1SETUP_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"

#define R1SETUP_DIR ".ratio1/r1_setup" /* under $HOME */
#define R1SETUP_HOSTS_MAX 1024
#define R1SETUP_PATH_MAX 512
/* Where r1setup keeps a standard install's _local_cache on the host (docs/protocol.md §4.1). */
#define R1SETUP_DEFAULT_VOLUME "/var/cache/edge_node/_local_cache"

struct r1setup_host {
    char name[R1_NAME_MAX];        /* the inventory's host name: r1setup's instance name */
    char host[256];                /* ansible_host; "" = not given */
    char user[64];                 /* ansible_user; "" = not given (ssh's own default) */
    int port;                      /* ansible_port 1..65535; -1 = not given */
    char volume[R1SETUP_PATH_MAX]; /* mnl_docker_volume_path; "" = not given */
    char container[R1_NAME_MAX];   /* mnl_docker_container_name; "" = not given */
    char service[R1_NAME_MAX];     /* edge_node_service_name; "" = not given */
    char node_status[32];          /* "running", "deleted", ...; "" = not given */
    char problem[R1_ERR_MAX];      /* a value that was there but unusable, "" = none; the value
                                    * itself is never quoted (a password typed in the wrong
                                    * field would be) */
};

struct r1setup_inventory {
    char config_name[R1_NAME_MAX]; /* from active_config.json, "" when it was not read */
    char environment[16];          /* mainnet / testnet / devnet; "" = not said */
    char path[R1SETUP_PATH_MAX];   /* the inventory file read */
    struct r1setup_host *hosts;    /* owned */
    size_t n_hosts;
};

/* active_config.json: the active configuration's name (a plain file name, else refused) and
 * its environment. 0, or -1 with err. */
int r1setup_parse_active(const char *buf, size_t len, char *config_name, size_t name_size,
                         char *environment, size_t env_size, char *err);

/* An Ansible YAML inventory: hosts under all.hosts and all.children.<group>(.children...).hosts,
 * each once. *hosts is xmalloc'd (caller frees), possibly empty. name is for messages. Values
 * not kept are wiped in libyaml's buffers before they are freed. 0, or -1 with err. */
int r1setup_parse_inventory(const char *buf, size_t len, const char *name,
                            struct r1setup_host **hosts, size_t *n_hosts, char *err);

/* The host as a config node: its name, status ssh://[user@]host[:port]<volume>/_data/ (the
 * volume defaults to R1SETUP_DEFAULT_VOLUME; read with the operator's own ssh), and its
 * container (docker inspect over the same connection) when the inventory names it. 0, or -1
 * with err when the host cannot be reached that way (no ansible_host, a problem). */
int r1setup_node_cfg(const struct r1setup_host *h, struct r1_node_cfg *out, char *err);

/* home/.ratio1/r1_setup/active_config.json, then the inventory it names (else the
 * multi_node_launcher hosts.yml link r1setup keeps to the active one). 0, or -1 with err. */
int r1setup_load(const char *home, struct r1setup_inventory *inv, char *err);
void r1setup_free(struct r1setup_inventory *inv);

/* What an import would add to cfg: every host as a node, less the deleted ones and those cfg
 * already has (by name or status URL). notes holds one line per host left out. */
struct r1setup_plan {
    struct r1_node_cfg *nodes; /* owned */
    size_t n_nodes;
    char (*notes)[R1_ERR_MAX]; /* owned */
    size_t n_notes;
};
void r1setup_plan(const struct r1setup_inventory *inv, const struct r1_config *cfg,
                  struct r1setup_plan *plan);
void r1setup_plan_free(struct r1setup_plan *plan);

/* The report --import-r1setup prints: where the inventory came from, what was left out and
 * why (as comments), and the nodes: entries to add, as YAML. */
void r1setup_print(FILE *out, const struct r1setup_inventory *inv, const struct r1_config *cfg,
                   const struct r1setup_plan *plan);

#endif
