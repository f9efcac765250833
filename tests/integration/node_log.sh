#!/bin/sh
# node_log.sh: the node's own log file (docs/protocol.md §4.5) for a node whose files are on
# this host and which has no container r1top can reach: `r1top logs NODE` reads it through the
# _logs/EE.txt pointer, -n takes the last lines, -f prints each line added once (a line still
# being written waits for its end), a rotation (the pointer moves on) starts from the new file,
# and a pointer outside the node's _logs folder is refused rather than followed.
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"
T=$(tmpdir)
trap 'reap_spawned; rm -rf "$T"' EXIT
plan 13

LC=$T/lc
mkdir -p "$LC/_data" "$LC/_logs"
cp "$R1_SRCDIR/tests/data/node_files/local_info.json" "$LC/_data/"
LOGF=20261202_050000_EE_001_log.txt
printf '{"CURRENT_LOG": "/edge_node/_local_cache/_logs/%s"}\n' "$LOGF" >"$LC/_logs/EE.txt"
i=1
while [ $i -le 30 ]; do
    printf '[EE][2026-12-02 05:00:%02d] line %d\n' "$i" "$i"
    i=$((i + 1))
done >"$LC/_logs/$LOGF"
CFG=$T/r1top.yaml
printf 'oracle:\n  enabled: false\nnodes:\n  - name: f1\n    status: file://%s/_data/\n' "$LC" >"$CFG"

r1top_run "$T/tail" logs f1 -n 3 -c "$CFG"
rc_is "logs -n 3 of a node with only files" 0 "$T/tail"
printf '[EE][2026-12-02 05:00:28] line 28\n[EE][2026-12-02 05:00:29] line 29\n[EE][2026-12-02 05:00:30] line 30\n' >"$T/tail.expected"
check "logs -n 3: the file's last 3 lines, as written" cmp -s "$T/tail" "$T/tail.expected"
says "logs: says it reads the node's log file, and which" "$T/tail" "no container on this host; the node's log file .*/_logs/$LOGF"

r1top_run "$T/all" logs f1 -c "$CFG"
check "logs without -n: all 30 lines (fewer than the default 200)" [ "$(wc -l <"$T/all")" -eq 30 ]

# -f: lines added are printed once; a line without its newline yet is not printed until it ends
timeout -k 5 30 "$R1TOP" logs f1 -n 1 -f -c "$CFG" >"$T/follow" 2>"$T/follow.err" &
FPID=$!
reap_at_exit "$FPID"
sleep 1.5
printf '[EE] added 1\n[EE] half ' >>"$LC/_logs/$LOGF"
sleep 2
cp "$T/follow" "$T/follow.mid"
printf 'written\n' >>"$LC/_logs/$LOGF"
# rotation: the node starts a new file and moves the pointer
LOGF2=20261202_060000_EE_002_log.txt
printf '[EE] new file 1\n[EE] new file 2\n' >"$LC/_logs/$LOGF2"
sleep 2
printf '{"CURRENT_LOG": "/edge_node/_local_cache/_logs/%s"}\n' "$LOGF2" >"$LC/_logs/EE.txt"
sleep 2.5
kill -TERM "$FPID" 2>/dev/null
wait "$FPID"
printf '[EE][2026-12-02 05:00:30] line 30\n[EE] added 1\n' >"$T/mid.expected"
check "logs -f: the line added printed once; the half line not yet" cmp -s "$T/follow.mid" "$T/mid.expected"
cmp -s "$T/follow.mid" "$T/mid.expected" || diag "got:" "$(cat "$T/follow.mid")"
says "logs -f: the half line printed whole once it ended" "$T/follow" '^\[EE\] half written$'
check "logs -f: no line printed twice" [ "$(sort "$T/follow" | uniq -d | wc -l)" -eq 0 ]
says "logs -f: after the rotation, the new file's lines" "$T/follow" '^\[EE\] new file 2$'

# a pointer outside the node's _logs folder is the node's mistake or an attack: not followed
printf '{"CURRENT_LOG": "/etc/passwd"}\n' >"$LC/_logs/EE.txt"
r1top_run "$T/outside" logs f1 -c "$CFG"
rc_is "a pointer outside _logs" 1 "$T/outside"
says "a pointer outside _logs: refused, naming the pointer" "$T/outside" "EE.txt points outside the node's _logs folder"
printf '{"CURRENT_LOG": "/edge_node/_local_cache/_logs/../../../etc/passwd"}\n' >"$LC/_logs/EE.txt"
r1top_run "$T/dotdot" logs f1 -c "$CFG"
says "a pointer climbing out with .. is refused too" "$T/dotdot" "points outside the node's _logs folder"
rm "$LC/_logs/EE.txt"
r1top_run "$T/nopointer" logs f1 -c "$CFG"
says "no pointer: exit 1, the pointer named" "$T/nopointer" "cannot read .*_logs/EE.txt"

# a node with neither a container here nor files here
printf 'oracle:\n  enabled: false\nnodes:\n  - name: far\n    address: 0xai_AleLPKqUHV-iPc-76-rUvDkRWW4dFMIGKW1xFVcy65nH\n' >"$T/far.yaml"
r1top_run "$T/far" logs far -c "$T/far.yaml"
rc_is "logs of a node with no container and no files here" 1 "$T/far"
