/* node_log: the node's own log file on this host (docs/protocol.md §4.5): `<LC>/_logs/EE.txt`
 * points at the current file with its path inside the container, which is rewritten onto the
 * host's `<LC>`; its last lines go to a log ring (logbuf.h). For a node whose files are read
 * from this host (a file:// status folder); the reads are bounded (the pointer 4 KiB, the log's
 * last 256 KiB), so a huge or hostile file costs nothing. Called by actions.c. */
#ifndef R1_NODE_LOG_H
#define R1_NODE_LOG_H

#include <stddef.h>

#include "logbuf.h"

/* The host path of the node's current log file, from its status folder URL
 * ("file:///var/cache/edge_node/_local_cache/_data/"). 0, or -1 with err (not a local node, no
 * pointer, a pointer outside the node's folder). */
int node_log_path(const char *status_dir_url, char *dst, size_t n, char *err);

/* Where the last read of a log file ended, so the next one reads only what was added. */
struct node_log_pos {
    char path[512];
    unsigned long long ino;
    long long off;      /* after the last whole line read */
};

/* Add to out the lines of the file at path that are new since pos: the first read (or after a
 * rotation: another file, or a shorter one) replaces out's lines with the last max_lines lines;
 * later reads append the whole lines written since (a line still being written waits). 0, or
 * -1 with err. */
int node_log_read(const char *path, size_t max_lines, struct node_log_pos *pos,
                  struct r1_logbuf *out, char *err);

#endif
