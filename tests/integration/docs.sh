#!/bin/sh
# docs.sh: the README, `r1top --help`, `r1top --keys` and the man page say the same thing,
# and the README's Quick start holds exactly the two commands, the second being what CI runs.
. "$R1_SRCDIR/tests/lib.sh"
README=$R1_SRCDIR/README.md
MAN=$R1_SRCDIR/r1top.1
plan 9

help=$("$R1TOP" --help)
keys=$("$R1TOP" --keys)
# The man page with roff escapes removed, so "\-\-demo" reads "--demo".
man_text=$(sed -e 's/\\-/-/g' -e 's/\\\\/\\/g' "$MAN")

missing=$(printf '%s\n' "$help" | while IFS= read -r line; do
    grep -qxF -- "$line" "$README" || echo "$line"
done)
check "README's Command line section holds r1top --help verbatim" [ -z "$missing" ]
[ -n "$missing" ] && diag "missing from README:" "$missing"

missing=$(printf '%s\n' "$keys" | while IFS= read -r line; do
    grep -qxF -- "$line" "$README" || echo "$line"
done)
check "README's Keys section lists every key of the key table" [ -z "$missing" ]
[ -n "$missing" ] && diag "missing from README:" "$missing"

missing=$(printf '%s\n' "$keys" | while IFS= read -r line; do
    desc=$(printf '%s' "$line" | cut -c21-)
    printf '%s\n' "$man_text" | grep -qF -- "$desc" || echo "$line"
done)
check "the man page lists every key of the key table" [ -z "$missing" ]
[ -n "$missing" ] && diag "missing from r1top.1:" "$missing"

opts=$(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z-]+' | sort -u)
missing=$(for o in $opts; do printf '%s\n' "$man_text" | grep -qF -- "$o" || echo "$o"; done)
check "the man page documents every option in --help" [ -z "$missing" ]
[ -n "$missing" ] && diag "missing from r1top.1:" $missing

cmds=$(printf '%s\n' "$help" | sed -n '/^Commands:/,/^$/p' | awk 'NF {print $1}' | grep -v Commands:)
missing=$(for c in $cmds; do printf '%s\n' "$man_text" | grep -qE "^\.(B|BI|TP) *$c" || echo "$c"; done)
check "the man page documents every subcommand" [ -z "$missing" ]

version=$("$R1TOP" --version | awk '{print $2}')
check "the man page carries the binary's version ($version)" grep -q "r1top $version" "$MAN"

quick=$(sed -n '/^## Quick start/,/^## /p' "$README")
n_blocks=$(printf '%s\n' "$quick" | grep -c '^```sh')
check "README Quick start has exactly two commands" [ "$n_blocks" -eq 2 ]
second=$(printf '%s\n' "$quick" | awk '/^```sh/ {n++; getline; if (n == 2) print}')
check "the second Quick start command is what .ci/run runs ($second)" \
    grep -qxF -- "$second" "$R1_SRCDIR/.ci/run"
first=$(printf '%s\n' "$quick" | awk '/^```sh/ {n++; getline; if (n == 1) print}')
contains "the first Quick start command ends in the demo" "$first" "r1top --demo"
done_testing
