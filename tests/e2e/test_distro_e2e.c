/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_distro_e2e.c: `source:` volumes and cloud-init seeds on a real
 * libvirtd. The tiny guest's bootable disk, made a qcow2 here with
 * qemu-img, is imported once and shared by two guests through overlays
 * (they boot from it); a second qcow2 is imported converted to raw and
 * grown. Each guest gets its seed as a CD-ROM (the tiny guest has no
 * cloud-init: the seed is read back here; examples/debian-cloud proves a
 * real cloud-init reads it). A second up copies nothing (the volume's file
 * and the record are untouched), a changed source is refused until its
 * volume is overwritten, and cleanup leaves no seed, volume or record.
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
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <libvirt/libvirt.h>

#include "e2e_guest.h"
#include "test_helpers.h"

#define URI "qemu:///system"
/* TCG on two cores shared with other tests' guests (a load of 25 was seen),
 * two guests booting from disk at once: 75 s alone, over 280 s loaded. */
#define WAIT_MS (600 * 1000)

static const char *guest_dir;

#define GUEST(n, ip, disks)                                                           \
    "  - name: " n "\n"                                                               \
    "    cpu: 1\n"                                                                    \
    "    memory: 128M\n"                                                              \
    "    graphics: none\n"                                                            \
    "    netifs: [{network: lab, ip: " ip "}]\n"                                      \
    "    disks:\n"                                                                    \
    "      - {device: vda, name: " n "-disk, size: 1, backing: sys}\n"                \
    disks                                                                             \
    "    cloudinit:\n"                                                                \
    "      user_data: {runcmd: [[touch, /var/tmp/mark]]}\n"

static const char yaml[] =
    "testbed: dist2e\n"
    "storagepools:\n"
    "  - {name: pool, path: pool}\n"
    "storagevolumes:\n"
    "  - {name: sys, source: images/sys.qcow2}\n"
    "  - {name: data, source: images/data.qcow2, format: raw, size: 1}\n"
    "networks:\n"
    "  - name: lab\n"
    "    address: auto\n"
    "    dhcp: {start: .100, end: .150}\n"
    "domains:\n"
    GUEST("d1", ".11", "      - {device: vdb, storage_volume: data}\n")
    GUEST("d2", ".12", "");

static void run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void run(const char *fmt, ...)
{
    char *cmd;
    va_list ap;
    int st;

    va_start(ap, fmt);
    assert_true(vasprintf(&cmd, fmt, ap) > 0);
    va_end(ap);
    st = system(cmd);
    if (st != 0)
        fail_msg("%s: status %d", cmd, st);
    free(cmd);
}

/* The first line that CMD prints, or "" (free()). */
static char *output(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    char *line = NULL;
    size_t n = 0;

    assert_non_null(p);
    if (getline(&line, &n, p) < 0) {
        free(line);
        line = strdup("");
    }
    pclose(p);
    return line;
}

static void up_ready(cb_testbed *tb)
{
    cb_up_options up = CB_UP_OPTIONS_INIT;
    cb_op_result *r = NULL;
    size_t i;

    up.ready = "console:cloubed-guest: ready";
    up.timeout_ms = WAIT_MS;
    if (cb_testbed_up(&r, tb, &up) < 0) {
        fprintf(stderr, "%s\n", cb_error_last()->message);
        cb_testbed_cleanup(tb, 0);
        fail_msg("up failed");
    }
    for (i = 0; i < cb_op_result_count(r); i++)
        assert_int_equal(cb_op_result_state(r, i), CB_PROGRESS_READY);
    fprintf(stderr, "ready in %.2fs\n", cb_op_result_elapsed(r));
    cb_op_result_free(r);
}

static void destroy_all(cb_testbed *tb)
{
    assert_int_equal(cb_domain_destroy(cb_testbed_domain(tb, "d1"), 0), 0);
    assert_int_equal(cb_domain_destroy(cb_testbed_domain(tb, "d2"), 0), 0);
}

