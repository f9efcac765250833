/* abi: words are big-endian 32-byte blocks (docs/protocol.md §6.4). The decoder never trusts a
 * number it reads: an offset or a length is compared with what is left of the data before it
 * is used, with the comparisons written so that a huge value cannot wrap around. */
#include "abi.h"

#include <stdlib.h>
#include <string.h>

#include "trust/keccak.h"
#include "util.h"

static const char hex_digits[] = "0123456789abcdef";

/* The few signatures r1top calls, hashed once: a fleet's refresh encodes thousands of calls,
 * and Keccak per call was most of its CPU time. A signature not cached (more than fit) is
 * simply hashed. */
#define SELECTOR_CACHE 16
static struct {
    char sig[96];
    unsigned char sel[ABI_SELECTOR_LEN];
} selector_cache[SELECTOR_CACHE];
static int selector_cached;

void abi_selector(const char *signature, unsigned char out[ABI_SELECTOR_LEN])
{
    for (int i = 0; i < selector_cached; i++)
        if (strcmp(selector_cache[i].sig, signature) == 0) {
            memcpy(out, selector_cache[i].sel, ABI_SELECTOR_LEN);
            return;
        }
    unsigned char h[KECCAK256_LEN];
    keccak256(signature, strlen(signature), h);
    memcpy(out, h, ABI_SELECTOR_LEN);
    if (selector_cached < SELECTOR_CACHE && strlen(signature) < sizeof(selector_cache[0].sig)) {
        r1_strlcpy(selector_cache[selector_cached].sig, signature, sizeof(selector_cache[0].sig));
        memcpy(selector_cache[selector_cached].sel, out, ABI_SELECTOR_LEN);
        selector_cached++;
    }
}

void abi_selector_hex(const char *signature, char out[2 + 2 * ABI_SELECTOR_LEN + 1])
{
    unsigned char sel[ABI_SELECTOR_LEN];
    abi_selector(signature, sel);
    out[0] = '0';
    out[1] = 'x';
    for (size_t i = 0; i < ABI_SELECTOR_LEN; i++) {
        out[2 + 2 * i] = hex_digits[sel[i] >> 4];
        out[3 + 2 * i] = hex_digits[sel[i] & 15];
    }
    out[2 + 2 * ABI_SELECTOR_LEN] = '\0';
}

/* ---- encoding ----------------------------------------------------------------------------- */

static unsigned char *enc_grow(struct abi_enc *e, size_t n)
{
    if (e->len + n > e->cap) {
        size_t cap = e->cap ? e->cap : 256;
        while (cap < e->len + n)
            cap *= 2;
        e->data = xrealloc(e->data, cap);
        e->cap = cap;
    }
    unsigned char *at = e->data + e->len;
    memset(at, 0, n);
    e->len += n;
    return at;
}

void abi_enc_free(struct abi_enc *e)
{
    free(e->data);
    memset(e, 0, sizeof(*e));
}

void abi_enc_selector(struct abi_enc *e, const char *signature)
{
    abi_selector(signature, enc_grow(e, ABI_SELECTOR_LEN));
}

void abi_enc_uint(struct abi_enc *e, r1_u128 v)
{
    unsigned char *w = enc_grow(e, ABI_WORD);
    for (int i = ABI_WORD - 1; i >= ABI_WORD - 16; i--, v >>= 8)
        w[i] = (unsigned char)(v & 0xff);
}

void abi_enc_bool(struct abi_enc *e, bool v)
{
    abi_enc_uint(e, v ? 1 : 0);
}

int abi_enc_address(struct abi_enc *e, const char *hex, char *err)
{
    if (!hex || strncmp(hex, "0x", 2) != 0 || strlen(hex) != 42)
        return r1_err(err, "abi: an address is 0x followed by 40 hex digits");
    unsigned char a[20];
    for (size_t i = 0; i < 20; i++) {
        int hi = r1_hex_nibble(hex[2 + 2 * i]), lo = r1_hex_nibble(hex[3 + 2 * i]);
        if (hi < 0 || lo < 0)
            return r1_err(err, "abi: an address is 0x followed by 40 hex digits");
        a[i] = (unsigned char)(hi << 4 | lo);
    }
    memcpy(enc_grow(e, ABI_WORD) + 12, a, sizeof(a));
    return 0;
}

