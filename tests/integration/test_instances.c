/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_instances.c: one testbed file run as several instances side by side,
 * and `address: auto`, on libvirt's in-process test driver (test:///default,
 * whose state every connection of the process shares while one is open).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "lv_helpers.h"
#include "test_helpers.h"

#define URI "test:///default"

/* Two auto networks (one with static leases), a fixed-less isolated one,
 * and a disk per node: every kind of name an instance must change. */
static const char yaml[] =
    "testbed: cluster\n"
    "networks:\n"
    "  - name: lan\n"
    "    address: auto\n"
    "    dhcp: {start: .100, end: .150}\n"
    "    domain: cluster.test\n"
    "  - name: storage\n"
    "    address: auto\n"
    "    dhcp: {start: .100, end: .150}\n"
    "domains:\n"
    "  - name: node1\n"
    "    cpu: 1\n"
    "    memory: 128M\n"
    "    graphics: none\n"
    "    netifs: [{network: lan, ip: .11}, {network: storage, ip: .11}]\n"
    "    disks: [{device: vda, name: disk1, size: 1}]\n"
    "  - name: node2\n"
    "    cpu: 1\n"
    "    memory: 128M\n"
    "    graphics: none\n"
    "    netifs: [{network: lan, ip: .12}]\n"
    "    disks: [{device: vda, name: disk2, size: 1}]\n";

struct fixture {
    char *dir;
    char *path;
    virConnectPtr conn;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    unsetenv("CLOUBED_AUTO_SUBNETS");
    lv_fixture_open(&f->dir, &f->conn, URI);
    f->path = th_write(f->dir, "cloubed.yaml", yaml, strlen(yaml));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    unsetenv("CLOUBED_AUTO_SUBNETS");
    lv_fixture_close(NULL, f->conn, f->dir); /* the last connection: the driver forgets everything */
    free(f->path);
    free(f);
    return 0;
}

static int open_instance(struct fixture *f, const char *instance, cb_testbed **tb)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;

    opts.uri = URI;
    opts.user = "tester";
    opts.instance = instance;
    return cb_testbed_open(tb, f->path, &opts);
}

static cb_testbed *instance(struct fixture *f, const char *name)
{
    cb_testbed *tb = NULL;

    if (open_instance(f, name, &tb) < 0)
        fail_msg("%s", cb_error_last()->message);
    return tb;
}

static void ok(int rc)
{
    if (rc < 0)
        fail_msg("%s: %s", cb_error_code_name(rc), cb_error_last()->message);
}

static char *address(cb_testbed *tb, const char *net)
{
    char *a = NULL;

    ok(cb_network_get_address(&a, cb_testbed_network(tb, net), 0));
    return a;
}

static char *var(cb_testbed *tb, const char *domain, const char *key)
{
    cb_vars *v = NULL;
    char *value;

    ok(cb_domain_vars(&v, cb_testbed_domain(tb, domain), 0));
    assert_non_null(cb_vars_get(v, key));
    value = strdup(cb_vars_get(v, key));
    cb_vars_free(v);
    return value;
}

/* Every name, path, MAC and address of two instances differs; cleaning one
 * up leaves the other whole. */
