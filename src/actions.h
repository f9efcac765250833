/* actions: the table of things r1top can do to a node, and the one place that decides whether
 * an intent may run. --readonly is enforced here, below any frontend; a changing action runs
 * only when its intent says the person confirmed it. An allowed action becomes a one-shot job
 * on the poller's curl multi handle (method, body, headers), never a nested loop or a blocking
 * call; its outcome lands in the node's action status, and every changing action is logged.
 * Called by app.c (intents), ui/ (keys, confirm texts, key bar) and the CLI subcommands. */
#ifndef R1_ACTIONS_H
#define R1_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct r1_fleet;
struct r1_node;

enum r1_action_id {
    R1_ACT_POLL_NODE,          /* read every source of this node now (changes nothing) */
    R1_ACT_RESTART_CONTAINER,  /* Docker POST /containers/<name>/restart */
    R1_ACT_COUNT
};

enum r1_action_backend {
    R1_BACKEND_POLLER,  /* no request of its own: makes the node's jobs due */
    R1_BACKEND_DOCKER,  /* the node's Docker Engine socket */
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
};
/* A person's sentence for a refusal ("read-only mode: restart is not allowed"). */
const char *actions_refusal_text(enum r1_act_refusal r);

#endif
