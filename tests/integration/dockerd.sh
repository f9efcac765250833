#!/bin/sh
# dockerd.sh: r1top against a REAL Docker Engine: a private dockerd (tests/integration/
# dockerdlib.sh) running the stand-in node image (tests/data/stand_in_node/), a busybox
# container whose entrypoint behaves as a node (log lines, a heartbeat, the node's exit codes)
# and whose commands are the node's (get_node_info, get_allowed, add_allowed, change_alias,
# the inner `docker ps`). What tests/integration/docker.sh checks against the simulator is
# checked here against what the engine really does:
#   - the container source of `--once --json`: state, StartedAt, RestartCount, image, and
#     after the node exits with 10, 51, 0, 52 at start (and a SIGKILL) the exit code, its
#     meaning, OOMKilled;
#   - `r1top restart|stop|start NODE --yes`: the container's StartedAt moves, a stop ends the
#     node gracefully (exit 1), a stop of a stopped container has nothing to do, a restart of
#     a missing container gets Docker's "No such container", --readonly refuses, the audit log;
#   - the node commands, run with `docker exec`: they validate the stand-ins;
#   - then the same commands through r1top (Docker's exec and logs API, the multiplexed
#     stream): `r1top allowed|allow|alias|apps|logs [-n] [-f]`, the audit log, and an exec in a
#     stopped container (Docker's 409).
# Skipped (TAP 1..0 # SKIP) when no private dockerd can run here: not root, no docker.io or
# busybox-static, a system containerd. The whole test takes about 15 s, under the suite's
# ASan build as well (bootstrap check runs it there; the valgrind run takes only the unit tests).
# shellcheck disable=SC2016 # the sh -c '...' checks take their arguments as $1...
. "$R1_SRCDIR/tests/lib.sh"
. "$R1_SRCDIR/tests/sim/simlib.sh"
. "$R1_SRCDIR/tests/integration/dockerdlib.sh"
[ -x "$PY" ] || skip_all "$PY not found"
[ -x "$R1TOP" ] || skip_all "r1top binary not found at $R1TOP"
command -v timeout >/dev/null 2>&1 || skip_all "timeout(1) not found"
dockerd_require

T=$(tmpdir)
trap 'dockerd_stop; reap_spawned; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
T0=$(date +%s)
dockerd_start || skip_all "the private dockerd did not start here (its log above)"
diag "private dockerd: pid $DD_PID, socket $DD_SOCK, $(dk version -f '{{.Server.Version}}' 2>&1)"

plan 85

NODE=dd-node
CT=edge_node
CFG=$T/r1top.yaml
dd_config "$CFG" "$NODE" "$CT"
# a node whose container does not exist on this engine
CFG_MISSING=$T/missing.yaml
dd_config "$CFG_MISSING" "$NODE" no_such_node

# the engine's own view: StartedAt as Docker has it, and in unix seconds
started_at() { dk inspect -f '{{.State.StartedAt}}' "$CT"; }
unix_s() {
    "$PY" -c '
import datetime, re, sys
m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$", sys.argv[1])
t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
print("%.9f" % (t.timestamp() + float("0." + (m.group(2) or "0"))))' "$1"
}
# starts: how many times the node has logged its start, over all its runs
starts() { dk logs "$CT" 2>&1 | grep -c 'Main loop started'; }
# wait_running N: until the container runs and its node has logged more than N starts (10 s)
wait_running() {
    _i=0
    while [ $_i -lt 100 ]; do
        [ "$(dk inspect -f '{{.State.Running}}' "$CT" 2>/dev/null)" = true ] &&
            [ "$(starts)" -gt "$1" ] && return 0
        sleep 0.1
        _i=$((_i + 1))
    done
    diag "$CT is not running again:" "$(dk logs --tail 10 "$CT" 2>&1)"
    return 1
}
# exec_out NAME CMD...: docker exec's output to $T/NAME, its exit status in EX_RC
exec_out() {
    _o=$T/$1; shift
    dk exec "$CT" "$@" >"$_o" 2>&1
    EX_RC=$?
    : >"$_o.err"
}

