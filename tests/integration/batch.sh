#!/bin/sh
# batch.sh: a fleet asks the oracle in multi_node_epochs_range batches (the fleet issue): one
# signed reply for many nodes, each node's block bound to that node; a failed batch is one
# failure of the source for each node in it, and never makes a node offline.
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"
sim_require

T=$(tmpdir)
trap 'sim_stop; reap_spawned; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

plan 22

SIM_ETH=0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69
SIM_ADDR=0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty
GHOST_ETH=0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5

# fleet_cfg FILE: the sim's node by ETH address and by 0xai address, and a node the oracle
# never saw
fleet_cfg() {
    {
        printf 'network: mainnet\noracle:\n  url: %s\n  trusted:\n    - "%s"\n' "$SIM_URL" "$SIM_SIGNER"
        printf 'http:\n  timeout: 5\nnodes:\n'
        printf '  - name: by-eth\n    eth_address: %s\n' "$SIM_ETH"
        printf '  - name: by-addr\n    address: %s\n' "$SIM_ADDR"
        printf '  - name: ghost\n    eth_address: %s\n' "$GHOST_ETH"
    } >"$1"
}
requests() { "$PY" -c 'import sys,urllib.request,json; print(json.load(urllib.request.urlopen(sys.argv[1]+"/_sim/info"))["requests"])' "$SIM_URL"; }
# jnodes "desc" FILE 'expr over N': N = the nodes by name (N["by-eth"])
jnodes() { jcheck "$1" "$2" "(lambda N: $3)({x[\"name\"]: x for x in d[\"nodes\"]})"; }

sim_start "$T/ok" || fail "sim start"
fleet_cfg "$T/ok/r1top.yaml"
r0=$(requests)
r1top_once "$T/ok.json" "$T/ok/r1top.yaml"
r1=$(requests)
check "a fleet of 3: exit 0 (rc=$R1_RC)" [ "$R1_RC" -eq 0 ]
check "a fleet of 3 costs at most 3 oracle requests (epoch, batch, a wider batch): $((r1 - r0))" [ $((r1 - r0)) -le 3 ]
jcheck "every node's oracle source is the batch, and ok" "$T/ok.json" \
    'all(list(n["sources"].keys()) == ["oracle_range"] and n["sources"]["oracle_range"]["ok"] for n in d["nodes"])'
jcheck "the batch URL is multi_node_epochs_range" "$T/ok.json" \
    'all(n["sources"]["oracle_range"]["source"].endswith("/multi_node_epochs_range") for n in d["nodes"])'
jnodes "by ETH and by 0xai address: the licence, verified, exact" "$T/ok.json" \
    'all(N[k]["licence"]["total_assigned_wei"] == "1575188843457943924600" and N[k]["licence"]["trust"] == "verified" for k in ("by-eth", "by-addr"))'
jnodes "by ETH and by 0xai address: the estimate equals the simulator's" "$T/ok.json" \
    'all(N[k]["rewards"]["poa_claimable_wei"] == info["poa_claimable_wei"] and N[k]["rewards"]["poa_verified"] for k in ("by-eth", "by-addr"))'
jnodes "by ETH and by 0xai address: online, seen by the oracle, last epoch" "$T/ok.json" \
    'all(N[k]["online"] == "online" and N[k]["availability"]["last_epoch"] == info["last_synced_epoch"] for k in ("by-eth", "by-addr"))'
jnodes "the node known by 0xai address only gets its ETH address nowhere but its own" "$T/ok.json" \
    'N["by-addr"]["eth_address"] is None and N["by-addr"]["address"] == "'"$SIM_ADDR"'"'
jnodes "a node the oracle never saw: unknown to the oracle, not an error" "$T/ok.json" \
    '"No internal node address found" in (N["ghost"]["availability"]["oracle_error"] or "") and N["ghost"]["sources"]["oracle_range"]["ok"] and N["ghost"]["licence"]["type"] is None'

jnodes "a node the oracle never saw: its state unknown (not offline), its problem says why" "$T/ok.json" \
    'N["ghost"]["online"] == "unknown" and N["ghost"]["problem"] == "unknown_to_oracle" and N["ghost"]["problem_text"] == "unknown to the oracle" and N["by-eth"]["problem"] is None'

# a failed batch: one failure of the source for each node in it, last values kept, not offline
sim_fault http500 /multi_node_epochs_range
r1top_once "$T/500.json" "$T/ok/r1top.yaml"
check "a failed batch: exit 1 (rc=$R1_RC)" [ "$R1_RC" -eq 1 ]
jcheck "a failed batch: each node's oracle source failed with HTTP 500" "$T/500.json" \
    'all(n["sources"]["oracle_range"]["ok"] is False and n["sources"]["oracle_range"]["http_code"] == 500 for n in d["nodes"])'
jcheck "a failed batch: nobody is called offline for it" "$T/500.json" 'all(n["online"] != "offline" for n in d["nodes"])'
jcheck "a failed batch: the licence block says why" "$T/500.json" 'all("HTTP 500" in (n["licence"]["error"] or "") for n in d["nodes"])'

