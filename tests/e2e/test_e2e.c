/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_e2e.c: the libvirt backend on a real libvirtd with real QEMU guests
 * (the tiny guest of tests/guest/build-guest.sh, under TCG when there is no
 * KVM). Two testbeds boot side by side; every operation is observed from
 * outside: DHCP leases, the guests' HTTP port, their console logs, libvirt.
 *
 * Needs qemu:///system. Outside CI a missing daemon or guest skips the test
 * (exit 77) with the reason; in CI (CI=true) it fails.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "e2e_guest.h"
#include "test_helpers.h"

#define URI "qemu:///system"
#define USER "cbtest"
/* TCG on two busy cores: a boot takes seconds; allow minutes. */
#define WAIT_S 180

static const char *guest_dir;

static const char yaml_fmt[] =
    "testbed: e2e\n"
    "storagevolumes:\n"
    "  - {name: base, size: 1}\n"
    "networks:\n"
    "  - name: lab\n"
    "    address: 10.231.0.1/24\n"
    "    dhcp: {start: 10.231.0.100, end: 10.231.0.150}\n"
    "domains:\n"
    E2E_TINY_DOMAIN("alpha", "192M")
    "    cmdline: console=ttyS0 no_timer_check cloubed.hostname=alpha cloubed.agent=off\n"
    "    netifs: [{network: lab, ip: 10.231.0.10}]\n"
    "    disks: [{device: vda, name: alpha-disk, size: 1, backing: base}]\n"
    E2E_TINY_DOMAIN("beta", "192M")
    "    cmdline: console=ttyS0 no_timer_check cloubed.hostname=beta\n"
    "    netifs: [{network: lab, ip: 10.231.0.11}]\n"
    "    disks: [{device: vda, name: beta-disk, size: 1}]\n";

static const char bystander_fmt[] =
    "testbed: bystander\n"
    "networks:\n"
    "  - {name: lab, address: 10.232.0.1/24, dhcp: {start: 10.232.0.100, end: 10.232.0.120}}\n"
    "domains:\n"
    E2E_TINY_DOMAIN("gamma", "192M")
    "    cmdline: console=ttyS0 no_timer_check cloubed.hostname=gamma\n"
    "    netifs: [{network: lab}]\n"
    "    disks: [{device: vda, name: gamma-disk, size: 1}]\n";

struct world {
    char *dir;
    cb_testbed *tb, *bystander;
    virConnectPtr conn;
    struct th_log log;
};

/* GET / from ADDR:80; returns the body's first line or NULL. */
static char *http_get(const char *addr)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(80) };
    char buf[512] = "", *body, *nl;
    struct pollfd pfd;
    size_t len = 0;
    int fd;
    ssize_t n;

    inet_pton(AF_INET, addr, &sa.sin_addr);
    if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
        return NULL;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS)
        goto fail;
    pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
    if (poll(&pfd, 1, 1000) != 1)
        goto fail;
    int soerr = 0;
    socklen_t sl = sizeof(soerr);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0 || soerr)
        goto fail;
    if (write(fd, "GET / HTTP/1.0\r\n\r\n", 18) != 18)
        goto fail;
    pfd.events = POLLIN;
    while (len < sizeof(buf) - 1 && poll(&pfd, 1, 2000) == 1 &&
           (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
        len += (size_t)n;
    close(fd);
    buf[len] = '\0';
    if (!(body = strstr(buf, "\r\n\r\n")))
        return NULL;
    body += 4;
    if ((nl = strchr(body, '\n')))
        *nl = '\0';
    return strdup(body);
fail:
    close(fd);
    return NULL;
}

/* D answers EXPECTED on its port 80 at ADDR: the library waits for the
 * port, then one request. */
static void wait_http(cb_domain *d, const char *addr, const char *expected)
{
    char *got;

    if (cb_domain_wait_tcp(d, 80, WAIT_S * 1000, 0) < 0)
        fail_msg("%s", cb_error_last()->message);
    got = http_get(addr);
    if (!got || strcmp(got, expected) != 0)
        fail_msg("%s answered \"%s\", not \"%s\"", addr, got ? got : "nothing", expected);
    free(got);
}

static int count_in_file(const char *path, const char *text)
{
    char *s = th_read(path), *p;
    int n = 0;

    for (p = s; p && (p = strstr(p, text)); p++)
        n++;
    free(s);
    return n;
}

/* The next TEXT on D's console, after what earlier waits consumed. */
static void wait_console(cb_domain *d, const char *text)
{
    if (cb_domain_wait_console(d, text, WAIT_S * 1000, 0) < 0)
        fail_msg("%s", cb_error_last()->message);
}

/* D reached WANT, as EVENT (already waited for, or waited for here) says. */
static void wait_state(cb_domain *d, const char *event, cb_domain_state want)
{
    cb_domain_state st = CB_DOMAIN_STATE_UNKNOWN;

    if (event && cb_domain_wait_event(d, event, WAIT_S * 1000, 0) < 0)
        fail_msg("%s", cb_error_last()->message);
    assert_int_equal(cb_domain_get_state(&st, d, 0), 0);
    if (st != want)
        fail_msg("domain %s is %s, not %s", cb_domain_name(d), cb_domain_state_name(st),
                 cb_domain_state_name(want));
}

static cb_testbed *open_bed(struct world *w, const char *name, const char *fmt)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    cb_testbed *tb = NULL;
    char *dir, *yaml, *path;

    assert_true(asprintf(&dir, "%s/%s", w->dir, name) > 0);
    assert_int_equal(mkdir(dir, 0755), 0);
    yaml = th_replace(fmt, "@GUEST@", guest_dir);
    path = th_write(dir, "cloubed.yaml", yaml, strlen(yaml));
    opts.uri = URI;
    opts.user = USER;
    opts.log_cb = th_log_cb;
    opts.log_payload = &w->log;
    if (cb_testbed_open(&tb, path, &opts) < 0)
        fail_msg("%s", cb_error_last()->message);
    free(path);
    free(yaml);
    free(dir);
    return tb;
}

