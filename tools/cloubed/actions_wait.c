/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * actions_wait.c: the wait action: an event, a TCP port or console text,
 * optionally with the installer HTTP server running meanwhile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "actions.h"

/* Exit status of a wait that ran out of time (as timeout(1)). */
#define EXIT_TIMEOUT 124

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int wait_once(cb_domain *d, const struct cli_args *a, int timeout_ms)
{
    const char *type = a->event_type, *detail = a->event_detail;
    char *end;
    long port;

    if (strcmp(type, "tcp") == 0) {
        /* digits only: strtol alone would take "+80", " 80" */
        port = strspn(detail, "0123456789") == strlen(detail) && strlen(detail) <= 5
                   ? strtol(detail, &end, 10) : 0;
        if (port < 1 || port > 65535) {
            fprintf(stderr, "cloubed: error: --event tcp:%s: not a TCP port (1 to 65535)\n", detail);
            return -1000;
        }
        return cb_domain_wait_tcp(d, (unsigned)port, timeout_ms, 0);
    }
    if (strcmp(type, "console") == 0)
        return cb_domain_wait_console(d, detail, timeout_ms, 0);
    return cb_domain_wait_event(d, a->value[OPT_EVENT], timeout_ms, 0);
}

/* This process connected after the command that caused the event (boot,
 * shutdown...) returned: the event may be past already, but it left the
 * domain in a state that says so. Checked once the queue is subscribed, so
 * nothing falls between the check and the wait. */
static int already_happened(cb_domain *d, const struct cli_args *a)
{
    if (strcmp(a->event_type, "tcp") == 0 || strcmp(a->event_type, "console") == 0)
        return 0;
    /* connects (and so subscribes) first, then reads the state */
    return cb_domain_state_is_after(d, a->value[OPT_EVENT], 0);
}

int action_wait(cb_testbed *tb, const struct cli_args *a)
{
    cb_domain *d = cb_testbed_domain(tb, a->value[OPT_DOMAIN]);
    bool tty = isatty(STDERR_FILENO);
    double start = now_s(), limit = a->timeout_s;
    int rc, slice;

    if (!d)
        return report_error();
    if (a->given[OPT_ENABLE_HTTP] && cb_domain_http_start(d, 0) < 0) {
        if (cb_error_last()->code != CB_ENOTFOUND)
            return report_error();
        if (a->given[OPT_DEBUG]) /* the original's debug message */
            fprintf(stderr, "cloubed: debug: %s\n", cb_error_last()->message);
    }
    if ((rc = already_happened(d, a)) < 0)
        return report_error();
    if (rc == 1)
        return 0;
    /* On a terminal, wait in one-second slices to show the time spent:
     * a wait that times out consumes nothing, so slicing changes nothing. */
    for (;;) {
        double spent = now_s() - start;
        if (!tty)
            slice = limit < 0 ? -1 : (int)(limit * 1000);
        else
            slice = limit < 0 || limit - spent > 1.0 ? 1000 : (int)((limit - spent) * 1000);
        if (tty)
            fprintf(stderr, "\rcloubed: waiting for %s on domain %s: %.0f s%s", a->value[OPT_EVENT],
                    cb_domain_name(d), spent, limit < 0 ? "" : " ");
        if (tty && limit >= 0)
            fprintf(stderr, "of %g s", limit);
        rc = wait_once(d, a, slice < 0 ? -1 : slice);
        if (rc != CB_ETIMEOUT || !tty || (limit >= 0 && now_s() - start >= limit))
            break;
    }
    if (tty)
        fputc('\n', stderr);
    if (rc == -1000)
        return 1;
    if (rc == CB_ETIMEOUT) {
        fprintf(stderr, "cloubed: error: timed out after %g s waiting for %s on domain %s\n",
                limit, a->value[OPT_EVENT], cb_domain_name(d));
        return EXIT_TIMEOUT;
    }
    return rc < 0 ? report_error() : 0;
}
