/* test_screens: the UI's pure parts, without a terminal — how a key travels through the screen
 * stack (a modal dialog swallows keys, other screens fall through to the global keys, closing
 * a screen returns to the one below with its state), the confirm dialog (exactly one
 * confirmed ACT intent on "y", none on Esc), --readonly (the restart key only says why), the
 * table widget (sort, reverse, filter, selection kept by row id across re-sorts and changed
 * rows, scrolling clamped), the key tables (no key bound twice on one screen) and D29
 * (combining marks drawn in their base character's cell). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "actions.h"
#include "dialog.h"
#include "help.h"
#include "keys.h"
#include "menu.h"
#include "model.h"
#include "panes.h"
#include "screen.h"
#include "screen_fleet.h"
#include "screen_node.h"
#include "table.h"

/* ---- a fleet, an environment and a stack, as ui.c sets them up ------------------------- */

struct rig {
    struct r1_fleet f;
    struct r1_theme th;
    struct ui_env env;
    struct screen_stack st;
    struct r1_intents out;
};

static struct rig *rig_new(int n_nodes, bool readonly)
{
    struct rig *r = calloc(1, sizeof *r);
    model_fleet_init(&r->f, NULL);
    char name[16];
    for (int i = 0; i < n_nodes; i++) {
        snprintf(name, sizeof name, "node-%d", i);
        model_fleet_add(&r->f, name);
    }
    theme_init(&r->th, false, true); /* no colour: no curses calls */
    r->env.th = &r->th;
    r->env.readonly = readonly;
    r->env.rows = 24;
    r->env.cols = 80;
    struct layout_pane_min mins[PANE_COUNT];
    panes_min_sizes(mins);
    layout_compute(24, 80, mins, &r->env.lay);
    screen_push(&r->st, screen_node_new(R1_NODE_ALL));
    return r;
}

static void rig_free(struct rig *r)
{
    screen_stack_free(&r->st);
    model_fleet_free(&r->f);
    free(r);
}

/* Route one key; returns whether something took it. r->out keeps the round's intents. */
static int press(struct rig *r, int code)
{
    struct screen_input in = {&r->f, &r->env, &r->st, &r->out, false};
    return screen_route_key(&r->st, &in, code);
}

static size_t count_kind(const struct r1_intents *out, enum r1_intent_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < out->n; i++)
        n += out->v[i].kind == kind;
    return n;
}

static const char *top_name(const struct rig *r)
{
    const struct screen *s = screen_top(&r->st);
    return s ? s->ops->name : "(none)";
}

static void test_screens_global_keys_reach_through_the_node_screen(void **state)
{
    (void)state;
    struct rig *r = rig_new(3, false);
    assert_true(press(r, 'r'));
    assert_int_equal(count_kind(&r->out, R1_INTENT_POLL_NOW), 1);
    assert_int_equal(r->out.v[0].node_id, R1_NODE_ALL);
    assert_true(press(r, 'q'));
    assert_int_equal(count_kind(&r->out, R1_INTENT_QUIT), 1);
    /* a key nobody binds is not taken and asks for nothing */
    r->out.n = 0;
    assert_false(press(r, 'Z'));
    assert_int_equal(r->out.n, 0);
    rig_free(r);
}

static void test_screens_modal_dialog_swallows_keys(void **state)
{
    (void)state;
    struct rig *r = rig_new(3, false);
    screen_push(&r->st, dialog_message_new("Note", "something happened"));
    assert_string_equal(top_name(r), "message");
    press(r, 'r'); /* global poll: a modal screen lets it go nowhere */
    press(r, KEY_F(10));
    press(r, '\t');
    assert_int_equal(count_kind(&r->out, R1_INTENT_POLL_NOW), 0);
    assert_int_equal(count_kind(&r->out, R1_INTENT_QUIT), 0);
    assert_string_equal(top_name(r), "message");
    assert_true(press(r, KEY_ESC));
    assert_string_equal(top_name(r), "node");
    rig_free(r);
}

static void test_screens_help_closes_back_to_the_node_screen_with_its_state(void **state)
{
    (void)state;
    struct rig *r = rig_new(3, false);
    press(r, '\t');
    press(r, '\t');
    assert_int_equal(screen_stack_node(&r->st, &r->f), r->f.nodes[2].id);
    press(r, '?');
    assert_string_equal(top_name(r), "help");
    /* the help is not modal: F5 still polls; the node keys are not the help's */
    press(r, KEY_F(5));
    assert_int_equal(count_kind(&r->out, R1_INTENT_POLL_NOW), 1);
    press(r, '\t');
    assert_int_equal(screen_stack_node(&r->st, &r->f), r->f.nodes[2].id);
    /* q closes the help first, it does not quit */
    press(r, 'q');
    assert_string_equal(top_name(r), "node");
    assert_int_equal(count_kind(&r->out, R1_INTENT_QUIT), 0);
    assert_int_equal(screen_stack_node(&r->st, &r->f), r->f.nodes[2].id);
    assert_int_equal(screen_node_view(screen_top(&r->st))->node_id, r->f.nodes[2].id);
    press(r, '?');
    press(r, KEY_ESC);
    assert_string_equal(top_name(r), "node");
    press(r, KEY_F(1));
    press(r, KEY_F(1));
    assert_string_equal(top_name(r), "node");
    rig_free(r);
}

static void test_screens_next_and_previous_node_wrap_around(void **state)
{
    (void)state;
    struct rig *r = rig_new(3, false);
    assert_int_equal(screen_stack_node(&r->st, &r->f), r->f.nodes[0].id);
    press(r, KEY_BTAB);
    assert_int_equal(screen_stack_node(&r->st, &r->f), r->f.nodes[2].id);
    press(r, 'n');
    assert_int_equal(screen_stack_node(&r->st, &r->f), r->f.nodes[0].id);
    rig_free(r);
    /* one node: Tab is nobody's */
    r = rig_new(1, false);
    assert_false(press(r, '\t'));
    rig_free(r);
}

