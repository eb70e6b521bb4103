/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_api.c: the public API contract: return codes and the thread-local
 * last error, argument checks, options, lookups and accessors, relative
 * paths, and concurrent use of one testbed from several threads.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_helpers.h"

static const char yaml[] =
    "testbed: api\n"
    "storagevolumes:\n"
    "  - {name: base, size: 2}\n"
    "networks:\n"
    "  - name: net\n"
    "    address: 10.3.0.1/24\n"
    "    dhcp: {start: 10.3.0.10, end: 10.3.0.20}\n"
    "    pxe: tftp/boot.ipxe\n"
    "  - name: other\n"
    "domains:\n"
    "  - name: vm1\n"
    "    cpu: 1\n"
    "    memory: 1\n"
    "    graphics: none\n"
    "    netifs: [{network: net, ip: 10.3.0.5}]\n"
    "    disks: [{device: vda, name: disk1, size: 1, backing: base}]\n"
    "    cdrom: iso/x.iso\n"
    "  - name: vm2\n"
    "    cpu: 2x1x1\n"
    "    memory: 512M\n"
    "    netifs: [{network: other}]\n"
    "    disks: []\n"
    "    memroy: 3\n";

/* The XML of a handle through the out-parameter calls; NULL on failure. */
static char *dom_xml(cb_domain *d)
{
    char *x = NULL;
    return cb_domain_get_xml(&x, d, 0) == 0 ? x : NULL;
}

static char *net_xml(cb_network *n)
{
    char *x = NULL;
    return cb_network_get_xml(&x, n, 0) == 0 ? x : NULL;
}

struct fixture {
    char *dir;
    char *path;
    cb_testbed *tb;
    struct th_log log;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;

    f->dir = th_mkdtemp();
    f->path = th_write(f->dir, "cloubed.yaml", yaml, strlen(yaml));
    opts.user = "alice";
    opts.virt_type = "qemu";
    opts.log_cb = th_log_cb;
    opts.log_payload = &f->log;
    if (cb_testbed_open(&f->tb, f->path, &opts) < 0)
        fail_msg("%s", cb_error_last()->message);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    cb_testbed_free(f->tb);
    th_rmtree(f->dir);
    free(f->dir);
    free(f->path);
    free(f);
    return 0;
}

static void test_version(void **state)
{
    char parts[32];

    (void)state;
    assert_string_equal(cb_version(), CB_VERSION);
    assert_string_equal(cb_version(), CB_TEST_PROJECT_VERSION);
    /* the numeric macros say the same as the string (they once did not) */
    snprintf(parts, sizeof(parts), "%d.%d.%d", CB_VERSION_MAJOR, CB_VERSION_MINOR,
             CB_VERSION_PATCH);
    assert_string_equal(parts, CB_VERSION);
}

static void test_error_basics(void **state)
{
    (void)state;
    cb_error_clear();
    assert_int_equal(cb_error_last()->code, CB_OK);
    assert_string_equal(cb_error_last()->message, "no error");
    assert_string_equal(cb_error_code_name(CB_ETIMEOUT), "CB_ETIMEOUT");
    assert_string_equal(cb_error_code_name(CB_OK), "CB_OK");
    assert_string_equal(cb_error_code_name(CB_ESTATE), "CB_ESTATE");
    assert_string_equal(cb_error_code_name(-1000), "CB_E?");
    assert_string_equal(cb_error_code_name(3), "CB_E?");
    assert_string_equal(cb_log_level_name(CB_LOG_WARNING), "warning");
}

