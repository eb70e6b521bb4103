/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * cleanup.c: removing every libvirt object and file of the testbed, and
 * nothing else.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "virt/connection.h"
#include "util/error.h"
#include "serve/gen_record.h"
#include "virt/ops.h"
#include "virt/ssh_key.h"
#include "virt/subnet.h"
#include "util/util.h"

/* Goes on after a failure, so that one stuck object does not leave the
 * others behind, and returns the last failure (the one cb_error_last()
 * describes). */
#define KEEP_FAILURE(rc, expr) do { int r_ = (expr); if (r_ < 0) (rc) = r_; } while (0)

static int remove_domain(cb_testbed *tb, virConnectPtr c, const cb_domain *d)
{
    virDomainPtr dom;
    enum owner owner;
    int rc = domain_lookup(tb, c, d, &dom, &owner);

    if (rc < 0 || !dom)
        return rc;
    rc = virt_remove(tb, VIRT_OBJ_DOMAIN, dom, d->name, VIRT_REMOVE_LOG);
    virDomainFree(dom);
    return rc;
}

static int remove_network(cb_testbed *tb, virConnectPtr c, const cb_network *n)
{
    virNetworkPtr net;
    enum owner owner;
    int rc = network_lookup(tb, c, n, &net, &owner);

    if (rc < 0 || !net)
        return rc;
    rc = virt_remove(tb, VIRT_OBJ_NETWORK, net, n->name, VIRT_REMOVE_LOG);
    virNetworkFree(net);
    if (rc == 0)
        subnet_forget(tb, n);
    return rc;
}

/* The volume LV_NAME (NAME in messages, file PATH) of the model's pool P. */
static int remove_pool_volume(cb_testbed *tb, virConnectPtr c, const cb_storage_pool *p,
                              const char *lv_name, const char *name, const char *path)
{
    virStoragePoolPtr pool = NULL;
    virStorageVolPtr vol;
    bool ours;
    int rc = pool_find(c, p, &pool, &ours);

    if (rc < 0)
        return rc;
    if (pool && virStoragePoolIsActive(pool) == 1) {
        if (virStoragePoolRefresh(pool, 0) < 0)
            virResetLastError();
        vol = virStorageVolLookupByName(pool, lv_name);
        if (vol) {
            tb_log(tb, CB_LOG_WARNING, "destroying storage volume %s", name);
            if (virStorageVolDelete(vol, 0) < 0)
                rc = lv_fail("cannot delete storage volume %s", name);
            virStorageVolFree(vol);
        } else if (lv_last_code() == VIR_ERR_NO_STORAGE_VOL) {
            virResetLastError();
        } else {
            rc = lv_fail("cannot look up storage volume %s", name);
        }
    } else if (uri_is_local(tb->rt.uri) && unlink(path) == 0) {
        /* No pool in libvirt any more, but the file is the testbed's. */
        tb_log(tb, CB_LOG_WARNING, "destroying storage volume %s", name);
    }
    if (pool)
        virStoragePoolFree(pool);
    return rc;
}

static int remove_volume(cb_testbed *tb, virConnectPtr c, const cb_storage_volume *v)
{
    int rc = remove_pool_volume(tb, c, v->pool, v->libvirt_name, v->name, v->path);

    /* The record of an import goes with its volume. */
    if (rc == 0 && v->source_record && unlink(v->source_record) < 0 && errno != ENOENT)
        rc = err_set(CB_EIO, "cannot remove %s: %s", v->source_record, strerror(errno));
    return rc;
}

static int remove_seed(cb_testbed *tb, virConnectPtr c, const cb_domain *d)
{
    g_autofree char *name = g_strdup_printf("%s-cidata (the seed of domain %s)", d->name, d->name);

    return remove_pool_volume(tb, c, d->ci->pool, d->ci->seed_libvirt_name, name,
                              d->ci->seed_path);
}

