/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_distro.c: distribution guests on libvirt's test driver: the seed
 * volume and the `source:` volume created at boot and removed by cleanup,
 * the testbed's SSH key, the SSH banner wait, ready "ssh". The test driver
 * cannot upload a volume's content: what is in the volumes is proved on
 * the real daemon (tests/e2e/test_distro_e2e.c).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
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
#include <unistd.h>

#include <cmocka.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "testbed.h"
#include "wait/readiness.h"
#include "lv_helpers.h"
#include "test_helpers.h"

#define URI "test:///default"

static const char yaml[] =
    "testbed: dist\n"
    "storagepools:\n"
    "  - {name: pool, path: pool}\n"
    "storagevolumes:\n"
    "  - {name: base, source: base.img}\n"
    "networks:\n"
    "  - {name: lo, address: 127.0.0.1/8}\n"
    "domains:\n"
    "  - name: vm\n"
    "    cpu: 1\n"
    "    memory: 128M\n"
    "    graphics: none\n"
    "    netifs: [{network: lo, ip: 127.0.0.2}]\n"
    "    disks: [{device: vda, name: disk, size: 1, backing: base}]\n"
    "    cloudinit:\n"
    "      user_data: {runcmd: [[touch, /mark]]}\n";

struct fixture {
    char *dir;
    cb_testbed *tb;
    virConnectPtr conn; /* keeps the test driver's state, and inspects it */
    struct th_log log;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    lv_fixture_open(&f->dir, &f->conn, URI);
    free(th_write(f->dir, "base.img", "a raw image", 11));
    f->tb = th_open_yaml(f->dir, NULL, yaml, URI, th_log_cb, &f->log);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    cb_testbed_cleanup(f->tb, 0);
    lv_fixture_close(f->tb, f->conn, f->dir);
    free(f);
    return 0;
}

static bool volume_exists(struct fixture *f, const char *vol)
{
    return lv_volume_exists(f->conn, "tester:dist:pool", vol);
}

static bool file_exists(const char *dir, const char *name, mode_t *mode)
{
    char *path;
    struct stat st;
    bool ok;

    assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
    ok = stat(path, &st) == 0;
    if (ok && mode)
        *mode = st.st_mode & 07777;
    free(path);
    return ok;
}

/* Boot makes the seed (a CD-ROM of the domain), the imported volume and
 * the key; cleanup removes every one of them and the records. */
static void test_seed_and_source_volumes(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    virDomainPtr dom;
    char *xml;
    mode_t mode = 0;

    if (cb_domain_boot(vm, NULL) < 0)
        fail_msg("%s", cb_error_last()->message);
    assert_true(volume_exists(f, "tester:dist:vm-cidata.iso"));
    assert_true(volume_exists(f, "tester:dist:base.qcow2"));
    assert_true(volume_exists(f, "tester:dist:disk.qcow2"));
    /* the test driver cannot upload: said, and nothing recorded as imported */
    assert_non_null(strstr(f->log.text, "storage volume base: cannot upload storage volume base: "
                                        "the storage driver does not support it; created empty"));
    assert_non_null(strstr(f->log.text, "the seed of domain vm: cannot upload"));
    assert_false(file_exists(f->dir, ".cloubed/dist/volume-base.source", NULL));
    assert_true(file_exists(f->dir, ".cloubed/dist/id_ed25519", &mode));
    assert_int_equal(mode, 0600);
    dom = virDomainLookupByName(f->conn, "tester:dist:vm");
    assert_non_null(dom);
    xml = virDomainGetXMLDesc(dom, 0);
    assert_non_null(strstr(xml, "/pool/tester:dist:vm-cidata.iso'/>"));
    assert_non_null(strstr(xml, "<target dev='sda' bus='sata'/>"));
    free(xml);
    virDomainFree(dom);

    assert_int_equal(cb_testbed_cleanup(f->tb, 0), 0);
    assert_false(volume_exists(f, "tester:dist:vm-cidata.iso"));
    assert_false(volume_exists(f, "tester:dist:base.qcow2"));
    assert_false(file_exists(f->dir, ".cloubed/dist/id_ed25519", NULL));
    assert_false(file_exists(f->dir, ".cloubed", NULL));
    assert_non_null(strstr(f->log.text, "destroying storage volume vm-cidata (the seed of domain vm)"));
}

