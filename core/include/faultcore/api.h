/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every public header wraps its declarations in.
 *
 * FC_BEGIN_DECLS / FC_END_DECLS give C++ callers C linkage, and mark what
 * lies between them as the library's interface.  libfaultcore is built with
 * -fvisibility=hidden: the kernel names it uses inside (clear_page,
 * copy_page, do_wp_page, ...) are hidden in the shared library and local in
 * the static one, so a program that links it may define those names itself.
 * Only what the public headers declare is exported, under its kernel name.
 */
#ifndef FAULTCORE_API_H
#define FAULTCORE_API_H

#ifdef __cplusplus
#define FC_BEGIN_DECLS \
	extern "C" {   \
	_Pragma("GCC visibility push(default)")
#define FC_END_DECLS                  \
	_Pragma("GCC visibility pop") \
	}
/* C++ thread_local would reach an extern variable through a wrapper call. */
#define FC_THREAD_LOCAL __thread
#else
#define FC_BEGIN_DECLS _Pragma("GCC visibility push(default)")
#define FC_END_DECLS _Pragma("GCC visibility pop")
#define FC_THREAD_LOCAL _Thread_local
#endif

#endif
