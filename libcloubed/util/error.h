/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * error.h: setting the thread-local last error (internal).
 */
#ifndef CB_INTERNAL_ERROR_H
#define CB_INTERNAL_ERROR_H

#include <stdarg.h>
#include <sys/types.h>
#include <cloubed/errors.h>

/* Each setter records the error for the calling thread and returns CODE, so
 * that a failing path reads `return err_set(CB_EINVAL, "...")`. The message
 * is made one line: the line breaks of text passed on from elsewhere (QEMU's
 * stderr through libvirt) become ERR_LINE_SEP. */
#define ERR_LINE_SEP " | "
int err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int err_setv(int code, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Configuration error: the message is prefixed with "FILE:LINE:COLUMN: ". */
int err_set_at(int code, const char *file, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int err_set_atv(int code, const char *file, int line, int column, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
int err_oom(void);

/* The fork rule (testbed.h): CB_ESTATE naming both processes when the
 * caller is not OWNER, the process that opened the testbed. One getpid()
 * call, far cheaper than what it guards (libvirt, waits, the HTTP server). */
int pid_check(pid_t owner);

/* Checks a public pointer argument; used as `if (!arg) return ARG_FAIL(arg);`. */
#define ARG_FAIL(arg) err_set(CB_EINVAL, "%s: argument '%s' must not be NULL", __func__, #arg)

/* Rejects flag bits this version does not know, as libvirt's virCheckFlags
 * does: a caller built against newer headers must fail, not be half-served.
 * Used as the first statement of every public call that takes flags. */
#define CHECK_FLAGS(flags, allowed)                                                        \
    do {                                                                                   \
        unsigned int unknown_ = (unsigned int)(flags) & ~(unsigned int)(allowed);          \
        if (unknown_)                                                                      \
            return err_set(CB_EINVAL, "%s: unsupported flags 0x%x", __func__, unknown_);    \
    } while (0)

/* The same for a versioned options struct O (may be NULL: the defaults). */
#define CHECK_OPTS_VERSION(o, max)                                                         \
    do {                                                                                   \
        if ((o) && ((o)->version < 1 || (o)->version > (unsigned int)(max)))               \
            return err_set(CB_EINVAL, "%s: options version %u is not supported (this "      \
                           "library knows versions 1 to %u)", __func__, (o)->version,      \
                           (unsigned int)(max));                                           \
    } while (0)

#endif
