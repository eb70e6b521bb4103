/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * mac.c: MAC addresses of netifs.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha1.h>

#include "model/mac.h"

void mac_generate(const char *domain, const char *network, char out[MAC_STRLEN])
{
    struct sha1_ctx ctx;
    unsigned char digest[SHA1_DIGEST_SIZE];

    sha1_init(&ctx);
    sha1_update(&ctx, strlen(domain), (const unsigned char *)domain);
    sha1_update(&ctx, 1, (const unsigned char *)"-");
    sha1_update(&ctx, strlen(network), (const unsigned char *)network);
    sha1_digest(&ctx, sizeof(digest), digest);
    snprintf(out, MAC_STRLEN, "00:16:3e:%02x:%02x:%02x", digest[0], digest[1], digest[2]);
}

bool mac_is_valid(const char *s)
{
    size_t i;

    if (strlen(s) != MAC_STRLEN - 1)
        return false;
    for (i = 0; i < MAC_STRLEN - 1; i++) {
        if (i % 3 == 2) {
            if (s[i] != ':')
                return false;
        } else if (!isxdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

bool mac_is_multicast(const char *s)
{
    return strtoul((char[]){ s[0], s[1], '\0' }, NULL, 16) & 1;
}
