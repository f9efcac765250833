/* screen_allowed: who may command a node — its allowed list as get_allowed printed it
 * (allowed.h): address, alias, ETH address, and a note: r1top's own key, an oracle the network
 * manages (re-added by the node itself, so never offered for removal), or a line the node
 * marked invalid. The top line says whether r1top's key is in the list, since the signed
 * network commands need it there. `a` adds an address (checked as typed, then a confirmation
 * that names the node), `m` adds r1top's own key, `u` reads the list again. */
#ifndef R1_UI_SCREEN_ALLOWED_H
#define R1_UI_SCREEN_ALLOWED_H

#include "screen.h"

extern const struct screen_ops screen_allowed_ops;

/* Open node n's allowed list and ask for it to be read. */
void screen_allowed_open(struct screen_input *in, const struct r1_node *n);

/* The notice about r1top's key and node n's list, "" when nothing is known (the node screen
 * shows it too). */
void screen_allowed_me_note(const struct r1_fleet *f, const struct r1_node *n, char *dst,
                            size_t size, enum th_role *role);

#endif
