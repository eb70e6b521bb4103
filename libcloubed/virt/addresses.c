/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * addresses.c: the addresses of a domain's netifs, from the testbed file or
 * the networks' DHCP leases.
 */
#include <stdio.h>
#include <stdlib.h>

#include <libvirt/virterror.h>

#include "virt/addresses.h"
#include "virt/connection.h"
#include "util/error.h"
#include "util/util.h"

struct address {
    char *network;
    char mac[MAC_STRLEN];
    char ip[IPV4_STRLEN]; /* empty: none known */
    cb_address_source source;
};

struct cb_addresses {
    size_t n;
    struct address v[];
};

/* The address the network's DHCP server leased to the netif's MAC, if any. */
static int leased_address(virConnectPtr c, const struct netif *nif, char addr[IPV4_STRLEN])
{
    virNetworkPtr net = virNetworkLookupByName(c, nif->net->libvirt_name);
    virNetworkDHCPLeasePtr *leases = NULL;
    int n, i;

    addr[0] = '\0';
    if (!net) {
        if (lv_last_code() == VIR_ERR_NO_NETWORK) {
            virResetLastError();
            return 0; /* not created yet: no lease yet */
        }
        return lv_fail("cannot look up network %s", nif->net->libvirt_name);
    }
    n = virNetworkGetDHCPLeases(net, nif->mac, &leases, 0);
    for (i = 0; i < n; i++) {
        if (!addr[0] && leases[i]->type == VIR_IP_ADDR_TYPE_IPV4 && leases[i]->ipaddr)
            snprintf(addr, IPV4_STRLEN, "%s", leases[i]->ipaddr);
        virNetworkDHCPLeaseFree(leases[i]);
    }
    free(leases);
    virNetworkFree(net);
    virResetLastError(); /* drivers without leases: no address yet */
    return 0;
}

int netif_address(cb_testbed *tb, const struct netif *nif, bool lease_only,
                  char addr[IPV4_STRLEN], cb_address_source *src)
{
    virConnectPtr c;
    int rc;

    addr[0] = '\0';
    if (src)
        *src = CB_ADDRESS_NONE;
    if (nif->has_ip && !lease_only) {
        ipv4_format(nif->ip, addr);
        if (src)
            *src = CB_ADDRESS_STATIC;
        return 0;
    }
    if ((rc = tb_conn(tb, &c)) < 0 || (rc = leased_address(c, nif, addr)) < 0)
        return rc;
    if (src && addr[0])
        *src = CB_ADDRESS_LEASE;
    return 0;
}

int cb_domain_get_addresses(cb_addresses **out, cb_domain *d, unsigned int flags)
{
    cb_addresses *a;
    size_t i;
    int rc = 0;

    if (!out)
        return ARG_FAIL(out);
    *out = NULL;
    CHECK_FLAGS(flags, CB_ADDRESSES_SRC_LEASE | CB_ADDRESSES_SRC_AGENT);
    if (!d)
        return ARG_FAIL(d);
    if (flags & CB_ADDRESSES_SRC_AGENT)
        return err_set(CB_EUNSUPPORTED, "cb_domain_get_addresses: the guest agent source is not "
                                        "implemented yet");
    if ((rc = pid_check(d->tb->opt.pid)) < 0)
        return rc;
    if (!(a = calloc(1, sizeof(*a) + d->netifs.n * sizeof(a->v[0]))))
        return err_oom();
    for (i = 0; i < d->netifs.n && rc == 0; i++) {
        const struct netif *nif = &d->netifs.v[i];
        struct address *e = &a->v[i];
        a->n = i + 1; /* what cb_addresses_free must release */
        snprintf(e->mac, sizeof(e->mac), "%s", nif->mac);
        if (!(e->network = str_dup(nif->net->name)))
            rc = err_oom();
        else
            rc = netif_address(d->tb, nif, flags & CB_ADDRESSES_SRC_LEASE, e->ip, &e->source);
    }
    if (rc < 0) {
        cb_addresses_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

size_t cb_addresses_count(const cb_addresses *a)
{
    return a ? a->n : 0;
}

static const struct address *entry(const cb_addresses *a, size_t i)
{
    return a && i < a->n ? &a->v[i] : NULL;
}

const char *cb_addresses_network(const cb_addresses *a, size_t i)
{
    return entry(a, i) ? entry(a, i)->network : NULL;
}

const char *cb_addresses_mac(const cb_addresses *a, size_t i)
{
    return entry(a, i) ? entry(a, i)->mac : NULL;
}

const char *cb_addresses_ip(const cb_addresses *a, size_t i)
{
    return entry(a, i) && entry(a, i)->ip[0] ? entry(a, i)->ip : NULL;
}

cb_address_source cb_addresses_source(const cb_addresses *a, size_t i)
{
    return entry(a, i) ? entry(a, i)->source : CB_ADDRESS_NONE;
}

void cb_addresses_free(cb_addresses *a)
{
    size_t i;

    if (!a)
        return;
    for (i = 0; i < a->n; i++)
        free(a->v[i].network);
    free(a);
}