# ---- the stand-in node on the real engine ------------------------------------------------
check "the stand-in image is imported from busybox and tests/data/stand_in_node" standin_image
# STANDIN_ADD_WAIT_S=0: add_allowed does not wait the node's 3 s before it prints the info
check "the stand-in node runs as $CT (--network none)" standin_run "$CT" -e STANDIN_ADD_WAIT_S=0
dk logs "$CT" >"$T/start.log" 2>&1
check "its log: the node's start lines and a timestamped heartbeat" \
    sh -c 'grep -q "starting" "$1" && grep -Eq "^\[EE\]\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\] heartbeat" "$1"' _ "$T/start.log"
[ -s "$T/start.log" ] && diag "$(head -n 5 "$T/start.log")"

# ---- the container source: --once --json -----------------------------------------------
r1top_once "$T/once.json" "$CFG"
O=$T/once.json
rc_is "once" 0 "$O"
jcheck "once: sources.docker ok, no error" "$O" 'src["docker"]["ok"] is True and src["docker"]["error"] is None'
jcheck "once: running, the image as the engine has it ($STANDIN_TAG)" "$O" \
    'n["docker"]["container"] == "'$CT'" and n["docker"]["state"] == "running" and n["docker"]["image"] == "'"$STANDIN_TAG"'"'
jcheck "once: restart count 0, no exit code of a last run" "$O" \
    'n["docker"]["restart_count"] == 0 and n["docker"]["exit_code"] == 0 and n["docker"]["oom_killed"] is False'
S0=$(started_at)
jcheck "once: started_at_unix_s is the engine's StartedAt ($S0)" "$O" \
    'abs(n["docker"]["started_at_unix_s"] - '"$(unix_s "$S0")"') < 0.001'

# ---- why it stopped: the node's exit codes as the engine records them ----------------------
# node_exits CODE MEANING: the node ends with CODE; Docker and r1top say so; it is started again
node_exits() {
    dk exec "$CT" stand_in_exit "$1"
    _code=$(dd_wait_exit "$CT")
    r1top_once "$T/exit$1.json" "$CFG"
    jcheck "exit $1: the engine has ExitCode $_code; --once: exited, exit_code $1, '$2', not OOM-killed" \
        "$T/exit$1.json" \
        'n["docker"]["state"] == "exited" and n["docker"]["exit_code"] == '"$1"' and n["docker"]["exit_meaning"] == "'"$2"'" and n["docker"]["oom_killed"] is False and n["docker"]["finished_at_unix_s"] is not None'
    _n=$(starts)
    dk start "$CT" >/dev/null
    wait_running "$_n" || fail "exit $1: started again"
}
node_exits 10 "RESTART command: an r1setup host reboots"
node_exits 51 "exception, lost comms or low memory"
node_exits 0 "stopped by a STOP command or for an update"
dk kill "$CT" >/dev/null
dd_wait_exit "$CT" >/dev/null
r1top_once "$T/kill.json" "$CFG"
jcheck "docker kill: exit_code 137, 'killed (SIGKILL)', not OOM-killed" "$T/kill.json" \
    'n["docker"]["state"] == "exited" and n["docker"]["exit_code"] == 137 and n["docker"]["exit_meaning"] == "killed (SIGKILL)" and n["docker"]["oom_killed"] is False'
_n=$(starts)
dk start "$CT" >/dev/null
check "started again after the SIGKILL" wait_running "$_n"
# a configuration error at start (52): a second container, the env variable on every start
dk run -d --name cfg_err --network none -e "R1_DD_SRCDIR=$R1_SRCDIR" -e STANDIN_EXIT_CODE=52 "$STANDIN_TAG" >/dev/null
check "STANDIN_EXIT_CODE=52: the node ends at start with 52" [ "$(dd_wait_exit cfg_err)" = 52 ]
dd_config "$T/cfg_err.yaml" "$NODE" cfg_err
r1top_once "$T/cfg_err.json" "$T/cfg_err.yaml"
jcheck "exit 52: --once: exited, exit_code 52, 'configuration error'" "$T/cfg_err.json" \
    'n["docker"]["state"] == "exited" and n["docker"]["exit_code"] == 52 and n["docker"]["exit_meaning"] == "configuration error"'

