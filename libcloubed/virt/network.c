/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * network_ops.c: the testbed's networks in libvirt.
 */
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "virt/cells.h"
#include "virt/connection.h"
#include "util/error.h"
#include "util/ipv4.h"
#include "virt/ops.h"
#include "virt/subnet.h"
#include "render/render.h"
#include "util/util.h"
#include "virt/xml_read.h"

/* Another active network on an overlapping subnet would make the new one's
 * routes and DHCP fight with it: refuse before creating anything. */
static int check_overlap(virConnectPtr c, const cb_network *n)
{
    virNetworkPtr *all = NULL;
    char a[IPV4_STRLEN], b[IPV4_STRLEN];
    int count, i, rc = 0;

    /* an auto network's subnet is chosen free by subnet_create_auto */
    if (!n->has_ip || n->addr_auto)
        return 0;
    if ((count = virConnectListAllNetworks(c, &all, VIR_CONNECT_LIST_NETWORKS_ACTIVE)) < 0)
        return lv_fail("cannot list networks");
    for (i = 0; i < count; i++) {
        uint32_t ip;
        unsigned prefix;
        if (rc == 0 && strcmp(virNetworkGetName(all[i]), n->libvirt_name) != 0 &&
            subnet_of_network(all[i], &ip, &prefix) &&
            ipv4_subnets_overlap(ip, prefix, n->ip, n->prefix)) {
            ipv4_format(ip, a);
            ipv4_format(n->ip, b);
            rc = err_set(CB_ECONFLICT, "another network %s is already active with conflicting IP "
                         "settings: its %s/%u overlaps %s/%u of network %s",
                         virNetworkGetName(all[i]), a, prefix, b, n->prefix, n->name);
        }
        virNetworkFree(all[i]);
    }
    free(all);
    return rc;
}

/* Under N's cell. */
static int network_ensure_locked(struct op *op, virConnectPtr c, const cb_network *n,
                                 bool recreate)
{
    cb_testbed *tb = op->tb;
    virNetworkPtr net;
    enum owner owner;
    char *xml;
    int rc;

    if ((rc = network_lookup(tb, c, n, &net, &owner)) < 0)
        return rc;
    if (owner == OWNER_OTHER)
        return owner_conflict(tb, "network", n->libvirt_name);
    if (net && recreate) {
        tb_log(tb, CB_LOG_INFO, "recreating network %s", n->libvirt_name);
        if ((rc = virt_remove(tb, VIRT_OBJ_NETWORK, net, n->libvirt_name, 0)) < 0) {
            virNetworkFree(net);
            return rc;
        }
        virNetworkFree(net);
        net = NULL;
        subnet_forget(tb, n);
    }
    if (net) {
        if (virNetworkIsActive(net) == 1) {
            virNetworkFree(net);
            return 0;
        }
        if ((rc = check_overlap(c, n)) < 0 || virNetworkCreate(net) < 0) {
            rc = rc < 0 ? rc : lv_fail("cannot start network %s", n->libvirt_name);
            virNetworkFree(net);
            return rc;
        }
        return op_record(op, UNDO_NETWORK, OP_STARTED, net, NULL, n);
    }
    if (!n->addr_auto && (rc = check_overlap(c, n)) < 0)
        return rc;
    if ((rc = seam_before_create(tb, "network", n->name)) < 0)
        return rc;
    if (n->addr_auto) {
        /* the address is chosen here, under a host-wide lock (subnet.c) */
        if ((rc = subnet_create_auto(&net, tb, c, n)) < 0)
            return rc;
    } else {
        if (!(xml = render_network_xml(n, NULL)))
            return CB_ENOMEM;
        net = virNetworkCreateXML(c, xml);
        free(xml);
    }
    if (!net) {
        /* Another process won the race (VIR_ERR_NETWORK_EXIST): its
         * network is adopted when it carries the testbed's metadata. */
        rc = lv_fail("cannot create network %s", n->libvirt_name);
        if (network_lookup(tb, c, n, &net, &owner) == 0 && net) {
            if (owner == OWNER_TESTBED && virNetworkIsActive(net) == 1) {
                virNetworkFree(net);
                virResetLastError();
                return 0;
            }
            virNetworkFree(net);
        }
        return rc;
    }
    tb_log(tb, CB_LOG_INFO, "created network %s", n->libvirt_name);
    return op_record(op, UNDO_NETWORK, OP_CREATED, net, NULL, n);
}

int network_ensure(struct op *op, virConnectPtr c, const cb_network *n, bool recreate)
{
    int rc;

    if ((rc = cell_enter(op->tb, n, n->libvirt_name, &op->deadline, op->timeout_ms)) < 0)
        return rc;
    rc = network_ensure_locked(op, c, n, recreate);
    /* found or made, it is this op's to use until it ends */
    if (rc == 0)
        rc = op_claim(op, n, false);
    cell_leave(op->tb, n);
    return rc;
}

int cb_network_create(cb_network *n, unsigned int flags)
{
    virConnectPtr c;
    struct op op;
    int rc;

    CHECK_FLAGS(flags, CB_NETWORK_CREATE_RECREATE);
    if (!n)
        return ARG_FAIL(n);
    if ((rc = tb_conn(n->tb, &c)) < 0)
        return rc;
    op_init(&op, n->tb, -1);
    rc = network_ensure(&op, c, n, flags & CB_NETWORK_CREATE_RECREATE);
    if (rc < 0)
        op_rollback(&op);
    op_destroy(&op);
    return rc;
}
