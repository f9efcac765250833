/* amount: exact token amounts (amount.h). Parses the oracle's decimal digits and the chain's
 * hex words into unsigned 128-bit integers and prints them back without ever rounding up.
 * No floating point except amount_to_double() for charts. Called by the oracle/licence
 * parsers, rewards.c, the rewards pane and snapshot.c. */
#include "amount.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

#define U128_MAX (~(r1_u128)0)
/* Longest accepted inputs: a uint256 printed in decimal (78 digits) or as a 32-byte ABI word
 * with its leading zeros ("0x" + 64). Longer is garbage, not a big number. */
#define DEC_MAX_LEN 78
#define HEX_MAX_DIGITS 64

static r1_u128 pow10_u128(int e)
{
    r1_u128 p = 1;
    for (int i = 0; i < e; i++)
        p *= 10;
    return p;
}

int amount_parse(const char *s, r1_u128 *out)
{
    if (!s || !out || !*s)
        return -1;
    r1_u128 v = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        const char *p = s + 2;
        size_t n = strlen(p);
        if (n == 0 || n > HEX_MAX_DIGITS)
            return -1;
        for (; *p; p++) {
            int d = r1_hex_nibble(*p);
            if (d < 0)
                return -1;
            if (v >> 124)   /* the next shift would lose bits: > 128-bit */
                return -1;
            v = (v << 4) + (unsigned)d;
        }
    } else {
        size_t n = strlen(s);
        if (n > DEC_MAX_LEN)
            return -1;
        /* Only digits: a sign, a fraction or an exponent ("1.5e21" from a float-printing
         * oracle) would silently lose wei, so they are errors, not approximations. */
        for (const char *p = s; *p; p++) {
            if (*p < '0' || *p > '9')
                return -1;
            unsigned d = (unsigned)(*p - '0');
            if (v > (U128_MAX - d) / 10)
                return -1;
            v = v * 10 + d;
        }
    }
    *out = v;
    return 0;
}

void amount_to_dec(char *dst, size_t dst_size, r1_u128 v)
{
    if (!dst_size)
        return;
    char tmp[48];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    if (n + 1 > dst_size) {
        /* A cut-off amount is a wrong amount: show that it did not fit instead. */
        memset(dst, '#', dst_size - 1);
        dst[dst_size - 1] = '\0';
        return;
    }
    for (size_t i = 0; i < n; i++)
        dst[i] = tmp[n - 1 - i];
    dst[n] = '\0';
}

void amount_fmt(char *dst, size_t dst_size, r1_u128 v, int decimals, int places)
{
    if (!dst_size)
        return;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 38)   /* 10^38 is the largest power of ten in 128 bits */
        decimals = 38;
    if (places < 0)
        places = 0;
    if (places > 38)
        places = 38;
    r1_u128 scale = pow10_u128(decimals);
    char ip[48];
    amount_to_dec(ip, sizeof(ip), v / scale);
    if (places == 0) {
        /* Integer division already truncated: 1.9999 R1 shows as "1". */
        snprintf(dst, dst_size, "%s", ip);
        return;
    }
    /* Keep the first `places` fraction digits by dividing the rest away (truncation). */
    r1_u128 frac = v % scale;
    char fp[48] = "";
    int shown = places < decimals ? places : decimals;
    if (shown > 0)
        amount_to_dec(fp, sizeof(fp), frac / pow10_u128(decimals - shown));
    /* left-pad to `shown` digits, right-pad with zeros to `places` */
    char fbuf[48];
    int flen = (int)strlen(fp);
    int o = 0;
    for (int i = flen; i < shown; i++)
        fbuf[o++] = '0';
    memcpy(fbuf + o, fp, (size_t)flen);
    o += flen;
    while (o < places)
        fbuf[o++] = '0';
    fbuf[o] = '\0';
    int need = snprintf(NULL, 0, "%s.%s", ip, fbuf);
    if (need < 0 || (size_t)need + 1 > dst_size) {
        memset(dst, '#', dst_size - 1);
        dst[dst_size - 1] = '\0';
        return;
    }
    snprintf(dst, dst_size, "%s.%s", ip, fbuf);
}

double amount_to_double(r1_u128 v, int decimals)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 38)
        decimals = 38;
    r1_u128 scale = pow10_u128(decimals);
    /* Split first: converting v whole and then dividing loses the fraction on big amounts. */
    return (double)(v / scale) + (double)(v % scale) / (double)scale;
}