static void test_screens_confirm_yes_emits_exactly_one_confirmed_act(void **state)
{
    (void)state;
    struct rig *r = rig_new(3, false);
    press(r, '\t');
    int restart = actions_get(R1_ACT_RESTART_CONTAINER)->key;
    assert_true(press(r, restart));
    assert_string_equal(top_name(r), "confirm");
    assert_int_equal(count_kind(&r->out, R1_INTENT_ACT), 0); /* asking is not doing */
    assert_true(press(r, 'y'));
    assert_string_equal(top_name(r), "node");
    assert_int_equal(count_kind(&r->out, R1_INTENT_ACT), 1);
    const struct r1_intent *it = NULL;
    for (size_t i = 0; i < r->out.n; i++)
        if (r->out.v[i].kind == R1_INTENT_ACT)
            it = &r->out.v[i];
    assert_non_null(it);
    assert_int_equal(it->action, R1_ACT_RESTART_CONTAINER);
    assert_int_equal(it->node_id, r->f.nodes[1].id);
    assert_true(it->confirmed);
    /* Enter confirms too */
    r->out.n = 0;
    press(r, restart);
    press(r, KEY_RETURN);
    assert_int_equal(count_kind(&r->out, R1_INTENT_ACT), 1);
    rig_free(r);
}

static void test_screens_confirm_esc_or_n_cancels_without_intent(void **state)
{
    (void)state;
    struct rig *r = rig_new(2, false);
    int restart = actions_get(R1_ACT_RESTART_CONTAINER)->key;
    press(r, restart);
    assert_string_equal(top_name(r), "confirm");
    press(r, 'x'); /* anything else: still asking */
    press(r, 'q');
    assert_string_equal(top_name(r), "confirm");
    press(r, KEY_ESC);
    assert_string_equal(top_name(r), "node");
    press(r, restart);
    press(r, 'n');
    assert_string_equal(top_name(r), "node");
    assert_int_equal(count_kind(&r->out, R1_INTENT_ACT), 0);
    assert_int_equal(count_kind(&r->out, R1_INTENT_QUIT), 0);
    rig_free(r);
}

static void test_screens_confirm_question_names_node_and_consequence(void **state)
{
    (void)state;
    char q[512];
    dialog_confirm_text(R1_ACT_RESTART_CONTAINER, "r1-gpu-fra-01", NULL, q, sizeof q);
    assert_non_null(strstr(q, "r1-gpu-fra-01"));
    assert_null(strstr(q, "%s"));
    /* the table's text, with the name where its %s was */
    const char *t = actions_get(R1_ACT_RESTART_CONTAINER)->confirm;
    assert_int_equal(strlen(q), strlen(t) - 2 + strlen("r1-gpu-fra-01"));
}

static void test_screens_poll_node_needs_no_question(void **state)
{
    (void)state;
    struct rig *r = rig_new(2, true); /* read-only changes nothing for a poll */
    press(r, 'n');
    r->out.n = 0;
    assert_true(press(r, actions_get(R1_ACT_POLL_NODE)->key));
    assert_string_equal(top_name(r), "node");
    assert_int_equal(count_kind(&r->out, R1_INTENT_ACT), 1);
    assert_int_equal(r->out.v[0].action, R1_ACT_POLL_NODE);
    assert_int_equal(r->out.v[0].node_id, r->f.nodes[1].id);
    assert_true(r->out.v[0].confirmed);
    rig_free(r);
}

/* Under --readonly the key asks nothing and says why; its intent still goes below, unconfirmed,
 * so actions.c refuses and logs it as it does for a script. */
static void test_screens_readonly_restart_key_says_why_and_is_refused_below(void **state)
{
    (void)state;
    struct rig *r = rig_new(2, true);
    const struct screen_ops *node = screen_top(&r->st)->ops;
    int restart = actions_get(R1_ACT_RESTART_CONTAINER)->key;
    const struct r1_key *k = keys_find(node->keys, node->n_keys, restart);
    assert_non_null(k);
    assert_true(keys_unavailable(k, true));
    assert_false(keys_unavailable(k, false));
    press(r, restart);
    assert_string_equal(top_name(r), "message");
    assert_int_equal(count_kind(&r->out, R1_INTENT_ACT), 1);
    assert_false(r->out.v[0].confirmed);
    assert_int_equal(r->out.v[0].action, R1_ACT_RESTART_CONTAINER);
    assert_non_null(strstr(actions_refusal_text(R1_ACT_READONLY), "read-only mode"));
    press(r, KEY_RETURN);
    assert_string_equal(top_name(r), "node");
    rig_free(r);
}

static void test_screens_full_intent_round_drops_the_key(void **state)
{
    (void)state;
    struct rig *r = rig_new(2, false);
    /* a poll of everything, a redraw or a quit is asked once however often it is pressed */
    for (int i = 0; i < 40; i++)
        press(r, 'r');
    assert_int_equal(r->out.n, 2);
    assert_int_equal(count_kind(&r->out, R1_INTENT_POLL_NOW), 1);
    assert_int_equal(count_kind(&r->out, R1_INTENT_REDRAW), 1);
    for (int i = 0; i < 40; i++)
        press(r, 'u');
    assert_int_equal(r->out.n, R1_INTENTS_MAX);
    /* with the round full, "yes" cannot be carried out: the dialog stays and asks again */
    press(r, actions_get(R1_ACT_RESTART_CONTAINER)->key);
    press(r, 'y');
    assert_string_equal(top_name(r), "confirm");
    r->out.n = 0;
    press(r, 'y');
    assert_string_equal(top_name(r), "node");
    assert_int_equal(count_kind(&r->out, R1_INTENT_ACT), 1);
    rig_free(r);
}

