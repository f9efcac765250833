/* test_calc: calculateRewards' call data from a node's licence and the oracle's epochs, against
 * the independent Python encoder's vector (tests/data/abi/make_vectors.py), the reasons there is
 * nothing to ask, and the ND and MND results read back (src/chain/calc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "chain/abi.h"
#include "chain/calc.h"
#include "testutil.h"

#define NODE "0x13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e69"

static const uint8_t EPOCHS[] = {10, 20, 30, 40, 50, 255, 128, 0, 255, 17}; /* 175..184 */

/* An ND licence 42, last claim at epoch 180, the oracle's range 175..184. */
static void licensed(struct r1_node *n, enum r1_lic_type t)
{
    memset(n, 0, sizeof(*n));
    n->lic.type = t;
    n->lic.licence_id = 42;
    n->lic.last_claim_epoch = 180;
    R1_MARK(&n->lic, LIC_TYPE);
    R1_MARK(&n->lic, LIC_ID);
    R1_MARK(&n->lic, LIC_LAST_CLAIM);
    n->range.from_epoch = 175;
    n->range.n_epochs = (int)sizeof(EPOCHS);
    n->range.to_epoch = 175 + (int64_t)sizeof(EPOCHS) - 1;
    n->range.epochs_u8 = (uint8_t *)EPOCHS;
    R1_MARK(&n->range, ORC_EPOCHS);
}

static void test_calc_calldata_matches_the_python_encoder(void **state)
{
    (void)state;
    struct r1_node n;
    licensed(&n, R1_LIC_MND);
    struct abi_compute_params p;
    char err[R1_ERR_MAX];
    assert_int_equal(chain_calc_params(&n.lic, &n.range, NODE, 185, &p), CHAIN_CALC_READY);
    assert_true(p.from_epoch == 180 && p.to_epoch == 184 && p.n_packed == 5);
    struct abi_enc e = {0};
    assert_int_equal(chain_calc_encode(&e, &p, 1, err), 0);
    char *hex = abi_enc_hex(&e);
    abi_enc_free(&e);
    char sel[16], *args = test_abi_vector_hex(R1_TEST_DATA, "calc_one_args");
    /* the selector the docs give (§6.3), recomputed, then the arguments */
    abi_selector_hex(CHAIN_CALC_SIGNATURE, sel);
    assert_string_equal(sel, "0xde5a764e");
    assert_int_equal(strncmp(hex, sel, 10), 0);
    assert_string_equal(hex + 10, args + 2);
    free(args);
    free(hex);
}

static void test_calc_nothing_to_ask(void **state)
{
    (void)state;
    struct r1_node n;
    struct abi_compute_params p;
    licensed(&n, R1_LIC_NONE);
    assert_int_equal(chain_calc_params(&n.lic, &n.range, NODE, 185, &p), CHAIN_CALC_NO_LICENCE);
    licensed(&n, R1_LIC_ND);
    n.lic.meta.valid = 0;
    R1_MARK(&n.lic, LIC_TYPE);
    assert_int_equal(chain_calc_params(&n.lic, &n.range, NODE, 185, &p), CHAIN_CALC_NOT_READ);
    licensed(&n, R1_LIC_ND);
    assert_int_equal(chain_calc_params(&n.lic, &n.range, "", 185, &p), CHAIN_CALC_NOT_READ);
    assert_int_equal(chain_calc_params(&n.lic, &n.range, NODE, -1, &p), CHAIN_CALC_NO_EPOCH);
    /* claimed in the current epoch: nothing has closed since */
    assert_int_equal(chain_calc_params(&n.lic, &n.range, NODE, 180, &p), CHAIN_CALC_NOTHING);
    /* the oracle's range ends at 184: epoch 185 is not known, and a gap is never a zero */
    assert_int_equal(chain_calc_params(&n.lic, &n.range, NODE, 187, &p),
                     CHAIN_CALC_EPOCHS_MISSING);
    n.lic.last_claim_epoch = 170; /* before the range starts */
    assert_int_equal(chain_calc_params(&n.lic, &n.range, NODE, 185, &p),
                     CHAIN_CALC_EPOCHS_MISSING);
    licensed(&n, R1_LIC_GND);
    assert_int_equal(chain_calc_contract_for(n.lic.type), CHAIN_CALC_MND);
    assert_int_equal(chain_calc_params(&n.lic, &n.range, "0xnot-an-address", 185, &p),
                     CHAIN_CALC_NOT_READ);
}

static void test_calc_parse_nd_and_mnd(void **state)
{
    (void)state;
    struct chain_calc_result r;
    char err[R1_ERR_MAX], g[48];
    /* (licenceId, rewards)[]: [(7, 100), (8, 2^100), (9, 0)] */
    char *pairs = test_abi_vector_hex(R1_TEST_DATA, "pairs_result");
    assert_int_equal(chain_calc_parse(CHAIN_CALC_ND, pairs, 8, &r, err), 0);
    amount_to_dec(g, sizeof(g), r.rewards_wei);
    assert_string_equal(g, "1267650600228229401496703205376");
    assert_false(r.mnd);
    assert_int_equal(chain_calc_parse(CHAIN_CALC_ND, pairs, 9, &r, err), 0);
    assert_true(r.rewards_wei == 0);
    assert_int_equal(chain_calc_parse(CHAIN_CALC_ND, pairs, 11, &r, err), -1);
    assert_string_equal(err, "calculateRewards did not answer for licence 11");
    free(pairs);
    /* (licenceId, rewards, carryover, withheld)[]: [(1,2,3,4), (5,6,7,8)] */
    char *quads = test_abi_vector_hex(R1_TEST_DATA, "quads_result");
    assert_int_equal(chain_calc_parse(CHAIN_CALC_MND, quads, 5, &r, err), 0);
    assert_true(r.mnd);
    assert_true(r.rewards_wei == 6 && r.carryover_wei == 7 && r.withheld_wei == 8);
    /* read as ND's pairs the same data is another shape: never a silent misread */
    assert_int_equal(chain_calc_parse(CHAIN_CALC_ND, quads, 5, &r, err), -1);
    free(quads);
    assert_int_equal(chain_calc_parse(CHAIN_CALC_MND, "0x1234", 5, &r, err), -1);
    assert_int_equal(chain_calc_parse(CHAIN_CALC_MND, "not hex", 5, &r, err), -1);
    assert_int_equal(chain_calc_parse(CHAIN_CALC_NONE, "0x", 5, &r, err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calc_calldata_matches_the_python_encoder),
        cmocka_unit_test(test_calc_nothing_to_ask),
        cmocka_unit_test(test_calc_parse_nd_and_mnd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
