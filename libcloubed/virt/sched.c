/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * sched.c: selected domains, outcomes, progress and workers of
 * cb_testbed_up/down (see sched.h).
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <pthread.h>

#include "util/deadline.h"
#include "util/error.h"
#include "util/util.h"
#include "virt/sched.h"

int run_init(struct run *r, cb_testbed *tb, const char *const *domains, int timeout_ms,
             cb_progress_cb cb, void *payload)
{
    const char *const *p;
    size_t i, n = 0, k;

    memset(r, 0, sizeof(*r));
    r->tb = tb;
    r->cb = cb;
    r->payload = payload;
    r->timeout_ms = timeout_ms;
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    r->deadline = deadline_after(timeout_ms);
    pthread_mutex_init(&r->lock, NULL);
    /* Every name is checked before anything is done. */
    for (p = domains; p && *p; p++)
        if (!cb_testbed_domain(tb, *p))
            return err_set(CB_ENOTFOUND, "testbed %s has no domain %s", tb->m.name, *p);
    if (!(r->res = calloc(1, sizeof(*r->res))) ||
        !(r->res->v = calloc(tb->m.domains.n ? tb->m.domains.n : 1, sizeof(*r->res->v))))
        return err_oom();
    /* File order, each domain once however often it is named. */
    for (i = 0; i < tb->m.domains.n; i++) {
        cb_domain *d = tb->m.domains.v[i];
        bool sel = !domains;
        for (p = domains; p && *p && !sel; p++)
            sel = strcmp(*p, d->name) == 0;
        if (!sel)
            continue;
        r->res->v[n].d = d;
        for (k = 0; k < N_STATES; k++)
            r->res->v[n].t[k] = -1;
        n++;
    }
    r->res->n = n;
    return 0;
}

void run_destroy(struct run *r)
{
    size_t i;

    for (i = 0; i < r->queue.n; i++)
        free(r->queue.v[i].message);
    free(r->queue.v);
    cb_op_result_free(r->res);
    pthread_mutex_destroy(&r->lock);
}

double run_elapsed(const struct run *r)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - r->t0.tv_sec) + (double)(now.tv_nsec - r->t0.tv_nsec) / 1e9;
}

/* Calls the callback for everything queued, one at a time: the thread that
 * finds nobody delivering becomes the deliverer until the queue is empty.
 * The callback runs with no lock held; "delivering" is a flag. */
void run_deliver(struct run *r)
{
    pthread_mutex_lock(&r->lock);
    if (r->delivering || !r->cb) {
        pthread_mutex_unlock(&r->lock);
        return;
    }
    r->delivering = true;
    while (r->queue.n) {
        struct pev e = r->queue.v[0];
        cb_progress p;

        memmove(r->queue.v, r->queue.v + 1, (r->queue.n - 1) * sizeof(*r->queue.v));
        r->queue.n--;
        pthread_mutex_unlock(&r->lock);
        p = (cb_progress){ CB_PROGRESS_VERSION, r->res->v[e.i].d, e.state, e.error, e.message,
                           e.elapsed };
        r->cb(&p, r->payload);
        free(e.message);
        pthread_mutex_lock(&r->lock);
    }
    r->delivering = false;
    pthread_mutex_unlock(&r->lock);
}

void run_set(struct run *r, size_t i, cb_progress_state state, int error, const char *message)
{
    struct dom_res *x = &r->res->v[i];
    struct pev e = { i, state, error, NULL, run_elapsed(r) };
    char *copy = message ? str_dup(message) : NULL;

    pthread_mutex_lock(&r->lock);
    x->state = state;
    x->error = error;
    if (message) {
        free(x->message);
        x->message = copy;
    }
    x->t[state] = e.elapsed;
    /* a lost progress line is better than a failed up */
    if (r->cb && (!message || (e.message = str_dup(message))) && VEC_PUSH(r->queue, e) < 0)
        free(e.message);
    pthread_mutex_unlock(&r->lock);
    run_deliver(r);
}

void run_fail(struct run *r, size_t i, cb_progress_state state)
{
    const cb_error *e = cb_error_last();
    run_set(r, i, state, e->code < 0 ? e->code : CB_ERROR, e->message);
}

bool run_stopped(struct run *r)
{
    bool s;

    pthread_mutex_lock(&r->lock);
    s = r->stop;
    pthread_mutex_unlock(&r->lock);
    return s;
}

void run_set_stop(struct run *r, bool crashed)
{
    pthread_mutex_lock(&r->lock);
    r->stop = true;
    r->crashed = r->crashed || crashed;
    pthread_mutex_unlock(&r->lock);
}