static void test_screens_stack_never_overflows(void **state)
{
    (void)state;
    struct rig *r = rig_new(1, false);
    for (int i = 0; i < SCREEN_STACK_MAX + 4; i++)
        press(r, '?'); /* the help's own ? closes it, so the stack only ever holds two */
    assert_true(r->st.n <= 2);
    for (int i = 0; i < SCREEN_STACK_MAX + 4; i++)
        screen_push(&r->st, dialog_message_new("x", "y"));
    assert_int_equal(r->st.n, SCREEN_STACK_MAX);
    rig_free(r);
}

/* Every table: a code is bound once (a second binding would never be reached), and every key
 * has help text for the help screen and --keys. */
static void check_table(const char *what, const struct r1_key *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!keys_help(&t[i])[0])
            fail_msg("%s: key %zu has no help text", what, i);
        for (int j = 0; keys_code(&t[i], j); j++) {
            const struct r1_key *first = keys_find(t, n, keys_code(&t[i], j));
            if (first != &t[i])
                fail_msg("%s: code %d bound twice", what, keys_code(&t[i], j));
        }
    }
}

static void test_screens_no_key_bound_twice_on_a_screen(void **state)
{
    (void)state;
    check_table("global", keys_global, keys_global_count);
    const struct screen_ops *ops[] = {
        &screen_node_ops,    &screen_fleet_ops,  &help_screen_ops, &dialog_confirm_ops,
        &dialog_message_ops, &dialog_prompt_ops, &menu_ops};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        check_table(ops[i]->name, ops[i]->keys, ops[i]->n_keys);
}

static void test_screens_keys_list_has_every_screen(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    help_print_keys(f);
    fclose(f);
    assert_non_null(strstr(buf, "Everywhere:\n"));
    assert_non_null(strstr(buf, "\nNode screen:\n"));
    assert_non_null(strstr(buf, "\nConfirm dialog:\n"));
    /* the action rows come from actions_table */
    assert_non_null(strstr(buf, actions_get(R1_ACT_RESTART_CONTAINER)->help));
    assert_non_null(strstr(buf, actions_get(R1_ACT_POLL_NODE)->help));
    free(buf);
}

/* ---- the node list ----------------------------------------------------------------------- */

static void test_fleet_list_enter_shows_the_selected_node(void **state)
{
    (void)state;
    struct rig *r = rig_new(5, false);
    press(r, 'n'); /* node 1 on the node screen */
    press(r, 'l');
    assert_string_equal(top_name(r), "fleet");
    /* the list starts on the node shown, and follows it when sorted the other way round */
    assert_int_equal(screen_fleet_view(screen_top(&r->st))->sel_id, r->f.nodes[1].id);
    press(r, '>');        /* by NODE */
    press(r, KEY_F(6));   /* the sort menu opens on NODE ... */
    press(r, KEY_RETURN); /* ... and NODE again is the other way round */
    press(r, KEY_DOWN); /* reversed by name: node-4 node-3 node-2 node-1 node-0 */
    press(r, KEY_RETURN);
    assert_string_equal(top_name(r), "node");
    assert_int_equal(r->st.n, 1); /* back to the node screen it was opened from */
    assert_int_equal(screen_stack_node(&r->st, &r->f), r->f.nodes[0].id);
    rig_free(r);
}

static void test_fleet_list_filter_prompt_is_incremental_and_esc_restores(void **state)
{
    (void)state;
    struct rig *r = rig_new(12, false); /* node-0 .. node-11 */
    press(r, 'l');
    press(r, '/');
    assert_string_equal(top_name(r), "prompt");
    press(r, '1');
    const struct table_view *tv = screen_fleet_view(r->st.v[r->st.n - 2]);
    assert_string_equal(tv->filter, "1"); /* applied as it is typed */
    press(r, '1');
    press(r, 'q'); /* typed, not quit */
    assert_int_equal(count_kind(&r->out, R1_INTENT_QUIT), 0);
    press(r, KEY_BACKSPACE);
    assert_string_equal(tv->filter, "11");
    press(r, KEY_RETURN);
    assert_string_equal(top_name(r), "fleet");
    struct table_pos pos;
    struct fleet_table_data d = {&r->f, 0, NULL};
    table_resolve(&screen_fleet_table, &d, tv, 10, &pos);
    assert_int_equal(pos.n, 1);
    /* a second filter cancelled with Esc goes back to "11" */
    press(r, '/');
    press(r, KEY_BACKSPACE);
    press(r, KEY_BACKSPACE);
    press(r, 'x');
    assert_string_equal(tv->filter, "x");
    press(r, KEY_ESC);
    assert_string_equal(tv->filter, "11");
    /* Esc on the list drops the filter first, then goes back */
    press(r, KEY_ESC);
    assert_string_equal(tv->filter, "");
    assert_string_equal(top_name(r), "fleet");
    press(r, KEY_ESC);
    assert_string_equal(top_name(r), "node");
    assert_int_equal(screen_stack_node(&r->st, &r->f), r->f.nodes[0].id);
    rig_free(r);
}

static void test_fleet_list_as_the_bottom_screen_opens_a_node_screen(void **state)
{
    (void)state;
    /* the next issue's shape: the list at the bottom, Enter opens a node screen over it, and
     * when that closes the list is as it was (selection and scroll) */
    struct rig *r = rig_new(30, false);
    screen_stack_free(&r->st);
    screen_push(&r->st, screen_fleet_new(R1_NODE_ALL));
    for (int i = 0; i < 25; i++)
        press(r, KEY_DOWN);
    struct table_view before = *screen_fleet_view(screen_top(&r->st));
    press(r, KEY_RETURN);
    assert_string_equal(top_name(r), "node");
    assert_int_equal(r->st.n, 2);
    assert_int_equal(screen_stack_node(&r->st, &r->f), r->f.nodes[25].id);
    press(r, '?');
    press(r, KEY_ESC);
    press(r, '\t'); /* another node on the node screen changes nothing in the list */
    press(r, KEY_ESC);
    assert_string_equal(top_name(r), "fleet");
    const struct table_view *after = screen_fleet_view(screen_top(&r->st));
    assert_int_equal(after->sel_id, before.sel_id);
    assert_int_equal(after->top, before.top);
    assert_false(press(r, KEY_ESC)); /* nothing below the list: Esc is nobody's */
    rig_free(r);
}

