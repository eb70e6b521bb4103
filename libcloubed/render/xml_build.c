/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * xml_build.c: writing an XML document straight into a string, laid out as
 * libxml2's xmlNodeDump (format 1) lays out the same tree.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "util/error.h"
#include "render/xml_build.h"

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

static void indent(GString *s, unsigned level)
{
    static const char spaces[2 * XB_DEPTH_MAX] = "                        ";

    put(s, spaces, 2 * level);
}

/* libxml2's own escaping of P, for the rare value with a control or a
 * non-ASCII character: what it does with those (drops them, writes
 * hexadecimal references, or raw bytes when P is no UTF-8) is its own. */
static void escape_libxml2(struct xb *b, GString *s, const char *p, bool attr)
{
    xmlBufferPtr buf = xmlBufferCreate();
    xmlNodePtr text = NULL;

    if (buf && attr)
        xmlAttrSerializeTxtContent(buf, NULL, NULL, BAD_CAST p);
    else if (buf && (text = xmlNewText(BAD_CAST p)))
        xmlNodeDump(buf, NULL, text, 0, 0);
    if (buf && (attr || text))
        put(s, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
    else
        b->failed = true;
    xmlFreeNode(text);
    xmlBufferFree(buf);
}

/* Appends P escaped as libxml2's serialiser does with no output encoding:
 * markup characters as entities, '\r' as a reference; an attribute value
 * also escapes '"' and the whitespace that attribute normalisation would
 * eat. Any other control or non-ASCII character hands the whole value to
 * libxml2. */
#define XB_TEXT 1 /* a byte a text does not take as it is */
#define XB_ATTR 2 /* a byte an attribute value does not take as it is */
static const unsigned char special[256] = {
    [0 ... 0x08] = XB_TEXT | XB_ATTR, ['\t'] = XB_ATTR, ['\n'] = XB_ATTR,
    [0x0b ... 0x1f] = XB_TEXT | XB_ATTR,
    ['<'] = XB_TEXT | XB_ATTR, ['>'] = XB_TEXT | XB_ATTR, ['&'] = XB_TEXT | XB_ATTR,
    ['"'] = XB_ATTR, [0x80 ... 0xff] = XB_TEXT | XB_ATTR,
};

static void escape(struct xb *b, GString *s, const char *value, bool attr)
{
    const unsigned char *p = (const unsigned char *)value, *run = p;
    const unsigned char mask = attr ? XB_ATTR : XB_TEXT;
    size_t start = s->len;

    for (;; p++) {
        const char *ent;

        while (!(special[*p] & mask))
            p++;
        put(s, (const char *)run, (size_t)(p - run));
        switch (*p) {
        case 0: return;
        case '<': ent = "&lt;"; break;
        case '>': ent = "&gt;"; break;
        case '&': ent = "&amp;"; break;
        case '"': ent = "&quot;"; break;
        case '\n': ent = "&#10;"; break;
        case '\r': ent = "&#13;"; break;
        case '\t': ent = "&#9;"; break;
        default:
            g_string_truncate(s, start);
            escape_libxml2(b, s, value, attr);
            return;
        }
        puts_(s, ent);
        run = p + 1;
    }
}

/* V in decimal at the end of BUF (which holds any 64-bit number). */
static const char *decimal(char buf[128], unsigned long long v)
{
    char *p = buf + 127;

    *p = '\0';
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    return p;
}

/* The value of FMT and AP: FMT itself when it has no conversion, the
 * argument for "%s", a number for "%u", "%llu" or "%zu", else formatted into
 * BUF (or a heap string put in *HEAP when BUF is too small). Most values are
 * a constant, one string or one number: they cost no allocation and no
 * vsnprintf. NULL, and B failed, on allocation failure. */
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
    if (strcmp(fmt, "%u") == 0)
        return decimal(buf, va_arg(ap, unsigned));
    if (strcmp(fmt, "%llu") == 0)
        return decimal(buf, va_arg(ap, unsigned long long));
    if (strcmp(fmt, "%zu") == 0)
        return decimal(buf, va_arg(ap, size_t));
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

/* Ends the start tag of the element opened last if it is a text element:
 * its text, its end tag. Other elements stay open for their children. */
static void end_text(struct xb *b)
{
    if (!b->has_text)
        return;
    put(b->out, ">", 1);
    put(b->out, b->text->str, b->text->len);
    put(b->out, "</", 2);
    puts_(b->out, b->open[--b->depth].name);
    put(b->out, ">\n", 2);
    b->tag_open = b->has_text = false;
}

/* Closes the element on top: empty, or after its children. */
static void close_top(struct xb *b)
{
    const struct xb_open *o = &b->open[--b->depth];

    if (b->tag_open) {
        put(b->out, "/>\n", 3);
        b->tag_open = false;
        return;
    }
    indent(b->out, b->depth);
    put(b->out, "</", 2);
    puts_(b->out, o->name);
    put(b->out, ">\n", 2);
}

/* Makes PARENT the element on top, ready for a child, and indents for it:
 * closes what was opened after PARENT. False (B failed) when PARENT is
 * closed, a text element, or the document would be too deep. */
static bool child_of(struct xb *b, xb_node parent)
{
    unsigned level = b->depth;
    struct xb_open *o;

    while (level && b->open[level - 1].id != parent)
        level--;
    if (!level || (b->has_text && level == b->depth) || level == XB_DEPTH_MAX) {
        b->failed = true;
        return false;
    }
    end_text(b);
    while (b->depth > level)
        close_top(b);
    o = &b->open[level - 1];
    if (!o->children) {
        put(b->out, ">\n", 2);
        o->children = true;
        b->tag_open = false;
    }
    indent(b->out, b->depth);
    return true;
}

/* Writes "<NAME" and pushes it: the caller checked the depth. */
static xb_node push(struct xb *b, const char *name)
{
    struct xb_open *o = &b->open[b->depth++];

    put(b->out, "<", 1);
    puts_(b->out, name);
    o->name = name;
    o->id = ++b->next_id;
    o->children = false;
    b->tag_open = true;
    return o->id;
}

xb_node xb_init(struct xb *b, const char *root)
{
    memset(b, 0, sizeof(*b));
    b->out = g_string_sized_new(2048);
    b->text = g_string_sized_new(128);
    return push(b, root);
}

xb_node xb_elem(struct xb *b, xb_node parent, const char *name)
{
    if (!parent || !child_of(b, parent))
        return 0;
    return push(b, name);
}

xb_node xb_text(struct xb *b, xb_node parent, const char *name, const char *fmt, ...)
{
    char buf[128], *heap;
    const char *s;
    xb_node n = 0;
    va_list ap;

    if (!parent)
        return 0;
    va_start(ap, fmt);
    s = vfmt(b, buf, &heap, fmt, ap);
    va_end(ap);
    /* no text (a NULL string): no element, as an absent value */
    if (s && child_of(b, parent)) {
        n = push(b, name);
        g_string_truncate(b->text, 0);
        escape(b, b->text, s, false);
        b->has_text = true;
    }
    free(heap);
    return n;
}

void xb_attr(struct xb *b, xb_node node, const char *name, const char *fmt, ...)
{
    char buf[128], *heap;
    const char *s;
    va_list ap;

    if (!node)
        return;
    if (!b->tag_open || b->open[b->depth - 1].id != node) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    s = vfmt(b, buf, &heap, fmt, ap);
    va_end(ap);
    /* no value (a NULL string): no attribute */
    if (s) {
        put(b->out, " ", 1);
        puts_(b->out, name);
        put(b->out, "=\"", 2);
        escape(b, b->out, s, true);
        put(b->out, "\"", 1);
    }
    free(heap);
}

void xb_comment(struct xb *b, xb_node parent, const char *text)
{
    if (!parent || !child_of(b, parent))
        return;
    put(b->out, "<!--", 4);
    puts_(b->out, text);
    put(b->out, "-->\n", 4);
}

void xb_metadata(struct xb *b, xb_node parent, const struct model *m)
{
    xb_node n = xb_elem(b, xb_elem(b, parent, "metadata"), CB_METADATA_PREFIX ":testbed");

    xb_attr(b, n, "xmlns:" CB_METADATA_PREFIX, CB_METADATA_NS);
    xb_attr(b, n, "name", "%s", m->name);
    xb_attr(b, n, "user", "%s", m->user);
    /* absent without an instance: objects made before instances existed match */
    if (m->instance)
        xb_attr(b, n, "instance", "%s", m->instance);
}

char *xb_finish(struct xb *b)
{
    if (!b->failed) {
        end_text(b);
        while (b->depth)
            close_top(b);
    }
    g_string_free(b->text, TRUE);
    b->text = NULL;
    if (b->failed) {
        g_string_free(b->out, TRUE);
        b->out = NULL;
        err_set(CB_ERROR, "internal error: an XML document was built out of order");
        return NULL;
    }
    return g_string_free(b->out, FALSE);
}
