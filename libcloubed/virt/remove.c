/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * remove.c: stopping and undefining one libvirt object, the one sequence
 * that cleanup, cb_domain_cleanup, a network's recreation, boot's restart
 * and the undo log share.
 */
#include "virt/connection.h"
#include "util/error.h"
#include "virt/ops.h"

static const char *const kind_names[] = {
    [VIRT_OBJ_DOMAIN] = "domain", [VIRT_OBJ_NETWORK] = "network",
    [VIRT_OBJ_POOL] = "storage pool",
};

static int is_active(enum virt_obj kind, void *obj)
{
    switch (kind) {
    case VIRT_OBJ_DOMAIN: return virDomainIsActive(obj);
    case VIRT_OBJ_NETWORK: return virNetworkIsActive(obj);
    case VIRT_OBJ_POOL: return virStoragePoolIsActive(obj);
    }
    return -1;
}

static int is_persistent(enum virt_obj kind, void *obj)
{
    switch (kind) {
    case VIRT_OBJ_DOMAIN: return virDomainIsPersistent(obj);
    case VIRT_OBJ_NETWORK: return virNetworkIsPersistent(obj);
    case VIRT_OBJ_POOL: return virStoragePoolIsPersistent(obj);
    }
    return -1;
}

static int stop(enum virt_obj kind, void *obj)
{
    switch (kind) {
    case VIRT_OBJ_DOMAIN: return virDomainDestroy(obj);
    case VIRT_OBJ_NETWORK: return virNetworkDestroy(obj);
    case VIRT_OBJ_POOL: return virStoragePoolDestroy(obj);
    }
    return -1;
}

static int undefine(enum virt_obj kind, void *obj)
{
    switch (kind) {
    /* A domain's snapshot metadata goes with it (their data is in its
     * volumes); without the flag libvirt refuses to undefine it. */
    case VIRT_OBJ_DOMAIN: return virDomainUndefineFlags(obj, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
    case VIRT_OBJ_NETWORK: return virNetworkUndefine(obj);
    case VIRT_OBJ_POOL: return virStoragePoolUndefine(obj);
    }
    return -1;
}

int virt_remove(cb_testbed *tb, enum virt_obj kind, void *obj, const char *name,
                unsigned int flags)
{
    const char *what = kind_names[kind];
    bool log = tb && name && (flags & VIRT_REMOVE_LOG);

    if (is_active(kind, obj) == 1) {
        if (log)
            tb_log(tb, CB_LOG_WARNING, "destroying %s %s", what, name);
        if (stop(kind, obj) < 0)
            return lv_fail("cannot destroy %s %s", what, name ? name : "");
    }
    if ((flags & VIRT_REMOVE_STOP_ONLY) || is_persistent(kind, obj) != 1)
        return 0;
    if (log)
        tb_log(tb, CB_LOG_WARNING, "undefining %s %s", what, name);
    if (undefine(kind, obj) < 0)
        return lv_fail("cannot undefine %s %s", what, name ? name : "");
    return 0;
}
