# shellcheck shell=sh
# tests/ui/tmuxlib.sh: a private tmux server for the UI tests. Source after tests/lib.sh.
#   tm ARGS...       tmux on this test's own server (never the user's): its socket lives in a
#                    temporary folder, so no command here can reach another server
#   tm kill-session ARGS / tm kill-server
#                    also end what ran in the panes (lib.sh's reap), whatever signals it
#                    ignores; kill-server removes the socket's folder. Call it from the EXIT trap.
#   capture [ARGS]   the current session's screen (capture-pane -p ARGS)
#   wait_for TEXT    poll the screen (bounded, ~10 s) until TEXT is on it; SCREEN holds it
#   wait_gone TEXT   the same, until TEXT is no longer on it
#   to_node_screen   from the fleet screen (the start screen with several nodes) to the node
#                    screen of its first row (Enter), for tests of the node screen
# The script sets SESSION's number as it starts sessions ("s$SESSION").
TM_DIR=$(tmpdir)
SESSION=0
_tmux() { tmux -S "$TM_DIR/sock" -f /dev/null "$@"; }
tm() {
    case ${1:-} in
    kill-session)
        # the pane's process leads its own group; killing the session only sends it SIGHUP
        shift
        # shellcheck disable=SC2046 # a list of pids
        reap $(_tmux list-panes -s "$@" -F '#{pane_pid}' 2>/dev/null)
        _tmux kill-session "$@"
        ;;
    kill-server)
        # the server is the panes' parent: reaping it from the top takes everything
        # shellcheck disable=SC2046
        reap $(_tmux display-message -p '#{pid}' 2>/dev/null) \
            $(_tmux list-panes -a -F '#{pane_pid}' 2>/dev/null)
        _tmux kill-server 2>/dev/null
        rm -rf "$TM_DIR"
        ;;
    *) _tmux "$@" ;;
    esac
}
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
to_node_screen() {
    wait_for "F6SortBy" >/dev/null || return 1
    tm send-keys -t "s$SESSION" Enter
    wait_gone "F6SortBy" >/dev/null
}
