/* node_actions: what an action key does on the node and fleet screens, for the node shown or
 * selected. The reading actions open their screen (logs, apps: screen_text.h; the allowed list:
 * screen_allowed.h), the alias asks for the new name first, and the rest go to
 * dialog_action_key (a confirmation for a changing action, --readonly's message). One place,
 * so both screens do the same. */
#ifndef R1_UI_NODE_ACTIONS_H
#define R1_UI_NODE_ACTIONS_H

#include "screen.h"

int node_action_key(struct screen_input *in, const struct r1_key *k, const struct r1_node *n);

#endif
