#!/bin/sh
# gpu_nvml.sh: r1top's dlopen'd NVML backend on a machine without an NVIDIA GPU, against a fake
# libnvidia-ml.so.1 (tests/fake_nvml/fake_nvml.c) put first on LD_LIBRARY_PATH. Checks the
# figures and their units end to end (--once --json, --once text, the GPU pane in tmux), that
# no GPU is not an error, that a failing nvmlInit or a missing library falls back to the node's
# history file, and that a hostile GPU name never reaches the output raw.
. "$R1_SRCDIR/tests/lib.sh"

CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || skip_all "no C compiler ($CC) to build the fake NVML"
PY=$(command -v python3) || skip_all "python3 is needed to read the JSON"
[ -x "$R1TOP" ] || skip_all "no r1top binary at $R1TOP"

T=$(tmpdir)
# tm: a private tmux server; `tm kill-server` also ends what ran in its panes
. "$R1_SRCDIR/tests/ui/tmuxlib.sh"
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

plan 39

# A local node: its status folder is a file:// URL, which is what makes NVML (this host's GPUs)
# the right backend for it. No oracle, so every source is local and --once exits 0.
mkdir -p "$T/_data/box_configuration/streams"
cp "$R1_SRCDIR/tests/data/node_files/local_info.json" \
    "$R1_SRCDIR/tests/data/node_files/local_history.json" "$T/_data/"
cat >"$T/r1top.yaml" <<EOF
network: mainnet
oracle:
  enabled: false
nodes:
  - name: gpu-box
    status: file://$T/_data/
EOF

if "$CC" -std=c11 -Wall -Wextra -shared -fPIC -o "$T/libnvidia-ml.so.1" \
    "$R1_SRCDIR/tests/fake_nvml/fake_nvml.c" 2>"$T/cc.err"; then
    ok "the fake libnvidia-ml.so.1 builds"
else
    diag "$(cat "$T/cc.err")"
    echo "Bail out! cannot build the fake NVML library"
    exit 1
fi

# once OUT [ENV=VALUE...]: r1top --once --json with the fake first on the library path (and
# the given environment) -> OUT (stdout), OUT.err, $RC. A crash shows as RC >= 128.
once() {
    _out=$1; shift
    env LD_LIBRARY_PATH="$T" FAKE_NVML_TRACE="$_out.trace" "$@" \
        timeout 30 "$R1TOP" --once --json -c "$T/r1top.yaml" >"$_out" 2>"$_out.err"
    RC=$?
    [ "$RC" -eq 0 ] || diag "r1top --once exited $RC" "$(head -c 1000 "$_out.err")"
}

# jcheck "desc" FILE 'expr': a Python expression over the document d; n = the first node,
# g = its "gpus" block, L = g's list; gib(v, x): v is x GiB in bytes (to 1 MiB); clean(s): s has
# no control character (C0, DEL, C1), so not even a JSON-escaped one.
jeval() {
    "$PY" - "$@" <<'PYEOF'
import json, sys
path, expr = sys.argv[1], sys.argv[2]
try:
    with open(path, "rb") as fh:
        d = json.loads(fh.read().decode("utf-8"))
    n = d["nodes"][0]
    g = n["gpus"]
    L = g["list"]
    gib = lambda v, x: abs(v - x * 2**30) < 2**20
    clean = lambda s: all(ord(c) >= 0x20 and not 0x7f <= ord(c) <= 0x9f for c in s)
    r = eval(expr)
except Exception as e:
    print("# %s: %s" % (type(e).__name__, e))
    sys.exit(1)
if not r:
    print("# false: %s" % expr)
    print("# gpus = %s" % json.dumps(g)[:600])
    sys.exit(1)
PYEOF
}
jcheck() {
    _d=$1; shift
    if _msg=$(jeval "$@"); then ok "$_d"; else fail "$_d"; [ -n "$_msg" ] && echo "$_msg"; fi
}
# count_calls FILE NAME: how many times the fake saw NAME called
count_calls() { grep -c "^$2\$" "$1" 2>/dev/null || true; }
# has_ctl FILE: FILE holds a raw ESC or BEL byte
has_ctl() {
    "$PY" -c 'import sys; b = open(sys.argv[1], "rb").read()
sys.exit(0 if b"\x1b" in b or b"\x07" in b else 1)' "$1"
}
# matches STRING PATTERN: a shell glob over the whole string
matches() { case "$1" in $2) return 0 ;; esac; return 1; }

