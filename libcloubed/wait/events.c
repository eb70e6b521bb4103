/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * events.c: lifecycle events: every domain of a testbed has a queue, filled
 * from libvirt's event loop as soon as the testbed connects, so that nothing
 * that happens between a boot and a wait is lost. Waits block on a condition
 * variable (no polling) and consume what they return.
 */
#include <errno.h>
#include <stdint.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "virt/connection.h"
#include "util/deadline.h"
#include "util/error.h"
#include "wait/event_names.h"
#include "wait/events.h"
#include "virt/ops.h"
#include "util/util.h"

/* A queue nobody reads must not grow forever. */
#define EVENT_QUEUE_MAX 1024

/* The testbed whose listeners this thread is calling, if any: a listener
 * that removes a listener must not wait for itself. Thread-local, so not
 * shared state. */
static __thread const cb_testbed *delivering;

/* Under ev_lock: pokes the console and TCP waits, which do not sleep on
 * ev_cond. */
static void wake_waiters(cb_testbed *tb)
{
    uint64_t one = 1;
    size_t i;

    /* A full counter fails the write, but is readable anyway. */
    for (i = 0; i < tb->rt.wakers.n; i++)
        (void)!write(tb->rt.wakers.v[i], &one, sizeof(one));
}

int waker_add(cb_testbed *tb)
{
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), rc;

    if (fd < 0)
        return err_set(CB_EIO, "cannot create an eventfd: %s", strerror(errno));
    pthread_mutex_lock(&tb->rt.ev_lock);
    rc = VEC_PUSH(tb->rt.wakers, fd);
    pthread_mutex_unlock(&tb->rt.ev_lock);
    if (rc < 0) {
        close(fd);
        return rc;
    }
    return fd;
}

void waker_remove(cb_testbed *tb, int fd)
{
    size_t i;

    pthread_mutex_lock(&tb->rt.ev_lock);
    for (i = 0; i < tb->rt.wakers.n && tb->rt.wakers.v[i] != fd; i++)
        ;
    if (i < tb->rt.wakers.n)
        tb->rt.wakers.v[i] = tb->rt.wakers.v[--tb->rt.wakers.n];
    pthread_mutex_unlock(&tb->rt.ev_lock);
    close(fd);
}

void waker_drain(int fd)
{
    uint64_t n;

    while (read(fd, &n, sizeof(n)) > 0)
        ;
}

bool tb_conn_lost(cb_testbed *tb)
{
    bool lost;

    pthread_mutex_lock(&tb->rt.ev_lock);
    lost = tb->rt.conn_lost;
    pthread_mutex_unlock(&tb->rt.ev_lock);
    return lost;
}

int conn_lost_fail(const cb_domain *d, const char *what)
{
    return err_set(CB_ELIBVIRT, "cannot wait for %s on domain %s: the connection to libvirt was "
                                "lost", what, d->name);
}

/* Under ev_lock. When the last event seen was a stop, one stop less: the
 * wait's first check then asks libvirt whether the domain is dead already. */
static unsigned stops_baseline(const cb_domain *d)
{
    const struct domain_rt *dr = domain_rt(d);

    return dr->stopped ? dr->stops - 1 : dr->stops;
}

unsigned domain_stops(cb_domain *d)
{
    unsigned n;

    pthread_mutex_lock(&d->tb->rt.ev_lock);
    n = stops_baseline(d);
    pthread_mutex_unlock(&d->tb->rt.ev_lock);
    return n;
}

static bool state_after(int type, int detail, int *state, int *reason);

