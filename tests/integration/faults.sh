#!/bin/sh
# faults.sh: r1top --once --json against a misbehaving simulator. For every fault: no crash,
# valid JSON, the faulty source is ok:false with a clear error, every other source still ok.
# R1_VALGRIND=1 also runs one case under valgrind.
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"
sim_require

T=$(tmpdir)
trap 'sim_stop; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

ORACLE_SRCS='("oracle_last","oracle_range")'
FILE_SRCS='("node_info","node_history","streams")'

VG=0
if [ "${R1_VALGRIND:-0}" = 1 ]; then
    if command -v valgrind >/dev/null 2>&1; then VG=1; else diag "R1_VALGRIND=1 but valgrind is missing"; fi
fi

plan $((97 + VG * 2))

# common checks for one run: $1 = name, $2 = expected rc (0/1), $3 = output file
common() {
    check "$1: exit $2 (rc=$R1_RC, ${R1_SECS}s)" [ "$R1_RC" -eq "$2" ]
    [ "$R1_RC" -eq "$2" ] || diag "stderr:" "$(head -c 1500 "$3.err")"
    jcheck "$1: valid JSON document" "$3" 'isinstance(d, dict) and len(d["nodes"]) == 1'
    if has_raw_esc "$3"; then fail "$1: no raw ESC/BEL byte in stdout"; else ok "$1: no raw ESC/BEL byte in stdout"; fi
}

# oracle-wide fault: oracle sources fail with an error matching $3 (a Python regex), files stay ok
oracle_fault() {
    _name=$1; _timeout=$2; _re=$3; shift 3
    sim_start "$T/$_name" --fault "$_name" "$@" || { fail "$_name: sim start"; return; }
    sim_config "$T/$_name/r1top.yaml" "$_timeout"
    r1top_once "$T/$_name/out.json" "$T/$_name/r1top.yaml"
    _o=$T/$_name/out.json
    common "$_name" 1 "$_o"
    jcheck "$_name: ok false" "$_o" 'd["ok"] is False'
    jcheck "$_name: oracle sources ok:false" "$_o" 'all(src[s]["ok"] is False and src[s]["error"] for s in '"$ORACLE_SRCS"')'
    jcheck "$_name: oracle_last error is clear" "$_o" '__import__("re").search(r"'"$_re"'", src["oracle_last"]["error"] or "", 2)'
    jcheck "$_name: node file sources still ok with data" "$_o" \
        'all(src[s]["ok"] is True and src[s]["error"] is None for s in '"$FILE_SRCS"') and n["alias"] == "sim-edge-01" and n["history"]["uptime_s"] == 443045 and len(n["workloads"]["instances"]) >= 1'
    jcheck "$_name: epoch falls back to the clock" "$_o" 'd["epoch"]["clock_current"] == info["current_epoch"] and d["epoch"]["current"] in (None, info["current_epoch"])'
    diag "$_name: oracle_last.error = $(jget "$_o" 'src["oracle_last"]["error"]')"
    sim_stop
}

# one oracle endpoint broken (--fault-path): only the source that uses it fails
path_fault() {
    _name=$1; _path=$2; _re=$3; _src=$4
    _d=$T/$_name-path
    sim_start "$_d" --fault "$_name" --fault-path "$_path" || { fail "$_name path: sim start"; return; }
    sim_config "$_d/r1top.yaml" 3
    r1top_once "$_d/out.json" "$_d/r1top.yaml"
    _o=$_d/out.json
    check "$_name on $_path: exit 1 (rc=$R1_RC)" [ "$R1_RC" -eq 1 ]
    jcheck "$_name on $_path: $_src fails with a clear error" "$_o" \
        'src["'"$_src"'"]["ok"] is False and __import__("re").search(r"'"$_re"'", src["'"$_src"'"]["error"] or "", 2)'
    jcheck "$_name on $_path: file sources ok" "$_o" 'all(src[s]["ok"] for s in '"$FILE_SRCS"')'
    diag "$_name on $_path: failing = $(jget "$_o" '{k: s["error"] for k, s in src.items() if not s["ok"]}')"
}