void abi_enc_bytes_tail(struct abi_enc *e, const unsigned char *p, size_t n)
{
    abi_enc_uint(e, n);
    size_t padded = (n + ABI_WORD - 1) / ABI_WORD * ABI_WORD;
    unsigned char *at = enc_grow(e, padded);
    if (n)
        memcpy(at, p, n);
}

char *abi_enc_hex(const struct abi_enc *e)
{
    char *s = xmalloc(2 + 2 * e->len + 1);
    s[0] = '0';
    s[1] = 'x';
    for (size_t i = 0; i < e->len; i++) {
        s[2 + 2 * i] = hex_digits[e->data[i] >> 4];
        s[3 + 2 * i] = hex_digits[e->data[i] & 15];
    }
    s[2 + 2 * e->len] = '\0';
    return s;
}

/* Bytes one ComputeRewardsParams takes: five head words, then the bytes' length and data. */
static size_t params_size(const struct abi_compute_params *p)
{
    return 5 * ABI_WORD + ABI_WORD + (p->n_packed + ABI_WORD - 1) / ABI_WORD * ABI_WORD;
}

int abi_enc_compute_params(struct abi_enc *e, const struct abi_compute_params *p, size_t n,
                           char *err)
{
    size_t start = e->len;
    abi_enc_uint(e, ABI_WORD); /* the one argument is dynamic: its data starts after this */
    abi_enc_uint(e, n);
    /* The elements are dynamic tuples: a head of offsets, relative to the first of them. */
    size_t off = n * ABI_WORD;
    for (size_t i = 0; i < n; i++) {
        abi_enc_uint(e, off);
        off += params_size(&p[i]);
    }
    for (size_t i = 0; i < n; i++) {
        abi_enc_uint(e, p[i].licence_id);
        if (abi_enc_address(e, p[i].node_address, err) < 0) {
            e->len = start;
            return -1;
        }
        abi_enc_uint(e, p[i].from_epoch);
        abi_enc_uint(e, p[i].to_epoch);
        abi_enc_uint(e, 5 * ABI_WORD); /* packedAvailabilities, after the five head words */
        abi_enc_bytes_tail(e, p[i].packed_avail, p[i].n_packed);
    }
    return 0;
}

/* ---- decoding ----------------------------------------------------------------------------- */

int abi_hex_decode(const char *hex, unsigned char **out, size_t *n, char *err)
{
    *out = NULL;
    *n = 0;
    if (!hex || strncmp(hex, "0x", 2) != 0)
        return r1_err(err, "abi: hex data must start with 0x");
    size_t len = strlen(hex + 2);
    if (len % 2)
        return r1_err(err, "abi: hex data has an odd number of digits");
    if (len == 0)
        return 0;
    unsigned char *b = xmalloc(len / 2);
    for (size_t i = 0; i < len / 2; i++) {
        int hi = r1_hex_nibble(hex[2 + 2 * i]), lo = r1_hex_nibble(hex[3 + 2 * i]);
        if (hi < 0 || lo < 0) {
            free(b);
            return r1_err(err, "abi: hex data has a character that is not a hex digit");
        }
        b[i] = (unsigned char)(hi << 4 | lo);
    }
    *out = b;
    *n = len / 2;
    return 0;
}

static const unsigned char *dec_word(const struct abi_dec *d, size_t off, char *err)
{
    if (off > d->len || d->len - off < ABI_WORD) {
        r1_err(err, "abi: the data ends at byte %zu, before the word at byte %zu", d->len, off);
        return NULL;
    }
    return d->p + off;
}

/* Leading zero bytes of a word must be exactly `zeros` or more. */
static bool high_zero(const unsigned char *w, size_t zeros)
{
    for (size_t i = 0; i < zeros; i++)
        if (w[i])
            return false;
    return true;
}

int abi_dec_uint(const struct abi_dec *d, size_t off, r1_u128 *out, char *err)
{
    const unsigned char *w = dec_word(d, off, err);
    if (!w)
        return -1;
    if (!high_zero(w, 16))
        return r1_err(err, "abi: the number at byte %zu does not fit 128 bits", off);
    r1_u128 v = 0;
    for (size_t i = 16; i < ABI_WORD; i++)
        v = v << 8 | w[i];
    *out = v;
    return 0;
}

