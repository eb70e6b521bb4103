/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * mac.c: MAC addresses of netifs.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "model/mac.h"

void mac_derive(const char *instance, const char *domain, const char *network,
                unsigned attempt, char out[MAC_STRLEN])
{
    /* The original's MAC: the first three bytes of SHA-1("DOMAIN-NETWORK");
     * an instance salts it so that two instances side by side differ. */
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA1);
    guint8 digest[20];
    gsize len = sizeof(digest);
    static const char hex[] = "0123456789abcdef";
    char suffix[16];
    int i;

    if (instance) {
        g_checksum_update(sum, (const guchar *)instance, -1);
        g_checksum_update(sum, (const guchar *)"/", 1);
    }
    g_checksum_update(sum, (const guchar *)domain, -1);
    g_checksum_update(sum, (const guchar *)"-", 1);
    g_checksum_update(sum, (const guchar *)network, -1);
    if (attempt) {
        snprintf(suffix, sizeof(suffix), "#%u", attempt);
        g_checksum_update(sum, (const guchar *)suffix, -1);
    }
    g_checksum_get_digest(sum, digest, &len);
    g_checksum_free(sum);
    /* "00:16:3e:%02x:%02x:%02x", without snprintf's cost for each netif. */
    memcpy(out, "00:16:3e:", 9);
    for (i = 0; i < 3; i++) {
        out[9 + 3 * i] = hex[digest[i] >> 4];
        out[10 + 3 * i] = hex[digest[i] & 15];
        out[11 + 3 * i] = i < 2 ? ':' : '\0';
    }
}

void mac_generate(const char *instance, const char *domain, const char *network,
                  char out[MAC_STRLEN])
{
    mac_derive(instance, domain, network, 0, out);
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