static void *boot_thread(void *arg)
{
    cb_domain *d = arg;
    if (cb_domain_boot(d, NULL) < 0) {
        fprintf(stderr, "boot %s: %s\n", cb_domain_name(d), cb_error_last()->message);
        return (void *)1;
    }
    return NULL;
}

static int group_setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    cb_domain *ds[3];
    pthread_t t[3];
    void *r;
    int i, failed = 0;

    w->dir = th_mkdtemp();
    chmod(w->dir, 0755); /* QEMU runs as libvirt-qemu: it must reach the disks */
    w->conn = virConnectOpen(URI);
    w->tb = open_bed(w, "e2e", yaml_fmt);
    w->bystander = open_bed(w, "bystander", bystander_fmt);
    /* Leftovers of an interrupted run carry the same names: clear them. */
    cb_testbed_cleanup(w->tb, 0);
    cb_testbed_cleanup(w->bystander, 0);
    ds[0] = cb_testbed_domain(w->tb, "alpha");
    ds[1] = cb_testbed_domain(w->tb, "beta");
    ds[2] = cb_testbed_domain(w->bystander, "gamma");
    for (i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, boot_thread, ds[i]);
    for (i = 0; i < 3; i++) {
        pthread_join(t[i], &r);
        failed |= r != NULL;
    }
    *state = w;
    return failed ? -1 : 0;
}

static int group_teardown(void **state)
{
    struct world *w = *state;

    cb_testbed_cleanup(w->tb, 0);
    cb_testbed_cleanup(w->bystander, 0);
    cb_testbed_free(w->tb);
    cb_testbed_free(w->bystander);
    virConnectClose(w->conn);
    th_rmtree(w->dir);
    free(w->dir);
    free(w);
    return 0;
}

static void test_static_addresses(void **state)
{
    struct world *w = *state;
    virNetworkPtr net = virNetworkLookupByName(w->conn, USER ":e2e:lab");
    virNetworkDHCPLeasePtr *leases = NULL;
    int n, i, found = 0;

    /* Each guest answers on its static address, with its own name. */
    wait_http(cb_testbed_domain(w->tb, "alpha"), "10.231.0.10", "alpha 10.231.0.10");
    wait_http(cb_testbed_domain(w->tb, "beta"), "10.231.0.11", "beta 10.231.0.11");
    /* ... which libvirt's DHCP server leased to its MAC. */
    assert_non_null(net);
    n = virNetworkGetDHCPLeases(net, NULL, &leases, 0);
    assert_true(n >= 2);
    for (i = 0; i < n; i++) {
        if (strcmp(leases[i]->ipaddr, "10.231.0.10") == 0 && leases[i]->hostname &&
            strcmp(leases[i]->hostname, "alpha") == 0)
            found++;
        if (strcmp(leases[i]->ipaddr, "10.231.0.11") == 0)
            found++;
        virNetworkDHCPLeaseFree(leases[i]);
    }
    free(leases);
    virNetworkFree(net);
    assert_int_equal(found, 2);
    /* its console announcing the address: test_waits_on_real_guests waits
     * for that line (a wait here would consume it) */
}

