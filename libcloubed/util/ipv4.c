/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * ipv4.c: IPv4 addresses and subnets.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/ipv4.h"

int ipv4_parse(const char *s, uint32_t *out)
{
    struct in_addr a;
    struct in6_addr a6;

    if (inet_pton(AF_INET, s, &a) == 1) {
        *out = ntohl(a.s_addr);
        return IPV4_OK;
    }
    if (inet_pton(AF_INET6, s, &a6) == 1)
        return IPV4_IS_V6;
    return IPV4_INVALID;
}

int ipv4_parse_host_number(const char *s, uint32_t *out)
{
    unsigned n = 0;
    size_t i;

    /* ".N": one to three digits, no sign, no leading zero (".011" is not
     * read as octal anywhere, but refusing it keeps one spelling). */
    if (s[0] != '.' || !s[1] || strlen(s) > 4 || (s[1] == '0'))
        return IPV4_INVALID;
    for (i = 1; s[i]; i++) {
        if (s[i] < '0' || s[i] > '9')
            return IPV4_INVALID;
        n = n * 10 + (unsigned)(s[i] - '0');
    }
    if (n < 1 || n > 254)
        return IPV4_INVALID;
    *out = n;
    return IPV4_OK;
}

uint32_t ipv4_mask(unsigned prefix)
{
    return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

int ipv4_parse_netmask(const char *s, unsigned *prefix)
{
    uint32_t m;
    unsigned p = 0;
    int rc = ipv4_parse(s, &m);

    if (rc < 0)
        return rc;
    while (p < 32 && (m & (0x80000000u >> p)))
        p++;
    if (m != ipv4_mask(p))
        return IPV4_BAD_MASK;
    *prefix = p;
    return IPV4_OK;
}

int ipv4_parse_cidr(const char *s, uint32_t *ip, unsigned *prefix)
{
    char buf[64];
    const char *slash = strchr(s, '/');
    size_t n;
    int rc;

    if (!slash) {
        rc = ipv4_parse(s, ip);
        return rc == IPV4_OK ? IPV4_NO_PREFIX : rc;
    }
    n = (size_t)(slash - s);
    if (n >= sizeof(buf))
        return IPV4_INVALID;
    memcpy(buf, s, n);
    buf[n] = '\0';
    rc = ipv4_parse(buf, ip);
    if (rc < 0)
        return rc;
    slash++;
    if (strchr(slash, '.'))
        return ipv4_parse_netmask(slash, prefix) == IPV4_OK ? IPV4_OK : IPV4_BAD_MASK;
    if (*slash < '0' || *slash > '9' || strlen(slash) > 2)
        return IPV4_BAD_MASK;
    *prefix = (unsigned)strtoul(slash, NULL, 10);
    if (*prefix > 32 || (slash[1] && (slash[1] < '0' || slash[1] > '9')))
        return IPV4_BAD_MASK;
    return IPV4_OK;
}

/* By hand: a network of thousands of hosts formats each address twice, and
 * snprintf was most of the cost. */
void ipv4_format(uint32_t ip, char buf[IPV4_STRLEN])
{
    char *p = buf;
    int shift;

    for (shift = 24; shift >= 0; shift -= 8) {
        unsigned b = (ip >> shift) & 0xff;
        if (b >= 100)
            *p++ = (char)('0' + b / 100);
        if (b >= 10)
            *p++ = (char)('0' + b / 10 % 10);
        *p++ = (char)('0' + b % 10);
        *p++ = shift ? '.' : '\0';
    }
}

bool ipv4_in_subnet(uint32_t ip, uint32_t net, unsigned prefix)
{
    uint32_t m = ipv4_mask(prefix);
    return (ip & m) == (net & m);
}

bool ipv4_is_host(uint32_t ip, uint32_t net, unsigned prefix)
{
    uint32_t m = ipv4_mask(prefix);

    if (!ipv4_in_subnet(ip, net, prefix))
        return false;
    if (prefix >= 31)
        return true;
    return (ip & ~m) != 0 && (ip & ~m) != ~m;
}

bool ipv4_subnets_overlap(uint32_t a, unsigned pa, uint32_t b, unsigned pb)
{
    unsigned p = pa < pb ? pa : pb;
    return ipv4_in_subnet(a, b, p);
}
