#!/bin/sh
# demo_screen: what a person sees of `r1top --demo` in a private tmux server, at 80x24 and
# 200x50 — every pane title, the header's network and epoch, a demo node's key figures
# (its alias, licence type, an R1 amount, a GPU name, a pipeline image). Also: LANG=C draws
# only ASCII, and --no-color / NO_COLOR draw no colour (bold and reverse only).
# The figures are the first demo node's (src/sources/demo.c: r1-gpu-fra-01).
. "$R1_SRCDIR/tests/lib.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
[ -x "$R1TOP" ] || skip_all "no r1top binary at $R1TOP"

. "$R1_SRCDIR/tests/ui/tmuxlib.sh"
trap 'tm kill-server >/dev/null 2>&1' EXIT
trap 'exit 1' INT TERM
# the tmux server itself runs in UTF-8 so captures of UTF-8 runs come back intact
export LC_ALL=C.UTF-8
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color
ESC=$(printf '\033')

# start COLS ROWS "ENV..." "ARGS...": r1top --demo in a fresh session. Sessions get fresh
# names and the old one goes once the new one exists: killing the last session first would
# stop the server under the next new-session.
start() {
    _old=s$SESSION
    SESSION=$((SESSION + 1))
    tm new-session -d -s "s$SESSION" -x "$1" -y "$2" \
        "env LANG=C.UTF-8 LC_ALL= TERM=$TERMNAME $3 '$R1TOP' --demo $4; sleep 30"
    tm kill-session -t "$_old" >/dev/null 2>&1
    to_node_screen # the demo's nine nodes start on the fleet screen
}
# colour SGR parameters (30-38, 40-48, 90-97, 100-107) in an escaped capture
colour_codes() {
    printf '%s\n' "$1" | grep -o "$ESC\[[0-9;:]*m" | sed "s/^$ESC\[//; s/m\$//" |
        tr ';:' '\n\n' | grep -E '^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$'
}
has_line() { printf '%s\n' "$SCREEN" | grep -Eq "$1"; }

# screen_checks SIZE: the assertions shared by every size
screen_checks() {
    for t in "Licence" "Uptime & availability" "Workloads" "GPU" "Rewards"; do
        contains "$1: pane title '$t'" "$SCREEN" "$t"
    done
    first=$(printf '%s\n' "$SCREEN" | head -n 1)
    contains "$1: header names the network" "$first" "mainnet"
    check "$1: header shows the current epoch" \
        sh -c 'printf "%s\n" "$1" | grep -Eq "(Epoch |e)[0-9]+"' _ "$first"
    check "$1: header shows the time left in the epoch" \
        sh -c 'printf "%s\n" "$1" | grep -Eq "[0-9]+[hmd] [0-9]+[hms]"' _ "$first"
    contains "$1: demo node alias" "$SCREEN" "r1-gpu-fra-01"
    check "$1: licence type ND" has_line 'ND #[0-9]+'
    check "$1: an R1 amount" has_line '[0-9]+\.[0-9]{4} R1'
    contains "$1: GPU name" "$SCREEN" "RTX 4090"
    contains "$1: pipeline image" "$SCREEN" "tvitalii/"
    contains "$1: PoAI line" "$SCREEN" "PoAI"
    last=$(printf '%s\n' "$SCREEN" | tail -n 1)
    contains "$1: key bar help" "$last" "F1Help"
    contains "$1: key bar quit" "$last" "F10Quit"
}

# --- 80x24 ---------------------------------------------------------------------------
start 80 24 "" ""
if wait_for "RTX 4090" && wait_for "tvitalii/" && wait_for " R1"; then
    ok "80x24: demo screen came up"
else
    fail "80x24: demo screen came up"
fi
screen_checks 80x24
check "80x24: node strip lists several nodes" has_line 'r1-gpu-fra-01.*r1-gpu-nyc-02'

# --- 200x50 --------------------------------------------------------------------------
start 200 50 "" ""
wait_for "RTX 4090" && wait_for "tvitalii/ratio1-drive" && wait_for " R1"
screen_checks 200x50
contains "200x50: node column" "$SCREEN" "Nodes "
contains "200x50: full image name" "$SCREEN" "tvitalii/ratio1-drive"
check "200x50: epoch chart percentages" has_line '( +[0-9]{1,3}){10}'

# --- colour: on by default, off with --no-color and with NO_COLOR ---------------------
start 80 24 "" ""
wait_for "RTX 4090"
codes=$(colour_codes "$(capture -e)")
check "colour by default (the check below can fail)" test -n "$codes"
start 80 24 "" "--no-color"
wait_for "RTX 4090"
esc=$(capture -e)
codes=$(colour_codes "$esc")
check "--no-color: no colour escapes" test -z "$codes"
contains "--no-color: bold or reverse still marks things" "$esc" "$ESC["
start 80 24 "NO_COLOR=1" ""
wait_for "RTX 4090"
codes=$(colour_codes "$(capture -e)")
check "NO_COLOR=1: no colour escapes" test -z "$codes"

# --- ASCII fallback outside UTF-8 ------------------------------------------------------
start 80 24 "LANG=C LC_ALL=C" ""
wait_for "RTX 4090"
check "LANG=C: the screen came up" has_line 'Licence'
check "LANG=C: no block, box or dot characters" \
    sh -c '! printf "%s\n" "$1" | grep -q "[▁▂▃▄▅▆▇█░●─│┌┐└┘…·✓]"' _ "$SCREEN"
check "LANG=C: only printable ASCII" \
    sh -c '! printf "%s\n" "$1" | LC_ALL=C grep -q "[^ -~]"' _ "$SCREEN"
check "LANG=C: ASCII boxes" has_line '^\+- Licence'

plan $_tap_n
done_testing
