/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_http.c: the installer HTTP server, with a real HTTP client (curl):
 * files, HEAD, content types, errors, traversal in every spelling, symbolic
 * links, a port already in use, the access log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_helpers.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct fixture {
    char *root;     /* holds the testbed directory and a secret beside it */
    char *dir;
    cb_testbed *tb;
    unsigned port;
    struct th_log log;
};

static void mkdirs(const char *dir, const char *name)
{
    char *p;

    assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
    assert_int_equal(mkdir(p, 0755), 0);
    free(p);
}

static void link_at(const char *dir, const char *name, const char *target)
{
    char *p;

    assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
    assert_int_equal(symlink(target, p), 0);
    free(p);
}

/* A testbed directory that holds what must be served (www/ as http.root,
 * tftp/ as a PXE root, a template output) and what must not (a pool's
 * image, a console log, the testbed file, .git, a file at the top). */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    char *path, *yaml;
    int attempt, rc;

    f->root = th_mkdtemp();
    assert_true(asprintf(&f->dir, "%s/bed", f->root) > 0);
    assert_int_equal(mkdir(f->dir, 0755), 0);
    mkdirs(f->dir, "www");
    mkdirs(f->dir, "www/sub");
    mkdirs(f->dir, "www/.git");
    mkdirs(f->dir, "tftp");
    mkdirs(f->dir, "out");
    mkdirs(f->dir, "pool");
    mkdirs(f->dir, ".cloubed");
    mkdirs(f->dir, ".cloubed/web");
    free(th_write(f->dir, "www/hello.txt", "hello world\n", 12));
    free(th_write(f->dir, "www/sub/disk.iso", "ISO", 3));
    free(th_write(f->dir, "www/.git/config", "[core]\n", 7));
    free(th_write(f->dir, "tftp/boot.ipxe", "#!ipxe\nchain next\n", 18));
    free(th_write(f->dir, "in.tpl", "name=$self.name\n", 16));
    free(th_write(f->dir, "out/other.cfg", "not generated\n", 14));
    free(th_write(f->dir, "pool/disk.img", "DISK", 4));
    free(th_write(f->dir, ".cloubed/web/vm.console.log", "console\n", 8));
    free(th_write(f->dir, "top.txt", "top\n", 4));
    free(th_write(f->root, "secret", "top secret\n", 11));
    link_at(f->dir, "www/link-out", "../../secret");
    link_at(f->dir, "www/link-abs", "/etc/passwd");
    link_at(f->dir, "www/link-pool", "../pool/disk.img");
    link_at(f->dir, "www/link-in", "sub/disk.iso");
    opts.uri = "test:///default";
    opts.log_cb = th_log_cb;
    opts.log_payload = &f->log;
    /* The pid spreads parallel runs over the ports; one in use
     * (CB_ECONFLICT) moves on to another. Steps of 2: the test of a port in
     * use takes port + 1 as well. */
    for (attempt = 0;; attempt++) {
        f->port = 30000 + (unsigned)((getpid() + 2 * attempt) % 20000);
        assert_true(asprintf(&yaml, "testbed: web\nhttp_port: %u\nhttp: {root: www}\n"
                                    "networks: [{name: lo, address: 127.0.0.1/8, dhcp: {start: 127.0.0.10, end: 127.0.0.20}, pxe: tftp/boot.ipxe}]\n"
                                    "domains:\n  - {name: vm, cpu: 1, memory: 1, netifs: [{network: lo}], disks: [],\n"
                                    "     templates: {files: [{name: cfg, input: in.tpl, output: out/answers.cfg}]}}\n",
                             f->port) > 0);
        path = th_write(f->dir, "cloubed.yaml", yaml, strlen(yaml));
        if (cb_testbed_open(&f->tb, path, &opts) < 0)
            fail_msg("%s", cb_error_last()->message);
        free(path);
        free(yaml);
        if (cb_domain_gen(cb_testbed_domain(f->tb, "vm"), "cfg", 0) < 0)
            fail_msg("%s", cb_error_last()->message);
        rc = cb_domain_http_start(cb_testbed_domain(f->tb, "vm"), 0);
        if (rc == 0)
            break;
        if (rc != CB_ECONFLICT || attempt == 50)
            fail_msg("%s", cb_error_last()->message);
        cb_testbed_free(f->tb);
        f->tb = NULL;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    cb_testbed_free(f->tb); /* stops the server */
    th_rmtree(f->root);
    free(f->root);
    free(f->dir);
    free(f);
    return 0;
}

/* Runs curl; returns "CODE TYPE|BODY" (or the headers with -I). */
static char *curl(const struct fixture *f, const char *opts, const char *path)
{
    char *cmd, buf[4096];
    size_t n;
    FILE *p;

    assert_true(asprintf(&cmd, "curl -s --path-as-is %s -w '|%%{http_code}|%%{content_type}' "
                               "'http://127.0.0.1:%u%s'", opts, f->port, path) > 0);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(buf, 1, sizeof(buf) - 1, p);
    buf[n] = '\0';
    assert_int_equal(pclose(p), 0);
    free(cmd);
    return strdup(buf);
}

