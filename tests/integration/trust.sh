#!/bin/sh
# shellcheck disable=SC2016 # the `sh -c '...' - args` conditions expand $1.. in the child
# trust.sh: the real r1top binary's trust commands against data made by others:
#   A. `r1top verify` on real signed messages from Ratio1's repositories (tests/data/vectors,
#      see its README), and on copies with one signed value changed;
#   B. cross-implementation: what r1top signed verifies in Python (verify_py.py), what Python
#      signed verifies in r1top;
#   C. a fresh reply from the simulator (signed by Python `cryptography` with a random key);
#   D. `keygen` / `whoami`, checked against Python's reading of the same PEM;
#   E. `verify` on garbage: exit 1, a clear INVALID line, never a crash.
# Everything is time-bounded; the simulator listens on 127.0.0.1 only and is killed on exit.
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"
sim_require

T=$(tmpdir)
trap 'sim_stop; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
# no user config, no user key: r1top verify reads the default config if there is one
mkdir -p "$T/home" "$T/xdg"
HOME=$T/home XDG_CONFIG_HOME=$T/xdg
export HOME XDG_CONFIG_HOME
unset NO_COLOR

TD=$R1_SRCDIR/tests/data/trust
VEC=$R1_SRCDIR/tests/data/vectors
NVEC=4
TEST_KEY_ADDR=0xai_A8GIwv9qUBSawjfosRllzI7WaqqFGsHZ1BbZMeLsiYfB   # sha256("r1top test oracle key")
TEST_KEY_ETH=0x4882001412da8fbB3A18A971c7a33eb4e71Ea106

plan 59

# r1 OUT ARGS...: run r1top, stdout+stderr -> OUT, time-bounded; sets RC
r1() {
    _out=$1; shift
    # shellcheck disable=SC2086 # R1_WRAP is a command prefix (valgrind ...), split on purpose
    timeout -k 5 "${R1_TIMEOUT:-60}" ${R1_WRAP:-} "$R1TOP" "$@" >"$_out" 2>&1
    RC=$?
}
# skip N reason: N skipped tests, so the plan holds
skip() {
    _k=0
    while [ $_k -lt "$1" ]; do
        _tap_n=$((_tap_n + 1)); echo "ok $_tap_n # SKIP $2"; _k=$((_k + 1))
    done
}
# invalid "desc" OUT: the expected failure (exit 1) with no signal, and OUT says INVALID
invalid() {
    if [ "$RC" -eq 1 ] && grep -q ': INVALID (' "$2"; then ok "$1 (rc=$RC)"
    else fail "$1 (rc=$RC)"; diag "$(head -c 600 "$2")"; fi
}

# mutate.py IN OUT KIND: change one signed value of IN, byte-level, keeping every other byte.
#   string: one character inside the first data string value
#   number: the last digit of the first number value (a null becomes 0, else a string loses
#           its last character, when the document has no numbers)
cat >"$T/mutate.py" <<'PYEOF'
import json, re, sys
src, dst, kind = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(src, encoding="utf-8").read()
NON_DATA = ("EE_SIGN", "EE_SENDER", "EE_HASH", "SIGN_CANON_V", "EE_ETH_SIGN", "EE_ETH_SENDER")
tok = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|null|true|false|[{}\[\]:,]|\s+')
toks, pos = [], 0
while pos < len(text):
    m = tok.match(text, pos)
    if not m:
        sys.exit("mutate: cannot tokenize at %d" % pos)
    toks.append((m.start(), m.group()))
    pos = m.end()
sig = [t for t in toks if not t[1].isspace()]
values = []  # (offset, lexeme, key) for every value that sits after "key":
for i, (off, lex) in enumerate(sig):
    if i >= 2 and sig[i - 1][1] == ":" and sig[i - 2][1] not in NON_DATA and json.loads(sig[i - 2][1]) not in NON_DATA:
        values.append((off, lex))
def put(off, old, new):
    return text[:off] + new + text[off + len(old):]
