#!/bin/sh
# screens: r1top's screens and dialogs in a private tmux server — the restart key opens a
# confirm dialog over the node screen that names the node and what a restart does, and Esc or n
# cancel it; under --readonly the restart key is greyed on the key bar and pressing it only
# says "read-only mode"; the help is a screen that Esc and q close; the node list filters as
# it is typed and Enter shows the node picked. Regressions: D12 (SIGQUIT,
# SIGUSR1, SIGALRM give the terminal back), D27 (TERM=dumb is refused with a message, exit 2),
# D29 (a combining mark in a node's alias is drawn), and a closed terminal ends r1top.
. "$R1_SRCDIR/tests/lib.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
[ -x "$R1TOP" ] || skip_all "no r1top binary at $R1TOP"

. "$R1_SRCDIR/tests/ui/tmuxlib.sh"
WORK=$(tmpdir)
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM
export LC_ALL=C.UTF-8
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color
ESC=$(printf '\033')

# r1top runs under a shell that reports how it ended and whether the tty is sane again, then
# waits so the result can be read off the pane. R1TERM and R1ARGS choose the terminal and the
# arguments; no core files from SIGQUIT.
cat >"$WORK/run.sh" <<EOF
ulimit -c 0
env LANG=C.UTF-8 LC_ALL= TERM=\${R1TERM:-$TERMNAME} sh -c 'echo \$\$ >"$WORK/r1pid"; exec "\$0" \$R1ARGS' "$R1TOP"
echo R1TOP_EXITED=\$?
if stty -a | grep -q ' icanon' && stty -a | grep -q ' echo '; then echo TTY_SANE=yes; fi
echo R1TOP_DONE
sleep 60
EOF
# start COLS ROWS "VAR=value..." ARGS...: a fresh session (the old one goes once the new
# one exists: killing the last session first would stop the server)
start() {
    _old=s$SESSION
    SESSION=$((SESSION + 1))
    rm -f "$WORK/r1pid"
    _cols=$1 _rows=$2 _env=$3
    shift 3
    tm new-session -d -s "s$SESSION" -x "$_cols" -y "$_rows" \
        "env $_env R1ARGS='$*' sh '$WORK/run.sh'"
    tm kill-session -t "$_old" >/dev/null 2>&1
}
press() { tm send-keys -t "s$SESSION" "$1"; }
last_line() { printf '%s\n' "$SCREEN" | tail -n 1; }
# the escapes right before TEXT on the key bar (the last line of an escaped capture)
bar_escapes_before() {
    capture -e | tail -n 1 | grep -o "\($ESC\[[0-9;]*m\)*$1" | head -n 1 | sed "s/$1\$//"
}
dim() { printf '%s' "$1" | grep -q "$ESC\[\([0-9;]*;\)\{0,1\}2\(;[0-9;]*\)\{0,1\}m"; }

# --- the confirm dialog ------------------------------------------------------------------
start 80 24 "" --demo
to_node_screen # the demo's nine nodes start on the fleet screen
check "the demo came up" wait_for "RTX 4090"
contains "the key bar offers Restart" "$(last_line)" "RRestart"
if dim "$(bar_escapes_before RRestart)"; then
    fail "Restart is not greyed without --readonly (so the check below can fail)"
else
    ok "Restart is not greyed without --readonly (so the check below can fail)"
fi
press R
check "R opens a confirm dialog" wait_for "Restart?"
contains "the question names the node" "$SCREEN" "r1-gpu-fra-01"
contains "the question says what a restart does" "$SCREEN" "offline"
contains "the dialog says which keys answer it" "$SCREEN" "n or Esc: cancel"
contains "the key bar is the dialog's" "$(last_line)" "yYes"
press q
sleep 0.3
check "q does not quit while the dialog asks" wait_for "Restart?"
press Escape
check "Esc cancels the dialog" wait_gone "Restart?"
contains "the node screen is back" "$SCREEN" "RTX 4090"
press Tab
wait_for "node 2/" >/dev/null
press R
check "the dialog asks about the node shown" wait_for "r1-gpu-nyc-02?"
press n
check "n cancels the dialog" wait_gone "Restart?"
contains "the node screen kept its node" "$(last_line)" "node 2/"

# --- help is a screen ----------------------------------------------------------------------
press '?'
check "? opens the help screen" wait_for "Node screen:"
contains "the help's key bar closes it" "$(last_line)" "EscClose"
press Escape
check "Esc closes the help" wait_gone "Node screen:"
press F1
wait_for "Node screen:" >/dev/null
press q
check "q closes the help before it quits" wait_gone "Node screen:"
contains "closing the help returns to the node it showed" "$(last_line)" "node 2/"

# --- the node list -------------------------------------------------------------------------
press l
check "l opens the node list" wait_for "STATE"
contains "the list has a row per node" "$SCREEN" "r1-gpu-ams-08"
contains "the list starts on the node shown" "$(last_line)" "node 2/9"
press /
press o
press f
press f
check "/ filters as it is typed" wait_for "/off: 1 of 9"
press Enter
wait_gone "Enter accepts" >/dev/null
press Enter
check "Enter shows the node picked on the node screen" wait_for "node 6/9"
contains "the node screen shows it" "$SCREEN" "r1-offline-05"

