#!/bin/sh
# chain.sh: the chain source (docs/protocol.md §6.4) against tests/sim/rpcsim.py, a JSON-RPC
# simulator that encodes its answers with its own ABI encoder, beside the oracle simulator:
# PoAI accrued from the chain with exact strings and floats, the chain's licence compared with
# the oracle's signed copy (a disagreement shown, never resolved), a wrong chain id, a rate
# limit, a revert for one node, faults, and what 1,000 nodes cost in HTTP requests.
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"
. "$R1_SRCDIR/tests/sim/rpclib.sh"
sim_require

T=$(tmpdir)
trap 'sim_stop; reap_spawned; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

plan 35

SIM_ETH=0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69
GHOST_ETH=0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5
CHAIN_OWNER=0x00000000000000000000000000000000000000ff
# jn "desc" FILE 'expr over N': N = the nodes by name
jn() { jcheck "$1" "$2" "(lambda N: $3)({x[\"name\"]: x for x in d[\"nodes\"]})"; }

# cfg FILE [extra yaml]: the oracle sim, the RPC sim with its contracts, the sim's node and a
# node the chain does not know
cfg() {
    {
        rpc_cfg_head
        printf 'http:\n  timeout: %s\nnodes:\n' "${TIMEOUT_S:-5}"
        printf '  - name: nd\n    eth_address: %s\n' "$SIM_ETH"
        printf '  - name: ghost\n    eth_address: %s\n' "$GHOST_ETH"
    } >"$1"
}

# The oracle as the real one answers (no PoAI in its licence, docs/protocol.md §5.2); the chain's
# fixture is the oracle's licence with another owner, so exactly one field disagrees.
sim_start "$T" --no-poai || fail "sim start"
# fixture OUT [key=json...]: the chain's view of the sim's node; extra keys for its entry
fixture() {
    "$PY" - "$T/info.json" "$@" <<PYEOF
import json, sys
info, out = sys.argv[1:3]
lic = dict(json.load(open(info))["license"])
lic.update(owner="$CHAIN_OWNER", usdcPoaiRewards=1234567, r1PoaiRewards=98765432109876543210)
node = {"poai": [1234567, 98765432109876543210], "licence": lic}
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1)
    node[k] = json.loads(v)
fx = {"contracts": {"reader": "$READER", "poai_manager": "$POAI", "nd": "$ND_C", "mnd": "$MND_C"},
      "nodes": {"$SIM_ETH": node}}
json.dump(fx, open(out, "w"))
PYEOF
}
fixture "$T/fixture.json"
rpc_start "$T" "$T/fixture.json" || fail "rpcsim start"
cfg "$T/r1top.yaml"
rpc_count >/dev/null
r1top_once "$T/ok.json" "$T/r1top.yaml"
REQ=$(rpc_count)
O=$T/ok.json
diag "rc=$R1_RC; chain: $(jget "$O" '[(x["name"], x["sources"].get("chain")) for x in d["nodes"]]')"
jn "ND node: PoAI accrued from the chain, exact strings" "$O" \
    'N["nd"]["chain"]["poai_usdc_micro"] == "1234567" and N["nd"]["chain"]["poai_r1_wei"] == "98765432109876543210"'
jn "ND node: PoAI floats for display" "$O" \
    'abs(N["nd"]["chain"]["poai_usdc"] - 1.234567) < 1e-9 and abs(N["nd"]["chain"]["poai_r1"] - 98.76543210987654) < 1e-9'
jn "the chain block's provenance: trust chain, the RPC as source, an age, no error" "$O" \
    'N["nd"]["chain"]["trust"] == "chain" and N["nd"]["chain"]["source"] == "'"$RPC_URL"'" and N["nd"]["chain"]["age_s"] is not None and not N["nd"]["chain"]["error"] and N["nd"]["chain"]["rpc_host"] == "127.0.0.1:'"$RPC_PORT"'"'
jn "rewards: the oracle has no PoAI, so the chain's figure is used, said so" "$O" \
    'N["nd"]["rewards"]["poai_usdc_micro"] == "1234567" and abs(N["nd"]["rewards"]["poai_usdc"] - 1.234567) < 1e-9 and N["nd"]["rewards"]["poai_source"] == "chain" and N["nd"]["rewards"]["poai_trust"] == "chain" and N["nd"]["licence"]["poai_usdc_micro"] is None'
