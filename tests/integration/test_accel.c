/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_accel.c: the choice between KVM and TCG. The rule's precedence
 * (option > $CLOUBED_VIRT_TYPE > automatic), invalid values, the recognition
 * of QEMU's KVM failures, and the automatic fallback to TCG at a start that
 * fails because of KVM, on libvirt's test driver. The test driver offers no
 * KVM and never fails a start, so the library's test seams fake both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "util/error.h"
#include "virt/host.h"
#include "test_helpers.h"

/* Both measured on this project's hosts (sandbox-libvirt.md). */
static const char denied[] =
    "internal error: process exited while connecting to monitor: Could not access KVM kernel "
    "module: Permission denied\n2026-11-25T17:40:42.297930Z qemu-system-x86_64: -accel kvm: "
    "failed to initialize kvm: Permission denied";
static const char msr[] =
    "internal error: qemu unexpectedly closed the monitor: qemu-system-x86_64: error: failed to "
    "set MSR 0x10a to 0x69\nqemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: "
    "kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.";

static const char yaml[] =
    "testbed: accel\n"
    "networks:\n"
    "  - {name: lo, address: 127.0.0.1/8}\n"
    "domains:\n"
    "  - name: one\n"
    "    cpu: 1\n"
    "    memory: 128M\n"
    "    netifs: [{network: lo, ip: 127.0.0.3}]\n"
    "    disks: [{device: vda, name: one-disk, size: 1}]\n"
    "  - name: two\n"
    "    cpu: 1\n"
    "    memory: 128M\n"
    "    netifs: [{network: lo}]\n"
    "    disks: []\n";

/* What the fake start saw, and what it fails with under kvm. */
struct fake {
    const char *kvm_error;   /* NULL: never fails */
    const char *any_error;   /* fails every start with this */
    int starts, kvm_starts;
};

static int fake_create(virDomainPtr dom, void *payload)
{
    struct fake *f = payload;
    char *xml = virDomainGetXMLDesc(dom, 0);
    bool kvm = xml && strstr(xml, "<domain type='kvm'");

    free(xml);
    f->starts++;
    f->kvm_starts += kvm;
    /* as the library reports a failed virDomainCreate */
    if (f->any_error || (kvm && f->kvm_error))
        return err_set(CB_ELIBVIRT, "cannot start domain %s: %s", virDomainGetName(dom),
                       f->any_error ? f->any_error : f->kvm_error);
    return virDomainCreate(dom) == 0 ? 0 : CB_ELIBVIRT;
}

struct fixture {
    char *dir, *path;
    cb_testbed *tb;
    struct th_log log;
    struct fake fake;
    virConnectPtr peek; /* the test driver's state is shared in-process */
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    unsetenv("CLOUBED_VIRT_TYPE");
    f->dir = th_mkdtemp();
    f->path = th_write(f->dir, "cloubed.yaml", yaml, strlen(yaml));
    f->peek = virConnectOpen("test:///default");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    if (f->tb) {
        f->tb->rt.seams.domain_create = NULL;
        cb_testbed_cleanup(f->tb, 0);
        cb_testbed_free(f->tb);
    }
    virConnectClose(f->peek);
    unsetenv("CLOUBED_VIRT_TYPE");
    th_rmtree(f->dir);
    free(f->dir);
    free(f->path);
    free(f);
    return 0;
}

/* Opens the fixture's testbed on the test driver with VIRT_TYPE (NULL:
 * automatic); the fake makes the host offer KVM and fails starts. */
static int open_tb(struct fixture *f, const char *virt_type)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    int rc;

    opts.uri = "test:///default";
    opts.user = "tester";
    opts.virt_type = virt_type;
    opts.log_cb = th_log_cb;
    opts.log_payload = &f->log;
    if ((rc = cb_testbed_open(&f->tb, f->path, &opts)) < 0)
        return rc;
    f->tb->rt.seams.offer_kvm = true;
    f->tb->rt.seams.domain_create = fake_create;
    f->tb->rt.seams.payload = &f->fake;
    return 0;
}

/* The type of the domain in libvirt, as defined. */
static bool defined_as(struct fixture *f, const char *name, const char *type)
{
    virDomainPtr dom = virDomainLookupByName(f->peek, name);
    char *xml = dom ? virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE) : NULL, want[64];
    bool ok;

    snprintf(want, sizeof(want), "<domain type='%s'", type);
    ok = xml && strstr(xml, want);
    free(xml);
    if (dom)
        virDomainFree(dom);
    return ok;
}

static bool xml_type_is(cb_domain *d, const char *type)
{
    char *xml = NULL, want[64];
    bool ok;

    cb_domain_get_xml(&xml, d, 0);

    snprintf(want, sizeof(want), "<domain type=\"%s\">", type);
    ok = xml && strstr(xml, want);
    free(xml);
    return ok;
}

