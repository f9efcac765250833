/* dialog: confirm, message and prompt screens (dialog.h). */
#include "dialog.h"

#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "keys.h"

#define DIALOG_TEXT_MAX 512

/* ---- shared drawing -------------------------------------------------------------------- */

static void cv_clear(const struct r1_cv *cv)
{
    char blank[512];
    int w = cv->w < (int)sizeof blank - 1 ? cv->w : (int)sizeof blank - 1;
    memset(blank, ' ', (size_t)w);
    blank[w] = '\0';
    for (int r = 0; r < cv->h; r++)
        cv_text(cv, r, 0, TH_NORMAL, blank);
}

/* Rows text takes wrapped to width (cv_text_wrap on a canvas with nowhere to draw). */
static int wrap_rows(const char *text, int width, const struct r1_theme *th)
{
    struct r1_cv probe = cv_make(NULL, 0, 0, 1000, width, th);
    return cv_text_wrap(&probe, 0, 0, 1000, TH_NORMAL, text);
}

/* A box with title, text and a last line of what the keys do, centred in the body. */
static void dialog_box(const struct screen_frame *fr, const char *title, const char *text,
                       const char *keys_line, enum th_role text_role)
{
    const struct r1_rect *b = &fr->body;
    int w = b->w - 4 < 64 ? b->w - 4 : 64;
    if (w < 20)
        w = b->w;
    int text_rows = wrap_rows(text, w - 4, fr->th);
    int h = text_rows + 4; /* borders, a blank line, the keys line */
    if (h > b->h)
        h = b->h;
    struct r1_cv cv = cv_make(fr->win, b->y + (b->h - h) / 2, b->x + (b->w - w) / 2, h, w, fr->th);
    cv_clear(&cv);
    cv_box(&cv, title);
    struct r1_cv in = cv_sub(&cv, 1, 2, cv.h - 2, cv.w - 4);
    cv_text_wrap(&in, 0, 0, in.h - 1, text_role, text);
    if (in.h > 1)
        cv_text(&in, in.h - 1, 0, TH_NA, keys_line);
}

static int dialog_close(struct screen *s, struct screen_input *in, int code)
{
    screen_dismiss(s);
    return 1;
}

static void dialog_free(struct screen *s)
{
    free(s);
}

/* ---- confirm --------------------------------------------------------------------------- */

struct confirm {
    struct screen base;
    uint32_t node_id;
    int action;
    char arg[R1_INTENT_ARG_MAX];
    char text[DIALOG_TEXT_MAX];
};

void dialog_confirm_text(int action, const char *node_name, const char *arg, char *dst, size_t n)
{
    const struct r1_action *a = actions_get(action);
    if (a)
        actions_question(a, node_name, arg, dst, n);
    else
        snprintf(dst, n, "Run this action on %s?", node_name);
}

static void confirm_draw(const struct screen *s, const struct screen_frame *fr)
{
    const struct confirm *c = (const struct confirm *)s;
    const struct r1_action *a = actions_get(c->action);
    char title[64], keys[96];
    snprintf(title, sizeof title, "%s?", a ? a->label : "Confirm");
    snprintf(keys, sizeof keys, "y or Enter: %s   n or Esc: cancel", a ? a->name : "yes");
    dialog_box(fr, title, c->text, keys, TH_VALUE);
}

static int confirm_yes(struct screen *s, struct screen_input *in, int code)
{
    struct confirm *c = (struct confirm *)s;
    struct r1_intent *it = screen_intent(in, R1_INTENT_ACT);
    if (!it) /* the round is full: keep asking rather than close with nothing done */
        return 1;
    it->node_id = c->node_id;
    it->action = c->action;
    it->confirmed = true;
    r1_strlcpy(it->arg, c->arg, sizeof(it->arg));
    screen_dismiss(s);
    return 1;
}

