/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_values.c: cpu topologies, memory and disk sizes, IPv4 and MAC
 * addresses, one table each; error messages made one line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/ipv4.h"
#include "model/mac.h"
#include "model/units.h"
#include "util/error.h"
#include "util/util.h"

static void test_mac_vectors(void **state)
{
    /* Verified against the original tool (reference §2.5). */
    static const struct { const char *domain, *network, *mac; } v[] = {
        { "vmtest", "net", "00:16:3e:03:e2:b1" },
        { "base", "net", "00:16:3e:63:51:8a" },
        { "test", "net", "00:16:3e:88:75:91" },
        { "node-1", "admin-net", "00:16:3e:3f:0d:07" },
        { "node-1", "iso", "00:16:3e:54:76:4a" },
    };
    char mac[MAC_STRLEN];
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(v); i++) {
        mac_generate(NULL, v[i].domain, v[i].network, mac);
        assert_string_equal(mac, v[i].mac);
        assert_true(mac_is_valid(mac));
        assert_false(mac_is_multicast(mac));
    }
}

static void test_mac_syntax(void **state)
{
    (void)state;
    assert_true(mac_is_valid("52:54:00:AB:cd:01"));
    assert_false(mac_is_valid("52:54:00:ab:cd"));
    assert_false(mac_is_valid("52:54:00:ab:cd:0g"));
    assert_false(mac_is_valid("52-54-00-ab-cd-01"));
    assert_false(mac_is_valid("52:54:00:ab:cd:01\n"));
    assert_false(mac_is_valid("52:54:00:ab:cd:011"));
    assert_true(mac_is_multicast("01:00:5e:00:00:01"));
    assert_true(mac_is_multicast("ff:ff:ff:ff:ff:ff"));
    assert_false(mac_is_multicast("fe:ff:ff:ff:ff:ff"));
}

static void test_cpu(void **state)
{
    static const struct { const char *in; int rc; unsigned s, c, t; } v[] = {
        { "1", UNITS_OK, 1, 1, 1 },        { "4", UNITS_OK, 1, 4, 1 },
        { "2x4x2", UNITS_OK, 2, 4, 2 },    { "2:2:1", UNITS_OK, 2, 2, 1 },
        { "1:1:1", UNITS_OK, 1, 1, 1 },    { "0", UNITS_NOT_POSITIVE, 0, 0, 0 },
        { "-1", UNITS_NOT_POSITIVE, 0, 0, 0 }, { "0x1x1", UNITS_NOT_POSITIVE, 0, 0, 0 },
        { "2x3", UNITS_FORMAT, 0, 0, 0 },  { "2x5x3x4", UNITS_FORMAT, 0, 0, 0 },
        { "2X2X2", UNITS_FORMAT, 0, 0, 0 }, { " 2x2x2", UNITS_FORMAT, 0, 0, 0 },
        { "1xfailx3", UNITS_FORMAT, 0, 0, 0 }, { "2x2:2", UNITS_FORMAT, 0, 0, 0 },
        { "fail", UNITS_FORMAT, 0, 0, 0 },  { "", UNITS_FORMAT, 0, 0, 0 },
        { "1.5", UNITS_FORMAT, 0, 0, 0 },  { "4097", UNITS_TOO_LARGE, 0, 0, 0 },
        { "4096", UNITS_OK, 1, 4096, 1 },  { "64x64x2", UNITS_TOO_LARGE, 0, 0, 0 },
        { "99999999999999999999", UNITS_TOO_LARGE, 0, 0, 0 },
        { "99999999999999999999x1x1", UNITS_FORMAT, 0, 0, 0 },
    };
    unsigned s, c, t;
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(v); i++) {
        int rc = units_parse_cpu(v[i].in, &s, &c, &t);
        if (rc != v[i].rc)
            fail_msg("cpu '%s': %d, expected %d", v[i].in, rc, v[i].rc);
        if (rc == UNITS_OK && (s != v[i].s || c != v[i].c || t != v[i].t))
            fail_msg("cpu '%s': %ux%ux%u", v[i].in, s, c, t);
    }
}

