/* rpc: requests are built with cJSON (no hand-made JSON); replies are read strictly: every
 * element must be a JSON-RPC object with an integer id inside the batch, answered once, and a
 * result that is a hex string. What a host sends beyond that (a result for a call never made,
 * two answers to one id) refuses the whole reply: it would otherwise bind one node's figures
 * to another. */
#include "rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "jsonutil.h"
#include "util.h"

struct rpc_batch {
    cJSON *arr;
    size_t n;
};

struct rpc_batch *rpc_batch_new(void)
{
    struct rpc_batch *b = xcalloc(1, sizeof(*b));
    b->arr = cJSON_CreateArray();
    return b;
}

void rpc_batch_free(struct rpc_batch *b)
{
    if (!b)
        return;
    cJSON_Delete(b->arr);
    free(b);
}

size_t rpc_batch_count(const struct rpc_batch *b)
{
    return b->n;
}

/* {"jsonrpc":"2.0","id":id,"method":m,"params":params} appended; params is taken over. */
static int batch_add(struct rpc_batch *b, size_t id, const char *method, cJSON *params)
{
    if (b->n >= RPC_BATCH_MAX) {
        cJSON_Delete(params);
        return -1;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "jsonrpc", "2.0");
    cJSON_AddNumberToObject(o, "id", (double)id);
    cJSON_AddStringToObject(o, "method", method);
    cJSON_AddItemToObject(o, "params", params);
    cJSON_AddItemToArray(b->arr, o);
    b->n++;
    return 0;
}

int rpc_batch_add_chain_id(struct rpc_batch *b, size_t id)
{
    return batch_add(b, id, "eth_chainId", cJSON_CreateArray());
}

int rpc_batch_add_call(struct rpc_batch *b, size_t id, const char *to, const struct abi_enc *data)
{
    struct abi_enc check = {0};
    char err[R1_ERR_MAX];
    int bad = abi_enc_address(&check, to, err);
    abi_enc_free(&check);
    if (bad < 0)
        return -1;
    cJSON *call = cJSON_CreateObject();
    cJSON_AddStringToObject(call, "to", to);
    char *hex = abi_enc_hex(data);
    cJSON_AddStringToObject(call, "data", hex);
    free(hex);
    cJSON *params = cJSON_CreateArray();
    cJSON_AddItemToArray(params, call);
    cJSON_AddItemToArray(params, cJSON_CreateString("latest"));
    return batch_add(b, id, "eth_call", params);
}

char *rpc_batch_body(const struct rpc_batch *b)
{
    return cJSON_PrintUnformatted(b->arr);
}

/* ---- replies ------------------------------------------------------------------------------ */

static bool hex_string_ok(const char *s)
{
    if (strncmp(s, "0x", 2) != 0 || strlen(s) > RPC_RESULT_MAX_HEX)
        return false;
    for (s += 2; *s; s++)
        if (r1_hex_nibble(*s) < 0)
            return false;
    return true;
}

/* Error(string), the reason Solidity's require() reverts with: selector 0x08c379a0. */
static void revert_reason(const char *data_hex, char *dst, size_t dst_size)
{
    unsigned char *b;
    size_t n;
    char err[R1_ERR_MAX];
    if (strncmp(data_hex, "0x08c379a0", 10) != 0 || abi_hex_decode(data_hex, &b, &n, err) < 0)
        return;
    struct abi_dec d = {b + 4, n - 4};
    const unsigned char *p;
    size_t len;
    if (abi_dec_bytes(&d, 0, &p, &len, err) == 0) {
        char text[R1_REASON_MAX];
        size_t k = len < sizeof(text) - 1 ? len : sizeof(text) - 1;
        memcpy(text, p, k);
        text[k] = '\0';
        r1_sanitize(dst, dst_size, text);
    }
    free(b);
}

static void take_error(const cJSON *e, struct rpc_result *r)
{
    int64_t code = 0;
    r->status = RPC_ERROR;
    if (json_get_i64(e, "code", &code))
        r->code = (long)code;
    if (!json_get_str(e, "message", r->message, sizeof(r->message)))
        r1_strlcpy(r->message, "(no message)", sizeof(r->message));
    r->revert = r->code == 3 || (r->code == -32000 && strstr(r->message, "revert"));
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(e, "data");
    if (r->revert && cJSON_IsString(data) && hex_string_ok(data->valuestring))
        revert_reason(data->valuestring, r->message, sizeof(r->message));
}

