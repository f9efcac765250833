/* pane_uptime: is the node up, for how long, how much of the current epoch it has been seen,
 * and its availability over the last epochs — the figure PoA rewards are paid on (0..255 per
 * epoch, docs/protocol.md §5.3). The epochs come from the oracle's range when there is one
 * (signed), else from the node's own files. Tall panes get a bar chart, short ones a sparkline. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "actions.h"
#include "derive.h"
#include "epoch.h"
#include "manage.h"
#include "panes.h"

#define UP_LABEL_W 8
#define UP_EPOCHS_MAX 64

/* The last epochs with their ids, from the best source the node has. */
struct epoch_series {
    int64_t id[UP_EPOCHS_MAX];
    int val[UP_EPOCHS_MAX];
    int n;
    bool have_ids;
    bool from_oracle;
    int trust;
};

static void series_add(struct epoch_series *s, int64_t id, int val)
{
    if (s->n == UP_EPOCHS_MAX) {
        memmove(&s->id[0], &s->id[1], (UP_EPOCHS_MAX - 1) * sizeof s->id[0]);
        memmove(&s->val[0], &s->val[1], (UP_EPOCHS_MAX - 1) * sizeof s->val[0]);
        s->n--;
    }
    s->id[s->n] = id;
    s->val[s->n] = val;
    s->n++;
}

static void uptime_collect_epochs(const struct r1_node *n, struct epoch_series *s)
{
    memset(s, 0, sizeof *s);
    const struct r1_oracle_node *r = &n->range;
    if (R1_VALID(r, ORC_EPOCHS) && r->n_epochs > 0 && r->epochs_u8) {
        for (int i = 0; i < r->n_epochs; i++)
            series_add(s, r->from_epoch + i, r->epochs_u8[i]);
        s->have_ids = s->from_oracle = true;
        s->trust = r->trust;
        /* node_last_epoch may already know a newer epoch than the range we fetched */
        const struct r1_oracle_node *o = &n->orc;
        if (R1_VALID(o, ORC_LAST_EPOCH) && o->last_epoch_id == s->id[s->n - 1] + 1)
            series_add(s, o->last_epoch_id, o->last_epoch_u8);
        return;
    }
    const struct r1_node_info *info = &n->info;
    if (R1_VALID(info, INFO_LAST_EPOCHS) && info->n_last_epochs > 0) {
        for (int i = 0; i < info->n_last_epochs && i < R1_LAST_EPOCHS_MAX; i++)
            series_add(s, info->last_epochs[i].epoch, info->last_epochs[i].avail_u8);
        s->have_ids = true;
        return;
    }
    /* local_history.json keeps values without epoch ids (docs/protocol.md §4.3) */
    const struct r1_node_history *h = &n->hist;
    if (R1_VALID(h, HIST_LAST_EPOCHS)) {
        for (int i = 0; i < h->n_last_epochs && i < R1_LAST_EPOCHS_MAX; i++)
            series_add(s, -1, h->last_epochs_u8[i]);
    }
}

static int pct_of(int v)
{
    return (int)lround(v * 100.0 / 255.0);
}

