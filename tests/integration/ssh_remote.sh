#!/bin/sh
# ssh_remote.sh: a node host reached over ssh:// with the system's OpenSSH client, against a
# private Debian openssh-server on 127.0.0.1 (issue 7, "Remote node hosts over SSH"). sshd runs
# at a free port as the current user with a throwaway ed25519 host key; the user key is a
# throwaway ed25519 key too, offered from a file named in an ssh_config or from a private
# ssh-agent. ssh(1) reads ~/.ssh from the passwd home, not $HOME, so every run names its own
# ssh_config (r1top's ssh.config, i.e. ssh -F) and known_hosts: the user's real ~/.ssh is never
# read or written. The "remote" PATH (sshd_config SetEnv) holds a fake nvidia-smi (two GPUs, one
# with [N/A] and [Not Supported] figures) and a fake docker that prints dockersim's inspect
# object as `docker inspect` does, in an array.
#   (a) a Host alias from the ssh_config, key file: status files, the pipeline folder (caps and
#       counts, the same rows as file:// gives), the container, every GPU; one connection
#   (b) ed25519 from the agent (ssh://user@127.0.0.1:PORT/...), and no agent: login refused
#   (c) a changed host key: refused, before login, an error on that node saying CHANGED
#   (d) an unknown host: refused, "not in known_hosts"
#   (e) a dead host next to the live one: only its node fails
#   (f) a remote command failing (no such container): that source's error, kind "file"
# and after every run: no ssh process and no control socket left.
. "$R1_SRCDIR/tests/lib.sh"

. "$R1_SRCDIR/tests/integration/sshdlib.sh"
sshd_require ssh ssh-keygen ssh-agent ssh-add timeout pgrep

T=$(tmpdir)
trap 'reap_spawned; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

plan 47

ME=$(id -un)
mkdir -p "$T/home" "$T/xdg" "$T/run" "$T/bin" "$T/data/box_configuration/streams"
chmod 700 "$T/run"
ssh-keygen -q -t ed25519 -N '' -C r1top-test-host -f "$T/host_key" || fail "ssh-keygen (host key)"
ssh-keygen -q -t ed25519 -N '' -C r1top-test-other -f "$T/other_key" || fail "ssh-keygen (other key)"
ssh-keygen -q -t ed25519 -N '' -C r1top-test-user -f "$T/user_key" || fail "ssh-keygen (user key)"
cp "$T/user_key.pub" "$T/authorized_keys"

