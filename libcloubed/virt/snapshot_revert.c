/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * snapshot_revert.c: cb_testbed_snapshot_revert and _delete: the
 * testbed's snapshot found on its domains, then each domain handled on its
 * own worker (snapshot.h).
 */
#include <glib.h>
#include <libvirt/virterror.h>

#include <cloubed/agent.h>
#include <cloubed/snapshot.h>

#include "util/error.h"
#include "virt/connection.h"
#include "virt/snapshot.h"
#include "wait/events.h"

/* Finds snapshot NAME of TB; CB_ENOTFOUND naming it when no domain has it.
 * ALLOWED: the flags the call takes. */
static int snap_find(struct snap_run *s, cb_testbed *tb, const char *name, unsigned int flags,
                     unsigned int allowed)
{
    int rc;

    CHECK_FLAGS(flags, allowed);
    if (!tb || !name)
        return !tb ? ARG_FAIL(tb) : ARG_FAIL(name);
    if ((rc = snap_run_init(s, tb, name, true)) < 0)
        return rc;
    if (s->found == 0) {
        snap_run_destroy(s);
        return err_set(CB_ENOTFOUND, "testbed %s has no snapshot %s", tb->m.name, name);
    }
    return 0;
}

static void revert_one(struct run *r, size_t i)
{
    struct snap_run *s = (struct snap_run *)r;
    struct snap_dom *x = &s->v[i];
    /* The snapshot of a running domain was taken paused (all at one
     * point): it runs again. */
    unsigned int fl = x->state == SNAP_RUNNING ? VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING
                      : x->state == SNAP_PAUSED ? VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED : 0;

    unsigned int id;

    if (!x->snap)
        return;
    id = virDomainGetID(x->dom);
    if (virDomainRevertToSnapshot(x->snap, fl) < 0) {
        lv_fail("cannot revert domain %s", r->res->v[i].d->name);
        run_fail(r, i, CB_PROGRESS_FAILED);
        return;
    }
    /* libvirt 9.0 starts a new QEMU (-loadvm), which starts a new console
     * log: console waits read it from its beginning, as after a boot. */
    if (virDomainIsActive(x->dom) == 1 && virDomainGetID(x->dom) != id)
        console_new_boot(r->res->v[i].d);
    virResetLastError();
    /* through the public call, as a harness would make it (agent/ sits
     * above virt/), on this domain's own worker */
    if ((s->flags & CB_SNAPSHOT_REVERT_SYNC_CLOCK) && x->state == SNAP_RUNNING &&
        cb_domain_sync_clock(r->res->v[i].d, CB_SNAPSHOT_SYNC_CLOCK_TIMEOUT_MS, 0) < 0)
        run_fail(r, i, CB_PROGRESS_FAILED);
}

int cb_testbed_snapshot_revert(cb_testbed *tb, const char *name, unsigned int flags)
{
    struct snap_run s;
    g_autofree char *what = NULL;
    size_t i;
    unsigned covers = 0;
    int rc;

    if ((rc = snap_find(&s, tb, name, flags, CB_SNAPSHOT_REVERT_SYNC_CLOCK)) < 0)
        return rc;
    s.flags = flags;
    for (i = 0; i < s.r.res->n; i++)
        if (s.v[i].snap)
            covers = s.v[i].covers;
    /* A domain removed since cannot be restored: reverting the others
     * would give a testbed that never existed. */
    if (s.found < covers) {
        rc = err_set(CB_ESTATE, "snapshot %s of testbed %s is incomplete: it was taken of %u "
                                "domains and %zu still have it (was a domain removed?); it can "
                                "only be deleted", name, tb->m.name, covers, s.found);
        snap_run_destroy(&s);
        return rc;
    }
    what = g_strdup_printf("revert to snapshot %s", name);
    rc = run_all(&s.r, run_parallel(0, s.r.res->n), revert_one);
    if (rc == 0)
        rc = run_summary(&s.r, what);
    if (rc == 0)
        tb_log(tb, CB_LOG_INFO, "testbed %s: %zu domains reverted to snapshot %s", tb->m.name,
               s.found, name);
    snap_run_destroy(&s);
    return rc;
}

static void delete_one(struct run *r, size_t i)
{
    struct snap_run *s = (struct snap_run *)r;

    if (!s->v[i].snap)
        return;
    if (virDomainSnapshotDelete(s->v[i].snap, 0) < 0) {
        lv_fail("cannot delete snapshot %s of domain %s", s->name, r->res->v[i].d->name);
        run_fail(r, i, CB_PROGRESS_FAILED);
    }
}

int cb_testbed_snapshot_delete(cb_testbed *tb, const char *name, unsigned int flags)
{
    struct snap_run s;
    g_autofree char *what = NULL;
    int rc;

    if ((rc = snap_find(&s, tb, name, flags, 0)) < 0)
        return rc;
    what = g_strdup_printf("delete of snapshot %s", name);
    rc = run_all(&s.r, run_parallel(0, s.r.res->n), delete_one);
    if (rc == 0)
        rc = run_summary(&s.r, what);
    if (rc == 0)
        tb_log(tb, CB_LOG_INFO, "testbed %s: snapshot %s deleted", tb->m.name, name);
    snap_run_destroy(&s);
    return rc;
}
