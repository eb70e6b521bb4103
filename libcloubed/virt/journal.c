/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * journal.c: what an op did to libvirt objects, and undoing it when the op
 * fails (see struct op in ops.h).
 */
#include <stdlib.h>

#include <libvirt/virterror.h>

#include "util/deadline.h"
#include "util/error.h"
#include "virt/ops.h"
#include "util/util.h"

void op_init(struct op *op, cb_testbed *tb, int timeout_ms)
{
    *op = (struct op){ .tb = tb, .timeout_ms = timeout_ms };
    op->deadline = deadline_after(timeout_ms);
    pthread_mutex_init(&op->lock, NULL);
}

int op_record(struct op *op, enum undo_kind kind, enum op_what what, void *obj, char *old_xml)
{
    struct op_entry e = { kind, what, obj, old_xml };
    int rc = 0;

    pthread_mutex_lock(&op->lock);
    if (VEC_PUSH(*op, e) < 0)
        rc = CB_ENOMEM;
    else
        op->changes++;
    pthread_mutex_unlock(&op->lock);
    if (rc == 0)
        return 0;
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
    case OP_REDEFINED: {
        virDomainPtr old;
        virt_remove(NULL, VIRT_OBJ_DOMAIN, dom, NULL, VIRT_REMOVE_STOP_ONLY);
        /* the definition the domain had before this op, UUID included */
        if (e->old_xml && (old = virDomainDefineXML(virDomainGetConnect(dom), e->old_xml)))
            virDomainFree(old);
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

void op_rollback(struct op *op)
{
    struct op_entry *v;
    size_t i, n;

    take(op, &v, &n);
    for (i = n; i > 0; i--)
        release(&v[i - 1], true);
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
