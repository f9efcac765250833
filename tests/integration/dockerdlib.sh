# shellcheck shell=sh
# tests/integration/dockerdlib.sh: a private Docker Engine (Debian's docker.io) for the tests
# that need a real one, and the stand-in node image (tests/data/stand_in_node/) to run on it.
# Source after tests/lib.sh. Everything lives in one short temporary folder (unix socket paths
# must stay under 108 bytes): the data root (vfs storage, so it works inside a container), the
# exec root (containerd's state and sockets), the daemon's socket, config file and log, and
# the CLI's config. No iptables, no bridge: the containers run with --network none. The user's
# own Docker (/var/run/docker.sock, /etc/docker/daemon.json, ~/.docker) is never read or
# touched: every `docker` call goes through dk, which names the private socket.
#   dockerd_require        skip_all unless this can run: root, dockerd, the docker CLI, a
#                          static busybox (checked with $PY), and no system containerd (dockerd 20.10 would put
#                          the test's containers in it rather than start its own)
#   dockerd_start          start the daemon and wait until it answers `docker version`; sets
#                          DD_DIR DD_SOCK DD_PID. On failure: its log in TAP comments, return 1
#   dockerd_stop           containers killed and removed, dockerd TERM (KILL after 15 s), then
#                          anything left that names DD_DIR (containerd, the shims) or is in a
#                          container's cgroup reaped with its descendants, mounts under DD_DIR unmounted and the folder
#                          removed. Idempotent; call it from the test's EXIT trap. Sets
#                          DD_LEFT to what was still running after the daemon ended (empty
#                          when the daemon took everything with it) and DD_REMAINS to what is
#                          still running now (must be empty)
#   dk ARGS...             the docker CLI on the private daemon
#   standin_image          build the stand-in node image (busybox + the scripts), tagged
#                          STANDIN_TAG, with `docker import`: no registry
#   standin_run NAME [ARGS...]
#                          run it detached as container NAME (--network none, ARGS before the
#                          image) and wait for its "Main loop started" log line; the node
#                          carries R1_DD_SRCDIR too, for bootstrap's leftover check
#   dd_wait_exit NAME [S]  wait (S seconds, 20) until NAME is not running; prints its exit code
#   dd_config FILE NODE CONTAINER
#                          write an r1top config of one node, NODE, whose container is
#                          CONTAINER on the private daemon (oracle off, no status files)
: "${DD_DOCKERD:=$(command -v dockerd 2>/dev/null || echo /usr/sbin/dockerd)}"
: "${DD_DOCKER:=$(command -v docker 2>/dev/null || echo /usr/bin/docker)}"
: "${DD_BUSYBOX:=$(command -v busybox 2>/dev/null || echo /bin/busybox)}"
STANDIN_SRC=$R1_SRCDIR/tests/data/stand_in_node
: "${STANDIN_TAG:=r1top-stand-in-node:test}"
DD_DIR=""
DD_PID=""
DD_LEFT=""
DD_REMAINS=""

dockerd_require() {
    [ "$(id -u)" -eq 0 ] || skip_all "a private dockerd needs root (uid $(id -u))"
    [ -x "$DD_DOCKERD" ] || skip_all "dockerd not found (apt install docker.io)"
    [ -x "$DD_DOCKER" ] || skip_all "the docker CLI not found (apt install docker.io)"
    [ -x "$DD_BUSYBOX" ] || skip_all "busybox not found (apt install busybox-static)"
    # the image has no libc: a busybox with an ELF interpreter (PT_INTERP) cannot run in it
    if ! "$PY" -c '
import struct, sys
b = open(sys.argv[1], "rb").read()
assert b[:4] == b"\x7fELF" and b[4] == 2, "not a 64-bit ELF"
phoff, = struct.unpack_from("<Q", b, 0x20)
phentsize, phnum = struct.unpack_from("<HH", b, 0x36)
types = [struct.unpack_from("<I", b, phoff + i * phentsize)[0] for i in range(phnum)]
sys.exit(3 in types)' "$DD_BUSYBOX" 2>/dev/null; then
        skip_all "$DD_BUSYBOX is not a static 64-bit busybox (apt install busybox-static)"
    fi
    if [ -S /run/containerd/containerd.sock ]; then
        skip_all "a system containerd runs (/run/containerd/containerd.sock): dockerd 20.10 would use it"
    fi
}

