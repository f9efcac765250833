#!/bin/sh
# import.sh: r1top --import-r1setup against the fixture inventory (tests/data/r1setup/home, fake
# passwords that all contain FAKE): it prints the nodes: entries and writes nothing; --write
# appends them to the config after a yes (--yes here), keeping every other byte of the file;
# --readonly and a missing yes refuse; no password reaches the output, the file or the log.
. "$R1_SRCDIR/tests/lib.sh"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
plan 25

FIX=$R1_SRCDIR/tests/data/r1setup/home
LOG=$T/actions.log
run() { # run ARGS... -> $out (stdout), $err (stderr), $rc
    HOME="$FIX" XDG_CONFIG_HOME="$T/xdg" R1TOP_ACTIONS_LOG="$LOG" \
        timeout 30 "$R1TOP" "$@" >"$T/out" 2>"$T/err" </dev/null
    rc=$?
    out=$(cat "$T/out")
    err=$(cat "$T/err")
}
no_password() { ! grep -rq -e FAKE -e pass- "$@"; }

cat >"$T/cfg.yaml" <<'EOF'
# my fleet
network: mainnet

nodes:
  # the box under the desk
  - name: home
    status: /srv/home-node/_data/

# limits
http:
  timeout: 10
EOF
cp "$T/cfg.yaml" "$T/orig.yaml"

run --import-r1setup -c "$T/cfg.yaml"
check "--import-r1setup exits 0" [ "$rc" -eq 0 ]
contains "it prints a nodes: list" "$out" "nodes:
  - name: gpu-alpha
    status: ssh://ubuntu@203.0.113.10:22/var/cache/edge_node/_local_cache/_data/"
contains "an expert instance keeps its own folder, container and service" "$out" \
    "/var/cache/edge_node_edge_one/_local_cache/_data/\"
    docker:
      container: edge_node_edge_one
      service: edge_node_edge_one"
contains "a deleted instance is left out, with the reason" "$out" "# left out: old-gamma: deleted in r1setup"
contains "it says nothing was written" "$out" "# nothing was written"
check "the config file is untouched" cmp -s "$T/cfg.yaml" "$T/orig.yaml"
printf '%s\n' "$out $err" >"$T/shown"
check "no password is printed" no_password "$T/shown"
check "nothing is logged without --write" [ ! -e "$LOG" ]

# what it printed loads as a config of its own (and then holds every node already)
sed -n '/^nodes:/,$p' "$T/out" >"$T/printed.yaml"
run --import-r1setup -c "$T/printed.yaml"
check "the printed entries load as a config" [ "$rc" -eq 0 ]
contains "and hold the nodes an import would add" "$out" "# left out: edge-two: already in the config (as 'edge-two')"

run --import-r1setup --write -c "$T/cfg.yaml"
check "--write without a terminal or --yes is refused (exit 1)" [ "$rc" -eq 1 ]
contains "it says to add --yes" "$err" "add --yes"
check "the refused file is untouched" cmp -s "$T/cfg.yaml" "$T/orig.yaml"

run --import-r1setup --write --yes --readonly -c "$T/cfg.yaml"
check "--readonly refuses the write (exit 1)" [ "$rc" -eq 1 ]
contains "the refusal says read-only" "$err" "read-only"
check "the read-only file is untouched" cmp -s "$T/cfg.yaml" "$T/orig.yaml"
contains "the refusal is logged" "$(cat "$LOG")" "action=save-nodes event=refused"

run --import-r1setup --write --yes -c "$T/cfg.yaml"
check "--write --yes exits 0" [ "$rc" -eq 0 ]
contains "it says what it added where" "$out" "# added 4 nodes (gpu-alpha, cpu-beta, edge-one, edge-two) to $T/cfg.yaml"
# byte for byte: the old file up to the end of the list, the new entries, then the rest
head -n 7 "$T/orig.yaml" >"$T/want.yaml"
sed -n '/^  - name: gpu-alpha/,/^# nothing/p' "$T/printed.yaml" | sed '$d' >>"$T/want.yaml"
tail -n +8 "$T/orig.yaml" >>"$T/want.yaml"
check "the file is the old one with the entries after its last node" cmp -s "$T/cfg.yaml" "$T/want.yaml"
cmp -s "$T/cfg.yaml" "$T/want.yaml" || diag "$(diff "$T/want.yaml" "$T/cfg.yaml")"
contains "the write is logged, start and end" "$(grep -c 'action=save-nodes event=' "$LOG")" "3"
check "no password in the file or the log" no_password "$T/cfg.yaml" "$LOG"

run --import-r1setup --write --yes -c "$T/cfg.yaml"
check "a second import finds nothing new (exit 0)" [ "$rc" -eq 0 ]
contains "and says so" "$out" "# nothing to add to"

run --import-r1setup --once
check "--import-r1setup with --once is a usage error (exit 2)" [ "$rc" -eq 2 ]
done_testing
