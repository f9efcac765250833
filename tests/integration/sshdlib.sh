# shellcheck shell=sh
# tests/integration/sshdlib.sh: Debian's sshd for the SSH tests (ssh.sh, ssh_remote.sh,
# hostpath.sh), on 127.0.0.1 with the test's throwaway keys. Source after tests/lib.sh;
# start_sshd needs T (the test's folder, holding host_key and authorized_keys).
#   ssh_client_config ALIAS  $T/ssh_config, as ~/.ssh/config would hold it: Host ALIAS is
#                       this sshd, as this user, with $T/user_key; Host * names a key file that
#                       does not exist (so the default ~/.ssh/id_* of the passwd home are never
#                       offered) and $T/known_hosts
#   sshd_require TOOL...  skip the whole test unless sshd, the TOOLs (ssh-keygen, ...),
#                       /usr/bin/python3 and the r1top binary are there; sets SSHD and makes
#                       sshd's privilege separation folder when root may
#   start_sshd [LINE]   start it on a free port (another process may take the one picked: it
#                       tries again), LINE added to its config; sets PORT and SSHD_PID, the
#                       daemon reaped at exit. Returns 1 when it did not start.
#   sshd_host ALIAS [LINE]  the usual set-up: throwaway host and user keys ($T/host_key,
#                       $T/user_key, the user's key authorized), start_sshd LINE, its host key in
#                       $T/known_hosts and ssh_client_config ALIAS. Returns 1 when any step failed.
#   ssh_nothing_left OUT  no ssh process and no control socket left after a run of r1top whose
#                       XDG_RUNTIME_DIR was $T/run and whose `pgrep -a -f "$T/run/"` is in OUT.left
sshd_require() {
    SSHD=/usr/sbin/sshd
    [ -x "$SSHD" ] || skip_all "$SSHD not found (apt install openssh-server)"
    for _t in "$@"; do
        command -v "$_t" >/dev/null 2>&1 || skip_all "$_t not found (apt install openssh-client procps)"
    done
    [ -x /usr/bin/python3 ] || skip_all "/usr/bin/python3 not found"
    [ -x "$R1TOP" ] || skip_all "r1top binary not found at $R1TOP"
    # sshd refuses to start without its privilege separation folder (Debian's service makes it)
    if [ ! -d /run/sshd ]; then
        [ "$(id -u)" -eq 0 ] || skip_all "sshd needs /run/sshd, which only root can make"
        mkdir -p /run/sshd && chmod 755 /run/sshd
    fi
}

ssh_client_config() {
    cat >"$T/ssh_config" <<EOF
Host $1
    HostName 127.0.0.1
    Port $PORT
    User $(id -un)
    IdentityFile $T/user_key
    IdentitiesOnly yes
Host *
    IdentityFile $T/no_such_key
    UserKnownHostsFile $T/known_hosts
    GlobalKnownHostsFile /dev/null
EOF
}

start_sshd() {
    _try=0
    while [ $_try -lt 5 ]; do
        _try=$((_try + 1))
        PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        cat >"$T/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $PORT
HostKey $T/host_key
AuthorizedKeysFile $T/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
PidFile $T/sshd.pid
${1:-}
EOF
        : >"$T/sshd.log"
        "$SSHD" -D -e -f "$T/sshd_config" 2>"$T/sshd.log" &
        SSHD_PID=$!
        reap_at_exit "$SSHD_PID"
        _i=0
        while [ $_i -lt 50 ]; do
            grep -q "Server listening" "$T/sshd.log" && return 0
            kill -0 "$SSHD_PID" 2>/dev/null || break
            sleep 0.1
            _i=$((_i + 1))
        done
        reap "$SSHD_PID"
        diag "sshd on port $PORT did not start:" "$(cat "$T/sshd.log")"
    done
    return 1
}

sshd_host() {
    ssh-keygen -q -t ed25519 -N '' -C r1top-test-host -f "$T/host_key" || return 1
    ssh-keygen -q -t ed25519 -N '' -C r1top-test-user -f "$T/user_key" || return 1
    cp "$T/user_key.pub" "$T/authorized_keys"
    start_sshd "${2:-}" || return 1
    echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$T/host_key.pub")" >"$T/known_hosts"
    ssh_client_config "$1"
}

ssh_nothing_left() {
    [ ! -s "$1.left" ] && [ -z "$(ls -A "$T/run/r1top" 2>/dev/null)" ] && return 0
    diag "left after the run:" "$(cat "$1.left")" "$(ls -A "$T/run/r1top" 2>/dev/null)"
    return 1
}
