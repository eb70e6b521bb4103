/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_seed.c: cloud-init seeds (model/seed.c, render/seed_iso.c) and
 * `source:` volumes (model/image.c), on the internal model: the
 * network-config derived from netifs, the instance-id rule, the ISO image,
 * where a relative source is looked for. The seeds' whole files are golden
 * (test_xml_golden.c); the messages are yaml-cases'.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/seed.h"
#include "render/render.h"
#include "test_helpers.h"

static const char key[] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITESTKEY t@h";

/* Opens YAML (written in a fresh directory, with a raw image "img.raw"). */
static cb_testbed *open_yaml(const char *yaml, char **dir)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    cb_testbed *tb = NULL;
    char *path;

    *dir = th_mkdtemp();
    free(th_write(*dir, "img.raw", "raw", 3));
    path = th_write(*dir, "cloubed.yaml", yaml, strlen(yaml));
    opts.user = "tester";
    if (cb_testbed_open(&tb, path, &opts) < 0)
        fail_msg("%s", cb_error_last()->message);
    free(path);
    return tb;
}

static void close_tb(cb_testbed *tb, char *dir)
{
    cb_testbed_free(tb);
    th_rmtree(dir);
    free(dir);
}

/* The network's address as the model has it (fixed addresses). */
static void model_nets(const cb_domain *d, struct seed_net *nets)
{
    size_t i;

    for (i = 0; i < d->netifs.n; i++)
        nets[i] = (struct seed_net){ d->netifs.v[i].net->has_ip, d->netifs.v[i].net->ip,
                                     d->netifs.v[i].net->prefix };
}

#define NETS                                                                          \
    "networks:\n"                                                                     \
    "  - {name: out, forward: nat, address: 10.1.0.1/24}\n"                           \
    "  - {name: out2, forward: nat, address: 10.2.0.1/16}\n"                          \
    "  - {name: iso, address: 10.3.0.1/24, dhcp: {start: 10.3.0.10, end: 10.3.0.20}}\n" \
    "  - {name: auto, address: auto}\n"

static void test_network_config_from_netifs(void **state)
{
    char *dir;
    cb_testbed *tb = open_yaml("testbed: t\n" NETS
                               "domains:\n  - name: vm\n    cpu: 1\n    memory: 64M\n    disks: []\n"
                               "    netifs:\n"
                               "      - {network: iso}\n"
                               "      - {network: out, ip: 10.1.0.5, mac: '52:54:00:00:00:01'}\n"
                               "      - {network: out2, ip: 10.2.3.4}\n"
                               "      - {network: auto, ip: .7}\n"
                               "    cloudinit: {}\n", &dir);
    cb_domain *d = cb_testbed_domain(tb, "vm");
    struct seed_net nets[4];
    struct seed_files f;
    const char *s;

    (void)state;
    model_nets(d, nets);
    nets[3] = (struct seed_net){ true, 0x0a090001, 24 }; /* auto: chosen 10.9.0.1/24 */
    assert_int_equal(seed_build(&f, d, nets, key), 0);
    s = f.network_config;
    assert_true(strncmp(s, "version: 2\nethernets:\n", 22) == 0);
    /* no ip: DHCP, matched by MAC (quoted: PyYAML reads 52:54:... as base 60) */
    assert_non_null(strstr(s, "  nic0:\n    match:\n      macaddress: '"));
    assert_non_null(strstr(s, "'\n    dhcp4: true\n  nic1:"));
    /* static ip with its network's prefix, a default route through the
     * first network that forwards only, DNS at each network's address */
    assert_non_null(strstr(s, "  nic1:\n    match:\n      macaddress: '52:54:00:00:00:01'\n"
                              "    addresses:\n    - '10.1.0.5/24'\n    routes:\n"
                              "    - to: '0.0.0.0/0'\n      via: '10.1.0.1'\n"
                              "    nameservers:\n      addresses:\n      - '10.1.0.1'\n"));
    assert_non_null(strstr(s, "    addresses:\n    - '10.2.3.4/16'\n    nameservers:\n"
                              "      addresses:\n      - '10.2.0.1'\n"));
    /* `ip: .7` on an `address: auto` network: in the subnet chosen at creation */
    assert_non_null(strstr(s, "    - '10.9.0.7/24'\n"));
    assert_null(strstr(strstr(s, "routes:") + 1, "routes:"));
    seed_files_free(&f);
    close_tb(tb, dir);
}

static void test_no_netifs_no_network_config(void **state)
{
    char *dir;
    cb_testbed *tb = open_yaml("testbed: t\nnetworks: []\ndomains:\n  - name: vm\n    cpu: 1\n"
                               "    memory: 64M\n    disks: []\n    netifs: []\n    cloudinit: {}\n",
                               &dir);
    struct seed_files f;

    (void)state;
    assert_int_equal(seed_build(&f, cb_testbed_domain(tb, "vm"), NULL, NULL), 0);
    assert_null(f.network_config);
    /* no key at all: the user is made, without keys */
    assert_null(strstr(f.user_data, "ssh_authorized_keys"));
    assert_null(strstr(f.meta_data, "public-keys"));
    assert_non_null(strstr(f.user_data, "- name: 'cloubed'\n"));
    assert_string_equal(cb_domain_ssh_user(cb_testbed_domain(tb, "vm")), "cloubed");
    seed_files_free(&f);
    close_tb(tb, dir);
}

