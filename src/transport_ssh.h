/* transport_ssh: reads a remote node host over the operator's own OpenSSH client — the status
 * files, the pipeline folder (within dirread.h's caps), `docker inspect` of the node's
 * container and `nvidia-smi`, and runs the actions' commands there (docker and systemctl
 * verbs, the node's own commands through `docker exec`, its `docker logs`) — one `ssh` child
 * per request, sharing one connection per host
 * (ControlMaster), never blocking: the poller waits on the children's pipes in its one
 * curl_multi_poll and calls transport_ssh_service. Owns the children, the control sockets and
 * their private folder; knows nothing of sources or the model. Called by poller.c; config.c,
 * docker.c and gpu.c use its URL helpers. */
#ifndef R1_TRANSPORT_SSH_H
#define R1_TRANSPORT_SSH_H

#include <stdbool.h>
#include <stddef.h>

#include "dirread.h"
#include "model.h"

/* What a request URL asks (the poller hands ssh:// URLs here):
 *   ssh://[user@]host[:port]/abs/path/file    one file, at most max_bytes, with its mtime
 *   ssh://[user@]host[:port]/abs/path/dir/    the folder's *.json files (dirread.h's caps)
 *   ssh://[user@]host[:port]?docker-inspect=NAME[&socket=/path]   `docker inspect NAME`
 *   ssh://[user@]host[:port]?nvidia-smi       every GPU of the host (gpu.c parses it)
 *   ssh://[user@]host[:port]?docker-restart=NAME[&socket=/path]   `docker restart NAME`; also
 *                                             docker-stop, docker-start (actions)
 *   ssh://[user@]host[:port]?systemctl-restart=SVC   `systemctl restart SVC`, through `sudo -n`
 *                                             when not root; also systemctl-stop, -start
 *   ssh://[user@]host[:port]?unit=SVC&exit-file=/path   the unit's state, its exit file and its
 *                                             starts in the last 30 minutes (unit.c parses it)
 *   ssh://[user@]host[:port]?docker-exec=NAME&cmd=CMD[&arg=OPERAND]...[&socket=/path]
 *                                             `docker exec NAME CMD OPERANDS...`: one of the
 *                                             node's commands (transport_ssh_node_command)
 *   ssh://[user@]host[:port]?docker-logs=NAME&tail=N[&since=S.NNNNNNNNN][&socket=/path]
 *                                             `docker logs --timestamps --tail N [--since S]`
 * host may be a Host alias of the ssh configuration. local://?QUERY runs the same command on
 * this host, as a child process with the same pipes, deadlines and reaping (no ssh). */
enum ssh_op {
    SSH_OP_FILE,
    SSH_OP_DIR,
    SSH_OP_DOCKER,
    SSH_OP_GPU,
    SSH_OP_DOCKER_ACT,  /* a container action; the command's exit status is the outcome */
    SSH_OP_UNIT_ACT,    /* a systemd unit action; likewise */
    SSH_OP_UNIT,        /* the unit source's read */
    SSH_OP_DOCKER_EXEC, /* one of the node's commands in its container; likewise */
    SSH_OP_DOCKER_LOGS, /* the container's log lines; likewise */
};
/* The exit status of a unit action refused because sudo needs a password (or does not allow
 * `systemctl VERB SVC` for this login): sudo's own status is 1, which systemctl also uses. */
#define TRANSPORT_SSH_EXIT_SUDO 77

/* The GPU request's columns, in the order gpu.c parses them, and what a host without
 * nvidia-smi answers instead (a host with no NVIDIA GPU: an answer, not an error). */
#define TRANSPORT_SSH_GPU_FIELDS                                                                   \
    "index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw"
#define TRANSPORT_SSH_NO_NVIDIA_SMI "r1top-no-nvidia-smi"

/* The operands a node command takes at most (add_allowed ADDRESS ALIAS). */
#define TRANSPORT_SSH_ARGS_MAX 2

/* The commands r1top runs inside a node's container (docs/protocol.md §8.1), by the name an
 * exec asks for: its fixed words (NULL-terminated) and how many operands may follow. The one
 * list both exec paths use: the Engine API's Cmd (actions.c) and `docker exec` over ssh. */
struct ssh_node_command {
    const char *name;
    const char *const *words;
    int min_args, max_args;
};
/* NULL for a name that is not one of them. */
const struct ssh_node_command *transport_ssh_node_command(const char *name);

struct ssh_target {
    char user[64];  /* "" = ssh's own choice (the config's User, or the login) */
    char host[256]; /* a name, an address, a [v6] address or a config alias */
    int port;       /* 0 = ssh's own choice */
    enum ssh_op op;
    char path[R1_URL_MAX]; /* FILE, DIR: the remote path; DOCKER: the container */
    char socket[108];      /* DOCKER, DOCKER_ACT: the daemon's socket, "" = docker's default */
    char verb[16];         /* DOCKER_ACT, UNIT_ACT: "restart", "stop", "start" */
    char exit_file[128];   /* UNIT: the exit file's absolute path */
    /* DOCKER_EXEC: verb is the node command's name, args its operands (each a plain word) */
    char args[TRANSPORT_SSH_ARGS_MAX][64];
    int n_args;
    char tail[8];   /* DOCKER_LOGS: the lines to read, digits */
    char since[32]; /* DOCKER_LOGS: "S.NNNNNNNNN", "" = none */
    bool local;     /* local://: run on this host, no ssh */
};

