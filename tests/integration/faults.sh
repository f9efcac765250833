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

plan $((136 + VG * 2))

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

# signature faults. A reply that arrives validly signed by an unknown key, or unsigned, is
# delivered: its source stays ok:true and r1top exits 0; the figures are shown, and every oracle
# block says why it cannot be trusted. A reply whose signature does NOT verify is still shown (so
# the operator sees what it claimed) but its source failed: exit 1, ok:false, error_kind
# bad_signature (the reshape issue, section 5).
A='n["availability"]'
RG='n["availability"]["epochs_range"]'
# trust_is "desc" FILE BLOCK TRUST: the block's trust is TRUST and verified is false (true for verified)
trust_is() {
    _v=False; [ "$4" = verified ] && _v=True
    jcheck "$1" "$2" "$3"'["trust"] == "'"$4"'" and '"$3"'["verified"] is '"$_v"
}
# sig_run NAME CFG: one `--once --json` run against the running sim; the answer is delivered,
# so exit 0, ok:true, every source ok, the oracle's figures still there
sig_run() {
    r1top_once "$T/clean/$1.json" "$2"
    _o=$T/clean/$1.json
    case $1 in
    badsig*)
        common "$1" 1 "$_o"
        jcheck "$1: a bad signature fails its source: ok false, error_kind bad_signature" "$_o" \
            'd["ok"] is False and any(s["ok"] is False and s["error_kind"] == "bad_signature" and "BAD SIGNATURE" in s["error"] for s in src.values()) and all(s["ok"] for k, s in src.items() if not k.startswith("oracle"))'
        ;;
    *)
        common "$1" 0 "$_o"
        jcheck "$1: the oracle answered: ok true, every source ok" "$_o" 'd["ok"] is True and all(s["ok"] is True and s["error"] is None for s in src.values())'
        ;;
    esac
    jcheck "$1: availability and range still reported" "$_o" "$A"'["last_epoch"] == info["last_synced_epoch"] and '"$A"'["last_epoch_avail_u8"] == 254 and len('"$A"'["epochs"]) > 0'
    diag "$1: last: $(jget "$_o" '[n["availability"][k] for k in ("trust", "trust_reason", "signer")]')" \
         "$1: range: $(jget "$_o" '[n["availability"]["epochs_range"][k] for k in ("trust", "trust_reason", "signer")]')"
}

sim_start "$T/clean" || fail "clean: sim start"
sim_config "$T/clean/r1top.yaml"
sig_run clean "$T/clean/r1top.yaml"
trust_is "clean: availability verified" "$_o" "$A" verified
trust_is "clean: epochs_range verified" "$_o" "$RG" verified
jcheck "clean: signer is the sim's in both blocks" "$_o" "$A"'["signer"] == '"$RG"'["signer"] == "'"$SIM_SIGNER"'"'

# badsig: the sim signs, then changes one signed character (node_alias) -> bad_signature
sim_fault badsig
sig_run badsig "$T/clean/r1top.yaml"
trust_is "badsig: availability bad_signature" "$_o" "$A" bad_signature
trust_is "badsig: epochs_range bad_signature" "$_o" "$RG" bad_signature
jcheck "badsig: both reasons say why (EE_HASH mismatch / signature does not verify)" "$_o" \
    'all(__import__("re").search(r"EE_HASH mismatch|signature does not verify", b["trust_reason"] or "") for b in ('"$A"', '"$RG"'))'

# wrongsigner: validly signed, by a key that is neither a network oracle nor trusted
sim_fault wrongsigner
sig_run wrongsigner "$T/clean/r1top.yaml"
trust_is "wrongsigner: availability unknown_signer" "$_o" "$A" unknown_signer
trust_is "wrongsigner: epochs_range unknown_signer" "$_o" "$RG" unknown_signer
jcheck "wrongsigner: the signer shown is the other key, named in the reason" "$_o" \
    'all(b["signer"].startswith("0xai_") and len(b["signer"]) == 49 and b["signer"] != "'"$SIM_SIGNER"'" and b["signer"] in (b["trust_reason"] or "") for b in ('"$A"', '"$RG"'))'

# unsigned: no EE_SIGN at all
sim_fault unsigned
sig_run unsigned "$T/clean/r1top.yaml"
trust_is "unsigned: availability unsigned" "$_o" "$A" unsigned
trust_is "unsigned: epochs_range unsigned" "$_o" "$RG" unsigned
jcheck "unsigned: no signer, a reason" "$_o" 'all(b["signer"] in (None, "") and b["trust_reason"] for b in ('"$A"', '"$RG"'))'

# badsig on /node_last_epoch only: the range reply is untouched and still verified
sim_fault badsig /node_last_epoch
sig_run badsig-last "$T/clean/r1top.yaml"
trust_is "badsig-last: availability bad_signature" "$_o" "$A" bad_signature
trust_is "badsig-last: epochs_range still verified" "$_o" "$RG" verified
sim_fault none

# the sim's honest signer, but the config does not list it: unknown_signer, never verified
sim_config "$T/clean/untrusted.yaml" 3 -
sig_run untrusted "$T/clean/untrusted.yaml"
trust_is "untrusted: availability unknown_signer" "$_o" "$A" unknown_signer
trust_is "untrusted: epochs_range unknown_signer" "$_o" "$RG" unknown_signer
jcheck "untrusted: signer is the sim's, reason says it is not a known oracle" "$_o" \
    'all(b["signer"] == "'"$SIM_SIGNER"'" and "not a known" in (b["trust_reason"] or "") for b in ('"$A"', '"$RG"'))'

# trusting someone else (a real mainnet seed oracle) does not make the sim trusted either
sim_config "$T/clean/other.yaml" 3 0xai_Aj1FpPQHISEBelp-tQ8cegwk434Dcl6xaHmuhZQT74if
r1top_once "$T/clean/other.json" "$T/clean/other.yaml"
check "other-trusted: exit 0 (rc=$R1_RC)" [ "$R1_RC" -eq 0 ]
trust_is "other-trusted: availability unknown_signer" "$T/clean/other.json" "$A" unknown_signer

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
