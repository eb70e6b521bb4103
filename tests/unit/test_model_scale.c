/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_model_scale.c: testbeds of thousands of domains (tests/data/scale/
 * gen.sh, the benchmark's generator) open, look up by name, and report
 * duplicates as small ones do; a generated MAC that collides is derived
 * anew, deterministically. No timing: speed is the benchmark's business.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/mac.h"
#include "model/model.h"
#include "test_helpers.h"
#include "util/util.h"

/* gen.sh N: the testbed text (free it). */
static char *gen(unsigned n)
{
    const char *src = getenv("CB_TEST_SRCDIR");
    char cmd[4096], *out = NULL;
    size_t len = 0, cap = 0, got;
    FILE *p;

    assert_non_null(src);
    snprintf(cmd, sizeof(cmd), "sh '%s/data/scale/gen.sh' %u", src, n);
    assert_non_null(p = popen(cmd, "r"));
    do {
        if (cap - len < 65536) {
            cap = cap ? cap * 2 : 1 << 20;
            assert_non_null(out = realloc(out, cap));
        }
        got = fread(out + len, 1, cap - len - 1, p);
        len += got;
    } while (got);
    assert_int_equal(pclose(p), 0);
    out[len] = '\0';
    return out;
}

/* TEXT with INSERT put before the first occurrence of BEFORE. */
static char *insert_before(const char *text, const char *before, const char *insert)
{
    const char *at = strstr(text, before);
    size_t head, il = strlen(insert);
    char *out;

    assert_non_null(at);
    head = (size_t)(at - text);
    assert_non_null(out = malloc(strlen(text) + il + 1));
    memcpy(out, text, head);
    memcpy(out + head, insert, il);
    strcpy(out + head + il, at);
    return out;
}

static char *append(const char *text, const char *tail)
{
    return str_printf("%s%s", text, tail);
}

static int open_text(cb_testbed **tb, const char *text, struct th_log *log)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;

    opts.user = "tester";
    if (log) {
        opts.log_cb = th_log_cb;
        opts.log_payload = log;
    }
    *tb = NULL;
    return cb_testbed_open_memory(tb, text, strlen(text), "scale.yaml", "/tmp", &opts);
}

/* The gen.sh file of N domains: the line of domain I and of network K. */
static int domain_line(unsigned n, unsigned i)
{
    return 2 + (int)n + 1 + (int)(n / 50 + 1) + 1 + (int)i + 1;
}

static int volume_line(unsigned i)
{
    return 3 + (int)i;
}

static void test_open_5000(void **state)
{
    char *text = gen(5000), *xml = NULL;
    cb_testbed *tb;
    const char *p, *prev;
    size_t i;

    (void)state;
    assert_int_equal(open_text(&tb, text, NULL), 0);
    assert_int_equal(cb_testbed_domain_count(tb), 5000);
    assert_int_equal(cb_testbed_storage_volume_count(tb), 5000);
    assert_int_equal(cb_testbed_network_count(tb), 101);
    /* Every lookup by name finds what the index-based accessors give. */
    for (i = 0; i < cb_testbed_domain_count(tb); i++) {
        cb_domain *d = cb_testbed_domain_at(tb, i);
        assert_ptr_equal(cb_testbed_domain(tb, cb_domain_name(d)), d);
        assert_ptr_equal(model_domain_by_libvirt_name(d->m, cb_domain_libvirt_name(d)), d);
    }
    for (i = 0; i < cb_testbed_storage_volume_count(tb); i++) {
        cb_storage_volume *v = cb_testbed_storage_volume_at(tb, i);
        assert_ptr_equal(cb_testbed_storage_volume(tb, cb_storage_volume_name(v)), v);
    }
    for (i = 0; i < cb_testbed_network_count(tb); i++) {
        cb_network *n = cb_testbed_network_at(tb, i);
        assert_ptr_equal(cb_testbed_network(tb, cb_network_name(n)), n);
    }
    assert_ptr_equal(cb_testbed_storage_pool(tb, "pool"), cb_testbed_storage_pool_at(tb, 0));
    assert_string_equal(cb_domain_name(cb_testbed_domain(tb, "d4999")), "d4999");
    assert_string_equal(cb_storage_volume_name(cb_testbed_storage_volume(tb, "v0")), "v0");
    assert_string_equal(cb_domain_libvirt_name(cb_testbed_domain(tb, "d17")), "tester:gen5000:d17");
    assert_ptr_equal(cb_testbed_domain(tb, "d5000"), NULL);
    assert_int_equal(cb_error_last()->code, CB_ENOTFOUND);
    assert_string_equal(cb_error_last()->message, "domain d5000 not found in configuration");
    assert_ptr_equal(cb_testbed_storage_volume(tb, "d1"), NULL);
    assert_string_equal(cb_error_last()->message, "storage volume d1 not found in configuration");
    assert_ptr_equal(model_domain_by_libvirt_name(cb_testbed_domain(tb, "d1")->m, "d1"), NULL);
    /* n0's static hosts: d0 to d49, in file order. */
    assert_int_equal(cb_network_get_xml(&xml, cb_testbed_network(tb, "n0"), 0), 0);
    prev = xml;
    for (i = 0; i < 50; i++) {
        char host[96];
        snprintf(host, sizeof(host), "name=\"d%zu\" ip=\"10.0.0.%zu\"/>", i, i + 10);
        assert_non_null(p = strstr(xml, host));
        assert_true(p >= prev);
        prev = p;
    }
    assert_null(strstr(xml, "name=\"d50\""));
    free(xml);
    cb_testbed_free(tb);
    free(text);
}