static void test_open_arguments(void **state)
{
    struct fixture *f = *state;
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    cb_testbed *tb = (cb_testbed *)0x1;

    assert_int_equal(cb_testbed_open(NULL, f->path, NULL), CB_EINVAL);
    assert_int_equal(cb_error_last()->code, CB_EINVAL);
    assert_int_equal(cb_testbed_open(&tb, NULL, NULL), CB_EINVAL);
    assert_null(tb);
    assert_non_null(strstr(cb_error_last()->message, "yaml_path"));

    opts.version = 0;
    assert_int_equal(cb_testbed_open(&tb, f->path, &opts), CB_EINVAL);
    opts.version = CB_TESTBED_OPTIONS_VERSION + 1;
    assert_int_equal(cb_testbed_open(&tb, f->path, &opts), CB_EINVAL);
    assert_non_null(strstr(cb_error_last()->message, "options version"));
    opts.version = CB_TESTBED_OPTIONS_VERSION;
    opts.virt_type = "xen";
    assert_int_equal(cb_testbed_open(&tb, f->path, &opts), CB_EINVAL);
    opts.virt_type = NULL;
    opts.user = "a:b";
    assert_int_equal(cb_testbed_open(&tb, f->path, &opts), CB_EINVAL);
    assert_null(tb);
}

static void test_open_missing_file(void **state)
{
    struct fixture *f = *state;
    cb_testbed *tb = NULL;
    char *missing;

    assert_true(asprintf(&missing, "%s/nope.yaml", f->dir) > 0);
    assert_int_equal(cb_testbed_open(&tb, missing, NULL), CB_EIO);
    assert_non_null(strstr(cb_error_last()->message, "Not able to open file"));
    assert_int_equal(cb_testbed_open(&tb, "/nonexistent-dir/cloubed.yaml", NULL), CB_EIO);
    assert_null(tb);
    /* A directory is not a file. */
    assert_true(cb_testbed_open(&tb, f->dir, NULL) < 0);
    assert_null(tb);
    free(missing);
}

static void test_defaults_without_options(void **state)
{
    struct fixture *f = *state;
    cb_testbed *tb = NULL;

    assert_int_equal(cb_testbed_open(&tb, f->path, NULL), 0);
    assert_non_null(cb_testbed_user(tb));
    assert_true(strlen(cb_testbed_user(tb)) > 0);
    cb_testbed_free(tb);
    cb_testbed_free(NULL);
}

static void test_lookups(void **state)
{
    struct fixture *f = *state;
    cb_testbed *tb = f->tb;
    cb_domain *d;
    cb_network *n;
    cb_storage_pool *p;
    cb_storage_volume *v;
    char *expect;

    assert_string_equal(cb_testbed_name(tb), "api");
    assert_string_equal(cb_testbed_path(tb), f->path);
    assert_string_equal(cb_testbed_user(tb), "alice");
    assert_int_equal(cb_testbed_domain_count(tb), 2);
    assert_int_equal(cb_testbed_network_count(tb), 2);
    assert_int_equal(cb_testbed_storage_pool_count(tb), 1);
    assert_int_equal(cb_testbed_storage_volume_count(tb), 2);

    d = cb_testbed_domain(tb, "vm2");
    assert_ptr_equal(d, cb_testbed_domain_at(tb, 1));
    assert_string_equal(cb_domain_name(d), "vm2");
    assert_string_equal(cb_domain_libvirt_name(d), "alice:api:vm2");
    assert_ptr_equal(cb_domain_testbed(d), tb);

    assert_null(cb_testbed_domain(tb, "nope"));
    assert_int_equal(cb_error_last()->code, CB_ENOTFOUND);
    assert_string_equal(cb_error_last()->message, "domain nope not found in configuration");
    assert_null(cb_testbed_domain_at(tb, 2));
    assert_int_equal(cb_error_last()->code, CB_EINVAL);
    assert_null(cb_testbed_domain(tb, NULL));
    assert_null(cb_testbed_domain(NULL, "vm1"));
    assert_int_equal(cb_testbed_domain_count(NULL), 0);

    n = cb_testbed_network(tb, "other");
    assert_string_equal(cb_network_name(n), "other");
    assert_string_equal(cb_network_libvirt_name(n), "alice:api:other");
    assert_null(cb_testbed_network(tb, "nope"));
    assert_string_equal(cb_error_last()->message, "network nope not found in configuration");

    /* No storagepools section: the default pool "pool" beside the file. */
    p = cb_testbed_storage_pool_at(tb, 0);
    assert_string_equal(cb_storage_pool_name(p), "pool");
    assert_string_equal(cb_storage_pool_libvirt_name(p), "alice:api:pool");
    assert_true(asprintf(&expect, "%s/pool", cb_testbed_directory(tb)) > 0);
    assert_string_equal(cb_storage_pool_path(p), expect);
    free(expect);
    assert_null(cb_testbed_storage_pool(tb, "nope"));
    assert_string_equal(cb_error_last()->message, "storage pool nope not found in configuration");

    /* The inline volume comes after the storagevolumes section. */
    v = cb_testbed_storage_volume_at(tb, 1);
    assert_string_equal(cb_storage_volume_name(v), "disk1");
    assert_string_equal(cb_storage_volume_libvirt_name(v), "alice:api:disk1.qcow2");
    assert_ptr_equal(cb_storage_volume_pool(v), p);
    assert_true(asprintf(&expect, "%s/pool/alice:api:disk1.qcow2", cb_testbed_directory(tb)) > 0);
    assert_string_equal(cb_storage_volume_path(v), expect);
    free(expect);
    assert_null(cb_testbed_storage_volume(tb, "nope"));
    assert_string_equal(cb_error_last()->message, "storage volume nope not found in configuration");

    /* NULL handles are refused, not dereferenced; *out is NULL after. */
    char *x = (char *)0x1;
    assert_int_equal(cb_domain_get_xml(&x, NULL, 0), CB_EINVAL);
    assert_null(x);
    assert_int_equal(cb_error_last()->code, CB_EINVAL);
    assert_int_equal(cb_network_get_xml(&x, NULL, 0), CB_EINVAL);
    assert_int_equal(cb_storage_pool_get_xml(&x, NULL, 0), CB_EINVAL);
    assert_int_equal(cb_storage_volume_get_xml(&x, NULL, 0), CB_EINVAL);
    assert_int_equal(cb_domain_get_xml(NULL, cb_testbed_domain_at(tb, 0), 0), CB_EINVAL);
    assert_null(cb_domain_name(NULL));
}

