#!/bin/sh
# fleet_widths: a long fleet table remembers its column widths between frames (ui/table.h,
# table_widths_memo: measuring 1,000 rows cell by cell at every frame was most of r1top's CPU),
# yet what is on screen is never cut by an old measure. 100 nodes read status folders that are
# not there yet, so NODE is as narrow as "n-000"; then n-000's status file appears with a long
# alias: the row on screen needs more than is remembered, and the table measures again and
# shows the alias, not a cut name. (Replies redraw the screen too, so here the 10-frame
# re-measure alone would also get there within the wait: this checks what a person sees, not
# which of the two rules fired.) Further down, the last row's long name shows whole after End.
. "$R1_SRCDIR/tests/lib.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
[ -x "$R1TOP" ] || skip_all "r1top binary not found at $R1TOP"

. "$R1_SRCDIR/tests/ui/tmuxlib.sh"
WORK=$(tmpdir)
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM
export LC_ALL=C.UTF-8
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color

plan 5

{
    printf 'network: mainnet\noracle:\n  url: http://127.0.0.1:9\nrefresh:\n  node_info: 1\nnodes:\n'
    i=0
    while [ $i -lt 100 ]; do
        name=$(printf 'n-%03d' $i)
        [ $i -eq 99 ] && name=zz-last-node-long-name
        printf '  - name: %s\n    status: file://%s/%s/_data/\n' "$name" "$WORK" "$name"
        i=$((i + 1))
    done
} >"$WORK/r1top.yaml"

SESSION=1
tm new-session -d -s s1 -x 120 -y 30 "env LANG=C.UTF-8 TERM=$TERMNAME '$R1TOP' -c '$WORK/r1top.yaml'"
check "100 nodes on the fleet screen" wait_for "Fleet 100 nodes"
check "the rows are there, named as configured" wait_for "n-001"

# n-000's status file appears, with an alias much longer than the name
mkdir -p "$WORK/n-000/_data"
sed 's/"alias": "5ac5438a2775"/"alias": "an-alias-far-longer-than-its-name"/' \
    "$R1_SRCDIR/tests/data/node_files/local_info.json" >"$WORK/n-000/_data/local_info.json.tmp"
mv "$WORK/n-000/_data/local_info.json.tmp" "$WORK/n-000/_data/local_info.json"
check "a row on screen that grows is measured again at once: the alias shows" \
    wait_for "n-000 [an-alias-far"
check "the other rows keep their names" wait_for "n-002 "

tm send-keys -t s1 End
check "at the end, the last row's long name is whole" wait_for "zz-last-node-long-name"
tm send-keys -t s1 q
done_testing
