/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_daemon_faults.c: a libvirt daemon killed while waits are in flight.
 *
 * A private libvirtd runs in its own mount namespace (a tmpfs over
 * /run/libvirt, its sockets in a directory of the test, only the test driver
 * loaded), so that the shared daemon is never disturbed. Waits with an
 * infinite timeout on an event, the console and a TCP port run in threads;
 * the daemon is killed with SIGKILL: every wait must return an error, none
 * may hang. The daemon is started again: the next call reconnects by itself,
 * and events flow again.
 *
 * Needs root (unshare -m, mount) and libvirtd; without them the test says so
 * and is skipped, in CI it fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "e2e_guest.h"
#include "test_helpers.h"

/* Generous: the waits end as soon as libvirt sees the socket close; this
 * only turns a hang into a failure. */
#define HANG_S 60

static const char yaml[] =
    "testbed: faults\n"
    "networks:\n"
    "  - {name: lo, address: 127.0.0.1/8}\n"
    "domains:\n"
    "  - name: vm\n"
    "    cpu: 1\n"
    "    memory: 128M\n"
    "    netifs: [{network: lo, ip: 127.0.0.9}]\n"
    "    disks: []\n";

struct daemon {
    char *dir, *sock, *uri;
    pid_t pid;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Starts libvirtd in a mount namespace of its own: its /run/libvirt is a
 * tmpfs, its sockets are in D->dir/sock, and no driver module is loaded
 * (the test driver is built into libvirt). */
static void daemon_start(struct daemon *d)
{
    char *conf, *script, *sockdir;
    int ifd, wd;
    double end;

    if (asprintf(&sockdir, "%s/sock", d->dir) < 0)
        abort();
    mkdir(sockdir, 0700);
    conf = th_replace("unix_sock_dir = \"@S@\"\nunix_sock_rw_perms = \"0700\"\n"
                      "auth_unix_rw = \"none\"\nlog_outputs = \"3:stderr\"\n", "@S@", sockdir);
    free(th_write(d->dir, "libvirtd.conf", conf, strlen(conf)));
    free(conf);
    unlink(d->sock);
    /* the socket's creation is what the test waits for */
    if ((ifd = inotify_init1(IN_CLOEXEC)) < 0 ||
        (wd = inotify_add_watch(ifd, sockdir, IN_CREATE | IN_MOVED_TO)) < 0)
        fail_msg("inotify: %s", strerror(errno));
    if (asprintf(&script, "mount -t tmpfs none /run/libvirt && mkdir -p %s/empty && "
                          "exec env LIBVIRT_DRIVER_DIR=%s/empty libvirtd -f %s/libvirtd.conf "
                          "-p %s/pid", d->dir, d->dir, d->dir, d->dir) < 0)
        abort();
    if ((d->pid = fork()) == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 2);
        execlp("unshare", "unshare", "-m", "sh", "-c", script, (char *)NULL);
        _exit(127);
    }
    free(script);
    end = now_s() + HANG_S;
    while (access(d->sock, F_OK) < 0 && now_s() < end) {
        struct pollfd p = { .fd = ifd, .events = POLLIN };
        char buf[4096];
        if (poll(&p, 1, 1000) > 0 && read(ifd, buf, sizeof(buf)) < 0)
            break;
    }
    close(ifd);
    free(sockdir);
    if (access(d->sock, F_OK) < 0)
        fail_msg("the private libvirtd did not create %s within %d s", d->sock, HANG_S);
    /* The socket exists before the daemon listens on it: libvirt's own
     * connect is the only probe of the moment it accepts. */
    for (;;) {
        virConnectPtr c = virConnectOpen(d->uri);
        if (c) {
            virConnectClose(c);
            return;
        }
        if (now_s() > end)
            fail_msg("the private libvirtd does not accept connections at %s", d->uri);
        usleep(20 * 1000);
    }
}

static void daemon_kill(struct daemon *d)
{
    if (d->pid > 0) {
        kill(d->pid, SIGKILL);
        waitpid(d->pid, NULL, 0);
    }
    d->pid = 0;
}