int domain_check_alive(cb_domain *d, unsigned *seen, const char *what, int type, int detail)
{
    struct domain_rt *dr = domain_rt(d);
    cb_testbed *tb = d->tb;
    virDomainPtr dom = NULL;
    virConnectPtr c;
    enum owner owner;
    unsigned stops;
    int stop_detail, st = VIR_DOMAIN_SHUTOFF, reason = -1, want, why, rc;

    pthread_mutex_lock(&tb->rt.ev_lock);
    stops = dr->stops;
    stop_detail = dr->last_stop_detail;
    pthread_mutex_unlock(&tb->rt.ev_lock);
    if (stops == *seen)
        return 0;
    /* Events arrive late: a stop may be older than a boot that already
     * returned. The domain's state now is what counts. */
    if ((rc = tb_conn(tb, &c)) < 0 || (rc = domain_lookup(tb, c, d, &dom, &owner)) < 0)
        return rc;
    if (dom && virDomainGetState(dom, &st, &reason, 0) < 0) {
        rc = lv_fail("cannot read the state of domain %s", d->name);
        virDomainFree(dom);
        return rc;
    }
    if (dom)
        virDomainFree(dom);
    /* Stopped the way the wait wants: its event is on its way. */
    if ((st != VIR_DOMAIN_SHUTOFF && st != VIR_DOMAIN_CRASHED && st != VIR_DOMAIN_NOSTATE) ||
        (type >= 0 && state_after(type, detail, &want, &why) && st == want &&
         (why < 0 || reason == why))) {
        *seen = stops;
        return 0;
    }
    return err_set(CB_ESTATE, "domain %s stopped (%s) while waiting for %s", d->name,
                   event_detail_name(VIR_DOMAIN_EVENT_STOPPED, stop_detail), what);
}

static void listener_free(struct listener *l)
{
    if (l->free_cb)
        l->free_cb(l->payload);
    free(l);
}

/* Runs in the event loop's thread. */
static int lifecycle_cb(virConnectPtr conn, virDomainPtr dom, int type, int detail, void *opaque)
{
    cb_testbed *tb = opaque;
    cb_domain *d = VEC_FIND(tb->m.domains, libvirt_name, virDomainGetName(dom));
    struct domain_rt *dr;
    struct event ev = { type, detail };
    struct listener **ls = NULL;
    size_t n = 0, i;
    bool skip;

    (void)conn;
    if (!d) /* another testbed's, or nobody's */
        return 0;
    dr = domain_rt(d);
    pthread_mutex_lock(&tb->rt.ev_lock);
    if (dr->events.n == EVENT_QUEUE_MAX) {
        memmove(dr->events.v, dr->events.v + 1, (dr->events.n - 1) * sizeof(struct event));
        dr->events.n--;
    }
    VEC_PUSH(dr->events, ev);
    if (type == VIR_DOMAIN_EVENT_STARTED)
        dr->stopped = false;
    if (type == VIR_DOMAIN_EVENT_STOPPED) {
        dr->stopped = true;
        dr->stops++;
        dr->last_stop_detail = detail;
        wake_waiters(tb);
    }
    pthread_cond_broadcast(&tb->rt.ev_cond);
    /* Listeners run outside the lock, pinned so that neither removal nor
     * cb_testbed_free() frees one under them. */
    if (tb->rt.listeners.n && (ls = malloc(tb->rt.listeners.n * sizeof(*ls)))) {
        n = tb->rt.listeners.n;
        memcpy(ls, tb->rt.listeners.v, n * sizeof(*ls));
        for (i = 0; i < n; i++)
            ls[i]->pinned++;
    }
    pthread_mutex_unlock(&tb->rt.ev_lock);
    tb_log(tb, CB_LOG_DEBUG, "event %s:%s on domain %s", event_type_name(type),
           event_detail_name(type, detail), d->name);
    delivering = tb;
    for (i = 0; i < n; i++) {
        /* One listener may remove another during this delivery. */
        pthread_mutex_lock(&tb->rt.ev_lock);
        skip = ls[i]->removed;
        pthread_mutex_unlock(&tb->rt.ev_lock);
        if (!skip)
            ls[i]->cb(d, event_type_name(type), event_detail_name(type, detail), ls[i]->payload);
    }
    delivering = NULL;
    pthread_mutex_lock(&tb->rt.ev_lock);
    for (i = 0; i < n; i++) {
        ls[i]->pinned--;
        if (!(ls[i]->free_on_unpin && ls[i]->pinned == 0))
            ls[i] = NULL; /* still listening, or its remover frees it */
    }
    pthread_cond_broadcast(&tb->rt.ev_cond);
    pthread_mutex_unlock(&tb->rt.ev_lock);
    for (i = 0; i < n; i++)
        if (ls[i])
            listener_free(ls[i]); /* removed from a listener: its free_cb runs here */
    free(ls);
    return 0;
}

