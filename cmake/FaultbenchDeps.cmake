# SPDX-License-Identifier: GPL-2.0-only
# Required libraries. A missing one stops the configure step with the
# Debian package that provides it.
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
	message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config")
endif()

function(faultbench_require_pc name module debpkg)
	pkg_check_modules(${name} QUIET IMPORTED_TARGET ${module})
	if(NOT ${name}_FOUND)
		message(FATAL_ERROR "${module} not found: apt-get install ${debpkg}")
	endif()
endfunction()

faultbench_require_pc(HWLOC hwloc libhwloc-dev)
faultbench_require_pc(JANSSON jansson libjansson-dev)
if(FAULTBENCH_JEMALLOC)
	faultbench_require_pc(FAULTCORE_JEMALLOC jemalloc libjemalloc-dev)
endif()

find_package(Pfm QUIET)
if(NOT Pfm_FOUND)
	message(FATAL_ERROR "libpfm4 not found: apt-get install libpfm4-dev")
endif()

find_package(Threads REQUIRED)

# The client requests that mark the region callgrind counts (--measure).
include(CheckIncludeFile)
check_include_file(valgrind/callgrind.h FB_HAVE_CALLGRIND_H)
if(NOT FB_HAVE_CALLGRIND_H)
	message(FATAL_ERROR "valgrind/callgrind.h not found: apt-get install valgrind")
endif()

if(BUILD_TESTING OR NOT DEFINED BUILD_TESTING)
	pkg_check_modules(CMOCKA QUIET IMPORTED_TARGET cmocka)
endif()
