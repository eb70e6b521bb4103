/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_snapshot_e2e.c: testbed snapshots and link faults on a real
 * libvirtd with three tiny guests, each on a small qcow2 disk (QEMU's
 * savevm needs one): a snapshot of the running testbed, changes (a guest
 * destroyed and its disk overwritten, one rebooted), a revert that brings
 * them back running without booting and, with CB_SNAPSHOT_REVERT_SYNC_CLOCK,
 * with their clocks set to the host's (one was set to 2001 before the
 * snapshot), a raw disk refused before anything is touched, an unknown
 * name, delete, cleanup; then a pulled cable.
 *
 * Needs qemu:///system. Outside CI a missing daemon or guest skips the test
 * (exit 77) with the reason; in CI (CI=true) it fails.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "e2e_guest.h"
#include "test_helpers.h"

#define URI "qemu:///system"
/* TCG on two busy cores. */
#define WAIT_MS (300 * 1000)

static const char *guest_dir;

#define GUEST(n, ip, disk)                                                            \
    E2E_TINY_DOMAIN(n, "128M")                                                        \
    "    cmdline: console=ttyS0 no_timer_check cloubed.hostname=" n " cloubed.mark=mark-" n "\n"     \
    "    netifs: [{network: lab, ip: " ip "}]\n"                                      \
    "    disks: [" disk "]\n"

static const char yaml_fmt[] =
    "testbed: snape2e\n"
    "storagevolumes:\n"
    "  - {name: rawdisk, size: 1, format: raw}\n"
    "networks:\n"
    "  - name: lab\n"
    "    address: 10.237.0.1/24\n"
    "    dhcp: {start: 10.237.0.100, end: 10.237.0.150}\n"
    "domains:\n"
    GUEST("sa", "10.237.0.11", "{device: vda, name: sa-disk, size: 1}")
    GUEST("sb", "10.237.0.12", "{device: vda, name: sb-disk, size: 1}")
    GUEST("sc", "10.237.0.13", "{device: vda, name: sc-disk, size: 1}")
    GUEST("sraw", "10.237.0.14", "{device: vda, storage_volume: rawdisk}");

static cb_testbed *tb;
static char *dir;

static cb_domain *dom(const char *name)
{
    return cb_testbed_domain(tb, name);
}

static void ok(int rc, const char *what)
{
    if (rc < 0)
        fail_msg("%s: %s", what, cb_error_last()->message);
}

static cb_domain_state state_of(const char *name)
{
    cb_domain_state st;
    ok(cb_domain_get_state(&st, dom(name), 0), "state");
    return st;
}

static long long log_size(const char *name)
{
    struct stat st;
    return stat(cb_domain_console_log(dom(name)), &st) == 0 ? st.st_size : 0;
}

/* Whether the console log holds TEXT after FROM (the whole log when it is
 * shorter than FROM: QEMU started again and the log with it). */
static bool log_has_after(const char *name, long long from, const char *text)
{
    char *s = th_read(cb_domain_console_log(dom(name)));
    bool has;

    assert_non_null(s);
    if ((long long)strlen(s) < from)
        from = 0;
    has = strstr(s + from, text) != NULL;
    free(s);
    return has;
}

static void list_is(const char *only)
{
    cb_snapshots *l = NULL;

    ok(cb_testbed_snapshot_list(&l, tb, 0), "list");
    assert_int_equal(cb_snapshots_count(l), only ? 1 : 0);
    if (only)
        assert_string_equal(cb_snapshots_name(l, 0), only);
    cb_snapshots_free(l);
}

/* A TCP connection to IP:PORT within MS: 0 when it connected. */
static int tcp_connect(const char *ip, int port, int ms)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), rc = -1, err = 0;
    socklen_t len = sizeof(err);
    struct pollfd p;

    assert_true(fd >= 0);
    inet_pton(AF_INET, ip, &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
        rc = 0;
    } else if (errno == EINPROGRESS) {
        p = (struct pollfd){ fd, POLLOUT, 0 };
        if (poll(&p, 1, ms) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && !err)
            rc = 0;
    }
    close(fd);
    return rc;
}

