/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * events.h: the testbed's subscription to libvirt's lifecycle events
 * (internal).
 */
#ifndef CB_INTERNAL_EVENTS_H
#define CB_INTERNAL_EVENTS_H

#include "testbed.h"

/* Subscribes the testbed to its domains' events and to the connection's
 * loss; called by tb_conn() right after connecting. */
void events_subscribe(cb_testbed *tb, virConnectPtr conn);
/* Undoes events_subscribe() before the connection is closed or dropped. */
void events_unsubscribe(cb_testbed *tb, virConnectPtr conn);
/* After the connections are closed: waits (without a time limit) until
 * libvirt has let go of every subscription, so that no event callback can
 * run with the testbed any more. */
void events_wait_released(cb_testbed *tb);
/* cb_testbed_free, once no event can be delivered: frees the listeners
 * (their free_cb run) and the domains' console state. */
void events_free_listeners(cb_testbed *tb);

/* Console and TCP waits sleep in poll(), not on ev_cond: each registers an
 * eventfd, made readable when the connection is lost or a domain stops.
 * waker_add returns the fd or a CB_E* code; waker_drain empties it. */
int waker_add(cb_testbed *tb);
void waker_remove(cb_testbed *tb, int fd);
void waker_drain(int fd);
/* Whether the close callback reported the connection lost. */
bool tb_conn_lost(cb_testbed *tb);
/* Records "cannot wait for WHAT on domain D: the connection to libvirt was
 * lost"; returns CB_ELIBVIRT. */
int conn_lost_fail(const cb_domain *d, const char *what);
/* Where a wait starts counting D's stops: the stopped events received so
 * far, one less when the last was a stop (then the first check asks
 * libvirt whether D is dead already). */
unsigned domain_stops(cb_domain *d);
/* For a wait that began when D had seen *SEEN stops: 0 when no stop came
 * since, or D runs again, or D is in the state that the awaited event
 * TYPE:DETAIL (-1: none) leaves, which is then on its way (*SEEN catches
 * up); else CB_ESTATE "domain D
 * stopped (DETAIL) while waiting for WHAT", or the error of asking libvirt.
 * Call without ev_lock. */
int domain_check_alive(cb_domain *d, unsigned *seen, const char *what, int type, int detail);
/* Closes what console waits kept of D's log (readiness.c). */
void console_forget(cb_domain *d);
/* A boot of D starts a new console log: waits read it from its start. */
void console_new_boot(cb_domain *d);

#endif
