/* transport_ssh: remote node hosts through the system's OpenSSH client (transport_ssh.h).
 *
 * Why the system `ssh` and not a library: a node's host must be reached the way the operator
 * reaches it. Running ssh(1) gives r1top the operator's ~/.ssh/config (Host aliases, ProxyJump,
 * User, Port, IdentityFile), the agent, ed25519 and security-key logins, known_hosts with
 * strict checking, and OpenSSH's own crypto as the system updates it, with no code of ours in
 * the handshake. libcurl's sftp:// (libssh2 1.10 on Debian 12) signs RSA logins with SHA-1,
 * which OpenSSH 9 refuses, and reads no ssh_config; libssh reads part of ssh_config but is a
 * second SSH implementation to trust and keep in step with OpenSSH (ProxyJump, agent and
 * known_hosts handling differ), and its calls block unless driven by hand. A child process per
 * request costs a fork and an exec; ControlMaster makes it one TCP and SSH handshake per host,
 * which every later request (a new channel on it) reuses.
 *
 * How it stays off the loop: each request is an `ssh` child with stdin on /dev/null and its
 * stdout and stderr on pipes whose read ends are non-blocking and close-on-exec; the poller
 * adds those ends to its curl_multi_poll and calls transport_ssh_service, which reads what is
 * there, reaps children with waitpid(WNOHANG) and kills any past its deadline. The remote side
 * runs a short POSIX sh snippet that prints a framed stream (a header line, then the bytes),
 * never more than the caps (head -c), parsed here. The first request to a host runs alone; the
 * others wait until it made the shared connection, so a host gets one connection, and a dead
 * host fails its waiting requests at once rather than one timeout each. */
#define _GNU_SOURCE /* POSIX_SPAWN_SETSID, pipe2: the child gets no controlling terminal */
#include "transport_ssh.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

extern char **environ;

/* The shared connection outlives its last request by this much (ssh -O exit ends it sooner,
 * when r1top exits; after a crash it ends by itself). */
#define SSH_PERSIST_S 60
/* A dead connection under a live master is noticed within 15 s x 2. */
#define SSH_ALIVE_S 15
#define SSH_STDERR_MAX 4096
/* A request's reply may run this much past its own deadline for ssh's own connect timeout to
 * speak first (its message says more than "timed out"). */
#define SSH_GRACE_S 2.0
/* How long r1top waits at exit for the hosts' masters to close. */
#define SSH_EXIT_WAIT_S 3.0
/* A folder read: the dirread caps, plus one header line per listed file. */
#define SSH_DIR_MAX_OUT                                                                            \
    (DIRREAD_MAX_PASS_BYTES + DIRREAD_MAX_FILE_BYTES + DIRREAD_MAX_FILES * 512 + 4096)
/* The unix socket path limit (sun_path) less "/%C", a 40-character hash. */
#define SSH_DIR_MAX 64

/* ---- URLs --------------------------------------------------------------------------------- */

bool transport_ssh_is_url(const char *url)
{
    return strncmp(url, "ssh://", 6) == 0;
}

static bool is_local_url(const char *url)
{
    return strncmp(url, "local://?", 9) == 0;
}

bool transport_ssh_handles(const char *url)
{
    return transport_ssh_is_url(url) || is_local_url(url);
}

/* Host names, aliases and logins: nothing a shell or ssh's argument parser would read as more
 * than a name. A leading '-' would be an option (CVE-2017-1000117 was that bug in git). */
static bool name_ok(const char *s, size_t len, const char *extra)
{
    if (len == 0 || s[0] == '-')
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr(extra, s[i]))
            return false;
    return true;
}

/* The node's commands (transport_ssh.h): the apps run on the node's own inner daemon, named
 * car_... (docs/protocol.md §7.2). */
static const char *const cmd_get_allowed[] = {"get_allowed", NULL};
static const char *const cmd_add_allowed[] = {"add_allowed", NULL};
static const char *const cmd_change_alias[] = {"change_alias", NULL};
static const char *const cmd_docker_ps[] = {"docker", "ps", "-a", "--filter", "name=car_", NULL};
static const struct ssh_node_command node_commands[] = {
    {"get_allowed", cmd_get_allowed, 0, 0},
    {"add_allowed", cmd_add_allowed, 1, 2},
    {"change_alias", cmd_change_alias, 1, 1},
    {"docker-ps", cmd_docker_ps, 0, 0},
};

const struct ssh_node_command *transport_ssh_node_command(const char *name)
{
    for (size_t i = 0; i < R1_ARRAY_LEN(node_commands); i++)
        if (strcmp(name, node_commands[i].name) == 0)
            return &node_commands[i];
    return NULL;
}

/* The queries: which op, the verb of an action, what the value names and which options
 * (&name=value, space-separated names) may follow it. */
struct query_kind {
    const char *key;
    enum ssh_op op;
    const char *verb;
    const char *value;   /* for the message: "a container name" */
    const char *extra;   /* characters a value may hold besides letters and digits */
    const char *options; /* "socket", "exit-file", "cmd arg socket" or NULL */
};
static const struct query_kind queries[] = {
    /* Docker's own rule for a container name */
    {"docker-inspect=", SSH_OP_DOCKER, "", "a container name", "_.-", "socket"},
    {"docker-restart=", SSH_OP_DOCKER_ACT, "restart", "a container name", "_.-", "socket"},
    {"docker-stop=", SSH_OP_DOCKER_ACT, "stop", "a container name", "_.-", "socket"},
    {"docker-start=", SSH_OP_DOCKER_ACT, "start", "a container name", "_.-", "socket"},
    {"docker-exec=", SSH_OP_DOCKER_EXEC, "", "a container name", "_.-", "cmd arg socket"},
    {"docker-logs=", SSH_OP_DOCKER_LOGS, "", "a container name", "_.-", "tail since socket"},
    /* systemd unit names (systemd.unit(5)): letters, digits and ":_.-@" */
    {"systemctl-restart=", SSH_OP_UNIT_ACT, "restart", "a service name", "_.-@:", NULL},
    {"systemctl-stop=", SSH_OP_UNIT_ACT, "stop", "a service name", "_.-@:", NULL},
    {"systemctl-start=", SSH_OP_UNIT_ACT, "start", "a service name", "_.-@:", NULL},
    {"unit=", SSH_OP_UNIT, "", "a service name", "_.-@:", "exit-file"},
};

/* An absolute path of only characters no shell or ssh reads specially, into dst (once). */
static int parse_path(const char *name, const char *v, char *dst, size_t n, char *err)
{
    if (dst[0] || v[0] != '/' || strlen(v) >= n ||
        strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_.-") !=
            strlen(v))
        return r1_err(err, "ssh: '%.20s' must be an absolute path of plain characters, once", name);
    r1_strlcpy(dst, v, n);
    return 0;
}

/* since: Docker's "S.NNNNNNNNN" (logbuf_since), digits and at most one dot between them */
static bool since_ok(const char *v)
{
    size_t s = strspn(v, "0123456789");
    if (s == 0 || v[s] == '\0')
        return v[s] == '\0' && s > 0;
    return v[s] == '.' && v[s + 1] && strspn(v + s + 1, "0123456789") == strlen(v + s + 1);
}

/* One option's value, after its name was found among the query's: every value is checked
 * here, as it becomes a word of the remote command. */
static int parse_option(const char *name, const char *v, struct ssh_target *out, char *err)
{
    if (strcmp(name, "socket") == 0)
        return parse_path(name, v, out->socket, sizeof(out->socket), err);
    if (strcmp(name, "exit-file") == 0)
        return parse_path(name, v, out->exit_file, sizeof(out->exit_file), err);
    if (strcmp(name, "cmd") == 0) {
        if (out->verb[0] || !transport_ssh_node_command(v))
            return r1_err(err, "ssh: '%.20s' is not a node command r1top runs", v);
        r1_strlcpy(out->verb, v, sizeof(out->verb));
        return 0;
    }
    if (strcmp(name, "arg") == 0) {
        /* what a 0xai_ address or an alias holds (allowed.h checks which one it is) */
        if (out->n_args >= TRANSPORT_SSH_ARGS_MAX || !name_ok(v, strlen(v), "_.-") ||
            strlen(v) >= sizeof(out->args[0]))
            return r1_err(err, "ssh: the operand '%.40s' is not a plain word, or one too many", v);
        r1_strlcpy(out->args[out->n_args++], v, sizeof(out->args[0]));
        return 0;
    }
    if (strcmp(name, "tail") == 0) {
        size_t l = strlen(v);
        if (out->tail[0] || l == 0 || l >= sizeof(out->tail) || strspn(v, "0123456789") != l)
            return r1_err(err, "ssh: tail must be a number of lines, once");
        r1_strlcpy(out->tail, v, sizeof(out->tail));
        return 0;
    }
    /* since, the last one a query lists */
    if (out->since[0] || strlen(v) >= sizeof(out->since) || !since_ok(v))
        return r1_err(err, "ssh: since must be seconds[.fraction], once");
    r1_strlcpy(out->since, v, sizeof(out->since));
    return 0;
}

