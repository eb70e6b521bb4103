/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * open-scale.c: bench 4: cb_testbed_open() (read, validate) plus the libvirt
 * XML of every pool, volume, network and domain, as `up` needs them. No
 * libvirt connection is made (the *_get_xml calls render from the model).
 * The baseline, libyaml alone on the same file, is bench/yaml-load.c.
 *
 * usage: open-scale FILE [RUNS]   prints the median in ms of RUNS
 */
#include <stdio.h>
#include <stdlib.h>

#include <cloubed/cloubed.h>

#include "bench.h"

/* Renders every XML once; -1 on the first failure. */
static int render_all(cb_testbed *tb)
{
    size_t i;
    char *xml;

#define EACH(count, at, get)                                   \
    for (i = 0; i < count(tb); i++) {                          \
        xml = NULL;                                            \
        if (get(&xml, at(tb, i), 0) < 0)                       \
            return -1;                                         \
        free(xml);                                             \
    }
    EACH(cb_testbed_storage_pool_count, cb_testbed_storage_pool_at, cb_storage_pool_get_xml)
    EACH(cb_testbed_storage_volume_count, cb_testbed_storage_volume_at, cb_storage_volume_get_xml)
    EACH(cb_testbed_network_count, cb_testbed_network_at, cb_network_get_xml)
    EACH(cb_testbed_domain_count, cb_testbed_domain_at, cb_domain_get_xml)
#undef EACH
    return 0;
}

int main(int argc, char **argv)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    int runs = argc > 2 ? atoi(argv[2]) : 1, i;
    double *t;

    if (argc < 2 || runs < 1)
        return 2;
    /* fixed, so that no run probes /dev/kvm or libvirt for the domain type */
    opts.virt_type = "qemu";
    t = calloc((size_t)runs, sizeof(*t));
    for (i = 0; i < runs; i++) {
        cb_testbed *tb = NULL;
        double t0 = bench_now();
        if (cb_testbed_open(&tb, argv[1], &opts) < 0 || render_all(tb) < 0) {
            fprintf(stderr, "%s\n", cb_error_last()->message);
            return 1;
        }
        t[i] = bench_now() - t0;
        cb_testbed_free(tb);
    }
    printf("%.3f\n", bench_median(t, runs) * 1e3);
    free(t);
    return 0;
}
