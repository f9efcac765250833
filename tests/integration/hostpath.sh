#!/bin/sh
# hostpath.sh: the container actions' host paths and the unit source ("Manage nodes" §1), with
# stand-in systemctl, journalctl, sudo, id and docker (tests/sim/hostbin/) that record every
# call: first on PATH for the local runs, and on the remote PATH (sshd_config SetEnv) of a
# private Debian sshd (sshdlib.sh) for the ssh:// runs.
#   (a) this host, r1setup unit: the unit source in --once --json and text (state, NRestarts,
#       the exit file and its meaning, starts in 30 min without the node's own log lines);
#       restart through `systemctl restart`, its path in the output and the audit log;
#       --readonly refused before any systemctl; a unit systemctl fails to restart
#   (b) bad systemctl output: a failing show, a garbled state, a unit systemd does not know,
#       a journal this login may not read: errors (or unknown) on that source, no crash
#   (c) local discovery: the edge_node service only where its unit file is
#   (d) over ssh, not root: `sudo -n systemctl restart`; sudo wanting a password: exit 1 and
#       a sentence that says so; the unit source over ssh
#   (e) over ssh, no service: `docker -H unix://SOCK restart|stop|start NAME`, and docker's
#       own error for a container that does not exist
# and after every ssh run: no ssh process and no control socket left.
. "$R1_SRCDIR/tests/lib.sh"

. "$R1_SRCDIR/tests/integration/sshdlib.sh"
sshd_require ssh ssh-keygen timeout pgrep

T=$(tmpdir)
HOSTBIN=$R1_SRCDIR/tests/sim/hostbin
# the exit file lives where the unit writes it (docs/protocol.md §7.4): /tmp/<container>.exit
SVC=edge_node_hp$$
EXIT_FILE=/tmp/$SVC.exit
trap 'reap_spawned; rm -rf "$T" "$EXIT_FILE"' EXIT
trap 'exit 130' INT TERM

plan 38

mkdir -p "$T/home" "$T/xdg" "$T/run" "$T/local" "$T/remote" "$T/data" "$T/root"
chmod 700 "$T/run"
cp "$R1_SRCDIR/tests/data/node_files/local_info.json" "$T/data/"
echo 10 >"$EXIT_FILE"
# the unit's journal, `-o cat`: PID 1's starts, and the node's own lines (the container runs in
# the unit's foreground), one of which also starts with "Started"
for i in $(seq 22); do
    echo "Stopping $SVC.service - Ratio1 Edge Node..."
    echo "Started $SVC.service - Ratio1 Edge Node."
    echo "Started plugin loop for pipeline admin_pipeline"
done >"$T/journal.txt"
cp "$T/journal.txt" "$T/local/"
cp "$T/journal.txt" "$T/remote/"

# ---- r1top runs -------------------------------------------------------------------------------
# run OUT SIMDIR ARGS...: r1top with the stand-ins first on PATH and SIMDIR their state; HOME,
# XDG and the audit log in the test's folder; stdout -> OUT, stderr -> OUT.err, rc -> RC
run() {
    _out=$1 _sim=$2
    shift 2
    : >"$_sim/calls.log"
    env -u SSH_AUTH_SOCK HOME="$T/home" XDG_CONFIG_HOME="$T/xdg" XDG_RUNTIME_DIR="$T/run" \
        R1TOP_ACTIONS_LOG="$T/actions.log" HOSTSIM_DIR="$_sim" PATH="$HOSTBIN:$PATH" \
        timeout -k 5 40 "$R1TOP" "$@" </dev/null >"$_out" 2>"$_out.err"
    RC=$?
    pgrep -a -f "$T/run/" >"$_out.left" 2>/dev/null
}
# q FILE EXPR: EXPR over n = the first node of a --once --json reply, u = its unit block,
# src(name) = one of its sources
q() {
    /usr/bin/python3 - "$1" "$2" <<'PYEOF'
import json, sys
try:
    n = json.load(open(sys.argv[1]))["nodes"][0]
    u = n.get("unit")
    src = lambda s, n=n: n["sources"][s]
    print(eval(sys.argv[2]))
except Exception as e:
    print("<%r>" % e)
PYEOF
}
qok() { [ "$(q "$1" "bool($2)")" = True ] || { diag "false: $2" "$(cat "$1.err")"; return 1; }; }
called() { grep -qx -- "$2" "$1/calls.log" || { diag "calls:" "$(cat "$1/calls.log")"; return 1; }; }
not_called() { ! grep -q -- "$2" "$1/calls.log"; }
logged() { tail -n 1 "$T/actions.log" | grep -qF -- "$1" || { diag "log: $(tail -n 1 "$T/actions.log")"; return 1; }; }

