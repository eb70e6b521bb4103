/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * config_network.c: the networks section.
 */
#include <ctype.h>
#include <string.h>

#include "model/parse.h"
#include "util/error.h"
#include "util/ipv4.h"
#include "util/util.h"

static const char *const network_keys[] = {
    "name", "forward", "bridge", "address", "ip_host", "netmask", "dhcp", "domain", "pxe", NULL,
};
static const char *const dhcp_keys[] = { "start", "end", NULL };
static const char *const pxe_keys[] = { "tftp_dir", "boot_file", NULL };

/* Linux interface names: at most 15 bytes, no '/', ':' or white space. */
static bool ifname_is_valid(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n < 16 && !strpbrk(s, "/: \t\n") && strcmp(s, ".") && strcmp(s, "..");
}

static bool dns_name_is_valid(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n < 254 && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-.") == n && s[0] != '.' && s[0] != '-';
}

static int parse_forward(struct pctx *c, const ynode *item, cb_network *n)
{
    const char *text;
    const ynode *node;
    int rc = pget_text(c, item, "forward", 0, &text, &node, NULL,
                       "Forward parameter format of network %s is not valid", n->name);

    n->forward = FWD_NONE;
    if (rc <= 0)
        return rc;
    if (strcmp(text, "nat") == 0)
        n->forward = FWD_NAT;
    else if (strcmp(text, "bridge") == 0)
        n->forward = FWD_BRIDGE;
    else if (strcmp(text, "none") != 0)
        return pfail(c, node, "Forward parameter of network %s is not valid (none, nat or bridge)",
                     n->name);
    return 0;
}

static int parse_bridge(struct pctx *c, const ynode *item, cb_network *n)
{
    const char *text;
    const ynode *node;
    int rc = pget_text(c, item, "bridge", 0, &text, &node, NULL,
                       "Bridge parameter format of network %s is not valid", n->name);

    if (rc < 0)
        return rc;
    if (rc == 1 && n->forward != FWD_BRIDGE)
        return pfail(c, node, "Bridge parameter has no sense on network %s with forwarding mode %s",
                     n->name, n->forward == FWD_NAT ? "nat" : "None");
    if (rc == 0 && n->forward == FWD_BRIDGE)
        return pfail(c, item, "Bridge parameter is missing on network %s with bridge forwarding mode",
                     n->name);
    if (rc == 0)
        return 0;
    if (!ifname_is_valid(text))
        return pfail(c, node, "Bridge parameter of network %s is not a valid interface name "
                              "(1 to 15 characters, without '/', ':' or spaces)", n->name);
    return (n->bridge = str_dup(text)) ? 0 : CB_ENOMEM;
}

/* Checks that the host address of N leaves room for guests. */
static int check_host_address(struct pctx *c, const ynode *node, cb_network *n, const char *param)
{
    char net[IPV4_STRLEN];

    ipv4_format(n->ip & ipv4_mask(n->prefix), net);
    if (n->prefix > 30)
        return pfail(c, node, "%s on network %s leaves no address for guests (/%u is longer than /30)",
                     param, n->name, n->prefix);
    if (!ipv4_is_host(n->ip, n->ip, n->prefix))
        return pfail(c, node, "%s on network %s is the network or broadcast address of %s/%u: "
                              "give the host's own address, for example the first one",
                     param, n->name, net, n->prefix);
    return 0;
}

