#!/bin/sh
# ssh_manage.sh: the node's own commands and log for an ssh:// node, over the fleet's ssh
# connection with the docker CLI on its host: a private Debian sshd (sshdlib.sh) whose remote
# PATH starts with the stand-in docker (tests/sim/hostbin/docker), which answers `docker exec
# NAME get_allowed|add_allowed|change_alias|docker ps` and `docker logs` as the stand-in node
# image does and records every call, word by word.
#   r1top allowed (the table, the configured oracle marked, the invalid line), allow ADDR
#   ALIAS (the operands separate words on the host; shell metacharacters refused before any
#   call, exit 2), alias, apps, logs -n 5 (stderr lines too), logs -f (each line once), a
#   remote command that fails (exit 1 and its last line), the logs of a container the host does
#   not have (docker's words), --readonly allow (nothing run), an
#   ssh:// node without a container (refused), a unit node with a container (the CLI serves
#   its exec); no ssh process or control socket left after any run.
. "$R1_SRCDIR/tests/lib.sh"

. "$R1_SRCDIR/tests/integration/sshdlib.sh"
sshd_require ssh ssh-keygen timeout pgrep

T=$(tmpdir)
HOSTBIN=$R1_SRCDIR/tests/sim/hostbin
trap 'reap_spawned; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

plan 39

mkdir -p "$T/home" "$T/xdg" "$T/run" "$T/remote" "$T/data"
chmod 700 "$T/run"
cp "$R1_SRCDIR/tests/data/node_files/local_info.json" "$T/data/"

# the allowed list as the stand-in node normalises it (docs/protocol.md §8.2; dockerd.sh reads
# the same from the stand-in node image): its oracle on line 4, an alias and ETH on line 2
LIST=$R1_SRCDIR/tests/data/stand_in_node/allowed_normalised
cp "$LIST" "$T/remote/authorized_addrs"
A_R1N=$(sed -n 2p "$LIST" | cut -d' ' -f1)
A_ORA=$(sed -n 4p "$LIST" | cut -d' ' -f1)
A_ADD=0xai_A3nxutHmhbVdI4j78iX2sCKGCfUspm3N7sbqTpDV9rGp
# the container's log: 12 lines, one of them on its stderr
for i in $(seq 10 21); do
    case $i in
    19) echo "2026-12-02T05:00:$i.123456789Z [EE][2026-12-02 05:00:$i][comm] ERROR lost the broker, reconnecting" ;;
    *) echo "2026-12-02T05:00:$i.123456789Z [EE][2026-12-02 05:00:$i][main] heartbeat $i" ;;
    esac
done >"$T/remote/container.log"

# ---- r1top runs -------------------------------------------------------------------------------
# r1 ARGS...: r1top with HOME, XDG and the audit log in the test's folder, the remote docker's
# records emptied first; R1_EXEC set: in place of the (background) shell, so that $! is it
r1() {
    : >"$T/remote/calls.log"
    : >"$T/remote/words.log"
    set -- env -u SSH_AUTH_SOCK HOME="$T/home" XDG_CONFIG_HOME="$T/xdg" XDG_RUNTIME_DIR="$T/run" \
        R1TOP_ACTIONS_LOG="$T/actions.log" timeout -k 5 40 "$R1TOP" -c "$T/m.yaml" "$@"
    [ -z "${R1_EXEC:-}" ] || exec "$@" </dev/null
    "$@" </dev/null
}
# run OUT ARGS...: r1 with stdout -> OUT, stderr -> OUT.err, rc -> RC; ssh's leftovers OUT.left
run() {
    _out=$1
    shift
    r1 "$@" >"$_out" 2>"$_out.err"
    RC=$?
    pgrep -a -f "$T/run/" >"$_out.left" 2>/dev/null
}
rc() { # rc OUT N: the last run exited N
    [ "$RC" -eq "$2" ] || { diag "rc=$RC, expected $2:" "$(cat "$1" "$1.err" | head -c 1500)"; return 1; }
}
words() { # words LINE: the remote docker's last call, word by word
    [ "$(tail -n 1 "$T/remote/words.log")" = "$1" ] || { diag "words: $(cat "$T/remote/words.log")"; return 1; }
}
no_call() { [ ! -s "$T/remote/calls.log" ] || { diag "calls: $(cat "$T/remote/calls.log")"; return 1; }; }
logged() { tail -n 1 "$T/actions.log" | grep -qF -- "$1" || { diag "log: $(tail -n 1 "$T/actions.log")"; return 1; }; }
H='<-H><unix:///run/other/docker.sock>'

