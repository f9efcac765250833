/* libFuzzer target for the oracle API parsers: oracle_parse_current_epoch,
 * oracle_parse_node_epochs (with and without the licence) and oracle_parse_pydict_epochs.
 *
 * The first byte picks the parser (byte % 4; the corpus uses the ASCII digits):
 *   '0' /current_epoch reply                  the rest is the reply body
 *   '1' /node_last_epoch, /node_epochs_range  the rest is the reply body (licence wanted)
 *   '2' recent_history.last_10_ep dict repr   the rest (to its first NUL) is the text
 *   '3' as '1', with lic = lic_present = NULL (a caller that does not want the licence)
 *
 * Properties checked beyond "no crash, no leak, no UB" (abort() on a violation):
 *   - a failed parse returns -1, writes a non-empty NUL-terminated error without control
 *     characters, and leaves *epoch / *out / *lic / out[] / *n_out byte-for-byte as they were
 *     (filled with a known pattern before the call; out->epochs_u8 stays the caller's);
 *   - current_epoch: a success gives a non-negative epoch;
 *   - node epochs: a success keeps meta but the valid bits, sets only ORC_* bits, leaves
 *     trust UNCHECKED, every string NUL-terminated inside its array, valid UTF-8 and free of
 *     C0, DEL, ESC, C1 and bidi overrides; the epochs run has 0..ORACLE_EPOCHS_MAX entries,
 *     a buffer exactly when there are entries, from_epoch >= 0 when non-empty and
 *     to_epoch == from_epoch + n - 1 (exact arithmetic); last_seen is a finite, non-negative
 *     number; the licence is replaced only when lic_present says so (else untouched), with
 *     LIC_* bits only, a known licence type, clean strings, and every amount the reply
 *     wrote as a JSON number rounding to exactly the double cJSON read (so equal below 2^53):
 *     the digits re-read from the raw text belong to the value the parsed tree holds;
 *   - pydict: a success gives 0..max_n entries sorted by epoch, leaves the rest of out[]
 *     alone, and a smaller max_n keeps exactly the newest entries of a larger one.
 * Build and run: see tests/fuzz/README.md (make fuzz FUZZ_TARGET=oracle). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "model.h"
#include "sources/oracle.h"
#include "util.h"

#include "fuzz_checks.h"

#define PATTERN 0xA5

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK_STR(field) check_clean((field), sizeof(field))

/* ---- /current_epoch ----------------------------------------------------------------------- */

static void fuzz_current_epoch(const char *buf, size_t len)
{
    const int64_t sentinel = INT64_C(-0x5a5a5a5a5a5a5a5a);
    int64_t epoch = sentinel;
    char err[R1_ERR_MAX];
    memset(err, PATTERN, sizeof(err));
    if (oracle_parse_current_epoch(buf, len, &epoch, err) != 0) {
        check_err(err);
        if (epoch != sentinel)
            abort();
    } else if (epoch < 0) {
        abort();
    }
}

/* ---- node epochs and licence -------------------------------------------------------------- */

/* The licence object the parser should have used, found independently: result's
 * node_license_info, then node_licese_info; an object, or a string that parses to one.
 * *inner gets a tree to free when it came from a string. */
static const cJSON *find_licence(const cJSON *root, cJSON **inner)
{
    static const char *const keys[] = {"node_license_info", "node_licese_info"};
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "result");
    *inner = NULL;
    for (size_t i = 0; i < R1_ARRAY_LEN(keys); i++) {
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(res, keys[i]);
        if (cJSON_IsObject(it))
            return it;
        if (cJSON_IsString(it) && it->valuestring != NULL) {
            char perr[R1_ERR_MAX];
            cJSON *t = json_parse(it->valuestring, strlen(it->valuestring), perr);
            if (cJSON_IsObject(t)) {
                *inner = t;
                return t;
            }
            cJSON_Delete(t);
        }
    }
    return NULL;
}

/* An amount the parser marked valid is the number cJSON read when the reply wrote a JSON
 * number: its exact value rounds to cJSON's double (strtod and the u128 -> double conversion
 * both round to nearest), so below 2^53 the two are equal. A neighbouring integer from a
 * decoy key is caught however close it is. */