static void uptime_draw_state(struct pane_ctx *pc, int row)
{
    const struct r1_node_status *st = &pc->n->status;
    static const char *const words[] = {"unknown", "online", "stale", "offline"};
    static const enum th_role roles[] = {TH_NA, TH_GOOD, TH_WARN, TH_BAD};
    const struct r1_cv *cv = &pc->cv;
    int col = cv_text(cv, row, 0, roles[st->online], pc->th->g->dot);
    col += cv_text(cv, row, col, TH_NORMAL, " ");
    col += cv_text(cv, row, col, roles[st->online] == TH_NA ? TH_NA : TH_VALUE,
                   words[st->online]);
    col += cv_text(cv, row, col, TH_NA, "  ");
    char line[160], file[24], seen[24];
    const struct r1_oracle_node *o = &pc->n->orc;
    /* The network's view beside the local one when the file decides and the oracle has a
     * last-seen ("status file 5 s old · oracle 12 s", or "file 5 s · oracle 12 s"): the basis
     * and its numbers are data (derive.c), so nothing here reads a sentence. */
    if (st->basis == R1_BASIS_FILE && !isnan(st->oracle_seen_s)) {
        r1_fmt_age(file, sizeof file, st->file_age_s);
        r1_fmt_age(seen, sizeof seen, st->oracle_seen_s);
        snprintf(line, sizeof line, "status file %s old %s oracle %s", file, pc->th->g->sep,
                 seen);
        if (draw_width(line, pc->th->utf8) + 2 > cv->w - col)
            snprintf(line, sizeof line, "file %s %s oracle %s", file, pc->th->g->sep, seen);
        if (draw_width(line, pc->th->utf8) + 2 <= cv->w - col) {
            col += cv_text(cv, row, col, TH_NA, line);
            col += cv_text(cv, row, col, TH_NA, " ");
            cv_trust(cv, row, col, o->trust);
            return;
        }
    }
    derive_online_text(st, line, sizeof line);
    const char *why = line;
    /* narrow panes: "file 3 s old" says the same as "status file 3 s old" */
    if (draw_width(why, pc->th->utf8) > cv->w - col && strncmp(why, "status ", 7) == 0)
        why += 7;
    col += cv_text(cv, row, col, TH_NA, why);
    bool oracle_basis = st->basis == R1_BASIS_ORACLE || st->basis == R1_BASIS_FILE_ORACLE_SEES ||
                        st->basis == R1_BASIS_FILE_ORACLE_OFFLINE;
    if (oracle_basis && o->meta.updated_at > 0) {
        col += cv_text(cv, row, col, TH_NA, " ");
        cv_trust(cv, row, col, o->trust);
    }
}

static void uptime_draw_uptime(struct pane_ctx *pc, int row)
{
    const struct r1_node *n = pc->n;
    const struct r1_cv *cv = &pc->cv;
    char d[40];
    int col = pane_label(pc, row, "Uptime", UP_LABEL_W);
    bool up = n->status.online == R1_ONLINE_YES;
    if (R1_VALID(&n->hist, HIST_UPTIME)) {
        /* the history file is saved every 5 min: add the time since, while the node is up */
        double u = n->hist.uptime_s;
        if (up && R1_VALID(&n->hist, HIST_SAVE_TIME) && pc->now > n->hist.last_save_time)
            u += pc->now - n->hist.last_save_time;
        r1_fmt_duration(d, sizeof d, u);
        if (n->status.online == R1_ONLINE_NO) {
            /* a down node has no uptime; what it had says how long it ran before it stopped */
            col += cv_text(cv, row, col, TH_BAD, "down");
            col += cv_printf(cv, row, col, TH_NA, " (was up %s)", d);
        } else {
            col += cv_text(cv, row, col, up ? TH_VALUE : TH_NA, d);
        }
    } else if (R1_VALID(&n->dock, DOCK_STARTED) && n->dock.started_at > 0 &&
               n->status.container == R1_CT_RUNNING) {
        r1_fmt_duration(d, sizeof d, pc->now - n->dock.started_at);
        col += cv_text(cv, row, col, TH_VALUE, d);
        col += cv_text(cv, row, col, TH_NA, " (container)");
    } else {
        col += pane_na(pc, row, col);
    }
    if (R1_VALID(&n->dock, DOCK_STATE) && n->dock.state[0] &&
        col + 5 + (int)strlen(n->dock.state) <= cv->w) {
        bool running = n->status.container == R1_CT_RUNNING;
        col += cv_printf(cv, row, col, TH_NA, "  %s ", pc->th->g->sep);
        col += cv_text(cv, row, col, running ? TH_GOOD : TH_BAD, n->dock.state);
        char rs[32] = "";
        if (R1_VALID(&n->dock, DOCK_RESTARTS) && n->dock.restart_count > 0)
            snprintf(rs, sizeof rs, ", %d restart%s", n->dock.restart_count,
                     n->dock.restart_count == 1 ? "" : "s");
        if (rs[0] && col + (int)strlen(rs) <= cv->w)
            cv_text(cv, row, col, TH_WARN, rs);
    }
}

