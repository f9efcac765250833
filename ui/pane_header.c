/* pane_header: the chrome around the panes — the top line (network, current epoch and the
 * time left in it, the clock) and the fleet: a one-line strip under the header on narrow
 * terminals, a left column from 100 columns. Both show every node's online dot, name and
 * licence type, with the selected node highlighted and always in view: they show the page of
 * nodes that holds it, so where the list starts follows from the selection alone. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "epoch.h"
#include "panes.h"

/* The node's version: its status file's (version_long "v2.5.36 | core v7.4.23 | SDK 2.6.15":
 * the first part is the node), else the oracle's, marked so; false when neither says. */
static bool node_version(const struct r1_node *n, char *dst, size_t size)
{
    bool from_oracle = false;
    const char *v = model_node_version(n, &from_oracle);
    if (!v[0])
        return false;
    int len = (int)strcspn(v, "|");
    while (len > 0 && v[len - 1] == ' ')
        len--;
    snprintf(dst, size, "%.*s%s", len, v, from_oracle ? " (oracle)" : "");
    return true;
}

static const enum th_role online_role[] = {TH_NA, TH_GOOD, TH_WARN, TH_BAD};

static const char *node_lic_type(const struct r1_node *n)
{
    if (!R1_VALID(&n->lic, LIC_TYPE))
        return "";
    return n->lic.type == R1_LIC_NONE ? "-" : model_licence_name(n->lic.type);
}

void header_draw(const struct r1_cv *cv, const struct r1_fleet *f, const struct r1_node *n,
                 double now, bool show_node)
{
    const struct r1_glyphs *g = cv->th->g;
    bool utf8 = cv->th->utf8;
    int64_t ep = f->epoch_now;
    char left[32] = "", clock_long[40] = "", clock_short[16] = "", node[80] = "";
    double frac = 0;
    if (f->net) {
        pane_fmt_left(left, sizeof left, epoch_remaining_s(f->net, now));
        frac = epoch_elapsed_frac(f->net, now);
    }
    /* UTC: epochs start at 16:00 UTC, so that is the clock operators compare against */
    time_t t = (time_t)now;
    struct tm tm;
    if (gmtime_r(&t, &tm)) {
        strftime(clock_long, sizeof clock_long, "%Y-%m-%d %H:%M:%S UTC", &tm);
        strftime(clock_short, sizeof clock_short, "%H:%M:%S", &tm);
    }
    if (show_node && n)
        draw_fit(node, sizeof node, model_node_label(n), 20, utf8);

    /* the richest form that fits: drop the bar, the date, the words, the demo tag, the time
     * left, in that order; the last form is drawn (clipped) whatever the width */
    enum { LV_COUNT = 6 };
    for (int level = 0; level < LV_COUNT; level++) {
        bool bar = level == 0 && f->net;
        const char *clk = level <= 1 ? clock_long : clock_short;
        bool words = level <= 2, demo = f->demo && level <= 3, show_left = f->net && level <= 4;
        char epoch_txt[64], left_txt[48] = "";
        snprintf(epoch_txt, sizeof epoch_txt, words ? "Epoch %lld" : "e%lld", (long long)ep);
        if (show_left)
            snprintf(left_txt, sizeof left_txt, words ? "%s left" : "%s", left);
        int need = 6 + draw_width(f->net ? f->net->name : "?", utf8) + (demo ? 5 : 0) +
                   (node[0] ? draw_width(node, utf8) + 3 : 0) + 2 + (int)strlen(epoch_txt) + 1 +
                   (bar ? 11 : 0) + (int)strlen(left_txt) + 2 + (int)strlen(clk);
        if (need > cv->w && level < LV_COUNT - 1)
            continue;
        int col = 0;
        col += cv_text(cv, 0, col, TH_HEADER, "r1top ");
        col += cv_text(cv, 0, col, TH_TITLE, f->net ? f->net->name : "?");
        if (demo)
            col += cv_text(cv, 0, col + 1, TH_WARN, "DEMO") + 1;
        if (node[0]) {
            col += cv_printf(cv, 0, col, TH_NA, " %s ", g->sep);
            col += cv_text(cv, 0, col, TH_VALUE, node);
        }
        col += 2;
        col += cv_text(cv, 0, col, TH_VALUE, epoch_txt);
        col += 1;
        if (bar) {
            cv_bar(cv, 0, col, 10, frac, TH_SPARK);
            col += 11;
        }
        col += cv_text(cv, 0, col, TH_NA, left_txt);
        int cw = (int)strlen(clk);
        if (col + 2 + cw <= cv->w)
            cv_text(cv, 0, cv->w - cw, TH_NORMAL, clk);
        break;
    }
}

/* One strip item: "● name ND". */
static void strip_item(const struct r1_node *n, char *name, size_t name_size, int max_name,
                       bool utf8)
{
    draw_fit(name, name_size, model_node_label(n), max_name, utf8);
}

