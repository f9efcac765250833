/* fleet_edit: the add-node prompt and the save question (fleet_edit.h). The address is checked
 * here with the same parser app.c uses (config_append_parse_node), so a typo is answered at
 * once in words, and app.c checks it again before anything changes. */
#include "fleet_edit.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_append.h"
#include "dialog.h"

#define ADD_TITLE "Add node (address [name])"

/* A node already watched with this name or address; NULL if none. */
static const struct r1_node *watched(const struct r1_fleet *f, const struct r1_node_cfg *nc)
{
    for (size_t i = 0; i < f->n_nodes; i++) {
        const struct r1_node *n = &f->nodes[i];
        if (strcmp(n->name, nc->name) == 0 ||
            (nc->address[0] && strcasecmp(model_node_address(n), nc->address) == 0) ||
            (nc->eth_address[0] && strcasecmp(model_node_eth(n), nc->eth_address) == 0))
            return n;
    }
    return NULL;
}

static void add_submit(void *ctx, const char *text, struct screen_input *in)
{
    struct r1_node_cfg nc;
    char err[R1_ERR_MAX], msg[R1_ERR_MAX + 64];
    const struct r1_node *twin;
    if (strspn(text, " ") == strlen(text))
        return; /* nothing typed: as Esc */
    if (config_append_parse_node(text, &nc, err) < 0) {
        screen_push(in->stack, dialog_message_new("Add node", err));
        return;
    }
    if ((twin = watched(in->f, &nc)) != NULL) {
        snprintf(msg, sizeof msg, "r1top watches this node already, as '%s'.", twin->name);
        if (strcmp(twin->name, nc.name) == 0)
            snprintf(msg, sizeof msg,
                     "A node is named '%s' already; type a name after the "
                     "address.",
                     nc.name);
        screen_push(in->stack, dialog_message_new("Add node", msg));
        return;
    }
    struct r1_intent *it = screen_intent(in, R1_INTENT_ADD_NODE);
    if (it)
        r1_strlcpy(it->arg, text, sizeof it->arg);
}

int fleet_edit_key_add(struct screen *s, struct screen_input *in, int code)
{
    if (in->f->demo) {
        screen_push(in->stack, dialog_message_new("Add node", "The demo's nodes are made up: "
                                                              "start r1top without --demo to "
                                                              "add a node."));
        return 1;
    }
    screen_push(in->stack, dialog_prompt_submit_new(ADD_TITLE, add_submit, NULL));
    return 1;
}

int fleet_edit_key_save(struct screen *s, struct screen_input *in, int code)
{
    const struct r1_fleet *f = in->f;
    const struct r1_action *a = actions_get(R1_ACT_SAVE_NODES);
    if (in->env->readonly) {
        /* no question with no answer; app.c refuses and logs the intent, as for a script */
        screen_push(in->stack, dialog_message_new(a->label, actions_refusal_text(R1_ACT_READONLY)));
        struct r1_intent *it = screen_intent(in, R1_INTENT_ACT);
        if (it)
            it->action = a->id;
        return 1;
    }
    struct r1_node_cfg *nodes = xcalloc(f->n_nodes ? f->n_nodes : 1, sizeof(*nodes));
    size_t n = 0;
    for (size_t i = 0; i < f->n_nodes; i++)
        if (f->nodes[i].unsaved)
            r1_strlcpy(nodes[n++].name, f->nodes[i].name, sizeof(nodes[0].name));
    if (n == 0) {
        screen_push(in->stack, dialog_message_new(a->label, "Nothing to write: no node was "
                                                            "added in this session (a adds "
                                                            "one). r1top writes only those."));
    } else if (!f->config_path[0]) {
        screen_push(in->stack, dialog_message_new(a->label, "There is no config file to write "
                                                            "to: HOME is not set. Start r1top "
                                                            "with -c FILE."));
    } else {
        char what[R1_ERR_MAX];
        config_append_describe(nodes, n, f->config_path, what, sizeof what);
        screen_push(in->stack, dialog_confirm_new(R1_NODE_ALL, what, a->id, NULL));
    }
    free(nodes);
    return 1;
}
