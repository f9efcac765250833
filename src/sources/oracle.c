/* oracle: parsers and sources for the oracle API (see oracle.h). The oracle is a remote
 * service r1top does not control: every field is checked, strings are sanitised, epoch lists
 * that do not line up are refused, and amounts beyond 64 bits are read from their digits. */
#include "oracle.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "derive.h"
#include "trust/eth.h"
#include "epoch.h"
#include "jsonutil.h"
#include "rewards.h"
#include "trust/trust.h"

/* ---- envelope ---------------------------------------------------------------------------- */

/* Parse the reply and find its result object (docs/protocol.md §2.2). Returns the root to free. */
static cJSON *oracle_open(const char *buf, size_t len, const cJSON **result, char *err)
{
    char perr[R1_ERR_MAX];
    cJSON *root = json_parse(buf, len, perr);
    if (root == NULL) {
        r1_err(err, "oracle reply: %s", perr);
        return NULL;
    }
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "result");
    if (!cJSON_IsObject(root) || !cJSON_IsObject(res)) {
        cJSON_Delete(root);
        r1_err(err, "oracle reply: no \"result\" object in the envelope; is the oracle URL right?");
        return NULL;
    }
    *result = res;
    return root;
}

int oracle_parse_current_epoch(const char *buf, size_t len, int64_t *epoch, char *err)
{
    const cJSON *res = NULL;
    cJSON *root = oracle_open(buf, len, &res, err);
    if (root == NULL)
        return -1;
    int64_t e;
    /* Every signed result also carries server_current_epoch (docs/protocol.md §2.2), a fallback for
     * the same figure should current_epoch ever be missing. */
    bool ok =
        json_get_i64(res, "current_epoch", &e) || json_get_i64(res, "server_current_epoch", &e);
    cJSON_Delete(root);
    if (!ok || e < 0 || e > ORACLE_EPOCH_MAX)
        return r1_err(err, "oracle reply: result.current_epoch is missing or not an epoch "
                           "number (0..%" PRId64 ")", ORACLE_EPOCH_MAX);
    *epoch = e;
    return 0;
}

/* ---- licence (docs/protocol.md §5.2) ------------------------------------------------------------
 * */

/* Where the licence object's text lives, so amounts can be re-read from their digits:
 * the reply itself (path result/<key>) or, for a string-encoded dict, that string. */
struct lic_text {
    const char *raw;
    size_t raw_len;
    const char *path[4];   /* result[/<node ETH> in a batch]/<licence key>/<amount key> */
    size_t n_path;
};

/* Amounts are uint256 in wei and exceed both int64 and a double's 53 bits, so a JSON number
 * is never taken from cJSON's double: its lexeme is found in the raw text instead. */
static bool lic_get_amount(const cJSON *obj, const char *key, struct lic_text *lt, r1_u128 *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsString(it))
        return amount_parse(it->valuestring, out) == 0;
    if (!cJSON_IsNumber(it))
        return false;
    const char *lex;
    size_t lex_len;
    lt->path[lt->n_path] = key;
    if (json_find_lexeme(lt->raw, lt->raw_len, lt->path, lt->n_path + 1, &lex, &lex_len)) {
        char digits[96];
        if (lex_len < sizeof(digits)) {
            memcpy(digits, lex, lex_len);
            digits[lex_len] = '\0';
            /* The raw scan matches key bytes; cJSON decodes escapes and stops keys at NUL. A
             * decoy key ("res\u0075lt", "r1PoaiRewards\u0000") could make them pick different
             * values: use the exact digits only when they are the value cJSON read. */
            /* strtod and the u128 -> double conversion both round to nearest, so the true
             * value always passes this exact comparison and a neighbour never does. */
            if (amount_parse(digits, out) == 0 && (double)*out == it->valuedouble)
                return true;
        }
    }
    /* No clean integer lexeme (e.g. "1e3"): the double is exact only below 2^53. */
    double d = it->valuedouble;
    if (d >= 0.0 && d <= 9007199254740992.0 && d == floor(d)) {
        *out = (r1_u128)d;
        return true;
    }
    return false;
}

static bool lic_get_type(const cJSON *obj, enum r1_lic_type *out)
{
    static const char *const names[] = {"None", "ND", "MND", "GND"};
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, "licenseType");
    int64_t v;
    if (json_to_i64(it, &v)) {
        if (v < R1_LIC_NONE || v > R1_LIC_GND)
            return false;
        *out = (enum r1_lic_type)v;
        return true;
    }
    if (cJSON_IsString(it)) {
        for (int i = 0; i < (int)R1_ARRAY_LEN(names); i++) {
            if (strcmp(it->valuestring, names[i]) == 0) {
                *out = (enum r1_lic_type)i;
                return true;
            }
        }
    }
    return false;
}

static void lic_fill(const cJSON *o, struct lic_text *lt, struct r1_licence *t)
{
    r1_u128 v;
    double d;
    if (lic_get_type(o, &t->type))
        R1_MARK(t, LIC_TYPE);
    if (lic_get_amount(o, "licenseId", lt, &v) && v <= UINT64_MAX) {
        t->licence_id = (uint64_t)v;
        R1_MARK(t, LIC_ID);
    }
    if (json_get_str(o, "owner", t->owner, sizeof(t->owner)))
        R1_MARK(t, LIC_OWNER);
    if (json_get_str(o, "nodeAddress", t->node_address, sizeof(t->node_address)))
        R1_MARK(t, LIC_NODE_ADDR);
    if (lic_get_amount(o, "totalAssignedAmount", lt, &t->total_assigned_wei))
        R1_MARK(t, LIC_ASSIGNED);
    if (lic_get_amount(o, "totalClaimedAmount", lt, &t->total_claimed_wei))
        R1_MARK(t, LIC_CLAIMED);
    if (json_get_i64(o, "lastClaimEpoch", &t->last_claim_epoch) && t->last_claim_epoch >= 0 &&
        t->last_claim_epoch <= ORACLE_EPOCH_MAX)
        R1_MARK(t, LIC_LAST_CLAIM);
    if (json_get_num(o, "assignTimestamp", &d) && d >= 0.0) {
        t->assign_timestamp = d;
        R1_MARK(t, LIC_ASSIGN_TS);
    }
    if (json_get_str(o, "lastClaimOracle", t->last_claim_oracle, sizeof(t->last_claim_oracle)))
        R1_MARK(t, LIC_LAST_ORACLE);
    if (json_get_bool(o, "isBanned", &t->is_banned))
        R1_MARK(t, LIC_BANNED);
    if (json_get_bool(o, "isValid", &t->is_valid))
        R1_MARK(t, LIC_VALID);
    /* The SDK that fills this dict unpacks only the first 10 tuple fields (docs/protocol.md §5.2):
     * the PoAI amounts are often absent and then stay unknown, not zero. */
    if (lic_get_amount(o, "usdcPoaiRewards", lt, &t->poai_usdc_micro))
        R1_MARK(t, LIC_POAI_USDC);
    if (lic_get_amount(o, "r1PoaiRewards", lt, &t->poai_r1_wei))
        R1_MARK(t, LIC_POAI_R1);
}

