/* screen_text: a node's text, read-only, full-screen — its container log (following it as new
 * lines come, like `tail -f`) or the container apps its own Docker runs (docker ps in the
 * node). Scrolls like less: arrows, pages, Home/End; `/` searches as you type and highlights
 * every match, n and N go to the next and previous one. Opening it asks app.c to read the
 * text (the logs or apps action, actions.h); the log screen asks to follow while it is open
 * and to stop when it closes. Reads only the node's manage block (manage.h). */
#ifndef R1_UI_SCREEN_TEXT_H
#define R1_UI_SCREEN_TEXT_H

#include <stdint.h>

#include "screen.h"

enum screen_text_kind {
    SCREEN_TEXT_LOGS,      /* the container's log (Docker) */
    SCREEN_TEXT_NODE_LOG,  /* the node's own log file (on this host); f switches between them */
    SCREEN_TEXT_APPS,
};

extern const struct screen_ops screen_logs_ops;
extern const struct screen_ops screen_apps_ops;

/* Open the view of node n's text and ask for it to be read. */
void screen_text_open(struct screen_input *in, const struct r1_node *n, enum screen_text_kind k);

/* The line at index i of the text the screen shows, and how many there are (tests). */
size_t screen_text_count(const struct r1_node *n, enum screen_text_kind k);

#endif
