# SPDX-License-Identifier: GPL-2.0-only
# Writes the commit, branch and dirty flag of the source tree into a header,
# at every build, touching it only when they change.
execute_process(COMMAND git -C ${SRC} rev-parse HEAD OUTPUT_VARIABLE commit
	OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git -C ${SRC} rev-parse --abbrev-ref HEAD OUTPUT_VARIABLE branch
	OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git -C ${SRC} status --porcelain --untracked-files=no
	OUTPUT_VARIABLE status OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT commit)
	set(commit "unknown")
	set(branch "unknown")
endif()
if(status)
	set(dirty true)
else()
	set(dirty false)
endif()
set(text "#define FB_GIT_COMMIT \"${commit}\"\n#define FB_GIT_BRANCH \"${branch}\"\n#define FB_GIT_DIRTY ${dirty}\n")
if(EXISTS ${OUT})
	file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
	file(WRITE ${OUT} "${text}")
endif()