/* node_license_info and its misspelt twin node_licese_info (docs/protocol.md §2.6): take whichever
 * is a non-null object, or a string that decodes to one. Returns true when t was filled. */
static bool lic_parse(const cJSON *res, const char *buf, size_t len, const char *block_key,
                      struct r1_licence *t)
{
    static const char *const keys[] = {"node_license_info", "node_licese_info"};
    for (size_t i = 0; i < R1_ARRAY_LEN(keys); i++) {
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(res, keys[i]);
        if (cJSON_IsObject(it)) {
            /* the raw text's path to the licence: result/<key>, or result/<ETH>/<key> for a
             * node's block in a batch reply */
            struct lic_text lt = {buf, len, {"result", block_key ? block_key : keys[i], keys[i]},
                                  block_key ? 3 : 2};
            lic_fill(it, &lt, t);
            return true;
        }
        if (cJSON_IsString(it) && it->valuestring != NULL) {
            char perr[R1_ERR_MAX];
            size_t slen = strlen(it->valuestring);
            cJSON *inner = json_parse(it->valuestring, slen, perr);
            if (cJSON_IsObject(inner)) {
                struct lic_text lt = {it->valuestring, slen, {NULL, NULL, NULL}, 0};
                lic_fill(inner, &lt, t);
                cJSON_Delete(inner);
                return true;
            }
            cJSON_Delete(inner);
        }
    }
    return false;
}

/* ---- node-epochs block (docs/protocol.md §2.4) --------------------------------------------------
 * */

static const char *json_type_name(const cJSON *it)
{
    if (it == NULL)
        return "missing";
    if (cJSON_IsNull(it))
        return "null";
    if (cJSON_IsArray(it))
        return "a list";
    if (cJSON_IsObject(it))
        return "an object";
    if (cJSON_IsString(it))
        return "a string";
    if (cJSON_IsNumber(it))
        return "a number";
    return "a boolean";
}

/* epochs + epochs_vals into a contiguous run. The rewards estimate indexes by epoch, so a list
 * with a gap or a length mismatch would credit availability to the wrong day: refuse it. */
static int orc_parse_epochs(const cJSON *res, struct r1_oracle_node *t, char *err)
{
    const cJSON *ep = cJSON_GetObjectItemCaseSensitive(res, "epochs");
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(res, "epochs_vals");
    bool has_ep = ep != NULL && !cJSON_IsNull(ep), has_ev = ev != NULL && !cJSON_IsNull(ev);
    if (!has_ep && !has_ev)
        return 0;
    if (!cJSON_IsArray(ep) || !cJSON_IsArray(ev))
        return r1_err(err, "oracle reply: epochs is %s and epochs_vals is %s; expected two lists",
                      json_type_name(ep), json_type_name(ev));
    int n = cJSON_GetArraySize(ep), m = cJSON_GetArraySize(ev);
    if (n != m)
        return r1_err(err, "oracle reply: %d epochs but %d epochs_vals; the lists must pair up",
                      n, m);
    if (n > ORACLE_EPOCHS_MAX)
        return r1_err(err, "oracle reply: %d epochs is more than the %d r1top accepts", n,
                      ORACLE_EPOCHS_MAX);
    uint8_t *vals = xmalloc(n > 0 ? (size_t)n : 1);
    int64_t first = 0;
    int i = 0;
    const cJSON *e = ep->child, *v = ev->child;
    for (; i < n; i++, e = e->next, v = v->next) {
        int64_t epoch, val;
        if (!cJSON_IsNumber(e) || !json_to_i64(e, &epoch) || epoch < 0 ||
            epoch > ORACLE_EPOCH_MAX) {
            free(vals);
            return r1_err(err, "oracle reply: epochs[%d] is not an epoch number (0..%lld)", i,
                          (long long)ORACLE_EPOCH_MAX);
        }
        if (i == 0)
            first = epoch;
        else if (epoch != first + i) {
            free(vals);
            return r1_err(err, "oracle reply: epochs are not contiguous (epochs[%d] = %" PRId64
                               ", expected %" PRId64 ")", i, epoch, first + i);
        }
        if (!cJSON_IsNumber(v) || !json_to_i64(v, &val) || val < 0 || val > 255) {
            free(vals);
            return r1_err(err, "oracle reply: epochs_vals[%d] (epoch %" PRId64 ") is not an "
                               "availability 0..255", i, epoch);
        }
        vals[i] = (uint8_t)val;
    }
    int64_t from, to;
    if (n > 0) {
        /* from_epoch/to_epoch come from the same code; disagreeing with the list means the
         * reply is not what we think it is. */
        if ((json_get_i64(res, "from_epoch", &from) && from != first) ||
            (json_get_i64(res, "to_epoch", &to) && to != first + n - 1)) {
            free(vals);
            return r1_err(err, "oracle reply: from_epoch/to_epoch do not match the epochs list "
                               "(%" PRId64 "..%" PRId64 ")", first, first + n - 1);
        }
        t->from_epoch = first;
        t->to_epoch = first + n - 1;
    } else {
        /* an empty range still says where it starts; an absurd start is no start */
        bool ok = json_get_i64(res, "from_epoch", &from) && from >= 0 && from <= ORACLE_EPOCH_MAX;
        t->from_epoch = ok ? from : 0;
        t->to_epoch = t->from_epoch - 1;
    }
    t->epochs_u8 = vals;
    t->n_epochs = n;
    R1_MARK(t, ORC_EPOCHS);
    return 0;
}

/* One node-epochs block: the result of a per-node endpoint, or one node's entry (block_key, its
 * ETH address as written) in a multi_node_epochs_range result. buf/len is the whole reply,
 * for the exact licence amounts. */
