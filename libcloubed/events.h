/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * events.h: the testbed's subscription to libvirt's lifecycle events
 * (internal).
 */
#ifndef CB_INTERNAL_EVENTS_H
#define CB_INTERNAL_EVENTS_H

#include "model.h"

/* Subscribes the testbed to its domains' events and to the connection's
 * loss; called by tb_conn() right after connecting. */
void events_subscribe(cb_testbed *tb, virConnectPtr conn);
/* Undoes events_subscribe() before the connection closes; returns how many
 * callbacks libvirt is to release. */
int events_unsubscribe(cb_testbed *tb, virConnectPtr conn);
/* After the connection is closed: waits (5 s at most) until libvirt has let
 * go of the callbacks, which an event being delivered may still be using. */
void events_wait_released(cb_testbed *tb, int expected);
/* Absolute CLOCK_MONOTONIC deadline TIMEOUT_MS from now (<0: none). */
struct timespec deadline_after(int timeout_ms);
/* True when the deadline has passed (never for a negative timeout). */
bool deadline_passed(const struct timespec *deadline, int timeout_ms);
/* Milliseconds left until the deadline, at least 0; INT_MAX without one. */
int deadline_left_ms(const struct timespec *deadline, int timeout_ms);

#endif
