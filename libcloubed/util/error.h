/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * error.h: setting the thread-local last error (internal).
 */
#ifndef CB_INTERNAL_ERROR_H
#define CB_INTERNAL_ERROR_H

#include <stdarg.h>
#include <cloubed/errors.h>

/* Each setter records the error for the calling thread and returns CODE, so
 * that a failing path reads `return err_set(CB_EINVAL, "...")`. */
int err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int err_setv(int code, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Configuration error: the message is prefixed with "FILE:LINE:COLUMN: ". */
int err_set_at(int code, const char *file, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int err_set_atv(int code, const char *file, int line, int column, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
int err_oom(void);

/* Checks a public pointer argument; used as `if (!arg) return ARG_FAIL(arg);`. */
#define ARG_FAIL(arg) err_set(CB_EINVAL, "%s: argument '%s' must not be NULL", __func__, #arg)

#endif
