/* screen: the stack and the way a key travels through it (screen.h). */
#include "screen.h"

#include <stdlib.h>

int screen_push(struct screen_stack *st, struct screen *s)
{
    if (!s)
        return 0;
    if (st->n >= SCREEN_STACK_MAX) {
        if (s->ops->destroy)
            s->ops->destroy(s);
        return 0;
    }
    s->dismissed = false;
    st->v[st->n++] = s;
    return 1;
}

void screen_dismiss(struct screen *s)
{
    if (s)
        s->dismissed = true;
}

void screen_reap(struct screen_stack *st)
{
    int kept = 0;
    for (int i = 0; i < st->n; i++) {
        struct screen *s = st->v[i];
        if (s->dismissed) {
            if (s->ops->destroy)
                s->ops->destroy(s);
        } else {
            st->v[kept++] = s;
        }
    }
    st->n = kept;
}

struct screen *screen_top(const struct screen_stack *st)
{
    return st->n > 0 ? st->v[st->n - 1] : NULL;
}

struct screen *screen_below(const struct screen_stack *st, const struct screen *s)
{
    for (int i = st->n - 1; i > 0; i--)
        if (st->v[i] == s)
            return st->v[i - 1];
    return NULL;
}

void screen_stack_free(struct screen_stack *st)
{
    for (int i = 0; i < st->n; i++)
        screen_dismiss(st->v[i]);
    screen_reap(st);
}

struct r1_intent *screen_intent(struct screen_input *in, enum r1_intent_kind kind)
{
    /* a redraw, a quit or a poll of everything asked twice in one round is asked once */
    if (kind != R1_INTENT_ACT)
        for (size_t i = 0; i < in->out->n; i++)
            if (in->out->v[i].kind == kind && in->out->v[i].node_id == R1_NODE_ALL)
                return &in->out->v[i];
    return intents_push(in->out, kind);
}

static int route_table(const struct r1_key *t, size_t n, struct screen *s, struct screen_input *in,
                       int code)
{
    const struct r1_key *k = keys_find(t, n, code);
    return k && k->fn ? k->fn(s, in, code) : 0;
}

int screen_route_key(struct screen_stack *st, struct screen_input *in, int code)
{
    struct screen *top = screen_top(st);
    int taken = 0;
    if (top && top->ops->key)
        taken = top->ops->key(top, in, code);
    if (!taken && top)
        taken = route_table(top->ops->keys, top->ops->n_keys, top, in, code);
    if (!taken && !(top && top->ops->modal))
        taken = route_table(keys_global, keys_global_count, top, in, code);
    if (taken)
        screen_intent(in, R1_INTENT_REDRAW);
    screen_reap(st);
    return taken;
}

void screen_stack_draw(const struct screen_stack *st, const struct screen_frame *fr)
{
    /* from the highest screen that covers the body, up to the top */
    int from = st->n - 1;
    while (from > 0 && st->v[from]->ops->overlay)
        from--;
    for (int i = from < 0 ? 0 : from; i < st->n; i++)
        if (st->v[i]->ops->draw)
            st->v[i]->ops->draw(st->v[i], fr);
}

uint32_t screen_stack_node(const struct screen_stack *st, const struct r1_fleet *f)
{
    for (int i = st->n - 1; i >= 0; i--)
        if (st->v[i]->ops->node)
            return st->v[i]->ops->node(st->v[i], f);
    return R1_NODE_ALL;
}

size_t screen_node_index(const struct r1_fleet *f, uint32_t id)
{
    for (size_t i = 0; i < f->n_nodes; i++)
        if (f->nodes[i].id == id)
            return i;
    return f->n_nodes > 0 ? 0 : f->n_nodes;
}

const struct r1_node *screen_node_by_id(const struct r1_fleet *f, uint32_t id)
{
    size_t i = screen_node_index(f, id);
    return i < f->n_nodes && f->nodes[i].id == id ? &f->nodes[i] : NULL;
}

struct r1_rect screen_body(const struct ui_env *env)
{
    struct r1_rect r = {1, 0, env->rows - 2, env->cols, env->rows > 2 && env->cols > 0};
    if (r.h < 0)
        r.h = 0;
    return r;
}
