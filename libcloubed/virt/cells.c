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
    unsigned claims;  /* in-flight ops that use the object (at most one each) */
    bool kept;        /* since its last change, an op that used it committed:
                         no rollback undoes that change */
    void *orphan;     /* made by an op that failed while others claimed it: the
                         last of them to fail undoes it (an opaque op entry) */
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

void cell_claim(cb_testbed *tb, const void *obj, bool count, bool changed)
{
    struct cell *c;

    pthread_mutex_lock(&tb->rt.cell_lock);
    if ((c = cell_get(tb, obj))) {
        c->claims += count;
        /* changed: what committed ops used was its former state */
        if (changed)
            c->kept = false;
    }
    pthread_mutex_unlock(&tb->rt.cell_lock);
}

enum cell_undo cell_rollback(cb_testbed *tb, const void *obj, void *entry)
{
    enum cell_undo d = CELL_UNDO;
    struct cell *c;

    pthread_mutex_lock(&tb->rt.cell_lock);
    c = g_hash_table_lookup(tb->rt.cells, obj);
    if (c && c->kept)
        d = CELL_KEEP;
    else if (c && c->claims > 1 && !c->orphan) {
        c->orphan = entry;
        d = CELL_PARKED;
    } else if (c && c->claims > 1)
        d = CELL_KEEP; /* cannot happen: one op makes an object */
    pthread_mutex_unlock(&tb->rt.cell_lock);
    return d;
}

void *cell_release(cb_testbed *tb, const void *obj, bool committed)
{
    struct cell *c;
    void *e = NULL;

    pthread_mutex_lock(&tb->rt.cell_lock);
    if ((c = g_hash_table_lookup(tb->rt.cells, obj))) {
        if (c->claims)
            c->claims--;
        if (committed)
            c->kept = true;
        if (c->orphan && (committed || c->claims == 0)) {
            e = c->orphan;
            c->orphan = NULL;
        }
    }
    pthread_mutex_unlock(&tb->rt.cell_lock);
    return e;
}

unsigned cell_claims(cb_testbed *tb, const void *obj)
{
    struct cell *c;
    unsigned n;

    pthread_mutex_lock(&tb->rt.cell_lock);
    c = g_hash_table_lookup(tb->rt.cells, obj);
    n = c ? c->claims : 0;
    pthread_mutex_unlock(&tb->rt.cell_lock);
    return n;
}
