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

int cb_storage_pool_get_xml(char **xml, cb_storage_pool *p, unsigned int flags)
{
    if (!xml)
        return ARG_FAIL(xml);
    *xml = NULL;
    CHECK_FLAGS(flags, 0);
    if (!p)
        return ARG_FAIL(p);
    return (*xml = render_pool_xml(p)) ? 0 : err_oom();
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

int cb_storage_volume_get_xml(char **xml, cb_storage_volume *v, unsigned int flags)
{
    if (!xml)
        return ARG_FAIL(xml);
    *xml = NULL;
    CHECK_FLAGS(flags, 0);
    if (!v)
        return ARG_FAIL(v);
    return (*xml = render_volume_xml(v)) ? 0 : err_oom();
}