oracle_fault http500 3 'HTTP 500'
oracle_fault truncated 3 'truncat|partial|incomplete|closed|bytes remaining|short'
oracle_fault garbage 3 'invalid JSON|not JSON|parse|malformed'
oracle_fault oversized 3 'too large|too big|exceed|cap'
oracle_fault oversized-nolen 3 'too large|too big|exceed|cap'
oracle_fault slow 2 'timed out|timeout'
check "slow: the 2 s timeout bounds the run (${R1_SECS}s)" [ "$R1_SECS" -le 12 ]

path_fault http500 /node_epochs_range,/multi_node_epochs_range 'HTTP 500' oracle_range
jcheck "http500 on the range: every other source ok" "$_o" 'all(s["ok"] for k, s in src.items() if k != "oracle_range")'
jcheck "http500 on the range: licence and last epoch still there" "$_o" 'n["licence"]["total_assigned_wei"] == "1575188843457943924600" and n["availability"]["last_epoch"] == info["last_synced_epoch"]'
jcheck "http500 on the range: claimable unknown (null)" "$_o" 'n["rewards"]["poa_claimable_wei"] is None'
sim_stop
path_fault garbage /node_last_epoch 'invalid JSON|not JSON|parse|malformed' oracle_last
jcheck "garbage on last epoch: streams/history still ok" "$_o" 'n["history"]["uptime_s"] == 443045 and len(n["workloads"]["instances"]) >= 1'
sim_stop

# files-truncated: local_info.json cut mid-way -> node_info fails, everything else fine
N=files-truncated
sim_start "$T/$N" --fault $N || fail "$N: sim start"
sim_config "$T/$N/r1top.yaml"
r1top_once "$T/$N/out.json" "$T/$N/r1top.yaml"
O=$T/$N/out.json
common $N 1 "$O"
jcheck "$N: node_info ok:false, invalid JSON" "$O" 'src["node_info"]["ok"] is False and __import__("re").search(r"invalid JSON|parse|truncat|malformed", src["node_info"]["error"] or "", 2)'
jcheck "$N: status_file.error set" "$O" 'n["status_file"]["error"] is not None'
jcheck "$N: other sources ok" "$O" 'all(s["ok"] for k, s in src.items() if k != "node_info")'
jcheck "$N: oracle data still there" "$O" 'n["licence"]["total_assigned_wei"] == "1575188843457943924600" and n["availability"]["last_epoch"] == info["last_synced_epoch"]'
jcheck "$N: history still there" "$O" 'n["history"]["uptime_s"] == 443045'
sim_stop

# files-stale: the files are an hour old -> not an error, but the node is not "online"
N=files-stale
sim_start "$T/$N" --fault $N || fail "$N: sim start"
sim_config "$T/$N/r1top.yaml"
r1top_once "$T/$N/out.json" "$T/$N/r1top.yaml"
O=$T/$N/out.json
common $N 0 "$O"
jcheck "$N: every source ok" "$O" 'all(s["ok"] for s in src.values())'
jcheck "$N: file_age_s about an hour" "$O" '3500 <= n["status_file"]["file_age_s"] <= 3800'
jcheck "$N: online is stale/offline" "$O" 'n["online"] in ("stale", "offline")'
jcheck "$N: online_reason given" "$O" 'isinstance(n["online_reason"], str) and n["online_reason"] != ""'
diag "$N: online=$(jget "$O" 'n["online"]') reason=$(jget "$O" 'n["online_reason"]')"
sim_stop

# escape: hostile terminal codes in the aliases (oracle and files) -> nothing raw reaches stdout
N=escape
sim_start "$T/$N" --fault $N || fail "$N: sim start"
sim_config "$T/$N/r1top.yaml"
r1top_once "$T/$N/out.json" "$T/$N/r1top.yaml"
O=$T/$N/out.json
common $N 0 "$O"
if has_raw_esc "$O.err"; then fail "$N: no raw ESC/BEL byte on stderr"; else ok "$N: no raw ESC/BEL byte on stderr"; fi
jcheck "$N: every source ok" "$O" 'all(s["ok"] for s in src.values())'
jcheck "$N: alias still shown" "$O" '"sim" in n["alias"] and "node" in n["alias"]'
jcheck "$N: no control characters in any decoded string" "$O" \
    'not any(ord(c) < 32 or ord(c) == 127 or 128 <= ord(c) < 160 for s in allstr(d) for c in s)'