static int remove_pool(cb_testbed *tb, virConnectPtr c, const cb_storage_pool *p)
{
    virStoragePoolPtr pool;
    bool ours;
    int rc = pool_find(c, p, &pool, &ours);

    if (rc < 0 || !pool)
        return rc;
    if (!ours) {
        tb_log(tb, CB_LOG_INFO, "storage pool %s is %s, not the testbed's: it is kept", p->name,
               virStoragePoolGetName(pool));
    } else {
        rc = virt_remove(tb, VIRT_OBJ_POOL, pool, p->name, VIRT_REMOVE_LOG);
        /* The directory goes too when the testbed left it empty (rmdir
         * refuses otherwise: anything in it is someone's). */
        if (rc == 0 && uri_is_local(tb->rt.uri))
            rmdir(p->path);
    }
    virStoragePoolFree(pool);
    return rc;
}

static int remove_console_log(const cb_domain *d)
{
    if (unlink(d->console_log) < 0 && errno != ENOENT)
        return err_set(CB_EIO, "cannot remove %s: %s", d->console_log, strerror(errno));
    return 0;
}

/* Template outputs and console logs: files the testbed itself wrote. A
 * template output goes only when gen recorded it and it still holds what
 * gen wrote (gen_record.c): a path in the testbed file proves nothing. */
static int remove_files(cb_testbed *tb)
{
    size_t i;
    char *parent;
    int rc = gen_record_cleanup(tb);

    for (i = 0; i < tb->m.domains.n; i++)
        KEEP_FAILURE(rc, remove_console_log(tb->m.domains.v[i]));
    KEEP_FAILURE(rc, ssh_key_remove(tb));
    /* Removed only when empty: anything else in there is not ours. */
    rmdir(tb->m.state_dir);
    if ((parent = str_printf("%s/.cloubed", tb->m.dir))) {
        rmdir(parent);
        free(parent);
    }
    return rc;
}

int cb_testbed_cleanup(cb_testbed *tb, unsigned int flags)
{
    virConnectPtr c;
    size_t i;
    int rc = 0;

    CHECK_FLAGS(flags, 0);
    if (!tb)
        return ARG_FAIL(tb);
    if ((rc = tb_conn(tb, &c)) < 0)
        return rc;
    pthread_mutex_lock(&tb->rt.ops_lock);
    for (i = 0; i < tb->m.domains.n; i++)
        KEEP_FAILURE(rc, remove_domain(tb, c, tb->m.domains.v[i]));
    for (i = 0; i < tb->m.networks.n; i++)
        KEEP_FAILURE(rc, remove_network(tb, c, tb->m.networks.v[i]));
    for (i = 0; i < tb->m.domains.n; i++)
        if (tb->m.domains.v[i]->ci)
            KEEP_FAILURE(rc, remove_seed(tb, c, tb->m.domains.v[i]));
    /* Overlays before the volumes they are backed by. */
    for (i = tb->m.volumes.n; i > 0; i--)
        KEEP_FAILURE(rc, remove_volume(tb, c, tb->m.volumes.v[i - 1]));
    for (i = 0; i < tb->m.pools.n; i++)
        KEEP_FAILURE(rc, remove_pool(tb, c, tb->m.pools.v[i]));
    if (uri_is_local(tb->rt.uri))
        KEEP_FAILURE(rc, remove_files(tb));
    pthread_mutex_unlock(&tb->rt.ops_lock);
    return rc;
}

int cb_domain_cleanup(cb_domain *d, unsigned int flags)
{
    virConnectPtr c;
    int rc;

    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if ((rc = tb_conn(d->tb, &c)) < 0)
        return rc;
    pthread_mutex_lock(&d->tb->rt.ops_lock);
    rc = remove_domain(d->tb, c, d);
    /* The seed and the log go only with their domain: kept when undefining failed. */
    if (rc == 0 && d->ci)
        rc = remove_seed(d->tb, c, d);
    if (rc == 0 && uri_is_local(d->tb->rt.uri))
        rc = remove_console_log(d);
    pthread_mutex_unlock(&d->tb->rt.ops_lock);
    return rc;
}
