#!/bin/sh
# tests/bench.sh R1TOP [SECONDS]: run `r1top --demo -d 1` and `htop -d 10` (the same 1 s
# refresh) side by side in tmux for SECONDS (default 60) and report the CPU time each used and
# r1top's resident and private memory; then r1top watching fleets of 10, 100 and 1,000 nodes on the
# simulator's oracle, beside htop in the same run. A benchmark, not a test: numbers from a shared
# machine are noisy, so it never fails a build. Targets: r1top's CPU <= htop's (twice htop's at
# 1,000 nodes), private memory < 8 MiB (16 MiB at 1,000 nodes). BENCH_FLEETS="1000" runs only
# the fleets named.
R1TOP=${1:?usage: bench.sh path/to/r1top [seconds]}
SECS=${2:-60}
SOCK=r1bench-$$
HZ=$(getconf CLK_TCK)
trap 'tmux -L $SOCK kill-server 2>/dev/null' EXIT INT TERM

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
mem_kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
# Memory only this process wrote (its heap, stack, relocated data): Private_Dirty. Not the clean
# pages of shared libraries, which count as "private" only while no other process maps them, so
# a private total would depend on what else runs.
private_kib() { awk '/^Private_Dirty:/ {s += $2} END {print s}' "/proc/$1/smaps_rollup"; }

# fleet_config FILE N: N nodes on the running simulator's oracle, known by the sim node's ETH
# address (the oracle answers for it; every node costs the same requests a real one would).
fleet_config() {
    {
        printf 'network: mainnet\noracle:\n  url: %s\n  trusted:\n    - "%s"\n' "$SIM_URL" "$SIM_SIGNER"
        printf 'http:\n  timeout: 10\nnodes:\n'
        i=0
        while [ $i -lt "$2" ]; do
            printf '  - name: node-%04d\n    eth_address: 0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69\n' $i
            i=$((i + 1))
        done
    } >"$1"
}

run() { # name command -> prints "name cpu_s rss_kib hwm_kib"
    name=$1
    shift
    tmux -L $SOCK new-session -d -s "$name" -x 120 -y 40 "$*"
    sleep 2
    pid=$(tmux -L $SOCK list-panes -t "$name" -F '#{pane_pid}')
    # The pane runs the command directly (exec), so the pane pid is the program.
    t0=$(cpu_ticks "$pid")
    sleep "$SECS"
    t1=$(cpu_ticks "$pid")
    rss=$(mem_kib "$pid" VmRSS)
    hwm=$(mem_kib "$pid" VmHWM)
    priv=$(private_kib "$pid")
    tmux -L $SOCK kill-session -t "$name"
    echo "$name $(echo "$t0 $t1 $HZ" | awk '{printf "%.2f", ($2 - $1) / $3}') $rss $hwm $priv"
}

echo "r1top benchmark: ${SECS} s at a 1 s refresh, 120x40 terminal, demo fleet"
r=$(run r1top "exec env TERM=tmux-256color LANG=C.UTF-8 $R1TOP --demo -d 1")
echo "$r" | awk '{printf "  r1top: CPU %s s (%.2f%% of one core), RSS %d KiB, peak RSS %d KiB, private %d KiB\n", $2, 100 * $2 / '"$SECS"', $3, $4, $5}'
if command -v htop >/dev/null 2>&1; then
    h=$(run htop "exec env TERM=tmux-256color LANG=C.UTF-8 htop -d 10")
    echo "$h" | awk '{printf "  htop:  CPU %s s (%.2f%% of one core), RSS %d KiB, peak RSS %d KiB, private %d KiB\n", $2, 100 * $2 / '"$SECS"', $3, $4, $5}'
    echo "$r $h" | awk '{ if ($2 <= $6) print "  r1top used no more CPU than htop"; else print "  r1top used MORE CPU than htop" }'
else
    echo "  htop: not installed (apt-get install htop) - no comparison"
fi
# The real sources: the simulator's oracle over loopback HTTP and its status files, polled
# every 5 s (faster than the defaults, so the transfers show in the figures).
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import cryptography' 2>/dev/null; then
    R1_SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
    . "$R1_SRCDIR/tests/lib.sh"
    . "$R1_SRCDIR/tests/sim/simlib.sh"
    simdir=$(mktemp -d "${TMPDIR:-/tmp}/r1bench.XXXXXX")
    SIM_LIFETIME=$((SECS + 30))
    if sim_start "$simdir"; then
        sim_config "$simdir/r1top.yaml" 3
        printf 'refresh:\n  node_info: 5\n  oracle_epoch: 5\n  oracle_last: 5\n  oracle_range: 5\n' \
            >>"$simdir/r1top.yaml"
        s=$(run r1topsim "exec env TERM=tmux-256color LANG=C.UTF-8 $R1TOP -c $simdir/r1top.yaml -d 1")
        echo "$s" | awk '{printf "  r1top on the simulator (HTTP polls every 5 s): CPU %s s (%.2f%% of one core), RSS %d KiB, private %d KiB\n", $2, 100 * $2 / '"$SECS"', $3, $5}'
        # Fleets: N nodes known by ETH address (the oracle's view only, default intervals),
        # the screen at 1 s, beside htop measured over the same seconds.
        echo "  fleet           r1top CPU      r1top private   htop CPU"
        for N in ${BENCH_FLEETS:-10 100 1000}; do
            fleet_config "$simdir/fleet$N.yaml" "$N"
            f=$(run "fleet$N" "exec env TERM=tmux-256color LANG=C.UTF-8 $R1TOP -c $simdir/fleet$N.yaml -d 1")
            if command -v htop >/dev/null 2>&1; then
                hf=$(run "htop$N" "exec env TERM=tmux-256color LANG=C.UTF-8 htop -d 10")
            else
                hf="htop n/a"
            fi
            # "N  name cpu rss hwm priv  name cpu rss hwm priv" (r1top's run, then htop's)
            echo "$N $f $hf" | awk '{printf "  %5d nodes     %5.2f%% core    %6d KiB      %s\n", $1, 100 * $3 / '"$SECS"', $6, ($8 == "n/a" ? "n/a" : sprintf("%5.2f%% core", 100 * $8 / '"$SECS"'))}'
        done
        sim_stop
    fi
    rm -rf "$simdir"
fi

# The floor: a program that only loads and initialises this machine's libcurl.
base_kib=""
if cc -O2 -o "${TMPDIR:-/tmp}/r1bench-base-$$" "$(dirname "$0")/bench_baseline.c" -lcurl 2>/dev/null; then
    "${TMPDIR:-/tmp}/r1bench-base-$$" &
    bpid=$!
    sleep 1
    base_kib=$(mem_kib "$bpid" VmRSS)
    kill "$bpid" 2>/dev/null
    rm -f "${TMPDIR:-/tmp}/r1bench-base-$$"
    echo "  floor: a program that only initialises libcurl has RSS $base_kib KiB here"
fi
echo "$r" | awk '{ if ($4 < 8192) print "  peak RSS under 8 MiB"; else print "  peak RSS OVER 8 MiB" }'
echo "$r" | awk '{ if ($5 < 8192) print "  private (dirty) memory under 8 MiB"; else print "  private (dirty) memory OVER 8 MiB" }'
