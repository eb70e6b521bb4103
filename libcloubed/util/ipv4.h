/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * ipv4.h: IPv4 addresses and subnets in host byte order (internal).
 */
#ifndef CB_INTERNAL_IPV4_H
#define CB_INTERNAL_IPV4_H

#include <stdbool.h>
#include <stdint.h>

#define IPV4_STRLEN 16

enum ipv4_status {
    IPV4_OK = 0,
    IPV4_INVALID = -1,   /* not an IPv4 address */
    IPV4_IS_V6 = -2,     /* a valid IPv6 address: not supported */
    IPV4_NO_PREFIX = -3, /* CIDR without "/prefix" */
    IPV4_BAD_MASK = -4,  /* prefix out of range or netmask not contiguous */
};

/* A host number written ".N", 1 <= N <= 254 (an `address: auto` network's
 * hosts): IPV4_OK and *OUT = N, else IPV4_INVALID. */
int ipv4_parse_host_number(const char *s, uint32_t *out);
/* Strict dotted quad (inet_pton). */
int ipv4_parse(const char *s, uint32_t *out);
/* A netmask in dotted form with contiguous ones; gives its prefix length. */
int ipv4_parse_netmask(const char *s, unsigned *prefix);
/* "A.B.C.D/N" or "A.B.C.D/M.M.M.M". */
int ipv4_parse_cidr(const char *s, uint32_t *ip, unsigned *prefix);

uint32_t ipv4_mask(unsigned prefix);
void ipv4_format(uint32_t ip, char buf[IPV4_STRLEN]);
bool ipv4_in_subnet(uint32_t ip, uint32_t net, unsigned prefix);
/* True when IP is a usable host of NET/PREFIX: neither its network nor its
 * broadcast address (for prefixes up to /30). */
bool ipv4_is_host(uint32_t ip, uint32_t net, unsigned prefix);
bool ipv4_subnets_overlap(uint32_t a, unsigned pa, uint32_t b, unsigned pb);

#endif
