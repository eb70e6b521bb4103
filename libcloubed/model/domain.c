/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * config_domain.c: the domains section (cpu, memory, graphics, netifs, disks,
 * cdrom, virtfs, direct kernel boot; templates are in config_templates.c).
 */
#include <string.h>

#include "model/parse.h"
#include "util/error.h"
#include "util/ipv4.h"
#include "model/units.h"
#include "util/util.h"

static const char *const domain_keys[] = {
    "name", "cpu", "memory", "graphics", "netifs", "disks", "cdrom", "virtfs", "templates",
    "kernel", "initrd", "cmdline", "cloudinit", NULL,
};
static const char *const netif_keys[] = { "network", "ip", "mac", NULL };
static const char *const disk_keys[] = {
    "device", "bus", "storage_volume", "name", "size", "storagepool", "format", "backing", "mode",
    "source", NULL,
};
static const char *const virtfs_keys[] = { "source", "target", NULL };

static int parse_cpu(struct pctx *c, const ynode *item, cb_domain *d)
{
    const char *text;
    const ynode *node;
    int rc = pget_text(c, item, "cpu", F_REQUIRED, &text, &node,
                       "cpu parameter of domain %s is missing",
                       "format of cpu parameter of domain %s is not valid", d->name);
    if (rc < 0)
        return rc;
    switch (units_parse_cpu(text, &d->sockets, &d->cores, &d->threads)) {
    case UNITS_OK:
        return 0;
    case UNITS_NOT_POSITIVE:
        return pfail(c, node, "cpu parameter of domain %s must be positive", d->name);
    case UNITS_TOO_LARGE:
        return pfail(c, node, "cpu parameter of domain %s asks for more than %u vCPUs", d->name,
                     UNITS_MAX_VCPUS);
    default:
        return pfail(c, node, "format of cpu topology of domain %s is not valid "
                              "(N, SxCxT or S:C:T)", d->name);
    }
}

static int parse_memory(struct pctx *c, const ynode *item, cb_domain *d)
{
    const char *text;
    const ynode *node;
    int rc = pget_text(c, item, "memory", F_REQUIRED, &text, &node,
                       "memory parameter of domain %s is missing",
                       "format of memory parameter of domain %s is not valid", d->name);
    if (rc < 0)
        return rc;
    switch (units_parse_memory(text, ynode_is_plain(node), &d->memory_mib)) {
    case UNITS_OK:
        return 0;
    case UNITS_BAD_UNIT:
        return pfail(c, node, "unknown unit for memory '%s' of domain %s (M, MB, MiB, G, GB or GiB)",
                     pval(text), d->name);
    case UNITS_NOT_POSITIVE:
        return pfail(c, node, "memory of domain %s must be positive", d->name);
    case UNITS_TOO_LARGE:
        return pfail(c, node, "memory '%s' of domain %s is too large", pval(text), d->name);
    default:
        return pfail(c, node, "memory size '%s' of domain %s is not valid", pval(text), d->name);
    }
}

static int parse_graphics(struct pctx *c, const ynode *item, cb_domain *d)
{
    static const struct { const char *name; enum graphics_kind kind; } kinds[] = {
        { "spice", GFX_SPICE }, { "vnc", GFX_VNC }, { "sdl", GFX_SDL }, { "rdp", GFX_RDP },
        { "none", GFX_NONE },
    };
    const char *text;
    const ynode *node;
    size_t i;
    int rc = pget_text(c, item, "graphics", 0, &text, &node, NULL,
                       "format of graphics parameter of domain %s is not valid", d->name);

    d->graphics = GFX_SPICE;
    if (rc <= 0)
        return rc;
    for (i = 0; i < ARRAY_SIZE(kinds); i++)
        if (strcmp(text, kinds[i].name) == 0) {
            d->graphics = kinds[i].kind;
            return 0;
        }
    return pfail(c, node, "value %s of graphics parameter of domain %s is not valid "
                          "(spice, vnc, sdl, rdp or none)", pval(text), d->name);
}

