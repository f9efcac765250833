/* libFuzzer target for everything an oracle reply goes through before r1top believes it:
 * canon_parse, both canonical serialisations, sig_verify and trust_check_value (EE_SIGN and
 * the EVM availability signature). Invariant checked beyond "no crash, no leak": the repr
 * canonical text parses again and canonicalises to itself.
 * Build and run: see tests/fuzz/README.md. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trust/canon_json.h"
#include "network.h"
#include "trust/sig.h"
#include "trust/trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[R1_ERR_MAX];
    struct cj_value *v = canon_parse((const char *)data, size, err);
    if (!v)
        return 0;
    size_t n1, n2, n3;
    char *repr = canon_serialize(v, CANON_FLOAT_REPR, NULL, &n1);
    char *legacy = canon_serialize(v, CANON_FLOAT_LEGACY, NULL, &n2);
    struct cj_value *again = canon_parse(repr, n1, err);
    if (!again)
        abort(); /* the canonical text must be JSON we accept */
    char *repr2 = canon_serialize(again, CANON_FLOAT_REPR, NULL, &n3);
    if (n1 != n3 || memcmp(repr, repr2, n1) != 0)
        abort(); /* canonicalisation must be idempotent */
    struct sig_result sr;
    sig_verify(v, &sr);
    struct trust_result tr;
    trust_check_value(v, network_get(R1_NET_MAINNET), NULL, 0, &tr);
    free(repr);
    free(repr2);
    free(legacy);
    canon_free(again);
    canon_free(v);
    return 0;
}
