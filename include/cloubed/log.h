/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * log.h: how the library reports warnings and progress.
 *
 * The library never prints. Whatever a user should see but that is not a
 * failure (a deprecated key, an unknown key, the choice of TCG because KVM is
 * missing, an HTTP access line) goes to the log callback given in
 * cb_testbed_options; without a callback it is dropped.
 */
#ifndef CLOUBED_LOG_H
#define CLOUBED_LOG_H

#include <cloubed/common.h>

CB_BEGIN_DECLS

/** Message levels, ordered by importance. */
typedef enum cb_log_level {
    CB_LOG_DEBUG = 10,   /**< details, for debugging */
    CB_LOG_INFO = 20,    /**< progress: what was created, started, changed or served */
    CB_LOG_WARNING = 30, /**< what a user should see (a deprecated key, the choice of TCG) */
} cb_log_level;

/**
 * cb_log_cb:
 * @level:   importance of the message.
 * @message: one line without a trailing newline; configuration warnings
 *           start with "FILE:LINE:COLUMN: ". Valid only during the call.
 * @payload: the log_payload given in the options.
 *
 * Called synchronously from the thread that caused the message (for the
 * HTTP server and the event loop, from the library's own threads), so it
 * must be thread-safe if the testbed is used from several threads. It must
 * not call back into the testbed that logs.
 */
typedef void (*cb_log_cb)(cb_log_level level, const char *message, void *payload);

/**
 * cb_log_level_name:
 * @level: a level.
 *
 * Returns "debug", "info" or "warning" (or "log" for an unknown level).
 * Ownership: static string. Thread-safety: safe from any thread.
 */
CB_EXTERN(const char *) cb_log_level_name(cb_log_level level);

CB_END_DECLS

#endif /* CLOUBED_LOG_H */