static int parse_netif(struct pctx *c, const ynode *item, cb_domain *d, size_t i)
{
    struct netif nif = { 0 };
    const char *text;
    const ynode *node;
    int rc;

    if (!ynode_is_map(item))
        return pfail(c, item, "format of netif %zu of domain %s is not valid", i, d->name);
    if ((rc = pcheck_keys(c, item, netif_keys, "netif %zu of domain %s", i, d->name)) < 0)
        return rc;
    nif.loc = ploc(item);
    if ((rc = pget_text(c, item, "network", F_REQUIRED, &text, &node,
                        "network of netif %zu of domain %s is missing",
                        "format of network of netif %zu of domain %s is not valid", i, d->name)) < 0)
        return rc;
    nif.net_ref_loc = ploc(node);
    if (!(nif.net_ref = str_dup(text)))
        return CB_ENOMEM;
    if (VEC_PUSH(d->netifs, nif) < 0) {
        free(nif.net_ref);
        return CB_ENOMEM;
    }

    rc = pget_text(c, item, "ip", 0, &text, &node, NULL,
                   "format of ip of netif %zu of domain %s is not valid", i, d->name);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        struct netif *n = &d->netifs.v[d->netifs.n - 1];
        /* ".N" is checked against its network in resolve, once it is known. */
        if (ipv4_parse_host_number(text, &n->ip) == IPV4_OK)
            n->ip_is_offset = true;
        else switch (ipv4_parse(text, &n->ip)) {
        case IPV4_OK:
            break;
        case IPV4_IS_V6:
            return pfail(c, node, "ip of netif %zu of domain %s is an IPv6 address: IPv6 is not "
                                  "supported", i, d->name);
        default:
            return pfail(c, node, "value of ip of netif %zu of domain %s is not a valid IPv4 "
                                  "address", i, d->name);
        }
        n->has_ip = true;
        n->ip_loc = ploc(node);
    }

    rc = pget_text(c, item, "mac", 0, &text, &node, NULL,
                   "format of mac of netif %zu of domain %s is not valid", i, d->name);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        struct netif *n = &d->netifs.v[d->netifs.n - 1];
        if (!mac_is_valid(text))
            return pfail(c, node, "value of mac parameter of netif %zu of domain %s is not a "
                                  "valid mac address", i, d->name);
        if (mac_is_multicast(text))
            return pfail(c, node, "value of mac parameter of netif %zu of domain %s is a "
                                  "multicast address (the first byte must be even)", i, d->name);
        memcpy(n->mac, text, MAC_STRLEN);
        n->mac_loc = ploc(node);
    }
    return 0;
}

static int parse_list(struct pctx *c, const ynode *item, cb_domain *d, const char *key,
                      const ynode **out)
{
    const ynode *sec = ymap_get(c->doc, item, key);

    *out = sec;
    if (!sec)
        return pfail(c, item, "%s section of domain %s is missing", key, d->name);
    if (!ynode_is_seq(sec))
        return pfail(c, sec, "format of %s section of domain %s is not valid", key, d->name);
    return 0;
}

static int parse_netifs(struct pctx *c, const ynode *item, cb_domain *d)
{
    const ynode *sec;
    size_t i;
    int rc;

    if ((rc = parse_list(c, item, d, "netifs", &sec)) < 0)
        return rc;
    for (i = 0; i < yseq_len(sec); i++)
        if ((rc = parse_netif(c, yseq_at(c->doc, sec, i), d, i)) < 0)
            return rc;
    return 0;
}

static bool device_is_valid(const char *s)
{
    size_t n = strlen(s);
    return n >= 2 && n <= 32 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789") == n &&
           s[0] >= 'a' && s[0] <= 'z';
}

