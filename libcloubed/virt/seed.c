/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * seed.c: a domain's cloud-init seed as a volume of its pool: the files
 * from the model (model/seed.c), the ISO image (render/seed_iso.c), written
 * here through libvirt. Rebuilt at every boot, before the domain starts (a
 * few milliseconds): what the guest reads is always what the file says
 * now, and its instance id changes exactly when that does.
 */
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "model/seed.h"
#include "render/render.h"
#include "util/error.h"
#include "util/util.h"
#include "virt/cells.h"
#include "virt/connection.h"
#include "virt/ops.h"
#include "virt/seed.h"
#include "virt/ssh_key.h"
#include "virt/upload.h"

/* The seed's bytes, from the model and the networks' run-time addresses. */
static int seed_image(cb_domain *d, unsigned char **iso, size_t *len)
{
    struct seed_net *nets = g_new0(struct seed_net, d->netifs.n + 1);
    struct seed_files files;
    g_autofree char *priv = NULL, *pub = NULL;
    size_t i;
    int rc = 0;

    for (i = 0; i < d->netifs.n && rc == 0; i++) {
        struct net_addr a;
        if ((rc = tb_network_address(&a, d->tb, d->netifs.v[i].net)) == 0)
            nets[i] = (struct seed_net){ a.known, a.ip, a.prefix };
    }
    if (rc == 0 && d->ci->testbed_key)
        rc = ssh_key_get(d->tb, &priv, &pub);
    if (rc == 0 && (rc = seed_build(&files, d, nets, pub)) == 0) {
        rc = render_seed_iso(iso, len, &files);
        seed_files_free(&files);
    }
    g_free(nets);
    return rc;
}

/* Under the seed's cell. */
static int seed_write(struct op *op, virConnectPtr c, virStoragePoolPtr pool, cb_domain *d,
                      const unsigned char *iso, size_t len)
{
    const struct cloudinit *ci = d->ci;
    virStorageVolPtr vol = virStorageVolLookupByName(pool, ci->seed_libvirt_name);
    char *xml;
    int rc;

    if (!vol && lv_last_code() != VIR_ERR_NO_STORAGE_VOL)
        return lv_fail("cannot look up the seed of domain %s", d->name);
    virResetLastError();
    if (vol) {
        rc = virStorageVolDelete(vol, 0) < 0
                 ? lv_fail("cannot delete the old seed of domain %s", d->name) : 0;
        virStorageVolFree(vol);
        if (rc < 0)
            return rc;
    }
    if ((rc = seam_before_create(op->tb, "volume", ci->seed_libvirt_name)) < 0)
        return rc;
    if (!(xml = render_seed_volume_xml(d, len)))
        return CB_ENOMEM;
    vol = virStorageVolCreateXML(pool, xml, 0);
    free(xml);
    if (!vol)
        return lv_fail("cannot create the seed of domain %s", d->name);
    virStorageVolRef(vol); /* one for the op, one for the upload */
    if ((rc = op_record(op, UNDO_VOLUME, OP_CREATED, vol, NULL, ci)) == 0 &&
        (rc = vol_upload(c, vol, ci->seed_libvirt_name, -1, iso, len)) == CB_EUNSUPPORTED) {
        tb_log(op->tb, CB_LOG_WARNING, "the seed of domain %s: %s; created empty", d->name,
               cb_error_last()->message);
        rc = 0;
    }
    if (rc == 0)
        tb_log(op->tb, CB_LOG_DEBUG, "wrote the cloud-init seed of domain %s (%zu bytes)",
               d->name, len);
    virStorageVolFree(vol);
    return rc;
}

int seed_ensure(struct op *op, virConnectPtr c, cb_domain *d)
{
    const struct cloudinit *ci = d->ci;
    virStoragePoolPtr pool = NULL;
    unsigned char *iso = NULL;
    size_t len = 0;
    int rc;

    if (!ci)
        return 0;
    if ((rc = seed_image(d, &iso, &len)) < 0 || (rc = pool_ensure(op, c, ci->pool, &pool)) < 0) {
        free(iso);
        return rc;
    }
    if ((rc = cell_enter(op->tb, ci, ci->seed_libvirt_name, &op->deadline, op->timeout_ms)) == 0) {
        if ((rc = seed_write(op, c, pool, d, iso, len)) == 0)
            rc = op_claim(op, ci, false);
        cell_leave(op->tb, ci);
    }
    virStoragePoolFree(pool);
    free(iso);
    return rc;
}
