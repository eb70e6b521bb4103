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

#include <stdbool.h>
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
/* Hand-over between concurrent ops (plan 11 §2.4). An op claims each object
 * it uses, found or made, once (COUNT false: already claimed by it; CHANGED:
 * it created, started or redefined it, so no committed op has used what it
 * is now). */
void cell_claim(cb_testbed *tb, const void *obj, bool count, bool changed);
/* A failed op's rollback of its own entry ENTRY for OBJ, with OBJ's cell
 * entered: UNDO when no other op uses the object; KEEP when an op that used
 * it committed (ownership passed to the testbed); PARKED when other ops still
 * claim it: the cell keeps ENTRY until the last of them releases. */
enum cell_undo { CELL_UNDO, CELL_KEEP, CELL_PARKED };
enum cell_undo cell_rollback(cb_testbed *tb, const void *obj, void *entry);
/* An op ends and releases its claim on OBJ. Returns a parked entry, or NULL:
 * COMMITTED, to free without undoing (a domain that booted uses it); failed
 * and the last claimant, to undo (every op that used it failed). */
void *cell_release(cb_testbed *tb, const void *obj, bool committed);
/* Tests: ops claiming OBJ now. */
unsigned cell_claims(cb_testbed *tb, const void *obj);
/* Tests: threads blocked in cell_enter on OBJ now. */
unsigned cell_waiters(cb_testbed *tb, const void *obj);
/* Tests: blocks until OBJ's cell has WAITERS waiting, or TIMEOUT_MS passes
 * (false). Sleeps on cell_cond, which cell_enter broadcasts. */
bool cell_wait_waiters(cb_testbed *tb, const void *obj, unsigned waiters, int timeout_ms);

#endif