jn "the chain's licence, exact" "$O" \
    'N["nd"]["chain"]["licence"]["type"] == "ND" and N["nd"]["chain"]["licence"]["total_assigned_wei"] == "1575188843457943924600" and N["nd"]["chain"]["licence"]["owner"] == "'"$CHAIN_OWNER"'"'
jn "licence disagreement: exactly the owner, both values, the oracle's kept as it signed it" "$O" \
    'N["nd"]["chain"]["licence_disagreements"] == [{"field": "owner", "oracle": info["license"]["owner"].lower(), "chain": "'"$CHAIN_OWNER"'"}] and N["nd"]["licence"]["owner"] == info["license"]["owner"] and N["nd"]["licence"]["trust"] == "verified"'
jn "a revert for one node: that node's chain error only" "$O" \
    'N["ghost"]["sources"]["chain"]["ok"] is False and "reverted: unknown node" in N["ghost"]["sources"]["chain"]["error"] and N["nd"]["sources"]["chain"]["ok"] and N["ghost"]["chain"]["poai_usdc"] is None'
jn "the revert leaves the other sources alone" "$O" \
    'N["ghost"]["sources"]["oracle_range"]["ok"] and N["nd"]["sources"]["oracle_range"]["ok"]'
check "two nodes, chain id and four eth_calls: one HTTP request to the RPC ($REQ)" [ "$REQ" = 1 ]
diag "r1top --once --json, the ND node's chain and rewards blocks:" \
    "$(jget "$O" '{k: [x for x in d["nodes"] if x["name"] == "nd"][0][k] for k in ("chain", "rewards")}')"

# text output carries it too
timeout -k 5 "$R1_TIMEOUT" "$R1TOP" --once --config "$T/r1top.yaml" >"$T/ok.txt" 2>&1
contains "text: PoAI accrued, exact to the micro-USDC, from the chain" "$(cat "$T/ok.txt")" "PoAI accrued           1.234567 USDC (R1 quote 98.7654) [chain,"
contains "text: the disagreeing licence field with both values" "$(cat "$T/ok.txt")" "licence DISAGREES      owner: oracle $(jget "$T/info.json" 'd["license"]["owner"].lower()' | tr -d '"'), chain $CHAIN_OWNER"
TXTREQ=$(rpc_count)
check "the text run asked one request too ($TXTREQ)" [ "$TXTREQ" = 1 ]

# a wrong chain: the RPC serves Base Sepolia to a mainnet config
rpc_get "/_sim/chain?id=84532" >/dev/null
r1top_once "$T/wrong.json" "$T/r1top.yaml"
jn "wrong chain id: the chain source's error names both chains" "$T/wrong.json" \
    'all("the RPC serves chain 84532 (Base Sepolia), not 8453 (Base)" in N[k]["sources"]["chain"]["error"] and N[k]["sources"]["chain"]["error_kind"] == "refused" for k in ("nd", "ghost"))'
jn "wrong chain id: nothing from it is stored" "$T/wrong.json" \
    'N["nd"]["chain"]["poai_usdc_micro"] is None and N["nd"]["chain"]["licence"] is None and N["nd"]["rewards"]["poai_source"] is None'
jn "wrong chain id: the oracle sources are still fine" "$T/wrong.json" \
    'N["nd"]["sources"]["oracle_range"]["ok"] and N["nd"]["licence"]["trust"] == "verified"'
rpc_get "/_sim/chain?id=8453" >/dev/null

# a rate limit: the whole batch answers -32005
rpc_get "/_sim/fault?mode=ratelimit" >/dev/null
rpc_count >/dev/null
r1top_once "$T/rl.json" "$T/r1top.yaml"
jn "-32005: each node's chain source is rate limited, with the host and the back-off" "$T/rl.json" \
    'all(N[k]["sources"]["chain"]["error_kind"] == "rate_limited" and "-32005" in N[k]["sources"]["chain"]["error"] and "waits 30 s" in N[k]["sources"]["chain"]["error"] for k in ("nd", "ghost"))'
RLREQ=$(rpc_count)
check "-32005: one request, no retry storm ($RLREQ)" [ "$RLREQ" = 1 ]
rpc_get "/_sim/fault?mode=ratelimit_one" >/dev/null
r1top_once "$T/rl1.json" "$T/r1top.yaml"
jn "-32005 on one call of the batch: the whole source backs off" "$T/rl1.json" \
    'all(N[k]["sources"]["chain"]["error_kind"] == "rate_limited" for k in ("nd", "ghost"))'

