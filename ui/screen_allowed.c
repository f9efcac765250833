/* screen_allowed: a node's allowed list (screen_allowed.h). */
#include "screen_allowed.h"

#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "dialog.h"
#include "manage.h"

struct allowed_screen {
    struct screen base;
    uint32_t node_id;
    size_t sel;
};

void screen_allowed_me_note(const struct r1_fleet *f, const struct r1_node *n, char *dst,
                            size_t size, enum th_role *role)
{
    dst[0] = '\0';
    *role = TH_NA;
    if (!n || !n->mng || !n->mng->allowed_read)
        return;
    if (!f->me_addr[0]) {
        snprintf(dst, size, "r1top has no key of its own (r1top keygen FILE makes one), so it "
                            "cannot send this node signed commands");
        return;
    }
    if (n->mng->allowed.me_listed) {
        snprintf(dst, size, "r1top's key is in this node's allowed list: it may send it signed "
                            "commands");
        *role = TH_GOOD;
    } else {
        snprintf(dst, size, "r1top's key is NOT in this node's allowed list: the node ignores "
                            "its signed commands (m adds it)");
        *role = TH_WARN;
    }
}

static void allowed_draw(const struct screen *s, const struct screen_frame *fr)
{
    const struct allowed_screen *as = (const struct allowed_screen *)s;
    const struct r1_node *n = screen_node_by_id(fr->f, as->node_id);
    struct r1_cv cv = cv_make(fr->win, fr->body.y, fr->body.x, fr->body.h, fr->body.w, fr->th);
    if (!n || cv.h < 4)
        return;
    cv_printf(&cv, 0, 0, TH_TITLE, "Allowed list of %s (get_allowed in container %s)", n->name,
              n->container[0] ? n->container : "?");
    const struct r1_manage *m = n->mng;
    if (!m || !m->allowed_read) {
        const char *why = n->act.state == R1_ACTST_RUNNING ? "reading..."
                          : n->act.result[0]                ? n->act.result
                                                             : "nothing read yet";
        cv_text_wrap(&cv, 2, 0, cv.h - 2,
                     n->act.state == R1_ACTST_FAILED || n->act.state == R1_ACTST_REFUSED ? TH_BAD
                                                                                          : TH_NA,
                     why);
        return;
    }
    char note[256];
    enum th_role role;
    screen_allowed_me_note(fr->f, n, note, sizeof note, &role);
    cv_text(&cv, 1, 0, role, note);
    cv_printf(&cv, 2, 0, TH_LABEL, "%-49s  %-15s  %-42s  %s", "ADDRESS", "ALIAS", "ETH", "NOTE");
    int rows = cv.h - 3;
    size_t top = as->sel >= (size_t)rows ? as->sel - (size_t)rows + 1 : 0;
    for (int r = 0; r < rows && top + (size_t)r < m->allowed.n; r++) {
        size_t i = top + (size_t)r;
        const struct r1_allowed_entry *e = &m->allowed.v[i];
        enum th_role rr = i == as->sel ? TH_SELECTED : !e->valid ? TH_BAD : TH_NORMAL;
        if (!e->valid) {
            cv_printf(&cv, 3 + r, 0, rr, "INVALID LINE: %s", e->text);
            continue;
        }
        cv_printf(&cv, 3 + r, 0, rr, "%-49s  %-15s  %-42s  %s", e->addr,
                  e->alias[0] ? e->alias : "-", e->eth[0] ? e->eth : "-",
                  e->is_me  ? "r1top (this key)"
                  : e->oracle ? "oracle, managed by the network"
                              : "");
    }
}

static void allowed_status(const struct screen *s, const struct r1_fleet *f, char *dst, size_t n)
{
    const struct allowed_screen *as = (const struct allowed_screen *)s;
    const struct r1_node *node = screen_node_by_id(f, as->node_id);
    if (!node || !node->mng || !node->mng->allowed_read)
        snprintf(dst, n, "not read");
    else
        snprintf(dst, n, "%zu addresses", node->mng->allowed.n_valid);
}

static void read_intent(struct screen_input *in, uint32_t node_id)
{
    struct r1_intent *it = screen_intent(in, R1_INTENT_ACT);
    if (it) {
        it->node_id = node_id;
        it->action = R1_ACT_ALLOWED;
        it->confirmed = true;
    }
}