out = None
if kind == "string":
    for off, lex in values:
        if not lex.startswith('"'):
            continue
        body = lex[1:-1]
        plain, j = [], 0  # indices of characters that are not part of an escape sequence
        while j < len(body):
            if body[j] == "\\":
                j += 6 if body[j + 1] == "u" else 2
                continue
            if body[j].isalnum():
                plain.append(j)
            j += 1
        k = plain[len(plain) // 2] if plain else None
        if k is not None:
            c = body[k]
            c2 = "x" if c != "x" else "y"
            out = put(off, lex, '"' + body[:k] + c2 + body[k + 1:] + '"')
            break
elif kind == "number":
    for off, lex in values:
        if lex[0] in "-0123456789":
            out = put(off, lex, lex[:-1] + str((int(lex[-1]) + 1) % 10))
            break
    if out is None:
        for off, lex in values:
            if lex == "null":
                out = put(off, lex, "0")
                break
    if out is None:
        for off, lex in values:
            if lex.startswith('"') and len(lex) > 3:
                out = put(off, lex, lex[:-2] + '"')
                break
if out is None or json.loads(out) == json.loads(text):
    sys.exit("mutate: no %s value changed in %s" % (kind, src))
open(dst, "w", encoding="utf-8").write(out)
PYEOF

# ---------------------------------------------------------------------------------------
# A. the Ratio1 vectors
n=0
for f in "$VEC"/*.json; do [ -f "$f" ] && n=$((n + 1)); done
if [ "$n" -eq $NVEC ]; then
    r1 "$T/vec.txt" verify "$VEC"/*.json
    check "verify the $NVEC Ratio1 vectors: exit 0 (rc=$RC)" [ "$RC" -eq 0 ]
    diag "r1top verify tests/data/vectors/*.json:" "$(sed "s|$VEC/||" "$T/vec.txt")"
    check "$NVEC lines, every one VALID" \
        sh -c '[ "$(wc -l <"$1")" -eq "$2" ] && [ "$(grep -c ": VALID (" "$1")" -eq "$2" ]' - "$T/vec.txt" $NVEC
    check "netmon verifies with legacy floats only" grep -q '^[^:]*netmon[^:]*: VALID (unversioned, legacy floats) ' "$T/vec.txt"
    check "the 3 dAuth vectors verify unversioned (complex encoder)" [ "$(grep -c '^[^:]*dauth[^:]*: VALID (unversioned) sender ' "$T/vec.txt")" -eq 3 ]
    check "request_sdk signer: 0xai_AjcITh... -> 0x13Dc6Ee2... (docs/protocol.md §3.5 pair)" \
        grep -q 'request_sdk[^:]*: VALID (unversioned) sender 0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty 0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69 ' "$T/vec.txt"

    # whitespace and \u escapes on the wire do not matter: the canonical form is rebuilt
    "$PY" -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2],"w"), indent=3, ensure_ascii=True)' \
        "$VEC/netmon_payload_legacy_v1_ratio1_sdk.json" "$T/netmon_reindented.json"
    r1 "$T/re.txt" verify "$T/netmon_reindented.json"
    check "netmon re-indented with \\u escapes: still VALID (legacy floats) (rc=$RC)" \
        sh -c '[ "$1" -eq 0 ] && grep -q ": VALID (unversioned, legacy floats)" "$2"' - "$RC" "$T/re.txt"

    # EE_ETH_SENDER is not hashed (docs/protocol.md §3.7): a forged one still verifies, but r1top
    # must show the
    # address derived from the key, never the claimed one
    "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); d["EE_ETH_SENDER"]="0x000000000000000000000000000000000000dEaD"; json.dump(d, open(sys.argv[2],"w"))' \
        "$VEC/dauth_request_request_sdk_edge_node.json" "$T/forged_eth.json"
    r1 "$T/fe.txt" verify "$T/forged_eth.json"
    check "forged EE_ETH_SENDER: VALID, shows the derived 0x13Dc6Ee2..., not the claim" \
        sh -c '[ "$1" -eq 0 ] && grep -q " 0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69 " "$2" && ! grep -qi dead "$2"' - "$RC" "$T/fe.txt"

    # one signed value changed -> INVALID, for every vector, a string and a number
    for f in "$VEC"/*.json; do
        b=$(basename "$f" .json)
        for kind in string number; do
            if "$PY" "$T/mutate.py" "$f" "$T/$b.$kind.json" "$kind" 2>"$T/mut.err"; then
                r1 "$T/$b.$kind.txt" verify "$T/$b.$kind.json"
                if [ "$RC" -eq 1 ] && grep -q ': INVALID (\(EE_HASH mismatch\|signature does not verify\)' "$T/$b.$kind.txt"; then
                    ok "$b, one $kind value changed: INVALID (rc=$RC)"
                else
                    fail "$b, one $kind value changed: INVALID (rc=$RC)"; diag "$(head -c 400 "$T/$b.$kind.txt")"
                fi
            else
                fail "$b: make a $kind mutation"; diag "$(cat "$T/mut.err")"
            fi
        done
    done
    diag "e.g. $(sed "s|$T/||" "$T/netmon_payload_legacy_v1_ratio1_sdk.number.txt")"

    # the signature's framing: EE_HASH, its absence, the canon version
    G=$VEC/dauth_request_good_request_edge_node.json
    "$PY" - "$G" "$T" <<'PYEOF'
import json, sys
g, t = sys.argv[1], sys.argv[2]
def w(name, f):
    d = json.load(open(g)); f(d); json.dump(d, open("%s/%s.json" % (t, name), "w"))
w("hash_changed", lambda d: d.update(EE_HASH=d["EE_HASH"][:-1] + ("0" if d["EE_HASH"][-1] != "0" else "1")))
w("hash_removed", lambda d: d.pop("EE_HASH"))
w("v2_added", lambda d: d.update(SIGN_CANON_V="v2"))
w("v9", lambda d: d.update(SIGN_CANON_V="v9"))
w("sign_changed", lambda d: d.update(EE_SIGN=d["EE_SIGN"][:20] + ("A" if d["EE_SIGN"][20] != "A" else "B") + d["EE_SIGN"][21:]))
PYEOF
    r1 "$T/f1.txt" verify "$T/hash_changed.json"; invalid "EE_HASH changed: INVALID" "$T/f1.txt"
    r1 "$T/f2.txt" verify "$T/hash_removed.json"
    check "EE_HASH removed: INVALID, signature does not verify (rc=$RC)" sh -c '[ "$1" -eq 1 ] && grep -q "INVALID (signature does not verify)" "$2"' - "$RC" "$T/f2.txt"
    r1 "$T/f3.txt" verify "$T/v2_added.json"; invalid "SIGN_CANON_V v2 added to an unversioned message: INVALID" "$T/f3.txt"
    r1 "$T/f4.txt" verify "$T/v9.json"
    check "SIGN_CANON_V v9: INVALID, unknown canon version (rc=$RC)" sh -c '[ "$1" -eq 1 ] && grep -q "INVALID (.*v9" "$2"' - "$RC" "$T/f4.txt"
    r1 "$T/f5.txt" verify "$T/sign_changed.json"; invalid "EE_SIGN changed: INVALID" "$T/f5.txt"
    # several files: one bad one makes the exit 1, the others are still reported VALID
    r1 "$T/multi.txt" verify "$G" "$T/v9.json" "$VEC/dauth_request_request_sdk_edge_node.json"
    check "3 files, one bad: exit 1, 2 VALID + 1 INVALID lines (rc=$RC)" \
        sh -c '[ "$1" -eq 1 ] && [ "$(grep -c ": VALID (" "$2")" -eq 2 ] && [ "$(grep -c ": INVALID (" "$2")" -eq 1 ]' - "$RC" "$T/multi.txt"
else
    # the vectors are committed: their absence is a broken checkout, not a reason to skip
    fail "the $NVEC vectors are in $VEC (found $n)"
    skip 20 "no vectors"
fi

# ---------------------------------------------------------------------------------------
# B. cross-implementation, committed fixtures
if "$PY" "$TD/verify_py.py" "$TD/r1top_signed_v2.json" >"$T/py1.txt" 2>&1; then
    contains "Python (verify_py.py) accepts r1top_signed_v2.json (signed by r1top's sig_sign)" "$(cat "$T/py1.txt")" ": VALID (v2)"
else fail "Python (verify_py.py) accepts r1top_signed_v2.json"; diag "$(cat "$T/py1.txt")"; fi
"$PY" "$T/mutate.py" "$TD/r1top_signed_v2.json" "$T/r1top_signed_mut.json" string
if "$PY" "$TD/verify_py.py" "$T/r1top_signed_mut.json" >"$T/py2.txt" 2>&1; then fail "Python rejects r1top_signed_v2.json with one character changed"
else contains "Python rejects r1top_signed_v2.json with one character changed" "$(cat "$T/py2.txt")" "INVALID"; fi
r1 "$T/x1.txt" verify "$TD/py_signed_v2.json"
check "r1top accepts py_signed_v2.json (signed by Python cryptography): VALID (v2), the test key (rc=$RC)" \
    sh -c '[ "$1" -eq 0 ] && grep -q ": VALID (v2) sender $3 $4 " "$2"' - "$RC" "$T/x1.txt" "$TEST_KEY_ADDR" "$TEST_KEY_ETH"
r1 "$T/x2.txt" verify "$TD/r1top_signed_v2.json"
check "r1top accepts its own r1top_signed_v2.json: VALID (v2) (rc=$RC)" \
    sh -c '[ "$1" -eq 0 ] && grep -q ": VALID (v2) sender $3 " "$2"' - "$RC" "$T/x2.txt" "$TEST_KEY_ADDR"
diag "$(sed "s|$TD/||" "$T/x1.txt" "$T/x2.txt")"

# ---------------------------------------------------------------------------------------
# C. a fresh reply from the simulator (random key: valid, but not a known oracle)
NODE_ETH=0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69
if sim_start "$T/sim"; then
    ok "simulator started (signer $SIM_SIGNER)"
    LAST="/node_last_epoch?eth_node_addr=$NODE_ETH&include_bc_info=true"
    sim_get "$LAST" "$T/last.json"
    E=$(sed -n 's/^EPOCH=//p' "$T/sim/sim.out")
    sim_get "/node_epochs_range?start_epoch=$((E - 10))&end_epoch=$((E - 1))&eth_node_addr=$NODE_ETH" "$T/range.json"
    r1 "$T/s1.txt" verify "$T/last.json" "$T/range.json"
    diag "$(sed "s|$T/||" "$T/s1.txt")"
    check "fresh node_last_epoch + node_epochs_range replies: exit 0 (rc=$RC)" [ "$RC" -eq 0 ]
    check "both VALID (v2), sender = the sim's key and ETH address, not a known oracle" \
        [ "$(grep -c ": VALID (v2) sender $SIM_SIGNER $SIM_SIGNER_ETH not a known oracle\$" "$T/s1.txt")" -eq 2 ]
    check "both: the EVM availability signature ok" [ "$(grep -c ': availability signature ok ' "$T/s1.txt")" -eq 2 ]
    if "$PY" "$TD/verify_py.py" "$T/last.json" "$T/range.json" >"$T/py3.txt" 2>&1; then ok "Python agrees: both VALID"
    else fail "Python agrees: both VALID"; diag "$(cat "$T/py3.txt")"; fi
    # the same reply with one availability value changed
    "$PY" -c '
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"\"epochs_vals\": \[(\d+)", t)
open(sys.argv[2], "w").write(t[:m.start(1)] + str((int(m.group(1)) + 1) % 256) + t[m.end(1):])' "$T/range.json" "$T/range_mut.json"
    r1 "$T/s2.txt" verify "$T/range_mut.json"
    check "range reply with one epochs_vals digit changed: INVALID, availability BAD (rc=$RC)" \
        sh -c '[ "$1" -eq 1 ] && grep -q ": INVALID (" "$2" && grep -q ": availability signature BAD (" "$2"' - "$RC" "$T/s2.txt"
    diag "$(sed "s|$T/||" "$T/s2.txt")"
    # the sim's signature faults, seen through `verify`
    sim_fault badsig && sim_get "$LAST" "$T/badsig.json"
    r1 "$T/s3.txt" verify "$T/badsig.json"; invalid "sim badsig reply: INVALID" "$T/s3.txt"
    sim_fault unsigned && sim_get "$LAST" "$T/unsigned.json"
    r1 "$T/s4.txt" verify "$T/unsigned.json"
    check "sim unsigned reply: INVALID, says unsigned (rc=$RC)" sh -c '[ "$1" -eq 1 ] && grep -q ": INVALID (.*unsigned" "$2"' - "$RC" "$T/s4.txt"
    sim_fault wrongsigner && sim_get "$LAST" "$T/wrong.json"
    r1 "$T/s5.txt" verify "$T/wrong.json"
    check "sim wrongsigner reply: VALID, by another key than the sim's (rc=$RC)" \
        sh -c '[ "$1" -eq 0 ] && grep -q ": VALID (v2) sender 0xai_" "$2" && ! grep -q "$3" "$2"' - "$RC" "$T/s5.txt" "$SIM_SIGNER"
    sim_fault none
    sim_stop
    # a sim with a fixed key (--key): the signer is that key's address, as r1top derives it
    if sim_start "$T/simk" --key "$TD/key_pkcs8.pem"; then
        sim_get "$LAST" "$T/lastk.json"
        r1 "$T/s6.txt" verify "$T/lastk.json"
        check "sim --key key_pkcs8.pem: SIGNER and r1top's sender are the test key's (rc=$RC)" \
            sh -c '[ "$1" -eq 0 ] && [ "$3" = "$4" ] && grep -q ": VALID (v2) sender $4 $5 " "$2"' - "$RC" "$T/s6.txt" "$SIM_SIGNER" "$TEST_KEY_ADDR" "$TEST_KEY_ETH"
    else fail "sim --key key_pkcs8.pem"; fi
    sim_stop
else
    fail "simulator started"; skip 9 "no simulator"
fi

# ---------------------------------------------------------------------------------------
# D. keygen / whoami
K=$T/k.pem
r1 "$T/kg.txt" keygen "$K"
check "keygen creates $K (rc=$RC)" sh -c '[ "$1" -eq 0 ] && [ -s "$2" ]' - "$RC" "$K"
check "keygen: mode 600 ($(stat -c %a "$K" 2>/dev/null))" [ "$(stat -c %a "$K" 2>/dev/null)" = 600 ]
KG_NODE=$(sed -n 's/^node address *//p' "$T/kg.txt")
KG_ETH=$(sed -n 's/^eth address *//p' "$T/kg.txt")
cp "$K" "$T/k.orig"
r1 "$T/kg2.txt" keygen "$K"
check "keygen refuses to overwrite: exit $RC, key unchanged, says so" \
    sh -c '[ "$1" -ne 0 ] && [ "$1" -lt 128 ] && cmp -s "$2" "$3" && grep -q "exists" "$4"' - "$RC" "$K" "$T/k.orig" "$T/kg2.txt"
diag "$(cat "$T/kg2.txt")"
(umask 000 && timeout 30 "$R1TOP" keygen "$T/k0.pem" >/dev/null 2>&1)
check "keygen under umask 000: still mode 600 ($(stat -c %a "$T/k0.pem" 2>/dev/null))" [ "$(stat -c %a "$T/k0.pem" 2>/dev/null)" = 600 ]
r1 "$T/kg3.txt" keygen "$T/no/such/dir/k.pem"
check "keygen into a missing folder: exit $RC, a message" sh -c '[ "$1" -eq 1 ] && grep -q "cannot create" "$2"' - "$RC" "$T/kg3.txt"

r1 "$T/who.txt" whoami --identity "$K"
W_NODE=$(sed -n 's/^node address *//p' "$T/who.txt")
W_ETH=$(sed -n 's/^eth address *//p' "$T/who.txt")
diag "whoami: $W_NODE $W_ETH"
check "whoami: exit 0, an 0xai_ (49 chars) and an 0x (42 chars) address (rc=$RC)" \
    sh -c '[ "$1" -eq 0 ] && expr "$2" : "0xai_A[A-Za-z0-9_-]\{43\}$" >/dev/null && expr "$3" : "0x[0-9a-fA-F]\{40\}$" >/dev/null' - "$RC" "$W_NODE" "$W_ETH"
check "whoami = what keygen printed" test -n "$W_NODE" -a "$W_NODE" = "$KG_NODE" -a "$W_ETH" = "$KG_ETH"
PY_NODE=$("$PY" "$TD/verify_py.py" --key "$K" 2>&1)
check "Python cryptography loads the PEM: same 0xai_ ($PY_NODE)" [ "$PY_NODE" = "$W_NODE" ]
PY_ETH=$("$PY" - "$K" "$TD" <<'PYEOF' 2>&1
import sys
sys.path.insert(0, sys.argv[2])
from cryptography.hazmat.primitives import serialization
from pykeccak import keccak256
key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), password=None)
n = key.public_key().public_numbers()
raw = keccak256(n.x.to_bytes(32, "big") + n.y.to_bytes(32, "big"))[12:].hex()
h = keccak256(raw.encode()).hex()
print("0x" + "".join(c.upper() if c.isalpha() and int(h[i], 16) >= 8 else c for i, c in enumerate(raw)))
PYEOF
)
check "Python derives the same EIP-55 ETH address ($PY_ETH)" [ "$PY_ETH" = "$W_ETH" ]
chmod 644 "$K"
r1 "$T/who2.txt" whoami --identity "$K"
check "whoami refuses a mode 644 key: exit $RC, says chmod 600" sh -c '[ "$1" -eq 1 ] && grep -q "chmod 600" "$2"' - "$RC" "$T/who2.txt"
diag "$(cat "$T/who2.txt")"
# the fixed test key (PKCS#8 as the SDK writes it, and SEC1): its known addresses
for kf in key_pkcs8 key_sec1; do
    cp "$TD/$kf.pem" "$T/$kf.pem" && chmod 600 "$T/$kf.pem"
    r1 "$T/$kf.txt" whoami --identity "$T/$kf.pem"
    check "whoami $kf.pem: $TEST_KEY_ADDR $TEST_KEY_ETH (rc=$RC)" \
        sh -c '[ "$1" -eq 0 ] && grep -q "^node address *$3\$" "$2" && grep -q "^eth address *$4\$" "$2"' - "$RC" "$T/$kf.txt" "$TEST_KEY_ADDR" "$TEST_KEY_ETH"