static void close_cb(virConnectPtr conn, int reason, void *opaque)
{
    cb_testbed *tb = opaque;

    (void)conn;
    pthread_mutex_lock(&tb->rt.ev_lock);
    tb->rt.conn_lost = true;
    pthread_cond_broadcast(&tb->rt.ev_cond);
    wake_waiters(tb);
    pthread_mutex_unlock(&tb->rt.ev_lock);
    tb_log(tb, CB_LOG_WARNING, "the connection to libvirt was lost (reason %d)", reason);
}

static void freed_cb(void *opaque)
{
    cb_testbed *tb = opaque;

    pthread_mutex_lock(&tb->rt.ev_lock);
    tb->rt.ev_registered--;
    pthread_cond_broadcast(&tb->rt.ev_cond);
    pthread_mutex_unlock(&tb->rt.ev_lock);
}

void events_subscribe(cb_testbed *tb, virConnectPtr conn)
{
    int id = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              VIR_DOMAIN_EVENT_CALLBACK(lifecycle_cb), tb, freed_cb);

    if (id < 0)
        tb_log(tb, CB_LOG_WARNING, "cannot subscribe to libvirt's domain events: %s",
               virGetLastErrorMessage());
    pthread_mutex_lock(&tb->rt.ev_lock);
    tb->rt.ev_callback = id;
    if (id >= 0)
        tb->rt.ev_registered++;
    pthread_mutex_unlock(&tb->rt.ev_lock);
    /* Unregistering waits for a close callback in progress (libvirt holds
     * a lock around it), so it needs no release callback, which some
     * drivers (test://) never call. Drivers without it refuse: fine. */
    tb->rt.close_registered = virConnectRegisterCloseCallback(conn, close_cb, tb, NULL) == 0;
    virResetLastError();
}

void events_unsubscribe(cb_testbed *tb, virConnectPtr conn)
{
    int id;

    pthread_mutex_lock(&tb->rt.ev_lock);
    id = tb->rt.ev_callback;
    tb->rt.ev_callback = -1;
    pthread_mutex_unlock(&tb->rt.ev_lock);
    /* On a dead connection this fails, yet libvirt drops the callback on
     * its side all the same (and calls freed_cb). */
    if (id >= 0)
        virConnectDomainEventDeregisterAny(conn, id);
    if (tb->rt.close_registered)
        virConnectUnregisterCloseCallback(conn, close_cb);
    virResetLastError();
    tb->rt.close_registered = false;
}

void events_wait_released(cb_testbed *tb)
{
    /* No time limit: until libvirt lets go of lifecycle_cb it may still
     * call it with TB, which must then still exist. */
    pthread_mutex_lock(&tb->rt.ev_lock);
    while (tb->rt.ev_registered > 0)
        pthread_cond_wait(&tb->rt.ev_cond, &tb->rt.ev_lock);
    pthread_mutex_unlock(&tb->rt.ev_lock);
}

void events_free_listeners(cb_testbed *tb)
{
    size_t i;

    /* No delivery can run any more (events_wait_released): none pinned. */
    for (i = 0; i < tb->rt.listeners.n; i++)
        listener_free(tb->rt.listeners.v[i]);
    free(tb->rt.listeners.v);
    tb->rt.listeners.v = NULL;
    tb->rt.listeners.n = 0;
    for (i = 0; tb->rt.dom && i < tb->m.domains.n; i++)
        console_forget(tb->m.domains.v[i]);
    free(tb->rt.wakers.v);
}

static bool matches(const struct event *ev, int type, int detail)
{
    return ev->type == type && (detail == EVENT_ANY_DETAIL || ev->detail == detail);
}