static void test_two_instances_disjoint(void **state)
{
    struct fixture *f = *state;
    cb_testbed *a = instance(f, "a"), *b = instance(f, "b");
    const char *names[] = { "node1", "node2" };
    char *ma, *mb, *sa = NULL, *sb = NULL;
    size_t i;

    assert_string_equal(cb_testbed_instance(a), "a");
    assert_string_equal(cb_domain_libvirt_name(cb_testbed_domain(a, "node1")),
                        "tester:cluster+a:node1");
    assert_string_equal(cb_network_libvirt_name(cb_testbed_network(b, "lan")),
                        "tester:cluster+b:lan");
    assert_string_equal(cb_storage_volume_libvirt_name(cb_testbed_storage_volume(a, "disk1")),
                        "tester:cluster+a:disk1.qcow2");
    /* volume files in PATH/INSTANCE: libvirt refuses two dir pools on one path */
    assert_non_null(strstr(cb_storage_volume_path(cb_testbed_storage_volume(a, "disk1")),
                           "/pool/a/tester:cluster+a:disk1.qcow2"));
    assert_non_null(strstr(cb_storage_pool_path(cb_testbed_storage_pool(b, "pool")), "/pool/b"));
    /* the state directory (console logs, gen records) */
    assert_non_null(strstr(cb_domain_console_log(cb_testbed_domain(a, "node1")),
                           "/.cloubed/cluster+a/node1.console.log"));
    assert_non_null(strstr(cb_domain_console_log(cb_testbed_domain(b, "node1")),
                           "/.cloubed/cluster+b/node1.console.log"));
    for (i = 0; i < 2; i++) {
        ok(cb_domain_boot(cb_testbed_domain(a, names[i]), NULL));
        ok(cb_domain_boot(cb_testbed_domain(b, names[i]), NULL));
    }
    /* generated MACs are salted by the instance */
    ma = var(a, "node1", "self.lan.mac");
    mb = var(b, "node1", "self.lan.mac");
    assert_string_not_equal(ma, mb);
    assert_true(strncmp(ma, "00:16:3e:", 9) == 0);
    free(ma);
    free(mb);
    assert_true(lv_domain_exists(f->conn, "tester:cluster+a:node1"));
    assert_true(lv_domain_exists(f->conn, "tester:cluster+b:node2"));

    /* status shows only its own instance */
    ok(cb_testbed_status(&sa, a, CB_STATUS_JSON, 0));
    assert_non_null(strstr(sa, "\"instance\" : \"a\""));
    assert_non_null(strstr(sa, "tester:cluster+a:node1"));
    assert_null(strstr(sa, "cluster+b"));
    free(sa);

    ok(cb_testbed_cleanup(a, 0));
    assert_false(lv_domain_exists(f->conn, "tester:cluster+a:node1"));
    assert_false(lv_network_exists(f->conn, "tester:cluster+a:lan"));
    assert_true(lv_domain_exists(f->conn, "tester:cluster+b:node1"));
    assert_true(lv_domain_exists(f->conn, "tester:cluster+b:node2"));
    assert_true(lv_network_exists(f->conn, "tester:cluster+b:lan"));
    assert_true(lv_network_exists(f->conn, "tester:cluster+b:storage"));
    ok(cb_testbed_status(&sb, b, CB_STATUS_TEXT, 0));
    assert_non_null(strstr(sb, "  - node1\n    - status    : running   \n"));
    free(sb);
    ok(cb_testbed_cleanup(b, 0));
    assert_false(lv_domain_exists(f->conn, "tester:cluster+b:node1"));
    cb_testbed_free(a);
    cb_testbed_free(b);
}