static int strip_item_width(const struct r1_node *n, int max_name, bool utf8)
{
    char name[96];
    strip_item(n, name, sizeof name, max_name, utf8);
    const char *t = node_lic_type(n);
    return 3 + draw_width(name, utf8) + (t[0] ? 1 + (int)strlen(t) : 0); /* " ● name ND" */
}

/* Single node: the strip has room for who it is. */
static void strip_draw_single(const struct r1_cv *cv, const struct r1_node *n, double now)
{
    const struct r1_theme *th = cv->th;
    enum r1_online st = n->status.online;
    int col = cv_text(cv, 0, 0, online_role[st], th->g->dot);
    col += cv_text(cv, 0, col, TH_NORMAL, " ");
    col += cv_text(cv, 0, col, TH_VALUE, model_node_label(n));
    const char *t = node_lic_type(n);
    if (t[0] && strcmp(t, "-") != 0) {
        col += cv_text(cv, 0, col, TH_NORMAL, "  ");
        col += cv_text(cv, 0, col, TH_NORMAL, t);
        if (R1_VALID(&n->lic, LIC_ID))
            col +=
                cv_printf(cv, 0, col, TH_NORMAL, " #%llu", (unsigned long long)n->lic.licence_id);
    }
    char buf[96];
    const char *addr = model_node_address(n);
    if (addr[0] && cv->w - col > 24) {
        draw_fit_middle(buf, sizeof buf, addr, cv->w - col > 60 ? 49 : 17, th->utf8);
        col += cv_text(cv, 0, col, TH_NA, "  ");
        col += cv_text(cv, 0, col, TH_NA, buf);
    }
    char v[80];
    if (node_version(n, v, sizeof v) && cv->w - col > 12) {
        col += cv_text(cv, 0, col, TH_NA, "  ");
        col += cv_text(cv, 0, col, TH_NA, v);
    }
}

/* The first node of the strip page that holds sel: pages are filled from the first node on,
 * as many items as fit in avail columns each. */
static size_t strip_page_first(const struct r1_fleet *f, size_t sel, int max_name, int avail,
                               bool utf8)
{
    size_t first = 0;
    int w = 0;
    for (size_t i = 0; i <= sel && i < f->n_nodes; i++) {
        int iw = strip_item_width(&f->nodes[i], max_name, utf8) + 1;
        if (i > first && w + iw > avail) {
            first = i;
            w = 0;
        }
        w += iw;
    }
    return first;
}

static void strip_draw(const struct r1_cv *cv, const struct r1_fleet *f, double now, size_t sel)
{
    const struct r1_theme *th = cv->th;
    if (f->n_nodes == 1) {
        strip_draw_single(cv, &f->nodes[0], now);
        return;
    }
    int max_name = f->n_nodes > 4 ? 14 : 24;
    int total = 0;
    for (size_t i = 0; i < f->n_nodes; i++)
        total += strip_item_width(&f->nodes[i], max_name, th->utf8) + 1;
    /* When the names do not all fit, a dot per node first: the whole fleet's state at a
     * glance, the selected one marked, the names of its neighbours after it. */
    int lw = 0;
    if (total > cv->w - 2 && f->n_nodes <= 48 && (int)f->n_nodes + 30 <= cv->w) {
        for (size_t i = 0; i < f->n_nodes; i++) {
            enum r1_online st = f->nodes[i].status.online;
            cv_text_attr(cv, 0, (int)i, -1, th->attr[online_role[st]] | (i == sel ? A_REVERSE : 0),
                         th->g->dot);
        }
        lw = (int)f->n_nodes + 1;
    }
    int avail = cv->w - lw - 2; /* room for the "<" / ">" marks */
    size_t first = strip_page_first(f, sel, max_name, avail, th->utf8);
    int col = lw;
    if (first > 0)
        cv_text(cv, 0, col, TH_NA, "<");
    col++;
    size_t i;
    for (i = first; i < f->n_nodes; i++) {
        const struct r1_node *n = &f->nodes[i];
        int w = strip_item_width(n, max_name, th->utf8);
        if (col + w > cv->w - 1)
            break;
        bool is_sel = i == sel;
        enum r1_online st = n->status.online;
        char name[96];
        strip_item(n, name, sizeof name, max_name, th->utf8);
        attr_t base = is_sel ? th->attr[TH_SELECTED] : th->attr[TH_NORMAL];
        int c = col;
        c += cv_text_attr(cv, 0, c, -1, base, " ");
        /* the dot keeps its colour inside the highlight: state must read at a glance */
        c += cv_text_attr(cv, 0, c, -1, th->attr[online_role[st]] | (is_sel ? A_REVERSE : 0),
                          th->g->dot);
        c += cv_text_attr(cv, 0, c, -1, base, " ");
        c += cv_text_attr(cv, 0, c, -1, base, name);
        const char *t = node_lic_type(n);
        if (t[0]) {
            c += cv_text_attr(cv, 0, c, -1, base, " ");
            c += cv_text_attr(cv, 0, c, -1, is_sel ? base : th->attr[TH_NA], t);
        }
        col = c + 1;
    }
    if (i < f->n_nodes)
        cv_text(cv, 0, cv->w - 1, TH_NA, ">");
}

