#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs the dependencies, builds with warnings as errors and runs every test.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake --preset release -G Ninja -DFAULTBENCH_WERROR=ON
cmake --build build/release
ctest --preset release --output-on-failure "$@"