/* First free /24 of 10.213.0.0/16, skipping one a foreign network holds. */
static void test_auto_address_first_free(void **state)
{
    struct fixture *f = *state;
    cb_testbed *a = instance(f, "a"), *b = instance(f, "b"), *c = instance(f, "c");
    virNetworkPtr foreign = virNetworkCreateXML(f->conn,
        "<network><name>foreign</name><ip address='10.213.3.1' netmask='255.255.255.0'/></network>");
    char *s;

    assert_non_null(foreign);
    ok(cb_network_create(cb_testbed_network(a, "lan"), 0));
    ok(cb_network_create(cb_testbed_network(b, "lan"), 0));
    ok(cb_network_create(cb_testbed_network(a, "storage"), 0));
    ok(cb_network_create(cb_testbed_network(c, "lan"), 0));
    s = address(a, "lan");
    assert_string_equal(s, "10.213.0.1/24");
    free(s);
    s = address(b, "lan");
    assert_string_equal(s, "10.213.1.1/24");
    free(s);
    s = address(a, "storage");
    assert_string_equal(s, "10.213.2.1/24");
    free(s);
    s = address(c, "lan");
    assert_string_equal(s, "10.213.4.1/24");
    free(s);
    /* a static ".N" is host N of the /24 taken: the address that
     * cb_domain_get_addresses() gives, and so the TCP wait tries */
    {
        cb_addresses *ad = NULL;
        ok(cb_domain_get_addresses(&ad, cb_testbed_domain(a, "node1"), 0));
        assert_string_equal(cb_addresses_ip(ad, 0), "10.213.0.11");
        assert_string_equal(cb_addresses_ip(ad, 1), "10.213.2.11");
        assert_int_equal(cb_addresses_source(ad, 0), CB_ADDRESS_STATIC);
        cb_addresses_free(ad);
    }
    /* the XML libvirt holds: host, range and static leases on the /24 */
    {
        virNetworkPtr n = virNetworkLookupByName(f->conn, "tester:cluster+b:lan");
        char *xml = n ? virNetworkGetXMLDesc(n, 0) : NULL;
        assert_non_null(xml);
        assert_non_null(strstr(xml, "address='10.213.1.1'"));
        assert_non_null(strstr(xml, "start='10.213.1.100' end='10.213.1.150'"));
        assert_non_null(strstr(xml, "ip='10.213.1.11'"));
        free(xml);
        virNetworkFree(n);
    }
    virNetworkDestroy(foreign);
    virNetworkFree(foreign);
    ok(cb_testbed_cleanup(a, 0));
    ok(cb_testbed_cleanup(b, 0));
    ok(cb_testbed_cleanup(c, 0));
    cb_testbed_free(a);
    cb_testbed_free(b);
    cb_testbed_free(c);
}

/* A new handle (another process, or after a restart) reads what was taken
 * from libvirt: address, template variables, status. */
static void test_auto_address_adopted_after_restart(void **state)
{
    struct fixture *f = *state;
    cb_testbed *a = instance(f, "a"), *b = instance(f, "b");
    char *s;

    ok(cb_domain_boot(cb_testbed_domain(b, "node2"), NULL)); /* b takes .0 */
    ok(cb_domain_boot(cb_testbed_domain(a, "node1"), NULL)); /* a: lan .1, storage .2 */
    cb_testbed_free(a);
    a = instance(f, "a");
    s = address(a, "lan");
    assert_string_equal(s, "10.213.1.1/24");
    free(s);
    s = var(a, "node1", "network.lan.ip_host");
    assert_string_equal(s, "10.213.1.1");
    free(s);
    s = var(a, "node1", "network.lan.dhcp_start");
    assert_string_equal(s, "10.213.1.100");
    free(s);
    s = var(a, "node1", "network.storage.http_server");
    assert_string_equal(s, "http://10.213.2.1:5432");
    free(s);
    s = var(a, "node2", "domain.node1.storage.ip");
    assert_string_equal(s, "10.213.2.11");
    free(s);
    s = var(a, "node2", "self.lan.ip");
    assert_string_equal(s, "10.213.1.12");
    free(s);
    s = NULL;
    ok(cb_testbed_status(&s, a, CB_STATUS_TEXT, 0));
    assert_non_null(strstr(s, "  - lan\n    - status    : active\n"));
    assert_non_null(strstr(s, "    - ip        : 10.213.1.1/255.255.255.0\n"
                              "    - address   : 10.213.1.1/24 (auto)\n"));
    free(s);
    ok(cb_testbed_cleanup(a, 0));
    ok(cb_testbed_cleanup(b, 0));
    cb_testbed_free(a);
    cb_testbed_free(b);
}

