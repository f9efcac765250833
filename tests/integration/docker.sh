#!/bin/sh
# docker.sh: r1top against a simulated Docker Engine (tests/sim/dockersim.py) on a unix socket:
# the container source in `--once --json`, and the action path `r1top restart NODE`: the
# confirmation, --readonly, the audit log, the engine's errors, a restart that never answers,
# and a socket this user may not open (D28). The simulator records every request, so each case
# says exactly which calls reached the engine. Regression: D1 (a use-after-free on every reply
# of 256 KiB or more) with an inspect of over 300 KiB; under the suite's ASan build that is the
# real check.
# The restart that never answers is ended by http.action_timeout (3 s here).
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"
. "$R1_SRCDIR/tests/sim/dsimlib.sh"
[ -x "$PY" ] || skip_all "$PY not found"
[ -x "$R1TOP" ] || skip_all "r1top binary not found at $R1TOP"
command -v timeout >/dev/null 2>&1 || skip_all "timeout(1) not found"

T=$(tmpdir)
# D28 runs r1top as nobody, who must reach the config and the socket's folder
chmod 755 "$T"
trap 'reap_spawned; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

NODE=dock-node
CT=edge_node
RESTART_PATH=/containers/$CT/restart
INSPECT_PATH=/containers/$CT/json

plan 75

# the simulator's StartedAt in unix seconds (float)
sim_started_at() {
    dsim_call /_sim/state | "$PY" -c '
import datetime, json, re, sys
s = json.load(sys.stdin)["State"]["StartedAt"]
m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$", s)
t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
print("%.9f" % (t.timestamp() + float("0." + (m.group(2) or "0"))))'
}

# ---- the container source --------------------------------------------------------------
dsim_start clean || fail "clean: simulator start"
dsim_call /_sim/state >"$DS_DIR/state.json"
dsim_requests "$DS_DIR/req0.json"
r1top_once "$DS_DIR/once.json" "$DS_CFG"
O=$DS_DIR/once.json
rc_is "once" 0 "$O"
jcheck "once: sources.docker ok, no error" "$O" 'src["docker"]["ok"] is True and src["docker"]["error"] is None'
jcheck "once: the container's state and image as the engine says" "$O" \
    'n["docker"]["container"] == "'$CT'" and n["docker"]["state"] == "running" and n["docker"]["image"] == "ratio1/edge_node:mainnet"'
jcheck "once: restart count as the engine says (3)" "$O" 'n["docker"]["restart_count"] == 3'
BEFORE=$(sim_started_at)
jcheck "once: started_at_unix_s is the engine's StartedAt ($BEFORE)" "$O" \
    'abs(n["docker"]["started_at_unix_s"] - '"$BEFORE"') < 0.001'
dsim_requests "$DS_DIR/req1.json"
jcheck "once: exactly one inspect, without a version prefix, reached the engine" "$DS_DIR/req1.json" \
    "$calls"' == [("GET", "'$INSPECT_PATH'")]'

# ---- restart NODE --yes ----------------------------------------------------------------
LOG=$T/actions.log
export R1TOP_ACTIONS_LOG="$LOG"
r1top_run "$DS_DIR/restart1" restart "$NODE" --yes -c "$DS_CFG"
O=$DS_DIR/restart1
rc_is "restart --yes" 0 "$O"
check "restart --yes: says '$NODE: restart: done (HTTP 204)'" grep -qx "$NODE: restart: done (HTTP 204)" "$O"
dsim_requests "$DS_DIR/req2.json"
jcheck "restart --yes: exactly one POST $RESTART_PATH reached the engine" "$DS_DIR/req2.json" \
    "$posts"' == ["'$RESTART_PATH'"]'
diag "restart --yes: requests: $(jget "$DS_DIR/req2.json" "$calls")"
AFTER=$(sim_started_at)
check "restart --yes: the engine's StartedAt moved ($BEFORE -> $AFTER)" \
    "$PY" -c 'import sys, time; b, a = float(sys.argv[1]), float(sys.argv[2]); sys.exit(not (a > b + 3600 and abs(a - time.time()) < 60))' "$BEFORE" "$AFTER"
r1top_once "$DS_DIR/once2.json" "$DS_CFG"
jcheck "restart --yes: --once now shows the new StartedAt, running" "$DS_DIR/once2.json" \
    'abs(n["docker"]["started_at_unix_s"] - '"$AFTER"') < 0.001 and n["docker"]["state"] == "running"'
jcheck "restart --yes: an API restart is not counted in RestartCount (still 3)" "$DS_DIR/once2.json" \
    'n["docker"]["restart_count"] == 3'
