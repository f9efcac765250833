/* app: the one loop. Waits in curl_multi_poll() on every transfer plus the frontend's input
 * fd, with a timeout equal to the time until the next due poll or redraw; SIGWINCH/SIGTERM
 * only set flags. The frontend (ui/, or nothing for --once) is a table of callbacks, so this
 * file never includes curses. Called by main.c. */
#ifndef R1_APP_H
#define R1_APP_H

#include <stdbool.h>

#include "config.h"
#include "model.h"

enum { R1_FE_REDRAW = 1, R1_FE_QUIT = 2, R1_FE_POLL_NOW = 4 };

struct r1_frontend {
    void *ctx;
    int input_fd;                                           /* -1: none */
    int (*on_input)(void *ctx, struct r1_fleet *f);         /* R1_FE_* flags */
    void (*on_resize)(void *ctx);
    void (*draw)(void *ctx, const struct r1_fleet *f, double now);
};

struct r1_app {
    struct r1_config *cfg;
    struct r1_fleet fleet;
    struct r1_poller *poller;
};

/* Build the fleet from cfg (or the demo) and the poller. */
int app_init(struct r1_app *app, struct r1_config *cfg, bool demo, char *err);
void app_free(struct r1_app *app);
/* Interactive: run until the frontend asks to quit or SIGTERM/SIGINT/SIGHUP. */
int app_run(struct r1_app *app, const struct r1_frontend *fe, char *err);
/* Poll every source once, bounded by timeout_s. Returns the number of sources that failed. */
int app_once(struct r1_app *app, double timeout_s);

#endif
