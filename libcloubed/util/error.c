/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * error.c: the thread-local last error.
 *
 * Stored behind a pthread key (not _Thread_local) so that the strings a
 * thread allocated are released when that thread exits.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"

struct err_state {
    cb_error pub;
    char *message;
    char *file;
};

static pthread_key_t err_key;
static pthread_once_t err_once = PTHREAD_ONCE_INIT;
static int err_key_ok;

/* Returned when even the state cannot be allocated. */
static const cb_error err_nomem = { CB_ENOMEM, "out of memory", NULL, 0, 0 };
static const cb_error err_none = { CB_OK, "no error", NULL, 0, 0 };

static void err_state_free(void *p)
{
    struct err_state *st = p;
    if (!st)
        return;
    free(st->message);
    free(st->file);
    free(st);
}

static void err_key_init(void)
{
    err_key_ok = pthread_key_create(&err_key, err_state_free) == 0;
}

static struct err_state *err_state_get(void)
{
    struct err_state *st;

    pthread_once(&err_once, err_key_init);
    if (!err_key_ok)
        return NULL;
    st = pthread_getspecific(err_key);
    if (!st) {
        st = calloc(1, sizeof(*st));
        if (!st)
            return NULL;
        if (pthread_setspecific(err_key, st) != 0) {
            free(st);
            return NULL;
        }
    }
    return st;
}

/* MSG as one line, as cb_error promises: text passed on from elsewhere
 * (QEMU's stderr through libvirt, a guest's output) may hold several.
 * Trailing line ends are dropped, and each inner one (with the spaces
 * around it) becomes ERR_LINE_SEP. Takes MSG; NULL on allocation failure. */
static char *one_line(char *msg)
{
    size_t n = strlen(msg), breaks = 0, i, o;
    char *out;

    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    for (i = 0; i < n; i++)
        breaks += msg[i] == '\n';
    if (!breaks && !memchr(msg, '\r', n))
        return msg;
    if (!(out = malloc(n + breaks * strlen(ERR_LINE_SEP) + 1))) {
        free(msg);
        return NULL;
    }
    for (i = o = 0; i < n; i++) {
        if (msg[i] == '\r')
            continue;
        if (msg[i] != '\n') {
            out[o++] = msg[i];
            continue;
        }
        while (o && out[o - 1] == ' ')
            o--;
        while (i + 1 < n && (msg[i + 1] == ' ' || msg[i + 1] == '\r' || msg[i + 1] == '\n'))
            i++;
        memcpy(out + o, ERR_LINE_SEP, strlen(ERR_LINE_SEP));
        o += strlen(ERR_LINE_SEP);
    }
    out[o] = '\0';
    free(msg);
    return out;
}

int err_set_atv(int code, const char *file, int line, int column, const char *fmt, va_list ap)
{
    struct err_state *st = err_state_get();
    char *msg = NULL, *loc = NULL;

    if (!st)
        return code;
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    if (msg)
        msg = one_line(msg);
    if (msg && file) {
        if (asprintf(&loc, "%s:%d:%d: %s", file, line, column, msg) < 0)
            loc = NULL;
        free(msg);
        msg = loc;
    }
    free(st->message);
    free(st->file);
    st->message = msg;
    st->file = file ? strdup(file) : NULL;
    st->pub.code = msg ? code : CB_ENOMEM;
    st->pub.message = msg ? msg : "out of memory";
    st->pub.file = st->file;
    st->pub.line = file ? line : 0;
    st->pub.column = file ? column : 0;
    return code;
}

int err_set_at(int code, const char *file, int line, int column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_set_atv(code, file, line, column, fmt, ap);
    va_end(ap);
    return code;
}

int err_setv(int code, const char *fmt, va_list ap)
{
    return err_set_atv(code, NULL, 0, 0, fmt, ap);
}

int err_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_setv(code, fmt, ap);
    va_end(ap);
    return code;
}

int err_oom(void)
{
    return err_set(CB_ENOMEM, "out of memory");
}

const cb_error *cb_error_last(void)
{
    struct err_state *st = err_state_get();

    if (!st)
        return &err_nomem;
    if (!st->pub.message)
        return &err_none;
    return &st->pub;
}

void cb_error_clear(void)
{
    struct err_state *st = err_state_get();

    if (!st)
        return;
    free(st->message);
    free(st->file);
    memset(st, 0, sizeof(*st));
}

const char *cb_error_code_name(int code)
{
    static const char *const names[] = {
        "CB_OK", "CB_ERROR", "CB_EINVAL", "CB_ENOMEM", "CB_ECONFIG", "CB_ENOTFOUND",
        "CB_EIO", "CB_ELIBVIRT", "CB_ETIMEOUT", "CB_EUNSUPPORTED", "CB_ECONFLICT",
        "CB_ESTATE",
    };
    if (code > 0 || (size_t)-code >= sizeof(names) / sizeof(names[0]))
        return "CB_E?";
    return names[-code];
}

int pid_check(pid_t owner)
{
    pid_t self = getpid();

    if (self == owner)
        return 0;
    return err_set(CB_ESTATE, "testbed opened by process %ld, used after fork in %ld: a child "
                              "must open its own testbed", (long)owner, (long)self);
}