done
for kf in key_p256 key_encrypted; do
    cp "$TD/$kf.pem" "$T/$kf.pem" && chmod 600 "$T/$kf.pem"
    r1 "$T/$kf.txt" whoami --identity "$T/$kf.pem"
    check "whoami refuses $kf.pem: exit $RC, a message" sh -c '[ "$1" -eq 1 ] && grep -q "^r1top: identity: " "$2"' - "$RC" "$T/$kf.txt"
    diag "$(cat "$T/$kf.txt")"
done
r1 "$T/who3.txt" whoami --identity "$T/nokey.pem"
check "whoami on a missing key: exit $RC, cannot open" sh -c '[ "$1" -eq 1 ] && grep -q "cannot open" "$2"' - "$RC" "$T/who3.txt"

# ---------------------------------------------------------------------------------------
# E. verify on things that are not signed messages: exit 1, an INVALID line, no crash
printf 'hello, {world' >"$T/garbage.txt"
: >"$T/empty.json"
"$PY" -c 'import random,sys; sys.stdout.buffer.write(random.Random(5).randbytes(5000000))' >"$T/junk5m.bin"
"$PY" -c 'import sys; sys.stdout.write("[" * 5000000)' >"$T/deep5m.json"
"$PY" -c 'import sys; sys.stdout.write("{\"a\":\"" + "\\u0000" * 800000 + "\",\"a\":1}")' >"$T/dupnul.json"
echo '[1,2,3]' >"$T/array.json"
for f in garbage.txt empty.json missing.json junk5m.bin deep5m.json dupnul.json array.json; do
    r1 "$T/$f.out" verify "$T/$f"
    if [ "$RC" -eq 1 ] && [ "$(grep -c "^$T/$f: INVALID (..*)\$" "$T/$f.out")" -eq 1 ]; then ok "verify $f: exit 1, one INVALID line with a reason"
    else fail "verify $f: exit 1, one INVALID line with a reason (rc=$RC)"; fi
    diag "$(head -c 300 "$T/$f.out" | sed "s|$T/||")"
done
r1 "$T/dir.out" verify "$T"
invalid "verify a directory: INVALID" "$T/dir.out"
r1 "$T/noarg.out" verify
check "verify with no FILE: usage error, exit 2 (rc=$RC)" sh -c '[ "$1" -eq 2 ] && grep -q "usage" "$2"' - "$RC" "$T/noarg.out"

done_testing
