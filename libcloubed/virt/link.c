/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * link.c: cb_domain_link_set: a pulled cable. The live interface's own XML,
 * found by MAC address, is given back to libvirt with <link state=.../>,
 * so that nothing else of the device changes.
 */
#include <stdlib.h>
#include <strings.h>

#include <glib.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "util/error.h"
#include "virt/connection.h"
#include "virt/ops.h"
#include "virt/xml_read.h"

/* IFACE with its <link state=STATE/>, as XML text. */
static char *with_link(xmlDocPtr doc, xmlNodePtr iface, const char *state)
{
    xmlNodePtr n, link = NULL;
    xmlBufferPtr buf = xmlBufferCreate();
    char *out;

    for (n = iface->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "link"))
            link = n;
    if (!link)
        link = xmlNewChild(iface, NULL, BAD_CAST "link", NULL);
    xmlSetProp(link, BAD_CAST "state", BAD_CAST state);
    xmlNodeDump(buf, doc, iface, 0, 0);
    out = g_strdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return out;
}

/* Sets the link of every live interface of DOM whose MAC is one of D's
 * netifs on NET. */
static int set_links(virDomainPtr dom, const cb_domain *d, const cb_network *net, bool up)
{
    char *xml = virDomainGetXMLDesc(dom, 0);
    xmlDocPtr doc = xml ? xr_parse(xml) : NULL;
    xmlXPathContextPtr ctx = doc ? xmlXPathNewContext(doc) : NULL;
    xmlXPathObjectPtr ifaces = ctx ? xmlXPathEvalExpression(
        BAD_CAST "/domain/devices/interface", ctx) : NULL;
    int rc = 0, done = 0, i;
    size_t k;

    free(xml);
    if (!ifaces || !ifaces->nodesetval) {
        rc = doc ? err_oom() : lv_fail("cannot read the XML of domain %s", d->name);
        goto out;
    }
    for (i = 0; i < ifaces->nodesetval->nodeNr && rc == 0; i++) {
        xmlNodePtr iface = ifaces->nodesetval->nodeTab[i], n;
        xmlChar *mac = NULL;
        bool ours = false;

        for (n = iface->children; n && !mac; n = n->next)
            if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "mac"))
                mac = xmlGetProp(n, BAD_CAST "address");
        for (k = 0; mac && k < d->netifs.n; k++)
            ours = ours || (d->netifs.v[k].net == net &&
                            strcasecmp(d->netifs.v[k].mac, (const char *)mac) == 0);
        if (ours) {
            g_autofree char *dev = with_link(doc, iface, up ? "up" : "down");
            if (virDomainUpdateDeviceFlags(dom, dev, VIR_DOMAIN_AFFECT_LIVE) < 0)
                rc = lv_fail("cannot set the link of domain %s on network %s %s (MAC %s)",
                             d->name, net->name, up ? "up" : "down", (const char *)mac);
            else
                done++;
        }
        xmlFree(mac);
    }
    if (rc == 0 && !done)
        rc = err_set(CB_ENOTFOUND, "domain %s has no interface on network %s in libvirt",
                     d->name, net->name);
out:
    xmlXPathFreeObject(ifaces);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    return rc;
}

int cb_domain_link_set(cb_domain *d, const char *network, int up, unsigned int flags)
{
    const cb_network *net;
    virConnectPtr c;
    virDomainPtr dom;
    size_t k;
    bool has = false;
    int rc;

    CHECK_FLAGS(flags, 0);
    if (!d || !network)
        return !d ? ARG_FAIL(d) : ARG_FAIL(network);
    if (!(net = model_network(d->m, network)))
        return err_set(CB_ENOTFOUND, "testbed %s has no network %s", d->m->name, network);
    for (k = 0; k < d->netifs.n; k++)
        has = has || d->netifs.v[k].net == net;
    if (!has)
        return err_set(CB_ENOTFOUND, "domain %s has no network interface on network %s", d->name,
                       network);
    if ((rc = pid_check(d->tb->opt.pid)) < 0 || (rc = tb_conn(d->tb, &c)) < 0 ||
        (rc = domain_get(d->tb, c, d, &dom)) < 0)
        return rc;
    if (virDomainIsActive(dom) != 1)
        rc = err_set(CB_ESTATE, "cannot set the link of domain %s: it is not running", d->name);
    else if ((rc = set_links(dom, d, net, up != 0)) == 0)
        tb_log(d->tb, CB_LOG_INFO, "domain %s: link on network %s %s", d->name, network,
               up ? "up" : "down");
    virDomainFree(dom);
    return rc;
}
