/* crypto: (being written) */
#ifndef R1_CRYPTO_H
#define R1_CRYPTO_H
#endif
