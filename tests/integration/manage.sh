#!/bin/sh
# manage.sh: r1top's manage actions against a simulated Docker Engine (tests/sim/dockersim.py):
# the node's own commands run with Docker exec (create, start, inspect: docs/protocol.md §8.1)
# for `r1top allowed`, `allow`, `alias` and `apps`, and the container's log for `r1top logs`
# (-n, -f). Each case says which requests reached the engine: an operand r1top refuses, a
# --readonly run and a run without a yes send nothing. The engine's failures: an exec in a
# stopped container (409), an exec start that never answers (ended by http.action_timeout, 3 s
# here), no such container (404), an image without the node's commands (exit 126), a socket
# this user may not open. A hostile log line is printed without its escape sequences.
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"
. "$R1_SRCDIR/tests/sim/dsimlib.sh"
[ -x "$PY" ] || skip_all "$PY not found"
[ -x "$R1TOP" ] || skip_all "r1top binary not found at $R1TOP"
command -v timeout >/dev/null 2>&1 || skip_all "timeout(1) not found"

T=$(tmpdir)
# the permission case runs r1top as nobody, who must reach the config and the socket's folder
chmod 755 "$T"
trap 'reap_spawned; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

NODE=mng-node
# wait_exit PID: until PID ends (10 s at most, then it is reaped and R1_RC is 124); R1_RC = its
# exit status
wait_exit() {
    _i=0
    while [ $_i -lt 100 ] && kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; do
        sleep 0.1
        _i=$((_i + 1))
    done
    if [ $_i -lt 100 ]; then
        wait "$1" 2>/dev/null
        R1_RC=$?
    else
        reap "$1"
        R1_RC=124
    fi
}
CT=edge_node
# no key of the person running the tests is read (load_me's default ~/.ratio1/_naeural.pem)
export HOME="$T/home"
mkdir -p "$HOME"
LOG=$T/actions.log
export R1TOP_ACTIONS_LOG="$LOG"
: >"$LOG"
ORACLE=0xai_Aj1FpPQHISEBelp-tQ8cegwk434Dcl6xaHmuhZQT74if        # r1s-01, a mainnet seed oracle
ORACLE_ETH=0x2539fDD57f93b267E58d5f2E6F77063C0230F6F4
OWNER=0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty         # preloaded, one space, no ETH
NEW=0xai_A2pPf0lxZSZkGONzLOmhzndncc1VvDBHfF-YLWlsrG9m           # a valid address not listed
OTHER=0xai_A8GIwv9qUBSawjfosRllzI7WaqqFGsHZ1BbZMeLsiYfB

plan 102

# execs OUT: the exec requests that reached the engine since the last dsim_requests, each as
# (method, path with the exec id replaced by ID); jcheck over OUT uses `ex` and `cmds` (the Cmd
# of every exec created)
ex='[(r["method"], __import__("re").sub(r"/exec/[0-9a-f]{64}/", "/exec/ID/", r["path"])) for r in d["requests"]]'
cmds='[__import__("json").loads(r["body"])["Cmd"] for r in d["requests"] if r["path"].endswith("/exec")]'
EXEC3='[("POST", "/containers/'$CT'/exec"), ("POST", "/exec/ID/start"), ("GET", "/exec/ID/json")]'

