/* actions: the table of things r1top can do to a node (or to the config file: save-nodes
 * appends the nodes added in a session, for app.c), and the one place that decides whether
 * an intent may run. --readonly is enforced here, below any frontend; a changing action runs
 * only when its intent says the person confirmed it. An allowed action becomes a one-shot job
 * on the poller's curl multi handle (method, body, headers), or for a network action
 * (net/remote.h) a one-shot and then a poller client, never a nested loop or a blocking call;
 * its outcome lands in the node's action status, and every changing action is logged.
 * Called by app.c (intents), ui/ (keys, confirm texts, key bar) and the CLI subcommands. */
#ifndef R1_ACTIONS_H
#define R1_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct r1_action_status;
struct r1_fleet;
struct r1_node;

enum r1_action_id {
    R1_ACT_POLL_NODE,          /* read every source of this node now (changes nothing) */
    /* the container actions: Docker POST /containers/<name>/<verb>, or the docker CLI or the
     * systemd unit on the node's host (hostpath.h chooses) */
    R1_ACT_RESTART_CONTAINER,
    R1_ACT_STOP_CONTAINER,
    R1_ACT_START_CONTAINER,
    /* the node's own commands and log: the Engine API on this host's socket, or the docker CLI
     * on an ssh:// node's host (hostpath_cli_ssh) */
    R1_ACT_LOGS,               /* GET /containers/<name>/logs: the last lines, then newer */
    R1_ACT_ALLOWED,            /* exec get_allowed: the allowed list (changes nothing) */
    R1_ACT_ALLOW,              /* exec add_allowed ADDRESS [ALIAS] */
    R1_ACT_ALIAS,              /* exec change_alias NEW */
    R1_ACT_APPS,               /* exec docker ps inside the node: its container apps */
    R1_ACT_NODE_LOG,           /* the node's own log file on this host (node_log.h) */
    R1_ACT_SAVE_NODES,         /* append the nodes added in this session to the config file */
    R1_ACT_NET_STOP,           /* signed STOP over MQTT: the node process exits (§8.7) */
    R1_ACT_NET_RESTART,        /* signed RESTART over MQTT: r1setup hosts reboot (§8.7) */
    R1_ACT_COUNT
};

enum r1_action_backend {
    R1_BACKEND_POLLER,  /* no request of its own: makes the node's jobs due */
    R1_BACKEND_DOCKER,  /* the node's container: its Docker socket, CLI or unit (hostpath.h) */
    R1_BACKEND_CONFIG,  /* the config file (config_append.h): the fleet's, no node's; app.c */
    R1_BACKEND_FILE,    /* a file on this host, read at once (bounded): actions_run_file */
    R1_BACKEND_NETWORK, /* dAuth + the network's MQTT broker (net/remote.h); needs the 0xai */
};

struct r1_action {
    enum r1_action_id id;
    const char *name;      /* "restart": CLI subcommand, audit log, key help */
    int key;               /* the key that asks for it on node screens (a plain char) */
    const char *label;     /* key-bar text: "Restart" */
    const char *help;      /* one line for the help screen */
    /* The question the confirm dialog asks, with %s for the node's name; NULL = no question
     * (the action changes nothing). Says the consequence, not just the verb. */
    const char *confirm;
    bool changes_node;     /* forbidden under --readonly; logged */
    enum r1_action_backend backend;
    /* Docker exec actions: the node command run inside its container (docs/protocol.md §8.1),
     * by its name in transport_ssh_node_command, its operands coming from the intent's arg;
     * NULL for the others. */
    const char *exec;
    int min_args, max_args;   /* operands in arg: "ADDRESS [ALIAS]" is 1..2 */
};

extern const struct r1_action actions_table[R1_ACT_COUNT];

const struct r1_action *actions_get(int id);
const struct r1_action *actions_by_key(int key);

/* Why an action cannot run on this node now, as data. */
enum r1_act_refusal {
    R1_ACT_OK,
    R1_ACT_READONLY,      /* --readonly */
    R1_ACT_UNCONFIRMED,   /* a changing action without a confirmation */
    R1_ACT_NO_BACKEND,    /* e.g. no Docker socket or container configured for this node */
    R1_ACT_BUSY,          /* the same action is already running on this node */
    R1_ACT_UNKNOWN,       /* no such action or node */
    R1_ACT_BAD_ARG,       /* an operand that fails its check (an address, an alias) */
    R1_ACT_NO_ADDRESS,    /* a network action on a node whose 0xai_ address is not known */
};
/* A person's sentence for a refusal ("read-only mode: restart is not allowed"). */
const char *actions_refusal_text(enum r1_act_refusal r);