static void test_host_profile(void **state)
{
    struct world *w = *state;
    virDomainPtr dom = virDomainLookupByName(w->conn, USER ":e2e:alpha");
    char *xml = virDomainGetXMLDesc(dom, 0);
    const char *chosen = getenv("CLOUBED_VIRT_TYPE");

    assert_non_null(strstr(xml, "machine='pc-i440fx-"));
    assert_non_null(strstr(xml, "<emulator>/"));
    if (chosen && *chosen) {
        /* chosen (scripts/virt-env.sh does where KVM cannot run guests): no warning */
        char want[64];
        snprintf(want, sizeof(want), "<domain type='%s'", chosen);
        assert_non_null(strstr(xml, want));
        assert_null(strstr(w->log.text, "TCG emulation"));
    } else if (strstr(xml, "<domain type='qemu'")) {
        /* automatic, and KVM absent or unusable: said once, with why */
        assert_non_null(strstr(w->log.text, "the testbed's domains run under QEMU's TCG "
                                            "emulation (type qemu)"));
    }
    free(xml);
    virDomainFree(dom);
}

static void test_waits_on_real_guests(void **state)
{
    struct world *w = *state;
    cb_domain *alpha = cb_testbed_domain(w->tb, "alpha"), *gamma = cb_testbed_domain(w->bystander, "gamma");

    /* booted before anybody waited: the event is still there */
    assert_int_equal(cb_domain_wait_event(alpha, "started:booted", WAIT_S * 1000, 0), 0);
    /* readiness: the console line, then the port by static ip ... */
    if (cb_domain_wait_console(alpha, "cloubed-guest: ready 10.231.0.10", WAIT_S * 1000, 0) < 0 ||
        cb_domain_wait_tcp(alpha, 80, WAIT_S * 1000, 0) < 0)
        fail_msg("%s", cb_error_last()->message);
    /* ... and by the address DHCP leased to a netif without one */
    if (cb_domain_wait_tcp(gamma, 80, WAIT_S * 1000, 0) < 0)
        fail_msg("%s", cb_error_last()->message);
}

static void test_status_reports_states(void **state)
{
    struct world *w = *state;
    char *text = NULL, *json = NULL;

    assert_int_equal(cb_testbed_status(&text, w->tb, CB_STATUS_TEXT, 0), 0);
    assert_non_null(strstr(text, "  - alpha\n    - status    : running   \n"));
    assert_non_null(strstr(text, "  - beta\n    - status    : running   \n"));
    assert_non_null(strstr(text, "  - lab\n    - status    : active\n    - bridge    : virbr"));
    assert_int_equal(cb_testbed_status(&json, w->tb, CB_STATUS_JSON, 0), 0);
    assert_non_null(strstr(json, "\"libvirt_name\" : \"" USER ":e2e:alpha-disk.qcow2\",\n      \"status\" : \"active\""));
    free(text);
    free(json);
}

static void test_pause_unpause(void **state)
{
    struct world *w = *state;
    cb_domain *alpha = cb_testbed_domain(w->tb, "alpha");

    /* S3 goes through the guest agent, which alpha does not run
     * (cloubed.agent=off): said so */
    assert_int_equal(cb_domain_pm_suspend(alpha, 0), CB_EUNSUPPORTED);
    assert_non_null(strstr(cb_error_last()->message, "needs qemu-guest-agent running in the guest"));
    assert_int_equal(cb_domain_clear_events(alpha, 0), 0);
    assert_int_equal(cb_domain_pause(alpha, 0), 0);
    wait_state(alpha, "suspended:paused", CB_DOMAIN_STATE_PAUSED);
    assert_int_equal(cb_domain_unpause(alpha, 0), 0);
    wait_state(alpha, "resumed:unpaused", CB_DOMAIN_STATE_RUNNING);
    wait_http(alpha, "10.231.0.10", "alpha 10.231.0.10");
}