/* The instance id follows the content: equal seeds, equal ids; any change
 * (a key, meta_data, user_data, network-config) a new id. */
static void test_instance_id_rule(void **state)
{
    static const char *const variants[] = {
        "    cloudinit: {user_data: {runcmd: [a]}}\n",
        "    cloudinit: {user_data: {runcmd: [b]}}\n",
        "    cloudinit: {user_data: {runcmd: [a]}, meta_data: {z: 1}}\n",
        "    cloudinit: {user_data: {runcmd: [a]}, network_config: {version: 2}}\n",
        "    cloudinit: {user_data: {runcmd: [a]}, ssh_authorized_keys: [k]}\n",
    };
    char ids[6][32];
    size_t i, j;

    (void)state;
    for (i = 0; i < 6; i++) {
        char *dir, *yaml;
        cb_testbed *tb;
        struct seed_net net[1];
        struct seed_files f, again;
        cb_domain *d;
        if (asprintf(&yaml, "testbed: t\n" NETS "domains:\n  - name: vm\n    cpu: 1\n"
                            "    memory: 64M\n    disks: []\n    netifs: [{network: out}]\n%s",
                     variants[i < 5 ? i : 0]) < 0)
            abort();
        tb = open_yaml(yaml, &dir);
        d = cb_testbed_domain(tb, "vm");
        model_nets(d, net);
        /* the sixth: the first with another testbed key */
        assert_int_equal(seed_build(&f, d, net, i < 5 ? key : "ssh-ed25519 OTHER x@y"), 0);
        assert_int_equal(seed_build(&again, d, net, i < 5 ? key : "ssh-ed25519 OTHER x@y"), 0);
        assert_string_equal(f.instance_id, again.instance_id);  /* stable */
        assert_string_equal(f.meta_data, again.meta_data);
        assert_int_equal(strlen(f.instance_id), 8 + 16);
        assert_true(strncmp(f.instance_id, "cloubed-", 8) == 0);
        assert_true(strncmp(f.meta_data, "instance-id: 'cloubed-", 22) == 0);
        strcpy(ids[i], f.instance_id);
        seed_files_free(&f);
        seed_files_free(&again);
        close_tb(tb, dir);
        free(yaml);
    }
    for (i = 0; i < 6; i++)
        for (j = i + 1; j < 6; j++)
            if (strcmp(ids[i], ids[j]) == 0)
                fail_msg("variants %zu and %zu have the same instance id %s", i, j, ids[i]);
}

/* The ISO9660 image: volume id "cidata" in the primary descriptor (sector
 * 16), a Joliet descriptor after it, and the files' bytes. */
static void test_iso_image(void **state)
{
    struct seed_files f = { (char *)"instance-id: 'x'\n", (char *)"#cloud-config\n",
                            (char *)"version: 2\n", "x" };
    unsigned char *iso;
    size_t len, s;
    bool joliet = false;

    (void)state;
    assert_int_equal(render_seed_iso(&iso, &len, &f), 0);
    assert_true(len >= 18 * 2048 && len % 2048 == 0);
    assert_int_equal(iso[16 * 2048], 1);
    assert_memory_equal(iso + 16 * 2048 + 1, "CD001", 5);
    assert_memory_equal(iso + 16 * 2048 + 40, "cidata ", 7);
    for (s = 17; s < 32 && iso[s * 2048] != 255; s++)
        if (iso[s * 2048] == 2 && iso[s * 2048 + 88] == '%') /* escape sequence: UCS-2 */
            joliet = true;
    assert_true(joliet);
    assert_non_null(memmem(iso, len, "instance-id: 'x'\n", 17));
    assert_non_null(memmem(iso, len, "#cloud-config\n", 14));
    assert_non_null(memmem(iso, len, "network-config", 14)); /* a Rock Ridge name */
    free(iso);
    f.network_config = NULL;                                 /* none: two files */
    assert_int_equal(render_seed_iso(&iso, &len, &f), 0);
    assert_null(memmem(iso, len, "network-config", 14));
    free(iso);
}

/* A relative source is the testbed file's directory's, not the process's. */
static void test_source_relative(void **state)
{
    char *dir, *expected;
    cb_testbed *tb = open_yaml("testbed: t\nnetworks: []\ndomains: []\nstoragevolumes:\n"
                               "  - {name: v, source: ./img.raw, size: 2}\n", &dir);
    cb_storage_volume *v = cb_testbed_storage_volume(tb, "v");

    (void)state;
    if (asprintf(&expected, "%s/./img.raw", dir) < 0)
        abort();
    assert_string_equal(v->source, expected);
    assert_int_equal(v->source_format, VOL_RAW);
    assert_int_equal(v->source_vsize, 3);
    assert_true(v->size_given);
    free(expected);
    close_tb(tb, dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_network_config_from_netifs),
        cmocka_unit_test(test_no_netifs_no_network_config),
        cmocka_unit_test(test_instance_id_rule),
        cmocka_unit_test(test_iso_image),
        cmocka_unit_test(test_source_relative),
    };
    return cmocka_run_group_tests_name("cloud-init seeds and sources", tests, NULL, NULL);
}
