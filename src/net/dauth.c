/* dauth: the dAuth request and reply (dauth.h). The request is the SDK's triple of versions
 * (app and core null, an SDK version): the server then treats r1top as an SDK client and
 * serves it without a licence check (docs/protocol.md §8.3 step 4). The reply is believed
 * only as far as an oracle reply is: its signed result must verify and come from a known
 * oracle, which trust.c decides for both. */
#include "dauth.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "autoconf.h"
#include "jsonutil.h"
#include "trust/canon_json.h"
#include "trust/sig.h"
#include "trust/trust.h"

/* The SDK version r1top gives: any version above 0 makes an "sdk" requester (§8.3). */
#define DAUTH_SDK_VERSION PACKAGE_VERSION

char *dauth_build_request(const unsigned char seckey[32], const char *nonce, char *err)
{
    if (!nonce || strlen(nonce) != DAUTH_NONCE_LEN ||
        strspn(nonce, "0123456789abcdef") != DAUTH_NONCE_LEN) {
        r1_err(err, "dAuth request: the nonce must be %d lower-case hex digits", DAUTH_NONCE_LEN);
        return NULL;
    }
    struct cj_value *signed_part = canon_new(CJ_OBJECT);
    canon_object_set(signed_part, "sender_alias", canon_new_string(DAUTH_SENDER_ALIAS));
    canon_object_set(signed_part, "nonce", canon_new_string(nonce));
    canon_object_set(signed_part, "sender_app_ver", canon_new(CJ_NULL));
    canon_object_set(signed_part, "sender_sdk_ver", canon_new_string(DAUTH_SDK_VERSION));
    canon_object_set(signed_part, "sender_core_ver", canon_new(CJ_NULL));
    char serr[R1_ERR_MAX];
    if (sig_sign(signed_part, seckey, serr) < 0) {
        canon_free(signed_part);
        r1_err(err, "dAuth request: %s", serr);
        return NULL;
    }
    struct cj_value *doc = canon_new(CJ_OBJECT);
    canon_object_set(doc, "body", signed_part);
    char *text = canon_serialize(doc, CANON_FLOAT_REPR, NULL, NULL);
    canon_free(doc);
    return text;
}

void dauth_creds_clear(struct dauth_creds *c)
{
    free(c->cert_pem);
    /* volatile: a plain memset before the struct goes out of use may be optimised away */
    volatile unsigned char *p = (volatile unsigned char *)c;
    for (size_t i = 0; i < sizeof(*c); i++)
        p[i] = 0;
}

/* A string value exactly as sent (the password and the PEM must not be sanitised: that would
 * change them); NULL when absent, not a string, or longer than max. */
static const char *raw_string(const cJSON *obj, const char *key, size_t max)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(v) || !v->valuestring || strlen(v->valuestring) >= max)
        return NULL;
    return v->valuestring;
}

/* auth's broker fields into out; -1 with err naming the first one missing. */
static int read_auth(const cJSON *auth, struct dauth_creds *out, char *err)
{
    int64_t port = 8883; /* the SDK's default when EE_MQTT_PORT is unset (§8.4) */
    if (cJSON_GetObjectItemCaseSensitive(auth, "EE_MQTT_PORT") &&
        (!json_get_i64(auth, "EE_MQTT_PORT", &port) || port < 1 || port > 65535))
        return r1_err(err, "dAuth reply: EE_MQTT_PORT is not a port number");
    out->port = (int)port;
    if (!json_get_str(auth, "EE_MQTT_HOST", out->host, sizeof(out->host)) || !out->host[0])
        return r1_err(err, "dAuth reply: no EE_MQTT_HOST (the broker's address)");
    if (!json_get_str(auth, "EE_MQTT_USER", out->user, sizeof(out->user)) || !out->user[0])
        return r1_err(err, "dAuth reply: no EE_MQTT_USER (the broker login)");
    const char *pw = raw_string(auth, "EE_MQTT", sizeof(out->password));
    if (!pw)
        return r1_err(err, "dAuth reply: no EE_MQTT (the broker password)");
    r1_strlcpy(out->password, pw, sizeof(out->password));
    const char *pem = raw_string(auth, "EE_MQTT_CERT", DAUTH_CERT_MAX);
    if (!pem || !strstr(pem, "-----BEGIN CERTIFICATE-----"))
        return r1_err(err, "dAuth reply: no EE_MQTT_CERT (the broker's certificate, PEM)");
    out->cert_pem = xstrdup(pem);
    char sub[16] = "";
    json_get_str(auth, "EE_MQTT_SUBTOPIC", sub, sizeof(sub));
    out->subtopic_alias = strcmp(sub, "alias") == 0;
    return 0;
}

int dauth_parse_reply(const char *body, size_t len, long http_code, const struct r1_network *net,
                      const char (*extra)[R1_ADDR_MAX], int n_extra, struct dauth_creds *out,
                      char *err)
{
    memset(out, 0, sizeof(*out));
    if (http_code < 200 || http_code >= 300)
        return r1_err(err, "dAuth answered HTTP %ld", http_code);
    /* trust.c's verdict first: nothing of an unverified reply is read, not even its error */
    struct trust_result tr;
    trust_check_oracle_reply(body, len, net, extra, n_extra, &tr);
    if (tr.trust == R1_TRUST_UNKNOWN_SIGNER)
        return r1_err(err, "dAuth reply refused: signed by %s, not a known oracle of %s", tr.signer,
                      net->name);
    if (tr.trust == R1_TRUST_UNSIGNED)
        return r1_err(err, "dAuth reply refused: it is not signed");
    if (tr.trust != R1_TRUST_VERIFIED)
        return r1_err(err, "dAuth reply refused: bad signature (%s)", tr.reason);
    char perr[R1_ERR_MAX];
    cJSON *doc = json_parse(body, len, perr);
    const cJSON *res = doc ? cJSON_GetObjectItemCaseSensitive(doc, "result") : NULL;
    if (!cJSON_IsObject(res))
        res = doc; /* a bare signed object, which trust.c accepts as well */
    const cJSON *auth = cJSON_GetObjectItemCaseSensitive(res, "auth");
    const cJSON *refusal = cJSON_GetObjectItemCaseSensitive(auth, "error");
    int rc = 0;
    char why[R1_REASON_MAX];
    if (!cJSON_IsObject(auth))
        rc = r1_err(err, "dAuth reply: no \"auth\" object in the signed result");
    else if (refusal && !cJSON_IsNull(refusal))
        rc = r1_err(err, "dAuth refused the request: %s",
                    json_get_str(auth, "error", why, sizeof(why)) ? why : "(no reason given)");
    else
        rc = read_auth(auth, out, err);
    cJSON_Delete(doc);
    if (rc < 0) {
        dauth_creds_clear(out);
        return -1;
    }
    r1_strlcpy(out->signer, tr.signer, sizeof(out->signer));
    return 0;
}
