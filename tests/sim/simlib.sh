# shellcheck shell=sh disable=SC2034
# tests/sim/simlib.sh: start/stop the simulator and query r1top's JSON from shell tests.
# Source it after tests/lib.sh. Needs /usr/bin/python3 with the `cryptography` package.
#   sim_require                   skip_all unless the sim and the binary can run
#   sim_start DIR [sim args...]   start r1sim.py (state in DIR/state), sets SIM_PID SIM_PORT
#                                 SIM_URL SIM_SIGNER SIM_SIGNER_ETH SIM_DIR
#   sim_stop                      end every sim this script started and what it started (call
#                                 it from the EXIT trap; lib.sh's own trap does it too)
#   sim_config FILE [timeout] [trusted]
#                                 write an r1top config pointing at the running sim; its
#                                 `oracle: trusted:` lists the sim's SIGNER (its key is fresh
#                                 each run), or the space-separated addresses in [trusted];
#                                 "-" trusts none (the sim is then an unknown signer)
#   sim_get PATH OUT              save the raw reply to GET PATH (e.g. /node_last_epoch?...)
#   r1top_once OUT CFG [args]     run `r1top --once --json`, time-bounded; sets R1_RC, R1_SECS
#   jcheck "desc" FILE 'expr'     TAP check of a Python expression over the parsed document `d`
#                                 (also `n` = d["nodes"][0], `src` = n["sources"], `info` = sim info,
#                                 `allstr(x)` = every string in x)
PY=/usr/bin/python3
SIM="$R1_SRCDIR/tests/sim/r1sim.py"
SIM_PIDS=""
: "${R1_TIMEOUT:=60}"

sim_require() {
    [ -x "$PY" ] || skip_all "$PY not found"
    "$PY" -c 'import cryptography.hazmat.primitives.asymmetric.ec' 2>/dev/null ||
        skip_all "$PY lacks the cryptography package (apt install python3-cryptography)"
    [ -x "$R1TOP" ] || skip_all "r1top binary not found at $R1TOP"
    command -v timeout >/dev/null 2>&1 || skip_all "timeout(1) not found"
}

# sim_start DIR [args...]
sim_start() {
    _d=$1; shift
    mkdir -p "$_d/state"
    rm -f "$_d/sim.out" # a last simulator's PORT line must not be read while this one starts
    "$PY" "$SIM" --state-dir "$_d/state" --lifetime "${SIM_LIFETIME:-180}" "$@" \
        >"$_d/sim.out" 2>"$_d/sim.err" &
    SIM_PID=$!
    SIM_PIDS="$SIM_PIDS $SIM_PID"
    reap_at_exit "$SIM_PID"
    SIM_PORT=""
    _i=0
    while [ $_i -lt 100 ]; do
        SIM_PORT=$(sed -n 's/^PORT=//p' "$_d/sim.out" 2>/dev/null)
        [ -n "$SIM_PORT" ] && break
        kill -0 "$SIM_PID" 2>/dev/null || break
        sleep 0.1
        _i=$((_i + 1))
    done
    SIM_SIGNER=$(sed -n 's/^SIGNER=//p' "$_d/sim.out")
    SIM_SIGNER_ETH=$(sed -n 's/^SIGNER_ETH=//p' "$_d/sim.out")
    SIM_DIR=$_d
    SIM_URL="http://127.0.0.1:$SIM_PORT"
    if [ -z "$SIM_PORT" ]; then
        diag "simulator did not start:" "$(cat "$_d/sim.err")"
        return 1
    fi
    # what the sim serves, for the expectations (never faulted)
    "$PY" -c 'import sys,urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1],timeout=10).read().decode())' \
        "$SIM_URL/_sim/info" >"$_d/info.json"
}

sim_stop() {
    # shellcheck disable=SC2086 # a list of pids
    reap $SIM_PIDS
    SIM_PIDS=""
}

# sim_fault MODE [PATH]: switch the running sim's fault at run time
sim_fault() {
    "$PY" -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1],timeout=10).read()' \
        "$SIM_URL/_sim/fault?mode=$1&path=${2:-}"
}

# sim_get PATH OUT: save the body of GET $SIM_URL$PATH (the sim listens on 127.0.0.1 only);
# fails unless the answer is HTTP 200
sim_get() {
    "$PY" -c 'import sys,urllib.request; open(sys.argv[2],"wb").write(urllib.request.urlopen(sys.argv[1],timeout=10).read())' \
        "$SIM_URL$1" "$2"
}

