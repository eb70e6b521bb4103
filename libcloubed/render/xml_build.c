/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * xml_build.c: building an XML document with libxml2.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

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

/* g_string_append_len without its general case (an insertion that may
 * overlap the string): most pieces are a few bytes, and GLib 2.74's call
 * costs more than the copy. */
static inline void put(GString *s, const char *p, size_t n)
{
    if (s->len + n < s->allocated_len) {
        memcpy(s->str + s->len, p, n);
        s->len += n;
        s->str[s->len] = '\0';
    } else
        g_string_append_len(s, p, (gssize)n);
}

static inline void puts_(GString *s, const char *p)
{
    put(s, p, strlen(p));
}

/* Appends P escaped as libxml2's serialiser does with no output encoding:
 * markup characters as entities, '\r' as a reference; an attribute value
 * also escapes '"' and the whitespace that attribute normalisation would
 * eat. False for other control characters and non-ASCII ones, whose
 * treatment (dropped, hexadecimal references, raw bytes when not UTF-8)
 * is left to libxml2 itself. */
static bool escape(GString *s, const unsigned char *p, bool attr)
{
    const unsigned char *run = p;

    for (;; p++) {
        const char *ent;

        if (*p >= 0x20 && *p < 0x80 && *p != '<' && *p != '>' && *p != '&' &&
            (*p != '"' || !attr))
            continue;
        if (!attr && (*p == '\n' || *p == '\t'))
            continue;
        put(s, (const char *)run, (size_t)(p - run));
        switch (*p) {
        case 0: return true;
        case '<': ent = "&lt;"; break;
        case '>': ent = "&gt;"; break;
        case '&': ent = "&amp;"; break;
        case '"': ent = "&quot;"; break;
        case '\n': ent = "&#10;"; break;
        case '\r': ent = "&#13;"; break;
        case '\t': ent = "&#9;"; break;
        default: return false;
        }
        puts_(s, ent);
        run = p + 1;
    }
}

static void indent(GString *s, unsigned level)
{
    while (level--)
        put(s, "  ", 2);
}

/* libxml2's xmlNodeDump(format 1) of what this builder makes (elements,
 * attributes, text, comments, namespaces): an element whose children are
 * all elements or comments is written one child a line, indented two
 * spaces a level; one with text, on one line. Written straight into a
 * GString: libxml2's output buffer cost about 100 instructions a piece
 * (bench 4). False when the tree holds anything else (then libxml2 writes
 * it). */
static bool dump_node(GString *s, xmlNodePtr n, unsigned level, bool format)
{
    xmlNodePtr c;
    xmlAttrPtr a;
    xmlNsPtr ns;

    if (n->type == XML_TEXT_NODE) {
        return !n->content || escape(s, n->content, false);
    }
    if (format)
        indent(s, level);
    if (n->type == XML_COMMENT_NODE) {
        if (n->content)
            g_string_append_printf(s, "<!--%s-->", (const char *)n->content);
        return true;
    }
    if (n->type != XML_ELEMENT_NODE)
        return false;
    g_string_append_c(s, '<');
    if (n->ns && n->ns->prefix)
        g_string_append_printf(s, "%s:", (const char *)n->ns->prefix);
    puts_(s, (const char *)n->name);
    for (ns = n->nsDef; ns; ns = ns->next) {
        if (!ns->href || strchr((const char *)ns->href, '"'))
            return false;
        g_string_append_printf(s, ns->prefix ? " xmlns:%s=\"%s\"" : " xmlns%s=\"%s\"",
                               ns->prefix ? (const char *)ns->prefix : "",
                               (const char *)ns->href);
    }
    for (a = n->properties; a; a = a->next) {
        if (a->ns || (a->children && (a->children->type != XML_TEXT_NODE || a->children->next)))
            return false;
        g_string_append_c(s, ' ');
        puts_(s, (const char *)a->name);
        put(s, "=\"", 2);
        if (a->children && a->children->content && !escape(s, a->children->content, true))
            return false;
        g_string_append_c(s, '"');
    }
    if (!n->children) {
        put(s, "/>", 2);
        return true;
    }
    if (format)
        for (c = n->children; c && format; c = c->next)
            format = c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE &&
                     c->type != XML_ENTITY_REF_NODE;
    g_string_append_c(s, '>');
    if (format)
        g_string_append_c(s, '\n');
    for (c = n->children; c; c = c->next) {
        if (!dump_node(s, c, level + 1, format))
            return false;
        if (format)
            g_string_append_c(s, '\n');
    }
    if (format)
        indent(s, level);
    put(s, "</", 2);
    if (n->ns && n->ns->prefix)
        g_string_append_printf(s, "%s:", (const char *)n->ns->prefix);
    puts_(s, (const char *)n->name);
    g_string_append_c(s, '>');
    return true;
}

/* xmlNodeDump of the root, a newline, as a malloc'd string; NULL on failure. */
static char *libxml2_dump(xmlDocPtr doc)
{
    xmlBufferPtr buf = xmlBufferCreate();
    char *out = NULL;
    int len;

    if (buf && (len = xmlNodeDump(buf, doc, xmlDocGetRootElement(doc), 0, 1)) >= 0 &&
        (out = malloc((size_t)len + 2))) {
        memcpy(out, xmlBufferContent(buf), (size_t)len);
        out[len] = '\n';
        out[len + 1] = '\0';
    }
    xmlBufferFree(buf);
    return out;
}

char *xb_serialise(xmlDocPtr doc, bool libxml2)
{
    GString *s;

    if (libxml2)
        return libxml2_dump(doc);
    s = g_string_sized_new(2048);
    if (!dump_node(s, xmlDocGetRootElement(doc), 0, true)) {
        g_string_free(s, TRUE);
        return libxml2_dump(doc);
    }
    g_string_append_c(s, '\n');
    return g_string_free(s, FALSE);
}

char *xb_finish(struct xb *b)
{
    char *out = NULL;

    if (!b->failed)
        out = xb_serialise(b->doc, false);
    xmlFreeDoc(b->doc);
    b->doc = NULL;
    if (!out)
        err_oom();
    return out;
}
