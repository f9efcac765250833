/* ui: the ncurses frontend. Starts and always restores the terminal (also on crash signals),
 * turns keys into actions through the key table (keys.c), and draws the panes (panes.c) from
 * a read-only model. It never touches the network: main.c plugs it into app.c's loop. */
#ifndef R1_UI_H
#define R1_UI_H

#include <stdbool.h>

#include "model.h"

struct r1_ui;

struct r1_ui_opts {
    bool no_color; /* also honoured: a non-empty NO_COLOR in the environment */
    bool readonly;
    double delay_s;
    const double *interval_s; /* SRC_COUNT refresh intervals (cfg->interval_s), so ages turn
                               * yellow/red at the right time; NULL = the sources' defaults */
};

/* Take over the terminal. Fails (err set, terminal untouched) when stdin/stdout is not a
 * terminal or curses cannot start. From here until ui_stop() the terminal is restored on exit
 * and on crash signals. */
int ui_start(struct r1_ui **out, const struct r1_ui_opts *opts, char *err);
void ui_stop(struct r1_ui *ui);
int ui_input_fd(const struct r1_ui *ui);
/* Read every pending key; may change f->selected and nothing else. R1_FE_* flags (app.h). */
int ui_on_input(void *ui, struct r1_fleet *f);
void ui_on_resize(void *ui);
/* One full frame from the model: cheap enough for every data change and every delay_s. */
void ui_draw(void *ui, const struct r1_fleet *f, double now);

#endif
