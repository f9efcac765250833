# shellcheck shell=sh
# tests/ui/tmuxlib.sh: a private tmux server for the UI tests. Source after tests/lib.sh.
#   tm ARGS...       tmux on this test's own server (never the user's)
#   capture [ARGS]   the current session's screen (capture-pane -p ARGS)
#   wait_for TEXT    poll the screen (bounded, ~10 s) until TEXT is on it; SCREEN holds it
#   wait_gone TEXT   the same, until TEXT is no longer on it
# The script sets SESSION's number as it starts sessions ("s$SESSION").
SOCK="r1test-$$"
SESSION=0
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
capture() { tm capture-pane -p -t "s$SESSION" "$@" 2>/dev/null; }
wait_for() {
    _i=0
    while [ $_i -lt 50 ]; do
        SCREEN=$(capture)
        case "$SCREEN" in *"$1"*) return 0 ;; esac
        sleep 0.2
        _i=$((_i + 1))
    done
    diag "timed out waiting for: $1" "$SCREEN"
    return 1
}
wait_gone() {
    _i=0
    while [ $_i -lt 50 ]; do
        SCREEN=$(capture)
        case "$SCREEN" in *"$1"*) ;; *) return 0 ;; esac
        sleep 0.2
        _i=$((_i + 1))
    done
    diag "still on screen: $1" "$SCREEN"
    return 1
}
