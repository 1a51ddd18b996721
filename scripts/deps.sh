#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs what faultbench builds and runs with, on Debian 12 (as root).
set -eu
PKGS="build-essential cmake ninja-build pkg-config git
      libpfm4-dev libhwloc-dev libjemalloc-dev libjansson-dev libcmocka-dev gnuplot-nox
      valgrind python3"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
	exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
