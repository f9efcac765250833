/* Unit tests for amount.c (exact 128-bit token amounts) and rewards.c (ND PoA claimable as
 * NDContract calculateLicenseRewards computes it, docs/protocol.md §5.4). Every expected figure is
 * computed by hand in the comment above it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "model.h"
#include "rewards.h"

/* X = ND_MAX_RELEASE_PER_DAY = 1458508188386985115 wei (≈ 1.4585 R1) */
#define X ((r1_u128)1458508188386985115ULL)
/* a full ND licence: 1575188843457943924600 wei, more than 2^64 (hand split below) */
static r1_u128 full_licence(void)
{
    /* 2^64 = 18446744073709551616; 85 * 2^64 = 1567973246265311887360;
     * 1575188843457943924600 - 1567973246265311887360 = 7215597192632037240 */
    return ((r1_u128)85 << 64) + 7215597192632037240ULL;
}

static void assert_u128_equal(r1_u128 got, r1_u128 want)
{
    char g[48], w[48];
    amount_to_dec(g, sizeof(g), got);
    amount_to_dec(w, sizeof(w), want);
    assert_string_equal(g, w);
}

/* ---- amount ---------------------------------------------------------------------------- */

static void test_amount_beyond_64_bits_round_trips(void **state)
{
    (void)state;
    r1_u128 v = 0;
    assert_int_equal(amount_parse("1575188843457943924600", &v), 0);
    assert_true(v == full_licence());
    assert_true((uint64_t)(v >> 64) == 85);   /* really beyond 64 bits */
    char buf[48];
    amount_to_dec(buf, sizeof(buf), v);
    assert_string_equal(buf, "1575188843457943924600");

    /* 2^128 - 1 = 340282366920938463463374607431768211455 is the largest that fits */
    assert_int_equal(amount_parse("340282366920938463463374607431768211455", &v), 0);
    assert_true(v == ~(r1_u128)0);
    amount_to_dec(buf, sizeof(buf), v);
    assert_string_equal(buf, "340282366920938463463374607431768211455");

    /* hex, including a 32-byte ABI word with its leading zeros: 0x55 = 85 */
    assert_int_equal(
        amount_parse("0x0000000000000000000000000000000000000000000000000000000000000055", &v), 0);
    assert_true(v == 85);
    /* 0x1 followed by 16 zero nibbles = 2^64 = 18446744073709551616: one past uint64 */
    assert_int_equal(amount_parse("0x10000000000000000", &v), 0);
    amount_to_dec(buf, sizeof(buf), v);
    assert_string_equal(buf, "18446744073709551616");
    /* 0xDE0B6B3A7640000 = 10^18, the familiar "1 ether" word (upper-case digits too) */
    assert_int_equal(amount_parse("0xDE0B6B3A7640000", &v), 0);
    assert_true(v == (r1_u128)1000000000000000000ULL);
    assert_int_equal(amount_parse("0", &v), 0);
    assert_true(v == 0);
    amount_to_dec(buf, sizeof(buf), 0);
    assert_string_equal(buf, "0");
}

static void test_amount_parse_rejects_bad_input(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "-1", "+1", "1.5", "1e21", "1575188843457943924600.0", " 1", "1 ", "0x", "0xg1",
        "340282366920938463463374607431768211456",               /* 2^128: overflow */
        "0x100000000000000000000000000000000",                   /* 2^128 in hex */
        /* 79 digits: longer than any uint256 */
        "0000000000000000000000000000000000000000000000000000000000000000000000000000001",
        "0x00000000000000000000000000000000000000000000000000000000000000001", /* 65 hex */
    };
    for (size_t i = 0; i < R1_ARRAY_LEN(bad); i++) {
        r1_u128 v = 7;
        if (amount_parse(bad[i], &v) != -1)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_true(v == 7);
    }
    r1_u128 v;
    assert_int_equal(amount_parse(NULL, &v), -1);
    /* too small a buffer shows '#', never a cut-off number */
    char small[4];
    amount_to_dec(small, sizeof(small), 12345);
    assert_string_equal(small, "###");
}