/* ---- the fleet screen (issue 7) ----------------------------------------------------------- */

/* A rig whose only screen is the fleet screen, as ui.c starts it for several nodes. */
static struct rig *fleet_rig(int n_nodes)
{
    struct rig *r = rig_new(n_nodes, false);
    screen_stack_free(&r->st);
    screen_push(&r->st, screen_fleet_start(&r->f));
    return r;
}

/* Node i can claim wei_r1 R1 (hundredths), or nothing is known when wei_r1 < 0. */
static void claimable(struct r1_node *n, int hundredths)
{
    if (hundredths < 0) {
        n->rew.poa_status = R1_REW_UNKNOWN;
        return;
    }
    n->rew.poa_status = R1_REW_OK;
    n->rew.poa_claimable_wei = (r1_u128)hundredths * (r1_u128)10000000000000000ULL;
}

/* The node names in the fleet screen's view order, joined with spaces. */
static void fleet_order(const struct rig *r, const struct table_view *v, char *dst, size_t n)
{
    struct fleet_table_data d = {&r->f, 0, NULL};
    size_t *o;
    size_t k = table_order(&screen_fleet_table, &d, v, &o);
    dst[0] = '\0';
    for (size_t i = 0; i < k; i++)
        snprintf(dst + strlen(dst), n - strlen(dst), "%s%s", i ? " " : "", r->f.nodes[o[i]].name);
    free(o);
}

static const struct table_view *fleet_view_of(const struct rig *r)
{
    for (int i = r->st.n - 1; i >= 0; i--)
        if (screen_fleet_view(r->st.v[i]))
            return screen_fleet_view(r->st.v[i]);
    return NULL;
}

static void test_fleet_screen_starts_with_several_nodes_only(void **state)
{
    (void)state;
    struct rig *r = rig_new(3, false);
    struct screen *s = screen_fleet_start(&r->f);
    assert_string_equal(s->ops->name, "fleet");
    s->ops->destroy(s);
    rig_free(r);
    r = rig_new(1, false);
    s = screen_fleet_start(&r->f);
    assert_string_equal(s->ops->name, "node");
    s->ops->destroy(s);
    rig_free(r);
    r = rig_new(0, false);
    s = screen_fleet_start(&r->f);
    assert_string_equal(s->ops->name, "node"); /* it says how to add one */
    s->ops->destroy(s);
    rig_free(r);
}

/* F6 opens the sort menu on the current column; CLAIMABLE sorts the biggest first with the
 * unknown last, exactly on 128-bit amounts; picking it again turns it round. */
static void test_fleet_sort_menu_by_claimable_and_again_reversed(void **state)
{
    (void)state;
    struct rig *r = fleet_rig(5);
    claimable(&r->f.nodes[0], 875);
    claimable(&r->f.nodes[1], 13835);
    claimable(&r->f.nodes[2], -1);
    claimable(&r->f.nodes[3], 2911);
    claimable(&r->f.nodes[4], 2912);
    const struct table_view *tv = fleet_view_of(r);
    char s[256];
    press(r, KEY_F(6));
    assert_string_equal(top_name(r), "menu");
    assert_int_equal(menu_highlighted(screen_top(&r->st)), 0); /* the configured order */
    /* configured order, NODE, STATE, LIC, AVAIL, LAST 7, GPU, CLAIMABLE: the mark column has
     * no title and is not offered */
    for (int i = 0; i < 7; i++)
        press(r, KEY_DOWN);
    press(r, 'q'); /* closes without picking */
    assert_string_equal(top_name(r), "fleet");
    assert_int_equal(tv->sort_col, -1);
    press(r, KEY_F(6));
    for (int i = 0; i < 7; i++)
        press(r, 'j');
    press(r, KEY_RETURN);
    assert_string_equal(top_name(r), "fleet");
    assert_int_equal(tv->sort_col, FC_CLAIM);
    assert_true(tv->sort_desc);
    fleet_order(r, tv, s, sizeof s);
    assert_string_equal(s, "node-1 node-4 node-3 node-0 node-2");
    press(r, KEY_F(6));
    assert_int_equal(menu_highlighted(screen_top(&r->st)), 7);
    press(r, KEY_RETURN);
    assert_false(tv->sort_desc);
    fleet_order(r, tv, s, sizeof s);
    assert_string_equal(s, "node-2 node-0 node-3 node-4 node-1");
    /* amounts past 64 bits still order exactly: 2^64 + 1 wei (about 18.45 R1) over 2^64 */
    r->f.nodes[0].rew.poa_claimable_wei = ((r1_u128)1 << 64) + 1;
    r->f.nodes[1].rew.poa_claimable_wei = (r1_u128)1 << 64;
    fleet_order(r, tv, s, sizeof s);
    assert_string_equal(s, "node-2 node-1 node-0 node-3 node-4");
    rig_free(r);
}

/* < and > walk the configured order and every titled column; figures start the biggest first,
 * words from A. */
