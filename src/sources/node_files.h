/* node_files: the node's own status files under _local_cache/_data/ — local_info.json (10 s),
 * local_history.json (5 min) and the pipeline files in box_configuration/streams/ (docs/protocol.md
 * §4.2-§4.4). Pure parsers plus the three sources that use them; the poller
 * fetches the bytes and records success or failure in the group's meta. Pipeline files hold
 * secrets, so only the listed keys are ever read from them. */
#ifndef R1_NODE_FILES_H
#define R1_NODE_FILES_H

#include <stddef.h>

#include "model.h"
#include "source.h"

/* local_info.json. On success *out holds the new values (valid bits say which were present;
 * the INFO_MTIME bit and file_mtime are kept). On error (truncated or garbage JSON — normal,
 * the node writes the file non-atomically) *out is untouched and err says why. 0 or -1. */
int node_files_parse_info(const char *buf, size_t len, struct r1_node_info *out, char *err);

/* local_history.json: same contract. Series keep their last R1_HIST_MAX points; -1 = NAN. */
int node_files_parse_history(const char *buf, size_t len, struct r1_node_history *out, char *err);

/* One pipeline file (streams/<NAME>.json): append one row per plugin instance to acc->rows,
 * or one row with empty signature/instance when the pipeline has none. Returns 0 when rows
 * were added, 1 for the admin pipeline (skipped, nothing added), -1 on a parse error (acc
 * untouched). Rows are appended unsorted. */
int node_files_parse_stream(const char *file_name, const char *buf, size_t len,
                            struct r1_workloads *acc, char *err);

/* Sort rows by pipeline, then instance id (then signature, so the order is total). */
void node_files_sort_rows(struct r1_workloads *w);

#endif