static int parse_address(struct pctx *c, const ynode *item, cb_network *n)
{
    const char *text, *host, *mask;
    const ynode *node, *hnode, *mnode;
    int rc, rh, rm;

    rc = pget_text(c, item, "address", 0, &text, &node, NULL,
                   "address parameter format on network %s is not valid", n->name);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        if (n->forward == FWD_BRIDGE)
            return pfail(c, node, "address parameter has no sense on network %s with bridge "
                                  "forwarding mode", n->name);
        if (strcmp(text, "auto") == 0) {
            /* Host .1 of a /24 whose network part is chosen at creation. */
            n->addr_auto = true;
            n->has_ip = true;
            n->ip = 1;
            n->prefix = 24;
            n->address_loc = ploc(node);
            return 0;
        }
        switch (ipv4_parse_cidr(text, &n->ip, &n->prefix)) {
        case IPV4_OK:
            break;
        case IPV4_IS_V6:
            return pfail(c, node, "address parameter on network %s is an IPv6 address: IPv6 "
                                  "networks are not supported", n->name);
        case IPV4_NO_PREFIX:
            return pfail(c, node, "address parameter on network %s is not a valid network "
                                  "address: it needs a prefix length, as in 10.0.0.1/24", n->name);
        default:
            return pfail(c, node, "address parameter on network %s is not a valid network address",
                         n->name);
        }
        n->has_ip = true;
        n->address_loc = ploc(node);
        return check_host_address(c, node, n, "address parameter");
    }

    /* Deprecated form: ip_host + netmask. */
    rh = pget_text(c, item, "ip_host", 0, &host, &hnode, NULL,
                   "ip_host parameter format on network %s is not valid", n->name);
    if (rh < 0)
        return rh;
    rm = pget_text(c, item, "netmask", 0, &mask, &mnode, NULL,
                   "netmask parameter format on network %s is not valid", n->name);
    if (rm < 0)
        return rm;
    if (rh == 0 && rm == 0)
        return 0;
    if (n->forward == FWD_BRIDGE)
        return pfail(c, rh ? hnode : mnode, "ip_host and netmask parameters have no sense on "
                                            "network %s with bridge forwarding mode", n->name);
    if (rm == 0)
        return pfail(c, hnode, "ip_host cannot be set without netmask parameter on network %s",
                     n->name);
    if (rh == 0)
        return pfail(c, mnode, "netmask cannot be set without ip_host parameter on network %s",
                     n->name);
    pwarn(c, hnode, "ip_host/netmask network parameters are deprecated, please use address "
                    "parameter instead");
    switch (ipv4_parse(host, &n->ip)) {
    case IPV4_OK:
        break;
    case IPV4_IS_V6:
        return pfail(c, hnode, "ip_host parameter on network %s is an IPv6 address: IPv6 "
                               "networks are not supported", n->name);
    default:
        return pfail(c, hnode, "ip_host parameter on network %s is not a valid IPv4 address",
                     n->name);
    }
    if (ipv4_parse_netmask(mask, &n->prefix) != IPV4_OK)
        return pfail(c, mnode, "netmask parameter on network %s is not a valid IPv4 netmask",
                     n->name);
    n->has_ip = true;
    n->address_loc = ploc(hnode);
    return check_host_address(c, hnode, n, "ip_host parameter");
}

static int parse_dhcp_bound(struct pctx *c, const ynode *dhcp, cb_network *n, const char *key,
                            uint32_t *out)
{
    const char *text;
    const ynode *node;
    char net[IPV4_STRLEN];
    int rc = pget_text(c, dhcp, key, F_REQUIRED, &text, &node,
                       "%s parameter must be defined in dhcp section of network %s",
                       "%s parameter format in dhcp section of network %s is not valid", key,
                       n->name);

    if (rc < 0)
        return rc;
    if (n->addr_auto) {
        if (ipv4_parse_host_number(text, out) != IPV4_OK)
            return pfail(c, node, "network %s has address auto: write %s of its dhcp section as "
                                  "a host number such as .100", n->name, key);
        return 0;
    }
    if (ipv4_parse_host_number(text, out) == IPV4_OK)
        return pfail(c, node, "%s parameter in dhcp section of network %s is a host number "
                              "(%s), which only a network with address auto takes: write the "
                              "whole address", key, n->name, text);
    if (ipv4_parse(text, out) != IPV4_OK)
        return pfail(c, node, "%s parameter in dhcp section of network %s is not a valid IPv4 "
                              "address", key, n->name);
    ipv4_format(n->ip & ipv4_mask(n->prefix), net);
    if (!ipv4_is_host(*out, n->ip, n->prefix))
        return pfail(c, node, "%s parameter in dhcp section of network %s (%s) is not a host "
                              "address of the network %s/%u", key, n->name, text, net, n->prefix);
    return 0;
}

static int parse_dhcp(struct pctx *c, const ynode *item, cb_network *n)
{
    const ynode *dhcp = ymap_get(c->doc, item, "dhcp");
    char a[IPV4_STRLEN], b[IPV4_STRLEN];
    int rc;

    if (!dhcp)
        return 0;
    if (!n->has_ip)
        return pfail(c, dhcp, "dhcp service cannot be set-up on network %s without ip_host and "
                              "netmask (or address)", n->name);
    if (!ynode_is_map(dhcp))
        return pfail(c, dhcp, "format of dhcp section of network %s is not valid", n->name);
    if ((rc = pcheck_keys(c, dhcp, dhcp_keys, "dhcp section of network %s", n->name)) < 0 ||
        (rc = parse_dhcp_bound(c, dhcp, n, "start", &n->dhcp_start)) < 0 ||
        (rc = parse_dhcp_bound(c, dhcp, n, "end", &n->dhcp_end)) < 0)
        return rc;
    if (n->dhcp_start > n->dhcp_end) {
        ipv4_format(n->dhcp_start, a);
        ipv4_format(n->dhcp_end, b);
        return pfail(c, dhcp, "dhcp range of network %s is empty: start %s comes after end %s",
                     n->name, a, b);
    }
    n->has_dhcp = true;
    return 0;
}