/* Is name (len bytes) one of the space-separated names of list? */
static bool listed(const char *list, const char *name, size_t len)
{
    for (const char *p = list; list && *p;) {
        size_t l = strcspn(p, " ");
        if (l == len && memcmp(p, name, len) == 0)
            return true;
        p += l + strspn(p + l, " ");
    }
    return false;
}

/* The options after the query's value: "&name=value" each, every name one the query takes. */
static int parse_options(const struct query_kind *k, const char *q, struct ssh_target *out,
                         char *err)
{
    while (*q == '&') {
        const char *o = q + 1;
        size_t len = strcspn(o, "&"), nlen = strcspn(o, "=&");
        char name[16], value[R1_URL_MAX];
        if (!k->options)
            return r1_err(err, "ssh: '%.40s' takes no options", k->key);
        if (nlen >= len || nlen >= sizeof(name) || !listed(k->options, o, nlen) ||
            len - nlen - 1 >= sizeof(value))
            return r1_err(err, "ssh: '%.*s' is not an option of '%.40s'",
                          (int)(nlen > 20 ? 20 : nlen), o, k->key);
        memcpy(name, o, nlen);
        name[nlen] = '\0';
        memcpy(value, o + nlen + 1, len - nlen - 1);
        value[len - nlen - 1] = '\0';
        if (parse_option(name, value, out, err) < 0)
            return -1;
        q = o + len;
    }
    const struct ssh_node_command *cmd = transport_ssh_node_command(out->verb);
    if (k->op == SSH_OP_DOCKER_EXEC &&
        (!cmd || out->n_args < cmd->min_args || out->n_args > cmd->max_args))
        return r1_err(err, "ssh: an exec needs a node command (cmd=) and its operands");
    if (k->op == SSH_OP_DOCKER_LOGS && !out->tail[0])
        return r1_err(err, "ssh: the logs need tail= (the lines to read)");
    return 0;
}

static int parse_query(const char *q, struct ssh_target *out, char *err)
{
    if (strcmp(q, "nvidia-smi") == 0) {
        out->op = SSH_OP_GPU;
        return 0;
    }
    const struct query_kind *k = NULL;
    for (size_t i = 0; i < R1_ARRAY_LEN(queries) && !k; i++)
        if (strncmp(q, queries[i].key, strlen(queries[i].key)) == 0)
            k = &queries[i];
    if (!k)
        return r1_err(err, "ssh: unknown request '%.40s'", q);
    q += strlen(k->key);
    size_t nlen = strcspn(q, "&");
    if (!name_ok(q, nlen, k->extra) || nlen >= sizeof(out->path))
        return r1_err(err, "ssh: '%.*s' is not %s", (int)(nlen > 40 ? 40 : nlen), q, k->value);
    memcpy(out->path, q, nlen);
    out->path[nlen] = '\0';
    out->op = k->op;
    r1_strlcpy(out->verb, k->verb, sizeof(out->verb));
    return parse_options(k, q + nlen, out, err);
}

/* host or [v6]:port part of an authority */
static int parse_hostport(const char *s, size_t len, struct ssh_target *out, char *err)
{
    const char *host = s, *colon = NULL;
    size_t hlen = len;
    if (len > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (!close || !name_ok(s + 1, (size_t)(close - s - 1), ":.%"))
            return r1_err(err, "ssh: '%.*s' is not a host", (int)(len > 60 ? 60 : len), s);
        host = s + 1;
        hlen = (size_t)(close - s - 1);
        if (close + 1 < s + len) {
            if (close[1] != ':')
                return r1_err(err, "ssh: '%.*s' is not a host", (int)(len > 60 ? 60 : len), s);
            colon = close + 1;
        }
    } else {
        colon = memchr(s, ':', len);
        hlen = colon ? (size_t)(colon - s) : len;
        if (!name_ok(s, hlen, "._-"))
            return r1_err(err, "ssh: '%.*s' is not a host name or alias",
                          (int)(hlen > 60 ? 60 : hlen), s);
    }
    if (hlen >= sizeof(out->host))
        return r1_err(err, "ssh: the host name is too long");
    memcpy(out->host, host, hlen);
    out->host[hlen] = '\0';
    if (colon) {
        size_t plen = (size_t)(s + len - colon - 1);
        long port = 0;
        for (size_t i = 0; i < plen && port <= 65535; i++) {
            if (!isdigit((unsigned char)colon[1 + i]))
                return r1_err(err, "ssh: the port of '%.60s' is not a number", out->host);
            port = port * 10 + (colon[1 + i] - '0');
        }
        if (plen == 0 || port < 1 || port > 65535)
            return r1_err(err, "ssh: the port of '%.60s' is not 1 to 65535", out->host);
        out->port = (int)port;
    }
    return 0;
}

static void sanitize_err(char *err)
{
    char raw[R1_ERR_MAX];
    r1_strlcpy(raw, err, sizeof(raw));
    r1_sanitize(err, R1_ERR_MAX, raw);
}

static int parse_url(const char *url, struct ssh_target *out, char *err)
{
    if (is_local_url(url)) {
        /* commands only: this host's files are read directly (file://) */
        out->local = true;
        if (parse_query(url + 9, out, err) < 0)
            return -1;
        if (out->op != SSH_OP_DOCKER_ACT && out->op != SSH_OP_UNIT_ACT && out->op != SSH_OP_UNIT)
            return r1_err(err, "local: '%.40s' is asked of a remote host only", url + 9);
        r1_strlcpy(out->host, "local", sizeof(out->host)); /* as messages name it */
        return 0;
    }
    if (!transport_ssh_is_url(url))
        return r1_err(err, "ssh: '%.60s' is not an ssh:// URL", url);
    const char *a = url + 6;
    size_t alen = strcspn(a, "/?");
    const char *at = memchr(a, '@', alen);
    if (at) {
        size_t ulen = (size_t)(at - a);
        if (!name_ok(a, ulen, "._-") || ulen >= sizeof(out->user))
            return r1_err(err, "ssh: '%.*s' is not a login name", (int)(ulen > 40 ? 40 : ulen), a);
        memcpy(out->user, a, ulen);
        out->user[ulen] = '\0';
        alen -= ulen + 1;
        a = at + 1;
    }
    if (parse_hostport(a, alen, out, err) < 0)
        return -1;
    const char *rest = a + alen;
    if (rest[0] == '?')
        return parse_query(rest + 1, out, err);
    if (rest[0] != '/' || rest[1] == '\0')
        return r1_err(err, "ssh: '%.60s' has no path after the host", url);
    if (strlen(rest) >= sizeof(out->path))
        return r1_err(err, "ssh: the path is too long");
    r1_strlcpy(out->path, rest, sizeof(out->path));
    out->op = rest[strlen(rest) - 1] == '/' ? SSH_OP_DIR : SSH_OP_FILE;
    return 0;
}

int transport_ssh_parse_url(const char *url, struct ssh_target *out, char *err)
{
    memset(out, 0, sizeof(*out));
    if (parse_url(url, out, err) == 0)
        return 0;
    sanitize_err(err); /* the messages quote the URL's parts, which may hold anything */
    memset(out, 0, sizeof(*out));
    return -1;
}

