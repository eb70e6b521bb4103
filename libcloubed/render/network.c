/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * render_network.c: libvirt XML of networks.
 */
#include <string.h>

#include "util/ipv4.h"
#include "render/render.h"
#include "render/xml_build.h"

#define DNSMASQ_NS "http://libvirt.org/schemas/network/dnsmasq/1.0"

/* libvirt refuses DHCP host names that do not start with a letter; such a
 * host entry is still useful without its name. */
static bool dhcp_host_name_ok(const char *s)
{
    size_t n = strlen(s);
    return ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == n;
}

/* BASE: the network part an `address: auto` network took (0 otherwise, or
 * before creation), or'ed into its host numbers. */
static void render_dhcp(struct xb *b, xb_node ip, const cb_network *n, uint32_t base)
{
    xb_node dhcp = xb_elem(b, ip, "dhcp"), range, host;
    char a[IPV4_STRLEN], z[IPV4_STRLEN];
    size_t i;

    ipv4_format(base | n->dhcp_start, a);
    ipv4_format(base | n->dhcp_end, z);
    range = xb_elem(b, dhcp, "range");
    xb_attr(b, range, "start", "%s", a);
    xb_attr(b, range, "end", "%s", z);
    /* One static lease per netif with an ip, domains then netifs in order. */
    for (i = 0; i < n->static_hosts.n; i++) {
        const struct netif *nif = n->static_hosts.v[i];
        ipv4_format(base | nif->ip, a);
        host = xb_elem(b, dhcp, "host");
        xb_attr(b, host, "mac", "%s", nif->mac);
        if (dhcp_host_name_ok(nif->domain->name))
            xb_attr(b, host, "name", "%s", nif->domain->name);
        xb_attr(b, host, "ip", "%s", a);
    }
    if (n->pxe_file)
        xb_attr(b, xb_elem(b, dhcp, "bootp"), "file", "%s", n->pxe_file);
}

/* dnsmasq answers for a DHCP host's name only once it took a lease: a
 * guest configured statically (cloud-init) never does, so every netif with
 * an ip is also a DNS host, under the DHCP host's name (and its FQDN with
 * `domain:`). dnsmasq serves DNS on every network with an address. */
static void render_dns_hosts(struct xb *b, xb_node root, const cb_network *n, uint32_t base)
{
    xb_node dns = 0, host;
    char a[IPV4_STRLEN];
    size_t i;

    for (i = 0; i < n->static_hosts.n; i++) {
        const struct netif *nif = n->static_hosts.v[i];
        const char *name = nif->domain->name;
        if (!dhcp_host_name_ok(name))
            continue;
        if (!dns)
            dns = xb_elem(b, root, "dns");
        ipv4_format(base | nif->ip, a);
        host = xb_elem(b, dns, "host");
        xb_attr(b, host, "ip", "%s", a);
        xb_text(b, host, "hostname", "%s", name);
        if (n->dns_domain)
            xb_text(b, host, "hostname", "%s.%s", name, n->dns_domain);
    }
}

/* dnsmasq pings every new address before leasing it (about 3 s per guest):
 * pointless on a testbed network whose addresses only the testbed hands out. */
static void render_dnsmasq_options(struct xb *b, xb_node root)
{
    xb_node opts = xb_elem(b, root, "dnsmasq:options");

    xb_attr(b, opts, "xmlns:dnsmasq", DNSMASQ_NS);
    xb_attr(b, xb_elem(b, opts, "dnsmasq:option"), "value", "no-ping");
}

char *render_network_xml(const cb_network *n, const struct net_addr *a)
{
    struct xb b;
    xb_node root = xb_init(&b, "network"), ip;
    char addr[IPV4_STRLEN], mask[IPV4_STRLEN];
    uint32_t base = 0;

    if (n->addr_auto && a && a->known)
        base = a->ip & ipv4_mask(a->prefix);

    xb_text(&b, root, "name", "%s", n->libvirt_name);
    xb_metadata(&b, root, n->m);
    if (n->forward != FWD_NONE)
        xb_attr(&b, xb_elem(&b, root, "forward"), "mode", "%s", fwd_mode_name(n->forward));
    if (n->bridge)
        xb_attr(&b, xb_elem(&b, root, "bridge"), "name", "%s", n->bridge);
    if (n->dns_domain)
        xb_attr(&b, xb_elem(&b, root, "domain"), "name", "%s", n->dns_domain);
    if (n->has_ip) {
        if (n->addr_auto && !base)
            xb_comment(&b, root, " address: auto: chosen at creation ");
        render_dns_hosts(&b, root, n, base);
        ipv4_format(base | n->ip, addr);
        ipv4_format(ipv4_mask(n->prefix), mask);
        ip = xb_elem(&b, root, "ip");
        xb_attr(&b, ip, "address", "%s", addr);
        xb_attr(&b, ip, "netmask", "%s", mask);
        if (n->pxe_dir)
            xb_attr(&b, xb_elem(&b, ip, "tftp"), "root", "%s", n->pxe_dir);
        if (n->has_dhcp)
            render_dhcp(&b, ip, n, base);
    }
    if (n->has_dhcp)
        render_dnsmasq_options(&b, root);
    return xb_finish(&b);
}