struct waiter {
    cb_domain *d;
    const char *what;
    int rc;
    char message[512];
    bool done;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;

static void *wait_thread(void *arg)
{
    struct waiter *w = arg;
    int rc;

    if (strcmp(w->what, "event") == 0)
        rc = cb_domain_wait_event(w->d, "stopped:shutdown", -1, 0);
    else if (strcmp(w->what, "console") == 0)
        rc = cb_domain_wait_console(w->d, "a text the guest never prints", -1, 0);
    else
        rc = cb_domain_wait_tcp(w->d, 9, -1, 0); /* 127.0.0.9:9: nobody listens */
    pthread_mutex_lock(&lock);
    w->rc = rc;
    snprintf(w->message, sizeof(w->message), "%s", cb_error_last()->message);
    w->done = true;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    return NULL;
}

struct fixture {
    struct daemon dmn;
    char *dir, *path;
    cb_testbed *tb;
    struct th_log log;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;

    f->dmn.dir = th_mkdtemp();
    if (asprintf(&f->dmn.sock, "%s/sock/libvirt-sock", f->dmn.dir) < 0 ||
        asprintf(&f->dmn.uri, "test+unix:///default?socket=%s", f->dmn.sock) < 0)
        abort();
    daemon_start(&f->dmn);
    f->dir = th_mkdtemp();
    f->path = th_write(f->dir, "cloubed.yaml", yaml, strlen(yaml));
    opts.uri = f->dmn.uri;
    opts.user = "faults";
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
    daemon_kill(&f->dmn);
    th_rmtree(f->dmn.dir);
    th_rmtree(f->dir);
    free(f->dmn.dir);
    free(f->dmn.sock);
    free(f->dmn.uri);
    free(f->dir);
    free(f->path);
    free(f);
    return 0;
}

static void test_killed_daemon_ends_every_wait_then_reconnects(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    struct waiter w[3] = { { vm, "event", 0, "", false }, { vm, "console", 0, "", false },
                           { vm, "tcp", 0, "", false } };
    pthread_t t[3];
    struct timespec deadline;
    cb_domain_state st;
    int i;

    if (cb_domain_boot(vm, NULL) < 0)
        fail_msg("%s", cb_error_last()->message);
    for (i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, wait_thread, &w[i]);
    daemon_kill(&f->dmn);
    /* every wait returns; none hangs */
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += HANG_S;
    pthread_mutex_lock(&lock);
    while (!(w[0].done && w[1].done && w[2].done))
        if (pthread_cond_timedwait(&cond, &lock, &deadline) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&lock);
    for (i = 0; i < 3; i++)
        if (!w[i].done)
            fail_msg("the %s wait still hangs %d s after the daemon was killed", w[i].what,
                     HANG_S);
    for (i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        if (w[i].rc >= 0)
            fail_msg("the %s wait returned %d after the daemon was killed", w[i].what, w[i].rc);
        assert_int_equal(w[i].rc, CB_ELIBVIRT);
    }
    /* a call with the daemon gone fails at once, without hanging */
    assert_int_equal(cb_domain_get_state(&st, vm, 0), CB_ELIBVIRT);
    /* the daemon comes back: the next call reconnects by itself */
    daemon_start(&f->dmn);
    assert_int_equal(cb_domain_get_state(&st, vm, 0), 0);
    assert_int_equal(st, CB_DOMAIN_STATE_UNDEFINED); /* a new daemon's test driver */
    assert_non_null(strstr(f->log.text, "reconnecting to libvirt"));
    /* and events flow on the new connection */
    if (cb_domain_boot(vm, NULL) < 0)
        fail_msg("%s", cb_error_last()->message);
    if (cb_domain_wait_event(vm, "started:booted", HANG_S * 1000, 0) < 0)
        fail_msg("%s", cb_error_last()->message);
    assert_int_equal(cb_testbed_cleanup(f->tb, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_killed_daemon_ends_every_wait_then_reconnects,
                                        setup, teardown),
    };
    bool in_ci = e2e_in_ci();

    if (geteuid() != 0 || system("command -v libvirtd unshare >/dev/null 2>&1") != 0) {
        fprintf(stderr, "%s: needs root, libvirtd and unshare to run a private daemon\n",
                in_ci ? "FAIL" : "SKIP");
        return in_ci ? 1 : 77;
    }
    signal(SIGPIPE, SIG_IGN);
    virSetErrorFunc(NULL, NULL);
    return cmocka_run_group_tests_name("a libvirt daemon killed under waits", tests, NULL, NULL);
}