/* Whether the container stopped with an exit code worth a row of its own. */
static bool uptime_has_exit(const struct r1_node *n)
{
    return R1_VALID(&n->dock, DOCK_EXIT) && n->status.container != R1_CT_RUNNING &&
           n->status.container != R1_CT_UNKNOWN;
}

/* Why the container stopped: Docker keeps the last run's exit code, which the node sets on
 * purpose (docs/protocol.md §7.3), and whether the kernel killed it for memory. */
static void uptime_draw_exit(struct pane_ctx *pc, int row)
{
    const struct r1_node *n = pc->n;
    const struct r1_cv *cv = &pc->cv;
    int col = pane_label(pc, row, "Exit", UP_LABEL_W);
    const char *why = derive_exit_meaning(n->dock.exit_code);
    bool oom = R1_VALID(&n->dock, DOCK_OOM) && n->dock.oom_killed;
    char ex[200], fit[200], ago[40] = "";
    if (R1_VALID(&n->dock, DOCK_FINISHED) && pc->now > n->dock.finished_at) {
        char d[32];
        r1_fmt_duration(d, sizeof d, pc->now - n->dock.finished_at);
        snprintf(ago, sizeof ago, " %s %s ago", pc->th->g->sep, d);
    }
    snprintf(ex, sizeof ex, "%d%s%s%s%s", n->dock.exit_code, oom ? ", OOM-killed" : "",
             why ? ": " : "", why ? why : "", ago);
    draw_fit(fit, sizeof fit, ex, cv->w - col, pc->th->utf8);
    cv_text(cv, row, col, n->dock.exit_code == 0 && !oom ? TH_WARN : TH_BAD, fit);
}

/* Whether this node takes r1top's signed commands: its allowed list must hold r1top's key
 * (docs/protocol.md §8.6). Known once the list was read (A); said only for a node r1top can
 * read it from (a Docker socket and container). */
static void uptime_draw_allowed(struct pane_ctx *pc, int row)
{
    const struct r1_node *n = pc->n;
    const struct r1_cv *cv = &pc->cv;
    int col = pane_label(pc, row, "Allowed", UP_LABEL_W);
    const struct r1_manage *m = n->mng;
    const char *text = "r1top's key not checked (A shows the allowed list)";
    enum th_role role = TH_NA;
    if (!pc->f->me_addr[0]) {
        text = "r1top has no key (r1top keygen FILE)";
    } else if (m && m->allowed_read && m->allowed.me_listed) {
        text = "r1top's key is listed: signed commands accepted";
        role = TH_GOOD;
    } else if (m && m->allowed_read) {
        text = "r1top's key is NOT listed (A, then m adds it)";
        role = TH_WARN;
    }
    char fit[160];
    draw_fit(fit, sizeof fit, text, cv->w - col, pc->th->utf8);
    cv_text(cv, row, col, role, fit);
}

/* r1setup's unit (docs/protocol.md §7.4): its state, and its starts against the 30 in 30
 * minutes that reboot the host, warned from the 20th. The count matters most near the limit,
 * so a narrow pane gives up the service's name, then the sub-state, then words, not it. */
