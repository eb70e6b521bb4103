/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * bench.h: the clock and the median the benches share.
 */
#ifndef CLOUBED_BENCH_H
#define CLOUBED_BENCH_H

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CLOCK_MONOTONIC: wall time that never jumps, in seconds. With
 * BENCH_CLOCK=cpu, the process's CPU time instead: on a machine loaded far
 * beyond its cores, the single-threaded benches (open) then measure their
 * own work rather than their wait for a core. */
static inline double bench_now(void)
{
    const char *c = getenv("BENCH_CLOCK");
    struct timespec ts;

    clock_gettime(c && strcmp(c, "cpu") == 0 ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median of V[0..N-1] (sorts V); the lower middle for an even N. */
static inline double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), bench_cmp);
    return v[(n - 1) / 2];
}

#endif
