# tests/lib.sh: TAP helpers for the shell tests (integration and UI). Source it, call plan N,
# then ok/fail/check, and finish with done_testing. Automake's TAP driver counts each line.
# Environment from the harness: R1TOP (the binary), R1_SRCDIR. Test data lives in
# $R1_SRCDIR/tests/data; nothing outside the checkout is read.
#
# Processes: a test ends every process it starts, however it ends. `reap PID...` ends PID,
# its process group and all their descendants (TERM, R1_REAP_GRACE_S seconds, then KILL).
# `reap_at_exit PID...` queues background processes for the EXIT trap set here, which a
# script that sets its own EXIT trap keeps by calling reap_spawned in it (sim_stop and
# `tm kill-server` reap what simlib.sh and tmuxlib.sh started). An ASan r1top once hung in
# LeakSanitizer's exit path after its tmux session sent SIGHUP and spun for 25 minutes after
# the suite; only a KILL ends that.
: "${R1TOP:=$(pwd)/r1top}"
: "${R1_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${R1_REAP_GRACE_S:=2}"
export R1TOP R1_SRCDIR
_tap_n=0
_tap_failed=0
plan() { echo "1..$1"; }
ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
fail() { _tap_n=$((_tap_n + 1)); _tap_failed=$((_tap_failed + 1)); echo "not ok $_tap_n - $*"; }
# check "description" command...: ok if the command succeeds.
check() { _d=$1; shift; if "$@"; then ok "$_d"; else fail "$_d"; fi; }
# contains "description" "haystack" "needle"
contains() {
    case "$2" in *"$3"*) ok "$1" ;; *) fail "$1"; echo "# expected to find: $3" ;; esac
}
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
# skip "description" "reason": one planned case that cannot run here (TAP "# SKIP"; the
# harness records SKIP, tests/summary.sh counts it apart from passed and failed)
skip() { ok "$1 # SKIP ${2:-}"; }
tmpdir() { mktemp -d "${TMPDIR:-/tmp}/r1top-test.XXXXXX"; }
done_testing() { [ "$_tap_failed" -eq 0 ]; }
# term_after SECS PID: TERM to the background PID after SECS seconds, waited for; its exit
# status in TERM_RC (r1top logs -f ends so)
# shellcheck disable=SC2034 # TERM_RC is the caller's
term_after() { sleep "$1"; kill -TERM "$2" 2>/dev/null; wait "$2"; TERM_RC=$?; }
# no_line_twice FILE: no line of FILE is there twice (a follow prints each line once)
no_line_twice() { [ "$(sort "$1" | uniq -d | wc -l)" -eq 0 ]; }
# no_sanitizer_report DIR: no DIR/*.err holds a sanitizer's report (under the suite's ASan build
# one goes to stderr while the run may still succeed); the reports as diagnostics if one does
no_sanitizer_report() {
    _san=$(grep -l Sanitizer "$1"/*.err 2>/dev/null)
    [ -z "$_san" ] && return 0
    # shellcheck disable=SC2086 # a list of files
    diag "$(head -c 3000 $_san)"
    return 1
}

# _r1_procs: "PID PPID PGID STATE" of every process, read from /proc (procps may be absent).
# The name field may hold spaces and parentheses, so the fields are counted after its last ")".
_r1_procs() {
    cat /proc/[0-9]*/stat 2>/dev/null |
        awk '{ s = $0; sub(/.*\) /, "", s); split(s, f, " "); print $1, f[2], f[3], f[1] }'
}
# _r1_tree PID...: the live PIDs, the members of the process groups they lead and all their
# descendants. Taken before anything is signalled: a child whose parent dies is re-parented
# and its link to the tree is lost (GNU timeout, for one, leaves its parent's process group).
_r1_tree() {
    _r1_procs | awk -v roots="$*" -v self="$$" '
        BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) want[r[i]] = 1 }
        $4 != "Z" { ppid[$1] = $2; pgid[$1] = $3 }
        END {
            do {
                grew = 0
                for (p in ppid)
                    if (!(p in want) && ((ppid[p] in want) || (pgid[p] in want))) {
                        want[p] = 1
                        grew = 1
                    }
            } while (grew)
            for (p in want)
                if ((p in ppid) && p != self && p + 0 > 1) print p
        }'
}
# _r1_alive PID...: those of PID... still running (a zombie has ended: only its parent's wait
# is missing)
_r1_alive() {
    _r1_procs | awk -v pids=" $* " '$4 != "Z" && index(pids, " " $1 " ") { print $1 }'
}
# reap PID...: TERM PID, its group and descendants; KILL what is left after the grace period.
# Never fails; says in a TAP comment what needed the KILL.
reap() {
    _rp=$(_r1_tree "$@")
    [ -n "$_rp" ] || return 0
    # shellcheck disable=SC2086 # a list of pids
    kill -TERM $_rp 2>/dev/null
    _ri=0
    while [ -n "$_rp" ] && [ $_ri -lt $((R1_REAP_GRACE_S * 10)) ]; do
        sleep 0.1
        # shellcheck disable=SC2086
        _rp=$(_r1_alive $_rp)
        _ri=$((_ri + 1))
    done
    if [ -n "$_rp" ]; then
        diag "still running ${R1_REAP_GRACE_S} s after SIGTERM, sent SIGKILL:" \
            "$(for _p in $_rp; do tr '\0' ' ' <"/proc/$_p/cmdline" 2>/dev/null; echo; done)"
        # shellcheck disable=SC2086
        kill -KILL $_rp 2>/dev/null
    fi
    # collect the exit status of our own children (no zombies); others' are not ours to wait
    for _p in "$@"; do wait "$_p" 2>/dev/null; done
    return 0
}
R1_SPAWNED=""
reap_at_exit() { R1_SPAWNED="$R1_SPAWNED $*"; }
reap_spawned() {
    # shellcheck disable=SC2086
    [ -z "$R1_SPAWNED" ] || reap $R1_SPAWNED
    R1_SPAWNED=""
}
trap 'reap_spawned' EXIT
trap 'exit 130' INT TERM
