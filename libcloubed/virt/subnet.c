/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * subnet.c: `address: auto` at run time. The model holds host numbers
 * (model.h); the /24 they belong to is chosen here when the network is
 * created, and read back from libvirt by any later process.
 *
 * Two processes may create auto networks at the same moment (CI jobs running
 * one file side by side). A host-wide flock serialises choose-and-create for
 * local URIs; for what the lock cannot cover (a remote URI, a peer on another
 * machine of the same daemon, an older library), every creation lists the
 * networks again afterwards and the one whose name sorts higher moves on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "util/error.h"
#include "util/ipv4.h"
#include "util/util.h"
#include "virt/connection.h"
#include "virt/ops.h"
#include "virt/subnet.h"
#include "virt/xml_read.h"

int subnet_range_init(cb_testbed *tb)
{
    const char *env = getenv("CLOUBED_AUTO_SUBNETS");
    const char *text = env && *env ? env : SUBNET_AUTO_DEFAULT;
    uint32_t ip;
    unsigned prefix;

    if (ipv4_parse_cidr(text, &ip, &prefix) != IPV4_OK || prefix > 24)
        return err_set(CB_EINVAL, "CLOUBED_AUTO_SUBNETS=%s is not valid: give the range of "
                                  "`address: auto` as an IPv4 CIDR with a prefix of at most 24, "
                                  "such as " SUBNET_AUTO_DEFAULT, text);
    tb->opt.auto_net = ip & ipv4_mask(prefix);
    tb->opt.auto_prefix = prefix;
    return 0;
}

bool subnet_of_network(virNetworkPtr net, uint32_t *ip, unsigned *prefix)
{
    char *xml = virNetworkGetXMLDesc(net, 0), *addr = NULL, *mask = NULL, *pfx = NULL;
    xmlDocPtr doc = xml ? xr_parse(xml) : NULL;
    bool ok = false;

    if (doc) {
        addr = xr_string(doc, "string(/network/ip[not(@family) or @family='ipv4'][1]/@address)");
        mask = xr_string(doc, "string(/network/ip[not(@family) or @family='ipv4'][1]/@netmask)");
        pfx = xr_string(doc, "string(/network/ip[not(@family) or @family='ipv4'][1]/@prefix)");
    }
    if (addr && ipv4_parse(addr, ip) == IPV4_OK) {
        if (mask)
            ok = ipv4_parse_netmask(mask, prefix) == IPV4_OK;
        else if (pfx)
            ok = (*prefix = (unsigned)atoi(pfx)) <= 32;
        else
            ok = (*prefix = 24, true); /* libvirt's default for IPv4 without a mask */
    }
    free(addr);
    free(mask);
    free(pfx);
    xmlFreeDoc(doc);
    free(xml);
    return ok;
}

static size_t net_index(const cb_testbed *tb, const cb_network *n)
{
    size_t i;

    for (i = 0; i < tb->m.networks.n && tb->m.networks.v[i] != n; i++)
        ;
    return i;
}

/* The absolute addresses of N on the /24 BASE. */
static struct net_addr addr_on(const cb_network *n, uint32_t base)
{
    struct net_addr a = { base | n->ip, 24, base | n->dhcp_start, base | n->dhcp_end, true };
    return a;
}

static void cache_set(cb_testbed *tb, const cb_network *n, const struct net_addr *a)
{
    pthread_mutex_lock(&tb->rt.net_addr_lock);
    tb->rt.net_addr[net_index(tb, n)] = *a;
    pthread_mutex_unlock(&tb->rt.net_addr_lock);
}

void subnet_forget(cb_testbed *tb, const cb_network *n)
{
    struct net_addr none = { 0 };

    if (n->addr_auto)
        cache_set(tb, n, &none);
}

