/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * down.c: cb_testbed_down: the power button of every selected running
 * domain at once, then the plug of those still running after the grace
 * time. Each domain in its own worker; no lock is held across libvirt.
 */
#include <string.h>

#include <libvirt/virterror.h>

#include "util/deadline.h"
#include "util/error.h"
#include "virt/connection.h"
#include "virt/ops.h"
#include "virt/sched.h"

struct down_run {
    struct run r;             /* first: the workers get a struct run * */
    const cb_down_options *o;
    unsigned changes;         /* under r.lock */
};

static int press_button(cb_testbed *tb, virDomainPtr dom, const char *name)
{
    if (tb->rt.seams.domain_shutdown)
        return tb->rt.seams.domain_shutdown(dom, tb->rt.seams.payload);
    return virDomainShutdown(dom) == 0 ? 0 : lv_fail("cannot shut down domain %s", name);
}

/* Milliseconds of grace left, bounded by the call's deadline. */
static int grace_left(struct down_run *u)
{
    int left = deadline_left_ms(&u->r.deadline, u->r.timeout_ms);
    return u->o->grace_ms < left ? u->o->grace_ms : left;
}

static void down_domain(struct down_run *u, size_t i, virConnectPtr c)
{
    struct run *r = &u->r;
    cb_domain *d = r->res->v[i].d;
    cb_progress_state end = CB_PROGRESS_STOPPED;
    virDomainPtr dom = NULL;
    enum owner owner;
    int rc;

    if (domain_lookup(r->tb, c, d, &dom, &owner) < 0) {
        run_fail(r, i, CB_PROGRESS_FAILED);
        return;
    }
    if (owner == OWNER_OTHER) {
        owner_conflict(r->tb, "domain", d->libvirt_name);
        run_fail(r, i, CB_PROGRESS_FAILED);
        virDomainFree(dom);
        return;
    }
    if (!dom || virDomainIsActive(dom) != 1) {
        run_set(r, i, CB_PROGRESS_UNCHANGED, 0, dom ? "not running" : "not defined");
        if (dom)
            virDomainFree(dom);
        return;
    }
    rc = -1;
    if (u->o->grace_ms > 0) {
        /* Older events must not be taken for this stop. */
        cb_domain_clear_events(d, 0);
        if (press_button(r->tb, dom, d->libvirt_name) == 0) {
            run_set(r, i, CB_PROGRESS_STOPPING, 0, NULL);
            rc = cb_domain_wait_event(d, "stopped", grace_left(u), 0);
        } else {
            /* the destroy below is the retry */
            run_set(r, i, CB_PROGRESS_STOPPING, 0, cb_error_last()->message);
            virResetLastError();
        }
    }
    if (rc < 0) {
        end = CB_PROGRESS_DESTROYED;
        /* It may have stopped after the wait gave up. */
        if (virDomainIsActive(dom) == 1 && virDomainDestroy(dom) < 0 &&
            virDomainIsActive(dom) == 1) {
            lv_fail("cannot destroy domain %s", d->libvirt_name);
            run_fail(r, i, CB_PROGRESS_FAILED);
            virDomainFree(dom);
            return;
        }
        virResetLastError();
    }
    virDomainFree(dom);
    pthread_mutex_lock(&r->lock);
    u->changes++;
    pthread_mutex_unlock(&r->lock);
    run_set(r, i, end, 0, end == CB_PROGRESS_DESTROYED ? "still running after the grace time" : NULL);
}

static void down_one(struct run *r, size_t i)
{
    struct down_run *u = (struct down_run *)r;
    virConnectPtr c;

    if (deadline_passed(&r->deadline, r->timeout_ms)) {
        run_set(r, i, CB_PROGRESS_SKIPPED, CB_ETIMEOUT, "not attempted: the down timed out");
        return;
    }
    /* a connection of its own: libvirtd serves 5 calls of one at a time */
    if (tb_conn_take(r->tb, &c) < 0) {
        run_fail(r, i, CB_PROGRESS_FAILED);
        return;
    }
    down_domain(u, i, c);
    tb_conn_put(r->tb, c);
}

int cb_testbed_down(cb_op_result **result, cb_testbed *tb, const cb_down_options *opts)
{
    static const cb_down_options defaults = CB_DOWN_OPTIONS_INIT;
    struct down_run u;
    virConnectPtr c;
    size_t i;
    int rc;

    if (result)
        *result = NULL;
    CHECK_OPTS_VERSION(opts, CB_DOWN_OPTIONS_VERSION);
    if (!opts)
        opts = &defaults;
    CHECK_FLAGS(opts->flags, CB_DOWN_CLEANUP);
    if (!tb)
        return ARG_FAIL(tb);
    if (opts->grace_ms < 0)
        return err_set(CB_EINVAL, "cb_testbed_down: grace_ms must be 0 or more, not %d",
                       opts->grace_ms);
    if ((rc = pid_check(tb->opt.pid)) < 0)
        return rc;
    memset(&u, 0, sizeof(u));
    u.o = opts;
    if ((rc = run_init(&u.r, tb, opts->domains, opts->timeout_ms, opts->progress,
                       opts->progress_payload)) < 0 ||
        (rc = tb_conn(tb, &c)) < 0) { /* connected before any worker */
        run_destroy(&u.r);
        return rc;
    }
    for (i = 0; i < u.r.res->n; i++)
        run_set(&u.r, i, CB_PROGRESS_QUEUED, 0, NULL);
    rc = run_all(&u.r, run_parallel(opts->parallel, u.r.res->n), down_one);
    run_deliver(&u.r);
    u.r.res->changes = u.changes;
    if (rc == 0)
        rc = run_summary(&u.r, "down");
    if (rc == 0 && (opts->flags & CB_DOWN_CLEANUP)) {
        if (u.r.res->n == tb->m.domains.n)
            rc = cb_testbed_cleanup(tb, 0);
        for (i = 0; i < u.r.res->n && u.r.res->n != tb->m.domains.n; i++) {
            int one = cb_domain_cleanup(u.r.res->v[i].d, 0);
            rc = rc < 0 ? rc : one;
        }
    }
    run_hand_over(&u.r, result);
    run_destroy(&u.r);
    return rc;
}
