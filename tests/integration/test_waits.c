/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_waits.c: lifecycle events on libvirt's test driver (never missed,
 * consumed, timeouts, unknown names, listeners), the TCP wait against a local
 * listener that opens late, and the console wait on a log that grows.
 * Nothing here asserts durations: latency belongs in bench/.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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

#include "test_helpers.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char yaml[] =
    "testbed: waits\n"
    "networks:\n"
    "  - {name: lo, address: 127.0.0.1/8}\n"
    "  - {name: lab, address: 10.76.0.1/24, dhcp: {start: 10.76.0.10, end: 10.76.0.20}}\n"
    "domains:\n"
    "  - name: vm\n"
    "    cpu: 1\n"
    "    memory: 128M\n"
    "    netifs: [{network: lo, ip: 127.0.0.2}]\n"
    "    disks: []\n"
    "  - name: dyn\n"
    "    cpu: 1\n"
    "    memory: 128M\n"
    "    netifs: [{network: lab}]\n"
    "    disks: []\n"
    "  - name: nonet\n"
    "    cpu: 1\n"
    "    memory: 128M\n"
    "    netifs: []\n"
    "    disks: []\n"
    "  - name: multi\n"
    "    cpu: 1\n"
    "    memory: 128M\n"
    "    netifs: [{network: lab}, {network: lo, ip: 127.0.0.3}]\n"
    "    disks: []\n";

struct fixture {
    char *dir;
    cb_testbed *tb;
    struct th_log log;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    f->dir = th_mkdtemp();
    f->tb = th_open_yaml(f->dir, NULL, yaml, "test:///default", th_log_cb, &f->log);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    if (f->tb)
        cb_testbed_cleanup(f->tb, 0);
    cb_testbed_free(f->tb);
    th_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* What a listener saw, "DOMAIN TYPE:DETAIL" a line. Listeners are called
 * after the event is queued: once a line is here, a wait finds its event. */
struct seen {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    char text[1024];
};

static void record(cb_domain *d, const char *type, const char *detail, void *payload)
{
    struct seen *s = payload;
    size_t used;

    pthread_mutex_lock(&s->lock);
    used = strlen(s->text);
    snprintf(s->text + used, sizeof(s->text) - used, "%s %s:%s\n", cb_domain_name(d), type, detail);
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

/* Waits until S shows LINE; false after 10 s (a bound, so that a broken
 * library fails the test instead of hanging it). */
static bool seen_wait(struct seen *s, const char *line)
{
    struct timespec deadline;
    bool found;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 10;
    pthread_mutex_lock(&s->lock);
    while (!strstr(s->text, line))
        if (pthread_cond_timedwait(&s->cond, &s->lock, &deadline) != 0)
            break;
    found = strstr(s->text, line) != NULL;
    pthread_mutex_unlock(&s->lock);
    return found;
}

static void test_boot_then_wait_is_never_missed(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    static struct seen s = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, "" };
    int id = -1;

    assert_int_equal(cb_testbed_add_event_listener(&id, f->tb, record, &s, NULL, 0), 0);
    assert_int_equal(cb_domain_boot(vm, NULL), 0);
    /* The event was queued while nobody waited: it is still there. */
    assert_true(seen_wait(&s, "vm started:booted\n"));
    assert_int_equal(cb_testbed_remove_event_listener(f->tb, id, 0), 0);
    assert_int_equal(cb_domain_wait_event(vm, "started:booted", 10000, 0), 0);
    /* consumed: a second identical wait waits for the next one */
    assert_int_equal(cb_domain_wait_event(vm, "started:booted", 200, 0), CB_ETIMEOUT);
    assert_string_equal(cb_error_last()->message,
                        "timed out after 200 ms waiting for started:booted on domain vm");
    assert_int_equal(cb_domain_destroy(vm, 0), 0);
    assert_int_equal(cb_domain_wait_event(vm, "stopped:destroyed", 10000, 0), 0);
    /* type alone: any detail */
    assert_int_equal(cb_domain_boot(vm, NULL), 0);
    assert_int_equal(cb_domain_shutdown(vm, 0), 0);
    assert_int_equal(cb_domain_wait_event(vm, "STOPPED", 10000, 0), 0);
}

static void test_consumption_and_clear(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    static struct seen s = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, "" };
    int id = -1;