dsim_requests /dev/null
check "audit log: a start line" grep -q "node=$NODE action=restart event=start path=docker API" "$LOG"
check "audit log: an end line with the result" \
    grep -q "node=$NODE action=restart event=end path=docker API result=restart: done (HTTP 204)" "$LOG"
check "audit log: mode 0600 ($(stat -c %a "$LOG" 2>/dev/null))" [ "$(stat -c %a "$LOG" 2>/dev/null)" = 600 ]
cp "$LOG" "$T/log.first"
r1top_run "$DS_DIR/restart2" restart "$NODE" --yes -c "$DS_CFG"
rc_is "restart --yes, again" 0 "$DS_DIR/restart2"
dsim_requests "$DS_DIR/req3.json"
jcheck "restart --yes, again: one more POST" "$DS_DIR/req3.json" "$posts"' == ["'$RESTART_PATH'"]'
_kept=no
[ "$(head -n 2 "$LOG")" = "$(cat "$T/log.first")" ] && _kept=yes
check "audit log: the second run appended ($(wc -l <"$LOG") lines, the first two kept: $_kept)" \
    test "$(wc -l <"$LOG")" -eq 4 -a "$_kept" = yes

# ---- stop NODE --yes, start NODE --yes (the same action path, the Engine API's verbs) ------
r1top_run "$DS_DIR/stop1" stop "$NODE" --yes -c "$DS_CFG"
rc_is "stop --yes" 0 "$DS_DIR/stop1"
check "stop --yes: says '$NODE: stop: done (HTTP 204)'" grep -qx "$NODE: stop: done (HTTP 204)" "$DS_DIR/stop1"
dsim_requests "$DS_DIR/req-stop.json"
jcheck "stop --yes: exactly one POST /containers/$CT/stop reached the engine" "$DS_DIR/req-stop.json" \
    "$posts"' == ["/containers/'$CT'/stop"]'
r1top_once "$DS_DIR/once-stopped.json" "$DS_CFG"
jcheck "stop --yes: --once now shows the container exited, with its FinishedAt" "$DS_DIR/once-stopped.json" \
    'n["docker"]["state"] == "exited" and n["docker"]["finished_at_unix_s"] is not None'
r1top_run "$DS_DIR/stop2" stop "$NODE" --yes -c "$DS_CFG"
rc_is "stop --yes of a stopped container" 0 "$DS_DIR/stop2"
check "stop of a stopped container: nothing to do, already stopped (HTTP 304)" \
    grep -qx "$NODE: stop: nothing to do, already stopped (HTTP 304)" "$DS_DIR/stop2"
r1top_run "$DS_DIR/start1" start "$NODE" --yes -c "$DS_CFG"
rc_is "start --yes" 0 "$DS_DIR/start1"
r1top_once "$DS_DIR/once-started.json" "$DS_CFG"
jcheck "start --yes: --once shows it running again" "$DS_DIR/once-started.json" 'n["docker"]["state"] == "running"'
check "audit log: stop and start each logged with their result" \
    sh -c 'grep -q "node='"$NODE"' action=stop event=end path=docker API result=stop: done (HTTP 204)" "$1" && grep -q "node='"$NODE"' action=start event=end path=docker API result=start: done" "$1"' _ "$LOG"
dsim_requests /dev/null

# ---- refusals: nothing reaches the engine ---------------------------------------------
cp "$LOG" "$T/log.before-refusals"
r1top_run "$DS_DIR/noyes" restart "$NODE" -c "$DS_CFG"
rc_is "restart, stdin not a terminal, no --yes" 1 "$DS_DIR/noyes"
says "restart, no terminal: the message says --yes" "$DS_DIR/noyes" '--yes'
dsim_requests "$DS_DIR/req4.json"
jcheck "restart, no terminal: no POST reached the engine" "$DS_DIR/req4.json" "$posts"' == []'

r1top_run "$DS_DIR/ro" --readonly restart "$NODE" --yes -c "$DS_CFG"
rc_is "--readonly restart --yes" 1 "$DS_DIR/ro"
says "--readonly restart: the message says read-only" "$DS_DIR/ro" 'read-only'
dsim_requests "$DS_DIR/req5.json"
jcheck "--readonly restart: no POST reached the engine" "$DS_DIR/req5.json" "$posts"' == []'
logged "--readonly restart: a 'refused' line is logged" "$T/log.before-refusals" \
    "node=$NODE action=restart event=refused"