static void check_amount(const cJSON *lic, const char *key, r1_u128 got)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(lic, key);
    if (!cJSON_IsNumber(it))
        return; /* strings go through amount_parse only: nothing to compare with */
    if ((double)got != it->valuedouble)
        abort();
}

static void check_licence(const char *buf, size_t len, const struct r1_licence *lic,
                          const struct r1_licence *before)
{
    check_meta(&lic->meta, &before->meta, LIC_POAI_R1, -1);
    CHECK_STR(lic->owner);
    CHECK_STR(lic->node_address);
    CHECK_STR(lic->last_claim_oracle);
    if (R1_VALID(lic, LIC_TYPE) && (lic->type < R1_LIC_NONE || lic->type > R1_LIC_GND))
        abort();
    if (R1_VALID(lic, LIC_LAST_CLAIM) && lic->last_claim_epoch < 0)
        abort();
    if (R1_VALID(lic, LIC_ASSIGN_TS) &&
        !(lic->assign_timestamp >= 0.0 && isfinite(lic->assign_timestamp)))
        abort();

    char perr[R1_ERR_MAX];
    cJSON *root = json_parse(buf, len, perr);
    if (root == NULL)
        abort(); /* the parser succeeded on these bytes */
    cJSON *inner = NULL;
    const cJSON *o = find_licence(root, &inner);
    if (o == NULL)
        abort(); /* lic_present with no licence in the reply */
    if (R1_VALID(lic, LIC_ID))
        check_amount(o, "licenseId", lic->licence_id);
    if (R1_VALID(lic, LIC_ASSIGNED))
        check_amount(o, "totalAssignedAmount", lic->total_assigned_wei);
    if (R1_VALID(lic, LIC_CLAIMED))
        check_amount(o, "totalClaimedAmount", lic->total_claimed_wei);
    if (R1_VALID(lic, LIC_POAI_USDC))
        check_amount(o, "usdcPoaiRewards", lic->poai_usdc_micro);
    if (R1_VALID(lic, LIC_POAI_R1))
        check_amount(o, "r1PoaiRewards", lic->poai_r1_wei);
    cJSON_Delete(inner);
    cJSON_Delete(root);
}

static void fuzz_node_epochs(const char *buf, size_t len, bool want_lic)
{
    struct r1_oracle_node out, before;
    struct r1_licence lic, lic_before;
    bool lic_present = true;
    char err[R1_ERR_MAX];
    memset(&out, PATTERN, sizeof(out));
    memset(&lic, PATTERN, sizeof(lic));
    memset(err, PATTERN, sizeof(err));
    /* The epochs of an earlier reply: the parser frees them on success only. */
    out.epochs_u8 = xmalloc(3);
    memcpy(out.epochs_u8, "\x01\x02\x03", 3);
    out.n_epochs = 3;
    memcpy(&before, &out, sizeof(out));
    memcpy(&lic_before, &lic, sizeof(lic));

    int rc = want_lic ? oracle_parse_node_epochs(buf, len, &out, &lic, &lic_present, err)
                      : oracle_parse_node_epochs(buf, len, &out, NULL, NULL, err);
    if (rc != 0) {
        check_err(err);
        if (rc != -1 || memcmp(&out, &before, sizeof(out)) != 0 ||
            memcmp(out.epochs_u8, "\x01\x02\x03", 3) != 0 ||
            memcmp(&lic, &lic_before, sizeof(lic)) != 0)
            abort();
        if (want_lic && lic_present)
            abort();
        free(out.epochs_u8);
        return;
    }

    check_meta(&out.meta, &before.meta, ORC_IS_ORACLE, -1);
    if (out.trust != R1_TRUST_UNCHECKED)
        abort();
    CHECK_STR(out.node_alias);
    CHECK_STR(out.node_eth);
    CHECK_STR(out.node_version);
    CHECK_STR(out.server_alias);
    CHECK_STR(out.oracle_error);
    CHECK_STR(out.trust_reason);
    CHECK_STR(out.signer);
    if (out.n_epochs < 0 || out.n_epochs > ORACLE_EPOCHS_MAX)
        abort();
    if (R1_VALID(&out, ORC_EPOCHS)) {
        if (out.epochs_u8 == NULL)
            abort();
        if (out.n_epochs > 0 && out.from_epoch < 0)
            abort();
        /* to = from + n - 1, in arithmetic that cannot overflow */
        __int128 want = (__int128)out.from_epoch + out.n_epochs - 1;
        if ((__int128)out.to_epoch != want)
            abort();
        if (out.n_epochs > 0) { /* the buffer holds n entries (ASan/valgrind check bounds) */
            volatile uint8_t ends = out.epochs_u8[0] ^ out.epochs_u8[out.n_epochs - 1];
            (void)ends;
        }
    } else if (out.n_epochs != 0 || out.epochs_u8 != NULL) {
        abort();
    }
    if (R1_VALID(&out, ORC_LAST_EPOCH) && out.last_epoch_id < 0)
        abort();
    if (R1_VALID(&out, ORC_LAST_SEEN) && !(out.last_seen_s >= 0.0 && isfinite(out.last_seen_s)))
        abort();

    if (want_lic) {
        if (lic_present)
            check_licence(buf, len, &lic, &lic_before);
        else if (memcmp(&lic, &lic_before, sizeof(lic)) != 0)
            abort();
    }
    free(out.epochs_u8);
}

