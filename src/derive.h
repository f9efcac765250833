/* derive: the one pass that computes what readers need from what the sources wrote — per node
 * the online state with its basis as data, the container state, the rewards estimate and its
 * trust; for the fleet the current epoch (one definition for header, rewards, ranges and JSON).
 * Run by app.c after each round of replies and on every tick, and before --once output; readers
 * (ui/, export/) read the plain fields and never re-derive. Pure: no I/O, no clock of its own. */
#ifndef R1_DERIVE_H
#define R1_DERIVE_H

#include <stddef.h>

#include "model.h"

/* A verified oracle epoch is used when it is within this many epochs of the clock's (D3). */
#define DERIVE_EPOCH_SKEW 1
/* The node rewrites local_info.json every 10 s (docs/protocol.md §4.2): three missed writes is
 * stale, five minutes is down. The oracle's last-seen is coarser (heartbeats). */
#define DERIVE_FILE_FRESH_S 30.0
#define DERIVE_FILE_DEAD_S 300.0
#define DERIVE_ORACLE_SEEN_S 120.0
/* Availability under this (percent) is a problem: the 230/255 from which the node screen draws
 * it green, and mainnet's supervisor_min_avail (network.c). */
#define DERIVE_AVAIL_LOW_PCT 90

void derive_fleet(struct r1_fleet *f, double now);
/* The fleet's epoch alone (the poller needs it between rounds to ask for epoch ranges). */
void derive_epoch(struct r1_fleet *f, double now);
void derive_node(const struct r1_fleet *f, struct r1_node *n, double now);

/* The node's most urgent problem into n->status.problem (model.h: enum r1_problem is the
 * ranking). Reads what derive_node computed before it (the online state, the rewards), so
 * derive_node runs it last. */
void derive_problem(const struct r1_fleet *f, struct r1_node *n);
/* The problem in a few words ("offline 2 h", "availability 40 %", "oracle node error"); ""
 * for none. */
void derive_problem_text(const struct r1_node_problem *p, char *dst, size_t dst_size);

/* The online basis in words ("status file 12 s old; oracle says offline"). */
void derive_online_text(const struct r1_node_status *st, char *dst, size_t dst_size);
enum r1_container_state derive_container_state(const char *docker_state);
const char *derive_container_name(enum r1_container_state s);
/* An exit code's meaning in a few words ("exception, lost comms or low memory"), or NULL. */
const char *derive_exit_meaning(int code);

#endif
