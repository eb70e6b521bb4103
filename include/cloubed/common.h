/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * common.h: macros shared by every public header, and the library version.
 *
 * Every other public header includes this one. CB_VERSION and its three
 * parts tell which headers a program was built against; cb_version() tells
 * which library it runs with.
 */
#ifndef CLOUBED_COMMON_H
#define CLOUBED_COMMON_H

#include <stddef.h>

/**
 * CB_BEGIN_DECLS:
 *
 * Opens the declarations of a public header: `extern "C" {` when the header
 * is compiled as C++, so that C++ programs link against the C symbols;
 * nothing in C. Closed by CB_END_DECLS.
 */
/**
 * CB_END_DECLS:
 *
 * Closes what CB_BEGIN_DECLS opened: `}` in C++, nothing in C.
 */
#ifdef __cplusplus
# define CB_BEGIN_DECLS extern "C" {
# define CB_END_DECLS   }
#else
# define CB_BEGIN_DECLS
# define CB_END_DECLS
#endif

/**
 * CB_EXTERN:
 * @type: the return type of the function declared after it, such as `int`
 *        or `const char *`.
 *
 * Marks a declaration as part of the public ABI: `extern` with default
 * visibility under GCC and Clang, plain `extern` elsewhere. Everything else
 * in the library is built with hidden visibility and kept local by the
 * version script, so forgetting this macro makes a symbol unreachable, never
 * leaky.
 */
#if defined(__GNUC__)
# define CB_EXTERN(type) extern __attribute__((visibility("default"))) type
#else
# define CB_EXTERN(type) extern type
#endif

/**
 * CB_VERSION_MAJOR:
 *
 * The major version of these headers: the first number of CB_VERSION, as an
 * integer constant for preprocessor tests.
 */
#define CB_VERSION_MAJOR 0
/**
 * CB_VERSION_MINOR:
 *
 * The minor version of these headers: the second number of CB_VERSION, as an
 * integer constant.
 */
#define CB_VERSION_MINOR 4
/**
 * CB_VERSION_PATCH:
 *
 * The patch version of these headers: the third number of CB_VERSION, as an
 * integer constant.
 */
#define CB_VERSION_PATCH 0
/**
 * CB_VERSION:
 *
 * The version of these headers as a string literal, "MAJOR.MINOR.PATCH"
 * (CB_VERSION_MAJOR, CB_VERSION_MINOR and CB_VERSION_PATCH): the version a
 * program was built against. Compare it with cb_version(), the version of
 * the library loaded at run time.
 */
#define CB_VERSION "0.4.0"

CB_BEGIN_DECLS

/**
 * cb_version:
 *
 * Returns the version of the library actually loaded at run time, as
 * "MAJOR.MINOR.PATCH"; compare it with CB_VERSION to detect a program built
 * against other headers.
 *
 * Ownership: the string is static; do not free it.
 * Errors: none. Thread-safety: safe from any thread.
 */
CB_EXTERN(const char *) cb_version(void);

CB_END_DECLS

#endif /* CLOUBED_COMMON_H */
