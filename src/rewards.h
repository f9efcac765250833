/* rewards: the PoA estimate an ND licence could claim now, exactly as NDContract's
 * calculateLicenseRewards computes it (docs/protocol.md §5.4): for each epoch in
 * [lastClaimEpoch, currentEpoch-1] add ND_MAX_RELEASE_PER_DAY*avail/255 (integer division per
 * term), cap at totalAssigned - totalClaimed. MND/GND are not estimated (adoption is on-chain).
 * Pure: reads licence + oracle epochs from a node, writes node->rew. */
#ifndef R1_REWARDS_H
#define R1_REWARDS_H

#include <stdint.h>

#include "amount.h"
#include "model.h"

#define R1_ND_MAX_RELEASE_PER_EPOCH_WEI ((r1_u128)1458508188386985115ULL)
#define R1_ND_MINING_EPOCHS 1080

/* Core arithmetic: vals[i] is the availability of epoch first+i. */
r1_u128 rewards_nd_sum(const uint8_t *vals, int n);
r1_u128 rewards_cap(r1_u128 sum, r1_u128 assigned, r1_u128 claimed, int *capped);

/* Recompute n->rew from n->lic and n->range for the given current epoch. */
void rewards_update(struct r1_node *n, int64_t current_epoch);

#endif