/* The action's question with the node's name in it ("Restart the container of gpu-1? ...");
 * the table's texts say %s for the node and %a for the operands (arg, may be NULL). */
void actions_question(const struct r1_action *a, const char *node, const char *arg, char *dst,
                      size_t dst_size);
/* The same for one node, followed by the path a container action will take there
 * (hostpath.h): the docker CLI over ssh, or the systemd unit and what a restart through it
 * does. */
void actions_question_node(const struct r1_action *a, const struct r1_node *n, const char *arg,
                           char *dst, size_t dst_size);

/* Check the operands of an action (arg: space-separated) before anything is sent: their count,
 * and each one (a node address, an alias). 0, or -1 with err in words. */
int actions_check_arg(const struct r1_action *a, const char *arg, char *err);

/* May this intent run on node n? Enforced here, below every frontend: --readonly forbids
 * changing actions, a changing action needs confirmed, a backend needs its configuration.
 * n is NULL for a fleet-wide action (R1_BACKEND_CONFIG). */
enum r1_act_refusal actions_check(const struct r1_action *a, const struct r1_node *n,
                                  bool readonly, bool confirmed);

struct r1_request;
/* The one-shot request for a backend action's current step (Docker: POST
 * /containers/<name>/restart on the node's socket, or a command on its host for the other
 * paths of hostpath.h; an exec's create, start or inspect, or over ssh its one docker exec). The node's manage block holds the
 * steps' state and the body. 0, or <0 with err. */
int actions_prepare(const struct r1_action *a, struct r1_node *n, struct r1_request *req,
                    char *err);

/* The outcome of a one-shot request, as the poller saw it. */
struct r1_act_reply {
    long http_code;          /* 0 when no HTTP answer came */
    const char *error;       /* transport error in words, or NULL */
    const char *body;        /* the reply body (an API error message is read from it; for a
                              * network action, the node's confirmation in words) */
    size_t len;
    /* A command (docker or systemctl, over ssh:// or local://) rather than an HTTP request:
     * exit_status is its exit status when error is NULL, errs its stderr ("" = none). */
    bool command;
    int exit_status;
    const char *errs;
};
/* A step's reply: true when the action has another step to prepare and submit (an exec's
 * next request), false when it ended and its outcome is in n->act (state, result words,
 * finished_at) and, for the reading actions, in the node's manage block (manage.h). */
struct r1_network;
/* What reading a reply needs beyond the node: the allowed list's oracles are marked from the
 * network's and the config's known oracles, r1top's own identity (me, "" = none) found. */
struct r1_act_env {
    const struct r1_network *net;
    const char (*oracles)[64];   /* R1_ADDR_MAX */
    int n_oracles;
    const char *me;
};
bool actions_reply(struct r1_node *n, const struct r1_action *a, const struct r1_act_reply *r,
                   const struct r1_act_env *env, double now);
/* Carry out an R1_BACKEND_FILE action at once (after actions_begin): its outcome in n->act. */
void actions_run_file(struct r1_node *n, const struct r1_action *a, double now);
/* Record a start (with the operands, "" for none; logs: the lines to read), or a refusal, in
 * n->act. */
void actions_begin(struct r1_node *n, const struct r1_action *a, const char *arg, double now);
void actions_refuse(struct r1_node *n, const struct r1_action *a, enum r1_act_refusal why,
                    double now);

/* The audit log: $XDG_STATE_HOME/r1top/actions.log (else ~/.local/state/r1top/actions.log),
 * created 0600, only ever appended to. One line per event: time, node, action, path, result.
 * R1TOP_ACTIONS_LOG overrides the path (tests). 0, or <0 with err. */
int actions_log_path(char *dst, size_t n, char *err);
int actions_log(const struct r1_node *n, const struct r1_action *a, const char *event,
                double now, char *err);
/* The same line for an action that is not one node's (node is "-" for the fleet): st says how
 * it was carried out and its result. */
int actions_log_status(const char *node, const struct r1_action *a,
                       const struct r1_action_status *st, const char *event, double now,
                       char *err);

#endif
