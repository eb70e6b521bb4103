/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * lv_helpers.h: helpers of the tests that inspect libvirt themselves
 * (integration and e2e); test_helpers.h has those without libvirt.
 */
#ifndef CB_LV_HELPERS_H
#define CB_LV_HELPERS_H

#include <stdbool.h>

#include <libvirt/libvirt.h>

#include <cloubed/cloubed.h>

/* Whether CONN has the object of that libvirt name; a miss leaves no
 * libvirt error behind. */
bool lv_domain_exists(virConnectPtr conn, const char *name);
bool lv_network_exists(virConnectPtr conn, const char *name);
bool lv_pool_exists(virConnectPtr conn, const char *name);
bool lv_volume_exists(virConnectPtr conn, const char *pool, const char *vol);

/* Starts a fixture: *DIR a fresh directory (th_mkdtemp), *CONN a
 * connection to URI (fails the running cmocka test if there is none). */
void lv_fixture_open(char **dir, virConnectPtr *conn, const char *uri);

/* Ends a fixture: frees TB, closes CONN (the last connection to the test
 * driver makes it forget its state), removes DIR and frees it. */
void lv_fixture_close(cb_testbed *tb, virConnectPtr conn, char *dir);

#endif