static void test_memory(void **state)
{
    static const struct { const char *in; int plain; int rc; unsigned long long mib; } v[] = {
        { "1", 1, UNITS_OK, 1024 },          { "2", 1, UNITS_OK, 2048 },
        { "1GB", 1, UNITS_OK, 1024 },        { "1 GiB", 1, UNITS_OK, 1024 },
        { "1G", 1, UNITS_OK, 1024 },         { "512M", 1, UNITS_OK, 512 },
        { "512MB", 1, UNITS_OK, 512 },       { "512MiB", 1, UNITS_OK, 512 },
        { "512 M", 1, UNITS_OK, 512 },       { "512\tMiB ", 1, UNITS_OK, 512 },
        { "512", 0, UNITS_BAD_UNIT, 0 },     { "1TB", 1, UNITS_BAD_UNIT, 0 },
        { "1K", 1, UNITS_BAD_UNIT, 0 },      { "1m", 1, UNITS_BAD_UNIT, 0 },
        { "1Mo", 1, UNITS_BAD_UNIT, 0 },     { "2GIB", 1, UNITS_BAD_UNIT, 0 },
        { "b32", 1, UNITS_FORMAT, 0 },       { "x", 1, UNITS_FORMAT, 0 },
        { "1.5G", 1, UNITS_FORMAT, 0 },      { "512 MB extra", 1, UNITS_FORMAT, 0 },
        { "", 1, UNITS_FORMAT, 0 },          { "0", 1, UNITS_NOT_POSITIVE, 0 },
        { "0M", 1, UNITS_NOT_POSITIVE, 0 },  { "-1", 1, UNITS_NOT_POSITIVE, 0 },
        { "-512M", 1, UNITS_NOT_POSITIVE, 0 }, { "16384", 1, UNITS_OK, 16777216 },
        { "16385", 1, UNITS_TOO_LARGE, 0 },  { "99999999999999G", 1, UNITS_TOO_LARGE, 0 },
    };
    unsigned long long mib;
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(v); i++) {
        int rc = units_parse_memory(v[i].in, v[i].plain, &mib);
        if (rc != v[i].rc)
            fail_msg("memory '%s': %d, expected %d", v[i].in, rc, v[i].rc);
        if (rc == UNITS_OK && mib != v[i].mib)
            fail_msg("memory '%s': %llu MiB, expected %llu", v[i].in, mib, v[i].mib);
    }
}

static void test_size(void **state)
{
    unsigned long long g;

    (void)state;
    assert_int_equal(units_parse_size_gib("70", &g), UNITS_OK);
    assert_int_equal(g, 70);
    assert_int_equal(units_parse_size_gib("0", &g), UNITS_NOT_POSITIVE);
    assert_int_equal(units_parse_size_gib("-3", &g), UNITS_NOT_POSITIVE);
    assert_int_equal(units_parse_size_gib("1.5", &g), UNITS_FORMAT);
    assert_int_equal(units_parse_size_gib("10G", &g), UNITS_FORMAT);
    assert_int_equal(units_parse_size_gib("1048577", &g), UNITS_TOO_LARGE);
    assert_int_equal(units_parse_size_gib("1048576", &g), UNITS_OK);
}