static void test_warnings_reach_the_callback(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(f->log.warnings, 1);
    assert_non_null(strstr(f->log.text, "cloubed.yaml:23:5: unknown key 'memroy' in domain vm2 "
                                        "is ignored (did you mean 'memory'?)"));
}

static void test_relative_paths_follow_the_file(void **state)
{
    struct fixture *f = *state;
    char *xml = dom_xml(cb_testbed_domain(f->tb, "vm1")), *expect;
    char *cwd = getcwd(NULL, 0);

    /* Opened from another working directory, paths still follow the file. */
    assert_int_equal(chdir("/"), 0);
    cb_testbed *tb = NULL;
    assert_int_equal(cb_testbed_open(&tb, f->path, NULL), 0);
    assert_int_equal(chdir(cwd), 0);
    assert_true(asprintf(&expect, "<source file=\"%s/iso/x.iso\"/>", cb_testbed_directory(tb)) > 0);
    assert_non_null(strstr(xml, expect));
    free(expect);
    free(xml);
    xml = net_xml(cb_testbed_network(tb, "net"));
    assert_true(asprintf(&expect, "<tftp root=\"%s/tftp\"/>", cb_testbed_directory(tb)) > 0);
    assert_non_null(strstr(xml, expect));
    free(expect);
    free(xml);
    cb_testbed_free(tb);
    free(cwd);
}

/* The same text from memory: same model, same XML, the name in place of
 * the path, relative paths under the given directory. */
static void test_open_memory_is_open_on_text(void **state)
{
    struct fixture *f = *state;
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    cb_testbed *tb = NULL;
    char *a, *b;

    opts.user = "alice";
    opts.virt_type = "qemu";
    assert_int_equal(cb_testbed_open_memory(&tb, yaml, strlen(yaml), "inline", f->dir, &opts), 0);
    assert_string_equal(cb_testbed_path(tb), "inline");
    assert_string_equal(cb_testbed_directory(tb), cb_testbed_directory(f->tb));
    assert_int_equal(cb_testbed_domain_count(tb), cb_testbed_domain_count(f->tb));
    assert_int_equal(cb_testbed_storage_volume_count(tb), cb_testbed_storage_volume_count(f->tb));
    a = dom_xml(cb_testbed_domain(tb, "vm1"));
    b = dom_xml(cb_testbed_domain(f->tb, "vm1"));
    assert_non_null(a);
    assert_string_equal(a, b);
    free(a);
    free(b);
    cb_testbed_free(tb);
}

