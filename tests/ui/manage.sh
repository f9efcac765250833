#!/bin/sh
# manage.sh: managing a node from the keyboard, in a private tmux server, against a REAL Docker
# Engine (tests/integration/dockerdlib.sh) running the stand-in node (tests/data/stand_in_node/).
# What a person sees: L opens the container's log, following it, and / highlights what it
# searches; A opens the allowed list with the network's oracle marked and the invalid line
# shown as such, and says r1top's key is not there; m asks (naming the node and the address)
# and adds it, after which the list and the node screen say it is there; E asks for an alias,
# then asks to confirm, and the outcome shows on the key bar; every change is in the audit
# log. Under --readonly E only explains, and nothing is changed or run. The screens the
# closing note shows (the log, the confirm dialog) are printed to the test's log.
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"
. "$R1_SRCDIR/tests/integration/dockerdlib.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
[ -x "$R1TOP" ] || skip_all "no r1top binary at $R1TOP"
[ -x "$PY" ] || skip_all "$PY not found"
dockerd_require

. "$R1_SRCDIR/tests/ui/tmuxlib.sh"
WORK=$(tmpdir)
trap 'tm kill-server >/dev/null 2>&1; dockerd_stop; reap_spawned; rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM
export LC_ALL=C.UTF-8
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color
LOG=$WORK/actions.log

dockerd_start || skip_all "the private dockerd did not start here (its log above)"
plan 28

standin_image && standin_run edge_node
check "the stand-in node runs on the private engine" [ "$(dk inspect -f '{{.State.Running}}' edge_node 2>/dev/null)" = true ]
A_ORA=0xai_A-rqFlS6-9XR9g3LM0kuzshqg7gIjACFPMoqN0Co_8Lj
cat >"$WORK/r1top.yaml" <<EOF
oracle:
  enabled: false
  trusted: ["$A_ORA"]
nodes:
  - name: dd-node
    docker:
      socket: $DD_SOCK
      container: edge_node
EOF
"$R1TOP" keygen "$WORK/me.pem" >"$WORK/keygen.out" 2>&1
ME=$("$R1TOP" whoami --identity "$WORK/me.pem" 2>/dev/null | grep -o '0xai_[A-Za-z0-9_-]*' | head -n 1)
ME_ETH=$("$R1TOP" whoami --identity "$WORK/me.pem" 2>/dev/null | grep -o '0x[0-9a-fA-F]\{40\}' | head -n 1)
check "r1top has a key of its own for this test ($ME $ME_ETH)" [ -n "$ME" ] && [ -n "$ME_ETH" ]
# the stand-in cannot hash (busybox has no keccak): it learns the new key's ETH address here
dk exec edge_node sh -c 'echo "$1 $2" >>/edge_node/stand_in/known_addrs' _ "$ME" "$ME_ETH"

# start [ARGS...]: r1top in a fresh 150x40 session (one node: the node screen)
start() {
    _old=s$SESSION
    SESSION=$((SESSION + 1))
    tm new-session -d -s "s$SESSION" -x 150 -y 40 \
        "env LANG=C.UTF-8 LC_ALL= TERM=$TERMNAME R1TOP_ACTIONS_LOG='$LOG' '$R1TOP' -c '$WORK/r1top.yaml' --identity '$WORK/me.pem' $*; sleep 60"
    tm kill-session -t "$_old" >/dev/null 2>&1
}
press() { tm send-keys -t "s$SESSION" "$@"; }
show() { diag "$1:" "$(capture)"; }

start
check "the node screen came up, the container running" wait_for "running"
check "the node screen: r1top's key not checked yet, A reads the list" wait_for "r1top's key not checked (A shows"

# --- the log ------------------------------------------------------------------------------
press L
check "L: the log screen, following" wait_for "Log of dd-node (container edge_node, Docker)  following"
check "L: the node's start line, with its time" wait_for "Main loop started"
contains "L: lines shown as 'YYYY-MM-DD HH:MM:SS  text'" "$SCREEN" "$(date -u +%Y-)"
before=$(capture | grep -c heartbeat)
sleep 4
after=$(capture | grep -c heartbeat)
check "L: new heartbeat lines arrive while it is open ($before, then $after)" [ "$after" -gt "$before" ]
show "the log screen"
press /
press -l "Main loop"
press Enter
check "/: the search is shown in the title" wait_for "search: Main loop"
_sgr=$(capture -e | grep "Main loop" | grep -v "search:" | head -n 1)
diag "the line with the match, escapes shown: $(printf '%s' "$_sgr" | cat -v | cut -c1-200)"
check "/: the match is highlighted (an attribute starts right before it)" \
    sh -c 'printf "%s" "$1" | grep -q "$(printf "\033")\[[0-9;]*mMain loop"' _ "$_sgr"
press Escape
check "Esc: back on the node screen" wait_gone "Log of dd-node"

# --- the allowed list ---------------------------------------------------------------------
press A
check "A: the allowed list" wait_for "Allowed list of dd-node (get_allowed in container edge_node)"
check "A: the network's oracle marked as managed by it" wait_for "oracle, managed by the network"
contains "A: the invalid line shown as invalid" "$SCREEN" "INVALID LINE: 0xai_not-a-node-address"
contains "A: r1top's key is not there, and m would add it" "$SCREEN" "r1top's key is NOT in this node's allowed list"
press m
check "m: a confirmation naming r1top's address and the node" wait_for "to command dd-node?"
contains "m: the address asked about is r1top's" "$(capture | tr -d '│\n ')" "$(printf '%s' "$ME" | cut -c1-20)"
show "the confirm dialog"
press y
check "y: the list read again has r1top's key, marked" wait_for "r1top (this key)"
check "y: the list says the key is there" wait_for "r1top's key is in this node's allowed list"
exec_list=$(dk exec edge_node get_allowed 2>&1)
contains "the node's own list has the address with the alias r1top" "$exec_list" "$ME  r1top # 0x"
press Escape
check "the node screen says the key is listed" wait_for "r1top's key is listed"

# --- the alias ----------------------------------------------------------------------------
press E
check "E: asks for the new alias" wait_for "New alias"
press -l "ui-alias"
press Enter
check "E: then a confirmation naming the node and the alias" wait_for "Rename dd-node to 'ui-alias'?"
press y
check "y: the outcome on the key bar" wait_for "alias: set to ui-alias"
check "the audit log: the add and the alias, each with its path and result" \
    sh -c 'grep -q "node=dd-node action=allow event=end path=docker API result=allow: added" "$1" &&
           grep -q "node=dd-node action=alias event=end path=docker API result=alias: set to ui-alias" "$1"' _ "$LOG"

# --- --readonly ---------------------------------------------------------------------------
lines_before=$(wc -l <"$LOG")
start --readonly
wait_for "running" >/dev/null
press E
check "--readonly: E only says read-only mode" wait_for "read-only mode"
contains "--readonly: no prompt for an alias" "$SCREEN" "read-only mode"
check "--readonly: the refusal is logged, nothing started" \
    sh -c '[ "$(tail -n +$(($2 + 1)) "$1" | grep -c "event=refused")" -ge 1 ] && ! tail -n +$(($2 + 1)) "$1" | grep -q "event=start"' _ "$LOG" "$lines_before"