static int parse_node_block(const cJSON *res, const char *buf, size_t len, const char *block_key,
                            struct r1_oracle_node *out, struct r1_licence *lic,
                            bool *lic_present, char *err)
{
    static const char *const known[] = {
        "node", "node_alias", "node_eth_address", "epochs", "last_epoch_id", "error",
        "server_current_epoch", "node_is_online", "node_license_info", "node_licese_info", NULL,
    };
    if (lic_present != NULL)
        *lic_present = false;
    if (!cJSON_IsObject(res))
        return r1_err(err, "oracle reply: the node's block is %s, not an object",
                      res ? "not an object" : "missing");
    bool any = false;
    for (size_t i = 0; known[i] != NULL; i++)
        any = any || cJSON_GetObjectItemCaseSensitive(res, known[i]) != NULL;
    if (!any) {
        return r1_err(err, "oracle reply: result has no node-epochs fields (node, epochs, "
                           "error...); is this the right endpoint?");
    }

    struct r1_oracle_node t;
    memset(&t, 0, sizeof(t));
    t.meta = out->meta;
    t.meta.valid = 0;
    t.trust = R1_TRUST_UNCHECKED;

    if (orc_parse_epochs(res, &t, err) < 0)
        return -1;
    int64_t id, val;
    if (json_get_i64(res, "last_epoch_id", &id) && json_get_i64(res, "last_epoch_val", &val)) {
        if (id < 0 || id > ORACLE_EPOCH_MAX) {
            free(t.epochs_u8);
            return r1_err(err, "oracle reply: last_epoch_id %" PRId64 " is not an epoch number "
                               "(0..%" PRId64 ")", id, ORACLE_EPOCH_MAX);
        }
        if (val < 0 || val > 255) {
            free(t.epochs_u8);
            return r1_err(err, "oracle reply: last_epoch_val %" PRId64 " for epoch %" PRId64
                               " is not an availability 0..255", val, id);
        }
        t.last_epoch_id = id;
        t.last_epoch_u8 = (uint8_t)val;
        R1_MARK(&t, ORC_LAST_EPOCH);
    }
    if (json_get_str(res, "node_alias", t.node_alias, sizeof(t.node_alias)))
        R1_MARK(&t, ORC_ALIAS);
    if (json_get_str(res, "node_eth_address", t.node_eth, sizeof(t.node_eth)))
        R1_MARK(&t, ORC_ETH);
    if (json_get_bool(res, "node_is_online", &t.is_online))
        R1_MARK(&t, ORC_ONLINE);
    if (json_get_num(res, "node_last_seen_sec", &t.last_seen_s) && t.last_seen_s >= 0.0)
        R1_MARK(&t, ORC_LAST_SEEN);
    if (json_get_str(res, "node_version", t.node_version, sizeof(t.node_version)))
        R1_MARK(&t, ORC_VERSION);
    if (json_get_bool(res, "node_is_oracle", &t.is_oracle))
        R1_MARK(&t, ORC_IS_ORACLE);
    json_get_str(res, "server_alias", t.server_alias, sizeof(t.server_alias));
    /* One bit covers both numbers: the range source needs last_synced whenever it is set.
     * An absurd epoch (D18) leaves both unknown rather than feeding the range request. */
    if (json_get_i64(res, "server_current_epoch", &t.server_current_epoch) &&
        json_get_i64(res, "server_last_synced_epoch", &t.server_last_synced_epoch) &&
        t.server_current_epoch >= 0 && t.server_current_epoch <= ORACLE_EPOCH_MAX &&
        t.server_last_synced_epoch >= 0 && t.server_last_synced_epoch <= ORACLE_EPOCH_MAX)
        R1_MARK(&t, ORC_SERVER);
    /* The node's default GPU (docs/protocol.md, node-epochs block "resources"): the name
     * local_history.json does not carry. */
    const cJSON *resources = cJSON_GetObjectItemCaseSensitive(res, "resources");
    if (cJSON_IsObject(resources) &&
        json_get_str(resources, "gpu_name", t.gpu_name, sizeof(t.gpu_name)) && t.gpu_name[0])
        R1_MARK(&t, ORC_GPU_NAME);
    /* The result's own error is a message, not a failure: "[No internal node address found]"
     * means the oracle never saw this node, "Oracle state is not valid..." comes with epochs
     * whose signatures are empty (docs/protocol.md §2.5). Callers decide what it means for them. */
    json_get_str(res, "error", t.oracle_error, sizeof(t.oracle_error));

    struct r1_licence lt;
    bool have_lic = false;
    memset(&lt, 0, sizeof(lt));
    if (lic != NULL) {
        lt.meta = lic->meta;
        lt.meta.valid = 0;
        have_lic = lic_parse(res, buf, len, block_key, &lt);
    }

    free(out->epochs_u8);
    *out = t;
    if (have_lic) {
        *lic = lt;
        if (lic_present != NULL)
            *lic_present = true;
    }
    return 0;
}

int oracle_parse_node_epochs(const char *buf, size_t len, struct r1_oracle_node *out,
                             struct r1_licence *lic, bool *lic_present, char *err)
{
    if (lic_present != NULL)
        *lic_present = false;
    const cJSON *res = NULL;
    cJSON *root = oracle_open(buf, len, &res, err);
    if (root == NULL)
        return -1;
    int rc = parse_node_block(res, buf, len, NULL, out, lic, lic_present, err);
    cJSON_Delete(root);
    return rc;
}

/* ---- Python dict repr ("{430: 255, 431: 254}") ------------------------------------------ */

static const char *skip_space(const char *p)
{
    while (*p != '\0' && isspace((unsigned char)*p))
        p++;
    return p;
}

static int cmp_epoch_val(const void *a, const void *b)
{
    const struct r1_epoch_val *x = a, *y = b;
    return (x->epoch > y->epoch) - (x->epoch < y->epoch);
}

