/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_snapshot.c: testbed snapshots (create, revert, delete, list), their
 * errors and the rollback of a failed create, and cb_domain_link_set's
 * checks, on libvirt's in-process test driver (test:///default). A failure
 * in the middle of a create comes from the library's test seam.
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
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "testbed.h"
#include "util/error.h"
#include "lv_helpers.h"
#include "test_helpers.h"

#define URI "test:///default"

#define VM(n, extra)                                                                   \
    "  - name: " n "\n"                                                                \
    "    cpu: 1\n"                                                                     \
    "    memory: 128M\n"                                                               \
    "    graphics: none\n" extra

static const char yaml_main[] =
    "testbed: snaptb\n"
    "storagepools:\n"
    "  - {name: pool, path: pool}\n"
    "networks:\n"
    "  - name: lab\n"
    "    address: 10.78.0.1/24\n"
    "  - name: iso\n"
    "domains:\n"
    VM("vm1", "    netifs: [{network: lab}, {network: iso}]\n"
              "    disks: [{device: vda, name: disk1, size: 1}]\n")
    VM("vm2", "    netifs: [{network: lab}]\n"
              "    disks: [{device: vda, name: disk2, size: 1}]\n")
    VM("vm3", "    netifs: [{network: iso}]\n"
              "    disks: [{device: vda, name: disk3, size: 1}]\n");

/* vm2's disk is raw, vm3 has none. */
static const char yaml_raw[] =
    "testbed: snapraw\n"
    "storagepools:\n"
    "  - {name: pool, path: pool}\n"
    "storagevolumes:\n"
    "  - {name: rawdisk, size: 1, format: raw}\n"
    "networks:\n"
    "  - name: iso\n"
    "domains:\n"
    VM("vm1", "    netifs: [{network: iso}]\n"
              "    disks: [{device: vda, name: disk1, size: 1}]\n")
    VM("vm2", "    netifs: [{network: iso}]\n"
              "    disks: [{device: vda, storage_volume: rawdisk}]\n")
    VM("vm3", "    netifs: [{network: iso}]\n"
              "    disks: []\n");

struct fixture {
    char *dir;
    cb_testbed *tb;
    virConnectPtr conn; /* keeps the test driver's state alive, and inspects it */
    struct th_log log;
    const char *fail_domain; /* the seam fails the snapshot of this domain */
};

