/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * addresses.c: the addresses of a domain's netifs, from the testbed file or
 * the networks' DHCP leases; or every address the guest agent reports.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include <libvirt/virterror.h>

#include "virt/addresses.h"
#include "virt/connection.h"
#include "virt/ops.h"
#include "util/error.h"
#include "util/util.h"

struct address {
    char *network;
    char mac[MAC_STRLEN];
    char ip[INET6_ADDRSTRLEN]; /* empty: none known; IPv6 only from the agent */
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
        uint32_t ip = nif->ip;
        /* ".N" on an `address: auto` network: host N of the /24 taken when
         * the network was created (CB_ESTATE before that). */
        if (nif->ip_is_offset) {
            struct net_addr a;
            if ((rc = tb_network_address(&a, tb, nif->net)) < 0)
                return rc;
            ip = (a.ip & ipv4_mask(a.prefix)) | nif->ip;
        }
        ipv4_format(ip, addr);
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

/* Every address of every interface the guest agent reports, in its order;
 * the network is the netif's whose MAC matches, else none (lo). */
static int agent_addresses(cb_addresses **out, cb_domain *d)
{
    virDomainInterfacePtr *ifs = NULL;
    virDomainPtr dom = NULL;
    virConnectPtr c;
    const struct netif *nif;
    struct address *e;
    cb_addresses *a;
    size_t total = 0, i, k, j;
    int n, rc;

    if ((rc = tb_conn(d->tb, &c)) < 0 || (rc = domain_get(d->tb, c, d, &dom)) < 0)
        return rc;
    n = virDomainInterfaceAddresses(dom, &ifs, VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT, 0);
    if (n < 0) {
        rc = lv_fail("cannot ask the guest agent of domain %s for its addresses", d->name);
        virDomainFree(dom);
        return rc;
    }
    for (i = 0; i < (size_t)n; i++)
        total += ifs[i]->naddrs;
    if (!(a = calloc(1, sizeof(*a) + total * sizeof(a->v[0])))) {
        rc = err_oom();
        total = 0;
    }
    for (i = 0, k = 0; i < (size_t)n; i++) {
        for (nif = NULL, j = 0; ifs[i]->hwaddr && j < d->netifs.n && !nif; j++)
            if (strcasecmp(d->netifs.v[j].mac, ifs[i]->hwaddr) == 0)
                nif = &d->netifs.v[j];
        for (j = 0; j < ifs[i]->naddrs && k < total && rc == 0; j++, k++) {
            e = &a->v[k];
            a->n = k + 1;
            snprintf(e->mac, sizeof(e->mac), "%s", ifs[i]->hwaddr ? ifs[i]->hwaddr : "");
            snprintf(e->ip, sizeof(e->ip), "%s", ifs[i]->addrs[j].addr ? ifs[i]->addrs[j].addr : "");
            e->source = e->ip[0] ? CB_ADDRESS_AGENT : CB_ADDRESS_NONE;
            if (nif && !(e->network = str_dup(nif->net->name)))
                rc = err_oom();
        }
        virDomainInterfaceFree(ifs[i]);
    }
    free(ifs);
    virDomainFree(dom);
    if (rc < 0) {
        cb_addresses_free(a);
        return rc;
    }
    *out = a;
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
    if ((flags & CB_ADDRESSES_SRC_AGENT) && (flags & CB_ADDRESSES_SRC_LEASE))
        return err_set(CB_EINVAL, "cb_domain_get_addresses: the agent and lease sources "
                                  "exclude each other");
    if ((rc = pid_check(d->tb->opt.pid)) < 0)
        return rc;
    if (flags & CB_ADDRESSES_SRC_AGENT)
        return agent_addresses(out, d);
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