int tb_network_address(struct net_addr *out, cb_testbed *tb, const cb_network *n)
{
    virNetworkPtr net;
    virConnectPtr c;
    enum owner owner;
    uint32_t ip;
    unsigned prefix;
    bool ok;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!n->has_ip)
        return 0;
    if (!n->addr_auto) {
        out->ip = n->ip;
        out->prefix = n->prefix;
        out->dhcp_start = n->dhcp_start;
        out->dhcp_end = n->dhcp_end;
        out->known = true;
        return 0;
    }
    pthread_mutex_lock(&tb->rt.net_addr_lock);
    *out = tb->rt.net_addr[net_index(tb, n)];
    pthread_mutex_unlock(&tb->rt.net_addr_lock);
    if (out->known)
        return 0;
    /* Not taken by this testbed handle: perhaps by another process, or by
     * this one before a restart. libvirt's XML is the truth. */
    if ((rc = tb_conn(tb, &c)) < 0 || (rc = network_lookup(tb, c, n, &net, &owner)) < 0)
        return rc;
    if (!net)
        return err_set(CB_ESTATE, "network %s has address auto and is not created yet: its "
                                  "address is chosen when it is created (cb_network_create(), a "
                                  "boot of a domain on it, or `cloubed boot`)", n->name);
    ok = subnet_of_network(net, &ip, &prefix);
    virNetworkFree(net);
    virResetLastError();
    if (!ok)
        return err_set(CB_ESTATE, "network %s (%s) has no IPv4 address in libvirt", n->name,
                       n->libvirt_name);
    *out = addr_on(n, ip & ipv4_mask(prefix));
    out->prefix = prefix;
    cache_set(tb, n, out);
    return 0;
}

/* Every IPv4 subnet of the networks of C but SELF (active or not). */
struct used {
    uint32_t *ip;
    unsigned *prefix;
    char **name;
    size_t n;
};

static void used_free(struct used *u)
{
    size_t i;

    for (i = 0; i < u->n; i++)
        free(u->name[i]);
    free(u->ip);
    free(u->prefix);
    free(u->name);
    memset(u, 0, sizeof(*u));
}

static int used_list(virConnectPtr c, const char *self, struct used *u)
{
    virNetworkPtr *all = NULL;
    int count, i, rc = 0;

    memset(u, 0, sizeof(*u));
    if ((count = virConnectListAllNetworks(c, &all, 0)) < 0)
        return lv_fail("cannot list networks");
    u->ip = calloc((size_t)count + 1, sizeof(*u->ip));
    u->prefix = calloc((size_t)count + 1, sizeof(*u->prefix));
    u->name = calloc((size_t)count + 1, sizeof(*u->name));
    if (!u->ip || !u->prefix || !u->name)
        rc = err_oom();
    for (i = 0; i < count; i++) {
        const char *name = virNetworkGetName(all[i]);
        if (rc == 0 && name && strcmp(name, self) != 0 &&
            subnet_of_network(all[i], &u->ip[u->n], &u->prefix[u->n])) {
            if (!(u->name[u->n] = str_dup(name)))
                rc = CB_ENOMEM;
            else
                u->n++;
        }
        virNetworkFree(all[i]);
    }
    free(all);
    virResetLastError();
    if (rc < 0)
        used_free(u);
    return rc;
}

/* The first network of U that overlaps BASE/24, or -1. */
static long used_overlap(const struct used *u, uint32_t base)
{
    size_t i;

    for (i = 0; i < u->n; i++)
        if (ipv4_subnets_overlap(u->ip[i], u->prefix[i], base, 24))
            return (long)i;
    return -1;
}

/* The host-wide lock of choose-and-create, for local URIs: root's in
 * /run/cloubed, a user's in $XDG_RUNTIME_DIR/cloubed (none without one: the
 * re-list rule still holds). *FD -1 when not locked. */
