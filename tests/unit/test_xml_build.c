/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_xml_build.c: render/xml_build.c's own serialiser writes the same
 * bytes as libxml2's xmlNodeDump (format 1), its reference: on every byte
 * value and UTF-8 lengths in text and attributes, on nesting, empty and
 * text-only elements, comments and namespaces. The golden files cover the
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

#include "render/xml_build.h"

static void assert_same(xmlDocPtr doc)
{
    char *ours = xb_serialise(doc, false), *ref = xb_serialise(doc, true);

    assert_non_null(ours);
    assert_non_null(ref);
    if (strcmp(ours, ref) != 0)
        fail_msg("libxml2 wrote:\n%s\nthe builder wrote:\n%s", ref, ours);
    free(ours);
    free(ref);
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
        xmlNodePtr root = xb_init(&b, "domain"), dev;

        if (c < 0x100)
            snprintf(v, sizeof(v), "a%cb", (char)c);
        else
            snprintf(v, sizeof(v), "%s", utf8[c - 0x100]);
        xb_attr(&b, root, "type", "%s", v);
        xb_text(&b, root, "name", "%s", v);
        xb_text(&b, root, "alone", "%s", v + (c < 0x100));
        dev = xb_elem(&b, root, "devices");
        xb_attr(&b, xb_elem(&b, dev, "disk"), "file", "%s", v);
        assert_false(b.failed);
        assert_same(b.doc);
        xmlFreeDoc(b.doc);
    }
}

/* Depth, empty and text-only elements, an element with text and elements
 * mixed, comments, a namespaced element and an empty attribute. */
static void test_structure(void **state)
{
    struct xb b;
    xmlNodePtr root = xb_init(&b, "network"), a, mixed;
    struct model m = { 0 };
    (void)state;

    m.name = "tb";
    m.user = "u";
    xb_metadata(&b, root, &m);
    xb_text(&b, root, "name", "u:tb:lan");
    xb_attr(&b, xb_elem(&b, root, "empty"), "x", "%s", "");
    a = xb_elem(&b, xb_elem(&b, xb_elem(&b, root, "ip"), "dhcp"), "range");
    xb_attr(&b, a, "start", "10.0.0.%d", 2);
    xb_attr(&b, a, "end", "10.0.0.%d", 254);
    xmlAddChild(root, xmlNewComment(BAD_CAST " a comment "));
    mixed = xb_elem(&b, root, "mixed");
    xmlAddChild(mixed, xmlNewText(BAD_CAST "text "));
    xb_text(&b, mixed, "inner", "more");
    xb_elem(&b, xb_elem(&b, mixed, "deep"), "deeper");
    xb_elem(&b, root, "after");
    assert_false(b.failed);
    assert_same(b.doc);
    xmlFreeDoc(b.doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_character),
        cmocka_unit_test(test_structure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
