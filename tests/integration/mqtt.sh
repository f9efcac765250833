#!/bin/sh
# mqtt.sh: signed commands over the Ratio1 network (`r1top net-stop|net-restart NODE`) against
# real components started here: a dAuth simulator (tests/sim/dauthsim.py), a real mosquitto
# broker with TLS (a throwaway self-signed certificate for CN and IP SAN 127.0.0.1, as the
# network's brokers have), a password file and no anonymous logins, and a simulated node
# (tests/sim/nodesub.py) that accepts a command only from its allowed list and confirms it on
# naeural/notif, after a forged confirmation signed by another key.
# Cases: the confirmation, the audit log, the reboot question, a key the node does not allow,
# --readonly, dAuth replies that must be refused (bad signature, unknown signer, auth.error),
# a broker whose certificate is not dAuth's, and a broker login that is refused.
. "$R1_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "$PY not found"
"$PY" -c 'import cryptography.hazmat.primitives.asymmetric.ec' 2>/dev/null ||
    skip_all "$PY lacks the cryptography package (apt install python3-cryptography)"
[ -x "$R1TOP" ] || skip_all "r1top binary not found at $R1TOP"
for c in mosquitto mosquitto_passwd openssl timeout; do
    command -v "$c" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
    command -v "$c" >/dev/null 2>&1 || skip_all "$c not found (apt install mosquitto openssl)"
done
DAUTHSIM=$R1_SRCDIR/tests/sim/dauthsim.py
NODESUB=$R1_SRCDIR/tests/sim/nodesub.py
LIFE=120

T=$(tmpdir)
trap 'reap_spawned; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
export R1TOP_ACTIONS_LOG=$T/actions.log

plan 31

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# wait_line FILE REGEX PID: up to 10 s for a line in FILE, while PID lives
wait_line() {
    _i=0
    while [ $_i -lt 100 ] && ! grep -q "$2" "$1" 2>/dev/null; do
        kill -0 "$3" 2>/dev/null || break
        sleep 0.1
        _i=$((_i + 1))
    done
    grep -q "$2" "$1" 2>/dev/null
}
# self-signed certificate NAME for 127.0.0.1 (CN and IP SAN)
make_cert() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
        -keyout "$T/$1.key" -out "$T/$1.crt" >/dev/null 2>&1
}

# ---- the broker -----------------------------------------------------------------------------
make_cert broker
make_cert stranger
mosquitto_passwd -c -b "$T/passwd" r1user 's3cret pass' >/dev/null 2>&1
MQ_PORT=$(free_port)
cat >"$T/mosquitto.conf" <<EOF
per_listener_settings false
allow_anonymous false
password_file $T/passwd
persistence false
log_dest stderr
log_type error
log_type warning
log_type notice
user $(id -un)
listener $MQ_PORT 127.0.0.1
certfile $T/broker.crt
keyfile $T/broker.key
EOF
mosquitto -c "$T/mosquitto.conf" >"$T/mosquitto.log" 2>&1 &
MQ_PID=$!
reap_at_exit "$MQ_PID"
_i=0
while [ $_i -lt 100 ] && ! grep -q "listen socket on port $MQ_PORT" "$T/mosquitto.log" 2>/dev/null; do
    sleep 0.1
    _i=$((_i + 1))
done
check "mosquitto listens with TLS on 127.0.0.1:$MQ_PORT" kill -0 "$MQ_PID"

# ---- r1top's key, a key the node does not know, the node ----------------------------------
"$R1TOP" keygen "$T/me.pem" >/dev/null
"$R1TOP" keygen "$T/stranger.pem" >/dev/null
ME=$("$R1TOP" whoami --identity "$T/me.pem" | awk '/^node address/ {print $3; exit}')
"$PY" "$NODESUB" --port "$MQ_PORT" --cafile "$T/broker.crt" --user r1user --password 's3cret pass' \
    --allowed "$ME" --lifetime $LIFE >"$T/node.out" 2>"$T/node.err" &
