/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * storage_ops.c: the testbed's pools and volumes in libvirt.
 */
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "virt/cells.h"
#include "virt/import.h"
#include "virt/connection.h"
#include "util/error.h"
#include "virt/ops.h"
#include "render/render.h"
#include "virt/xml_read.h"

static bool pool_has_path(virStoragePoolPtr pool, const char *path)
{
    char *xml = virStoragePoolGetXMLDesc(pool, 0), *p = NULL;
    xmlDocPtr doc = xml ? xr_parse(xml) : NULL;
    bool same;

    if (doc)
        p = xr_string(doc, "string(/pool/target/path)");
    same = p && strcmp(p, path) == 0;
    free(p);
    xmlFreeDoc(doc);
    free(xml);
    return same;
}

int pool_find(virConnectPtr c, const cb_storage_pool *p, virStoragePoolPtr *out, bool *ours)
{
    virStoragePoolPtr *all = NULL;
    int n, i;

    *out = NULL;
    *ours = false;
    if ((*out = virStoragePoolLookupByName(c, p->libvirt_name))) {
        *ours = true;
        return 0;
    }
    if (lv_last_code() != VIR_ERR_NO_STORAGE_POOL)
        return lv_fail("cannot look up storage pool %s", p->libvirt_name);
    virResetLastError();
    /* Another pool on the same directory is used as it is (the original
     * tool's adoption), but never removed: it is not the testbed's. */
    if ((n = virConnectListAllStoragePools(c, &all, 0)) < 0)
        return lv_fail("cannot list storage pools");
    for (i = 0; i < n; i++) {
        if (!*out && pool_has_path(all[i], p->path))
            *out = all[i];
        else
            virStoragePoolFree(all[i]);
    }
    free(all);
    virResetLastError();
    return 0;
}

/* Under P's cell. */
static int pool_ensure_locked(struct op *op, virConnectPtr c, const cb_storage_pool *p,
                              virStoragePoolPtr *out)
{
    virStoragePoolPtr pool;
    bool ours;
    char *xml;
    int rc;

    if ((rc = pool_find(c, p, &pool, &ours)) < 0)
        return rc;
    if (pool) {
        if (virStoragePoolIsActive(pool) != 1) {
            if (virStoragePoolCreate(pool, 0) < 0) {
                rc = lv_fail("cannot start storage pool %s", p->libvirt_name);
                virStoragePoolFree(pool);
                return rc;
            }
            virStoragePoolRef(pool);
            if ((rc = op_record(op, UNDO_POOL, OP_STARTED, pool, NULL, p)) < 0) {
                virStoragePoolFree(pool);
                return rc;
            }
        }
        /* Files may have come or gone behind libvirt's back. */
        if (virStoragePoolRefresh(pool, 0) < 0)
            virResetLastError();
        *out = pool;
        return 0;
    }
    if ((rc = seam_before_create(op->tb, "pool", p->name)) < 0)
        return rc;
    if (!(xml = render_pool_xml(p)))
        return CB_ENOMEM;
    /* Transient, and built: the directory is created when missing. */
    pool = virStoragePoolCreateXML(c, xml, VIR_STORAGE_POOL_CREATE_WITH_BUILD);
    if (!pool && lv_last_code() == VIR_ERR_INVALID_ARG) {
        virResetLastError(); /* a driver without the build flag (test://) */
        pool = virStoragePoolCreateXML(c, xml, 0);
    }
    free(xml);
    if (!pool) {
        /* Another process won the race: its pool (same name) is used. */
        rc = lv_fail("cannot create storage pool %s in %s", p->libvirt_name, p->path);
        if ((pool = virStoragePoolLookupByName(c, p->libvirt_name))) {
            *out = pool;
            return 0;
        }
        virResetLastError();
        return rc;
    }
    tb_log(op->tb, CB_LOG_INFO, "created storage pool %s", p->libvirt_name);
    /* the op holds one reference, the caller gets its own */
    virStoragePoolRef(pool);
    if ((rc = op_record(op, UNDO_POOL, OP_CREATED, pool, NULL, p)) < 0) {
        virStoragePoolFree(pool);
        return rc;
    }
    *out = pool;
    return 0;
}

