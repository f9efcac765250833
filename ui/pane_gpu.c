/* pane_gpu: every GPU the node's host reports — load, memory, temperature, power, and a short
 * history of the load and memory. Unknown values are "n/a", never 0. A GPU gets one, two or
 * three lines depending on the room the pane has per GPU. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panes.h"

/* "12.1/24 GiB" */
static void gpu_fmt_mem(const struct r1_gpu *g, char *dst, size_t n)
{
    char used[24], total[24];
    r1_fmt_bytes(used, sizeof used, g->mem_used_bytes);
    r1_fmt_bytes(total, sizeof total, g->mem_total_bytes);
    /* "12 GiB/24 GiB" says the unit twice; keep the second only when they agree */
    const char *u1 = strchr(used, ' '), *u2 = strchr(total, ' ');
    if (u1 && u2 && strcmp(u1, u2) == 0)
        snprintf(dst, n, "%.*s/%s", (int)(u1 - used), used, total);
    else
        snprintf(dst, n, "%s/%s", used, total);
}

/* The GPU's name in at most cols columns: vendor words go before the model is cut
 * ("NVIDIA GeForce RTX 4090" -> "GeForce RTX 4090" -> "RTX 4090"). */
static void gpu_fit_name(const struct pane_ctx *pc, const struct r1_gpu *g, char *dst, size_t n,
                         int cols)
{
    static const char *const drop[] = {"NVIDIA ", "GeForce ", "Tesla "};
    const char *name = R1_VALID(g, GPU_NAME) && g->name[0] ? g->name : "GPU";
    for (size_t i = 0; i < R1_ARRAY_LEN(drop); i++) {
        if (draw_width(name, pc->th->utf8) <= cols)
            break;
        size_t l = strlen(drop[i]);
        if (strncmp(name, drop[i], l) == 0 && name[l])
            name += l;
    }
    draw_fit(dst, n, name, cols, pc->th->utf8);
}

static double gpu_mem_frac(const struct r1_gpu *g)
{
    return g->mem_total_bytes > 0 ? g->mem_used_bytes / g->mem_total_bytes : NAN;
}

static enum th_role gpu_temp_role(double t)
{
    return t >= 85 ? TH_BAD : t >= 75 ? TH_WARN : TH_VALUE;
}

static enum th_role gpu_load_role(double pct)
{
    return pct >= 95 ? TH_WARN : TH_GOOD;
}

/* "64°C" (or "64C" in ASCII), returns columns. */
static int gpu_draw_temp(const struct pane_ctx *pc, int row, int col, const struct r1_gpu *g)
{
    if (!R1_VALID(g, GPU_TEMP))
        return cv_text(&pc->cv, row, col, TH_NA, "n/a");
    return cv_printf(&pc->cv, row, col, gpu_temp_role(g->temp_c), "%.0f%s", g->temp_c,
                     pc->th->utf8 ? "\u00b0C" : "C");
}

static int gpu_draw_load(const struct pane_ctx *pc, int row, int col, const struct r1_gpu *g)
{
    if (!R1_VALID(g, GPU_UTIL))
        return cv_text(&pc->cv, row, col, TH_NA, " n/a");
    return cv_printf(&pc->cv, row, col, TH_VALUE, "%3.0f%%", g->util_pct);
}

static int gpu_draw_memtext(const struct pane_ctx *pc, int row, int col, const struct r1_gpu *g,
                            bool pct)
{
    if (!R1_VALID(g, GPU_MEM))
        return cv_text(&pc->cv, row, col, TH_NA, "n/a");
    char m[48];
    gpu_fmt_mem(g, m, sizeof m);
    int used = cv_text(&pc->cv, row, col, TH_VALUE, m);
    if (pct && !isnan(gpu_mem_frac(g)))
        used += cv_printf(&pc->cv, row, col + used, TH_NA, " %.0f%%", gpu_mem_frac(g) * 100);
    return used;
}

static int gpu_draw_hist(const struct pane_ctx *pc, int row, int col, int width,
                         const struct r1_series *s)
{
    if (width < 4 || s->n <= 0)
        return 0;
    return cv_spark(&pc->cv, row, col, width, s->v, s->n, 0, 100, TH_SPARK);
}

