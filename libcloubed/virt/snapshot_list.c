/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * snapshot_list.c: cb_testbed_snapshot_list and its list handle: the names
 * of the testbed's snapshots over all its domains, oldest first.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <cloubed/snapshot.h>

#include "util/error.h"
#include "virt/connection.h"
#include "virt/ops.h"
#include "virt/snapshot.h"

struct cb_snapshots {
    GPtrArray *names;   /* char * */
};

struct entry {
    char *name;
    long long created;
};

static gint by_creation(gconstpointer a, gconstpointer b)
{
    const struct entry *x = a, *y = b;

    if (x->created != y->created)
        return x->created < y->created ? -1 : 1;
    return strcmp(x->name, y->name);
}

int cb_testbed_snapshot_list(cb_snapshots **list, cb_testbed *tb, unsigned int flags)
{
    /* name -> earliest creation time over the domains (long long *) */
    g_autoptr(GHashTable) seen = NULL;
    g_autoptr(GArray) order = NULL;
    GHashTableIter it;
    gpointer key, val;
    virConnectPtr c;
    size_t i, k;
    int rc;

    if (list)
        *list = NULL;
    CHECK_FLAGS(flags, 0);
    if (!list || !tb)
        return !list ? ARG_FAIL(list) : ARG_FAIL(tb);
    if ((rc = pid_check(tb->opt.pid)) < 0 || (rc = tb_conn(tb, &c)) < 0)
        return rc;
    seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (i = 0; i < tb->m.domains.n && rc == 0; i++) {
        const cb_domain *d = tb->m.domains.v[i];
        virDomainPtr dom;
        enum owner owner;
        char **names = NULL;
        long long *times = NULL;

        if ((rc = domain_lookup(tb, c, d, &dom, &owner)) < 0 || !dom)
            continue;
        rc = snap_list_domain(tb, dom, d->name, &names, &times);
        for (k = 0; rc == 0 && names[k]; k++) {
            long long *t = g_hash_table_lookup(seen, names[k]);
            if (!t)
                g_hash_table_insert(seen, g_strdup(names[k]), g_memdup2(&times[k], sizeof(*t)));
            else if (times[k] < *t)
                *t = times[k];
        }
        g_strfreev(names);
        g_free(times);
        virDomainFree(dom);
    }
    if (rc < 0)
        return rc;
    order = g_array_new(FALSE, FALSE, sizeof(struct entry));
    g_hash_table_iter_init(&it, seen);
    while (g_hash_table_iter_next(&it, &key, &val)) {
        struct entry e = { key, *(long long *)val };
        g_array_append_val(order, e);
    }
    g_array_sort(order, by_creation);
    *list = g_new0(cb_snapshots, 1);
    (*list)->names = g_ptr_array_new_with_free_func(g_free);
    for (k = 0; k < order->len; k++)
        g_ptr_array_add((*list)->names, g_strdup(g_array_index(order, struct entry, k).name));
    return 0;
}

size_t cb_snapshots_count(const cb_snapshots *l)
{
    return l ? l->names->len : 0;
}

const char *cb_snapshots_name(const cb_snapshots *l, size_t i)
{
    return l && i < l->names->len ? g_ptr_array_index(l->names, i) : NULL;
}

void cb_snapshots_free(cb_snapshots *l)
{
    if (!l)
        return;
    g_ptr_array_free(l->names, TRUE);
    g_free(l);
}
