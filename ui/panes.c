/* panes: the pane table (with each pane's minimum size), the box each pane lives in (title, age, scroll hints in the border),
 * and the helpers every pane uses to say how old its data is and why the last poll failed.
 * A pane's draw function only fills the inside of its box. */
#include "panes.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "epoch.h"

/* Minimums: a border and one line of content; the workloads list also needs its title line,
 * and 30 columns is where every pane's key figure still reads. */
const struct pane pane_table[PANE_COUNT] = {
    [PANE_LICENCE] = {PANE_LICENCE, "Licence", 30, 3, pane_licence_draw},
    [PANE_UPTIME] = {PANE_UPTIME, "Uptime & availability", 30, 3, pane_uptime_draw},
    [PANE_WORKLOADS] = {PANE_WORKLOADS, "Workloads", 30, 4, pane_workloads_draw},
    [PANE_GPU] = {PANE_GPU, "GPU", 30, 3, pane_gpu_draw},
    [PANE_REWARDS] = {PANE_REWARDS, "Rewards", 30, 3, pane_rewards_draw},
};

void panes_min_sizes(struct layout_pane_min out[PANE_COUNT])
{
    for (int i = 0; i < PANE_COUNT; i++) {
        out[i].w = pane_table[i].min_w;
        out[i].h = pane_table[i].min_h;
    }
}

/* The status of the source that fed m (or, before anything did, of dflt): where its figures
 * came from, how often it refreshes, and its last error, as the poller recorded them. */
const struct r1_src_status *pane_src(const struct pane_ctx *pc, const struct r1_meta *m,
                                     enum r1_source_id dflt)
{
    int src = m && m->fed_by > 0 ? m->fed_by - 1 : (int)dflt;
    if (src < 0 || src >= SRC_COUNT)
        src = 0;
    const struct r1_source_ops *ops = source_get((enum r1_source_id)src);
    if (ops && ops->scope == R1_SCOPE_FLEET)
        return &pc->f->src[src];
    return &pc->n->src[src];
}

bool pane_src_failed(const struct pane_ctx *pc, const struct r1_meta *m, enum r1_source_id dflt)
{
    return pane_src(pc, m, dflt)->err.kind != R1_EK_NONE;
}

/* How often the source refreshes, as the poller runs it (the config's or the default). */
double pane_interval(const struct pane_ctx *pc, enum r1_source_id src)
{
    const struct r1_src_status *st = pane_src(pc, NULL, src);
    if (st->interval_s > 0)
        return st->interval_s;
    const struct r1_source_ops *ops = source_get(src);
    return ops && ops->default_interval_s > 0 ? ops->default_interval_s : 10;
}

void pane_fmt_ago(char *dst, size_t dst_size, double age_s)
{
    if (age_s < 0 || isnan(age_s)) {
        snprintf(dst, dst_size, "never");
        return;
    }
    char a[24];
    r1_fmt_age(a, sizeof a, age_s);
    snprintf(dst, dst_size, "%s ago", a);
}

void pane_note_age(struct pane_ctx *pc, const char *what, const struct r1_meta *m,
                   enum r1_source_id src)
{
    double age = model_meta_age(m, pc->now);
    bool failed = pane_src_failed(pc, m, src);
    char a[24];
    if (age < 0) {
        snprintf(pc->age_note, sizeof pc->age_note, "%s%sn/a", what, what[0] ? " " : "");
        pc->age_role = failed ? TH_BAD : TH_NA;
        return;
    }
    r1_fmt_age(a, sizeof a, age);
    snprintf(pc->age_note, sizeof pc->age_note, "%s %s", what, a);
    pc->age_role = draw_age_role(age, pane_interval(pc, src));
    if (failed && pc->age_role == TH_NA)
        pc->age_role = TH_WARN;
}

int pane_draw_error(struct pane_ctx *pc, int row, const char *what, const struct r1_meta *m,
                    enum r1_source_id src)
{
    const struct r1_src_status *st = pane_src(pc, m, src);
    if (st->err.kind == R1_EK_NONE || row < 0 || row >= pc->cv.h)
        return 0;
    char ago[32], words[R1_ERR_MAX], url[R1_URL_MAX], line[R1_ERR_MAX + 96];
    pane_fmt_ago(ago, sizeof ago, st->attempt_at > 0 ? pc->now - st->attempt_at : -1);
    /* The whole error where it fits, else the brief one (the reason without the URL): the
     * error is data, so nothing is cut out of a sentence (D26). */
    r1_url_redact(url, sizeof url, st->url ? st->url : "");
    model_error_format(&st->err, url, words, sizeof words);
    int room = pc->cv.w - (int)strlen(what) - 2 - (int)strlen(ago) - 3;
    if (draw_width(words, pc->th->utf8) > room)
        model_error_format(&st->err, NULL, words, sizeof words);
    char err[R1_ERR_MAX];
    draw_fit(err, sizeof err, words, room > 8 ? room : 8, pc->th->utf8);
    snprintf(line, sizeof line, "%s: %s (%s)", what, err, ago);
    cv_text(&pc->cv, row, 0, TH_BAD, line);
    return 1;
}

