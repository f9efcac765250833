# tests/lib.sh: TAP helpers for the shell tests (integration and UI). Source it, call plan N,
# then ok/fail/check, and finish with done_testing. Automake's TAP driver counts each line.
# Environment from the harness: R1TOP (the binary), R1_SRCDIR, R1_SHARED.
: "${R1TOP:=$(pwd)/r1top}"
: "${R1_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${R1_SHARED:=$R1_SRCDIR/../shared}"
export R1TOP R1_SRCDIR R1_SHARED
_tap_n=0
_tap_failed=0
plan() { echo "1..$1"; }
ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
fail() { _tap_n=$((_tap_n + 1)); _tap_failed=$((_tap_failed + 1)); echo "not ok $_tap_n - $*"; }
# check "description" command...: ok if the command succeeds.
check() { _d=$1; shift; if "$@"; then ok "$_d"; else fail "$_d"; fi; }
# contains "description" "haystack" "needle"
contains() {
    case "$2" in *"$3"*) ok "$1" ;; *) fail "$1"; echo "# expected to find: $3" ;; esac
}
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
tmpdir() { mktemp -d "${TMPDIR:-/tmp}/r1top-test.XXXXXX"; }
done_testing() { [ "$_tap_failed" -eq 0 ]; }
