/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * log.h: the caller's log callback (internal). The library never prints:
 * warnings go through the callback the options gave, or nowhere.
 */
#ifndef CB_INTERNAL_LOG_H
#define CB_INTERNAL_LOG_H

#include <stdarg.h>

#include <cloubed/log.h>

struct logger {
    cb_log_cb cb;          /* NULL: messages are dropped */
    void *payload;
};

void log_msg(const struct logger *l, cb_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void log_msgv(const struct logger *l, cb_log_level level, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
