# tests/sim/dsimlib.sh: the Docker Engine simulator (dockersim.py) for the shell tests that
# drive r1top's Docker source and actions (docker.sh, manage.sh). Source it after tests/lib.sh
# and tests/sim/simlib.sh (for $PY), with T (the test's folder), NODE and CT (the node's and
# its container's names) set. Every simulator started is reaped at exit.
DSIM="$R1_SRCDIR/tests/sim/dockersim.py"

# dsim_start NAME [dockersim args...]: a simulator in $T/NAME with its socket there, and a config
# of one node on it (oracle off, no status files); sets DS_DIR DS_SOCK DS_CFG DS_PID
dsim_start() {
    DS_DIR=$T/$1; shift
    mkdir -p "$DS_DIR"
    chmod 755 "$DS_DIR"
    DS_SOCK=$DS_DIR/docker.sock
    "$PY" "$DSIM" --socket "$DS_SOCK" --container "$CT" --lifetime "${SIM_LIFETIME:-180}" "$@" \
        >"$DS_DIR/sim.out" 2>"$DS_DIR/sim.err" &
    DS_PID=$!
    reap_at_exit "$DS_PID"
    _i=0
    while [ $_i -lt 100 ] && ! grep -q '^SOCKET=' "$DS_DIR/sim.out" 2>/dev/null; do
        kill -0 "$DS_PID" 2>/dev/null || break
        sleep 0.1
        _i=$((_i + 1))
    done
    DS_CFG=$DS_DIR/r1top.yaml
    cat >"$DS_CFG" <<EOF
oracle:
  enabled: false
nodes:
  - name: $NODE
    docker:
      socket: $DS_SOCK
      container: $CT
EOF
    chmod 644 "$DS_CFG"
    if ! grep -q '^SOCKET=' "$DS_DIR/sim.out"; then
        diag "dockersim did not start:" "$(cat "$DS_DIR/sim.err")"
        return 1
    fi
}
dsim_stop() { reap "$DS_PID"; }
# dsim_call [METHOD] PATH: the body of one request to the simulator, on stdout
dsim_call() { "$PY" "$DSIM" --socket "$DS_SOCK" --call "$@"; }
dsim_fault() { dsim_call "/_sim/fault?mode=$1" >/dev/null; }
# dsim_requests OUT: what reached the engine since the last call, as {"requests": [...]};
# jcheck expressions use posts(d) and calls(d) ([(method, path)...])
dsim_requests() { dsim_call "/_sim/requests?clear=1" >"$1"; }
# shellcheck disable=SC2034 # calls and posts are for the sourcing tests' jcheck expressions
calls='[(r["method"], r["path"]) for r in d["requests"]]'
# shellcheck disable=SC2034
posts='[r["path"] for r in d["requests"] if r["method"] == "POST"]'

# r1top_run, says and rc_is are simlib.sh's (source it first)
# logged "desc" BEFORE REGEX: a line matching REGEX (grep -E) was appended to $LOG since BEFORE,
# a copy of it taken earlier
logged() {
    if tail -n +"$(($(wc -l <"$2") + 1))" "$LOG" | grep -Eq -e "$3"; then ok "$1"; else
        fail "$1"; diag "expected /$3/ in the new lines of $LOG:" "$(cat "$LOG")"
    fi
}

# dsim_as_nobody: AS_NOBODY, a command prefix that runs a command as the user nobody (root
# only: setpriv or runuser), or "" where that is not possible or nobody cannot run $R1TOP
dsim_as_nobody() {
    AS_NOBODY=""
    if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
        if command -v setpriv >/dev/null 2>&1; then
            AS_NOBODY="setpriv --reuid=nobody --regid=$(id -gn nobody) --clear-groups"
        elif command -v runuser >/dev/null 2>&1; then
            AS_NOBODY="runuser -u nobody --"
        fi
    fi
    # nobody must be able to run the binary at all, or the case tests nothing
    # shellcheck disable=SC2086
    if [ -n "$AS_NOBODY" ] && ! $AS_NOBODY "$R1TOP" --version >/dev/null 2>&1; then
        diag "nobody cannot run $R1TOP"
        AS_NOBODY=""
    fi
}
