/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * snapshot_create.c: cb_testbed_snapshot_create: every defined domain
 * checked first, then paused at once, snapshotted, resumed; on a failure
 * the snapshots taken are deleted and the domains resumed (snapshot.h).
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <libvirt/virterror.h>

#include <cloubed/snapshot.h>

#include "util/error.h"
#include "virt/connection.h"
#include "virt/snapshot.h"

/* QEMU's savevm writes into every writable disk and needs one to hold the
 * memory: each disk a qcow2 volume, at least one disk. Every offender is
 * named, before anything is touched. */
static int check_disks(struct snap_run *s)
{
    GString *why = g_string_new(NULL);
    size_t i, k;
    int rc = 0;

    for (i = 0; i < s->r.res->n; i++) {
        const cb_domain *d = s->r.res->v[i].d;
        if (!s->v[i].dom)
            continue;
        if (d->disks.n == 0)
            g_string_append_printf(why, "%sdomain %s has no disk (one qcow2 disk holds the "
                                        "memory)", why->len ? "; " : "", d->name);
        for (k = 0; k < d->disks.n; k++)
            if (d->disks.v[k].vol->format != VOL_QCOW2)
                g_string_append_printf(why, "%sdomain %s: disk %s (volume %s) is %s, not qcow2",
                                       why->len ? "; " : "", d->name, d->disks.v[k].device,
                                       d->disks.v[k].vol->name,
                                       vol_format_name(d->disks.v[k].vol->format));
    }
    if (why->len)
        rc = err_set(CB_EUNSUPPORTED, "cannot snapshot testbed %s: internal snapshots need "
                                      "qcow2 disks: %s", s->r.tb->m.name, why->str);
    g_string_free(why, TRUE);
    return rc;
}

/* The name is free on every domain (a foreign snapshot of that name too),
 * and each domain is in a state a snapshot keeps. */
static int check_domains(struct snap_run *s)
{
    size_t i;

    for (i = 0; i < s->r.res->n; i++) {
        struct snap_dom *x = &s->v[i];
        const cb_domain *d = s->r.res->v[i].d;
        virDomainSnapshotPtr other;
        int st, reason;

        if (!x->dom)
            continue;
        if ((other = virDomainSnapshotLookupByName(x->dom, s->name, 0))) {
            virDomainSnapshotFree(other);
            return err_set(CB_ECONFLICT, "cannot snapshot testbed %s: domain %s already has a "
                                         "snapshot %s", s->r.tb->m.name, d->name, s->name);
        }
        if (lv_last_code() != VIR_ERR_NO_DOMAIN_SNAPSHOT)
            return lv_fail("cannot look up snapshot %s of domain %s", s->name, d->name);
        virResetLastError();
        if (virDomainGetState(x->dom, &st, &reason, 0) < 0)
            return lv_fail("cannot read the state of domain %s", d->name);
        switch (st) {
        case VIR_DOMAIN_RUNNING:
        case VIR_DOMAIN_BLOCKED: x->state = SNAP_RUNNING; break;
        case VIR_DOMAIN_PAUSED: x->state = SNAP_PAUSED; break;
        case VIR_DOMAIN_SHUTOFF: x->state = SNAP_SHUTOFF; break;
        default:
            return err_set(CB_ESTATE, "cannot snapshot testbed %s: domain %s is %s", s->r.tb->m.name,
                           d->name, cb_domain_state_name((cb_domain_state)(st + 1)));
        }
    }
    return 0;
}

static void pause_one(struct run *r, size_t i)
{
    struct snap_run *s = (struct snap_run *)r;
    struct snap_dom *x = &s->v[i];

    if (!x->dom || x->state != SNAP_RUNNING)
        return;
    if (virDomainSuspend(x->dom) < 0) {
        lv_fail("cannot pause domain %s", r->res->v[i].d->name);
        run_fail(r, i, CB_PROGRESS_FAILED);
        return;
    }
    x->paused = true;
}

