#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# How far compare's verdicts can be trusted on this machine, measured:
#   A/A          every configuration run twice by the same build, as labels A
#                and B side by side, in interleaved rounds (suite --interleave:
#                every other round backwards): the share of benchmarks whose
#                time compare calls changed (its defaults: p < 0.01 and the 95%
#                interval beyond 1%) is the false-positive rate (target <= 5%);
#   sensitivity  a slowdown injected with handler_ns (the busy work each fault
#                handler does) at 0.5, 1, 2 and 5% of a round, base and
#                contender interleaved in one run of about 60 s (20 rounds):
#                the smallest that compare finds slower at p < 0.05 is printed
#                (target: 2%);
#                the larger ones are not run once one is found.
# Run it on a quiet machine after building the release preset:
#   ./scripts/trust.sh [OUTDIR]        (default: a new directory under /tmp)
set -eu
cd "$(dirname "$0")/.."
B=${FAULTBENCH:-./build/release/runners/faultbench}
[ -x "$B" ] || { echo "trust.sh: $B is not built (cmake --build build/release)" >&2; exit 2; }
out=${1:-$(mktemp -d /tmp/faultbench-trust.XXXXXX)}
mkdir -p "$out"

# --- A/A --------------------------------------------------------------------
# Each line twice, side by side, so that a round runs A and B back to back.
{
	echo "defaults --threads 1,2 --duration 0.2 --warmup 0.05 --repetitions 2"
	for line in "same-addr" "same-addr handler=anon" "same-addr handler=fault" \
		"same-addr recheck=none" "same-addr handler_ns=1000" "lock-floor" "floor op=cycle" \
		"disjoint" "same-table" "dispatch handler=nopage"; do
		echo "$line --label A"
		echo "$line --label B"
	done
} >"$out/aa.suite"
start=$(date +%s)
"$B" suite "$out/aa.suite" --out "$out" --interleave 8 --quiet >/dev/null
aa_secs=$(($(date +%s) - start))
"$B" compare "$out/aa.json" --pair label=A:B --format json >"$out/aa-compare.json"
"$B" compare "$out/aa.json" --pair label=A:B >"$out/aa-compare.txt"
python3 - "$out/aa-compare.json" "$aa_secs" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
times = [m for b in d["benchmarks"] for m in b["metrics"] if m["kind"] == "time"]
changed = [m for m in times if m["verdict"] != "no change"]
rounds = sorted({m["rounds"] for m in times})
print(f"A/A: {len(changed)} of {len(times)} benchmarks called changed, a false-positive rate "
      f"of {100 * len(changed) / len(times):.1f}% (target <= 5%); rounds paired: {rounds}; "
      f"{sys.argv[2]} s")
for m in changed:
    print(f"  {m['text']}, p = {m['p']:.3g}")
PY

# --- sensitivity --------------------------------------------------------------
# The base's round, measured, sets how many ns each percentage is.
base=1000
printf 'same-addr handler_ns=%d --threads 1 --duration 0.3 --warmup 0.1 --repetitions 4\n' \
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
	# 2 sides x 20 rounds x 2 repetitions of 0.3 s and a warmup, each beside its
	# floor (same-addr runs lock-floor interleaved): about 60 s.  Short runs in
	# many rounds keep the two sides of a round close in time.
	cat >"$dir/s.suite" <<SUITE
defaults --threads 1 --duration 0.3 --warmup 0.1 --repetitions 2
same-addr handler_ns=$base
same-addr handler_ns=$((base + extra))
SUITE
	start=$(date +%s)
	"$B" suite "$dir/s.suite" --out "$dir" --interleave 20 --quiet >/dev/null
	secs=$(($(date +%s) - start))
	"$B" compare "$dir/s.json" --pair handler_ns=$base:$((base + extra)) --alpha 0.05 \
		--threshold 0 --format json >"$dir/compare.json"
	found=$(python3 - "$dir/compare.json" "$pct" "$extra" "$secs" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
m = [m for b in d["benchmarks"] for m in b["metrics"] if m["kind"] == "time"][0]
share = 100 * float(sys.argv[3]) / m["base"]["median"]
print(f"  +{sys.argv[2]}% (handler_ns +{sys.argv[3]}, {share:.2f}% of this run's base round): "
      f"{m['text']}, p = {m['p']:.3g}, {m['rounds']} rounds in {sys.argv[4]} s",
      file=sys.stderr)
print("yes" if m["verdict"] == "slower" and m["p"] < 0.05 else "no")
PY
	)
	if [ "$found" = yes ]; then
		smallest=$pct%
		break # the larger ones take another minute each, and are found as well
	fi
done
echo "sensitivity: the smallest injected slowdown found slower (p < 0.05) in about 60 s:" \
	"$smallest (target: 2%)"
echo "files: $out"