static void test_amount_fmt_truncates(void **state)
{
    (void)state;
    char b[64];
    /* 1458508188386985115 wei = 1.458508188386985115 R1 */
    amount_fmt(b, sizeof(b), X, R1_WEI_DECIMALS, 4);
    assert_string_equal(b, "1.4585");
    /* 3 places: the 4th digit is 5, rounding would say 1.459 */
    amount_fmt(b, sizeof(b), X, R1_WEI_DECIMALS, 3);
    assert_string_equal(b, "1.458");
    /* 1.999999999999999999 R1 must not become 2.00 */
    amount_fmt(b, sizeof(b), (r1_u128)1999999999999999999ULL, R1_WEI_DECIMALS, 2);
    assert_string_equal(b, "1.99");
    amount_fmt(b, sizeof(b), (r1_u128)1999999999999999999ULL, R1_WEI_DECIMALS, 0);
    assert_string_equal(b, "1");
    /* fraction with leading zeros: 5 wei at 18 places is 0.000000000000000005 */
    amount_fmt(b, sizeof(b), 5, R1_WEI_DECIMALS, 18);
    assert_string_equal(b, "0.000000000000000005");
    /* full licence 1575188843457943924600 wei = 1575.1888434579439246 R1 */
    amount_fmt(b, sizeof(b), full_licence(), R1_WEI_DECIMALS, 4);
    assert_string_equal(b, "1575.1888");
    /* no decimals at all: places only pad */
    amount_fmt(b, sizeof(b), 42, 0, 2);
    assert_string_equal(b, "42.00");
    /* USDC: 1500000 micro = 1.5; more places than decimals pads zeros */
    amount_fmt(b, sizeof(b), 1500000, R1_USDC_DECIMALS, 8);
    assert_string_equal(b, "1.50000000");
    /* 1575.1888434579439246: double keeps ~16 significant digits */
    double d = amount_to_double(full_licence(), R1_WEI_DECIMALS);
    assert_true(d > 1575.18884345 && d < 1575.18884346);
}

/* ---- rewards core arithmetic ----------------------------------------------------------- */

static void test_nd_claimable_full_availability(void **state)
{
    (void)state;
    uint8_t v[5] = {255, 255, 255, 255, 255};
    /* 255/255 of X per epoch: 5 * 1458508188386985115 = 7292540941934925575 */
    assert_u128_equal(rewards_nd_sum(v, 5), (r1_u128)7292540941934925575ULL);
    assert_u128_equal(rewards_nd_sum(v, 1), X);
    assert_u128_equal(rewards_nd_sum(v, 0), 0);
    /* 1080 full epochs: 1080 * X = 1575188843457943924200, 400 wei under the licence total
     * (the contract's constant is itself floor(total / 1080)) */
    uint8_t *all = malloc(1080);
    memset(all, 255, 1080);
    char buf[48];
    amount_to_dec(buf, sizeof(buf), rewards_nd_sum(all, 1080));
    assert_string_equal(buf, "1575188843457943924200");
    free(all);
}

static void test_nd_claimable_integer_division_per_term(void **state)
{
    (void)state;
    /* X / 255: 255 * 5719639954458765 = 1458508188386985075, remainder 40, so
     * X * 254 / 255 = X - X/255 = X - 5719639954458765 - 40/255
     *   floor -> X - 5719639954458766 = 1452788548432526349 per epoch.
     * Three epochs, floored per term: 3 * 1452788548432526349 = 4358365645297579047.
     * Summing first and dividing once would give floor(3X*254/255)
     *   = 3X - ceil(3*5719639954458765 + 120/255) = 4375524565160955345 - 17158919863376296
     *   = 4358365645297579049: 2 wei more than a claim pays. */
    uint8_t v254[3] = {254, 254, 254};
    assert_u128_equal(rewards_nd_sum(v254, 1), (r1_u128)1452788548432526349ULL);
    assert_u128_equal(rewards_nd_sum(v254, 3), (r1_u128)4358365645297579047ULL);
    /* availability 1: floor(X/255) = 5719639954458765; availability 0 pays nothing */
    uint8_t v1[2] = {1, 0};
    assert_u128_equal(rewards_nd_sum(v1, 2), (r1_u128)5719639954458765ULL);
}

static void test_rewards_cap_never_wraps(void **state)
{
    (void)state;
    int capped = -1;
    assert_u128_equal(rewards_cap(10, 100, 95, &capped), 5);
    assert_int_equal(capped, 1);
    assert_u128_equal(rewards_cap(5, 100, 95, &capped), 5);   /* exactly the rest: not capped */
    assert_int_equal(capped, 0);
    /* a garbled reply with claimed > assigned leaves nothing, not 2^128 - 5 */
    assert_u128_equal(rewards_cap(10, 95, 100, &capped), 0);
    assert_int_equal(capped, 1);
    assert_u128_equal(rewards_cap(10, 100, 0, NULL), 10);
}

/* ---- rewards_update -------------------------------------------------------------------- */

/* An ND node with a full licence, nothing claimed, last claim at `last`; the oracle range
 * [from, from+n-1] with every epoch at `avail`. */
