/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * ownership.c: finding the testbed's domains and networks in libvirt, and
 * telling them from objects that merely carry the same name.
 */
#include <stdlib.h>

#include <libvirt/virterror.h>

#include "virt/connection.h"
#include "util/error.h"
#include "virt/ops.h"
#include "render/render.h"
#include "virt/xml_read.h"

bool xml_is_owned(const cb_testbed *tb, const char *xml)
{
    xmlDocPtr doc = xml ? xr_parse(xml) : NULL;
    bool owned = xr_has_element(doc, CB_METADATA_NS, "testbed", "name", tb->m.name, "user", tb->m.user);

    xmlFreeDoc(doc);
    return owned;
}

int domain_lookup(cb_testbed *tb, virConnectPtr c, const cb_domain *d, virDomainPtr *out,
                  enum owner *owner)
{
    virDomainPtr dom = virDomainLookupByName(c, d->libvirt_name);
    char *xml;

    *out = NULL;
    *owner = OWNER_ABSENT;
    if (!dom) {
        if (lv_last_code() == VIR_ERR_NO_DOMAIN) {
            virResetLastError();
            return 0;
        }
        return lv_fail("cannot look up domain %s", d->libvirt_name);
    }
    xml = virDomainGetXMLDesc(dom, 0);
    if (!xml) {
        virDomainFree(dom);
        return lv_fail("cannot read the XML of domain %s", d->libvirt_name);
    }
    *owner = xml_is_owned(tb, xml) ? OWNER_TESTBED : OWNER_OTHER;
    free(xml);
    if (*owner == OWNER_TESTBED)
        *out = dom;
    else
        virDomainFree(dom);
    return 0;
}

int owner_conflict(const cb_testbed *tb, const char *kind, const char *libvirt_name)
{
    return err_set(CB_ECONFLICT, "%s %s exists in libvirt but was not created by testbed %s of "
                                 "user %s: it is left alone", kind, libvirt_name, tb->m.name, tb->m.user);
}

void domain_console(virDomainPtr dom, char **type, char **port)
{
    char *xml = virDomainGetXMLDesc(dom, 0);
    xmlDocPtr doc = xml ? xr_parse(xml) : NULL;

    *type = *port = NULL;
    if (doc) {
        *type = xr_string(doc, "string(/domain/devices/graphics[last()]/@type)");
        *port = xr_string(doc, "string(/domain/devices/graphics[last()]/@port)");
    }
    xmlFreeDoc(doc);
    free(xml);
    virResetLastError();
}

int domain_get(cb_testbed *tb, virConnectPtr c, const cb_domain *d, virDomainPtr *out)
{
    enum owner owner;
    int rc = domain_lookup(tb, c, d, out, &owner);

    if (rc < 0)
        return rc;
    if (owner == OWNER_ABSENT)
        return err_set(CB_ENOTFOUND, "domain %s (%s) not found in libvirt", d->name,
                       d->libvirt_name);
    if (owner == OWNER_OTHER)
        return owner_conflict(tb, "domain", d->libvirt_name);
    return 0;
}

int network_lookup(cb_testbed *tb, virConnectPtr c, const cb_network *n, virNetworkPtr *out,
                   enum owner *owner)
{
    virNetworkPtr net = virNetworkLookupByName(c, n->libvirt_name);
    char *xml;

    *out = NULL;
    *owner = OWNER_ABSENT;
    if (!net) {
        if (lv_last_code() == VIR_ERR_NO_NETWORK) {
            virResetLastError();
            return 0;
        }
        return lv_fail("cannot look up network %s", n->libvirt_name);
    }
    xml = virNetworkGetXMLDesc(net, 0);
    if (!xml) {
        virNetworkFree(net);
        return lv_fail("cannot read the XML of network %s", n->libvirt_name);
    }
    *owner = xml_is_owned(tb, xml) ? OWNER_TESTBED : OWNER_OTHER;
    free(xml);
    if (*owner == OWNER_TESTBED)
        *out = net;
    else
        virNetworkFree(net);
    return 0;
}