#define EXPECT(f, opts, path, expected)                                               \
    do {                                                                              \
        char *got_ = curl(f, opts, path);                                             \
        if (strcmp(got_, expected) != 0)                                              \
            fail_msg("GET %s: \"%s\", expected \"%s\"", path, got_, expected);       \
        free(got_);                                                                   \
    } while (0)

static void test_files(void **state)
{
    struct fixture *f = *state;

    EXPECT(f, "", "/www/hello.txt", "hello world\n|200|text/plain; charset=utf-8");
    EXPECT(f, "", "/tftp/boot.ipxe", "#!ipxe\nchain next\n|200|text/plain; charset=utf-8");
    EXPECT(f, "", "/out/answers.cfg", "name=vm\n|200|text/plain; charset=utf-8");
    EXPECT(f, "", "/www/sub/disk.iso", "ISO|200|application/x-iso9660-image");
    EXPECT(f, "", "/www/sub//disk.iso", "ISO|200|application/x-iso9660-image");
    EXPECT(f, "", "/www/link-in", "ISO|200|application/octet-stream");
    EXPECT(f, "", "/www/nope", "not found\n|404|text/plain; charset=utf-8");
    EXPECT(f, "", "/www/sub", "only files are served\n|403|text/plain; charset=utf-8");
    EXPECT(f, "", "/www", "only files are served\n|403|text/plain; charset=utf-8");
    EXPECT(f, "-X POST", "/www/hello.txt", "only GET and HEAD\n|405|text/plain; charset=utf-8");
    EXPECT(f, "-X PUT", "/www/hello.txt", "only GET and HEAD\n|405|text/plain; charset=utf-8");
}

/* Issue 9: the whole testbed directory was served. Now only what the
 * testbed names; the rest is "not found", whether it exists or not. */
static void test_only_what_the_testbed_serves(void **state)
{
    struct fixture *f = *state;
    static const char *const hidden[] = {
        "/", "/cloubed.yaml", "/top.txt", "/pool/disk.img", "/.cloubed/web/vm.console.log",
        "/www/.git/config", "/www/sub/../.git/config", "/out/other.cfg", "/in.tpl",
        "/www/../pool/disk.img", "/www/%2e%2e/cloubed.yaml", "/tftp/../cloubed.yaml",
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(hidden); i++)
        EXPECT(f, "", hidden[i], "not found\n|404|text/plain; charset=utf-8");
    /* a symbolic link in a served directory does not reach a pool either */
    EXPECT(f, "", "/www/link-pool", "forbidden\n|403|text/plain; charset=utf-8");
}

static void test_head_has_length_and_no_body(void **state)
{
    struct fixture *f = *state;
    char *h = curl(f, "-I", "/www/hello.txt");

    assert_non_null(strstr(h, "HTTP/1.1 200 OK"));
    assert_non_null(strcasestr(h, "Content-Length: 12\r\n"));
    assert_non_null(strcasestr(h, "Content-Type: text/plain; charset=utf-8\r\n"));
    assert_null(strstr(h, "hello world"));
    free(h);
}

static void test_nothing_outside_the_directory(void **state)
{
    struct fixture *f = *state;
    static const char *const attempts[] = {
        "/../secret", "/www/sub/../../../secret", "/%2e%2e/secret", "/%2E%2E%2Fsecret",
        "/www/sub/%2e%2e/%2e%2e/%2e%2e/secret", "/..%2fsecret", "/www/link-out", "/www/link-abs",
    };
    size_t i;

    for (i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
        char *got = curl(f, "", attempts[i]);
        if (strstr(got, "top secret") || strstr(got, "root:") || strstr(got, "|200|"))
            fail_msg("%s escaped the directory: %s", attempts[i], got);
        assert_non_null(strstr(got, "|403|") ? got : strstr(got, "|404|"));
        free(got);
    }
    /* an absolute path is taken inside the directory, never as is */
    EXPECT(f, "", "//etc/passwd", "not found\n|404|text/plain; charset=utf-8");
    /* ".." inside the directory is fine */
    EXPECT(f, "", "/www/sub/../hello.txt", "hello world\n|200|text/plain; charset=utf-8");
}