static void test_open_memory_errors_name_the_buffer(void **state)
{
    static const char bad[] = "testbed: tb\nnetworks: []\ndomains:\n  - name: a/b\n";
    const cb_error *e;
    cb_testbed *tb = (cb_testbed *)0x1;

    (void)state;
    assert_int_equal(cb_testbed_open_memory(&tb, bad, strlen(bad), "<stdin>", NULL, NULL),
                     CB_ECONFIG);
    assert_null(tb);
    e = cb_error_last();
    assert_string_equal(e->file, "<stdin>");
    assert_int_equal(e->line, 4);
    assert_int_equal(e->column, 11);
    assert_true(strncmp(e->message, "<stdin>:4:11: name 'a/b'", 24) == 0);
}

static void test_open_memory_reads_len_bytes(void **state)
{
    /* not NUL-terminated: the bytes after LEN are not read */
    static const char text[] = "testbed: tb\nnetworks: []\ndomains: []\n{{{{ garbage";
    cb_testbed *tb = NULL;

    (void)state;
    assert_int_equal(cb_testbed_open_memory(&tb, text, (size_t)(strchr(text, '{') - text), "t", NULL, NULL), 0);
    assert_string_equal(cb_testbed_name(tb), "tb");
    cb_testbed_free(tb);
}

static void test_open_memory_arguments(void **state)
{
    struct fixture *f = *state;
    cb_testbed *tb = (cb_testbed *)0x1;
    char *cwd = getcwd(NULL, 0), *dir;

    assert_int_equal(cb_testbed_open_memory(NULL, "", 0, "n", NULL, NULL), CB_EINVAL);
    assert_int_equal(cb_testbed_open_memory(&tb, yaml, strlen(yaml), NULL, NULL, NULL), CB_EINVAL);
    assert_null(tb);
    assert_int_equal(cb_testbed_open_memory(&tb, NULL, 5, "n", NULL, NULL), CB_EINVAL);
    assert_non_null(strstr(cb_error_last()->message, "'buf'"));
    /* empty text: a file without a mapping */
    assert_int_equal(cb_testbed_open_memory(&tb, NULL, 0, "n", NULL, NULL), CB_ECONFIG);
    assert_non_null(strstr(cb_error_last()->message, "n:1:1: File n is not a valid YAML file"));
    assert_int_equal(cb_testbed_open_memory(&tb, yaml, strlen(yaml), "n", "/nonexistent/dir", NULL),
                     CB_EIO);
    assert_null(tb);
    /* DIR NULL: the current working directory */
    assert_int_equal(chdir(f->dir), 0);
    assert_int_equal(cb_testbed_open_memory(&tb, yaml, strlen(yaml), "n", NULL, NULL), 0);
    assert_int_equal(chdir(cwd), 0);
    dir = realpath(f->dir, NULL);
    assert_string_equal(cb_testbed_directory(tb), dir);
    cb_testbed_free(tb);
    free(dir);
    free(cwd);
}

static void *fail_in_thread(void *arg)
{
    cb_testbed *tb = arg;
    cb_testbed_domain(tb, "ghost");
    return strdup(cb_error_last()->message);
}

static void test_last_error_is_per_thread(void **state)
{
    struct fixture *f = *state;
    pthread_t t;
    char *other;

    assert_null(cb_testbed_network(f->tb, "mine"));
    assert_int_equal(pthread_create(&t, NULL, fail_in_thread, f->tb), 0);
    assert_int_equal(pthread_join(t, (void **)&other), 0);
    assert_string_equal(other, "domain ghost not found in configuration");
    assert_string_equal(cb_error_last()->message, "network mine not found in configuration");
    free(other);
}

struct race {
    cb_testbed *tb;
    const char *path;
    int failures;
};

