#!/bin/sh
# errors: a failing source is drawn from its data, in words (found-defects D26: the Licence pane
# read "oracle: _last: Couldn't c…", a source's name and its error sentence cut apart by the
# UI, and `--once --json` gave a null licence.error). The oracle is http://127.0.0.1:9, where
# nothing listens; the node's status folder is readable. In a private tmux server at 100x30,
# then widened to 160x40 where the whole sentence fits.
. "$R1_SRCDIR/tests/lib.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
[ -x "$R1TOP" ] || skip_all "no r1top binary at $R1TOP"
[ -x /usr/bin/python3 ] || skip_all "/usr/bin/python3 not found"

. "$R1_SRCDIR/tests/ui/tmuxlib.sh"
WORK=$(tmpdir)
trap 'tm kill-server >/dev/null 2>&1; reap_spawned; rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM
export LC_ALL=C.UTF-8
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color

plan 12

DATA=$WORK/data
mkdir -p "$DATA/box_configuration/streams" "$WORK/home" "$WORK/xdg"
cp "$R1_SRCDIR/tests/data/node_files/local_info.json" "$R1_SRCDIR/tests/data/node_files/local_history.json" "$DATA/"
touch "$DATA/local_info.json" "$DATA/local_history.json"
cat >"$WORK/r1top.yaml" <<EOF
network: mainnet
oracle:
  url: http://127.0.0.1:9
http:
  timeout: 3
nodes:
  - name: no-oracle
    status: $DATA/
EOF
RUN="env HOME=$WORK/home XDG_CONFIG_HOME=$WORK/xdg"

# --- --once --json: the licence's error is data ---------------------------------------------
$RUN timeout -k 5 30 "$R1TOP" --once --json -c "$WORK/r1top.yaml" >"$WORK/once.json" 2>"$WORK/once.err"
rc=$?
check "D26: --once with the oracle down exits 1 (rc=$rc)" [ "$rc" -eq 1 ]
# lic EXPR: EXPR over l = nodes[0].licence
lic() {
    /usr/bin/python3 - "$WORK/once.json" "$1" <<'PYEOF'
import json, sys
try:
    l = json.load(open(sys.argv[1]))["nodes"][0]["licence"]
    ok = eval(sys.argv[2])
except Exception as e:
    print("# %r" % e)
    ok = False
sys.exit(0 if ok else 1)
PYEOF
}
check "D26: --once --json: licence.error is not null" lic 'isinstance(l["error"], str) and l["error"] != ""'
check "D26: --once --json: licence.error says the connection failed, in words" lic '"Couldn'"'"'t connect" in l["error"]'
check "D26: --once --json: licence.error names the oracle (127.0.0.1:9)" lic '"127.0.0.1:9/" in l["error"]'

# --- the screen -------------------------------------------------------------------------------
SESSION=1
tm new-session -d -s "s$SESSION" -x 100 -y 30 \
    "$RUN TERM=$TERMNAME LANG=C.UTF-8 LC_ALL= '$R1TOP' -c '$WORK/r1top.yaml'"
check "D26: the node screen came up at 100x30" wait_for "Licence"
check "D26: the oracle's failure is drawn" wait_for "oracle: Couldn't connect"
# pane TITLE: the inside of the box whose top border holds "─ TITLE", one line a row
pane() {
    printf '%s\n' "$SCREEN" | /usr/bin/python3 -c '
import sys
rows = sys.stdin.read().split("\n")
title = "\u2500 " + sys.argv[1]
for i, r in enumerate(rows):
    k = r.find(title)
    if k < 0:
        continue
    left = r.rfind("\u250c", 0, k)
    right = r.find("\u2510", k)
    for row in rows[i + 1:]:
        if len(row) <= left or row[left] != "\u2502":
            break
        print(row[left + 1:right])
    break' "$1"
}
LIC=$(pane Licence)
diag "Licence pane at 100x30:" "$LIC"
contains "D26: the Licence pane has a line: oracle: Couldn't connect ..." "$LIC" "
oracle: Couldn't connect"
contains "D26: the Licence pane says how long ago it failed" "$LIC" "s ago)"
# absent TEXT...: none of TEXT is on the screen captured last
absent() {
    for _t in "$@"; do
        case "$SCREEN" in *"$_t"*) diag "on screen: $_t"; return 1 ;; esac
    done
}
check "D26: nothing on the screen reads \"_last:\"" absent "_last:"
check "D26: nothing on the screen reads \"oracle: _\"" absent "oracle: _"

# wider: the whole sentence fits
tm resize-window -t "s$SESSION" -x 160 -y 40
check "D26: at 160x40 the whole sentence shows: oracle: Couldn't connect to server" \
    wait_for "oracle: Couldn't connect to server ("
check "D26: at 160x40 nothing reads \"_last:\" or \"oracle: _\"" \
    absent "_last:" "oracle: _"

tm kill-server >/dev/null 2>&1
done_testing