static void uptime_draw_unit(struct pane_ctx *pc, int row)
{
    const struct r1_unit *u = &pc->n->unit;
    const struct r1_cv *cv = &pc->cv;
    int col = pane_label(pc, row, "Unit", UP_LABEL_W);
    if (!R1_VALID(u, UNIT_ACTIVE)) {
        cv_printf(cv, row, col, TH_NA, "%s: n/a", pc->n->service);
        return;
    }
    const char *sub = R1_VALID(u, UNIT_SUB) ? u->sub_state : "";
    char st[R1_NAME_MAX + 64], starts[64] = "", fit[R1_NAME_MAX + 64];
    int starts_w = 0;
    for (int form = 0; form < 4; form++) {
        snprintf(st, sizeof st, "%s%s%s%s%s", form == 0 ? pc->n->service : "",
                 form == 0 ? " " : "", u->active_state, sub[0] && form < 2 ? "/" : "",
                 form < 2 ? sub : "");
        if (R1_VALID(u, UNIT_STARTS))
            snprintf(starts, sizeof starts,
                     form < 3 ? " %s restarts %d of %d in 30 min" : " %s %d/%d starts in 30m",
                     pc->th->g->sep, u->starts_30min, R1_UNIT_START_LIMIT);
        starts_w = draw_width(starts, pc->th->utf8);
        if (col + draw_width(st, pc->th->utf8) + starts_w <= cv->w)
            break;
    }
    enum th_role role = strcmp(u->active_state, "active") == 0   ? TH_GOOD
                        : strcmp(u->active_state, "failed") == 0 ? TH_BAD
                                                                 : TH_WARN;
    draw_fit(fit, sizeof fit, st, cv->w - col, pc->th->utf8);
    col += cv_text(cv, row, col, role, fit);
    if (starts[0] && col + starts_w <= cv->w)
        cv_text(cv, row, col, u->starts_30min >= R1_UNIT_START_WARN ? TH_BAD : TH_NA, starts);
}

/* The unit's exit file: the container's last exit code as the unit recorded it (§7.4), which
 * outlives the container the unit removes (Docker's own code is gone with it). */
static void uptime_draw_exit_file(struct pane_ctx *pc, int row)
{
    const struct r1_unit *u = &pc->n->unit;
    const struct r1_cv *cv = &pc->cv;
    int col = pane_label(pc, row, "Exit", UP_LABEL_W);
    const char *why = derive_exit_meaning(u->exit_file_code);
    char ex[200], fit[200];
    snprintf(ex, sizeof ex, "%d%s%s (exit file)", u->exit_file_code, why ? ": " : "",
             why ? why : "");
    draw_fit(fit, sizeof fit, ex, cv->w - col, pc->th->utf8);
    cv_text(cv, row, col, u->exit_file_code == 0 ? TH_WARN : TH_BAD, fit);
}

/* The status file's own age (the node rewrites it every 10 s), not when we last read it:
 * a file read a second ago that the node stopped writing 3 h ago is 3 h old. */
static void uptime_note_age(struct pane_ctx *pc)
{
    const struct r1_node *n = pc->n;
    if (!R1_VALID(&n->info, INFO_MTIME) || n->info.file_mtime <= 0) {
        if (n->status_dir_url[0] || n->info.meta.updated_at > 0)
            pane_note_age(pc, "file", &n->info.meta, SRC_NODE_INFO);
        else
            pane_note_age(pc, "oracle", &n->orc.meta, SRC_ORACLE_LAST);
        return;
    }
    double age = pc->now - n->info.file_mtime;
    if (age < 0)
        age = 0;
    char a[24];
    r1_fmt_age(a, sizeof a, age);
    snprintf(pc->age_note, sizeof pc->age_note, "file %s", a);
    double iv = pane_interval(pc, SRC_NODE_INFO);
    pc->age_role = draw_age_role(age, iv > 10 ? iv : 10);
}

