#!/bin/sh
# actions: the restart action through the UI, in a private tmux server, against two simulated
# Docker Engines (tests/sim/dockersim.py), one per node, so the tests see which engine a key
# reached. Select the second node, press R: the confirm dialog names that node and what a
# restart does, and nothing has reached either engine yet; y restarts its container (one POST
# to its engine, none to the other's, a start and an end line in the audit log) and the outcome
# shows; Esc cancels with nothing sent and nothing logged. Under --readonly the key bar greys R
# and says read-only; R then only explains, and neither R nor a y after it reaches an engine.
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
[ -x "$R1TOP" ] || skip_all "no r1top binary at $R1TOP"
[ -x "$PY" ] || skip_all "$PY not found"

. "$R1_SRCDIR/tests/ui/tmuxlib.sh"
WORK=$(tmpdir)
trap 'tm kill-server >/dev/null 2>&1; reap_spawned; rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM
export LC_ALL=C.UTF-8
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color
DSIM="$R1_SRCDIR/tests/sim/dockersim.py"
LOG=$WORK/actions.log
RESTART_PATH=/containers/edge_node/restart

plan 31

# dsim_start NAME: a simulator with its socket at $WORK/NAME.sock
dsim_start() {
    "$PY" "$DSIM" --socket "$WORK/$1.sock" --lifetime "${SIM_LIFETIME:-180}" \
        >"$WORK/$1.out" 2>"$WORK/$1.err" &
    reap_at_exit $!
    _i=0
    while [ $_i -lt 100 ] && ! grep -q '^SOCKET=' "$WORK/$1.out" 2>/dev/null; do
        sleep 0.1
        _i=$((_i + 1))
    done
    grep -q '^SOCKET=' "$WORK/$1.out" || { diag "dockersim $1 did not start:" "$(cat "$WORK/$1.err")"; return 1; }
}
# posts NAME: the POSTs that reached engine NAME since the last call, one path a line
posts() {
    "$PY" "$DSIM" --socket "$WORK/$1.sock" --call "/_sim/requests?clear=1" |
        "$PY" -c 'import json, sys; [print(r["path"]) for r in json.load(sys.stdin)["requests"] if r["method"] == "POST"]'
}
# no_posts "desc": nothing reached either engine
no_posts() {
    _a=$(posts eng-a) _b=$(posts eng-b)
    check "$1 (a: [$_a] b: [$_b])" [ -z "$_a$_b" ]
}
# wait_post NAME: until a POST reaches engine NAME (bounded, ~10 s); its paths in GOT
wait_post() {
    GOT=""
    _i=0
    while [ $_i -lt 50 ] && [ -z "$GOT" ]; do
        GOT=$(posts "$1")
        [ -n "$GOT" ] || sleep 0.2
        _i=$((_i + 1))
    done
}
log_lines() { if [ -f "$LOG" ]; then wc -l <"$LOG"; else echo 0; fi; }
# sgr_at TEXT: the SGR attributes (bold, dim, reverse...) in force where TEXT starts on the
# last line (the key bar) of an escaped capture, as a sorted list
sgr_at() {
    capture -e | tail -n 1 | "$PY" -c '
import re, sys
line, want = sys.stdin.read(), sys.argv[1]
attrs, text, at = set(), "", []
for m in re.finditer(r"\x1b\[([0-9;:]*)m|([^\x1b]+)", line):
    if m.group(2) is not None:
        text += m.group(2)
        at += [sorted(attrs)] * len(m.group(2))
        continue
    for p in [int(p) for p in re.split("[;:]", m.group(1)) if p != ""] or [0]:
        if p == 0:
            attrs.clear()
        elif p in (1, 2, 3, 4, 5, 7):
            attrs.add(p)
        elif p == 22:
            attrs -= {1, 2}
        elif p in (23, 24, 25, 27):
            attrs.discard(p - 20)
i = text.find(want)
print(at[i] if i >= 0 else "absent")' "$1"
}

dsim_start eng-a || fail "engine a: simulator start"
dsim_start eng-b || fail "engine b: simulator start"
cat >"$WORK/r1top.yaml" <<EOF
oracle:
  enabled: false
nodes:
  - name: node-a
    docker:
      socket: $WORK/eng-a.sock
      container: edge_node
  - name: node-b
    docker:
      socket: $WORK/eng-b.sock
      container: edge_node
EOF

