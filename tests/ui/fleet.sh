#!/bin/sh
# fleet: the fleet screen (issue 7) in a private tmux server, with 20 nodes against the
# simulator (tests/sim/r1sim.py knows one node, 0x13Dc…7e69): twelve known by that ETH address
# alone, two reading its status folder, one a copy of that folder two hours old (stale), one a
# folder that is not there (a source error) and four addresses the oracle never saw. With more
# than one node it is the start screen. Checked at 120x40, 80x24 and 200x50: the columns each
# size keeps, the totals line, the problems in words, sorting by CLAIMABLE from F6's menu (and
# the same choice again reversed), the filter narrowing the rows and \ clearing it, Enter and
# Esc keeping sort and selection, and problem rows marked ("!", "*") under --no-color. Set
# FLEET_CAPTURES=DIR to keep the screens (sorted by claimable and filtered) as text.
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
sim_require

. "$R1_SRCDIR/tests/ui/tmuxlib.sh"
WORK=$(tmpdir)
trap 'tm kill-server >/dev/null 2>&1; sim_stop; rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM
export LC_ALL=C.UTF-8
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color
ESC=$(printf '\033')

plan 46

SIM_LIFETIME=240 sim_start "$WORK/sim" || { fail "the simulator started"; exit 1; }
DATA=$SIM_DIR/state/_data
# a copy of the node's status folder that stopped two hours ago
mkdir -p "$WORK/old"
cp -R "$DATA" "$WORK/old/_data"
find "$WORK/old/_data" -exec touch -d '2 hours ago' {} +

KNOWN=0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69
# four well-formed addresses the simulator has never seen
STRANGERS="0x4882001412da8fbB3A18A971c7a33eb4e71Ea106 0x00000000000000000000000000000000000000A1
0x00000000000000000000000000000000000000B2 0x00000000000000000000000000000000000000C3"
{
    printf 'network: mainnet\noracle:\n  url: %s\n  trusted:\n    - "%s"\n' "$SIM_URL" "$SIM_SIGNER"
    printf 'http:\n  timeout: 5\nnodes:\n'
    cities="fra ams nyc sgp"
    i=1
    while [ $i -le 20 ]; do
        set -- $cities
        shift $(((i - 1) % 4))
        name=$(printf 'edge-%s-%02d' "$1" $i)
        if [ $i -ge 17 ]; then
            set -- $STRANGERS
            shift $((i - 17))
            printf '  - name: %s\n    eth_address: %s\n' "$name" "$1"
        else
            printf '  - name: %s\n    eth_address: %s\n' "$name" "$KNOWN"
            case $i in
            13 | 14) printf '    status: file://%s/\n' "$DATA" ;;
            15) printf '    status: file://%s/old/_data/\n' "$WORK" ;;
            16) printf '    status: file://%s/gone/_data/\n' "$WORK" ;;
            esac
        fi
        i=$((i + 1))
    done
} >"$WORK/r1top.yaml"

# start COLS ROWS [ARGS...]: r1top on the 20 nodes in a fresh session
start() {
    _old=s$SESSION
    SESSION=$((SESSION + 1))
    _c=$1 _r=$2
    shift 2
    tm new-session -d -s "s$SESSION" -x "$_c" -y "$_r" \
        "env LANG=C.UTF-8 LC_ALL= TERM=$TERMNAME '$R1TOP' -c '$WORK/r1top.yaml' $*; sleep 120"
    tm kill-session -t "$_old" >/dev/null 2>&1
}
press() { tm send-keys -t "s$SESSION" "$1"; }
type_text() { tm send-keys -t "s$SESSION" -l -- "$1"; }
last_line() { printf '%s\n' "$SCREEN" | tail -n 1; }
# the table's title line and its rows (between the title line and the totals line)
head_line() { printf '%s\n' "$SCREEN" | grep -m 1 ' NODE '; }
rows() { printf '%s\n' "$SCREEN" | sed -n '/ NODE /,/ nodes: /p' | sed '1d;$d' | grep -v '^│ *│$'; }
first_row() { rows | head -n 1; }
# wait until every row has its figures: the claimable of the known nodes and the problems
settled() {
    wait_for "unknown to the oracle" >/dev/null && wait_for "stale files" >/dev/null &&
        wait_for "status file error" >/dev/null && wait_for " R1 " >/dev/null
}
# the screen, once two captures a moment apart agree (a frame is written in pieces)
steady() {
    SCREEN=$(capture)
    _j=0
    while sleep 0.3 && [ "$(capture | sed 1d)" != "$(printf '%s\n' "$SCREEN" | sed 1d)" ] &&
        [ $_j -lt 20 ]; do
        SCREEN=$(capture)
        _j=$((_j + 1))
    done
}
has_cols() {
    _h=$(head_line)
    for _t in "$@"; do
        case "$_h" in *"$_t"*) ;; *) diag "no column $_t in: $_h"; return 1 ;; esac
    done
}
lacks_cols() {
    _h=$(head_line)
    for _t in "$@"; do
        case "$_h" in *"$_t"*) diag "column $_t in: $_h"; return 1 ;; esac
    done
}
keep() { [ -n "${FLEET_CAPTURES:-}" ] && mkdir -p "$FLEET_CAPTURES" && capture >"$FLEET_CAPTURES/$1"; }

