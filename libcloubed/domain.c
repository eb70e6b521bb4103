/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * domain.c: the public accessors of a domain.
 */
#include <stddef.h>

#include "util/error.h"
#include "render/render.h"
#include "virt/host.h"

const char *cb_domain_name(const cb_domain *d)
{
    return d ? d->name : NULL;
}

const char *cb_domain_libvirt_name(const cb_domain *d)
{
    return d ? d->libvirt_name : NULL;
}

const char *cb_domain_console_log(const cb_domain *d)
{
    return d ? d->console_log : NULL;
}

cb_testbed *cb_domain_testbed(const cb_domain *d)
{
    return d ? d->tb : NULL;
}

char *cb_domain_xml(cb_domain *d)
{
    if (!d) {
        ARG_FAIL(d);
        return NULL;
    }
    const struct host_profile host = tb_host(d->tb);

    return render_domain_xml(d, &host, NULL, NULL);
}