/* Read an unsigned decimal; false if none or it overflows int64. */
static bool read_u63(const char **pp, int64_t *out)
{
    const char *p = *pp;
    int64_t v = 0;
    if (!isdigit((unsigned char)*p))
        return false;
    for (; isdigit((unsigned char)*p); p++) {
        if (v > (INT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (*p - '0');
    }
    *pp = p;
    *out = v;
    return true;
}

int oracle_parse_pydict_epochs(const char *text, struct r1_epoch_val *out, int max_n, int *n_out,
                               char *err)
{
    struct r1_epoch_val *all = NULL;
    size_t n = 0, cap = 0;
    if (text == NULL)
        return r1_err(err, "epoch dict: no text");
    const char *p = skip_space(text);
    if (*p != '{')
        return r1_err(err, "epoch dict: expected '{' at offset %zu", (size_t)(p - text));
    p = skip_space(p + 1);
    while (*p != '}') {
        int64_t epoch, val = -1;
        char quote = (*p == '\'' || *p == '"') ? *p : '\0';
        if (quote)
            p++;
        if (!read_u63(&p, &epoch) || epoch > ORACLE_EPOCH_MAX || (quote && *p++ != quote))
            goto bad;
        p = skip_space(p);
        if (*p++ != ':')
            goto bad;
        p = skip_space(p);
        /* None = the oracle has no value for that epoch: unknown, so left out. */
        if (strncmp(p, "None", 4) == 0)
            p += 4;
        else if (!read_u63(&p, &val) || val > 255)
            goto bad;
        if (val >= 0) {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                all = xrealloc(all, cap * sizeof(*all));
            }
            all[n].epoch = epoch;
            all[n].avail_u8 = (uint8_t)val;
            n++;
        }
        p = skip_space(p);
        if (*p == ',')
            p = skip_space(p + 1);
        else if (*p != '}')
            goto bad;
    }
    if (*skip_space(p + 1) != '\0')
        goto bad;
    if (n > 0)
        qsort(all, n, sizeof(*all), cmp_epoch_val);
    size_t keep = max_n > 0 && n > (size_t)max_n ? (size_t)max_n : n;
    for (size_t i = 0; i < keep; i++) {
        out[i].epoch = all[n - keep + i].epoch;
        out[i].avail_u8 = all[n - keep + i].avail_u8;
    }
    *n_out = (int)keep;
    free(all);
    return 0;
bad:
    free(all);
    return r1_err(err, "epoch dict: expected {epoch: 0..255, ...} but found something else at "
                       "offset %zu", (size_t)(p - text));
}

/* ---- sources ----------------------------------------------------------------------------- */

/* The config's oracle URL wins over the network's; neither ends in '/' once trimmed. */
static int oracle_base_url(const struct r1_source_ctx *ctx, char *dst, size_t dst_size, char *err)
{
    const char *base = "";
    if (ctx->cfg != NULL && ctx->cfg->oracle_url[0] != '\0')
        base = ctx->cfg->oracle_url;
    else if (ctx->fleet != NULL && ctx->fleet->oracle_url[0] != '\0')
        base = ctx->fleet->oracle_url;
    else if (ctx->fleet != NULL && ctx->fleet->net != NULL && ctx->fleet->net->oracle_url != NULL)
        base = ctx->fleet->net->oracle_url;
    if (base[0] == '\0')
        return r1_err(err, "oracle: no oracle URL configured; set oracle_url or a network");
    r1_strlcpy(dst, base, dst_size);
    size_t n = strlen(dst);
    while (n > 0 && dst[n - 1] == '/')
        dst[--n] = '\0';
    return 0;
}

/* Percent-encode a query value (RFC 3986 unreserved characters pass). */
static void url_escape(char *dst, size_t dst_size, const char *src)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *s = (const unsigned char *)src; *s != '\0'; s++) {
        bool plain = isalnum(*s) || *s == '-' || *s == '_' || *s == '.' || *s == '~';
        size_t need = plain ? 1 : 3;
        if (o + need >= dst_size)
            break;
        if (plain) {
            dst[o++] = (char)*s;
        } else {
            dst[o++] = '%';
            dst[o++] = hex[*s >> 4];
            dst[o++] = hex[*s & 15];
        }
    }
    if (dst_size > 0)
        dst[o] = '\0';
}

/* "eth_node_addr=0x..." when the ETH address is known, else "node_addr=0xai_...";
 * returns 1 when neither is known yet (local_info has not been read). */
static int oracle_node_param(const struct r1_node *node, char *dst, size_t dst_size)
{
    char esc[R1_ADDR_MAX * 3];
    const char *eth = model_node_eth(node);
    const char *addr = model_node_address(node);
    if (eth != NULL && eth[0] != '\0') {
        url_escape(esc, sizeof(esc), eth);
        snprintf(dst, dst_size, "eth_node_addr=%s", esc);
    } else if (addr != NULL && addr[0] != '\0') {
        url_escape(esc, sizeof(esc), addr);
        snprintf(dst, dst_size, "node_addr=%s", esc);
    } else {
        return 1;
    }
    return 0;
}

static int oracle_request(const struct r1_source_ctx *ctx, struct r1_request *req,
                          const char *base, const char *path_query, char *err)
{
    int w = snprintf(req->url, sizeof(req->url), "%s%s", base, path_query);
    if (w < 0 || (size_t)w >= sizeof(req->url))
        return r1_err(err, "oracle: request URL longer than %zu bytes", sizeof(req->url) - 1);
    if (ctx->cfg != NULL) {
        req->max_bytes = ctx->cfg->max_body_bytes;
        req->timeout_ms = ctx->cfg->http_timeout_ms;
    }
    return 0;
}

/* A signed reply whose server_time is further than this from the clock is old or replayed
 * (D6). The oracle caches its answers for 120 s; ten minutes leaves room for clock skew. */
#define ORACLE_REPLY_MAX_AGE_S 600.0

/* The fleet's current epoch as derive.c defines it (one definition for every reader). */
static int64_t oracle_current_epoch(const struct r1_source_ctx *ctx)
{
    if (ctx->fleet == NULL)
        return ctx->cfg && ctx->cfg->net ? epoch_at(ctx->cfg->net, ctx->now) : -1;
    derive_epoch(ctx->fleet, ctx->now);
    return ctx->fleet->epoch_now;
}

static void oracle_verdict_avail(struct trust_result *tr);

/* Every oracle figure is checked before it is shown (docs/protocol.md §3.7): the
 * reply's EE_SIGN must verify and come from a known oracle of the network (or one the config
 * trusts), and the EVM availability signature inside it must hold. */
static void oracle_verdict(const struct r1_source_ctx *ctx, const struct r1_reply *reply,
                           struct trust_result *tr)
{
    const struct r1_network *net = ctx->fleet ? ctx->fleet->net : network_get(R1_NET_MAINNET);
    const char(*extra)[R1_ADDR_MAX] = ctx->cfg ? ctx->cfg->trusted_oracles : NULL;
    int n_extra = ctx->cfg ? ctx->cfg->n_trusted_oracles : 0;
    trust_check_oracle_reply(reply->body, reply->len, net, extra, n_extra, tr);
    oracle_verdict_avail(tr);
}

/* A verified reply is only as good as the EVM availability signature inside it. */
static void oracle_verdict_avail(struct trust_result *tr)
{
    if (tr->trust != R1_TRUST_VERIFIED || !tr->avail_present)
        return;
    if (tr->avail_state_invalid) {
        /* The oracle says so itself; its figures are signed but not claimable yet. */
        r1_strlcpy(tr->reason, tr->avail_reason, sizeof(tr->reason));
    } else if (!tr->avail_sig_ok) {
        tr->trust = R1_TRUST_BAD;
        snprintf(tr->reason, sizeof(tr->reason), "availability signature: %.200s",
                 tr->avail_reason);
    } else if (!tr->avail_signer_known) {
        tr->trust = R1_TRUST_UNKNOWN_SIGNER;
        r1_strlcpy(tr->reason, "availability signed by an oracle that is not known",
                   sizeof(tr->reason));
    }
}

