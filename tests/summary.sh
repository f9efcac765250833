#!/bin/sh
# tests/summary.sh DIR...: count every test case the automake TAP harness recorded in DIR's
# .trs files, print the log of each failed one (CI shows only stdout), and end with the line
# CI reads: "N passed, N failed". Exit 1 if anything failed.
passed=0
failed=0
skipped=0
for dir in "$@"; do
    [ -d "$dir" ] || continue
    for trs in $(find "$dir" -name '*.trs' | sort); do
        p=$(grep -c '^:test-result: PASS' "$trs")
        f=$(grep -c -E '^:test-result: (FAIL|ERROR|XPASS)' "$trs")
        s=$(grep -c '^:test-result: SKIP' "$trs")
        passed=$((passed + p))
        failed=$((failed + f))
        skipped=$((skipped + s))
        if [ "$f" -gt 0 ]; then
            log=${trs%.trs}.log
            echo "==== FAILED: $log"
            tail -n 80 "$log"
            echo "===="
        fi
    done
done
echo "(skipped: $skipped)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
