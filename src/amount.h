/* amount: token amounts as exact integers. R1 has 18 decimals, USDC 6; on-chain amounts
 * (e.g. 1575188843457943924600 wei) exceed 64 bits and a double's precision (docs/protocol.md
 * §2.6), so they are kept as unsigned 128-bit integers and only turned into doubles for display. */
#ifndef R1_AMOUNT_H
#define R1_AMOUNT_H

#include <stddef.h>

__extension__ typedef unsigned __int128 r1_u128;

#define R1_WEI_DECIMALS 18
#define R1_USDC_DECIMALS 6

/* Parse a non-negative decimal integer ("1575188843457943924600"), a JSON number lexeme
 * without fraction, or a "0x..." hex string. Rejects overflow, signs, fractions. 0 or -1. */
int amount_parse(const char *s, r1_u128 *out);
/* Exact decimal digits of v into dst. */
void amount_to_dec(char *dst, size_t dst_size, r1_u128 v);
/* v / 10^decimals with `places` fraction digits, truncated (never rounds up money):
 * amount_fmt(.., 1458508188386985115, 18, 4) -> "1.4585". */
void amount_fmt(char *dst, size_t dst_size, r1_u128 v, int decimals, int places);
double amount_to_double(r1_u128 v, int decimals);

#endif
