#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs the dependencies, builds the release preset and runs the default
# benchmarks: bench.suite (the figures faultbench and its core are held to,
# each target printed met or missed), then the default suite; both result
# files land under results/runs/ (or --out DIR), and the default suite's
# figures beside it.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake --preset release -G Ninja
cmake --build build/release
./build/release/runners/faultbench env
# The suite's result file lands in its --out DIR, or under results/runs/;
# plot draws the newest result file there, beside it in a plots/ directory:
# the standard figures (ns_per_UNIT, ratio_to_floor, scaling_per_UNIT,
# race_per_UNIT, pgoff_per_UNIT, ...) the result has data for.
out=results/runs
prev=
for arg in "$@"; do
	[ "$prev" = --out ] && out=$arg
	case $arg in --out=*) out=${arg#--out=} ;; esac
	prev=$arg
done
./build/release/runners/faultbench suite scenarios/suites/bench.suite "$@"
./build/release/runners/faultbench suite scenarios/suites/default.suite "$@"
./build/release/runners/faultbench plot "$out"
