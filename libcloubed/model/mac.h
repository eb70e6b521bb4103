/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * mac.h: MAC addresses of netifs (internal).
 */
#ifndef CB_INTERNAL_MAC_H
#define CB_INTERNAL_MAC_H

#include <stdbool.h>

#define MAC_STRLEN 18

/* The original tool's MAC for a netif without `mac`: "00:16:3e:" followed by
 * the first three bytes of sha1("DOMAIN-NETWORK"), in lower-case hex; with an
 * INSTANCE (not NULL) of sha1("INSTANCE/DOMAIN-NETWORK"). */
void mac_generate(const char *instance, const char *domain, const char *network,
                  char out[MAC_STRLEN]);
/* Candidate ATTEMPT for a netif without `mac`: attempt 0 is mac_generate's
 * MAC; attempt k > 0 hashes the same salt followed by "#k", the
 * deterministic next candidate when the earlier ones are taken. */
#define MAC_MAX_ATTEMPTS 64
void mac_derive(const char *instance, const char *domain, const char *network,
                unsigned attempt, char out[MAC_STRLEN]);
/* True for six colon-separated pairs of hex digits. */
bool mac_is_valid(const char *s);
/* True when the least significant bit of the first octet is set. */
bool mac_is_multicast(const char *s);

#endif