# faults: garbage, oversize, slow; the oracle's figures are unaffected
for mode in garbage oversize slow; do
    rpc_get "/_sim/fault?mode=$mode" >/dev/null
    TIMEOUT_S=2 cfg "$T/f.yaml"
    r1top_once "$T/$mode.json" "$T/f.yaml"
    case $mode in
    garbage) want=parse ;;
    oversize) want=too_big ;;
    slow) want=timeout ;;
    esac
    jn "$mode: the chain source fails as $want, the oracle's licence stays verified" "$T/$mode.json" \
        'N["nd"]["sources"]["chain"]["error_kind"] == "'"$want"'" and N["nd"]["licence"]["trust"] == "verified" and N["nd"]["chain"]["poai_usdc"] is None'
done
rpc_get "/_sim/fault?mode=none" >/dev/null

# chain.enabled follows oracle.enabled: a config that turns the oracle off stays off the chain
{ cat "$T/r1top.yaml" | sed 's/^oracle:/oracle:\n  enabled: false/'; } >"$T/off.yaml"
rpc_count >/dev/null
r1top_once "$T/off.json" "$T/off.yaml"
OFFREQ=$(rpc_count)
check "oracle.enabled false: the chain is not asked either ($OFFREQ requests)" [ "$OFFREQ" = 0 ]
jn "oracle.enabled false: no chain source for any node" "$T/off.json" \
    'all("chain" not in N[k]["sources"] for k in ("nd", "ghost"))'

# ---- the contracts' own claimable figure: calculateRewards ------------------------------------
# ND: the ND contract (rpcsim computes it as the contract does) and r1top's arithmetic agree
r1top_once "$T/calc.json" "$T/r1top.yaml"
rpc_get /_sim/calc >"$T/calc.calls.json"
jn "ND: the ND contract's figure equals r1top's own, over the same epochs" "$T/calc.json" \
    'N["nd"]["rewards"]["contract_claimable_wei"] == N["nd"]["rewards"]["poa_claimable_wei"] and N["nd"]["rewards"]["contract_differs"] is False and N["nd"]["chain"]["calc_from_epoch"] == N["nd"]["rewards"]["poa_from_epoch"] and N["nd"]["chain"]["calc_to_epoch"] == N["nd"]["rewards"]["poa_to_epoch"]'
jcheck "ND: the call carried the licence, the node and the oracle's epochs, one byte each" "$T/calc.calls.json" \
    'any(c["contract"] == "nd" and any(p["licence"] == info["license"]["licenseId"] and p["node"] == "'"$(echo "$SIM_ETH" | tr 'A-F' 'a-f')"'" and len(p["packed"]) == p["to"] - p["from"] + 1 for p in c["params"]) for c in d["calls"])'
jn "ND: the ghost (no licence known) is not in the call, and says why" "$T/calc.json" \
    'N["ghost"]["chain"]["calc_rewards_wei"] is None'
# the contract disagrees with r1top: both shown, r1top's figure (signed oracle data) stays
reap "$RPC_PID"
fixture "$T/fixture-nd.json" 'nd_calc=12345'
rpc_start "$T" "$T/fixture-nd.json" || fail "rpcsim restart"
cfg "$T/r1top.yaml"
r1top_once "$T/calc-diff.json" "$T/r1top.yaml"
jn "ND: a contract figure that differs is marked, both kept" "$T/calc-diff.json" \
    'N["nd"]["rewards"]["contract_claimable_wei"] == "12345" and N["nd"]["rewards"]["contract_differs"] is True and N["nd"]["rewards"]["poa_claimable_wei"] != "12345" and N["nd"]["rewards"]["poa_status"] == "ok"'