static void test_reboot_and_reset_come_back(void **state)
{
    struct world *w = *state;
    cb_domain *alpha = cb_testbed_domain(w->tb, "alpha"), *beta = cb_testbed_domain(w->tb, "beta");

    /* alpha's first "ready" was consumed by test_waits_on_real_guests,
     * beta's is consumed here: the next ones come from the new boots */
    wait_console(beta, "cloubed-guest: ready");
    assert_int_equal(cb_domain_reboot(alpha, 0), 0);
    assert_int_equal(cb_domain_reset(beta, 0), 0);
    wait_console(alpha, "cloubed-guest: ready");
    wait_console(beta, "cloubed-guest: ready");
    wait_http(alpha, "10.231.0.10", "alpha 10.231.0.10");
    wait_http(beta, "10.231.0.11", "beta 10.231.0.11");
}

static void test_acpi_shutdown_and_destroy(void **state)
{
    struct world *w = *state;
    cb_domain *alpha = cb_testbed_domain(w->tb, "alpha"), *beta = cb_testbed_domain(w->tb, "beta");

    assert_int_equal(cb_domain_clear_events(alpha, 0), 0);
    assert_int_equal(cb_domain_shutdown(alpha, 0), 0);
    /* the guest's ACPI handler powers it off: libvirt says so */
    if (cb_domain_wait_event(alpha, "stopped:shutdown", WAIT_S * 1000, 0) < 0)
        fail_msg("%s", cb_error_last()->message);
    wait_state(alpha, NULL, CB_DOMAIN_STATE_SHUTOFF);
    assert_true(count_in_file(cb_domain_console_log(alpha), "power button, powering off") >= 1);
    assert_int_equal(cb_domain_destroy(beta, 0), 0);
    assert_int_equal(cb_domain_wait_event(beta, "stopped:destroyed", WAIT_S * 1000, 0), 0);
    wait_state(beta, NULL, CB_DOMAIN_STATE_SHUTOFF);
}

static unsigned long long volume_capacity(struct world *w, cb_storage_volume *v)
{
    virStorageVolPtr vol = virStorageVolLookupByPath(w->conn, cb_storage_volume_path(v));
    virStorageVolInfo info = { 0 };

    assert_non_null(vol);
    assert_int_equal(virStorageVolGetInfo(vol, &info), 0);
    virStorageVolFree(vol);
    return info.capacity;
}

static void test_backing_volume_and_overwrite(void **state)
{
    struct world *w = *state;
    cb_domain *alpha = cb_testbed_domain(w->tb, "alpha");
    cb_storage_volume *disk = cb_testbed_storage_volume(w->tb, "alpha-disk");
    const char *disks[] = { "alpha-disk", NULL };
    cb_boot_options o = CB_BOOT_OPTIONS_INIT;
    cb_domain_state st;
    virStorageVolPtr vol;
    char *xml;

    /* alpha's disk is an overlay of base */
    vol = virStorageVolLookupByPath(w->conn, cb_storage_volume_path(disk));
    assert_non_null(vol);
    xml = virStorageVolGetXMLDesc(vol, 0);
    assert_non_null(strstr(xml, "<backingStore>"));
    assert_non_null(strstr(xml, cb_storage_volume_path(cb_testbed_storage_volume(w->tb, "base"))));
    free(xml);
    virStorageVolFree(vol);
    /* Mark the disk by growing it to 2 GiB (the file says 1): booting
     * again keeps it, overwriting makes a new one, and the guest boots.
     * alpha is off since the ACPI test: destroy stops only a running one. */
    assert_int_equal(cb_domain_get_state(&st, alpha, 0), 0);
    assert_int_equal(st, CB_DOMAIN_STATE_SHUTOFF);
    assert_int_equal(cb_domain_destroy(alpha, 0), CB_ESTATE);
    vol = virStorageVolLookupByPath(w->conn, cb_storage_volume_path(disk));
    assert_int_equal(virStorageVolResize(vol, 2ull << 30, 0), 0);
    virStorageVolFree(vol);
    assert_int_equal(cb_domain_boot(alpha, NULL), 0);
    assert_int_equal(volume_capacity(w, disk), 2ull << 30);
    assert_int_equal(cb_domain_destroy(alpha, 0), 0);
    o.overwrite_disks = disks;
    if (cb_domain_boot(alpha, &o) < 0)
        fail_msg("%s", cb_error_last()->message);
    assert_int_equal(volume_capacity(w, disk), 1ull << 30);
    wait_http(alpha, "10.231.0.10", "alpha 10.231.0.10");
}

