#!/bin/sh
# cli.sh: the command line as scripts rely on it — exit codes, messages, config errors that
# name file:line:column and leave the file alone, local-node discovery, --once on the demo.
. "$R1_SRCDIR/tests/lib.sh"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
plan 35

run() { # run ARGS... -> $out (stdout+stderr), $rc
    out=$(HOME="$T/home" XDG_CONFIG_HOME="$T/xdg" R1TOP_DISCOVERY_ROOT="$T/root" \
        timeout 30 "$R1TOP" "$@" 2>&1)
    rc=$?
}
mkdir -p "$T/home" "$T/xdg" "$T/root"

run --help
check "--help exits 0" [ "$rc" -eq 0 ]
contains "--help shows the usage" "$out" "Usage: r1top"
run --version
contains "--version prints the version" "$out" "r1top 0."
run --bogus
check "an unknown option exits 2" [ "$rc" -eq 2 ]
contains "an unknown option names itself and points at --help" "$out" "--bogus"
run --json
check "--json without --once exits 2" [ "$rc" -eq 2 ]
run --once -c "$T/nonexistent.yaml"
check "a missing --config file exits 2" [ "$rc" -eq 2 ]
contains "a missing --config file is named" "$out" "nonexistent.yaml"

# A broken config: the message says file:line:column and what was expected, r1top does not
# start, and the file is not touched.
printf 'network: mainnet\nrefresh:\n  node_info: fast\n' >"$T/bad.yaml"
sum_before=$(md5sum <"$T/bad.yaml")
run --once -c "$T/bad.yaml"
check "a broken config exits 2" [ "$rc" -eq 2 ]
contains "the error names file:line:column" "$out" "bad.yaml:3:14:"
contains "the error says what was expected" "$out" "expected"
check "the broken config file is left unchanged" [ "$(md5sum <"$T/bad.yaml")" = "$sum_before" ]
printf 'network: moonnet\n' >"$T/bad2.yaml"
run --once -c "$T/bad2.yaml"
contains "an unknown network is refused by name" "$out" "moonnet"

# No config and no node on this host: say so, and how to fix it.
run --once
check "--once with nothing to watch exits 1" [ "$rc" -eq 1 ]
contains "without a node r1top says where it looked" "$out" "$T/root/var/cache/edge_node/_local_cache/_data/"
contains "without a node r1top suggests the demo" "$out" "r1top --demo"

# A node on this host, laid out as r1setup does: found without any config.
data="$T/root/var/cache/edge_node/_local_cache/_data"
mkdir -p "$data/box_configuration/streams"
cp "$R1_SRCDIR/tests/data/node_files/local_info.json" "$R1_SRCDIR/tests/data/node_files/local_history.json" "$data/"
cp "$R1_SRCDIR/tests/data/node_files/streams/"*.json "$data/box_configuration/streams/"
printf 'oracle:\n  enabled: false\n' >"$T/xdg/no-oracle.yaml"
mkdir -p "$T/xdg/r1top" && cp "$T/xdg/no-oracle.yaml" "$T/xdg/r1top/config.yaml"
run --once --json
contains "the local r1setup node is found by itself" "$out" "found a local node (r1setup install)"
contains "the local node's status file is read" "$out" '"alias":	"5ac5438a2775"'
check "--once on a readable local node exits 0" [ "$rc" -eq 0 ]
rm -rf "$T/xdg/r1top"

# The demo through --once: every node, as JSON; the demo has failing sources on purpose.
run --once --json --demo --timeout 10
check "--once --demo reports its deliberate failures with exit 1" [ "$rc" -eq 1 ]
n=$(printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)["nodes"]))' 2>/dev/null)
check "--once --json --demo is valid JSON with at least 8 nodes ($n)" [ "${n:-0}" -ge 8 ]
run --once --demo --timeout 10
contains "the text snapshot lists demo nodes" "$out" "node r1-gpu-fra-01"

# ---- odd and hostile inputs through the binary (found-defects D10, D11, D16, D23, D24) ----
# A node folder of our own with the oracle off: what is shown comes from the files alone.
node="$T/node/_data"
streams="$node/box_configuration/streams"
mkdir -p "$streams"
cp "$R1_SRCDIR/tests/data/node_files/local_info.json" "$node/"
printf 'oracle:\n  enabled: false\nnodes:\n  - name: n1\n    status: %s\n' "$node" >"$T/node.yaml"
chmod 600 "$T/node.yaml"
once_json() { # once_json CONFIG -> $T/o.json, $T/o.err, $rc
    HOME="$T/home" XDG_CONFIG_HOME="$T/xdg" R1TOP_DISCOVERY_ROOT="$T/root" timeout 30 \
        "$R1TOP" --once --json -c "$1" >"$T/o.json" 2>"$T/o.err"
    rc=$?
}
node_is() { # node_is "PYTHON EXPRESSION on n (the first node)"
    /usr/bin/python3 -c 'import json,sys
n = json.load(open(sys.argv[1]))["nodes"][0]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$T/o.json" "$1" 2>/dev/null
}

