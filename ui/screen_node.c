/* screen_node: the node detail screen (screen_node.h). */
#include "screen_node.h"

#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "node_actions.h"
#include "dialog.h"
#include "fleet_edit.h"
#include "screen_fleet.h"

struct node_screen {
    struct screen base;
    struct node_view v;
};

static const struct r1_node *shown_node(const struct node_screen *ns, const struct r1_fleet *f)
{
    size_t i = screen_node_index(f, ns->v.node_id);
    return i < f->n_nodes ? &f->nodes[i] : NULL;
}

/* The body below the strip or right of the column: where "no nodes" goes. */
static struct r1_rect node_body(const struct ui_env *env)
{
    const struct r1_layout *lay = &env->lay;
    struct r1_rect body = screen_body(env);
    if (lay->nodes.visible && lay->nodes_column) {
        body.x = lay->nodes.w;
        body.w -= lay->nodes.w;
    } else if (lay->nodes.visible) {
        body.y = lay->nodes.y + lay->nodes.h;
        body.h = lay->keybar.y - body.y;
    }
    return body;
}

static void draw_no_nodes(const struct screen_frame *fr, const struct r1_rect *r)
{
    struct r1_cv cv = cv_make(fr->win, r->y, r->x, r->h, r->w, fr->th);
    cv_box(&cv, "No nodes");
    struct r1_cv in = cv_sub(&cv, 1, 2, cv.h - 2, cv.w - 4);
    cv_text(&in, 0, 0, TH_VALUE, "No node to show.");
    int row = 1 + cv_text_wrap(&in, 1, 0, in.h - 3, TH_NA, fr->f->discovery_note);
    cv_text_wrap(&in, row + 1, 0, in.h - row - 1, TH_NORMAL,
                 "Add nodes to ~/.config/r1top/config.yaml (see r1top.yaml.example), "
                 "or try r1top --demo.");
}

static void node_draw(const struct screen *s, const struct screen_frame *fr)
{
    const struct node_screen *ns = (const struct node_screen *)s;
    const struct r1_layout *lay = &fr->env->lay;
    const struct r1_node *n = shown_node(ns, fr->f);
    if (lay->nodes.visible) {
        struct r1_cv ncv =
            cv_make(fr->win, lay->nodes.y, lay->nodes.x, lay->nodes.h, lay->nodes.w, fr->th);
        nodes_draw(&ncv, lay->nodes_column, fr->f, fr->now, n ? n->id : R1_NODE_ALL);
    }
    if (n) {
        panes_draw_all(fr->win, lay, fr->th, fr->f, n, fr->now, fr->env, &ns->v);
    } else {
        struct r1_rect body = node_body(fr->env);
        draw_no_nodes(fr, &body);
    }
}

static uint32_t node_of(const struct screen *s, const struct r1_fleet *f)
{
    const struct r1_node *n = shown_node((const struct node_screen *)s, f);
    return n ? n->id : R1_NODE_ALL;
}

static void node_status(const struct screen *s, const struct r1_fleet *f, char *dst, size_t n)
{
    const struct node_screen *ns = (const struct node_screen *)s;
    dst[0] = '\0';
    if (f->n_nodes > 1)
        snprintf(dst, n, "node %zu/%zu", screen_node_index(f, ns->v.node_id) + 1, f->n_nodes);
}

static int key_node(struct screen *s, struct screen_input *in, int code)
{
    struct node_screen *ns = (struct node_screen *)s;
    const struct r1_fleet *f = in->f;
    if (f->n_nodes < 2)
        return 0;
    size_t i = screen_node_index(f, ns->v.node_id);
    bool next = code == '\t' || code == 'n' || code == KEY_RIGHT;
    i = next ? (i + 1) % f->n_nodes : (i + f->n_nodes - 1) % f->n_nodes;
    screen_node_show(s, f->nodes[i].id);
    return 1;
}

