/* screen_fleet: the node list (screen_fleet.h). */
#include "screen_fleet.h"

#include <stdlib.h>
#include <string.h>

#include "dialog.h"
#include "screen_node.h"

enum fleet_col { FC_NODE, FC_STATE, FC_LIC, FC_TRUST, FC_COUNT };

static const struct table_col fleet_cols[FC_COUNT] = {
    [FC_NODE] = {"NODE", 8, 32, 0, false, false, NULL},
    [FC_STATE] = {"STATE", 5, 7, 1, false, false, NULL},
    [FC_LIC] = {"LIC", 3, 4, 2, false, false, NULL},
    [FC_TRUST] = {"TRUST", 5, 14, 3, false, false, NULL},
};

/* The node's online state: one helper, so it can read the derived status in one place. */

static size_t fleet_n_rows(const void *data)
{
    return ((const struct fleet_table_data *)data)->f->n_nodes;
}

static uint64_t fleet_row_id(const void *data, size_t row)
{
    return ((const struct fleet_table_data *)data)->f->nodes[row].id;
}

static void fleet_cell(const void *data, size_t row, int col, char *dst, size_t n,
                       enum th_role *role)
{
    const struct fleet_table_data *d = data;
    const struct r1_node *node = &d->f->nodes[row];
    static const char *const online_word[] = {"?", "up", "stale", "down"};
    static const enum th_role online_role[] = {TH_NA, TH_GOOD, TH_WARN, TH_BAD};
    switch (col) {
    case FC_NODE:
        snprintf(dst, n, "%s", model_node_label(node));
        *role = TH_VALUE;
        break;
    case FC_STATE: {
        enum r1_online st = node->status.online;
        snprintf(dst, n, "%s", online_word[st]);
        *role = online_role[st];
        break;
    }
    case FC_LIC:
        if (!R1_VALID(&node->lic, LIC_TYPE)) {
            snprintf(dst, n, "n/a");
            *role = TH_NA;
        } else {
            snprintf(dst, n, "%s",
                     node->lic.type == R1_LIC_NONE ? "-" : model_licence_name(node->lic.type));
        }
        break;
    case FC_TRUST:
        switch (node->orc.trust) {
        case R1_TRUST_VERIFIED:
            snprintf(dst, n, "verified");
            *role = TH_GOOD;
            break;
        case R1_TRUST_UNSIGNED:
            snprintf(dst, n, "unsigned");
            *role = TH_WARN;
            break;
        case R1_TRUST_UNKNOWN_SIGNER:
            snprintf(dst, n, "unknown signer");
            *role = TH_WARN;
            break;
        case R1_TRUST_BAD:
            snprintf(dst, n, "BAD SIG");
            *role = TH_ALERT;
            break;
        default:
            snprintf(dst, n, "n/a");
            *role = TH_NA;
        }
        break;
    default:
        dst[0] = '\0';
    }
}

/* The filter matches the node's label, configured name and address. */
static void fleet_filter_text(const void *data, size_t row, char *dst, size_t n)
{
    const struct r1_node *node = &((const struct fleet_table_data *)data)->f->nodes[row];
    snprintf(dst, n, "%s %s %s", model_node_label(node), node->name, model_node_address(node));
}

const struct table_spec screen_fleet_table = {
    .cols = fleet_cols,
    .n_cols = FC_COUNT,
    .n_rows = fleet_n_rows,
    .row_id = fleet_row_id,
    .cell = fleet_cell,
    .filter_text = fleet_filter_text,
    .selectable = true,
    .group_col = -1,
};

struct fleet_screen {
    struct screen base;
    struct table_view tv;
    char filter_before[TABLE_FILTER_MAX]; /* what Esc in the filter prompt goes back to */
};

/* The table's lines: the body's box inside, less the title row. */
static int fleet_page(const struct ui_env *env)
{
    int page = table_page(screen_body(env).h - 2);
    return page > 0 ? page : 1;
}

static void fleet_draw(const struct screen *s, const struct screen_frame *fr)
{
    const struct fleet_screen *fs = (const struct fleet_screen *)s;
    struct r1_cv box = cv_make(fr->win, fr->body.y, fr->body.x, fr->body.h, fr->body.w, fr->th);
    char title[64];
    snprintf(title, sizeof title, "Nodes %zu", fr->f->n_nodes);
    cv_box(&box, title);
    struct r1_cv in = cv_sub(&box, 1, 1, box.h - 2, box.w - 2);
    struct fleet_table_data d = {fr->f, fr->now};
    struct table_shown sh;
    table_draw(&in, &screen_fleet_table, &d, &fs->tv, &sh);
    char note[96];
    if (fs->tv.filter[0]) {
        snprintf(note, sizeof note, "/%s: %zu of %zu", fs->tv.filter, sh.n, sh.total);
        cv_border_note(&box, 0, TH_WARN, note);
    }
    if (sh.last > 0 && (sh.first > 1 || sh.last < sh.n)) {
        snprintf(note, sizeof note, "%zu-%zu of %zu", sh.first, sh.last, sh.n);
        cv_border_note(&box, box.h - 1, TH_NA, note);
    }
}