/* Each kind of duplicate, at 5000 domains: the messages and locations of
 * the all-pairs checks (test_config.c has the same at 3 domains). */
static void test_duplicates_5000(void **state)
{
    const unsigned n = 5000;
    char *text = gen(n), *bad, *want;
    const int after = domain_line(n, n); /* the first appended line */
    const int net_end = domain_line(n, 0) - 1; /* "domains:" */
    struct {
        char *text;
        char *message;
        int line, column;
    } cases[7];
    size_t i;

    (void)state;
    cases[0].text = append(text, "  - {name: d17, cpu: 1, memory: 1, netifs: [], disks: []}\n");
    cases[0].message = str_printf("duplicate domain name d17 (first defined at line %d)",
                                  domain_line(n, 17));
    cases[0].line = after;
    cases[0].column = 5;
    cases[1].text = append(text, "  - {name: dx, cpu: 1, memory: 1, netifs: [], "
                                 "disks: [{device: vda, name: v17, size: 1}]}\n");
    cases[1].message = str_printf("duplicate storage volume name v17 (first defined at line %d)",
                                  volume_line(17));
    cases[1].line = after;
    cases[1].column = 55;
    cases[2].text = insert_before(text, "domains:\n", "  - {name: n3}\n");
    cases[2].message = str_printf("duplicate network name n3 (first defined at line %d)",
                                  net_end - 101 + 3);
    cases[2].line = net_end;
    cases[2].column = 5;
    cases[3].text = append(text, "  - {name: dy, cpu: 1, memory: 1, disks: [], "
                                 "netifs: [{network: n0, ip: 10.0.0.10}]}\n");
    cases[3].message = str_dup("ip 10.0.0.10 of netif 0 of domain dy is already given to "
                               "netif 0 of domain d0");
    cases[3].line = after;
    cases[3].column = 73;
    cases[4].text = append(text, "  - {name: dm1, cpu: 1, memory: 1, disks: [], "
                                 "netifs: [{network: n0, mac: '52:54:00:00:00:01'}]}\n"
                                 "  - {name: dm2, cpu: 1, memory: 1, disks: [], "
                                 "netifs: [{network: n0, mac: '52:54:00:00:00:01'}]}\n");
    cases[4].message = str_dup("mac 52:54:00:00:00:01 of netif 0 of domain dm2 is already used "
                               "by netif 0 of domain dm1");
    cases[4].line = after + 1;
    cases[4].column = 75;
    cases[5].text = append(text, "  - {name: d-17, cpu: 1, memory: 1, netifs: [], disks: []}\n");
    cases[5].message = str_printf("domain names d-17 and d17 (line %d) give the same template "
                                  "variables domain.NAME.* (hyphens are dropped): rename one",
                                  domain_line(n, 17));
    cases[5].line = after;
    cases[5].column = 5;
    cases[6].text = insert_before(text, "networks:\n", "  - {name: v-17, size: 1}\n");
    cases[6].message = str_printf("storage volume names v-17 and v17 (line %d) give the same "
                                  "template variables storagevolume.NAME.*", volume_line(17));
    cases[6].line = volume_line(n);
    cases[6].column = 5;
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        cb_testbed *tb;
        const cb_error *e;
        bad = cases[i].text;
        want = cases[i].message;
        assert_int_equal(open_text(&tb, bad, NULL), CB_ECONFIG);
        e = cb_error_last();
        if (!strstr(e->message, want) || e->line != cases[i].line || e->column != cases[i].column)
            fail_msg("case %zu: got %s (%d:%d), want %s (%d:%d)", i, e->message, e->line,
                     e->column, want, cases[i].line, cases[i].column);
        free(bad);
        free(want);
    }
    free(text);
}