static int lock_take(const cb_testbed *tb, int *fd)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    char *dir, *path;
    int rc = 0;

    *fd = -1;
    if (!tb->rt.uri || !uri_is_local(tb->rt.uri))
        return 0;
    if (geteuid() == 0)
        dir = str_dup("/run/cloubed");
    else if (xdg && *xdg)
        dir = str_printf("%s/cloubed", xdg);
    else
        return 0;
    if (!dir || !(path = str_printf("%s/subnets.lock", dir))) {
        free(dir);
        return CB_ENOMEM;
    }
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        rc = err_set(CB_EIO, "cannot make %s for the lock of address auto: %s", dir,
                     strerror(errno));
    else if ((*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
        rc = err_set(CB_EIO, "cannot open %s: %s", path, strerror(errno));
    while (rc == 0 && flock(*fd, LOCK_EX) < 0) {
        if (errno != EINTR) {
            rc = err_set(CB_EIO, "cannot lock %s: %s", path, strerror(errno));
            close(*fd);
            *fd = -1;
        }
    }
    free(path);
    free(dir);
    return rc;
}

/* After creating N on BASE: whether another network overlaps it now and
 * sorts lower, so that N must move (the other one keeps the /24). */
static int must_yield(virConnectPtr c, const cb_network *n, uint32_t base, bool *yield,
                      char **other)
{
    struct used u;
    size_t i;
    int rc;

    *yield = false;
    *other = NULL;
    if ((rc = used_list(c, n->libvirt_name, &u)) < 0)
        return rc;
    for (i = 0; i < u.n && !*yield; i++)
        if (ipv4_subnets_overlap(u.ip[i], u.prefix[i], base, 24) &&
            strcmp(n->libvirt_name, u.name[i]) > 0) {
            *yield = true;
            *other = str_dup(u.name[i]);
        }
    used_free(&u);
    return 0;
}

int subnet_create_auto(virNetworkPtr *out, cb_testbed *tb, virConnectPtr c, const cb_network *n)
{
    uint32_t first = tb->opt.auto_net, count = 1u << (24 - tb->opt.auto_prefix), k, base = 0;
    char range[IPV4_STRLEN], got[IPV4_STRLEN];
    virNetworkPtr net = NULL;
    struct net_addr a;
    struct used u = { 0 };
    unsigned attempt, in_use;
    bool yield;
    char *xml, *other;
    int fd, rc;

    *out = NULL;
    ipv4_format(first, range);
    if ((rc = lock_take(tb, &fd)) < 0)
        return rc;
    for (attempt = 0; attempt < SUBNET_AUTO_TRIES; attempt++) {
        if ((rc = used_list(c, n->libvirt_name, &u)) < 0)
            goto out;
        for (k = 0, in_use = 0; k < count; k++) {
            base = first + (k << 8);
            if (used_overlap(&u, base) < 0)
                break;
            in_use++;
        }
        used_free(&u);
        if (k == count) {
            rc = err_set(CB_ECONFLICT, "no free /24 in %s/%u for network %s (%u in use)", range,
                         tb->opt.auto_prefix, n->name, in_use);
            goto out;
        }
        a = addr_on(n, base);
        if (!(xml = render_network_xml(n, &a))) {
            rc = CB_ENOMEM;
            goto out;
        }
        net = virNetworkCreateXML(c, xml);
        free(xml);
        ipv4_format(base, got);
        if (!net) {
            rc = lv_fail("cannot create network %s on %s/24", n->libvirt_name, got);
            /* Lost a race with a peer that holds no lock: the next round
             * sees its network and moves on; anything else is a failure. */
            if (used_list(c, n->libvirt_name, &u) == 0 && used_overlap(&u, base) >= 0) {
                used_free(&u);
                continue;
            }
            used_free(&u);
            goto out;
        }
        if ((rc = must_yield(c, n, base, &yield, &other)) < 0)
            goto out;
        if (!yield) {
            cache_set(tb, n, &a);
            tb_log(tb, CB_LOG_INFO, "network %s took %s/24 (address auto)", n->libvirt_name, got);
            *out = net;
            net = NULL;
            rc = 0;
            goto out;
        }
        tb_log(tb, CB_LOG_INFO, "network %s: %s/24 was taken at the same time by %s: trying "
               "the next one", n->libvirt_name, got, other ? other : "another network");
        free(other);
        if (virNetworkDestroy(net) < 0)
            virResetLastError();
        virNetworkFree(net);
        net = NULL;
    }
    rc = err_set(CB_ECONFLICT, "network %s: %u attempts to take a free /24 in %s/%u collided "
                 "with networks created at the same time", n->name, SUBNET_AUTO_TRIES, range,
                 tb->opt.auto_prefix);
out:
    if (net) {
        if (virNetworkDestroy(net) < 0)
            virResetLastError();
        virNetworkFree(net);
    }
    if (fd >= 0)
        close(fd); /* releases the flock */
    return rc;
}
