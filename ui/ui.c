/* ui: the terminal's lifecycle, the screen stack and the frame. Starts curses, and from then on
 * guarantees the terminal comes back: ui_stop() on the normal path, an atexit hook for early
 * exits, and a handler for every signal whose default action ends the process (crashes,
 * SIGQUIT, SIGUSR1, SIGALRM...) that writes the saved reset sequences with write(2) (endwin
 * is not async-signal-safe) and restores the saved termios before the signal takes its
 * course. SIGINT, SIGTERM, SIGHUP and SIGWINCH are app.c's: they end the loop cleanly. */
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

#include "draw.h"
#include "help.h"
#include "keys.h"
#include "layout.h"
#include "panes.h"
#include "screen.h"
#include "screen_fleet.h"

#ifndef NCURSES_WIDECHAR
#error "ui needs ncursesw"
#endif
#include <term.h>

struct r1_ui {
    struct r1_theme theme;
    struct ui_env env; /* size, layout, --readonly: set at start and on resize */
    struct screen_stack stack;
    bool full_redraw; /* repaint every cell next time (resize, Ctrl-L) */
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

/* Every signal whose default action ends the process, but those app.c turns into a clean
 * exit (SIGINT, SIGTERM, SIGHUP) and SIGPIPE, which it ignores. Real-time signals are added
 * at run time. */
static const int ui_fatal_signals[] = {
    SIGSEGV,   SIGBUS,  SIGABRT, SIGFPE,  SIGILL,  SIGQUIT,   SIGTRAP, SIGSYS,
    SIGXCPU,   SIGXFSZ, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF,
#ifdef SIGPOLL
    SIGPOLL,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};

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

/* What each signal did before ui_start(), restored by ui_stop(). */
#define UI_SIG_MAX 128
static struct sigaction ui_old_sa[UI_SIG_MAX];
static bool ui_old_saved[UI_SIG_MAX];

static void ui_each_fatal_signal(void (*fn)(int sig))
{
    for (size_t i = 0; i < R1_ARRAY_LEN(ui_fatal_signals); i++)
        fn(ui_fatal_signals[i]);
#ifdef SIGRTMIN
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        fn(sig);
#endif
}

static void ui_take_signal(int sig)
{
    struct sigaction sa, old;
    if (sig <= 0 || sig >= UI_SIG_MAX || sigaction(sig, NULL, &old) != 0)
        return;
    if (old.sa_handler == SIG_IGN) /* ignored (nohup and the like): it ends nothing */
        return;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = ui_crash_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = (int)(SA_RESETHAND | SA_NODEFER);
    if (sigaction(sig, &sa, NULL) == 0) {
        ui_old_sa[sig] = old;
        ui_old_saved[sig] = true;
    }
}

static void ui_give_back_signal(int sig)
{
    if (sig > 0 && sig < UI_SIG_MAX && ui_old_saved[sig]) {
        sigaction(sig, &ui_old_sa[sig], NULL);
        ui_old_saved[sig] = false;
    }
}

static void ui_install_crash_handlers(void)
{
    ui_each_fatal_signal(ui_take_signal);
}

static void ui_remove_crash_handlers(void)
{
    ui_each_fatal_signal(ui_give_back_signal);
}

static bool ui_locale_is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* D27: a terminal that cannot move the cursor (TERM=dumb, a line printer) would get the
 * frame as one garbled line. Refuse before touching it, as for an unknown TERM. */
static int ui_check_term(char *err)
{
    const char *term = getenv("TERM");
    int e = 0;
    if (setupterm(NULL, STDOUT_FILENO, &e) != OK)
        return r1_err(err,
                      "cannot start the screen for TERM=%s; try TERM=xterm-256color, or --once",
                      term ? term : "(unset)");
    /* tigetstr returns (char *)-1 for a name that is not a string capability */
    char *cup = tigetstr((char *)"cup");
    bool can_move = cup && cup != (char *)-1;
    del_curterm(cur_term); /* also clears cur_term: newterm() starts afresh */
    if (!can_move)
        return r1_err(err,
                      "TERM=%s cannot move the cursor (no \"cup\" capability), so r1top cannot "
                      "draw its screen; try TERM=xterm-256color, or --once",
                      term ? term : "(unset)");
    return 0;
}

static void ui_env_update(struct r1_ui *ui)
{
    struct layout_pane_min mins[PANE_COUNT];
    panes_min_sizes(mins);
    ui->env.rows = LINES;
    ui->env.cols = COLS;
    layout_compute(LINES, COLS, mins, &ui->env.lay);
}

int ui_start(struct r1_ui **out, const struct r1_ui_opts *opts, char *err)
{
    *out = NULL;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return r1_err(err, "the screen needs a terminal on stdin and stdout; "
                           "use --once for a one-shot report");
    if (ui_check_term(err) < 0)
        return -1;
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
    ui->env.th = &ui->theme;
    ui->env.readonly = opts && opts->readonly;
    ui_env_update(ui);
    ui->full_redraw = true;
    /* the first screen depends on the fleet, which the first frame or key brings (ui_begin) */
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
    screen_stack_free(&ui->stack);
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

void ui_print_keys(FILE *out)
{
    help_print_keys(out);
}

/* The start screen, once the fleet is known: the fleet screen for several nodes, else the
 * node screen. */
static void ui_begin(struct r1_ui *ui, const struct r1_fleet *f)
{
    if (ui->stack.n == 0)
        screen_push(&ui->stack, screen_fleet_start(f));
}

/* Make curses' idea of the size match the terminal's, whoever caught the SIGWINCH. */
static void ui_sync_size(struct r1_ui *ui)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
        (ws.ws_row != LINES || ws.ws_col != COLS))
        resizeterm(ws.ws_row, ws.ws_col);
    ui_env_update(ui);
    ui->full_redraw = true;
}