static long long mtime_ns(const char *path)
{
    struct stat st;

    if (stat(path, &st) < 0)
        fail_msg("%s is missing", path);
    return (long long)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

/* The seed of D: an ISO9660 volume "cidata" holding its files. */
static void check_seed(cb_testbed *tb, const char *d)
{
    char *path, *iso, *cmd, *line, *hostname;
    struct stat st;

    assert_true(asprintf(&path, "%s/pool/%s:dist2e:%s-cidata.iso", cb_testbed_directory(tb),
                         cb_testbed_user(tb), d) > 0);
    assert_int_equal(stat(path, &st), 0);
    iso = th_read(path);
    assert_memory_equal(iso + 16 * 2048 + 1, "CD001", 5);
    assert_true(asprintf(&hostname, "local-hostname: '%s'\n", d) > 0);
    assert_non_null(memmem(iso, (size_t)st.st_size, hostname, strlen(hostname)));
    assert_non_null(memmem(iso, (size_t)st.st_size, "runcmd:\n- - touch\n", 18));
    assert_non_null(memmem(iso, (size_t)st.st_size, "cloubed@dist2e'\n", 16)); /* the key */
    /* as a reader of ISO images sees it (genisoimage's isoinfo) */
    assert_true(asprintf(&cmd, "isoinfo -d -i '%s' | grep '^Volume id:'", path) > 0);
    line = output(cmd);
    assert_string_equal(line, "Volume id: cidata\n");
    free(line);
    free(cmd);
    assert_true(asprintf(&cmd, "isoinfo -R -f -i '%s' | sort | tr '\\n' ' '", path) > 0);
    line = output(cmd);
    assert_string_equal(line, "/meta-data /network-config /user-data ");
    free(line);
    free(cmd);
    free(hostname);
    free(iso);
    free(path);
}

static void test_import_once_and_seeds(void **state)
{
    cb_testbed_options topts = CB_TESTBED_OPTIONS_INIT;
    cb_boot_options boot = CB_BOOT_OPTIONS_INIT;
    const char *overwrite[] = { "data", NULL };
    struct th_log log = { "", 0 };
    cb_testbed *tb = NULL;
    char *dir = th_mkdtemp(), *path, *sys, *data, *rec_sys, *rec_data, *r1, *r2, *line, *cmd,
         *xml;
    long long sys_mtime, data_mtime;
    virConnectPtr conn;
    virDomainPtr dom;

    (void)state;
    chmod(dir, 0755); /* QEMU runs as libvirt-qemu */
    run("mkdir '%s/images' && qemu-img convert -O qcow2 '%s/system.img' '%s/images/sys.qcow2'",
        dir, guest_dir, dir);
    run("qemu-img create -q -f qcow2 '%s/images/data.qcow2' 8M && "
        "qemu-io -c 'write -P 0x5a 0 64k' '%s/images/data.qcow2' >/dev/null", dir, dir);
    path = th_write(dir, "cloubed.yaml", yaml, strlen(yaml));
    topts.uri = URI;
    topts.log_cb = th_log_cb;
    topts.log_payload = &log;
    if (cb_testbed_open(&tb, path, &topts) < 0)
        fail_msg("%s", cb_error_last()->message);
    cb_testbed_cleanup(tb, 0); /* what an earlier failed run may have left */
    sys = strdup(cb_storage_volume_path(cb_testbed_storage_volume(tb, "sys")));
    data = strdup(cb_storage_volume_path(cb_testbed_storage_volume(tb, "data")));
    assert_true(asprintf(&rec_sys, "%s/.cloubed/dist2e/volume-sys.source", dir) > 0);
    assert_true(asprintf(&rec_data, "%s/.cloubed/dist2e/volume-data.source", dir) > 0);

    /* First up: both images imported, both guests boot from the shared base. */
    up_ready(tb);
    assert_non_null(strstr(log.text, "imported "));
    run("qemu-img compare -U -q '%s/images/sys.qcow2' '%s'", dir, sys);
    run("qemu-img compare -U -q '%s/images/data.qcow2' '%s'", dir, data);
    assert_true(asprintf(&cmd, "qemu-img info -U --output=json '%s' | tr -d ' \\n'", data) > 0);
    line = output(cmd);
    assert_non_null(strstr(line, "\"virtual-size\":1073741824")); /* grown to 1 GiB */
    assert_non_null(strstr(line, "\"format\":\"raw\""));          /* converted */
    free(line);
    free(cmd);
    check_seed(tb, "d1");
    check_seed(tb, "d2");
    conn = virConnectOpen(URI);
    assert_non_null(conn);
    dom = virDomainLookupByName(conn, "root:dist2e:d2");
    if (dom) { /* the user is root in our CI; the seed is the running guest's CD-ROM */
        xml = virDomainGetXMLDesc(dom, 0);
        assert_non_null(strstr(xml, "-cidata.iso'"));
        assert_non_null(strstr(xml, "bus='sata'"));
        free(xml);
        virDomainFree(dom);
    }
    virConnectClose(conn);
    r1 = th_read(rec_sys);
    assert_non_null(r1);
    sys_mtime = mtime_ns(sys);
    data_mtime = mtime_ns(data);
    destroy_all(tb);

    /* Second up: nothing copied again, not even for a source touched but
     * unchanged (hashed again: the same); the seeds are rebuilt. */
    run("touch '%s/images/data.qcow2'", dir);
    log.text[0] = '\0';
    up_ready(tb);
    assert_null(strstr(log.text, "imported "));
    assert_true(mtime_ns(sys) == sys_mtime);
    assert_true(mtime_ns(data) == data_mtime);
    r2 = th_read(rec_sys);
    assert_string_equal(r1, r2);
    free(r2);
    destroy_all(tb);

    /* A changed source is refused, and changes nothing... */
    run("qemu-io -c 'write -P 0x77 0 4k' '%s/images/data.qcow2' >/dev/null", dir);
    r1 = (free(r1), th_read(rec_data));
    assert_int_equal(cb_domain_boot(cb_testbed_domain(tb, "d1"), NULL), CB_ECONFLICT);
    assert_non_null(strstr(cb_error_last()->message, "images/data.qcow2 of storage volume data "
                                                     "changed since it was imported"));
    r2 = th_read(rec_data);
    assert_string_equal(r1, r2);
    free(r2);
    /* ...until its volume is overwritten: imported again, recorded again. */
    boot.overwrite_disks = overwrite;
    log.text[0] = '\0';
    if (cb_domain_boot(cb_testbed_domain(tb, "d1"), &boot) < 0)
        fail_msg("%s", cb_error_last()->message);
    assert_non_null(strstr(log.text, "imported "));
    r2 = th_read(rec_data);
    assert_string_not_equal(r1, r2);
    run("qemu-img compare -U -q '%s/images/data.qcow2' '%s'", dir, data);
    assert_int_equal(cb_domain_destroy(cb_testbed_domain(tb, "d1"), 0), 0);

    /* Cleanup: no seed, no imported volume, no record, no key. */
    assert_int_equal(cb_testbed_cleanup(tb, 0), 0);
    assert_int_equal(access(sys, F_OK), -1);
    assert_int_equal(access(data, F_OK), -1);
    assert_int_equal(access(rec_sys, F_OK), -1);
    assert_true(asprintf(&cmd, "%s/pool", dir) > 0);
    assert_int_equal(access(cmd, F_OK), -1); /* the seeds went with it */
    free(cmd);
    assert_true(asprintf(&cmd, "%s/.cloubed", dir) > 0);
    assert_int_equal(access(cmd, F_OK), -1);
    free(cmd);
    cb_testbed_free(tb);
    th_rmtree(dir);
    free(r1);
    free(r2);
    free(rec_sys);
    free(rec_data);
    free(sys);
    free(data);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_once_and_seeds),
    };
    char *img;
    int status;

    if (!(guest_dir = e2e_guest(URI, &status)))
        return status;
    if (asprintf(&img, "%s/system.img", guest_dir) < 0 || access(img, R_OK) < 0) {
        fprintf(stderr, "%s/system.img is missing: run scripts/setup.sh\n", guest_dir);
        return e2e_in_ci() ? 1 : 77;
    }
    free(img);
    return cmocka_run_group_tests_name("source volumes and seeds end to end on " URI, tests, NULL,
                                       NULL);
}
