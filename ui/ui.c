/* ui: the terminal's lifecycle and the frame. Starts curses, and from then on guarantees the
 * terminal comes back: ui_stop() on the normal path, an atexit hook for early exits, and a
 * crash handler that writes the saved reset sequences with write(2) (endwin is not
 * async-signal-safe) and restores the saved termios before the signal takes its course. */
#include "ui.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "app.h"
#include "draw.h"
#include "keys.h"
#include "layout.h"
#include "panes.h"

#ifndef NCURSES_WIDECHAR
#error "ui needs ncursesw"
#endif
#include <term.h>

struct r1_ui {
    struct r1_view view;
    struct r1_theme theme;
    struct r1_layout lay;
    int lay_rows, lay_cols; /* the size lay was computed for */
    SCREEN *screen;
};

/* Crash-path state: plain bytes and a termios, written before any signal can need them. */
static volatile sig_atomic_t ui_term_taken;
static struct termios ui_saved_tio;
static bool ui_have_tio;
static char ui_reset_seq[256];
static size_t ui_reset_len;
static bool ui_atexit_done;
static struct r1_ui *ui_current;

static const int ui_crash_signals[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};

static void ui_reset_append(const char *cap, const char *fallback)
{
    /* tigetstr returns (char *)-1 for a name that is not a string capability */
    char *s = tigetstr((char *)cap);
    const char *use = (s && s != (char *)-1) ? s : fallback;
    size_t n = strlen(use);
    if (ui_reset_len + n < sizeof ui_reset_seq) {
        memcpy(ui_reset_seq + ui_reset_len, use, n);
        ui_reset_len += n;
    }
}

static void ui_crash_handler(int sig)
{
    if (ui_term_taken) {
        ssize_t w = write(STDOUT_FILENO, ui_reset_seq, ui_reset_len);
        (void)w;
        if (ui_have_tio)
            tcsetattr(STDIN_FILENO, TCSANOW, &ui_saved_tio);
        ui_term_taken = 0;
    }
    /* SA_RESETHAND put the default action back; SA_NODEFER lets this raise take effect now */
    raise(sig);
}

static void ui_atexit(void)
{
    if (ui_term_taken && ui_current) {
        endwin();
        ui_term_taken = 0;
    }
}

static void ui_install_crash_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = ui_crash_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = (int)(SA_RESETHAND | SA_NODEFER);
    for (size_t i = 0; i < R1_ARRAY_LEN(ui_crash_signals); i++)
        sigaction(ui_crash_signals[i], &sa, NULL);
}

static void ui_remove_crash_handlers(void)
{
    for (size_t i = 0; i < R1_ARRAY_LEN(ui_crash_signals); i++)
        signal(ui_crash_signals[i], SIG_DFL);
}

static bool ui_locale_is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int ui_start(struct r1_ui **out, const struct r1_ui_opts *opts, char *err)
{
    *out = NULL;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return r1_err(err, "the screen needs a terminal on stdin and stdout; "
                           "use --once for a one-shot report");
    setlocale(LC_ALL, "");
    /* The screen needs the user's character set, not their decimal comma: the parsers run
     * in this process and read "0.99" with strtod. */
    setlocale(LC_NUMERIC, "C");
    bool utf8 = ui_locale_is_utf8();
    ui_have_tio = tcgetattr(STDIN_FILENO, &ui_saved_tio) == 0;

    struct r1_ui *ui = xcalloc(1, sizeof *ui);
    /* newterm, not initscr: initscr exits the process on a bad TERM */
    ui->screen = newterm(NULL, stdout, stdin);
    if (!ui->screen) {
        const char *term = getenv("TERM");
        free(ui);
        return r1_err(err,
                      "cannot start the screen for TERM=%s; try TERM=xterm-256color, "
                      "or --once",
                      term ? term : "(unset)");
    }
    ui_current = ui;
    ui_term_taken = 1;
    ui_reset_len = 0;
    ui_reset_append("sgr0", "\033[0m");
    ui_reset_append("rmcup", "\033[?1049l");
    ui_reset_append("cnorm", "\033[?25h");
    ui_reset_append("rmkx", "\033[?1l");
    ui_install_crash_handlers();
    if (!ui_atexit_done) {
        atexit(ui_atexit);
        ui_atexit_done = true;
    }

    set_escdelay(25); /* Esc closes help at once, not after ncurses' default second */
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    const char *nc = getenv("NO_COLOR");
    bool color = has_colors() && !(opts && opts->no_color) && !(nc && *nc);
    if (color) {
        start_color();
        use_default_colors();
    }
    theme_init(&ui->theme, color, utf8);
    ui->view.readonly = opts && opts->readonly;
    for (int i = 0; i < SRC_COUNT; i++)
        ui->view.interval_s[i] = opts && opts->interval_s ? opts->interval_s[i] : 0;
    ui->view.full_redraw = true;
    *out = ui;
    return 0;
}

void ui_stop(struct r1_ui *ui)
{
    if (!ui)
        return;
    if (ui_term_taken) {
        endwin();
        ui_term_taken = 0;
    }
    ui_remove_crash_handlers();
    if (ui->screen)
        delscreen(ui->screen);
    if (ui_current == ui)
        ui_current = NULL;
    free(ui);
}

int ui_input_fd(const struct r1_ui *ui)
{
    (void)ui;
    return STDIN_FILENO;
}

