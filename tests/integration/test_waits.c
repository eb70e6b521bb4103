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

#include "test_helpers.h"

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
    "    disks: []\n";

struct fixture {
    char *dir;
    cb_testbed *tb;
    struct th_log log;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    char *path;

    f->dir = th_mkdtemp();
    path = th_write(f->dir, "cloubed.yaml", yaml, strlen(yaml));
    opts.uri = "test:///default";
    opts.user = "tester";
    opts.log_cb = th_log_cb;
    opts.log_payload = &f->log;
    if (cb_testbed_open(&f->tb, path, &opts) < 0)
        fail_msg("%s", cb_error_last()->message);
    free(path);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    cb_testbed_cleanup(f->tb);
    cb_testbed_free(f->tb);
    th_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void test_boot_then_wait_is_never_missed(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");

    assert_int_equal(cb_domain_boot(vm, NULL), 0);
    /* The event was queued while nobody waited: it is still there. */
    usleep(300 * 1000);
    assert_int_equal(cb_domain_wait_event(vm, "started:booted", 10000), 0);
    /* consumed: a second identical wait waits for the next one */
    assert_int_equal(cb_domain_wait_event(vm, "started:booted", 200), CB_ETIMEOUT);
    assert_string_equal(cb_error_last()->message,
                        "timed out after 200 ms waiting for started:booted on domain vm");
    assert_int_equal(cb_domain_destroy(vm), 0);
    assert_int_equal(cb_domain_wait_event(vm, "stopped:destroyed", 10000), 0);
    /* type alone: any detail */
    assert_int_equal(cb_domain_boot(vm, NULL), 0);
    assert_int_equal(cb_domain_shutdown(vm), 0);
    assert_int_equal(cb_domain_wait_event(vm, "STOPPED", 10000), 0);
}

static void test_consumption_and_clear(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");

    assert_int_equal(cb_domain_boot(vm, NULL), 0);       /* defined, started */
    assert_int_equal(cb_domain_pause(vm), 0);            /* suspended:paused */
    assert_int_equal(cb_domain_unpause(vm), 0);          /* resumed:unpaused */
    assert_int_equal(cb_domain_wait_event(vm, "resumed:unpaused", 10000), 0);
    /* waiting for resumed consumed the older events too */
    assert_int_equal(cb_domain_wait_event(vm, "suspended:paused", 100), CB_ETIMEOUT);
    assert_int_equal(cb_domain_pause(vm), 0);
    usleep(200 * 1000);
    assert_int_equal(cb_domain_clear_events(vm), 0);
    assert_int_equal(cb_domain_wait_event(vm, "suspended", 100), CB_ETIMEOUT);
    /* a failed wait consumes nothing */
    assert_int_equal(cb_domain_unpause(vm), 0);
    assert_int_equal(cb_domain_wait_event(vm, "stopped", 100), CB_ETIMEOUT);
    assert_int_equal(cb_domain_wait_event(vm, "resumed:unpaused", 10000), 0);
}

static void test_unknown_names_fail_at_once(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");

    assert_int_equal(cb_domain_wait_event(vm, "stopped:shutdwn", -1), CB_EINVAL);
    assert_non_null(strstr(cb_error_last()->message, "unknown event detail of 'stopped:shutdwn'"));
    assert_int_equal(cb_domain_wait_event(vm, "tcp:22", -1), CB_EINVAL);
    assert_int_equal(cb_domain_wait_event(vm, NULL, -1), CB_EINVAL);
    assert_int_equal(cb_domain_wait_event(NULL, "stopped", -1), CB_EINVAL);
}

struct seen {
    pthread_mutex_t lock;
    char text[1024];
};

static void record(cb_domain *d, const char *type, const char *detail, void *payload)
{
    struct seen *s = payload;
    size_t used;

    pthread_mutex_lock(&s->lock);
    used = strlen(s->text);
    snprintf(s->text + used, sizeof(s->text) - used, "%s %s:%s\n", cb_domain_name(d), type, detail);
    pthread_mutex_unlock(&s->lock);
}

static void test_listeners(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    struct seen s = { PTHREAD_MUTEX_INITIALIZER, "" };
    int id = cb_testbed_on_event(f->tb, record, &s);

    assert_true(id >= 0);
    assert_int_equal(cb_domain_boot(vm, NULL), 0);
    assert_int_equal(cb_domain_wait_event(vm, "started:booted", 10000), 0);
    pthread_mutex_lock(&s.lock);
    assert_non_null(strstr(s.text, "vm started:booted\n"));
    pthread_mutex_unlock(&s.lock);
    assert_int_equal(cb_testbed_remove_event_listener(f->tb, id), 0);
    assert_int_equal(cb_testbed_remove_event_listener(f->tb, id), CB_ENOTFOUND);
    assert_int_equal(cb_testbed_on_event(f->tb, NULL, NULL), CB_EINVAL);
}

struct late_listener {
    unsigned port;
    int delay_ms;
};

static void *listen_late(void *arg)
{
    struct late_listener *l = arg;
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)l->port) };
    int fd, one = 1, c;

    usleep((useconds_t)l->delay_ms * 1000);
    inet_pton(AF_INET, "127.0.0.2", &sa.sin_addr);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0)
        return (void *)1;
    c = accept(fd, NULL, NULL);
    close(c);
    close(fd);
    return NULL;
}

