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

/* The value of FMT and AP: FMT itself when it has no conversion, the
 * argument for "%s", else formatted into BUF (or a heap string put in
 * *HEAP when BUF is too small). Most attributes are a constant or one
 * string: they cost no allocation (a vasprintf each was a seventh of the
 * rendering of a domain). NULL, and B failed, on allocation failure. */
static const char *vfmt(struct xb *b, char buf[128], char **heap, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static const char *vfmt(struct xb *b, char buf[128], char **heap, const char *fmt, va_list ap)
{
    va_list copy;
    int n;

    *heap = NULL;
    if (!strchr(fmt, '%'))
        return fmt;
    if (strcmp(fmt, "%s") == 0)
        return va_arg(ap, const char *);
    va_copy(copy, ap);
    n = vsnprintf(buf, 128, fmt, copy);
    va_end(copy);
    if (n >= 0 && n < 128)
        return buf;
    if (vasprintf(heap, fmt, ap) < 0) {
        *heap = NULL;
        b->failed = true;
    }
    return *heap;
}

xmlNodePtr xb_text(struct xb *b, xmlNodePtr parent, const char *name, const char *fmt, ...)
{
    xmlNodePtr n = NULL;
    char buf[128], *heap;
    const char *s;
    va_list ap;

    if (!parent)
        return NULL;
    va_start(ap, fmt);
    s = vfmt(b, buf, &heap, fmt, ap);
    va_end(ap);
    /* xmlNewTextChild escapes the content; xmlNewChild would not. */
    if (s && !(n = xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST s)))
        b->failed = true;
    free(heap);
    return n;
}

void xb_attr(struct xb *b, xmlNodePtr node, const char *name, const char *fmt, ...)
{
    char buf[128], *heap;
    const char *s;
    va_list ap;

    if (!node)
        return;
    va_start(ap, fmt);
    s = vfmt(b, buf, &heap, fmt, ap);
    va_end(ap);
    if (s && !xmlNewProp(node, BAD_CAST name, BAD_CAST s))
        b->failed = true;
    free(heap);
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