r1top_run "$DS_DIR/ro2" restart "$NODE" --yes --readonly -c "$DS_CFG"
dsim_requests "$DS_DIR/req6.json"
check "restart --yes --readonly (flag after the node): exit 1 (rc=$R1_RC)" [ "$R1_RC" -eq 1 ]
jcheck "restart --yes --readonly: no POST reached the engine" "$DS_DIR/req6.json" "$posts"' == []'

r1top_run "$DS_DIR/nonode" restart no-such-node --yes -c "$DS_CFG"
rc_is "restart of an unknown node" 2 "$DS_DIR/nonode"
says "unknown node: the message names it" "$DS_DIR/nonode" "no-such-node"
dsim_requests "$DS_DIR/req7.json"
jcheck "unknown node: nothing reached the engine" "$DS_DIR/req7.json" "$calls"' == []'

# ---- the engine's errors ----------------------------------------------------------------
# engine_error FAULT MESSAGE-REGEX: restart fails with the engine's code and words
engine_error() {
    dsim_fault "$1"
    cp "$LOG" "$T/log.before-$1"
    r1top_run "$DS_DIR/f$1" restart "$NODE" --yes -c "$DS_CFG"
    rc_is "HTTP $1" 1 "$DS_DIR/f$1"
    says "HTTP $1: the output has the engine's code and message" "$DS_DIR/f$1" "restart failed: HTTP $1: $2"
    dsim_requests "$DS_DIR/req-$1.json"
    jcheck "HTTP $1: one POST reached the engine" "$DS_DIR/req-$1.json" "$posts"' == ["'$RESTART_PATH'"]'
    logged "HTTP $1: the end line logs the failure" "$T/log.before-$1" \
        "event=end .*result=restart failed: HTTP $3"
}
engine_error 404 "No such container: $CT" "404: No such container"
engine_error 409 "Cannot restart container $CT: container is marked for removal" "409"
engine_error 500 "Cannot restart container $CT" "500"

# 404 on the inspect as well: the source says so
dsim_fault 404
r1top_once "$DS_DIR/once404.json" "$DS_CFG"
rc_is "once, no such container" 1 "$DS_DIR/once404.json"
jcheck "once, no such container: sources.docker fails with HTTP 404 and the engine's message" "$DS_DIR/once404.json" \
    'src["docker"]["ok"] is False and src["docker"]["http_code"] == 404 and "No such container" in (src["docker"]["error"] or "") and n["docker"]["state"] is None'

# ---- hang: a restart that is never answered ------------------------------------------
# The restart's timeout is http.action_timeout; a signal ending the wait is checked first.
dsim_fault hang
dsim_requests /dev/null
cp "$LOG" "$T/log.before-hang"
# shellcheck disable=SC2086
${R1_WRAP:-} "$R1TOP" restart "$NODE" --yes -c "$DS_CFG" </dev/null >"$DS_DIR/hang-term" 2>"$DS_DIR/hang-term.err" &
HPID=$!
reap_at_exit "$HPID"
_i=0
while [ $_i -lt 100 ] && ! dsim_call /_sim/requests | grep -q "$RESTART_PATH"; do
    sleep 0.1
    _i=$((_i + 1))
done
kill -TERM "$HPID" 2>/dev/null
_i=0
while [ $_i -lt 100 ] && kill -0 "$HPID" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$HPID/stat" 2>/dev/null)" != Z ]; do
    sleep 0.1
    _i=$((_i + 1))
done
if [ $_i -lt 100 ]; then
    wait "$HPID" 2>/dev/null
    R1_RC=$?
else
    reap "$HPID"
    R1_RC=124
fi
check "hang, then SIGTERM: r1top ends within 10 s, exit 1 (rc=$R1_RC)" [ "$R1_RC" -eq 1 ]
says "hang, then SIGTERM: the outcome says it was interrupted" "$DS_DIR/hang-term" 'interrupt'
logged "hang, then SIGTERM: the end line is logged" "$T/log.before-hang" "event=end .*interrupt"
dsim_requests /dev/null
cp "$DS_CFG" "$DS_DIR/short.yaml"
printf 'http:\n  action_timeout: 3\n' >>"$DS_DIR/short.yaml"
R1_TIMEOUT=30 r1top_run "$DS_DIR/hang" restart "$NODE" --yes -c "$DS_DIR/short.yaml"
rc_is "hang: the action timeout ends the restart" 1 "$DS_DIR/hang"
check "hang: within the 3 s action timeout and a margin (${R1_SECS}s)" [ "$R1_SECS" -le 10 ]
says "hang: the outcome says no answer came" "$DS_DIR/hang" 'no answer within|timed out'
dsim_fault none

