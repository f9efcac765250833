/* unit: the unit source — r1setup's systemd service on a node's host (docs/protocol.md §7.4),
 * for nodes with docker.service configured: `systemctl show` (state, result, NRestarts, the
 * main process's start and exit status), the exit file (the container's last exit code) and
 * the unit's starts in the last 30 minutes, of which the 30th reboots the host. Read through
 * transport_ssh's unit command, over ssh for an ssh:// node, on this host (local://)
 * otherwise. Read-only: the actions on the unit are hostpath.c's. */
#ifndef R1_UNIT_H
#define R1_UNIT_H

#include <stddef.h>

#include "model.h"

/* The unit command's framed reply (transport_ssh.h's SSH_OP_UNIT) into out, only on success:
 * times are moved onto this host's clock (local_now - the remote NOW). A failed or garbled
 * `systemctl show`, a unit systemd does not know, or a reply cut short: -1 with err, *out
 * untouched. An exit file that is missing or not a code leaves its value unknown. Pure. */
int unit_parse(const char *buf, size_t len, double local_now, struct r1_unit *out, char *err);

/* The exit file of a service (§7.4): /tmp/edge_node.exit for the standard service edge_node,
 * else /tmp/<container>.exit (the container named, else the service's own name). 0, or -1
 * when a name is not valid. */
int unit_exit_file(const char *service, const char *container, char *dst, size_t n);

#endif