dk() { "$DD_DOCKER" -H "unix://$DD_SOCK" "$@"; }

# _dd_procs: the PIDs whose command line names DD_DIR (the daemon, containerd, the shims)
_dd_procs() {
    [ -n "$DD_DIR" ] || return 0
    for _p in /proc/[0-9]*; do
        [ "${_p#/proc/}" = "$$" ] && continue
        { tr '\0' ' ' <"$_p/cmdline"; } 2>/dev/null | grep -qF "$DD_DIR/" && echo "${_p#/proc/}"
    done
}
# _dd_list PID...: "PID command line" of each, like pgrep -a
_dd_list() {
    for _p in "$@"; do
        _c=$({ tr '\0' ' ' <"/proc/$_p/cmdline"; } 2>/dev/null) && echo "$_p $_c"
    done
}

dockerd_start() {
    DD_DIR=$(mktemp -d /tmp/r1d.XXXXXX) || return 1
    DD_SOCK=$DD_DIR/sock
    mkdir -p "$DD_DIR/cli"
    echo '{}' >"$DD_DIR/daemon.json"
    # the CLI: no context, host or config of the user's
    DOCKER_CONFIG=$DD_DIR/cli
    export DOCKER_CONFIG
    unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
    # R1_DD_SRCDIR, inherited by containerd and the shims, tells bootstrap's leftover check
    # which checkout they belong to
    R1_DD_SRCDIR=$R1_SRCDIR "$DD_DOCKERD" --config-file "$DD_DIR/daemon.json" --data-root "$DD_DIR/root" \
        --exec-root "$DD_DIR/exec" --pidfile "$DD_DIR/pid" -H "unix://$DD_SOCK" \
        --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs \
        --containerd-namespace r1top-test --containerd-plugins-namespace r1top-test-plugins \
        >"$DD_DIR/dockerd.log" 2>&1 &
    DD_PID=$!
    _i=0
    while [ $_i -lt 300 ]; do
        dk version >/dev/null 2>&1 && return 0
        kill -0 "$DD_PID" 2>/dev/null || break
        sleep 0.1
        _i=$((_i + 1))
    done
    if [ -n "$(_r1_alive "$DD_PID")" ]; then
        diag "dockerd (pid $DD_PID) did not answer within 30 s; its log:"
    else
        wait "$DD_PID"
        diag "dockerd (pid $DD_PID) ended with status $?; its log:"
    fi
    diag "$(tail -n 30 "$DD_DIR/dockerd.log")"
    return 1
}

# _dd_ct_procs ID...: the PIDs in the cgroups of these containers (their processes, even when
# their shim is gone and they were re-parented to init)
_dd_ct_procs() {
    [ $# -gt 0 ] || return 0
    for _p in /proc/[0-9]*; do
        _cg=$(cat "$_p/cgroup" 2>/dev/null) || continue
        for _id in "$@"; do
            case $_cg in *"/$_id"* | *"-$_id.scope"*) echo "${_p#/proc/}"; break ;; esac
        done
    done
}