# sim_log_fmt OUT: the simulator's log lines as r1top prints them ("YYYY-MM-DD HH:MM:SS  text")
sim_log_fmt() {
    dsim_call /_sim/log | "$PY" -c '
import json, sys, time
for l in json.load(sys.stdin)["lines"]:
    print(time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(l["t_ns"] // 10**9)) + "  " + l["text"])' >"$1"
}
# sim_log_add TEXT [QUERY]: one line added to the container's log now (TEXT URL-encoded here)
sim_log_add() {
    _q=$("$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1")
    dsim_call "/_sim/log?line=$_q${2:+&$2}" >/dev/null
}
# no_request "desc" FILE: nothing reached the engine
no_request() { jcheck "$1: nothing reached the engine" "$2" "$calls"' == []'; }

dsim_start main --log-every 0 || fail "main: simulator start"
dsim_requests /dev/null

# ---- allowed NODE: the list, read with get_allowed -------------------------------------------
r1top_run "$DS_DIR/allowed1" allowed "$NODE" -c "$DS_CFG"
O=$DS_DIR/allowed1
rc_is "allowed" 0 "$O"
check "allowed: a header, then the 3 lines of the list" [ "$(wc -l <"$O")" -eq 4 ]
check "allowed: the header names the columns" grep -Eq '^ADDRESS +ALIAS +ETH +NOTE$' "$O"
check "allowed: the oracle r1s-01 with its ETH address, marked 'oracle (managed by the network)'" \
    grep -Eq "^$ORACLE +r1s-01 +$ORACLE_ETH +oracle \(managed by the network\)$" "$O"
check "allowed: the one-space entry without an ETH address: alias owner-laptop, no note" \
    grep -Eq "^$OWNER +owner-laptop +- +-$" "$O"
check "allowed: the INVALID line, with the node's reason" \
    grep -Eq '^- +- +- +INVALID: 0xai_Az3rTYnotAKey +old-box: 0xai_Az3rTYnotAKey is not a valid node address$' "$O"
check "allowed: no identity, so no line about r1top's key" sh -c '! grep -q "r1top.s key" "$1"' _ "$O"
dsim_requests "$DS_DIR/req-allowed.json"
jcheck "allowed: one exec: create, start, inspect" "$DS_DIR/req-allowed.json" "$ex == $EXEC3"
jcheck "allowed: the exec runs get_allowed, stdout and stderr attached, no TTY" "$DS_DIR/req-allowed.json" \
    "$cmds"' == [["get_allowed"]] and [__import__("json").loads(r["body"]) for r in d["requests"] if r["method"] == "POST"][0] == {"AttachStdout": True, "AttachStderr": True, "Tty": False, "Cmd": ["get_allowed"]}'
check "allowed: a reading action writes nothing to the audit log" [ ! -s "$LOG" ]

# ---- allow NODE ADDRESS ALIAS --yes ------------------------------------------------------------
cp "$LOG" "$T/log.0"
r1top_run "$DS_DIR/allow1" allow "$NODE" "$NEW" newbox --yes -c "$DS_CFG"
O=$DS_DIR/allow1
rc_is "allow --yes" 0 "$O"
check "allow --yes: says '$NODE: allow: added $NEW newbox'" grep -qx "$NODE: allow: added $NEW newbox" "$O"
dsim_requests "$DS_DIR/req-allow.json"
jcheck "allow: one exec of add_allowed ADDRESS ALIAS" "$DS_DIR/req-allow.json" \
    "$ex == $EXEC3 and $cmds"' == [["add_allowed", "'$NEW'", "newbox"]]'
dsim_call /_sim/allowed >"$DS_DIR/allowed-after.json"
jcheck "allow: the node's list has it, alias newbox, normalised with its ETH address" "$DS_DIR/allowed-after.json" \
    '[e for e in d["entries"] if e["addr"] == "'$NEW'"] == [{"addr": "'$NEW'", "alias": "newbox", "eth": "0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5", "valid": True}]'
logged "allow: the audit log has the start line" "$T/log.0" \
    "node=$NODE action=allow event=start path=docker API result=allow: running"
logged "allow: the audit log has the end line with the result" "$T/log.0" \
    "node=$NODE action=allow event=end path=docker API result=allow: added $NEW newbox\$"

cp "$LOG" "$T/log.1"
r1top_run "$DS_DIR/allow-dup" allow "$NODE" "$NEW" another --yes -c "$DS_CFG"
O=$DS_DIR/allow-dup
rc_is "allow of an address already listed" 1 "$O"
says "allow, duplicate address: the script's message" "$O" "allow failed \(exit 1\): Error: Address already exists: $NEW"
logged "allow, duplicate address: the end line logs the failure" "$T/log.1" \
    "node=$NODE action=allow event=end path=docker API result=allow failed \(exit 1\): Error: Address already exists"
r1top_run "$DS_DIR/allow-dupalias" allow "$NODE" "$OTHER" newbox --yes -c "$DS_CFG"
O=$DS_DIR/allow-dupalias
rc_is "allow with an alias already listed" 1 "$O"
says "allow, duplicate alias: the script's message" "$O" "Error: Alias already exists: newbox"
dsim_call /_sim/allowed >"$DS_DIR/allowed-dup.json"
jcheck "allow, duplicates: the list is unchanged (4 lines)" "$DS_DIR/allowed-dup.json" 'len(d["lines"]) == 4'
dsim_requests /dev/null

# ---- operands r1top refuses: nothing is sent -----------------------------------------------
cp "$LOG" "$T/log.2"
r1top_run "$DS_DIR/bad-addr" allow "$NODE" 0xai_nope --yes -c "$DS_CFG"
rc_is "allow of a malformed address" 2 "$DS_DIR/bad-addr"
says "malformed address: the message says why" "$DS_DIR/bad-addr" "not a valid node address"
dsim_requests "$DS_DIR/req-bad.json"
no_request "malformed address" "$DS_DIR/req-bad.json"
# 44 characters of base64, but no public key (a prefix byte of 0)
r1top_run "$DS_DIR/bad-point" allow "$NODE" 0xai_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA --yes -c "$DS_CFG"
rc_is "allow of an address that is no public key" 2 "$DS_DIR/bad-point"
r1top_run "$DS_DIR/bad-eth" allow "$NODE" "$ORACLE_ETH" --yes -c "$DS_CFG"
rc_is "allow of an ETH address" 2 "$DS_DIR/bad-eth"
says "ETH address: the message says it must start with 0xai_" "$DS_DIR/bad-eth" "must start with 0xai_"
r1top_run "$DS_DIR/long-alias" allow "$NODE" "$OTHER" sixteen-chars-xy --yes -c "$DS_CFG"
rc_is "allow with an alias of 16 characters" 2 "$DS_DIR/long-alias"
says "alias too long: the message says at most 15" "$DS_DIR/long-alias" "at most 15"
r1top_run "$DS_DIR/bad-alias" allow "$NODE" "$OTHER" 'a;reboot' --yes -c "$DS_CFG"
rc_is "allow with an alias holding ';'" 2 "$DS_DIR/bad-alias"
r1top_run "$DS_DIR/alias-long" alias "$NODE" sixteen-chars-xy --yes -c "$DS_CFG"
rc_is "alias of 16 characters" 2 "$DS_DIR/alias-long"
dsim_requests "$DS_DIR/req-bad2.json"
no_request "no public key, ETH address, long or bad aliases" "$DS_DIR/req-bad2.json"
check "refused operands: nothing in the audit log" cmp -s "$LOG" "$T/log.2"

r1top_run "$DS_DIR/ro" --readonly allow "$NODE" "$OTHER" --yes -c "$DS_CFG"
rc_is "--readonly allow --yes" 1 "$DS_DIR/ro"
says "--readonly allow: the message says read-only" "$DS_DIR/ro" "read-only"
dsim_requests "$DS_DIR/req-ro.json"
no_request "--readonly allow" "$DS_DIR/req-ro.json"
logged "--readonly allow: a 'refused' line is logged" "$T/log.2" "node=$NODE action=allow event=refused"
r1top_run "$DS_DIR/noyes" allow "$NODE" "$OTHER" -c "$DS_CFG"
rc_is "allow without --yes, stdin not a terminal" 1 "$DS_DIR/noyes"
says "allow, no terminal: the message says it needs a yes" "$DS_DIR/noyes" "needs a yes.*--yes"
dsim_requests "$DS_DIR/req-noyes.json"
no_request "allow without --yes" "$DS_DIR/req-noyes.json"

# ---- alias NODE NEW --yes --------------------------------------------------------------------
r1top_run "$DS_DIR/alias1" alias "$NODE" gpu-box-7 --yes -c "$DS_CFG"
O=$DS_DIR/alias1
rc_is "alias --yes" 0 "$O"
says "alias: says it is set and taken at the next restart" "$O" "^$NODE: alias: set to gpu-box-7 \(the node takes it at its next restart\)$"
dsim_requests "$DS_DIR/req-alias.json"
jcheck "alias: one exec of change_alias NEW" "$DS_DIR/req-alias.json" "$ex == $EXEC3 and $cmds"' == [["change_alias", "gpu-box-7"]]'
jcheck "alias: the node's EE_ID is the new alias" "$DS_DIR/req-alias.json" \
    '__import__("json").loads(__import__("subprocess").run(["'"$PY"'", "'"$DSIM"'", "--socket", "'"$DS_SOCK"'", "--call", "/_sim/allowed"], capture_output=True).stdout)["ee_id"] == "gpu-box-7"'
check "alias: the audit log has its end line" grep -q "node=$NODE action=alias event=end path=docker API result=alias: set to gpu-box-7" "$LOG"

# ---- apps NODE: docker ps inside the node ---------------------------------------------------
r1top_run "$DS_DIR/apps" apps "$NODE" -c "$DS_CFG"
O=$DS_DIR/apps
rc_is "apps" 0 "$O"
check "apps: docker ps's header" grep -Eq '^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$' "$O"
check "apps: the car_ apps, running and exited, and nothing else (3 lines)" \
    sh -c 'grep -q "car_llm_a1b2c3$" "$1" && grep -q "Exited (0) 2 days ago .*car_web_old$" "$1" && ! grep -q infra_redis "$1" && [ "$(wc -l <"$1")" -eq 3 ]' _ "$O"
dsim_requests "$DS_DIR/req-apps.json"
jcheck "apps: one exec of docker ps -a --filter name=car_" "$DS_DIR/req-apps.json" \
    "$ex == $EXEC3 and $cmds"' == [["docker", "ps", "-a", "--filter", "name=car_"]]'

# ---- --identity: is r1top's own key in the list? ---------------------------------------------
timeout 20 "$R1TOP" keygen "$T/me.pem" >"$T/keygen.out" 2>&1
ME=$(timeout 20 "$R1TOP" whoami --identity "$T/me.pem" 2>/dev/null | awk '/^node address/ {print $3}')
check "keygen + whoami: a node address ($ME)" sh -c 'case "$1" in 0xai_????????????????????????????????????????????) exit 0;; esac; exit 1' _ "$ME"
r1top_run "$DS_DIR/me1" allowed "$NODE" --identity "$T/me.pem" -c "$DS_CFG"
rc_is "allowed --identity" 0 "$DS_DIR/me1"
check "allowed --identity: says r1top's key is NOT in this list" \
    grep -qx "# r1top's key $ME is NOT in this list: r1top allow NODE ADDRESS adds it" "$DS_DIR/me1"
r1top_run "$DS_DIR/me-add" allow "$NODE" "$ME" r1top --yes -c "$DS_CFG"
rc_is "allow r1top's own key" 0 "$DS_DIR/me-add"
r1top_run "$DS_DIR/me2" allowed "$NODE" --identity "$T/me.pem" -c "$DS_CFG"
check "allowed --identity, after the allow: its row is marked 'r1top (this key)'" \
    grep -Eq "^$ME +r1top +0x[0-9A-Fa-f]{40} +r1top \(this key\)$" "$DS_DIR/me2"
check "allowed --identity, after the allow: says it is in this list" \
    grep -qx "# r1top's key $ME is in this list" "$DS_DIR/me2"
dsim_requests /dev/null

# ---- logs NODE -n 5 --------------------------------------------------------------------------
r1top_run "$DS_DIR/logs5" logs "$NODE" -n 5 -c "$DS_CFG"
O=$DS_DIR/logs5
rc_is "logs -n 5" 0 "$O"
check "logs -n 5: exactly 5 lines ($(wc -l <"$O"))" [ "$(wc -l <"$O")" -eq 5 ]
sim_log_fmt "$DS_DIR/simlog.txt"
if tail -n 5 "$DS_DIR/simlog.txt" | cmp -s - "$O"; then ok "logs -n 5: the log's last 5 lines, in order, as 'YYYY-MM-DD HH:MM:SS  text'"; else
    fail "logs -n 5: the log's last 5 lines, in order, as 'YYYY-MM-DD HH:MM:SS  text'"
    diag "expected:" "$(tail -n 5 "$DS_DIR/simlog.txt")" "got:" "$(cat "$O")"
fi
check "logs -n 5: the format" sh -c '[ "$(grep -Ec "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}  \[EE\]" "$1")" -eq 5 ]' _ "$O"
dsim_requests "$DS_DIR/req-logs.json"
jcheck "logs -n 5: one GET of the logs with stdout, stderr, timestamps and tail=5" "$DS_DIR/req-logs.json" \
    "$calls"' == [("GET", "/containers/'$CT'/logs?stdout=1&stderr=1&timestamps=1&tail=5")]'
r1top_run "$DS_DIR/logs-all" logs "$NODE" -c "$DS_CFG"
check "logs: without -n, every line the log has (all $(wc -l <"$DS_DIR/simlog.txt"), under the default 200)" \
    cmp -s "$DS_DIR/simlog.txt" "$DS_DIR/logs-all"
dsim_requests /dev/null

# a hostile line: OSC (window title), CSI (clear screen), a C1 CSI, a BEL and a carriage return
sim_log_add "$(printf 'evil \033]0;pwned\007 \033[2J \302\2332J bell\007 cr\r end')" "stream=stderr"
r1top_run "$DS_DIR/logs-evil" logs "$NODE" -n 1 -c "$DS_CFG"
O=$DS_DIR/logs-evil
rc_is "logs of a hostile line (stderr)" 0 "$O"
check "hostile line: no ESC, BEL, CR or C1 byte in the output" \
    "$PY" -c 'import sys; b = open(sys.argv[1], "rb").read(); sys.exit(any(c in b for c in (b"\x1b", b"\x07", b"\r", b"\xc2\x9b")))' "$O"
check "hostile line: its text is still there (evil ... end)" grep -q "evil .* end$" "$O"
dsim_requests /dev/null

# ---- logs -f: new lines appear once each, a signal ends it -----------------------------------
# plain lines last, so that the three printed first compare as text
for _k in 1 2 3; do sim_log_add "before follow $_k"; done
sim_log_fmt "$DS_DIR/before-f.txt"
N_BEFORE=$(wc -l <"$DS_DIR/before-f.txt")
# shellcheck disable=SC2086
${R1_WRAP:-} "$R1TOP" logs "$NODE" -n 3 -f -c "$DS_CFG" </dev/null >"$DS_DIR/follow" 2>"$DS_DIR/follow.err" &
FPID=$!
reap_at_exit "$FPID"
# wait_lines FILE N: until FILE has N lines (10 s at most)
wait_lines() {
    _i=0
    while [ $_i -lt 100 ] && [ "$(wc -l <"$1")" -lt "$2" ]; do sleep 0.1; _i=$((_i + 1)); done
}
wait_lines "$DS_DIR/follow" 3
sim_log_add "follow one"
sim_log_add "follow two, on stderr" "stream=stderr"
wait_lines "$DS_DIR/follow" 5
# the container logs by itself too, every 0.3 s, while r1top reads every second
dsim_call "/_sim/log?every=0.3" >/dev/null
sleep 2.5
sim_log_add "follow three"
dsim_call "/_sim/log?every=0" >/dev/null
sim_log_fmt "$DS_DIR/after-f.txt"
N_AFTER=$(wc -l <"$DS_DIR/after-f.txt")
wait_lines "$DS_DIR/follow" $((N_AFTER - N_BEFORE + 3))
sleep 1.5
kill -INT "$FPID" 2>/dev/null
wait_exit "$FPID"
check "logs -f, then SIGINT: r1top ends within 10 s, exit 0 (rc=$R1_RC)" [ "$R1_RC" -eq 0 ]
_left=""
for _f in /proc/[0-9]*/cmdline; do
    case "$(tr '\0' ' ' <"$_f" 2>/dev/null)" in *"$R1TOP"*logs*"$DS_CFG"*) _left="$_left ${_f#/proc/}" ;; esac
done
check "logs -f: no process left (${_left:-none})" [ -z "$_left" ]
check "logs -f: the added lines each appear exactly once" \
    sh -c '[ "$(grep -c "  follow one$" "$1")" -eq 1 ] && [ "$(grep -c "  follow two, on stderr$" "$1")" -eq 1 ] && [ "$(grep -c "  follow three$" "$1")" -eq 1 ]' _ "$DS_DIR/follow"
# what r1top printed is the log from its last 3 lines at the start, every line once, in order
tail -n +$((N_BEFORE - 2)) "$DS_DIR/after-f.txt" >"$DS_DIR/follow.want"
if cmp -s "$DS_DIR/follow.want" "$DS_DIR/follow"; then
    ok "logs -f: every line of the log since the start once, in order ($(wc -l <"$DS_DIR/follow") lines)"
else
    fail "logs -f: every line of the log since the start once, in order"
    diag "diff want got:" "$(diff "$DS_DIR/follow.want" "$DS_DIR/follow" | head -40)" "stderr:" "$(head -c 800 "$DS_DIR/follow.err")"
fi
dsim_requests "$DS_DIR/req-follow.json"
jcheck "logs -f: after the first read, each asks since the newest line held (S.NNNNNNNNN)" "$DS_DIR/req-follow.json" \
    'len(d["requests"]) >= 3 and d["requests"][0]["path"].endswith("&tail=3") and all(__import__("re").search(r"&since=[0-9]+\.[0-9]{9}$", r["path"]) for r in d["requests"][1:])'

# a signal while a read is in flight ends -f the same way (it once exited 1, "interrupted");
# SIGTERM this time, as a service manager or timeout(1) sends it
# shellcheck disable=SC2086
${R1_WRAP:-} "$R1TOP" logs "$NODE" -n 1 -f -c "$DS_CFG" </dev/null >"$DS_DIR/follow2" 2>"$DS_DIR/follow2.err" &
FPID=$!
reap_at_exit "$FPID"
wait_lines "$DS_DIR/follow2" 1
dsim_fault logslow
dsim_requests /dev/null
# the next read (a second at most) is now answered 2 s late: signal 0.5 s into it
_i=0
while [ $_i -lt 50 ] && ! dsim_call /_sim/requests | grep -q "/logs?"; do sleep 0.1; _i=$((_i + 1)); done
sleep 0.5
kill -TERM "$FPID" 2>/dev/null
wait_exit "$FPID"
check "logs -f, SIGTERM during a read: exit 0 (rc=$R1_RC), no error (stderr: $(head -c 200 "$DS_DIR/follow2.err"))" \
    sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ]' _ "$R1_RC" "$DS_DIR/follow2.err"