static void verdict_store(struct r1_oracle_node *o, const struct trust_result *tr)
{
    o->trust = tr->trust;
    r1_strlcpy(o->trust_reason, tr->reason, sizeof(o->trust_reason));
    r1_strlcpy(o->signer, tr->signer, sizeof(o->signer));
    /* the node's 0xai address only when it is one (not the oracle's "unknown:<eth>"): the
     * binding already checked that it and the reply's ETH address are one key */
    unsigned char pub[ETH_PUBKEY_LEN];
    o->unknown_node = strncmp(tr->about_node, "unknown:", 8) == 0 ||
                      strstr(o->oracle_error, "No internal node address found") != NULL;
    if (eth_node_addr_parse(tr->about_node, pub) == 0)
        r1_strlcpy(o->node_addr, tr->about_node, sizeof(o->node_addr));
    else
        o->node_addr[0] = '\0';
    o->server_time = tr->server_time;
}

/* A verdict names the network, the time and the node it vouches for (found-defects D2, D6,
 * D22): a reply for another network, an old (replayed) reply, or one about another node is
 * refused whole, signed or not. Returns 0, or <0 with err saying why. */
static int oracle_bind_time_network(const struct r1_source_ctx *ctx, const struct trust_result *tr,
                                    char *err)
{
    /* A reply two readers could read differently (a duplicate key: cJSON takes the first, the
     * verifier the last) is not stored at all, not even to show what it claimed: the figures
     * shown could be the decoy's, bound to another node than the one checked (fuzz_reply). */
    if (tr->ambiguous)
        return r1_err(err, "%s", tr->reason);
    const struct r1_network *net = ctx->fleet ? ctx->fleet->net : NULL;
    if (net && tr->network[0] && strcmp(tr->network, net->name) != 0)
        return r1_err(err, "reply is for the %s network, not %s: not used", tr->network,
                      net->name);
    if (tr->server_time > 0) {
        double skew = ctx->now - tr->server_time;
        if (skew > ORACLE_REPLY_MAX_AGE_S || skew < -ORACLE_REPLY_MAX_AGE_S) {
            char age[32];
            r1_fmt_age(age, sizeof(age), skew < 0 ? -skew : skew);
            return r1_err(err, "reply's server_time is %s %s the clock: an old or replayed reply, "
                               "not used", age, skew < 0 ? "ahead of" : "behind");
        }
    }
    if (net && tr->server_epoch >= 0) {
        int64_t clock = epoch_at(net, ctx->now);
        if (tr->server_epoch > clock + 1 || tr->server_epoch < clock - 1)
            return r1_err(err, "reply is from epoch %" PRId64 " but the clock says %" PRId64
                               ": an old or replayed reply, not used", tr->server_epoch, clock);
    }
    return 0;
}

/* One identity as its 20-byte ETH address: eth when given, else the one the 0xai address
 * derives (a key has one of each, so comparing ETH addresses compares keys). Returns 0; -1
 * with why set: "malformed" (eth is not an address: never cut or guessed at, fuzz_reply found a
 * 43-digit one passing as its 42-digit prefix), "pair" (both given, two keys), "none" (neither).
 * "unknown:<eth>", which the oracle writes as the node it never saw, is not an address and is
 * ignored. */
static int identity_eth(const char *addr, const char *eth, unsigned char out[ETH_ADDR_LEN],
                        const char **why)
{
    unsigned char from_addr[ETH_ADDR_LEN];
    char derived[ETH_ADDR_BUF];
    bool have_addr = addr[0] && eth_node_addr_to_eth(addr, derived) == 0 &&
                     eth_address_parse(derived, from_addr) == 0;
    if (eth[0] && eth_address_parse(eth, out) != 0) {
        *why = "malformed";
        return -1;
    }
    if (eth[0] && have_addr && memcmp(out, from_addr, ETH_ADDR_LEN) != 0) {
        *why = "pair";
        return -1;
    }
    if (eth[0])
        return 0;
    if (have_addr) {
        memcpy(out, from_addr, ETH_ADDR_LEN);
        return 0;
    }
    *why = "none";
    return -1;
}

static int oracle_bind_node(const struct r1_source_ctx *ctx, const struct r1_node *node,
                            const struct trust_result *tr, char *err)
{
    if (oracle_bind_time_network(ctx, tr, err) < 0)
        return -1;
    unsigned char theirs[ETH_ADDR_LEN], ours[ETH_ADDR_LEN];
    const char *why = "";
    if (identity_eth(tr->about_node, tr->about_eth, theirs, &why) < 0)
        return strcmp(why, "pair") == 0
                   ? r1_err(err, "reply's node %s and ETH address %s are not the same key: not "
                                 "used", tr->about_node, tr->about_eth)
               : strcmp(why, "malformed") == 0
                   ? r1_err(err, "reply's ETH address %.60s is not an address: not used",
                            tr->about_eth)
                   : r1_err(err, "reply names no node it could be checked against: not used");
    if (identity_eth(model_node_address(node), model_node_eth(node), ours, &why) < 0)
        return strcmp(why, "none") == 0
                   ? r1_err(err, "this node's address is not known yet")
                   : r1_err(err, "this node's 0xai and ETH addresses are not the same key; "
                                 "check the config and local_info.json");
    if (memcmp(theirs, ours, ETH_ADDR_LEN) != 0) {
        char t[ETH_ADDR_BUF], o[ETH_ADDR_BUF];
        eth_address_format(theirs, t);
        eth_address_format(ours, o);
        return r1_err(err, "reply is about %s, not this node (%s): not used", t, o);
    }
    return 0;
}

/* D4: figures from a verified reply are never replaced by an unverified one; the unverified
 * reply is reported as this source's error and the verified figures keep their age. */
static int keep_verified(int old_trust, bool old_valid, const struct trust_result *tr, char *err)
{
    if (!old_valid || old_trust != R1_TRUST_VERIFIED || tr->trust == R1_TRUST_VERIFIED)
        return 0;
    return r1_err(err, "%s: %s; keeping the verified figures",
                  tr->trust == R1_TRUST_BAD ? "BAD SIGNATURE" : model_trust_name(tr->trust),
                  tr->reason[0] ? tr->reason : "not verified");
}

/* A reply whose signature does not verify is stored (its verdict goes with it, so a person can
 * see what it claimed) but it is a failed source all the same. */
