/* screen_text: the log and apps views of one node (screen_text.h). */
#include "screen_text.h"

#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "dialog.h"
#include "manage.h"

#define SEARCH_MAX 64

struct text_screen {
    struct screen base;
    uint32_t node_id;
    enum screen_text_kind kind;
    size_t top;          /* the first line shown */
    bool follow;         /* the view stays at the end as lines come (logs) */
    char search[SEARCH_MAX];
    char search_before[SEARCH_MAX];
};

static const struct r1_node *node_of_screen(const struct text_screen *ts, const struct r1_fleet *f)
{
    size_t i = screen_node_index(f, ts->node_id);
    return i < f->n_nodes && f->nodes[i].id == ts->node_id ? &f->nodes[i] : NULL;
}

/* ---- the text ------------------------------------------------------------------------ */

size_t screen_text_count(const struct r1_node *n, enum screen_text_kind k)
{
    if (!n || !n->mng)
        return 0;
    if (k == SCREEN_TEXT_LOGS)
        return n->mng->logs.n;
    size_t c = 0;
    for (const char *p = n->mng->apps; p && *p; p++)
        c += *p == '\n';
    if (n->mng->apps && n->mng->apps[0] && n->mng->apps[strlen(n->mng->apps) - 1] != '\n')
        c++;
    return c;
}

