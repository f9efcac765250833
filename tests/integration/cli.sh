#!/bin/sh
# cli.sh: the command line as scripts rely on it — exit codes, messages, config errors that
# name file:line:column and leave the file alone, local-node discovery, --once on the demo.
. "$R1_SRCDIR/tests/lib.sh"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
plan 22

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
done_testing