static int parse_disk(struct pctx *c, const ynode *item, cb_domain *d, size_t i)
{
    struct disk dk = { 0 };
    const char *text;
    const ynode *node, *vref, *vname;
    size_t j;
    int rc;

    if (!ynode_is_map(item))
        return pfail(c, item, "format of disk %zu of domain %s is not valid", i, d->name);
    if ((rc = pcheck_keys(c, item, disk_keys, "disk %zu of domain %s", i, d->name)) < 0)
        return rc;
    dk.loc = ploc(item);
    if ((rc = pget_text(c, item, "device", F_REQUIRED, &text, &node,
                        "device of disk %zu of domain %s is missing",
                        "format of device of disk %zu of domain %s is not valid", i, d->name)) < 0)
        return rc;
    if (!device_is_valid(text))
        return pfail(c, node, "device %s of disk %zu of domain %s is not a valid target device "
                              "name (such as vda, sdb or hdc)", pval(text), i, d->name);
    for (j = 0; j < d->disks.n; j++)
        if (strcmp(d->disks.v[j].device, text) == 0)
            return pfail(c, node, "device %s of disk %zu of domain %s is already used by disk %zu",
                         pval(text), i, d->name, j);
    if (!(dk.device = str_dup(text)))
        return CB_ENOMEM;
    if (VEC_PUSH(d->disks, dk) < 0) {
        free(dk.device);
        return CB_ENOMEM;
    }
    struct disk *disk = &d->disks.v[d->disks.n - 1];

    disk->bus = BUS_VIRTIO;
    rc = pget_text(c, item, "bus", 0, &text, &node, NULL,
                   "format of bus of disk %zu of domain %s is not valid", i, d->name);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        if (strcmp(text, "scsi") == 0)
            disk->bus = BUS_SCSI;
        else if (strcmp(text, "ide") == 0)
            disk->bus = BUS_IDE;
        else if (strcmp(text, "virtio") != 0)
            return pfail(c, node, "value %s of bus of disk %zu of domain %s is not valid "
                                  "(virtio, scsi or ide)", pval(text), i, d->name);
    }

    vref = ymap_get(c->doc, item, "storage_volume");
    vname = ymap_get(c->doc, item, "name");
    if (vref && vname)
        return pfail(c, vname, "storage_volume and name parameters of disk %zu of domain %s are "
                               "conflicting", i, d->name);
    if (vref) {
        if (!(text = ynode_text(vref)))
            return pfail(c, vref, "format of storage_volume parameter of disk %zu of domain %s is "
                                  "not valid", i, d->name);
        disk->vol_ref_loc = ploc(vref);
        return (disk->vol_ref = str_dup(text)) ? 0 : CB_ENOMEM;
    }
    if (vname)
        return parse_volume(c, item, true, &disk->vol);
    return pfail(c, item, "storage_volume or name parameters of disk %zu of domain %s are missing",
                 i, d->name);
}

static int parse_disks(struct pctx *c, const ynode *item, cb_domain *d)
{
    const ynode *sec;
    size_t i;
    int rc;

    if ((rc = parse_list(c, item, d, "disks", &sec)) < 0)
        return rc;
    for (i = 0; i < yseq_len(sec); i++)
        if ((rc = parse_disk(c, yseq_at(c->doc, sec, i), d, i)) < 0)
            return rc;
    return 0;
}

/* An optional path relative to the testbed directory. */
static int parse_path(struct pctx *c, const ynode *item, cb_domain *d, const char *key, char **out)
{
    const char *text;
    int rc = pget_text(c, item, key, F_NONEMPTY, &text, NULL, NULL,
                       "format of %s parameter of domain %s is not valid", key, d->name);

    if (rc <= 0)
        return rc;
    return (*out = path_resolve(c->m->dir, text)) ? 0 : CB_ENOMEM;
}

static int parse_virtfs(struct pctx *c, const ynode *item, cb_domain *d)
{
    const ynode *sec = ymap_get(c->doc, item, "virtfs");
    size_t i;
    int rc;

    if (!sec)
        return 0;
    if (!ynode_is_seq(sec))
        return pfail(c, sec, "format of virtfs section of domain %s is not valid", d->name);
    for (i = 0; i < yseq_len(sec); i++) {
        const ynode *fs = yseq_at(c->doc, sec, i);
        struct virtfs v = { 0 };
        const char *src, *tgt;

        if (!ynode_is_map(fs))
            return pfail(c, fs, "format of virtfs %zu of domain %s is not valid", i, d->name);
        if ((rc = pcheck_keys(c, fs, virtfs_keys, "virtfs %zu of domain %s", i, d->name)) < 0)
            return rc;
        if ((rc = pget_text(c, fs, "source", F_REQUIRED | F_NONEMPTY, &src, NULL,
                            "source of virtfs %zu of domain %s is missing",
                            "format of source of virtfs %zu of domain %s is not valid", i,
                            d->name)) < 0)
            return rc;
        rc = pget_text(c, fs, "target", F_NONEMPTY, &tgt, NULL, NULL,
                       "format of target of virtfs %zu of domain %s is not valid", i, d->name);
        if (rc < 0)
            return rc;
        v.source = path_resolve(c->m->dir, src);
        v.target = rc == 1 ? str_dup(tgt) : (v.source ? str_dup(v.source) : NULL);
        if (!v.source || !v.target || VEC_PUSH(d->virtfs, v) < 0) {
            free(v.source);
            free(v.target);
            return err_oom();
        }
    }
    return 0;
}

