/* wallets: the wallets source (config `wallets:`; docs/protocol.md §6.5). One fleet-scope job
 * asks the network's RPC Reader.getWalletNodes(wallet) for every configured wallet in one
 * JSON-RPC batch and records each wallet's node addresses in fleet->wallets; app.c adds the
 * nodes the fleet does not watch yet. The source descriptor is source_wallets (source.h). */
#ifndef R1_WALLETS_H
#define R1_WALLETS_H

#include <stddef.h>

#include "model.h"

/* getWalletNodes' return data ("0x" hex of an ABI-encoded address[]), decoded strictly: the
 * head word is 32, the array fills the data exactly, every element is a clean address.
 * 0 with *out (malloc'd, lower case, NULL when empty) and *n, or -1 with err set. */
int wallets_decode_nodes(const char *hex, char (**out)[R1_ADDR_MAX], size_t *n, char *err);
/* Store a decoded list as wallet i's (ownership of addrs passes to f) at time now, bumping
 * f->wallets_gen: zero addresses (a licence with no node linked) are dropped and at most
 * R1_WALLET_NODES_MAX kept. 0, or -1 with err (and the wallet's error) saying how many were
 * left out. */
int wallets_store(struct r1_fleet *f, size_t i, char (*addrs)[R1_ADDR_MAX], size_t n, double now,
                  char *err);

#endif
