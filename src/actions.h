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
    R1_ACT_RESTART_CONTAINER,  /* Docker POST /containers/<name>/restart */
    R1_ACT_STOP_CONTAINER,     /* Docker POST /containers/<name>/stop */
    R1_ACT_START_CONTAINER,    /* Docker POST /containers/<name>/start */
    R1_ACT_SAVE_NODES,         /* append the nodes added in this session to the config file */
    R1_ACT_NET_STOP,           /* signed STOP over MQTT: the node process exits (§8.7) */
    R1_ACT_NET_RESTART,        /* signed RESTART over MQTT: r1setup hosts reboot (§8.7) */
    R1_ACT_COUNT
};

enum r1_action_backend {
    R1_BACKEND_POLLER,  /* no request of its own: makes the node's jobs due */
    R1_BACKEND_DOCKER,  /* the node's Docker Engine socket */
    R1_BACKEND_CONFIG,  /* the config file (config_append.h): the fleet's, no node's; app.c */
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
    R1_ACT_NO_ADDRESS,    /* a network action on a node whose 0xai_ address is not known */
};
/* A person's sentence for a refusal ("read-only mode: restart is not allowed"). */
const char *actions_refusal_text(enum r1_act_refusal r);

/* The action's question with the node's name in it ("Restart the container of gpu-1? ..."). */
void actions_question(const struct r1_action *a, const char *node, char *dst, size_t dst_size);

/* May this intent run on node n? Enforced here, below every frontend: --readonly forbids
 * changing actions, a changing action needs confirmed, a backend needs its configuration.
 * n is NULL for a fleet-wide action (R1_BACKEND_CONFIG). */
enum r1_act_refusal actions_check(const struct r1_action *a, const struct r1_node *n,
                                  bool readonly, bool confirmed);

struct r1_request;
/* The one-shot request for a backend action (Docker: POST /containers/<name>/restart on the
 * node's socket). 0, or <0 with err. */
int actions_prepare(const struct r1_action *a, const struct r1_node *n, struct r1_request *req,
                    char *err);

/* The outcome of a one-shot request, as the poller saw it. */
struct r1_act_reply {
    long http_code;          /* 0 when no HTTP answer came */
    const char *error;       /* transport error in words, or NULL */
    const char *body;        /* the reply body (an API error message is read from it; for a
                              * network action, the node's confirmation in words) */
    size_t len;
};
/* Record the outcome in n->act (state, result words, finished_at). */
void actions_finish(struct r1_node *n, const struct r1_action *a, const struct r1_act_reply *r,
                    double now);
/* Record a start, or a refusal, in n->act. */
void actions_begin(struct r1_node *n, const struct r1_action *a, double now);
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