# ---- D1: an inspect reply over 300 KiB --------------------------------------------------
dsim_fault biglabels
check "biglabels: the inspect is over 300 KiB ($(dsim_call $INSPECT_PATH | wc -c) bytes)" \
    [ "$(dsim_call $INSPECT_PATH | wc -c)" -gt $((300 * 1024)) ]
r1top_once "$DS_DIR/big.json" "$DS_CFG"
rc_is "biglabels (D1)" 0 "$DS_DIR/big.json"
if grep -q Sanitizer "$DS_DIR/big.json.err"; then
    fail "biglabels (D1): no sanitizer report"; diag "$(head -c 2000 "$DS_DIR/big.json.err")"
else
    ok "biglabels (D1): no sanitizer report"
fi
jcheck "biglabels (D1): the inspect still parses (state, restart count, image)" "$DS_DIR/big.json" \
    'src["docker"]["ok"] is True and n["docker"]["state"] == "running" and n["docker"]["restart_count"] == 3 and n["docker"]["image"] == "ratio1/edge_node:mainnet"'
dsim_fault none
dsim_stop

# ---- D28: a socket this user may not open ------------------------------------------------
dsim_start d28 --socket-mode 0600 || fail "d28: simulator start"
dsim_as_nobody
if [ -n "$AS_NOBODY" ]; then
    diag "d28: socket $(stat -c '%a %U' "$DS_SOCK"), r1top as: $AS_NOBODY"
    mkdir -p "$DS_DIR/nobody"
    chown nobody "$DS_DIR/nobody"
    NLOG=$DS_DIR/nobody/actions.log
    R1_WRAP="$AS_NOBODY ${R1_WRAP:-}" r1top_once "$DS_DIR/perm.json" "$DS_CFG"
    O=$DS_DIR/perm.json
    rc_is "d28 once as nobody" 1 "$O"
    jcheck "d28: sources.docker.error_kind is permission" "$O" 'src["docker"]["ok"] is False and src["docker"]["error_kind"] == "permission"'
    jcheck "d28: the error says permission denied and names the docker group" "$O" \
        '"permission denied" in src["docker"]["error"] and "docker group" in src["docker"]["error"]'
    R1TOP_ACTIONS_LOG=$NLOG R1_WRAP="$AS_NOBODY ${R1_WRAP:-}" r1top_run "$DS_DIR/perm-restart" restart "$NODE" --yes -c "$DS_CFG"
    O=$DS_DIR/perm-restart
    rc_is "d28 restart as nobody" 1 "$O"
    says "d28 restart: the message says permission denied and names the docker group" "$O" 'permission denied.*docker group'
    dsim_requests "$DS_DIR/req-d28.json"
    jcheck "d28: nothing reached the engine" "$DS_DIR/req-d28.json" "$calls"' == []'
    check "d28 restart: the end line logs the permission failure" grep -q "event=end .*permission denied" "$NLOG"
else
    for _c in "d28 once as nobody: exit 1" "d28: error_kind permission" "d28: permission denied, docker group" \
        "d28 restart as nobody: exit 1" "d28 restart: permission message" "d28: nothing reached the engine" \
        "d28 restart: the end line logs the permission failure"; do
        ok "$_c # SKIP needs root, a nobody user and setpriv or runuser"
    done
fi
dsim_stop

# ---- why it stopped: the last run's exit code, its meaning, OOM (docs/protocol.md §7.3) ----
dsim_start exited --state exited --exit-code 51 --oom || fail "exited: simulator start"
r1top_once "$DS_DIR/exited.json" "$DS_CFG"
O=$DS_DIR/exited.json
jcheck "exited: the state and the last run's exit code as the engine says (51)" "$O" \
    'n["docker"]["state"] == "exited" and n["docker"]["exit_code"] == 51'
jcheck "exited: exit 51 means an exception, lost comms or low memory" "$O" \
    'n["docker"]["exit_meaning"] == "exception, lost comms or low memory"'
jcheck "exited: OOMKilled is read" "$O" 'n["docker"]["oom_killed"] is True'
NOW=$(date +%s)
jcheck "exited: finished_at_unix_s is the engine's FinishedAt (an hour ago)" "$O" \
    'abs(n["docker"]["finished_at_unix_s"] - ('"$NOW"' - 3600)) < 120'
dsim_stop
dsim_start exited10 --state exited --exit-code 10 || fail "exited10: simulator start"
r1top_once "$DS_DIR/exited10.json" "$DS_CFG"
jcheck "exited 10: a RESTART command, which reboots an r1setup host; not OOM-killed" "$DS_DIR/exited10.json" \
    'n["docker"]["exit_code"] == 10 and "reboots" in n["docker"]["exit_meaning"] and n["docker"]["oom_killed"] is False'
dsim_stop
done_testing