static void test_port_in_use_is_an_error(void **state)
{
    struct fixture *f = *state;
    cb_testbed *other = NULL;
    unsigned port;
    char *path;
    int rc;

    /* the same server again: nothing to do */
    assert_int_equal(cb_testbed_http_start(f->tb, "127.0.0.1", f->port, 0), 0);
    assert_int_equal(cb_testbed_http_port(f->tb), f->port);
    assert_true(asprintf(&path, "%s/cloubed.yaml", f->dir) > 0);
    assert_int_equal(cb_testbed_open(&other, path, NULL), 0);
    assert_int_equal(cb_testbed_http_start(other, "127.0.0.1", f->port, 0), CB_ECONFLICT);
    assert_non_null(strstr(cb_error_last()->message, "Address already in use"));
    assert_int_equal(cb_testbed_http_start(other, "not-an-ip", 80, 0), CB_EINVAL);
    assert_int_equal(cb_testbed_http_start(other, "127.0.0.1", 70000, 0), CB_EINVAL);
    /* every interface only when asked for; unknown flags refused */
    assert_int_equal(cb_testbed_http_start(other, "0.0.0.0", f->port + 1, 0), CB_EINVAL);
    assert_non_null(strstr(cb_error_last()->message, "CB_HTTP_ALLOW_WILDCARD"));
    assert_int_equal(cb_testbed_http_start(other, "127.0.0.1", f->port + 1, 1u << 7),
                     CB_EINVAL);
    assert_non_null(strstr(cb_error_last()->message, "unsupported flags"));
    /* f->port + 1 may be taken on another interface: then the next ones */
    for (port = f->port + 1, rc = CB_ECONFLICT; rc == CB_ECONFLICT && port < f->port + 50; port++)
        rc = cb_testbed_http_start(other, "0.0.0.0", port, CB_HTTP_ALLOW_WILDCARD);
    assert_int_equal(rc, 0);
    assert_int_equal(cb_testbed_http_stop(other, 0), 0);
    cb_testbed_free(other);
    free(path);
}

static void test_access_log_and_stop(void **state)
{
    struct fixture *f = *state;
    char *cmd, line[128];

    free(curl(f, "", "/www/hello.txt"));
    free(curl(f, "", "/nope"));
    /* Issue 9: a decoded newline in the URL forged a log line */
    free(curl(f, "-g", "/x%0Ahttp%20forged%20%22GET%20/secret%22%20200%1b[2J%C3%A9"));
    /* Stopped first: its threads, which write the log, are gone. */
    assert_int_equal(cb_testbed_http_stop(f->tb, 0), 0);
    snprintf(line, sizeof(line), "http 127.0.0.1:%u: 127.0.0.1 \"GET /www/hello.txt\" 200 12", f->port);
    assert_non_null(strstr(f->log.text, line));
    snprintf(line, sizeof(line), "http 127.0.0.1:%u: 127.0.0.1 \"GET /nope\" 404", f->port);
    assert_non_null(strstr(f->log.text, line));
    snprintf(line, sizeof(line), "\"GET /x\\x0ahttp forged \\x22GET /secret\\x22 200"
                                 "\\x1b[2J\\xc3\\xa9\" 404");
    if (!strstr(f->log.text, line))
        fail_msg("no escaped line %s in:\n%s", line, f->log.text);
    assert_null(strstr(f->log.text, "\nhttp forged"));
    assert_true(asprintf(&cmd, "curl -s -o /dev/null 'http://127.0.0.1:%u/www/hello.txt'", f->port) > 0);
    assert_int_not_equal(system(cmd), 0); /* refused */
    free(cmd);
}

/* Issue 9: opening a FIFO blocked the request's thread, and then
 * cb_testbed_free() (which stops the server) hung for ever. */
static void test_fifo_is_refused_and_stop_finishes(void **state)
{
    struct fixture *f = *state;
    struct timespec t0, t1;
    char *p;

    assert_true(asprintf(&p, "%s/www/pipe", f->dir) > 0);
    assert_int_equal(mkfifo(p, 0644), 0);
    free(p);
    /* --max-time: a hang fails the test instead of stalling it */
    EXPECT(f, "--max-time 10", "/www/pipe", "only files are served\n|403|text/plain; charset=utf-8");
    EXPECT(f, "--max-time 10", "/www/hello.txt", "hello world\n|200|text/plain; charset=utf-8");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(cb_testbed_http_stop(f->tb, 0), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 5);
}

static void test_domain_without_address(void **state)
{
    struct fixture *f = *state;
    static const char yaml[] = "testbed: noaddr\nnetworks: [{name: n}]\n"
                               "domains: [{name: vm, cpu: 1, memory: 1, netifs: [{network: n}], disks: []}]\n";
    char *path = th_write(f->root, "noaddr.yaml", yaml, strlen(yaml));
    cb_testbed *tb = NULL;

    assert_int_equal(cb_testbed_open(&tb, path, NULL), 0);
    assert_int_equal(cb_domain_http_start(cb_testbed_domain_at(tb, 0), 0), CB_ENOTFOUND);
    assert_string_equal(cb_error_last()->message, "HTTP server not launched because no host IP "
                                                  "address on networks connected to domain vm");
    cb_testbed_free(tb);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_what_the_testbed_serves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_has_length_and_no_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_outside_the_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_port_in_use_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_log_and_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_is_refused_and_stop_finishes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_domain_without_address, setup, teardown),
    };
    return cmocka_run_group_tests_name("installer HTTP server", tests, NULL, NULL);
}
