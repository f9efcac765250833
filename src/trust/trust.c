#include "trust.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/crypto.h>

#include "crypto.h"
#include "eth.h"
#include "identity.h"
#include "sig.h"

#define AVAIL_EPOCHS_MAX 100000 /* far more than the ~430 epochs a year has */

/* An oracle reply is an envelope whose "result" is the signed dict (docs/protocol.md §2.2); a file
 * given to `verify` may also be the signed dict itself. */
/* An envelope's signed part is its "result", always: the figures are read from there, so the
 * verdict must be about the same object (fuzz_reply found an envelope carrying its own EE_SIGN
 * beside a result, which had the verifier vouch for the envelope and the parser read the
 * result). A bare signed message (no result object) is its own signed part. */
static const struct cj_value *signed_part(const struct cj_value *reply)
{
    if (reply && reply->type == CJ_OBJECT) {
        const struct cj_value *r = canon_get(reply, "result");
        if (r && r->type == CJ_OBJECT)
            return r;
    }
    return reply;
}

/* Every form of address compares as its 20-byte ETH address: one key, one identity. */
static int addr_to_eth20(const char *addr, unsigned char out[ETH_ADDR_LEN])
{
    if (!addr)
        return -1;
    if (eth_address_parse(addr, out) == 0)
        return 0;
    unsigned char pub[ETH_PUBKEY_LEN];
    if (eth_node_addr_parse(addr, pub) != 0)
        return -1;
    return eth_address_from_pubkey(pub, sizeof(pub), out);
}

static bool eth20_known(const unsigned char want[ETH_ADDR_LEN], const struct r1_network *net,
                        const char (*extra)[R1_ADDR_MAX], int n_extra)
{
    unsigned char cand[ETH_ADDR_LEN];
    for (const char *const *o = net ? net->oracles : NULL; o && *o; o++)
        if (addr_to_eth20(*o, cand) == 0 && memcmp(cand, want, ETH_ADDR_LEN) == 0)
            return true;
    for (int i = 0; extra && i < n_extra; i++)
        if (addr_to_eth20(extra[i], cand) == 0 && memcmp(cand, want, ETH_ADDR_LEN) == 0)
            return true;
    return false;
}

bool trust_is_known_oracle(const char *addr, const struct r1_network *net,
                           const char (*extra)[R1_ADDR_MAX], int n_extra)
{
    unsigned char want[ETH_ADDR_LEN];
    return addr_to_eth20(addr, want) == 0 && eth20_known(want, net, extra, n_extra);
}

static bool avail_fail(struct trust_result *out, const char *reason)
{
    out->avail_sig_ok = false;
    r1_strlcpy(out->avail_reason, reason, sizeof(out->avail_reason));
    return false;
}

/* "0x" + hex into a fresh buffer. */
static unsigned char *hex_field(const char *s, size_t max_bytes, size_t *n)
{
    if (!s || strncmp(s, "0x", 2) != 0)
        return NULL;
    size_t hex_len = strlen(s + 2);
    if (hex_len / 2 > max_bytes)
        return NULL;
    unsigned char *b = xmalloc(hex_len / 2 + 1);
    if (crypto_hex_decode(s + 2, hex_len, b, hex_len / 2, n) != 0) {
        free(b);
        return NULL;
    }
    return b;
}

/* The EVM signature over node, from_epoch, to_epoch, packed_availabilities (docs/protocol.md §3.6).
 * */
