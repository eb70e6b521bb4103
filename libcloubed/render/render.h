/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * render.h: the libvirt XML of each resource kind (internal). Each returns a
 * string to free(), or NULL with CB_ENOMEM.
 */
#ifndef CB_INTERNAL_RENDER_H
#define CB_INTERNAL_RENDER_H

#include "model/model.h"

/* The namespace of the metadata by which a testbed recognises its own
 * objects in libvirt (virt/ownership.c reads it back). */
#define CB_METADATA_NS "http://libcloubed.org/xmlns/testbed/1.0"
#define CB_METADATA_PREFIX "cloubed"

/* What the host offers, decided once (lazily) per testbed by virt/host.c,
 * and refined from the host's capabilities when the testbed connects. */
struct host_profile {
    const char *virt_type; /* "kvm" or "qemu" */
    /* NULL: let libvirt choose; each set once, freed with tb */
    const char *arch;
    const char *emulator;
    const char *machine;   /* the versioned type behind "pc", for a stable guest ABI */
};

/* The run-time address of a network (absolute, host byte order): for an
 * `address: auto` network, what virt/subnet.c chose at creation. Defined here
 * rather than in virt/subnet.h (plan11 §5) because render reads its fields
 * and may not include virt/. */
struct net_addr {
    uint32_t ip;          /* the host's address: BASE | n->ip */
    unsigned prefix;
    uint32_t dhcp_start, dhcp_end;
    bool known;
};

char *render_pool_xml(const cb_storage_pool *p);
char *render_volume_xml(const cb_storage_volume *v);
/* The volume of domain D's cloud-init seed, raw, of BYTES bytes. */
char *render_seed_volume_xml(const cb_domain *d, size_t bytes);
/* A: the network's run-time address; ignored for a fixed-address network. For
 * an `address: auto` network NULL renders the host numbers as they are, under
 * the comment "address: auto: chosen at creation" (`cloubed xml` before
 * creation). */
char *render_network_xml(const cb_network *n, const struct net_addr *a);
/* BOOTDEV is "hd", "network" or "cdrom", or NULL for no <boot> element;
 * UUID is the existing domain's when it is defined again, else NULL; HOST
 * is the testbed's host profile (tb_host()). */
char *render_domain_xml(cb_domain *d, const struct host_profile *host, const char *bootdev,
                        const char *uuid);

/* seed_iso.c: the seed's files F as an ISO9660 image with volume id
 * "cidata" (Rock Ridge and Joliet): *BUF (free()) of *LEN bytes. 0, or
 * CB_ENOMEM / CB_EINVAL / CB_EIO with libisofs's code. Any thread. */
struct seed_files;
int render_seed_iso(unsigned char **buf, size_t *len, const struct seed_files *f);

#endif
