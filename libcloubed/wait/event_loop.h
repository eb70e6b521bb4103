/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * event_loop.h: the process-wide libvirt event loop thread (internal).
 *
 * libvirt's default event loop is global to the process, so this is the one
 * place in the library with global mutable state: a reference count behind a
 * mutex. The thread runs while at least one testbed holds a reference.
 */
#ifndef CB_INTERNAL_EVENT_LOOP_H
#define CB_INTERNAL_EVENT_LOOP_H

/* Registers libvirt's default event implementation (once per process) and
 * starts the loop thread if it is not running. Returns 0 or CB_ELIBVIRT. */
int event_loop_acquire(void);
/* Drops a reference; the last one stops and joins the thread. */
void event_loop_release(void);
/* Returns once the library's loop thread has finished whatever it was
 * dispatching when called. Only while the caller holds the loop (acquired). */
void event_loop_barrier(void);

#endif