NODE_PID=$!
reap_at_exit "$NODE_PID"
wait_line "$T/node.out" '^READY=1' "$NODE_PID"
check "the simulated node subscribed to its config topic" grep -q '^READY=1' "$T/node.out" ||
    diag "$(cat "$T/node.out" "$T/node.err")"
NODE_ADDR=$(sed -n 's/^ADDRESS=//p' "$T/node.out")

# dauth_start NAME [dauthsim args...]: a dAuth simulator and a config for it in $T/NAME.yaml;
# sets DA_PID and CFG
dauth_start() {
    _n=$1; shift
    "$PY" "$DAUTHSIM" --mqtt-port "$MQ_PORT" --mqtt-user r1user --mqtt-password 's3cret pass' \
        --cert "$T/broker.crt" --log "$T/$_n.requests" --lifetime $LIFE "$@" \
        >"$T/$_n.out" 2>"$T/$_n.err" &
    DA_PID=$!
    reap_at_exit "$DA_PID"
    wait_line "$T/$_n.out" '^PORT=' "$DA_PID" || diag "dauthsim $_n did not start:" "$(cat "$T/$_n.err")"
    CFG=$T/$_n.yaml
    cat >"$CFG" <<EOF
network: mainnet
oracle:
  enabled: false
  trusted:
    - "$(sed -n 's/^SIGNER=//p' "$T/$_n.out")"
remote:
  dauth_url: http://127.0.0.1:$(sed -n 's/^PORT=//p' "$T/$_n.out")/get_auth_data
  identity: $T/me.pem
  confirm_timeout: 3
nodes:
  - name: far-node
    address: $NODE_ADDR
EOF
}
# act OUT ARGS...: r1top ARGS..., stdout and stderr into OUT; sets RC
act() {
    _o=$1; shift
    timeout -k 5 60 "$R1TOP" "$@" >"$_o" 2>&1
    RC=$?
}

# ---- the command and its confirmation -------------------------------------------------------
dauth_start dauth
act "$T/stop.out" --config "$CFG" net-stop far-node --yes
check "net-stop --yes exits 0" [ "$RC" -eq 0 ]
contains "it reports the node's confirmation" "$(cat "$T/stop.out")" \
    "net-stop: confirmed by the node: Running 'STOP' command in main loop received from 'r1top-"
check "the forged confirmation (another key) was not taken" sh -c "! grep -q FORGED '$T/stop.out'"
check "dAuth verified the request and served r1top as an SDK client" \
    grep -q "sender=$ME refusal=None" "$T/dauth.requests"
check "the node accepted an unencrypted STOP signed by r1top's key" \
    grep -q "^ACCEPTED STOP from $ME session r1top-[0-9a-f]* encrypted False" "$T/node.out"
check "the broker saw r1top log in as dAuth's user" grep -q "as r1top-.*u'r1user'" "$T/mosquitto.log"
check "the audit log has the start" \
    grep -q "node=far-node action=net-stop event=start path=network (MQTT)" "$R1TOP_ACTIONS_LOG"
check "the audit log has the confirmed end" \
    grep -q "node=far-node action=net-stop event=end path=network (MQTT) result=net-stop: confirmed by the node" "$R1TOP_ACTIONS_LOG"
check "the password never reaches the audit log" sh -c "! grep -q 's3cret' '$R1TOP_ACTIONS_LOG'"