static bool check_avail(const struct cj_value *msg, const struct r1_network *net,
                        const char (*extra)[R1_ADDR_MAX], int n_extra, struct trust_result *out)
{
    const struct cj_value *sigs = canon_get(msg, "eth_signatures");
    if (!sigs)
        return false;
    out->avail_present = true;
    const struct cj_value *addrs = canon_get(msg, "eth_addresses");
    const struct cj_value *vals = canon_get(msg, "epochs_vals");
    unsigned char node[ETH_ADDR_LEN];
    int64_t from = -1, to = -1;
    if (sigs->type != CJ_ARRAY || sigs->n == 0 || sigs->items[0]->type != CJ_STRING) {
        out->avail_state_invalid = true;
        return avail_fail(out, "no availability signature (the oracle says its state is not "
                               "valid for this range)");
    }
    if (!addrs || addrs->type != CJ_ARRAY || addrs->n != sigs->n)
        return avail_fail(out, "eth_addresses does not match eth_signatures");
    if (addr_to_eth20(canon_get_string(msg, "node_eth_address"), node) != 0)
        return avail_fail(out, "node_eth_address missing or malformed");
    if (canon_number_int64(canon_get(msg, "from_epoch"), &from) != 0 ||
        canon_number_int64(canon_get(msg, "to_epoch"), &to) != 0 || from < 0 || to < from)
        return avail_fail(out, "from_epoch/to_epoch missing or malformed");

    size_t n_packed = 0;
    unsigned char *packed =
        hex_field(canon_get_string(msg, "packed_availabilities"), AVAIL_EPOCHS_MAX, &n_packed);
    if (!packed)
        return avail_fail(out, "packed_availabilities missing or malformed");
    /* the signature covers packed_availabilities; the figures shown are epochs_vals */
    bool same = vals && vals->type == CJ_ARRAY && vals->n == n_packed;
    for (size_t i = 0; same && i < n_packed; i++) {
        int64_t v;
        same = canon_number_int64(vals->items[i], &v) == 0 && v == packed[i];
    }
    if (!same) {
        free(packed);
        return avail_fail(out, "epochs_vals differ from the signed packed_availabilities");
    }
    unsigned char digest[32];
    eth_avail_digest(node, (uint64_t)from, (uint64_t)to, packed, n_packed, digest);
    free(packed);

    for (size_t i = 0; i < sigs->n; i++) {
        const struct cj_value *s = sigs->items[i];
        unsigned char listed[ETH_ADDR_LEN], got[ETH_ADDR_LEN];
        size_t n_sig = 0;
        unsigned char *sig = s->type == CJ_STRING ? hex_field(s->str, ETH_SIG_LEN, &n_sig) : NULL;
        int ok = sig && n_sig == ETH_SIG_LEN && eth_recover(digest, sig, got) == 0;
        free(sig);
        if (!ok)
            return avail_fail(out, "malformed availability signature");
        if (addrs->items[i]->type != CJ_STRING ||
            addr_to_eth20(addrs->items[i]->str, listed) != 0 ||
            memcmp(listed, got, ETH_ADDR_LEN) != 0)
            return avail_fail(out, "availability signature does not match its eth_addresses "
                                   "entry: epochs or values altered");
        if (eth20_known(got, net, extra, n_extra))
            out->avail_signer_known = true;
    }
    out->avail_sig_ok = true;
    out->avail_reason[0] = '\0';
    return true;
}

/* "2026-08-05 10:00:00" (UTC, the oracle's server_time) as unix seconds; 0 if malformed
 * (util.c's parser checks every field: no Feb 31, no hour 25). */
static double parse_server_time(const char *s)
{
    double t;
    return s && r1_parse_utc(s, &t) == 0 ? t : 0;
}

static void copy_string(char *dst, size_t n, const struct cj_value *obj, const char *key)
{
    const char *s = obj && obj->type == CJ_OBJECT ? canon_get_string(obj, key) : NULL;
    r1_sanitize(dst, n, s ? s : "");
}

/* What the reply is about (docs/protocol.md §2.2: the oracle envelope), for the caller's binding.
 * */
static void read_about(const struct cj_value *reply, const struct cj_value *msg,
                       struct trust_result *out)
{
    copy_string(out->about_node, sizeof(out->about_node), msg, "node");
    copy_string(out->about_eth, sizeof(out->about_eth), msg, "node_eth_address");
    copy_string(out->network, sizeof(out->network), reply, "evm_network");
    if (!out->network[0])
        copy_string(out->network, sizeof(out->network), reply, "ee_node_network");
    out->server_time = 0;
    out->server_epoch = -1;
    if (msg && msg->type == CJ_OBJECT) {
        out->server_time = parse_server_time(canon_get_string(msg, "server_time"));
        const struct cj_value *e = canon_get(msg, "server_current_epoch");
        int64_t v;
        if (e && canon_number_int64(e, &v) == 0 && v >= 0)
            out->server_epoch = v;
    }
}

