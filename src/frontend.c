/* frontend: the intent list the frontend fills and app.c empties (frontend.h). */
#include "frontend.h"

#include <string.h>

struct r1_intent *intents_push(struct r1_intents *in, enum r1_intent_kind kind)
{
    if (in->n >= R1_INTENTS_MAX)
        return NULL;
    struct r1_intent *it = &in->v[in->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->node_id = R1_NODE_ALL;
    return it;
}