static void uptime_draw_epoch(struct pane_ctx *pc, int row)
{
    const struct r1_node *n = pc->n;
    const struct r1_cv *cv = &pc->cv;
    int64_t cur = R1_VALID(&n->info, INFO_CUR_EPOCH) ? n->info.current_epoch
                                                     : pc->f->epoch_now;
    bool have_avail = R1_VALID(&n->info, INFO_CUR_AVAIL);
    double a = have_avail ? n->info.current_epoch_avail : 0;
    char num[24], avail[32], left[48] = "", tl[32];
    snprintf(num, sizeof num, "%lld", (long long)cur);
    if (have_avail)
        snprintf(avail, sizeof avail, "%.1f%%", a * 100);
    else
        snprintf(avail, sizeof avail, "n/a");
    if (pc->f->net) {
        pane_fmt_left(tl, sizeof tl, epoch_remaining_s(pc->f->net, pc->now));
        snprintf(left, sizeof left, "%s left", tl);
    }
    /* richest form that fits: bar and words, then words, then figures only */
    int fixed = UP_LABEL_W + (int)strlen(num) + 2 + (int)strlen(avail);
    int lw = left[0] ? 3 + draw_width(left, pc->th->utf8) : 0;
    int bar_w = cv->w - fixed - 7 - lw - 1;
    bar_w = bar_w > 12 ? 12 : bar_w;
    /* "so far" says what the percentage is: give up label padding, then the bar, before
     * the words; "left" goes last */
    static const struct {
        int label_w;
        bool so_far, left_word;
    } forms[] = {{UP_LABEL_W, true, true},
                 {UP_LABEL_W - 2, true, true},
                 {UP_LABEL_W, false, true},
                 {UP_LABEL_W - 2, false, true},
                 {UP_LABEL_W - 2, false, false}};
    int label_w = UP_LABEL_W - 2;
    bool so_far = false, left_word = false;
    for (size_t k = 0; k < R1_ARRAY_LEN(forms); k++) {
        int need = fixed - UP_LABEL_W + forms[k].label_w + (forms[k].so_far ? 7 : 0) +
                   (left[0] ? 3 + draw_width(tl, pc->th->utf8) + (forms[k].left_word ? 5 : 0) : 0);
        label_w = forms[k].label_w;
        so_far = forms[k].so_far;
        left_word = forms[k].left_word;
        if (need <= cv->w)
            break;
    }
    if (!left_word && left[0])
        snprintf(left, sizeof left, "%s", tl);
    int col = pane_label(pc, row, "Epoch", label_w);
    col += cv_text(cv, row, col, TH_VALUE, num);
    col += cv_text(cv, row, col, TH_NORMAL, "  ");
    if (have_avail && bar_w >= 4) {
        cv_bar(cv, row, col, bar_w, a, draw_avail_role((int)lround(a * 255)));
        col += bar_w + 1;
    }
    col += cv_text(cv, row, col, have_avail ? TH_VALUE : TH_NA, avail);
    if (so_far && have_avail)
        col += cv_text(cv, row, col, TH_NA, " so far");
    if (left[0])
        cv_printf(cv, row, col, TH_NA, " %s %s", pc->th->g->sep, left);
}

/* "e185 255 100%" items, newest first, skipping `skip` of them; returns how many it drew. */
static int uptime_draw_values(struct pane_ctx *pc, int row, const struct epoch_series *s, int skip)
{
    const struct r1_cv *cv = &pc->cv;
    int col = 0, drawn = 0;
    for (int i = s->n - 1 - skip; i >= 0; i--) {
        char item[48];
        if (s->have_ids)
            snprintf(item, sizeof item, "e%lld %d %d%%", (long long)s->id[i], s->val[i],
                     pct_of(s->val[i]));
        else
            snprintf(item, sizeof item, "%d %d%%", s->val[i], pct_of(s->val[i]));
        int w = (int)strlen(item) + (col ? 2 : 0);
        if (col + w > cv->w)
            break;
        if (col)
            col += cv_text(cv, row, col, TH_NA, "  ");
        cv_text(cv, row, col, draw_avail_role(s->val[i]), item);
        col += (int)strlen(item);
        drawn++;
    }
    return drawn;
}

/* Summary: last epoch, average, minimum, where the numbers come from — each part only when
 * it fits whole, so a narrow pane shows fewer facts rather than half of one. */