/* Overwrites the first sector of a shut-off domain's qcow2 disk. */
static void scribble(const char *path)
{
    char *cmd;
    assert_true(asprintf(&cmd, "qemu-io -f qcow2 -c 'write -P 0x41 0 512' '%s' >/dev/null",
                         path) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

/* The guest's clock, in seconds since the epoch (date +%s, through the
 * agent). */
static long long guest_time(const char *name)
{
    cb_exec_result *r = NULL;
    long long t;

    ok(cb_domain_exec_shell(&r, dom(name), "date +%s", NULL), "date");
    assert_int_equal(cb_exec_result_exit_status(r), 0);
    t = strtoll(cb_exec_result_stdout(r, NULL), NULL, 10);
    cb_exec_result_free(r);
    return t;
}

static void test_snapshot_revert(void **state)
{
    cb_up_options up = CB_UP_OPTIONS_INIT;
    static const char *const three[] = { "sa", "sb", "sc", NULL };
    static const char *const names[] = { "sa", "sb", "sc" };
    long long before[3];
    char *sa_disk;
    cb_op_result *r = NULL;
    cb_exec_result *x = NULL;
    size_t i;
    int rc;

    (void)state;
    up.domains = three;
    up.ready = "console:cloubed-guest: ready";
    up.timeout_ms = WAIT_MS;
    if ((rc = cb_testbed_up(&r, tb, &up)) < 0)
        fail_msg("up: %s", cb_error_last()->message);
    cb_op_result_free(r);
    for (i = 0; i < 3; i++)
        assert_true(log_has_after(names[i], 0, "disk vda now says: mark-"));

    /* sa's clock in 2001 when the snapshot is taken */
    ok(cb_domain_wait_agent(dom("sa"), WAIT_MS, 0), "sa's agent");
    ok(cb_domain_exec_shell(&x, dom("sa"), "date -u -s @1000000000", NULL), "date -s");
    assert_int_equal(cb_exec_result_exit_status(x), 0);
    cb_exec_result_free(x);
    assert_true(guest_time("sa") < 1100000000LL);

    /* the snapshot of the running testbed */
    ok(cb_testbed_snapshot_create(tb, "before", 0), "snapshot");
    list_is("before");
    for (i = 0; i < 3; i++)
        assert_int_equal(state_of(names[i]), CB_DOMAIN_STATE_RUNNING);
    assert_int_equal(cb_testbed_snapshot_create(tb, "before", 0), CB_ECONFLICT);

    /* changes: sa destroyed and its disk overwritten, sb rebooted */
    ok(cb_domain_destroy(dom("sa"), 0), "destroy sa");
    sa_disk = strdup(cb_storage_volume_path(cb_testbed_storage_volume(tb, "sa-disk")));
    scribble(sa_disk);
    ok(cb_domain_reset(dom("sb"), 0), "reset sb");
    ok(cb_domain_wait_console(dom("sb"), "cloubed-guest: ready", WAIT_MS, 0), "sb rebooted");
    assert_true(log_has_after("sb", 0, "disk vda says: mark-sb"));

    /* back: running, from where they were, no boot */
    for (i = 0; i < 3; i++)
        before[i] = log_size(names[i]);
    ok(cb_testbed_snapshot_revert(tb, "before", CB_SNAPSHOT_REVERT_SYNC_CLOCK), "revert");
    for (i = 0; i < 3; i++) {
        long long now = (long long)time(NULL), t;
        assert_int_equal(state_of(names[i]), CB_DOMAIN_STATE_RUNNING);
        ok(cb_domain_wait_tcp(dom(names[i]), 80, WAIT_MS, 0), "http after revert");
        assert_false(log_has_after(names[i], before[i], "init started"));
        /* the host's time, not the snapshot's (sa: not 2001); the margin
         * is the exec's way under TCG */
        t = guest_time(names[i]);
        if (t < now - 60 || t > now + 60)
            fail_msg("%s's clock says %lld, the host's %lld", names[i], t, now);
    }
    /* sa's disk is the snapshot's: a boot finds its mark, not the scribble */
    ok(cb_domain_reset(dom("sa"), 0), "reset sa");
    ok(cb_domain_wait_console(dom("sa"), "cloubed-guest: ready", WAIT_MS, 0), "sa rebooted");
    assert_true(log_has_after("sa", 0, "disk vda says: mark-sa"));
    assert_false(log_has_after("sa", 0, "AAAA"));
    free(sa_disk);

    /* a raw disk: refused, nothing touched */
    ok(cb_domain_boot(dom("sraw"), NULL), "boot sraw");
    ok(cb_domain_destroy(dom("sraw"), 0), "destroy sraw");
    assert_int_equal(cb_testbed_snapshot_create(tb, "second", 0), CB_EUNSUPPORTED);
    assert_non_null(strstr(cb_error_last()->message,
                           "domain sraw: disk vda (volume rawdisk) is raw, not qcow2"));
    for (i = 0; i < 3; i++)
        assert_int_equal(state_of(names[i]), CB_DOMAIN_STATE_RUNNING);
    list_is("before");
    ok(cb_domain_cleanup(dom("sraw"), 0), "cleanup sraw");

    assert_int_equal(cb_testbed_snapshot_revert(tb, "nope", 0), CB_ENOTFOUND);
    assert_non_null(strstr(cb_error_last()->message, "has no snapshot nope"));
    ok(cb_testbed_snapshot_delete(tb, "before", 0), "delete");
    list_is(NULL);
    assert_int_equal(cb_testbed_snapshot_revert(tb, "before", 0), CB_ENOTFOUND);
    for (i = 0; i < 3; i++)
        assert_int_equal(state_of(names[i]), CB_DOMAIN_STATE_RUNNING);
    /* one left for cleanup */
    ok(cb_testbed_snapshot_create(tb, "left", 0), "snapshot left");
}

/* A pulled cable: the guest's page is unreachable, then answers again. */
static void test_link(void **state)
{
    cb_domain *sc = dom("sc");

    (void)state;
    ok(cb_domain_wait_tcp(sc, 80, WAIT_MS, 0), "sc answers");
    ok(cb_domain_link_set(sc, "lab", 0, 0), "link down");
    assert_int_not_equal(tcp_connect("10.237.0.13", 80, 3000), 0);
    ok(cb_domain_link_set(sc, "lab", 1, 0), "link up");
    ok(cb_domain_wait_tcp(sc, 80, 60 * 1000, 0), "sc answers again");
    assert_int_equal(cb_domain_link_set(sc, "nope", 0, 0), CB_ENOTFOUND);
}

/* Cleanup removes domains that have snapshots, and their volumes. */
static void test_cleanup(void **state)
{
    virConnectPtr c = virConnectOpen(URI);
    virDomainPtr d;

    (void)state;
    assert_non_null(c);
    ok(cb_testbed_cleanup(tb, 0), "cleanup");
    d = virDomainLookupByName(c, cb_domain_libvirt_name(dom("sa")));
    assert_null(d);
    virConnectClose(c);
}

static int group_setup(void **state)
{
    cb_testbed_options topts = CB_TESTBED_OPTIONS_INIT;
    char *yaml, *path;

    (void)state;
    dir = th_mkdtemp();
    chmod(dir, 0755); /* QEMU runs as libvirt-qemu: it must reach the disks */
    yaml = th_replace(yaml_fmt, "@GUEST@", guest_dir);
    path = th_write(dir, "cloubed.yaml", yaml, strlen(yaml));
    topts.uri = URI;
    if (cb_testbed_open(&tb, path, &topts) < 0)
        fail_msg("%s", cb_error_last()->message);
    cb_testbed_cleanup(tb, 0); /* what an earlier failed run may have left */
    free(yaml);
    free(path);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    cb_testbed_cleanup(tb, 0);
    cb_testbed_free(tb);
    th_rmtree(dir);
    free(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot_revert),
        cmocka_unit_test(test_link),
        cmocka_unit_test(test_cleanup),
    };
    int status;

    if (!(guest_dir = e2e_guest(URI, &status)))
        return status;
    return cmocka_run_group_tests_name("snapshots and links end to end on " URI, tests,
                                       group_setup, group_teardown);
}
