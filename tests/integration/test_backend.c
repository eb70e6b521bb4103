/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_backend.c: every operation and error path of the libvirt backend,
 * on libvirt's in-process test driver (test:///default). Its state is shared
 * by every connection of the process while one is open, which lets a test
 * put two testbeds (or a foreign object) side by side.
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

/* Two domains sharing network "lab"; "vm1" on a backing chain. */
static const char yaml_main[] =
    "testbed: tb\n"
    "storagepools:\n"
    "  - {name: pool, path: pool}\n"
    "storagevolumes:\n"
    "  - {name: base, size: 2}\n"
    "networks:\n"
    "  - name: lab\n"
    "    address: 10.77.0.1/24\n"
    "    dhcp: {start: 10.77.0.100, end: 10.77.0.200}\n"
    "  - name: iso\n"
    "domains:\n"
    "  - name: vm1\n"
    "    cpu: 1\n"
    "    memory: 128M\n"
    "    graphics: none\n"
    "    netifs: [{network: lab, ip: 10.77.0.10}, {network: iso}]\n"
    "    disks: [{device: vda, name: disk1, size: 2, backing: base}]\n"
    "  - name: vm2\n"
    "    cpu: 1\n"
    "    memory: 128M\n"
    "    graphics: none\n"
    "    netifs: [{network: lab, ip: 10.77.0.11}]\n"
    "    disks: [{device: vda, name: disk2, size: 1}]\n";

struct fixture {
    char *dir;
    cb_testbed *tb;
    virConnectPtr conn; /* keeps the test driver's state alive, and inspects it */
    struct th_log log;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    lv_fixture_open(&f->dir, &f->conn, URI);
    f->tb = th_open_yaml(f->dir, "main", yaml_main, URI, th_log_cb, &f->log);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    lv_fixture_close(f->tb, f->conn, f->dir);
    free(f);
    return 0;
}

static int domain_state(struct fixture *f, const char *libvirt_name)
{
    virDomainPtr d = virDomainLookupByName(f->conn, libvirt_name);
    int st = -1, reason;

    if (!d) {
        virResetLastError();
        return -1;
    }
    virDomainGetState(d, &st, &reason, 0);
    virDomainFree(d);
    return st;
}

static void boot_ok(cb_domain *d, const cb_boot_options *o)
{
    if (cb_domain_boot(d, o) < 0)
        fail_msg("boot %s: %s", cb_domain_name(d), cb_error_last()->message);
}