static int parse_kernel_boot(struct pctx *c, const ynode *item, cb_domain *d)
{
    const char *text;
    const ynode *node;
    int rc;

    if ((rc = parse_path(c, item, d, "kernel", &d->kernel)) < 0 ||
        (rc = parse_path(c, item, d, "initrd", &d->initrd)) < 0)
        return rc;
    rc = pget_text(c, item, "cmdline", 0, &text, &node, NULL,
                   "format of cmdline parameter of domain %s is not valid", d->name);
    if (rc < 0)
        return rc;
    if (rc == 1 && !(d->cmdline = str_dup(text)))
        return CB_ENOMEM;
    if (!d->kernel && (d->initrd || d->cmdline))
        return pfail(c, ymap_get(c->doc, item, d->initrd ? "initrd" : "cmdline"),
                     "%s parameter of domain %s needs a kernel parameter",
                     d->initrd ? "initrd" : "cmdline", d->name);
    return 0;
}

int parse_domains(struct pctx *c, const ynode *root)
{
    const ynode *sec = ymap_get(c->doc, root, "domains");
    const cb_domain *dup;
    size_t i;
    int rc;

    if (!sec)
        return pfail(c, root, "domains parameter is missing");
    if (!ynode_is_seq(sec))
        return pfail(c, sec, "format of domains parameter is not valid");
    for (i = 0; i < yseq_len(sec); i++) {
        const ynode *item = yseq_at(c->doc, sec, i), *tpl;
        const char *name;
        cb_domain *d;

        if (!ynode_is_map(item))
            return pfail(c, item, "the format of one domain object is not valid");
        if ((rc = pget_name(c, item, "domain", &name)) < 0)
            return rc;
        if ((dup = model_domain(c->m, name)))
            return pfail(c, item, "duplicate domain name %s (first defined at line %d)", name,
                         dup->loc.line);
        if ((rc = pcheck_keys(c, item, domain_keys, "domain %s", name)) < 0)
            return rc;
        if (!(d = calloc(1, sizeof(*d))) || VEC_PUSH(c->m->domains, d) < 0) {
            free(d);
            return err_oom();
        }
        d->tb = c->tb;
        d->m = c->m;
        d->index = c->m->domains.n - 1;
        d->loc = ploc(item);
        if (!(d->name = str_dup(name)))
            return CB_ENOMEM;
        g_hash_table_insert(c->m->ix.domain, d->name, d);
        if ((rc = parse_cpu(c, item, d)) < 0 || (rc = parse_memory(c, item, d)) < 0 ||
            (rc = parse_graphics(c, item, d)) < 0 || (rc = parse_netifs(c, item, d)) < 0 ||
            (rc = parse_disks(c, item, d)) < 0 || (rc = parse_path(c, item, d, "cdrom", &d->cdrom)) < 0 ||
            (rc = parse_virtfs(c, item, d)) < 0 || (rc = parse_kernel_boot(c, item, d)) < 0)
            return rc;
        if ((tpl = ymap_get(c->doc, item, "templates")) &&
            (rc = parse_domain_templates(c, d, tpl)) < 0)
            return rc;
        if ((tpl = ymap_get(c->doc, item, "cloudinit")) && (rc = parse_cloudinit(c, d, tpl)) < 0)
            return rc;
    }
    return 0;
}
