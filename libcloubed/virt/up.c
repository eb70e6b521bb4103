/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * up.c: cb_testbed_up: every selected domain brought up by a pool of
 * workers, each ensuring its own pools, volumes and networks (shared ones
 * are made once, in their cells) and then defining and starting its domain;
 * no lock is held across libvirt. One op records what the call did, undone
 * as a whole when any domain fails.
 */
#include <stdlib.h>
#include <string.h>

#include "util/deadline.h"
#include "util/error.h"
#include "util/state_dir.h"
#include "util/util.h"
#include "virt/connection.h"
#include "virt/ops.h"
#include "virt/sched.h"

#define UP_FLAGS (CB_UP_FAIL_FAST | CB_UP_KEEP_ON_FAILURE | CB_UP_RESTART)

struct up_run {
    struct run r;             /* first: the workers get a struct run * */
    const cb_up_options *o;
    virConnectPtr c;
    struct op op;
    struct boot_req req;
    unsigned tcp_port;        /* ready "tcp:PORT" */
    const char *console_text; /* ready "console:TEXT" */
    bool agent;               /* ready "agent" */
};

static int parse_ready(struct up_run *u, const char *ready)
{
    char *end;
    unsigned long port;

    if (!ready)
        return 0;
    if (strncmp(ready, "tcp:", 4) == 0) {
        port = strtoul(ready + 4, &end, 10);
        if (ready[4] && !*end && port > 0 && port < 65536) {
            u->tcp_port = (unsigned)port;
            return 0;
        }
    } else if (strncmp(ready, "console:", 8) == 0 && ready[8]) {
        u->console_text = ready + 8;
        return 0;
    } else if (strcmp(ready, "agent") == 0) {
        u->agent = true;
        return 0;
    }
    return err_set(CB_EINVAL, "cb_testbed_up: ready must be \"tcp:PORT\", \"console:TEXT\" or "
                   "\"agent\", not \"%s\"", ready);
}

static void wait_ready(struct up_run *u, size_t i, cb_domain *d)
{
    int left = u->r.timeout_ms < 0 ? -1 : deadline_left_ms(&u->r.deadline, u->r.timeout_ms);
    int rc;

    if (u->tcp_port)
        rc = cb_domain_wait_tcp(d, u->tcp_port, left, 0);
    else if (u->agent)
        rc = cb_domain_wait_agent(d, left, 0);
    else
        rc = cb_domain_wait_console(d, u->console_text, left, 0);
    if (rc < 0) {
        /* The wait had what was left of the call: its timeout is the
         * call's, so the domains still queued are skipped as expired. */
        if (rc == CB_ETIMEOUT && u->r.timeout_ms >= 0) {
            pthread_mutex_lock(&u->r.lock);
            u->r.expired = true;
            pthread_mutex_unlock(&u->r.lock);
        }
        run_fail(&u->r, i, CB_PROGRESS_FAILED);
    } else
        run_set(&u->r, i, CB_PROGRESS_READY, 0, NULL);
}

/* A worker: domain I, from QUEUED to STARTED (or UNCHANGED), then READY. */
static void up_one(struct run *r, size_t i)
{
    struct up_run *u = (struct up_run *)r;
    cb_domain *d = r->res->v[i].d;
    bool unchanged = false, expired;

    pthread_mutex_lock(&r->lock);
    expired = r->expired;
    pthread_mutex_unlock(&r->lock);
    if (expired || deadline_passed(&r->deadline, r->timeout_ms)) {
        run_set(r, i, CB_PROGRESS_SKIPPED, CB_ETIMEOUT, "not attempted: the up timed out");
        return;
    }
    if (run_stopped(r)) {
        run_set(r, i, CB_PROGRESS_SKIPPED, 0, "not attempted: another domain failed");
        return;
    }
    run_set(r, i, CB_PROGRESS_CREATING, 0, NULL);
    if (domain_bring_up(&u->op, d, u->c, &u->req, &unchanged) < 0) {
        run_fail(r, i, CB_PROGRESS_FAILED);
        if (u->o->flags & CB_UP_FAIL_FAST)
            run_set_stop(r, false);
        return;
    }
    if (unchanged) {
        run_set(r, i, CB_PROGRESS_UNCHANGED, 0, "already running");
    } else {
        run_set(r, i, CB_PROGRESS_STARTED, 0, NULL);
        if (r->tb->rt.seams.crash_point &&
            r->tb->rt.seams.crash_point("after-create", d->name, r->tb->rt.seams.payload)) {
            run_set_stop(r, true);
            return;
        }
    }
    /* A running domain's port is checked too; its console text belongs to
     * a boot that an earlier wait may have consumed, so it is not. */
    if (u->tcp_port || u->agent || (u->console_text && !unchanged))
        wait_ready(u, i, d);
}

