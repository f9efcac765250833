#!/bin/sh
# chain: what the chain source puts on the screen, in a private tmux server, beside the oracle
# simulator and tests/sim/rpcsim.py (the chain simulator). One ND node whose oracle licence
# carries no PoAI (as the real oracle's) and whose chain licence has another owner: the Rewards
# pane shows the PoAI accrued from the chain (USDC to the cent, its R1 quote), and the PoA
# claimable r1top computes; the licence pane says the chain disagrees; the fleet screen's POAI
# column has the chain's figure. With the ND contract made to disagree, the pane says what the
# contract says beside r1top's figure.
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"
. "$R1_SRCDIR/tests/sim/rpclib.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
[ -x "$R1TOP" ] || skip_all "no r1top binary at $R1TOP"
sim_require

. "$R1_SRCDIR/tests/ui/tmuxlib.sh"
WORK=$(tmpdir)
trap 'tm kill-server >/dev/null 2>&1; sim_stop; reap_spawned; rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM
export LC_ALL=C.UTF-8
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color

plan 7

SIM_ETH=0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69
sim_start "$WORK" --no-poai || fail "sim start"
# fixture OUT [key=json...]: the chain's view of the sim's node, another owner than the oracle's
fixture() {
    "$PY" - "$WORK/info.json" "$@" <<PYEOF
import json, sys
info, out = sys.argv[1:3]
lic = dict(json.load(open(info))["license"])
lic.update(owner="0x00000000000000000000000000000000000000ff", usdcPoaiRewards=1234567,
           r1PoaiRewards=98765432109876543210)
node = {"poai": [1234567, 98765432109876543210], "licence": lic}
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1)
    node[k] = json.loads(v)
json.dump({"contracts": {"reader": "$READER", "poai_manager": "$POAI", "nd": "$ND_C", "mnd": "$MND_C"},
           "nodes": {"$SIM_ETH": node}}, open(out, "w"))
PYEOF
}
fixture "$WORK/fx.json" 'nd_calc=12345'
rpc_start "$WORK" "$WORK/fx.json" || fail "rpcsim start"
{
    rpc_cfg_head
    printf 'nodes:\n  - name: nd\n    eth_address: %s\n  - name: ghost\n    eth_address: %s\n' "$SIM_ETH" 0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5
} >"$WORK/r1top.yaml"

SESSION=1
tm new-session -d -s "s$SESSION" -x 160 -y 45 \
    "env LANG=C.UTF-8 LC_ALL= TERM=$TERMNAME '$R1TOP' -c '$WORK/r1top.yaml'; sleep 60"
check "the fleet screen: the POAI column has the chain's figure" wait_for "1.23"
contains "the fleet screen came up with both nodes" "$SCREEN" "ghost"
# the node the chain knows (the ghost's licence reverts), picked by the filter, then shown
tm send-keys -t "s$SESSION" / n d Enter
wait_gone "ghost" >/dev/null
tm send-keys -t "s$SESSION" Enter
check "Rewards: PoAI accrued from the chain, USDC and its R1 quote" wait_for "PoAI accrued"
contains "Rewards: 1.23 USDC" "$SCREEN" "1.23 USDC"
contains "Rewards: the ND contract's differing figure beside r1top's" "$SCREEN" "ND contract: 0.0000"
check "the licence pane: the chain disagrees, and on what" wait_for "chain disagrees"
contains "the licence pane: the owner" "$SCREEN" "owner"
diag "the node screen:" "$(capture)"
diag "rpcsim stderr:" "$(tail -20 "$WORK/rpc.err")"
