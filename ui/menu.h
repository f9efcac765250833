/* menu: a short pick-list drawn over the left of the screen below it (htop's "Sort by" panel):
 * a title, one line per choice with the highlight on the current one, Up and Down to move,
 * Enter to pick, Esc to close without picking. Like the dialogs it never waits: picking calls
 * the owner back once and closes. The choices are copied; the owner's ctx must outlive the
 * menu (the screen below it does: keys go only to the menu while it is open).
 * Used by the fleet screen's F6 (the sort column). */
#ifndef R1_UI_MENU_H
#define R1_UI_MENU_H

#include "screen.h"

#define MENU_ITEMS_MAX 24
#define MENU_ITEM_MAX 32

extern const struct screen_ops menu_ops;

typedef void (*menu_pick_fn)(void *ctx, int choice);

/* A menu of n choices (at most MENU_ITEMS_MAX are kept) with current highlighted. */
struct screen *menu_new(const char *title, const char *const *choices, int n, int current,
                        menu_pick_fn on_pick, void *ctx);
/* The highlighted choice, for tests; -1 when s is not a menu. */
int menu_highlighted(const struct screen *s);

#endif
