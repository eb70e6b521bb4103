/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_up_e2e.c: cb_testbed_up/down on a real libvirtd: four tiny guests
 * up at once until their console says ready, a second up that changes
 * nothing, then down by ACPI.
 *
 * Needs qemu:///system. Outside CI a missing daemon or guest skips the test
 * (exit 77) with the reason; in CI (CI=true) it fails.
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
/* TCG on two busy cores: four boots at once take a while. */
#define WAIT_MS (240 * 1000)

static const char *guest_dir;

#define GUEST(n, ip)                                                                  \
    E2E_TINY_DOMAIN(n, "128M")                                                        \
    "    cmdline: console=ttyS0 no_timer_check cloubed.hostname=" n "\n"                             \
    "    netifs: [{network: lab, ip: " ip "}]\n"                                      \
    "    disks: [{device: vda, name: " n "-disk, size: 1, backing: base}]\n"

static const char yaml_fmt[] =
    "testbed: upe2e\n"
    "storagevolumes:\n"
    "  - {name: base, size: 1}\n"
    "networks:\n"
    "  - name: lab\n"
    "    address: 10.234.0.1/24\n"
    "    dhcp: {start: 10.234.0.100, end: 10.234.0.150}\n"
    "domains:\n"
    GUEST("u1", "10.234.0.11") GUEST("u2", "10.234.0.12")
    GUEST("u3", "10.234.0.13") GUEST("u4", "10.234.0.14");

static void print_progress(const cb_progress *p, void *payload)
{
    (void)payload;
    fprintf(stderr, "%7.2fs %s %s%s%s\n", p->elapsed_s, cb_domain_name(p->domain),
            cb_progress_state_name(p->state), p->message ? ": " : "", p->message ? p->message : "");
}

static void test_up_4_tiny_ready_console(void **state)
{
    cb_testbed_options topts = CB_TESTBED_OPTIONS_INIT;
    cb_up_options up = CB_UP_OPTIONS_INIT;
    cb_down_options down = CB_DOWN_OPTIONS_INIT;
    struct th_log log = { "", 0 };
    cb_op_result *r = NULL;
    cb_testbed *tb = NULL;
    char *dir = th_mkdtemp(), *yaml = th_replace(yaml_fmt, "@GUEST@", guest_dir), *path;
    size_t i;
    int rc;

    (void)state;
    chmod(dir, 0755); /* QEMU runs as libvirt-qemu: it must reach the disks */
    path = th_write(dir, "cloubed.yaml", yaml, strlen(yaml));
    topts.uri = URI;
    topts.log_cb = th_log_cb;
    topts.log_payload = &log;
    if (cb_testbed_open(&tb, path, &topts) < 0)
        fail_msg("%s", cb_error_last()->message);
    cb_testbed_cleanup(tb, 0); /* what an earlier failed run may have left */

    up.ready = "console:cloubed-guest: ready";
    up.timeout_ms = WAIT_MS;
    up.progress = print_progress;
    rc = cb_testbed_up(&r, tb, &up);
    if (rc < 0) {
        fprintf(stderr, "%s\n", cb_error_last()->message);
        cb_testbed_cleanup(tb, 0);
        fail_msg("up failed");
    }
    for (i = 0; i < cb_op_result_count(r); i++)
        assert_int_equal(cb_op_result_state(r, i), CB_PROGRESS_READY);
    fprintf(stderr, "all ready in %.2fs\n", cb_op_result_elapsed(r));
    cb_op_result_free(r);

    /* up again: nothing to do */
    assert_int_equal(cb_testbed_up(&r, tb, &up), 0);
    assert_int_equal(cb_op_result_changes(r), 0);
    for (i = 0; i < cb_op_result_count(r); i++)
        assert_int_equal(cb_op_result_state(r, i), CB_PROGRESS_UNCHANGED);
    cb_op_result_free(r);

    down.grace_ms = 120 * 1000;
    down.progress = print_progress;
    rc = cb_testbed_down(&r, tb, &down);
    if (rc < 0)
        fprintf(stderr, "%s\n", cb_error_last()->message);
    for (i = 0; rc == 0 && i < cb_op_result_count(r); i++)
        assert_int_equal(cb_op_result_state(r, i), CB_PROGRESS_STOPPED);
    cb_op_result_free(r);
    if (cb_testbed_cleanup(tb, 0) < 0)
        fail_msg("cleanup: %s", cb_error_last()->message);
    assert_int_equal(rc, 0);
    cb_testbed_free(tb);
    th_rmtree(dir);
    free(dir);
    free(yaml);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_up_4_tiny_ready_console),
    };
    int status;

    if (!(guest_dir = e2e_guest(URI, &status)))
        return status;
    return cmocka_run_group_tests_name("up/down end to end on " URI, tests, NULL, NULL);
}