static void test_fleet_sort_keys_walk_the_columns(void **state)
{
    (void)state;
    struct rig *r = fleet_rig(3);
    const struct table_view *tv = fleet_view_of(r);
    press(r, '>');
    assert_int_equal(tv->sort_col, FC_NODE);
    assert_false(tv->sort_desc);
    press(r, '<');
    assert_int_equal(tv->sort_col, -1);
    press(r, '<');
    assert_int_equal(tv->sort_col, FC_PROBLEM);
    assert_true(tv->sort_desc);
    press(r, '<');
    assert_int_equal(tv->sort_col, FC_TRUST);
    for (int i = 0; i < 2; i++)
        press(r, '<');
    assert_int_equal(tv->sort_col, FC_CLAIM);
    assert_true(tv->sort_desc);
    for (int i = 0; i < 3; i++)
        press(r, '>');
    assert_int_equal(tv->sort_col, FC_PROBLEM);
    press(r, '>');
    assert_int_equal(tv->sort_col, -1);
    rig_free(r);
}

/* PROBLEM sorts the most urgent first (model.h's ranking), and a row with a problem is marked
 * in its own column ("!" bad, "*" a warning) so it reads without colour. */
static void test_fleet_problem_rows_are_marked_and_sort_by_urgency(void **state)
{
    (void)state;
    struct rig *r = fleet_rig(4);
    r->f.nodes[1].status.problem.kind = R1_PROB_SOURCE_ERROR;
    r->f.nodes[1].status.problem.src = -1;
    r->f.nodes[2].status.problem.kind = R1_PROB_OFFLINE;
    r->f.nodes[2].status.problem.age_s = 7200;
    r->f.nodes[3].status.problem.kind = R1_PROB_STALE;
    r->f.nodes[3].status.problem.age_s = 60;
    r->f.nodes[3].status.problem.src = -1;
    struct fleet_table_data d = {&r->f, 0, NULL};
    char cell[TABLE_CELL_MAX];
    enum th_role role;
    static const char *const mark[] = {" ", "*", "!", "*"};
    static const enum th_role roles[] = {TH_NORMAL, TH_WARN, TH_BAD, TH_WARN};
    for (int i = 0; i < 4; i++) {
        role = TH_NORMAL;
        screen_fleet_table.cell(&d, (size_t)i, FC_MARK, cell, sizeof cell, &role);
        assert_string_equal(cell, mark[i]);
        assert_int_equal(role, roles[i]);
        role = TH_NORMAL;
        screen_fleet_table.cell(&d, (size_t)i, FC_NODE, cell, sizeof cell, &role);
        if (i > 0) /* the row is coloured through its name */
            assert_int_equal(role, roles[i]);
    }
    screen_fleet_table.cell(&d, 2, FC_PROBLEM, cell, sizeof cell, &role);
    assert_string_equal(cell, "offline 2 h");
    const struct table_view *tv = fleet_view_of(r);
    press(r, '<'); /* PROBLEM */
    char s[256];
    fleet_order(r, tv, s, sizeof s);
    assert_string_equal(s, "node-2 node-3 node-1 node-0");
    rig_free(r);
}

/* The filter matches the configured name, the alias and both addresses, case aside; \ clears
 * it; the selection follows its node across filters. */
static void test_fleet_filter_name_alias_addresses_and_backslash_clears(void **state)
{
    (void)state;
    struct rig *r = fleet_rig(4);
    struct r1_node *n = &r->f.nodes[2];
    snprintf(n->info.alias, sizeof n->info.alias, "gpu-frankfurt");
    R1_MARK(&n->info, INFO_ALIAS);
    snprintf(r->f.nodes[1].addr_cfg, sizeof r->f.nodes[1].addr_cfg,
             "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty");
    snprintf(r->f.nodes[3].eth_cfg, sizeof r->f.nodes[3].eth_cfg,
             "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69");
    const struct table_view *tv = fleet_view_of(r);
    char s[256];
    static const struct {
        const char *typed, *rows;
    } cases[] = {
        {"FRANK", "node-2"},
        {"0xai_Ajc", "node-1"},
        {"bf0bdbdf", "node-3"},
        {"node-", "node-0 node-1 node-2 node-3"},
        {"zzz", ""},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        press(r, '/');
        for (const char *p = cases[c].typed; *p; p++)
            press(r, *p);
        press(r, KEY_RETURN);
        fleet_order(r, tv, s, sizeof s);
        if (strcmp(s, cases[c].rows) != 0)
            fail_msg("filter \"%s\": rows \"%s\", expected \"%s\"", cases[c].typed, s,
                     cases[c].rows);
        press(r, '\\');
        assert_string_equal(tv->filter, "");
    }
    /* the node's name cell shows its alias in brackets */
    struct fleet_table_data d = {&r->f, 0, NULL};
    char cell[TABLE_CELL_MAX];
    enum th_role role = TH_NORMAL;
    screen_fleet_table.cell(&d, 2, FC_NODE, cell, sizeof cell, &role);
    assert_string_equal(cell, "node-2 [gpu-frankfurt]");
    /* selection by id: node-3 stays selected through a filter that keeps it */
    press(r, 'G');
    assert_int_equal(tv->sel_id, r->f.nodes[3].id);
    press(r, '/');
    press(r, '3');
    press(r, KEY_RETURN);
    press(r, '\\');
    size_t row;
    assert_true(table_selected_row(&screen_fleet_table, &d, tv, &row));
    assert_int_equal(row, 3);
    rig_free(r);
}

/* Enter shows the node on a node screen over the list; Esc there comes back to the list as it
 * was, sorted and scrolled, the same node selected; l comes back on the node it shows. */
