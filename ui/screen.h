/* screen: the screen stack (tmux's window modes, htop's panels). A screen is a view with its
 * own state (which node, sort, filter, selection, scroll), a draw function that only reads
 * that state, and a key table. Keys go to the top screen first; what it does not take goes to
 * the global key table, unless the screen is modal (dialogs). Screens close themselves with
 * screen_dismiss(); the stack frees them once the key is handled, so a handler never runs on
 * freed memory. Nothing here blocks: a dialog is a screen that answers with an intent.
 * ui.c owns the stack; screen_node.c, screen_fleet.c, help.c and dialog.c are screens. */
#ifndef R1_UI_SCREEN_H
#define R1_UI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "draw.h"
#include "frontend.h"
#include "keys.h"
#include "layout.h"
#include "model.h"

/* What every screen may read. ui.c sets it when the terminal starts and when its size
 * changes; drawing never writes it, so a key handler sees what the last frame was drawn for. */
struct ui_env {
    bool readonly;
    int rows, cols;               /* the terminal */
    struct r1_layout lay;         /* layout_compute(rows, cols) */
    const struct r1_theme *th;    /* glyphs and the UTF-8 flag (wrapping, widths) */
};

struct screen;
struct screen_stack;

/* One key on its way through the stack. */
struct screen_input {
    const struct r1_fleet *f;
    const struct ui_env *env;
    struct screen_stack *stack; /* to open screens (screen_push) */
    struct r1_intents *out;     /* what the key asks app.c for */
    bool full_redraw;           /* Ctrl-L: repaint every cell */
};

/* What a screen's draw function may look at. */
struct screen_frame {
    WINDOW *win;
    const struct r1_theme *th;
    const struct r1_fleet *f;
    const struct ui_env *env;
    double now;
    struct r1_rect body; /* between the header line and the key bar */
};

struct screen_ops {
    const char *name;  /* "node", "help", "confirm": for tests and diagnostics */
    const char *title; /* the heading of its keys in the help and in --keys */
    const struct r1_key *keys;
    size_t n_keys;
    bool modal;   /* keys it does not take go nowhere (never to the global table) */
    bool overlay; /* drawn over the screen below it (dialogs), not instead of it */
    void (*draw)(const struct screen *s, const struct screen_frame *fr);
    /* optional: sees every key before the table (text entry); 1 = taken */
    int (*key)(struct screen *s, struct screen_input *in, int code);
    /* optional: the node the screen is about (R1_NODE_ALL: none), for the header */
    uint32_t (*node)(const struct screen *s, const struct r1_fleet *f);
    /* optional: the right end of the key bar ("node 2/8") */
    void (*status)(const struct screen *s, const struct r1_fleet *f, char *dst, size_t n);
    void (*destroy)(struct screen *s);
};

/* Each screen's own struct starts with this. */
struct screen {
    const struct screen_ops *ops;
    bool dismissed; /* freed by the stack after the current key */
};

#define SCREEN_STACK_MAX 8

struct screen_stack {
    struct screen *v[SCREEN_STACK_MAX];
    int n;
};

/* Put s on top; when the stack is full s is freed and 0 returned, else 1. */
int screen_push(struct screen_stack *st, struct screen *s);
/* Ask for s to be closed once the key being handled is done (or at the next screen_reap). */
void screen_dismiss(struct screen *s);
/* Free every dismissed screen. */
void screen_reap(struct screen_stack *st);
struct screen *screen_top(const struct screen_stack *st);
/* The screen under s (NULL at the bottom). */
struct screen *screen_below(const struct screen_stack *st, const struct screen *s);
void screen_stack_free(struct screen_stack *st);

/* Route one key: the top screen's key hook, then its table; when neither takes it and the
 * screen is not modal, the global table. A taken key asks for a redraw. Returns 1 when
 * something took the key. Dismissed screens are freed before it returns. */
int screen_route_key(struct screen_stack *st, struct screen_input *in, int code);

/* Draw the top screen, over the screens below it while it is an overlay. */
void screen_stack_draw(const struct screen_stack *st, const struct screen_frame *fr);

/* The node the stack is about: the first screen from the top that names one. */
uint32_t screen_stack_node(const struct screen_stack *st, const struct r1_fleet *f);

/* The rows between the header line and the key bar, the whole width. */
struct r1_rect screen_body(const struct ui_env *env);

/* For handlers: a new intent (a REDRAW, QUIT or POLL_NOW of every node is asked at most
 * once per round); NULL when the round is full, and then the key must change nothing. */
struct r1_intent *screen_intent(struct screen_input *in, enum r1_intent_kind kind);

/* The index of the node with this id, else of the first node; n_nodes when there is none. */
size_t screen_node_index(const struct r1_fleet *f, uint32_t id);
/* The node with this id, or NULL: for a screen about one node, which never shows another. */
const struct r1_node *screen_node_by_id(const struct r1_fleet *f, uint32_t id);

#endif
