/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * ownership.c: finding the testbed's domains and networks in libvirt, and
 * telling them from objects that merely carry the same name.
 */
#include <stdlib.h>
#include <string.h>

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
    char *inst;

    /* The instance too: both absent, or equal. The names already differ
     * ('+' is no testbed name's), but the check stays as strict as they are. */
    if (owned) {
        inst = xr_string(doc, "string(//*[local-name()='testbed' and namespace-uri()='"
                              CB_METADATA_NS "']/@instance)");
        owned = inst ? tb->m.instance && strcmp(inst, tb->m.instance) == 0 : !tb->m.instance;
        free(inst);
    }
    xmlFreeDoc(doc);
    return owned;
}

/* One kind of libvirt object, for the lookups that every kind shares.
 * Adapters rather than casts: calling a function through a pointer of
 * another type is undefined. */
struct virt_kind {
    const char *label;         /* "domain", "network" */
    int no_such;               /* libvirt's error code for "not found" */
    void *(*lookup)(virConnectPtr c, const char *name);
    char *(*xml)(void *obj);
    void (*release)(void *obj);
};

static void *dom_lookup(virConnectPtr c, const char *name) { return virDomainLookupByName(c, name); }
static char *dom_xml(void *obj) { return virDomainGetXMLDesc(obj, 0); }
static void dom_release(void *obj) { virDomainFree(obj); }
static void *net_lookup(virConnectPtr c, const char *name) { return virNetworkLookupByName(c, name); }
static char *net_xml(void *obj) { return virNetworkGetXMLDesc(obj, 0); }
static void net_release(void *obj) { virNetworkFree(obj); }

static const struct virt_kind VK_DOMAIN = { "domain", VIR_ERR_NO_DOMAIN, dom_lookup, dom_xml, dom_release };
static const struct virt_kind VK_NETWORK = { "network", VIR_ERR_NO_NETWORK, net_lookup, net_xml, net_release };

/* The testbed's object of kind K named LIBVIRT_NAME, or *out NULL with
 * *owner ABSENT or OTHER. */
static int lookup_owned(cb_testbed *tb, virConnectPtr c, const struct virt_kind *k,
                        const char *libvirt_name, void **out, enum owner *owner)
{
    void *obj = k->lookup(c, libvirt_name);
    char *xml;

    *out = NULL;
    *owner = OWNER_ABSENT;
    if (!obj) {
        if (lv_last_code() == k->no_such) {
            virResetLastError();
            return 0;
        }
        return lv_fail("cannot look up %s %s", k->label, libvirt_name);
    }
    xml = k->xml(obj);
    if (!xml) {
        k->release(obj);
        return lv_fail("cannot read the XML of %s %s", k->label, libvirt_name);
    }
    *owner = xml_is_owned(tb, xml) ? OWNER_TESTBED : OWNER_OTHER;
    free(xml);
    if (*owner == OWNER_TESTBED)
        *out = obj;
    else
        k->release(obj);
    return 0;
}

/* domain_lookup and network_lookup (ops.h): lookup_owned, typed. */
#define OWNED_LOOKUP(fn, model_type, lv_type, kind)                                           \
    int fn(cb_testbed *tb, virConnectPtr c, const model_type *x, lv_type *out, enum owner *owner) \
    {                                                                                         \
        void *obj;                                                                            \
        int rc = lookup_owned(tb, c, &kind, x->libvirt_name, &obj, owner);                    \
                                                                                              \
        *out = obj;                                                                           \
        return rc;                                                                            \
    }
OWNED_LOOKUP(domain_lookup, cb_domain, virDomainPtr, VK_DOMAIN)
OWNED_LOOKUP(network_lookup, cb_network, virNetworkPtr, VK_NETWORK)

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
