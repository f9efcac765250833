/* ui: the ncurses frontend (frontend.h). Starts and always restores the terminal (also on
 * every signal that would end the process), keeps a stack of screens (screen.h) that turn
 * keys into intents, and draws the top screen from a read-only model. It never touches the
 * network or the model: main.c plugs it into app.c's loop. The only ui/ header main.c sees. */
#ifndef R1_UI_H
#define R1_UI_H

#include <stdbool.h>
#include <stdio.h>

#include "frontend.h"

struct r1_ui;

struct r1_ui_opts {
    bool no_color; /* also honoured: a non-empty NO_COLOR in the environment */
    bool readonly;
    double delay_s;
};

/* Take over the terminal. Fails (err set, terminal untouched) when stdin/stdout is not a
 * terminal, the terminal cannot address the cursor (TERM=dumb) or curses cannot start. From
 * here until ui_stop() the terminal is restored on exit and on fatal signals. */
int ui_start(struct r1_ui **out, const struct r1_ui_opts *opts, char *err);
void ui_stop(struct r1_ui *ui);
int ui_input_fd(const struct r1_ui *ui);
/* Read every pending key and append what they ask for to out (frontend.h). A closed or
 * hung-up terminal asks to quit. */
void ui_on_input(void *ui, const struct r1_fleet *f, struct r1_intents *out);
void ui_on_resize(void *ui);
/* One full frame from the model: cheap enough for every data change and every delay_s. */
void ui_draw(void *ui, const struct r1_fleet *f, double now);
/* Every key of every screen, as the help shows them (r1top --keys). */
void ui_print_keys(FILE *out);

#endif
