#!/bin/sh
# wallets.sh: a fleet from the operator's wallets (config `wallets:`, sources/wallets.c) against
# tests/sim/rpcsim.py (Reader.getWalletNodes from a fixture, encoded by its own ABI encoder)
# beside the oracle simulator: the wallet's nodes watched with their PoAI from the chain and no
# node listed by hand, a listed node that is also the wallet's appearing once, a wallet with no
# node, a wallet read that reverts or meets the wrong chain (listed nodes unaffected), and a bad
# wallet address in the config.
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"
. "$R1_SRCDIR/tests/sim/rpclib.sh"
sim_require

T=$(tmpdir)
trap 'sim_stop; reap_spawned; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

plan 21

SIM_ETH=0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69
TWO_ETH=0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5
WALLET=0x00000000000000000000000000000000000000a1
EMPTY=0x00000000000000000000000000000000000000a2
REFUSING=0x00000000000000000000000000000000000000a3

# jw "desc" FILE 'expr over E': E = the nodes by lower-case ETH address
jw() { jcheck "$1" "$2" "(lambda E: $3)({x[\"eth_address\"].lower(): x for x in d[\"nodes\"]})"; }

# cfg FILE WALLET... : the oracle sim, the RPC sim, the wallets; NODES (yaml) appended if set
cfg() {
    _f=$1; shift
    {
        rpc_cfg_head
        printf 'http:\n  timeout: 5\nwallets:\n'
        for _w in "$@"; do printf '  - "%s"\n' "$_w"; done
        [ -n "${NODES:-}" ] && printf 'nodes:\n%s\n' "$NODES"
    } >"$_f"
}

sim_start "$T" --no-poai || fail "sim start"
"$PY" - "$T/info.json" "$T/fixture.json" "$READER" "$POAI" "$SIM_ETH" "$TWO_ETH" "$WALLET" "$EMPTY" "$REFUSING" <<'PYEOF'
import json, sys
info, out, reader, poai, one, two, wallet, empty, refusing = sys.argv[1:10]
lic = dict(json.load(open(info))["license"], usdcPoaiRewards=1234567, r1PoaiRewards=10 ** 18)
lic2 = dict(lic, nodeAddress="", licenseId=int(lic["licenseId"]) + 1)
fx = {"contracts": {"reader": reader, "poai_manager": poai},
      "nodes": {one: {"poai": [1234567, 10 ** 18], "licence": lic},
                two: {"poai": [7654321, 2 * 10 ** 18], "licence": lic2}},
      "wallets": {wallet: [one, two], empty: [], refusing: "revert"}}
json.dump(fx, open(out, "w"))
PYEOF
rpc_start "$T" "$T/fixture.json" || fail "rpcsim start"
ONE=$(echo "$SIM_ETH" | tr 'A-F' 'a-f')
TWO=$(echo "$TWO_ETH" | tr 'A-F' 'a-f')

# only wallets: both of its nodes, from the chain, none listed by hand
cfg "$T/w.yaml" "$WALLET"
r1top_once "$T/w.json" "$T/w.yaml"
diag "rc=$R1_RC; wallets: $(jget "$T/w.json" 'd["wallets"]'); nodes: $(jget "$T/w.json" '[(x["name"], x["eth_address"]) for x in d["nodes"]]')"
jw "only wallets: the wallet's two nodes are watched, each once" "$T/w.json" \
    'sorted(E) == sorted(["'"$ONE"'", "'"$TWO"'"]) and len(d["nodes"]) == 2'
jw "each carries its wallet in from_wallet and a short-address name" "$T/w.json" \
    'all(x["from_wallet"] == "'"$WALLET"'" and x["name"].startswith(x["eth_address"][:8]) for x in E.values())'
jw "their PoAI comes from the chain" "$T/w.json" \
    'E["'"$ONE"'"]["chain"]["poai_usdc_micro"] == "1234567" and E["'"$TWO"'"]["chain"]["poai_usdc_micro"] == "7654321" and all(x["sources"]["chain"]["ok"] for x in E.values())'