dsim_fault none
dsim_requests /dev/null

# ---- options that do not fit: usage errors, nothing sent ----------------------------------------
r1top_run "$DS_DIR/n0" logs "$NODE" -n 0 -c "$DS_CFG"
rc_is "logs -n 0" 2 "$DS_DIR/n0"
r1top_run "$DS_DIR/n5001" logs "$NODE" -n 5001 -c "$DS_CFG"
rc_is "logs -n 5001 (over the 5000 held)" 2 "$DS_DIR/n5001"
r1top_run "$DS_DIR/allowed-f" allowed "$NODE" -f -c "$DS_CFG"
rc_is "allowed -f (-f goes with logs)" 2 "$DS_DIR/allowed-f"
r1top_run "$DS_DIR/allowed-x" allowed "$NODE" extra -c "$DS_CFG"
rc_is "allowed with an operand too many" 2 "$DS_DIR/allowed-x"
dsim_requests "$DS_DIR/req-usage.json"
no_request "usage errors" "$DS_DIR/req-usage.json"
# reading actions are allowed read-only
r1top_run "$DS_DIR/ro-read" --readonly allowed "$NODE" -c "$DS_CFG"
rc_is "--readonly allowed" 0 "$DS_DIR/ro-read"
r1top_run "$DS_DIR/ro-logs" --readonly logs "$NODE" -n 1 -c "$DS_CFG"
rc_is "--readonly logs -n 1" 0 "$DS_DIR/ro-logs"
dsim_requests /dev/null

