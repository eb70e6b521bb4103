/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * network.c: the public accessors of a network.
 */
#include <stddef.h>

#include "util/error.h"
#include "model/model.h"
#include "render/render.h"

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
    if (!xml)
        return ARG_FAIL(xml);
    *xml = NULL;
    CHECK_FLAGS(flags, 0);
    if (!n)
        return ARG_FAIL(n);
    return (*xml = render_network_xml(n, NULL)) ? 0 : err_oom();
}