/* One element of the reply array, stored at its id. */
static int take_answer(const cJSON *o, struct rpc_result *res, size_t n, char *err)
{
    const cJSON *idv = cJSON_GetObjectItemCaseSensitive(o, "id");
    int64_t id;
    if (!cJSON_IsObject(o) || !cJSON_IsNumber(idv) || !json_to_i64(idv, &id))
        return r1_err(err, "rpc: an answer in the batch has no numeric id");
    if (id < 0 || (uint64_t)id >= n)
        return r1_err(err, "rpc: an answer has id %lld, but only ids 0 to %zu were asked",
                      (long long)id, n - 1);
    struct rpc_result *r = &res[id];
    if (r->status != RPC_MISSING)
        return r1_err(err, "rpc: id %lld is answered twice", (long long)id);
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(o, "result");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
    if (cJSON_IsObject(e)) {
        take_error(e, r);
        return 0;
    }
    if (!cJSON_IsString(result) || !hex_string_ok(result->valuestring))
        return r1_err(err, "rpc: the answer to id %lld is not a hex string", (long long)id);
    r->status = RPC_OK;
    r->hex = xstrdup(result->valuestring);
    return 0;
}

int rpc_parse_batch(const char *body, size_t len, struct rpc_result *res, size_t n, char *err)
{
    memset(res, 0, n * sizeof(*res));
    char perr[R1_ERR_MAX];
    cJSON *root = json_parse(body, len, perr);
    if (!root)
        return r1_err(err, "rpc: the reply is not JSON (%s)", perr);
    int rc = 0;
    const cJSON *whole = cJSON_GetObjectItemCaseSensitive(root, "error");
    if (cJSON_IsObject(root) && cJSON_IsObject(whole)) {
        /* the host refused the batch as a whole (a rate limit, a batch too large) */
        for (size_t i = 0; i < n; i++)
            take_error(whole, &res[i]);
    } else if (cJSON_IsArray(root)) {
        const cJSON *o;
        cJSON_ArrayForEach(o, root) if ((rc = take_answer(o, res, n, err)) < 0) break;
    } else {
        rc = r1_err(err, "rpc: the reply to a batch is neither an array nor an error");
    }
    cJSON_Delete(root);
    if (rc < 0)
        rpc_results_free(res, n);
    return rc;
}

void rpc_results_free(struct rpc_result *res, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(res[i].hex);
        res[i].hex = NULL;
    }
}

bool rpc_rate_limited(const struct rpc_result *res, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (res[i].status == RPC_ERROR && res[i].code == RPC_CODE_RATE_LIMIT)
            return true;
    return false;
}

void rpc_result_error(const struct rpc_result *r, char *dst, size_t dst_size)
{
    if (r->status == RPC_OK)
        snprintf(dst, dst_size, "%s", "");
    else if (r->status == RPC_MISSING)
        snprintf(dst, dst_size, "no answer in the batch reply");
    else if (r->revert)
        snprintf(dst, dst_size, "reverted: %s", r->message);
    else
        snprintf(dst, dst_size, "RPC error %ld: %s", r->code, r->message);
}

/* ---- chain id ------------------------------------------------------------------------------ */

int rpc_quantity(const char *hex, int64_t *out, char *err)
{
    size_t n = hex ? strlen(hex) : 0;
    if (n < 3 || n > 17 || strncmp(hex, "0x", 2) != 0)
        return r1_err(err, "rpc: a quantity is 0x and 1 to 15 hex digits");
    int64_t v = 0;
    for (size_t i = 2; i < n; i++) {
        int d = r1_hex_nibble(hex[i]);
        if (d < 0)
            return r1_err(err, "rpc: a quantity is 0x and 1 to 15 hex digits");
        v = v * 16 + d;
    }
    *out = v;
    return 0;
}

static const struct {
    int64_t id;
    const char *name;
} chain_names[] = {
    {8453, "Base"},          /* mainnet (docs/protocol.md §6.1) */
    {84532, "Base Sepolia"}, /* testnet, devnet */
    {1, "Ethereum"},
    {11155111, "Sepolia"},
};

const char *rpc_chain_name(int64_t chain_id)
{
    for (size_t i = 0; i < R1_ARRAY_LEN(chain_names); i++)
        if (chain_names[i].id == chain_id)
            return chain_names[i].name;
    return NULL;
}

int rpc_check_chain_id(int64_t got, int64_t want, char *err)
{
    if (got == want)
        return 0;
    const char *g = rpc_chain_name(got), *w = rpc_chain_name(want);
    return r1_err(err, "the RPC serves chain %lld%s%s%s, not %lld%s%s%s", (long long)got,
                  g ? " (" : "", g ? g : "", g ? ")" : "", (long long)want, w ? " (" : "",
                  w ? w : "", w ? ")" : "");
}