int trust_check_value(const struct cj_value *reply, const struct r1_network *net,
                      const char (*extra)[R1_ADDR_MAX], int n_extra, struct trust_result *out)
{
    memset(out, 0, sizeof(*out));
    const struct cj_value *msg = signed_part(reply);
    read_about(reply, msg, out);
    char why[R1_ERR_MAX / 2];
    if (canon_is_ambiguous(reply, why, sizeof(why))) {
        /* The signature is checked on the last duplicate (as Python does), but a reader of
         * the same body (cJSON takes the first) could show the other one as verified. */
        out->trust = R1_TRUST_BAD;
        out->ambiguous = true;
        snprintf(out->reason, sizeof(out->reason), "ambiguous reply (%s): not believed", why);
        return out->trust;
    }
    struct sig_result sr;
    sig_verify(msg, &sr);
    r1_strlcpy(out->signer, sr.sender, sizeof(out->signer));
    r1_strlcpy(out->signer_eth, sr.sender_eth, sizeof(out->signer_eth));
    if (sr.valid)
        r1_strlcpy(out->canon, sig_canon_name(sr.canon), sizeof(out->canon));
    if (sr.valid && trust_is_known_oracle(sr.sender, net, extra, n_extra)) {
        out->trust = R1_TRUST_VERIFIED;
    } else if (sr.valid) {
        out->trust = R1_TRUST_UNKNOWN_SIGNER;
        snprintf(out->reason, sizeof(out->reason), "signed by %s, which is not a known %s oracle",
                 sr.sender, net ? net->name : "");
    } else {
        bool unsigned_msg = !sr.has_sign && msg && msg->type == CJ_OBJECT;
        out->trust = unsigned_msg ? R1_TRUST_UNSIGNED : R1_TRUST_BAD;
        r1_strlcpy(out->reason, sr.reason, sizeof(out->reason));
    }
    if (msg && msg->type == CJ_OBJECT)
        check_avail(msg, net, extra, n_extra, out);
    return out->trust;
}

int trust_check_oracle_reply(const char *body, size_t len, const struct r1_network *net,
                             const char (*extra)[R1_ADDR_MAX], int n_extra,
                             struct trust_result *out)
{
    char err[R1_ERR_MAX];
    struct cj_value *reply = body ? canon_parse(body, len, err) : NULL;
    if (!reply) {
        memset(out, 0, sizeof(*out));
        out->server_epoch = -1;
        out->trust = R1_TRUST_BAD;
        /* err reads "JSON: <what> at byte N" */
        snprintf(out->reason, sizeof(out->reason), "reply is not valid %.200s",
                 body ? err : "JSON: no body");
        return out->trust;
    }
    int t = trust_check_value(reply, net, extra, n_extra, out);
    canon_free(reply);
    return t;
}

/* The member of obj whose key equals key ignoring ASCII case (ETH addresses come in any). */
static const struct cj_value *get_nocase(const struct cj_value *obj, const char *key)
{
    if (!obj || obj->type != CJ_OBJECT)
        return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (strlen(obj->members[i].key) == obj->members[i].key_len &&
            strcasecmp(obj->members[i].key, key) == 0)
            return obj->members[i].value;
    return NULL;
}

int trust_check_oracle_batch(const char *body, size_t len, const struct r1_network *net,
                             const char (*extra)[R1_ADDR_MAX], int n_extra,
                             const char *const *keys, size_t n_keys, struct trust_result *whole,
                             struct trust_block *per_key)
{
    char err[R1_ERR_MAX];
    struct cj_value *reply = body ? canon_parse(body, len, err) : NULL;
    memset(per_key, 0, n_keys * sizeof(*per_key));
    if (!reply) {
        memset(whole, 0, sizeof(*whole));
        whole->server_epoch = -1;
        whole->trust = R1_TRUST_BAD;
        snprintf(whole->reason, sizeof(whole->reason), "reply is not valid %.200s",
                 body ? err : "JSON: no body");
    } else {
        trust_check_value(reply, net, extra, n_extra, whole);
    }
    const struct cj_value *msg = reply ? signed_part(reply) : NULL;
    for (size_t i = 0; i < n_keys; i++) {
        struct trust_result *t = &per_key[i].tr;
        const struct cj_value *block = get_nocase(msg, keys[i]);
        if (!block || block->type != CJ_OBJECT) {
            per_key[i].missing = true;
            t->trust = R1_TRUST_UNCHECKED;
            t->server_epoch = -1;
            continue;
        }
        /* the whole reply's verdict, network and time; the block's node and its own EVM
         * availability signature (docs/protocol.md §2.3, §3.6) */
        *t = *whole;
        t->avail_present = t->avail_sig_ok = t->avail_signer_known = false;
        t->avail_state_invalid = false;
        t->avail_reason[0] = '\0';
        copy_string(t->about_node, sizeof(t->about_node), block, "node");
        copy_string(t->about_eth, sizeof(t->about_eth), block, "node_eth_address");
        check_avail(block, net, extra, n_extra, t);
    }
    canon_free(reply);
    return whole->trust;
}

