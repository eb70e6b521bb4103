/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * baseline-bringup.c: bench 1, the baseline: the bare libvirt calls for
 * the same testbed, with the same XML (the library renders it; nothing of
 * the library runs while the clock does). The network is created first,
 * untimed; then virDomainCreateXML for every domain:
 *   seq      one after the other, one connection;
 *   threads  one thread per domain, one shared connection;
 *   conns    one thread per domain, each with its own connection (opened
 *            before the clock starts).
 * "All ready" polls the console log files every 5 ms for TEXT (the
 * plan's inotify would react sooner by at most that much).
 *
 * usage: baseline-bringup YAML seq|threads|conns [TEXT]
 *        prints "started S ready R" (R is - without TEXT)
 */
#include <libgen.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <cloubed/cloubed.h>

#include "bench.h"

#define MAX_DOMAINS 64

struct job {
    virConnectPtr conn;
    const char *xml;
    virDomainPtr dom;
    double done;
};

static void *create(void *arg)
{
    struct job *j = arg;
    j->dom = virDomainCreateXML(j->conn, j->xml, 0);
    j->done = bench_now();
    return NULL;
}

static bool file_has(const char *path, const char *text)
{
    char buf[65536];
    FILE *f = fopen(path, "r");
    size_t n;

    if (!f)
        return false;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, text) != NULL;
}

int main(int argc, char **argv)
{
    const char *uri = getenv("LIBVIRT_DEFAULT_URI") ? getenv("LIBVIRT_DEFAULT_URI") : "qemu:///system";
    struct job jobs[MAX_DOMAINS];
    pthread_t threads[MAX_DOMAINS];
    char *xmls[MAX_DOMAINS], *netxml = NULL;
    const char *logs[MAX_DOMAINS], *mode, *text;
    virConnectPtr conn;
    virNetworkPtr net;
    cb_testbed *tb = NULL;
    size_t i, n;
    double t0, started = 0, ready = -1;
    int failed = 0;

    if (argc < 3)
        return 2;
    mode = argv[2];
    text = argc > 3 ? argv[3] : NULL;
    if (cb_testbed_open(&tb, argv[1], NULL) < 0 ||
        cb_network_get_xml(&netxml, cb_testbed_network_at(tb, 0), 0) < 0) {
        fprintf(stderr, "%s\n", cb_error_last()->message);
        return 1;
    }
    n = cb_testbed_domain_count(tb);
    if (n > MAX_DOMAINS || !(conn = virConnectOpen(uri)) ||
        !(net = virNetworkCreateXML(conn, netxml)))
        return fprintf(stderr, "cannot set up: %s\n", virGetLastErrorMessage()), 1;
    for (i = 0; i < n; i++) {
        cb_domain *d = cb_testbed_domain_at(tb, i);
        char *dir, *top;
        if (cb_domain_get_xml(&xmls[i], d, 0) < 0)
            return fprintf(stderr, "%s\n", cb_error_last()->message), 1;
        logs[i] = cb_domain_console_log(d);
        /* the console log's directory is the library's to create at boot */
        dir = strdup(logs[i]);
        top = strdup(logs[i]);
        mkdir(dirname(dirname(top)), 0700);
        mkdir(dirname(dir), 0700);
        free(dir);
        free(top);
        unlink(logs[i]);
        jobs[i] = (struct job){ conn, xmls[i], NULL, 0 };
        if (strcmp(mode, "conns") == 0 && !(jobs[i].conn = virConnectOpen(uri)))
            return fprintf(stderr, "%s\n", virGetLastErrorMessage()), 1;
    }
    t0 = bench_now();
    for (i = 0; i < n; i++) {
        if (strcmp(mode, "seq") == 0)
            create(&jobs[i]);
        else
            pthread_create(&threads[i], NULL, create, &jobs[i]);
    }
    for (i = 0; i < n; i++) {
        if (strcmp(mode, "seq") != 0)
            pthread_join(threads[i], NULL);
        failed |= !jobs[i].dom;
        if (jobs[i].done - t0 > started)
            started = jobs[i].done - t0;
    }
    if (failed)
        fprintf(stderr, "a create failed: %s\n", virGetLastErrorMessage());
    if (text && !failed) {
        double limit = t0 + 600;
        size_t left = n;
        bool seen[MAX_DOMAINS] = { false };
        while (left && bench_now() < limit) {
            for (i = 0; i < n; i++)
                if (!seen[i] && file_has(logs[i], text))
                    seen[i] = true, left--;
            if (left)
                usleep(5000);
        }
        ready = left ? -1 : bench_now() - t0;
    }
    if (text)
        printf("started %.3f ready %.3f\n", started, ready);
    else
        printf("started %.3f ready -\n", started);
    /* untimed: transient domains and network vanish when destroyed */
    for (i = 0; i < n; i++) {
        if (jobs[i].dom) {
            virDomainDestroy(jobs[i].dom);
            virDomainFree(jobs[i].dom);
        }
        if (jobs[i].conn != conn)
            virConnectClose(jobs[i].conn);
        free(xmls[i]);
    }
    virNetworkDestroy(net);
    virNetworkFree(net);
    virConnectClose(conn);
    free(netxml);
    cb_testbed_free(tb);
    return failed;
}
