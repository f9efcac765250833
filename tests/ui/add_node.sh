#!/bin/sh
# add_node: adding a node from the keyboard and writing it to the config, in a private tmux
# server. a opens a prompt; a mistyped address (not a curve point, a bad ETH checksum) is
# answered in words and adds nothing; a good one adds the node for the session, and the same
# address again is refused. w asks first, naming the file and the node: n leaves the file and
# the log alone; y appends the entry after the list's last node, every other byte kept, and
# logs start and end; w with nothing added says so. Under --readonly w only explains, the
# refusal is logged and the file is not touched; in the demo a only explains.
. "$R1_SRCDIR/tests/lib.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
[ -x "$R1TOP" ] || skip_all "no r1top binary at $R1TOP"

. "$R1_SRCDIR/tests/ui/tmuxlib.sh"
WORK=$(tmpdir)
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM
export LC_ALL=C.UTF-8
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color
LOG=$WORK/actions.log
ADDR_A=0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty
ADDR_B=0xai_A2pPf0lxZSZkGONzLOmhzndncc1VvDBHfF-YLWlsrG9m

plan 22

cat >"$WORK/r1top.yaml" <<EOF
# one node, and the oracle off: nothing leaves this computer
oracle:
  enabled: false   # the test needs no network

nodes:
  - name: home
    address: $ADDR_A
    # docker: none here

# limits
http:
  timeout: 5
EOF
cp "$WORK/r1top.yaml" "$WORK/orig.yaml"

# start [ARGS...]: r1top on the config in a fresh 120x30 session
start() {
    _old=s$SESSION
    SESSION=$((SESSION + 1))
    tm new-session -d -s "s$SESSION" -x 120 -y 30 \
        "env LANG=C.UTF-8 LC_ALL= TERM=$TERMNAME HOME='$WORK' R1TOP_ACTIONS_LOG='$LOG' '$R1TOP' $*; sleep 60"
    tm kill-session -t "$_old" >/dev/null 2>&1
}
press() { tm send-keys -t "s$SESSION" "$1"; }
# type TEXT: literally (tmux would read "0x..." as a key code)
type_text() { tm send-keys -t "s$SESSION" -l "$1"; }
add() { press a && wait_for "Add node (address [name])" >/dev/null && type_text "$1" && press Enter; }
log_lines() { if [ -f "$LOG" ]; then wc -l <"$LOG"; else echo 0; fi; }

start -c "'$WORK/r1top.yaml'"
check "the UI came up" wait_for "home"
press a
check "a opens the address prompt" wait_for "Add node (address [name]):"
press Escape
wait_gone "Add node (address [name])" >/dev/null

add "0xai_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
check "an address that is no public key is refused in words" wait_for "node address; expected"
press Escape
add "0x13dC6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69"
check "an ETH address with a checksum typo is refused" wait_for "is not an ETH"
press Escape
wait_gone "is not an ETH" >/dev/null

add "$ADDR_B rack-2"
check "a good address adds the node for the session" wait_for "added rack-2 for this session"
check "the new node is on the screen" wait_for "rack-2"
check "nothing is written by adding" cmp -s "$WORK/r1top.yaml" "$WORK/orig.yaml"
add "$ADDR_B"
check "the same address again is refused" wait_for "watches this node already, as 'rack-2'"
press Escape
wait_gone "watches this node already" >/dev/null

press w
check "w asks first" wait_for "Save?"
contains "the question names the node and the file" "$SCREEN" "Add 1 node (rack-2) to"
contains "the question says the rest of the file stays" "$SCREEN" "changes nothing else"
press n
wait_gone "Save?" >/dev/null
check "n: the file is untouched" cmp -s "$WORK/r1top.yaml" "$WORK/orig.yaml"
check "n: nothing is logged" [ "$(log_lines)" -eq 0 ]

press w
wait_for "Save?" >/dev/null
press y
check "y: the outcome shows" wait_for "save-nodes: added 1 node (rack-2)"
# byte for byte: the old file through its last node's lines (the comment under it included),
# the entry, then the rest
{ head -n 8 "$WORK/orig.yaml"; printf '  - name: rack-2\n    address: %s\n' "$ADDR_B"; tail -n +9 "$WORK/orig.yaml"; } >"$WORK/want.yaml"
check "y: the entry is appended after the last node, every other byte kept" cmp -s "$WORK/r1top.yaml" "$WORK/want.yaml"
cmp -s "$WORK/r1top.yaml" "$WORK/want.yaml" || diag "$(diff "$WORK/want.yaml" "$WORK/r1top.yaml")"
check "y: the audit log has the start and the end" \
    test "$(grep -c "action=save-nodes event=start" "$LOG")" -eq 1 -a \
    "$(grep -c "action=save-nodes event=end .*result=save-nodes: added 1 node (rack-2)" "$LOG")" -eq 1
press w
check "w with nothing new added says so" wait_for "Nothing to write"
press Escape

# --- read-only ------------------------------------------------------------------------------
cp "$WORK/r1top.yaml" "$WORK/before-ro.yaml"
start --readonly -c "'$WORK/r1top.yaml'"
wait_for "rack-2" >/dev/null
add "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69 eth-node"
check "--readonly: adding for the session is allowed" wait_for "added eth-node for this session"
press w
check "--readonly: w only explains" wait_for "read-only mode"
check "--readonly: the file is untouched" cmp -s "$WORK/r1top.yaml" "$WORK/before-ro.yaml"
_i=0
while [ $_i -lt 25 ] && ! grep -q "event=refused" "$LOG"; do sleep 0.2; _i=$((_i + 1)); done
check "--readonly: the refusal is logged" grep -q "action=save-nodes event=refused" "$LOG"

# --- demo ---------------------------------------------------------------------------------
start --demo
wait_for "F1Help" >/dev/null
press a
check "--demo: a only explains" wait_for "The demo's nodes are made up"
done_testing