jw "the oracle is asked about them too" "$T/w.json" \
    'E["'"$ONE"'"]["sources"]["oracle_range"]["ok"]'
jcheck "the fleet's wallets block: address, 2 nodes, the RPC as source, an age, no error" "$T/w.json" \
    'd["wallets"] == [dict(d["wallets"][0], address="'"$WALLET"'", nodes=2, source="'"$RPC_URL"'", error=None)] and d["wallets"][0]["age_s"] is not None'
check "only wallets: exit 0 (rc=$R1_RC)" [ "$R1_RC" = 0 ]
timeout -k 5 "$R1_TIMEOUT" "$R1TOP" --once --config "$T/w.yaml" >"$T/w.txt" 2>&1
contains "text: the wallet and how many nodes it brought" "$(cat "$T/w.txt")" "wallet $WALLET: 2 nodes"
contains "text: each node says which wallet brought it" "$(cat "$T/w.txt")" "from wallet"

# a listed node that the wallet lists too: once, under its own name, not from_wallet
NODES="  - name: mine
    eth_address: $SIM_ETH" cfg "$T/both.yaml" "$WALLET"
r1top_once "$T/both.json" "$T/both.yaml"
jw "a listed node in the wallet appears once, under its configured name" "$T/both.json" \
    'len(d["nodes"]) == 2 and E["'"$ONE"'"]["name"] == "mine" and E["'"$ONE"'"]["from_wallet"] is None and E["'"$TWO"'"]["from_wallet"] == "'"$WALLET"'"'

# a wallet whose licences link no node
cfg "$T/empty.yaml" "$EMPTY"
r1top_once "$T/empty.json" "$T/empty.yaml"
jcheck "a wallet with no node: an empty fleet, said plainly" "$T/empty.json" \
    'd["nodes"] == [] and d["wallets"][0]["nodes"] == 0 and d["wallets"][0]["error"] is None and "link no node" in d["note"]'
check "a wallet with no node: r1top ends normally (exit 1: nothing to watch; rc=$R1_RC)" [ "$R1_RC" = 1 ]

# the wallet read reverts: its error on the wallets block, the listed node is fine
NODES="  - name: mine
    eth_address: $SIM_ETH" cfg "$T/rev.yaml" "$REFUSING" "$WALLET"
r1top_once "$T/rev.json" "$T/rev.yaml"
jcheck "a reverting wallet: its error says so; the other wallet still read" "$T/rev.json" \
    '"reverted: wallet read refused" in d["wallets"][0]["error"] and d["wallets"][0]["nodes"] is None and d["wallets"][1]["nodes"] == 2 and d["wallets"][1]["error"] is None'
jw "a reverting wallet: the listed node's chain and oracle reads are fine" "$T/rev.json" \
    'E["'"$ONE"'"]["sources"]["chain"]["ok"] and E["'"$ONE"'"]["sources"]["oracle_range"]["ok"]'

# the wrong chain: nothing from it, an error naming both chains, the listed node still watched
rpc_get "/_sim/chain?id=84532" >/dev/null
NODES="  - name: mine
    eth_address: $SIM_ETH" cfg "$T/wrong.yaml" "$WALLET"
r1top_once "$T/wrong.json" "$T/wrong.yaml"
jcheck "wrong chain id: the wallets error names both chains, no node added" "$T/wrong.json" \
    '"the RPC serves chain 84532 (Base Sepolia), not 8453 (Base)" in d["wallets"][0]["error"] and len(d["nodes"]) == 1'
jw "wrong chain id: the listed node's oracle reads are fine" "$T/wrong.json" \
    'E["'"$ONE"'"]["sources"]["oracle_range"]["ok"] and E["'"$ONE"'"]["licence"]["trust"] == "verified"'
rpc_get "/_sim/chain?id=8453" >/dev/null