static void fleet_status(const struct screen *s, const struct r1_fleet *f, char *dst, size_t n)
{
    const struct fleet_screen *fs = (const struct fleet_screen *)s;
    struct fleet_table_data d = {f, r1_now()};
    struct table_pos pos;
    table_resolve(&screen_fleet_table, &d, &fs->tv, 1, &pos);
    if (pos.has_sel)
        snprintf(dst, n, "node %zu/%zu", pos.sel + 1, pos.n);
    else
        snprintf(dst, n, "no node matches");
}

static int key_move(struct screen *s, struct screen_input *in, int code)
{
    struct fleet_screen *fs = (struct fleet_screen *)s;
    struct fleet_table_data d = {in->f, r1_now()};
    table_key(&screen_fleet_table, &d, &fs->tv, fleet_page(in->env), code);
    return 1;
}

static int key_sort(struct screen *s, struct screen_input *in, int code)
{
    struct fleet_screen *fs = (struct fleet_screen *)s;
    if (code == '<' || code == '>')
        table_sort_step(&fs->tv, &screen_fleet_table, code == '>' ? 1 : -1);
    else
        table_sort_by(&fs->tv, code - '1'); /* 1..4: that column; again: reversed */
    return 1;
}

static void filter_changed(void *ctx, const char *text)
{
    table_set_filter(&((struct fleet_screen *)ctx)->tv, text);
}

static void filter_done(void *ctx, const char *text, bool accepted)
{
    struct fleet_screen *fs = ctx;
    table_set_filter(&fs->tv, accepted ? text : fs->filter_before);
}

static int key_filter(struct screen *s, struct screen_input *in, int code)
{
    struct fleet_screen *fs = (struct fleet_screen *)s;
    r1_strlcpy(fs->filter_before, fs->tv.filter, sizeof fs->filter_before);
    screen_push(in->stack,
                dialog_prompt_new("Filter", fs->tv.filter, filter_changed, filter_done, fs));
    return 1;
}

static int key_open(struct screen *s, struct screen_input *in, int code)
{
    struct fleet_screen *fs = (struct fleet_screen *)s;
    struct fleet_table_data d = {in->f, r1_now()};
    size_t row;
    if (!table_selected_row(&screen_fleet_table, &d, &fs->tv, &row))
        return 1;
    uint32_t id = in->f->nodes[row].id;
    struct screen *below = screen_below(in->stack, s);
    if (below && below->ops == &screen_node_ops) {
        screen_node_show(below, id); /* opened from the node screen: go back to it */
        screen_dismiss(s);
    } else {
        screen_push(in->stack, screen_node_new(id));
    }
    return 1;
}

static int key_back(struct screen *s, struct screen_input *in, int code)
{
    struct fleet_screen *fs = (struct fleet_screen *)s;
    if (fs->tv.filter[0]) { /* Esc first drops the filter, as in htop */
        table_set_filter(&fs->tv, "");
        return 1;
    }
    if (!screen_below(in->stack, s))
        return 0;
    screen_dismiss(s);
    return 1;
}

static const struct r1_key fleet_keys[] = {
    {{KEY_RETURN, KEY_ENTER}, "Show", "show the selected node", key_open, KEYF_BAR, 0},
    {{KEY_UP, 'k', KEY_DOWN, 'j'}, NULL, "select the node above or below", key_move, 0, 0},
    {{KEY_PPAGE, KEY_NPAGE}, NULL, "move the selection by a page", key_move, 0, 0},
    {{KEY_HOME, 'g', KEY_END, 'G'}, NULL, "select the first or the last node", key_move, 0, 0},
    {{'<', '>'}, "Sort", "sort by the previous or the next column", key_sort, KEYF_BAR, 0},
    {{'1', '2', '3', '4'},
     NULL,
     "sort by that column (again: the other way round)",
     key_sort,
     0,
     0},
    {{'/'},
     "Filter",
     "show only the nodes whose name or address holds a text",
     key_filter,
     KEYF_BAR,
     0},
    {{KEY_ESC}, NULL, "drop the filter, else go back to the node screen", key_back, 0, 0},
};

static void fleet_destroy(struct screen *s)
{
    free(s);
}

const struct screen_ops screen_fleet_ops = {
    .name = "fleet",
    .title = "Node list",
    .keys = fleet_keys,
    .n_keys = R1_ARRAY_LEN(fleet_keys),
    .draw = fleet_draw,
    .status = fleet_status,
    .destroy = fleet_destroy,
};

struct screen *screen_fleet_new(uint32_t node_id)
{
    struct fleet_screen *fs = xcalloc(1, sizeof *fs);
    fs->base.ops = &screen_fleet_ops;
    table_view_init(&fs->tv);
    if (node_id != R1_NODE_ALL) {
        fs->tv.has_sel = true;
        fs->tv.sel_id = node_id;
    }
    return &fs->base;
}

const struct table_view *screen_fleet_view(const struct screen *s)
{
    return s && s->ops == &screen_fleet_ops ? &((const struct fleet_screen *)s)->tv : NULL;
}