/* One file of `r1top verify`: 0 if it is fully valid, 1 otherwise. */
static int verify_file(const char *path, const struct r1_network *net,
                       const char (*extra)[R1_ADDR_MAX], int n_extra, FILE *out)
{
    char name[PATH_MAX], err[R1_ERR_MAX], why[R1_ERR_MAX / 2];
    char *buf = NULL;
    size_t len = 0;
    double mtime;
    r1_sanitize(name, sizeof(name), path);
    if (r1_read_file(path, CANON_INPUT_MAX, &buf, &len, &mtime, err) != 0) {
        fprintf(out, "%s: INVALID (%s)\n", name, err);
        return 1;
    }
    struct cj_value *v = canon_parse(buf, len, err);
    free(buf);
    if (!v) {
        fprintf(out, "%s: INVALID (%s)\n", name, err);
        return 1;
    }
    if (canon_is_ambiguous(v, why, sizeof(why))) {
        fprintf(out, "%s: INVALID (ambiguous JSON: %s)\n", name, why);
        canon_free(v);
        return 1;
    }
    int bad = 0;
    const struct cj_value *msg = signed_part(v);
    struct sig_result sr;
    if (sig_verify(msg, &sr) == 0) {
        bool known = trust_is_known_oracle(sr.sender, net, extra, n_extra);
        fprintf(out, "%s: VALID (%s) sender %s %s %s\n", name, sig_canon_name(sr.canon), sr.sender,
                sr.sender_eth, known ? "known oracle" : "not a known oracle");
    } else {
        fprintf(out, "%s: INVALID (%s)\n", name, sr.reason);
        bad = 1;
    }
    struct trust_result tr;
    memset(&tr, 0, sizeof(tr));
    if (msg->type == CJ_OBJECT && check_avail(msg, net, extra, n_extra, &tr)) {
        fprintf(out, "%s: availability signature ok (%s)\n", name,
                tr.avail_signer_known ? "known oracle" : "not a known oracle");
    } else if (tr.avail_present) {
        fprintf(out, "%s: availability signature BAD (%s)\n", name, tr.avail_reason);
        bad = 1;
    }
    canon_free(v);
    return bad;
}

int trust_cmd_verify(int n, char **files, const struct r1_network *net,
                     const char (*extra)[R1_ADDR_MAX], int n_extra, FILE *out)
{
    int bad = 0;
    for (int i = 0; i < n; i++)
        bad |= verify_file(files[i], net, extra, n_extra, out);
    return bad;
}

static int resolve_path(const char *given, char *path, size_t size, char *err)
{
    if (given) {
        r1_strlcpy(path, given, size);
        return 0;
    }
    return identity_default_path(path, size, err);
}

int trust_cmd_whoami(const char *identity_path, FILE *out, char *err)
{
    char path[PATH_MAX], node[ETH_NODE_ADDR_BUF], eth[ETH_ADDR_BUF];
    unsigned char sk[32];
    if (resolve_path(identity_path, path, sizeof(path), err) != 0)
        return -1;
    if (identity_load(path, sk, err) != 0)
        return -1;
    int rc = identity_names(sk, node, eth, err);
    OPENSSL_cleanse(sk, sizeof(sk));
    if (rc != 0)
        return -1;
    fprintf(out, "node address  %s\neth address   %s\nidentity      %s\n", node, eth, path);
    return 0;
}

int trust_cmd_keygen(const char *path_arg, FILE *out, char *err)
{
    char path[PATH_MAX], node[ETH_NODE_ADDR_BUF], eth[ETH_ADDR_BUF];
    unsigned char sk[32];
    if (resolve_path(path_arg, path, sizeof(path), err) != 0)
        return -1;
    if (!path_arg) {
        /* the SDK's folder; private like ~/.ssh */
        char *slash = strrchr(path, '/');
        *slash = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return r1_err(err, "keygen: cannot create %s: %s", path, strerror(errno));
        *slash = '/';
    }
    if (identity_keygen(path, sk, err) != 0)
        return -1;
    int rc = identity_names(sk, node, eth, err);
    OPENSSL_cleanse(sk, sizeof(sk));
    if (rc != 0)
        return -1;
    fprintf(out, "created %s (mode 0600)\nnode address  %s\neth address   %s\n", path, node, eth);
    return 0;
}
