/* oracle: the Ratio1 oracle API (docs/protocol.md §2) — /current_epoch for the fleet, and
 * /node_last_epoch (with the on-chain licence) and /node_epochs_range per node. Parsers are
 * pure and unit-tested; the three sources build the GET URLs and store the results. Transport
 * and HTTP errors are the poller's; signature checks are trust.c's (a hook marks the spot).
 * Every reply is an envelope {"result": {...}, "server_node_addr": ...}; only result is read. */
#ifndef R1_ORACLE_H
#define R1_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "source.h"

/* Longest epochs list accepted from node_epochs_range: years of devnet's 4-hour epochs. */
#define ORACLE_EPOCHS_MAX 100000
/* No epoch number beyond this is real (model.h R1_EPOCH_MAX, D18): every epoch id, range end,
 * server epoch and last claim epoch in a reply is checked against it. */
#define ORACLE_EPOCH_MAX R1_EPOCH_MAX

/* /current_epoch: result.current_epoch (or result.server_current_epoch), 0..ORACLE_EPOCH_MAX.
 * 0 or -1. */
int oracle_parse_current_epoch(const char *buf, size_t len, int64_t *epoch, char *err);

/* /node_last_epoch and /node_epochs_range. On success *out is replaced (its old epochs_u8
 * freed; meta kept, valid bits say what this reply had; trust = R1_TRUST_UNCHECKED), and when
 * the reply carries licence details (node_license_info or the misspelt node_licese_info, as
 * an object or a JSON-encoded string) *lic is replaced and *lic_present set. The result's own
 * "error" lands in out->oracle_error and is not a failure: it may come with usable fields.
 * Returns -1 with err (and *out, *lic untouched) for bad JSON, a missing result, or epochs
 * that do not line up (length mismatch, gaps, values outside 0..255). */
int oracle_parse_node_epochs(const char *buf, size_t len, struct r1_oracle_node *out,
                             struct r1_licence *lic, bool *lic_present, char *err);

/* The Python dict repr used by recent_history.last_10_ep: "{430: 255, 431: 254}" (quoted
 * keys accepted, None values skipped). Fills out[] sorted by epoch, keeping the newest max_n.
 * 0, or -1 with err when the text is not such a dict. */
int oracle_parse_pydict_epochs(const char *text, struct r1_epoch_val *out, int max_n, int *n_out,
                               char *err);

#endif