static const struct r1_key confirm_keys[] = {
    {{'y', 'Y', KEY_RETURN, KEY_ENTER},
     "Yes",
     "confirm: carry out the action",
     confirm_yes,
     KEYF_BAR,
     0},
    {{'n', 'N', KEY_ESC}, "No", "cancel: nothing is done", dialog_close, KEYF_BAR, 0},
};

const struct screen_ops dialog_confirm_ops = {
    .name = "confirm",
    .title = "Confirm dialog",
    .keys = confirm_keys,
    .n_keys = R1_ARRAY_LEN(confirm_keys),
    .modal = true,
    .overlay = true,
    .draw = confirm_draw,
    .destroy = dialog_free,
};

struct screen *dialog_confirm_new(uint32_t node_id, const char *node_name, int action,
                                  const char *arg)
{
    struct confirm *c = xcalloc(1, sizeof *c);
    c->base.ops = &dialog_confirm_ops;
    c->node_id = node_id;
    c->action = action;
    r1_strlcpy(c->arg, arg ? arg : "", sizeof c->arg);
    dialog_confirm_text(action, node_name ? node_name : "?", c->arg, c->text, sizeof c->text);
    return &c->base;
}

struct screen *dialog_confirm_node_new(const struct r1_node *n, int action, const char *arg)
{
    struct confirm *c = (struct confirm *)dialog_confirm_new(n->id, n->name, action, arg);
    const struct r1_action *a = actions_get(action);
    if (a) /* with the path the action takes on this node (the unit, the CLI over ssh) */
        actions_question_node(a, n, c->arg, c->text, sizeof c->text);
    return &c->base;
}

/* ---- message --------------------------------------------------------------------------- */

struct message {
    struct screen base;
    char title[64];
    char text[DIALOG_TEXT_MAX];
};

static void message_draw(const struct screen *s, const struct screen_frame *fr)
{
    const struct message *m = (const struct message *)s;
    dialog_box(fr, m->title, m->text, "Esc or Enter: close", TH_WARN);
}

static const struct r1_key message_keys[] = {
    {{KEY_ESC, KEY_RETURN, KEY_ENTER, 'q'}, "OK", "close the message", dialog_close, KEYF_BAR, 0},
};

const struct screen_ops dialog_message_ops = {
    .name = "message",
    .title = "Message",
    .keys = message_keys,
    .n_keys = R1_ARRAY_LEN(message_keys),
    .modal = true,
    .overlay = true,
    .draw = message_draw,
    .destroy = dialog_free,
};

struct screen *dialog_message_new(const char *title, const char *text)
{
    struct message *m = xcalloc(1, sizeof *m);
    m->base.ops = &dialog_message_ops;
    r1_strlcpy(m->title, title ? title : "", sizeof m->title);
    r1_strlcpy(m->text, text ? text : "", sizeof m->text);
    return &m->base;
}

/* ---- prompt ---------------------------------------------------------------------------- */

#define PROMPT_MAX 128 /* an address and a name (R1_INTENT_ARG_MAX) */

struct prompt {
    struct screen base;
    char title[32];
    char text[PROMPT_MAX];
    dialog_prompt_change_fn on_change;
    dialog_prompt_done_fn on_done;
    dialog_prompt_submit_fn on_submit;
    void *ctx;
};

static void prompt_draw(const struct screen *s, const struct screen_frame *fr)
{
    const struct prompt *p = (const struct prompt *)s;
    const struct r1_rect *b = &fr->body;
    struct r1_cv cv = cv_make(fr->win, b->y + b->h - 1, b->x, 1, b->w, fr->th);
    cv_clear(&cv);
    int col = cv_text(&cv, 0, 0, TH_KEY, p->title);
    col += cv_text(&cv, 0, col, TH_KEY, ": ");
    /* the end of a long text, where typing goes (typed text is ASCII: a byte is a column) */
    const char *shown = p->text;
    size_t len = strlen(shown);
    if (cv.w - col > 2 && len > (size_t)(cv.w - col - 2))
        shown += len - (size_t)(cv.w - col - 2);
    col += cv_text(&cv, 0, col, TH_VALUE, shown);
    cv_text_attr(&cv, 0, col, 1, fr->th->attr[TH_SELECTED], " "); /* where typing goes */
    cv_text(&cv, 0, col + 2, TH_NA, "Enter accepts, Esc cancels");
}

