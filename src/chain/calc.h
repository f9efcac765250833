/* calc: the contracts' own claimable figure (docs/protocol.md §5.5, §6.4): the call data of
 * `calculateRewards(ComputeRewardsParams[])` for one node's licence — the licence id, the
 * node's ETH address and the epochs since the last claim, with the oracle's availability of
 * each packed one byte an epoch — and its result read back: ND answers (licenceId, rewards)[],
 * MND (for MND and GND licences) (licenceId, rewards, carryover, withheld)[]. r1top asks ND too,
 * to cross-check its own arithmetic (rewards.c). Pure: model values in, hex out and back. Used
 * by the chain source. */
#ifndef R1_CHAIN_CALC_H
#define R1_CHAIN_CALC_H

#include <stdbool.h>
#include <stdint.h>

#include "amount.h"
#include "chain/abi.h"
#include "model.h"

#define CHAIN_CALC_SIGNATURE "calculateRewards((uint256,address,uint256,uint256,bytes)[])"

/* The contract that answers for a licence type: ND for ND, MND for MND and GND. */
enum chain_calc_contract { CHAIN_CALC_NONE, CHAIN_CALC_ND, CHAIN_CALC_MND };
enum chain_calc_contract chain_calc_contract_for(enum r1_lic_type t);

/* Why there is no call to make yet, as data (formatted where shown). */
enum chain_calc_wait {
    CHAIN_CALC_READY,
    CHAIN_CALC_NO_LICENCE,    /* no licence, or a type no contract computes */
    CHAIN_CALC_NOT_READ,      /* the licence's id or last claim not read yet */
    CHAIN_CALC_NO_EPOCH,      /* the current epoch is not known */
    CHAIN_CALC_NOTHING,       /* claimed in the current epoch: nothing closed since */
    CHAIN_CALC_EPOCHS_MISSING,/* the oracle's range does not cover [lastClaim, current-1] yet */
};

/* One element of the call for licence lic over [lic.last_claim_epoch, current_epoch - 1], the
 * availabilities from the oracle's range rg (p points into it: rg must outlive p); node_eth is
 * the node's ETH address. CHAIN_CALC_READY with *p filled, or the reason there is nothing to
 * ask. */
enum chain_calc_wait chain_calc_params(const struct r1_licence *lic, const struct r1_oracle_node *rg,
                                       const char *node_eth, int64_t current_epoch,
                                       struct abi_compute_params *p);
/* The call data of calculateRewards for n elements, appended to e (selector first). 0, or -1
 * with err (an address the ABI does not take). */
int chain_calc_encode(struct abi_enc *e, const struct abi_compute_params *p, size_t n, char *err);

struct chain_calc_result {
    r1_u128 rewards_wei;      /* what the licence could claim now, as the contract computes it */
    bool mnd;                 /* the next two are the MND contract's */
    r1_u128 carryover_wei;    /* released from the licence's AWB buffer */
    r1_u128 withheld_wei;     /* withheld into it (adoption below 100 %) */
};

/* The result data ("0x..." hex) of a calculateRewards call on contract c for licence_id: the
 * element of the array whose licence id is ours (exactly one). 0, or -1 with err. */
int chain_calc_parse(enum chain_calc_contract c, const char *hex, uint64_t licence_id,
                     struct chain_calc_result *out, char *err);

#endif
