/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * config_resolve.c: once every section is read, resolve the references
 * between resources, derive libvirt names, paths and MACs, and check what
 * only the whole testbed can tell (unique MACs and addresses, subnets).
 *
 * Everything here is linear (or n log n) in the size of the testbed: names
 * resolve through the model's indexes and uniqueness through hash sets, so
 * that a file of thousands of domains opens in time proportional to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/parse.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/ipv4.h"
#include "util/util.h"

/* The only place that formats a libvirt name: "user:testbed:name", or
 * "user:testbed+instance:name" with an instance. */
static char *ns_name(const struct model *md, const char *name)
{
    return str_printf("%s:%s:%s", md->user, md->ns_testbed, name);
}

/* Whether following a volume's backing chain ends in a loop: each volume is
 * walked once (a walk per volume was quadratic on a long chain). */
enum { WALK_NEW, WALK_ON_PATH, WALK_OK, WALK_LOOPS };

static unsigned char walk_chain(unsigned char *st, cb_storage_volume *start)
{
    cb_storage_volume *v = start;
    unsigned char result;

    while (v && st[v->index] == WALK_NEW) {
        st[v->index] = WALK_ON_PATH;
        v = v->backing;
    }
    result = !v ? WALK_OK : st[v->index] == WALK_ON_PATH ? WALK_LOOPS : st[v->index];
    for (v = start; v && st[v->index] == WALK_ON_PATH; v = v->backing)
        st[v->index] = result;
    return result;
}

static int resolve_volumes(struct pctx *c)
{
    struct model *md = c->m;
    unsigned char *st;
    size_t i;

    for (i = 0; i < md->volumes.n; i++) {
        cb_storage_volume *v = md->volumes.v[i];
        if (v->pool_ref) {
            if (!(v->pool = model_pool(md, v->pool_ref)))
                return pfail_loc(c, v->pool_ref_loc, "storage pool %s not found in configuration",
                                 pval(v->pool_ref));
        }
        v->libvirt_name = str_printf("%s:%s:%s.%s", md->user, md->ns_testbed, v->name,
                                     vol_format_name(v->format));
        if (!v->libvirt_name || !(v->path = str_printf("%s/%s", v->pool->path, v->libvirt_name)))
            return CB_ENOMEM;
        if (v->source &&
            !(v->source_record = str_printf("%s/volume-%s.source", md->state_dir, v->name)))
            return CB_ENOMEM;
    }
    for (i = 0; i < md->volumes.n; i++) {
        cb_storage_volume *v = md->volumes.v[i];
        if (!v->backing_ref)
            continue;
        if (!(v->backing = model_volume(md, v->backing_ref)))
            return pfail_loc(c, v->backing_ref_loc, "storage volume %s not found in configuration "
                             "(backing of storage volume %s)", pval(v->backing_ref), v->name);
        if (v->format != VOL_QCOW2)
            return pfail_loc(c, v->backing_ref_loc, "storage volume %s has a backing volume, which "
                             "needs format qcow2, not %s", v->name, vol_format_name(v->format));
    }
    if (!md->volumes.n)
        return 0;
    if (!(st = calloc(md->volumes.n, 1)))
        return err_oom();
    /* The first volume in file order whose chain loops, as before. */
    for (i = 0; i < md->volumes.n; i++)
        if (walk_chain(st, md->volumes.v[i]) == WALK_LOOPS) {
            free(st);
            return pfail_loc(c, md->volumes.v[i]->backing_ref_loc, "backing chain of storage "
                             "volume %s loops back on itself", md->volumes.v[i]->name);
        }
    free(st);
    return 0;
}

static int resolve_domain(struct pctx *c, cb_domain *d)
{
    struct model *md = c->m;
    size_t i;

    if (!(d->libvirt_name = ns_name(md, d->name)) ||
        !(d->console_log = str_printf("%s/%s.console.log", md->state_dir, d->name)))
        return CB_ENOMEM;
    g_hash_table_insert(md->ix.domain_lv, d->libvirt_name, d);
    for (i = 0; i < d->netifs.n; i++) {
        struct netif *nif = &d->netifs.v[i];
        nif->domain = d;
        if (!(nif->net = model_network(md, nif->net_ref)))
            return pfail_loc(c, nif->net_ref_loc, "network %s not found in configuration",
                             pval(nif->net_ref));
    }
    if (d->ci && !(d->ci->seed_libvirt_name = str_printf("%s:%s:%s-cidata.iso", md->user,
                                                           md->ns_testbed, d->name)))
        return CB_ENOMEM;
    for (i = 0; i < d->disks.n; i++) {
        struct disk *dk = &d->disks.v[i];
        if (!dk->vol_ref)
            continue;
        if (!(dk->vol = model_volume(md, dk->vol_ref)))
            return pfail_loc(c, dk->vol_ref_loc, "storage volume %s not found in configuration",
                             pval(dk->vol_ref));
    }
    /* The seed lives in the pool of the domain's first disk, else the first pool. */
    if (d->ci && !d->disks.n && !md->pools.n)
        return pfail_loc(c, d->ci->loc, "the cloudinit section of domain %s needs a storage pool "
                         "for its seed, and there is none", d->name);
    if (d->ci) {
        d->ci->pool = d->disks.n ? d->disks.v[0].vol->pool : md->pools.v[0];
        if (!(d->ci->seed_path = str_printf("%s/%s", d->ci->pool->path,
                                            d->ci->seed_libvirt_name)))
            return CB_ENOMEM;
    }
    return 0;
}