/* Text entry before the key table: printable ASCII is typed, Backspace deletes. */
static int prompt_type(struct screen *s, struct screen_input *in, int code)
{
    struct prompt *p = (struct prompt *)s;
    size_t len = strlen(p->text);
    if (code >= 32 && code < 127) {
        if (len + 1 < sizeof p->text) {
            p->text[len] = (char)code;
            p->text[len + 1] = '\0';
        }
    } else if (code == KEY_BACKSPACE || code == 127 || code == 8) {
        if (len > 0)
            p->text[len - 1] = '\0';
    } else {
        return 0;
    }
    if (p->on_change)
        p->on_change(p->ctx, p->text);
    return 1;
}

static int prompt_finish(struct screen *s, struct screen_input *in, int code)
{
    struct prompt *p = (struct prompt *)s;
    if (p->on_done)
        p->on_done(p->ctx, p->text, code != KEY_ESC);
    if (p->on_submit && code != KEY_ESC)
        p->on_submit(p->ctx, p->text, in);
    screen_dismiss(s);
    return 1;
}

static const struct r1_key prompt_keys[] = {
    {{KEY_RETURN, KEY_ENTER}, NULL, "accept the text typed", prompt_finish, 0, 0},
    {{KEY_ESC}, NULL, "cancel (the text goes back to what it was)", prompt_finish, 0, 0},
};

const struct screen_ops dialog_prompt_ops = {
    .name = "prompt",
    .title = "Text prompt",
    .keys = prompt_keys,
    .n_keys = R1_ARRAY_LEN(prompt_keys),
    .modal = true,
    .overlay = true,
    .draw = prompt_draw,
    .key = prompt_type,
    .destroy = dialog_free,
};

struct screen *dialog_prompt_new(const char *title, const char *initial,
                                 dialog_prompt_change_fn on_change, dialog_prompt_done_fn on_done,
                                 void *ctx)
{
    struct prompt *p = xcalloc(1, sizeof *p);
    p->base.ops = &dialog_prompt_ops;
    r1_strlcpy(p->title, title ? title : "", sizeof p->title);
    r1_strlcpy(p->text, initial ? initial : "", sizeof p->text);
    p->on_change = on_change;
    p->on_done = on_done;
    p->ctx = ctx;
    return &p->base;
}

struct screen *dialog_prompt_submit_new(const char *title, dialog_prompt_submit_fn on_submit,
                                        void *ctx)
{
    struct prompt *p = (struct prompt *)dialog_prompt_new(title, "", NULL, NULL, ctx);
    p->on_submit = on_submit;
    return &p->base;
}

int dialog_action_key(struct screen_input *in, const struct r1_key *k, const struct r1_node *n)
{
    const struct r1_action *a = k ? actions_get(k->action) : NULL;
    if (!n || !a)
        return 1;
    if (keys_unavailable(k, in->env->readonly)) {
        /* No question with no answer; the intent still goes below, where actions.c refuses
         * and logs it, as it does for a script. */
        screen_push(in->stack, dialog_message_new(a->label, actions_refusal_text(R1_ACT_READONLY)));
        struct r1_intent *it = screen_intent(in, R1_INTENT_ACT);
        if (it) {
            it->node_id = n->id;
            it->action = a->id;
        }
        return 1;
    }
    if (a->confirm) {
        /* the question names the node as the operator named it */
        screen_push(in->stack, dialog_confirm_node_new(n, a->id, NULL));
        return 1;
    }
    struct r1_intent *it = screen_intent(in, R1_INTENT_ACT);
    if (it) {
        it->node_id = n->id;
        it->action = a->id;
        it->confirmed = true; /* it asks no question */
    }
    return 1;
}
