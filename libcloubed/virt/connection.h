/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * connection.h: the testbed's libvirt connection and libvirt errors
 * (internal).
 */
#ifndef CB_INTERNAL_CONNECTION_H
#define CB_INTERNAL_CONNECTION_H

#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "testbed.h"

/* The testbed's connection, opened on first use (keepalive on; host
 * capabilities read; events subscribed), and opened again by the first call
 * after libvirt reported it lost. The pointer stays valid until
 * cb_testbed_free and may be used from any thread. Returns 0 or a CB_E*
 * code; CB_ESTATE in a process other than the one that opened the testbed
 * (the fork rule). */
int tb_conn(cb_testbed *tb, virConnectPtr *out);
/* Closes the connections, waits until libvirt released the event
 * callbacks, and releases the event loop (cb_testbed_free). */
void tb_disconnect(cb_testbed *tb);

/* The connection set (conn_set.c). libvirtd serves at most 5 calls of one
 * client connection at a time (max_client_requests), so the parallel
 * workers of cb_testbed_up/down and concurrent cb_domain_boot calls each
 * take a connection of their own: one of the set that is idle, else a new
 * one (up to CONN_SET_MAX; keepalive on, no events: those stay on the
 * primary, tb_conn's, which is connected, or reconnected, first). Members
 * are kept for the next worker until cb_testbed_free; those of a daemon
 * that was lost are closed. When the set is full or a new member cannot be
 * opened, the primary is handed out instead (that is no error: its calls
 * report any fault). Returns 0 or tb_conn's CB_E* code. Any thread. */
#define CONN_SET_MAX 16
int tb_conn_take(cb_testbed *tb, virConnectPtr *out);
/* Gives back what tb_conn_take handed out (C may be the primary). */
void tb_conn_put(cb_testbed *tb, virConnectPtr c);
/* Closes every member (tb_disconnect, under no lock). */
void conn_set_close(cb_testbed *tb);

/* Records libvirt's last error of this thread as the library's, prefixed by
 * a description of what failed; returns the CB_E* code it maps to
 * (CB_ENOTFOUND, CB_ESTATE, CB_EUNSUPPORTED, CB_ETIMEOUT or CB_ELIBVIRT). */
int lv_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* libvirt's last error code of this thread (VIR_ERR_OK when none). */
int lv_last_code(void);

/* virConnectClose, which writes a last message: to a daemon that is gone
 * or dropped the connection, that write raises SIGPIPE, whose default ends
 * the process. A library must not change signal dispositions: SIGPIPE is
 * blocked in this thread for the call, and one the call raised is taken
 * back. */
void lv_close(virConnectPtr c);

/* True when the URI's daemon runs on this machine, so that files named in
 * the testbed can be checked and created here. */
bool uri_is_local(const char *uri);

#endif