static void nd_node(struct r1_node *n, int64_t last, int64_t from, int cnt, uint8_t avail)
{
    memset(n, 0, sizeof(*n));
    n->lic.type = R1_LIC_ND;
    n->lic.total_assigned_wei = full_licence();
    n->lic.total_claimed_wei = 0;
    n->lic.last_claim_epoch = last;
    R1_MARK(&n->lic, LIC_TYPE);
    R1_MARK(&n->lic, LIC_ASSIGNED);
    R1_MARK(&n->lic, LIC_CLAIMED);
    R1_MARK(&n->lic, LIC_LAST_CLAIM);
    n->range.from_epoch = from;
    n->range.to_epoch = from + cnt - 1;
    n->range.n_epochs = cnt;
    n->range.epochs_u8 = malloc((size_t)cnt);
    memset(n->range.epochs_u8, avail, (size_t)cnt);
    R1_MARK(&n->range, ORC_EPOCHS);
}

static void test_rewards_update_sums_only_the_claim_range(void **state)
{
    (void)state;
    struct r1_node n;
    /* the chart asked for 90..104; epochs 90..99 are 0 and 100..104 full. Last claim 100,
     * current 105: claim range 100..104 = 5 epochs of X = 7292540941934925575 */
    nd_node(&n, 100, 90, 15, 0);
    memset(n.range.epochs_u8 + 10, 255, 5);
    n.range.epochs_u8[9] = 255;   /* epoch 99 is before the last claim: must not count */
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_OK);
    assert_u128_equal(n.rew.poa_claimable_wei, (r1_u128)7292540941934925575ULL);
    assert_int_equal(n.rew.poa_from_epoch, 100);
    assert_int_equal(n.rew.poa_to_epoch, 104);
    assert_false(n.rew.poa_capped);
    free(n.range.epochs_u8);
}

static void test_nd_claimable_capped_at_assigned_minus_claimed(void **state)
{
    (void)state;
    struct r1_node n;
    /* 3 full epochs = 3X ≈ 4.3755 R1, but only 1 R1 (10^18 wei) of the licence is unclaimed:
     * claimed = 1575188843457943924600 - 1000000000000000000 = 1574188843457943924600 */
    nd_node(&n, 200, 200, 3, 255);
    n.lic.total_claimed_wei = full_licence() - (r1_u128)1000000000000000000ULL;
    rewards_update(&n, 203);
    assert_int_equal(n.rew.poa_status, R1_REW_OK);
    assert_u128_equal(n.rew.poa_claimable_wei, (r1_u128)1000000000000000000ULL);
    assert_true(n.rew.poa_capped);
    free(n.range.epochs_u8);
}

static void test_rewards_syncing_when_oracle_lags(void **state)
{
    (void)state;
    struct r1_node n;
    /* claim range 100..104, oracle has synced only 100..102: 103 and 104 are missing */
    nd_node(&n, 100, 100, 3, 255);
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_SYNCING);
    assert_non_null(strstr(n.rew.poa_note, "103..104"));
    assert_u128_equal(n.rew.poa_claimable_wei, 0);
    assert_int_equal(n.rew.poa_from_epoch, 100);
    assert_int_equal(n.rew.poa_to_epoch, 104);
    free(n.range.epochs_u8);

    /* the oracle's range starts after the last claim: epoch 100 is missing */
    nd_node(&n, 100, 101, 4, 255);
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_SYNCING);
    assert_non_null(strstr(n.rew.poa_note, "no availability for epoch 100"));
    assert_null(strstr(n.rew.poa_note, "101"));
    free(n.range.epochs_u8);

    /* no epochs at all, and the oracle says it has synced only to epoch 102: syncing */
    nd_node(&n, 100, 100, 1, 255);
    n.range.meta.valid = 0;
    n.range.n_epochs = 0;
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_UNKNOWN); /* nothing says why: not read yet */
    n.orc.server_last_synced_epoch = 102;
    R1_MARK(&n.orc, ORC_SERVER);
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_SYNCING);
    assert_non_null(strstr(n.rew.poa_note, "synced to epoch 102"));
    n.orc.server_last_synced_epoch = 104;                  /* synced: the range is just late */
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_UNKNOWN);
    free(n.range.epochs_u8);

    /* to_epoch claims more than the array holds: believe the array (4 entries = 100..103) */
    nd_node(&n, 100, 100, 4, 255);
    n.range.to_epoch = 104;
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_SYNCING);
    assert_non_null(strstr(n.rew.poa_note, "104"));
    free(n.range.epochs_u8);
}

/* D25: the note read "no availability for epochs 548..554 and -1". Every shape of what is
 * missing, in words: one epoch, a range, two ranges, and the notes that name the claim range. */
