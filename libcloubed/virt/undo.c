/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * undo.c: removing what a failed call created.
 */
#include <stdlib.h>

#include <libvirt/virterror.h>

#include "util/error.h"
#include "virt/ops.h"
#include "util/util.h"

int undo_push(struct undo *u, enum undo_kind kind, void *obj)
{
    struct undo_entry e = { kind, obj };
    if (VEC_PUSH(*u, e) < 0)
        return CB_ENOMEM;
    return 0;
}

static void release(struct undo_entry *e, bool remove)
{
    switch (e->kind) {
    case UNDO_POOL:
        if (remove)
            virStoragePoolDestroy(e->obj);
        virStoragePoolFree(e->obj);
        break;
    case UNDO_VOLUME:
        if (remove)
            virStorageVolDelete(e->obj, 0);
        virStorageVolFree(e->obj);
        break;
    case UNDO_NETWORK:
        if (remove)
            virNetworkDestroy(e->obj);
        virNetworkFree(e->obj);
        break;
    case UNDO_DOMAIN:
        if (remove)
            virt_remove(NULL, VIRT_OBJ_DOMAIN, e->obj, NULL, 0);
        virDomainFree(e->obj);
        break;
    }
}

void undo_rollback(struct undo *u)
{
    size_t i;

    /* Keep the error that made us roll back, not the rollback's own. */
    for (i = u->n; i > 0; i--)
        release(&u->v[i - 1], true);
    virResetLastError();
    free(u->v);
    u->v = NULL;
    u->n = u->cap = 0;
}

void undo_commit(struct undo *u)
{
    size_t i;

    for (i = 0; i < u->n; i++)
        release(&u->v[i], false);
    free(u->v);
    u->v = NULL;
    u->n = u->cap = 0;
}