static bool ui_asked_to_quit(const struct r1_intents *out)
{
    for (size_t i = 0; i < out->n; i++)
        if (out->v[i].kind == R1_INTENT_QUIT)
            return true;
    return false;
}

/* A closed terminal (the window or ssh session went away) must end r1top, never leave it
 * spinning on a descriptor that is always "ready": hang-up or error flags, a read error
 * (EIO), or readable with nothing to read (end of file). */
static bool ui_terminal_gone(int keys_read, bool read_failed)
{
    if (read_failed)
        return true;
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};
    if (poll(&p, 1, 0) != 1)
        return false;
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
        return true;
    if ((p.revents & POLLIN) && keys_read == 0) {
        int avail = 0;
        if (ioctl(STDIN_FILENO, FIONREAD, &avail) != 0 || avail == 0)
            return true;
    }
    return false;
}

void ui_on_input(void *ctx, const struct r1_fleet *f, struct r1_intents *out)
{
    struct r1_ui *ui = ctx;
    int ch, keys_read = 0;
    bool read_failed = false;
    ui_begin(ui, f);
    for (;;) {
        errno = 0;
        ch = wgetch(stdscr);
        if (ch == ERR) {
            read_failed = errno == EIO;
            break;
        }
        keys_read++;
        struct screen_input in = {f, &ui->env, &ui->stack, out, false};
        if (ch == KEY_RESIZE) {
            ui_sync_size(ui);
            screen_intent(&in, R1_INTENT_REDRAW);
            continue;
        }
        screen_route_key(&ui->stack, &in, ch);
        if (in.full_redraw)
            ui->full_redraw = true;
        if (ui_asked_to_quit(out))
            return;
        /* a full round drops what further keys ask of app.c (screen_intent returns NULL),
         * never the keys themselves: curses may hold them already, and no poll would say so */
    }
    if (ui_terminal_gone(keys_read, read_failed))
        intents_push(out, R1_INTENT_QUIT);
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

void ui_draw(void *ctx, const struct r1_fleet *f, double now)
{
    struct r1_ui *ui = ctx;
    ui_begin(ui, f);
    if (LINES != ui->env.rows || COLS != ui->env.cols)
        ui_env_update(ui); /* curses saw a new size before we were told */
    if (ui->full_redraw) {
        /* after a resize or Ctrl-L nothing on the terminal can be trusted: repaint it all */
        clearok(curscr, TRUE);
        ui->full_redraw = false;
    }
    werase(stdscr);
    const struct r1_layout *lay = &ui->env.lay;
    if (lay->too_small) {
        ui_draw_too_small(ui);
    } else {
        uint32_t id = screen_stack_node(&ui->stack, f);
        size_t i = screen_node_index(f, id);
        const struct r1_node *n = id != R1_NODE_ALL && i < f->n_nodes ? &f->nodes[i] : NULL;
        struct r1_cv hcv =
            cv_make(stdscr, lay->header.y, lay->header.x, lay->header.h, lay->header.w, &ui->theme);
        header_draw(&hcv, f, n, now, !lay->nodes.visible);
        struct screen_frame fr = {stdscr, &ui->theme, f, &ui->env, now, screen_body(&ui->env)};
        screen_stack_draw(&ui->stack, &fr);
        struct r1_cv kcv =
            cv_make(stdscr, lay->keybar.y, lay->keybar.x, lay->keybar.h, lay->keybar.w, &ui->theme);
        keybar_draw(&kcv, screen_top(&ui->stack), f, &ui->env);
    }
    wnoutrefresh(stdscr);
    doupdate();
}