# ---- net-restart: the question says r1setup hosts reboot -----------------------------------
# a terminal, answered "n": r1top asks only on a terminal
"$PY" - "$R1TOP" "$CFG" >"$T/ask.out" 2>&1 <<'PYEOF'
import os, pty, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen([sys.argv[1], "--config", sys.argv[2], "net-restart", "far-node"],
                     stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
os.close(slave)
os.write(master, b"n\n")
out, _ = p.communicate(timeout=30)
sys.stdout.write(out.decode(errors="replace"))
print("RC=%d" % p.returncode)
PYEOF
ask=$(cat "$T/ask.out")
contains "net-restart asks first" "$ask" "Send a signed RESTART to far-node over the Ratio1 network?"
contains "the question says an r1setup host reboots" "$ask" "On an r1setup host this REBOOTS THE WHOLE MACHINE"
contains "answered no, nothing is sent and it exits 1" "$ask" "RC=1"
check "no RESTART reached the node" sh -c "! grep -q 'RESTART' '$T/node.out'"
act "$T/restart.out" --config "$CFG" net-restart far-node --yes
check "net-restart --yes exits 0" [ "$RC" -eq 0 ]
contains "it reports the node's RESTART confirmation" "$(cat "$T/restart.out")" \
    "net-restart: confirmed by the node: Running 'RESTART' command"

# ---- a key the node does not allow ----------------------------------------------------------
act "$T/stranger.out" --config "$CFG" --identity "$T/stranger.pem" net-stop far-node --yes
check "a key not in the allowed list: exit 1" [ "$RC" -eq 1 ]
contains "it says no confirmation came" "$(cat "$T/stranger.out")" "no confirmation in 3 s"
check "the node dropped the command as a real node does" \
    grep -q "^DROPPED Sender is not authorized" "$T/node.out"

# ---- --readonly -----------------------------------------------------------------------------
n_before=$(wc -l <"$T/dauth.requests")
act "$T/ro.out" --config "$CFG" --readonly net-stop far-node --yes
check "--readonly refuses with exit 1" [ "$RC" -eq 1 ]
contains "and says why" "$(cat "$T/ro.out")" "read-only mode"
check "--readonly asked dAuth nothing" [ "$(wc -l <"$T/dauth.requests")" -eq "$n_before" ]

# ---- dAuth replies that must be refused -----------------------------------------------------
dauth_start badsig --fault badsig
act "$T/badsig.out" --config "$CFG" net-stop far-node --yes
check "a dAuth reply with a bad signature: exit 1" [ "$RC" -eq 1 ]
contains "with an error naming dAuth and the bad signature" "$(cat "$T/badsig.out")" \
    "net-stop failed: dAuth reply refused: bad signature"
dauth_start wrongsigner --fault wrongsigner
act "$T/wrongsigner.out" --config "$CFG" net-stop far-node --yes
contains "a dAuth reply signed by an unknown key is refused" "$(cat "$T/wrongsigner.out")" \
    "net-stop failed: dAuth reply refused: signed by 0xai_"
dauth_start autherror --fault autherror
act "$T/autherror.out" --config "$CFG" net-stop far-node --yes
contains "auth.error is dAuth's refusal" "$(cat "$T/autherror.out")" \
    "net-stop failed: dAuth refused the request: Invalid request signature: simulated rejection"

# ---- the broker -----------------------------------------------------------------------------
dauth_start othercert --cert "$T/stranger.crt"
act "$T/othercert.out" --config "$CFG" net-stop far-node --yes
check "a broker whose certificate is not dAuth's: exit 1" [ "$RC" -eq 1 ]
contains "a TLS error naming the broker" "$(cat "$T/othercert.out")" \
    "net-stop failed: broker 127.0.0.1:$MQ_PORT: TLS failed (certificate verify failed)"
dauth_start badlogin --mqtt-password wrong
act "$T/badlogin.out" --config "$CFG" net-stop far-node --yes
contains "a refused broker login names the broker" "$(cat "$T/badlogin.out")" \
    "net-stop failed: broker 127.0.0.1:$MQ_PORT refused the dAuth login"
check "the node saw exactly the two accepted commands" \
    [ "$(grep -c '^ACCEPTED' "$T/node.out")" -eq 2 ]
for _o in stop restart stranger badsig wrongsigner autherror badlogin; do
    diag "r1top ($_o): $(head -c 300 "$T/$_o.out" 2>/dev/null)"
done
done_testing