unit_node() { # unit_node FILE STATUS-LINE: a config of one node run by the unit $SVC
    cat >"$1" <<EOF
oracle:
  enabled: false
ssh:
  config: $T/ssh_config
nodes:
  - name: unit-node
$2
    docker:
      container: $SVC
      service: $SVC
EOF
}

# ---- (a) this host, r1setup's unit ------------------------------------------------------------
unit_node "$T/a.yaml" ""
run "$T/a.json" "$T/local" --once --json -c "$T/a.yaml"
check "local unit: the source asks systemctl show for the state, NRestarts and times" \
    called "$T/local" "systemctl show $SVC --property=LoadState,ActiveState,SubState,NRestarts,ExecMainStartTimestamp,ExecMainStatus,Result --timestamp=unix"
check "local unit: read on this host (local://), ok" \
    qok "$T/a.json" 'src("unit")["ok"] and src("unit")["source"].startswith("local://?unit='"$SVC"'")'
check "local unit: active/running, result success, NRestarts 4, main status 0" \
    qok "$T/a.json" 'u["active_state"] == "active" and u["sub_state"] == "running" and u["result"] == "success" and u["n_restarts"] == 4 and u["main_exit_status"] == 0'
# the stand-in started the main process 600 s before it answered
check "local unit: the main process started about 600 s ago" \
    qok "$T/a.json" '590 < __import__("time").time() - u["main_started_at_unix_s"] < 660'
check "local unit: exit file $EXIT_FILE says 10, a RESTART command" \
    qok "$T/a.json" 'u["exit_file_code"] == 10 and "RESTART" in u["exit_file_meaning"]'
# 22 "Started <svc>.service" lines; the node's own 22 "Started plugin ..." lines do not count
check "local unit: 22 starts in 30 min (not the node's own log lines), of 30" \
    qok "$T/a.json" 'u["starts_30min"] == 22 and u["start_limit_30min"] == 30'
run "$T/a.txt" "$T/local" --once -c "$T/a.yaml"
check "local unit: the text says restarts 22 of 30 in 30 min, and the last exit" \
    grep -q "unit .*$SVC active/running  restarts 22 of 30 in 30 min (!)  last exit 10: RESTART" "$T/a.txt"

run "$T/a1.out" "$T/local" -c "$T/a.yaml" restart unit-node --yes
check "local restart: exit 0 (rc=$RC)" [ "$RC" -eq 0 ]
check "local restart: systemctl restart $SVC, as root without sudo" \
    called "$T/local" "systemctl restart $SVC"
check "local restart: no sudo" not_called "$T/local" "sudo"
check "local restart: the output names the path" \
    grep -qx "unit-node: restart: done (systemd unit $SVC)" "$T/a1.out"
check "local restart: the audit log names the path" \
    logged "action=restart event=end path=systemd unit $SVC result=restart: done"

run "$T/a2.out" "$T/local" --readonly -c "$T/a.yaml" restart unit-node --yes
check "--readonly restart: exit 1, read-only mode said (rc=$RC)" \
    sh -c '[ "$1" -eq 1 ] && grep -q "read-only mode" "$2"' - "$RC" "$T/a2.out"
