#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs the dependencies, builds the release preset and runs the default
# benchmarks: the core benchmark (single-thread costs and the core's targets),
# then the default suite, whose result file lands under results/runs/, and
# its figures.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake --preset release -G Ninja
cmake --build build/release
./build/release/core/faultcore-bench
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
./build/release/runners/faultbench suite scenarios/suites/default.suite "$@"
./build/release/runners/faultbench plot "$out"
