/* Unit tests for epoch.c: epoch numbers, boundaries and progress on mainnet and devnet
 * (docs/protocol.md §1.2). Every timestamp below is worked out by hand from the genesis constants.
 * */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "epoch.h"

/* mainnet genesis 2025-05-23 16:00:00 UTC */
#define MAIN_GENESIS 1748016000.0
#define DAY 86400.0
/* devnet genesis 2026-05-01 16:00:00 UTC, 4-hour epochs */
#define DEV_GENESIS 1777651200.0
#define DEV_EPOCH 14400.0

static void test_epoch_mainnet_known_dates(void **state)
{
    (void)state;
    const struct r1_network *m = network_get(R1_NET_MAINNET);
    /* genesis itself is the first second of epoch 0 */
    assert_int_equal(epoch_at(m, MAIN_GENESIS), 0);
    assert_int_equal(epoch_at(m, MAIN_GENESIS + DAY - 1), 0);
    assert_int_equal(epoch_at(m, MAIN_GENESIS + DAY), 1);

    /* 2026-11-25 12:00:00 UTC, by hand:
     *   2025-05-23 -> 2026-05-23: 365 days (no 29 Feb in between; 2026 is not a leap year)
     *   2026-05-23 -> 2026-11-23: May 31 + Jun 30 + Jul 31 + Aug 31 + Sep 30 + Oct 31 = 184
     *   2026-11-23 -> 2026-11-25: 2             => 2026-11-25 16:00 is genesis + 551 days
     *   12:00 is 4 h earlier: genesis + 550 d 20 h, so epoch 550.
     *   unix = 1748016000 + 551*86400 - 4*3600 = 1748016000 + 47606400 - 14400 = 1795608000 */
    const double t = 1795608000.0;
    assert_int_equal(epoch_at(m, t), 550);
    assert_true(epoch_start(m, 550) == MAIN_GENESIS + 550 * DAY);   /* 2026-11-24 16:00 */
    assert_true(epoch_end(m, 550) == 1795622400.0);                 /* 2026-11-25 16:00 */
    assert_true(epoch_remaining_s(m, t) == 4 * 3600.0);
    /* 20 h of 24 elapsed */
    assert_true(epoch_elapsed_frac(m, t) > 20.0 / 24 - 1e-9);
    assert_true(epoch_elapsed_frac(m, t) < 20.0 / 24 + 1e-9);
    /* testnet shares mainnet's genesis and length (docs/protocol.md §1.2) */
    assert_int_equal(epoch_at(network_get(R1_NET_TESTNET), t), 550);
}

static void test_epoch_before_genesis_floors(void **state)
{
    (void)state;
    const struct r1_network *m = network_get(R1_NET_MAINNET);
    /* truncation toward zero would call these epoch 0 */
    assert_int_equal(epoch_at(m, MAIN_GENESIS - 1), -1);
    assert_int_equal(epoch_at(m, MAIN_GENESIS - 0.5), -1);
    assert_int_equal(epoch_at(m, MAIN_GENESIS - DAY), -1);
    assert_int_equal(epoch_at(m, MAIN_GENESIS - DAY - 1), -2);
    assert_true(epoch_start(m, -1) == MAIN_GENESIS - DAY);
    assert_true(epoch_remaining_s(m, MAIN_GENESIS - 1) == 1.0);
}

static void test_epoch_devnet_4h(void **state)
{
    (void)state;
    const struct r1_network *d = network_get(R1_NET_DEVNET);
    assert_int_equal(epoch_at(d, DEV_GENESIS), 0);
    assert_int_equal(epoch_at(d, DEV_GENESIS + DEV_EPOCH - 1), 0);
    assert_int_equal(epoch_at(d, DEV_GENESIS + DEV_EPOCH), 1);
    /* 2026-05-15 12:00:00 UTC = genesis + 13 d 20 h = 13*6 + 20/4 = 78 + 5 = epoch 83, its
     * first second: unix = 1777651200 + 13*86400 + 20*3600 = 1777651200 + 1123200 + 72000
     * = 1778846400 */
    assert_int_equal(epoch_at(d, 1778846400.0), 83);
    assert_int_equal(epoch_at(d, 1778846399.0), 82);
    assert_true(epoch_start(d, 83) == 1778846400.0);
    assert_true(epoch_end(d, 83) == 1778846400.0 + DEV_EPOCH);
    /* one hour into a 4-hour epoch: 3 h left, a quarter elapsed */
    assert_true(epoch_remaining_s(d, 1778846400.0 + 3600) == 3 * 3600.0);
    assert_true(epoch_elapsed_frac(d, 1778846400.0 + 3600) == 0.25);
    /* before devnet's genesis: -1 for the preceding 4 h, then -2 */
    assert_int_equal(epoch_at(d, DEV_GENESIS - 1), -1);
    assert_int_equal(epoch_at(d, DEV_GENESIS - DEV_EPOCH), -1);
    assert_int_equal(epoch_at(d, DEV_GENESIS - DEV_EPOCH - 1), -2);
    /* the same moment is a different epoch on mainnet: genesis + 365 d is 2026-05-23 16:00,
     * and 2026-05-15 12:00 is 8 d 4 h before that: 365 d - 8 d 4 h = 356 d 20 h, epoch 356 */
    assert_int_equal(epoch_at(network_get(R1_NET_MAINNET), 1778846400.0), 356);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_epoch_mainnet_known_dates),
        cmocka_unit_test(test_epoch_before_genesis_floors),
        cmocka_unit_test(test_epoch_devnet_4h),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
