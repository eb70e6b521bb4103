/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * revert.c: bench revert (issue 12): resetting a running testbed to a
 * known state, by cb_testbed_snapshot_revert() until every domain answers
 * on TCP port PORT again, against the baseline of a fresh cb_testbed_up()
 * (from nothing: cleaned up first, untimed) to the same readiness. Both in
 * one run, RUNS times each; medians and their ratio on stdout. The
 * connection (and libvirt's capability probe) is made before any clock
 * starts; the testbed is cleaned up at the end.
 *
 * usage: revert YAML RUNS PORT [PARALLEL]   PARALLEL: the up's (0, the
 *        default: automatic); the revert always handles every domain at once
 */
#include <stdio.h>
#include <stdlib.h>

#include <cloubed/cloubed.h>

#include "bench.h"

#define TIMEOUT_MS (600 * 1000)

/* Reports the failure and leaves nothing behind. */
static int fail(cb_testbed *tb, const char *what)
{
    fprintf(stderr, "%s: %s\n", what, cb_error_last()->message);
    if (tb)
        cb_testbed_cleanup(tb, 0);
    return 1;
}

/* Every domain answers on PORT. */
static int all_ready(cb_testbed *tb, unsigned port)
{
    size_t i;

    for (i = 0; i < cb_testbed_domain_count(tb); i++)
        if (cb_domain_wait_tcp(cb_testbed_domain_at(tb, i), port, TIMEOUT_MS, 0) < 0)
            return -1;
    return 0;
}

int main(int argc, char **argv)
{
    cb_up_options o = CB_UP_OPTIONS_INIT;
    char ready[32];
    cb_testbed *tb = NULL;
    cb_domain_state st;
    double *up, *rev, t0, mu, mr;
    unsigned port;
    int runs, i;

    if (argc < 4 || argc > 5 || (runs = atoi(argv[2])) < 1 || (port = (unsigned)atoi(argv[3])) == 0)
        return 2;
    up = calloc((size_t)runs, sizeof(*up));
    rev = calloc((size_t)runs, sizeof(*rev));
    if (!up || !rev || cb_testbed_open(&tb, argv[1], NULL) < 0 ||
        cb_domain_get_state(&st, cb_testbed_domain_at(tb, 0), 0) < 0)
        return fail(NULL, "open");
    snprintf(ready, sizeof(ready), "tcp:%u", port);
    o.ready = ready;
    o.parallel = argc > 4 ? (unsigned)atoi(argv[4]) : 0;
    o.timeout_ms = TIMEOUT_MS;
    for (i = 0; i < runs; i++) {
        if (cb_testbed_cleanup(tb, 0) < 0)
            return fail(tb, "cleanup");
        t0 = bench_now();
        if (cb_testbed_up(NULL, tb, &o) < 0)
            return fail(tb, "up");
        up[i] = bench_now() - t0;
        fprintf(stderr, "  fresh up %d: %.2f s\n", i + 1, up[i]);
    }
    if (cb_testbed_snapshot_create(tb, "bench", 0) < 0)
        return fail(tb, "snapshot");
    for (i = 0; i < runs; i++) {
        t0 = bench_now();
        if (cb_testbed_snapshot_revert(tb, "bench", 0) < 0 || all_ready(tb, port) < 0)
            return fail(tb, "revert");
        rev[i] = bench_now() - t0;
        fprintf(stderr, "  revert %d: %.2f s\n", i + 1, rev[i]);
    }
    cb_testbed_cleanup(tb, 0);
    cb_testbed_free(tb);
    mu = bench_median(up, runs);
    mr = bench_median(rev, runs);
    printf("fresh-up %.3f revert %.3f ratio %.2f\n", mu, mr, mu / mr);
    free(up);
    free(rev);
    return 0;
}
