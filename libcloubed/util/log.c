/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * log.c: the caller's log callback, and the names of the levels.
 */
#include <stdio.h>
#include <stdlib.h>

#include "util/log.h"

const char *cb_log_level_name(cb_log_level level)
{
    switch (level) {
    case CB_LOG_DEBUG:
        return "debug";
    case CB_LOG_INFO:
        return "info";
    case CB_LOG_WARNING:
        return "warning";
    }
    return "log";
}

void log_msgv(const struct logger *l, cb_log_level level, const char *fmt, va_list ap)
{
    char *msg;

    if (!l->cb)
        return;
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    if (msg)
        l->cb(level, msg, l->payload);
    free(msg);
}

void log_msg(const struct logger *l, cb_log_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_msgv(l, level, fmt, ap);
    va_end(ap);
}
