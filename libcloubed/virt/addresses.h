/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * addresses.h: where a domain's netifs are reached (internal).
 */
#ifndef CB_INTERNAL_ADDRESSES_H
#define CB_INTERNAL_ADDRESSES_H

#include <stdbool.h>

#include "model/model.h"
#include "util/ipv4.h"

/* Where NIF is reached: its static ip (unless LEASE_ONLY), else its DHCP
 * lease; ADDR stays empty (and *SRC CB_ADDRESS_NONE) while neither is
 * known. SRC may be NULL. Returns 0 or a CB_E* code. */
int netif_address(cb_testbed *tb, const struct netif *nif, bool lease_only,
                  char addr[IPV4_STRLEN], cb_address_source *src);

#endif
