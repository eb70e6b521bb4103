/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * config_resolve.c: once every section is read, resolve the references
 * between resources, derive libvirt names, paths and MACs, and check what
 * only the whole testbed can tell (unique MACs and addresses, subnets).
 */
#include <stdio.h>
#include <strings.h>
#include <string.h>

#include "model/parse.h"
#include "util/error.h"
#include "util/ipv4.h"
#include "util/util.h"

/* The only place that formats a libvirt name: "user:testbed:name", or
 * "user:testbed+instance:name" with an instance. */
static char *ns_name(const struct model *md, const char *name)
{
    return str_printf("%s:%s:%s", md->user, md->ns_testbed, name);
}

static int resolve_volumes(struct pctx *c)
{
    struct model *md = c->m;
    size_t i, hops;

    for (i = 0; i < md->volumes.n; i++) {
        cb_storage_volume *v = md->volumes.v[i];
        if (v->pool_ref) {
            if (!(v->pool = VEC_FIND(md->pools, name, v->pool_ref)))
                return pfail_loc(c, v->pool_ref_loc, "storage pool %s not found in configuration",
                                 pval(v->pool_ref));
        }
        v->libvirt_name = str_printf("%s:%s:%s.%s", md->user, md->ns_testbed, v->name,
                                     vol_format_name(v->format));
        if (!v->libvirt_name || !(v->path = str_printf("%s/%s", v->pool->path, v->libvirt_name)))
            return CB_ENOMEM;
    }
    for (i = 0; i < md->volumes.n; i++) {
        cb_storage_volume *v = md->volumes.v[i];
        if (!v->backing_ref)
            continue;
        if (!(v->backing = VEC_FIND(md->volumes, name, v->backing_ref)))
            return pfail_loc(c, v->backing_ref_loc, "storage volume %s not found in configuration "
                             "(backing of storage volume %s)", pval(v->backing_ref), v->name);
        if (v->format != VOL_QCOW2)
            return pfail_loc(c, v->backing_ref_loc, "storage volume %s has a backing volume, which "
                             "needs format qcow2, not %s", v->name, vol_format_name(v->format));
    }
    /* A chain longer than the number of volumes has a loop. */
    for (i = 0; i < md->volumes.n; i++) {
        cb_storage_volume *v = md->volumes.v[i];
        for (hops = 0; v && hops <= md->volumes.n; hops++)
            v = v->backing;
        if (v)
            return pfail_loc(c, md->volumes.v[i]->backing_ref_loc, "backing chain of storage "
                             "volume %s loops back on itself", md->volumes.v[i]->name);
    }
    return 0;
}

static int resolve_domain(struct pctx *c, cb_domain *d)
{
    struct model *md = c->m;
    size_t i;

    if (!(d->libvirt_name = ns_name(md, d->name)) ||
        !(d->console_log = str_printf("%s/%s.console.log", md->state_dir, d->name)))
        return CB_ENOMEM;
    for (i = 0; i < d->netifs.n; i++) {
        struct netif *nif = &d->netifs.v[i];
        if (!(nif->net = VEC_FIND(md->networks, name, nif->net_ref)))
            return pfail_loc(c, nif->net_ref_loc, "network %s not found in configuration",
                             pval(nif->net_ref));
        if (!nif->mac[0]) {
            mac_generate(md->instance, d->name, nif->net->name, nif->mac);
            nif->mac_generated = true;
            nif->mac_loc = nif->loc;
        }
    }
    for (i = 0; i < d->disks.n; i++) {
        struct disk *dk = &d->disks.v[i];
        if (!dk->vol_ref)
            continue;
        if (!(dk->vol = VEC_FIND(md->volumes, name, dk->vol_ref)))
            return pfail_loc(c, dk->vol_ref_loc, "storage volume %s not found in configuration",
                             pval(dk->vol_ref));
    }
    return 0;
}

static int check_network_overlaps(struct pctx *c)
{
    const struct model *md = c->m;
    char a[IPV4_STRLEN], b[IPV4_STRLEN];
    size_t i, j;

    for (i = 0; i < md->networks.n; i++) {
        const cb_network *n = md->networks.v[i];
        /* an `address: auto` network has no subnet until it is created */
        for (j = 0; j < i && n->has_ip && !n->addr_auto; j++) {
            const cb_network *m = md->networks.v[j];
            if (!m->has_ip || m->addr_auto || !ipv4_subnets_overlap(n->ip, n->prefix, m->ip, m->prefix))
                continue;
            ipv4_format(n->ip, a);
            ipv4_format(m->ip, b);
            return pfail_loc(c, n->address_loc, "address %s/%u of network %s overlaps address "
                             "%s/%u of network %s", a, n->prefix, n->name, b, m->prefix, m->name);
        }
    }
    return 0;
}

/* Finds an earlier netif (over all domains up to D's netif I) for which
 * SAME() holds; returns true and its domain and index. */
