/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_xml_build.c: render/xml_build.c writes the same bytes as libxml2's
 * xmlNodeDump (format 1) of the same tree, built here with libxml2's tree
 * API: on every byte value and UTF-8 lengths in text and attributes, on
 * nesting, empty and text-only elements, attributes after text, comments
 * and namespaces. Misuse fails the document. The golden files cover the
 * renderers' real documents.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/tree.h>

#include <cloubed/errors.h>

#include "render/xml_build.h"

/* libxml2's text of DOC, with the newline xb_finish() ends with; frees DOC. */
static char *reference(xmlDocPtr doc)
{
    xmlBufferPtr buf = xmlBufferCreate();
    char *out;

    assert_non_null(buf);
    assert_true(xmlNodeDump(buf, doc, xmlDocGetRootElement(doc), 0, 1) >= 0);
    assert_true(asprintf(&out, "%s\n", (const char *)xmlBufferContent(buf)) > 0);
    xmlBufferFree(buf);
    xmlFreeDoc(doc);
    return out;
}

static void assert_same(struct xb *b, xmlDocPtr doc)
{
    char *ours = xb_finish(b), *ref = reference(doc);

    assert_non_null(ours);
    if (strcmp(ours, ref) != 0)
        fail_msg("libxml2 wrote:\n%s\nthe builder wrote:\n%s", ref, ours);
    free(ours);
    free(ref);
}

static xmlNodePtr ref_root(xmlDocPtr *doc, const char *name)
{
    xmlNodePtr r;

    *doc = xmlNewDoc(BAD_CAST "1.0");
    r = xmlNewDocNode(*doc, NULL, BAD_CAST name, NULL);
    xmlDocSetRootElement(*doc, r);
    return r;
}

/* Each byte value (control characters, bytes that are no UTF-8), then
 * multi-byte UTF-8, as a text and as an attribute value, alone and among
 * other characters. */
