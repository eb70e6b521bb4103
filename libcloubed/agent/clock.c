/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * clock.c: cb_domain_sync_clock: the guest's clock set to the host's with
 * the agent's guest-set-time, once the agent answers.
 */
#include <time.h>

#include <glib.h>

#include "agent/call.h"
#include "agent/protocol.h"
#include "util/deadline.h"
#include "util/error.h"

#include <cloubed/agent.h>

/* How long guest-set-time may take when the caller gives no bound: it sets
 * the time, then runs hwclock, which waits for the RTC's next second. */
#define SET_TIME_MS (30 * 1000)

int cb_domain_sync_clock(cb_domain *d, int timeout_ms, unsigned int flags)
{
    struct timespec deadline = deadline_after(timeout_ms), now;
    g_autofree char *req = NULL;
    virDomainPtr dom = NULL;
    char *reply = NULL;
    int rc, left;

    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if ((rc = agent_domain(d, &dom)) == 0 && (rc = agent_wait(d, dom, timeout_ms)) == 0) {
        left = timeout_ms < 0 ? SET_TIME_MS : deadline_left_ms(&deadline, timeout_ms);
        /* read last: what the guest gets is late by the call's round trip */
        clock_gettime(CLOCK_REALTIME, &now);
        req = agent_req_set_time((long long)now.tv_sec * 1000000000LL + now.tv_nsec);
        rc = agent_call(d, dom, req, left > 0 ? left : 1, "guest-set-time", &reply);
        free(reply);
    }
    if (dom)
        virDomainFree(dom);
    /* the inner message names the domain */
    if (rc < 0)
        return err_set(rc, "cannot set the clock: %s", cb_error_last()->message);
    return 0;
}
