#!/bin/sh
# tests/bench.sh R1TOP [SECONDS]: run `r1top --demo -d 1` and `htop -d 10` (the same 1 s
# refresh) side by side in tmux for SECONDS (default 60) and report the CPU time each used and
# r1top's resident memory. A benchmark, not a test: numbers from a shared machine are noisy,
# so it never fails a build. Targets: r1top's CPU <= htop's, peak RSS < 8 MiB.
R1TOP=${1:?usage: bench.sh path/to/r1top [seconds]}
SECS=${2:-60}
SOCK=r1bench-$$
HZ=$(getconf CLK_TCK)
trap 'tmux -L $SOCK kill-server 2>/dev/null' EXIT INT TERM

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
mem_kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }

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
    tmux -L $SOCK kill-session -t "$name"
    echo "$name $(echo "$t0 $t1 $HZ" | awk '{printf "%.2f", ($2 - $1) / $3}') $rss $hwm"
}

echo "r1top benchmark: ${SECS} s at a 1 s refresh, 120x40 terminal, demo fleet"
r=$(run r1top "exec env TERM=tmux-256color LANG=C.UTF-8 $R1TOP --demo -d 1")
echo "$r" | awk '{printf "  r1top: CPU %s s (%.2f%% of one core), RSS %d KiB, peak RSS %d KiB\n", $2, 100 * $2 / '"$SECS"', $3, $4}'
if command -v htop >/dev/null 2>&1; then
    h=$(run htop "exec env TERM=tmux-256color LANG=C.UTF-8 htop -d 10")
    echo "$h" | awk '{printf "  htop:  CPU %s s (%.2f%% of one core), RSS %d KiB, peak RSS %d KiB\n", $2, 100 * $2 / '"$SECS"', $3, $4}'
    echo "$r $h" | awk '{ if ($2 <= $6) print "  r1top used no more CPU than htop"; else print "  r1top used MORE CPU than htop" }'
else
    echo "  htop: not installed (apt-get install htop) - no comparison"
fi
echo "$r" | awk '{ if ($4 < 8192) print "  peak RSS under 8 MiB"; else print "  peak RSS OVER 8 MiB" }'
