/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * xml_build.h: building an XML document with libxml2 (internal).
 *
 * Every call accepts a NULL parent and then does nothing, and an allocation
 * failure only marks the builder as failed, so renderers read as a plain
 * description of the document and check once, in xb_finish().
 */
#ifndef CB_INTERNAL_XML_BUILD_H
#define CB_INTERNAL_XML_BUILD_H

#include <stdbool.h>
#include <libxml/tree.h>

#include "render/render.h"

struct xb {
    xmlDocPtr doc;
    bool failed;
};

xmlNodePtr xb_init(struct xb *b, const char *root);
xmlNodePtr xb_elem(struct xb *b, xmlNodePtr parent, const char *name);
xmlNodePtr xb_text(struct xb *b, xmlNodePtr parent, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void xb_attr(struct xb *b, xmlNodePtr node, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* <metadata><cloubed:testbed name=".." user=".."/></metadata>: how a testbed
 * recognises its own objects in libvirt. */
void xb_metadata(struct xb *b, xmlNodePtr parent, const struct model *m);
/* Serialises the root element, indented by two spaces, followed by a
 * newline, and frees the document. NULL with CB_ENOMEM on failure. */
char *xb_finish(struct xb *b);
/* The same text of DOC's root (DOC is kept): written by this file's own
 * serialiser, or with LIBXML2 by xmlNodeDump (the reference the unit tests
 * compare the two with). NULL on allocation failure. */
char *xb_serialise(xmlDocPtr doc, bool libxml2);

#endif
