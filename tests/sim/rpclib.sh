# rpclib.sh: shell helpers for tests that run tests/sim/rpcsim.py (the JSON-RPC simulator),
# sourced after tests/lib.sh and tests/sim/simlib.sh (for $PY, reap_at_exit, diag):
#   rpc_start DIR FIXTURE [args]  start rpcsim.py, set RPC_PID RPC_PORT RPC_URL
#   rpc_get PATH                  GET a /_sim/... path, body on stdout
#   rpc_count                     HTTP requests the RPC got since the last count (then forgot)
#   rpc_cfg_head                  the config's network, oracle (the oracle sim, its signer
#                                 trusted) and chain (the RPC sim, READER, POAI, ND_C, MND_C) blocks
RPCSIM="$R1_SRCDIR/tests/sim/rpcsim.py"
# the contracts a test's fixture names (any address: the sim checks calls go to these)
READER=0x1111111111111111111111111111111111111111
POAI=0x2222222222222222222222222222222222222222
ND_C=0x3333333333333333333333333333333333333333
MND_C=0x4444444444444444444444444444444444444444

rpc_start() {
    _d=$1; _fx=$2; shift 2
    # the last simulator's PORT line must not be read while the new one starts
    rm -f "$_d/rpc.out"
    "$PY" "$RPCSIM" --fixture "$_fx" --lifetime 180 "$@" >"$_d/rpc.out" 2>"$_d/rpc.err" &
    RPC_PID=$!
    reap_at_exit "$RPC_PID"
    RPC_PORT=""
    _i=0
    while [ $_i -lt 100 ] && [ -z "$RPC_PORT" ]; do
        RPC_PORT=$(sed -n 's/^PORT=//p' "$_d/rpc.out" 2>/dev/null)
        kill -0 "$RPC_PID" 2>/dev/null || break
        sleep 0.1
        _i=$((_i + 1))
    done
    RPC_URL="http://127.0.0.1:$RPC_PORT"
    [ -n "$RPC_PORT" ] || { diag "rpcsim did not start: $(cat "$_d/rpc.err")"; return 1; }
}
rpc_get() { "$PY" -c 'import sys,urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1],timeout=10).read().decode())' "$RPC_URL$1"; }
rpc_count() { rpc_get "/_sim/requests?clear=1" | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)["requests"]))'; }
rpc_cfg_head() {
    printf 'network: mainnet\noracle:\n  url: %s\n  trusted:\n    - "%s"\n' "$SIM_URL" "$SIM_SIGNER"
    printf 'chain:\n  rpc_url: %s\n  contracts:\n    reader: "%s"\n    poai_manager: "%s"\n' "$RPC_URL" "$READER" "$POAI"
    printf '    nd: "%s"\n    mnd: "%s"\n' "$ND_C" "$MND_C"
}
