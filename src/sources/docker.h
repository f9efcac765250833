/* docker: the node container as the host's Docker Engine API sees it — state, start time,
 * restart count, image — via GET /containers/<name>/json on the unix socket, or for a node
 * reached over ssh:// via `docker inspect` on its host. Read-only; the container actions
 * (actions.c, hostpath.c) use docker_ssh_url for the same host and socket. */
#ifndef R1_DOCKER_H
#define R1_DOCKER_H

#include <stddef.h>

#include "model.h"

/* Parse a container-inspect reply into out (only on success): the API's object, or the CLI's
 * array holding exactly that one object. */
int docker_parse_inspect(const char *buf, size_t len, struct r1_docker *out, char *err);
/* "2026-11-20T08:00:00.123456789Z" (RFC 3339, as Docker writes it) -> unix s; -1 (unknown) if
 * not, if any field is out of range (month 13, day 32, hour 25) or for Docker's zero time. */
int docker_parse_time(const char *s, double *t);
/* The ssh:// request (transport_ssh.h) for `docker VERB <container>` on an ssh:// node's host,
 * with -H for a socket other than the daemon's usual one: "inspect" (this source), "restart",
 * "stop", "start" (the actions). 0, or -1 when the node is not ssh:// or dst is too small. */
int docker_ssh_url(const struct r1_node *node, const char *verb, char *dst, size_t n);

#endif
