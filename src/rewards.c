/* rewards: the ND PoA claimable estimate (rewards.h), mirroring NDContract's
 * calculateLicenseRewards term by term so the figure matches what a claim would pay.
 * Owns no state and reads no clock: the current epoch is passed in. MND/GND and PoAI (job)
 * rewards are not computed here. Called by the licence/oracle sources after an update. */
#include "rewards.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

r1_u128 rewards_nd_sum(const uint8_t *vals, int n)
{
    r1_u128 sum = 0;
    /* Integer division per term, as the contract does (docs/protocol.md §5.4): summing the
     * availabilities first and dividing once would pay up to n-1 wei more than a claim. */
    for (int i = 0; i < n; i++)
        sum += R1_ND_MAX_RELEASE_PER_EPOCH_WEI * vals[i] / 255;
    return sum;
}

r1_u128 rewards_cap(r1_u128 sum, r1_u128 assigned, r1_u128 claimed, int *capped)
{
    /* claimed > assigned cannot happen on chain; treat a garbled reply as nothing left
     * rather than wrapping around to 2^128. */
    r1_u128 left = assigned > claimed ? assigned - claimed : 0;
    int c = sum > left;
    if (capped)
        *capped = c;
    return c ? left : sum;
}

static void set(struct r1_rewards *r, enum r1_rew_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set(struct r1_rewards *r, enum r1_rew_status st, const char *fmt, ...)
{
    r->poa_status = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->poa_note, sizeof(r->poa_note), fmt, ap);
    va_end(ap);
}

/* D25: "epoch 548", "epochs 548..554", "epochs 548 and 553..554", "epochs 1, 3 and 5..6":
 * the noun agrees with how many epochs there are, and only the n spans given are written
 * (an empty span, hi < lo, is skipped; the old two-slot form printed "and -1" for one). */
static void fmt_epochs(char *dst, size_t size, const int64_t span[][2], int n)
{
    int used = 0, total = 0;
    bool single = false;
    for (int i = 0; i < n; i++) {
        if (span[i][1] < span[i][0])
            continue;
        used++;
        single = span[i][0] == span[i][1];
    }
    size_t o = (size_t)snprintf(dst, size, "%s", used == 1 && single ? "epoch " : "epochs ");
    for (int i = 0; i < n && o < size; i++) {
        int64_t lo = span[i][0], hi = span[i][1];
        if (hi < lo)
            continue;
        total++;
        const char *sep = total == 1 ? "" : total == used ? " and " : ", ";
        int w = lo == hi ? snprintf(dst + o, size - o, "%s%" PRId64, sep, lo)
                         : snprintf(dst + o, size - o, "%s%" PRId64 "..%" PRId64, sep, lo, hi);
        if (w > 0)
            o += (size_t)w;
    }
    if (used == 0)
        snprintf(dst, size, "no epochs");
}

void rewards_update(struct r1_node *n, int64_t current_epoch)
{
    struct r1_rewards *r = &n->rew;
    const struct r1_licence *lic = &n->lic;
    const struct r1_oracle_node *rg = &n->range;

    r->poa_claimable_wei = 0;
    r->poa_capped = false;
    r->poa_from_epoch = r->poa_to_epoch = -1;
    r->poa_note[0] = '\0';

    if (!R1_VALID(lic, LIC_TYPE)) {
        set(r, R1_REW_UNKNOWN, "licence details not read yet");
        return;
    }
    switch (lic->type) {
    case R1_LIC_ND:
        break;
    case R1_LIC_MND:
    case R1_LIC_GND:
        set(r, R1_REW_UNSUPPORTED,
            "%s rewards depend on the on-chain adoption percentage and AWB buffer; "
            "not estimated here (see the dApp)",
            lic->type == R1_LIC_MND ? "MND" : "GND");
        return;
    case R1_LIC_NONE:
        set(r, R1_REW_NO_LICENCE, "no licence is linked to this node");
        return;
    default:
        /* a type the contracts do not define: a garbled reply, not "no licence" */
        set(r, R1_REW_UNKNOWN, "unknown licence type %d", (int)lic->type);
        return;
    }
    if (!R1_VALID(lic, LIC_ASSIGNED) || !R1_VALID(lic, LIC_CLAIMED) ||
        !R1_VALID(lic, LIC_LAST_CLAIM)) {
        set(r, R1_REW_UNKNOWN, "licence amounts or last claim epoch not read yet");
        return;
    }
    if (current_epoch < 0) {
        set(r, R1_REW_UNKNOWN, "current epoch not known yet");
        return;
    }

    int64_t from = lic->last_claim_epoch, to = current_epoch - 1;
    r->poa_from_epoch = from;
    r->poa_to_epoch = to;
    if (from > to) {
        /* Claimed in (or, with a lagging clock, after) the current epoch: nothing closed yet. */
        set(r, R1_REW_OK, "nothing to claim yet: last claim at epoch %" PRId64, from);
        return;
    }

    const int64_t claim[1][2] = {{from, to}};
    char span[96];
    fmt_epochs(span, sizeof(span), claim, 1);
    if (!R1_VALID(rg, ORC_EPOCHS) || !rg->epochs_u8 || rg->n_epochs <= 0) {
        /* An empty answer from an oracle that says it has not synced the claim's last epoch
         * is the oracles syncing (docs/protocol.md §5.4), not a figure still to come. */
        const struct r1_oracle_node *srv = R1_VALID(rg, ORC_SERVER) ? rg : &n->orc;
        if (R1_VALID(srv, ORC_SERVER) && srv->server_last_synced_epoch < to) {
            set(r, R1_REW_SYNCING, "oracle is still syncing: synced to epoch %" PRId64
                ", the claim needs %s", srv->server_last_synced_epoch, span);
            return;
        }
        set(r, R1_REW_UNKNOWN, "availability for %s not read yet", span);
        return;
    }
    /* Trust the array's length over to_epoch if the two disagree: reading past the array
     * is the one mistake this function must not make. */
    int64_t have_from = rg->from_epoch;
    int64_t have_to = have_from + rg->n_epochs - 1;
    if (rg->to_epoch < have_to)
        have_to = rg->to_epoch;
    if (have_from > from || have_to < to) {
        /* docs/protocol.md §5.4: fewer epochs than the claim range means the oracles are syncing;
         * a partial sum would understate the claim, so none is given. */
        char miss[96];
        if (have_to < have_from || have_to < from || have_from > to) {   /* none of it */
            fmt_epochs(miss, sizeof(miss), claim, 1);
        } else {
            const int64_t gaps[2][2] = {{from, have_from - 1}, {have_to + 1, to}};
            fmt_epochs(miss, sizeof(miss), gaps, 2);
        }
        set(r, R1_REW_SYNCING, "oracle is still syncing: no availability for %s", miss);
        return;
    }

    int count = (int)(to - from + 1);
    r1_u128 sum = rewards_nd_sum(rg->epochs_u8 + (from - have_from), count);
    int capped = 0;
    r->poa_claimable_wei = rewards_cap(sum, lic->total_assigned_wei, lic->total_claimed_wei,
                                       &capped);
    r->poa_capped = capped != 0;
    char many[24] = "";
    if (count > 1)
        snprintf(many, sizeof(many), " (%d)", count);
    set(r, R1_REW_OK, "%s%s%s", span, many,
        capped ? "; capped at the licence's unclaimed total" : "");
}
