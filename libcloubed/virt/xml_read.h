/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * xml_read.h: reading what libvirt returns as XML (internal).
 */
#ifndef CB_INTERNAL_XML_READ_H
#define CB_INTERNAL_XML_READ_H

#include <stdbool.h>
#include <libxml/tree.h>

/* Parses XML text without network access or entity expansion; NULL when it
 * is not well-formed. Free with xmlFreeDoc. */
xmlDocPtr xr_parse(const char *xml);
/* The string value of an XPath expression (a new string, free() it), or
 * NULL when it selects nothing or is empty. */
char *xr_string(xmlDocPtr doc, const char *xpath);
/* True when an element {ns}name carries every given attribute value:
 * used to recognise the testbed's metadata. */
bool xr_has_element(xmlDocPtr doc, const char *ns, const char *name, const char *attr1,
                    const char *val1, const char *attr2, const char *val2);

#endif