check "--readonly restart: systemctl never asked to restart" not_called "$T/local" "systemctl restart"
check "--readonly restart: the refusal is logged" logged "action=restart event=refused"

echo "Failed to stop $SVC.service: Unit $SVC.service not loaded." >"$T/local/unit.fail"
run "$T/a3.out" "$T/local" -c "$T/a.yaml" stop unit-node --yes
rm -f "$T/local/unit.fail"
check "local stop failing: exit 1, systemctl's exit status and words (rc=$RC)" \
    sh -c '[ "$1" -eq 1 ] && grep -q "stop failed (systemd unit .*): systemctl stop exited 1: Failed to stop" "$2"' - "$RC" "$T/a3.out"

# ---- (b) bad systemctl output -----------------------------------------------------------------
echo "systemctl: unrecognized option '--timestamp=unix'" >"$T/local/show.fail"
run "$T/b1.json" "$T/local" --once --json -c "$T/a.yaml"
rm -f "$T/local/show.fail"
check "show failing: an error on the unit source naming systemctl show, exit 1 (rc=$RC)" \
    qok "$T/b1.json" 'not src("unit")["ok"] and "systemctl show failed (exit 1)" in src("unit")["error"] and u["active_state"] is None'
printf 'LoadState=loaded\nActiveState=Active!!\nSubState=running\n' >"$T/local/show.txt"
run "$T/b2.json" "$T/local" --once --json -c "$T/a.yaml"
check "garbled state: the unit source's error quotes it, kind parse" \
    qok "$T/b2.json" 'src("unit")["error_kind"] == "parse" and "ActiveState" in src("unit")["error"]'
printf 'Result=success\nNRestarts=0\nExecMainStartTimestamp=\nExecMainStatus=0\nLoadState=not-found\nActiveState=inactive\nSubState=dead\n' >"$T/local/show.txt"
run "$T/b3.json" "$T/local" --once --json -c "$T/a.yaml"
rm -f "$T/local/show.txt"
check "a unit systemd does not know: LoadState=not-found is the source's error" \
    qok "$T/b3.json" '"not-found" in src("unit")["error"]'
touch "$T/local/journal.denied"
run "$T/b4.json" "$T/local" --once --json -c "$T/a.yaml"
rm -f "$T/local/journal.denied"
check "a journal this login may not read: starts unknown (null), not 0; the rest still read" \
    qok "$T/b4.json" 'u["starts_30min"] is None and u["active_state"] == "active" and src("unit")["ok"]'

# ---- (c) local discovery ----------------------------------------------------------------------
mkdir -p "$T/root/var/cache/edge_node/_local_cache/_data"
cp "$T/data/local_info.json" "$T/root/var/cache/edge_node/_local_cache/_data/"
R1TOP_DISCOVERY_ROOT=$T/root run "$T/c1.json" "$T/local" --once --json
check "discovery without a unit file: no service, no unit source" \
    qok "$T/c1.json" 'u is None and "unit" not in n["sources"]'
mkdir -p "$T/root/etc/systemd/system"
: >"$T/root/etc/systemd/system/edge_node.service"
R1TOP_DISCOVERY_ROOT=$T/root run "$T/c2.json" "$T/local" --once --json
check "discovery with r1setup's unit file: service edge_node, read through systemctl" \
    qok "$T/c2.json" 'u["service"] == "edge_node" and u["active_state"] == "active"'

# ---- sshd ---------------------------------------------------------------------------------------
if ! sshd_host r1-host "SetEnv PATH=$HOSTBIN:/usr/bin:/bin HOSTSIM_DIR=$T/remote"; then
    fail "sshd starts on 127.0.0.1"
    exit 1
fi
# the remote login plays a user who is not root, so the unit goes through sudo -n
echo 1000 >"$T/remote/uid"