# ---- sshd ---------------------------------------------------------------------------------------
if ! sshd_host r1-host "SetEnv PATH=$HOSTBIN:/usr/bin:/bin HOSTSIM_DIR=$T/remote"; then
    fail "sshd starts on 127.0.0.1"
    exit 1
fi

cat >"$T/m.yaml" <<EOF
oracle:
  enabled: false
  trusted: ["$A_ORA"]
ssh:
  config: $T/ssh_config
nodes:
  - name: mg-node
    status: ssh://r1-host$T/data/
    docker:
      socket: /run/other/docker.sock
      container: edge_node
  - name: bare-node
    status: ssh://r1-host$T/data/
  - name: nosuch-node
    status: ssh://r1-host$T/data/
    docker:
      container: nosuch
  - name: unit-node
    status: ssh://r1-host$T/data/
    docker:
      container: edge_node
      service: edge_node
EOF

# ---- the allowed list -------------------------------------------------------------------------
run "$T/allowed" allowed mg-node
check "allowed over ssh: exit 0" rc "$T/allowed" 0
check "allowed over ssh: docker -H unix:///run/other/docker.sock exec edge_node get_allowed" \
    words "$H<exec><edge_node><get_allowed>"
check "allowed over ssh: a header, the 4 valid entries and the invalid line" \
    sh -c '[ "$(grep -c "^0xai_" "$1")" -eq 4 ] && grep -q "INVALID: 0xai_not-a-node-address  broken" "$1" && head -n 1 "$1" | grep -q "^ADDRESS *ALIAS *ETH *NOTE"' _ "$T/allowed"
check "allowed over ssh: the configured oracle is marked as managed by the network" \
    grep -Eq "^$A_ORA +- +0xDC034377e71D557D2462C7d270543bC35308a555 +oracle \\(managed by the network\\)" "$T/allowed"
check "allowed over ssh: alias and ETH address read from the line" \
    grep -Eq "^$A_R1N +R1_Node1 +0xB7F5C4bD8ED282842a77b1c1f516AD279e5898C9 +-" "$T/allowed"
check "allowed over ssh: no ssh process or control socket left" ssh_nothing_left "$T/allowed"

# ---- allow, alias: the operands are words of their own ----------------------------------------
run "$T/allow" allow mg-node "$A_ADD" ops_desk --yes
check "allow over ssh: exit 0" rc "$T/allow" 0
check "allow over ssh: add_allowed, the address and the alias separate words on the host" \
    words "$H<exec><edge_node><add_allowed><$A_ADD><ops_desk>"
check "allow over ssh: the host's list has the entry" grep -qx "$A_ADD  ops_desk" "$T/remote/authorized_addrs"
check "allow over ssh: the output says it was added" grep -qx "mg-node: allow: added $A_ADD ops_desk" "$T/allow"
check "allow over ssh: the audit log names the path" \
    logged "action=allow event=end path=docker CLI over ssh result=allow: added $A_ADD ops_desk"

run "$T/allow-dup" allow mg-node "$A_ADD" --yes
check "allow of a listed address: exit 1" rc "$T/allow-dup" 1
check "allow of a listed address: the node's words and its exit status" \
    grep -q "allow failed (exit 1): Error: address $A_ADD is already in /edge_node/_local_cache/authorized_addrs" "$T/allow-dup"

for bad in "$A_ADD;touch $T/pwned" "\$(touch $T/pwned)" "$A_ADD ops'desk" "$A_ADD ops\`id\`"; do
    # shellcheck disable=SC2086 # the address and the alias, two operands
    run "$T/allow-bad" allow mg-node $bad --yes
    check "allow '$bad': refused before anything is sent (exit 2), no call on the host" \
        sh -c '[ "$1" -eq 2 ] && [ ! -s "$2" ] && [ ! -e "$3" ]' _ "$RC" "$T/remote/calls.log" "$T/pwned"
done

run "$T/alias" alias mg-node ops-2 --yes
check "alias over ssh: exit 0" rc "$T/alias" 0
check "alias over ssh: change_alias NEW" words "$H<exec><edge_node><change_alias><ops-2>"
check "alias over ssh: the output says the node takes it at its next restart" \
    grep -qx "mg-node: alias: set to ops-2 (the node takes it at its next restart)" "$T/alias"

run "$T/ro" --readonly allow mg-node "$A_ADD" --yes
check "--readonly allow: exit 1, read-only mode said" \
    sh -c '[ "$1" -eq 1 ] && grep -q "read-only mode" "$2"' _ "$RC" "$T/ro"
check "--readonly allow: nothing run on the host" no_call