static int stored_verdict(const struct trust_result *tr, char *err)
{
    if (tr->trust != R1_TRUST_BAD)
        return 0;
    r1_err(err, "%s", tr->reason[0] ? tr->reason : "signature does not verify");
    return R1_APPLY_STORED_BAD;
}

static bool oracle_enabled(const struct r1_source_ctx *ctx)
{
    return ctx->cfg == NULL || ctx->cfg->oracle_enabled;
}

/* A fleet asks the oracle in batches (multi_node_epochs_range, docs/protocol.md §2.3): one
 * request per ORACLE_BATCH_MAX nodes instead of two per node. One node keeps the per-node
 * endpoints, which cost no more and give the oracle's last-epoch figure directly. */
#define ORACLE_BATCH_MAX 100
static bool oracle_batching(const struct r1_source_ctx *ctx)
{
    return oracle_enabled(ctx) && (ctx->cfg == NULL || ctx->cfg->oracle_batch) && ctx->fleet &&
           ctx->fleet->n_nodes > 1 && !ctx->fleet->demo;
}

static int epoch_prepare(const struct r1_source_ctx *ctx, struct r1_node *node,
                         struct r1_request *req, char *err)
{
    char base[R1_URL_MAX];
    if (!oracle_enabled(ctx))
        return 1;
    if (oracle_base_url(ctx, base, sizeof(base), err) < 0)
        return -1;
    return oracle_request(ctx, req, base, "/current_epoch", err);
}

static int epoch_apply(const struct r1_source_ctx *ctx, struct r1_node *node,
                       const struct r1_reply *reply, char *err)
{
    int64_t e;
    if (oracle_parse_current_epoch(reply->body, reply->len, &e, err) < 0)
        return -1;
    struct trust_result tr;
    oracle_verdict(ctx, reply, &tr);
    if (oracle_bind_time_network(ctx, &tr, err) < 0)
        return R1_APPLY_REFUSED;
    if (keep_verified(ctx->fleet->epoch.trust, R1_VALID(&ctx->fleet->epoch, FLEET_EPOCH), &tr,
                      err) < 0)
        return R1_APPLY_REFUSED;
    /* D3: an epoch far from the clock's is an old answer (or a wrong clock, which the server_time
     * check above would also have caught): never stored, so nothing can use it. */
    int64_t clock = epoch_at(ctx->fleet->net, ctx->now);
    if (e > clock + DERIVE_EPOCH_SKEW || e < clock - DERIVE_EPOCH_SKEW) {
        r1_err(err, "oracle says epoch %" PRId64 " but the clock says %" PRId64
                    ": an old or replayed reply, not used", e, clock);
        return R1_APPLY_REFUSED;
    }
    /* Stored with its verdict whatever it is; derive.c lets only a verified epoch close to the
     * clock's drive anything (D3). */
    ctx->fleet->epoch.trust = tr.trust;
    r1_strlcpy(ctx->fleet->epoch.trust_reason, tr.reason, sizeof(ctx->fleet->epoch.trust_reason));
    ctx->fleet->epoch.current_epoch = e;
    R1_MARK(&ctx->fleet->epoch, FLEET_EPOCH);
    return stored_verdict(&tr, err);
}

static struct r1_meta *epoch_meta(struct r1_fleet *f, struct r1_node *node)
{
    return f ? &f->epoch.meta : NULL;
}

static int last_prepare(const struct r1_source_ctx *ctx, struct r1_node *node,
                        struct r1_request *req, char *err)
{
    char base[R1_URL_MAX], who[R1_ADDR_MAX * 3 + 16], pq[R1_ADDR_MAX * 3 + 64];
    if (!oracle_enabled(ctx))
        return 1;
    if (oracle_batching(ctx)) {
        /* the range batch brings the licence and the online view too: those groups are fed by
         * it, so before its first answer they show its status (a failed batch included) */
        if (!node->orc.meta.fed_by)
            node->orc.meta.fed_by = SRC_ORACLE_RANGE + 1;
        if (!node->lic.meta.fed_by)
            node->lic.meta.fed_by = SRC_ORACLE_RANGE + 1;
        return R1_PREPARE_SERVED;
    }
    if (oracle_node_param(node, who, sizeof(who)) != 0)
        return 1;
    if (oracle_base_url(ctx, base, sizeof(base), err) < 0)
        return -1;
    snprintf(pq, sizeof(pq), "/node_last_epoch?%s&include_bc_info=true", who);
    return oracle_request(ctx, req, base, pq, err);
}

/* The licence rides in node_last_epoch (include_bc_info): it gets that reply's verdict and its
 * own stamp (the poller stamps only the group the source owns), unless it would replace a
 * verified licence with an unverified one. */
static void oracle_store_licence(const struct r1_source_ctx *ctx, struct r1_node *node,
                                 const struct r1_reply *reply, struct r1_licence *lic,
                                 const struct trust_result *tr, enum r1_source_id src)
{
    char why[R1_ERR_MAX];
    if (keep_verified(node->lic.trust, node->lic.meta.valid != 0, tr, why) < 0)
        return;
    lic->trust = tr->trust;
    r1_strlcpy(lic->trust_reason, tr->reason, sizeof(lic->trust_reason));
    node->lic = *lic;
    model_meta_ok(&node->lic.meta, ctx->now);
    node->lic.meta.fed_by = (int)src + 1;
}

/* Parse a node-epochs reply, check its verdict and binding, and apply the D4 rule against the
 * group it would replace. 0 with *fresh filled, or <0 with err. */
static int oracle_take_node_reply(const struct r1_source_ctx *ctx, struct r1_node *node,
                                  const struct r1_reply *reply, const struct r1_oracle_node *old,
                                  struct r1_oracle_node *fresh, struct r1_licence *lic,
                                  bool *lic_present, struct trust_result *tr, char *err)
{
    memset(fresh, 0, sizeof(*fresh));
    fresh->meta = old->meta;
    *lic = node->lic;
    if (oracle_parse_node_epochs(reply->body, reply->len, fresh, lic, lic_present, err) < 0)
        return -1;
    oracle_verdict(ctx, reply, tr);
    if (oracle_bind_node(ctx, node, tr, err) < 0 ||
        keep_verified(old->trust, old->meta.valid != 0, tr, err) < 0) {
        /* The oracle's own words ("[No internal node address found]") still say something
         * about the node asked: keep them in the refusal. */
        if (fresh->oracle_error[0]) {
            size_t l = strlen(err);
            snprintf(err + l, R1_ERR_MAX - l, "; the oracle said: %.120s", fresh->oracle_error);
        }
        free(fresh->epochs_u8);
        fresh->epochs_u8 = NULL;
        return R1_APPLY_REFUSED;
    }
    verdict_store(fresh, tr);
    return 0;
}