static void test_every_character(void **state)
{
    static const char *const utf8[] = { "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                        "caf\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80!" };
    char v[16];
    (void)state;

    for (unsigned c = 1; c < 0x100 + 4; c++) {
        struct xb b;
        xb_node root = xb_init(&b, "domain"), dev;
        xmlDocPtr doc;
        xmlNodePtr r = ref_root(&doc, "domain"), d;

        if (c < 0x100)
            snprintf(v, sizeof(v), "a%cb", (char)c);
        else
            snprintf(v, sizeof(v), "%s", utf8[c - 0x100]);
        xb_attr(&b, root, "type", "%s", v);
        xb_text(&b, root, "name", "%s", v);
        xb_attr(&b, xb_text(&b, root, "alone", "%s", v + (c < 0x100)), "unit", "%s", v);
        dev = xb_elem(&b, root, "devices");
        xb_attr(&b, xb_elem(&b, dev, "disk"), "file", "%s", v);

        xmlNewProp(r, BAD_CAST "type", BAD_CAST v);
        xmlNewTextChild(r, NULL, BAD_CAST "name", BAD_CAST v);
        xmlNewProp(xmlNewTextChild(r, NULL, BAD_CAST "alone", BAD_CAST(v + (c < 0x100))),
                   BAD_CAST "unit", BAD_CAST v);
        d = xmlNewChild(r, NULL, BAD_CAST "devices", NULL);
        xmlNewProp(xmlNewChild(d, NULL, BAD_CAST "disk", NULL), BAD_CAST "file", BAD_CAST v);
        assert_same(&b, doc);
    }
}

/* Depth, empty and text-only elements (an empty text too), attributes after
 * text, a comment, the metadata's namespace, and elements closed by a
 * sibling of an ancestor. */
static void test_structure(void **state)
{
    struct xb b;
    xb_node root = xb_init(&b, "network"), ip, dhcp, range;
    struct model m = { 0 };
    xmlDocPtr doc;
    xmlNodePtr r = ref_root(&doc, "network"), n, t;
    xmlNsPtr ns;
    (void)state;

    m.name = "tb";
    m.user = "u";
    xb_text(&b, root, "name", "u:tb:lan");
    xb_metadata(&b, root, &m);
    xb_attr(&b, xb_elem(&b, root, "empty"), "x", "%s", "");
    xb_text(&b, root, "blank", "%s", "");
    ip = xb_elem(&b, root, "ip");
    dhcp = xb_elem(&b, ip, "dhcp");
    range = xb_elem(&b, dhcp, "range");
    xb_attr(&b, range, "start", "10.0.0.%d", 2);
    xb_attr(&b, range, "end", "10.0.0.%d", 254);
    xb_attr(&b, xb_text(&b, dhcp, "memory", "%d", 1024), "unit", "MiB");
    xb_elem(&b, ip, "tftp");
    xb_comment(&b, root, " a comment ");
    xb_elem(&b, xb_elem(&b, xb_elem(&b, root, "deep"), "deeper"), "deepest");
    xb_elem(&b, root, "after");

    xmlNewTextChild(r, NULL, BAD_CAST "name", BAD_CAST "u:tb:lan");
    n = xmlNewChild(xmlNewChild(r, NULL, BAD_CAST "metadata", NULL), NULL, BAD_CAST "testbed",
                    NULL);
    ns = xmlNewNs(n, BAD_CAST CB_METADATA_NS, BAD_CAST CB_METADATA_PREFIX);
    xmlSetNs(n, ns);
    xmlNewProp(n, BAD_CAST "name", BAD_CAST "tb");
    xmlNewProp(n, BAD_CAST "user", BAD_CAST "u");
    xmlNewProp(xmlNewChild(r, NULL, BAD_CAST "empty", NULL), BAD_CAST "x", BAD_CAST "");
    xmlNewTextChild(r, NULL, BAD_CAST "blank", BAD_CAST "");
    n = xmlNewChild(r, NULL, BAD_CAST "ip", NULL);
    t = xmlNewChild(n, NULL, BAD_CAST "dhcp", NULL);
    xmlNewProp(xmlNewChild(t, NULL, BAD_CAST "range", NULL), BAD_CAST "start", BAD_CAST "10.0.0.2");
    xmlNewProp(t->children, BAD_CAST "end", BAD_CAST "10.0.0.254");
    xmlNewProp(xmlNewTextChild(t, NULL, BAD_CAST "memory", BAD_CAST "1024"), BAD_CAST "unit",
               BAD_CAST "MiB");
    xmlNewChild(n, NULL, BAD_CAST "tftp", NULL);
    xmlAddChild(r, xmlNewComment(BAD_CAST " a comment "));
    xmlNewChild(xmlNewChild(xmlNewChild(r, NULL, BAD_CAST "deep", NULL), NULL, BAD_CAST "deeper",
                            NULL),
                NULL, BAD_CAST "deepest", NULL);
    xmlNewChild(r, NULL, BAD_CAST "after", NULL);
    assert_same(&b, doc);
}

/* An attribute after a child, a child of a closed element or of a text
 * element, and a document too deep each fail the document (a renderer's
 * bug), with CB_ERROR; the handle 0 is ignored. */
static void test_misuse(void **state)
{
    struct xb b;
    xb_node root, a, t;
    const char *volatile absent = NULL;
    char *out;
    (void)state;

    root = xb_init(&b, "r");
    xb_elem(&b, root, "c");
    xb_attr(&b, root, "late", "1");
    assert_true(b.failed);
    assert_null(xb_finish(&b));
    assert_int_equal(cb_error_last()->code, CB_ERROR);

    root = xb_init(&b, "r");
    a = xb_elem(&b, root, "a");
    xb_elem(&b, root, "b");
    assert_int_equal(xb_elem(&b, a, "child"), 0);
    assert_null(xb_finish(&b));

    root = xb_init(&b, "r");
    t = xb_text(&b, root, "t", "text");
    assert_int_equal(xb_elem(&b, t, "child"), 0);
    assert_null(xb_finish(&b));

    root = xb_init(&b, "r");
    for (a = root; a; a = xb_elem(&b, a, "d"))
        ;
    assert_true(b.failed);
    assert_null(xb_finish(&b));

    /* a NULL string: no attribute, no text element, and no failure */
    root = xb_init(&b, "r");
    xb_attr(&b, root, "absent", "%s", absent);
    assert_int_equal(xb_text(&b, root, "absent", "%s", absent), 0);
    assert_false(b.failed);
    out = xb_finish(&b);
    assert_string_equal(out, "<r/>\n");
    free(out);

    root = xb_init(&b, "r");
    xb_attr(&b, 0, "ignored", "1");
    assert_int_equal(xb_elem(&b, 0, "ignored"), 0);
    xb_comment(&b, 0, "ignored");
    assert_false(b.failed);
    xb_elem(&b, root, "kept");
    out = xb_finish(&b);
    assert_string_equal(out, "<r>\n  <kept/>\n</r>\n");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_character),
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