static void test_boot_creates_everything_in_order(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm1 = cb_testbed_domain(f->tb, "vm1");
    char *xml;

    boot_ok(vm1, NULL);
    assert_true(lv_pool_exists(f->conn, "tester:tb:pool"));
    /* the backing volume is created too (the original did not) */
    assert_true(lv_volume_exists(f->conn, "tester:tb:pool", "tester:tb:base.qcow2"));
    assert_true(lv_volume_exists(f->conn, "tester:tb:pool", "tester:tb:disk1.qcow2"));
    assert_false(lv_volume_exists(f->conn, "tester:tb:pool", "tester:tb:disk2.qcow2"));
    assert_true(lv_network_exists(f->conn, "tester:tb:lab"));
    assert_true(lv_network_exists(f->conn, "tester:tb:iso"));
    assert_int_equal(domain_state(f, "tester:tb:vm1"), VIR_DOMAIN_RUNNING);
    assert_int_equal(domain_state(f, "tester:tb:vm2"), -1);
    assert_string_equal(cb_testbed_uri(f->tb), URI);

    /* what libvirt holds carries the testbed's metadata */
    virDomainPtr d = virDomainLookupByName(f->conn, "tester:tb:vm1");
    xml = virDomainGetXMLDesc(d, 0);
    assert_non_null(strstr(xml, "<cloubed:testbed xmlns:cloubed=\"http://libcloubed.org/xmlns/testbed/1.0\" name=\"tb\" user=\"tester\"/>"));
    assert_non_null(strstr(xml, "<boot dev='hd'/>"));
    free(xml);
    virDomainFree(d);
    /* libvirt takes the static netifs as DNS hosts of their network */
    virNetworkPtr net = virNetworkLookupByName(f->conn, "tester:tb:lab");
    xml = virNetworkGetXMLDesc(net, 0);
    assert_non_null(strstr(xml, "<host ip='10.77.0.10'>\n      <hostname>vm1</hostname>"));
    assert_non_null(strstr(xml, "<host ip='10.77.0.11'>\n      <hostname>vm2</hostname>"));
    free(xml);
    virNetworkFree(net);
    assert_non_null(strstr(f->log.text, "created storage volume tester:tb:base.qcow2"));
    /* disk images are owner-only, the state directory private */
    virStoragePoolPtr pool = virStoragePoolLookupByName(f->conn, "tester:tb:pool");
    virStorageVolPtr vol = virStorageVolLookupByName(pool, "tester:tb:disk1.qcow2");
    xml = virStorageVolGetXMLDesc(vol, 0);
    assert_non_null(strstr(xml, "<mode>0600</mode>"));
    free(xml);
    virStorageVolFree(vol);
    virStoragePoolFree(pool);
    struct stat st;
    char *sd;
    assert_true(asprintf(&sd, "%s/main/.cloubed/tb", f->dir) > 0);
    assert_int_equal(lstat(sd, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0700);
    free(sd);
    /* once connected, the XML follows the host's capabilities: the test
     * driver's i686 guests, no KVM (type qemu), and no warning for it */
    assert_int_equal(cb_domain_get_xml(&xml, vm1, 0), 0);
    assert_non_null(strstr(xml, "<domain type=\"qemu\">"));
    assert_non_null(strstr(xml, "<type arch=\"i686\">hvm</type>"));
    assert_null(strstr(xml, "<emulator>"));
    assert_null(strstr(f->log.text, "KVM is not available"));
    free(xml);
}

static void test_boot_twice_reuses(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm1 = cb_testbed_domain(f->tb, "vm1"), *vm2 = cb_testbed_domain(f->tb, "vm2");
    cb_boot_options restart = CB_BOOT_OPTIONS_INIT;

    boot_ok(vm1, NULL);
    f->log.text[0] = '\0';
    boot_ok(vm2, NULL); /* shares network lab: reused */
    assert_null(strstr(f->log.text, "created network tester:tb:lab"));
    assert_non_null(strstr(f->log.text, "created storage volume tester:tb:disk2.qcow2"));
    /* running, without CB_BOOT_RESTART: refused, nothing touched */
    f->log.text[0] = '\0';
    assert_int_equal(cb_domain_boot(vm1, NULL), CB_ESTATE);
    assert_string_equal(cb_error_last()->message,
                        "domain vm1 is running (CB_BOOT_RESTART restarts it)");
    assert_null(strstr(f->log.text, "destroying"));
    assert_int_equal(domain_state(f, "tester:tb:vm1"), VIR_DOMAIN_RUNNING);
    /* with it: destroyed and started again, nothing recreated */
    f->log.text[0] = '\0';
    restart.flags = CB_BOOT_RESTART;
    boot_ok(vm1, &restart);
    assert_non_null(strstr(f->log.text, "domain vm1 is running: destroying it to boot it again"));
    assert_null(strstr(f->log.text, "created"));
    assert_int_equal(domain_state(f, "tester:tb:vm1"), VIR_DOMAIN_RUNNING);
    assert_int_equal(domain_state(f, "tester:tb:vm2"), VIR_DOMAIN_RUNNING);
}

static void test_overwrite_and_recreate(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm1 = cb_testbed_domain(f->tb, "vm1");
    const char *disks[] = { "disk1", "nope", NULL };
    const char *nets[] = { "lab", NULL };
    cb_boot_options o = CB_BOOT_OPTIONS_INIT;

    boot_ok(vm1, NULL);
    f->log.text[0] = '\0';
    o.flags = CB_BOOT_RESTART; /* vm1 runs */
    o.overwrite_disks = disks;
    o.recreate_networks = nets;
    o.bootdev = "network";
    boot_ok(vm1, &o);
    assert_non_null(strstr(f->log.text, "overwriting storage volume tester:tb:disk1.qcow2"));
    assert_null(strstr(f->log.text, "overwriting storage volume tester:tb:base.qcow2"));
    assert_non_null(strstr(f->log.text, "domain vm1 does not have disk nope, removing it of disks to overwrite"));
    assert_non_null(strstr(f->log.text, "recreating network tester:tb:lab"));
    assert_null(strstr(f->log.text, "recreating network tester:tb:iso"));
    assert_true(lv_volume_exists(f->conn, "tester:tb:pool", "tester:tb:disk1.qcow2"));

    f->log.text[0] = '\0';
    o = (cb_boot_options)CB_BOOT_OPTIONS_INIT;
    o.flags = CB_BOOT_RESTART;
    o.overwrite_all_disks = 1;
    o.recreate_all_networks = 1;
    boot_ok(vm1, &o);
    assert_non_null(strstr(f->log.text, "overwriting storage volume tester:tb:disk1.qcow2"));
    assert_non_null(strstr(f->log.text, "recreating network tester:tb:iso"));
}

static void test_bad_boot_options(void **state)
{
    struct fixture *f = *state;
    cb_boot_options o = CB_BOOT_OPTIONS_INIT;

    o.bootdev = "floppy";
    assert_int_equal(cb_domain_boot(cb_testbed_domain(f->tb, "vm1"), &o), CB_EINVAL);
    o = (cb_boot_options)CB_BOOT_OPTIONS_INIT;
    o.version = 99;
    assert_int_equal(cb_domain_boot(cb_testbed_domain(f->tb, "vm1"), &o), CB_EINVAL);
    o = (cb_boot_options)CB_BOOT_OPTIONS_INIT;
    o.flags = CB_BOOT_RESTART << 1;
    assert_int_equal(cb_domain_boot(cb_testbed_domain(f->tb, "vm1"), &o), CB_EINVAL);
    assert_int_equal(cb_domain_boot(NULL, NULL), CB_EINVAL);
    assert_false(lv_pool_exists(f->conn, "tester:tb:pool")); /* nothing touched */
}

static void test_power_operations(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm2 = cb_testbed_domain(f->tb, "vm2");
    cb_domain_state st;

    /* before boot: not found in libvirt */
    assert_int_equal(cb_domain_shutdown(vm2, 0), CB_ENOTFOUND);
    assert_string_equal(cb_error_last()->message, "domain vm2 (tester:tb:vm2) not found in libvirt");
    assert_int_equal(cb_domain_get_state(&st, vm2, 0), 0);
    assert_int_equal(st, CB_DOMAIN_STATE_UNDEFINED);
    assert_int_equal(cb_domain_destroy(vm2, 0), CB_ENOTFOUND); /* like every power call */

    boot_ok(vm2, NULL);
    assert_int_equal(cb_domain_get_state(&st, vm2, 0), 0);
    assert_int_equal(st, CB_DOMAIN_STATE_RUNNING);
    assert_string_equal(cb_domain_state_name(st), "running");
    assert_int_equal(cb_domain_pause(vm2, 0), 0);
    assert_int_equal(domain_state(f, "tester:tb:vm2"), VIR_DOMAIN_PAUSED);
    assert_int_equal(cb_domain_unpause(vm2, 0), 0);
    assert_int_equal(domain_state(f, "tester:tb:vm2"), VIR_DOMAIN_RUNNING);
    assert_int_equal(cb_domain_reboot(vm2, 0), 0);
    assert_int_equal(cb_domain_reset(vm2, 0), 0);
    /* S3 needs a guest agent: a clear error, nothing hangs */
    assert_true(cb_domain_pm_suspend(vm2, 0) < 0);
    assert_non_null(strstr(cb_error_last()->message, "cannot suspend domain vm2"));
    assert_int_equal(cb_domain_shutdown(vm2, 0), 0);
    assert_int_equal(domain_state(f, "tester:tb:vm2"), VIR_DOMAIN_SHUTOFF);
    /* a stopped domain cannot be shut down: the state error */
    assert_int_equal(cb_domain_shutdown(vm2, 0), CB_ESTATE);
    assert_string_equal(cb_error_last()->message, "cannot shutdown domain vm2: it is not running");
    assert_int_equal(cb_domain_pause(vm2, 0), CB_ESTATE);
    boot_ok(vm2, NULL);
    assert_int_equal(cb_domain_destroy(vm2, 0), 0);
    /* destroy stops and never undefines: still defined, shut off */
    assert_int_equal(domain_state(f, "tester:tb:vm2"), VIR_DOMAIN_SHUTOFF);
    assert_int_equal(cb_domain_get_state(&st, vm2, 0), 0);
    assert_int_equal(st, CB_DOMAIN_STATE_SHUTOFF);
    assert_int_equal(cb_domain_destroy(vm2, 0), CB_ESTATE);
    assert_string_equal(cb_error_last()->message, "cannot destroy domain vm2: it is not running");
    assert_int_equal(domain_state(f, "tester:tb:vm2"), VIR_DOMAIN_SHUTOFF);
    /* cb_domain_cleanup removes it, and its console log */
    FILE *log = fopen(cb_domain_console_log(vm2), "w");
    assert_non_null(log);
    fputs("old boot\n", log);
    fclose(log);
    f->log.text[0] = '\0';
    assert_int_equal(cb_domain_cleanup(vm2, 0), 0);
    assert_non_null(strstr(f->log.text, "undefining domain vm2"));
    assert_int_equal(domain_state(f, "tester:tb:vm2"), -1);
    assert_int_equal(cb_domain_get_state(&st, vm2, 0), 0);
    assert_int_equal(st, CB_DOMAIN_STATE_UNDEFINED);
    assert_int_equal(access(cb_domain_console_log(vm2), F_OK), -1);
    assert_int_equal(cb_domain_cleanup(vm2, 0), 0); /* gone already: not an error */
    /* a running domain: stopped and undefined in one call */
    boot_ok(vm2, NULL);
    assert_int_equal(cb_domain_cleanup(vm2, 0), 0);
    assert_int_equal(domain_state(f, "tester:tb:vm2"), -1);
    assert_int_equal(cb_domain_cleanup(NULL, 0), CB_EINVAL);
    assert_string_equal(cb_domain_state_name(CB_DOMAIN_STATE_PMSUSPENDED), "suspended");
    assert_string_equal(cb_domain_state_name((cb_domain_state)42), "unknown");
}

static void test_overlapping_network_changes_nothing(void **state)
{
    struct fixture *f = *state;
    /* The test driver's own "default" network is 192.168.122.0/24. */
    static const char yaml[] =
        "testbed: clash\n"
        "networks:\n"
        "  - {name: net, address: 192.168.122.2/24}\n"
        "domains:\n"
        "  - name: vm\n"
        "    cpu: 1\n"
        "    memory: 128M\n"
        "    netifs: [{network: net}]\n"
        "    disks: [{device: vda, name: d, size: 1}]\n";
    struct th_log log = { "", 0 };
    cb_testbed *tb = th_open_yaml(f->dir, "clash", yaml, URI, th_log_cb, &log);

    assert_int_equal(cb_domain_boot(cb_testbed_domain_at(tb, 0), NULL), CB_ECONFLICT);
    assert_non_null(strstr(cb_error_last()->message,
                           "another network default is already active with conflicting IP "
                           "settings: its 192.168.122.1/24 overlaps 192.168.122.2/24 of network net"));
    /* what the failed boot had created (pool, volume) is gone again */
    assert_false(lv_pool_exists(f->conn, "tester:clash:pool"));
    assert_false(lv_network_exists(f->conn, "tester:clash:net"));
    assert_int_equal(cb_network_create(cb_testbed_network_at(tb, 0), 0), CB_ECONFLICT);
    cb_testbed_free(tb);
}

static void test_foreign_object_with_our_name(void **state)
{
    struct fixture *f = *state;
    static const char foreign[] =
        "<domain type='test'><name>tester:tb:vm2</name><memory>131072</memory>"
        "<os><type>hvm</type></os></domain>";
    virDomainPtr d = virDomainDefineXML(f->conn, foreign);

    assert_non_null(d);
    assert_int_equal(cb_domain_boot(cb_testbed_domain(f->tb, "vm2"), NULL), CB_ECONFLICT);
    assert_non_null(strstr(cb_error_last()->message,
                           "domain tester:tb:vm2 exists in libvirt but was not created by testbed tb"));
    assert_int_equal(cb_domain_shutdown(cb_testbed_domain(f->tb, "vm2"), 0), CB_ECONFLICT);
    assert_int_equal(cb_testbed_cleanup(f->tb, 0), 0);
    /* cleanup left it alone */
    assert_int_equal(domain_state(f, "tester:tb:vm2"), VIR_DOMAIN_SHUTOFF);
    virDomainUndefine(d);
    virDomainFree(d);
}

static void test_cleanup_spares_other_testbeds(void **state)
{
    struct fixture *f = *state;
    static const char other_yaml[] =
        "testbed: other\n"
        "networks:\n"
        "  - {name: lab, address: 10.78.0.1/24}\n"
        "domains:\n"
        "  - name: vm1\n"
        "    cpu: 1\n"
        "    memory: 128M\n"
        "    netifs: [{network: lab}]\n"
        "    disks: [{device: vda, name: disk1, size: 1}]\n";
    struct th_log log = { "", 0 };
    cb_testbed *other = th_open_yaml(f->dir, "other", other_yaml, URI, th_log_cb, &log);

    boot_ok(cb_testbed_domain(f->tb, "vm1"), NULL);
    boot_ok(cb_testbed_domain(f->tb, "vm2"), NULL);
    boot_ok(cb_testbed_domain(other, "vm1"), NULL);
    assert_int_equal(cb_testbed_cleanup(f->tb, 0), 0);

    assert_int_equal(domain_state(f, "tester:tb:vm1"), -1);
    assert_int_equal(domain_state(f, "tester:tb:vm2"), -1);
    assert_false(lv_network_exists(f->conn, "tester:tb:lab"));
    assert_false(lv_network_exists(f->conn, "tester:tb:iso"));
    assert_false(lv_pool_exists(f->conn, "tester:tb:pool"));
    assert_non_null(strstr(f->log.text, "destroying storage volume base"));
    /* the other testbed is untouched */
    assert_int_equal(domain_state(f, "tester:other:vm1"), VIR_DOMAIN_RUNNING);
    assert_true(lv_network_exists(f->conn, "tester:other:lab"));
    assert_true(lv_volume_exists(f->conn, "tester:other:pool", "tester:other:disk1.qcow2"));
    /* cleaning up again: objects already gone are not errors */
    assert_int_equal(cb_testbed_cleanup(f->tb, 0), 0);
    assert_int_equal(cb_testbed_cleanup(other, 0), 0);
    assert_false(lv_network_exists(f->conn, "tester:other:lab"));
    cb_testbed_free(other);
}

static void test_status_text_and_json(void **state)
{
    struct fixture *f = *state;
    char *text = NULL, *json = NULL;

    boot_ok(cb_testbed_domain(f->tb, "vm1"), NULL);
    assert_int_equal(cb_testbed_status(&text, f->tb, CB_STATUS_TEXT, 0), 0);
    assert_non_null(strstr(text, "storage pools:\n  - pool\n    - status    : active    \n    - path      : "));
    assert_non_null(strstr(text, "storage volumes:\n  - base\n    - status    : active\n    - path      : "));
    assert_non_null(strstr(text, "  - disk2\n    - status    : undefined\n"));
    assert_non_null(strstr(text, "networks:\n  - lab\n    - status    : active\n"));
    assert_non_null(strstr(text, "    - ip        : 10.77.0.1/255.255.255.0\n"));
    assert_non_null(strstr(text, "domains:\n  - vm1\n    - status    : running   \n  - vm2\n    - status    : undefined \n"));
    assert_int_equal(cb_testbed_status(&json, f->tb, CB_STATUS_JSON, 0), 0);
    assert_string_equal(json + strlen(json) - 3, "\n}\n");
    assert_true(strncmp(json, "{\n  \"version\" : 1,\n  \"testbed\" : \"tb\",\n  \"user\" : \"tester\",\n  \"uri\" : \"test:///default\",\n", 89) == 0);
    assert_non_null(strstr(json, "{\n      \"name\" : \"vm1\",\n      \"libvirt_name\" : \"tester:tb:vm1\",\n      \"status\" : \"running\",\n      \"console\" : null,\n      \"port\" : null\n    }"));
    assert_non_null(strstr(json, "{\n      \"name\" : \"vm2\",\n      \"libvirt_name\" : \"tester:tb:vm2\",\n      \"status\" : \"undefined\",\n      \"console\" : null,\n      \"port\" : null\n    }"));
    assert_non_null(strstr(json, "\"address\" : \"10.77.0.1\",\n      \"prefix\" : 24\n"));
    assert_non_null(strstr(json, "{\n      \"name\" : \"iso\",\n      \"libvirt_name\" : \"tester:tb:iso\",\n      \"status\" : \"active\""));
    assert_non_null(strstr(json, "\"address\" : null,\n      \"prefix\" : null\n"));
    free(text);
    free(json);
    assert_int_equal(cb_testbed_status(&text, f->tb, (cb_status_format)7, 0), CB_EINVAL);
    assert_null(text);
}

static void *boot_thread(void *arg)
{
    cb_domain *d = arg;
    return (void *)(intptr_t)cb_domain_boot(d, NULL);
}

static void test_parallel_boots_share_a_network(void **state)
{
    struct fixture *f = *state;
    pthread_t t1, t2;
    void *r1, *r2;

    assert_int_equal(pthread_create(&t1, NULL, boot_thread, cb_testbed_domain(f->tb, "vm1")), 0);
    assert_int_equal(pthread_create(&t2, NULL, boot_thread, cb_testbed_domain(f->tb, "vm2")), 0);
    pthread_join(t1, &r1);
    pthread_join(t2, &r2);
    assert_int_equal((intptr_t)r1, 0);
    assert_int_equal((intptr_t)r2, 0);
    assert_int_equal(domain_state(f, "tester:tb:vm1"), VIR_DOMAIN_RUNNING);
    assert_int_equal(domain_state(f, "tester:tb:vm2"), VIR_DOMAIN_RUNNING);
}

static void test_missing_kernel_is_refused_before_anything(void **state)
{
    struct fixture *f = *state;
    static const char yaml[] =
        "testbed: nokernel\n"
        "networks: [{name: n, address: 10.79.0.1/24}]\n"
        "domains:\n"
        "  - name: vm\n"
        "    cpu: 1\n"
        "    memory: 128M\n"
        "    kernel: boot/vmlinuz\n"
        "    netifs: [{network: n}]\n"
        "    disks: [{device: vda, name: d, size: 1}]\n";
    struct th_log log = { "", 0 };
    cb_testbed *tb = th_open_yaml(f->dir, "nokernel", yaml, URI, th_log_cb, &log);

    assert_int_equal(cb_domain_boot(cb_testbed_domain_at(tb, 0), NULL), CB_ENOTFOUND);
    assert_non_null(strstr(cb_error_last()->message, "/nokernel/boot/vmlinuz of domain vm cannot be read"));
    assert_false(lv_network_exists(f->conn, "tester:nokernel:n"));
    assert_false(lv_pool_exists(f->conn, "tester:nokernel:pool"));
    cb_testbed_free(tb);
}

/* A symlink planted as the state directory would send console logs and the
 * lock elsewhere: refused, before anything is created. */
static void test_state_dir_symlink_is_refused(void **state)
{
    struct fixture *f = *state;
    char *sd, *target;

    assert_true(asprintf(&sd, "%s/main/.cloubed", f->dir) > 0);
    assert_true(asprintf(&target, "%s/elsewhere", f->dir) > 0);
    assert_int_equal(mkdir(target, 0755), 0);
    assert_int_equal(symlink(target, sd), 0);
    assert_int_equal(cb_domain_boot(cb_testbed_domain(f->tb, "vm1"), NULL), CB_EIO);
    assert_non_null(strstr(cb_error_last()->message, "/main/.cloubed is not a directory (a symlink "
                                                     "or a file: refused)"));
    assert_false(lv_network_exists(f->conn, "tester:tb:lab"));
    free(sd);
    free(target);
}

static void test_unreachable_uri(void **state)
{
    struct fixture *f = *state;
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    cb_testbed *tb = NULL;
    char *path;

    assert_true(asprintf(&path, "%s/main/cloubed.yaml", f->dir) > 0);
    opts.uri = "qemu+unix:///system?socket=/nonexistent/libvirt-sock";
    assert_int_equal(cb_testbed_open(&tb, path, &opts), 0);
    assert_int_equal(cb_domain_boot(cb_testbed_domain_at(tb, 0), NULL), CB_ELIBVIRT);
    assert_non_null(strstr(cb_error_last()->message, "cannot connect to libvirt at qemu+unix:///system"));
    cb_testbed_free(tb);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_boot_creates_everything_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boot_twice_reuses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overwrite_and_recreate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_boot_options, setup, teardown),
        cmocka_unit_test_setup_teardown(test_power_operations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlapping_network_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_object_with_our_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cleanup_spares_other_testbeds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_text_and_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parallel_boots_share_a_network, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_kernel_is_refused_before_anything, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_dir_symlink_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreachable_uri, setup, teardown),
    };
    return cmocka_run_group_tests_name("backend on test:///default", tests, NULL, NULL);
}