    assert_int_equal(cb_testbed_add_event_listener(&id, f->tb, record, &s, NULL, 0), 0);
    assert_int_equal(cb_domain_boot(vm, NULL), 0);       /* defined, started */
    assert_int_equal(cb_domain_pause(vm, 0), 0);            /* suspended:paused */
    assert_int_equal(cb_domain_unpause(vm, 0), 0);          /* resumed:unpaused */
    assert_int_equal(cb_domain_wait_event(vm, "resumed:unpaused", 10000, 0), 0);
    /* waiting for resumed consumed the older events too */
    assert_int_equal(cb_domain_wait_event(vm, "suspended:paused", 100, 0), CB_ETIMEOUT);
    pthread_mutex_lock(&s.lock);
    s.text[0] = '\0';
    pthread_mutex_unlock(&s.lock);
    assert_int_equal(cb_domain_pause(vm, 0), 0);
    assert_true(seen_wait(&s, "vm suspended:paused\n")); /* queued: clearing drops it */
    assert_int_equal(cb_testbed_remove_event_listener(f->tb, id, 0), 0);
    assert_int_equal(cb_domain_clear_events(vm, 0), 0);
    assert_int_equal(cb_domain_wait_event(vm, "suspended", 100, 0), CB_ETIMEOUT);
    /* a failed wait consumes nothing */
    assert_int_equal(cb_domain_unpause(vm, 0), 0);
    assert_int_equal(cb_domain_wait_event(vm, "stopped", 100, 0), CB_ETIMEOUT);
    assert_int_equal(cb_domain_wait_event(vm, "resumed:unpaused", 10000, 0), 0);
}

static void test_unknown_names_fail_at_once(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");

    assert_int_equal(cb_domain_wait_event(vm, "stopped:shutdwn", -1, 0), CB_EINVAL);
    assert_non_null(strstr(cb_error_last()->message, "unknown event detail of 'stopped:shutdwn'"));
    assert_int_equal(cb_domain_wait_event(vm, "tcp:22", -1, 0), CB_EINVAL);
    assert_int_equal(cb_domain_wait_event(vm, NULL, -1, 0), CB_EINVAL);
    assert_int_equal(cb_domain_wait_event(NULL, "stopped", -1, 0), CB_EINVAL);
}

static void count_free(void *payload)
{
    ++*(int *)payload;
}

static void test_listeners(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    struct seen s = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, "" };
    int id = -1, id2 = -1, frees = 0;

    assert_int_equal(cb_testbed_add_event_listener(&id, f->tb, record, &s, NULL, 0), 0);
    assert_true(id >= 0);
    assert_int_equal(cb_domain_boot(vm, NULL), 0);
    assert_int_equal(cb_domain_wait_event(vm, "started:booted", 10000, 0), 0);
    pthread_mutex_lock(&s.lock);
    assert_non_null(strstr(s.text, "vm started:booted\n"));
    pthread_mutex_unlock(&s.lock);
    assert_int_equal(cb_testbed_remove_event_listener(f->tb, id, 0), 0);
    assert_int_equal(cb_testbed_remove_event_listener(f->tb, id, 0), CB_ENOTFOUND);
    assert_int_equal(cb_testbed_add_event_listener(&id, f->tb, NULL, NULL, NULL, 0), CB_EINVAL);
    assert_int_equal(id, -1);
    /* the free callback runs exactly once, on remove */
    assert_int_equal(cb_testbed_add_event_listener(&id2, f->tb, record, &frees, count_free, 0), 0);
    assert_int_not_equal(id2, -1);
    assert_int_equal(frees, 0);
    assert_int_equal(cb_testbed_remove_event_listener(f->tb, id2, 0), 0);
    assert_int_equal(frees, 1);
    assert_int_equal(cb_testbed_remove_event_listener(f->tb, id2, 0), CB_ENOTFOUND);
    assert_int_equal(frees, 1);
}

struct tcp_wait {
    cb_domain *d;
    unsigned port;
    int rc;
};

static void *tcp_wait_run(void *arg)
{
    struct tcp_wait *w = arg;

    w->rc = cb_domain_wait_tcp(w->d, w->port, 20000, 0);
    return NULL;
}