# sim_config FILE [http-timeout] [trusted addresses | -]
sim_config() {
    _trusted=${3:-$SIM_SIGNER}
    [ "$_trusted" = - ] && _trusted=""
    {
        printf 'network: mainnet\noracle:\n  url: %s\n' "$SIM_URL"
        if [ -n "$_trusted" ]; then
            printf '  trusted:\n'
            for _a in $_trusted; do printf '    - "%s"\n' "$_a"; done
        else
            printf '  trusted: []\n'
        fi
    } >"$1"
    cat >>"$1" <<EOF
http:
  timeout: ${2:-3}
nodes:
  - name: sim-node
    eth_address: 0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69
    status: file://$SIM_DIR/state/_data/
EOF
}

# r1top_once OUT CFG [extra args...]: stdout -> OUT, stderr -> OUT.err
r1top_once() {
    _out=$1; _cfg=$2; shift 2
    _t0=$(date +%s)
    # shellcheck disable=SC2086 # R1_WRAP is a command prefix (valgrind ...), split on purpose
    timeout -k 5 "$R1_TIMEOUT" ${R1_WRAP:-} "$R1TOP" --once --json --config "$_cfg" "$@" >"$_out" 2>"$_out.err"
    R1_RC=$?
    R1_SECS=$(($(date +%s) - _t0))
}

# jeval FILE 'expr' -> exit 0 if the expression is truthy; prints the reason otherwise
jeval() {
    "$PY" - "$1" "$2" "${SIM_DIR:-/nonexistent}/info.json" <<'PYEOF'
import json, sys
path, expr, infopath = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    with open(path, "rb") as f:
        d = json.loads(f.read().decode("utf-8"))
except Exception as e:
    print("# cannot parse %s: %r" % (path, e)); sys.exit(1)
try:
    with open(infopath) as f:
        info = json.load(f)
except Exception:
    info = {}
n = (d.get("nodes") or [{}])[0] if isinstance(d, dict) else {}
src = n.get("sources") or {}
def allstr(x):
    """every string (keys and values) in a parsed document"""
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for k, v in x.items():
            yield k
            yield from allstr(v)
    elif isinstance(x, list):
        for v in x:
            yield from allstr(v)
try:
    v = eval(expr)
except Exception as e:
    print("# %s raised %r" % (expr, e)); sys.exit(1)
if not v:
    print("# false: %s" % expr)
    sys.exit(1)
PYEOF
}

jcheck() {
    _d=$1; shift
    if _msg=$(jeval "$@"); then ok "$_d"; else fail "$_d"; [ -n "$_msg" ] && echo "$_msg"; fi
}

# jget FILE 'expr' -> prints repr-ish JSON of the value (for diagnostics)
jget() {
    "$PY" - "$1" "$2" <<'PYEOF'
import json, sys
try:
    d = json.load(open(sys.argv[1], encoding="utf-8"))
    n = (d.get("nodes") or [{}])[0]
    src = n.get("sources") or {}
    print(json.dumps(eval(sys.argv[2]), ensure_ascii=True))
except Exception as e:
    print("<%r>" % e)
PYEOF
}

# has_raw_esc FILE -> exit 0 if FILE contains a raw ESC (0x1b) or BEL (0x07) byte
has_raw_esc() {
    "$PY" -c 'import sys; b=open(sys.argv[1],"rb").read(); sys.exit(0 if (b"\x1b" in b or b"\x07" in b) else 1)' "$1"
}

# r1top_run OUT [r1top args...]: r1top with stdin not a terminal, time-bounded; stdout -> OUT,
# stderr -> OUT.err; sets R1_RC R1_SECS
r1top_run() {
    _out=$1; shift
    _t0=$(date +%s)
    # shellcheck disable=SC2086 # R1_WRAP is a command prefix (valgrind ...), split on purpose
    timeout -k 5 "$R1_TIMEOUT" ${R1_WRAP:-} "$R1TOP" "$@" </dev/null >"$_out" 2>"$_out.err"
    R1_RC=$?
    R1_SECS=$(($(date +%s) - _t0))
}
# says "desc" OUT REGEX: the run's stdout or stderr matches REGEX (grep -E)
says() {
    if cat "$2" "$2.err" | grep -Eq -e "$3"; then ok "$1"; else
        fail "$1"; diag "expected /$3/ in:" "$(cat "$2" "$2.err" | head -c 1500)"
    fi
}

rc_is() {
    check "$1: exit $2 (rc=$R1_RC, ${R1_SECS}s)" [ "$R1_RC" -eq "$2" ]
    [ "$R1_RC" -eq "$2" ] || diag "stdout/stderr:" "$(cat "$3" "$3.err" | head -c 1500)"
}
