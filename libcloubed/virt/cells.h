/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * cells.h: per-object "ensure once" (internal). A cell is BUSY while one
 * thread looks up, creates or starts its object; other threads wanting the
 * same object wait for it, then find it made. The busy flag is the
 * exclusion, not a mutex: rt.cell_lock guards the flags only and is never
 * held across a libvirt call, so objects of different cells are created at
 * the same time.
 */
#ifndef CB_INTERNAL_CELLS_H
#define CB_INTERNAL_CELLS_H

#include <time.h>

#include "testbed.h"

GHashTable *cells_new(void);
void cells_free(GHashTable *cells);

/* Waits until OBJ's cell (OBJ: a model pool, volume, network or domain) is
 * not busy, then makes it busy. CB_ETIMEOUT (naming WHAT) at DEADLINE
 * (TIMEOUT_MS < 0: none); CB_ENOMEM. One thread never holds two cells. */
int cell_enter(cb_testbed *tb, const void *obj, const char *what,
               const struct timespec *deadline, int timeout_ms);
void cell_leave(cb_testbed *tb, const void *obj);
/* Tests: threads blocked in cell_enter on OBJ now. */
unsigned cell_waiters(cb_testbed *tb, const void *obj);
/* Tests: blocks until OBJ's cell has WAITERS waiting, or TIMEOUT_MS passes
 * (false). Sleeps on cell_cond, which cell_enter broadcasts. */
bool cell_wait_waiters(cb_testbed *tb, const void *obj, unsigned waiters, int timeout_ms);

#endif