static void test_wait_tcp(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t salen = sizeof(sa);
    struct tcp_wait w = { vm, 0, -1 };
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    pthread_t t;

    /* Port 0: the kernel picks a free port. Bound but not listening, it
     * refuses connections: the wait retries until its timeout. */
    inet_pton(AF_INET, "127.0.0.2", &sa.sin_addr);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &salen), 0);
    w.port = ntohs(sa.sin_port);
    assert_int_equal(cb_domain_wait_tcp(vm, w.port, 200, 0), CB_ETIMEOUT);
    /* The port opens as a wait starts (before or during its retries: the
     * wait must see it either way); the kernel completes the connection. */
    pthread_create(&t, NULL, tcp_wait_run, &w);
    assert_int_equal(listen(fd, 4), 0);
    pthread_join(t, NULL);
    assert_int_equal(w.rc, 0);
    close(fd);
    assert_int_equal(cb_domain_wait_tcp(vm, w.port, 200, 0), CB_ETIMEOUT);
    assert_non_null(strstr(cb_error_last()->message, "of domain vm at 127.0.0.2"));
    /* no static ip and no lease (the test driver hands out none) */
    assert_int_equal(cb_domain_wait_tcp(cb_testbed_domain(f->tb, "dyn"), 22, 200, 0), CB_ETIMEOUT);
    assert_non_null(strstr(cb_error_last()->message, "no address is known yet (no static ip, and no DHCP lease for 00:16:3e:"));
    assert_int_equal(cb_domain_wait_tcp(cb_testbed_domain(f->tb, "nonet"), 22, 200, 0), CB_EINVAL);
    assert_int_equal(cb_domain_wait_tcp(vm, 0, 200, 0), CB_EINVAL);
    assert_int_equal(cb_domain_wait_tcp(vm, 70000, 200, 0), CB_EINVAL);
}

/* One entry per netif, in file order: static, none known (the test driver
 * hands out no DHCP lease), and a domain without netifs. */
static void test_get_addresses(void **state)
{
    struct fixture *f = *state;
    cb_addresses *a = (cb_addresses *)0x1;

    assert_int_equal(cb_domain_get_addresses(&a, cb_testbed_domain(f->tb, "vm"), 0), 0);
    assert_int_equal(cb_addresses_count(a), 1);
    assert_string_equal(cb_addresses_network(a, 0), "lo");
    assert_string_equal(cb_addresses_ip(a, 0), "127.0.0.2");
    assert_int_equal(cb_addresses_source(a, 0), CB_ADDRESS_STATIC);
    assert_int_equal(strlen(cb_addresses_mac(a, 0)), 17);
    assert_null(cb_addresses_ip(a, 1)); /* out of range */
    assert_int_equal(cb_addresses_source(a, 1), CB_ADDRESS_NONE);
    cb_addresses_free(a);

    /* DHCP-less: listed, with no ip */
    assert_int_equal(cb_domain_get_addresses(&a, cb_testbed_domain(f->tb, "dyn"), 0), 0);
    assert_int_equal(cb_addresses_count(a), 1);
    assert_string_equal(cb_addresses_network(a, 0), "lab");
    assert_non_null(cb_addresses_mac(a, 0));
    assert_null(cb_addresses_ip(a, 0));
    assert_int_equal(cb_addresses_source(a, 0), CB_ADDRESS_NONE);
    cb_addresses_free(a);

    /* every netif, in file order */
    assert_int_equal(cb_domain_get_addresses(&a, cb_testbed_domain(f->tb, "multi"), 0), 0);
    assert_int_equal(cb_addresses_count(a), 2);
    assert_string_equal(cb_addresses_network(a, 0), "lab");
    assert_null(cb_addresses_ip(a, 0));
    assert_string_equal(cb_addresses_network(a, 1), "lo");
    assert_string_equal(cb_addresses_ip(a, 1), "127.0.0.3");
    assert_int_equal(cb_addresses_source(a, 1), CB_ADDRESS_STATIC);
    cb_addresses_free(a);
    /* leases only: the static ip is not looked at */
    assert_int_equal(cb_domain_get_addresses(&a, cb_testbed_domain(f->tb, "multi"),
                                             CB_ADDRESSES_SRC_LEASE), 0);
    assert_null(cb_addresses_ip(a, 1));
    cb_addresses_free(a);

    /* none: an empty list, not an error */
    assert_int_equal(cb_domain_get_addresses(&a, cb_testbed_domain(f->tb, "nonet"), 0), 0);
    assert_int_equal(cb_addresses_count(a), 0);
    cb_addresses_free(a);
    cb_addresses_free(NULL);

    /* the guest agent source asks the live domain (the e2e test asks a real
     * agent); the two sources exclude each other */
    a = (cb_addresses *)0x1;
    assert_int_equal(cb_domain_get_addresses(&a, cb_testbed_domain(f->tb, "vm"),
                                             CB_ADDRESSES_SRC_AGENT), CB_ENOTFOUND);
    assert_null(a);
    assert_int_equal(cb_domain_get_addresses(&a, cb_testbed_domain(f->tb, "vm"),
                                             CB_ADDRESSES_SRC_AGENT | CB_ADDRESSES_SRC_LEASE),
                     CB_EINVAL);
    assert_null(a);
    assert_int_equal(cb_domain_get_addresses(&a, NULL, 0), CB_EINVAL);
}