# ---- the node host's files ----------------------------------------------------------------
D=$T/data
S=$D/box_configuration/streams
cp "$R1_SRCDIR/tests/data/node_files/local_info.json" "$R1_SRCDIR/tests/data/node_files/local_history.json" "$D/"
touch "$D/local_info.json" "$D/local_history.json"
cp "$R1_SRCDIR"/tests/data/node_files/streams/*.json "$S/"
# more pipeline files than a pass reads (256), and one over the 256 KiB a file may have:
# 4 fixtures + "big.json" + 255 fillers = 260 names; the first 256 by name are listed
/usr/bin/python3 - "$S" <<'PYEOF'
import json, os, sys
d = sys.argv[1]
with open(os.path.join(d, "big.json"), "w") as f:
    json.dump({"NAME": "big", "TYPE": "Void", "PLUGINS": [], "PAD": "x" * (300 * 1024)}, f)
for i in range(255):
    with open(os.path.join(d, "p%03d.json" % i), "w") as f:
        json.dump({"NAME": "filler_%03d" % i, "TYPE": "Void", "PLUGINS": []}, f)
PYEOF
ALIAS=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["alias"])' "$D/local_info.json")

cat >"$T/bin/nvidia-smi" <<'EOF'
#!/bin/sh
# nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw --format=csv,noheader,nounits
case "$*" in
*--query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw*--format=csv,noheader,nounits*) ;;
*) echo "fake nvidia-smi: unexpected arguments: $*" >&2; exit 2 ;;
esac
echo "0, NVIDIA GeForce RTX 4090, 37, 10240, 24564, 61, 212.34"
echo "1, NVIDIA A100-SXM4-80GB, [N/A], 1024, 81920, [N/A], [Not Supported]"
EOF
cat >"$T/bin/docker" <<EOF
#!/bin/sh
# docker [-H unix://SOCK] inspect --type container NAME: dockersim's object, in an array
# (python3 -B: no __pycache__ written into the source tree)
[ "\$1" = -H ] && shift 2
[ "\$1 \$2 \$3" = "inspect --type container" ] || { echo "fake docker: \$*" >&2; exit 2; }
if [ "\$4" != edge_node ]; then echo "[]"; echo "Error: No such container: \$4" >&2; exit 1; fi
exec /usr/bin/python3 -B -c 'import json, sys; sys.path.insert(0, sys.argv[1]); import dockersim; print(json.dumps([dockersim.Container("edge_node", "running", 3).inspect()], indent=4))' "$R1_SRCDIR/tests/sim"
EOF
chmod 755 "$T/bin/nvidia-smi" "$T/bin/docker"

# ---- sshd ---------------------------------------------------------------------------------
if ! start_sshd "SetEnv PATH=$T/bin:/usr/local/bin:/usr/bin:/bin"; then
    fail "sshd starts on 127.0.0.1"
    exit 1
fi
# a port nothing listens on: the dead host
DEAD=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

unset SSH_AUTH_SOCK SSH_AGENT_PID
ssh-agent -D -a "$T/agent.sock" >/dev/null 2>&1 &
reap_at_exit $!
_i=0
while [ ! -S "$T/agent.sock" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
SSH_AUTH_SOCK=$T/agent.sock ssh-add -q "$T/user_key" 2>"$T/ssh-add.err" || diag "ssh-add:" "$(cat "$T/ssh-add.err")"

# known_hosts: the right key, another key, none (each as ssh-keyscan would write it)
echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$T/host_key.pub")" >"$T/known_hosts"
echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$T/other_key.pub")" >"$T/known_hosts_changed"
: >"$T/known_hosts_empty"

# the operator's ssh configuration, as ~/.ssh/config would hold it
ssh_client_config r1-alias

# config FILE KNOWN_HOSTS NODE-YAML...: an r1top config with ssh.config and, when not "-",
# ssh.known_hosts
config() {
    _f=$1 _kh=$2
    shift 2
    {
        echo "oracle:"
        echo "  enabled: false"
        echo "http:"
        echo "  timeout: 10"
        echo "ssh:"
        echo "  config: $T/ssh_config"
        [ "$_kh" = - ] || echo "  known_hosts: $_kh"
        echo "nodes:"
        for _n in "$@"; do printf '%s\n' "$_n"; done
    } >"$_f"
}
node() { # node NAME STATUS [CONTAINER]
    printf '  - name: %s\n    status: %s\n' "$1" "$2"
    [ -z "${3:-}" ] || printf '    docker:\n      container: %s\n' "$3"
}

# once OUT CONFIG [AGENT_SOCK]: r1top --once --json, HOME and XDG_RUNTIME_DIR in the temp
# folder; this run's sshd log lines go to OUT.sshd, and the ssh processes left to OUT.left
once() {
    _from=$(($(wc -l <"$T/sshd.log") + 1))
    env -u SSH_AUTH_SOCK HOME="$T/home" XDG_CONFIG_HOME="$T/xdg" XDG_RUNTIME_DIR="$T/run" \
        ${3:+SSH_AUTH_SOCK=$3} timeout -k 5 40 "$R1TOP" --once --json -c "$2" >"$1" 2>"$1.err"
    RC=$?
    pgrep -a -f "$T/run/" >"$1.left" 2>/dev/null
    sleep 0.3 # sshd logs a closed connection a moment later
    tail -n +"$_from" "$T/sshd.log" >"$1.sshd"
    diag "rc=$RC $(q "$1" 'i["error"] or "node_info ok"')"
}
# q FILE EXPR: EXPR over j = the whole reply, n = the first node, i = its node_info source,
# src(name) = a source of the first node, node(name) = a node by name
q() {
    /usr/bin/python3 - "$1" "$2" <<'PYEOF'
import json, sys
try:
    j = json.load(open(sys.argv[1]))
    n = j["nodes"][0]
    i = n["sources"]["node_info"]
    src = lambda s, n=n: n["sources"][s]
    node = lambda name: [x for x in j["nodes"] if x["name"] == name][0]
    print(eval(sys.argv[2]))
except Exception as e:
    print("<%r>" % e)
PYEOF
}
qok() { [ "$(q "$1" "bool($2)")" = True ] || { diag "false: $2"; return 1; }; }
no_login() { ! grep -q "Accepted publickey" "$1.sshd"; }
logins() { grep -c "Accepted publickey" "$1.sshd"; }

# ---- (a) a Host alias, the key file it names ------------------------------------------------
config "$T/a.yaml" - "$(node alias "ssh://r1-alias$D/" edge_node)"
once "$T/a.json" "$T/a.yaml"
check "alias: r1top exits 0 (rc=$RC)" [ "$RC" -eq 0 ]
check "alias: local_info.json read over ssh://r1-alias, its alias shows ($ALIAS)" \
    qok "$T/a.json" 'i["ok"] and n["alias"] == "'"$ALIAS"'"'
check "alias: local_history.json read too" qok "$T/a.json" 'src("node_history")["ok"]'
check "alias: the status file's age is the host's own (0..60 s)" \
    qok "$T/a.json" '0 <= n["status_file_age_s"] < 60'
check "alias: sshd accepted the ed25519 key of the file" \
    grep -q "Accepted publickey for $ME from 127.0.0.1 .*ED25519" "$T/a.json.sshd"
check "alias: one SSH login for every request of the node (one shared connection): $(logins "$T/a.json")" \
    [ "$(logins "$T/a.json")" -eq 1 ]
check "alias: pipeline folder: 260 *.json, 256 listed, 255 read (N of M)" \
    qok "$T/a.json" 'n["workloads"]["files_total"] == 260 and n["workloads"]["files_read"] == 255'
check "alias: pipeline folder: the file over 256 KiB is that file's error" \
    qok "$T/a.json" 'n["workloads"]["unreadable_files"] == 1 and "larger than 262144 bytes" in n["workloads"]["file_error"]'
# by name: admin_pipeline big empty_pipeline myapp_3e02d52 p000..p251 | p252..p254 worker_b71c
check "alias: pipeline folder: the first 256 by name are read, the rest are not, the admin pipeline is hidden" \
    qok "$T/a.json" '{"myapp_3e02d52", "empty_pipeline", "filler_251"} <= set(r["pipeline"] for r in n["workloads"]["instances"]) and not {"filler_252", "worker_b71c", "admin_pipeline"} & set(r["pipeline"] for r in n["workloads"]["instances"])'
check "alias: container state from docker inspect on the host (running, 3 restarts)" \
    qok "$T/a.json" 'src("docker")["ok"] and n["docker"]["state"] == "running" and n["docker"]["restart_count"] == 3'
check "alias: GPUs from nvidia-smi on the host: backend ssh-nvidia-smi, two GPUs" \
    qok "$T/a.json" 'n["gpus"]["backend"] == "ssh-nvidia-smi" and len(n["gpus"]["list"]) == 2'
check "alias: GPU 0: name, 37 %, 10240 of 24564 MiB, 61 C, 212.34 W" \
    qok "$T/a.json" 'n["gpus"]["list"][0] == dict(n["gpus"]["list"][0], name="NVIDIA GeForce RTX 4090", util_pct=37, mem_used_bytes=10240*1048576, mem_total_bytes=24564*1048576, temp_c=61, power_mw=212340)'
check "alias: GPU 1: [N/A] and [Not Supported] are unknown (null), memory known" \
    qok "$T/a.json" 'n["gpus"]["list"][1]["util_pct"] is None and n["gpus"]["list"][1]["temp_c"] is None and n["gpus"]["list"][1]["power_mw"] is None and n["gpus"]["list"][1]["mem_total_bytes"] == 81920*1048576'
check "alias: no ssh process and no control socket left after r1top exits" ssh_nothing_left "$T/a.json"

# the same folder read locally gives the same pipeline rows and counts
config "$T/local.yaml" - "$(node local "$D/")"
env HOME="$T/home" XDG_CONFIG_HOME="$T/xdg" timeout -k 5 40 "$R1TOP" --once --json -c "$T/local.yaml" >"$T/local.json" 2>/dev/null
check "alias: the pipeline rows and counts are what file:// reads from the same folder" \
    /usr/bin/python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["nodes"][0]["workloads"]
b = json.load(open(sys.argv[2]))["nodes"][0]["workloads"]
keys = ("pipelines", "unreadable_files", "files_total", "files_read", "instances")
sys.exit(0 if all(a[k] == b[k] for k in keys) and a["instances"] else 1)' "$T/a.json" "$T/local.json"

# ---- (b) the agent: ssh://user@127.0.0.1:PORT, no key file -----------------------------------
config "$T/b.yaml" - "$(node agent "ssh://$ME@127.0.0.1:$PORT$D/")"
once "$T/b.json" "$T/b.yaml" "$T/agent.sock"
check "agent: r1top exits 0 (rc=$RC)" [ "$RC" -eq 0 ]
check "agent: local_info.json read with the agent's ed25519 key" qok "$T/b.json" 'i["ok"] and n["alias"] == "'"$ALIAS"'"'
check "agent: sshd accepted an ed25519 key" grep -q "Accepted publickey for $ME from 127.0.0.1 .*ED25519" "$T/b.json.sshd"
check "agent: the source names the ssh:// URL" qok "$T/b.json" 'i["source"] == "ssh://'"$ME@127.0.0.1:$PORT$D"'/local_info.json"'
check "agent: no ssh process and no control socket left" ssh_nothing_left "$T/b.json"
once "$T/b2.json" "$T/b.yaml"
check "no agent, no key: r1top exits 1 (rc=$RC)" [ "$RC" -eq 1 ]
check "no agent, no key: the login is refused, kind permission" \
    qok "$T/b2.json" 'i["error_kind"] == "permission" and "refused (publickey)" in i["error"]'
check "no agent, no key: no ssh process left" ssh_nothing_left "$T/b2.json"

# ---- (c) a changed host key ----------------------------------------------------------------
cp "$T/known_hosts_changed" "$T/kh.before"
config "$T/c.yaml" "$T/known_hosts_changed" "$(node changed "ssh://r1-alias$D/" edge_node)"
once "$T/c.json" "$T/c.yaml"
check "changed host key: r1top exits 1 (rc=$RC)" [ "$RC" -eq 1 ]
check "changed host key: refused (kind refused), saying CHANGED and naming the host" \
    qok "$T/c.json" 'i["error_kind"] == "refused" and "has CHANGED" in i["error"] and "r1-alias" in i["error"]'
check "changed host key: every source of the node is refused, none read" \
    qok "$T/c.json" 'all(src(s)["error_kind"] == "refused" for s in ("node_info", "node_history", "streams", "docker", "gpu"))'
check "changed host key: nothing of the host is shown" qok "$T/c.json" 'n["alias"] != "'"$ALIAS"'" and n["docker"]["state"] is None'
check "changed host key: refused before login (sshd accepted no key)" no_login "$T/c.json"
check "changed host key: known_hosts is left as it was" cmp -s "$T/known_hosts_changed" "$T/kh.before"
# the first request makes the connection alone; the 3 waiting for it fail with it; the 5th
# source (over the 4-per-host cap) tries once more
check "changed host key: not one connection per source (5): $(grep -c 'Connection closed by 127.0.0.1' "$T/c.json.sshd")" \
    [ "$(grep -c 'Connection closed by 127.0.0.1' "$T/c.json.sshd")" -lt 5 ]
check "changed host key: no ssh process left" ssh_nothing_left "$T/c.json"

# ---- (d) an unknown host --------------------------------------------------------------------
config "$T/d.yaml" "$T/known_hosts_empty" "$(node unknown "ssh://r1-alias$D/")"
once "$T/d.json" "$T/d.yaml"
check "unknown host: r1top exits 1 (rc=$RC)" [ "$RC" -eq 1 ]
check "unknown host: refused (kind refused), not in known_hosts" \
    qok "$T/d.json" 'i["error_kind"] == "refused" and "not in known_hosts" in i["error"]'
check "unknown host: refused before login" no_login "$T/d.json"
check "unknown host: known_hosts is not written (no trust on first use)" [ ! -s "$T/known_hosts_empty" ]

# ---- (e) a dead host next to the live one ---------------------------------------------------
config "$T/e.yaml" - "$(node live "ssh://r1-alias$D/" edge_node)" "$(node dead "ssh://$ME@127.0.0.1:$DEAD$D/" edge_node)"
once "$T/e.json" "$T/e.yaml"
check "dead host: r1top exits 1 (rc=$RC)" [ "$RC" -eq 1 ]
check "dead host: its node fails, kind transport, connection refused" \
    qok "$T/e.json" 'node("dead")["sources"]["node_info"]["error_kind"] == "transport" and "refused" in node("dead")["sources"]["node_info"]["error"].lower()'
check "dead host: every source of the dead node fails" \
    qok "$T/e.json" 'not any(node("dead")["sources"][s]["ok"] for s in ("node_info", "node_history", "streams", "docker", "gpu"))'
check "dead host: the live node is read whole" \
    qok "$T/e.json" 'all(node("live")["sources"][s]["ok"] for s in ("node_info", "node_history", "streams", "docker", "gpu"))'
check "dead host: no ssh process left" ssh_nothing_left "$T/e.json"

# ---- (f) a remote command that fails: no such container --------------------------------------
config "$T/f.yaml" - "$(node nosuch "ssh://r1-alias$D/" nosuch)"
once "$T/f.json" "$T/f.yaml"
check "no such container: the docker source fails, kind file, with docker's words" \
    qok "$T/f.json" 'src("docker")["error_kind"] == "file" and "No such container: nosuch" in src("docker")["error"]'
check "no such container: the status files are still read" qok "$T/f.json" 'i["ok"]'

# a missing status folder: the files' own error, kind file
config "$T/g.yaml" - "$(node nofolder "ssh://r1-alias$T/nowhere/")"
once "$T/g.json" "$T/g.yaml"
check "missing folder: local_info.json fails, kind file, naming the path" \
    qok "$T/g.json" 'i["error_kind"] == "file" and "nowhere/local_info.json: no such file" in i["error"]'
check "missing folder: the pipeline folder says it cannot be listed" \
    qok "$T/g.json" '"cannot list" in src("streams")["error"]'
check "missing folder: no ssh process left" ssh_nothing_left "$T/g.json"

# a host that ssh would read as an option is refused by the config, before any ssh runs
config "$T/h.yaml" - "$(node opt "ssh://-oProxyCommand=touch${T}/pwned/x/")"
once "$T/h.json" "$T/h.yaml"
check "option injection: ssh://-oProxyCommand=... is a config error (rc=$RC)" [ "$RC" -ne 0 ]
check "option injection: nothing ran" [ ! -e "$T/pwned" ]

reap_spawned
done_testing
