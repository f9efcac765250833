/* epoch: per-network epoch arithmetic (docs/protocol.md §1.2): which epoch a moment falls in, when
 * an epoch starts and ends, how much of the current one is left. Pure functions of the network
 * constants and a timestamp; no clock reads here so tests can pin time. */
#ifndef R1_EPOCH_H
#define R1_EPOCH_H

#include <stdint.h>

#include "network.h"

/* floor((t - genesis) / epoch_len); negative before genesis. */
int64_t epoch_at(const struct r1_network *net, double t_unix);
double epoch_start(const struct r1_network *net, int64_t epoch);
double epoch_end(const struct r1_network *net, int64_t epoch);     /* start of epoch+1 */
double epoch_remaining_s(const struct r1_network *net, double t_unix);
double epoch_elapsed_frac(const struct r1_network *net, double t_unix); /* 0..1 */

#endif