/* The TCP wait tries every netif: multi's first has no address, its second
 * answers (a socket that listens: the kernel completes the handshake). */
static void test_wait_tcp_every_netif(void **state)
{
    struct fixture *f = *state;
    struct sockaddr_in sa = { .sin_family = AF_INET };
    unsigned port = 20000 + (unsigned)((getpid() + 7) % 20000);
    int fd, one = 1;

    sa.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, "127.0.0.3", &sa.sin_addr);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(fd, 4), 0);
    assert_int_equal(cb_domain_wait_tcp(cb_testbed_domain(f->tb, "multi"), port, 5000, 0), 0);
    close(fd);
}

/* The fork rule: a child must not use its parent's testbed. Every entry
 * that reaches run-time state refuses with CB_ESTATE naming both pids; the
 * parent's testbed keeps working. The child reports through its exit code
 * only (no cmocka in a forked child). */
static int child_checks(cb_testbed *tb)
{
    cb_domain *vm = cb_testbed_domain(tb, "vm");
    cb_domain_state st;
    cb_addresses *a = NULL;
    char *out = NULL, ppid[32];
    int id;

    snprintf(ppid, sizeof(ppid), "process %ld,", (long)getppid());
    if (cb_domain_get_state(&st, vm, 0) != CB_ESTATE)
        return 1;
    if (!strstr(cb_error_last()->message, ppid) || !strstr(cb_error_last()->message, "after fork"))
        return 2;
    if (cb_domain_wait_event(vm, "started", 100, 0) != CB_ESTATE ||
        cb_domain_wait_console(vm, "x", 100, 0) != CB_ESTATE ||
        cb_domain_wait_tcp(vm, 22, 100, 0) != CB_ESTATE ||
        cb_domain_get_addresses(&a, vm, 0) != CB_ESTATE ||
        cb_domain_clear_events(vm, 0) != CB_ESTATE ||
        cb_testbed_add_event_listener(&id, tb, record, NULL, NULL, 0) != CB_ESTATE ||
        cb_testbed_status(&out, tb, CB_STATUS_TEXT, 0) != CB_ESTATE ||
        cb_testbed_http_start(tb, "127.0.0.1", 0, 0) != CB_ESTATE)
        return 3;
    /* the immutable model is still readable */
    if (strcmp(cb_domain_name(vm), "vm") != 0)
        return 4;
    return 0;
}

static void test_fork_rule(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    cb_domain_state st;
    unsigned char verdict = 0xff;
    int fds[2];
    pid_t pid;

    /* connected first: the event loop's thread exists when forking */
    assert_int_equal(cb_domain_get_state(&st, vm, 0), 0);
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* The verdict goes through a pipe, not the exit status: under
         * valgrind the child's exit reports the parent's threads' memory,
         * which the child never owned, as lost. */
        verdict = (unsigned char)child_checks(f->tb);
        _exit(write(fds[1], &verdict, 1) == 1 ? 0 : 1);
    }
    close(fds[1]);
    assert_int_equal(read(fds[0], &verdict, 1), 1);
    close(fds[0]);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    assert_int_equal(verdict, 0);
    assert_int_equal(cb_domain_get_state(&st, vm, 0), 0);
}

