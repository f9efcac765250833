/* menu: the pick-list screen (menu.h). */
#include "menu.h"

#include <stdlib.h>
#include <string.h>

struct menu {
    struct screen base;
    char title[MENU_ITEM_MAX];
    char choices[MENU_ITEMS_MAX][MENU_ITEM_MAX];
    int n;
    int at; /* the highlighted choice */
    menu_pick_fn on_pick;
    void *ctx;
};

static void menu_draw(const struct screen *s, const struct screen_frame *fr)
{
    const struct menu *m = (const struct menu *)s;
    const struct r1_rect *b = &fr->body;
    int w = draw_width(m->title, fr->th->utf8) + 6;
    for (int i = 0; i < m->n; i++) {
        int cw = draw_width(m->choices[i], fr->th->utf8) + 4;
        if (cw > w)
            w = cw;
    }
    int h = m->n + 2;
    struct r1_cv cv =
        cv_make(fr->win, b->y, b->x, h < b->h ? h : b->h, w < b->w ? w : b->w, fr->th);
    for (int r = 0; r < cv.h; r++)
        cv_fill(&cv, r, 0, cv.w, TH_NORMAL, " ");
    cv_box(&cv, m->title);
    struct r1_cv in = cv_sub(&cv, 1, 1, cv.h - 2, cv.w - 2);
    /* the highlight stays in view when the body is shorter than the list */
    int first = m->at >= in.h ? m->at - in.h + 1 : 0;
    for (int r = 0; r < in.h && first + r < m->n; r++) {
        int i = first + r;
        if (i == m->at)
            cv_fill(&in, r, 0, in.w, TH_SELECTED, " ");
        cv_text_attr(&in, r, 1, in.w - 1, fr->th->attr[i == m->at ? TH_SELECTED : TH_NORMAL],
                     m->choices[i]);
    }
}

static int menu_move(struct screen *s, struct screen_input *in, int code)
{
    struct menu *m = (struct menu *)s;
    if (code == KEY_UP || code == 'k')
        m->at = m->at > 0 ? m->at - 1 : 0;
    else if (code == KEY_DOWN || code == 'j')
        m->at = m->at + 1 < m->n ? m->at + 1 : m->at;
    else if (code == KEY_HOME || code == 'g')
        m->at = 0;
    else if (code == KEY_END || code == 'G')
        m->at = m->n > 0 ? m->n - 1 : 0;
    return 1;
}

static int menu_pick(struct screen *s, struct screen_input *in, int code)
{
    struct menu *m = (struct menu *)s;
    if (m->on_pick && m->at < m->n)
        m->on_pick(m->ctx, m->at);
    screen_dismiss(s);
    return 1;
}

static int menu_close(struct screen *s, struct screen_input *in, int code)
{
    screen_dismiss(s);
    return 1;
}

static const struct r1_key menu_keys[] = {
    {{KEY_RETURN, KEY_ENTER}, "Pick", "pick the highlighted choice", menu_pick, KEYF_BAR, 0},
    {{KEY_UP, 'k', KEY_DOWN, 'j'}, NULL, "highlight the choice above or below", menu_move, 0, 0},
    {{KEY_HOME, 'g', KEY_END, 'G'},
     NULL,
     "highlight the first or the last choice",
     menu_move,
     0,
     0},
    {{KEY_ESC, 'q'}, "Cancel", "close without picking", menu_close, KEYF_BAR, 0},
};

static void menu_free(struct screen *s)
{
    free(s);
}

const struct screen_ops menu_ops = {
    .name = "menu",
    .title = "Pick list",
    .keys = menu_keys,
    .n_keys = R1_ARRAY_LEN(menu_keys),
    .modal = true,
    .overlay = true,
    .draw = menu_draw,
    .destroy = menu_free,
};

struct screen *menu_new(const char *title, const char *const *choices, int n, int current,
                        menu_pick_fn on_pick, void *ctx)
{
    struct menu *m = xcalloc(1, sizeof *m);
    m->base.ops = &menu_ops;
    r1_strlcpy(m->title, title ? title : "", sizeof m->title);
    m->n = n < 0 ? 0 : n > MENU_ITEMS_MAX ? MENU_ITEMS_MAX : n;
    for (int i = 0; i < m->n; i++)
        r1_strlcpy(m->choices[i], choices[i] ? choices[i] : "", sizeof m->choices[i]);
    m->at = current >= 0 && current < m->n ? current : 0;
    m->on_pick = on_pick;
    m->ctx = ctx;
    return &m->base;
}

int menu_highlighted(const struct screen *s)
{
    return s && s->ops == &menu_ops ? ((const struct menu *)s)->at : -1;
}
