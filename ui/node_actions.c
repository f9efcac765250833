/* node_actions: action keys of the node and fleet screens (node_actions.h). */
#include "node_actions.h"

#include <string.h>

#include "actions.h"
#include "dialog.h"
#include "screen_allowed.h"
#include "screen_text.h"

/* The alias prompt's text, checked before the confirmation (and again in actions.c). ctx is
 * the node's id, carried in the pointer: the prompt outlives no node (nodes never go away). */
static void alias_submit(void *ctx, const char *text, struct screen_input *in)
{
    uint32_t id = (uint32_t)(uintptr_t)ctx;
    size_t i = screen_node_index(in->f, id);
    const struct r1_action *a = actions_get(R1_ACT_ALIAS);
    char err[R1_ERR_MAX];
    if (i >= in->f->n_nodes || strspn(text, " ") == strlen(text))
        return;
    if (actions_check_arg(a, text, err) < 0) {
        screen_push(in->stack, dialog_message_new(a->label, err));
        return;
    }
    screen_push(in->stack, dialog_confirm_node_new(&in->f->nodes[i], a->id, text));
}

int node_action_key(struct screen_input *in, const struct r1_key *k, const struct r1_node *n)
{
    const struct r1_action *a = k ? actions_get(k->action) : NULL;
    if (!n || !a)
        return 1;
    switch (a->id) {
    case R1_ACT_LOGS:
        /* no container on this host to read: the node's own log file, when its files are */
        screen_text_open(in, n,
                         actions_check(a, n, in->env->readonly, true) == R1_ACT_NO_BACKEND &&
                                 actions_check(actions_get(R1_ACT_NODE_LOG), n, true, true) ==
                                     R1_ACT_OK
                             ? SCREEN_TEXT_NODE_LOG
                             : SCREEN_TEXT_LOGS);
        return 1;
    case R1_ACT_APPS:
        screen_text_open(in, n, SCREEN_TEXT_APPS);
        return 1;
    case R1_ACT_ALLOWED:
        screen_allowed_open(in, n);
        return 1;
    case R1_ACT_ALIAS:
        if (!keys_unavailable(k, in->env->readonly)) {
            screen_push(in->stack, dialog_prompt_submit_new("New alias (up to 15 of A-Z a-z 0-9 _ . -)",
                                                            alias_submit,
                                                            (void *)(uintptr_t)n->id));
            return 1;
        }
        break;
    default:
        break;
    }
    return dialog_action_key(in, k, n);
}
