/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * network.c: the public accessors of a network.
 */
#include <stddef.h>
#include <string.h>

#include "util/error.h"
#include "model/model.h"
#include "render/render.h"
#include "testbed.h"
#include "util/ipv4.h"
#include "util/util.h"

const char *cb_network_name(const cb_network *n)
{
    return n ? n->name : NULL;
}

const char *cb_network_libvirt_name(const cb_network *n)
{
    return n ? n->libvirt_name : NULL;
}

int cb_network_get_xml(char **xml, cb_network *n, unsigned int flags)
{
    struct net_addr a;
    size_t i;

    if (!xml)
        return ARG_FAIL(xml);
    *xml = NULL;
    CHECK_FLAGS(flags, 0);
    if (!n)
        return ARG_FAIL(n);
    /* What this handle took, if anything: rendering never asks libvirt, so
     * an auto network not created here shows its host numbers. */
    memset(&a, 0, sizeof(a));
    if (n->addr_auto) {
        pthread_mutex_lock(&n->tb->rt.net_addr_lock);
        for (i = 0; i < n->tb->m.networks.n; i++)
            if (n->tb->m.networks.v[i] == n)
                a = n->tb->rt.net_addr[i];
        pthread_mutex_unlock(&n->tb->rt.net_addr_lock);
    }
    return (*xml = render_network_xml(n, &a)) ? 0 : err_oom();
}

int cb_network_get_address(char **cidr, cb_network *n, unsigned int flags)
{
    struct net_addr a;
    char ip[IPV4_STRLEN];
    int rc;

    if (!cidr)
        return ARG_FAIL(cidr);
    *cidr = NULL;
    CHECK_FLAGS(flags, 0);
    if (!n)
        return ARG_FAIL(n);
    if (!n->has_ip)
        return err_set(CB_ENOTFOUND, "network %s has no address", n->name);
    if ((rc = tb_network_address(&a, n->tb, n)) < 0)
        return rc;
    ipv4_format(a.ip, ip);
    return (*cidr = str_printf("%s/%u", ip, a.prefix)) ? 0 : err_oom();
}
