/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * render_storage.c: libvirt XML of storage pools and volumes.
 */
#include "render/render.h"
#include "render/xml_build.h"

char *render_pool_xml(const cb_storage_pool *p)
{
    struct xb b;
    xb_node root = xb_init(&b, "pool");

    xb_attr(&b, root, "type", "dir");
    xb_text(&b, root, "name", "%s", p->libvirt_name);
    xb_text(&b, xb_elem(&b, root, "target"), "path", "%s", p->path);
    return xb_finish(&b);
}

char *render_seed_volume_xml(const cb_domain *d, size_t bytes)
{
    struct xb b;
    xb_node root = xb_init(&b, "volume"), target;

    xb_text(&b, root, "name", "%s", d->ci->seed_libvirt_name);
    xb_text(&b, root, "allocation", "0");
    xb_attr(&b, xb_text(&b, root, "capacity", "%zu", bytes), "unit", "bytes");
    target = xb_elem(&b, root, "target");
    xb_attr(&b, xb_elem(&b, target, "format"), "type", "raw");
    /* user-data may hold secrets (passwords, tokens), as a disk does */
    xb_text(&b, xb_elem(&b, target, "permissions"), "mode", "0600");
    return xb_finish(&b);
}

char *render_volume_xml(const cb_storage_volume *v)
{
    struct xb b;
    xb_node root = xb_init(&b, "volume"), target, bs;

    xb_text(&b, root, "name", "%s", v->libvirt_name);
    xb_text(&b, root, "allocation", "0");
    /* An imported image without `size` keeps its own size, in bytes. */
    if (v->source && !v->size_given)
        xb_attr(&b, xb_text(&b, root, "capacity", "%llu", v->source_vsize), "unit", "bytes");
    else
        xb_attr(&b, xb_text(&b, root, "capacity", "%llu", v->size_gib), "unit", "G");
    target = xb_elem(&b, root, "target");
    xb_attr(&b, xb_elem(&b, target, "format"), "type", "%s", vol_format_name(v->format));
    xb_text(&b, xb_elem(&b, target, "permissions"), "mode", "%04o", v->mode);
    if (v->backing) {
        bs = xb_elem(&b, root, "backingStore");
        xb_text(&b, bs, "path", "%s", v->backing->path);
        xb_attr(&b, xb_elem(&b, bs, "format"), "type", "%s", vol_format_name(v->backing->format));
    }
    return xb_finish(&b);
}