static void append(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    assert_true(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
}

struct console_wait {
    cb_domain *d;
    const char *text;
    int rc;
};

static void *console_wait_run(void *arg)
{
    struct console_wait *w = arg;

    w->rc = cb_domain_wait_console(w->d, w->text, 20000, 0);
    return NULL;
}

static void test_wait_console(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    const char *path = cb_domain_console_log(vm);
    struct console_wait w = { vm, "cloubed-guest: ready", -1 };
    pthread_t t;

    /* no log yet (the wait makes its directory) */
    assert_int_equal(cb_domain_wait_console(vm, "cloubed-guest: ready", 50, 0), CB_ETIMEOUT);
    /* the text arrives in two writes: half of it is not a match */
    append(path, "[    0.1] booting\n");
    append(path, "cloubed-guest: rea");
    assert_int_equal(cb_domain_wait_console(vm, "cloubed-guest: ready", 200, 0), CB_ETIMEOUT);
    /* the rest, written as a wait starts (or runs): it matches */
    pthread_create(&t, NULL, console_wait_run, &w);
    append(path, "dy 10.0.0.5\n");
    pthread_join(t, NULL);
    assert_int_equal(w.rc, 0);
    /* consumed up to the match: the next identical wait needs a new line */
    assert_int_equal(cb_domain_wait_console(vm, "cloubed-guest: ready", 200, 0), CB_ETIMEOUT);
    assert_non_null(strstr(cb_error_last()->message, "waiting for \"cloubed-guest: ready\" on the console of domain vm"));
    append(path, "cloubed-guest: ready again\n");
    assert_int_equal(cb_domain_wait_console(vm, "cloubed-guest: ready", 20000, 0), 0);
    assert_int_equal(cb_domain_wait_console(vm, "", 200, 0), CB_EINVAL);
}

static void *free_while_waiting(void *arg)
{
    cb_domain *vm = arg;
    return (void *)(intptr_t)cb_domain_wait_event(vm, "crashed", 1500, 0);
}

static void test_waits_from_several_threads(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    pthread_t t[4];
    void *r;
    int i;

    for (i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, free_while_waiting, vm);
    for (i = 0; i < 4; i++) {
        pthread_join(t[i], &r);
        assert_int_equal((intptr_t)r, CB_ETIMEOUT);
    }
}

/* A wait in a thread of its own; the result is collected for the main
 * thread to assert on. */
struct bg_wait {
    cb_domain *d;
    const char *kind; /* "event", "tcp" or "console" */
    const char *arg;
    unsigned port;
    pthread_t t;
    int rc;
    char message[512];
};

static void *bg_wait_run(void *arg)
{
    struct bg_wait *w = arg;

    if (strcmp(w->kind, "event") == 0)
        w->rc = cb_domain_wait_event(w->d, w->arg, -1, 0);
    else if (strcmp(w->kind, "tcp") == 0)
        w->rc = cb_domain_wait_tcp(w->d, w->port, -1, 0);
    else
        w->rc = cb_domain_wait_console(w->d, w->arg, -1, 0);
    snprintf(w->message, sizeof(w->message), "%s", w->rc < 0 ? cb_error_last()->message : "");
    return NULL;
}

/* Every kind of wait, with no timeout, ends when the domain is destroyed
 * from another thread, naming what happened. */
static void test_dead_domain_ends_every_wait(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    struct bg_wait w[] = {
        { .d = vm, .kind = "event", .arg = "shutdown" },
        { .d = vm, .kind = "event", .arg = "stopped:shutdown" },
        { .d = vm, .kind = "tcp", .port = 1 },
        { .d = vm, .kind = "console", .arg = "never printed" },
    };
    size_t i;

    assert_int_equal(cb_domain_boot(vm, NULL), 0);
    for (i = 0; i < ARRAY_SIZE(w); i++)
        pthread_create(&w[i].t, NULL, bg_wait_run, &w[i]);
    assert_int_equal(cb_domain_destroy(vm, 0), 0);
    for (i = 0; i < ARRAY_SIZE(w); i++)
        pthread_join(w[i].t, NULL);
    assert_int_equal(w[0].rc, CB_ESTATE);
    assert_string_equal(w[0].message, "domain vm stopped (destroyed) while waiting for shutdown");
    assert_int_equal(w[1].rc, CB_ESTATE);
    assert_string_equal(w[1].message, "domain vm stopped (destroyed) while waiting for stopped:shutdown");
    assert_int_equal(w[2].rc, CB_ESTATE);
    assert_string_equal(w[2].message, "domain vm stopped (destroyed) while waiting for TCP port 1");
    assert_int_equal(w[3].rc, CB_ESTATE);
    assert_string_equal(w[3].message, "domain vm stopped (destroyed) while waiting for \"never "
                                      "printed\" on the console");
    /* the stop is still there for whoever waits for it */
    assert_int_equal(cb_domain_wait_event(vm, "stopped:destroyed", 10000, 0), 0);
    /* booted again: a late stop does not end the next wait */
    assert_int_equal(cb_domain_boot(vm, NULL), 0);
    assert_int_equal(cb_domain_wait_event(vm, "shutdown", 100, 0), CB_ETIMEOUT);
}

/* A listener with a free callback: counts its calls, and can hold a call
 * until told to return. */
struct held_listener {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int calls, frees;
    bool hold, inside, released, returned;
    cb_testbed *tb;
    int self_remove_id; /* >= 0: removes itself from its callback */
    int self_remove_rc;
};

static void held_cb(cb_domain *d, const char *type, const char *detail, void *payload)
{
    struct held_listener *h = payload;
    int id;

    (void)d;
    (void)type;
    (void)detail;
    pthread_mutex_lock(&h->lock);
    h->calls++;
    h->inside = true;
    pthread_cond_broadcast(&h->cond);
    while (h->hold && !h->released)
        pthread_cond_wait(&h->cond, &h->lock);
    id = h->self_remove_id;
    h->self_remove_id = -1;
    pthread_mutex_unlock(&h->lock);
    if (id >= 0) {
        int rc = cb_testbed_remove_event_listener(h->tb, id, 0);
        pthread_mutex_lock(&h->lock);
        h->self_remove_rc = rc;
        pthread_mutex_unlock(&h->lock);
    }
    pthread_mutex_lock(&h->lock);
    h->returned = true;
    pthread_cond_broadcast(&h->cond);
    pthread_mutex_unlock(&h->lock);
}

static void held_free(void *payload)
{
    struct held_listener *h = payload;

    pthread_mutex_lock(&h->lock);
    h->frees++;
    /* freed only once the callback has returned */
    if (!h->returned && h->calls > 0)
        h->frees += 100;
    pthread_cond_broadcast(&h->cond);
    pthread_mutex_unlock(&h->lock);
}

static void held_init(struct held_listener *h, cb_testbed *tb)
{
    memset(h, 0, sizeof(*h));
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->cond, NULL);
    h->tb = tb;
    h->self_remove_id = -1;
}