/* The MAC of netif I of domain NAME. */
static const char *mac_of(cb_testbed *tb, const char *name, size_t i)
{
    cb_domain *d = cb_testbed_domain(tb, name);

    assert_non_null(d);
    assert_true(i < d->netifs.n);
    return d->netifs.v[i].mac;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* gen.sh 5451 is the smallest generated testbed whose original MACs
 * collide (a throw-away search over sha1("dI-nK")): d5450 on n109 and d3388
 * on n67 both give 00:16:3e:37:9f:fe. The original refused the file. */
static void test_mac_collision_derived(void **state)
{
    char *text = gen(5451), **macs;
    struct th_log log = { "", 0 };
    cb_testbed *tb, *again;
    size_t i, n;

    (void)state;
    assert_int_equal(open_text(&tb, text, &log), 0);
    assert_string_equal(mac_of(tb, "d3388", 0), "00:16:3e:37:9f:fe");
    assert_string_equal(mac_of(tb, "d5450", 0), "00:16:3e:c1:08:47"); /* sha1("d5450-n109#1") */
    assert_non_null(strstr(log.text, "mac of netif 0 of domain d5450 is 00:16:3e:c1:08:47, "
                                     "derived: the original's 00:16:3e:37:9f:fe is taken by "
                                     "netif 0 of domain d3388\n"));
    assert_int_equal(log.warnings, 0);
    /* Every other netif keeps the original's MAC; all are distinct. */
    n = cb_testbed_domain_count(tb);
    assert_non_null(macs = calloc(n, sizeof(*macs)));
    for (i = 0; i < n; i++) {
        cb_domain *d = cb_testbed_domain_at(tb, i);
        char orig[MAC_STRLEN];
        mac_generate(NULL, d->name, d->netifs.v[0].net->name, orig);
        if (strcmp(d->name, "d5450") != 0)
            assert_string_equal(d->netifs.v[0].mac, orig);
        macs[i] = d->netifs.v[0].mac;
    }
    qsort(macs, n, sizeof(*macs), cmp_str);
    for (i = 1; i < n; i++)
        assert_string_not_equal(macs[i - 1], macs[i]);
    free(macs);
    /* Deterministic: the same file gives the same MACs. */
    assert_int_equal(open_text(&again, text, NULL), 0);
    for (i = 0; i < n; i++)
        assert_string_equal(cb_testbed_domain_at(tb, i)->netifs.v[0].mac,
                            cb_testbed_domain_at(again, i)->netifs.v[0].mac);
    cb_testbed_free(again);
    cb_testbed_free(tb);
    free(text);
}

#define SMALL_NET "testbed: tb\nnetworks:\n  - {name: net, address: 10.0.0.1/24}\ndomains:\n"
#define SMALL_DOM "    cpu: 1\n    memory: 1\n    disks: []\n"

/* Two netifs of one domain on one network always collided: attempt 0 and 1. */
static void test_two_netifs_one_network(void **state)
{
    cb_testbed *tb;

    (void)state;
    assert_int_equal(open_text(&tb, SMALL_NET "  - name: vm\n" SMALL_DOM
                                  "    netifs: [{network: net}, {network: net}]\n", NULL), 0);
    assert_string_equal(mac_of(tb, "vm", 0), "00:16:3e:23:ce:a6");  /* sha1("vm-net") */
    assert_string_equal(mac_of(tb, "vm", 1), "00:16:3e:87:6f:24");  /* sha1("vm-net#1") */
    cb_testbed_free(tb);
}

/* A generated MAC equal to a later explicit one moves; the explicit stays. */
static void test_explicit_mac_wins(void **state)
{
    cb_testbed *tb;

    (void)state;
    assert_int_equal(open_text(&tb, SMALL_NET "  - name: a\n" SMALL_DOM
                                  "    netifs: [{network: net}]\n"
                                  "  - name: b\n" SMALL_DOM
                                  "    netifs: [{network: net, mac: '00:16:3E:59:72:5B'}]\n", NULL),
                     0);
    assert_string_equal(mac_of(tb, "a", 0), "00:16:3e:77:0f:7d");   /* sha1("a-net#1") */
    assert_string_equal(mac_of(tb, "b", 0), "00:16:3E:59:72:5B");   /* sha1("a-net"), upper case */
    cb_testbed_free(tb);
}

static void test_mac_derive(void **state)
{
    char mac[MAC_STRLEN], orig[MAC_STRLEN];

    (void)state;
    mac_generate(NULL, "node-1", "admin-net", orig);
    mac_derive(NULL, "node-1", "admin-net", 0, mac);
    assert_string_equal(mac, orig);
    assert_string_equal(mac, "00:16:3e:3f:0d:07");
    mac_derive("ci7", "vm", "net", 0, mac);
    assert_string_equal(mac, "00:16:3e:00:77:b1");                   /* sha1("ci7/vm-net") */
    mac_derive(NULL, "vm", "net", 1, mac);
    assert_string_equal(mac, "00:16:3e:87:6f:24");
}

/* A backing chain of 5000 volumes opens; closing it into a loop is reported
 * on the first volume of the file whose chain loops. */
static void test_backing_chain_5000(void **state)
{
    GString *s = g_string_new("testbed: tb\nnetworks: []\ndomains: []\nstoragevolumes:\n");
    cb_testbed *tb;
    char *loop;
    unsigned i;

    (void)state;
    g_string_append(s, "  - {name: v0, size: 1}\n");
    for (i = 1; i < 5000; i++)
        g_string_append_printf(s, "  - {name: v%u, size: 1, backing: v%u}\n", i, i - 1);
    assert_int_equal(open_text(&tb, s->str, NULL), 0);
    assert_ptr_equal(cb_testbed_storage_volume(tb, "v4999")->backing,
                     cb_testbed_storage_volume(tb, "v4998"));
    cb_testbed_free(tb);
    loop = th_replace(s->str, "{name: v0, size: 1}", "{name: v0, size: 1, backing: v4999}");
    assert_int_equal(open_text(&tb, loop, NULL), CB_ECONFIG);
    assert_string_equal(cb_error_last()->message,
                        "scale.yaml:5:34: backing chain of storage volume v0 loops back on itself");
    free(loop);
    g_string_free(s, TRUE);
}

/* Network overlaps against the all-pairs rule they replace: the first
 * network in file order that overlaps an earlier one, named with the
 * earliest it overlaps. Random subnets of 10.0.0.0/8, small prefixes
 * included so that nesting is frequent. */
static void test_network_overlaps(void **state)
{
    uint32_t seed = 12345;
    unsigned trial, overlapping = 0;

    (void)state;
    for (trial = 0; trial < 300; trial++) {
        GString *s = g_string_new("testbed: tb\ndomains: []\nnetworks:\n");
        uint32_t ip[8];
        unsigned prefix[8], k, count = 2 + trial % 7, i, j;
        int want_i = -1, want_j = -1;
        cb_testbed *tb;

        for (k = 0; k < count; k++) {
            seed = seed * 1103515245u + 12345u;
            prefix[k] = 9 + (seed >> 16) % 20;                   /* /9 to /28 */
            seed = seed * 1103515245u + 12345u;
            /* few distinct high bits, so that blocks nest and repeat */
            ip[k] = (10u << 24) | ((seed >> 8) & 0x00c0c000u) | 1u;
            g_string_append_printf(s, "  - {name: n%u, address: %u.%u.%u.%u/%u}\n", k,
                                   ip[k] >> 24, (ip[k] >> 16) & 255, (ip[k] >> 8) & 255,
                                   ip[k] & 255, prefix[k]);
        }
        for (i = 0; i < count && want_i < 0; i++)
            for (j = 0; j < i; j++) {
                unsigned p = prefix[i] < prefix[j] ? prefix[i] : prefix[j];
                uint32_t mask = p ? ~0u << (32 - p) : 0;
                if ((ip[i] & mask) == (ip[j] & mask)) {
                    want_i = (int)i;
                    want_j = (int)j;
                    break;
                }
            }
        if (want_i < 0) {
            assert_int_equal(open_text(&tb, s->str, NULL), 0);
            cb_testbed_free(tb);
        } else {
            char *want = str_printf("of network n%d overlaps address ", want_i);
            char *other = str_printf("of network n%d", want_j);
            assert_int_equal(open_text(&tb, s->str, NULL), CB_ECONFIG);
            assert_non_null(strstr(cb_error_last()->message, want));
            assert_non_null(strstr(strstr(cb_error_last()->message, want) + strlen(want), other));
            assert_int_equal(cb_error_last()->line, 4 + want_i);
            overlapping++;
            free(want);
            free(other);
        }
        g_string_free(s, TRUE);
    }
    /* Both outcomes, many times each. */
    assert_in_range(overlapping, 50, 250);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_5000),
        cmocka_unit_test(test_duplicates_5000),
        cmocka_unit_test(test_mac_collision_derived),
        cmocka_unit_test(test_two_netifs_one_network),
        cmocka_unit_test(test_explicit_mac_wins),
        cmocka_unit_test(test_mac_derive),
        cmocka_unit_test(test_backing_chain_5000),
        cmocka_unit_test(test_network_overlaps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