/* cb_domain_cleanup removes the domain's seed, not the volumes. */
static void test_domain_cleanup_removes_its_seed(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");

    assert_int_equal(cb_domain_boot(vm, NULL), 0);
    assert_true(volume_exists(f, "tester:dist:vm-cidata.iso"));
    assert_int_equal(cb_domain_cleanup(vm, 0), 0);
    assert_false(volume_exists(f, "tester:dist:vm-cidata.iso"));
    assert_true(volume_exists(f, "tester:dist:base.qcow2"));
    assert_true(volume_exists(f, "tester:dist:disk.qcow2"));
}

/* A volume that exists without a record of its import is imported again. */
static void test_unrecorded_import_is_redone(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");

    assert_int_equal(cb_domain_boot(vm, NULL), 0);
    assert_int_equal(cb_domain_destroy(vm, 0), 0);
    f->log.text[0] = '\0';
    assert_int_equal(cb_domain_boot(vm, NULL), 0);
    assert_non_null(strstr(f->log.text, "storage volume base has no record of its import (cut "
                                        "short?): importing"));
}

static void test_ssh_key(void **state)
{
    struct fixture *f = *state;
    char *a = NULL, *b = NULL, *pa, *pb, *expected;
    mode_t mode = 0;

    assert_int_equal(cb_testbed_ssh_key(&a, f->tb, 0), 0);
    assert_true(asprintf(&expected, "%s/.cloubed/dist/id_ed25519", f->dir) > 0);
    assert_string_equal(a, expected);
    assert_true(file_exists(f->dir, ".cloubed/dist/id_ed25519.pub", &mode));
    assert_int_equal(mode, 0600);
    pa = th_read(a);
    /* made once: the second call finds it */
    assert_int_equal(cb_testbed_ssh_key(&b, f->tb, 0), 0);
    pb = th_read(b);
    assert_string_equal(pa, pb);
    assert_non_null(strstr(pa, "BEGIN OPENSSH PRIVATE KEY"));
    free(b);
    assert_int_equal(cb_testbed_ssh_key(&b, f->tb, 1), CB_EINVAL);
    assert_null(b);
    assert_int_equal(cb_testbed_ssh_key(NULL, f->tb, 0), CB_EINVAL);
    assert_string_equal(cb_domain_ssh_user(cb_testbed_domain(f->tb, "vm")), "cloubed");
    assert_null(cb_domain_ssh_user(NULL));
    free(a);
    free(pa);
    free(pb);
    free(expected);
}

/* A server on 127.0.0.2 that answers every connection with BANNER (NULL:
 * closes at once), until stopped. */
struct server {
    int fd;
    unsigned port;
    const char *banner;
    bool stop; /* __atomic */
    pthread_t t;
};

static void *serve(void *arg)
{
    struct server *s = arg;
    struct pollfd p = { .fd = s->fd, .events = POLLIN };
    int c;

    while (!__atomic_load_n(&s->stop, __ATOMIC_SEQ_CST)) {
        if (poll(&p, 1, 50) <= 0)
            continue;
        if ((c = accept(s->fd, NULL, NULL)) < 0)
            continue;
        if (s->banner && write(c, s->banner, strlen(s->banner)) < 0)
            perror("write");
        close(c);
    }
    return NULL;
}

static void server_start(struct server *s, const char *banner)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t len = sizeof(sa);

    inet_pton(AF_INET, "127.0.0.2", &sa.sin_addr);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(getsockname(s->fd, (struct sockaddr *)&sa, &len), 0);
    assert_int_equal(listen(s->fd, 8), 0);
    s->port = ntohs(sa.sin_port);
    s->banner = banner;
    __atomic_store_n(&s->stop, false, __ATOMIC_SEQ_CST);
    pthread_create(&s->t, NULL, serve, s);
}

static void server_stop(struct server *s)
{
    __atomic_store_n(&s->stop, true, __ATOMIC_SEQ_CST);
    pthread_join(s->t, NULL);
    close(s->fd);
}

static void test_wait_ssh_banner(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    struct server s;

    /* accepts and closes, as an sshd that is not serving yet: not ready */
    server_start(&s, NULL);
    assert_int_equal(wait_port(vm, s.port, "SSH-", 300, 0), CB_ETIMEOUT);
    assert_int_equal(cb_domain_wait_tcp(vm, s.port, 300, 0), 0); /* a plain TCP wait is */
    server_stop(&s);
    /* another protocol: not ready */
    server_start(&s, "HTTP/1.0 400\r\n");
    assert_int_equal(wait_port(vm, s.port, "SSH-", 300, 0), CB_ETIMEOUT);
    server_stop(&s);
    server_start(&s, "SSH-2.0-OpenSSH_9.2p1\r\n");
    assert_int_equal(wait_port(vm, s.port, "SSH-", 5000, 0), 0);
    server_stop(&s);
    /* port 22 of the guest: nobody there */
    assert_int_equal(cb_domain_wait_ssh(vm, 200, 0), CB_ETIMEOUT);
    assert_non_null(strstr(cb_error_last()->message, "waiting for the SSH server (port 22) of "
                                                     "domain vm at 127.0.0.2"));
    assert_int_equal(cb_domain_wait_ssh(vm, 200, 4), CB_EINVAL);
    assert_int_equal(cb_domain_wait_ssh(NULL, 200, 0), CB_EINVAL);
}