static void test_fleet_enter_and_esc_keep_sort_selection_and_scroll(void **state)
{
    (void)state;
    struct rig *r = fleet_rig(40);
    for (int i = 0; i < 40; i++)
        claimable(&r->f.nodes[i], (i * 37) % 100);
    press(r, KEY_F(6));
    for (int i = 0; i < 7; i++)
        press(r, KEY_DOWN);
    press(r, KEY_RETURN);
    for (int i = 0; i < 30; i++)
        press(r, KEY_DOWN);
    struct table_view before = *fleet_view_of(r);
    struct fleet_table_data d = {&r->f, 0, NULL};
    size_t row;
    assert_true(table_selected_row(&screen_fleet_table, &d, &before, &row));
    press(r, KEY_RETURN);
    assert_string_equal(top_name(r), "node");
    assert_int_equal(screen_stack_node(&r->st, &r->f), r->f.nodes[row].id);
    press(r, KEY_ESC);
    assert_string_equal(top_name(r), "fleet");
    const struct table_view *after = fleet_view_of(r);
    assert_int_equal(after->sel_id, before.sel_id);
    assert_int_equal(after->top, before.top);
    assert_int_equal(after->sort_col, FC_CLAIM);
    assert_true(after->sort_desc);
    /* l there comes back too, on the node it showed */
    press(r, KEY_RETURN);
    press(r, '\t');
    uint32_t shown = screen_stack_node(&r->st, &r->f);
    assert_int_not_equal(shown, before.sel_id);
    press(r, 'l');
    assert_string_equal(top_name(r), "fleet");
    assert_int_equal(r->st.n, 1);
    assert_int_equal(fleet_view_of(r)->sel_id, shown);
    rig_free(r);
}

/* The totals line: up, stale, down and unknown counted apart, the claimable summed exactly
 * over the nodes that have a figure, both over the rows the filter keeps. */
static void test_fleet_totals_count_states_and_sum_claimable(void **state)
{
    (void)state;
    struct rig *r = fleet_rig(12); /* node-0 .. node-11 */
    static const enum r1_online st[] = {R1_ONLINE_YES, R1_ONLINE_YES, R1_ONLINE_STALE, R1_ONLINE_NO,
                                        R1_ONLINE_UNKNOWN};
    for (int i = 0; i < 12; i++) {
        r->f.nodes[i].status.online = st[i % 5];
        claimable(&r->f.nodes[i], i == 4 ? -1 : 100 * i);
    }
    struct fleet_table_data d = {&r->f, 0, NULL};
    struct fleet_totals t;
    screen_fleet_totals(&d, fleet_view_of(r), &t);
    assert_int_equal(t.shown, 12);
    assert_int_equal(t.total, 12);
    assert_int_equal(t.up, 6); /* i % 5 in {0, 1}: 0 1 5 6 10 11 */
    assert_int_equal(t.stale, 2);
    assert_int_equal(t.down, 2);
    assert_int_equal(t.unknown, 2);
    assert_int_equal(t.claim_known, 11);
    /* (0 + 1 + 2 + 3 + 5 + ... + 11) R1 = 66 - 4 = 62 R1 */
    assert_true(t.claimable_wei == (r1_u128)62 * (r1_u128)1000000000000000000ULL);
    press(r, '/');
    press(r, '1'); /* node-1, node-10, node-11 */
    press(r, KEY_RETURN);
    screen_fleet_totals(&d, fleet_view_of(r), &t);
    assert_int_equal(t.shown, 3);
    assert_int_equal(t.up, 3);
    assert_int_equal(t.unknown, 0);
    assert_true(t.claimable_wei == (r1_u128)22 * (r1_u128)1000000000000000000ULL);
    rig_free(r);
}

/* ---- the table widget ------------------------------------------------------------------ */

struct trow {
    uint64_t id;
    char name[16];
    int num;
};
struct tdata {
    struct trow rows[32];
    size_t n;
};

static size_t t_n(const void *d)
{
    return ((const struct tdata *)d)->n;
}
static uint64_t t_id(const void *d, size_t i)
{
    return ((const struct tdata *)d)->rows[i].id;
}
static void t_cell(const void *d, size_t i, int col, char *dst, size_t n, enum th_role *role)
{
    const struct trow *r = &((const struct tdata *)d)->rows[i];
    if (col == 0)
        snprintf(dst, n, "%s", r->name);
    else
        snprintf(dst, n, "%d", r->num);
}
static const struct table_col t_cols[2] = {
    {"NAME", 4, 16, 0, false, false, NULL},
    {"NUM", 3, 6, 1, true, false, NULL},
};
static const struct table_spec t_spec = {
    .cols = t_cols,
    .n_cols = 2,
    .n_rows = t_n,
    .row_id = t_id,
    .cell = t_cell,
    .selectable = true,
    .group_col = -1,
};

static void tdata_fill(struct tdata *d, size_t n)
{
    static const char *names[] = {"delta", "alpha", "Charlie", "bravo", "echo", "foxtrot"};
    memset(d, 0, sizeof *d);
    d->n = n;
    for (size_t i = 0; i < n; i++) {
        d->rows[i].id = 100 + i;
        snprintf(d->rows[i].name, sizeof d->rows[i].name, "%s%s", names[i % 6], i >= 6 ? "x" : "");
        d->rows[i].num = (int)((i * 7) % 10) - 3; /* -3 4 1 -2 5 2 ... : numbers, not text */
    }
}

/* The names in view order, joined with spaces. */
static void order_names(const struct tdata *d, const struct table_view *v, char *dst, size_t n)
{
    size_t *o;
    size_t k = table_order(&t_spec, d, v, &o);
    dst[0] = '\0';
    for (size_t i = 0; i < k; i++)
        snprintf(dst + strlen(dst), n - strlen(dst), "%s%s", i ? " " : "", d->rows[o[i]].name);
    free(o);
}

