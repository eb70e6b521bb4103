/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * storage.c: the public accessors of storage pools and volumes.
 */
#include <stddef.h>

#include "util/error.h"
#include "model/model.h"
#include "render/render.h"

const char *cb_storage_pool_name(const cb_storage_pool *p)
{
    return p ? p->name : NULL;
}

const char *cb_storage_pool_libvirt_name(const cb_storage_pool *p)
{
    return p ? p->libvirt_name : NULL;
}

const char *cb_storage_pool_path(const cb_storage_pool *p)
{
    return p ? p->path : NULL;
}

char *cb_storage_pool_xml(cb_storage_pool *p)
{
    if (!p) {
        ARG_FAIL(p);
        return NULL;
    }
    return render_pool_xml(p);
}

const char *cb_storage_volume_name(const cb_storage_volume *v)
{
    return v ? v->name : NULL;
}

const char *cb_storage_volume_libvirt_name(const cb_storage_volume *v)
{
    return v ? v->libvirt_name : NULL;
}

const char *cb_storage_volume_path(const cb_storage_volume *v)
{
    return v ? v->path : NULL;
}

cb_storage_pool *cb_storage_volume_pool(const cb_storage_volume *v)
{
    return v ? v->pool : NULL;
}

char *cb_storage_volume_xml(cb_storage_volume *v)
{
    if (!v) {
        ARG_FAIL(v);
        return NULL;
    }
    return render_volume_xml(v);
}
