#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs the dependencies, builds the release preset and runs the default
# benchmarks: the core benchmark (single-thread costs and the core's targets),
# then the default suite, whose result file lands under results/runs/.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake --preset release -G Ninja
cmake --build build/release
./build/release/core/faultcore-bench
./build/release/runners/faultbench env
./build/release/runners/faultbench suite scenarios/suites/default.suite "$@"
