#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# How far compare's verdicts can be trusted on this machine, measured:
#   A/A          the same build run twice: the share of benchmarks whose time
#                compare calls changed (its defaults: p < 0.01 and the 95%
#                interval beyond 1%) is the false-positive rate (target <= 5%);
#   sensitivity  a slowdown injected with handler_ns (the busy work each fault
#                handler does) at 0.5, 1, 2 and 5% of a round, 60 s of run
#                time each, base and contender in one file: the smallest that
#                compare finds slower at p < 0.05 is printed (target: 2%); the
#                larger ones are not run once one is found.
# Run it on a quiet machine after building the release preset:
#   ./scripts/trust.sh [OUTDIR]        (default: a new directory under /tmp)
set -eu
cd "$(dirname "$0")/.."
B=${FAULTBENCH:-./build/release/runners/faultbench}
[ -x "$B" ] || { echo "trust.sh: $B is not built (cmake --build build/release)" >&2; exit 2; }
out=${1:-$(mktemp -d /tmp/faultbench-trust.XXXXXX)}
mkdir -p "$out"

# --- A/A --------------------------------------------------------------------
cat >"$out/aa.suite" <<'EOF'
defaults --threads 1,2 --duration 0.3 --warmup 0.1 --repetitions 7
same-addr
same-addr handler=anon
same-addr handler=fault
same-addr recheck=none
same-addr handler_ns=1000
lock-floor
floor op=cycle
disjoint
same-table
dispatch handler=nopage
EOF
mkdir -p "$out/a1" "$out/a2"
"$B" suite "$out/aa.suite" --out "$out/a1" --quiet >/dev/null
"$B" suite "$out/aa.suite" --out "$out/a2" --quiet >/dev/null
"$B" compare "$out/a1/aa.json" "$out/a2/aa.json" --format json >"$out/aa-compare.json"
"$B" compare "$out/a1/aa.json" "$out/a2/aa.json" >"$out/aa-compare.txt"
python3 - "$out/aa-compare.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
times = [m for b in d["benchmarks"] for m in b["metrics"] if m["kind"] == "time"]
changed = [m for m in times if m["verdict"] != "no change"]
print(f"A/A: {len(changed)} of {len(times)} benchmarks called changed, a false-positive rate "
      f"of {100 * len(changed) / len(times):.1f}% (target <= 5%)")
EOF

# --- sensitivity --------------------------------------------------------------
# The base's round, measured, sets how many ns each percentage is.
base=1000
printf 'same-addr handler_ns=%d --threads 1 --duration 0.5 --warmup 0.1 --repetitions 3\n' \
	$base >"$out/pilot.suite"
mkdir -p "$out/pilot"
"$B" suite "$out/pilot.suite" --out "$out/pilot" --quiet >/dev/null
round=$(python3 -c "
import json, statistics, sys
d = json.load(open(sys.argv[1]))
print(statistics.median(b['real_time'] for b in d['benchmarks'] if b['run_type'] == 'iteration'))" \
	"$out/pilot/pilot.json")
smallest="none of 0.5-5%"
for pct in 0.5 1 2 5; do
	extra=$(python3 -c "print(max(1, round($round * $pct / 100)))")
	dir="$out/slow$pct"
	mkdir -p "$dir"
	# 2 sides x 12 repetitions x 2.4 s: 58 s of run time, side by side.
	cat >"$dir/s.suite" <<EOF
defaults --threads 1 --duration 2 --warmup 0.4 --repetitions 12
same-addr handler_ns=$base
same-addr handler_ns=$((base + extra))
EOF
	"$B" suite "$dir/s.suite" --out "$dir" --quiet >/dev/null
	"$B" compare "$dir/s.json" --pair handler_ns=$base:$((base + extra)) --alpha 0.05 \
		--threshold 0 --format json >"$dir/compare.json"
	found=$(python3 - "$dir/compare.json" "$pct" "$extra" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
m = [m for b in d["benchmarks"] for m in b["metrics"] if m["kind"] == "time"][0]
print(f"  +{sys.argv[2]}% (handler_ns +{sys.argv[3]}): {m['text']}, p = {m['p']:.3g}",
      file=sys.stderr)
print("yes" if m["verdict"] == "slower" and m["p"] < 0.05 else "no")
EOF
	)
	if [ "$found" = yes ]; then
		smallest=$pct%
		break # the larger ones take another minute each, and are found as well
	fi
done
echo "sensitivity: the smallest injected slowdown found slower (p < 0.05) in 60 s: $smallest" \
	"(target: 2%)"
echo "files: $out"
