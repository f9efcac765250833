/* calc: calculateRewards' call data and result (calc.h). */
#include "calc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/abi.h"

enum chain_calc_contract chain_calc_contract_for(enum r1_lic_type t)
{
    switch (t) {
    case R1_LIC_ND:
        return CHAIN_CALC_ND;
    case R1_LIC_MND:
    case R1_LIC_GND:
        return CHAIN_CALC_MND;
    default:
        return CHAIN_CALC_NONE;
    }
}

enum chain_calc_wait chain_calc_params(const struct r1_licence *lic, const struct r1_oracle_node *rg,
                                       const char *node_eth, int64_t current_epoch,
                                       struct abi_compute_params *p)
{
    memset(p, 0, sizeof(*p));
    if (!R1_VALID(lic, LIC_TYPE) || chain_calc_contract_for(lic->type) == CHAIN_CALC_NONE)
        return CHAIN_CALC_NO_LICENCE;
    if (!R1_VALID(lic, LIC_ID) || !R1_VALID(lic, LIC_LAST_CLAIM) || !node_eth[0] ||
        strlen(node_eth) != 42 || strncmp(node_eth, "0x", 2) != 0 ||
        strspn(node_eth + 2, "0123456789abcdefABCDEF") != 40)
        return CHAIN_CALC_NOT_READ;
    if (current_epoch < 0)
        return CHAIN_CALC_NO_EPOCH;
    int64_t from = lic->last_claim_epoch, to = current_epoch - 1;
    if (from > to)
        return CHAIN_CALC_NOTHING;
    /* every epoch of the claim, from the oracle's contiguous range: a gap is not a zero */
    if (!R1_VALID(rg, ORC_EPOCHS) || !rg->epochs_u8 || rg->from_epoch > from ||
        rg->from_epoch + rg->n_epochs - 1 < to)
        return CHAIN_CALC_EPOCHS_MISSING;
    p->licence_id = (r1_u128)lic->licence_id;
    p->from_epoch = (r1_u128)from;
    p->to_epoch = (r1_u128)to;
    p->packed_avail = rg->epochs_u8 + (from - rg->from_epoch);
    p->n_packed = (size_t)(to - from + 1);
    r1_strlcpy(p->node_address, node_eth, sizeof(p->node_address));
    return CHAIN_CALC_READY;
}

int chain_calc_encode(struct abi_enc *e, const struct abi_compute_params *p, size_t n, char *err)
{
    abi_enc_selector(e, CHAIN_CALC_SIGNATURE);
    return abi_enc_compute_params(e, p, n, err);
}

int chain_calc_parse(enum chain_calc_contract c, const char *hex, uint64_t licence_id,
                     struct chain_calc_result *out, char *err)
{
    unsigned char *bytes = NULL;
    size_t len = 0;
    memset(out, 0, sizeof(*out));
    if (c == CHAIN_CALC_NONE)
        return r1_err(err, "no contract computes this licence's rewards");
    if (abi_hex_decode(hex, &bytes, &len, err) < 0)
        return -1;
    struct abi_dec d = {bytes, len}, elems;
    size_t words = c == CHAIN_CALC_MND ? 4 : 2, n = 0;
    int rc = abi_dec_array(&d, 0, words, &n, &elems, err);
    bool found = false;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        size_t at = i * words * ABI_WORD;
        r1_u128 id;
        if ((rc = abi_dec_uint(&elems, at, &id, err)) < 0)
            break;
        if (id != (r1_u128)licence_id)
            continue;
        if (found) {
            rc = r1_err(err, "calculateRewards answered licence %" PRIu64 " twice", licence_id);
            break;
        }
        found = true;
        rc = abi_dec_uint(&elems, at + ABI_WORD, &out->rewards_wei, err);
        if (rc == 0 && c == CHAIN_CALC_MND) {
            out->mnd = true;
            rc = abi_dec_uint(&elems, at + 2 * ABI_WORD, &out->carryover_wei, err);
            if (rc == 0)
                rc = abi_dec_uint(&elems, at + 3 * ABI_WORD, &out->withheld_wei, err);
        }
    }
    free(bytes);
    if (rc == 0 && !found)
        rc = r1_err(err, "calculateRewards did not answer for licence %" PRIu64, licence_id);
    return rc;
}
