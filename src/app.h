/* app: the one loop. Waits in curl_multi_poll() on every transfer plus the frontend's input
 * fd, with a timeout equal to the time until the next due poll or redraw; SIGWINCH/SIGTERM
 * only set flags. The frontend (ui/, or nothing for --once) is a table of callbacks, so this
 * file never includes curses. Called by main.c. */
#ifndef R1_APP_H
#define R1_APP_H

#include <stdbool.h>

#include "config.h"
#include "frontend.h"
#include "model.h"

#define APP_FOLLOW_S 2.0   /* how often an open log screen reads new lines */

struct r1_app {
    struct r1_config *cfg;
    bool readonly;          /* --readonly: actions.c refuses every changing action */
    bool interrupted;       /* a signal ended --once (or an action) before the end */
    bool scripted;          /* a CLI action (app_act_once): no follow-up actions of its own */
    uint32_t follow_node;   /* the node whose log screen is open (R1_NODE_ALL: none) */
    int follow_action;      /* what it shows: R1_ACT_LOGS or R1_ACT_NODE_LOG */
    double follow_next;     /* monotonic time of its next logs read */
    struct r1_fleet fleet;
    struct r1_poller *poller;
    unsigned wallets_adopted; /* the fleet->wallets_gen whose nodes were added */
};

/* Build the fleet from cfg (or the demo) and the poller. */
int app_init(struct r1_app *app, struct r1_config *cfg, bool demo, char *err);
void app_free(struct r1_app *app);
/* Interactive: run until the frontend asks to quit or SIGTERM/SIGINT/SIGHUP. */
int app_run(struct r1_app *app, const struct r1_frontend *fe, char *err);
/* Carry out one R1_INTENT_ACT intent: actions.c decides whether it may run (--readonly,
 * confirmation, backend); an allowed one becomes a one-shot job and its outcome lands in the
 * node's act status. Changing actions are logged (start, end, refusal). */
void app_apply_intent(struct r1_app *app, const struct r1_intent *in);
/* Scripts: run one action on one node to its end (bounded by timeout_s), with its operands
 * (arg, space-separated, or NULL). 0 when it succeeded,
 * 1 when it failed or was refused (n->act says why). */
int app_act_once(struct r1_app *app, uint32_t node_id, int action, bool confirmed,
                 const char *arg, double timeout_s);
/* Wait seconds while the loop runs (replies still land); false when a signal asked to stop. */
bool app_sleep(struct r1_app *app, double seconds);
/* R1_INTENT_ADD_NODE: watch one more node for this session, from "ADDRESS [NAME]" (0xai_ or
 * ETH; the name defaults to the address shortened). Refused (in the demo, a name or address
 * already watched, not an address) with the reason in fleet.act; never written anywhere until
 * save-nodes. 0, or -1. */
int app_add_node(struct r1_app *app, const char *text);
/* After the poller applied replies (the loops call it): the nodes fleet->wallets list that the
 * fleet does not watch yet join it through app_add_node's path, marked from_wallet and never
 * unsaved (w does not write them). A node that leaves a wallet stays for the session. Waits
 * while a listed node's status file, which may reveal its address, is still unread. Returns
 * how many were added. */
int app_adopt_wallet_nodes(struct r1_app *app);
/* A node by configured name, alias or address (0xai_ or 0x, any case); NULL if none or several. */
struct r1_node *app_find_node(struct r1_app *app, const char *what);
/* Poll every source once, bounded by timeout_s. Returns the number of sources that failed. */
int app_once(struct r1_app *app, double timeout_s);

#endif