/* Split an ssh:// URL. Refuses what ssh would read as an option (a host or user starting
 * with '-'), characters no host name or login has, a relative path, and a port out of
 * 1..65535. 0, or -1 with err. Pure. */
int transport_ssh_parse_url(const char *url, struct ssh_target *out, char *err);
bool transport_ssh_is_url(const char *url);
/* ssh:// or local://: a URL this transport runs (the poller's choice of transport). */
bool transport_ssh_handles(const char *url);
/* "ssh://user@host:port" + "?" + query into dst from a node's ssh:// status URL (the same
 * host, for the node's container and GPUs). 0, or -1 when status_url is not ssh://. */
int transport_ssh_command_url(const char *status_url, const char *query, char *dst, size_t n);
/* The command URL for a node's host: over ssh for an ssh:// status URL, else local://?query
 * (this host). 0, or -1 when dst is too small. */
int transport_ssh_host_url(const char *status_url, const char *query, char *dst, size_t n);
/* The first line of buf starting with tag (a login shell's startup files may print something
 * before the snippet runs, and that is not the reply), or NULL. Pure. */
const char *transport_ssh_find_tag(const char *buf, size_t len, const char *tag);
/* The most telling line of a command's stderr, sanitised into dst: its last non-empty one
 * ("" for NULL or none). Pure. */
void transport_ssh_last_line(const char *text, char *dst, size_t n);

/* The framed reply of a file read (the remote snippet prints "r1top-file MTIME NOW\n" and the
 * bytes): *body points into buf. *mtime is the file's mtime moved onto this host's clock
 * (local_now - the remote NOW), so an age is the host's own. 0, 1 = larger than max_bytes,
 * -1 with err. Pure. */
int transport_ssh_parse_file(const char *buf, size_t len, size_t max_bytes, double local_now,
                             const char **body, size_t *body_len, double *mtime, char *err);
/* The framed reply of a folder read into out, as dirread_json fills it from a local folder
 * (files sorted by name, at most DIRREAD_MAX_FILES entries, n_total counting every *.json
 * name). 0, or -1 with err (a stream cut short or malformed); *out is always safe to
 * dirread_free. Pure. */
int transport_ssh_parse_dir(const char *buf, size_t len, double local_now,
                            struct dirread_result *out, char *err);

/* ---- the transport ------------------------------------------------------------------------ */

struct ssh_transport;
struct ssh_call;

struct ssh_options {
    const char *config_file;      /* ssh -F; NULL or "" = ssh's own (~/.ssh/config) */
    const char *known_hosts_file; /* UserKnownHostsFile; NULL or "" = the configuration's */
};

/* A finished request. err.kind is R1_EK_NONE on success; then FILE, DOCKER, GPU, UNIT and the
 * actions fill body/len (NUL-terminated), FILE also mtime, and DIR fills dir. An action's
 * command that ran and failed is a success of the transport: exit_status and errs say how it
 * failed. Valid during the callback. */
struct ssh_result {
    struct r1_error err;
    enum ssh_op op;
    const char *body;
    size_t len;
    int exit_status;  /* the remote command's, when it ran (ssh's own failures are err) */
    const char *errs; /* its stderr, NUL-terminated, "" when none */
    double mtime;     /* FILE: on this host's clock; 0 = unknown */
    const struct dirread_result *dir;
};
typedef void (*ssh_done_fn)(void *ctx, void *owner, const struct ssh_result *r);

/* Makes the private folder of the control sockets ($XDG_RUNTIME_DIR/r1top/ssh-XXXXXX, else
 * a 0700 folder under $TMPDIR or /tmp). NULL with err when none can be made. */
struct ssh_transport *transport_ssh_new(const struct ssh_options *o, char *err);
/* Ends every child (killed and reaped), closes every host's shared connection (ssh -O exit,
 * waited for a bounded time) and removes the folder. NULL is fine. */
void transport_ssh_free(struct ssh_transport *t);

/* Start url for owner; at most max_bytes of reply (FILE, DOCKER, GPU; a DIR read has the
 * dirread caps), given up after timeout_ms. The first request to a host that has no shared
 * connection yet runs alone; the others wait for it (so one connection is made, not one per
 * request, and a dead host is found once). NULL with err when it cannot start. */
struct ssh_call *transport_ssh_start(struct ssh_transport *t, const char *url, size_t max_bytes,
                                     long timeout_ms, double now_mono, void *owner, char *err);
/* Give up on c: its child is killed and reaped; done is never called for it. */
void transport_ssh_cancel(struct ssh_transport *t, struct ssh_call *c);
/* The children's open pipe ends (to wait on for reading), at most max. Returns how many. */
int transport_ssh_fds(const struct ssh_transport *t, int *fds, int max);
/* timeout_ms shortened to the next thing the transport must do by itself: a deadline, or a
 * child that closed its pipes and is about to exit (to be reaped). */
int transport_ssh_wait_ms(const struct ssh_transport *t, double now_mono, int timeout_ms);
/* Read what the children wrote, reap those that ended, kill those past their deadline, and
 * call done once for each finished request (in no particular order). Returns how many. */
int transport_ssh_service(struct ssh_transport *t, double now_mono, double now_wall,
                          ssh_done_fn done, void *ctx);
/* Requests started and not yet finished. */
int transport_ssh_running(const struct ssh_transport *t);

#endif