# --- 120x40: the start screen ---------------------------------------------------------------
start 120 40
check "120x40: several nodes start on the fleet screen" wait_for "Fleet 20 nodes"
check "120x40: every row gets its figures" settled
steady
check "120x40: NODE STATE LIC AVAIL LAST 7 GPU CLAIMABLE TRUST PROBLEM" \
    has_cols NODE STATE LIC AVAIL "LAST 7" GPU CLAIMABLE TRUST PROBLEM
check "120x40: a row per node (20)" [ "$(rows | wc -l)" -eq 20 ]
contains "120x40: the alias in brackets" "$SCREEN" "edge-fra-01 [sim-edge-01]"
contains "120x40: the state with its age" "$(rows | grep edge-fra-01)" "online "
contains "120x40: the licence and its status" "$(rows | grep edge-fra-01)" "ND valid"
contains "120x40: the verdict mark" "$(rows | grep edge-fra-01)" "✓"
contains "120x40: POAI: the USDC its source gave (the simulator's oracle still carries it)" \
    "$(rows | grep edge-fra-01)" "12.50"
contains "120x40: a file-fed node's availability this epoch" "$(rows | grep edge-fra-13)" "%"
contains "120x40: the stale copy: stale files 2 h" "$(rows | grep edge-nyc-15)" "stale files 2 h"
contains "120x40: the missing folder: a source error" "$(rows | grep edge-sgp-16)" "status file error"
contains "120x40: an address the oracle never saw" "$(rows | grep edge-fra-17)" "unknown to the oracle"
contains "120x40: ... has no claimable figure" "$(rows | grep edge-fra-17)" "n/a"
totals=$(printf '%s\n' "$SCREEN" | grep ' nodes: ')
contains "120x40: totals: all 20 nodes" "$totals" "20 nodes:"
contains "120x40: totals: stale counted apart" "$totals" "1 stale"
contains "120x40: totals: the claimable sum with the unknown counted" "$totals" "(4 n/a)"
# the simulator's oracle still carries PoAI for 16 of the 20 (docs/protocol.md §5.6: the real
# one never does); the totals sum what is known and count the rest
contains "120x40: totals: PoAI summed over the nodes that know it" "$totals" "PoAI 200.00 USDC (4 n/a)"

# --- sorting by claimable (F6's menu) and the filter ----------------------------------------
press F6
check "F6 opens the sort menu" wait_for "Sort by"
contains "the menu offers CLAIMABLE" "$SCREEN" "CLAIMABLE"
for _ in 1 2 3 4 5 6 7; do press Down; done
press Enter
check "picking CLAIMABLE sorts by it, biggest first" wait_for "by CLAIMABLE↓"
steady
check "sorted by claimable: the first row has an amount" sh -c 'printf "%s\n" "$1" | grep -q " R1 "' _ "$(first_row)"
check "sorted by claimable: the four unknown ones last" \
    sh -c '[ "$(printf "%s\n" "$1" | tail -n 4 | grep -c "unknown to the oracle")" -eq 4 ]' _ "$(rows)"