static int key_move(struct screen *s, struct screen_input *in, int code)
{
    struct allowed_screen *as = (struct allowed_screen *)s;
    const struct r1_node *n = screen_node_by_id(in->f, as->node_id);
    size_t count = n && n->mng ? n->mng->allowed.n : 0;
    if (code == KEY_UP || code == 'k')
        as->sel = as->sel ? as->sel - 1 : 0;
    else if (count && as->sel + 1 < count)
        as->sel++;
    return 1;
}

/* Checked here as typed, and again below (actions.c) whatever asks. */
static void ask_allow(struct screen_input *in, const struct r1_node *n, const char *text)
{
    const struct r1_action *a = actions_get(R1_ACT_ALLOW);
    char err[R1_ERR_MAX];
    if (in->env->readonly) {
        /* no question with no answer; app.c refuses and logs the intent, as for a script */
        screen_push(in->stack, dialog_message_new(a->label, actions_refusal_text(R1_ACT_READONLY)));
        struct r1_intent *it = screen_intent(in, R1_INTENT_ACT);
        if (it) {
            it->node_id = n->id;
            it->action = a->id;
            r1_strlcpy(it->arg, text, sizeof it->arg);
        }
        return;
    }
    if (actions_check_arg(a, text, err) < 0) {
        screen_push(in->stack, dialog_message_new(a->label, err));
        return;
    }
    screen_push(in->stack, dialog_confirm_node_new(n, a->id, text));
}

static void add_submit(void *ctx, const char *text, struct screen_input *in)
{
    struct allowed_screen *as = ctx;
    const struct r1_node *n = screen_node_by_id(in->f, as->node_id);
    if (n && strspn(text, " ") != strlen(text))
        ask_allow(in, n, text);
}

static int key_add(struct screen *s, struct screen_input *in, int code)
{
    screen_push(in->stack, dialog_prompt_submit_new("Allow: 0xai_ADDRESS [ALIAS]", add_submit, s));
    return 1;
}

static int key_add_me(struct screen *s, struct screen_input *in, int code)
{
    const struct r1_node *n = screen_node_by_id(in->f, ((struct allowed_screen *)s)->node_id);
    if (!n)
        return 1;
    if (!in->f->me_addr[0]) {
        screen_push(in->stack, dialog_message_new("Allow", "r1top has no key of its own: "
                                                           "r1top keygen FILE makes one."));
        return 1;
    }
    char arg[R1_INTENT_ARG_MAX];
    snprintf(arg, sizeof arg, "%s r1top", in->f->me_addr);
    ask_allow(in, n, arg);
    return 1;
}

static int key_reread(struct screen *s, struct screen_input *in, int code)
{
    read_intent(in, ((struct allowed_screen *)s)->node_id);
    return 1;
}

static int key_close(struct screen *s, struct screen_input *in, int code)
{
    screen_dismiss(s);
    return 1;
}

static const struct r1_key allowed_keys[] = {
    {{KEY_UP, 'k', KEY_DOWN, 'j'}, NULL, "select the entry above or below", key_move, 0, 0},
    {{'a'}, "Add", "allow an address to command this node (asks first)", key_add, KEYF_BAR, 0},
    {{'m'}, "AddMe", "allow r1top's own key (asks first)", key_add_me, KEYF_BAR, 0},
    {{'u'}, "Update", "read the list again", key_reread, KEYF_BAR, 0},
    {{KEY_ESC}, "Back", "close the allowed list", key_close, KEYF_BAR, 0},
};

static uint32_t allowed_node(const struct screen *s, const struct r1_fleet *f)
{
    return ((const struct allowed_screen *)s)->node_id;
}

static void allowed_destroy(struct screen *s)
{
    free(s);
}

const struct screen_ops screen_allowed_ops = {
    .name = "allowed",
    .title = "Allowed list screen",
    .keys = allowed_keys,
    .n_keys = R1_ARRAY_LEN(allowed_keys),
    .draw = allowed_draw,
    .node = allowed_node,
    .status = allowed_status,
    .destroy = allowed_destroy,
};

void screen_allowed_open(struct screen_input *in, const struct r1_node *n)
{
    struct allowed_screen *as = xcalloc(1, sizeof *as);
    as->base.ops = &screen_allowed_ops;
    as->node_id = n->id;
    if (screen_push(in->stack, &as->base))
        read_intent(in, n->id);
}