# ---- (d) over ssh, r1setup's unit -------------------------------------------------------------
unit_node "$T/d.yaml" "    status: ssh://r1-host$T/data/"
run "$T/d1.out" "$T/remote" -c "$T/d.yaml" restart unit-node --yes
check "ssh restart: exit 0 (rc=$RC)" [ "$RC" -eq 0 ]
check "ssh restart: not root, so sudo -n systemctl restart $SVC on the host" \
    called "$T/remote" "sudo -n systemctl restart $SVC"
check "ssh restart: the output names the path" \
    grep -qx "unit-node: restart: done (systemd unit $SVC over ssh)" "$T/d1.out"
check "ssh restart: the audit log names the path" \
    logged "action=restart event=end path=systemd unit $SVC over ssh result=restart: done"
check "ssh restart: no ssh process or control socket left" ssh_nothing_left "$T/d1.out"

touch "$T/remote/sudo.password"
run "$T/d2.out" "$T/remote" -c "$T/d.yaml" restart unit-node --yes
rm -f "$T/remote/sudo.password"
check "sudo needing a password: exit 1 (rc=$RC)" [ "$RC" -eq 1 ]
check "sudo needing a password: said so, with what to do" \
    grep -q "restart failed (systemd unit $SVC over ssh): sudo needs a password for systemctl; allow it with NOPASSWD or log in as root" "$T/d2.out"
check "sudo needing a password: systemctl never ran" not_called "$T/remote" "sudo -n systemctl"

run "$T/d3.json" "$T/remote" --once --json -c "$T/d.yaml"
check "ssh unit source: read over ssh, active, 22 starts, exit file 10" \
    qok "$T/d3.json" 'src("unit")["ok"] and src("unit")["source"].startswith("ssh://r1-host?unit=") and u["active_state"] == "active" and u["starts_30min"] == 22 and u["exit_file_code"] == 10'
check "ssh unit source: no ssh process or control socket left" ssh_nothing_left "$T/d3.json"

# ---- (e) over ssh, the docker CLI ---------------------------------------------------------------
cat >"$T/e.yaml" <<EOF
oracle:
  enabled: false
ssh:
  config: $T/ssh_config
nodes:
  - name: cli-node
    status: ssh://r1-host$T/data/
    docker:
      socket: /run/other/docker.sock
      container: edge_node
  - name: nosuch-node
    status: ssh://r1-host$T/data/
    docker:
      container: nosuch
EOF
for verb in restart stop start; do
    run "$T/e-$verb.out" "$T/remote" -c "$T/e.yaml" "$verb" cli-node --yes
    check "docker CLI over ssh: $verb exits 0 and runs docker -H unix:///run/other/docker.sock $verb edge_node (rc=$RC)" \
        sh -c '[ "$1" -eq 0 ] && grep -qx "docker -H unix:///run/other/docker.sock $2 edge_node" "$3"' - "$RC" "$verb" "$T/remote/calls.log"
done
check "docker CLI over ssh: the output and the audit log name the path" \
    sh -c 'grep -qx "cli-node: start: done (docker CLI over ssh)" "$1" && tail -n 1 "$2" | grep -qF "path=docker CLI over ssh"' - "$T/e-start.out" "$T/actions.log"
run "$T/e2.out" "$T/remote" -c "$T/e.yaml" restart nosuch-node --yes
check "docker CLI over ssh, no such container: exit 1 with docker's words, default socket (rc=$RC)" \
    sh -c '[ "$1" -eq 1 ] && grep -q "docker restart exited 1: Error response from daemon: No such container: nosuch" "$2" && grep -qx "docker restart nosuch" "$3"' - "$RC" "$T/e2.out" "$T/remote/calls.log"
check "docker CLI over ssh: no ssh process or control socket left" ssh_nothing_left "$T/e2.out"

done_testing