static cb_testbed *open_tb(struct fixture *f, const char *sub, const char *yaml)
{
    cb_testbed *tb = th_open_yaml(f->dir, sub, yaml, URI, th_log_cb, &f->log);

    tb->rt.seams.payload = f;
    return tb;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    lv_fixture_open(&f->dir, &f->conn, URI);
    f->tb = open_tb(f, "main", yaml_main);
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

static void boot(cb_testbed *tb, const char *name)
{
    if (cb_domain_boot(cb_testbed_domain(tb, name), NULL) < 0)
        fail_msg("boot %s: %s", name, cb_error_last()->message);
}

static int state_of(cb_testbed *tb, const char *name)
{
    cb_domain_state st;
    assert_int_equal(cb_domain_get_state(&st, cb_testbed_domain(tb, name), 0), 0);
    return st;
}

/* How many libvirt snapshots (anyone's) domain NAME has. */
static int snapshots_of(struct fixture *f, cb_testbed *tb, const char *name)
{
    virDomainPtr d = virDomainLookupByName(f->conn, cb_domain_libvirt_name(cb_testbed_domain(tb, name)));
    int n;

    assert_non_null(d);
    n = virDomainSnapshotNum(d, 0);
    virDomainFree(d);
    return n;
}

static void assert_list(cb_testbed *tb, const char *const *want, size_t n)
{
    cb_snapshots *l = NULL;
    size_t i;

    assert_int_equal(cb_testbed_snapshot_list(&l, tb, 0), 0);
    assert_int_equal(cb_snapshots_count(l), n);
    for (i = 0; i < n; i++)
        assert_string_equal(cb_snapshots_name(l, i), want[i]);
    assert_null(cb_snapshots_name(l, n));
    cb_snapshots_free(l);
}

static void assert_error(int rc, int code, const char *text)
{
    assert_int_equal(rc, code);
    if (!strstr(cb_error_last()->message, text))
        fail_msg("error \"%s\" does not say \"%s\"", cb_error_last()->message, text);
}

/* The contract: snapshot, change, revert, delete, cleanup. */
static void test_create_revert_delete(void **state)
{
    struct fixture *f = *state;
    cb_testbed *tb = f->tb;
    virDomainPtr d;
    virDomainSnapshotPtr s;
    char *xml;

    boot(tb, "vm1");
    boot(tb, "vm2");
    boot(tb, "vm3");
    assert_int_equal(cb_domain_destroy(cb_testbed_domain(tb, "vm3"), 0), 0);
    assert_int_equal(cb_domain_pause(cb_testbed_domain(tb, "vm2"), 0), 0);

    assert_int_equal(cb_testbed_snapshot_create(tb, "s1", 0), 0);
    /* nothing left paused by the call, the caller's pause kept */
    assert_int_equal(state_of(tb, "vm1"), CB_DOMAIN_STATE_RUNNING);
    assert_int_equal(state_of(tb, "vm2"), CB_DOMAIN_STATE_PAUSED);
    assert_int_equal(state_of(tb, "vm3"), CB_DOMAIN_STATE_SHUTOFF);
    /* one libvirt snapshot per domain, under the name, marked */
    d = virDomainLookupByName(f->conn, "tester:snaptb:vm1");
    assert_non_null(s = virDomainSnapshotLookupByName(d, "s1", 0));
    xml = virDomainSnapshotGetXMLDesc(s, 0);
    assert_non_null(strstr(xml, "<description>cloubed:1 testbed=tester:snaptb domains=3 "
                                "state=running</description>"));
    free(xml);
    virDomainSnapshotFree(s);
    virDomainFree(d);
    assert_list(tb, (const char *[]){ "s1" }, 1);

    assert_error(cb_testbed_snapshot_create(tb, "s1", 0), CB_ECONFLICT,
                 "domain vm1 already has a snapshot s1");
    assert_int_equal(cb_testbed_snapshot_create(tb, "s2", 0), 0);
    assert_list(tb, (const char *[]){ "s1", "s2" }, 2);

    /* change everything, then back */
    assert_int_equal(cb_domain_destroy(cb_testbed_domain(tb, "vm1"), 0), 0);
    assert_int_equal(cb_domain_unpause(cb_testbed_domain(tb, "vm2"), 0), 0);
    boot(tb, "vm3");
    assert_int_equal(cb_testbed_snapshot_revert(tb, "s1", 0), 0);
    assert_int_equal(state_of(tb, "vm1"), CB_DOMAIN_STATE_RUNNING);
    assert_int_equal(state_of(tb, "vm2"), CB_DOMAIN_STATE_PAUSED);
    assert_int_equal(state_of(tb, "vm3"), CB_DOMAIN_STATE_SHUTOFF);

    /* The clock flag: the test driver has no guest agent, so vm1, running
     * again, fails at once and is reverted all the same; the paused and
     * the shut-off domain are not asked. */
    assert_int_equal(cb_domain_destroy(cb_testbed_domain(tb, "vm1"), 0), 0);
    assert_error(cb_testbed_snapshot_revert(tb, "s2", CB_SNAPSHOT_REVERT_SYNC_CLOCK),
                 CB_EUNSUPPORTED, "vm1: cannot set the clock: domain vm1: guest-ping: "
                                  "this function is not supported");
    assert_null(strstr(cb_error_last()->message, "vm2"));
    assert_null(strstr(cb_error_last()->message, "vm3"));
    assert_int_equal(state_of(tb, "vm1"), CB_DOMAIN_STATE_RUNNING);
    assert_int_equal(state_of(tb, "vm2"), CB_DOMAIN_STATE_PAUSED);
    assert_int_equal(cb_domain_sync_clock(NULL, 1000, 0), CB_EINVAL);
    assert_int_equal(cb_domain_sync_clock(cb_testbed_domain(tb, "vm1"), 1000, 1), CB_EINVAL);
    assert_error(cb_domain_sync_clock(cb_testbed_domain(tb, "vm1"), -1, 0), CB_EUNSUPPORTED,
                 "not supported");

    assert_int_equal(cb_testbed_snapshot_delete(tb, "s1", 0), 0);
    assert_int_equal(snapshots_of(f, tb, "vm1"), 1);
    assert_list(tb, (const char *[]){ "s2" }, 1);
    assert_error(cb_testbed_snapshot_revert(tb, "s1", 0), CB_ENOTFOUND,
                 "testbed snaptb has no snapshot s1");
    assert_error(cb_testbed_snapshot_delete(tb, "nope", 0), CB_ENOTFOUND, "no snapshot nope");

    /* cleanup removes domains that have snapshots */
    assert_int_equal(cb_testbed_cleanup(tb, 0), 0);
    assert_null(virDomainLookupByName(f->conn, "tester:snaptb:vm1"));
    virResetLastError();
    assert_list(tb, NULL, 0);
}

static void test_names_and_arguments(void **state)
{
    struct fixture *f = *state;
    static const char *const bad[] = { "", "-a", "a b", "a/b", "a:b",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
    cb_snapshots *l = (cb_snapshots *)1;
    size_t i;

    boot(f->tb, "vm1");
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_error(cb_testbed_snapshot_create(f->tb, bad[i], 0), CB_EINVAL, "is not valid");
        assert_error(cb_testbed_snapshot_revert(f->tb, bad[i], 0), CB_EINVAL, "is not valid");
    }
    assert_int_equal(snapshots_of(f, f->tb, "vm1"), 0);
    assert_int_equal(cb_testbed_snapshot_create(NULL, "a", 0), CB_EINVAL);
    assert_int_equal(cb_testbed_snapshot_create(f->tb, NULL, 0), CB_EINVAL);
    /* the clock flag is the revert's alone */
    assert_int_equal(cb_testbed_snapshot_create(f->tb, "a", CB_SNAPSHOT_REVERT_SYNC_CLOCK),
                     CB_EINVAL);
    assert_int_equal(cb_testbed_snapshot_revert(f->tb, "a", 2), CB_EINVAL);
    assert_int_equal(cb_testbed_snapshot_delete(f->tb, "a", CB_SNAPSHOT_REVERT_SYNC_CLOCK),
                     CB_EINVAL);
    assert_int_equal(cb_testbed_snapshot_list(&l, f->tb, CB_SNAPSHOT_REVERT_SYNC_CLOCK),
                     CB_EINVAL);
    assert_null(l);
    assert_int_equal(cb_testbed_snapshot_list(NULL, f->tb, 0), CB_EINVAL);
    assert_int_equal(cb_snapshots_count(NULL), 0);
    cb_snapshots_free(NULL);
    assert_int_equal(cb_testbed_cleanup(f->tb, 0), 0);
    /* nothing defined: nothing to snapshot */
    assert_error(cb_testbed_snapshot_create(f->tb, "a", 0), CB_ESTATE, "none of its domains");
}

/* Disks that cannot hold an internal snapshot: refused before anything. */
static void test_raw_disk_refused(void **state)
{
    struct fixture *f = *state;
    cb_testbed *tb = open_tb(f, "raw", yaml_raw);

    boot(tb, "vm1");
    boot(tb, "vm2");
    boot(tb, "vm3");
    assert_error(cb_testbed_snapshot_create(tb, "s1", 0), CB_EUNSUPPORTED,
                 "domain vm2: disk vda (volume rawdisk) is raw, not qcow2; domain vm3 has no disk");
    assert_int_equal(snapshots_of(f, tb, "vm1"), 0);
    assert_int_equal(state_of(tb, "vm1"), CB_DOMAIN_STATE_RUNNING);
    assert_int_equal(state_of(tb, "vm2"), CB_DOMAIN_STATE_RUNNING);
    assert_int_equal(cb_testbed_cleanup(tb, 0), 0);
    cb_testbed_free(tb);
}

static int fail_one(const char *name, void *payload)
{
    struct fixture *f = payload;
    if (f->fail_domain && strcmp(name, f->fail_domain) == 0)
        return err_set(CB_ELIBVIRT, "injected failure");
    return 0;
}

/* A failure in the middle: the snapshots taken are deleted, the domains
 * paused by the call resumed, every failure named. */
static void test_create_rolls_back(void **state)
{
    struct fixture *f = *state;

    boot(f->tb, "vm1");
    boot(f->tb, "vm2");
    boot(f->tb, "vm3");
    assert_int_equal(cb_domain_pause(cb_testbed_domain(f->tb, "vm3"), 0), 0);
    f->tb->rt.seams.before_snapshot = fail_one;
    f->fail_domain = "vm2";
    assert_error(cb_testbed_snapshot_create(f->tb, "s1", 0), CB_ELIBVIRT,
                 "snapshot s1 of testbed snaptb: 1 of 3 domains failed: vm2: injected failure");
    assert_int_equal(snapshots_of(f, f->tb, "vm1"), 0);
    assert_int_equal(snapshots_of(f, f->tb, "vm2"), 0);
    assert_int_equal(snapshots_of(f, f->tb, "vm3"), 0);
    assert_int_equal(state_of(f->tb, "vm1"), CB_DOMAIN_STATE_RUNNING);
    assert_int_equal(state_of(f->tb, "vm2"), CB_DOMAIN_STATE_RUNNING);
    assert_int_equal(state_of(f->tb, "vm3"), CB_DOMAIN_STATE_PAUSED);
    assert_list(f->tb, NULL, 0);
    /* and it works once the failure is gone */
    f->fail_domain = NULL;
    assert_int_equal(cb_testbed_snapshot_create(f->tb, "s1", 0), 0);
    assert_int_equal(cb_testbed_cleanup(f->tb, 0), 0);
}

/* Snapshots that are not the testbed's are invisible but never clobbered;
 * one whose domain went away can only be deleted. */
static void test_foreign_and_incomplete(void **state)
{
    struct fixture *f = *state;
    virDomainPtr d;
    virDomainSnapshotPtr s;

    boot(f->tb, "vm1");
    boot(f->tb, "vm2");
    d = virDomainLookupByName(f->conn, "tester:snaptb:vm1");
    assert_non_null(s = virDomainSnapshotCreateXML(d, "<domainsnapshot><name>hand</name>"
                                                      "</domainsnapshot>", 0));
    virDomainSnapshotFree(s);
    assert_list(f->tb, NULL, 0);
    assert_error(cb_testbed_snapshot_revert(f->tb, "hand", 0), CB_ENOTFOUND, "no snapshot hand");
    assert_error(cb_testbed_snapshot_create(f->tb, "hand", 0), CB_ECONFLICT,
                 "domain vm1 already has a snapshot hand");
    assert_int_equal(snapshots_of(f, f->tb, "vm2"), 0);

    /* a second testbed on the same daemon sees none of the first's */
    assert_int_equal(cb_testbed_snapshot_create(f->tb, "s1", 0), 0);
    assert_int_equal(cb_domain_cleanup(cb_testbed_domain(f->tb, "vm2"), 0), 0);
    assert_error(cb_testbed_snapshot_revert(f->tb, "s1", 0), CB_ESTATE,
                 "snapshot s1 of testbed snaptb is incomplete: it was taken of 2 domains and 1");
    assert_list(f->tb, (const char *[]){ "s1" }, 1);
    assert_int_equal(cb_testbed_snapshot_delete(f->tb, "s1", 0), 0);
    assert_int_equal(snapshots_of(f, f->tb, "vm1"), 1); /* "hand" stays */
    virDomainFree(d);
    assert_int_equal(cb_testbed_cleanup(f->tb, 0), 0);
}

static void test_link_checks(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm1 = cb_testbed_domain(f->tb, "vm1"), *vm2 = cb_testbed_domain(f->tb, "vm2");

    assert_error(cb_domain_link_set(vm1, "lab", 0, 0), CB_ENOTFOUND, "not found in libvirt");
    boot(f->tb, "vm1");
    boot(f->tb, "vm2");
    assert_error(cb_domain_link_set(vm1, "nosuch", 0, 0), CB_ENOTFOUND,
                 "testbed snaptb has no network nosuch");
    assert_error(cb_domain_link_set(vm2, "iso", 0, 0), CB_ENOTFOUND,
                 "domain vm2 has no network interface on network iso");
    assert_int_equal(cb_domain_link_set(vm1, "lab", 0, 1), CB_EINVAL);
    assert_int_equal(cb_domain_link_set(NULL, "lab", 0, 0), CB_EINVAL);
    assert_int_equal(cb_domain_link_set(vm1, NULL, 0, 0), CB_EINVAL);
    /* the test driver cannot change a live device: the call got that far */
    assert_error(cb_domain_link_set(vm1, "lab", 0, 0), CB_EUNSUPPORTED,
                 "cannot set the link of domain vm1 on network lab down");
    assert_int_equal(cb_domain_destroy(vm1, 0), 0);
    assert_error(cb_domain_link_set(vm1, "iso", 1, 0), CB_ESTATE, "vm1: it is not running");
    assert_int_equal(cb_testbed_cleanup(f->tb, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_revert_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_and_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw_disk_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_and_incomplete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_checks, setup, teardown),
    };
    return cmocka_run_group_tests_name("testbed snapshots and links on " URI, tests, NULL, NULL);
}