static void test_auto_exhausted(void **state)
{
    struct fixture *f = *state;
    cb_testbed *a, *b, *c = NULL;
    int rc;

    setenv("CLOUBED_AUTO_SUBNETS", "10.213.0.0/23", 1);
    a = instance(f, "a");
    b = instance(f, "b");
    c = instance(f, "c");
    ok(cb_network_create(cb_testbed_network(a, "lan"), 0));
    ok(cb_network_create(cb_testbed_network(b, "lan"), 0));
    rc = cb_network_create(cb_testbed_network(c, "lan"), 0);
    assert_int_equal(rc, CB_ECONFLICT);
    assert_string_equal(cb_error_last()->message,
                        "no free /24 in 10.213.0.0/23 for network lan (2 in use)");
    assert_false(lv_network_exists(f->conn, "tester:cluster+c:lan"));
    ok(cb_testbed_cleanup(a, 0));
    ok(cb_testbed_cleanup(b, 0));
    cb_testbed_free(a);
    cb_testbed_free(b);
    cb_testbed_free(c);
    c = NULL;
    /* a bad range fails at open, before anything is created */
    setenv("CLOUBED_AUTO_SUBNETS", "10.213.0.0/25", 1);
    assert_int_equal(open_instance(f, "a", &c), CB_EINVAL);
    assert_null(c);
    assert_non_null(strstr(cb_error_last()->message, "CLOUBED_AUTO_SUBNETS=10.213.0.0/25"));
    setenv("CLOUBED_AUTO_SUBNETS", "nonsense", 1);
    assert_int_equal(open_instance(f, "a", &c), CB_EINVAL);
}

struct racer {
    cb_testbed *tb;
    pthread_barrier_t *go;
    int rc;
};

static void *race(void *arg)
{
    struct racer *r = arg;

    pthread_barrier_wait(r->go);
    r->rc = cb_network_create(cb_testbed_network(r->tb, "lan"), 0);
    return NULL;
}

/* Two testbeds create at the same moment (no lock shared in the process:
 * each has its own ops_lock): the host-wide flock keeps them apart. */