void pane_fmt_left(char *dst, size_t dst_size, double secs)
{
    if (!(secs >= 0) || secs > 1e9) {
        snprintf(dst, dst_size, "n/a");
        return;
    }
    long t = (long)secs;
    if (t >= 86400)
        snprintf(dst, dst_size, "%ldd %02ldh", t / 86400, t / 3600 % 24);
    else if (t >= 3600)
        snprintf(dst, dst_size, "%ldh %02ldm", t / 3600, t / 60 % 60);
    else
        snprintf(dst, dst_size, "%ldm %02lds", t / 60, t % 60);
}

void pane_fmt_r1(char *dst, size_t dst_size, r1_u128 wei, int places)
{
    char a[64];
    amount_fmt(a, sizeof a, wei, R1_WEI_DECIMALS, places);
    snprintf(dst, dst_size, "%s R1", a);
}

int pane_label(const struct pane_ctx *pc, int row, const char *label, int label_w)
{
    cv_textn(&pc->cv, row, 0, label_w, TH_LABEL, label);
    return label_w;
}

int pane_na(const struct pane_ctx *pc, int row, int col)
{
    return cv_text(&pc->cv, row, col, TH_NA, "n/a");
}

static void pane_draw_one(WINDOW *win, const struct pane *p, const struct r1_rect *r,
                          const struct r1_theme *th, const struct r1_fleet *f,
                          const struct r1_node *n, double now, const struct ui_env *env,
                          const struct node_view *v, enum r1_layout_mode mode)
{
    struct r1_cv box = cv_make(win, r->y, r->x, r->h, r->w, th);
    struct pane_ctx pc;
    memset(&pc, 0, sizeof pc);
    pc.cv = cv_sub(&box, 1, 1, r->h - 2, r->w - 2);
    pc.f = f;
    pc.n = n;
    pc.now = now;
    pc.th = th;
    pc.env = env;
    pc.view = v;
    pc.mode = mode;
    pc.age_role = TH_NA;
    p->draw(&pc);

    char title[160];
    if (pc.title_note[0])
        snprintf(title, sizeof title, "%s %s %s", p->title, th->g->sep, pc.title_note);
    else
        snprintf(title, sizeof title, "%s", p->title);
    cv_box(&box, title);
    /* the age note never covers the title: it only gets the room the title left */
    int room = r->w - 6 - draw_width(title, th->utf8) - 2;
    if (pc.age_note[0] && draw_width(pc.age_note, th->utf8) <= room)
        cv_border_note(&box, 0, pc.age_role, pc.age_note);
    if (pc.foot_note[0] && r->h > 2)
        cv_border_note(&box, r->h - 1, TH_NA, pc.foot_note);
}

void panes_draw_all(WINDOW *win, const struct r1_layout *lay, const struct r1_theme *th,
                    const struct r1_fleet *f, const struct r1_node *n, double now,
                    const struct ui_env *env, const struct node_view *v)
{
    for (int i = 0; i < PANE_COUNT; i++) {
        const struct r1_rect *r = &lay->panes[i];
        if (!r->visible || r->h < 2 || r->w < 4)
            continue;
        pane_draw_one(win, &pane_table[i], r, th, f, n, now, env, v, lay->mode);
    }
}

int pane_draw_trust_detail(struct pane_ctx *pc, int row, const struct r1_oracle_node *o)
{
    const struct r1_cv *cv = &pc->cv;
    if (row < 0 || row >= cv->h || o->meta.updated_at <= 0)
        return 0;
    char line[R1_ERR_MAX + 96], fit[R1_ERR_MAX + 96];
    enum th_role role = TH_WARN;
    switch (o->trust) {
    case R1_TRUST_BAD:
        role = TH_ALERT;
        snprintf(line, sizeof line, "BAD SIGNATURE: %s", o->trust_reason[0] ? o->trust_reason
                                                                            : "does not verify");
        break;
    case R1_TRUST_UNKNOWN_SIGNER:
        snprintf(line, sizeof line, "unknown signer %s: not a known oracle",
                 o->signer[0] ? o->signer : "?");
        break;
    case R1_TRUST_UNSIGNED:
        snprintf(line, sizeof line, "unsigned oracle reply: not verified");
        break;
    default:
        return 0;
    }
    draw_fit(fit, sizeof fit, line, cv->w, pc->th->utf8);
    cv_text(cv, row, 0, role, fit);
    return 1;
}
