/* dialog: small modal screens drawn over the screen below — confirm (an action on a node:
 * names the node, the action and what it will do, from actions_table[].confirm), message (one
 * sentence and OK), and prompt (one line of text, reported as it is typed and when it is
 * accepted or cancelled). None of them waits: a confirm dialog that is answered "yes" puts an
 * R1_INTENT_ACT intent (confirmed) in the round's intents and closes; "no" just closes. */
#ifndef R1_UI_DIALOG_H
#define R1_UI_DIALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "screen.h"

extern const struct screen_ops dialog_confirm_ops;
extern const struct screen_ops dialog_message_ops;
extern const struct screen_ops dialog_prompt_ops;

/* Ask before running action (enum r1_action_id) on the node with this id and name, with its
 * operands (arg, space-separated; NULL for none), which the intent carries when confirmed. */
struct screen *dialog_confirm_new(uint32_t node_id, const char *node_name, int action,
                                  const char *arg);
/* The same for an action on node n: the question also says which path it takes there. */
struct r1_node;
struct screen *dialog_confirm_node_new(const struct r1_node *n, int action, const char *arg);
struct screen *dialog_message_new(const char *title, const char *text);

/* What an action key does on a screen, for node n (the node shown, or the row selected):
 * under --readonly a message that says why (the intent still goes below to be refused and
 * logged); an action that changes something asks first (confirm dialog); one that changes
 * nothing goes at once. k is the pressed entry of the screen's key table. Returns 1. */
struct r1_key;
struct r1_node;
int dialog_action_key(struct screen_input *in, const struct r1_key *k, const struct r1_node *n);

/* on_change: the text after every edit (an incremental filter); on_done: once, with the
 * final text and whether it was accepted (Enter) or cancelled (Esc). ctx is the caller's
 * (the screen below, which outlives the prompt). */
typedef void (*dialog_prompt_change_fn)(void *ctx, const char *text);
typedef void (*dialog_prompt_done_fn)(void *ctx, const char *text, bool accepted);
struct screen *dialog_prompt_new(const char *title, const char *initial,
                                 dialog_prompt_change_fn on_change, dialog_prompt_done_fn on_done,
                                 void *ctx);

/* A prompt whose accepted text is acted on at once: on_submit gets it with the round's input
 * (to push an intent, or a message saying what is wrong), once, on Enter; Esc closes it and
 * nothing is done. ctx as above. */
typedef void (*dialog_prompt_submit_fn)(void *ctx, const char *text, struct screen_input *in);
struct screen *dialog_prompt_submit_new(const char *title, dialog_prompt_submit_fn on_submit,
                                        void *ctx);

/* The confirm question with the node's name in it (exposed for tests). */
void dialog_confirm_text(int action, const char *node_name, const char *arg, char *dst,
                         size_t n);

#endif
