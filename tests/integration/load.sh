#!/bin/sh
# load.sh: many nodes against one oracle (found-defects D15: every poll of every node started
# at once, with no connection cap). 40 nodes, all asking the one simulator, which answers each
# API request after --delay-ms and counts how many it serves at once (/_sim/info
# "max_concurrent"). r1top caps transfers at 4 per host (R1_MAX_PER_HOST, src/poller.c) and 64
# in all; the jobs over the cap wait for a slot, so the run takes about
# requests / 4 x delay: more than that means serial, less means more than 4 at once.
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"
sim_require

T=$(tmpdir)
trap 'sim_stop; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

plan 9

NODES=40
DELAY_MS=250
PER_HOST=4

sim_start "$T" --delay-ms "$DELAY_MS" || fail "D15: sim start"
{
    # per-node requests (no batching), so the cap on transfers per host is what shapes them
    printf 'network: mainnet\noracle:\n  url: %s\n  batch: false\n  trusted:\n    - "%s"\n' "$SIM_URL" "$SIM_SIGNER"
    printf 'http:\n  timeout: 10\nnodes:\n'
    i=1
    while [ $i -le $NODES ]; do
        # the sim's node under 40 names; no status folder: oracle requests only
        printf '  - name: load-%02d\n    eth_address: 0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69\n' $i
        i=$((i + 1))
    done
} >"$T/r1top.yaml"

t0=$(date +%s%N)
r1top_once "$T/out.json" "$T/r1top.yaml" --timeout 40
MS=$((($(date +%s%N) - t0) / 1000000))
sim_get /_sim/info "$T/after.json" || fail "D15: /_sim/info"
O=$T/out.json
REQ=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$T/after.json" 2>/dev/null)
MAX=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["max_concurrent"])' "$T/after.json" 2>/dev/null)
: "${REQ:=0}" "${MAX:=0}"
diag "rc=$R1_RC ${MS} ms, $REQ requests, at most $MAX at once; failing: $(jget "$O" '[(x["name"], k, s["error"]) for x in d["nodes"] for k, s in x["sources"].items() if not s["ok"]][:5]')"

check "D15: $NODES nodes against one oracle: --once exits 0 (rc=$R1_RC)" [ "$R1_RC" -eq 0 ]
jcheck "D15: every node is in the output" "$O" 'len(d["nodes"]) == '"$NODES"
jcheck "D15: every node got its answers: every source ok, none interrupted" "$O" \
    'all(s["ok"] and s["error_kind"] is None for x in d["nodes"] for s in x["sources"].values()) and not any("interrupted" in t for t in allstr(d))'
jcheck "D15: every node asked the oracle (oracle_last and oracle_range)" "$O" \
    'all({"oracle_last", "oracle_range"} <= set(x["sources"]) for x in d["nodes"])'
check "D15: the oracle was asked at least twice per node ($REQ requests)" [ "$REQ" -ge $((2 * NODES)) ]
check "D15: per-host cap: the oracle never served more than $PER_HOST requests at once (saw $MAX)" \
    [ "$MAX" -le $PER_HOST ]
check "D15: requests still overlap: more than one at once (saw $MAX)" [ "$MAX" -ge 2 ]
# the cap's floor is ceil(REQ / 4) x delay; serial would be REQ x delay
FLOOR=$((((REQ + PER_HOST - 1) / PER_HOST) * DELAY_MS))
SERIAL=$((REQ * DELAY_MS))
check "D15: the run takes what the cap implies: ${MS} ms, between ${FLOOR} (4 at once) and ${SERIAL} ms (one at once)" \
    test "$MS" -ge "$FLOOR" -a "$MS" -lt "$SERIAL"

# the probe itself sees more than the cap when a client asks more at once: 8 threads, let go
# together
"$PY" - "$SIM_URL" <<'PYEOF' || diag "the probe's own clients failed"
import sys, threading, urllib.request
url = sys.argv[1] + "/current_epoch"
go = threading.Barrier(8)
def ask():
    go.wait()
    urllib.request.urlopen(url, timeout=20).read()
ts = [threading.Thread(target=ask) for _ in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
PYEOF
sim_get /_sim/info "$T/probe.json" || fail "D15: /_sim/info"
PMAX=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["max_concurrent"])' "$T/probe.json" 2>/dev/null)
check "D15: the sim's probe sees more than $PER_HOST at once from 8 uncapped clients (saw ${PMAX:-?})" [ "${PMAX:-0}" -gt $PER_HOST ]

sim_stop
done_testing