static void test_table_sort_by_column_and_reverse(void **state)
{
    (void)state;
    struct tdata d;
    tdata_fill(&d, 5);
    struct table_view v;
    table_view_init(&v);
    char s[256];
    order_names(&d, &v, s, sizeof s);
    assert_string_equal(s, "delta alpha Charlie bravo echo"); /* the rows' own order */
    table_sort_by(&v, 0);
    order_names(&d, &v, s, sizeof s);
    assert_string_equal(s, "alpha bravo Charlie delta echo"); /* case does not split */
    table_sort_by(&v, 0);
    assert_true(v.sort_desc);
    order_names(&d, &v, s, sizeof s);
    assert_string_equal(s, "echo delta Charlie bravo alpha");
    table_sort_by(&v, 1); /* numbers as numbers: -3 -2 1 4 5 */
    assert_false(v.sort_desc);
    order_names(&d, &v, s, sizeof s);
    assert_string_equal(s, "delta bravo Charlie alpha echo");
    /* < and > walk the columns through "own order" */
    table_sort_step(&v, &t_spec, 1);
    assert_int_equal(v.sort_col, -1);
    table_sort_step(&v, &t_spec, -1);
    assert_int_equal(v.sort_col, 1);
}

static void test_table_filter_is_a_case_insensitive_substring(void **state)
{
    (void)state;
    struct tdata d;
    tdata_fill(&d, 6);
    struct table_view v;
    table_view_init(&v);
    char s[256];
    table_set_filter(&v, "A");
    order_names(&d, &v, s, sizeof s);
    assert_string_equal(s, "delta alpha Charlie bravo");
    table_set_filter(&v, "ch");
    order_names(&d, &v, s, sizeof s);
    assert_string_equal(s, "Charlie echo");
    table_set_filter(&v, "-3"); /* any cell: the NUM column too */
    order_names(&d, &v, s, sizeof s);
    assert_string_equal(s, "delta");
    table_set_filter(&v, "nothing like it");
    struct table_pos pos;
    table_resolve(&t_spec, &d, &v, 5, &pos);
    assert_int_equal(pos.n, 0);
    assert_int_equal(pos.total, 6);
    assert_false(pos.has_sel);
    size_t row;
    assert_false(table_selected_row(&t_spec, &d, &v, &row));
}

static void test_table_selection_follows_its_row_across_resort_and_changes(void **state)
{
    (void)state;
    struct tdata d;
    tdata_fill(&d, 5);
    struct table_view v;
    table_view_init(&v);
    size_t row;
    assert_true(table_selected_row(&t_spec, &d, &v, &row));
    assert_int_equal(row, 0); /* nothing chosen yet: the first row */
    table_key(&t_spec, &d, &v, 10, KEY_DOWN);
    table_key(&t_spec, &d, &v, 10, KEY_DOWN); /* Charlie, id 102 */
    assert_int_equal(v.sel_id, 102);
    table_sort_by(&v, 0);
    assert_true(table_selected_row(&t_spec, &d, &v, &row));
    assert_string_equal(d.rows[row].name, "Charlie");
    table_sort_by(&v, 0);
    assert_true(table_selected_row(&t_spec, &d, &v, &row));
    assert_string_equal(d.rows[row].name, "Charlie");
    /* a refresh that brings rows in a new order and without others keeps it too */
    struct trow charlie = d.rows[2];
    d.rows[2] = d.rows[4];
    d.rows[0] = charlie;
    d.n = 3;
    table_view_init(&v);
    v.has_sel = true;
    v.sel_id = 102;
    v.sel_hint = 2;
    assert_true(table_selected_row(&t_spec, &d, &v, &row));
    assert_int_equal(row, 0);
    /* its row gone: the selection stays where it was, clamped */
    d.rows[0] = d.rows[1];
    d.n = 2;
    assert_true(table_selected_row(&t_spec, &d, &v, &row));
    assert_int_equal(row, 1);
    /* a filter that hides it: the first row that passes */
    tdata_fill(&d, 5);
    table_view_init(&v);
    v.has_sel = true;
    v.sel_id = 101; /* alpha */
    table_set_filter(&v, "e");
    assert_true(table_selected_row(&t_spec, &d, &v, &row));
    assert_true(strchr(d.rows[row].name, 'e') != NULL);
}

static void test_table_scrolling_clamps(void **state)
{
    (void)state;
    struct tdata d;
    tdata_fill(&d, 20);
    struct table_view v;
    table_view_init(&v);
    struct table_pos pos;
    /* selection moves and the page follows it */
    table_key(&t_spec, &d, &v, 5, KEY_UP);
    table_resolve(&t_spec, &d, &v, 5, &pos);
    assert_int_equal(pos.sel, 0);
    assert_int_equal(pos.top, 0);
    table_key(&t_spec, &d, &v, 5, KEY_NPAGE);
    table_resolve(&t_spec, &d, &v, 5, &pos);
    assert_int_equal(pos.sel, 4);
    assert_int_equal(pos.top, 0);
    table_key(&t_spec, &d, &v, 5, KEY_DOWN);
    table_resolve(&t_spec, &d, &v, 5, &pos);
    assert_int_equal(pos.sel, 5);
    assert_int_equal(pos.top, 1);
    for (int i = 0; i < 10; i++)
        table_key(&t_spec, &d, &v, 5, KEY_NPAGE);
    table_resolve(&t_spec, &d, &v, 5, &pos);
    assert_int_equal(pos.sel, 19);
    assert_int_equal(pos.top, 15);
    table_key(&t_spec, &d, &v, 5, 'g');
    table_resolve(&t_spec, &d, &v, 5, &pos);
    assert_int_equal(pos.sel, 0);
    assert_int_equal(pos.top, 0);
    table_key(&t_spec, &d, &v, 5, KEY_END);
    table_resolve(&t_spec, &d, &v, 5, &pos);
    assert_int_equal(pos.sel, 19);
    /* the rows shrink under the view: both clamp, nothing is written back */
    d.n = 3;
    table_resolve(&t_spec, &d, &v, 5, &pos);
    assert_int_equal(pos.sel, 2);
    assert_int_equal(pos.top, 0);
    assert_int_equal(v.top, 15);

    /* a list without selection scrolls its first row, within [0, n - page] */
    struct table_spec plain = t_spec;
    plain.selectable = false;
    tdata_fill(&d, 20);
    table_view_init(&v);
    table_key(&plain, &d, &v, 5, KEY_UP);
    assert_int_equal(v.top, 0);
    table_key(&plain, &d, &v, 5, KEY_DOWN);
    assert_int_equal(v.top, 1);
    table_key(&plain, &d, &v, 5, KEY_NPAGE);
    assert_int_equal(v.top, 5);
    table_key(&plain, &d, &v, 5, 'G');
    assert_int_equal(v.top, 15);
    table_key(&plain, &d, &v, 5, KEY_NPAGE);
    assert_int_equal(v.top, 15);
    table_key(&plain, &d, &v, 5, KEY_HOME);
    assert_int_equal(v.top, 0);
    assert_false(table_key(&plain, &d, &v, 5, 'x'));
}