# --- --readonly ----------------------------------------------------------------------------
start 80 24 "" --demo --readonly
to_node_screen
check "--readonly: the demo came up" wait_for "RTX 4090"
contains "--readonly: the key bar says read-only" "$(last_line)" "read-only"
esc=$(bar_escapes_before RRestart)
check "--readonly: Restart is greyed on the key bar" dim "$esc"
[ -n "$esc" ] || diag "no escapes before RRestart on: $(capture -e | tail -n 1)"
press R
check "--readonly: R says read-only mode" wait_for "read-only mode"
check "--readonly: no confirm dialog" sh -c '! printf "%s\n" "$1" | grep -q "Restart?"' _ "$SCREEN"
press Escape
check "--readonly: Esc closes the message" wait_gone "read-only mode"

# --- D12: signals whose default action ends r1top give the terminal back ------------------
for spec in QUIT:3 USR1:10 ALRM:14; do # Linux numbers: the shell reports 128 + the number
    sig=${spec%:*}
    start 80 24 "" --demo
    to_node_screen
    wait_for "RTX 4090" >/dev/null
    pid=$(cat "$WORK/r1pid" 2>/dev/null)
    if [ -n "$pid" ] && kill -$sig "$pid" 2>/dev/null; then
        wait_for "R1TOP_DONE" >/dev/null
        contains "D12 SIG$sig: died of the signal" "$SCREEN" "R1TOP_EXITED=$((128 + ${spec#*:}))"
        contains "D12 SIG$sig: tty sane again (echo, canonical)" "$SCREEN" "TTY_SANE=yes"
        check "D12 SIG$sig: the alternate screen is left" \
            sh -c '! printf "%s\n" "$1" | grep -Eq "Licence|F1Help"' _ "$SCREEN"
    else
        fail "D12 SIG$sig: found r1top's pid"
    fi
done

# --- D27: a terminal that cannot address the cursor is refused -----------------------------
start 80 24 "R1TERM=dumb" --demo
check "D27 TERM=dumb: r1top ends" wait_for "R1TOP_DONE"
contains "D27 TERM=dumb: exit status 2" "$SCREEN" "R1TOP_EXITED=2"
contains "D27 TERM=dumb: says why" "$SCREEN" "cannot move the cursor"
contains "D27 TERM=dumb: the tty is left as it was" "$SCREEN" "TTY_SANE=yes"

# --- D29: a combining mark in an alias is drawn with its letter ----------------------------
node="$WORK/node"
mkdir -p "$node/box_configuration/streams"
cp "$R1_SRCDIR/tests/data/node_files/local_history.json" "$node/"
# the fixture's alias, written in NFD: "Cafe" + U+0301 COMBINING ACUTE ACCENT
sed 's/"alias": *"[^"]*"/"alias": "Cafe\\u0301-node"/' \
    "$R1_SRCDIR/tests/data/node_files/local_info.json" >"$node/local_info.json"
printf 'oracle:\n  enabled: false\nnodes:\n  - name: nfd\n    status: %s/\n' "$node" >"$WORK/nfd.yaml"
nfd=$(printf 'Cafe\314\201-node')
start 100 30 "" -c "$WORK/nfd.yaml"
check "D29: the node came up" wait_for "-node"
contains "D29: the alias keeps its combining accent" "$SCREEN" "$nfd"

# --- a closed terminal ends r1top (no SIGHUP reaches it: its shell ignores the hangup) -----
cat >"$WORK/hup.sh" <<EOF
trap '' HUP
env LANG=C.UTF-8 LC_ALL= TERM=$TERMNAME sh -c 'echo \$\$ >"$WORK/r1pid"; exec "\$0" --demo' "$R1TOP"
sleep 60
EOF
SESSION=$((SESSION + 1))
rm -f "$WORK/r1pid"
tm new-session -d -s "s$SESSION" -x 80 -y 24 "sh '$WORK/hup.sh'"
to_node_screen
wait_for "RTX 4090" >/dev/null
pid=$(cat "$WORK/r1pid" 2>/dev/null)
# close the pane's terminal without tmuxlib's reaping: only the pty goes away
command -v _tmux >/dev/null 2>&1 || _tmux() { tm "$@"; }
_tmux kill-session -t "s$SESSION" 2>/dev/null
gone=no
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
    kill -0 "$pid" 2>/dev/null || { gone=yes; break; }
    sleep 0.2
done
check "a closed terminal ends r1top within 3 s" test -n "$pid" -a "$gone" = yes
[ "$gone" = yes ] || { ps -o pid,stat,pcpu,cmd -p "$pid" | sed 's/^/# /'; kill "$pid" 2>/dev/null; }

plan $_tap_n
done_testing
