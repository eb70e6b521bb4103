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

int cb_domain_get_xml(char **xml, cb_domain *d, unsigned int flags)
{
    if (!xml)
        return ARG_FAIL(xml);
    *xml = NULL;
    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    const struct host_profile host = tb_host(d->tb);

    return (*xml = render_domain_xml(d, &host, NULL, NULL)) ? 0 : err_oom();
}
