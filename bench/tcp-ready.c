/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * tcp-ready.c: bench 3: how long after a service starts listening
 * cb_domain_wait_tcp() returns. On libvirt's in-process test driver, with
 * a running domain whose static ip is a loopback address (as the waits
 * test), so the "service" is a socket of this process. Each round: a thread
 * waits, the main thread sleeps a random 0-100 ms (spreading the phase
 * against the wait's 20 ms retry) and then calls listen(); the latency is
 * the wait's return minus that moment. The baseline, in the same run: a
 * bare connect() every 1 ms, about the lower bound of any polling client.
 *
 * usage: tcp-ready ROUNDS   prints both medians (ms) and their ratio
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cloubed/cloubed.h>

#include "bench.h"

#define ADDR "127.77.0.10"

static const char yaml[] =
    "testbed: bench-tcp\n"
    "networks:\n"
    "  - {name: lo, address: 127.77.0.1/24}\n"
    "domains:\n"
    "  - {name: vm, cpu: 1, memory: 128M, netifs: [{network: lo, ip: " ADDR "}], disks: []}\n";

struct round {
    cb_domain *d;      /* NULL: the bare connect() loop */
    unsigned port;
    int rc;
    double done;
};

static void *waiter(void *arg)
{
    struct round *r = arg;

    if (r->d) {
        r->rc = cb_domain_wait_tcp(r->d, r->port, 5000, 0);
    } else {
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)r->port) };
        double limit = bench_now() + 5;
        inet_pton(AF_INET, ADDR, &sa.sin_addr);
        r->rc = -1;
        while (bench_now() < limit) {
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            int ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
            close(fd);
            if (ok) {
                r->rc = 0;
                break;
            }
            usleep(1000);
        }
    }
    r->done = bench_now();
    return NULL;
}

/* One round: the latency in seconds, or < 0. */
static double one(cb_domain *d)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t len = sizeof(sa);
    struct round r = { d, 0, -1, 0 };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    double t_listen;
    pthread_t t;

    /* bound but not listening: connections are refused until listen() */
    inet_pton(AF_INET, ADDR, &sa.sin_addr);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
        perror("bind");
        return -1;
    }
    r.port = ntohs(sa.sin_port);
    pthread_create(&t, NULL, waiter, &r);
    usleep((useconds_t)(rand() % 100000));
    t_listen = bench_now();
    if (listen(fd, 16) < 0) {
        perror("listen");
        return -1;
    }
    pthread_join(t, NULL);
    close(fd);
    if (r.rc < 0) {
        fprintf(stderr, "wait failed: %s\n", d ? cb_error_last()->message : "connect loop");
        return -1;
    }
    return r.done - t_listen;
}

int main(int argc, char **argv)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    int rounds = argc > 1 ? atoi(argv[1]) : 9, i;
    cb_testbed *tb = NULL;
    cb_domain *d;
    double *lib, *base, mlib, mbase;
    char dir[] = "/tmp/cb-bench-tcp-XXXXXX";

    if (rounds < 1 || !mkdtemp(dir))
        return 2;
    opts.uri = "test:///default";
    srand(11);
    if (cb_testbed_open_memory(&tb, yaml, sizeof(yaml) - 1, "bench-tcp", dir, &opts) < 0 ||
        !(d = cb_testbed_domain(tb, "vm")) || cb_domain_boot(d, NULL) < 0) {
        fprintf(stderr, "%s\n", cb_error_last()->message);
        return 1;
    }
    lib = calloc((size_t)rounds, sizeof(double));
    base = calloc((size_t)rounds, sizeof(double));
    for (i = 0; i < rounds; i++)
        if ((lib[i] = one(d)) < 0 || (base[i] = one(NULL)) < 0)
            return 1;
    mlib = bench_median(lib, rounds);
    mbase = bench_median(base, rounds);
    printf("listen() to the wait returning, median of %d rounds\n", rounds);
    printf("  cb_domain_wait_tcp          %8.3f ms (max %.3f)\n", mlib * 1e3, lib[rounds - 1] * 1e3);
    printf("  bare connect() every 1 ms   %8.3f ms (baseline)\n", mbase * 1e3);
    printf("  ratio library / baseline    %8.2f\n", mbase > 0 ? mlib / mbase : 0);
    cb_testbed_cleanup(tb, 0);
    cb_testbed_free(tb);
    rmdir(dir);
    free(lib);
    free(base);
    return 0;
}
