# shellcheck shell=sh
# tests/integration/sshdlib.sh: Debian's sshd for the SSH tests (ssh.sh, ssh_remote.sh), on
# 127.0.0.1 with the test's throwaway keys. Source after tests/lib.sh; needs T (the test's
# folder, holding host_key and authorized_keys) and SSHD (the daemon's path).
#   start_sshd [LINE]   start it on a free port (another process may take the one picked: it
#                       tries again), LINE added to its config; sets PORT and SSHD_PID, the
#                       daemon reaped at exit. Returns 1 when it did not start.
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
