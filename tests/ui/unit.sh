#!/bin/sh
# unit: r1setup's systemd unit on the node screen, in a private tmux server, with the stand-in
# systemctl and journalctl of tests/sim/hostbin/ first on PATH. The Uptime pane's Unit row shows
# the unit's state and its starts against the 30 in 30 minutes (22 here, warned), the Exit row
# the exit file's code and meaning; R asks a question that names the path (systemctl restart
# on this host, which pulls the image again), and nothing runs before y; y runs systemctl
# restart once, and the outcome names the path.
. "$R1_SRCDIR/tests/lib.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
[ -x "$R1TOP" ] || skip_all "no r1top binary at $R1TOP"

. "$R1_SRCDIR/tests/ui/tmuxlib.sh"
WORK=$(tmpdir)
SVC=edge_node_ui$$
EXIT_FILE=/tmp/$SVC.exit
trap 'tm kill-server >/dev/null 2>&1; reap_spawned; rm -rf "$WORK" "$EXIT_FILE"' EXIT
trap 'exit 1' INT TERM
export LC_ALL=C.UTF-8
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color

plan 8

mkdir -p "$WORK/sim"
: >"$WORK/sim/calls.log"
echo 10 >"$EXIT_FILE"
for i in $(seq 22); do echo "Started $SVC.service - Ratio1 Edge Node."; done >"$WORK/sim/journal.txt"
cat >"$WORK/r1top.yaml" <<EOF
oracle:
  enabled: false
nodes:
  - name: unit-node
    status: $R1_SRCDIR/tests/data/node_files/
    docker:
      container: $SVC
      service: $SVC
EOF

SESSION=1
tm new-session -d -s "s$SESSION" -x 120 -y 32 \
    "env LANG=C.UTF-8 LC_ALL= TERM=$TERMNAME HOSTSIM_DIR='$WORK/sim' PATH='$R1_SRCDIR/tests/sim/hostbin:$PATH' R1TOP_ACTIONS_LOG='$WORK/actions.log' '$R1TOP' -c '$WORK/r1top.yaml'; sleep 60"
press() { tm send-keys -t "s$SESSION" "$1"; }

# 120 columns leave the pane too narrow for the service's name: the count stays
check "the Unit row: the unit's state and restarts 22 of 30 in 30 min" \
    wait_for "Unit    active · restarts 22 of 30 in 30 min"
check "the Exit row: the exit file's 10, a RESTART command" wait_for "Exit    10: RESTART command"
press R
check "R asks first" wait_for "Restart?"
contains "the question names the path: systemctl restart on this host" "$SCREEN" \
    "systemctl restart $SVC on this host"
contains "the question says the unit pulls the image again" "$SCREEN" "pulls the image again"
check "a question runs nothing" sh -c '! grep -q "systemctl restart" "$1"' - "$WORK/sim/calls.log"
press y
check "y: the outcome names the path" wait_for "restart: done (systemd unit $SVC)"
check "y: systemctl restart ran once" \
    test "$(grep -c "^systemctl restart $SVC\$" "$WORK/sim/calls.log")" -eq 1

done_testing