struct remover {
    struct held_listener *h;
    int id, rc;
    bool returned_before; /* the listener had returned when removal did */
};

static void *remove_run(void *arg)
{
    struct remover *r = arg;

    r->rc = cb_testbed_remove_event_listener(r->h->tb, r->id, 0);
    pthread_mutex_lock(&r->h->lock);
    r->returned_before = r->h->returned;
    pthread_mutex_unlock(&r->h->lock);
    return NULL;
}

static void test_listener_lifetime(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    struct held_listener h, self, kept;
    struct remover r;
    pthread_t t;
    int id, sid, kid;

    held_init(&h, f->tb);
    held_init(&self, f->tb);
    held_init(&kept, f->tb);
    /* removal waits for a call in progress, then frees once */
    h.hold = true;
    assert_int_equal(cb_testbed_add_event_listener(&id, f->tb, held_cb, &h, held_free, 0), 0);
    assert_true(id >= 0);
    assert_int_equal(cb_domain_boot(vm, NULL), 0);
    pthread_mutex_lock(&h.lock);
    while (!h.inside)
        pthread_cond_wait(&h.cond, &h.lock);
    pthread_mutex_unlock(&h.lock);
    r.h = &h;
    r.id = id;
    pthread_create(&t, NULL, remove_run, &r);
    pthread_mutex_lock(&h.lock);
    h.released = true;
    pthread_cond_broadcast(&h.cond);
    pthread_mutex_unlock(&h.lock);
    pthread_join(t, NULL);
    assert_int_equal(r.rc, 0);
    assert_true(r.returned_before);
    assert_int_equal(h.frees, 1);
    assert_int_equal(cb_testbed_remove_event_listener(f->tb, id, 0), CB_ENOTFOUND);

    /* a listener that removes itself: freed when it returns, called no more */
    assert_int_equal(cb_testbed_add_event_listener(&sid, f->tb, held_cb, &self, held_free, 0), 0);
    assert_true(sid >= 0);
    self.self_remove_id = sid;
    /* one that stays is freed with the testbed */
    assert_int_equal(cb_testbed_add_event_listener(&kid, f->tb, held_cb, &kept, held_free, 0), 0);
    assert_int_equal(cb_domain_pause(vm, 0), 0);
    assert_int_equal(cb_domain_wait_event(vm, "suspended", 10000, 0), 0);
    pthread_mutex_lock(&self.lock);
    while (self.frees == 0)
        pthread_cond_wait(&self.cond, &self.lock);
    pthread_mutex_unlock(&self.lock);
    assert_int_equal(self.self_remove_rc, 0);
    assert_int_equal(self.frees, 1);
    assert_int_equal(cb_domain_unpause(vm, 0), 0);
    assert_int_equal(cb_domain_wait_event(vm, "resumed", 10000, 0), 0);
    cb_testbed_cleanup(f->tb, 0);
    cb_testbed_free(f->tb);
    f->tb = NULL;
    assert_int_equal(self.calls, 1);
    assert_int_equal(kept.frees, 1);
    assert_true(kept.calls >= 2);
    /* a failed add leaves the payload alone */
    assert_int_equal(cb_testbed_add_event_listener(&kid, NULL, held_cb, &kept, held_free, 0),
                     CB_EINVAL);
    assert_int_equal(kept.frees, 1);
}

