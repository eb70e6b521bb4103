/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * storage_ops.c: the testbed's pools and volumes in libvirt.
 */
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

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

int pool_ensure(cb_testbed *tb, virConnectPtr c, const cb_storage_pool *p, virStoragePoolPtr *out,
                struct undo *u)
{
    virStoragePoolPtr pool;
    bool ours;
    char *xml;
    int rc;

    if ((rc = pool_find(c, p, &pool, &ours)) < 0)
        return rc;
    if (pool) {
        if (virStoragePoolIsActive(pool) != 1 && virStoragePoolCreate(pool, 0) < 0) {
            rc = lv_fail("cannot start storage pool %s", p->libvirt_name);
            virStoragePoolFree(pool);
            return rc;
        }
        /* Files may have come or gone behind libvirt's back. */
        if (virStoragePoolRefresh(pool, 0) < 0)
            virResetLastError();
        *out = pool;
        return 0;
    }
    if (!(xml = render_pool_xml(p)))
        return CB_ENOMEM;
    /* Transient, and built: the directory is created when missing. */
    pool = virStoragePoolCreateXML(c, xml, VIR_STORAGE_POOL_CREATE_WITH_BUILD);
    if (!pool && lv_last_code() == VIR_ERR_INVALID_ARG) {
        virResetLastError(); /* a driver without the build flag (test://) */
        pool = virStoragePoolCreateXML(c, xml, 0);
    }
    free(xml);
    if (!pool)
        return lv_fail("cannot create storage pool %s in %s", p->libvirt_name, p->path);
    tb_log(tb, CB_LOG_INFO, "created storage pool %s", p->libvirt_name);
    if (undo_push(u, UNDO_POOL, pool) < 0) {
        virStoragePoolFree(pool);
        return CB_ENOMEM;
    }
    /* the undo log holds one reference, the caller gets its own */
    virStoragePoolRef(pool);
    *out = pool;
    return 0;
}

int volume_ensure(cb_testbed *tb, virConnectPtr c, const cb_storage_volume *v, bool overwrite,
                  struct undo *u)
{
    virStoragePoolPtr pool = NULL;
    virStorageVolPtr vol = NULL;
    char *xml = NULL;
    int rc;

    if (v->backing && (rc = volume_ensure(tb, c, v->backing, false, u)) < 0)
        return rc;
    if ((rc = pool_ensure(tb, c, v->pool, &pool, u)) < 0)
        return rc;
    vol = virStorageVolLookupByName(pool, v->libvirt_name);
    if (!vol && lv_last_code() != VIR_ERR_NO_STORAGE_VOL) {
        rc = lv_fail("cannot look up storage volume %s", v->libvirt_name);
        goto out;
    }
    virResetLastError();
    if (vol && !overwrite)
        goto out;
    if (vol) {
        tb_log(tb, CB_LOG_INFO, "overwriting storage volume %s", v->libvirt_name);
        if (virStorageVolDelete(vol, 0) < 0) {
            rc = lv_fail("cannot delete storage volume %s to overwrite it", v->libvirt_name);
            goto out;
        }
        virStorageVolFree(vol);
        vol = NULL;
    }
    if (!(xml = render_volume_xml(v))) {
        rc = CB_ENOMEM;
        goto out;
    }
    if (!(vol = virStorageVolCreateXML(pool, xml, 0))) {
        rc = lv_fail("cannot create storage volume %s", v->libvirt_name);
        goto out;
    }
    tb_log(tb, CB_LOG_INFO, "created storage volume %s", v->libvirt_name);
    rc = undo_push(u, UNDO_VOLUME, vol);
    vol = rc < 0 ? vol : NULL; /* now the undo log's */
out:
    if (vol)
        virStorageVolFree(vol);
    virStoragePoolFree(pool);
    free(xml);
    return rc;
}
