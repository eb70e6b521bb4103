/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * conn_set.c: the testbed's extra libvirt connections, one per parallel
 * worker (see connection.h). conn_lock guards the set; no libvirt call
 * that talks to the daemon is made under it.
 */
#include <stdlib.h>

#include <libvirt/virterror.h>

#include "util/error.h"
#include "virt/connection.h"

/* Under conn_lock: moves the idle members that are of a lost daemon (an
 * older generation, or found dead) to STALE, to be closed by the caller
 * once the lock is released. */
static size_t take_stale(cb_testbed *tb, virConnectPtr *stale)
{
    size_t i = 0, n = 0;

    while (i < tb->rt.conn_set.n) {
        struct conn_slot *s = &tb->rt.conn_set.v[i];
        /* virConnectIsAlive looks at the client's socket: no call */
        if (!s->busy && (s->gen != tb->rt.conn_gen || virConnectIsAlive(s->c) != 1)) {
            stale[n++] = s->c;
            *s = tb->rt.conn_set.v[--tb->rt.conn_set.n];
        } else
            i++;
    }
    return n;
}

/* A new member, opened with no lock held; NULL when it cannot be (the
 * caller uses the primary). */
static virConnectPtr open_member(cb_testbed *tb)
{
    virConnectPtr c = virConnectOpen(tb->rt.uri);

    if (!c) {
        tb_log(tb, CB_LOG_DEBUG, "cannot open one more connection to libvirt at %s, sharing "
               "the testbed's: %s", tb->rt.uri, virGetLastErrorMessage());
        virResetLastError();
        return NULL;
    }
    if (virConnectSetKeepAlive(c, 5, 3) < 0)
        virResetLastError();
    return c;
}

int tb_conn_take(cb_testbed *tb, virConnectPtr *out)
{
    virConnectPtr primary, c = NULL, stale[CONN_SET_MAX];
    size_t i, nstale;
    unsigned gen;
    bool open_one = false;
    int rc;

    /* first: the fork rule, a lost daemon noticed, tb->rt.uri set */
    if ((rc = tb_conn(tb, &primary)) < 0)
        return rc;
    pthread_mutex_lock(&tb->rt.conn_lock);
    nstale = take_stale(tb, stale);
    gen = tb->rt.conn_gen;
    for (i = 0; i < tb->rt.conn_set.n && !c; i++)
        if (!tb->rt.conn_set.v[i].busy) {
            tb->rt.conn_set.v[i].busy = true;
            c = tb->rt.conn_set.v[i].c;
        }
    if (!c && tb->rt.conn_set.n + tb->rt.conn_opening < CONN_SET_MAX) {
        tb->rt.conn_opening++;
        open_one = true;
    }
    pthread_mutex_unlock(&tb->rt.conn_lock);
    for (i = 0; i < nstale; i++)
        lv_close(stale[i]);
    if (open_one && (c = open_member(tb))) {
        struct conn_slot s = { c, gen, true };
        pthread_mutex_lock(&tb->rt.conn_lock);
        if (VEC_PUSH(tb->rt.conn_set, s) < 0)
            s.c = NULL;
        pthread_mutex_unlock(&tb->rt.conn_lock);
        if (!s.c) {
            lv_close(c);
            c = NULL;
        }
    }
    if (open_one) {
        pthread_mutex_lock(&tb->rt.conn_lock);
        tb->rt.conn_opening--;
        pthread_mutex_unlock(&tb->rt.conn_lock);
    }
    *out = c ? c : primary;
    return 0;
}

void tb_conn_put(cb_testbed *tb, virConnectPtr c)
{
    size_t i;

    pthread_mutex_lock(&tb->rt.conn_lock);
    for (i = 0; i < tb->rt.conn_set.n; i++)
        if (tb->rt.conn_set.v[i].c == c)
            tb->rt.conn_set.v[i].busy = false;
    pthread_mutex_unlock(&tb->rt.conn_lock);
}

void conn_set_close(cb_testbed *tb)
{
    size_t i;

    for (i = 0; i < tb->rt.conn_set.n; i++)
        lv_close(tb->rt.conn_set.v[i].c);
    free(tb->rt.conn_set.v);
    tb->rt.conn_set.v = NULL;
    tb->rt.conn_set.n = tb->rt.conn_set.cap = 0;
}