dockerd_stop() {
    [ -n "$DD_DIR" ] || return 0
    # every container this daemon ever had, while their folders are still there
    _cts=$(ls "$DD_DIR/root/containers" 2>/dev/null)
    if [ -S "$DD_SOCK" ] && dk version >/dev/null 2>&1; then
        _ids=$(dk ps -aq 2>/dev/null)
        # shellcheck disable=SC2086 # a list of ids
        [ -z "$_ids" ] || timeout 30 "$DD_DOCKER" -H "unix://$DD_SOCK" rm -f $_ids >/dev/null 2>&1
    fi
    if [ -n "$DD_PID" ]; then
        kill -TERM "$DD_PID" 2>/dev/null
        _i=0
        while [ $_i -lt 150 ] && [ -n "$(_r1_alive "$DD_PID")" ]; do
            sleep 0.1
            _i=$((_i + 1))
        done
        if [ -n "$(_r1_alive "$DD_PID")" ]; then
            diag "dockerd still running 15 s after SIGTERM, sent SIGKILL"
            kill -KILL "$DD_PID" 2>/dev/null
        fi
        wait "$DD_PID" 2>/dev/null
    fi
    # containerd and the shims end with the daemon; what did not, and the containers' processes
    # below them, are reaped
    # shellcheck disable=SC2046,SC2086 # lists of pids and ids
    _left=$(_r1_alive $(_dd_procs) $(_dd_ct_procs $_cts) | tr '\n' ' ')
    DD_LEFT=""
    if [ -n "$_left" ]; then
        # shellcheck disable=SC2086
        DD_LEFT=$(_dd_list $_left)
        diag "still running after dockerd ended, now reaped:" "$DD_LEFT"
        # shellcheck disable=SC2086
        reap $_left
    fi
    awk -v d="$DD_DIR/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r |
        while read -r _m; do umount "$_m" 2>/dev/null || umount -l "$_m"; done
    # shellcheck disable=SC2046,SC2086
    DD_REMAINS=$(_dd_list $(_r1_alive $(_dd_procs) $(_dd_ct_procs $_cts)))
    [ -z "$DD_REMAINS" ] || diag "still running after the reap:" "$DD_REMAINS"
    rm -rf "$DD_DIR"
    DD_DIR=""
    DD_PID=""
}

standin_image() {
    _r=$DD_DIR/image/rootfs
    rm -rf "$DD_DIR/image"
    mkdir -p "$_r/bin" "$_r/usr/local/bin" "$_r/tmp" "$_r/edge_node/stand_in" \
        "$_r/edge_node/_local_cache/_data"
    chmod 1777 "$_r/tmp"
    cp "$DD_BUSYBOX" "$_r/bin/busybox"
    for _a in $("$DD_BUSYBOX" --list); do
        [ "$_a" = busybox ] || ln -s busybox "$_r/bin/$_a"
    done
    cp "$STANDIN_SRC"/bin/* "$_r/usr/local/bin/"
    chmod 755 "$_r"/usr/local/bin/*
    chmod 644 "$_r/usr/local/bin/standin_lib.sh"
    cp "$STANDIN_SRC/known_addrs" "$_r/edge_node/stand_in/"
    cp "$STANDIN_SRC"/lc/* "$_r/edge_node/_local_cache/"
    tar --numeric-owner --owner=0 --group=0 -C "$_r" -cf "$DD_DIR/image/stand_in_node.tar" . || return 1
    dk import -c 'ENTRYPOINT ["/usr/local/bin/edge_node"]' \
        -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' -c 'WORKDIR /edge_node' \
        "$DD_DIR/image/stand_in_node.tar" "$STANDIN_TAG" >/dev/null
}

standin_run() {
    _name=$1
    shift
    dk run -d --name "$_name" --network none -e "R1_DD_SRCDIR=$R1_SRCDIR" "$@" "$STANDIN_TAG" >/dev/null ||
        return 1
    _i=0
    while [ $_i -lt 100 ]; do
        dk logs "$_name" 2>&1 | grep -q 'Main loop started' && return 0
        sleep 0.1
        _i=$((_i + 1))
    done
    diag "$_name did not start:" "$(dk logs "$_name" 2>&1 | tail -n 20)"
    return 1
}

dd_wait_exit() {
    _i=0
    while [ $_i -lt $((${2:-20} * 10)) ]; do
        [ "$(dk inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = false ] && break
        sleep 0.1
        _i=$((_i + 1))
    done
    dk inspect -f '{{.State.ExitCode}}' "$1"
}

dd_config() {
    cat >"$1" <<EOF
oracle:
  enabled: false
nodes:
  - name: $2
    docker:
      socket: $DD_SOCK
      container: $3
EOF
}