# D10: the last GPU load sample is unknown (-1): the GPU stays, its load is n/a (null), and the
# temperature and memory the file gives are shown.
cat >"$node/local_history.json" <<'HIST'
{"uptime": "10:00:00", "version": "2.10.1", "cpu_load": [10, 12],
 "gpu_load": [40, -1], "gpu_temp": [70, 71], "gpu_occupied_memory": [33.3, 33.3],
 "gpu_total_memory": [79.6, 79.6], "last_save_time": "2026-11-25 12:00:00"}
HIST
# D11: a deeployed container app whose pipeline is called admin_pipeline is a workload
cat >"$streams/admin_pipeline.json" <<'PIPE'
{"NAME": "admin_pipeline", "TYPE": "void", "IS_DEEPLOYED": true, "DEEPLOY_SPECS": {"job_id": 77},
 "PLUGINS": [{"SIGNATURE": "CONTAINER_APP_RUNNER",
   "INSTANCES": [{"INSTANCE_ID": "CONTAINER_APP_aa", "IMAGE": "evil/app", "PORT": 4444}]}]}
PIPE
once_json "$T/node.yaml"
check "D10: --once on the node folder exits 0 (rc=$rc)" [ "$rc" -eq 0 ]
check "D10: a GPU whose last load sample is -1 is still there, load null, 71 C" \
    node_is 'len(n["gpus"]["list"]) == 1 and n["gpus"]["list"][0]["util_pct"] is None and n["gpus"]["list"][0]["temp_c"] == 71'
check "D11: a container on port 4444 in a pipeline named admin_pipeline is shown" \
    node_is 'any(i["port"] == 4444 and i["pipeline"] == "admin_pipeline" for i in n["workloads"]["instances"])'
# the node's real admin pipeline stays hidden
cp "$R1_SRCDIR/tests/data/node_files/streams/admin_pipeline.json" "$streams/"
once_json "$T/node.yaml"
check "D11: the node's own admin pipeline is still hidden" \
    node_is 'n["workloads"]["pipelines"] == 0 and n["workloads"]["instances"] == []'
# every GPU series null (a node without a GPU): no GPU
printf '{"uptime": "10:00:00", "cpu_load": [1], "gpu_load": [null], "gpu_temp": [null], "gpu_occupied_memory": [null], "gpu_total_memory": [null]}\n' \
    >"$node/local_history.json"
once_json "$T/node.yaml"
check "D10: null GPU series mean no GPU" node_is 'n["gpus"]["list"] == []'

# D24: a config other users can write names the oracle signers r1top trusts: a warning on
# stderr, not an error.
chmod 666 "$T/node.yaml"
once_json "$T/node.yaml"
check "D24: a world-writable config still runs (rc=$rc)" [ "$rc" -eq 0 ]
contains "D24: ... with a warning that says what to do" "$(cat "$T/o.err")" \
    "r1top: warning: $T/node.yaml is writable by other users (mode 0666)"
chmod 600 "$T/node.yaml"
once_json "$T/node.yaml"
check "D24: a private config gives no warning" [ ! -s "$T/o.err" ]

# D23: a C1 control or a bidi override in oracle.url is refused where it is written.
printf 'oracle:\n  url: "https://oracle.example/\\u202Ex"\n' >"$T/bidi.yaml"
run --once -c "$T/bidi.yaml"
check "D23: a bidi override in oracle.url is a config error (rc=$rc)" [ "$rc" -eq 2 ]
contains "D23: ... named by file:line:column and code point" "$out" \
    "bidi.yaml:2:8: oracle.url: 'https://oracle.example/???x' contains the control or invisible character U+202E"
printf 'oracle:\n  url: "https://oracle.example/\\x85"\n' >"$T/c1.yaml"
run --once -c "$T/c1.yaml"
contains "D23: a C1 control in oracle.url is refused" "$out" "U+0085"

# D16: whoami on a FIFO blocked forever in open(); it is refused at once.
mkfifo "$T/fifo.pem"
start=$(date +%s)
run whoami --identity "$T/fifo.pem"
took=$(($(date +%s) - start))
check "D16: whoami --identity FIFO exits 1 at once (rc=$rc, $took s)" [ "$rc" -eq 1 -a "$took" -lt 10 ]
contains "D16: ... and says it is not a regular file" "$out" "$T/fifo.pem is not a regular file"
done_testing
