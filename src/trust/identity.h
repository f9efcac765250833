/* identity: the operator's own secp256k1 key, in the Ratio1 SDK's file format (PKCS#8 PEM,
 * ~/.ratio1/_naeural.pem; SEC1 "EC PRIVATE KEY" also read). Loads it (refusing files other
 * users can read or write), creates new ones (mode 0600, never overwriting), and names the
 * key (0xai_ and ETH address). Used by `r1top whoami|keygen` (trust.c) and by the signed
 * network commands (net/remote.c). */
#ifndef R1_IDENTITY_H
#define R1_IDENTITY_H

#include <stddef.h>

#include "eth.h"

#define IDENTITY_DEFAULT_FILE ".ratio1/_naeural.pem" /* under $HOME, as the SDK keeps it */
#define IDENTITY_PEM_MAX 65536

/* $HOME/.ratio1/_naeural.pem (the passwd entry's home if HOME is unset). 0 or -1 with err. */
int identity_default_path(char *out, size_t out_size, char *err);

/* Read the 32-byte secret of the key at path. -1 with err when the file is missing, group-
 * or world-accessible (st_mode & 077: "run chmod 600 FILE"), encrypted, not a secp256k1 key. */
int identity_load(const char *path, unsigned char seckey[32], char *err);

/* Create a new key at path: PKCS#8 PEM, mode 0600, O_EXCL (an existing file is never
 * replaced). The Python SDK and `cryptography` load it as their own. Returns its secret. */
int identity_keygen(const char *path, unsigned char seckey[32], char *err);

/* The key's node address (0xai_...) and EIP-55 ETH address. 0 or -1 with err. */
int identity_names(const unsigned char seckey[32], char node_addr[ETH_NODE_ADDR_BUF],
                   char eth_addr[ETH_ADDR_BUF], char *err);

#endif