# one batched request for every wallet (and the chain id)
rpc_count >/dev/null
cfg "$T/two.yaml" "$EMPTY" "$WALLET"
r1top_once "$T/two.json" "$T/two.yaml"
rpc_get /_sim/requests >"$T/two.req.json"
FIRST=$("$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["requests"]; b=json.loads(r[0]["body"]); print(len(b), sorted(x["method"] for x in b))' "$T/two.req.json")
check "two wallets: one request asks both, with eth_chainId ($FIRST)" [ "$FIRST" = "3 ['eth_call', 'eth_call', 'eth_chainId']" ]

# wallets with the chain off: an error that says why, not an empty fleet with no word
printf 'network: mainnet\noracle:\n  enabled: false\nwallets: ["%s"]\n' "$WALLET" >"$T/off.yaml"
r1top_once "$T/off.json" "$T/off.yaml"
jcheck "wallets without the chain: the wallets error says the chain is off" "$T/off.json" \
    'd["nodes"] == [] and "needs the chain" in d["wallets"][0]["error"] and d["ok"] is False'

# a bad wallet address: exit 2 naming the file, line and column
printf 'network: mainnet\nwallets:\n  - "%s"\n  - "0x12345"\n' "$WALLET" >"$T/bad.yaml"
"$R1TOP" --once --json --config "$T/bad.yaml" >"$T/bad.out" 2>"$T/bad.err"
rc=$?
check "a bad wallet address: exit 2 (rc=$rc)" [ "$rc" = 2 ]
contains "a bad wallet address: file:line:column, the key and what was expected" "$(cat "$T/bad.err")" \
    "$T/bad.yaml:4:5: wallets[1]: '0x12345' is not an ETH address; expected 0x followed by 40 hex digits"

# a wallet of 1,005 nodes: the first 1,000 watched, the rest an error on the wallets source
reap "$RPC_PID"
BIG=0x00000000000000000000000000000000000000b1
"$PY" - "$T/big.json" "$READER" "$POAI" "$BIG" <<'PYEOF'
import json, sys
out, reader, poai, big = sys.argv[1:5]
lic = {"licenseType": 1, "licenseId": 7, "owner": big, "nodeAddress": "",
       "totalAssignedAmount": 1575188843457943924600, "totalClaimedAmount": 0, "lastClaimEpoch": 100,
       "assignTimestamp": 1748600123, "lastClaimOracle": "0x" + "cd" * 20, "isBanned": False,
       "usdcPoaiRewards": 5, "r1PoaiRewards": 6}
json.dump({"contracts": {"reader": reader, "poai_manager": poai},
           "nodes": {"*": {"poai": [375000, 10 ** 18], "licence": lic}},
           "wallets": {big: ["0x%040x" % (i + 1) for i in range(1005)]}}, open(out, "w"))
PYEOF
rpc_start "$T" "$T/big.json" || fail "rpcsim start (1,005 nodes)"
printf 'network: mainnet\noracle:\n  enabled: false\nchain:\n  enabled: true\n  rpc_url: %s\n  contracts:\n    reader: "%s"\n    poai_manager: "%s"\nhttp:\n  timeout: 20\nwallets: ["%s"]\n' \
    "$RPC_URL" "$READER" "$POAI" "$BIG" >"$T/big.yaml"
r1top_once "$T/big.out.json" "$T/big.yaml"
diag "1,005 nodes in a wallet: rc=$R1_RC in ${R1_SECS} s; $(jget "$T/big.out.json" 'd["wallets"]')"
jcheck "a wallet of 1,005 nodes: 1,000 watched, each with its PoAI from the chain" "$T/big.out.json" \
    'len(d["nodes"]) == 1000 and all(x["from_wallet"] == "'"$BIG"'" and x["chain"]["poai_usdc_micro"] == "375000" for x in d["nodes"])'
jcheck "a wallet of 1,005 nodes: the 5 left out are an error on the wallets source" "$T/big.out.json" \
    'd["wallets"][0]["nodes"] == 1000 and d["wallets"][0]["nodes_listed"] == 1005 and "links 1005 nodes; r1top adds the first 1000" in d["wallets"][0]["error"] and d["ok"] is False'

sim_stop