int run_summary(struct run *r, const char *what)
{
    GString *s;
    size_t i, failed = 0, listed = 0;
    int first = 0;

    for (i = 0; i < r->res->n; i++) {
        if (r->res->v[i].state != CB_PROGRESS_FAILED && r->res->v[i].state != CB_PROGRESS_SKIPPED)
            continue;
        failed++;
        if (!first)
            first = r->res->v[i].error ? r->res->v[i].error : CB_ERROR;
    }
    if (!failed)
        return 0;
    s = g_string_new(NULL);
    g_string_printf(s, "%s of testbed %s: %zu of %zu domains failed", what, r->tb->m.name, failed,
                    r->res->n);
    for (i = 0; i < r->res->n; i++) {
        const struct dom_res *x = &r->res->v[i];
        if (x->state != CB_PROGRESS_FAILED && x->state != CB_PROGRESS_SKIPPED)
            continue;
        g_string_append_printf(s, "%s %s: %s%s", listed++ ? ";" : ":", x->d->name,
                               x->state == CB_PROGRESS_SKIPPED ? "skipped: " : "",
                               x->message ? x->message : cb_error_code_name(x->error));
    }
    err_set(first, "%s", s->str);
    g_string_free(s, TRUE);
    return first;
}

unsigned run_parallel(unsigned parallel, size_t n)
{
    /* libvirtd serves 20 workers by default: leave some for the others */
    unsigned p = parallel ? parallel : n < 16 ? (unsigned)n : 16;
    return p ? p : 1;
}

struct job {
    struct run *r;
    void (*fn)(struct run *r, size_t i);
    size_t next;              /* under r->lock: the next domain to take */
};

/* A worker takes domains in file order until none is left. Plain threads
 * rather than GThreadPool: GLib hands work over through futexes that
 * ThreadSanitizer cannot see, and these few lines need no pool. */
static void *worker(void *p)
{
    struct job *j = p;
    size_t i;

    for (;;) {
        pthread_mutex_lock(&j->r->lock);
        i = j->next < j->r->res->n ? j->next++ : (size_t)-1;
        pthread_mutex_unlock(&j->r->lock);
        if (i == (size_t)-1)
            return NULL;
        j->fn(j->r, i);
    }
}

int run_all(struct run *r, unsigned parallel, void (*fn)(struct run *r, size_t i))
{
    struct job j = { r, fn, 0 };
    pthread_t *t;
    unsigned k, n = 0;
    int err = 0;

    if (parallel > r->res->n)
        parallel = (unsigned)r->res->n;
    if (!parallel)
        return 0;
    if (!(t = calloc(parallel, sizeof(*t))))
        return err_oom();
    for (k = 0; k < parallel && !err; k++)
        if (!(err = pthread_create(&t[k], NULL, worker, &j)))
            n++;
    /* Fewer threads than asked still finish the work: they take it all. */
    if (n == 0)
        worker(&j);
    for (k = 0; k < n; k++)
        pthread_join(t[k], NULL);
    free(t);
    return 0;
}

void run_hand_over(struct run *r, cb_op_result **out)
{
    r->res->elapsed = run_elapsed(r);
    if (out) {
        *out = r->res;
        r->res = NULL;
    }
}

size_t cb_op_result_count(const cb_op_result *r)
{
    return r ? r->n : 0;
}

cb_domain *cb_op_result_domain(const cb_op_result *r, size_t i)
{
    return r && i < r->n ? r->v[i].d : NULL;
}

cb_progress_state cb_op_result_state(const cb_op_result *r, size_t i)
{
    return r && i < r->n ? r->v[i].state : CB_PROGRESS_SKIPPED;
}

int cb_op_result_error(const cb_op_result *r, size_t i)
{
    return r && i < r->n ? r->v[i].error : CB_EINVAL;
}

const char *cb_op_result_message(const cb_op_result *r, size_t i)
{
    return r && i < r->n ? r->v[i].message : NULL;
}

double cb_op_result_time(const cb_op_result *r, size_t i, cb_progress_state state)
{
    return r && i < r->n && (unsigned)state < N_STATES ? r->v[i].t[state] : -1;
}

unsigned cb_op_result_changes(const cb_op_result *r)
{
    return r ? r->changes : 0;
}

double cb_op_result_elapsed(const cb_op_result *r)
{
    return r ? r->elapsed : -1;
}

void cb_op_result_free(cb_op_result *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->n; i++)
        free(r->v[i].message);
    free(r->v);
    free(r);
}

const char *cb_progress_state_name(cb_progress_state s)
{
    static const char *const names[N_STATES] = {
        "queued", "creating", "started", "ready", "unchanged", "stopping",
        "stopped", "destroyed", "failed", "skipped", "rolled_back",
    };
    return (unsigned)s < N_STATES ? names[s] : "?";
}
