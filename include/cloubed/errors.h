/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * errors.h: return codes and the thread-local last error.
 *
 * Every call that can fail returns 0 (or a count, or a non-NULL pointer) on
 * success and a negative CB_E* code (or NULL) on failure. On failure the
 * calling thread's last error describes what happened; on success it is left
 * as it was, so read it right after the failing call.
 */
#ifndef CLOUBED_ERRORS_H
#define CLOUBED_ERRORS_H

#include <cloubed/common.h>

CB_BEGIN_DECLS

/** Return codes. New codes are only ever appended. */
typedef enum cb_error_code {
    CB_OK = 0,            /**< success */
    CB_ERROR = -1,        /**< unclassified failure */
    CB_EINVAL = -2,       /**< invalid argument passed by the caller */
    CB_ENOMEM = -3,       /**< out of memory */
    CB_ECONFIG = -4,      /**< the testbed file is invalid (file/line/column set) */
    CB_ENOTFOUND = -5,    /**< no resource of that name */
    CB_EIO = -6,          /**< reading or writing a file failed */
    CB_ELIBVIRT = -7,     /**< libvirt failed; the message keeps libvirt's text */
    CB_ETIMEOUT = -8,     /**< a wait ran out of time */
    CB_EUNSUPPORTED = -9, /**< not supported by this build, host or guest */
    CB_ECONFLICT = -10,   /**< clashes with an existing object (subnet, port) */
    CB_ESTATE = -11,      /**< not possible in the object's current state */
} cb_error_code;

/**
 * cb_error:
 *
 * Describes the last failure of the calling thread.
 *
 * @code:    the negative CB_E* code that was returned.
 * @message: one line, never NULL. For configuration errors it starts with
 *           "FILE:LINE:COLUMN: " so it can be printed as it is. Text passed
 *           on from elsewhere that spans lines (QEMU's stderr, which libvirt
 *           reports) has its lines joined by " | ".
 * @file:    the testbed file the error is about, or NULL.
 * @line:    1-based line in @file, or 0 when unknown.
 * @column:  1-based column in @file, or 0 when unknown.
 */
typedef struct cb_error {
    int code;
    const char *message;
    const char *file;
    int line;
    int column;
} cb_error;

/**
 * cb_error_last:
 *
 * Returns the calling thread's last error. When no call has failed in this
 * thread yet, returns an error with code CB_OK and message "no error".
 *
 * Ownership: the object belongs to the library and stays valid until the
 * next libcloubed call in the same thread fails or cb_error_clear() is called;
 * copy what you need to keep.
 * Errors: none. Thread-safety: each thread has its own last error.
 */
CB_EXTERN(const cb_error *) cb_error_last(void);

/**
 * cb_error_clear:
 *
 * Resets the calling thread's last error to CB_OK / "no error".
 * Thread-safety: affects the calling thread only.
 */
CB_EXTERN(void) cb_error_clear(void);

/**
 * cb_error_code_name:
 * @code: a code returned by a libcloubed call (CB_OK or a negative CB_E*).
 *
 * Returns the symbolic name of a code ("CB_ETIMEOUT"), or "CB_E?" for a
 * code this version does not know.
 *
 * Ownership: static string. Thread-safety: safe from any thread.
 */
CB_EXTERN(const char *) cb_error_code_name(int code);

CB_END_DECLS

#endif /* CLOUBED_ERRORS_H */