static void test_table_drops_columns_by_priority_when_narrow(void **state)
{
    (void)state;
    int want[2] = {10, 6}, cw[2];
    table_widths(&t_spec, want, 40, false, cw);
    assert_int_equal(cw[0], 10);
    assert_int_equal(cw[1], 6);
    table_widths(&t_spec, want, 9, false, cw);
    assert_true(cw[0] >= 4);
    assert_int_equal(cw[1], 3);
    table_widths(&t_spec, want, 6, false, cw);
    assert_true(cw[0] >= 4);
    assert_int_equal(cw[1], 0); /* priority 1 goes first */
}

/* ---- D29 ------------------------------------------------------------------------------- */

static void test_draw_combining_mark_joins_its_base_D29(void **state)
{
    (void)state;
    struct draw_cell c[16];
    int cols;
    /* NFD "Café": e + U+0301 is one cell of width 1 holding both */
    int n = draw_cells("Cafe\xcc\x81!", true, 80, c, 16, &cols);
    assert_int_equal(n, 5);
    assert_int_equal(cols, 5);
    assert_int_equal(c[3].n, 2);
    assert_int_equal(c[3].wc[0], L'e');
    assert_int_equal(c[3].wc[1], 0x301);
    assert_int_equal(c[4].wc[0], L'!');
    assert_int_equal(draw_width("Cafe\xcc\x81", true), 4);
    /* cut at 4 columns: the mark stays with its e */
    n = draw_cells("Cafe\xcc\x81!", true, 4, c, 16, &cols);
    assert_int_equal(n, 4);
    assert_int_equal(c[3].n, 2);
    /* a mark with nothing before it is dropped; more marks than a cell holds too */
    n = draw_cells("\xcc\x81x", true, 80, c, 16, &cols);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].wc[0], L'x');
    n = draw_cells("a\xcc\x81\xcc\x82\xcc\x83\xcc\x84\xcc\x85\xcc\x86\xcc\x87\xcc\x88\xcc\x89",
                   true, 80, c, 16, &cols);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].n, DRAW_CELL_CHARS);
    /* outside UTF-8 every non-ASCII byte is a '?' of its own */
    n = draw_cells("e\xcc\x81", false, 80, c, 16, &cols);
    assert_int_equal(c[0].wc[0], L'e');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screens_global_keys_reach_through_the_node_screen),
        cmocka_unit_test(test_screens_modal_dialog_swallows_keys),
        cmocka_unit_test(test_screens_help_closes_back_to_the_node_screen_with_its_state),
        cmocka_unit_test(test_screens_next_and_previous_node_wrap_around),
        cmocka_unit_test(test_screens_confirm_yes_emits_exactly_one_confirmed_act),
        cmocka_unit_test(test_screens_confirm_esc_or_n_cancels_without_intent),
        cmocka_unit_test(test_screens_confirm_question_names_node_and_consequence),
        cmocka_unit_test(test_screens_poll_node_needs_no_question),
        cmocka_unit_test(test_screens_readonly_restart_key_says_why_and_is_refused_below),
        cmocka_unit_test(test_screens_full_intent_round_drops_the_key),
        cmocka_unit_test(test_screens_stack_never_overflows),
        cmocka_unit_test(test_screens_no_key_bound_twice_on_a_screen),
        cmocka_unit_test(test_screens_keys_list_has_every_screen),
        cmocka_unit_test(test_fleet_list_enter_shows_the_selected_node),
        cmocka_unit_test(test_fleet_list_filter_prompt_is_incremental_and_esc_restores),
        cmocka_unit_test(test_fleet_list_as_the_bottom_screen_opens_a_node_screen),
        cmocka_unit_test(test_fleet_screen_starts_with_several_nodes_only),
        cmocka_unit_test(test_fleet_sort_menu_by_claimable_and_again_reversed),
        cmocka_unit_test(test_fleet_sort_keys_walk_the_columns),
        cmocka_unit_test(test_fleet_problem_rows_are_marked_and_sort_by_urgency),
        cmocka_unit_test(test_fleet_filter_name_alias_addresses_and_backslash_clears),
        cmocka_unit_test(test_fleet_enter_and_esc_keep_sort_selection_and_scroll),
        cmocka_unit_test(test_fleet_totals_count_states_and_sum_claimable),
        cmocka_unit_test(test_table_sort_by_column_and_reverse),
        cmocka_unit_test(test_table_filter_is_a_case_insensitive_substring),
        cmocka_unit_test(test_table_selection_follows_its_row_across_resort_and_changes),
        cmocka_unit_test(test_table_scrolling_clamps),
        cmocka_unit_test(test_table_drops_columns_by_priority_when_narrow),
        cmocka_unit_test(test_draw_combining_mark_joins_its_base_D29),
    };
    /* widths and combining marks as in the UTF-8 locale the screen runs in */
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "en_US.UTF-8");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