# start [ARGS...]: r1top on the config in a fresh 100x30 session
start() {
    _old=s$SESSION
    SESSION=$((SESSION + 1))
    tm new-session -d -s "s$SESSION" -x 100 -y 30 \
        "env LANG=C.UTF-8 LC_ALL= TERM=$TERMNAME R1TOP_ACTIONS_LOG='$LOG' '$R1TOP' -c '$WORK/r1top.yaml' $*; sleep 60"
    tm kill-session -t "$_old" >/dev/null 2>&1
    to_node_screen # two nodes start on the fleet screen
}
press() { tm send-keys -t "s$SESSION" "$1"; }

# --- restart, confirmed ------------------------------------------------------------------
start
check "the UI came up with both nodes" wait_for "node-b"
wait_for "container running" >/dev/null
_r=$(sgr_at RRestart) _u=$(sgr_at LLogs)
check "R is on the key bar, not greyed (R: $_r, L: $_u)" test "$_r" != absent -a "$_r" = "$_u"
press Tab
check "Tab selects the second node" wait_for "node 2/2"
posts eng-a >/dev/null
posts eng-b >/dev/null
press R
check "R asks first" wait_for "Restart?"
contains "the question names the selected node" "$SCREEN" "Restart the container of node-b?"
contains "the question says the consequence" "$SCREEN" "goes offline"
no_posts "a question sends nothing"
press y
wait_post eng-b
check "y: one POST $RESTART_PATH reached the selected node's engine ([$GOT])" [ "$GOT" = "$RESTART_PATH" ]
_a=$(posts eng-a)
check "y: nothing reached the other node's engine ([$_a])" [ -z "$_a" ]
check "y: the dialog closed" wait_gone "Restart?"
check "y: the container's uptime starts again" wait_for "Uptime  00:00:0"
_i=0
while [ $_i -lt 50 ] && [ "$(log_lines)" -lt 2 ]; do sleep 0.2; _i=$((_i + 1)); done
check "y: the audit log has the start and the end" \
    test "$(grep -c "node=node-b action=restart event=start path=docker API" "$LOG")" -eq 1 -a \
    "$(grep -c "node=node-b action=restart event=end path=docker API result=restart: done (HTTP 204)" "$LOG")" -eq 1
# The outcome shows in the key bar, in its colour, for a minute (the next frame; refresh.ui 2 s).
_i=0
while [ $_i -lt 20 ] && ! capture | grep -q "restart: done"; do sleep 0.2; _i=$((_i + 1)); done
outcome_shows() { capture | grep -q "restart: done (HTTP 204)"; }
check "y: the outcome shows on screen (restart: done (HTTP 204))" outcome_shows

# --- Esc cancels ----------------------------------------------------------------------------
LINES_BEFORE=$(log_lines)
press R
check "R again asks again" wait_for "Restart?"
press Escape
check "Esc closes the question" wait_gone "Restart?"
sleep 1 # a restart would have been sent at once
no_posts "Esc: nothing reached either engine"
check "Esc: nothing logged" [ "$(log_lines)" -eq "$LINES_BEFORE" ]

# --- S stops, s starts: the same path, each asks first ----------------------------------------
press S
check "S asks first" wait_for "Stop?"
contains "the question names the node and says it stays offline" "$SCREEN" "Stop the container of node-b?"
press y
wait_post eng-b
check "y: one POST /containers/.../stop reached the node's engine ([$GOT])" [ "${GOT##*/}" = stop ]
check "y: the outcome shows (stop: done)" wait_for "stop: done (HTTP 204)"
press s
check "s asks first" wait_for "Start?"
press y
check "y: the outcome shows (start: done)" wait_for "start: done (HTTP 204)"

# --- the fleet screen: the same keys act on the selected row ---------------------------------
press Escape
check "Esc: back on the fleet screen" wait_for "Fleet 2 nodes"
posts eng-a >/dev/null
posts eng-b >/dev/null
press j   # the fleet kept its own selection (node-a): select node-b
press R
check "R on the fleet screen asks about the selected row's node" wait_for "Restart the container of node-b?"
press Escape
sleep 1
no_posts "Esc: nothing reached either engine"

# --- --readonly ----------------------------------------------------------------------------
start --readonly
check "--readonly: the UI came up" wait_for "node-b"
wait_for "container running" >/dev/null
contains "--readonly: the key bar says read-only" "$(capture | tail -n 1)" "read-only"
_r=$(sgr_at RRestart) _u=$(sgr_at LLogs)
check "--readonly: R is greyed (R: $_r, L: $_u)" test "$_r" != absent -a "$_u" != absent -a "$_r" != "$_u"
posts eng-a >/dev/null
posts eng-b >/dev/null
press R
check "--readonly: R explains, asks nothing" wait_for "read-only mode"
press y
sleep 1
no_posts "--readonly: neither R nor y reached an engine"
done_testing
