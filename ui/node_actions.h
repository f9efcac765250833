/* node_actions: what an action key does on the node and fleet screens, for the node shown or
 * selected. The reading actions open their screen (logs, apps: screen_text.h; the allowed list:
 * screen_allowed.h), the alias asks for the new name first, and the rest go to
 * dialog_action_key (a confirmation for a changing action, --readonly's message). One place,
 * so both screens do the same. */
#ifndef R1_UI_NODE_ACTIONS_H
#define R1_UI_NODE_ACTIONS_H

#include "actions.h"
#include "screen.h"

int node_action_key(struct screen_input *in, const struct r1_key *k, const struct r1_node *n);

/* The action rows of a node screen's key table, the same on the node screen and the fleet
 * screen (fn: the screen's handler, which finds the node and calls node_action_key). Key,
 * label and help come from actions_table; the bar shows Restart and Logs. */
#define NODE_ACTION_KEYS(fn)                                                                       \
    {{0}, NULL, NULL, fn, KEYF_ACTION, R1_ACT_POLL_NODE},                                          \
    {{0}, NULL, NULL, fn, KEYF_ACTION | KEYF_BAR, R1_ACT_RESTART_CONTAINER},                       \
    {{0}, NULL, NULL, fn, KEYF_ACTION, R1_ACT_STOP_CONTAINER},                                     \
    {{0}, NULL, NULL, fn, KEYF_ACTION, R1_ACT_START_CONTAINER},                                    \
    {{0}, NULL, NULL, fn, KEYF_ACTION | KEYF_BAR, R1_ACT_LOGS},                                    \
    {{0}, NULL, NULL, fn, KEYF_ACTION, R1_ACT_ALLOWED},                                            \
    {{0}, NULL, NULL, fn, KEYF_ACTION, R1_ACT_ALIAS},                                              \
    {{0}, NULL, NULL, fn, KEYF_ACTION, R1_ACT_APPS},                                               \
    {{0}, NULL, NULL, fn, KEYF_ACTION, R1_ACT_NET_STOP},                                           \
    {{0}, NULL, NULL, fn, KEYF_ACTION, R1_ACT_NET_RESTART}

#endif