/* Subnets are CIDR blocks: two overlap only when one contains the other.
 * Sorted by (network address, prefix), every block's containers are on a
 * stack when it is reached, so one sweep finds, for each block, the earliest
 * network (file order) that contains it. */
struct net_span {
    uint32_t start, end;
    size_t index;
};

static int span_cmp(const void *a, const void *b)
{
    const struct net_span *x = a, *y = b;

    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;   /* the larger block (its container) first */
    return x->index < y->index ? -1 : x->index > y->index;
}

static int check_network_overlaps(struct pctx *c)
{
    const struct model *md = c->m;
    char a[IPV4_STRLEN], b[IPV4_STRLEN];
    struct net_span *span, *stack;
    size_t *stack_min, n = 0, depth = 0, i, j, first = SIZE_MAX;

    if (md->networks.n < 2)
        return 0;
    span = calloc(md->networks.n, sizeof(*span));
    stack = calloc(md->networks.n, sizeof(*stack));
    stack_min = calloc(md->networks.n, sizeof(*stack_min));
    if (!span || !stack || !stack_min) {
        free(span);
        free(stack);
        free(stack_min);
        return err_oom();
    }
    for (i = 0; i < md->networks.n; i++) {
        const cb_network *nw = md->networks.v[i];
        if (!nw->has_ip || nw->addr_auto)
            continue;
        span[n].start = nw->ip & ipv4_mask(nw->prefix);
        span[n].end = span[n].start | ~ipv4_mask(nw->prefix);
        span[n++].index = i;
    }
    qsort(span, n, sizeof(*span), span_cmp);
    /* The first network in file order that overlaps an earlier one is the
     * smallest max(x, y) over overlapping pairs: for each block, pair it
     * with its earliest container (stack_min). */
    for (i = 0; i < n; i++) {
        while (depth && stack[depth - 1].end < span[i].start)
            depth--;
        if (depth) {
            size_t m = stack_min[depth - 1], late = m > span[i].index ? m : span[i].index;
            if (late < first)
                first = late;
        }
        stack[depth] = span[i];
        stack_min[depth] = depth && stack_min[depth - 1] < span[i].index ? stack_min[depth - 1]
                                                                        : span[i].index;
        depth++;
    }
    free(span);
    free(stack);
    free(stack_min);
    if (first == SIZE_MAX)
        return 0;
    /* The message names the earliest network it overlaps, as before. */
    i = first;
    for (j = 0; j < i; j++) {
        const cb_network *nw = md->networks.v[i], *m = md->networks.v[j];
        if (!m->has_ip || m->addr_auto || !ipv4_subnets_overlap(nw->ip, nw->prefix, m->ip, m->prefix))
            continue;
        ipv4_format(nw->ip, a);
        ipv4_format(m->ip, b);
        return pfail_loc(c, nw->address_loc, "address %s/%u of network %s overlaps address "
                         "%s/%u of network %s", a, nw->prefix, nw->name, b, m->prefix, m->name);
    }
    return 0;
}

static size_t netif_index(const struct netif *nif)
{
    return (size_t)(nif - nif->domain->netifs.v);
}

/* A netif without `mac` gets the original's MAC, or where another netif
 * holds it (an explicit MAC anywhere in the file, or a generated one
 * earlier), the first free derived candidate: deterministic for a given
 * file, and the file is never refused for it. */
static int generate_mac(struct pctx *c, GHashTable *used, struct netif *nif)
{
    const cb_domain *d = nif->domain;
    char original[MAC_STRLEN];
    const struct netif *holder = NULL;
    unsigned k;

    for (k = 0; k < MAC_MAX_ATTEMPTS; k++) {
        const struct netif *h;
        mac_derive(c->m->instance, d->name, nif->net->name, k, nif->mac);
        if (!(h = int64_table_add(used, mac_key(nif->mac), nif)))
            break;
        if (k == 0) {
            memcpy(original, nif->mac, MAC_STRLEN);
            holder = h;
        }
    }
    nif->mac_generated = true;
    nif->mac_attempt = k;
    nif->mac_loc = nif->loc;
    if (k == MAC_MAX_ATTEMPTS)
        return pfail_loc(c, nif->loc, "no free mac for netif %zu of domain %s after %d attempts: "
                         "set mac on it", netif_index(nif), d->name, MAC_MAX_ATTEMPTS);
    if (k > 0)
        log_msg(c->log, CB_LOG_INFO, "mac of netif %zu of domain %s is %s, derived: the "
                "original's %s is taken by netif %zu of domain %s", netif_index(nif), d->name,
                nif->mac, original, netif_index(holder), holder->domain->name);
    return 0;
}

