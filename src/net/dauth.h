/* dauth: the request that asks a network's dAuth server for MQTT broker credentials, and the
 * check of its answer (docs/protocol.md §8.3). Both are pure: the request is built from a key
 * and a nonce the caller supplies, and the reply is verified (signed by a known oracle, as an
 * oracle reply is: trust.c) and read from the bytes the poller's one-shot brought. The POST
 * itself is remote.c's. No I/O, no clock. */
#ifndef R1_DAUTH_H
#define R1_DAUTH_H

#include <stddef.h>

#include "model.h"
#include "network.h"
#include "util.h"

#define DAUTH_NONCE_LEN 8 /* "the first 8 hex chars of a uuid4" */
#define DAUTH_SENDER_ALIAS "r1top"
#define DAUTH_CERT_MAX (64 * 1024) /* a broker certificate (PEM) bigger than this is refused */

/* What a verified dAuth reply says about the broker (auth.EE_MQTT_*). */
struct dauth_creds {
    char host[256];           /* EE_MQTT_HOST: an IP address or a host name (sanitised) */
    int port;                 /* EE_MQTT_PORT, 1..65535; 8883 when dAuth leaves it out */
    char user[128];           /* EE_MQTT_USER (sanitised) */
    char password[256];       /* EE_MQTT, as sent: a secret, never shown or logged */
    char *cert_pem;           /* EE_MQTT_CERT, as sent (xmalloc'd, PEM text); dauth_creds_clear */
    bool subtopic_alias;      /* EE_MQTT_SUBTOPIC is "alias": topics name the node's alias */
    char signer[R1_ADDR_MAX]; /* the oracle that signed the reply (0xai_) */
};

/* The request body, {"body": <signed dict>} (§8.3 step 2), signed v2 with seckey. nonce is
 * DAUTH_NONCE_LEN lower-case hex characters. Returns the xmalloc'd JSON text, or NULL with
 * err. */
char *dauth_build_request(const unsigned char seckey[32], const char *nonce, char *err);

/* Check and read a dAuth reply (HTTP code and body, as the one-shot brought them). 0 with
 * *out filled only when the reply is signed by a known oracle of net (or one of extra, as for
 * oracle replies), auth.error is null and the broker's host, port, user, password and
 * certificate are all present; else -1 with err, a sentence that starts with "dAuth", and
 * *out cleared. The caller frees out with dauth_creds_clear. */
int dauth_parse_reply(const char *body, size_t len, long http_code, const struct r1_network *net,
                      const char (*extra)[R1_ADDR_MAX], int n_extra, struct dauth_creds *out,
                      char *err);

/* Free the certificate and wipe the password. */
void dauth_creds_clear(struct dauth_creds *c);

#endif
