/* sig: EE_SIGN, the signature Ratio1 puts on every message (docs/protocol.md §3.2-§3.4):
 * verification of
 * the v2, v1 and unversioned canonical forms exactly as the Python SDK's verify() does, and
 * v2 signing as its sign() does. Says whether a key signed; whether that key is trusted is
 * trust.c's question. Called by trust.c, tests and the fuzz target. */
#ifndef R1_SIG_H
#define R1_SIG_H

#include <stdbool.h>

#include "canon_json.h"
#include "eth.h"
#include "util.h"

enum sig_canon {
    SIG_CANON_NONE,               /* nothing verified */
    SIG_CANON_V2,                 /* SIGN_CANON_V "v2": repr floats, the field is hashed */
    SIG_CANON_V1,                 /* SIGN_CANON_V "v1": legacy floats */
    SIG_CANON_UNVERSIONED,        /* no SIGN_CANON_V, verified with repr floats */
    SIG_CANON_UNVERSIONED_LEGACY, /* no SIGN_CANON_V, verified with the legacy fallback */
};

struct sig_result {
    bool valid;
    bool has_sign;                  /* false: the message carries no EE_SIGN */
    enum sig_canon canon;           /* the form that verified */
    char sender[ETH_NODE_ADDR_BUF]; /* EE_SENDER's key as 0xai_..., "" if unusable */
    char sender_eth[ETH_ADDR_BUF];  /* derived from that key: EE_ETH_SENDER is not signed */
    char hash_hex[65];              /* SHA-256 of the canonical text last tried */
    char reason[R1_ERR_MAX];        /* why not valid; "" when valid */
};

/* "v2", "v1", "unversioned", "unversioned, legacy floats", "none". */
const char *sig_canon_name(enum sig_canon c);

/* Verify msg (a JSON object carrying EE_SIGN, EE_SENDER, ...). Returns 0 when the signature
 * is valid, -1 otherwise, and fills *out either way. Reasons: "no EE_SIGN: unsigned",
 * "malformed EE_SIGN", "malformed EE_SENDER", "EE_HASH mismatch: message altered",
 * "signature does not verify", "unknown SIGN_CANON_V ...", "not a JSON object". */
int sig_verify(const struct cj_value *msg, struct sig_result *out);

/* Sign msg in place as the SDK's sign() does for v2: sets SIGN_CANON_V "v2", EE_HASH,
 * EE_SIGN (DER, base64url with padding), EE_SENDER, EE_ETH_SENDER, EE_ETH_SIGN "0xBEEF",
 * replacing any old ones. Deterministic (RFC 6979). 0, or -1 with err. */
int sig_sign(struct cj_value *msg, const unsigned char seckey[32], char *err);

#endif
