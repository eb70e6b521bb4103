/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * xml_build.h: writing an XML document straight into a string (internal).
 *
 * The renderers describe a document top-down: an element, its attributes,
 * then its children. The builder writes each piece as it comes, in the
 * layout of libxml2's xmlNodeDump (format 1), with no tree in between: the
 * tree, its copies of every name and value and its freeing were most of
 * the cost of opening and rendering a large testbed (bench 4).
 *
 * A node is a handle to an element still open: a child closes every element
 * opened after its parent, and an attribute may follow an element's text but
 * not its children. Every call accepts the handle 0 (no node) and then does
 * nothing; a misuse (a handle already closed, an attribute too late) only
 * marks the builder as failed. Renderers thus read as a plain description of
 * the document and check once, in xb_finish().
 */
#ifndef CB_INTERNAL_XML_BUILD_H
#define CB_INTERNAL_XML_BUILD_H

#include <stdbool.h>
#include <glib.h>

#include "render/render.h"

/* Deeper than any libvirt document this library writes. */
#define XB_DEPTH_MAX 12

typedef unsigned xb_node; /* 0: no node */

struct xb_open {
    const char *name;     /* a string that outlives the builder */
    xb_node id;
    bool children;        /* its start tag is closed and a child written */
};

struct xb {
    GString *out;
    GString *text;        /* the escaped text of the last element, while attributes may come */
    struct xb_open open[XB_DEPTH_MAX];
    unsigned depth;       /* elements open */
    xb_node next_id;
    bool tag_open;        /* the last element's start tag still takes attributes */
    bool has_text;        /* ... and that element is a text element */
    bool failed;
};

/* Starts the document with its root element ROOT. */
xb_node xb_init(struct xb *b, const char *root);
/* NAME (a string constant: it is written when the element closes; may hold
 * a prefix, "ns:name") as the last child of PARENT. */
xb_node xb_elem(struct xb *b, xb_node parent, const char *name);
/* An element NAME whose content is the text FMT formats (escaped). */
xb_node xb_text(struct xb *b, xb_node parent, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* An attribute of NODE, which must be the element opened last, before any
 * child of it. */
void xb_attr(struct xb *b, xb_node node, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* <!--TEXT--> as the last child of PARENT (TEXT is written as it is). */
void xb_comment(struct xb *b, xb_node parent, const char *text);
/* <metadata><cloubed:testbed name=".." user=".."/></metadata>: how a testbed
 * recognises its own objects in libvirt. */
void xb_metadata(struct xb *b, xb_node parent, const struct model *m);
/* Closes every element and returns the document followed by a newline, a
 * string to free(); NULL with CB_ERROR if the builder was misused (a bug of
 * the renderer). Allocation failures abort, as everywhere GLib allocates. */
char *xb_finish(struct xb *b);

#endif