/* Line i into dst (apps: split on the fly; the list is a few lines). */
static const char *text_line(const struct r1_node *n, enum screen_text_kind k, size_t i,
                             char *dst, size_t dst_size)
{
    if (k == SCREEN_TEXT_LOGS)
        return logbuf_line(&n->mng->logs, i);
    const char *p = n->mng->apps;
    for (size_t j = 0; p && j < i; j++) {
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    if (!p || !*p)
        return NULL;
    size_t len = strcspn(p, "\n");
    snprintf(dst, dst_size, "%.*s", (int)len, p);
    return dst;
}

/* ASCII case-insensitive search: log lines are mostly ASCII, and a match never splits a
 * UTF-8 character (needle bytes are compared as they are above 0x7f). */
static const char *find_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return NULL;
    for (const char *h = hay; *h; h++) {
        size_t k = 0;
        while (k < n && h[k]) {
            unsigned char a = (unsigned char)h[k], b = (unsigned char)needle[k];
            if (a >= 'A' && a <= 'Z')
                a = (unsigned char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z')
                b = (unsigned char)(b - 'A' + 'a');
            if (a != b)
                break;
            k++;
        }
        if (k == n)
            return h;
    }
    return NULL;
}

/* ---- drawing ------------------------------------------------------------------------- */

/* One line, each match of the search highlighted. */
static void draw_line(const struct r1_cv *cv, int row, const char *line, const char *search)
{
    int col = 0;
    const char *p = line;
    const char *m;
    while (search[0] && (m = find_ci(p, search)) != NULL && col < cv->w) {
        char part[R1_LOG_LINE_MAX];
        snprintf(part, sizeof part, "%.*s", (int)(m - p), p);
        col += cv_textn(cv, row, col, -1, TH_NORMAL, part);
        snprintf(part, sizeof part, "%.*s", (int)strlen(search), m);
        col += cv_textn(cv, row, col, -1, TH_SELECTED, part);
        p = m + strlen(search);
    }
    if (col < cv->w)
        cv_textn(cv, row, col, -1, TH_NORMAL, p);
}

static size_t max_top(size_t count, int page)
{
    return count > (size_t)page ? count - (size_t)page : 0;
}

/* The first line shown: the last page while following, else where the view was put (the text
 * may have shrunk, a ring dropping old lines). */
static size_t shown_top(const struct text_screen *ts, size_t count, int page)
{
    size_t end = max_top(count, page);
    return ts->follow || ts->top > end ? end : ts->top;
}

/* Rows of text: the body less the title line. */
static int text_page(const struct ui_env *env)
{
    int h = screen_body(env).h - 1;
    return h > 0 ? h : 1;
}

static void text_draw(const struct screen *s, const struct screen_frame *fr)
{
    const struct text_screen *ts = (const struct text_screen *)s;
    const struct r1_node *n = node_of_screen(ts, fr->f);
    struct r1_cv cv = cv_make(fr->win, fr->body.y, fr->body.x, fr->body.h, fr->body.w, fr->th);
    if (!n || cv.h < 2)
        return;
    size_t count = screen_text_count(n, ts->kind);
    int page = cv.h - 1;
    size_t top = shown_top(ts, count, page);
    /* the title line: whose text, from where, and how it is being read */
    char title[256];
    if (ts->kind == SCREEN_TEXT_LOGS)
        snprintf(title, sizeof title, "Log of %s (container %s, Docker)%s  %zu lines", n->name,
                 n->container[0] ? n->container : "?", ts->follow ? "  following" : "  paused",
                 count);
    else
        snprintf(title, sizeof title, "Container apps inside %s (docker ps in %s)", n->name,
                 n->container[0] ? n->container : "?");
    int c = cv_text(&cv, 0, 0, TH_TITLE, title);
    if (ts->search[0])
        cv_printf(&cv, 0, c + 2, TH_WARN, "search: %s", ts->search);
    struct r1_cv body = cv_sub(&cv, 1, 0, page, cv.w);
    if (count == 0) {
        /* nothing read yet: say why, from the last action on this node */
        const char *why = n->act.state == R1_ACTST_RUNNING ? "reading..."
                          : n->act.result[0]                ? n->act.result
                                                             : "nothing read yet";
        cv_text_wrap(&body, 0, 0, page, n->act.state == R1_ACTST_FAILED ||
                                                n->act.state == R1_ACTST_REFUSED
                                            ? TH_BAD
                                            : TH_NA,
                     why);
        return;
    }
    char buf[R1_LOG_LINE_MAX];
    for (int r = 0; r < page && top + (size_t)r < count; r++) {
        const char *line = text_line(n, ts->kind, top + (size_t)r, buf, sizeof buf);
        if (line)
            draw_line(&body, r, line, ts->search);
    }
}

static void text_status(const struct screen *s, const struct r1_fleet *f, char *dst, size_t n)
{
    const struct text_screen *ts = (const struct text_screen *)s;
    size_t count = screen_text_count(node_of_screen(ts, f), ts->kind);
    if (ts->follow || !count)
        snprintf(dst, n, "%zu lines, at the end", count);
    else
        snprintf(dst, n, "line %zu of %zu", (ts->top < count ? ts->top : count - 1) + 1, count);
}

/* ---- keys ---------------------------------------------------------------------------- */

static void follow_intent(struct screen_input *in, uint32_t node_id, bool on)
{
    struct r1_intent *it = screen_intent(in, R1_INTENT_FOLLOW_LOGS);
    if (it) {
        it->node_id = node_id;
        r1_strlcpy(it->arg, on ? "on" : "off", sizeof it->arg);
    }
}

static int key_scroll(struct screen *s, struct screen_input *in, int code)
{
    struct text_screen *ts = (struct text_screen *)s;
    size_t count = screen_text_count(node_of_screen(ts, in->f), ts->kind);
    int rows = text_page(in->env);
    size_t page = (size_t)rows, end = max_top(count, rows);
    ts->top = shown_top(ts, count, rows);
    switch (code) {
    case KEY_UP:
    case 'k':
        ts->top = ts->top ? ts->top - 1 : 0;
        break;
    case KEY_DOWN:
    case 'j':
        ts->top = ts->top < end ? ts->top + 1 : end;
        break;
    case KEY_PPAGE:
        ts->top = ts->top > page ? ts->top - page : 0;
        break;
    case KEY_NPAGE:
        ts->top = ts->top + page < end ? ts->top + page : end;
        break;
    case KEY_HOME:
    case 'g':
        ts->top = 0;
        break;
    default: /* End, G: the end, and following again (logs) */
        ts->top = end;
        break;
    }
    /* at the end the log follows again; anywhere else it holds still to be read */
    bool was = ts->follow;
    ts->follow = ts->kind == SCREEN_TEXT_LOGS && ts->top >= end;
    if (ts->kind == SCREEN_TEXT_LOGS && was != ts->follow)
        follow_intent(in, ts->node_id, ts->follow);
    return 1;
}

/* Move to the next (dir 1) or previous (-1) line holding the search, from the top line. */
static void find_next(struct text_screen *ts, const struct r1_fleet *f, int rows, int dir)
{
    const struct r1_node *n = node_of_screen(ts, f);
    size_t count = screen_text_count(n, ts->kind);
    if (!ts->search[0] || !count)
        return;
    char buf[R1_LOG_LINE_MAX];
    size_t i = shown_top(ts, count, rows);
    for (size_t step = 1; step <= count; step++) {
        size_t j = dir > 0 ? (i + step) % count : (i + count - step % count) % count;
        const char *line = text_line(n, ts->kind, j, buf, sizeof buf);
        if (line && find_ci(line, ts->search)) {
            ts->top = j;
            ts->follow = false;
            return;
        }
    }
}

static void search_changed(void *ctx, const char *text)
{
    struct text_screen *ts = ctx;
    r1_strlcpy(ts->search, text, sizeof ts->search);
}

static void search_done(void *ctx, const char *text, bool accepted)
{
    struct text_screen *ts = ctx;
    r1_strlcpy(ts->search, accepted ? text : ts->search_before, sizeof ts->search);
}

static int key_search(struct screen *s, struct screen_input *in, int code)
{
    struct text_screen *ts = (struct text_screen *)s;
    r1_strlcpy(ts->search_before, ts->search, sizeof ts->search_before);
    screen_push(in->stack, dialog_prompt_new("Search", ts->search, search_changed, search_done, ts));
    return 1;
}

static int key_next(struct screen *s, struct screen_input *in, int code)
{
    struct text_screen *ts = (struct text_screen *)s;
    bool was = ts->follow;
    find_next(ts, in->f, text_page(in->env), code == 'N' ? -1 : 1);
    if (ts->kind == SCREEN_TEXT_LOGS && was && !ts->follow)
        follow_intent(in, ts->node_id, false);
    return 1;
}

static int key_reread(struct screen *s, struct screen_input *in, int code)
{
    struct text_screen *ts = (struct text_screen *)s;
    struct r1_intent *it = screen_intent(in, R1_INTENT_ACT);
    if (it) {
        it->node_id = ts->node_id;
        it->action = ts->kind == SCREEN_TEXT_LOGS ? R1_ACT_LOGS : R1_ACT_APPS;
        it->confirmed = true;
    }
    return 1;
}

static int key_close(struct screen *s, struct screen_input *in, int code)
{
    struct text_screen *ts = (struct text_screen *)s;
    if (ts->kind == SCREEN_TEXT_LOGS)
        follow_intent(in, ts->node_id, false);
    screen_dismiss(s);
    return 1;
}

#define TEXT_KEYS(what)                                                                            \
    {{KEY_UP, 'k', KEY_DOWN, 'j'}, NULL, "scroll the " what " by a line", key_scroll, 0, 0},      \
    {{KEY_PPAGE, KEY_NPAGE}, NULL, "scroll the " what " by a page", key_scroll, 0, 0},            \
    {{'/'}, "Search", "search the " what " as you type; every match is highlighted",              \
     key_search, KEYF_BAR, 0},                                                                     \
    {{'n', 'N'}, NULL, "go to the next or the previous match", key_next, 0, 0},                   \
    {{KEY_ESC}, "Back", "close the " what, key_close, KEYF_BAR, 0}

static const struct r1_key logs_keys[] = {
    TEXT_KEYS("log"),
    {{KEY_HOME, 'g', KEY_END, 'G'},
     NULL,
     "jump to the first line, or to the end and follow it",
     key_scroll,
     0,
     0},
};

static const struct r1_key apps_keys[] = {
    TEXT_KEYS("list"),
    {{KEY_HOME, 'g', KEY_END, 'G'}, NULL, "jump to the top or the end of the list", key_scroll, 0,
     0},
    {{'u'}, "Update", "read the list again", key_reread, KEYF_BAR, 0},
};

static uint32_t text_node(const struct screen *s, const struct r1_fleet *f)
{
    return ((const struct text_screen *)s)->node_id;
}

static void text_destroy(struct screen *s)
{
    free(s);
}

const struct screen_ops screen_logs_ops = {
    .name = "logs",
    .title = "Log screen",
    .keys = logs_keys,
    .n_keys = R1_ARRAY_LEN(logs_keys),
    .draw = text_draw,
    .node = text_node,
    .status = text_status,
    .destroy = text_destroy,
};

const struct screen_ops screen_apps_ops = {
    .name = "apps",
    .title = "Container apps screen",
    .keys = apps_keys,
    .n_keys = R1_ARRAY_LEN(apps_keys),
    .draw = text_draw,
    .node = text_node,
    .status = text_status,
    .destroy = text_destroy,
};

void screen_text_open(struct screen_input *in, const struct r1_node *n, enum screen_text_kind k)
{
    struct text_screen *ts = xcalloc(1, sizeof *ts);
    ts->base.ops = k == SCREEN_TEXT_LOGS ? &screen_logs_ops : &screen_apps_ops;
    ts->node_id = n->id;
    ts->kind = k;
    ts->follow = k == SCREEN_TEXT_LOGS;
    if (!screen_push(in->stack, &ts->base))
        return;
    struct r1_intent *it = screen_intent(in, R1_INTENT_ACT);
    if (it) {
        it->node_id = n->id;
        it->action = k == SCREEN_TEXT_LOGS ? R1_ACT_LOGS : R1_ACT_APPS;
        it->confirmed = true;
        if (k == SCREEN_TEXT_LOGS)
            r1_strlcpy(it->arg, "1000", sizeof it->arg);
    }
    if (k == SCREEN_TEXT_LOGS)
        follow_intent(in, n->id, true);
}