# ---- two GPUs through NVML --------------------------------------------------------------------
O=$T/nvml.json
once "$O"
check "--once with the fake NVML exits 0 (rc=$RC)" [ "$RC" -eq 0 ]
jcheck "a local node's GPUs come from NVML (backend \"nvml\")" "$O" 'g["backend"] == "nvml"'
jcheck "both fake GPUs are listed, indexed 0 and 1" "$O" '[e["index"] for e in L] == [0, 1]'
jcheck "GPU names are NVML's, exactly" "$O" \
    '[e["name"] for e in L] == ["NVIDIA A100-SXM4-80GB", "NVIDIA GeForce RTX 4090"]'
jcheck "util_pct is nvmlUtilization_t.gpu (37, 88)" "$O" '[e["util_pct"] for e in L] == [37, 88]'
# the first card's figures exceed 2^32 bytes and its used memory is no whole KiB: a 32-bit
# truncation or a unit conversion anywhere on the way would change them
jcheck "mem_used_bytes is nvmlMemory_t.used in bytes, exactly" "$O" \
    '[e["mem_used_bytes"] for e in L] == [12345678901, 3145728000]'
jcheck "mem_total_bytes is nvmlMemory_t.total in bytes, exactly" "$O" \
    '[e["mem_total_bytes"] for e in L] == [85899345920, 25757220864]'
jcheck "temp_c is the GPU sensor's reading (64, 71)" "$O" '[e["temp_c"] for e in L] == [64, 71]'
jcheck "power_mw is NVML's milliwatts, not watts (212345, 349500)" "$O" \
    '[e["power_mw"] for e in L] == [212345, 349500]'
jcheck "the gpus block says nvml, fresh, no error" "$O" \
    'g["source"] == "nvml" and g["error"] is None and 0 <= g["age_s"] < 30'
jcheck "sources.gpu is ok and the whole snapshot is ok" "$O" \
    'n["sources"]["gpu"]["ok"] is True and d["ok"] is True'
check "nvmlInit_v2 was called once" [ "$(count_calls "$O.trace" nvmlInit_v2)" -eq 1 ]

out=$(env LD_LIBRARY_PATH="$T" timeout 30 "$R1TOP" --once -c "$T/r1top.yaml" 2>&1)
contains "the text snapshot lists the first GPU by name" "$out" "NVIDIA A100-SXM4-80GB"
contains "the text snapshot lists the second GPU by name" "$out" "NVIDIA GeForce RTX 4090"

O=$T/eight.json
once "$O" FAKE_NVML_GPUS=8
jcheck "eight NVML GPUs are all listed" "$O" \
    '[e["index"] for e in L] == list(range(8)) and L[7]["name"] == "Fake GPU 7"'

# ---- no GPU: NVML answers with a count of 0 -------------------------------------------------
O=$T/zero.json
once "$O" FAKE_NVML_GPUS=0
check "FAKE_NVML_GPUS=0: --once exits 0 (rc=$RC)" [ "$RC" -eq 0 ]
jcheck "no GPU is an empty list from nvml, not an error" "$O" \
    'g["backend"] == "nvml" and L == [] and g["error"] is None and d["ok"] is True'
check "no GPU: the gpu source still ran, so sources.gpu is present and ok" \
    jeval "$O" '"gpu" in n["sources"] and n["sources"]["gpu"]["ok"] is True'

# ---- nvmlInit fails: fall back to the node's history file -----------------------------------
O=$T/failinit.json
once "$O" FAKE_NVML_FAIL_INIT=1
check "FAKE_NVML_FAIL_INIT=1: no crash, --once exits 0 (rc=$RC)" [ "$RC" -eq 0 ]
jcheck "a failing nvmlInit falls back to the node-history backend" "$O" \
    'g["backend"] == "node-history" and g["source"].endswith("local_history.json")'
# local_history.json's last GPU points: load 40 %, 62 C, 3.6 of 23.6 GB (GiB in r1top's reading)
jcheck "the fallback lists the history file's first GPU" "$O" \
    'len(L) == 1 and L[0]["util_pct"] == 40 and L[0]["temp_c"] == 62'
jcheck "the fallback's memory is the history's GB in bytes" "$O" \
    'gib(L[0]["mem_used_bytes"], 3.6) and gib(L[0]["mem_total_bytes"], 23.6)'
jcheck "the history file has no GPU name or power: null, not made up" "$O" \
    'L[0]["name"] is None and L[0]["power_mw"] is None'
check "nvmlInit_v2 was tried once" [ "$(count_calls "$O.trace" nvmlInit_v2)" -eq 1 ]
check "no GPU query follows a failed nvmlInit" \
    [ "$(count_calls "$O.trace" nvmlDeviceGetCount_v2)" -eq 0 ]

