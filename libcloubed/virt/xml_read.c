/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * xml_read.c: reading what libvirt returns as XML.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "virt/xml_read.h"

xmlDocPtr xr_parse(const char *xml)
{
    return xmlReadMemory(xml, (int)strlen(xml), "libvirt.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

char *xr_string(xmlDocPtr doc, const char *xpath)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr obj = NULL;
    char *out = NULL;

    if (!ctx)
        return NULL;
    obj = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
    if (obj && obj->type == XPATH_STRING && obj->stringval && obj->stringval[0])
        out = strdup((const char *)obj->stringval);
    else if (obj && obj->type == XPATH_NODESET && obj->nodesetval && obj->nodesetval->nodeNr > 0) {
        xmlChar *s = xmlNodeGetContent(obj->nodesetval->nodeTab[0]);
        if (s && s[0])
            out = strdup((const char *)s);
        xmlFree(s);
    }
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(ctx);
    return out;
}

static bool attr_is(xmlNodePtr n, const char *attr, const char *val)
{
    xmlChar *v;
    bool ok;

    if (!attr)
        return true;
    v = xmlGetProp(n, BAD_CAST attr);
    ok = v && strcmp((const char *)v, val) == 0;
    xmlFree(v);
    return ok;
}

static bool find(xmlNodePtr n, const char *ns, const char *name, const char *a1, const char *v1,
                 const char *a2, const char *v2)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0 &&
            strcmp((const char *)n->name, name) == 0 && attr_is(n, a1, v1) && attr_is(n, a2, v2))
            return true;
        if (find(n->children, ns, name, a1, v1, a2, v2))
            return true;
    }
    return false;
}

bool xr_has_element(xmlDocPtr doc, const char *ns, const char *name, const char *attr1,
                    const char *val1, const char *attr2, const char *val2)
{
    return doc && find(xmlDocGetRootElement(doc), ns, name, attr1, val1, attr2, val2);
}
