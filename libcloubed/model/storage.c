/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * config_storage.c: the storagepools and storagevolumes sections, and the
 * volumes declared inline in disks.
 */
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include "model/image.h"
#include "model/parse.h"
#include "util/error.h"
#include "model/units.h"
#include "util/util.h"

static const char *const pool_keys[] = { "name", "path", NULL };
static const char *const volume_keys[] = { "name", "size", "storagepool", "format", "backing", "mode", "source",
                                            NULL };

/* Sets *OUT on every path (NULL on failure): gcc 12 at -O3 cannot tell
 * otherwise that the caller's pointer is set whenever this returns 0. */
static int add_pool(struct pctx *c, const char *name, cb_storage_pool **out)
{
    cb_storage_pool *p = calloc(1, sizeof(*p));

    *out = NULL;
    if (!p || VEC_PUSH(c->m->pools, p) < 0) {
        free(p);
        return err_oom();
    }
    p->tb = c->tb;
    p->m = c->m;
    if (!(p->name = str_dup(name)))
        return CB_ENOMEM;
    g_hash_table_insert(c->m->ix.pool, p->name, p);
    *out = p;
    return 0;
}

int parse_storagepools(struct pctx *c, const ynode *root)
{
    const ynode *sec = ymap_get(c->doc, root, "storagepools");
    cb_storage_pool *p = NULL;
    size_t i;
    int rc;

    if (!sec) {
        /* No section: one pool named "pool" in ./pool, as the original. */
        if ((rc = add_pool(c, "pool", &p)) < 0)
            return rc;
        p->is_default = true;
        p->path = str_printf("%s/pool", c->m->dir);
        return p->path ? 0 : CB_ENOMEM;
    }
    if (!ynode_is_seq(sec))
        return pfail(c, sec, "format of storagepools parameter is not valid");
    for (i = 0; i < yseq_len(sec); i++) {
        const ynode *item = yseq_at(c->doc, sec, i);
        const char *name, *path;
        const cb_storage_pool *dup;

        if (!ynode_is_map(item))
            return pfail(c, item, "the format of one storage pool object is not valid");
        if ((rc = pget_name(c, item, "storage pool", &name)) < 0)
            return rc;
        if ((rc = pcheck_keys(c, item, pool_keys, "storage pool %s", name)) < 0)
            return rc;
        if ((rc = pget_text(c, item, "path", F_REQUIRED | F_NONEMPTY, &path, NULL,
                            "path parameter is missing on storage pool %s",
                            "format of the path parameter on storage pool %s is not valid",
                            name)) < 0)
            return rc;
        if ((dup = model_pool(c->m, name)))
            return pfail(c, item, "duplicate storage pool name %s (first defined at line %d)",
                         name, dup->loc.line);
        if ((rc = add_pool(c, name, &p)) < 0)
            return rc;
        p->loc = ploc(item);
        if (!(p->path = path_resolve(c->m->dir, path)))
            return CB_ENOMEM;
    }
    return 0;
}

/* `source: PATH`: an image file, relative to the testbed file, checked now
 * (readable, qcow2 or raw by its magic bytes) so that a typo costs nothing. */
static int parse_source(struct pctx *c, const ynode *item, cb_storage_volume *v)
{
    const char *text, *other;
    const ynode *node;
    int rc = pget_text(c, item, "source", F_NONEMPTY, &text, &node, NULL,
                       "format of source parameter of storage volume %s is not valid", v->name);

    if (rc <= 0)
        return rc;
    if (!(v->source = path_resolve(c->m->dir, text)))
        return CB_ENOMEM;
    v->source_loc = ploc(node);
    switch (image_probe(v->source, &v->source_format, &v->source_vsize, &other)) {
    case IMAGE_OK:
        return 0;
    case IMAGE_UNREADABLE:
        return pfail(c, node, "source %s of storage volume %s cannot be read: %s", v->source,
                     v->name, strerror(errno));
    case IMAGE_EMPTY:
        return pfail(c, node, "source %s of storage volume %s is an empty file", v->source,
                     v->name);
    case IMAGE_NOT_FILE:
        return pfail(c, node, "source %s of storage volume %s is not a regular file",
                     v->source, v->name);
    default:
        return pfail(c, node, "source %s of storage volume %s is a %s image: only qcow2 and raw "
                              "images are imported (convert it with qemu-img first)", v->source,
                     v->name, other);
    }
}

