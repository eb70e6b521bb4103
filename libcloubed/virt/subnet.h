/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * subnet.h: `address: auto` at run time (internal): choosing a free /24 of
 * the range at creation, and knowing what was chosen afterwards.
 *
 * struct net_addr is defined in render/render.h (render reads it);
 * tb_network_address() is declared in testbed.h, where serve/ can call it.
 */
#ifndef CB_INTERNAL_SUBNET_H
#define CB_INTERNAL_SUBNET_H

#include <stdbool.h>
#include <stdint.h>

#include <libvirt/libvirt.h>

#include "testbed.h"

/* The documented range of `address: auto` (docs/testbed-file.md). */
#define SUBNET_AUTO_DEFAULT "10.213.0.0/16"
/* Tries after a peer without the lock took the same /24 at once. */
#define SUBNET_AUTO_TRIES 8

/* Reads $CLOUBED_AUTO_SUBNETS (CIDR, prefix at most 24; empty or unset: the
 * default range) into tb->opt. CB_EINVAL on a bad value: at open, so that a
 * typo fails before anything is created. */
int subnet_range_init(cb_testbed *tb);

/* The first IPv4 subnet of a libvirt network's XML: false when it has none. */
bool subnet_of_network(virNetworkPtr net, uint32_t *ip, unsigned *prefix);

/* Creates auto network N: under the host-wide lock (local URIs), lists every
 * network, active or not, takes the first /24 of the range that overlaps none,
 * renders and creates with it, then lists again: if another network now
 * overlaps (a remote URI, or a peer without the lock), the one whose libvirt
 * name sorts higher destroys itself and tries the next /24, at most
 * SUBNET_AUTO_TRIES times, then CB_ECONFLICT. An exhausted range is
 * CB_ECONFLICT ("no free /24 in RANGE for network N (K in use)"). Sets the
 * cache. Caller holds tb->rt.ops_lock. *OUT: a reference, the caller's. */
int subnet_create_auto(virNetworkPtr *out, cb_testbed *tb, virConnectPtr c, const cb_network *n);

/* Forgets what auto network N took (it was removed). */
void subnet_forget(cb_testbed *tb, const cb_network *n);

#endif
