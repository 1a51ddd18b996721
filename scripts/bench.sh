#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs the dependencies, builds the release preset and runs the default
# benchmarks: the core benchmark, then the default suite with its plots.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake --preset release -G Ninja
cmake --build build/release
./build/release/core/bench/faultcore-bench
