/* hostpath: the container actions' paths (hostpath.h). The command paths run through
 * transport_ssh's command URLs (local:// for this host), whose snippets quote every word;
 * the names in them are checked here first as well, so a bad name is the action's error
 * rather than the transport's. */
#include "hostpath.h"

#include <stdio.h>
#include <string.h>

#include "actions.h"
#include "model.h"
#include "sources/docker.h"
#include "sources/source.h"
#include "transport_ssh.h"
#include "util.h"

enum r1_host_path hostpath_of(const struct r1_node *n)
{
    bool remote = transport_ssh_is_url(n->status_dir_url);
    if (n->service[0])
        return remote ? R1_HP_UNIT_SSH : R1_HP_UNIT_LOCAL;
    if (!n->container[0])
        return R1_HP_NONE;
    /* an ssh:// node's socket is its host's: a restart sent to the one here would restart
     * another container */
    if (remote)
        return R1_HP_DOCKER_SSH;
    return n->docker_socket[0] ? R1_HP_DOCKER_API : R1_HP_NONE;
}

static const char docker_api[] = "docker API", docker_cli_ssh[] = "docker CLI over ssh";

bool hostpath_cli_ssh(const struct r1_node *n)
{
    return transport_ssh_is_url(n->status_dir_url) && n->container[0];
}

void hostpath_exec_name(const struct r1_node *n, char *dst, size_t size)
{
    r1_strlcpy(dst, hostpath_cli_ssh(n) ? docker_cli_ssh : docker_api, size);
}

void hostpath_name(const struct r1_node *n, char *dst, size_t size)
{
    switch (hostpath_of(n)) {
    case R1_HP_DOCKER_API:
        r1_strlcpy(dst, docker_api, size);
        break;
    case R1_HP_DOCKER_SSH:
        r1_strlcpy(dst, docker_cli_ssh, size);
        break;
    case R1_HP_UNIT_LOCAL:
        snprintf(dst, size, "systemd unit %.40s", n->service);
        break;
    case R1_HP_UNIT_SSH:
        snprintf(dst, size, "systemd unit %.40s over ssh", n->service);
        break;
    case R1_HP_NONE:
        snprintf(dst, size, "-");
        break;
    }
}

void hostpath_note(const struct r1_node *n, const char *verb, char *dst, size_t size)
{
    enum r1_host_path hp = hostpath_of(n);
    const char *where =
        hp == R1_HP_UNIT_SSH || hp == R1_HP_DOCKER_SSH ? "on its host, over ssh" : "on this host";
    dst[0] = '\0';
    if (hp == R1_HP_DOCKER_SSH) {
        snprintf(dst, size, "Path: docker %s %s %s.", verb, n->container, where);
    } else if ((hp == R1_HP_UNIT_LOCAL || hp == R1_HP_UNIT_SSH) && strcmp(verb, "stop") == 0) {
        snprintf(dst, size,
                 "Path: systemctl stop %s %s (the unit, not the container; it stays "
                 "down until started).",
                 n->service, where);
    } else if (hp == R1_HP_UNIT_LOCAL || hp == R1_HP_UNIT_SSH) {
        /* docs/protocol.md §7.4: ExecStartPre stops, removes and pulls */
        snprintf(dst, size,
                 "Path: systemctl %s %s %s: the unit removes the container, pulls "
                 "the image again and runs a new one (a pending update is applied; "
                 "each start counts towards 30 in 30 min, which reboot the host).",
                 verb, n->service, where);
    }
}

int hostpath_prepare(const struct r1_node *n, const char *verb, struct r1_request *req, char *err)
{
    enum r1_host_path hp = hostpath_of(n);
    char q[R1_NAME_MAX + 32];
    int rc = -1;
    req->max_bytes = 64 * 1024;
    if (hp == R1_HP_DOCKER_SSH) {
        if (!r1_container_name_ok(n->container))
            return r1_err(err, "container name '%s' is not a valid Docker name", n->container);
        rc = docker_ssh_url(n, verb, req->url, sizeof(req->url));
    } else if (hp == R1_HP_UNIT_LOCAL || hp == R1_HP_UNIT_SSH) {
        if (!r1_service_name_ok(n->service))
            return r1_err(err, "service name '%s' is not a valid systemd name", n->service);
        snprintf(q, sizeof(q), "systemctl-%s=%s", verb, n->service);
        rc = transport_ssh_host_url(n->status_dir_url, q, req->url, sizeof(req->url));
    } else {
        return r1_err(err, "%s has no command path on this node", verb);
    }
    return rc < 0 ? r1_err(err, "the node's URL is too long for the %s request", verb) : 0;
}

bool hostpath_outcome(const struct r1_node *n, const char *verb, const struct r1_act_reply *r,
                      char *dst, size_t size)
{
    char path[64], said[210];
    enum r1_host_path hp = hostpath_of(n);
    bool unit = hp == R1_HP_UNIT_LOCAL || hp == R1_HP_UNIT_SSH;
    hostpath_name(n, path, sizeof(path));
    if (r->exit_status == 0) {
        snprintf(dst, size, "%s: done (%s)", verb, path);
        return true;
    }
    if (unit && r->exit_status == TRANSPORT_SSH_EXIT_SUDO) {
        /* dst is a node's act.result (R1_REASON_MAX): the advice must fit */
        snprintf(dst, size,
                 "%s failed (%s): sudo needs a password for systemctl; allow it with NOPASSWD "
                 "or log in as root",
                 verb, path);
        return false;
    }
    transport_ssh_last_line(r->errs, said, sizeof(said)); /* why it failed */
    snprintf(dst, size, "%s failed (%s): %s %s exited %d%s%s", verb, path,
             unit ? "systemctl" : "docker", verb, r->exit_status, said[0] ? ": " : "", said);
    return false;
}