/* A new log after a boot is read from its start even when it is already
 * longer than what the last wait read; a log renamed away by virtlogd's
 * rotation is read to its end, then the new one. */
static void test_console_new_log_and_rotation(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    const char *path = cb_domain_console_log(vm);
    char *rotated, filler[301];
    int fd;

    memset(filler, '.', 300);
    filler[300] = '\0';
    assert_int_equal(cb_domain_wait_console(vm, "no log yet", 50, 0), CB_ETIMEOUT);
    append(path, "boot1 ");
    append(path, filler);
    append(path, "boot1-ready\n");
    assert_int_equal(cb_domain_wait_console(vm, "boot1-ready", 10000, 0), 0);
    /* another process booted it: virtlogd removed the log and made a new one */
    assert_int_equal(unlink(path), 0);
    append(path, "boot2-ready\n");
    append(path, filler);
    append(path, filler);
    assert_int_equal(cb_domain_wait_console(vm, "boot2-ready", 10000, 0), 0);
    /* this process booted it, the log truncated in place */
    assert_int_equal(cb_domain_boot(vm, NULL), 0);
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    close(fd);
    append(path, "boot3-ready\n");
    append(path, filler);
    append(path, filler);
    append(path, filler);
    assert_int_equal(cb_domain_wait_console(vm, "boot3-ready", 10000, 0), 0);
    /* rotation: the old file's unread tail, then the new file */
    append(path, "before-rotation\n");
    assert_true(asprintf(&rotated, "%s.0", path) > 0);
    assert_int_equal(rename(path, rotated), 0);
    append(path, "after-rotation\n");
    assert_int_equal(cb_domain_wait_console(vm, "before-rotation", 10000, 0), 0);
    assert_int_equal(cb_domain_wait_console(vm, "after-rotation", 10000, 0), 0);
    assert_int_equal(cb_domain_wait_console(vm, "before-rotation", 50, 0), CB_ETIMEOUT);
    free(rotated);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_boot_then_wait_is_never_missed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consumption_and_clear, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_names_fail_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listeners, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_tcp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get_addresses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_tcp_every_netif, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fork_rule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_console, setup, teardown),
        cmocka_unit_test_setup_teardown(test_waits_from_several_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dead_domain_ends_every_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listener_lifetime, setup, teardown),
        cmocka_unit_test_setup_teardown(test_console_new_log_and_rotation, setup, teardown),
    };
    return cmocka_run_group_tests_name("waits", tests, NULL, NULL);
}