# the batch is bound node by node: a block under our key about another node is refused
sim_fault othernode /multi_node_epochs_range
r1top_once "$T/other.json" "$T/ok/r1top.yaml"
jnodes "D2 in a batch: blocks about another node are refused, nothing stored" "$T/other.json" \
    'all(N[k]["sources"]["oracle_range"]["error_kind"] == "refused" and "not this node" in N[k]["sources"]["oracle_range"]["error"] and N[k]["licence"]["type"] is None for k in ("by-eth", "by-addr"))'
sim_fault oldreply /multi_node_epochs_range
r1top_once "$T/old.json" "$T/ok/r1top.yaml"
jcheck "D6 in a batch: an old signed batch is refused for every node" "$T/old.json" \
    'all(n["sources"]["oracle_range"]["error_kind"] == "refused" and "old or replayed" in n["sources"]["oracle_range"]["error"] for n in d["nodes"])'
sim_fault badsig /multi_node_epochs_range
r1top_once "$T/bad.json" "$T/ok/r1top.yaml"
jcheck "a batch whose signature does not verify: BAD for every node, exit 1" "$T/bad.json" \
    'd["ok"] is False and all(n["sources"]["oracle_range"]["error_kind"] in ("bad_signature", "refused") for n in d["nodes"])'
# an oracle that has synced only up to three epochs back: the estimate waits, the problem says so
sim_fault lagging
r1top_once "$T/lag.json" "$T/ok/r1top.yaml"
jnodes "an oracle behind by three epochs: the nodes' problem is oracle syncing, no estimate" "$T/lag.json" \
    'all(N[k]["problem"] == "syncing" and N[k]["problem_text"] == "oracle syncing" and N[k]["rewards"]["poa_status"] == "syncing" for k in ("by-eth", "by-addr"))'
sim_fault none

# scale: 1,000 nodes in one --once
{
    printf 'network: mainnet\noracle:\n  url: %s\n  trusted:\n    - "%s"\nhttp:\n  timeout: 10\nnodes:\n' "$SIM_URL" "$SIM_SIGNER"
    i=0
    while [ $i -lt 1000 ]; do
        printf '  - name: node-%04d\n    eth_address: %s\n' $i "$SIM_ETH"
        i=$((i + 1))
    done
} >"$T/k.yaml"
r0=$(requests)
R1_TIMEOUT=60 r1top_once "$T/k.json" "$T/k.yaml" --timeout 30
r1=$(requests)
check "1,000 nodes: exit 0 in ${R1_SECS}s with $((r1 - r0)) oracle requests (at most 25)" [ "$R1_RC" -eq 0 -a $((r1 - r0)) -le 25 ]
jcheck "1,000 nodes: every one has its licence and estimate" "$T/k.json" \
    'len(d["nodes"]) == 1000 and all(n["licence"]["type"] == "ND" and n["rewards"]["poa_status"] == "ok" for n in d["nodes"])'
diag "1,000 nodes: ${R1_SECS}s, $((r1 - r0)) requests"

# spread: on the live screen a fleet's batches go out at their own slots of the interval, not
# together at every refresh (the fleet issue: "requests are spread so a refresh never bursts").
# 250 nodes = 3 batches, the epoch range every 6 s: after the first round (all at once, to fill
# the screen) the batches arrive about 2 s apart; without spreading they arrive together.
if ! command -v tmux >/dev/null 2>&1; then
    ok "spread # SKIP tmux is not installed"
    ok "spread # SKIP tmux is not installed"
    done_testing
    exit $?
fi
. "$R1_SRCDIR/tests/ui/tmuxlib.sh"
trap 'tm kill-server >/dev/null 2>&1; sim_stop; reap_spawned; rm -rf "$T"' EXIT
{
    printf 'network: mainnet\noracle:\n  url: %s\n  trusted:\n    - "%s"\n' "$SIM_URL" "$SIM_SIGNER"
    printf 'refresh:\n  oracle_last: 6\n  oracle_range: 6\nnodes:\n'
    i=0
    while [ $i -lt 250 ]; do
        printf '  - name: node-%04d\n    eth_address: %s\n' $i "$SIM_ETH"
        i=$((i + 1))
    done
} >"$T/spread.yaml"
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color
tm new-session -d -x 120 -y 40 "env TERM=$TERMNAME LANG=C.UTF-8 '$R1TOP' -c '$T/spread.yaml'"
sleep 22
tm kill-server >/dev/null 2>&1
"$PY" - "$SIM_URL" >"$T/spread.out" <<'PYEOF'
import json, sys, urllib.request
t = json.load(urllib.request.urlopen(sys.argv[1] + "/_sim/info"))["batch_times"]
t = [x for x in t if x > max(t) - 23]   # this run's
first = t[0]
later = [x for x in t if x > first + 3]  # after the first round and its wider asks
gaps = [round(b - a, 2) for a, b in zip(later, later[1:])]
print(len(later), min(gaps) if gaps else 0, gaps)
PYEOF
read -r n_later min_gap _ <"$T/spread.out"
diag "spread: batches after the first round and their gaps (s): $(cat "$T/spread.out")"
check "spread: the batches kept coming on the live screen ($n_later after the first round)" [ "${n_later:-0}" -ge 6 ]
check "spread: no two batches of a refresh arrive together (smallest gap ${min_gap:-?} s)" \
    "$PY" -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 1.0 else 1)' "${min_gap:-0}"
done_testing