static int parse_domain_name(struct pctx *c, const ynode *item, cb_network *n)
{
    const char *text;
    const ynode *node;
    int rc = pget_text(c, item, "domain", 0, &text, &node, NULL,
                       "format of domain parameter of network %s is not valid", n->name);

    if (rc <= 0)
        return rc;
    if (!n->has_dhcp)
        return pfail(c, node, "domain parameter cannot be set-up on network %s without dhcp",
                     n->name);
    if (!dns_name_is_valid(text))
        return pfail(c, node, "domain parameter of network %s is not a valid DNS domain name",
                     n->name);
    return (n->dns_domain = str_dup(text)) ? 0 : CB_ENOMEM;
}

static int set_pxe(struct pctx *c, cb_network *n, const char *dir, size_t dirlen, const char *file)
{
    char *d = strndup(dir, dirlen);

    if (!d)
        return err_oom();
    n->pxe_dir = *d ? path_resolve(c->m->dir, d) : str_dup(c->m->dir);
    free(d);
    n->pxe_file = str_dup(file);
    return n->pxe_dir && n->pxe_file ? 0 : CB_ENOMEM;
}

static int parse_pxe(struct pctx *c, const ynode *item, cb_network *n)
{
    const ynode *pxe = ymap_get(c->doc, item, "pxe");
    const char *text, *dir, *file, *slash;
    int rc;

    if (!pxe)
        return 0;
    if (!n->has_dhcp)
        return pfail(c, pxe, "pxe service cannot be set-up on network %s without dhcp", n->name);
    if ((text = ynode_text(pxe))) {
        /* "dir/file": split at the last '/', as os.path.split. */
        slash = strrchr(text, '/');
        file = slash ? slash + 1 : text;
        if (!*file)
            return pfail(c, pxe, "pxe parameter of network %s must specify a boot file", n->name);
        return set_pxe(c, n, text, slash ? (slash == text ? 1 : (size_t)(slash - text)) : 0, file);
    }
    if (!ynode_is_map(pxe))
        return pfail(c, pxe, "format of pxe parameter of network %s is not valid", n->name);
    pwarn(c, pxe, "pxe parameter format with tftp_dir and boot_file parameters is deprecated");
    if ((rc = pcheck_keys(c, pxe, pxe_keys, "pxe section of network %s", n->name)) < 0)
        return rc;
    if ((rc = pget_text(c, pxe, "tftp_dir", F_REQUIRED | F_NONEMPTY, &dir, NULL,
                        "%s parameter must be defined in pxe section of network %s",
                        "%s parameter format in pxe section of network %s is not valid",
                        "tftp_dir", n->name)) < 0 ||
        (rc = pget_text(c, pxe, "boot_file", F_REQUIRED | F_NONEMPTY, &file, NULL,
                        "%s parameter must be defined in pxe section of network %s",
                        "%s parameter format in pxe section of network %s is not valid",
                        "boot_file", n->name)) < 0)
        return rc;
    return set_pxe(c, n, dir, strlen(dir), file);
}

int parse_networks(struct pctx *c, const ynode *root)
{
    const ynode *sec = ymap_get(c->doc, root, "networks");
    const cb_network *dup;
    size_t i;
    int rc;

    if (!sec)
        return pfail(c, root, "networks parameter is missing");
    if (!ynode_is_seq(sec))
        return pfail(c, sec, "format of networks parameter is not valid");
    for (i = 0; i < yseq_len(sec); i++) {
        const ynode *item = yseq_at(c->doc, sec, i);
        const char *name;
        cb_network *n;

        if (!ynode_is_map(item))
            return pfail(c, item, "the format of one network object is not valid");
        if ((rc = pget_name(c, item, "network", &name)) < 0)
            return rc;
        if ((dup = model_network(c->m, name)))
            return pfail(c, item, "duplicate network name %s (first defined at line %d)",
                         name, dup->loc.line);
        if ((rc = pcheck_keys(c, item, network_keys, "network %s", name)) < 0)
            return rc;
        if (!(n = calloc(1, sizeof(*n))) || VEC_PUSH(c->m->networks, n) < 0) {
            free(n);
            return err_oom();
        }
        n->tb = c->tb;
        n->m = c->m;
        n->index = c->m->networks.n - 1;
        n->loc = ploc(item);
        if (!(n->name = str_dup(name)))
            return CB_ENOMEM;
        g_hash_table_insert(c->m->ix.network, n->name, n);
        if ((rc = parse_forward(c, item, n)) < 0 || (rc = parse_bridge(c, item, n)) < 0 ||
            (rc = parse_address(c, item, n)) < 0 || (rc = parse_dhcp(c, item, n)) < 0 ||
            (rc = parse_domain_name(c, item, n)) < 0 || (rc = parse_pxe(c, item, n)) < 0)
            return rc;
    }
    return 0;
}