static void test_precedence(void **state)
{
    struct fixture *f = *state;
    cb_testbed *tb = NULL;
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;

    /* environment over automatic */
    setenv("CLOUBED_VIRT_TYPE", "qemu", 1);
    assert_int_equal(open_tb(f, NULL), 0);
    assert_true(xml_type_is(cb_testbed_domain(f->tb, "one"), "qemu"));
    cb_testbed_free(f->tb);
    setenv("CLOUBED_VIRT_TYPE", "kvm", 1);
    assert_int_equal(open_tb(f, NULL), 0);
    assert_true(xml_type_is(cb_testbed_domain(f->tb, "one"), "kvm"));
    cb_testbed_free(f->tb);
    /* the option over the environment */
    assert_int_equal(open_tb(f, "qemu"), 0);
    assert_true(xml_type_is(cb_testbed_domain(f->tb, "one"), "qemu"));
    cb_testbed_free(f->tb);
    /* an empty variable is no choice: automatic, here a host that offers KVM */
    setenv("CLOUBED_VIRT_TYPE", "", 1);
    assert_int_equal(open_tb(f, NULL), 0);
    assert_true(xml_type_is(cb_testbed_domain(f->tb, "one"), "kvm"));
    cb_testbed_free(f->tb);
    f->tb = NULL;
    /* automatic on a host that offers no KVM (the test driver, no seam) */
    opts.uri = "test:///default";
    assert_int_equal(cb_testbed_open(&tb, f->path, &opts), 0);
    assert_int_equal(cb_domain_boot(cb_testbed_domain(tb, "two"), NULL), 0);
    assert_true(xml_type_is(cb_testbed_domain(tb, "two"), "qemu"));
    cb_testbed_cleanup(tb, 0);
    cb_testbed_free(tb);
}

static void test_invalid_values(void **state)
{
    struct fixture *f = *state;
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    cb_testbed *tb = (cb_testbed *)1;

    setenv("CLOUBED_VIRT_TYPE", "xen", 1);
    assert_int_equal(cb_testbed_open(&tb, f->path, NULL), CB_EINVAL);
    assert_null(tb);
    assert_string_equal(cb_error_last()->message,
                        "CLOUBED_VIRT_TYPE must be \"kvm\" or \"qemu\", not \"xen\"");
    /* a valid option makes the variable irrelevant */
    opts.virt_type = "qemu";
    assert_int_equal(cb_testbed_open(&tb, f->path, &opts), 0);
    cb_testbed_free(tb);
    opts.virt_type = "tcg";
    assert_int_equal(cb_testbed_open(&tb, f->path, &opts), CB_EINVAL);
    assert_string_equal(cb_error_last()->message,
                        "cb_testbed_open: virt_type must be \"kvm\" or \"qemu\", not \"tcg\"");
}

static void test_kvm_failures_recognised(void **state)
{
    (void)state;
    assert_true(host_is_kvm_failure(denied));
    assert_true(host_is_kvm_failure(msr));
    assert_true(host_is_kvm_failure("unsupported configuration: Emulator '/usr/bin/qemu-system-"
                                    "x86_64' does not support virt type 'kvm'"));
    assert_false(host_is_kvm_failure("Cannot access storage file '/x.qcow2': No such file"));
    assert_false(host_is_kvm_failure("Permission denied"));
    assert_false(host_is_kvm_failure(NULL));
}

static void test_automatic_falls_back_once(void **state)
{
    struct fixture *f = *state;

    f->fake.kvm_error = denied;
    assert_int_equal(open_tb(f, NULL), 0);
    assert_true(xml_type_is(cb_testbed_domain(f->tb, "one"), "kvm"));
    assert_int_equal(cb_domain_boot(cb_testbed_domain(f->tb, "one"), NULL), 0);
    /* one failed start under kvm, then the same domain under qemu */
    assert_int_equal(f->fake.starts, 2);
    assert_int_equal(f->fake.kvm_starts, 1);
    assert_true(defined_as(f, "tester:accel:one", "qemu"));
    assert_int_equal(f->log.warnings, 1);
    assert_non_null(strstr(f->log.text, "KVM cannot run guests on this host: starting domain one "
                                        "under kvm failed (cannot start domain tester:accel:one: "
                                        "internal error: process exited while connecting to "
                                        "monitor: Could not access KVM kernel module: Permission "
                                        "denied); the testbed's domains run under QEMU's TCG"));
    assert_non_null(strstr(f->log.text, "Set CLOUBED_VIRT_TYPE=qemu"));
    /* from now on the testbed is TCG: no second attempt, no second warning */
    assert_true(xml_type_is(cb_testbed_domain(f->tb, "two"), "qemu"));
    assert_int_equal(cb_domain_boot(cb_testbed_domain(f->tb, "two"), NULL), 0);
    assert_int_equal(f->fake.starts, 3);
    assert_int_equal(f->fake.kvm_starts, 1);
    assert_int_equal(f->log.warnings, 1);
}

static void test_refused_cpu_model_falls_back(void **state)
{
    struct fixture *f = *state;

    f->fake.kvm_error = msr;
    assert_int_equal(open_tb(f, NULL), 0);
    assert_int_equal(cb_domain_boot(cb_testbed_domain(f->tb, "two"), NULL), 0);
    assert_true(defined_as(f, "tester:accel:two", "qemu"));
    assert_non_null(strstr(f->log.text, "failed to set MSR 0x10a to 0x69); the testbed's"));
}

