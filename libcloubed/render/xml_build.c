/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * xml_build.c: building an XML document with libxml2.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "render/xml_build.h"

xmlNodePtr xb_init(struct xb *b, const char *root)
{
    xmlNodePtr r = NULL;

    b->failed = false;
    b->doc = xmlNewDoc(BAD_CAST "1.0");
    if (b->doc && (r = xmlNewDocNode(b->doc, NULL, BAD_CAST root, NULL)))
        xmlDocSetRootElement(b->doc, r);
    b->failed = !r;
    return r;
}

xmlNodePtr xb_elem(struct xb *b, xmlNodePtr parent, const char *name)
{
    xmlNodePtr n;

    if (!parent)
        return NULL;
    if (!(n = xmlNewChild(parent, NULL, BAD_CAST name, NULL)))
        b->failed = true;
    return n;
}

static char *vfmt(struct xb *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static char *vfmt(struct xb *b, const char *fmt, va_list ap)
{
    char *s;
    if (vasprintf(&s, fmt, ap) < 0) {
        b->failed = true;
        return NULL;
    }
    return s;
}

xmlNodePtr xb_text(struct xb *b, xmlNodePtr parent, const char *name, const char *fmt, ...)
{
    xmlNodePtr n = NULL;
    va_list ap;
    char *s;

    if (!parent)
        return NULL;
    va_start(ap, fmt);
    s = vfmt(b, fmt, ap);
    va_end(ap);
    /* xmlNewTextChild escapes the content; xmlNewChild would not. */
    if (s && !(n = xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST s)))
        b->failed = true;
    free(s);
    return n;
}

void xb_attr(struct xb *b, xmlNodePtr node, const char *name, const char *fmt, ...)
{
    va_list ap;
    char *s;

    if (!node)
        return;
    va_start(ap, fmt);
    s = vfmt(b, fmt, ap);
    va_end(ap);
    if (s && !xmlNewProp(node, BAD_CAST name, BAD_CAST s))
        b->failed = true;
    free(s);
}

void xb_metadata(struct xb *b, xmlNodePtr parent, const struct model *m)
{
    xmlNodePtr md = xb_elem(b, parent, "metadata"), n;
    xmlNsPtr ns;

    if (!md)
        return;
    if (!(n = xmlNewChild(md, NULL, BAD_CAST "testbed", NULL)) ||
        !(ns = xmlNewNs(n, BAD_CAST CB_METADATA_NS, BAD_CAST CB_METADATA_PREFIX))) {
        b->failed = true;
        return;
    }
    xmlSetNs(n, ns);
    xb_attr(b, n, "name", "%s", m->name);
    xb_attr(b, n, "user", "%s", m->user);
    /* absent without an instance: objects made before instances existed match */
    if (m->instance)
        xb_attr(b, n, "instance", "%s", m->instance);
}

char *xb_finish(struct xb *b)
{
    xmlBufferPtr buf = NULL;
    char *out = NULL;
    int len;

    if (!b->failed && (buf = xmlBufferCreate())) {
        len = xmlNodeDump(buf, b->doc, xmlDocGetRootElement(b->doc), 0, 1);
        if (len >= 0 && (out = malloc((size_t)len + 2))) {
            memcpy(out, xmlBufferContent(buf), (size_t)len);
            out[len] = '\n';
            out[len + 1] = '\0';
        }
    }
    xmlBufferFree(buf);
    xmlFreeDoc(b->doc);
    b->doc = NULL;
    if (!out)
        err_oom();
    return out;
}
