/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * common.h: macros shared by every public header, and the library version.
 */
#ifndef CLOUBED_COMMON_H
#define CLOUBED_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
# define CB_BEGIN_DECLS extern "C" {
# define CB_END_DECLS   }
#else
# define CB_BEGIN_DECLS
# define CB_END_DECLS
#endif

/* Marks a declaration as part of the public ABI. Everything else in the
 * library is built with hidden visibility and kept local by the version
 * script, so forgetting this macro makes a symbol unreachable, never leaky. */
#if defined(__GNUC__)
# define CB_EXTERN(type) extern __attribute__((visibility("default"))) type
#else
# define CB_EXTERN(type) extern type
#endif

#define CB_VERSION_MAJOR 0
#define CB_VERSION_MINOR 4
#define CB_VERSION_PATCH 0
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