/* One line: "0 RTX 4090  ███▌  87%  mem 12/24 GiB 50%  64°C  212 W  ▂▃▅▇"; narrow panes
 * keep the figures and give up the bar, the power and the history. */
static void gpu_draw_line(const struct pane_ctx *pc, int row, int idx, const struct r1_gpu *g)
{
    const struct r1_cv *cv = &pc->cv;
    bool wide = cv->w >= 90;
    char name[64];
    /* narrow: the name gets what the figures leave; memory only when it fits too */
    bool with_mem = wide || cv->w >= 46;
    int nw = cv->w >= 100 ? 24 : wide ? 18 : cv->w - (with_mem ? 30 : 13);
    if (nw < 6)
        nw = 6;
    gpu_fit_name(pc, g, name, sizeof name, nw);
    int col = cv_printf(cv, row, 0, TH_NA, "%d ", idx);
    cv_text(cv, row, col, TH_VALUE, name);
    col += (wide ? nw : draw_width(name, pc->th->utf8)) + 1;
    if (wide) {
        if (R1_VALID(g, GPU_UTIL))
            cv_bar(cv, row, col, 10, g->util_pct / 100, gpu_load_role(g->util_pct));
        col += 11;
    }
    col += gpu_draw_load(pc, row, col, g) + 1;
    col += gpu_draw_temp(pc, row, col, g) + 2;
    if (wide)
        col += cv_text(cv, row, col, TH_LABEL, "mem ");
    if (with_mem)
        col += gpu_draw_memtext(pc, row, col, g, wide) + 2;
    if (!wide)
        return;
    if (R1_VALID(g, GPU_POWER))
        col += cv_printf(cv, row, col, TH_NORMAL, "%.0f W", g->power_mw / 1000) + 2;
    gpu_draw_hist(pc, row, col, cv->w - col, &g->util_hist);
}

/* Two lines: name, load and temperature; then memory and the load history. */
static void gpu_draw_two(const struct pane_ctx *pc, int row, int rows, int idx,
                         const struct r1_gpu *g)
{
    const struct r1_cv *cv = &pc->cv;
    char name[64];
    /* the index tells apart two cards of the same model */
    int col0 = cv_printf(cv, row, 0, TH_NA, "%d ", idx);
    gpu_fit_name(pc, g, name, sizeof name, cv->w - 11 - col0);
    cv_text(cv, row, col0, TH_VALUE, name);
    int col = cv->w - 10;
    col += gpu_draw_load(pc, row, col, g) + 1;
    gpu_draw_temp(pc, row, col, g);
    if (rows < 2)
        return;
    col = cv_text(cv, row + 1, 0, TH_LABEL, "  mem ");
    col += gpu_draw_memtext(pc, row + 1, col, g, true) + 2;
    if (cv->w - col >= 10 && g->util_hist.n > 0) {
        col += cv_text(cv, row + 1, col, TH_LABEL, "load ");
        gpu_draw_hist(pc, row + 1, col, cv->w - col, &g->util_hist);
    }
}

/* Three lines: name, temperature, power; load bar + history; memory bar + history. */
static void gpu_draw_three(const struct pane_ctx *pc, int row, const struct r1_gpu *g,
                           bool load_spark)
{
    const struct r1_cv *cv = &pc->cv;
    char name[64];
    gpu_fit_name(pc, g, name, sizeof name, cv->w - 16);
    cv_text(cv, row, 0, TH_VALUE, name);
    int col = cv->w - 14;
    col += gpu_draw_temp(pc, row, col, g) + 2;
    if (R1_VALID(g, GPU_POWER))
        cv_printf(cv, row, col, TH_NORMAL, "%.0f W", g->power_mw / 1000);

    int bw = (cv->w - 10) / 3;
    bw = bw > 16 ? 16 : bw;
    col = cv_text(cv, row + 1, 0, TH_LABEL, "load ");
    if (R1_VALID(g, GPU_UTIL))
        cv_bar(cv, row + 1, col, bw, g->util_pct / 100, gpu_load_role(g->util_pct));
    col += bw;
    col += gpu_draw_load(pc, row + 1, col, g) + 1;
    if (load_spark) /* else the chart below shows the load history */
        gpu_draw_hist(pc, row + 1, col, cv->w - col, &g->util_hist);

    col = cv_text(cv, row + 2, 0, TH_LABEL, "mem  ");
    if (R1_VALID(g, GPU_MEM) && !isnan(gpu_mem_frac(g)))
        cv_bar(cv, row + 2, col, bw, gpu_mem_frac(g), TH_SPARK);
    col += bw + 1;
    col += gpu_draw_memtext(pc, row + 2, col, g, false) + 1;
    gpu_draw_hist(pc, row + 2, col, cv->w - col, &g->mem_hist_pct);
}