dk logs "$CT" >"$T/all.log" 2>&1
check "the node's log kept every run's lines ($(grep -c 'Main loop started' "$T/all.log") starts)" \
    [ "$(grep -c 'Main loop started' "$T/all.log")" -eq 5 ]

# ---- actions: restart, stop, start through r1top ------------------------------------------
LOG=$T/actions.log
export R1TOP_ACTIONS_LOG="$LOG"
S1=$(started_at)
sleep 1 # StartedAt has nanoseconds, but a restart must not look instant in the log either
r1top_run "$T/restart" restart "$NODE" --yes -c "$CFG"
rc_is "restart --yes" 0 "$T/restart"
says "restart --yes: done" "$T/restart" "^$NODE: restart: done"
S2=$(started_at)
diag "restart: StartedAt before: $S1" "restart: StartedAt after:  $S2"
check "restart: the container's StartedAt moved ($S1 -> $S2)" \
    "$PY" -c 'import sys; sys.exit(not float(sys.argv[2]) > float(sys.argv[1]) + 0.5)' "$(unix_s "$S1")" "$(unix_s "$S2")"
dk logs --since "$S1" "$CT" >"$T/restart.log" 2>&1
check "restart: the node shut down gracefully and started again (its log)" \
    sh -c 'grep -q "SIGTERM received, graceful shutdown" "$1" && grep -q "Main loop started" "$1"' _ "$T/restart.log"
r1top_once "$T/once-restarted.json" "$CFG"
jcheck "restart: --once shows it running with the new StartedAt" "$T/once-restarted.json" \
    'n["docker"]["state"] == "running" and abs(n["docker"]["started_at_unix_s"] - '"$(unix_s "$S2")"') < 0.001'

r1top_run "$T/stop" stop "$NODE" --yes -c "$CFG"
rc_is "stop --yes" 0 "$T/stop"
check "stop: the engine has it stopped, exit code 1 (the node's graceful shutdown on SIGTERM)" \
    [ "$(dk inspect -f '{{.State.Running}} {{.State.ExitCode}}' "$CT")" = "false 1" ]
r1top_once "$T/once-stopped.json" "$CFG"
jcheck "stop: --once shows exited, exit_code 1, 'graceful shutdown'" "$T/once-stopped.json" \
    'n["docker"]["state"] == "exited" and n["docker"]["exit_code"] == 1 and n["docker"]["exit_meaning"] == "graceful shutdown"'
r1top_run "$T/stop2" stop "$NODE" --yes -c "$CFG"
rc_is "stop --yes of a stopped container" 0 "$T/stop2"
says "stop of a stopped container: nothing to do" "$T/stop2" "^$NODE: stop: nothing to do, already stopped"
_n=$(starts)
r1top_run "$T/start" start "$NODE" --yes -c "$CFG"
rc_is "start --yes" 0 "$T/start"
check "start: the container runs and its node started" wait_running "$_n"
r1top_once "$T/once-started.json" "$CFG"
jcheck "start: --once shows it running" "$T/once-started.json" 'n["docker"]["state"] == "running"'

r1top_run "$T/missing" restart "$NODE" --yes -c "$CFG_MISSING"
rc_is "restart of a container the engine does not have" 1 "$T/missing"
says "missing container: Docker's own words (No such container: no_such_node)" "$T/missing" \
    "HTTP 404: No such container: no_such_node"

S3=$(started_at)
r1top_run "$T/ro" --readonly restart "$NODE" --yes -c "$CFG"
rc_is "--readonly restart --yes" 1 "$T/ro"
says "--readonly restart: says read-only" "$T/ro" 'read-only'
check "--readonly restart: the container untouched (StartedAt $S3)" [ "$(started_at)" = "$S3" ]

diag "audit log:" "$(cat "$LOG")"
check "audit log: restart, stop, stop, start and the missing restart each have an end line" \
    [ "$(grep -c "event=end" "$LOG")" -eq 5 ]
check "audit log: the restart's end line names node, action, path and result" \
    grep -q "node=$NODE action=restart event=end path=docker API result=restart: done" "$LOG"
