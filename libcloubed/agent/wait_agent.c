/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * wait_agent.c: waiting until a domain's guest agent answers: guest-ping
 * at once and whenever libvirt reports the agent connected (its agent
 * lifecycle event), ended early, as the other waits, when the domain stops
 * or the connection is lost.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <glib.h>
#include <libvirt/virterror.h>

#include "agent/call.h"
#include "agent/protocol.h"
#include "util/deadline.h"
#include "util/error.h"
#include "virt/connection.h"
#include "wait/events.h"

#include <cloubed/agent.h>

/* A connected event can be missed (an agent that connected between a ping
 * and the subscription, an event dropped with a reconnection): ping again at
 * least this often. */
#define REPING_MS 2000
/* How long one ping may wait for the agent's answer. */
#define PING_MS 10000

/* One wait's subscription: an eventfd made readable when the agent
 * connects. Freed by libvirt (watch_free) once unsubscribed. */
struct watch {
    int fd;
};

static void agent_event_cb(virConnectPtr c, virDomainPtr dom, int state, int reason, void *opaque)
{
    struct watch *w = opaque;
    uint64_t one = 1;

    (void)c;
    (void)dom;
    (void)reason;
    if (state == VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED)
        (void)!write(w->fd, &one, sizeof(one));
}

static void watch_free(void *opaque)
{
    struct watch *w = opaque;

    close(w->fd);
    free(w);
}

/* *AGAIN: see agent_call_again. */
static int ping(cb_domain *d, virDomainPtr dom, int timeout_ms, bool *again)
{
    g_autofree char *req = agent_req_ping();
    char *reply = NULL;
    int rc = agent_call_again(d, dom, req, timeout_ms, "guest-ping", &reply, again);

    free(reply);
    return rc;
}

/* Until the agent answers, the domain stops, the time is up or something
 * else fails. WAKER: stops and losses; W: the agent's connection. */
static int wait_loop(cb_domain *d, virDomainPtr dom, int timeout_ms, int waker, struct watch *w)
{
    struct timespec deadline = deadline_after(timeout_ms);
    const char *what = "the guest agent";
    unsigned seen = domain_stops(d);
    struct pollfd pfd[2];
    int rc, left, slice;
    bool again;

    for (;;) {
        waker_drain(waker);
        if (w)
            waker_drain(w->fd);
        if (tb_conn_lost(d->tb))
            return conn_lost_fail(d, what);
        if ((rc = domain_check_alive(d, &seen, what, -1, 0)) < 0)
            return rc;
        left = timeout_ms < 0 ? PING_MS : deadline_left_ms(&deadline, timeout_ms);
        rc = ping(d, dom, left < PING_MS ? left : PING_MS, &again);
        /* not connected yet: wait; no channel at all, or a driver without
         * the agent's API (the test driver): it never will */
        if (rc == 0 || !again)
            return rc;
        if (deadline_passed(&deadline, timeout_ms))
            return err_set(CB_ETIMEOUT, "domain %s: no guest agent answered within %g s "
                                        "(qemu-guest-agent must run in the guest)",
                           d->name, timeout_ms / 1000.0);
        slice = timeout_ms < 0 ? REPING_MS : deadline_left_ms(&deadline, timeout_ms);
        pfd[0].fd = waker;
        pfd[0].events = POLLIN;
        pfd[1].fd = w ? w->fd : -1;
        pfd[1].events = POLLIN;
        poll(pfd, 2, slice < REPING_MS ? slice : REPING_MS);
    }
}

int agent_wait(cb_domain *d, virDomainPtr dom, int timeout_ms)
{
    struct watch *w = NULL;
    virConnectPtr c;
    int rc, waker, id = -1;

    if ((rc = tb_conn(d->tb, &c)) < 0 || (waker = rc = waker_add(d->tb)) < 0)
        return rc;
    /* Without the event (a driver that lacks it) the re-pings remain. */
    w = calloc(1, sizeof(*w));
    if (w && (w->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) >= 0) {
        id = virConnectDomainEventRegisterAny(c, dom, VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE,
                                              VIR_DOMAIN_EVENT_CALLBACK(agent_event_cb), w,
                                              watch_free);
        if (id < 0) {
            virResetLastError();
            watch_free(w);
            w = NULL;
        }
    } else {
        free(w);
        w = NULL;
    }
    rc = wait_loop(d, dom, timeout_ms, waker, w);
    if (id >= 0 && virConnectDomainEventDeregisterAny(c, id) < 0)
        virResetLastError(); /* the connection is gone, and the subscription with it */
    waker_remove(d->tb, waker);
    return rc;
}

int cb_domain_wait_agent(cb_domain *d, int timeout_ms, unsigned int flags)
{
    virDomainPtr dom = NULL;
    int rc;

    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if ((rc = agent_domain(d, &dom)) < 0)
        return rc;
    rc = agent_wait(d, dom, timeout_ms);
    virDomainFree(dom);
    return rc;
}
