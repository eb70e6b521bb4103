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

char *cb_network_xml(cb_network *n)
{
    if (!n) {
        ARG_FAIL(n);
        return NULL;
    }
    return render_network_xml(n);
}
