/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * hash.h: keys of the model's indexes and validation sets (internal).
 *
 * The tables are GLib's GHashTable (well kept, already a dependency): no
 * table of our own. These helpers pack composite keys into one 64-bit
 * integer for g_int64_hash, so that a set needs no allocation per key
 * beyond GLib's own.
 */
#ifndef CB_INTERNAL_HASH_H
#define CB_INTERNAL_HASH_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

/* A MAC "aa:bb:cc:dd:ee:ff" (any case, already checked by mac_is_valid) as
 * a 48-bit integer: equal keys for MACs that differ only in case. */
static inline gint64 mac_key(const char *mac)
{
    gint64 k = 0;
    int i;

    for (i = 0; i < 17; i++) {
        char ch = mac[i];
        if (ch == ':')
            continue;
        k = (k << 4) | (ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10);
    }
    return k;
}

/* (network index, IPv4 address) as one key. */
static inline gint64 net_ip_key(size_t net, uint32_t ip)
{
    return ((gint64)net << 32) | ip;
}

/* A table of gint64 keys stored in the table's own allocations (freed with
 * it); values are borrowed. */
static inline GHashTable *int64_table_new(void)
{
    return g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
}

/* Inserts KEY → VALUE unless KEY is there; returns the value already there,
 * or NULL when VALUE was inserted. */
static inline void *int64_table_add(GHashTable *t, gint64 key, void *value)
{
    void *old = g_hash_table_lookup(t, &key);
    gint64 *k;

    if (old)
        return old;
    k = g_new(gint64, 1);
    *k = key;
    g_hash_table_insert(t, k, value);
    return NULL;
}

#endif