/* The selected node's identity under the list, when the column has room. */
static int column_draw_details(const struct r1_cv *in, int row, const struct r1_node *n)
{
    const struct r1_theme *th = in->th;
    char buf[96];
    int start = row;
    cv_fill(in, row++, 0, in->w, TH_BORDER, th->g->hline);
    cv_text(in, row++, 0, TH_VALUE, model_node_label(n));
    const char *addr = model_node_address(n);
    draw_fit_middle(buf, sizeof buf, addr[0] ? addr : "n/a", in->w, th->utf8);
    cv_text(in, row++, 0, addr[0] ? TH_NORMAL : TH_NA, buf);
    const char *eth = model_node_eth(n);
    if (eth[0]) {
        draw_fit_middle(buf, sizeof buf, eth, in->w, th->utf8);
        cv_text(in, row++, 0, TH_NORMAL, buf);
    }
    if (node_version(n, buf, sizeof buf))
        cv_printf(in, row++, 0, TH_NA, "version %s", buf);
    if (R1_VALID(&n->dock, DOCK_STATE) && n->dock.state[0])
        cv_printf(in, row++, 0, n->status.container != R1_CT_RUNNING ? TH_BAD : TH_NA, "container %s",
                  n->dock.state);
    return row - start;
}

static void column_draw(const struct r1_cv *cv, const struct r1_fleet *f, double now, size_t sel)
{
    const struct r1_theme *th = cv->th;
    char title[32];
    snprintf(title, sizeof title, "Nodes %zu", f->n_nodes);
    cv_box(cv, title);
    struct r1_cv in = cv_sub(cv, 1, 1, cv->h - 2, cv->w - 2);
    int counts[4] = {0};
    for (size_t i = 0; i < f->n_nodes; i++)
        counts[f->nodes[i].status.online]++;

    /* details and a summary line below the list when there is room for both */
    int detail_h = 7, summary_h = 1;
    int list_h = in.h - summary_h;
    bool details = list_h - detail_h >= (int)f->n_nodes || list_h - detail_h >= 8;
    if (details)
        list_h -= detail_h;
    if (list_h < 1)
        list_h = in.h, details = false, summary_h = 0;
    size_t first = sel / (size_t)list_h * (size_t)list_h; /* the page that holds sel */

    for (int r = 0; r < list_h; r++) {
        size_t i = first + (size_t)r;
        if (i >= f->n_nodes)
            break;
        const struct r1_node *n = &f->nodes[i];
        bool is_sel = i == sel;
        attr_t base = is_sel ? th->attr[TH_SELECTED] : th->attr[TH_NORMAL];
        if (is_sel)
            for (int c = 0; c < in.w; c++)
                cv_text_attr(&in, r, c, -1, base, " ");
        enum r1_online st = n->status.online;
        cv_text_attr(&in, r, 1, -1, th->attr[online_role[st]] | (is_sel ? A_REVERSE : 0),
                     th->g->dot);
        const char *t = node_lic_type(n);
        int tw = 4;
        char name[96];
        draw_fit(name, sizeof name, model_node_label(n), in.w - 4 - tw, th->utf8);
        cv_text_attr(&in, r, 3, -1, base, name);
        cv_text_attr(&in, r, in.w - tw, tw, is_sel ? base : th->attr[TH_NA], t);
    }
    if (f->n_nodes > (size_t)list_h) {
        char note[32];
        snprintf(note, sizeof note, "%zu-%zu", first + 1,
                 first + (size_t)list_h < f->n_nodes ? first + (size_t)list_h : f->n_nodes);
        cv_border_note(cv, cv->h - 1, TH_NA, note);
    }
    int row = list_h;
    if (details && f->n_nodes > 0)
        row += column_draw_details(&in, row, &f->nodes[sel]);
    if (summary_h) {
        int col = 0;
        static const char *const words[] = {"?", "up", "stale", "down"};
        for (int s = 1; s <= 3; s++) {
            if (!counts[s] && s != 1)
                continue;
            col += cv_printf(&in, in.h - 1, col, online_role[s], "%d %s", counts[s], words[s]);
            col += cv_text(&in, in.h - 1, col, TH_NA, "  ");
        }
        if (counts[0])
            cv_printf(&in, in.h - 1, col, TH_NA, "%d ?", counts[0]);
    }
}

void nodes_draw(const struct r1_cv *cv, bool column, const struct r1_fleet *f, double now,
                uint32_t selected_id)
{
    if (f->n_nodes == 0)
        return;
    size_t sel = screen_node_index(f, selected_id);
    if (column)
        column_draw(cv, f, now, sel);
    else
        strip_draw(cv, f, now, sel);
}
