/* hostpath: which way a container action (restart, stop, start) reaches a node's container,
 * and what that way asks and answers. Four paths: the Docker Engine API on a local socket,
 * the docker CLI on an ssh:// node's host, and r1setup's systemd unit (docs/protocol.md §7.4:
 * the service, not the container, is the unit of control there) on this host or over ssh;
 * and which of two ways the node's own commands and log take (the Engine API or the CLI).
 * Builds the one-shot request (transport_ssh.h's command URLs) and turns a command's exit
 * status into the action's outcome; knows nothing of the loop. Called by actions.c. */
#ifndef R1_HOSTPATH_H
#define R1_HOSTPATH_H

#include <stdbool.h>
#include <stddef.h>

struct r1_act_reply;
struct r1_node;
struct r1_request;

enum r1_host_path {
    R1_HP_NONE,       /* nothing configured that reaches the container */
    R1_HP_DOCKER_API, /* POST /containers/<name>/<verb> on the node's local socket */
    R1_HP_DOCKER_SSH, /* `docker <verb> <name>` on the ssh:// node's host */
    R1_HP_UNIT_LOCAL, /* `systemctl <verb> <service>` on this host */
    R1_HP_UNIT_SSH,   /* the same on the ssh:// node's host, through sudo -n when not root */
};

/* The path a container action on n takes: the unit when a service is configured, else Docker
 * (the API here, the CLI on an ssh:// node's host). */
enum r1_host_path hostpath_of(const struct r1_node *n);
/* "docker API", "docker CLI over ssh", "systemd unit edge_node", "systemd unit edge_node over
 * ssh": n->act.path, the audit log's path=, the outcome. */
void hostpath_name(const struct r1_node *n, char *dst, size_t size);
/* The node's own commands (an exec) and its log take the docker CLI on its host over ssh for
 * an ssh:// node with a container, whichever path its container verbs take (the unit's too:
 * the container is there); else the Engine API on this host's socket. */
bool hostpath_cli_ssh(const struct r1_node *n);
/* "docker CLI over ssh" or "docker API": how an exec or the logs reach the node. */
void hostpath_exec_name(const struct r1_node *n, char *dst, size_t size);
/* One sentence for the confirmation question: which path, and for the unit what a restart
 * through it does (removes the container and pulls the image again). "" for the Docker API. */
void hostpath_note(const struct r1_node *n, const char *verb, char *dst, size_t size);
/* The one-shot command request of a path other than the Docker API: verb is "restart",
 * "stop" or "start". 0, or -1 with err (a name that is not valid, a URL too long). */
int hostpath_prepare(const struct r1_node *n, const char *verb, struct r1_request *req, char *err);
/* The outcome of a command (r->command, r->error NULL): true when it succeeded; the words,
 * naming the path, in dst ("restart: done (systemd unit edge_node over ssh)"). */
bool hostpath_outcome(const struct r1_node *n, const char *verb, const struct r1_act_reply *r,
                      char *dst, size_t size);

#endif