press /
type_text -1
check "/ filters as it is typed (name)" wait_for "/-1: 10 of 20"
press Enter
wait_gone "Enter accepts" >/dev/null
steady
check "the filter keeps 10 rows (edge-*-10 to edge-*-19)" [ "$(rows | wc -l)" -eq 10 ]
contains "totals follow the filter" "$(printf '%s\n' "$SCREEN" | grep ' nodes: ')" "10 of 20 nodes:"
keep fleet-120x40-claimable-filtered.txt
press '\'
check "\\ clears the filter" wait_gone "/-1:"
press /
type_text 4882001412
check "the filter matches an ETH address" wait_for "/4882001412: 1 of 20"
press Escape
check "Esc in the prompt goes back to no filter" wait_gone "/4882001412"
press F6
wait_for "Sort by" >/dev/null
press Enter
check "CLAIMABLE again: the other way round" wait_for "by CLAIMABLE↑"
steady
contains "reversed: an unknown one first" "$(first_row)" "unknown to the oracle"

# --- Enter and Esc keep sort and selection ---------------------------------------------------
press Down
press Down
wait_for "node 3/20" >/dev/null
steady
# the selected row: sorted by claimable ascending, the third is the last unknown one
sel=$(rows | sed -n 3p | grep -o 'edge-[a-z]*-[0-9]*' | head -n 1)
idx=${sel##*-}
idx=${idx#0}
press Enter
check "Enter shows the selected node ($sel)" wait_for "node $idx/20"
contains "... on the node screen" "$SCREEN" "Licence"
press Escape
check "Esc comes back to the fleet screen" wait_for "F6SortBy"
contains "... still sorted" "$SCREEN" "by CLAIMABLE↑"
contains "... the same node selected" "$(last_line)" "node 3/20"

# --- 80x24 ------------------------------------------------------------------------------------
start 80 24
wait_for "Fleet 20 nodes" >/dev/null
settled
press F6
wait_for "Sort by" >/dev/null
for _ in 1 2 3 4 5 6 7; do press Down; done
press Enter
wait_for "by CLAIMABLE↓" >/dev/null
press /
type_text -1
press Enter
wait_for "/-1: 10 of 20" >/dev/null
wait_gone "Enter accepts" >/dev/null
steady
check "80x24: NODE STATE LIC CLAIMABLE PROBLEM kept" has_cols NODE STATE LIC CLAIMABLE PROBLEM
check "80x24: the widest columns dropped" lacks_cols "LAST 7" POAI
contains "80x24: the totals line" "$SCREEN" "10 of 20 nodes:"
contains "80x24: the key bar" "$(last_line)" "F6SortBy"
keep fleet-80x24-claimable-filtered.txt

# --- 200x50 -----------------------------------------------------------------------------------
start 200 50
wait_for "Fleet 20 nodes" >/dev/null
settled
steady
check "200x50: every column" has_cols NODE STATE LIC AVAIL "LAST 7" GPU CLAIMABLE POAI TRUST PROBLEM
check "200x50: all 20 rows" [ "$(rows | wc -l)" -eq 20 ]

# --- --no-color: problems read without colour ---------------------------------------------------
start 120 40 --no-color
wait_for "Fleet 20 nodes" >/dev/null
settled
steady
check "--no-color: a node unknown to the oracle is marked !" \
    sh -c 'printf "%s\n" "$1" | grep "unknown to the oracle" | grep -q "^│! "' _ "$(rows)"
check "--no-color: a stale one is marked *" \
    sh -c 'printf "%s\n" "$1" | grep "stale files" | grep -q "^│\* "' _ "$(rows)"
check "--no-color: a row without a problem is not marked" \
    sh -c 'printf "%s\n" "$1" | grep "edge-fra-01 " | grep -q "^│  "' _ "$(rows)"
codes=$(capture -e | grep -o "$ESC\[[0-9;:]*m" | sed "s/^$ESC\[//; s/m\$//" | tr ';:' '\n\n' |
    grep -E '^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$' | sort -u | tr '\n' ' ')
check "--no-color: no colour codes on screen (${codes:-none})" [ -z "$codes" ]

done_testing