int abi_dec_u256_dec(const struct abi_dec *d, size_t off, char *dst, size_t dst_size, char *err)
{
    const unsigned char *w = dec_word(d, off, err);
    if (!w)
        return -1;
    unsigned char n[ABI_WORD];
    memcpy(n, w, sizeof(n));
    char rev[ABI_U256_DEC_BUF];
    size_t k = 0;
    do { /* long division by ten, most significant byte first */
        unsigned rem = 0;
        bool nonzero = false;
        for (size_t i = 0; i < ABI_WORD; i++) {
            unsigned cur = rem << 8 | n[i];
            n[i] = (unsigned char)(cur / 10);
            rem = cur % 10;
            nonzero |= n[i] != 0;
        }
        rev[k++] = (char)('0' + rem);
        if (!nonzero)
            break;
    } while (k < sizeof(rev));
    if (k + 1 > dst_size)
        return r1_err(err, "abi: no room for %zu digits", k);
    for (size_t i = 0; i < k; i++)
        dst[i] = rev[k - 1 - i];
    dst[k] = '\0';
    return 0;
}

int abi_dec_uint8(const struct abi_dec *d, size_t off, unsigned *out, char *err)
{
    const unsigned char *w = dec_word(d, off, err);
    if (!w)
        return -1;
    if (!high_zero(w, ABI_WORD - 1))
        return r1_err(err, "abi: the uint8 at byte %zu is above 255", off);
    *out = w[ABI_WORD - 1];
    return 0;
}

int abi_dec_bool(const struct abi_dec *d, size_t off, bool *out, char *err)
{
    const unsigned char *w = dec_word(d, off, err);
    if (!w)
        return -1;
    if (!high_zero(w, ABI_WORD - 1) || w[ABI_WORD - 1] > 1)
        return r1_err(err, "abi: the bool at byte %zu is neither 0 nor 1", off);
    *out = w[ABI_WORD - 1] == 1;
    return 0;
}

int abi_dec_address(const struct abi_dec *d, size_t off, char out[ABI_ADDR_BUF], char *err)
{
    const unsigned char *w = dec_word(d, off, err);
    if (!w)
        return -1;
    if (!high_zero(w, 12))
        return r1_err(err, "abi: the address at byte %zu has bits above 160", off);
    out[0] = '0';
    out[1] = 'x';
    for (size_t i = 0; i < 20; i++) {
        out[2 + 2 * i] = hex_digits[w[12 + i] >> 4];
        out[3 + 2 * i] = hex_digits[w[12 + i] & 15];
    }
    out[42] = '\0';
    return 0;
}

/* The offset word at head_off, checked to point inside the data. */
static int dec_offset(const struct abi_dec *d, size_t head_off, size_t *at, char *err)
{
    r1_u128 v;
    if (abi_dec_uint(d, head_off, &v, err) < 0)
        return -1;
    if (v > d->len)
        return r1_err(err, "abi: the offset at byte %zu points beyond the data", head_off);
    *at = (size_t)v;
    return 0;
}

/* A length word at `at`, checked to leave room for count * unit bytes after it. */
static int dec_length(const struct abi_dec *d, size_t at, size_t unit, size_t max, size_t *n,
                      char *err)
{
    r1_u128 v;
    if (abi_dec_uint(d, at, &v, err) < 0)
        return -1;
    size_t left = d->len - at - ABI_WORD; /* dec_word checked at + 32 <= len */
    if (v > max || (unit && v > left / unit))
        return r1_err(err, "abi: the length at byte %zu is beyond the data", at);
    *n = (size_t)v;
    return 0;
}

int abi_dec_bytes(const struct abi_dec *d, size_t head_off, const unsigned char **p, size_t *n,
                  char *err)
{
    size_t at = 0;
    if (dec_offset(d, head_off, &at, err) < 0 || dec_length(d, at, 1, d->len, n, err) < 0)
        return -1;
    *p = d->p + at + ABI_WORD;
    return 0;
}

int abi_dec_array(const struct abi_dec *d, size_t head_off, size_t elem_words, size_t *n,
                  struct abi_dec *elems, char *err)
{
    size_t at = 0;
    if (elem_words == 0)
        return r1_err(err, "abi: an array element has at least one word");
    if (dec_offset(d, head_off, &at, err) < 0 ||
        dec_length(d, at, elem_words * ABI_WORD, ABI_ARRAY_MAX, n, err) < 0)
        return -1;
    elems->p = d->p + at + ABI_WORD;
    elems->len = *n * elem_words * ABI_WORD;
    return 0;
}
