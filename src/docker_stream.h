/* docker_stream: Docker Engine's output framing, for the logs and exec endpoints of a
 * container started without a TTY (every node launch method: docs/protocol.md §7.8). Each frame
 * is an 8-byte header — stream (0 stdin, 1 stdout, 2 stderr), three zero bytes, the payload's
 * length as a big-endian uint32 — then the payload. A TTY container's output has no frames;
 * that is told apart by the header's shape and passed through. Pure: no I/O, no model. Used by
 * actions.c (exec output, logs). */
#ifndef R1_DOCKER_STREAM_H
#define R1_DOCKER_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Append the payloads of every whole frame in buf[0..len) to out (stdout and stderr
 * interleaved as they came). Returns the bytes consumed: a trailing partial frame is left for
 * the caller to complete, unless final (the whole reply): then a frame cut short is
 * dropped. A buffer that does not start with a frame header is raw TTY output and is
 * appended whole. */
size_t docker_stream_demux(const char *buf, size_t len, bool final, struct r1_sbuf *out);

#endif