static void test_auto_race_two_threads(void **state)
{
    struct fixture *f = *state;
    pthread_barrier_t go;
    struct racer r[2] = { { instance(f, "x"), &go, 0 }, { instance(f, "y"), &go, 0 } };
    pthread_t t[2];
    char *s0, *s1;
    int round, i;

    pthread_barrier_init(&go, NULL, 2);
    for (round = 0; round < 5; round++) {
        for (i = 0; i < 2; i++)
            pthread_create(&t[i], NULL, race, &r[i]);
        for (i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
        ok(r[0].rc);
        ok(r[1].rc);
        s0 = address(r[0].tb, "lan");
        s1 = address(r[1].tb, "lan");
        assert_string_not_equal(s0, s1);
        assert_true(strcmp(s0, "10.213.0.1/24") == 0 || strcmp(s0, "10.213.1.1/24") == 0);
        assert_true(strcmp(s1, "10.213.0.1/24") == 0 || strcmp(s1, "10.213.1.1/24") == 0);
        free(s0);
        free(s1);
        ok(cb_testbed_cleanup(r[0].tb, 0));
        ok(cb_testbed_cleanup(r[1].tb, 0));
    }
    pthread_barrier_destroy(&go);
    cb_testbed_free(r[0].tb);
    cb_testbed_free(r[1].tb);
}

static void test_vars_before_creation(void **state)
{
    struct fixture *f = *state;
    cb_testbed *a = instance(f, "a");
    cb_vars *v = NULL;
    char *s = NULL, *xml = NULL;

    assert_int_equal(cb_domain_vars(&v, cb_testbed_domain(a, "node1"), 0), CB_ESTATE);
    assert_null(v);
    assert_string_equal(cb_error_last()->message,
                        "network lan has address auto and is not created yet: its address is "
                        "chosen when it is created (cb_network_create(), a boot of a domain on "
                        "it, or `cloubed boot`)");
    assert_int_equal(cb_network_get_address(&s, cb_testbed_network(a, "lan"), 0), CB_ESTATE);
    assert_null(s);
    assert_int_equal(cb_network_get_address(&s, cb_testbed_network(a, "lan"), 1), CB_EINVAL);
    /* the XML shows the host numbers, and says why */
    ok(cb_network_get_xml(&xml, cb_testbed_network(a, "lan"), 0));
    assert_non_null(strstr(xml, "<!-- address: auto: chosen at creation -->"));
    assert_non_null(strstr(xml, "<ip address=\"0.0.0.1\" netmask=\"255.255.255.0\">"));
    free(xml);
    ok(cb_network_create(cb_testbed_network(a, "lan"), 0));
    ok(cb_network_get_xml(&xml, cb_testbed_network(a, "lan"), 0));
    assert_null(strstr(xml, "chosen at creation"));
    assert_non_null(strstr(xml, "<ip address=\"10.213.0.1\" netmask=\"255.255.255.0\">"));
    free(xml);
    ok(cb_testbed_cleanup(a, 0));
    cb_testbed_free(a);
}

static void test_status_json_address(void **state)
{
    struct fixture *f = *state;
    cb_testbed *a = instance(f, "a");
    char *s = NULL;

    ok(cb_testbed_status(&s, a, CB_STATUS_JSON, 0));
    assert_non_null(strstr(s, "\"libvirt_name\" : \"tester:cluster+a:lan\",\n"
                              "      \"status\" : \"undefined\",\n"
                              "      \"bridge\" : null,\n"
                              "      \"address_auto\" : true,\n"
                              "      \"address\" : null,\n"
                              "      \"prefix\" : null\n"));
    free(s);
    s = NULL;
    ok(cb_testbed_status(&s, a, CB_STATUS_TEXT, 0));
    assert_non_null(strstr(s, "  - lan\n    - status    : undefined\n"
                              "    - address   : auto, chosen at creation\n"));
    free(s);
    s = NULL;
    ok(cb_network_create(cb_testbed_network(a, "lan"), 0));
    ok(cb_testbed_status(&s, a, CB_STATUS_JSON, 0));
    assert_non_null(strstr(s, "\"address_auto\" : true,\n"
                              "      \"address\" : \"10.213.0.1\",\n"
                              "      \"prefix\" : 24\n"));
    free(s);
    ok(cb_testbed_cleanup(a, 0));
    cb_testbed_free(a);
}

/* Options version 1 (no instance field) still opens, without an instance;
 * invalid instances are refused. */
static void test_options_versions(void **state)
{
    struct fixture *f = *state;
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    static const char *const bad[] = { "a:b", "a+b", "-a", "a/b",
                                       "abcdefghijklmnopqrstuvwxyz0123456" /* 33 */ };
    cb_testbed *tb = NULL;
    size_t i;

    assert_int_equal(CB_TESTBED_OPTIONS_VERSION, 2);
    opts.uri = URI;
    opts.version = 1;
    opts.instance = "ignored"; /* a v1 caller's struct has no such field */
    ok(cb_testbed_open(&tb, f->path, &opts));
    assert_null(cb_testbed_instance(tb));
    assert_non_null(strstr(cb_domain_libvirt_name(cb_testbed_domain(tb, "node1")), ":cluster:node1"));
    cb_testbed_free(tb);
    tb = NULL;
    opts.version = 2;
    opts.instance = "";
    ok(cb_testbed_open(&tb, f->path, &opts));
    assert_null(cb_testbed_instance(tb));
    cb_testbed_free(tb);
    tb = NULL;
    opts.instance = "abcdefghijklmnopqrstuvwxyz012345"; /* 32 */
    ok(cb_testbed_open(&tb, f->path, &opts));
    assert_string_equal(cb_testbed_instance(tb), opts.instance);
    cb_testbed_free(tb);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        tb = NULL;
        opts.instance = bad[i];
        assert_int_equal(cb_testbed_open(&tb, f->path, &opts), CB_EINVAL);
        assert_null(tb);
        assert_non_null(strstr(cb_error_last()->message, "is not valid"));
    }
    opts.version = 3;
    opts.instance = NULL;
    assert_int_equal(cb_testbed_open(&tb, f->path, &opts), CB_EINVAL);
    assert_null(cb_testbed_instance(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_instances_disjoint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auto_address_first_free, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auto_address_adopted_after_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auto_exhausted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auto_race_two_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vars_before_creation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_json_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_options_versions, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