/* Whether a domain that stops can no longer produce the event, so that its
 * death ends the wait: anything but starting, defining and undefining. */
static bool needs_running(int type)
{
    return type != VIR_DOMAIN_EVENT_STARTED && type != VIR_DOMAIN_EVENT_DEFINED &&
           type != VIR_DOMAIN_EVENT_UNDEFINED;
}

int cb_domain_wait_event(cb_domain *d, const char *event, int timeout_ms, unsigned int flags)
{
    struct domain_rt *dr;
    struct timespec deadline;
    virConnectPtr c;
    cb_testbed *tb;
    int type, detail, rc;
    unsigned seen;
    size_t i;

    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if ((rc = event_parse(event, &type, &detail)) < 0)
        return rc;
    tb = d->tb;
    dr = domain_rt(d);
    if ((rc = tb_conn(tb, &c)) < 0)
        return rc;
    deadline = deadline_after(timeout_ms);
    pthread_mutex_lock(&tb->rt.ev_lock);
    seen = stops_baseline(d);
    for (;;) {
        for (i = 0; i < dr->events.n && !matches(&dr->events.v[i], type, detail); i++)
            ;
        if (i < dr->events.n) {
            /* Consumed: the match and what came before it (already past). */
            memmove(dr->events.v, dr->events.v + i + 1, (dr->events.n - i - 1) * sizeof(struct event));
            dr->events.n -= i + 1;
            rc = 0;
            break;
        }
        if (tb->rt.conn_lost) {
            rc = conn_lost_fail(d, event);
            break;
        }
        if (tb->rt.ev_callback < 0) {
            rc = err_set(CB_EUNSUPPORTED, "cannot wait for %s on domain %s: no subscription to "
                                          "libvirt's events", event, d->name);
            break;
        }
        if (dr->stops != seen && needs_running(type)) {
            /* Asks libvirt: no lock held across the call. */
            pthread_mutex_unlock(&tb->rt.ev_lock);
            rc = domain_check_alive(d, &seen, event, type, detail);
            pthread_mutex_lock(&tb->rt.ev_lock);
            if (rc < 0)
                break;
            continue; /* alive: look at the queue again */
        }
        if (timeout_ms < 0) {
            pthread_cond_wait(&tb->rt.ev_cond, &tb->rt.ev_lock);
        } else if (pthread_cond_timedwait(&tb->rt.ev_cond, &tb->rt.ev_lock, &deadline) == ETIMEDOUT) {
            rc = err_set(CB_ETIMEOUT, "timed out after %d ms waiting for %s on domain %s",
                         timeout_ms, event, d->name);
            break;
        }
    }
    pthread_mutex_unlock(&tb->rt.ev_lock);
    return rc;
}

int cb_domain_clear_events(cb_domain *d, unsigned int flags)
{
    int rc;

    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if ((rc = pid_check(d->tb->opt.pid)) < 0)
        return rc;
    pthread_mutex_lock(&d->tb->rt.ev_lock);
    domain_rt(d)->events.n = 0;
    pthread_mutex_unlock(&d->tb->rt.ev_lock);
    return 0;
}

int cb_testbed_add_event_listener(int *id, cb_testbed *tb, cb_event_cb cb, void *payload,
                                  cb_free_cb free_cb, unsigned int flags)
{
    struct listener *l;
    virConnectPtr c;
    int rc;

    if (!id)
        return ARG_FAIL(id);
    *id = -1;
    CHECK_FLAGS(flags, 0);
    if (!tb)
        return ARG_FAIL(tb);
    if (!cb)
        return ARG_FAIL(cb);
    if ((rc = tb_conn(tb, &c)) < 0)
        return rc;
    if (!(l = calloc(1, sizeof(*l))))
        return err_oom();
    l->cb = cb;
    l->payload = payload;
    l->free_cb = free_cb;
    pthread_mutex_lock(&tb->rt.ev_lock);
    l->id = tb->rt.next_listener_id++;
    rc = VEC_PUSH(tb->rt.listeners, l) < 0 ? CB_ENOMEM : l->id;
    pthread_mutex_unlock(&tb->rt.ev_lock);
    if (rc < 0) {
        free(l); /* the payload stays the caller's */
        return rc;
    }
    *id = rc;
    return 0;
}