# ---- the simulator's node scripts, by themselves (what r1top's checks keep it from sending) ---
# sim_exec OUT CMD-JSON: one exec straight on the socket; OUT: {"exit", "out", "err"}
sim_exec() {
    "$PY" - "$DS_SOCK" "$CT" "$2" >"$1" <<'PYEOF'
import json, sys
sys.dont_write_bytecode = True   # nothing written into the source tree
sys.path.insert(0, __import__("os").environ["R1_SRCDIR"] + "/tests/sim")
from dockersim import UnixHTTPConnection
sock, ct, cmd = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
def req(method, path, body=None):
    c = UnixHTTPConnection(sock)
    c.request(method, path, body=json.dumps(body) if body is not None else None,
              headers={"Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, r.getheader("Content-Type"), data
st, _, b = req("POST", "/containers/%s/exec" % ct, {"AttachStdout": True, "AttachStderr": True, "Cmd": cmd})
eid = json.loads(b)["Id"]
st, ctype, b = req("POST", "/exec/%s/start" % eid, {"Detach": False, "Tty": False})
out, err, i = b"", b"", 0
while i + 8 <= len(b):
    n = int.from_bytes(b[i + 4:i + 8], "big")
    if b[i] == 1: out += b[i + 8:i + 8 + n]
    if b[i] == 2: err += b[i + 8:i + 8 + n]
    i += 8 + n
st, _, b = req("GET", "/exec/%s/json" % eid)
print(json.dumps({"exit": json.loads(b)["ExitCode"], "out": out.decode(), "err": err.decode(), "ctype": ctype}))
PYEOF
}
sim_exec "$DS_DIR/x-long.json" '["add_allowed", "'$OTHER'", "sixteen-chars-xy"]'
jcheck "sim add_allowed: a 16-character alias is cut to 15 with the script's warning, exit 0" "$DS_DIR/x-long.json" \
    'd["exit"] == 0 and d["err"] == "Warning: Alias '"'"'sixteen-chars-xy'"'"' exceeds 15 characters, truncating to '"'"'sixteen-chars-x'"'"'\n"'
dsim_call /_sim/allowed >"$DS_DIR/allowed-long.json"
jcheck "sim add_allowed: the list holds the cut alias, normalised" "$DS_DIR/allowed-long.json" \
    '[e["alias"] for e in d["entries"] if e["addr"] == "'$OTHER'"] == ["sixteen-chars-x"] and any(l.startswith("'$OTHER'  sixteen-chars-x # 0x") for l in d["lines"])'
sim_exec "$DS_DIR/x-unknown.json" '["reboot_now"]'
jcheck "sim: an unknown command fails as the engine does: exit 126, the OCI message on stdout" "$DS_DIR/x-unknown.json" \
    'd["exit"] == 126 and d["out"].startswith("OCI runtime exec failed") and "\"reboot_now\": executable file not found in $PATH" in d["out"]'
jcheck "sim: exec start says raw-stream, as moby without an upgrade" "$DS_DIR/x-unknown.json" \
    'd["ctype"] == "application/vnd.docker.raw-stream"'
dsim_requests /dev/null

# ---- the engine's failures -----------------------------------------------------------------
# a stopped container: the exec create answers 409
r1top_run "$DS_DIR/stop" stop "$NODE" --yes -c "$DS_CFG"
dsim_requests /dev/null
r1top_run "$DS_DIR/stopped" allowed "$NODE" -c "$DS_CFG"
O=$DS_DIR/stopped
rc_is "allowed, container stopped" 1 "$O"
says "allowed, container stopped: HTTP 409 and the engine's 'is not running'" "$O" "allowed failed: HTTP 409: Container [0-9a-f]{64} is not running"
dsim_requests "$DS_DIR/req-stopped.json"
jcheck "allowed, container stopped: only the exec create reached the engine" "$DS_DIR/req-stopped.json" \
    "$ex"' == [("POST", "/containers/'$CT'/exec")]'
r1top_run "$DS_DIR/logs-stopped" logs "$NODE" -n 2 -c "$DS_CFG"
rc_is "logs of a stopped container (the log is still there)" 0 "$DS_DIR/logs-stopped"
r1top_run "$DS_DIR/start" start "$NODE" --yes -c "$DS_CFG"

# exec409 on a changing action: the failure is logged
dsim_fault exec409
cp "$LOG" "$T/log.3"
r1top_run "$DS_DIR/f409" alias "$NODE" other --yes -c "$DS_CFG"
rc_is "alias, exec create 409" 1 "$DS_DIR/f409"
says "alias, 409: the engine's message" "$DS_DIR/f409" "alias failed: HTTP 409: Container [0-9a-f]{64} is not running"
logged "alias, 409: the end line logs the failure" "$T/log.3" "node=$NODE action=alias event=end path=docker API result=alias failed: HTTP 409"

# exechang: the start is never answered; http.action_timeout ends the wait
dsim_fault exechang
dsim_requests /dev/null
cp "$DS_CFG" "$DS_DIR/short.yaml"
printf 'http:\n  action_timeout: 3\n' >>"$DS_DIR/short.yaml"
R1_TIMEOUT=30 r1top_run "$DS_DIR/hang" allowed "$NODE" -c "$DS_DIR/short.yaml"
O=$DS_DIR/hang
rc_is "allowed, exec start never answered" 1 "$O"
check "exechang: within the 3 s action timeout and a margin (${R1_SECS}s)" [ "$R1_SECS" -le 10 ]
says "exechang: the outcome says no answer came" "$O" "allowed failed: .*(no answer within|timed out)"
dsim_requests "$DS_DIR/req-hang.json"
jcheck "exechang: create and start reached the engine, no inspect" "$DS_DIR/req-hang.json" \
    "$ex"' == [("POST", "/containers/'$CT'/exec"), ("POST", "/exec/ID/start")]'

# 404: no such container
dsim_fault 404
r1top_run "$DS_DIR/f404" allowed "$NODE" -c "$DS_CFG"
rc_is "allowed, no such container" 1 "$DS_DIR/f404"
says "allowed, 404: the engine's message" "$DS_DIR/f404" "allowed failed: HTTP 404: No such container: $CT"
r1top_run "$DS_DIR/f404-logs" logs "$NODE" -n 5 -c "$DS_CFG"
rc_is "logs, no such container" 1 "$DS_DIR/f404-logs"
says "logs, 404: the engine's message" "$DS_DIR/f404-logs" "logs failed: HTTP 404: No such container: $CT"

# an image without the node's commands: the runtime's exit 126
dsim_fault nocmds
r1top_run "$DS_DIR/nocmds" allowed "$NODE" -c "$DS_CFG"
rc_is "allowed, no get_allowed in the container" 1 "$DS_DIR/nocmds"
says "nocmds: exit 126 and the runtime's message" "$DS_DIR/nocmds" \
    'allowed failed \(exit 126\): OCI runtime exec failed: .*exec: "get_allowed": executable file not found'
dsim_fault none
dsim_requests /dev/null
dsim_stop

# ---- a socket this user may not open --------------------------------------------------------
dsim_start perm --socket-mode 0600 --log-every 0 || fail "perm: simulator start"
dsim_as_nobody
if [ -n "$AS_NOBODY" ]; then
    R1_WRAP="$AS_NOBODY ${R1_WRAP:-}" r1top_run "$DS_DIR/perm" allowed "$NODE" -c "$DS_CFG"
    O=$DS_DIR/perm
    rc_is "allowed as nobody" 1 "$O"
    says "allowed as nobody: permission denied, naming the docker group" "$O" 'permission denied.*docker group'
    dsim_requests "$DS_DIR/req-perm.json"
    no_request "allowed as nobody" "$DS_DIR/req-perm.json"
else
    for _c in "allowed as nobody: exit 1" "allowed as nobody: permission message" \
        "allowed as nobody: nothing reached the engine"; do
        ok "$_c # SKIP needs root, a nobody user and setpriv or runuser"
    done
fi
dsim_stop
done_testing