timeout -k 5 "$R1_TIMEOUT" "$R1TOP" --once --config "$T/r1top.yaml" >"$T/calc-diff.txt" 2>&1
contains "text: the ND contract's differing figure is said" "$(cat "$T/calc-diff.txt")" "ND contract says"
# MND: the oracle reports an MND licence; the MND contract's figure is the claimable one
sim_stop
sim_start "$T/mnd" --no-poai --licence-type 2 || fail "sim start (MND)"
cp "$T/mnd/info.json" "$T/info.json" 2>/dev/null || true
reap "$RPC_PID"
fixture "$T/fixture-mnd.json" 'mnd_calc=[2000000000000000000, 300000000000000000, 700000000000000000]'
rpc_start "$T" "$T/fixture-mnd.json" || fail "rpcsim restart (MND)"
cfg "$T/r1top.yaml"
r1top_once "$T/mnd.json" "$T/r1top.yaml"
jn "MND: the MND contract's figure is the claimable one, exact and as R1" "$T/mnd.json" \
    'N["nd"]["licence"]["type"] == "MND" and N["nd"]["rewards"]["poa_status"] == "ok" and N["nd"]["rewards"]["poa_claimable_wei"] == "2000000000000000000" and abs(N["nd"]["rewards"]["poa_claimable_r1"] - 2.0) < 1e-9'
jn "MND: its trust is the chain's, carry-over and withheld beside it" "$T/mnd.json" \
    'N["nd"]["rewards"]["poa_trust"] == "chain" and N["nd"]["chain"]["calc_carryover_wei"] == "300000000000000000" and N["nd"]["chain"]["calc_withheld_wei"] == "700000000000000000" and "MND contract" in N["nd"]["rewards"]["note"]'
diag "r1top --once --json, the MND node's chain and rewards blocks:" \
    "$(jget "$T/mnd.json" '{k: [x for x in d["nodes"] if x["name"] == "nd"][0][k] for k in ("chain", "rewards")}')"
rpc_get /_sim/calc >"$T/mnd.calls.json"
jcheck "MND: asked of the MND contract" "$T/mnd.calls.json" 'any(c["contract"] == "mnd" for c in d["calls"])'

# 1,000 nodes: 2 calls each in batches of at most 100 calls, at most 30 requests in a refresh
reap "$RPC_PID"
"$PY" - "$T/big.json" "$READER" "$POAI" <<'PYEOF'
import json, sys
out, reader, poai = sys.argv[1:4]
lic = {"licenseType": 1, "licenseId": 7, "owner": "0x" + "ab" * 20, "nodeAddress": "",
       "totalAssignedAmount": 1575188843457943924600, "totalClaimedAmount": 0, "lastClaimEpoch": 100,
       "assignTimestamp": 1748600123, "lastClaimOracle": "0x" + "cd" * 20, "isBanned": False,
       "usdcPoaiRewards": 5, "r1PoaiRewards": 6}
json.dump({"contracts": {"reader": reader, "poai_manager": poai},
           "nodes": {"*": {"poai": [375000, 10 ** 18], "licence": lic}}}, open(out, "w"))
PYEOF
rpc_start "$T" "$T/big.json" || fail "rpcsim start (1,000 nodes)"
{
    printf 'network: mainnet\noracle:\n  enabled: false\nchain:\n  enabled: true\n  rpc_url: %s\n' "$RPC_URL"
    printf '  contracts:\n    reader: "%s"\n    poai_manager: "%s"\nhttp:\n  timeout: 20\nnodes:\n' "$READER" "$POAI"
    i=1
    while [ $i -le 1000 ]; do
        printf '  - name: n%04d\n    eth_address: 0x%040x\n' $i $i
        i=$((i + 1))
    done
} >"$T/big.yaml"
r1top_once "$T/big.out.json" "$T/big.yaml"
rpc_get /_sim/requests >"$T/big.req.json"
BIG=$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["requests"]))' "$T/big.req.json")
CALLS=$("$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["requests"]; print(sum(x["calls"] for x in r), max(x["calls"] for x in r))' "$T/big.req.json")
diag "1,000 nodes: $BIG HTTP requests to the RPC in one refresh (calls in all, most in one: $CALLS); rc=$R1_RC in ${R1_SECS} s"
check "1,000 nodes cost at most 30 HTTP requests to the RPC in one refresh ($BIG)" [ "${BIG:-999}" -le 30 ]
check "no request carries more than 100 calls ($CALLS)" [ "$(echo "$CALLS" | cut -d' ' -f2)" -le 100 ]
jcheck "1,000 nodes: every node's chain source ok, each with its PoAI" "$T/big.out.json" \
    'len(d["nodes"]) == 1000 and all(x["sources"]["chain"]["ok"] and x["chain"]["poai_usdc_micro"] == "375000" for x in d["nodes"])'
jcheck "1,000 nodes: each licence bound to its own node's address" "$T/big.out.json" \
    'all(x["chain"]["licence"]["node_address"] == x["eth_address"].lower() for x in d["nodes"])'

sim_stop