check "audit log: the stop of a stopped container logged as nothing to do" \
    grep -q "node=$NODE action=stop event=end path=docker API result=stop: nothing to do" "$LOG"
check "audit log: the start logged" grep -q "node=$NODE action=start event=end path=docker API result=start: done" "$LOG"
check "audit log: the missing container's restart logged with the 404" \
    grep -q "node=$NODE action=restart event=end path=docker API result=restart failed: HTTP 404: No such container" "$LOG"
check "audit log: the --readonly restart logged as refused" grep -q "node=$NODE action=restart event=refused" "$LOG"
unset R1TOP_ACTIONS_LOG

# ---- the node's commands, through docker exec -----------------------------------------------
A_ACM=0xai_A-8sXKXjSyKIf7rnLeRuISTXG0MKaocjoasW4T2jSN4l
A_R1N=0xai_A0v32W-DU_tY4DzGUjNbZpjD2XCwFOvaXI84W0FWa2S6
A_ORA=0xai_A-rqFlS6-9XR9g3LM0kuzshqg7gIjACFPMoqN0Co_8Lj
A_NEW=0xai_A2bpKWps1FoRrjbrsP_LtYo3rxZAFakgLuaTYPyUwH89
cp "$R1_SRCDIR/tests/data/stand_in_node/allowed_normalised" "$T/allowed.expected"
exec_out allowed get_allowed
check "get_allowed: exit 0, the list as the node normalised it (valid: address, alias, # ETH; the oracle without alias; the invalid line marked)" \
    sh -c '[ "$1" -eq 0 ] && cmp -s "$2" "$3"' _ "$EX_RC" "$T/allowed" "$T/allowed.expected"
cmp -s "$T/allowed" "$T/allowed.expected" || diag "got:" "$(cat "$T/allowed")" "expected:" "$(cat "$T/allowed.expected")"

exec_out info get_node_info
jcheck "get_node_info: exit $EX_RC, local_info.json with the node's address, alias and whitelist (the 4 valid entries)" "$T/info" \
    'd["address"] == "0xai_A2pPf0lxZSZkGONzLOmhzndncc1VvDBHfF-YLWlsrG9m" and d["alias"] == "r1top-standin" and d["eth_address"] == "0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5" and len(d["info"]["whitelist"]) == 4 and "'$A_ORA'" in d["info"]["whitelist"]'

exec_out add add_allowed "$A_NEW" kenshin_06_backup_node
check "add_allowed ADDR ALIAS: exit 0 (rc=$EX_RC)" [ "$EX_RC" -eq 0 ]
says "add_allowed: the alias of 22 characters is cut to 15, with a warning" "$T/add" \
    "Warning: alias 'kenshin_06_backup_node' is longer than 15 characters, truncated to 'kenshin_06_back'"
check "add_allowed: then prints get_node_info" grep -q '"address": "0xai_A2pPf0lx' "$T/add"
exec_out allowed2 get_allowed
check "add_allowed: the new entry is in the list, normalised with its ETH address" \
    grep -qx "$A_NEW  kenshin_06_back # 0x48c6eCcfdaB7070B24bbb0C10782D64d6B0A6724" "$T/allowed2"
exec_out dup add_allowed "$A_ACM" other_alias
check "add_allowed of a listed address: refused (rc=$EX_RC)" [ "$EX_RC" -ne 0 ]
says "add_allowed of a listed address: says it is already there" "$T/dup" "address $A_ACM is already"
exec_out dupalias add_allowed 0xai_A3nxutHmhbVdI4j78iX2sCKGCfUspm3N7sbqTpDV9rGp Michael1
check "add_allowed of a listed alias: refused (rc=$EX_RC)" [ "$EX_RC" -ne 0 ]
says "add_allowed of a listed alias: says it is already there" "$T/dupalias" "alias Michael1 is already"
exec_out allowed3 get_allowed
check "the refused adds left the list as it was" cmp -s "$T/allowed2" "$T/allowed3"