/* The address a guest announced on its console ("cloubed-guest: ready A"). */
static char *announced_address(cb_domain *d)
{
    char *log, *p, *end, *addr;

    /* the line, then its end: the address is whole */
    wait_console(d, "cloubed-guest: ready ");
    wait_console(d, "\n");
    log = th_read(cb_domain_console_log(d));
    p = strstr(log, "cloubed-guest: ready ") + strlen("cloubed-guest: ready ");
    end = p + strcspn(p, " \r\n");
    addr = strndup(p, (size_t)(end - p));
    free(log);
    return addr;
}

/* How many domains, networks or storage pools of libvirt carry PREFIX. */
enum kind { DOMAINS, NETWORKS, POOLS };
static int count_prefixed(virConnectPtr c, enum kind kind, const char *prefix)
{
    void **objs = NULL;
    int n, i, count = 0;

    n = kind == DOMAINS    ? virConnectListAllDomains(c, (virDomainPtr **)&objs, 0)
        : kind == NETWORKS ? virConnectListAllNetworks(c, (virNetworkPtr **)&objs, 0)
                           : virConnectListAllStoragePools(c, (virStoragePoolPtr **)&objs, 0);
    assert_true(n >= 0);
    for (i = 0; i < n; i++) {
        const char *name = kind == DOMAINS    ? virDomainGetName(objs[i])
                           : kind == NETWORKS ? virNetworkGetName(objs[i])
                                              : virStoragePoolGetName(objs[i]);
        count += strncmp(name, prefix, strlen(prefix)) == 0;
        if (kind == DOMAINS)
            virDomainFree(objs[i]);
        else if (kind == NETWORKS)
            virNetworkFree(objs[i]);
        else
            virStoragePoolFree(objs[i]);
    }
    free(objs);
    return count;
}

static void test_cleanup_leaves_nothing_but_the_bystander(void **state)
{
    struct world *w = *state;
    char *gamma_addr, *gamma_page;
    size_t i;
    cb_domain_state st;

    /* gamma's address is dynamic: dnsmasq picks it from the range */
    gamma_addr = announced_address(cb_testbed_domain(w->bystander, "gamma"));
    assert_true(asprintf(&gamma_page, "gamma %s", gamma_addr) > 0);
    wait_http(cb_testbed_domain(w->bystander, "gamma"), gamma_addr, gamma_page);
    assert_int_equal(cb_testbed_cleanup(w->tb, 0), 0);

    assert_int_equal(count_prefixed(w->conn, DOMAINS, USER ":e2e:"), 0);
    assert_int_equal(count_prefixed(w->conn, NETWORKS, USER ":e2e:"), 0);
    assert_int_equal(count_prefixed(w->conn, POOLS, USER ":e2e:"), 0);
    /* no volume file, no console log */
    for (i = 0; i < cb_testbed_storage_volume_count(w->tb); i++)
        assert_int_not_equal(access(cb_storage_volume_path(cb_testbed_storage_volume_at(w->tb, i)), F_OK), 0);
    assert_int_not_equal(access(cb_domain_console_log(cb_testbed_domain(w->tb, "alpha")), F_OK), 0);
    /* the pool directory it created, left empty, is gone too */
    assert_int_not_equal(access(cb_storage_pool_path(cb_testbed_storage_pool_at(w->tb, 0)), F_OK), 0);

    /* the other testbed runs on, untouched */
    assert_int_equal(cb_domain_get_state(&st, cb_testbed_domain(w->bystander, "gamma"), 0), 0);
    assert_int_equal(st, CB_DOMAIN_STATE_RUNNING);
    wait_http(cb_testbed_domain(w->bystander, "gamma"), gamma_addr, gamma_page);
    free(gamma_addr);
    free(gamma_page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_static_addresses),
        cmocka_unit_test(test_host_profile),
        cmocka_unit_test(test_waits_on_real_guests),
        cmocka_unit_test(test_status_reports_states),
        cmocka_unit_test(test_pause_unpause),
        cmocka_unit_test(test_reboot_and_reset_come_back),
        cmocka_unit_test(test_acpi_shutdown_and_destroy),
        cmocka_unit_test(test_backing_volume_and_overwrite),
        cmocka_unit_test(test_cleanup_leaves_nothing_but_the_bystander),
    };
    int status;

    if (!(guest_dir = e2e_guest(URI, &status)))
        return status;
    return cmocka_run_group_tests_name("end to end on " URI, tests, group_setup, group_teardown);
}