/* IPS maps (network, ip) to the first netif that has it. */
static int check_netif(struct pctx *c, GHashTable *used, GHashTable *ips, struct netif *nif)
{
    const cb_domain *d = nif->domain, *od;
    const struct netif *other;
    cb_network *n = nif->net;
    char ip[IPV4_STRLEN], net[IPV4_STRLEN];
    size_t ni = netif_index(nif);
    int rc;

    if (nif->mac_generated) {
        if ((rc = generate_mac(c, used, nif)) < 0)
            return rc;
    } else if ((other = g_hash_table_lookup(used, &(gint64){ mac_key(nif->mac) })) != nif) {
        /* Explicit MACs are all in USED, each held by its first netif. */
        od = other->domain;
        return pfail_loc(c, nif->mac_loc, "mac %s of netif %zu of domain %s is already used by "
                         "netif %zu of domain %s", nif->mac, ni, d->name, netif_index(other),
                         od->name);
    }
    if (!nif->has_ip)
        return 0;
    if (n->addr_auto && !nif->ip_is_offset)
        return pfail_loc(c, nif->ip_loc, "network %s has address auto: write ip of netif %zu of "
                         "domain %s as a host number such as .11", n->name, ni, d->name);
    if (!n->addr_auto && nif->ip_is_offset)
        return pfail_loc(c, nif->ip_loc, "ip .%u of netif %zu of domain %s is a host number, "
                         "which only a network with address auto takes: write the whole "
                         "address", (unsigned)nif->ip, ni, d->name);
    /* Addresses are formatted for a message only. */
    if (n->has_ip && !ipv4_is_host(nif->ip, n->ip, n->prefix)) {
        ipv4_format(nif->ip, ip);
        ipv4_format(n->ip & ipv4_mask(n->prefix), net);
        return pfail_loc(c, nif->ip_loc, "ip %s of netif %zu of domain %s is not a host "
                         "address of network %s (%s/%u)", ip, ni, d->name, n->name, net,
                         n->prefix);
    }
    if (n->has_ip && nif->ip == n->ip) {
        ipv4_format(nif->ip, ip);
        return pfail_loc(c, nif->ip_loc, "ip %s of netif %zu of domain %s is the host's own "
                         "address on network %s", ip, ni, d->name, n->name);
    }
    if ((other = int64_table_add(ips, net_ip_key(n->index, nif->ip), nif))) {
        if (n->addr_auto) /* a host number until the network exists */
            snprintf(ip, sizeof(ip), ".%u", (unsigned)nif->ip);
        else
            ipv4_format(nif->ip, ip);
        return pfail_loc(c, nif->ip_loc, "ip %s of netif %zu of domain %s is already given to "
                         "netif %zu of domain %s", ip, ni, d->name, netif_index(other),
                         other->domain->name);
    }
    return VEC_PUSH(n->static_hosts, nif) < 0 ? err_oom() : 0;
}

/* MACs and addresses, netif by netif in file order, so that the first
 * error reported is the same as with the all-pairs checks this replaces. */
static int check_netifs(struct pctx *c)
{
    const struct model *md = c->m;
    GHashTable *used = int64_table_new(), *ips = int64_table_new();
    size_t i, j;
    int rc = 0;

    /* Explicit MACs first: a generated MAC never takes one of them. */
    for (i = 0; i < md->domains.n; i++)
        for (j = 0; j < md->domains.v[i]->netifs.n; j++) {
            struct netif *nif = &md->domains.v[i]->netifs.v[j];
            nif->mac_generated = !nif->mac[0];
            if (!nif->mac_generated)
                int64_table_add(used, mac_key(nif->mac), nif);
        }
    for (i = 0; i < md->domains.n && rc == 0; i++)
        for (j = 0; j < md->domains.v[i]->netifs.n && rc == 0; j++)
            rc = check_netif(c, used, ips, &md->domains.v[i]->netifs.v[j]);
    g_hash_table_destroy(used);
    g_hash_table_destroy(ips);
    return rc;
}

int config_resolve(struct pctx *c)
{
    struct model *md = c->m;
    size_t i;
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
    return check_netifs(c);
}
