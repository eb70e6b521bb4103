/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * sched.h: what cb_testbed_up and cb_testbed_down share (internal): the
 * selected domains, their outcomes, the progress callback, the workers.
 */
#ifndef CB_INTERNAL_SCHED_H
#define CB_INTERNAL_SCHED_H

#include <cloubed/up.h>

#include "testbed.h"
#include "util/vec.h"

#define N_STATES (CB_PROGRESS_ROLLED_BACK + 1)

struct dom_res {
    cb_domain *d;
    cb_progress_state state;
    int error;
    char *message;
    double t[N_STATES];   /* seconds from the start; < 0: never */
};

struct cb_op_result {
    size_t n;
    struct dom_res *v;
    unsigned changes;
    double elapsed;
};

/* A state change waiting for its progress callback. */
struct pev {
    size_t i;
    cb_progress_state state;
    int error;
    char *message;
    double elapsed;
};

/* One cb_testbed_up/down call. lock guards res, queue, delivering and stop;
 * it is never held across libvirt or the callback, and never together with
 * another library lock. */
struct run {
    cb_testbed *tb;
    struct timespec t0, deadline;
    int timeout_ms;
    cb_progress_cb cb;
    void *payload;
    pthread_mutex_t lock;
    cb_op_result *res;
    VEC(struct pev) queue;
    bool delivering;      /* a thread is calling the callback: the others queue */
    bool stop;            /* fail-fast, or the up "died" (crash seam) */
    bool crashed;
    bool expired;         /* a wait bounded by the deadline timed out: the deadline is
                             reached, whatever a ms rounding says */
};

/* Selects DOMAINS (NULL: all) into a new result; CB_ENOTFOUND, CB_ENOMEM. */
int run_init(struct run *r, cb_testbed *tb, const char *const *domains, int timeout_ms,
             cb_progress_cb cb, void *payload);
void run_destroy(struct run *r);
double run_elapsed(const struct run *r);
/* Domain I reaches STATE: recorded, then given to the callback (by this
 * thread, unless another is delivering: then by that one, in order). */
void run_set(struct run *r, size_t i, cb_progress_state state, int error, const char *message);
/* The same with the calling thread's last error. */
void run_fail(struct run *r, size_t i, cb_progress_state state);
/* Delivers what is queued (at the end, from the calling thread). */
void run_deliver(struct run *r);
bool run_stopped(struct run *r);
void run_set_stop(struct run *r, bool crashed);
/* 0 when no domain FAILED or was SKIPPED, else the first code in file
 * order, with every failure named in the error: "WHAT of testbed T: ...". */
int run_summary(struct run *r, const char *what);
/* Workers for N domains: PARALLEL, or min(N, 16). */
unsigned run_parallel(unsigned parallel, size_t n);
/* Runs FN(R, i) for every selected domain on PARALLEL threads, in file
 * order; returns when all are done. CB_ENOMEM. */
int run_all(struct run *r, unsigned parallel, void (*fn)(struct run *r, size_t i));
/* Takes the result (NULL if OUT is NULL: freed). */
void run_hand_over(struct run *r, cb_op_result **out);

#endif