static bool find_earlier(const struct model *md, size_t di, size_t ni,
                         bool (*same)(const struct netif *, const struct netif *),
                         const cb_domain **od, size_t *oi)
{
    const struct netif *x = &md->domains.v[di]->netifs.v[ni];
    size_t i, j;

    for (i = 0; i <= di; i++) {
        const cb_domain *d = md->domains.v[i];
        for (j = 0; j < (i == di ? ni : d->netifs.n); j++)
            if (same(&d->netifs.v[j], x)) {
                *od = d;
                *oi = j;
                return true;
            }
    }
    return false;
}

static bool same_mac(const struct netif *a, const struct netif *b)
{
    return strcasecmp(a->mac, b->mac) == 0;
}

static bool same_ip(const struct netif *a, const struct netif *b)
{
    return a->has_ip && b->has_ip && a->net == b->net && a->ip == b->ip;
}

static int check_netif(struct pctx *c, size_t di, size_t ni)
{
    const cb_domain *d = c->m->domains.v[di], *od;
    const struct netif *nif = &d->netifs.v[ni];
    const cb_network *n = nif->net;
    char ip[IPV4_STRLEN], net[IPV4_STRLEN];
    size_t oi;

    if (find_earlier(c->m, di, ni, same_mac, &od, &oi))
        return pfail_loc(c, nif->mac_loc, "mac %s of netif %zu of domain %s is already used by "
                         "netif %zu of domain %s%s", nif->mac, ni, d->name, oi, od->name,
                         nif->mac_generated ? " (generated from the domain and network names: "
                                              "set mac on one of them)" : "");
    if (!nif->has_ip)
        return 0;
    if (n->addr_auto && !nif->ip_is_offset)
        return pfail_loc(c, nif->ip_loc, "network %s has address auto: write ip of netif %zu of "
                         "domain %s as a host number such as .11", n->name, ni, d->name);
    if (!n->addr_auto && nif->ip_is_offset)
        return pfail_loc(c, nif->ip_loc, "ip .%u of netif %zu of domain %s is a host number, "
                         "which only a network with address auto takes: write the whole "
                         "address", (unsigned)nif->ip, ni, d->name);
    if (n->addr_auto)
        snprintf(ip, sizeof(ip), ".%u", (unsigned)nif->ip);
    else
        ipv4_format(nif->ip, ip);
    if (n->has_ip) {
        ipv4_format(n->ip & ipv4_mask(n->prefix), net);
        if (!ipv4_is_host(nif->ip, n->ip, n->prefix))
            return pfail_loc(c, nif->ip_loc, "ip %s of netif %zu of domain %s is not a host "
                             "address of network %s (%s/%u)", ip, ni, d->name, n->name, net,
                             n->prefix);
        if (nif->ip == n->ip)
            return pfail_loc(c, nif->ip_loc, "ip %s of netif %zu of domain %s is the host's own "
                             "address on network %s", ip, ni, d->name, n->name);
    }
    if (find_earlier(c->m, di, ni, same_ip, &od, &oi))
        return pfail_loc(c, nif->ip_loc, "ip %s of netif %zu of domain %s is already given to "
                         "netif %zu of domain %s", ip, ni, d->name, oi, od->name);
    return 0;
}

int config_resolve(struct pctx *c)
{
    struct model *md = c->m;
    size_t i, j;
    int rc;

    md->ns_testbed = md->instance ? str_printf("%s+%s", md->name, md->instance)
                                  : str_dup(md->name);
    if (!md->ns_testbed ||
        !(md->state_dir = str_printf("%s/.cloubed/%s", md->dir, md->ns_testbed)))
        return CB_ENOMEM;
    for (i = 0; i < md->pools.n; i++) {
        cb_storage_pool *p = md->pools.v[i];
        if (!(p->libvirt_name = ns_name(md, p->name)))
            return CB_ENOMEM;
        /* libvirt refuses a second dir pool on the same target path, and an
         * adopted one would be pulled from under one instance by the other's
         * cleanup: each instance gets its own directory. */
        if (md->instance) {
            char *sub = str_printf("%s/%s", p->path, md->instance);
            if (!sub)
                return CB_ENOMEM;
            free(p->path);
            p->path = sub;
        }
    }
    if ((rc = resolve_volumes(c)) < 0)
        return rc;
    for (i = 0; i < md->networks.n; i++)
        if (!(md->networks.v[i]->libvirt_name = ns_name(md, md->networks.v[i]->name)))
            return CB_ENOMEM;
    for (i = 0; i < md->domains.n; i++)
        if ((rc = resolve_domain(c, md->domains.v[i])) < 0)
            return rc;
    if ((rc = check_network_overlaps(c)) < 0)
        return rc;
    for (i = 0; i < md->domains.n; i++)
        for (j = 0; j < md->domains.v[i]->netifs.n; j++)
            if ((rc = check_netif(c, i, j)) < 0)
                return rc;
    return 0;
}
