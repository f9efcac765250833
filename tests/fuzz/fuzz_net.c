/* libFuzzer target for the two parsers of network-command input: dauth_parse_reply (a dAuth
 * server's answer) and mqtt_cmd_is_confirmation (anything on naeural/notif).
 *
 * The first byte picks the parser (byte % 2; the corpus uses the ASCII digits):
 *   '0' a dAuth reply body (HTTP 200; tests/data/trust's fixed test key is a trusted signer)
 *   '1' a message on naeural/notif, checked against that key as the node and the session
 *       "r1top-0a1b2c3d", action STOP
 *
 * Properties checked beyond "no crash, no leak, no UB" (abort() on a violation):
 *   - dAuth: a failure returns -1 with a clean error that names dAuth and leaves the creds
 *     cleared (no host, no password, no certificate); a success has a clean host and user, a
 *     port in 1..65535, a certificate holding a PEM header and the trusted signer;
 *   - confirmation: true only with a clean, non-empty note that holds "Running 'STOP' command".
 * Build and run: see tests/fuzz/README.md (make fuzz FUZZ_TARGET=net). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/dauth.h"
#include "net/mqtt_cmd.h"
#include "network.h"
#include "util.h"

#include "fuzz_checks.h"

#define TEST_KEY_NODE "0xai_A8GIwv9qUBSawjfosRllzI7WaqqFGsHZ1BbZMeLsiYfB"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_dauth(const char *buf, size_t len)
{
    static const char trusted[1][R1_ADDR_MAX] = {TEST_KEY_NODE};
    struct dauth_creds c;
    char err[R1_ERR_MAX];
    memset(&c, 0xA5, sizeof(c));
    if (dauth_parse_reply(buf, len, 200, network_get(R1_NET_MAINNET), trusted, 1, &c, err) != 0) {
        check_err(err);
        if (!strstr(err, "dAuth") || c.host[0] || c.password[0] || c.cert_pem)
            abort();
        return;
    }
    check_clean(c.host, sizeof(c.host));
    check_clean(c.user, sizeof(c.user));
    if (!c.host[0] || c.port < 1 || c.port > 65535 || !c.cert_pem ||
        !strstr(c.cert_pem, "-----BEGIN CERTIFICATE-----") || strcmp(c.signer, TEST_KEY_NODE) != 0)
        abort();
    dauth_creds_clear(&c);
}

static void fuzz_confirmation(const char *buf, size_t len)
{
    char note[120];
    memset(note, 0xA5, sizeof(note));
    if (!mqtt_cmd_is_confirmation(buf, len, TEST_KEY_NODE, "r1top-0a1b2c3d", "STOP", note,
                                  sizeof(note)))
        return;
    check_clean(note, sizeof(note));
    if (!strstr(note, "Running 'STOP' command"))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    /* a NUL-terminated copy: the parsers get (buf, len) but must not read past len anyway */
    char *buf = xmalloc(size);
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    if (data[0] % 2 == 0)
        fuzz_dauth(buf, size - 1);
    else
        fuzz_confirmation(buf, size - 1);
    free(buf);
    return 0;
}