static int last_apply(const struct r1_source_ctx *ctx, struct r1_node *node,
                      const struct r1_reply *reply, char *err)
{
    struct r1_oracle_node fresh;
    struct r1_licence lic;
    struct trust_result tr;
    bool lic_present = false;
    int rc = oracle_take_node_reply(ctx, node, reply, &node->orc, &fresh, &lic, &lic_present,
                                    &tr, err);
    if (rc < 0)
        return rc;
    /* An error here ("[No internal node address found]" for a node the oracle never saw) is
     * the oracle's current answer about this node: store it with what came along. */
    free(node->orc.epochs_u8);
    node->orc = fresh;
    if (lic_present)
        oracle_store_licence(ctx, node, reply, &lic, &tr, SRC_ORACLE_LAST);
    return stored_verdict(&tr, err);
}

static struct r1_meta *last_meta(struct r1_fleet *f, struct r1_node *node)
{
    return node ? &node->orc.meta : NULL;
}

/* The epochs to ask for: thirty for the chart, reaching back to the last claim for the PoA
 * estimate (rewards cover [lastClaimEpoch, current-1], docs/protocol.md §5.4), ending at the
 * last synced epoch (asking past it is an oracle error, §2.5) when a reply said where that is.
 * false when there is nothing to ask yet. */
static bool range_window(const struct r1_source_ctx *ctx, const struct r1_node *node,
                         int64_t *start, int64_t *end)
{
    *end = R1_VALID(&node->orc, ORC_SERVER) ? node->orc.server_last_synced_epoch
                                            : oracle_current_epoch(ctx) - 1;
    if (*end < 0)
        return false;
    *start = *end - 29;
    if (R1_VALID(&node->lic, LIC_LAST_CLAIM) && node->lic.last_claim_epoch < *start)
        *start = node->lic.last_claim_epoch;
    if (*start < 0)
        *start = 0;
    return true;
}

static int range_prepare(const struct r1_source_ctx *ctx, struct r1_node *node,
                         struct r1_request *req, char *err)
{
    char base[R1_URL_MAX], who[R1_ADDR_MAX * 3 + 16], pq[R1_ADDR_MAX * 3 + 128];
    int64_t start, end;
    if (!oracle_enabled(ctx))
        return 1;
    if (oracle_node_param(node, who, sizeof(who)) != 0)
        return 1;
    if (oracle_base_url(ctx, base, sizeof(base), err) < 0)
        return -1;
    if (!range_window(ctx, node, &start, &end))
        return 1;
    snprintf(pq, sizeof(pq), "/node_epochs_range?start_epoch=%" PRId64 "&end_epoch=%" PRId64 "&%s",
             start, end, who);
    return oracle_request(ctx, req, base, pq, err);
}

static int range_apply(const struct r1_source_ctx *ctx, struct r1_node *node,
                       const struct r1_reply *reply, char *err)
{
    struct r1_oracle_node fresh;
    struct r1_licence lic;
    struct trust_result tr;
    bool lic_present = false;
    int rc = oracle_take_node_reply(ctx, node, reply, &node->range, &fresh, &lic, &lic_present,
                                    &tr, err);
    if (rc < 0)
        return rc;
    /* An error with no epochs ("Start epoch is greater than end epoch", unknown node) would
     * wipe the chart and the estimate: keep the last good range and report the error. */
    if (!R1_VALID(&fresh, ORC_EPOCHS) && fresh.oracle_error[0] != '\0') {
        free(fresh.epochs_u8);
        return r1_err(err, "oracle node_epochs_range: %s", fresh.oracle_error);
    }
    free(node->range.epochs_u8);
    node->range = fresh;
    if (lic_present)
        oracle_store_licence(ctx, node, reply, &lic, &tr, SRC_ORACLE_RANGE);
    return stored_verdict(&tr, err);
}

static int range_prepare_batch(const struct r1_source_ctx *ctx, struct r1_node *const *nodes,
                               size_t n, bool *asked, struct r1_request *req, char **body,
                               char *err)
{
    char base[R1_URL_MAX];
    if (!oracle_enabled(ctx))
        return 1;
    if (oracle_base_url(ctx, base, sizeof(base), err) < 0)
        return -1;
    cJSON *root = cJSON_CreateObject();
    cJSON *dct = cJSON_AddObjectToObject(root, "dct_eth_nodes_request");
    size_t n_asked = 0;
    for (size_t i = 0; i < n; i++) {
        char key[ETH_ADDR_BUF];
        int64_t start, end;
        source_node_eth(nodes[i], key);
        asked[i] = key[0] && range_window(ctx, nodes[i], &start, &end);
        /* the same node twice in the config: asked once, its block serves both */
        if (!asked[i] || cJSON_GetObjectItemCaseSensitive(dct, key))
            continue;
        cJSON *range = cJSON_CreateArray();
        cJSON_AddItemToArray(range, cJSON_CreateNumber((double)start));
        cJSON_AddItemToArray(range, cJSON_CreateNumber((double)end));
        cJSON_AddItemToObject(dct, key, range);
        n_asked++;
    }
    cJSON_AddBoolToObject(root, "include_bc_info", true);
    *body = n_asked ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!n_asked)
        return 1;
    req->method = "POST";
    req->content_type = "application/json";
    return oracle_request(ctx, req, base, "/multi_node_epochs_range", err);
}

/* The result's member whose key is key, in any case (ETH addresses). */
static const cJSON *member_nocase(const cJSON *obj, const char *key, const char **raw_key)
{
    for (const cJSON *it = obj ? obj->child : NULL; it; it = it->next)
        if (it->string && strcasecmp(it->string, key) == 0) {
            *raw_key = it->string;
            return it;
        }
    return NULL;
}

/* One node's block of a batch reply, checked and stored as a per-node reply would be: the range
 * (chart, rewards), the online view and the licence. */