int pool_ensure(struct op *op, virConnectPtr c, const cb_storage_pool *p, virStoragePoolPtr *out)
{
    int rc;

    *out = NULL;
    if ((rc = cell_enter(op->tb, p, p->libvirt_name, &op->deadline, op->timeout_ms)) < 0)
        return rc;
    rc = pool_ensure_locked(op, c, p, out);
    /* found or made, it is this op's to use until it ends */
    if (rc == 0 && (rc = op_claim(op, p, false)) < 0) {
        virStoragePoolFree(*out);
        *out = NULL;
    }
    cell_leave(op->tb, p);
    return rc;
}

/* Under V's cell; POOL is V's. */
static int volume_ensure_locked(struct op *op, virConnectPtr c, virStoragePoolPtr pool,
                                const cb_storage_volume *v, bool overwrite)
{
    virStorageVolPtr vol = NULL;
    char *xml = NULL;
    int rc = 0;

    vol = virStorageVolLookupByName(pool, v->libvirt_name);
    if (!vol && lv_last_code() != VIR_ERR_NO_STORAGE_VOL)
        return lv_fail("cannot look up storage volume %s", v->libvirt_name);
    virResetLastError();
    if (vol && !overwrite && v->source) {
        /* Imported once: kept while its source is unchanged. */
        if ((rc = import_check(op->tb, v)) <= 0)
            goto out;
        tb_log(op->tb, CB_LOG_WARNING, "storage volume %s has no record of its import (cut "
               "short?): importing %s again", v->name, v->source);
        overwrite = true;
        rc = 0;
    }
    if (vol && !overwrite)
        goto out;
    if (vol) {
        tb_log(op->tb, CB_LOG_INFO, "overwriting storage volume %s", v->libvirt_name);
        if (virStorageVolDelete(vol, 0) < 0) {
            rc = lv_fail("cannot delete storage volume %s to overwrite it", v->libvirt_name);
            goto out;
        }
        virStorageVolFree(vol);
        vol = NULL;
    }
    if ((rc = seam_before_create(op->tb, "volume", v->name)) < 0)
        goto out;
    if (v->source) {
        rc = import_volume(op, c, pool, v);
        goto out;
    }
    if (!(xml = render_volume_xml(v))) {
        rc = CB_ENOMEM;
        goto out;
    }
    if (!(vol = virStorageVolCreateXML(pool, xml, 0))) {
        rc = lv_fail("cannot create storage volume %s", v->libvirt_name);
        /* Another process won the race (VIR_ERR_STORAGE_VOL_EXIST): its
         * volume, of the same deterministic name, is used. */
        if (!overwrite && virStoragePoolRefresh(pool, 0) == 0 &&
            (vol = virStorageVolLookupByName(pool, v->libvirt_name)))
            rc = 0;
        virResetLastError();
        goto out;
    }
    tb_log(op->tb, CB_LOG_INFO, "created storage volume %s", v->libvirt_name);
    rc = op_record(op, UNDO_VOLUME, OP_CREATED, vol, NULL, v);
    vol = NULL; /* now the op's */
out:
    if (vol)
        virStorageVolFree(vol);
    free(xml);
    return rc;
}

int volume_ensure(struct op *op, virConnectPtr c, const cb_storage_volume *v, bool overwrite)
{
    virStoragePoolPtr pool = NULL;
    int rc;

    /* Backing first, each volume in its own cell: a thread holds one cell
     * at a time, so cells cannot deadlock. */
    if (v->backing && (rc = volume_ensure(op, c, v->backing, false)) < 0)
        return rc;
    if ((rc = pool_ensure(op, c, v->pool, &pool)) < 0)
        return rc;
    if ((rc = cell_enter(op->tb, v, v->libvirt_name, &op->deadline, op->timeout_ms)) == 0) {
        rc = volume_ensure_locked(op, c, pool, v, overwrite);
        if (rc == 0)
            rc = op_claim(op, v, false);
        cell_leave(op->tb, v);
    }
    virStoragePoolFree(pool);
    return rc;
}
