#!/bin/sh
# resize_help_quit: r1top --demo in a private tmux server — the screen follows resizes
# (100x30, 60x20, 30x8 and back to 80x24) with nothing left over from the old size; "?" shows
# a help screen that lists every key of every key table (`r1top --keys`, read page by page
# with PgDn); Esc and q close it; q quits
# with status 0 and leaves the shell's screen and a sane tty behind; a crash signal
# (SIGSEGV) also gives the terminal back.
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

# r1top runs under a shell that reports how it ended and whether the tty is sane again
# (canonical mode and echo back on), then waits so the result can be read off the pane.
cat >"$WORK/run.sh" <<EOF
echo \$\$ >"$WORK/pid"
env LANG=C.UTF-8 LC_ALL= TERM=$TERMNAME sh -c 'echo \$\$ >"$WORK/r1pid"; exec "\$0" --demo' "$R1TOP"
echo R1TOP_EXITED=\$?
if stty -a | grep -q ' icanon' && stty -a | grep -q ' echo '; then echo TTY_SANE=yes; fi
echo R1TOP_DONE
sleep 60
EOF
# Sessions get fresh names and the old one goes once the new one exists: killing the last
# session first would stop the server under the next new-session.
start() {
    _old=s$SESSION
    SESSION=$((SESSION + 1))
    rm -f "$WORK/r1pid"
    tm new-session -d -s "s$SESSION" -x "$1" -y "$2" "sh '$WORK/run.sh'"
    tm kill-session -t "$_old" >/dev/null 2>&1
    to_node_screen # the demo's nine nodes start on the fleet screen
}
# resize X Y: resize the window and wait until the key bar sits on the new last line
resize() {
    tm resize-window -t "s$SESSION" -x "$1" -y "$2"
    _i=0
    while [ $_i -lt 50 ]; do
        SCREEN=$(capture)
        _rows=$(printf '%s\n' "$SCREEN" | wc -l)
        _last=$(printf '%s\n' "$SCREEN" | tail -n 1)
        _first=$(printf '%s\n' "$SCREEN" | head -n 1)
        case "$_first$_last" in r1top*F1Help*) [ "$_rows" -eq "$2" ] && return 0 ;; esac
        sleep 0.2
        _i=$((_i + 1))
    done
    diag "no redraw at ${1}x$2" "$SCREEN"
    return 1
}
press() { tm send-keys -t "s$SESSION" "$1"; }
help_closed() { wait_gone "Keys" && wait_for "PoA"; }
count() { printf '%s\n' "$SCREEN" | grep -c -- "$1"; }
titles_once() {
    for t in "─ Licence " "─ Uptime & availability " "─ Workloads" "─ GPU" "─ Rewards "; do
        [ "$(count "$t")" -eq 1 ] || { diag "'$t' shown $(count "$t") times"; return 1; }
    done
}
# every body row of the 80x24 grid starts and ends inside a box: a row that kept text from
# an older, larger frame would not
rows_framed() {
    ! printf '%s\n' "$SCREEN" | sed -n '3,23p' | grep -v '^[┌│└].*[┐│┘]$'
}

start 80 24
check "80x24: demo screen came up" wait_for "RTX 4090"

# --- resize --------------------------------------------------------------------------------
check "resize to 100x30 redraws" resize 100 30
contains "100x30: node column" "$SCREEN" "Nodes "
check "100x30: every pane title once" titles_once
check "resize to 60x20 redraws" resize 60 20
check "60x20: every pane title once" titles_once
tm resize-window -t "s$SESSION" -x 30 -y 8
check "30x8: says the terminal is too small" wait_for "too small"
check "back to 80x24 redraws" resize 80 24
wait_for "RTX 4090" >/dev/null
check "80x24 after resizes: every pane title once" titles_once
check "80x24 after resizes: no leftovers in the body rows" rows_framed

# --- help ----------------------------------------------------------------------------------
KEYS=$("$R1TOP" --keys 2>/dev/null)
if [ -z "$KEYS" ]; then
    diag "r1top --keys printed nothing: checking the help against a fixed list"
    KEYS='F1, ?
Tab, n, Right
F5, r
Esc
F10, q'
fi
press '?'
check "? opens the help" wait_for "Keys"
check "help hides the panes" sh -c '! printf "%s\n" "$1" | grep -q "PoA claimable"' _ "$SCREEN"
# the help is longer than 80x24: read it page by page (PgDn) while it says there is more. A
# capture can catch a frame half drawn: wait for the page's "more" mark before reading it.
wait_for '↓' >/dev/null
HELP=$SCREEN
pages=1
while printf '%s\n' "$SCREEN" | grep -q '↓' && [ $pages -lt 10 ]; do
    body=$(capture | sed 1d) # the header's clock changes by itself
    press NPage
    _j=0
    while [ "$(capture | sed 1d)" = "$body" ] && [ $_j -lt 25 ]; do
        sleep 0.2
        _j=$((_j + 1))
    done
    # and until two captures agree (a frame is written in pieces)
    SCREEN=$(capture)
    _j=0
    while sleep 0.2 && [ "$(capture | sed 1d)" != "$(printf '%s\n' "$SCREEN" | sed 1d)" ] && [ $_j -lt 25 ]; do
        SCREEN=$(capture)
        _j=$((_j + 1))
    done
    HELP="$HELP
$SCREEN"
    pages=$((pages + 1))
done
missing=0
printf '%s\n' "$KEYS" >"$WORK/keys"
while IFS= read -r line; do
    line=$(printf '%s' "$line" | sed 's/[[:space:]]*$//')
    [ -n "$line" ] || continue
    case "$HELP" in *"$line"*) ;; *) missing=$((missing + 1)); diag "not in help: $line" ;; esac
done <"$WORK/keys"
check "help lists every key of every key table ($pages pages)" test "$missing" -eq 0
press Escape
check "Esc closes the help" help_closed
press '?'
wait_for "Keys" >/dev/null
press q
check "q closes the help first" help_closed
press F1
check "F1 opens the help" wait_for "Keys"
press F1
check "F1 closes the help" help_closed

# --- node switching ------------------------------------------------------------------------
press Tab
check "Tab selects the next node" wait_for "node 2/"
press BTab
check "Shift-Tab goes back" wait_for "node 1/"

# --- quit ----------------------------------------------------------------------------------
press q
check "q quits" wait_for "R1TOP_DONE"
contains "exit status 0" "$SCREEN" "R1TOP_EXITED=0"
contains "tty back in canonical mode with echo" "$SCREEN" "TTY_SANE=yes"
check "the r1top screen is gone (alternate screen left)" \
    sh -c '! printf "%s\n" "$1" | grep -Eq "Licence|F1Help|PoA claimable"' _ "$SCREEN"

# --- a crash signal gives the terminal back --------------------------------------------
start 80 24
wait_for "RTX 4090" >/dev/null
pid=$(cat "$WORK/r1pid" 2>/dev/null)
if [ -n "$pid" ] && kill -SEGV "$pid" 2>/dev/null; then
    wait_for "R1TOP_DONE" >/dev/null
    contains "SIGSEGV: died of the signal" "$SCREEN" "R1TOP_EXITED=139"
    contains "SIGSEGV: tty sane again" "$SCREEN" "TTY_SANE=yes"
    check "SIGSEGV: the r1top screen is gone" \
        sh -c '! printf "%s\n" "$1" | grep -Eq "Licence|F1Help"' _ "$SCREEN"
else
    fail "SIGSEGV: found r1top's pid"
fi

plan $_tap_n
done_testing