# ---- a hostile GPU name ---------------------------------------------------------------------
# SGR colour, an OSC window-title sequence ended by BEL: neither may reach a terminal.
EVIL=$(printf 'Evil \033[31mRed\033]0;pwned\007 GPU')
O=$T/evil.json
once "$O" FAKE_NVML_NAME="$EVIL"
if has_ctl "$O"; then fail "an escape code in the GPU name: no ESC or BEL byte in the JSON"
else ok "an escape code in the GPU name: no ESC or BEL byte in the JSON"; fi
jcheck "the sanitised name keeps its text and no control character, even JSON-escaped" "$O" \
    'L[0]["name"].startswith("Evil") and L[0]["name"].endswith("GPU") and clean(L[0]["name"])'
jcheck "the OSC title text inside the name is dropped with its sequence" "$O" \
    '"pwned" not in L[0]["name"]'
env LD_LIBRARY_PATH="$T" FAKE_NVML_NAME="$EVIL" timeout 30 "$R1TOP" --once -c "$T/r1top.yaml" \
    >"$T/evil.txt" 2>&1
if has_ctl "$T/evil.txt"; then fail "an escape code in the GPU name: none in the text snapshot"
else ok "an escape code in the GPU name: none in the text snapshot"; fi

# ---- no NVML library at all -----------------------------------------------------------------
O=$T/none.json
(unset LD_LIBRARY_PATH; timeout 30 "$R1TOP" --once --json -c "$T/r1top.yaml" >"$O" 2>"$O.err")
RC=$?
check "without libnvidia-ml.so.1: --once exits 0 (rc=$RC)" [ "$RC" -eq 0 ]
if ldconfig -p 2>/dev/null | grep -q 'libnvidia-ml\.so\.1'; then
    ok "without the fake: backend node-history # SKIP this host has a real NVIDIA driver"
else
    jcheck "without the fake and no driver: backend node-history" "$O" \
        'g["backend"] == "node-history" and len(L) == 1'
fi

# ---- the GPU pane, interactive, in tmux -----------------------------------------------------
if ! command -v tmux >/dev/null 2>&1; then
    for what in "GPU pane title" "first GPU" "second GPU" "temperatures" "power" "quits" \
        "shutdown"; do
        ok "GPU pane: $what # SKIP tmux is not installed"
    done
    done_testing
    exit $?
fi
export LC_ALL=C.UTF-8   # the tmux server runs in UTF-8 so captures come back intact
TERMNAME=tmux-256color
infocmp "$TERMNAME" >/dev/null 2>&1 || TERMNAME=screen-256color
tm new-session -d -x 100 -y 30 \
    "env LD_LIBRARY_PATH='$T' FAKE_NVML_TRACE='$T/ui.trace' TERM=$TERMNAME LANG=C.UTF-8 \
     '$R1TOP' -c '$T/r1top.yaml'"

# gpu_pane: the text inside the box whose title starts "GPU" (its borders cut off), so a name
# found there is in the GPU pane and not elsewhere on the screen.
gpu_pane() {
    tm capture-pane -p 2>/dev/null | "$PY" -c '
import sys
rows = sys.stdin.read().split("\n")
for y, line in enumerate(rows):
    x = line.find("\u2500 GPU")
    if x < 0:
        continue
    left = line.rfind("\u250c", 0, x)
    right = line.find("\u2510", x)
    print(line[left:right + 1])
    for below in rows[y + 1:]:
        if below[left:left + 1] != "\u2502":
            break
        print(below[left + 1:right])
    break
'
}
PANE=""
i=0
while [ $i -lt 50 ]; do
    PANE=$(gpu_pane)
    case "$PANE" in *"RTX 4090"*) break ;; esac
    sleep 0.2
    i=$((i + 1))
done
[ -n "$PANE" ] || diag "no GPU pane on screen:" "$(tm capture-pane -p 2>/dev/null)"
contains "GPU pane: the title names the nvml backend" "$PANE" "GPU · nvml"
# A narrow pane drops the vendor word before cutting the model (pane_gpu.c gpu_fit_name)
contains "GPU pane: the first fake GPU by name" "$PANE" "A100-SXM4-80GB"
contains "GPU pane: the second fake GPU by name" "$PANE" "GeForce RTX 4090"
check "GPU pane: both temperatures in °C" matches "$PANE" '*64°C*71°C*'
check "GPU pane: power in watts from NVML's mW (212345 mW -> 212 W)" matches "$PANE" '*212 W*'

[ -n "$PANE" ] && diag "GPU pane:" "$PANE"

tm send-keys q
i=0
while [ $i -lt 25 ] && tm has-session 2>/dev/null; do sleep 0.2; i=$((i + 1)); done
session_gone() { ! tm has-session 2>/dev/null; }
check "q quits r1top (the session ends)" session_gone
check "r1top calls nvmlShutdown once it is done with NVML" \
    [ "$(count_calls "$T/ui.trace" nvmlShutdown)" -ge 1 ]
done_testing
