/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_agent_e2e.c: acting inside guests through the QEMU guest agent, on a
 * real libvirtd with the tiny guest (which runs Debian's qemu-ga): programs
 * with their output, status, stdin and environment, a missing program, a
 * timeout, the output cap and libvirt's own limit, files both ways, host
 * copies, the wait and `up` with ready "agent", the agent's addresses, the
 * command's exec and copies, and a guest whose agent does not run
 * (cloubed.agent=off), which fails clearly within its timeout.
 *
 * Both guests boot at once (cb_testbed_up) in the group setup, with
 * no_timer_check: under TCG on an overloaded host the kernel's IO-APIC
 * timer check failed and panicked a guest ("IO-APIC + timer doesn't work").
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
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e_guest.h"
#include "test_helpers.h"

#define URI "qemu:///system"
/* TCG on two cores shared with other testbeds: a boot took from one to
 * more than four minutes. */
#define BOOT_MS (600 * 1000)
/* The guest without agent: how long its wait is given. */
#define NOAGENT_MS (15 * 1000)

static const char yaml_fmt[] =
    "testbed: agente2e\n"
    "networks:\n"
    "  - name: lab\n"
    "    address: 10.237.12.1/24\n"
    "    dhcp: {start: 10.237.12.100, end: 10.237.12.150}\n"
    "domains:\n"
    E2E_TINY_DOMAIN("ag", "160M")
    "    cmdline: console=ttyS0 no_timer_check cloubed.hostname=ag\n"
    "    netifs: [{network: lab, ip: 10.237.12.11}]\n"
    "    disks: [{device: vda, name: ag-disk, size: 1}]\n"
    E2E_TINY_DOMAIN("noag", "160M")
    "    cmdline: console=ttyS0 no_timer_check cloubed.hostname=noag cloubed.agent=off\n"
    "    netifs: [{network: lab, ip: 10.237.12.12}]\n"
    "    disks: [{device: vda, name: noag-disk, size: 1}]\n";

static const char *guest_dir;

struct fixture {
    cb_testbed *tb;
    cb_domain *ag, *noag;
    char *dir, *path;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_progress(const cb_progress *p, void *payload)
{
    (void)payload;
    fprintf(stderr, "%7.2fs %s %s%s%s\n", p->elapsed_s, cb_domain_name(p->domain),
            cb_progress_state_name(p->state), p->message ? ": " : "", p->message ? p->message : "");
}

/* Opens the testbed and boots both guests at once, until their consoles
 * say ready (their DHCP done: the addresses test needs it). */
static int setup(void **state)
{
    cb_testbed_options topts = CB_TESTBED_OPTIONS_INIT;
    cb_up_options up = CB_UP_OPTIONS_INIT;
    struct fixture *f = calloc(1, sizeof(*f));
    cb_op_result *r = NULL;
    char *yaml;
    int rc;

    f->dir = th_mkdtemp();
    chmod(f->dir, 0755); /* QEMU runs as libvirt-qemu: it must reach the disks */
    yaml = th_replace(yaml_fmt, "@GUEST@", guest_dir);
    f->path = th_write(f->dir, "cloubed.yaml", yaml, strlen(yaml));
    free(yaml);
    topts.uri = URI;
    if (cb_testbed_open(&f->tb, f->path, &topts) < 0) {
        fprintf(stderr, "%s\n", cb_error_last()->message);
        return -1;
    }
    cb_testbed_cleanup(f->tb, 0); /* what an earlier failed run may have left */
    f->ag = cb_testbed_domain(f->tb, "ag");
    f->noag = cb_testbed_domain(f->tb, "noag");
    up.ready = "console:cloubed-guest: ready";
    up.timeout_ms = BOOT_MS;
    up.progress = print_progress;
    rc = cb_testbed_up(&r, f->tb, &up);
    if (rc < 0)
        fprintf(stderr, "up: %s\n", cb_error_last()->message);
    cb_op_result_free(r);
    *state = f;
    return rc < 0 ? -1 : 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    if (!f)
        return 0;
    if (f->tb) {
        cb_testbed_cleanup(f->tb, 0);
        cb_testbed_free(f->tb);
    }
    th_rmtree(f->dir);
    free(f->dir);
    free(f->path);
    free(f);
    return 0;
}

/* up with ready "agent" of a running domain waits for its agent (READY);
 * then the wait itself answers at once. */
static void test_wait_agent_and_up_ready(void **state)
{
    struct fixture *f = *state;
    const char *only[] = { "ag", NULL };
    cb_up_options up = CB_UP_OPTIONS_INIT;
    cb_op_result *r = NULL;
    double t;

    up.domains = only;
    up.ready = "agent";
    up.timeout_ms = BOOT_MS;
    up.progress = print_progress;
    if (cb_testbed_up(&r, f->tb, &up) < 0)
        fail_msg("up --ready agent: %s", cb_error_last()->message);
    assert_int_equal(cb_op_result_count(r), 1);
    assert_int_equal(cb_op_result_state(r, 0), CB_PROGRESS_READY);
    cb_op_result_free(r);
    t = now_s();
    assert_int_equal(cb_domain_wait_agent(f->ag, BOOT_MS, 0), 0);
    fprintf(stderr, "wait_agent on a ready agent: %.2f s\n", now_s() - t);
    assert_int_equal(cb_domain_wait_agent(f->ag, 1000, 1u << 20), CB_EINVAL);
}

static void test_exec_output_and_status(void **state)
{
    struct fixture *f = *state;
    cb_exec_result *r = NULL;
    size_t len;
    double t = now_s();

    assert_int_equal(cb_domain_exec_shell(&r, f->ag, "echo out; echo err >&2; exit 3", NULL), 0);
    fprintf(stderr, "exec: %.2f s\n", now_s() - t);
    assert_int_equal(cb_exec_result_exit_status(r), 3);
    assert_int_equal(cb_exec_result_signal(r), 0);
    assert_string_equal(cb_exec_result_stdout(r, &len), "out\n");
    assert_int_equal(len, 4);
    assert_string_equal(cb_exec_result_stderr(r, &len), "err\n");
    assert_int_equal(cb_exec_result_truncated(r), 0);
    cb_exec_result_free(r);

    /* argv as given, no shell: the hostname the kernel command line set */
    {
        const char *argv[] = { "hostname", NULL };
        assert_int_equal(cb_domain_exec(&r, f->ag, argv, NULL), 0);
        assert_int_equal(cb_exec_result_exit_status(r), 0);
        assert_string_equal(cb_exec_result_stdout(r, NULL), "ag\n");
        assert_string_equal(cb_exec_result_stderr(r, NULL), "");
        cb_exec_result_free(r);
    }
    /* killed by a signal */
    assert_int_equal(cb_domain_exec_shell(&r, f->ag, "kill -9 $$", NULL), 0);
    assert_int_equal(cb_exec_result_exit_status(r), -1);
    assert_int_equal(cb_exec_result_signal(r), 9);
    cb_exec_result_free(r);
}

static void test_exec_stdin_env(void **state)
{
    struct fixture *f = *state;
    const char *argv[] = { "/bin/sh", "-c", "cat; echo \"[$FOO]\"; echo \"[${TERM-unset}]\"",
                           NULL };
    const char *env[] = { "FOO=a b", "PATH=/bin", NULL };
    cb_exec_options o = CB_EXEC_OPTIONS_INIT;
    cb_exec_result *r = NULL;
    size_t len;

    o.env = env;
    o.input = "line one\nline\0two\n";
    o.input_len = 18;
    assert_int_equal(cb_domain_exec(&r, f->ag, argv, &o), 0);
    assert_int_equal(cb_exec_result_exit_status(r), 0);
    /* stdin passed byte for byte; the environment is exactly ours: the
     * agent's TERM (the kernel gives init TERM=linux) is not inherited */
    cb_exec_result_stdout(r, &len);
    assert_int_equal(len, 32);
    assert_memory_equal(cb_exec_result_stdout(r, NULL), "line one\nline\0two\n[a b]\n[unset]\n", 32);
    cb_exec_result_free(r);

    /* the most stdin the agent takes */
    {
        const char *wc[] = { "wc", "-c", NULL };
        char *big = calloc(1, CB_EXEC_INPUT_MAX + 1);
        o.env = NULL;
        o.input = big;
        o.input_len = CB_EXEC_INPUT_MAX;
        assert_int_equal(cb_domain_exec(&r, f->ag, wc, &o), 0);
        assert_int_equal(strtoul(cb_exec_result_stdout(r, NULL), NULL, 10), CB_EXEC_INPUT_MAX);
        cb_exec_result_free(r);
        o.input_len = CB_EXEC_INPUT_MAX + 1;
        assert_int_equal(cb_domain_exec(&r, f->ag, wc, &o), CB_EINVAL);
        assert_non_null(strstr(cb_error_last()->message, "write a file instead"));
        free(big);
    }

    /* bad options */
    o.version = 99;
    r = (cb_exec_result *)0x1;
    assert_int_equal(cb_domain_exec(&r, f->ag, argv, &o), CB_EINVAL);
    assert_null(r);
    o.version = CB_EXEC_OPTIONS_VERSION;
    o.flags = 1;
    assert_int_equal(cb_domain_exec(&r, f->ag, argv, &o), CB_EINVAL);
    assert_int_equal(cb_domain_exec(&r, f->ag, (const char *[]){ NULL }, NULL), CB_EINVAL);
}

static void test_exec_not_found(void **state)
{
    struct fixture *f = *state;
    const char *argv[] = { "no-such-program", "x", NULL };
    cb_exec_result *r = (cb_exec_result *)0x1;

    assert_int_equal(cb_domain_exec(&r, f->ag, argv, NULL), CB_ENOTFOUND);
    assert_null(r);
    fprintf(stderr, "%s\n", cb_error_last()->message);
    assert_non_null(strstr(cb_error_last()->message, "no-such-program"));
    assert_non_null(strstr(cb_error_last()->message, "No such file or directory"));
    assert_non_null(strstr(cb_error_last()->message, "domain ag"));
}

static void test_exec_timeout_kills(void **state)
{
    struct fixture *f = *state;
    const char *argv[] = { "sleep", "171", NULL };
    cb_exec_options o = CB_EXEC_OPTIONS_INIT;
    cb_exec_result *r = NULL;
    double t = now_s();

    o.timeout_ms = 2000;
    assert_int_equal(cb_domain_exec(&r, f->ag, argv, &o), CB_ETIMEOUT);
    t = now_s() - t;
    fprintf(stderr, "%s (%.2f s)\n", cb_error_last()->message, t);
    assert_true(t >= 2.0 && t < 30.0);
    assert_string_equal(cb_error_last()->message, "domain ag: sleep did not end within 2000 ms "
                                                  "(killed)");
    assert_null(r);
    /* it is gone: no "sleep 171" left in the guest */
    assert_int_equal(cb_domain_exec_shell(&r, f->ag, "ps | grep -v grep | grep -c 'sleep 171'",
                                          NULL), 0);
    assert_string_equal(cb_exec_result_stdout(r, NULL), "0\n");
    cb_exec_result_free(r);
}

static void test_exec_output_cap(void **state)
{
    struct fixture *f = *state;
    cb_exec_options o = CB_EXEC_OPTIONS_INIT;
    cb_exec_result *r = NULL;
    size_t len;

    /* 300000 bytes of stdout, 10 of stderr, the cap at 100000 */
    o.output_max = 100000;
    assert_int_equal(cb_domain_exec_shell(&r, f->ag, "head -c 300000 /dev/zero | tr '\\0' x; "
                                                     "printf 0123456789 >&2", &o), 0);
    cb_exec_result_stdout(r, &len);
    assert_int_equal(len, 100000);
    assert_int_equal(cb_exec_result_stdout(r, NULL)[99999], 'x');
    assert_int_equal(cb_exec_result_stdout(r, NULL)[100000], '\0');
    assert_string_equal(cb_exec_result_stderr(r, &len), "0123456789");
    assert_int_equal(cb_exec_result_truncated(r), CB_EXEC_STDOUT_TRUNCATED);
    cb_exec_result_free(r);

    /* the default cap: 1 MiB; 1.5 MiB comes back cut */
    assert_int_equal(cb_domain_exec_shell(&r, f->ag, "head -c 1572864 /dev/zero", NULL), 0);
    cb_exec_result_stdout(r, &len);
    assert_int_equal(len, CB_EXEC_OUTPUT_MAX_DEFAULT);
    assert_int_equal(cb_exec_result_truncated(r), CB_EXEC_STDOUT_TRUNCATED);
    cb_exec_result_free(r);

    /* beyond what libvirt carries (4 MiB of JSON): a clear CB_EIO */
    r = (cb_exec_result *)0x1;
    assert_int_equal(cb_domain_exec_shell(&r, f->ag, "head -c 4000000 /dev/zero", NULL), CB_EIO);
    fprintf(stderr, "%s\n", cb_error_last()->message);
    assert_non_null(strstr(cb_error_last()->message, "too large for libvirt"));
    assert_null(r);
}

static void test_file_write_read(void **state)
{
    struct fixture *f = *state;
    size_t n = (1u << 20) + 5, i, len = 0; /* several chunks each way, the last short */
    unsigned char *buf = malloc(n);
    void *back = NULL;
    cb_exec_result *r = NULL;

    for (i = 0; i < n; i++)
        buf[i] = (unsigned char)(i * 13 + (i >> 10));
    assert_int_equal(cb_domain_file_write(f->ag, "/tmp/big.bin", buf, n, 0), 0);
    /* the guest sees the same bytes */
    assert_int_equal(cb_domain_exec_shell(&r, f->ag, "wc -c </tmp/big.bin", NULL), 0);
    assert_int_equal(strtoul(cb_exec_result_stdout(r, NULL), NULL, 10), n);
    cb_exec_result_free(r);
    assert_int_equal(cb_domain_file_read(&back, &len, f->ag, "/tmp/big.bin", 0, 0), 0);
    assert_int_equal(len, n);
    assert_memory_equal(back, buf, n);
    assert_int_equal(((char *)back)[n], '\0');
    free(back);

    /* small and empty files */
    assert_int_equal(cb_domain_file_write(f->ag, "/tmp/small.txt", "hi\n", 3, 0), 0);
    assert_int_equal(cb_domain_file_read(&back, &len, f->ag, "/tmp/small.txt", 3, 0), 0);
    assert_string_equal(back, "hi\n");
    free(back);
    assert_int_equal(cb_domain_file_write(f->ag, "/tmp/empty", NULL, 0, 0), 0);
    assert_int_equal(cb_domain_file_read(&back, &len, f->ag, "/tmp/empty", 0, 0), 0);
    assert_int_equal(len, 0);
    assert_string_equal(back, "");
    free(back);

    /* longer than max_len; a missing file; a missing directory */
    assert_int_equal(cb_domain_file_read(&back, &len, f->ag, "/tmp/big.bin", 1000, 0), CB_EIO);
    assert_null(back);
    assert_non_null(strstr(cb_error_last()->message, "longer than 1000 bytes"));
    assert_int_equal(cb_domain_file_read(&back, &len, f->ag, "/tmp/nope", 0, 0), CB_ELIBVIRT);
    fprintf(stderr, "%s\n", cb_error_last()->message);
    assert_non_null(strstr(cb_error_last()->message, "/tmp/nope"));
    assert_int_equal(cb_domain_file_write(f->ag, "/nodir/x", "x", 1, 0), CB_ELIBVIRT);
    free(buf);
}

static void test_copy_to_from(void **state)
{
    struct fixture *f = *state;
    char *text = malloc(1500001), *src, *dst, *back;
    size_t i;
    struct stat st;

    for (i = 0; i < 1500000; i++)
        text[i] = (char)('a' + i % 26);
    text[1500000] = '\0';
    src = th_write(f->dir, "src.txt", text, 1500000);
    assert_int_equal(cb_domain_copy_to(f->ag, src, "/tmp/copied.txt", 0), 0);
    dst = th_replace(src, "src.txt", "back.txt");
    assert_int_equal(cb_domain_copy_from(f->ag, "/tmp/copied.txt", dst, 0), 0);
    back = th_read(dst);
    assert_non_null(back);
    assert_string_equal(back, text);
    free(back);
    /* a failed copy leaves nothing behind, and the old file as it was */
    assert_int_equal(cb_domain_copy_from(f->ag, "/tmp/nope", dst, 0), CB_ELIBVIRT);
    assert_int_equal(stat(dst, &st), 0);
    assert_int_equal(st.st_size, 1500000);
    assert_int_equal(cb_domain_copy_to(f->ag, "/nonexistent/x", "/tmp/x", 0), CB_EIO);
    free(src);
    free(dst);
    free(text);
}

/* The agent's view: every interface, lo's 127.0.0.1 (no network) and the
 * netif's leased address (network lab). */
static void test_agent_addresses(void **state)
{
    struct fixture *f = *state;
    cb_addresses *a = NULL;
    bool lo = false, lab = false;
    size_t i;

    assert_int_equal(cb_domain_get_addresses(&a, f->ag, CB_ADDRESSES_SRC_AGENT), 0);
    for (i = 0; i < cb_addresses_count(a); i++) {
        const char *ip = cb_addresses_ip(a, i), *net = cb_addresses_network(a, i);
        fprintf(stderr, "agent address: %s %s %s\n", cb_addresses_mac(a, i), ip ? ip : "-",
                net ? net : "-");
        assert_int_equal(cb_addresses_source(a, i), CB_ADDRESS_AGENT);
        if (ip && strcmp(ip, "127.0.0.1") == 0 && !net)
            lo = true;
        if (ip && strcmp(ip, "10.237.12.11") == 0 && net && strcmp(net, "lab") == 0)
            lab = true;
    }
    assert_true(lo);
    assert_true(lab);
    cb_addresses_free(a);
}

/* The command: the guest's output and status become its own. */
static void test_command(void **state)
{
    struct fixture *f = *state;
    char *cmd, *out, *host;
    const char *bin = getenv("CB_BUILDDIR");
    int status;

    assert_non_null(bin);
    cmd = malloc(4096);
    snprintf(cmd, 4096, "%s/tools/cloubed/cloubed -c %s --connect " URI " exec --domain ag -- "
             "sh -c 'echo to-out; echo to-err >&2; exit 5' >%s/out 2>%s/err", bin, f->path,
             f->dir, f->dir);
    status = system(cmd);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 5);
    out = th_replace(f->path, "cloubed.yaml", "out");
    host = th_read(out);
    assert_string_equal(host, "to-out\n");
    free(host);
    free(out);
    out = th_replace(f->path, "cloubed.yaml", "err");
    host = th_read(out);
    assert_string_equal(host, "to-err\n");
    free(host);
    free(out);

    snprintf(cmd, 4096, "%s/tools/cloubed/cloubed -c %s --connect " URI " exec --domain ag "
             "--timeout 1 -- sleep 60 2>/dev/null", bin, f->path);
    status = system(cmd);
    assert_int_equal(WEXITSTATUS(status), 124);

    snprintf(cmd, 4096, "cd %s && printf 'via the command\\n' >c.txt && "
             "%s/tools/cloubed/cloubed -c %s --connect " URI " copy-to --domain ag c.txt /tmp/c.txt && "
             "%s/tools/cloubed/cloubed -c %s --connect " URI " copy-from --domain ag /tmp/c.txt c2.txt && "
             "cmp c.txt c2.txt", f->dir, bin, f->path, bin, f->path);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

/* A guest whose agent does not run: a clear error, within the timeout. */
static void test_no_agent(void **state)
{
    struct fixture *f = *state;
    cb_exec_result *r = (cb_exec_result *)0x1;
    double t = now_s();

    assert_int_equal(cb_domain_wait_agent(f->noag, NOAGENT_MS, 0), CB_ETIMEOUT);
    t = now_s() - t;
    fprintf(stderr, "%s (%.2f s)\n", cb_error_last()->message, t);
    assert_string_equal(cb_error_last()->message, "domain noag: no guest agent answered within "
                                                  "15 s (qemu-guest-agent must run in the guest)");
    assert_true(t >= NOAGENT_MS / 1000.0 - 0.1 && t < NOAGENT_MS / 1000.0 + 10);
    /* the other calls fail at once */
    t = now_s();
    assert_int_equal(cb_domain_exec_shell(&r, f->noag, "true", NULL), CB_EUNSUPPORTED);
    assert_null(r);
    assert_non_null(strstr(cb_error_last()->message, "qemu-guest-agent must run in the guest"));
    assert_int_equal(cb_domain_file_write(f->noag, "/tmp/x", "x", 1, 0), CB_EUNSUPPORTED);
    assert_true(now_s() - t < 10);
}

/* A wait ends when its domain dies: destroyed from outside, the wait for
 * the agent of the guest that has none ends at once, not at its timeout. */
static void test_wait_ends_on_death(void **state)
{
    struct fixture *f = *state;
    double t = now_s();

    assert_int_equal(cb_domain_destroy(f->noag, 0), 0);
    assert_int_equal(cb_domain_wait_agent(f->noag, 120 * 1000, 0), CB_ESTATE);
    fprintf(stderr, "%s (%.2f s)\n", cb_error_last()->message, now_s() - t);
    assert_true(now_s() - t < 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wait_agent_and_up_ready),
        cmocka_unit_test(test_exec_output_and_status),
        cmocka_unit_test(test_exec_stdin_env),
        cmocka_unit_test(test_exec_not_found),
        cmocka_unit_test(test_exec_timeout_kills),
        cmocka_unit_test(test_exec_output_cap),
        cmocka_unit_test(test_file_write_read),
        cmocka_unit_test(test_copy_to_from),
        cmocka_unit_test(test_agent_addresses),
        cmocka_unit_test(test_command),
        cmocka_unit_test(test_no_agent),
        cmocka_unit_test(test_wait_ends_on_death),
    };
    int status;

    char check[1024];

    if (!(guest_dir = e2e_guest(URI, &status)))
        return status;
    /* a tiny guest built before it ran qemu-ga cannot pass */
    snprintf(check, sizeof(check), "gzip -dc '%s/initrd.img' | grep -qa bin/qemu-ga", guest_dir);
    if (system(check) != 0) {
        fprintf(stderr, "the tiny guest in %s has no qemu-ga: rebuild it with "
                        "tests/guest/build-guest.sh %s\n", guest_dir, guest_dir);
        return e2e_in_ci() ? 1 : 77;
    }
    return cmocka_run_group_tests_name("guest agent end to end on " URI, tests, setup, teardown);
}