static int key_scroll(struct screen *s, struct screen_input *in, int code)
{
    struct node_screen *ns = (struct node_screen *)s;
    const struct r1_node *n = shown_node(ns, in->f);
    const struct r1_rect *r = &in->env->lay.panes[PANE_WORKLOADS];
    if (!n || !r->visible)
        return 1;
    /* the page the pane shows: from the layout and the node, not from the last frame */
    int page = pane_workloads_page(n, r->h - 2);
    struct pane_workloads_data d = {n, r1_now()};
    table_key(&pane_workloads_table, &d, &ns->v.wl, page, code);
    return 1;
}

static int key_action(struct screen *s, struct screen_input *in, int code)
{
    return node_action_key(in, keys_find(s->ops->keys, s->ops->n_keys, code),
                           shown_node((const struct node_screen *)s, in->f));
}

static int key_list(struct screen *s, struct screen_input *in, int code)
{
    const struct r1_node *n = shown_node((const struct node_screen *)s, in->f);
    struct screen *below = screen_below(in->stack, s);
    if (below && below->ops == &screen_fleet_ops) {
        /* opened from the fleet screen: back to it, on the node shown here */
        screen_fleet_select(below, n ? n->id : R1_NODE_ALL);
        screen_dismiss(s);
    } else {
        screen_push(in->stack, screen_fleet_new(n ? n->id : R1_NODE_ALL));
    }
    return 1;
}

static int key_back(struct screen *s, struct screen_input *in, int code)
{
    if (!screen_below(in->stack, s))
        return 0;
    screen_dismiss(s);
    return 1;
}

static const struct r1_key node_keys[] = {
    {{'\t', 'n', KEY_RIGHT}, "Next", "show the next node", key_node, KEYF_BAR | KEYF_FLEET, 0},
    {{KEY_BTAB, 'p', KEY_LEFT}, NULL, "show the previous node", key_node, KEYF_FLEET, 0},
    {{'l'}, "Nodes", "list every node: sort, filter, pick one", key_list, KEYF_BAR | KEYF_FLEET, 0},
    {{KEY_ESC}, NULL, "go back to the fleet screen", key_back, 0, 0},
    {{KEY_UP, 'k', KEY_DOWN, 'j'}, NULL, "scroll the workloads list by a line", key_scroll, 0, 0},
    {{KEY_PPAGE, KEY_NPAGE}, NULL, "scroll the workloads list by a page", key_scroll, 0, 0},
    {{KEY_HOME, 'g', KEY_END, 'G'},
     NULL,
     "jump to the top or the bottom of the workloads list",
     key_scroll,
     0,
     0},
    NODE_ACTION_KEYS(key_action),
    FLEET_EDIT_KEYS,
};

static void node_destroy(struct screen *s)
{
    free(s);
}

const struct screen_ops screen_node_ops = {
    .name = "node",
    .title = "Node screen",
    .keys = node_keys,
    .n_keys = R1_ARRAY_LEN(node_keys),
    .draw = node_draw,
    .node = node_of,
    .status = node_status,
    .destroy = node_destroy,
};

struct screen *screen_node_new(uint32_t node_id)
{
    struct node_screen *ns = xcalloc(1, sizeof *ns);
    ns->base.ops = &screen_node_ops;
    ns->v.node_id = node_id;
    table_view_init(&ns->v.wl);
    return &ns->base;
}

const struct node_view *screen_node_view(const struct screen *s)
{
    return s && s->ops == &screen_node_ops ? &((const struct node_screen *)s)->v : NULL;
}

void screen_node_show(struct screen *s, uint32_t node_id)
{
    if (!s || s->ops != &screen_node_ops)
        return;
    struct node_screen *ns = (struct node_screen *)s;
    if (ns->v.node_id != node_id)
        table_view_init(&ns->v.wl); /* another node's list starts at its top */
    ns->v.node_id = node_id;
}