/* ---- Python dict repr --------------------------------------------------------------------- */

static void fuzz_pydict(const uint8_t *data, size_t size)
{
    enum { BIG = R1_LAST_EPOCHS_MAX, SMALL = 4 };
    char *text = nul_terminated(data, size);
    struct r1_epoch_val big[BIG + 1], small[SMALL + 1], pattern[BIG + 1];
    int n_big = -7, n_small = -7;
    char err[R1_ERR_MAX];
    memset(pattern, PATTERN, sizeof(pattern));
    memcpy(big, pattern, sizeof(big));
    memcpy(small, pattern, sizeof(small));
    memset(err, PATTERN, sizeof(err));

    int rc = oracle_parse_pydict_epochs(text, big, BIG, &n_big, err);
    if (rc != 0) {
        check_err(err);
        if (rc != -1 || n_big != -7 || memcmp(big, pattern, sizeof(big)) != 0)
            abort();
    } else {
        if (n_big < 0 || n_big > BIG)
            abort();
        for (int i = 0; i < n_big; i++)
            if (big[i].epoch < 0 || (i > 0 && big[i].epoch < big[i - 1].epoch))
                abort();
        if (memcmp(&big[n_big], pattern, sizeof(big[0]) * (size_t)(BIG + 1 - n_big)) != 0)
            abort(); /* wrote past the entries it reported */
    }

    memset(err, PATTERN, sizeof(err));
    int rc2 = oracle_parse_pydict_epochs(text, small, SMALL, &n_small, err);
    if (rc2 != rc)
        abort();
    if (rc2 == 0) {
        int want = n_big < SMALL ? n_big : SMALL;
        /* n_big == BIG may itself be a cut: then small still is its newest SMALL. */
        if (n_small != want)
            abort();
        for (int i = 0; i < n_small; i++)
            if (small[i].epoch != big[n_big - n_small + i].epoch ||
                small[i].avail_u8 != big[n_big - n_small + i].avail_u8)
                abort();
        if (memcmp(&small[n_small], pattern, sizeof(small[0]) * (size_t)(SMALL + 1 - n_small)) !=
            0)
            abort();
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t *rest = data + 1;
    size_t n = size - 1;
    switch (data[0] % 4) {
    case 0:
        fuzz_current_epoch((const char *)rest, n);
        break;
    case 1:
        fuzz_node_epochs((const char *)rest, n, true);
        break;
    case 2:
        fuzz_pydict(rest, n);
        break;
    default:
        fuzz_node_epochs((const char *)rest, n, false);
        break;
    }
    return 0;
}
