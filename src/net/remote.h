/* remote: one network action (net-stop, net-restart) on one node, from start to outcome,
 * for nodes r1top reaches by no SSH or Docker path (docs/protocol.md §8.3-§8.7): load the
 * operator's key, ask dAuth for the broker (a one-shot POST on the poller), then publish the
 * signed command and wait for the node's confirmation (mqtt_cmd.c, a poller client). Never
 * blocks. The outcome goes to done exactly once, as any action's does. Called by app.c. */
#ifndef R1_REMOTE_H
#define R1_REMOTE_H

#include "poller.h"

struct r1_config;
struct r1_node;

/* Start action (R1_ACT_NET_STOP or R1_ACT_NET_RESTART) on node n. The key is cfg's
 * identity_file, else ~/.ratio1/_naeural.pem; the dAuth URL cfg's dauth_url, else net's.
 * 0: running, done will be called (with .body = the node's confirmation in words on success,
 * .error = what failed, naming dAuth or the broker). -1 with err: nothing started, done is
 * not called. */
int remote_start(struct r1_poller *p, const struct r1_config *cfg, const struct r1_network *net,
                 const struct r1_node *n, int action, poller_done_fn done, void *ctx, char *err);

#endif