static void uptime_draw_summary(struct pane_ctx *pc, int row, const struct epoch_series *s)
{
    const struct r1_cv *cv = &pc->cv;
    const char *sep = pc->th->g->sep;
    int min_i = 0;
    double sum = 0;
    for (int i = 0; i < s->n; i++) {
        sum += s->val[i];
        if (s->val[i] < s->val[min_i])
            min_i = i;
    }
    int last = s->n - 1;
    char ids[2][24] = {"", ""}, part[4][64];
    enum th_role roles[4];
    if (s->have_ids) {
        snprintf(ids[0], sizeof ids[0], "e%lld ", (long long)s->id[last]);
        snprintf(ids[1], sizeof ids[1], "e%lld ", (long long)s->id[min_i]);
    }
    snprintf(part[0], sizeof part[0], "%s%d/255 %d%%", ids[0], s->val[last], pct_of(s->val[last]));
    roles[0] = draw_avail_role(s->val[last]);
    snprintf(part[1], sizeof part[1], "avg %.1f%%", sum / s->n * 100.0 / 255.0);
    roles[1] = draw_avail_role((int)lround(sum / s->n));
    snprintf(part[2], sizeof part[2], "min %s%d %d%%", ids[1], s->val[min_i],
             pct_of(s->val[min_i]));
    roles[2] = draw_avail_role(s->val[min_i]);
    snprintf(part[3], sizeof part[3], "%s", s->from_oracle ? "oracle" : "node file");
    roles[3] = TH_NA;
    int col = 0;
    for (int k = 0; k < 4; k++) {
        int sepw = col ? 3 : 0;
        int w = draw_width(part[k], pc->th->utf8) + (k == 3 && s->from_oracle ? 8 : 0);
        if (col + sepw + w > cv->w)
            continue;
        if (col)
            col += cv_printf(cv, row, col, TH_NA, " %s ", sep);
        col += cv_text(cv, row, col, roles[k], part[k]);
        if (k == 3 && s->from_oracle) {
            col += cv_text(cv, row, col, TH_NA, " ");
            col += cv_trust(cv, row, col, s->trust);
        }
    }
}

/* Vertical bars, one column group per epoch, percentages under them, ids at the ends. */
static void uptime_draw_chart(struct pane_ctx *pc, int top, int rows, const struct epoch_series *s)
{
    const struct r1_cv *cv = &pc->cv;
    const struct r1_glyphs *g = pc->th->g;
    int bar_h = rows - 3;
    /* 4 columns per epoch leave room for its percentage under the bar; prefer that over
     * squeezing every epoch in, as long as half a month of epochs still shows */
    int cw = cv->w / (s->n > 0 ? s->n : 1);
    if (cw < 4 && cv->w / 4 >= (s->n < 15 ? s->n : 15))
        cw = 4;
    cw = cw >= 5 ? 5 : cw < 1 ? 1 : cw;
    int shown = cv->w / cw;
    if (shown > s->n)
        shown = s->n;
    int first = s->n - shown;
    int bw = cw >= 3 ? cw - 1 : cw; /* a gap between bars when there is room */
    for (int k = 0; k < shown; k++) {
        int i = first + k, x = k * cw;
        enum th_role role = draw_avail_role(s->val[i]);
        int eighths = (int)lround(s->val[i] / 255.0 * bar_h * 8);
        if (s->val[i] > 0 && eighths == 0)
            eighths = 1;
        for (int r = 0; r < bar_h; r++) {
            int cell = eighths - r * 8; /* eighths in this cell, counting from the bottom */
            const char *gl = cell >= 8 ? g->bar_full : cell > 0 ? g->spark[cell - 1] : NULL;
            if (!gl && r == 0 && s->val[i] == 0)
                gl = g->spark[0]; /* a zero epoch still shows, in red */
            if (gl)
                cv_fill(cv, top + bar_h - 1 - r, x, bw, role, gl);
        }
        if (cw >= 4)
            cv_printf(cv, top + bar_h, x, role, "%*d", bw, pct_of(s->val[i]));
    }
    /* the id axis: first and last epoch shown */
    if (s->have_ids && shown > 0) {
        char a[32], b[32];
        snprintf(a, sizeof a, "e%lld", (long long)s->id[first]);
        snprintf(b, sizeof b, "e%lld", (long long)s->id[s->n - 1]);
        cv_text(cv, top + bar_h + 1, 0, TH_NA, a);
        int bx = shown * cw - (cw >= 3 ? 1 : 0) - (int)strlen(b);
        if (bx > (int)strlen(a) + 1)
            cv_text(cv, top + bar_h + 1, bx, TH_NA, b);
        if (cw >= 4 && bx > (int)strlen(a) + 12)
            cv_textn(cv, top + bar_h + 1, (int)strlen(a) + 2, bx - (int)strlen(a) - 3, TH_NA,
                     "% of each epoch the node was seen");
    }
    uptime_draw_summary(pc, top + bar_h + 2, s);
}

