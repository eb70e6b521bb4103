/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * spawn.c: running a host tool with GSubprocess, its stderr kept for the
 * error message (the library never prints).
 */
#include <string.h>

#include <gio/gio.h>

#include "util/error.h"
#include "virt/spawn.h"

/* The last non-empty line of TEXT, in place. */
static const char *last_line(char *text)
{
    char *end = text + strlen(text), *start;

    while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
        *--end = '\0';
    start = strrchr(text, '\n');
    return start ? start + 1 : text;
}

int spawn_run(const char *what, const char *const *argv, char **out)
{
    GError *e = NULL;
    GSubprocess *p;
    char *so = NULL, *se = NULL;
    int rc = 0;

    if (out)
        *out = NULL;
    /* stdin: /dev/null (GSubprocess's default), so a tool never prompts. */
    p = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                          &e);
    if (!p) {
        rc = err_set(e->domain == G_SPAWN_ERROR && e->code == G_SPAWN_ERROR_NOENT
                         ? CB_EUNSUPPORTED : CB_EIO,
                     "%s: cannot run %s: %s", what, argv[0], e->message);
        g_error_free(e);
        return rc;
    }
    if (!g_subprocess_communicate_utf8(p, NULL, NULL, &so, &se, &e)) {
        rc = err_set(CB_EIO, "%s: %s: %s", what, argv[0], e->message);
        g_error_free(e);
    } else if (!g_subprocess_get_if_exited(p) || g_subprocess_get_exit_status(p) != 0) {
        rc = err_set(CB_EIO, "%s: %s failed (%s %d): %s", what, argv[0],
                     g_subprocess_get_if_exited(p) ? "exit status" : "signal",
                     g_subprocess_get_if_exited(p) ? g_subprocess_get_exit_status(p)
                                                   : g_subprocess_get_term_sig(p),
                     se && *se ? last_line(se) : "no message");
    } else if (out) {
        *out = so;
        so = NULL;
    }
    g_free(so);
    g_free(se);
    g_object_unref(p);
    return rc;
}