/* The load history as a small bar chart (tall panes): newest at the right, 0..100%. */
static void gpu_draw_chart(const struct pane_ctx *pc, int top, int h, const struct r1_series *s)
{
    const struct r1_cv *cv = &pc->cv;
    const struct r1_glyphs *g = pc->th->g;
    int x0 = 5, w = cv->w - x0;
    if (h < 2 || w < 8 || s->n <= 0)
        return;
    cv_text(cv, top, 0, TH_NA, "100%");
    cv_text(cv, top + h - 1, 0, TH_NA, "  0%");
    int first = s->n > w ? s->n - w : 0;
    for (int i = first; i < s->n; i++) {
        int x = x0 + (i - first);
        if (isnan(s->v[i]))
            continue;
        double f = s->v[i] / 100.0;
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        int eighths = (int)lround(f * h * 8);
        for (int r = 0; r < h; r++) {
            int cell = eighths - r * 8;
            if (cell <= 0)
                break;
            cv_text(cv, top + h - 1 - r, x, TH_SPARK, cell >= 8 ? g->bar_full : g->spark[cell - 1]);
        }
    }
}

void pane_gpu_draw(struct pane_ctx *pc)
{
    const struct r1_node *n = pc->n;
    const struct r1_cv *cv = &pc->cv;
    int ng = n->n_gpus < 0 ? 0 : n->n_gpus > R1_GPU_MAX ? R1_GPU_MAX : n->n_gpus;
    /* the GPU group says which source fed it (the history file's figures are as old as that
     * file, NVML's as the last sample) */
    const struct r1_meta *gm = &n->gpu_meta;
    enum r1_source_id src = gm->fed_by > 0 ? (enum r1_source_id)(gm->fed_by - 1) : SRC_GPU;
    if (n->gpu_backend[0])
        snprintf(pc->title_note, sizeof pc->title_note, "%s", n->gpu_backend);
    bool failed = pane_src_failed(pc, gm, SRC_GPU);
    int rows = cv->h - (failed ? 1 : 0);

    if (ng == 0) {
        if (rows > 0)
            cv_text(cv, 0, 0, TH_NA, n->gpu_backend[0] ? "no GPU found" : "n/a (no GPU source)");
        return;
    }
    pane_note_age(pc, "", &n->gpu_meta, src);
    /* "  12 s" reads oddly with an empty source name: trim the leading blank */
    if (pc->age_note[0] == ' ')
        memmove(pc->age_note, pc->age_note + 1, strlen(pc->age_note));

    int per = rows / ng;
    int row = 0, i;
    for (i = 0; i < ng && row < rows; i++) {
        const struct r1_gpu *g = &n->gpus[i];
        if (per >= 3 && rows - row >= 3) {
            /* big panes: the load history as a chart under the figures */
            int ch = per - 4 > 8 ? 8 : per - 4;
            bool chart = ch >= 3 && rows - row - 3 >= ch && g->util_hist.n > 0;
            gpu_draw_three(pc, row, g, !chart);
            row += 3;
            if (chart) {
                gpu_draw_chart(pc, row, ch, &g->util_hist);
                row += ch;
            }
            if (per >= 4 && i + 1 < ng)
                row++;
        } else if (cv->w >= 90 || per < 2) {
            gpu_draw_line(pc, row, i, g);
            row += 1;
        } else {
            gpu_draw_two(pc, row, rows - row, i, g);
            row += 2;
        }
    }
    if (i < ng)
        snprintf(pc->foot_note, sizeof pc->foot_note, "+%d more GPU%s", ng - i,
                 ng - i == 1 ? "" : "s");
    if (failed)
        pane_draw_error(pc, cv->h - 1, "gpu", gm, SRC_GPU);
}
