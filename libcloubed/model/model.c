/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * model.c: names of the model's enumerations, freeing.
 */
#include <stdlib.h>

#include "model/model.h"
#include "model/yaml_doc.h"

const char *vol_format_name(enum vol_format f)
{
    return f == VOL_RAW ? "raw" : "qcow2";
}

const char *fwd_mode_name(enum fwd_mode f)
{
    return f == FWD_NAT ? "nat" : f == FWD_BRIDGE ? "bridge" : NULL;
}

const char *disk_bus_name(enum disk_bus b)
{
    return b == BUS_SCSI ? "scsi" : b == BUS_IDE ? "ide" : "virtio";
}

const char *graphics_name(enum graphics_kind g)
{
    static const char *const names[] = { "spice", "vnc", "sdl", "rdp", "none" };
    return names[g];
}

void model_free_kv(struct kv *kv)
{
    free(kv->key);
    free(kv->value);
}

static void model_free_pool(cb_storage_pool *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->libvirt_name);
    free(p->path);
    free(p);
}

static void model_free_volume(cb_storage_volume *v)
{
    if (!v)
        return;
    free(v->name);
    free(v->libvirt_name);
    free(v->path);
    free(v->pool_ref);
    free(v->backing_ref);
    free(v->source);
    free(v->source_record);
    free(v);
}

static void model_free_network(cb_network *n)
{
    if (!n)
        return;
    free(n->name);
    free(n->libvirt_name);
    free(n->bridge);
    free(n->dns_domain);
    free(n->pxe_dir);
    free(n->pxe_file);
    free(n->static_hosts.v);
    free(n);
}

static void model_free_domain(cb_domain *d)
{
    size_t i;

    if (!d)
        return;
    for (i = 0; i < d->netifs.n; i++)
        free(d->netifs.v[i].net_ref);
    for (i = 0; i < d->disks.n; i++) {
        free(d->disks.v[i].device);
        free(d->disks.v[i].vol_ref);
    }
    for (i = 0; i < d->virtfs.n; i++) {
        free(d->virtfs.v[i].source);
        free(d->virtfs.v[i].target);
    }
    for (i = 0; i < d->tpl_files.n; i++) {
        free(d->tpl_files.v[i].name);
        free(d->tpl_files.v[i].input);
        free(d->tpl_files.v[i].output);
    }
    for (i = 0; i < d->tpl_vars.n; i++)
        model_free_kv(&d->tpl_vars.v[i]);
    free(d->netifs.v);
    free(d->disks.v);
    free(d->virtfs.v);
    free(d->tpl_files.v);
    free(d->tpl_vars.v);
    free(d->name);
    free(d->libvirt_name);
    free(d->cdrom);
    free(d->kernel);
    free(d->initrd);
    free(d->cmdline);
    free(d->console_log);
    cloudinit_free(d->ci);
    free(d);
}

int model_index_init(struct model *m)
{
    /* g_hash_table_new aborts rather than fail, as every GLib allocation. */
    m->ix.pool = g_hash_table_new(g_str_hash, g_str_equal);
    m->ix.volume = g_hash_table_new(g_str_hash, g_str_equal);
    m->ix.network = g_hash_table_new(g_str_hash, g_str_equal);
    m->ix.domain = g_hash_table_new(g_str_hash, g_str_equal);
    m->ix.domain_lv = g_hash_table_new(g_str_hash, g_str_equal);
    return 0;
}

static void *lookup(GHashTable *t, const char *name)
{
    return t && name ? g_hash_table_lookup(t, name) : NULL;
}

cb_storage_pool *model_pool(const struct model *m, const char *name)
{
    return lookup(m->ix.pool, name);
}

cb_storage_volume *model_volume(const struct model *m, const char *name)
{
    return lookup(m->ix.volume, name);
}

cb_network *model_network(const struct model *m, const char *name)
{
    return lookup(m->ix.network, name);
}

cb_domain *model_domain(const struct model *m, const char *name)
{
    return lookup(m->ix.domain, name);
}

cb_domain *model_domain_by_libvirt_name(const struct model *m, const char *lv_name)
{
    return lookup(m->ix.domain_lv, lv_name);
}

static void index_free(GHashTable **t)
{
    if (*t)
        g_hash_table_destroy(*t);
    *t = NULL;
}

void model_free(struct model *m)
{
    size_t i;

    /* First: the keys are the resources' names. */
    index_free(&m->ix.pool);
    index_free(&m->ix.volume);
    index_free(&m->ix.network);
    index_free(&m->ix.domain);
    index_free(&m->ix.domain_lv);

    for (i = 0; i < m->domains.n; i++)
        model_free_domain(m->domains.v[i]);
    for (i = 0; i < m->networks.n; i++)
        model_free_network(m->networks.v[i]);
    for (i = 0; i < m->volumes.n; i++)
        model_free_volume(m->volumes.v[i]);
    for (i = 0; i < m->pools.n; i++)
        model_free_pool(m->pools.v[i]);
    for (i = 0; i < m->vars.n; i++)
        model_free_kv(&m->vars.v[i]);
    free(m->domains.v);
    free(m->networks.v);
    free(m->volumes.v);
    free(m->pools.v);
    free(m->vars.v);
    free(m->name);
    free(m->path);
    free(m->dir);
    free(m->state_dir);
    free(m->http_root);
    free(m->user);
    free(m->instance);
    free(m->ns_testbed);
    if (m->doc) {
        ydoc_free(m->doc);
        free(m->doc);
    }
}
