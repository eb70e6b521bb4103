/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * lv_helpers.c: helpers of the tests that inspect libvirt themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <libvirt/virterror.h>

#include "lv_helpers.h"
#include "test_helpers.h"

bool lv_domain_exists(virConnectPtr conn, const char *name)
{
    virDomainPtr d = virDomainLookupByName(conn, name);

    if (d)
        virDomainFree(d);
    virResetLastError();
    return d != NULL;
}

bool lv_network_exists(virConnectPtr conn, const char *name)
{
    virNetworkPtr n = virNetworkLookupByName(conn, name);

    if (n)
        virNetworkFree(n);
    virResetLastError();
    return n != NULL;
}

bool lv_pool_exists(virConnectPtr conn, const char *name)
{
    virStoragePoolPtr p = virStoragePoolLookupByName(conn, name);

    if (p)
        virStoragePoolFree(p);
    virResetLastError();
    return p != NULL;
}

bool lv_volume_exists(virConnectPtr conn, const char *pool, const char *vol)
{
    virStoragePoolPtr p = virStoragePoolLookupByName(conn, pool);
    virStorageVolPtr v = p ? virStorageVolLookupByName(p, vol) : NULL;

    if (v)
        virStorageVolFree(v);
    if (p)
        virStoragePoolFree(p);
    virResetLastError();
    return v != NULL;
}

void lv_fixture_open(char **dir, virConnectPtr *conn, const char *uri)
{
    *dir = th_mkdtemp();
    *conn = virConnectOpen(uri);
    assert_non_null(*conn);
}

void lv_fixture_close(cb_testbed *tb, virConnectPtr conn, char *dir)
{
    cb_testbed_free(tb);
    virConnectClose(conn);
    th_rmtree(dir);
    free(dir);
}