diag "$N: alias = $(jget "$O" 'n["alias"]') server_alias = $(jget "$O" 'n["availability"]["server_alias"]')"
sim_stop

# signature faults: not transport errors; the data arrives but trust must differ from a clean run
sim_start "$T/clean" || fail "clean: sim start"
sim_config "$T/clean/r1top.yaml"
r1top_once "$T/clean/out.json" "$T/clean/r1top.yaml"
check "clean: exit 0 (rc=$R1_RC)" [ "$R1_RC" -eq 0 ]
CLEAN_TRUST=$(jget "$T/clean/out.json" 'n["availability"]["trust"]')
diag "clean: trust = $CLEAN_TRUST"
for N in badsig unsigned wrongsigner; do
    sim_fault "$N"
    r1top_once "$T/clean/$N.json" "$T/clean/r1top.yaml"
    check "$N: no crash, exit 0/1 (rc=$R1_RC)" [ "$R1_RC" -le 1 ]
    jcheck "$N: valid JSON, availability still reported" "$T/clean/$N.json" 'n["availability"]["last_epoch"] == info["last_synced_epoch"]'
    TR=$(jget "$T/clean/$N.json" 'n["availability"]["trust"]')
    diag "$N: trust = $TR"
    case $N in
    wrongsigner) ok "$N: trust reported ($TR)" ;;  # the sim's own key is no real oracle either
    *)
        if [ "$TR" != "$CLEAN_TRUST" ]; then ok "$N: trust differs from the clean run ($TR vs $CLEAN_TRUST)"
        elif [ "$CLEAN_TRUST" = '"unchecked"' ]; then
            # signature checking not implemented yet: an expected failure, not a broken build
            _tap_n=$((_tap_n + 1))
            echo "not ok $_tap_n - $N: trust differs from the clean run # TODO r1top does not verify signatures yet (trust $TR)"
        else fail "$N: trust differs from the clean run ($TR vs $CLEAN_TRUST)"; fi ;;
    esac
done
sim_fault none

# an unreachable oracle (nothing listening) and a missing status folder
cat >"$T/dead.yaml" <<EOF
network: mainnet
oracle:
  url: http://127.0.0.1:9
http:
  timeout: 2
nodes:
  - name: sim-node
    eth_address: 0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69
    status: file://$T/does-not-exist/_data/
EOF
r1top_once "$T/dead.json" "$T/dead.yaml"
SIM_DIR=$T/clean common "dead" 1 "$T/dead.json"
jcheck "dead: every source ok:false with an error" "$T/dead.json" 'all(s["ok"] is False and s["error"] for s in src.values())'
jcheck "dead: unknowns are null, not zero" "$T/dead.json" 'n["licence"]["total_assigned_wei"] is None and n["history"]["uptime_s"] is None and n["rewards"]["poa_claimable_wei"] is None'
jcheck "dead: online unknown/offline" "$T/dead.json" 'n["online"] in ("unknown", "offline")'
sim_stop

if [ $VG = 1 ]; then
    N=truncated
    sim_start "$T/vg" --fault $N || fail "valgrind: sim start"
    sim_config "$T/vg/r1top.yaml" 5
    R1_TIMEOUT=240 R1_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --log-file=$T/vg/valgrind.log" \
        r1top_once "$T/vg/out.json" "$T/vg/r1top.yaml"
    check "valgrind ($N): no memory errors or definite leaks (rc=$R1_RC)" [ "$R1_RC" -eq 1 ]
    [ "$R1_RC" -eq 1 ] || diag "$(head -40 "$T/vg/valgrind.log")"
    jcheck "valgrind ($N): valid JSON" "$T/vg/out.json" 'isinstance(d, dict)'
    sim_stop
fi
done_testing