static void test_explicit_kvm_never_falls_back(void **state)
{
    struct fixture *f = *state;
    virDomainPtr dom;

    f->fake.kvm_error = denied;
    setenv("CLOUBED_VIRT_TYPE", "kvm", 1);
    assert_int_equal(open_tb(f, NULL), 0);
    assert_int_equal(cb_domain_boot(cb_testbed_domain(f->tb, "one"), NULL), CB_ELIBVIRT);
    assert_non_null(strstr(cb_error_last()->message,
                           "cannot start domain tester:accel:one: internal error: process exited"));
    /* QEMU's two lines, joined: a cb_error message is one line */
    assert_null(strchr(cb_error_last()->message, '\n'));
    assert_non_null(strstr(cb_error_last()->message, "module: Permission denied | 2026-11-25T17:40:"
                                                     "42.297930Z qemu-system-x86_64: -accel kvm"));
    assert_non_null(strstr(cb_error_last()->message,
                           "Permission denied (kvm was chosen explicitly; KVM may be unusable on "
                           "this host: set CLOUBED_VIRT_TYPE=qemu (or --virt-type qemu) to run "
                           "the guests under TCG)"));
    assert_int_equal(f->fake.starts, 1);
    assert_int_equal(f->log.warnings, 0);
    /* nothing of the attempt is left: no domain, no volume */
    assert_null(dom = virDomainLookupByName(f->peek, "tester:accel:one"));
    virResetLastError();
    assert_true(xml_type_is(cb_testbed_domain(f->tb, "one"), "kvm"));
}

static void test_other_failures_do_not_fall_back(void **state)
{
    struct fixture *f = *state;

    f->fake.any_error = "Cannot access storage file '/x.qcow2': No such file or directory";
    assert_int_equal(open_tb(f, NULL), 0);
    assert_int_equal(cb_domain_boot(cb_testbed_domain(f->tb, "two"), NULL), CB_ELIBVIRT);
    assert_string_equal(cb_error_last()->message,
                        "cannot start domain tester:accel:two: Cannot access storage file "
                        "'/x.qcow2': No such file or directory");
    assert_int_equal(f->fake.starts, 1);
    assert_true(xml_type_is(cb_testbed_domain(f->tb, "two"), "kvm"));
    assert_null(virDomainLookupByName(f->peek, "tester:accel:two"));
    virResetLastError();
}

/* A guest that never printed anything: the timed-out waits say so, and under
 * kvm they name the way out. */
static void test_silent_guest_diagnosed(void **state)
{
    struct fixture *f = *state;
    cb_domain *one;
    const char *m;

    assert_int_equal(open_tb(f, "kvm"), 0);
    one = cb_testbed_domain(f->tb, "one");
    assert_int_equal(cb_domain_boot(one, NULL), 0);
    assert_int_equal(cb_domain_wait_console(one, "login:", 100, 0), CB_ETIMEOUT);
    m = cb_error_last()->message;
    assert_non_null(strstr(m, "timed out after 100 ms waiting for \"login:\" on the console of "
                              "domain one; its console log is still empty, the guest has "
                              "printed nothing ("));
    assert_non_null(strstr(m, "one.console.log); KVM may be unusable on this host: set "
                              "CLOUBED_VIRT_TYPE=qemu (or --virt-type qemu) to run the guests "
                              "under TCG"));
    /* 127.0.0.3:9 (discard) has no listener here */
    assert_int_equal(cb_domain_wait_tcp(one, 9, 100, 0), CB_ETIMEOUT);
    assert_non_null(strstr(cb_error_last()->message, "at 127.0.0.3; its console log is still "
                                                     "empty"));
    cb_testbed_cleanup(f->tb, 0);
    cb_testbed_free(f->tb);
    f->tb = NULL;
    /* under qemu the same silence is reported, without the KVM hint */
    assert_int_equal(open_tb(f, "qemu"), 0);
    one = cb_testbed_domain(f->tb, "one");
    assert_int_equal(cb_domain_boot(one, NULL), 0);
    assert_int_equal(cb_domain_wait_console(one, "login:", 100, 0), CB_ETIMEOUT);
    m = cb_error_last()->message;
    assert_non_null(strstr(m, "the guest has printed nothing"));
    assert_null(strstr(m, "KVM"));
    /* a guest that spoke is not called silent */
    free(th_write(f->dir, ".cloubed/accel/one.console.log", "SeaBIOS\n", 8));
    assert_int_equal(cb_domain_wait_console(one, "login:", 100, 0), CB_ETIMEOUT);
    assert_string_equal(cb_error_last()->message, "timed out after 100 ms waiting for "
                                                  "\"login:\" on the console of domain one");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kvm_failures_recognised, setup, teardown),
        cmocka_unit_test_setup_teardown(test_automatic_falls_back_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_cpu_model_falls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explicit_kvm_never_falls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_failures_do_not_fall_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_silent_guest_diagnosed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
