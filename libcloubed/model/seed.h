/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * seed.h: the files of a domain's cloud-init NoCloud seed, from the model
 * alone (internal). Pure: no libvirt, no I/O except reading a user_data
 * file that is not a cloud-config. virt/seed.c puts them in a volume.
 */
#ifndef CB_INTERNAL_SEED_H
#define CB_INTERNAL_SEED_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"

/* What the seed needs of each netif's network at run time (an `address:
 * auto` network's address is chosen at its creation). */
struct seed_net {
    bool known;          /* the network has an address */
    uint32_t ip;         /* the host's (gateway's) address, host byte order */
    unsigned prefix;
};

struct seed_files {
    char *meta_data;      /* "meta-data" */
    char *user_data;      /* "user-data" */
    char *network_config; /* "network-config", or NULL: none (no netifs) */
    char instance_id[32]; /* "cloubed-" and 16 hex digits */
};

/* The seed of domain D (which has a cloudinit section). NETS: one per
 * netif of D. PUBKEY: the testbed's public key (one line), or NULL; it is
 * added unless the section says testbed_key: false.
 *
 * The rules (docs/testbed-file.md): meta-data holds instance-id,
 * local-hostname (D's name), public-keys (the keys) and the meta_data
 * additions; instance-id is "cloubed-" + the first 16 hex digits of the
 * SHA-256 of user-data, network-config and the rest of meta-data, so that
 * it changes exactly when the content does. user-data is "#cloud-config"
 * and the user's mapping, with the keys given to the first named user of
 * `users`, or, without `users`, a user SEED_DEFAULT_USER added with them
 * (passwordless sudo); a user_data file that is not a cloud-config is sent
 * as it is. network-config is the section's, else derived from the netifs
 * (version 2, matched by MAC: a static ip with its network's prefix, DNS
 * at the network's address and a default route through the first network
 * that forwards; DHCP otherwise). 0, or CB_EIO / CB_EINVAL with OUT
 * zeroed. */
int seed_build(struct seed_files *out, const cb_domain *d, const struct seed_net *nets,
               const char *pubkey);
void seed_files_free(struct seed_files *f);

#endif
