/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * bringup.c: bench 1, the library side: cb_testbed_up() of a testbed on a
 * real daemon, to "all started" (the last STARTED progress) and, with
 * --ready, to "all ready" (the last READY). The connection (and libvirt's
 * capability probe, ~4 s) is made before the clock starts; the testbed is
 * cleaned up after, untimed.
 *
 * usage: bringup YAML PARALLEL [READY]   PARALLEL 0 = automatic;
 *        prints "started S ready R" (R is - without READY)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <cloubed/cloubed.h>
#include <cloubed/up.h>

struct times { double started, ready; };

/* Serialised by the library: no lock needed here. */
static void on_progress(const cb_progress *p, void *payload)
{
    struct times *t = payload;
    if (p->state == CB_PROGRESS_STARTED && p->elapsed_s > t->started)
        t->started = p->elapsed_s;
    if (p->state == CB_PROGRESS_READY && p->elapsed_s > t->ready)
        t->ready = p->elapsed_s;
}

int main(int argc, char **argv)
{
    cb_up_options o = CB_UP_OPTIONS_INIT;
    struct times t = { -1, -1 };
    cb_testbed *tb = NULL;
    cb_domain_state st;
    int rc;

    if (argc < 3)
        return 2;
    if (cb_testbed_open(&tb, argv[1], NULL) < 0 ||
        cb_domain_get_state(&st, cb_testbed_domain_at(tb, 0), 0) < 0) {
        fprintf(stderr, "%s\n", cb_error_last()->message);
        return 1;
    }
    o.parallel = (unsigned)atoi(argv[2]);
    o.ready = argc > 3 ? argv[3] : NULL;
    o.timeout_ms = 600 * 1000;
    o.progress = on_progress;
    o.progress_payload = &t;
    rc = cb_testbed_up(NULL, tb, &o);
    if (rc < 0)
        fprintf(stderr, "%s\n", cb_error_last()->message);
    else if (o.ready)
        printf("started %.3f ready %.3f\n", t.started, t.ready);
    else
        printf("started %.3f ready -\n", t.started);
    cb_testbed_cleanup(tb, 0);
    cb_testbed_free(tb);
    return rc < 0;
}