static void take_one(struct run *r, size_t i)
{
    struct snap_run *s = (struct snap_run *)r;
    struct snap_dom *x = &s->v[i];
    g_autofree char *desc = NULL, *xml = NULL;

    if (!x->dom)
        return;
    desc = snap_description(r->tb, (unsigned)s->defined, x->state);
    xml = g_markup_printf_escaped("<domainsnapshot><name>%s</name><description>%s</description>"
                                  "</domainsnapshot>", s->name, desc);
    if (r->tb->rt.seams.before_snapshot &&
        r->tb->rt.seams.before_snapshot(r->res->v[i].d->name, r->tb->rt.seams.payload) < 0) {
        run_fail(r, i, CB_PROGRESS_FAILED);
        return;
    }
    /* No flags: internal, with memory when the domain is active. */
    if (!(x->snap = virDomainSnapshotCreateXML(x->dom, xml, 0))) {
        lv_fail("cannot snapshot domain %s", r->res->v[i].d->name);
        run_fail(r, i, CB_PROGRESS_FAILED);
    }
}

static void resume_one(struct run *r, size_t i)
{
    struct snap_run *s = (struct snap_run *)r;
    struct snap_dom *x = &s->v[i];

    if (!x->paused)
        return;
    if (virDomainResume(x->dom) < 0) {
        lv_fail("cannot resume domain %s (it stays paused)", r->res->v[i].d->name);
        run_fail(r, i, CB_PROGRESS_FAILED);
        return;
    }
    x->paused = false;
}

/* The undo of a failed create: its own failures are warnings, so that the
 * error stays the one that made the call fail. */
static void untake_one(struct run *r, size_t i)
{
    struct snap_run *s = (struct snap_run *)r;
    struct snap_dom *x = &s->v[i];

    if (!x->snap)
        return;
    if (virDomainSnapshotDelete(x->snap, 0) < 0)
        tb_log(r->tb, CB_LOG_WARNING, "snapshot %s of domain %s, taken by a failed snapshot, "
                                      "could not be deleted: %s", s->name, r->res->v[i].d->name,
               virGetLastErrorMessage());
    virResetLastError();
}

int cb_testbed_snapshot_create(cb_testbed *tb, const char *name, unsigned int flags)
{
    struct snap_run s;
    g_autofree char *what = NULL;
    unsigned par;
    int rc;

    CHECK_FLAGS(flags, 0);
    if (!tb || !name)
        return !tb ? ARG_FAIL(tb) : ARG_FAIL(name);
    if ((rc = snap_run_init(&s, tb, name, false)) < 0)
        return rc;
    if (s.defined == 0)
        rc = err_set(CB_ESTATE, "cannot snapshot testbed %s: none of its domains is defined",
                     tb->m.name);
    if (rc == 0 && (rc = check_disks(&s)) == 0)
        rc = check_domains(&s);
    if (rc < 0) {
        snap_run_destroy(&s);
        return rc;
    }
    par = run_parallel(0, s.r.res->n);
    what = g_strdup_printf("snapshot %s", name);
    /* Only once every domain is paused does any snapshot start: they all
     * hold the same moment. */
    rc = run_all(&s.r, par, pause_one);
    if (rc == 0 && run_summary(&s.r, what) == 0)
        rc = run_all(&s.r, par, take_one);
    if (rc == 0)
        rc = run_all(&s.r, par, resume_one);
    if (rc == 0)
        rc = run_summary(&s.r, what);
    if (rc < 0) {
        g_autofree char *msg = g_strdup(cb_error_last()->message);
        run_all(&s.r, par, untake_one);
        run_all(&s.r, par, resume_one);
        err_set(rc, "%s", msg);
    } else {
        tb_log(tb, CB_LOG_INFO, "testbed %s: snapshot %s of %zu domains taken", tb->m.name, name,
               s.defined);
    }
    snap_run_destroy(&s);
    return rc;
}