static int batch_store_node(const struct r1_source_ctx *ctx, struct r1_node *node,
                            const cJSON *res, const char *buf, size_t len, const char *key,
                            struct trust_block *tb, char *err)
{
    const char *raw_key = key;
    const cJSON *block = member_nocase(res, key, &raw_key);
    if (tb->missing || !block)
        return r1_err(err, "the batch reply has no block for %s", key);
    struct r1_oracle_node fresh;
    struct r1_licence lic = node->lic;
    bool lic_present = false;
    memset(&fresh, 0, sizeof(fresh));
    fresh.meta = node->range.meta;
    if (parse_node_block(block, buf, len, raw_key, &fresh, &lic, &lic_present, err) < 0)
        return -1;
    struct trust_result *tr = &tb->tr;
    oracle_verdict_avail(tr);
    if (oracle_bind_node(ctx, node, tr, err) < 0 ||
        keep_verified(node->range.trust, node->range.meta.valid != 0, tr, err) < 0) {
        free(fresh.epochs_u8);
        return R1_APPLY_REFUSED;
    }
    /* the server's epochs ride at the top of the result, once for every block */
    if (json_get_i64(res, "server_current_epoch", &fresh.server_current_epoch) &&
        json_get_i64(res, "server_last_synced_epoch", &fresh.server_last_synced_epoch))
        R1_MARK(&fresh, ORC_SERVER);
    json_get_str(res, "server_alias", fresh.server_alias, sizeof(fresh.server_alias));
    verdict_store(&fresh, tr);
    /* The online view, the node's words and the last epoch, as node_last_epoch would give them;
     * an answer with no epochs ("No epochs found", an unknown node) keeps the last good range. */
    struct r1_oracle_node view = fresh;
    view.epochs_u8 = NULL;
    view.n_epochs = 0;
    view.meta = node->orc.meta;
    view.meta.valid = fresh.meta.valid & ~(UINT64_C(1) << ORC_EPOCHS);
    if (R1_VALID(&fresh, ORC_EPOCHS) && fresh.n_epochs > 0) {
        view.last_epoch_id = fresh.to_epoch;
        view.last_epoch_u8 = fresh.epochs_u8[fresh.n_epochs - 1];
        R1_MARK(&view, ORC_LAST_EPOCH);
    }
    free(node->orc.epochs_u8);
    node->orc = view;
    model_meta_ok(&node->orc.meta, ctx->now);
    node->orc.meta.fed_by = SRC_ORACLE_RANGE + 1;
    int64_t asked_from = fresh.from_epoch;
    if (R1_VALID(&fresh, ORC_EPOCHS)) {
        free(node->range.epochs_u8);
        node->range = fresh;
    } else {
        free(fresh.epochs_u8);
    }
    if (lic_present)
        oracle_store_licence(ctx, node, NULL, &lic, tr, SRC_ORACLE_RANGE);
    int rc = stored_verdict(tr, err);
    /* The licence came with this answer: when it claims from before the range asked, the
     * estimate needs a wider range, asked at once (--once waits for it). */
    if (rc == 0 && R1_VALID(&node->lic, LIC_LAST_CLAIM) && R1_VALID(&fresh, ORC_EPOCHS) &&
        node->lic.last_claim_epoch < asked_from)
        rc = R1_APPLY_AGAIN;
    return rc;
}

static void range_apply_batch(const struct r1_source_ctx *ctx, struct r1_node *const *nodes,
                              size_t n, const struct r1_reply *reply, int *rc,
                              char (*err)[R1_ERR_MAX])
{
    char whole_err[R1_ERR_MAX] = "";
    const char **keys = xcalloc(n, sizeof(*keys));
    char(*key_buf)[ETH_ADDR_BUF] = xcalloc(n, sizeof(*key_buf));
    struct trust_block *tb = xcalloc(n, sizeof(*tb));
    for (size_t i = 0; i < n; i++) {
        source_node_eth(nodes[i], key_buf[i]);
        keys[i] = key_buf[i];
    }
    const cJSON *res = NULL;
    cJSON *root = oracle_open(reply->body, reply->len, &res, whole_err);
    struct trust_result whole;
    int whole_rc = root ? 0 : -1;
    if (root) {
        const struct r1_network *net = ctx->fleet ? ctx->fleet->net : NULL;
        const char(*extra)[R1_ADDR_MAX] = ctx->cfg ? ctx->cfg->trusted_oracles : NULL;
        int n_extra = ctx->cfg ? ctx->cfg->n_trusted_oracles : 0;
        trust_check_oracle_batch(reply->body, reply->len, net, extra, n_extra, keys, n, &whole,
                                 tb);
        if (oracle_bind_time_network(ctx, &whole, whole_err) < 0)
            whole_rc = R1_APPLY_REFUSED;
    }
    for (size_t i = 0; i < n; i++) {
        err[i][0] = '\0';
        if (whole_rc != 0) {
            rc[i] = whole_rc;
            r1_strlcpy(err[i], whole_err, R1_ERR_MAX);
            continue;
        }
        rc[i] = batch_store_node(ctx, nodes[i], res, reply->body, reply->len, keys[i], &tb[i],
                                 err[i]);
    }
    cJSON_Delete(root);
    free(tb);
    free(key_buf);
    free(keys);
}

static struct r1_meta *range_meta(struct r1_fleet *f, struct r1_node *node)
{
    return node ? &node->range.meta : NULL;
}

const struct r1_source_ops source_oracle_epoch = {
    .id = SRC_ORACLE_EPOCH,
    .name = "oracle_epoch",
    .label = "oracle epoch",
    .config_help = "The oracle's current epoch (the oracle caches its answers for 120 s).",
    .scope = R1_SCOPE_FLEET,
    .default_interval_s = 120.0,
    .prepare = epoch_prepare,
    .apply = epoch_apply,
    .sample = NULL,
    .meta = epoch_meta,
    .max_reply_kib = 64,
};

const struct r1_source_ops source_oracle_last = {
    .id = SRC_ORACLE_LAST,
    .name = "oracle_last",
    .label = "oracle node",
    .config_help = "The oracle's view of each node: last epoch, licence, online state.",
    .scope = R1_SCOPE_NODE,
    /* the oracle caches its stats for 120 s (docs/protocol.md §2.1): faster polls get the
     * same answer and only cost the oracle */
    .default_interval_s = 120.0,
    .prepare = last_prepare,
    .apply = last_apply,
    .sample = NULL,
    .meta = last_meta,
    .max_reply_kib = 1024,
    .after = &source_node_info,
};

const struct r1_source_ops source_oracle_range = {
    .id = SRC_ORACLE_RANGE,
    .name = "oracle_range",
    .label = "oracle epochs",
    .config_help = "Each node's availability over the epochs since its last claim.",
    .scope = R1_SCOPE_NODE,
    .default_interval_s = 600.0,
    .prepare = range_prepare,
    .apply = range_apply,
    .sample = NULL,
    .meta = range_meta,
    /* a batch of 100 nodes with their licences and thirty epochs: about 300 KiB */
    .max_reply_kib = 4096,
    .after = &source_oracle_last,
    .batch_max = ORACLE_BATCH_MAX,
    .batching = oracle_batching,
    .prepare_batch = range_prepare_batch,
    .apply_batch = range_apply_batch,
};