int transport_ssh_command_url(const char *status_url, const char *query, char *dst, size_t n)
{
    if (!transport_ssh_is_url(status_url))
        return -1;
    size_t alen = 6 + strcspn(status_url + 6, "/?");
    int w = snprintf(dst, n, "%.*s?%s", (int)alen, status_url, query);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

int transport_ssh_host_url(const char *status_url, const char *query, char *dst, size_t n)
{
    if (transport_ssh_is_url(status_url))
        return transport_ssh_command_url(status_url, query, dst, n);
    int w = snprintf(dst, n, "local://?%s", query);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

/* ---- the remote side ---------------------------------------------------------------------- */

/* The snippets run under the remote `sh -c` (dash, bash, busybox: POSIX sh with stat -c, as
 * Linux hosts have), with LC_ALL=C so globs sort as strcmp does and messages are not
 * translated. They contain no single quote (they travel inside one). Each argument is one
 * more word after `sh -c '...' r1top`. */

/* $1 path, $2 cap + 1: "r1top-file MTIME NOW" and at most $2 bytes. */
static const char script_file[] =
    "LC_ALL=C; export LC_ALL; f=$1\n"
    "if [ ! -e \"$f\" ]; then echo \"$f: no such file\" >&2; exit 3; fi\n"
    "if [ ! -f \"$f\" ]; then echo \"$f: not a regular file\" >&2; exit 3; fi\n"
    "if [ ! -r \"$f\" ]; then echo \"$f: permission denied\" >&2; exit 3; fi\n"
    "m=$(stat -L -c %Y \"$f\" 2>/dev/null || stat -L -f %m \"$f\" 2>/dev/null) || m=0\n"
    "printf \"r1top-file %s %s\\n\" \"$m\" \"$(date +%s)\"\n"
    "exec head -c \"$2\" \"$f\"\n";

/* $1 folder, $2 files, $3 bytes a file, $4 bytes a pass (dirread.h's caps, checked in
 * dirread_json's order): "r1top-dir NOW", then per listed name either "r1top-f SIZE MTIME
 * NAME" and exactly SIZE bytes, or "r1top-e WHY NAME"; last "r1top-end TOTAL". One stat for
 * all names and one dd per file (2.8 s for 256 files with a stat, a head and a subshell each,
 * 0.5 s so). dd conv=sync pads a file that shrank since its stat with NULs, which reads as a
 * file caught mid-write, as a local read of it would. A name with a newline is counted, not
 * listed. */
static const char script_dir[] =
    "LC_ALL=C; export LC_ALL\n"
    "cd \"$1\" 2>/dev/null && [ -r . ] || { echo \"cannot list $1: no such folder, or not "
    "allowed\" >&2; exit 3; }\n"
    "max=$2; big=$3; budget=$4; nl=\"\n"
    "\"\n"
    "printf \"r1top-dir %s\\n\" \"$(date +%s)\"\n"
    "n=0\n"
    "set --\n"
    "for f in *.json; do\n"
    "  [ -e \"$f\" ] || [ -L \"$f\" ] || continue\n"
    "  n=$((n + 1)); [ \"$n\" -le \"$max\" ] || continue\n"
    "  case $f in *\"$nl\"*) continue ;; esac\n"
    "  set -- \"$@\" \"./$f\"\n"
    "done\n"
    "[ \"$#\" -eq 0 ] || stat -L -c \"%s %Y %n\" -- \"$@\" 2>/dev/null | {\n"
    "  s=0\n"
    "  while IFS= read -r l; do\n"
    "    z=${l%% *}; r=${l#* }; m=${r%% *}; f=${r#* ./}\n"
    "    if [ \"$s\" -ge \"$budget\" ]; then printf \"r1top-e budget %s\\n\" \"$f\"\n"
    "    elif [ ! -f \"./$f\" ]; then printf \"r1top-e notreg %s\\n\" \"$f\"\n"
    "    elif [ ! -r \"./$f\" ]; then printf \"r1top-e unreadable %s\\n\" \"$f\"\n"
    "    elif [ \"$z\" -gt \"$big\" ]; then printf \"r1top-e big %s\\n\" \"$f\"\n"
    "    else\n"
    "      printf \"r1top-f %s %s %s\\n\" \"$z\" \"$m\" \"$f\"\n"
    "      [ \"$z\" -eq 0 ] || dd if=\"./$f\" bs=\"$z\" count=1 conv=sync 2>/dev/null || head -c "
    "\"$z\" /dev/zero\n"
    "      s=$((s + z))\n"
    "    fi\n"
    "  done\n"
    "}\n"
    "printf \"r1top-end %s\\n\" \"$n\"\n";

/* $1 socket ("" = docker's default), $2 "merge" or "", then docker's own words: every docker
 * request (the inspect array; a verb's, an exec's and the log's exit status their outcome).
 * merge: an exec's or the log's stdout and stderr come back as one stream, in the order they
 * came (as the Engine API gives them); else a verb's stderr is its outcome's words and the
 * inspect's stdout is only its JSON. */
static const char script_docker[] = "s=$1; m=$2; shift 2\n"
                                    "if [ -n \"$s\" ]; then set -- -H \"unix://$s\" \"$@\"; fi\n"
                                    "if [ \"$m\" = merge ]; then exec docker \"$@\" 2>&1; fi\n"
                                    "exec docker \"$@\"\n";

/* Every GPU of the host, one CSV line each (gpu.c parses the columns); a host without
 * nvidia-smi has no NVIDIA GPU to show, which is an answer, not an error. */
static const char script_gpu[] =
    "command -v nvidia-smi >/dev/null 2>&1 || { echo " TRANSPORT_SSH_NO_NVIDIA_SMI "; exit 0; }\n"
    "exec nvidia-smi --query-gpu=" TRANSPORT_SSH_GPU_FIELDS " --format=csv,noheader,nounits\n";

/* $1 verb, $2 service, $3 TRANSPORT_SSH_EXIT_SUDO: systemctl restart|stop|start as root, else
 * through sudo -n (never a prompt: no terminal is there to answer it). `sudo -n -l CMD` asks
 * whether this login may run CMD without a password, so a refusal says so rather than reading
 * as systemctl's own exit status 1. */
static const char script_unit_act[] =
    "if [ \"$(id -u)\" = 0 ]; then exec systemctl \"$1\" \"$2\"; fi\n"
    "if ! command -v sudo >/dev/null 2>&1; then\n"
    "  echo \"not root, and no sudo to run systemctl $1 $2\" >&2; exit \"$3\"\n"
    "fi\n"
    "if ! sudo -n -l systemctl \"$1\" \"$2\" >/dev/null 2>&1; then\n"
    "  echo \"sudo needs a password for systemctl $1 $2 (or does not allow it) for $(id -un)\" "
    ">&2\n"
    "  exit \"$3\"\n"
    "fi\n"
    "exec sudo -n systemctl \"$1\" \"$2\"\n";

/* $1 service, $2 exit file (docs/protocol.md §7.4): "r1top-unit NOW", systemctl show's lines,
 * "r1top-show-rc N", "r1top-exit-file TEXT" (or "-": no file), "r1top-starts N" (or "-").
 * The starts are PID 1's "Started <svc>.service" lines in the unit's journal of the last 30
 * minutes, the window of r1setup's StartLimitBurst; the node's own log lines (the container
 * runs in the unit's foreground) do not start so. journalctl writing anything to stderr (a
 * login not allowed to read the system journal) makes the count unknown, not 0. */
static const char script_unit[] =
    "LC_ALL=C; export LC_ALL\n"
    "printf \"r1top-unit %s\\n\" \"$(date +%s)\"\n"
    "o=$(systemctl show \"$1\" "
    "--property=LoadState,ActiveState,SubState,NRestarts,ExecMainStartTimestamp,ExecMainStatus,"
    "Result --timestamp=unix 2>&1); r=$?\n"
    "printf \"%s\\n\" \"$o\" | head -c 4096\n"
    "printf \"r1top-show-rc %s\\n\" \"$r\"\n"
    "if [ -f \"$2\" ] && [ -r \"$2\" ]; then\n"
    "  printf \"r1top-exit-file %s\\n\" \"$(head -c 32 \"$2\" | tr -d \"\\r\\n\")\"\n"
    "else echo \"r1top-exit-file -\"; fi\n"
    "j=\"journalctl -u $1.service --since -30min -o cat\"\n"
    "if e=$($j 2>&1 >/dev/null) && [ -z \"$e\" ]; then\n"
    "  printf \"r1top-starts %s\\n\" \"$($j 2>/dev/null | grep -c \"^Started $1\\.service\")\"\n"
    "else echo \"r1top-starts -\"; fi\n";

/* One shell word: 'it'\''s' */
static void sb_quoted(struct r1_sbuf *b, const char *s)
{
    r1_sb_str(b, " '");
    for (const char *q; (q = strchr(s, '\'')); s = q + 1) {
        r1_sb_add(b, s, (size_t)(q - s));
        r1_sb_str(b, "'\\''");
    }
    r1_sb_str(b, s);
    r1_sb_str(b, "'");
}

/* Each word of a NULL-terminated list (NULL: none), quoted. */
static void sb_words(struct r1_sbuf *b, const char *const *w)
{
    for (; w && *w; w++)
        sb_quoted(b, *w);
}

/* script_docker and its words: the socket, whether to merge stderr, then docker's own. */
static void docker_words(struct r1_sbuf *b, const struct ssh_target *t)
{
    static const char *const inspect[] = {"inspect", "--type", "container", NULL};
    static const char *const logs[] = {"logs", "--timestamps", "--tail", NULL};
    bool merge = t->op == SSH_OP_DOCKER_EXEC || t->op == SSH_OP_DOCKER_LOGS;
    sb_quoted(b, script_docker);
    r1_sb_str(b, " r1top");
    sb_quoted(b, t->socket);
    sb_quoted(b, merge ? "merge" : "");
    switch (t->op) {
    case SSH_OP_DOCKER:
        sb_words(b, inspect);
        break;
    case SSH_OP_DOCKER_ACT:
        sb_quoted(b, t->verb);
        break;
    case SSH_OP_DOCKER_EXEC: {
        const struct ssh_node_command *cmd = transport_ssh_node_command(t->verb);
        sb_quoted(b, "exec");
        sb_quoted(b, t->path);
        sb_words(b, cmd ? cmd->words : NULL);
        for (int i = 0; i < t->n_args; i++)
            sb_quoted(b, t->args[i]);
        return;
    }
    default: /* SSH_OP_DOCKER_LOGS */
        sb_words(b, logs);
        sb_quoted(b, t->tail);
        if (t->since[0]) {
            sb_quoted(b, "--since");
            sb_quoted(b, t->since);
        }
        break;
    }
    sb_quoted(b, t->path); /* the container, docker's last word */
}

/* The remote command line: sh -c 'SNIPPET' r1top ARGS... Returns an xmalloc'd string. */
static char *remote_command(const struct ssh_target *t, size_t max_bytes)
{
    struct r1_sbuf b = {0};
    char n1[32], n2[32], n3[32];
    r1_sb_str(&b, "sh -c");
    switch (t->op) {
    case SSH_OP_FILE:
        sb_quoted(&b, script_file);
        r1_sb_str(&b, " r1top");
        sb_quoted(&b, t->path);
        snprintf(n1, sizeof(n1), "%zu", max_bytes + 1);
        sb_quoted(&b, n1);
        break;
    case SSH_OP_DIR:
        sb_quoted(&b, script_dir);
        r1_sb_str(&b, " r1top");
        sb_quoted(&b, t->path);
        snprintf(n1, sizeof(n1), "%d", DIRREAD_MAX_FILES);
        snprintf(n2, sizeof(n2), "%d", DIRREAD_MAX_FILE_BYTES);
        snprintf(n3, sizeof(n3), "%d", DIRREAD_MAX_PASS_BYTES);
        sb_quoted(&b, n1);
        sb_quoted(&b, n2);
        sb_quoted(&b, n3);
        break;
    case SSH_OP_GPU:
        sb_quoted(&b, script_gpu);
        break;
    case SSH_OP_UNIT_ACT:
        sb_quoted(&b, script_unit_act);
        r1_sb_str(&b, " r1top");
        sb_quoted(&b, t->verb);
        sb_quoted(&b, t->path);
        snprintf(n1, sizeof(n1), "%d", TRANSPORT_SSH_EXIT_SUDO);
        sb_quoted(&b, n1);
        break;
    case SSH_OP_UNIT:
        sb_quoted(&b, script_unit);
        r1_sb_str(&b, " r1top");
        sb_quoted(&b, t->path);
        sb_quoted(&b, t->exit_file);
        break;
    case SSH_OP_DOCKER:
    case SSH_OP_DOCKER_ACT:
    case SSH_OP_DOCKER_EXEC:
    case SSH_OP_DOCKER_LOGS:
        docker_words(&b, t);
        break;
    }
    return b.data;
}

/* ---- parsing the framed replies ------------------------------------------------------------ */

const char *transport_ssh_find_tag(const char *buf, size_t len, const char *tag)
{
    size_t tl = strlen(tag);
    for (size_t i = 0; i + tl <= len;) {
        if (memcmp(buf + i, tag, tl) == 0)
            return buf + i;
        const char *nl = memchr(buf + i, '\n', len - i);
        if (!nl)
            return NULL;
        i = (size_t)(nl - buf) + 1;
    }
    return NULL;
}

/* Two unsigned decimals after the tag, the line's rest in rest (NUL-free, no newline). */
static bool read_uint(const char **p, const char *end, unsigned long long *v)
{
    const char *s = *p;
    unsigned long long x = 0;
    if (s >= end || !isdigit((unsigned char)*s))
        return false;
    while (s < end && isdigit((unsigned char)*s)) {
        if (x > 1000000000000000ULL)
            return false;
        x = x * 10 + (unsigned)(*s++ - '0');
    }
    *p = s;
    *v = x;
    return true;
}

static bool read_space(const char **p, const char *end)
{
    if (*p >= end || **p != ' ')
        return false;
    (*p)++;
    return true;
}

/* A remote time moved onto this host's clock; 0 stays unknown. */
static double local_time(unsigned long long t, unsigned long long remote_now, double local_now)
{
    return t == 0 ? 0 : (double)t + (local_now - (double)remote_now);
}

int transport_ssh_parse_file(const char *buf, size_t len, size_t max_bytes, double local_now,
                             const char **body, size_t *body_len, double *mtime, char *err)
{
    const char *p = transport_ssh_find_tag(buf, len, "r1top-file "), *end = buf + len;
    unsigned long long m, now;
    if (!p)
        return r1_err(err, "the reply is not what r1top asked for (does the login shell print "
                           "text, or is the remote shell not POSIX sh?)");
    p += 11;
    if (!read_uint(&p, end, &m) || !read_space(&p, end) || !read_uint(&p, end, &now) || p >= end ||
        *p != '\n')
        return r1_err(err, "the reply's header is malformed");
    p++;
    *body = p;
    *body_len = (size_t)(end - p);
    *mtime = local_time(m, now, local_now);
    return *body_len > max_bytes ? 1 : 0;
}

static void dir_add(struct dirread_result *out, size_t *cap, const char *name, size_t nlen)
{
    if (out->n_files == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        out->files = xrealloc(out->files, *cap * sizeof(*out->files));
    }
    struct r1_file *f = &out->files[out->n_files++];
    memset(f, 0, sizeof(*f));
    if (nlen >= sizeof(f->name))
        nlen = sizeof(f->name) - 1;
    memcpy(f->name, name, nlen);
    f->name[nlen] = '\0';
}

/* The same sentences dirread.c and r1_read_file write for a local folder, with the name
 * sanitised (the host names its files). */
static void dir_error(struct r1_file *f, const char *why, size_t wlen)
{
    char budget[24], name[sizeof(f->name)];
    r1_sanitize(name, sizeof(name), f->name);
    if (wlen == 6 && memcmp(why, "notreg", 6) == 0) {
        snprintf(f->error, sizeof(f->error), "%.200s is not a regular file", name);
    } else if (wlen == 3 && memcmp(why, "big", 3) == 0) {
        snprintf(f->error, sizeof(f->error), "%.200s is larger than %d bytes; not reading it", name,
                 DIRREAD_MAX_FILE_BYTES);
    } else if (wlen == 6 && memcmp(why, "budget", 6) == 0) {
        r1_fmt_bytes(budget, sizeof(budget), (double)DIRREAD_MAX_PASS_BYTES);
        snprintf(f->error, sizeof(f->error),
                 "%.120s: not read this pass (the folder's %s budget was spent on the files "
                 "before it)",
                 name, budget);
    } else {
        snprintf(f->error, sizeof(f->error), "cannot read %.200s: permission denied", name);
    }
}

static bool json_name(const char *name, size_t nlen)
{
    return nlen >= 6 && nlen < sizeof(((struct r1_file *)0)->name) && name[0] != '.' &&
           memcmp(name + nlen - 5, ".json", 5) == 0 && !memchr(name, '\0', nlen);
}

/* One entry line at p (after its tag); advances p past it and its body. */
static int dir_entry(const char **pp, const char *end, bool body, unsigned long long now,
                     double local_now, struct dirread_result *out, size_t *cap, char *err)
{
    const char *p = *pp, *why = p;
    unsigned long long size = 0, m = 0;
    if (body) {
        if (!read_uint(&p, end, &size) || !read_space(&p, end) || !read_uint(&p, end, &m) ||
            !read_space(&p, end))
            return r1_err(err, "a file header of the folder listing is malformed");
    } else {
        while (p < end && *p != ' ' && *p != '\n')
            p++;
        if (!read_space(&p, end))
            return r1_err(err, "a file header of the folder listing is malformed");
    }
    size_t wlen = (size_t)(p - 1 - why);
    const char *name = p, *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
        return r1_err(err, "the folder listing was cut short");
    size_t nlen = (size_t)(nl - name);
    p = nl + 1;
    if (!json_name(name, nlen) || out->n_files >= DIRREAD_MAX_FILES)
        return r1_err(err, "the folder listing names a file that is not *.json, or too many");
    dir_add(out, cap, name, nlen);
    struct r1_file *f = &out->files[out->n_files - 1];
    if (!body) {
        dir_error(f, why, wlen);
        *pp = p;
        return 0;
    }
    if (size > DIRREAD_MAX_FILE_BYTES || (unsigned long long)(end - p) < size)
        return r1_err(err, "the folder listing was cut short in %.120s", f->name);
    f->body = xmalloc((size_t)size + 1);
    memcpy(f->body, p, (size_t)size);
    f->body[size] = '\0';
    f->len = (size_t)size;
    f->mtime = local_time(m, now, local_now);
    out->n_read++;
    *pp = p + size;
    return 0;
}

static int cmp_file_names(const void *a, const void *b)
{
    return strcmp(((const struct r1_file *)a)->name, ((const struct r1_file *)b)->name);
}

int transport_ssh_parse_dir(const char *buf, size_t len, double local_now,
                            struct dirread_result *out, char *err)
{
    memset(out, 0, sizeof(*out));
    const char *p = transport_ssh_find_tag(buf, len, "r1top-dir "), *end = buf + len;
    unsigned long long now, total;
    size_t cap = 0;
    if (!p)
        return r1_err(err, "the reply is not what r1top asked for (does the login shell print "
                           "text, or is the remote shell not POSIX sh?)");
    p += 10;
    if (!read_uint(&p, end, &now) || p >= end || *p++ != '\n')
        return r1_err(err, "the folder listing's header is malformed");
    for (;;) {
        int rc = 0;
        if ((size_t)(end - p) >= 8 && memcmp(p, "r1top-f ", 8) == 0) {
            p += 8;
            rc = dir_entry(&p, end, true, now, local_now, out, &cap, err);
        } else if ((size_t)(end - p) >= 8 && memcmp(p, "r1top-e ", 8) == 0) {
            p += 8;
            rc = dir_entry(&p, end, false, now, local_now, out, &cap, err);
        } else if ((size_t)(end - p) >= 10 && memcmp(p, "r1top-end ", 10) == 0) {
            p += 10;
            if (!read_uint(&p, end, &total) || p >= end || *p != '\n' || total < out->n_files)
                break;
            out->n_total = (size_t)total;
            if (!out->files)
                out->files = xcalloc(1, sizeof(*out->files));
            /* the remote glob sorts in the C locale already; a shell that does not still
             * gives the list in dirread's order */
            qsort(out->files, out->n_files, sizeof(*out->files), cmp_file_names);
            return 0;
        } else {
            break;
        }
        if (rc < 0) {
            dirread_free(out);
            sanitize_err(err); /* it may name a file */
            return -1;
        }
    }
    dirread_free(out);
    return r1_err(err, "the folder listing was cut short or malformed");
}

/* ---- the transport ------------------------------------------------------------------------ */

struct ssh_host {
    struct ssh_target t; /* user, host, port (the op fields unused) */
    bool connected;      /* a request got through: the shared connection is up */
    bool connecting;     /* a request is making the first connection */
};

struct ssh_call {
    size_t host; /* index into hosts */
    struct ssh_target t;
    char *cmd;          /* the remote command line, owned */
    pid_t pid;          /* 0 = waiting for the host's first connection */
    int out_fd, err_fd; /* -1 once at end of file */
    struct r1_sbuf out, errs;
    size_t max_out;
    size_t max_bytes; /* FILE: the caller's cap */
    bool too_big, timed_out, reaped;
    int wstatus;
    double deadline; /* monotonic */
    long timeout_ms;
    void *owner;
    bool done; /* finished, result in e (on failure) */
    struct r1_error e;
};

struct ssh_transport {
    char dir[SSH_DIR_MAX + 32]; /* the control sockets' folder */
    char *config_file, *known_hosts;
    struct ssh_host *hosts;
    size_t n_hosts;
    struct ssh_call **calls;
    size_t n_calls, cap_calls;
};

/* $XDG_RUNTIME_DIR/r1top/ssh-XXXXXX (the session's private, tmpfs, cleaned at logout), or a
 * fresh 0700 folder in $TMPDIR or /tmp; short enough for a unix socket path. */
static int make_dir(char *dst, size_t n, char *err)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    char base[SSH_DIR_MAX + 16];
    struct stat st;
    if (xdg && xdg[0] == '/' && strlen(xdg) + 18 <= SSH_DIR_MAX) {
        snprintf(base, sizeof(base), "%s/r1top", xdg);
        (void)mkdir(base, 0700);
        /* only a folder of ours that nobody else may enter */
        if (lstat(base, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid() &&
            (st.st_mode & 077) == 0) {
            snprintf(dst, n, "%s/ssh-XXXXXX", base);
            if (mkdtemp(dst))
                return 0;
        }
    }
    const char *tmp = getenv("TMPDIR");
    if (!tmp || tmp[0] != '/' || strlen(tmp) + 18 > SSH_DIR_MAX)
        tmp = "/tmp";
    snprintf(dst, n, "%s/r1top-ssh-XXXXXX", tmp);
    if (mkdtemp(dst)) /* mode 0700 */
        return 0;
    return r1_err(err, "ssh: cannot make a private folder for the connections in %s: %s", tmp,
                  strerror(errno));
}

struct ssh_transport *transport_ssh_new(const struct ssh_options *o, char *err)
{
    struct ssh_transport *t = xcalloc(1, sizeof(*t));
    if (make_dir(t->dir, sizeof(t->dir), err) < 0) {
        free(t);
        return NULL;
    }
    if (o && o->config_file && o->config_file[0])
        t->config_file = xstrdup(o->config_file);
    if (o && o->known_hosts_file && o->known_hosts_file[0])
        t->known_hosts = xstrdup(o->known_hosts_file);
    return t;
}

static size_t host_index(struct ssh_transport *t, const struct ssh_target *tg)
{
    for (size_t i = 0; i < t->n_hosts; i++) {
        const struct ssh_target *h = &t->hosts[i].t;
        if (h->port == tg->port && h->local == tg->local && strcmp(h->host, tg->host) == 0 &&
            strcmp(h->user, tg->user) == 0)
            return i;
    }
    t->hosts = xrealloc(t->hosts, (t->n_hosts + 1) * sizeof(*t->hosts));
    struct ssh_host *h = &t->hosts[t->n_hosts];
    memset(h, 0, sizeof(*h));
    r1_strlcpy(h->t.user, tg->user, sizeof(h->t.user));
    r1_strlcpy(h->t.host, tg->host, sizeof(h->t.host));
    h->t.port = tg->port;
    h->t.local = tg->local;
    return t->n_hosts++;
}

/* "host" or "host:port", as the messages name it */
static void host_label(const struct ssh_target *tg, char *dst, size_t n)
{
    if (tg->port)
        snprintf(dst, n, "%.100s:%d", tg->host, tg->port);
    else
        snprintf(dst, n, "%.100s", tg->host);
}

struct argv_b {
    char *v[48];
    int n;
    char store[2048];
    size_t used;
};

static void arg(struct argv_b *a, const char *s)
{
    size_t l = strlen(s) + 1;
    if (a->n >= (int)R1_ARRAY_LEN(a->v) - 1 || a->used + l > sizeof(a->store))
        return; /* cannot happen with the options below; the caller checks v[n-1] */
    memcpy(a->store + a->used, s, l);
    a->v[a->n++] = a->store + a->used;
    a->used += l;
    a->v[a->n] = NULL;
}

static void opt(struct argv_b *a, const char *key, const char *val)
{
    char buf[R1_URL_MAX * 2 + 64];
    snprintf(buf, sizeof(buf), "%s=%s", key, val);
    arg(a, "-o");
    arg(a, buf);
}

/* ssh's -o values are split at spaces unless quoted; a '%' would be expanded. */
static void quote_opt_path(char *dst, size_t n, const char *path, bool percent)
{
    size_t k = 0;
    bool q = strchr(path, ' ') != NULL;
    if (q && k + 1 < n)
        dst[k++] = '"';
    for (const char *s = path; *s && k + 3 < n; s++) {
        if (percent && *s == '%')
            dst[k++] = '%';
        dst[k++] = *s;
    }
    if (q && k + 1 < n)
        dst[k++] = '"';
    dst[k] = '\0';
}

/* The options every ssh run gets, then the destination. `control_op` "exit" makes it
 * `ssh -O exit` (closing a host's shared connection) instead of a request. */
static void ssh_argv(const struct ssh_transport *t, const struct ssh_target *tg, long timeout_ms,
                     const char *control_op, struct argv_b *a)
{
    char v[R1_URL_MAX + 64];
    memset(a, 0, sizeof(*a));
    arg(a, "ssh");
    if (t->config_file) {
        arg(a, "-F");
        arg(a, t->config_file);
    }
    char cp[SSH_DIR_MAX * 2 + 16];
    quote_opt_path(cp, sizeof(cp) - 4, t->dir, true);
    r1_strlcpy(cp + strlen(cp), "/%C", 4);
    opt(a, "ControlPath", cp);
    if (control_op) {
        arg(a, "-O");
        arg(a, control_op);
    } else {
        /* never a prompt (no terminal is there to answer it), never trust a key on first use */
        opt(a, "BatchMode", "yes");
        opt(a, "StrictHostKeyChecking", "yes");
        opt(a, "ControlMaster", "auto");
        snprintf(v, sizeof(v), "%d", SSH_PERSIST_S);
        opt(a, "ControlPersist", v);
        snprintf(v, sizeof(v), "%ld", timeout_ms > 1000 ? (timeout_ms + 999) / 1000 : 1);
        opt(a, "ConnectTimeout", v);
        snprintf(v, sizeof(v), "%d", SSH_ALIVE_S);
        opt(a, "ServerAliveInterval", v);
        opt(a, "ServerAliveCountMax", "2");
        if (t->known_hosts) {
            quote_opt_path(v, sizeof(v), t->known_hosts, false);
            opt(a, "UserKnownHostsFile", v);
        }
        /* The operator's forwardings and local commands are for their own sessions: on
         * r1top's connection a forwarding would fight theirs for its port. */
        opt(a, "ClearAllForwardings", "yes");
        opt(a, "ForwardAgent", "no");
        opt(a, "ForwardX11", "no");
        opt(a, "PermitLocalCommand", "no");
        opt(a, "RequestTTY", "no");
        /* no banners or warnings in the error text; refusals are errors and still said */
        opt(a, "LogLevel", "ERROR");
    }
    if (tg->port) {
        snprintf(v, sizeof(v), "%d", tg->port);
        arg(a, "-p");
        arg(a, v);
    }
    if (tg->user[0]) {
        arg(a, "-l");
        arg(a, tg->user);
    }
    arg(a, "--"); /* the host is never an option, whatever it is */
    arg(a, tg->host);
}

/* Spawn ssh with stdin on /dev/null, stdout and stderr on out_fd/err_fd (or /dev/null when
 * NULL), in a session of its own: no terminal to prompt on, no terminal signals. */
static pid_t spawn(char *const *argv, int *out_fd, int *err_fd, char *err)
{
    int po[2] = {-1, -1}, pe[2] = {-1, -1};
    if (out_fd && (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0)) {
        int e = errno;
        for (int i = 0; i < 2; i++) {
            if (po[i] >= 0)
                close(po[i]);
            if (pe[i] >= 0)
                close(pe[i]);
        }
        r1_err(err, "ssh: cannot make a pipe: %s", strerror(e));
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (out_fd) {
        posix_spawn_file_actions_adddup2(&fa, po[1], 1);
        posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    } else {
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    }
    sigset_t none, dfl;
    sigemptyset(&none);
    sigemptyset(&dfl);
    /* r1top ignores SIGPIPE; ssh must not inherit that */
    const int sigs[] = {SIGPIPE, SIGINT,  SIGTERM, SIGHUP,  SIGQUIT, SIGCHLD, SIGWINCH,
                        SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2, SIGALRM};
    for (size_t i = 0; i < R1_ARRAY_LEN(sigs); i++)
        sigaddset(&dfl, sigs[i]);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &dfl);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
#ifdef POSIX_SPAWN_SETSID
    flags |= POSIX_SPAWN_SETSID;
#else
    flags |= POSIX_SPAWN_SETPGROUP;
#endif
    posix_spawnattr_setflags(&at, flags);
    pid_t pid = -1;
    int rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (out_fd) {
        close(po[1]);
        close(pe[1]);
    }
    if (rc != 0) {
        if (out_fd) {
            close(po[0]);
            close(pe[0]);
        }
        r1_err(err, "cannot run ssh: %s%s", strerror(rc),
               rc == ENOENT ? " (install the OpenSSH client)" : "");
        return -1;
    }
    if (out_fd) {
        fcntl(po[0], F_SETFL, fcntl(po[0], F_GETFL) | O_NONBLOCK);
        fcntl(pe[0], F_SETFL, fcntl(pe[0], F_GETFL) | O_NONBLOCK);
        *out_fd = po[0];
        *err_fd = pe[0];
    }
    return pid;
}

static int call_spawn(struct ssh_transport *t, struct ssh_call *c, char *err)
{
    struct argv_b a;
    if (c->t.local) {
        /* the same command line the remote login shell would be given, to this host's sh */
        memset(&a, 0, sizeof(a));
        arg(&a, "sh");
        arg(&a, "-c");
    } else {
        ssh_argv(t, &c->t, c->timeout_ms, NULL, &a);
    }
    arg(&a, c->cmd);
    if (a.n < 3 || strcmp(a.v[a.n - 1], c->cmd) != 0)
        return r1_err(err, "ssh: the command line is too long");
    pid_t pid = spawn(a.v, &c->out_fd, &c->err_fd, err);
    if (pid < 0)
        return -1;
    c->pid = pid;
    return 0;
}

struct ssh_call *transport_ssh_start(struct ssh_transport *t, const char *url, size_t max_bytes,
                                     long timeout_ms, double now_mono, void *owner, char *err)
{
    struct ssh_target tg;
    if (transport_ssh_parse_url(url, &tg, err) < 0)
        return NULL;
    struct ssh_call *c = xcalloc(1, sizeof(*c));
    c->t = tg;
    c->host = host_index(t, &tg);
    c->out_fd = c->err_fd = -1;
    c->max_bytes = max_bytes;
    c->max_out = tg.op == SSH_OP_DIR ? SSH_DIR_MAX_OUT : max_bytes + 4096;
    c->timeout_ms = timeout_ms;
    c->deadline = now_mono + (double)timeout_ms / 1000.0 + SSH_GRACE_S;
    c->owner = owner;
    c->cmd = remote_command(&tg, max_bytes);
    struct ssh_host *h = &t->hosts[c->host];
    if (tg.local)
        h->connected = true; /* no connection to make first */
    if (h->connected || !h->connecting) {
        if (call_spawn(t, c, err) < 0) {
            free(c->cmd);
            free(c);
            return NULL;
        }
        h->connecting = !h->connected;
    }
    if (t->n_calls == t->cap_calls) {
        t->cap_calls = t->cap_calls ? t->cap_calls * 2 : 16;
        t->calls = xrealloc(t->calls, t->cap_calls * sizeof(*t->calls));
    }
    t->calls[t->n_calls++] = c;
    return c;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* Kill and reap a child that has not ended (timed out, cancelled, too chatty). Only ssh itself:
 * a ProxyJump helper in its process group may be carrying the shared connection by now. */
static void call_kill(struct ssh_call *c)
{
    if (c->pid > 0 && !c->reaped) {
        kill(c->pid, SIGKILL);
        while (waitpid(c->pid, &c->wstatus, 0) < 0 && errno == EINTR)
            ;
        c->reaped = true;
    }
    close_fd(&c->out_fd);
    close_fd(&c->err_fd);
}

static void call_free(struct ssh_call *c)
{
    free(c->cmd);
    free(c->out.data);
    free(c->errs.data);
    free(c);
}

static void call_remove(struct ssh_transport *t, struct ssh_call *c)
{
    for (size_t i = 0; i < t->n_calls; i++)
        if (t->calls[i] == c) {
            t->calls[i] = t->calls[--t->n_calls];
            return;
        }
}

void transport_ssh_cancel(struct ssh_transport *t, struct ssh_call *c)
{
    if (!t || !c)
        return;
    call_kill(c);
    if (c->pid > 0 && !t->hosts[c->host].connected)
        t->hosts[c->host].connecting = false;
    call_remove(t, c);
    call_free(c);
}

int transport_ssh_fds(const struct ssh_transport *t, int *fds, int max)
{
    int n = 0;
    for (size_t i = 0; t && i < t->n_calls; i++) {
        const struct ssh_call *c = t->calls[i];
        if (c->out_fd >= 0 && n < max)
            fds[n++] = c->out_fd;
        if (c->err_fd >= 0 && n < max)
            fds[n++] = c->err_fd;
    }
    return n;
}

int transport_ssh_wait_ms(const struct ssh_transport *t, double now_mono, int timeout_ms)
{
    for (size_t i = 0; t && i < t->n_calls; i++) {
        const struct ssh_call *c = t->calls[i];
        int ms = (int)((c->deadline - now_mono) * 1000.0) + 1;
        /* pipes closed: the child is exiting and nothing will wake the wait for it */
        if (c->pid > 0 && c->out_fd < 0 && c->err_fd < 0)
            ms = 5;
        if (ms < 0)
            ms = 0;
        if (ms < timeout_ms || timeout_ms < 0)
            timeout_ms = ms;
    }
    return timeout_ms;
}

int transport_ssh_running(const struct ssh_transport *t)
{
    return t ? (int)t->n_calls : 0;
}

/* Read what is there without blocking; at end of file the fd is closed (and set to -1). */
static void drain(struct ssh_call *c, int *fd, struct r1_sbuf *b, size_t max)
{
    char chunk[16384];
    while (*fd >= 0) {
        ssize_t r = read(*fd, chunk, sizeof(chunk));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (r <= 0) {
            close_fd(fd);
            return;
        }
        size_t n = (size_t)r;
        if (b->len + n > max) {
            if (b == &c->errs) {
                n = max > b->len ? max - b->len : 0; /* the start says what went wrong */
            } else {
                c->too_big = true; /* a host sending more than asked for: stop it */
                call_kill(c);
                return;
            }
        }
        if (n)
            r1_sb_add(b, chunk, n);
    }
}

void transport_ssh_last_line(const char *text, char *dst, size_t n)
{
    dst[0] = '\0';
    if (!text)
        return;
    char tmp[512];
    const char *s = text, *best = NULL;
    size_t best_len = 0;
    while (*s) {
        size_t l = strcspn(s, "\r\n");
        if (l > 0) {
            best = s;
            best_len = l;
        }
        s += l;
        s += strspn(s, "\r\n");
    }
    if (best) {
        snprintf(tmp, sizeof(tmp), "%.*s", (int)(best_len > 400 ? 400 : best_len), best);
        r1_sanitize(dst, n, tmp);
    }
}

static bool err_has(const struct ssh_call *c, const char *s)
{
    return c->errs.data && strstr(c->errs.data, s);
}

/* Exit 255 is ssh's own failure (docs: ssh exits with the remote command's status, or 255 if
 * an error occurred). Its text is the only account of why, so it is read here, once, into a
 * kind; past this point the error is data. */
static void classify_ssh_failure(const struct ssh_call *c, struct r1_error *e)
{
    char host[128], line[200];
    host_label(&c->t, host, sizeof(host));
    transport_ssh_last_line(c->errs.data, line, sizeof(line));
    if (err_has(c, "REMOTE HOST IDENTIFICATION HAS CHANGED") ||
        err_has(c, "has changed and you have requested strict checking")) {
        e->kind = R1_EK_REFUSED;
        snprintf(e->reason, sizeof(e->reason),
                 "the SSH host key of %.40s has CHANGED since known_hosts recorded it: refused "
                 "(check the new key, then update known_hosts)",
                 host);
    } else if (err_has(c, "Host key verification failed") || err_has(c, "host key is known for")) {
        e->kind = R1_EK_REFUSED;
        snprintf(e->reason, sizeof(e->reason),
                 "the SSH host key of %.40s is not in known_hosts: refused (ssh to it once to "
                 "check and record it)",
                 host);
    } else if (err_has(c, "Permission denied")) {
        /* "user@host: Permission denied (publickey,password)." */
        const char *m = strstr(c->errs.data, "Permission denied (");
        int mlen = m ? (int)strcspn(m + 19, ")\r\n") : 0;
        e->kind = R1_EK_PERMISSION;
        snprintf(e->reason, sizeof(e->reason),
                 "SSH login to %.40s refused (%.*s); is your key in the agent or the ssh config?",
                 host, mlen > 30 ? 30 : mlen, m ? m + 19 : "");
    } else if (err_has(c, "timed out")) {
        e->kind = R1_EK_TIMEOUT;
        snprintf(e->reason, sizeof(e->reason), "SSH to %.60s: %.90s", host, line);
    } else {
        e->kind = R1_EK_TRANSPORT;
        snprintf(e->reason, sizeof(e->reason), "SSH to %.60s: %.90s", host,
                 line[0] ? line : "ssh failed with no message");
    }
}

/* An action's command: its failure is the action's outcome (result_of hands over its exit
 * status and stderr), not the transport's. */
static bool is_action(enum ssh_op op)
{
    return op == SSH_OP_DOCKER_ACT || op == SSH_OP_UNIT_ACT || op == SSH_OP_DOCKER_EXEC ||
           op == SSH_OP_DOCKER_LOGS;
}

/* The request's outcome once its child is reaped (or it never ran): c->e, and for the host
 * whether its connection is up. */
static void call_outcome(struct ssh_transport *t, struct ssh_call *c)
{
    struct ssh_host *h = &t->hosts[c->host];
    char host[128], line[200];
    host_label(&c->t, host, sizeof(host));
    memset(&c->e, 0, sizeof(c->e));
    c->done = true;
    bool ssh_failed = false;
    if (c->too_big) {
        c->e.kind = R1_EK_TOO_BIG;
        snprintf(c->e.reason, sizeof(c->e.reason), "%.60s sent more than asked (over %zu KiB)",
                 host, c->max_out / 1024);
    } else if (c->timed_out) {
        c->e.kind = R1_EK_TIMEOUT;
        snprintf(c->e.reason, sizeof(c->e.reason), "no answer from %.60s within %.0f s", host,
                 (double)c->timeout_ms / 1000.0);
        ssh_failed = !h->connected;
    } else if (!c->t.local && WIFEXITED(c->wstatus) && WEXITSTATUS(c->wstatus) == 255) {
        classify_ssh_failure(c, &c->e);
        ssh_failed = true;
    } else if (!WIFEXITED(c->wstatus)) {
        c->e.kind = R1_EK_TRANSPORT;
        snprintf(c->e.reason, sizeof(c->e.reason), "%s to %.60s ended by signal %d",
                 c->t.local ? "the command" : "ssh", host,
                 WIFSIGNALED(c->wstatus) ? WTERMSIG(c->wstatus) : 0);
        ssh_failed = true;
    } else if (WEXITSTATUS(c->wstatus) != 0 && !is_action(c->t.op)) {
        /* the remote command failed: what it said, sanitised */
        transport_ssh_last_line(c->errs.data, line, sizeof(line));
        c->e.kind = R1_EK_FILE;
        snprintf(c->e.reason, sizeof(c->e.reason), "on %.50s: %.100s", host,
                 line[0] ? line : "the remote command failed with no message");
    }
    /* a request that waited and never ran says nothing of the host, nor does a local one */
    if (c->pid > 0 && !c->t.local) {
        h->connected = !ssh_failed;
        h->connecting = false;
    }
}

/* A host's first request failed at the connection: the requests waiting for it fail with
 * the same error now, rather than each trying a dead host in turn. */
static void fail_waiting(struct ssh_transport *t, const struct ssh_call *first)
{
    for (size_t i = 0; i < t->n_calls; i++) {
        struct ssh_call *c = t->calls[i];
        if (c->host == first->host && c->pid == 0 && !c->done) {
            c->e = first->e;
            c->done = true;
        }
    }
}

static void start_waiting(struct ssh_transport *t, double now_mono)
{
    for (size_t i = 0; i < t->n_calls; i++) {
        struct ssh_call *c = t->calls[i];
        struct ssh_host *h = &t->hosts[c->host];
        if (c->pid != 0 || c->done || (!h->connected && h->connecting))
            continue;
        char err[R1_ERR_MAX];
        if (now_mono >= c->deadline) {
            c->timed_out = true;
            call_outcome(t, c);
        } else if (call_spawn(t, c, err) < 0) {
            c->done = true;
            c->e.kind = R1_EK_CONFIG;
            r1_sanitize(c->e.reason, sizeof(c->e.reason), err);
        } else {
            h->connecting = !h->connected;
        }
    }
}

static void result_of(const struct ssh_call *c, double now_wall, struct ssh_result *r,
                      struct dirread_result *dir)
{
    memset(r, 0, sizeof(*r));
    r->op = c->t.op;
    r->err = c->e;
    r->exit_status = WIFEXITED(c->wstatus) ? WEXITSTATUS(c->wstatus) : -1;
    r->errs = c->errs.data ? c->errs.data : "";
    if (c->e.kind != R1_EK_NONE)
        return;
    const char *buf = c->out.data ? c->out.data : "";
    char err[R1_ERR_MAX], host[128];
    host_label(&c->t, host, sizeof(host));
    int rc = 0;
    switch (c->t.op) {
    case SSH_OP_FILE:
        rc = transport_ssh_parse_file(buf, c->out.len, c->max_bytes, now_wall, &r->body, &r->len,
                                      &r->mtime, err);
        if (rc == 1) {
            r->err.kind = R1_EK_TOO_BIG;
            snprintf(r->err.reason, sizeof(r->err.reason), "reply too large (over %zu KiB)",
                     c->max_bytes / 1024);
            return;
        }
        break;
    case SSH_OP_DIR:
        rc = transport_ssh_parse_dir(buf, c->out.len, now_wall, dir, err);
        r->dir = dir;
        break;
    case SSH_OP_DOCKER:
    case SSH_OP_GPU:
    case SSH_OP_DOCKER_ACT:
    case SSH_OP_UNIT_ACT:
    case SSH_OP_UNIT:
    case SSH_OP_DOCKER_EXEC:
    case SSH_OP_DOCKER_LOGS:
        r->body = buf;
        r->len = c->out.len;
        break;
    }
    if (rc < 0) {
        r->err.kind = R1_EK_PARSE;
        char why[R1_ERR_MAX];
        snprintf(why, sizeof(why), "from %.60s: %.150s", host, err);
        r1_sanitize(r->err.reason, sizeof(r->err.reason), why);
        r->dir = NULL;
    }
}

int transport_ssh_service(struct ssh_transport *t, double now_mono, double now_wall,
                          ssh_done_fn done, void *ctx)
{
    if (!t)
        return 0;
    for (size_t i = 0; i < t->n_calls; i++) {
        struct ssh_call *c = t->calls[i];
        if (c->done || c->pid == 0)
            continue;
        drain(c, &c->out_fd, &c->out, c->max_out);
        drain(c, &c->err_fd, &c->errs, SSH_STDERR_MAX);
        if (!c->reaped && c->out_fd < 0 && c->err_fd < 0 &&
            waitpid(c->pid, &c->wstatus, WNOHANG) == c->pid)
            c->reaped = true;
        if (!c->reaped && now_mono >= c->deadline) {
            c->timed_out = true;
            call_kill(c);
        }
        if (!c->reaped)
            continue;
        close_fd(&c->out_fd);
        close_fd(&c->err_fd);
        call_outcome(t, c);
        if (!t->hosts[c->host].connected)
            fail_waiting(t, c);
    }
    start_waiting(t, now_mono);
    /* Hand the finished ones over, each removed first: a callback may cancel or start others. */
    int n = 0;
    for (size_t i = 0; i < t->n_calls;) {
        struct ssh_call *c = t->calls[i];
        if (!c->done) {
            i++;
            continue;
        }
        t->calls[i] = t->calls[--t->n_calls];
        struct ssh_result r;
        struct dirread_result dir;
        memset(&dir, 0, sizeof(dir));
        result_of(c, now_wall, &r, &dir);
        if (done)
            done(ctx, c->owner, &r);
        dirread_free(&dir);
        call_free(c);
        n++;
    }
    return n;
}

/* ssh -O exit to every host used, in parallel, waited for a bounded time: the masters are
 * daemons (ControlPersist), not our children, and would otherwise outlive r1top by a minute. */
static void close_masters(struct ssh_transport *t)
{
    pid_t *pids = xcalloc(t->n_hosts + 1, sizeof(*pids));
    for (size_t i = 0; i < t->n_hosts; i++) {
        struct argv_b a;
        char err[R1_ERR_MAX];
        if (t->hosts[i].t.local)
            continue; /* no connection: pids[i] stays 0 */
        ssh_argv(t, &t->hosts[i].t, 1000, "exit", &a);
        pids[i] = spawn(a.v, NULL, NULL, err);
    }
    double end = r1_mono() + SSH_EXIT_WAIT_S;
    for (size_t i = 0; i < t->n_hosts; i++) {
        int st;
        while (pids[i] > 0 && waitpid(pids[i], &st, WNOHANG) == 0) {
            if (r1_mono() >= end) {
                kill(pids[i], SIGKILL);
                waitpid(pids[i], &st, 0);
                break;
            }
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    free(pids);
}

/* A master that did not take its -O exit (seen under load, as a race in ssh itself) would
 * outlive r1top by SSH_PERSIST_S. Ours are known by their title, "ssh: <our dir>/<%C> [mux]",
 * the folder being private and randomly named: they are ended directly. Linux /proc. */
static void end_stray_masters(const char *dir)
{
    char want[SSH_DIR_MAX + 16];
    int wl = snprintf(want, sizeof(want), "ssh: %s/", dir);
    DIR *d = opendir("/proc");
    struct dirent *de;
    while (d && wl > 0 && (de = readdir(d))) {
        if (strspn(de->d_name, "0123456789") != strlen(de->d_name))
            continue;
        char path[300], cmd[SSH_DIR_MAX + 128];
        snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, cmd, sizeof(cmd) - 1);
        close(fd);
        if (n <= 0)
            continue;
        cmd[n] = '\0';
        if (strncmp(cmd, want, (size_t)wl) == 0 && strstr(cmd, "[mux]"))
            kill((pid_t)atol(de->d_name), SIGTERM);
    }
    if (d)
        closedir(d);
}

/* The folder should be empty once the masters are gone; a socket a killed master left is
 * removed too, and only such: its name is %C, a 40-hex-digit hash. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        char path[SSH_DIR_MAX + 300];
        if (strlen(de->d_name) != 40 || strspn(de->d_name, "0123456789abcdef") != 40)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        (void)unlink(path);
    }
    if (d)
        closedir(d);
    (void)rmdir(dir);
}

void transport_ssh_free(struct ssh_transport *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_calls; i++) {
        call_kill(t->calls[i]);
        call_free(t->calls[i]);
    }
    free(t->calls);
    close_masters(t);
    end_stray_masters(t->dir);
    remove_dir(t->dir);
    free(t->hosts);
    free(t->config_file);
    free(t->known_hosts);
    free(t);
}