# ---- apps ---------------------------------------------------------------------------------------
run "$T/apps" apps mg-node
check "apps over ssh: exit 0" rc "$T/apps" 0
check "apps over ssh: docker ps -a --filter name=car_ inside the node, each its own word" \
    words "$H<exec><edge_node><docker><ps><-a><--filter><name=car_>"
check "apps over ssh: the header and the 2 apps" \
    sh -c 'head -n 1 "$1" | grep -q "^CONTAINER ID *IMAGE" && [ "$(grep -c " car_" "$1")" -eq 2 ]' _ "$T/apps"

# ---- logs ---------------------------------------------------------------------------------------
run "$T/logs" logs mg-node -n 5
check "logs -n 5 over ssh: exit 0" rc "$T/logs" 0
check "logs -n 5 over ssh: docker logs --timestamps --tail 5 edge_node" \
    words "$H<logs><--timestamps><--tail><5><edge_node>"
check "logs -n 5 over ssh: the last 5 lines, in order, the stderr one too, each with its time" \
    sh -c '[ "$(wc -l <"$1")" -eq 5 ] && head -n 1 "$1" | grep -q "^2026-12-02 05:00:17  .*heartbeat 17" && grep -q "05:00:19  .*ERROR lost the broker" "$1" && tail -n 1 "$1" | grep -q "heartbeat 21$"' _ "$T/logs"

# -f: the lines that come later, each once
R1_EXEC=1 r1 logs mg-node -n 2 -f >"$T/follow" 2>"$T/follow.err" &
_fpid=$!
reap_at_exit "$_fpid"
sleep 2
for i in 30 31 32; do
    echo "2026-12-02T05:01:$i.000000001Z [EE][2026-12-02 05:01:$i][main] heartbeat $i"
done >>"$T/remote/container.log"
term_after 3 "$_fpid"
check "logs -f over ssh: ended by TERM (rc=$TERM_RC): the 2 lines, then the 3 new ones" \
    sh -c '[ "$(wc -l <"$1")" -eq 5 ] && tail -n 1 "$1" | grep -q "heartbeat 32$"' _ "$T/follow"
check "logs -f over ssh: no line printed twice" no_line_twice "$T/follow"
check "logs -f over ssh: the later reads ask --since the newest line held" \
    grep -q "<--since><1796187621.123456789><edge_node>" "$T/remote/words.log"
[ -s "$T/follow" ] && diag "$(cat "$T/follow")"
pgrep -a -f "$T/run/" >"$T/follow.left" 2>/dev/null
check "logs -f over ssh: no ssh process or control socket left" ssh_nothing_left "$T/follow"

# ---- failures and refusals --------------------------------------------------------------------
mv "$T/remote/authorized_addrs" "$T/remote/authorized_addrs.away"
run "$T/fail" allowed mg-node
mv "$T/remote/authorized_addrs.away" "$T/remote/authorized_addrs"
check "a remote command that fails: exit 1 with its exit status and last line" \
    sh -c '[ "$1" -eq 1 ] && grep -q "allowed failed (exit 1): Error: /edge_node/_local_cache/authorized_addrs does not exist" "$2"' _ "$RC" "$T/fail"

run "$T/nosuch" logs nosuch-node -n 5
check "logs of a container the host does not have: exit 1 with docker's words" \
    sh -c '[ "$1" -eq 1 ] && grep -q "logs failed (exit 1): Error response from daemon: No such container: nosuch" "$2" "$2.err"' _ "$RC" "$T/nosuch"

run "$T/bare" allowed bare-node
check "an ssh:// node without a container: refused, nothing run (rc=$RC)" \
    sh -c '[ "$1" -ne 0 ] && grep -q "not possible here" "$2" "$2.err" && [ ! -s "$3" ]' _ "$RC" "$T/bare" "$T/remote/calls.log"

run "$T/unit-apps" apps unit-node
check "a unit node with a container: its exec goes by the docker CLI, default socket" \
    sh -c '[ "$1" -eq 0 ] && [ "$(tail -n 1 "$2")" = "<exec><edge_node><docker><ps><-a><--filter><name=car_>" ]' _ "$RC" "$T/remote/words.log"
run "$T/unit-logs" logs unit-node -n 1
check "a unit node with a container: its logs go by the docker CLI too" \
    sh -c '[ "$1" -eq 0 ] && grep -q "heartbeat 32$" "$2"' _ "$RC" "$T/unit-logs"
check "no ssh process or control socket left" ssh_nothing_left "$T/unit-logs"

check "no sanitizer report from any r1top run" no_sanitizer_report "$T"

done_testing