/* Make curses' idea of the size match the terminal's, whoever caught the SIGWINCH. */
static void ui_sync_size(struct r1_ui *ui)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
        (ws.ws_row != LINES || ws.ws_col != COLS))
        resizeterm(ws.ws_row, ws.ws_col);
    ui->lay_rows = ui->lay_cols = -1;
    ui->view.full_redraw = true;
}

int ui_on_input(void *ctx, struct r1_fleet *f)
{
    struct r1_ui *ui = ctx;
    int flags = 0, ch;
    while ((ch = wgetch(stdscr)) != ERR) {
        if (ch == KEY_RESIZE) {
            ui_sync_size(ui);
            flags |= R1_FE_REDRAW;
            continue;
        }
        flags |= keys_dispatch(&ui->view, f, ch);
        if (flags & R1_FE_QUIT)
            return flags;
    }
    /* A closed terminal reads as "ready" forever; without this check the loop would spin. */
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};
    if (poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
        flags |= R1_FE_QUIT;
    return flags;
}

void ui_on_resize(void *ctx)
{
    ui_sync_size(ctx);
}

static void ui_draw_too_small(struct r1_ui *ui)
{
    int rows = LINES, cols = COLS;
    struct r1_cv cv = cv_make(stdscr, 0, 0, rows, cols, &ui->theme);
    char line[96];
    snprintf(line, sizeof line, "terminal %dx%d is too small", cols, rows);
    int y = rows / 2 - 1;
    int x = (cols - (int)strlen(line)) / 2;
    cv_text(&cv, y < 0 ? 0 : y, x < 0 ? 0 : x, TH_WARN, line);
    snprintf(line, sizeof line, "r1top needs %dx%d", R1_MIN_COLS, R1_MIN_ROWS);
    x = (cols - (int)strlen(line)) / 2;
    cv_text(&cv, y + 1, x < 0 ? 0 : x, TH_NA, line);
    snprintf(line, sizeof line, "q quits");
    x = (cols - (int)strlen(line)) / 2;
    cv_text(&cv, y + 2, x < 0 ? 0 : x, TH_NA, line);
}

static void ui_draw_no_nodes(struct r1_ui *ui, const struct r1_fleet *f, const struct r1_rect *r)
{
    struct r1_cv cv = cv_make(stdscr, r->y, r->x, r->h, r->w, &ui->theme);
    cv_box(&cv, "No nodes");
    struct r1_cv in = cv_sub(&cv, 1, 2, cv.h - 2, cv.w - 4);
    cv_text(&in, 0, 0, TH_VALUE, "No node to show.");
    int row = 1 + cv_text_wrap(&in, 1, 0, in.h - 3, TH_NA, f->discovery_note);
    cv_text_wrap(&in, row + 1, 0, in.h - row - 1, TH_NORMAL,
                 "Add nodes to ~/.config/r1top/config.yaml (see r1top.yaml.example), "
                 "or try r1top --demo.");
}

void ui_draw(void *ctx, const struct r1_fleet *f, double now)
{
    struct r1_ui *ui = ctx;
    if (LINES != ui->lay_rows || COLS != ui->lay_cols) {
        layout_compute(LINES, COLS, &ui->lay);
        ui->lay_rows = LINES;
        ui->lay_cols = COLS;
    }
    if (ui->view.full_redraw) {
        /* after a resize or Ctrl-L nothing on the terminal can be trusted: repaint it all */
        clearok(curscr, TRUE);
        ui->view.full_redraw = false;
    }
    werase(stdscr);
    const struct r1_layout *lay = &ui->lay;
    if (lay->too_small) {
        ui_draw_too_small(ui);
    } else {
        const struct r1_node *n = NULL;
        if (f->n_nodes > 0)
            n = &f->nodes[f->selected < f->n_nodes ? f->selected : 0];
        struct r1_cv hcv =
            cv_make(stdscr, lay->header.y, lay->header.x, lay->header.h, lay->header.w, &ui->theme);
        header_draw(&hcv, f, n, now, !lay->nodes.visible);
        if (lay->nodes.visible) {
            struct r1_cv ncv =
                cv_make(stdscr, lay->nodes.y, lay->nodes.x, lay->nodes.h, lay->nodes.w, &ui->theme);
            nodes_draw(&ncv, lay->nodes_column, f, now, &ui->view);
        }
        /* the body: everything between the header/strip and the key bar, right of a column */
        struct r1_rect body = {1, 0, lay->keybar.y - 1, COLS, true};
        if (lay->nodes.visible && lay->nodes_column) {
            body.x = lay->nodes.w;
            body.w -= lay->nodes.w;
        } else if (lay->nodes.visible) {
            body.y = lay->nodes.y + lay->nodes.h;
            body.h = lay->keybar.y - body.y;
        }
        if (ui->view.help_open) {
            struct r1_cv bcv = cv_make(stdscr, body.y, body.x, body.h, body.w, &ui->theme);
            help_draw(&bcv, &ui->view);
        } else if (n) {
            panes_draw_all(stdscr, lay, &ui->theme, f, n, now, &ui->view);
        } else {
            ui_draw_no_nodes(ui, f, &body);
        }
        struct r1_cv kcv =
            cv_make(stdscr, lay->keybar.y, lay->keybar.x, lay->keybar.h, lay->keybar.w, &ui->theme);
        keybar_draw(&kcv, f, &ui->view);
    }
    wnoutrefresh(stdscr);
    doupdate();
}