static void test_ipv4(void **state)
{
    uint32_t ip;
    unsigned p;
    char buf[IPV4_STRLEN];

    (void)state;
    assert_int_equal(ipv4_parse("10.0.0.1", &ip), IPV4_OK);
    assert_int_equal(ip, 0x0a000001u);
    ipv4_format(ip, buf);
    assert_string_equal(buf, "10.0.0.1");
    assert_int_equal(ipv4_parse("999.1.1.1", &ip), IPV4_INVALID);
    assert_int_equal(ipv4_parse("010.0.0.1", &ip), IPV4_INVALID);
    assert_int_equal(ipv4_parse(" 10.0.0.1", &ip), IPV4_INVALID);
    assert_int_equal(ipv4_parse("fd00::1", &ip), IPV4_IS_V6);
    assert_int_equal(ipv4_parse_cidr("10.0.0.1/24", &ip, &p), IPV4_OK);
    assert_int_equal(p, 24);
    assert_int_equal(ipv4_parse_cidr("10.0.0.1/255.255.0.0", &ip, &p), IPV4_OK);
    assert_int_equal(p, 16);
    assert_int_equal(ipv4_parse_cidr("10.0.0.1/0", &ip, &p), IPV4_OK);
    assert_int_equal(p, 0);
    assert_int_equal(ipv4_parse_cidr("10.0.0.1", &ip, &p), IPV4_NO_PREFIX);
    assert_int_equal(ipv4_parse_cidr("10.0.0.1/33", &ip, &p), IPV4_BAD_MASK);
    assert_int_equal(ipv4_parse_cidr("10.0.0.1/2x", &ip, &p), IPV4_BAD_MASK);
    assert_int_equal(ipv4_parse_cidr("10.0.0.1/", &ip, &p), IPV4_BAD_MASK);
    assert_int_equal(ipv4_parse_cidr("10.0.0.1/255.0.255.0", &ip, &p), IPV4_BAD_MASK);
    assert_int_equal(ipv4_parse_cidr("fd00::1/64", &ip, &p), IPV4_IS_V6);
    assert_int_equal(ipv4_parse_cidr("10/8", &ip, &p), IPV4_INVALID);
    assert_int_equal(ipv4_parse_netmask("255.255.255.252", &p), IPV4_OK);
    assert_int_equal(p, 30);
    assert_int_equal(ipv4_parse_netmask("0.0.0.0", &p), IPV4_OK);
    assert_int_equal(p, 0);
    assert_true(ipv4_is_host(0x0a000001u, 0x0a000000u, 24));
    assert_false(ipv4_is_host(0x0a000000u, 0x0a000001u, 24));
    assert_false(ipv4_is_host(0x0a0000ffu, 0x0a000001u, 24));
    assert_false(ipv4_is_host(0x0a000101u, 0x0a000001u, 24));
    assert_true(ipv4_subnets_overlap(0x0a000001u, 16, 0x0a000501u, 24));
    assert_false(ipv4_subnets_overlap(0x0a000001u, 24, 0x0a000101u, 24));
}

static void test_one_edit(void **state)
{
    (void)state;
    assert_true(str_one_edit_apart("adress", "address"));
    assert_true(str_one_edit_apart("address", "adress"));
    assert_true(str_one_edit_apart("grpahics", "graphics"));
    assert_true(str_one_edit_apart("cpus", "cpu"));
    assert_true(str_one_edit_apart("memery", "memory"));
    assert_false(str_one_edit_apart("memory", "memory"));
    assert_false(str_one_edit_apart("mem", "memory"));
    assert_false(str_one_edit_apart("xyz", "cpu"));
}

/* Text passed on from elsewhere (QEMU's stderr) may hold line breaks: a
 * cb_error message is one line whatever it holds. */
static void test_error_one_line(void **state)
{
    static const struct { const char *in, *out; } cases[] = {
        { "plain", "plain" },
        { "ends with a newline\n", "ends with a newline" },
        { "a\nb", "a | b" },
        { "crlf: a\r\nb\r\n", "crlf: a | b" },
        { "spaces  \n   around\n\n\nand blank lines", "spaces | around | and blank lines" },
        { "\n", "" },
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(err_set(CB_ELIBVIRT, "%s", cases[i].in), CB_ELIBVIRT);
        assert_string_equal(cb_error_last()->message, cases[i].out);
    }
    err_set_at(CB_ECONFIG, "f.yaml", 2, 3, "x\ny");
    assert_string_equal(cb_error_last()->message, "f.yaml:2:3: x | y");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mac_vectors), cmocka_unit_test(test_mac_syntax),
        cmocka_unit_test(test_cpu),         cmocka_unit_test(test_memory),
        cmocka_unit_test(test_size),        cmocka_unit_test(test_ipv4),
        cmocka_unit_test(test_one_edit),    cmocka_unit_test(test_error_one_line),
    };
    return cmocka_run_group_tests_name("values", tests, NULL, NULL);
}
