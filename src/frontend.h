/* frontend: the contract between the loop (app.c) and whatever shows the fleet (ui/, or
 * nothing for --once). The frontend reads a const fleet and answers input with intents; it
 * never changes the model and never starts I/O. app.c carries intents out: a poll now, quit,
 * an action on a node or the fleet, which actions.c checks (--readonly, confirmation) before
 * anything runs, or a node to add. No curses here: main.c and app.c include this, never ui/
 * internals. */
#ifndef R1_FRONTEND_H
#define R1_FRONTEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct r1_fleet;

enum r1_intent_kind {
    R1_INTENT_REDRAW,   /* the view changed: draw again */
    R1_INTENT_QUIT,
    R1_INTENT_POLL_NOW, /* node_id == R1_NODE_ALL: every source of every node */
    R1_INTENT_ACT,      /* run actions_table[action] on node_id (actions.h); node_id
                         * R1_NODE_ALL for a fleet-wide one (save-nodes) */
    R1_INTENT_ADD_NODE, /* watch one more node for this session: arg is "ADDRESS [NAME]" as
                         * typed (0xai_ or 0x; app.c checks it again) */
    R1_INTENT_FOLLOW_LOGS, /* arg "on": read node_id's new log lines every few seconds (the
                            * log screen is open); "file": its own log file the same way;
                            * "off": stop */
};

#define R1_NODE_ALL UINT32_MAX
#define R1_INTENT_ARG_MAX 128
#define R1_INTENTS_MAX 16

struct r1_intent {
    enum r1_intent_kind kind;
    uint32_t node_id;  /* struct r1_node.id, stable for the life of the fleet */
    int action;        /* enum r1_action_id (actions.h), for R1_INTENT_ACT */
    bool confirmed;    /* the person answered the action's confirmation (or it needs none) */
    char arg[R1_INTENT_ARG_MAX];
};

/* What one round of input produced, in order. */
struct r1_intents {
    struct r1_intent v[R1_INTENTS_MAX];
    size_t n;
};

/* Append one intent; returns it (zeroed but for kind, and node_id = R1_NODE_ALL, since 0 is a
 * real node's id), or NULL when the round is full (the key is then dropped, never half-done). */
struct r1_intent *intents_push(struct r1_intents *in, enum r1_intent_kind kind);

struct r1_frontend {
    void *ctx;
    int input_fd; /* -1: none */
    /* Read all pending input; append what it asks for to out. */
    void (*on_input)(void *ctx, const struct r1_fleet *f, struct r1_intents *out);
    void (*on_resize)(void *ctx);
    void (*draw)(void *ctx, const struct r1_fleet *f, double now);
};

#endif