static void test_wait_tcp(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    struct late_listener l = { 20000 + (unsigned)(getpid() % 20000), 300 };
    pthread_t t;
    void *r;

    /* refused at first, then the port opens: the wait sees it */
    pthread_create(&t, NULL, listen_late, &l);
    assert_int_equal(cb_domain_wait_tcp(vm, l.port, 20000), 0);
    pthread_join(t, &r);
    assert_null(r);
    assert_int_equal(cb_domain_wait_tcp(vm, l.port, 200), CB_ETIMEOUT);
    assert_non_null(strstr(cb_error_last()->message, "of domain vm at 127.0.0.2"));
    /* no static ip and no lease (the test driver hands out none) */
    assert_int_equal(cb_domain_wait_tcp(cb_testbed_domain(f->tb, "dyn"), 22, 200), CB_ETIMEOUT);
    assert_non_null(strstr(cb_error_last()->message, "no address is known yet (no static ip, and no DHCP lease for 00:16:3e:"));
    assert_int_equal(cb_domain_wait_tcp(cb_testbed_domain(f->tb, "nonet"), 22, 200), CB_EINVAL);
    /* the address those waits use */
    char *addr = NULL;
    assert_int_equal(cb_domain_get_address(vm, &addr), 0);
    assert_string_equal(addr, "127.0.0.2");
    free(addr);
    assert_int_equal(cb_domain_get_address(cb_testbed_domain(f->tb, "dyn"), &addr), CB_ENOTFOUND);
    assert_null(addr);
    assert_int_equal(cb_domain_get_address(cb_testbed_domain(f->tb, "nonet"), &addr), CB_ENOTFOUND);
    assert_int_equal(cb_domain_wait_tcp(vm, 0, 200), CB_EINVAL);
    assert_int_equal(cb_domain_wait_tcp(vm, 70000, 200), CB_EINVAL);
}

struct writer {
    const char *path;
};

static void append(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    assert_true(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
}

static void *write_console(void *arg)
{
    struct writer *w = arg;

    usleep(200 * 1000);
    append(w->path, "[    0.1] booting\n");
    usleep(100 * 1000);
    append(w->path, "cloubed-guest: rea");   /* the text arrives in two writes */
    usleep(100 * 1000);
    append(w->path, "dy 10.0.0.5\n");
    return NULL;
}

static void test_wait_console(void **state)
{
    struct fixture *f = *state;
    cb_domain *vm = cb_testbed_domain(f->tb, "vm");
    struct writer w = { cb_domain_console_log(vm) };
    pthread_t t;

    pthread_create(&t, NULL, write_console, &w);
    assert_int_equal(cb_domain_wait_console(vm, "cloubed-guest: ready", 20000), 0);
    pthread_join(t, NULL);
    /* consumed up to the match: the next identical wait needs a new line */
    assert_int_equal(cb_domain_wait_console(vm, "cloubed-guest: ready", 200), CB_ETIMEOUT);
    assert_non_null(strstr(cb_error_last()->message, "waiting for \"cloubed-guest: ready\" on the console of domain vm"));
    append(w.path, "cloubed-guest: ready again\n");
    assert_int_equal(cb_domain_wait_console(vm, "cloubed-guest: ready", 20000), 0);
    assert_int_equal(cb_domain_wait_console(vm, "", 200), CB_EINVAL);
}

static void *free_while_waiting(void *arg)
{
    cb_domain *vm = arg;
    return (void *)(intptr_t)cb_domain_wait_event(vm, "crashed", 1500);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_boot_then_wait_is_never_missed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consumption_and_clear, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_names_fail_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listeners, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_tcp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_console, setup, teardown),
        cmocka_unit_test_setup_teardown(test_waits_from_several_threads, setup, teardown),
    };
    return cmocka_run_group_tests_name("waits", tests, NULL, NULL);
}
