/* ui: the ncurses frontend. Starts and always restores the terminal (also on crash signals),
 * turns keys into actions through the key table (keys.c), and draws the panes (panes.c) from
 * a read-only model. It never touches the network: main.c plugs it into app.c's loop. */
#ifndef R1_UI_H
#define R1_UI_H

#include <stdbool.h>

#include "model.h"

struct r1_ui;

struct r1_ui_opts {
    bool no_color;
    bool readonly;
    double delay_s;
};

int ui_start(struct r1_ui **out, const struct r1_ui_opts *opts, char *err);
void ui_stop(struct r1_ui *ui);
int ui_input_fd(const struct r1_ui *ui);
int ui_on_input(void *ui, struct r1_fleet *f);   /* R1_FE_* flags (app.h) */
void ui_on_resize(void *ui);
void ui_draw(void *ui, const struct r1_fleet *f, double now);

#endif