exec_out alias change_alias r1top-renamed
check "change_alias NEW: exit 0 (rc=$EX_RC)" [ "$EX_RC" -eq 0 ]
exec_out startup cat /edge_node/_local_cache/config_startup.json
check "change_alias: config_startup.json has EE_ID r1top-renamed" grep -q '"EE_ID": "r1top-renamed"' "$T/startup"
exec_out info2 get_node_info
jcheck "change_alias: not yet in effect (get_node_info still says r1top-standin)" "$T/info2" 'd["alias"] == "r1top-standin"'
exec_out longalias change_alias this_alias_is_too_long
check "change_alias of 22 characters: refused (rc=$EX_RC)" [ "$EX_RC" -ne 0 ]
_n=$(starts)
r1top_run "$T/restart-alias" restart "$NODE" --yes -c "$CFG"
wait_running "$_n" >/dev/null
exec_out info3 get_node_info
jcheck "change_alias: in effect after r1top restart (get_node_info says r1top-renamed)" "$T/info3" 'd["alias"] == "r1top-renamed"'
exec_out allowed4 get_allowed
check "the allowed list survived the restart" cmp -s "$T/allowed2" "$T/allowed4"

exec_out ps docker ps --filter name=car_
check "docker ps inside the node: a header and the 3 running car_ apps" \
    sh -c 'head -n 1 "$1" | grep -q "^CONTAINER ID *IMAGE *COMMAND" && [ "$(grep -c " car_" "$1")" -eq 3 ]' _ "$T/ps"
exec_out psa docker ps -a --filter name=car_
check "docker ps -a inside the node: the exited one as well (4)" \
    sh -c '[ "$(grep -c " car_" "$1")" -eq 4 ] && grep -q "Exited (1).*car_worker_b71c_WORKER_APP_a1" "$1"' _ "$T/psa"
[ -s "$T/psa" ] && diag "$(cat "$T/psa")"
exec_out psf docker ps -a --filter name=car_worker --format '{{.Names}}\t{{.State}}'
printf 'car_worker_b71c_WORKER_APP_b2\trunning\ncar_worker_b71c_WORKER_APP_a1\texited\ncar_worker_b71c_CONTAINER_APP_0c\trunning\n' >"$T/psf.expected"
check "docker ps --format (names and states) inside the node: the 3 car_worker apps" cmp -s "$T/psf" "$T/psf.expected"
cmp -s "$T/psf" "$T/psf.expected" || diag "got:" "$(cat "$T/psf")"

# ---- the node's commands, through r1top (Docker's exec and logs API) ------------------------
export R1TOP_ACTIONS_LOG="$LOG"
# the stand-in's oracle is not one of the network's seeds: the config names it as known
sed 's/^  enabled: false$/  enabled: false\n  trusted: ["'"$A_ORA"'"]/' "$CFG" >"$T/r1top-oracle.yaml"
CFG=$T/r1top-oracle.yaml
r1top_run "$T/r-allowed" allowed "$NODE" -c "$CFG"
rc_is "r1top allowed" 0 "$T/r-allowed"
check "r1top allowed: a header, the 5 valid entries and the invalid line" \
    sh -c '[ "$(grep -c "^0xai_" "$1")" -eq 5 ] && grep -q "INVALID: 0xai_not-a-node-address  broken: not a node address" "$1" && head -n 1 "$1" | grep -q "^ADDRESS *ALIAS *ETH *NOTE"' _ "$T/r-allowed"
says "r1top allowed: the network's oracle is marked as managed by it" "$T/r-allowed" \
    "^$A_ORA +- +0xDC034377e71D557D2462C7d270543bC35308a555 +oracle \\(managed by the network\\)"
says "r1top allowed: alias and ETH address read from the line" "$T/r-allowed" \
    "^$A_R1N +R1_Node1 +0xB7F5C4bD8ED282842a77b1c1f516AD279e5898C9 +-"