int cb_testbed_remove_event_listener(cb_testbed *tb, int id, unsigned int flags)
{
    struct listener *l = NULL;
    size_t i;
    int rc;

    CHECK_FLAGS(flags, 0);
    if (!tb)
        return ARG_FAIL(tb);
    if ((rc = pid_check(tb->opt.pid)) < 0)
        return rc;
    pthread_mutex_lock(&tb->rt.ev_lock);
    for (i = 0; i < tb->rt.listeners.n && tb->rt.listeners.v[i]->id != id; i++)
        ;
    if (i == tb->rt.listeners.n) {
        pthread_mutex_unlock(&tb->rt.ev_lock);
        return err_set(CB_ENOTFOUND, "no event listener %d", id);
    }
    l = tb->rt.listeners.v[i];
    memmove(tb->rt.listeners.v + i, tb->rt.listeners.v + i + 1,
            (tb->rt.listeners.n - i - 1) * sizeof(*tb->rt.listeners.v));
    tb->rt.listeners.n--;
    l->removed = true;
    if (delivering == tb && l->pinned > 0) {
        /* From a listener: the delivery in this thread frees it when done;
         * deliveries in other threads cannot exist (one event loop). */
        l->free_on_unpin = true;
        pthread_mutex_unlock(&tb->rt.ev_lock);
        return 0;
    }
    while (l->pinned > 0)
        pthread_cond_wait(&tb->rt.ev_cond, &tb->rt.ev_lock);
    pthread_mutex_unlock(&tb->rt.ev_lock);
    listener_free(l);
    return 0;
}

/* The state (and reason, -1: any) that an event leaves a domain in. */
static bool state_after(int type, int detail, int *state, int *reason)
{
    static const struct { int type, detail, state, reason; } map[] = {
        { VIR_DOMAIN_EVENT_STARTED, EVENT_ANY_DETAIL, VIR_DOMAIN_RUNNING, -1 },
        { VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED },
        { VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_WAKEUP, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_WAKEUP },
        { VIR_DOMAIN_EVENT_STOPPED, EVENT_ANY_DETAIL, VIR_DOMAIN_SHUTOFF, -1 },
        { VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN },
        { VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED },
        { VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_CRASHED, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_CRASHED },
        { VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FAILED, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_FAILED },
        { VIR_DOMAIN_EVENT_SUSPENDED, EVENT_ANY_DETAIL, VIR_DOMAIN_PAUSED, -1 },
        { VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER },
        { VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_IOERROR, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_IOERROR },
        { VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED },
        { VIR_DOMAIN_EVENT_PMSUSPENDED, EVENT_ANY_DETAIL, VIR_DOMAIN_PMSUSPENDED, -1 },
        { VIR_DOMAIN_EVENT_CRASHED, EVENT_ANY_DETAIL, VIR_DOMAIN_CRASHED, -1 },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(map); i++)
        if (map[i].type == type && map[i].detail == detail) {
            *state = map[i].state;
            *reason = map[i].reason;
            return true;
        }
    return false;
}

int cb_domain_state_is_after(cb_domain *d, const char *event, unsigned int flags)
{
    virConnectPtr c;
    virDomainPtr dom;
    enum owner owner;
    int type, detail, want, why, st, reason, rc;

    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if ((rc = event_parse(event, &type, &detail)) < 0 || (rc = tb_conn(d->tb, &c)) < 0 ||
        (rc = domain_lookup(d->tb, c, d, &dom, &owner)) < 0)
        return rc;
    if (!dom || !state_after(type, detail, &want, &why)) {
        if (dom)
            virDomainFree(dom);
        return 0;
    }
    rc = virDomainGetState(dom, &st, &reason, 0) < 0
             ? lv_fail("cannot read the state of domain %s", d->name)
             : st == want && (why < 0 || reason == why);
    virDomainFree(dom);
    return rc;
}