static void *hammer(void *arg)
{
    struct race *r = arg;
    int i;

    for (i = 0; i < 50; i++) {
        cb_domain *d = cb_testbed_domain(r->tb, i % 2 ? "vm1" : "vm2");
        char *x = dom_xml(d), *y = net_xml(cb_testbed_network_at(r->tb, 0));
        cb_testbed *own = NULL;
        if (!x || !y || !strstr(x, cb_domain_libvirt_name(d)))
            r->failures++;
        /* Opening testbeds concurrently shares nothing either. */
        if (i % 10 == 0) {
            if (cb_testbed_open(&own, r->path, NULL) < 0)
                r->failures++;
            cb_testbed_free(own);
        }
        free(x);
        free(y);
    }
    return NULL;
}

static void test_concurrent_use(void **state)
{
    struct fixture *f = *state;
    pthread_t t[8];
    struct race r[8];
    int i;

    for (i = 0; i < 8; i++) {
        r[i].tb = f->tb;
        r[i].path = f->path;
        r[i].failures = 0;
        assert_int_equal(pthread_create(&t[i], NULL, hammer, &r[i]), 0);
    }
    for (i = 0; i < 8; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(r[i].failures, 0);
    }
}

static void noop_event(cb_domain *d, const char *type, const char *detail, void *payload)
{
    (void)d, (void)type, (void)detail, (void)payload;
}

/* The flags rule: every call that takes flags refuses bits it does not
 * know with CB_EINVAL, before it does anything (no libvirt is reached
 * here: the testbed's URI is never opened), and out-parameters are reset. */
static void test_unknown_flags_are_refused(void **state)
{
    struct fixture *f = *state;
    const unsigned int bad = 1u << 31;
    cb_domain *d = cb_testbed_domain(f->tb, "vm1");
    cb_network *n = cb_testbed_network(f->tb, "net");
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    cb_boot_options boot = CB_BOOT_OPTIONS_INIT;
    cb_domain_state st = CB_DOMAIN_STATE_RUNNING;
    cb_addresses *addrs = (cb_addresses *)0x1;
    cb_vars *vars = (cb_vars *)0x1, *ok = NULL;
    cb_testbed *tb = (cb_testbed *)0x1;
    char *s = (char *)0x1;
    int id = 7;

#define EINVAL_FLAGS(call)                                                         \
    do {                                                                           \
        assert_int_equal((call), CB_EINVAL);                                       \
        assert_non_null(strstr(cb_error_last()->message, "unsupported flags"));    \
    } while (0)
    EINVAL_FLAGS(cb_domain_get_xml(&s, d, bad));
    assert_null(s);
    EINVAL_FLAGS(cb_network_get_xml(&s, n, bad));
    EINVAL_FLAGS(cb_storage_pool_get_xml(&s, cb_testbed_storage_pool_at(f->tb, 0), bad));
    EINVAL_FLAGS(cb_storage_volume_get_xml(&s, cb_testbed_storage_volume_at(f->tb, 0), bad));
    s = (char *)0x1;
    EINVAL_FLAGS(cb_testbed_status(&s, f->tb, CB_STATUS_TEXT, bad));
    assert_null(s);
    EINVAL_FLAGS(cb_domain_get_state(&st, d, bad));
    assert_int_equal(st, CB_DOMAIN_STATE_UNDEFINED);
    EINVAL_FLAGS(cb_domain_vars(&vars, d, bad));
    assert_null(vars);
    assert_int_equal(cb_domain_vars(&ok, d, 0), 0);
    s = (char *)0x1;
    EINVAL_FLAGS(cb_vars_render(&s, ok, "$self.name", bad));
    assert_null(s);
    cb_vars_free(ok);
    EINVAL_FLAGS(cb_domain_gen(d, "cfg", bad));
    EINVAL_FLAGS(cb_domain_shutdown(d, bad));
    EINVAL_FLAGS(cb_domain_reboot(d, bad));
    EINVAL_FLAGS(cb_domain_reset(d, bad));
    EINVAL_FLAGS(cb_domain_pause(d, bad));
    EINVAL_FLAGS(cb_domain_unpause(d, bad));
    EINVAL_FLAGS(cb_domain_pm_suspend(d, bad));
    EINVAL_FLAGS(cb_domain_pm_wakeup(d, bad));
    EINVAL_FLAGS(cb_domain_destroy(d, bad));
    EINVAL_FLAGS(cb_domain_cleanup(d, bad));
    EINVAL_FLAGS(cb_testbed_cleanup(f->tb, bad));
    EINVAL_FLAGS(cb_network_create(n, bad));
    EINVAL_FLAGS(cb_network_create(n, CB_NETWORK_CREATE_RECREATE << 1));
    EINVAL_FLAGS(cb_domain_wait_event(d, "started", 0, bad));
    EINVAL_FLAGS(cb_domain_wait_tcp(d, 22, 0, bad));
    EINVAL_FLAGS(cb_domain_wait_console(d, "x", 0, bad));
    EINVAL_FLAGS(cb_domain_state_is_after(d, "started", bad));
    EINVAL_FLAGS(cb_domain_clear_events(d, bad));
    EINVAL_FLAGS(cb_testbed_add_event_listener(&id, f->tb, noop_event, NULL, NULL, bad));
    assert_int_equal(id, -1);
    EINVAL_FLAGS(cb_testbed_remove_event_listener(f->tb, 0, bad));
    EINVAL_FLAGS(cb_domain_get_addresses(&addrs, d, bad));
    assert_null(addrs);
    EINVAL_FLAGS(cb_testbed_http_start(f->tb, "127.0.0.1", 0, bad));
    EINVAL_FLAGS(cb_domain_http_start(d, bad));
    EINVAL_FLAGS(cb_domain_http_start(d, CB_HTTP_ALLOW_WILDCARD));
    EINVAL_FLAGS(cb_testbed_http_stop(f->tb, bad));
    /* Options: unknown flags and unknown versions. */
    boot.flags = bad;
    EINVAL_FLAGS(cb_domain_boot(d, &boot));
    boot.flags = 0;
    boot.version = CB_BOOT_OPTIONS_VERSION + 1;
    assert_int_equal(cb_domain_boot(d, &boot), CB_EINVAL);
    assert_non_null(strstr(cb_error_last()->message, "version"));
    opts.flags = bad;
    EINVAL_FLAGS(cb_testbed_open(&tb, f->path, &opts));
    assert_null(tb);
    EINVAL_FLAGS(cb_testbed_open_memory(&tb, yaml, strlen(yaml), "inline", f->dir, &opts));
    opts.flags = 0;
    opts.version = CB_TESTBED_OPTIONS_VERSION + 1;
    assert_int_equal(cb_testbed_open(&tb, f->path, &opts), CB_EINVAL);
#undef EINVAL_FLAGS
}