A_ADD=0xai_A3nxutHmhbVdI4j78iX2sCKGCfUspm3N7sbqTpDV9rGp
r1top_run "$T/r-allow" allow "$NODE" "$A_ADD" ops_desk --yes -c "$CFG"
rc_is "r1top allow ADDRESS ALIAS --yes" 0 "$T/r-allow"
exec_out allowed5 get_allowed
check "r1top allow: the engine's node lists the address with its alias" grep -q "^$A_ADD  ops_desk # 0x" "$T/allowed5"
r1top_run "$T/r-allow-dup" allow "$NODE" "$A_ADD" --yes -c "$CFG"
rc_is "r1top allow of a listed address" 1 "$T/r-allow-dup"
says "r1top allow of a listed address: the node's own words, and its exit code" "$T/r-allow-dup" \
    "allow failed \\(exit [1-9][0-9]*\\):.*already"
r1top_run "$T/r-alias" alias "$NODE" ops-2 --yes -c "$CFG"
rc_is "r1top alias NEW --yes" 0 "$T/r-alias"
exec_out startup2 cat /edge_node/_local_cache/config_startup.json
check "r1top alias: the node's start-up config has EE_ID ops-2" grep -q '"EE_ID": "ops-2"' "$T/startup2"
check "audit log: allow and alias logged with the path and result" \
    sh -c 'grep -q "action=allow event=end path=docker API result=allow: added" "$1" && grep -q "action=alias event=end path=docker API result=alias: set to ops-2" "$1"' _ "$LOG"
r1top_run "$T/r-apps" apps "$NODE" -c "$CFG"
rc_is "r1top apps" 0 "$T/r-apps"
check "r1top apps: docker ps inside the node, its car_ apps (the exited one too)" \
    sh -c 'head -n 1 "$1" | grep -q "^CONTAINER ID" && [ "$(grep -c " car_" "$1")" -eq 4 ]' _ "$T/r-apps"
r1top_run "$T/r-logs" logs "$NODE" -n 5 -c "$CFG"
rc_is "r1top logs -n 5" 0 "$T/r-logs"
check "r1top logs -n 5: exactly the engine's last 5 lines, each with its time" \
    sh -c '[ "$(wc -l <"$1")" -eq 5 ] && ! grep -vqE "^20[0-9][0-9]-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9]  " "$1"' _ "$T/r-logs"
# -f: the heartbeat comes every second; each line once, in order, until TERM
timeout -k 5 "$R1_TIMEOUT" "$R1TOP" logs "$NODE" -n 1 -f -c "$CFG" >"$T/r-follow" 2>"$T/r-follow.err" &
term_after 4 $!
check "r1top logs -f: ended by TERM (rc=$TERM_RC), several new lines printed" \
    sh -c '[ "$(wc -l <"$1")" -ge 3 ]' _ "$T/r-follow"
check "r1top logs -f: no line printed twice" no_line_twice "$T/r-follow"
[ -s "$T/r-follow" ] && diag "$(head -n 8 "$T/r-follow")"
dk stop -t 5 "$CT" >/dev/null 2>&1
r1top_run "$T/r-stopped" allowed "$NODE" -c "$CFG"
rc_is "r1top allowed on a stopped container" 1 "$T/r-stopped"
says "r1top allowed on a stopped container: Docker's 409, not running" "$T/r-stopped" "HTTP 409.*is not running"

diag "the audit log ($LOG):" "$(cat "$LOG")"
check "no sanitizer report from any r1top run" no_sanitizer_report "$T"

# ---- the end: nothing of the private engine is left ----------------------------------------
_dir=$DD_DIR
_pid=$DD_PID
dockerd_stop
check "dockerd ended, nothing naming its folder still runs (containerd, shims, the node)" [ -z "$DD_REMAINS" ]
check "dockerd ended with its children: nothing was left for the reap" [ -z "$DD_LEFT" ]
check "dockerd (pid $_pid) is gone" [ -z "$(_r1_alive "$_pid")" ]
check "its folder $_dir is removed" [ ! -e "$_dir" ]
if command -v pgrep >/dev/null 2>&1; then
    _pg=$(pgrep -a -f "$_dir/")
    check "pgrep -a -f $_dir/ finds nothing" [ -z "$_pg" ]
    [ -z "$_pg" ] || diag "$_pg"
else
    skip "pgrep -a -f $_dir/ finds nothing" "no pgrep (procps)"
fi
diag "dockerd.sh: $(($(date +%s) - T0)) s"
done_testing
