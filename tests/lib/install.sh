#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs the build into a scratch prefix and moves it elsewhere: nothing
# installed may remember where it was built or first installed.  Then every
# public header must compile alone as strict ISO C with only what pkg-config
# gives, and consumer.c must build and run four ways: pkg-config and CMake,
# shared and static (and as C++ when there is a compiler for it).
#
# usage: install.sh SOURCE_DIR BUILD_DIR LIBDIR CC CXX GENERATOR SANITIZE_FLAGS
#
# Flag lists ($san, $strict, pkg-config's output) are split into words on purpose.
# shellcheck disable=SC2086,SC2046

set -eu
src=$1 build=$2 libdir=$3 cc=$4 cxx=$5 generator=$6 san=$7
here=$src/tests/lib
tmp=$(mktemp -d "${TMPDIR:-/tmp}/faultcore-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "install test: $*" >&2
	exit 1
}

cmake --install "$build" --prefix "$tmp/first" >"$tmp/install.log"
mv "$tmp/first" "$tmp/prefix"
prefix=$tmp/prefix
lib=$prefix/$libdir
if grep -rIl -e "$tmp/first" -e "$src" "$prefix"; then
	fail "the files above name the build tree or the first prefix"
fi

# The archive exports what the shared library exports, and nothing hidden.
nm -D --defined-only "$lib/libfaultcore.so" | awk '{ print $3 }' | sort >"$tmp/so.syms"
nm -g --defined-only "$lib/libfaultcore.a" | awk 'NF == 3 { print $3 }' | sort >"$tmp/a.syms"
grep -qx handle_mm_fault "$tmp/so.syms" || fail "libfaultcore.so does not export handle_mm_fault"
cmp -s "$tmp/so.syms" "$tmp/a.syms" || fail "libfaultcore.a and .so export different names"
if readelf -sW "$lib/libfaultcore.a" | awk '$5 != "LOCAL" && $6 == "HIDDEN"' | grep .; then
	fail "libfaultcore.a keeps the hidden names above global"
fi

export PKG_CONFIG_PATH="$lib/pkgconfig"
cflags=$(pkg-config --cflags faultcore)
for h in "$prefix"/include/faultcore/*.h; do
	case ${h##*/} in
	api.h | faultcore.h) ;; # they declare nothing of their own
	*)
		if ! grep -qx FC_BEGIN_DECLS "$h" || ! grep -qx FC_END_DECLS "$h"; then
			fail "faultcore/${h##*/} does not wrap its declarations in FC_BEGIN_DECLS"
		fi
		;;
	esac
	printf "#include <faultcore/%s>\nint header_only;\n" "${h##*/}" >"$tmp/header.c"
	$cc -std=c11 -pedantic -Wall -Wextra -Werror $cflags -c "$tmp/header.c" -o /dev/null ||
		fail "faultcore/${h##*/} does not compile alone as ISO C11"
	[ -z "$cxx" ] || $cxx -std=c++11 -pedantic -Wall -Wextra -Werror $cflags -x c++ \
		-c "$tmp/header.c" -o /dev/null || fail "faultcore/${h##*/} does not compile as C++11"
done

# run NAME LINKAGE: runs the consumer, which must link libfaultcore.so or not.
run() {
	"$tmp/$1" || fail "$1 failed"
	if readelf -d "$tmp/$1" | grep -q 'NEEDED.*libfaultcore'; then
		[ "$2" = shared ] || fail "$1 needs libfaultcore.so"
	else
		[ "$2" = static ] || fail "$1 does not use libfaultcore.so"
	fi
}
strict="-std=c11 -pedantic -Wall -Wextra -Werror $san"
rpath="-Wl,-rpath,$(pkg-config --variable=libdir faultcore)"
$cc $strict "$here/consumer.c" $(pkg-config --cflags --libs faultcore) "$rpath" -o "$tmp/pc-shared"
run pc-shared shared
$cc $strict "$here/consumer.c" $(pkg-config --cflags --libs faultcore-static) -o "$tmp/pc-static"
run pc-static static
if [ -n "$cxx" ]; then
	$cxx -std=c++11 -pedantic -Wall -Wextra -Werror $san -x c++ "$here/consumer.c" -x none \
		$(pkg-config --cflags --libs faultcore) "$rpath" -o "$tmp/pc-cxx"
	run pc-cxx shared
fi

cmake -S "$here/consumer" -B "$tmp/cmake" -G "$generator" -DCMAKE_C_COMPILER="$cc" \
	-DCMAKE_C_FLAGS="$san" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/cmake.log" ||
	{ cat "$tmp/cmake.log"; fail "the CMake consumer does not configure"; }
cmake --build "$tmp/cmake" >"$tmp/build.log" ||
	{ cat "$tmp/build.log"; fail "the CMake consumer does not build"; }
cp "$tmp/cmake/consumer_shared" "$tmp/cmake/consumer_static" "$tmp/"
run consumer_shared shared
run consumer_static static
# An installed faultbench writes its default results under the current
# directory, never into the source tree it was built from.
mkdir "$tmp/cwd"
(cd "$tmp/cwd" && "$prefix/bin/faultbench" run empty --duration 0.01 --warmup 0 \
	--repetitions 1 --quiet >"$tmp/run.out" 2>"$tmp/run.err") ||
	{ cat "$tmp/run.err"; fail "the installed faultbench does not run"; }
case $(cat "$tmp/run.out") in
results/runs/*) [ -f "$tmp/cwd/$(cat "$tmp/run.out")" ] || fail "no result under the cwd" ;;
*) fail "the installed faultbench wrote its result to $(cat "$tmp/run.out")" ;;
esac
echo "install test: relocatable; pkg-config and CMake consumers, shared and static, ran;" \
	"faultbench writes under the cwd"
