/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_xml_golden.c: the libvirt XML of every resource of the fixtures in
 * tests/data/ against tests/golden/, and the cloud-init seeds' files of
 * the fixture "cloudinit". The testbed directory is written @DIR@.
 *
 * CB_UPDATE_GOLDEN=1 rewrites the golden files instead (review the diff).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "model/seed.h"
#include "render/render.h"
#include "test_helpers.h"

struct golden_case {
    const char *fixture;
    const char *virt_type;
};

static const char *data_dir(void)
{
    const char *d = getenv("CB_TEST_SRCDIR");
    return d ? d : ".";
}

static void compare(const char *fixture, const char *tb_dir, const char *file, char *xml)
{
    char *golden_path, *expected, *actual = th_replace(xml, tb_dir, "@DIR@");

    if (asprintf(&golden_path, "%s/golden/%s/%s", data_dir(), fixture, file) < 0)
        abort();
    if (getenv("CB_UPDATE_GOLDEN")) {
        char *dir;
        FILE *f;
        if (asprintf(&dir, "%s/golden/%s", data_dir(), fixture) < 0)
            abort();
        mkdir(dir, 0755);
        free(dir);
        f = fopen(golden_path, "w");
        assert_non_null(f);
        fputs(actual, f);
        fclose(f);
    }
    expected = th_read(golden_path);
    if (!expected)
        fail_msg("missing golden file %s", golden_path);
    if (strcmp(expected, actual) != 0)
        fail_msg("%s differs from its golden file %s; rendered:\n%s", file, golden_path, actual);
    free(expected);
    free(actual);
    free(golden_path);
    free(xml);
}

/* The fixture's testbed, as user "tester"; VIRT_TYPE may be NULL. */
static cb_testbed *open_fixture(const char *fixture, const char *virt_type)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    cb_testbed *tb = NULL;
    char *yaml;

    opts.user = "tester";
    opts.virt_type = virt_type;
    if (asprintf(&yaml, "%s/data/%s/cloubed.yaml", data_dir(), fixture) < 0)
        abort();
    if (cb_testbed_open(&tb, yaml, &opts) < 0)
        fail_msg("%s: %s", yaml, cb_error_last()->message);
    free(yaml);
    return tb;
}

static void test_golden(void **state)
{
    const struct golden_case *gc = *state;
    cb_testbed *tb = open_fixture(gc->fixture, gc->virt_type);
    char *xml, file[256];
    size_t i;

    for (i = 0; i < cb_testbed_domain_count(tb); i++) {
        cb_domain *d = cb_testbed_domain_at(tb, i);
        snprintf(file, sizeof(file), "domain-%s.%s.xml", cb_domain_name(d), gc->virt_type);
        cb_domain_get_xml(&xml, d, 0);
            compare(gc->fixture, cb_testbed_directory(tb), file, xml);
    }
    /* Networks, pools and volumes do not depend on the domain type. */
    if (strcmp(gc->virt_type, "qemu") == 0) {
        for (i = 0; i < cb_testbed_network_count(tb); i++) {
            cb_network *n = cb_testbed_network_at(tb, i);
            snprintf(file, sizeof(file), "network-%s.xml", cb_network_name(n));
            cb_network_get_xml(&xml, n, 0);
            compare(gc->fixture, cb_testbed_directory(tb), file, xml);
        }
        for (i = 0; i < cb_testbed_storage_pool_count(tb); i++) {
            cb_storage_pool *p = cb_testbed_storage_pool_at(tb, i);
            snprintf(file, sizeof(file), "pool-%s.xml", cb_storage_pool_name(p));
            cb_storage_pool_get_xml(&xml, p, 0);
            compare(gc->fixture, cb_testbed_directory(tb), file, xml);
        }
        for (i = 0; i < cb_testbed_storage_volume_count(tb); i++) {
            cb_storage_volume *v = cb_testbed_storage_volume_at(tb, i);
            snprintf(file, sizeof(file), "volume-%s.xml", cb_storage_volume_name(v));
            cb_storage_volume_get_xml(&xml, v, 0);
            compare(gc->fixture, cb_testbed_directory(tb), file, xml);
        }
    }
    cb_testbed_free(tb);
}

/* The files of every seed, with the networks' addresses from the model
 * and a fixed key in place of the testbed's. */
static void test_seed_golden(void **state)
{
    static const char pubkey[] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITESTBEDKEY cloubed@ci";
    cb_testbed *tb = open_fixture("cloudinit", NULL);
    char file[256];
    size_t i, j;

    (void)state;
    for (i = 0; i < cb_testbed_domain_count(tb); i++) {
        cb_domain *d = cb_testbed_domain_at(tb, i);
        struct seed_net nets[8] = { { 0 } };
        struct seed_files f;
        assert_non_null(d->ci);
        for (j = 0; j < d->netifs.n; j++)
            nets[j] = (struct seed_net){ d->netifs.v[j].net->has_ip, d->netifs.v[j].net->ip,
                                         d->netifs.v[j].net->prefix };
        assert_int_equal(seed_build(&f, d, nets, pubkey), 0);
        snprintf(file, sizeof(file), "seed-%s.meta-data", d->name);
        compare("cloudinit", cb_testbed_directory(tb), file, strdup(f.meta_data));
        snprintf(file, sizeof(file), "seed-%s.user-data", d->name);
        compare("cloudinit", cb_testbed_directory(tb), file, strdup(f.user_data));
        snprintf(file, sizeof(file), "seed-%s.network-config", d->name);
        compare("cloudinit", cb_testbed_directory(tb), file, strdup(f.network_config));
        seed_files_free(&f);
    }
    cb_testbed_free(tb);
}

/* Fixture "dns": the networks' XML has a DNS host for each static netif
 * (golden files); a DHCP-only netif and a name libvirt refuses have none,
 * and an address auto network's hosts are in the subnet it took. */
static void test_dns_hosts(void **state)
{
    cb_testbed *tb = open_fixture("dns", NULL);
    struct net_addr a = { .ip = 0x0ad50701, .prefix = 24, .known = true }; /* 10.213.7.1/24 */
    char *xml;
    size_t i;

    (void)state;
    for (i = 0; i < cb_testbed_network_count(tb); i++) {
        cb_network *n = cb_testbed_network_at(tb, i);
        assert_int_equal(cb_network_get_xml(&xml, n, 0), 0);
        assert_null(strstr(xml, "client"));
        assert_null(strstr(xml, "3rd"));
        assert_non_null(strstr(xml, "<hostname>web</hostname>"));
        free(xml);
    }
    xml = render_network_xml(cb_testbed_network(tb, "auto"), &a);
    assert_non_null(xml);
    compare("dns", cb_testbed_directory(tb), "network-auto.created.xml", xml);
    cb_testbed_free(tb);
}

int main(void)
{
    static const struct golden_case cases[] = {
        { "full", "qemu" },
        { "full", "kvm" },
        { "debian10-backing", "qemu" },
        { "cloudinit", "qemu" },
        { "dns", "qemu" },
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_golden, (void *)&cases[0]),
        cmocka_unit_test_prestate(test_golden, (void *)&cases[1]),
        cmocka_unit_test_prestate(test_golden, (void *)&cases[2]),
        cmocka_unit_test_prestate(test_golden, (void *)&cases[3]),
        cmocka_unit_test_prestate(test_golden, (void *)&cases[4]),
        cmocka_unit_test(test_dns_hosts),
        cmocka_unit_test(test_seed_golden),
    };
    return cmocka_run_group_tests_name("golden XML", tests, NULL, NULL);
}