static void test_D25_rewards_note_wording(void **state)
{
    (void)state;
    static const struct {
        int64_t last, from;
        int cnt;
        int64_t cur;
        const char *note;
    } cases[] = {
        /* the oracle has nothing of 548..554 (its range is 540..545): the whole claim range */
        {548, 540, 6, 555, "oracle is still syncing: no availability for epochs 548..554"},
        /* a one-epoch claim range the oracle has not reached */
        {548, 540, 6, 549, "oracle is still syncing: no availability for epoch 548"},
        /* only the last epoch is missing (has 548..553) */
        {548, 548, 6, 555, "oracle is still syncing: no availability for epoch 554"},
        /* the end is missing (has 548..550) */
        {548, 548, 3, 555, "oracle is still syncing: no availability for epochs 551..554"},
        /* both ends missing (has 549..552): one epoch before, two after */
        {548, 549, 4, 555, "oracle is still syncing: no availability for epochs 548 and 553..554"},
        /* both ends, ranges on each side (has 550..551) */
        {548, 550, 2, 555,
         "oracle is still syncing: no availability for epochs 548..549 and 552..554"},
        /* everything there */
        {548, 548, 7, 555, "epochs 548..554 (7)"},
        {548, 548, 1, 549, "epoch 548"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct r1_node n;
        nd_node(&n, cases[i].last, cases[i].from, cases[i].cnt, 255);
        rewards_update(&n, cases[i].cur);
        if (strcmp(n.rew.poa_note, cases[i].note) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, n.rew.poa_note, cases[i].note);
        free(n.range.epochs_u8);
    }
    /* no range read yet */
    struct r1_node n;
    nd_node(&n, 548, 548, 1, 255);
    n.range.meta.valid = 0;
    rewards_update(&n, 549);
    assert_string_equal(n.rew.poa_note, "availability for epoch 548 not read yet");
    rewards_update(&n, 555);
    assert_string_equal(n.rew.poa_note, "availability for epochs 548..554 not read yet");
    free(n.range.epochs_u8);
}

static void test_rewards_mnd_unsupported(void **state)
{
    (void)state;
    struct r1_node n;
    nd_node(&n, 100, 100, 5, 255);
    n.lic.type = R1_LIC_MND;
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_UNSUPPORTED);
    assert_non_null(strstr(n.rew.poa_note, "MND"));
    assert_non_null(strstr(n.rew.poa_note, "adoption"));
    assert_u128_equal(n.rew.poa_claimable_wei, 0);
    n.lic.type = R1_LIC_GND;
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_UNSUPPORTED);
    assert_non_null(strstr(n.rew.poa_note, "GND"));
    free(n.range.epochs_u8);
}

static void test_rewards_no_licence_and_missing_inputs(void **state)
{
    (void)state;
    struct r1_node n;
    nd_node(&n, 100, 100, 5, 255);
    n.lic.type = R1_LIC_NONE;
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_NO_LICENCE);

    /* a type the contracts do not define is not "no licence" */
    n.lic.type = (enum r1_lic_type)7;
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_UNKNOWN);

    /* licence type not read yet */
    n.lic.type = R1_LIC_ND;
    n.lic.meta.valid = 0;
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_UNKNOWN);

    /* last claim epoch missing */
    R1_MARK(&n.lic, LIC_TYPE);
    R1_MARK(&n.lic, LIC_ASSIGNED);
    R1_MARK(&n.lic, LIC_CLAIMED);
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_UNKNOWN);

    /* oracle epochs missing */
    R1_MARK(&n.lic, LIC_LAST_CLAIM);
    n.range.meta.valid = 0;
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_UNKNOWN);

    /* everything present: OK (guards the three cases above against passing vacuously) */
    R1_MARK(&n.range, ORC_EPOCHS);
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_OK);
    free(n.range.epochs_u8);
}

static void test_rewards_claimed_this_epoch_is_zero(void **state)
{
    (void)state;
    struct r1_node n;
    /* last claim = current epoch: [105, 104] is empty, 0 claimable and that is a value */
    nd_node(&n, 105, 100, 5, 255);
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_OK);
    assert_u128_equal(n.rew.poa_claimable_wei, 0);
    /* no oracle data needed for that answer */
    n.range.meta.valid = 0;
    rewards_update(&n, 105);
    assert_int_equal(n.rew.poa_status, R1_REW_OK);
    free(n.range.epochs_u8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amount_beyond_64_bits_round_trips),
        cmocka_unit_test(test_amount_parse_rejects_bad_input),
        cmocka_unit_test(test_amount_fmt_truncates),
        cmocka_unit_test(test_nd_claimable_full_availability),
        cmocka_unit_test(test_nd_claimable_integer_division_per_term),
        cmocka_unit_test(test_rewards_cap_never_wraps),
        cmocka_unit_test(test_rewards_update_sums_only_the_claim_range),
        cmocka_unit_test(test_nd_claimable_capped_at_assigned_minus_claimed),
        cmocka_unit_test(test_rewards_syncing_when_oracle_lags),
        cmocka_unit_test(test_D25_rewards_note_wording),
        cmocka_unit_test(test_rewards_mnd_unsupported),
        cmocka_unit_test(test_rewards_no_licence_and_missing_inputs),
        cmocka_unit_test(test_rewards_claimed_this_epoch_is_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
