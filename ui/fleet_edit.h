/* fleet_edit: the keys that change which nodes r1top watches, for the node screen and the node
 * list. a opens a prompt for a node's 0xai_ or ETH address (and a name): checked as it is
 * accepted (a message says what is wrong), then asked of app.c, which adds the node for this
 * session. w writes the nodes added this session to the config file, after a question that
 * names the file and the nodes. Both answer with intents only; the outcome comes back in
 * fleet->act, which the key bar shows. A screen binds them with FLEET_EDIT_KEYS in its table. */
#ifndef R1_UI_FLEET_EDIT_H
#define R1_UI_FLEET_EDIT_H

#include "actions.h"
#include "keys.h"
#include "screen.h"

int fleet_edit_key_add(struct screen *s, struct screen_input *in, int code);
int fleet_edit_key_save(struct screen *s, struct screen_input *in, int code);

/* The two rows, for a screen's key table (the help, the bar and --keys read them from there). */
#define FLEET_EDIT_KEYS                                                                            \
    {{'a'},                                                                                        \
     NULL,                                                                                         \
     "add a node by its 0xai_ or 0x address (w saves it)",                       \
     fleet_edit_key_add,                                                                           \
     0,                                                                                            \
     0},                                                                                           \
    {                                                                                              \
        {0}, NULL, NULL, fleet_edit_key_save, KEYF_ACTION, R1_ACT_SAVE_NODES                       \
    }

#endif