static void uptime_draw_spark(struct pane_ctx *pc, int top, int rows, const struct epoch_series *s)
{
    const struct r1_cv *cv = &pc->cv;
    float v[UP_EPOCHS_MAX];
    for (int i = 0; i < s->n; i++)
        v[i] = (float)s->val[i];
    char label[24];
    snprintf(label, sizeof label, "Last %d", s->n);
    int col = pane_label(pc, top, label, UP_LABEL_W);
    int sw = cv->w - col;
    if (sw > s->n)
        sw = s->n;
    /* coloured point by point: a red epoch among green ones is the thing to spot */
    int first = s->n - sw;
    for (int i = first; i < s->n; i++)
        cv_spark(cv, top, col + (i - first), 1, &v[i], 1, 0, 255, draw_avail_role(s->val[i]));
    col += sw + 1;
    if (col + 14 <= cv->w)
        cv_printf(cv, top, col, draw_avail_role(s->val[s->n - 1]), "%d %d%%", s->val[s->n - 1],
                  pct_of(s->val[s->n - 1]));
    /* values on the rows between, newest first; the summary closes the block */
    int skip = 0;
    for (int r = 1; r < rows - 1 && skip < s->n; r++) {
        int d = uptime_draw_values(pc, top + r, s, skip);
        if (d == 0)
            break;
        skip += d;
    }
    if (rows >= 2)
        uptime_draw_summary(pc, top + rows - 1, s);
}

void pane_uptime_draw(struct pane_ctx *pc)
{
    const struct r1_node *n = pc->n;
    const struct r1_cv *cv = &pc->cv;
    /* the first failing source explains what is missing */
    static const struct {
        enum r1_source_id src;
        const char *what;
    } explain[] = {{SRC_NODE_INFO, "status file"},
                   {SRC_ORACLE_LAST, "oracle"},
                   {SRC_ORACLE_RANGE, "oracle"},
                   {SRC_NODE_HISTORY, "history file"}};
    int err = -1;
    for (int i = 0; i < (int)R1_ARRAY_LEN(explain) && err < 0; i++)
        if (n->src[explain[i].src].err.kind != R1_EK_NONE)
            err = i;
    int rows = cv->h - (err >= 0 ? 1 : 0);

    uptime_note_age(pc);

    int row = 0;
    if (row < rows)
        uptime_draw_state(pc, row++);
    if (row < rows)
        uptime_draw_uptime(pc, row++);
    if (row + 1 < rows && uptime_has_exit(n))
        uptime_draw_exit(pc, row++);
    if (row + 1 < rows && n->service[0])
        uptime_draw_unit(pc, row++);
    if (row + 1 < rows && R1_VALID(&n->unit, UNIT_EXIT_FILE))
        uptime_draw_exit_file(pc, row++);
    /* where A can read the list: the container through the API here, or over ssh */
    if (row + 2 < rows &&
        actions_check(actions_get(R1_ACT_ALLOWED), n, false, true) != R1_ACT_NO_BACKEND)
        uptime_draw_allowed(pc, row++);
    if (row < rows)
        uptime_draw_epoch(pc, row++);
    if (row < rows) {
        struct epoch_series s;
        uptime_collect_epochs(n, &s);
        int left = rows - row;
        if (s.n == 0)
            cv_text(cv, row, 0, TH_NA, "Last epochs: n/a");
        else if (left >= 7)
            uptime_draw_chart(pc, row, left, &s);
        else
            uptime_draw_spark(pc, row, left, &s);
    }
    if (err >= 0)
        pane_draw_error(pc, cv->h - 1, explain[err].what, NULL, explain[err].src);
}