static void test_up_ready_kinds(void **state)
{
    struct fixture *f = *state;
    cb_up_options o = CB_UP_OPTIONS_INIT;
    cb_op_result *r = NULL;

    o.ready = "sshd";
    assert_int_equal(cb_testbed_up(&r, f->tb, &o), CB_EINVAL);
    assert_non_null(strstr(cb_error_last()->message, "ready must be \"tcp:PORT\", "
                                                     "\"console:TEXT\", \"ssh\" or \"agent\", "
                                                     "not \"sshd\""));
    /* "ssh" is a kind: the up starts, and its wait times out on port 22 */
    o.ready = "ssh";
    o.timeout_ms = 1500;
    assert_int_equal(cb_testbed_up(&r, f->tb, &o), CB_ETIMEOUT);
    cb_op_result_free(r);
}

/* Four domains up at once: four seeds built side by side (libisofs, the
 * emitter), one key made for all of them. */
static void test_parallel_seeds_one_key(void **state)
{
    struct fixture *f = *state;
    static const char four[] =
        "testbed: dist4\n"
        "networks: [{name: lo, address: 127.0.0.1/8}]\n"
        "x-vm: &vm {cpu: 1, memory: 64M, graphics: none, disks: [], cloudinit: {}}\n"
        "domains:\n"
        "  - {<<: *vm, name: a, netifs: [{network: lo, ip: 127.0.0.11}]}\n"
        "  - {<<: *vm, name: b, netifs: [{network: lo, ip: 127.0.0.12}]}\n"
        "  - {<<: *vm, name: c, netifs: [{network: lo, ip: 127.0.0.13}]}\n"
        "  - {<<: *vm, name: d, netifs: [{network: lo, ip: 127.0.0.14}]}\n";
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    cb_up_options up = CB_UP_OPTIONS_INIT;
    cb_op_result *r = NULL;
    cb_testbed *tb = NULL;
    char *sub, *path, *key = NULL, *pub, *seed;
    size_t i;

    assert_true(asprintf(&sub, "%s/four", f->dir) > 0);
    assert_int_equal(mkdir(sub, 0755), 0);
    path = th_write(sub, "cloubed.yaml", four, strlen(four));
    opts.uri = URI;
    opts.user = "tester";
    assert_int_equal(cb_testbed_open(&tb, path, &opts), 0);
    up.parallel = 4;
    if (cb_testbed_up(&r, tb, &up) < 0)
        fail_msg("%s", cb_error_last()->message);
    for (i = 0; i < 4; i++)
        assert_int_equal(cb_op_result_state(r, i), CB_PROGRESS_STARTED);
    cb_op_result_free(r);
    for (i = 0; i < 4; i++) {
        assert_true(asprintf(&seed, "tester:dist4:%c-cidata.iso", (int)('a' + i)) > 0);
        {
            virStoragePoolPtr p = virStoragePoolLookupByName(f->conn, "tester:dist4:pool");
            virStorageVolPtr v = p ? virStorageVolLookupByName(p, seed) : NULL;
            assert_non_null(v);
            virStorageVolFree(v);
            virStoragePoolFree(p);
        }
        free(seed);
    }
    assert_int_equal(cb_testbed_ssh_key(&key, tb, 0), 0);
    assert_true(asprintf(&pub, "%s.pub", key) > 0);
    seed = th_read(pub);
    assert_non_null(seed);
    assert_true(strncmp(seed, "ssh-ed25519 ", 12) == 0);
    free(seed);
    assert_int_equal(cb_testbed_cleanup(tb, 0), 0);
    cb_testbed_free(tb);
    free(key);
    free(pub);
    free(path);
    free(sub);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_seed_and_source_volumes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unrecorded_import_is_redone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_domain_cleanup_removes_its_seed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ssh_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_ssh_banner, setup, teardown),
        cmocka_unit_test_setup_teardown(test_up_ready_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parallel_seeds_one_key, setup, teardown),
    };
    return cmocka_run_group_tests_name("distribution guests on the test driver", tests, NULL,
                                       NULL);
}