/* What may fail before anything is created: options, names, local files. */
static int up_check(struct up_run *u, cb_testbed *tb, const cb_up_options *o)
{
    size_t i;
    int rc;

    /* first: run_destroy needs what run_init sets up, even on failure */
    if ((rc = run_init(&u->r, tb, o->domains, o->timeout_ms, o->progress, o->progress_payload)) < 0)
        return rc;
    if (o->bootdev && strcmp(o->bootdev, "hd") && strcmp(o->bootdev, "network") &&
        strcmp(o->bootdev, "cdrom"))
        return err_set(CB_EINVAL, "cb_testbed_up: bootdev must be hd, network or cdrom, not %s",
                       o->bootdev);
    if ((rc = parse_ready(u, o->ready)) < 0)
        return rc;
    if ((rc = tb_conn(tb, &u->c)) < 0)
        return rc;
    if (uri_is_local(tb->rt.uri)) {
        for (i = 0; i < u->r.res->n; i++)
            if ((rc = boot_check_domain(u->r.res->v[i].d)) < 0)
                return rc;
        if ((rc = state_dir_make(tb->m.dir, tb->m.state_dir)) < 0)
            return rc;
    }
    return 0;
}

int cb_testbed_up(cb_op_result **result, cb_testbed *tb, const cb_up_options *opts)
{
    static const cb_up_options defaults = CB_UP_OPTIONS_INIT;
    struct up_run u;
    size_t i, unchanged = 0;
    int rc;

    if (result)
        *result = NULL;
    CHECK_OPTS_VERSION(opts, CB_UP_OPTIONS_VERSION);
    if (!opts)
        opts = &defaults;
    CHECK_FLAGS(opts->flags, UP_FLAGS);
    if (!tb)
        return ARG_FAIL(tb);
    if ((rc = pid_check(tb->opt.pid)) < 0)
        return rc;
    memset(&u, 0, sizeof(u));
    u.o = opts;
    if ((rc = up_check(&u, tb, opts)) < 0) {
        run_destroy(&u.r);
        return rc;
    }
    u.req.bootdev = opts->bootdev ? opts->bootdev : "hd";
    u.req.restart = opts->flags & CB_UP_RESTART;
    u.req.running_ok = true;
    op_init(&u.op, tb, opts->timeout_ms);
    u.op.deadline = u.r.deadline;
    for (i = 0; i < u.r.res->n; i++)
        run_set(&u.r, i, CB_PROGRESS_QUEUED, 0, NULL);
    rc = run_all(&u.r, run_parallel(opts->parallel, u.r.res->n), up_one);
    run_deliver(&u.r);
    u.r.res->changes = u.op.changes;
    if (u.r.crashed) {
        /* The test seam's kill -9: libvirt keeps what was made, and
         * nothing of the process's bookkeeping matters any more. */
        op_destroy(&u.op);
        run_hand_over(&u.r, result);
        run_destroy(&u.r);
        return err_set(CB_ERROR, "up of testbed %s interrupted (test seam)", tb->m.name);
    }
    if (rc == 0)
        rc = run_summary(&u.r, "up");
    if (rc < 0 && !(opts->flags & CB_UP_KEEP_ON_FAILURE)) {
        cb_error saved = *cb_error_last();
        char *msg = str_dup(saved.message);

        op_rollback(&u.op);
        for (i = 0; i < u.r.res->n; i++) {
            cb_progress_state s = u.r.res->v[i].state;
            if (s == CB_PROGRESS_STARTED || s == CB_PROGRESS_READY)
                run_set(&u.r, i, CB_PROGRESS_ROLLED_BACK, 0, "undone: the up failed");
        }
        /* the rollback's own errors must not hide the failures */
        err_set(rc, "%s", msg ? msg : saved.message);
        free(msg);
    }
    for (i = 0; i < u.r.res->n; i++)
        unchanged += u.r.res->v[i].state == CB_PROGRESS_UNCHANGED;
    if (rc == 0 && u.op.changes == 0 && unchanged == u.r.res->n)
        tb_log(tb, CB_LOG_INFO, "testbed %s is already up (%zu domains running): nothing to do",
               tb->m.name, unchanged);
    op_destroy(&u.op);
    run_hand_over(&u.r, result);
    run_destroy(&u.r);
    return rc;
}