int parse_volume(struct pctx *c, const ynode *item, bool is_inline, cb_storage_volume **out)
{
    const char *name, *text;
    const ynode *node;
    cb_storage_volume *v, *dup;
    int rc;

    if ((rc = pget_name(c, item, "storage volume", &name)) < 0)
        return rc;
    if (!is_inline) {
        if ((rc = pcheck_keys(c, item, volume_keys, "storage volume %s", name)) < 0)
            return rc;
    }
    if (!(v = calloc(1, sizeof(*v))) || VEC_PUSH(c->m->volumes, v) < 0) {
        free(v);
        return err_oom();
    }
    v->tb = c->tb;
    v->m = c->m;
    v->index = c->m->volumes.n - 1;
    v->is_inline = is_inline;
    v->loc = ploc(item);
    if (!(v->name = str_dup(name)))
        return CB_ENOMEM;

    if ((rc = parse_source(c, item, v)) < 0)
        return rc;
    /* With a source, the size is the image's unless given (then grown). */
    if ((rc = pget_text(c, item, "size", v->source ? 0 : F_REQUIRED, &text, &node,
                        "size parameter of storage volume %s is missing",
                        "format of size parameter of storage volume %s is not valid", name)) < 0)
        return rc;
    v->size_given = rc == 1;
    switch (v->size_given ? units_parse_size_gib(text, &v->size_gib) : UNITS_OK) {
    case UNITS_OK:
        if (v->source && v->size_given && v->size_gib < (v->source_vsize + (1ull << 30) - 1) >> 30)
            return pfail(c, node, "size parameter of storage volume %s (%llu GiB) is smaller than "
                                  "its source %s (%llu bytes): images are grown, never shrunk",
                         name, v->size_gib, v->source, v->source_vsize);
        if (!v->size_given) /* for the templates' variable: whole GiB */
            v->size_gib = (v->source_vsize + (1ull << 30) - 1) >> 30;
        break;
    case UNITS_NOT_POSITIVE:
        return pfail(c, node, "size parameter of storage volume %s must be a positive number of GiB", name);
    case UNITS_TOO_LARGE:
        return pfail(c, node, "size parameter of storage volume %s is too large (at most %llu GiB)",
                     name, UNITS_MAX_SIZE_GIB);
    default:
        return pfail(c, node, "format of size parameter of storage volume %s is not valid", name);
    }

    rc = pget_text(c, item, "storagepool", 0, &text, &node, NULL,
                   "format of storagepool parameter of storage volume %s is not valid", name);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        if (!(v->pool_ref = str_dup(text)))
            return CB_ENOMEM;
        v->pool_ref_loc = ploc(node);
    } else if (c->m->pools.n == 1) {
        v->pool = c->m->pools.v[0];
    } else {
        return pfail(c, item, "storagepool parameter of storage volume %s is missing%s", name,
                     c->m->pools.n ? " (there are several storage pools)"
                                    : " (there is no storage pool)");
    }

    v->format = VOL_QCOW2;
    rc = pget_text(c, item, "format", 0, &text, &node, NULL,
                   "format of format parameter of storage volume %s is not valid", name);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        if (strcmp(text, "raw") == 0)
            v->format = VOL_RAW;
        else if (strcmp(text, "qcow2") != 0)
            return pfail(c, node, "value of format parameter of storage volume %s is not valid "
                                  "(qcow2 or raw)", name);
    }

    rc = pget_text(c, item, "backing", F_NONEMPTY, &text, &node, NULL,
                   "format of backing parameter of storage volume %s is not valid", name);
    if (rc < 0)
        return rc;
    if (rc == 1 && v->source)
        return pfail(c, node, "backing and source parameters of storage volume %s are "
                              "conflicting: a volume is either imported or an overlay", name);
    if (rc == 1) {
        if (!(v->backing_ref = str_dup(text)))
            return CB_ENOMEM;
        v->backing_ref_loc = ploc(node);
    }

    /* Owner-only by default: a disk image holds the guest's secrets. */
    v->mode = 0600;
    rc = pget_text(c, item, "mode", F_NONEMPTY, &text, &node, NULL,
                   "format of mode parameter of storage volume %s is not valid", name);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        char *end;
        unsigned long m = strtoul(text, &end, 8);
        if (*end || m > 0777 || text[0] == '-' || text[0] == '+')
            return pfail(c, node, "value of mode parameter of storage volume %s is not valid "
                                  "(an octal file mode such as 0600)", name);
        v->mode = (unsigned)m;
    }

    /* Checked last, as the original does: the other errors of this volume
     * come first. Indexed only once known to be the first of its name. */
    if ((dup = model_volume(c->m, name)))
        return pfail(c, item, "duplicate storage volume name %s (first defined at line %d)",
                     name, dup->loc.line);
    g_hash_table_insert(c->m->ix.volume, v->name, v);
    if (out)
        *out = v;
    return 0;
}

int parse_storagevolumes(struct pctx *c, const ynode *root)
{
    const ynode *sec = ymap_get(c->doc, root, "storagevolumes");
    size_t i;
    int rc;

    if (!sec)
        return 0;
    if (!ynode_is_seq(sec))
        return pfail(c, sec, "format of storagevolumes parameter is not valid");
    for (i = 0; i < yseq_len(sec); i++) {
        const ynode *item = yseq_at(c->doc, sec, i);
        if (!ynode_is_map(item))
            return pfail(c, item, "the format of one storage volume object is not valid");
        if ((rc = parse_volume(c, item, false, NULL)) < 0)
            return rc;
    }
    return 0;
}
