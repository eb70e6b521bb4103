/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * journal.c: what an op did to libvirt objects, and undoing it when the op
 * fails (see struct op in ops.h).
 */
#include <stdlib.h>

#include <libvirt/virterror.h>

#include "util/deadline.h"
#include "virt/cells.h"
#include "util/error.h"
#include "virt/ops.h"
#include "util/util.h"

void op_init(struct op *op, cb_testbed *tb, int timeout_ms)
{
    *op = (struct op){ .tb = tb, .timeout_ms = timeout_ms };
    op->deadline = deadline_after(timeout_ms);
    pthread_mutex_init(&op->lock, NULL);
}

int op_claim(struct op *op, const void *cell, bool changed)
{
    bool first = true;
    size_t i;
    int rc = 0;

    /* once per op: the workers of one up share it */
    pthread_mutex_lock(&op->lock);
    for (i = 0; i < op->claims.n && first; i++)
        first = op->claims.v[i] != cell;
    if (first && VEC_PUSH(op->claims, cell) < 0)
        rc = CB_ENOMEM;
    pthread_mutex_unlock(&op->lock);
    if (rc < 0)
        return err_oom();
    cell_claim(op->tb, cell, first, changed);
    return 0;
}

int op_record(struct op *op, enum undo_kind kind, enum op_what what, void *obj, char *old_xml,
              const void *cell)
{
    struct op_entry e = { kind, what, obj, old_xml, cell };
    int rc = 0;

    pthread_mutex_lock(&op->lock);
    if (VEC_PUSH(*op, e) < 0)
        rc = CB_ENOMEM;
    else
        op->changes++;
    pthread_mutex_unlock(&op->lock);
    /* claimed as soon as recorded: a rollback needs both to decide */
    if (rc == 0)
        return op_claim(op, cell, true);
    /* not recorded: not ours to keep a reference to either */
    free(old_xml);
    switch (kind) {
    case UNDO_POOL: virStoragePoolFree(obj); break;
    case UNDO_VOLUME: virStorageVolFree(obj); break;
    case UNDO_NETWORK: virNetworkFree(obj); break;
    case UNDO_DOMAIN: virDomainFree(obj); break;
    }
    return err_oom();
}

static void undo_domain(struct op_entry *e)
{
    virDomainPtr dom = e->obj;

    switch (e->what) {
    case OP_CREATED:
        virt_remove(NULL, VIRT_OBJ_DOMAIN, dom, NULL, 0);
        break;
    case OP_STARTED:
        virt_remove(NULL, VIRT_OBJ_DOMAIN, dom, NULL, VIRT_REMOVE_STOP_ONLY);
        break;
    case OP_REDEFINED:
    case OP_RESTARTED: {
        virDomainPtr old;
        virt_remove(NULL, VIRT_OBJ_DOMAIN, dom, NULL, VIRT_REMOVE_STOP_ONLY);
        /* the definition the domain had before this op, UUID included */
        if (e->old_xml && (old = virDomainDefineXML(virDomainGetConnect(dom), e->old_xml))) {
            /* it ran before the op: it runs again (a new boot; its guest's
             * state went with the op's destroy) */
            if (e->what == OP_RESTARTED && virDomainCreate(old) < 0)
                virResetLastError();
            virDomainFree(old);
        }
        break;
    }
    }
}

static void release(struct op_entry *e, bool undo)
{
    switch (e->kind) {
    case UNDO_POOL:
        if (undo)
            virStoragePoolDestroy(e->obj);
        virStoragePoolFree(e->obj);
        break;
    case UNDO_VOLUME:
        if (undo)
            virStorageVolDelete(e->obj, 0);
        virStorageVolFree(e->obj);
        break;
    case UNDO_NETWORK:
        if (undo)
            virNetworkDestroy(e->obj);
        virNetworkFree(e->obj);
        break;
    case UNDO_DOMAIN:
        if (undo)
            undo_domain(e);
        virDomainFree(e->obj);
        break;
    }
    free(e->old_xml);
}

/* Takes the entries out under the lock; they are released without it, since
 * releasing calls libvirt. */
static void take(struct op *op, struct op_entry **v, size_t *n)
{
    pthread_mutex_lock(&op->lock);
    *v = op->v;
    *n = op->n;
    op->v = NULL;
    op->n = op->cap = 0;
    pthread_mutex_unlock(&op->lock);
}

/* The op's claims end, newest first (overlays before their backing, volumes
 * before their pool). A failed op's release may undo an orphan; it does so
 * inside the cell, so that no op finds the object between the decision and
 * the removal. */
static void release_claims(struct op *op, bool committed)
{
    const void **v;
    size_t i, n;

    pthread_mutex_lock(&op->lock);
    v = op->claims.v;
    n = op->claims.n;
    op->claims.v = NULL;
    op->claims.n = op->claims.cap = 0;
    pthread_mutex_unlock(&op->lock);
    for (i = n; i > 0; i--) {
        struct op_entry *e;
        bool entered = !committed && cell_enter(op->tb, v[i - 1], "", NULL, -1) == 0;

        if ((e = cell_release(op->tb, v[i - 1], committed))) {
            release(e, !committed);
            free(e);
        }
        if (entered)
            cell_leave(op->tb, v[i - 1]);
    }
    free(v);
}

/* One entry of a failed op, in its cell (see cell_rollback). */
static void roll_back_entry(struct op *op, struct op_entry *e)
{
    struct op_entry *parked = malloc(sizeof(*parked));
    bool entered;

    if (!parked) {
        release(e, false); /* keeping is the safe side */
        return;
    }
    *parked = *e;
    /* no timeout: a cell is busy only across one libvirt call */
    entered = cell_enter(op->tb, e->cell, "", NULL, -1) == 0;
    switch (cell_rollback(op->tb, e->cell, parked)) {
    case CELL_UNDO:
        release(e, true);
        free(parked);
        break;
    case CELL_KEEP:
        release(e, false);
        free(parked);
        break;
    case CELL_PARKED:
        break; /* the cell owns it now */
    }
    if (entered)
        cell_leave(op->tb, e->cell);
}

void op_rollback(struct op *op)
{
    struct op_entry *v;
    size_t i, n;

    take(op, &v, &n);
    for (i = n; i > 0; i--)
        roll_back_entry(op, &v[i - 1]);
    release_claims(op, false);
    /* Keep the error that made us roll back, not the rollback's own. */
    virResetLastError();
    free(v);
}

void op_commit(struct op *op)
{
    struct op_entry *v;
    size_t i, n;

    take(op, &v, &n);
    for (i = 0; i < n; i++)
        release(&v[i], false);
    release_claims(op, true);
    free(v);
}

void op_destroy(struct op *op)
{
    op_commit(op);
    pthread_mutex_destroy(&op->lock);
}

int seam_before_create(cb_testbed *tb, const char *kind, const char *name)
{
    return tb->rt.seams.before_create ? tb->rt.seams.before_create(kind, name, tb->rt.seams.payload)
                                      : 0;
}