/* Version 1 of cb_boot_options (no flags field) is still accepted: its
 * flags, past the end of a version 1 struct, are never read. */
static void test_boot_options_v1_accepted(void **state)
{
    struct fixture *f = *state;
    struct boot_options_v1 {
        unsigned int version;
        const char *bootdev;
        int overwrite_all_disks;
        const char *const *overwrite_disks;
        int recreate_all_networks;
        const char *const *recreate_networks;
    } v1 = { 1, "floppy", 0, NULL, 0, NULL };
    cb_boot_options *o = malloc(sizeof(v1)); /* exactly v1's size: ASan sees any overread */

    memcpy(o, &v1, sizeof(v1));
    /* The version and flags pass; the bad bootdev (checked next, before
     * libvirt is reached) proves it. */
    assert_int_equal(cb_domain_boot(cb_testbed_domain(f->tb, "vm1"), o), CB_EINVAL);
    assert_non_null(strstr(cb_error_last()->message, "bootdev must be"));
    free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_error_basics),
        cmocka_unit_test_setup_teardown(test_open_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_missing_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_defaults_without_options, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lookups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_warnings_reach_the_callback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relative_paths_follow_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_memory_is_open_on_text, setup, teardown),
        cmocka_unit_test(test_open_memory_errors_name_the_buffer),
        cmocka_unit_test(test_open_memory_reads_len_bytes),
        cmocka_unit_test_setup_teardown(test_open_memory_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_last_error_is_per_thread, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_use, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_flags_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boot_options_v1_accepted, setup, teardown),
    };
    return cmocka_run_group_tests_name("public API", tests, NULL, NULL);
}
