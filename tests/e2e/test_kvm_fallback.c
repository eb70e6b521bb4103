/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_kvm_fallback.c: a host whose /dev/kvm QEMU cannot open, on the real
 * daemon. libvirtd runs as root and offers KVM; QEMU runs as libvirt-qemu
 * and fails. The test makes /dev/kvm root-only (0600, as on a host without
 * udev) for its duration and restores it afterwards:
 *  - automatic: the guest boots under TCG, the testbed says why, once;
 *  - CLOUBED_VIRT_TYPE=kvm: the boot fails, names the way out, leaves nothing.
 * On a host without /dev/kvm, or whose libvirt offers no KVM, there is
 * nothing to fall back from: the test says so and is skipped (the decision
 * itself is covered by integration/accel on every host).
 */
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

#include "e2e_guest.h"
#include "test_helpers.h"

#define URI "qemu:///system"
#define WAIT_S 180

static const char yaml_fmt[] =
    "testbed: kvmfb\n"
    "networks:\n"
    "  - {name: lab, address: 10.233.0.1/24, dhcp: {start: 10.233.0.100, end: 10.233.0.120}}\n"
    "domains:\n"
    E2E_TINY_DOMAIN("guest", "128M")
    "    cmdline: console=ttyS0 no_timer_check cloubed.hostname=kvmfb\n"
    "    netifs: [{network: lab, ip: 10.233.0.10}]\n"
    "    disks: []\n";

static struct stat kvm_st; /* /dev/kvm as it was, restored at exit */

static void restore_kvm(void)
{
    if (chown("/dev/kvm", kvm_st.st_uid, kvm_st.st_gid) < 0 ||
        chmod("/dev/kvm", kvm_st.st_mode & 07777) < 0)
        perror("cannot restore /dev/kvm");
}

struct fixture {
    char *dir, *path;
    cb_testbed *tb;
    struct th_log log;
    virConnectPtr conn;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    const char *guest = getenv("CB_GUEST_DIR") ? getenv("CB_GUEST_DIR") : "/var/lib/cloubed/guest";
    char *yaml = th_replace(yaml_fmt, "@GUEST@", guest);

    f->dir = th_mkdtemp();
    chmod(f->dir, 0755); /* QEMU runs as libvirt-qemu */
    f->path = th_write(f->dir, "cloubed.yaml", yaml, strlen(yaml));
    f->conn = virConnectOpen(URI);
    free(yaml);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    if (f->tb) {
        cb_testbed_cleanup(f->tb, 0);
        cb_testbed_free(f->tb);
    }
    virConnectClose(f->conn);
    th_rmtree(f->dir);
    free(f->dir);
    free(f->path);
    free(f);
    return 0;
}

static void open_tb(struct fixture *f)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;

    opts.uri = URI;
    opts.user = "cbtest";
    opts.log_cb = th_log_cb;
    opts.log_payload = &f->log;
    if (cb_testbed_open(&f->tb, f->path, &opts) < 0)
        fail_msg("%s", cb_error_last()->message);
    cb_testbed_cleanup(f->tb, 0); /* leftovers of an interrupted run */
}

static char *defined_xml(struct fixture *f)
{
    virDomainPtr dom = virDomainLookupByName(f->conn, "cbtest:kvmfb:guest");
    char *xml = dom ? virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE) : NULL;

    if (dom)
        virDomainFree(dom);
    return xml;
}

static void test_automatic_runs_the_guest_under_tcg(void **state)
{
    struct fixture *f = *state;
    cb_domain *d;
    char *xml;

    unsetenv("CLOUBED_VIRT_TYPE");
    open_tb(f);
    d = cb_testbed_domain(f->tb, "guest");
    if (cb_domain_boot(d, NULL) < 0)
        fail_msg("%s", cb_error_last()->message);
    xml = defined_xml(f);
    assert_non_null(xml);
    assert_non_null(strstr(xml, "<domain type='qemu'"));
    free(xml);
    assert_int_equal(f->log.warnings, 1);
    assert_non_null(strstr(f->log.text, "KVM cannot run guests on this host: starting domain "
                                        "guest under kvm failed"));
    assert_non_null(strstr(f->log.text, "Permission denied"));
    assert_non_null(strstr(f->log.text, "Set CLOUBED_VIRT_TYPE=qemu"));
    /* and the guest really runs */
    if (cb_domain_wait_console(d, "cloubed-guest: ready 10.233.0.10", WAIT_S * 1000, 0) < 0)
        fail_msg("%s", cb_error_last()->message);
}

static void test_explicit_kvm_fails_and_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    virNetworkPtr net;

    setenv("CLOUBED_VIRT_TYPE", "kvm", 1);
    open_tb(f);
    unsetenv("CLOUBED_VIRT_TYPE");
    assert_int_equal(cb_domain_boot(cb_testbed_domain(f->tb, "guest"), NULL), CB_ELIBVIRT);
    assert_non_null(strstr(cb_error_last()->message, "cannot start domain cbtest:kvmfb:guest: "));
    assert_non_null(strstr(cb_error_last()->message,
                           "(kvm was chosen explicitly; KVM may be unusable on this host: set "
                           "CLOUBED_VIRT_TYPE=qemu (or --virt-type qemu) to run the guests "
                           "under TCG)"));
    assert_int_equal(f->log.warnings, 0);
    /* the boot created the network and the domain: both are gone again */
    assert_null(defined_xml(f));
    net = virNetworkLookupByName(f->conn, "cbtest:kvmfb:lab");
    assert_null(net);
}

static bool libvirt_offers_kvm(void)
{
    virConnectPtr c = virConnectOpen(URI);
    char *caps = c ? virConnectGetCapabilities(c) : NULL;
    bool kvm = caps && strstr(caps, "<domain type='kvm'");

    free(caps);
    if (c)
        virConnectClose(c);
    return kvm;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_automatic_runs_the_guest_under_tcg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explicit_kvm_fails_and_leaves_nothing, setup,
                                        teardown),
    };
    int rc;

    virSetErrorFunc(NULL, NULL);
    if (stat("/dev/kvm", &kvm_st) < 0 || !S_ISCHR(kvm_st.st_mode)) {
        fprintf(stderr, "SKIP: no /dev/kvm on this host: nothing to fall back from "
                        "(integration/accel covers the decision)\n");
        return 77;
    }
    if (!libvirt_offers_kvm()) {
        fprintf(stderr, "SKIP: libvirt at %s offers no KVM here: nothing to fall back from "
                        "(integration/accel covers the decision)\n", URI);
        return 77;
    }
    /* As on a host without udev: only root, so libvirtd offers KVM and QEMU
     * (libvirt-qemu) cannot open it. */
    atexit(restore_kvm);
    if (chown("/dev/kvm", 0, 0) < 0 || chmod("/dev/kvm", 0600) < 0) {
        perror("cannot make /dev/kvm root-only");
        return 1;
    }
    rc = cmocka_run_group_tests_name("a /dev/kvm that QEMU cannot open", tests, NULL, NULL);
    return rc;
}
