/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * cells.c: per-object "ensure once" (see cells.h).
 *
 * Lock rule: cell_lock is taken alone (never with another library mutex)
 * and only to change or read the flags; nothing here calls libvirt.
 */
#include <errno.h>
#include <stdlib.h>

#include "util/deadline.h"
#include "util/error.h"
#include "virt/cells.h"

struct cell {
    bool busy;
    unsigned waiters;
};

GHashTable *cells_new(void)
{
    return g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free);
}

void cells_free(GHashTable *cells)
{
    if (cells)
        g_hash_table_destroy(cells);
}

/* Under cell_lock. Cells are made on first use: the model stays immutable. */
static struct cell *cell_get(cb_testbed *tb, const void *obj)
{
    struct cell *c = g_hash_table_lookup(tb->rt.cells, obj);

    if (!c && (c = calloc(1, sizeof(*c))))
        g_hash_table_insert(tb->rt.cells, (void *)obj, c);
    return c;
}

int cell_enter(cb_testbed *tb, const void *obj, const char *what,
               const struct timespec *deadline, int timeout_ms)
{
    struct cell *c;
    int rc = 0;

    pthread_mutex_lock(&tb->rt.cell_lock);
    if (!(c = cell_get(tb, obj))) {
        pthread_mutex_unlock(&tb->rt.cell_lock);
        return err_oom();
    }
    if (c->busy) {
        c->waiters++;
        /* tests wait for a number of waiters on the same condition */
        pthread_cond_broadcast(&tb->rt.cell_cond);
        while (c->busy && rc == 0) {
            if (timeout_ms < 0)
                pthread_cond_wait(&tb->rt.cell_cond, &tb->rt.cell_lock);
            else if (pthread_cond_timedwait(&tb->rt.cell_cond, &tb->rt.cell_lock, deadline) ==
                     ETIMEDOUT && c->busy)
                rc = CB_ETIMEOUT;
        }
        c->waiters--;
    }
    if (rc == 0)
        c->busy = true;
    pthread_mutex_unlock(&tb->rt.cell_lock);
    if (rc < 0)
        return err_set(rc, "timed out waiting for another thread to create %s", what);
    return 0;
}

void cell_leave(cb_testbed *tb, const void *obj)
{
    struct cell *c;

    pthread_mutex_lock(&tb->rt.cell_lock);
    if ((c = g_hash_table_lookup(tb->rt.cells, obj)))
        c->busy = false;
    pthread_cond_broadcast(&tb->rt.cell_cond);
    pthread_mutex_unlock(&tb->rt.cell_lock);
}

unsigned cell_waiters(cb_testbed *tb, const void *obj)
{
    struct cell *c;
    unsigned n;

    pthread_mutex_lock(&tb->rt.cell_lock);
    c = g_hash_table_lookup(tb->rt.cells, obj);
    n = c ? c->waiters : 0;
    pthread_mutex_unlock(&tb->rt.cell_lock);
    return n;
}

bool cell_wait_waiters(cb_testbed *tb, const void *obj, unsigned waiters, int timeout_ms)
{
    struct timespec deadline = deadline_after(timeout_ms);
    struct cell *c;
    bool ok;

    pthread_mutex_lock(&tb->rt.cell_lock);
    for (;;) {
        c = g_hash_table_lookup(tb->rt.cells, obj);
        if ((ok = c && c->waiters >= waiters))
            break;
        if (pthread_cond_timedwait(&tb->rt.cell_cond, &tb->rt.cell_lock, &deadline) == ETIMEDOUT)
            break;
    }
    if (!ok) {
        c = g_hash_table_lookup(tb->rt.cells, obj);
        ok = c && c->waiters >= waiters;
    }
    pthread_mutex_unlock(&tb->rt.cell_lock);
    return ok;
}
