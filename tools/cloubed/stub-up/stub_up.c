/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * STUB (issue 11, WP4) -- DELETE AT MERGE. plan11 §5: until WP2 (wt-engine)
 * merges the real cb_testbed_up()/down(), the command and the benches link
 * this stand-in, which keeps today's behaviour: cb_domain_boot() of each
 * selected domain in file order, one at a time (no parallelism, no
 * rollback, no journal), with the progress states of the contract so that
 * the command's live lines, --json and exit statuses can be built and
 * tested. Never installed; used only when include/cloubed/up.h is absent.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cloubed/cloubed.h>
#include <cloubed/up.h>

struct cb_op_result {
    size_t n;
    struct stub_row { cb_domain *d; cb_progress_state state; int error; char *message;
                      double t[CB_PROGRESS_ROLLED_BACK + 1]; } *rows;
    unsigned changes;
    double elapsed;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

const char *cb_progress_state_name(cb_progress_state s)
{
    static const char *const names[] = { "queued", "creating", "started", "ready", "unchanged",
        "stopping", "stopped", "destroyed", "failed", "skipped", "rolled_back" };
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

size_t cb_op_result_count(const cb_op_result *r) { return r ? r->n : 0; }
cb_domain *cb_op_result_domain(const cb_op_result *r, size_t i) { return r->rows[i].d; }
cb_progress_state cb_op_result_state(const cb_op_result *r, size_t i) { return r->rows[i].state; }
int cb_op_result_error(const cb_op_result *r, size_t i) { return r->rows[i].error; }
const char *cb_op_result_message(const cb_op_result *r, size_t i) { return r->rows[i].message; }
double cb_op_result_time(const cb_op_result *r, size_t i, cb_progress_state s) { return r->rows[i].t[s]; }
unsigned cb_op_result_changes(const cb_op_result *r) { return r->changes; }
double cb_op_result_elapsed(const cb_op_result *r) { return r->elapsed; }

void cb_op_result_free(cb_op_result *r)
{
    size_t i;
    if (!r)
        return;
    for (i = 0; i < r->n; i++)
        free(r->rows[i].message);
    free(r->rows);
    free(r);
}

/* Records and reports one state change of row I. */
static void step(cb_op_result *r, size_t i, cb_progress_state s, int err, const char *msg,
                 double t0, cb_progress_cb cb, void *payload)
{
    struct stub_row *row = &r->rows[i];
    cb_progress p = { CB_PROGRESS_VERSION, row->d, s, err, msg, now_s() - t0 };
    row->state = s;
    row->error = err;
    row->t[s] = p.elapsed_s;
    if (msg) {
        free(row->message);
        row->message = strdup(msg);
    }
    if (cb)
        cb(&p, payload);
}

/* The selected domains, in file order; CB_ENOTFOUND for an unknown name. */
static int select_rows(cb_op_result **out, cb_testbed *tb, const char *const *names)
{
    cb_op_result *r = calloc(1, sizeof(*r));
    size_t i, k, n = cb_testbed_domain_count(tb);

    if (!r || !(r->rows = calloc(n ? n : 1, sizeof(*r->rows))))
        return free(r), CB_ENOMEM;
    for (k = 0; names && names[k]; k++)
        if (!cb_testbed_domain(tb, names[k]))
            return cb_op_result_free(r), CB_ENOTFOUND;
    for (i = 0; i < n; i++) {
        cb_domain *d = cb_testbed_domain_at(tb, i);
        bool take = !names;
        size_t j;
        for (k = 0; names && names[k]; k++)
            take |= strcmp(names[k], cb_domain_name(d)) == 0;
        if (!take)
            continue;
        r->rows[r->n].d = d;
        for (j = 0; j <= CB_PROGRESS_ROLLED_BACK; j++)
            r->rows[r->n].t[j] = -1;
        r->n++;
    }
    *out = r;
    return 0;
}

static int finish(cb_op_result **result, cb_op_result *r, double t0, int rc)
{
    r->elapsed = now_s() - t0;
    if (result)
        *result = r;
    else
        cb_op_result_free(r);
    return rc;
}

int cb_testbed_up(cb_op_result **result, cb_testbed *tb, const cb_up_options *o)
{
    static const cb_up_options defaults = CB_UP_OPTIONS_INIT;
    double t0 = now_s();
    cb_op_result *r = NULL;
    size_t i;
    int rc = 0, first = 0;

    if (result)
        *result = NULL;
    o = o ? o : &defaults;
    if ((rc = select_rows(&r, tb, o->domains)) < 0)
        return rc;
    for (i = 0; i < r->n; i++)
        step(r, i, CB_PROGRESS_QUEUED, 0, NULL, t0, o->progress, o->progress_payload);
    for (i = 0; i < r->n; i++) {
        cb_boot_options bo = CB_BOOT_OPTIONS_INIT;
        cb_domain_state st = CB_DOMAIN_STATE_UNDEFINED;
        int left = o->timeout_ms < 0 ? -1 : o->timeout_ms - (int)((now_s() - t0) * 1000);

        if (o->timeout_ms >= 0 && left <= 0) {
            step(r, i, CB_PROGRESS_SKIPPED, CB_ETIMEOUT, "deadline passed", t0, o->progress,
                 o->progress_payload);
            first = first ? first : CB_ETIMEOUT;
            continue;
        }
        if (!(o->flags & CB_UP_RESTART) && cb_domain_get_state(&st, r->rows[i].d, 0) == 0 &&
            st == CB_DOMAIN_STATE_RUNNING) {
            step(r, i, CB_PROGRESS_UNCHANGED, 0, "already running", t0, o->progress,
                 o->progress_payload);
            continue;
        }
        step(r, i, CB_PROGRESS_CREATING, 0, NULL, t0, o->progress, o->progress_payload);
        bo.bootdev = o->bootdev;
        bo.flags = o->flags & CB_UP_RESTART ? CB_BOOT_RESTART : 0;
        rc = cb_domain_boot(r->rows[i].d, &bo);
        if (rc == 0 && o->ready) {
            step(r, i, CB_PROGRESS_STARTED, 0, NULL, t0, o->progress, o->progress_payload);
            r->changes++;
            rc = strncmp(o->ready, "tcp:", 4) == 0
                     ? cb_domain_wait_tcp(r->rows[i].d, (unsigned)atoi(o->ready + 4), left, 0)
                     : cb_domain_wait_console(r->rows[i].d, o->ready + 8, left, 0);
            if (rc == 0)
                step(r, i, CB_PROGRESS_READY, 0, NULL, t0, o->progress, o->progress_payload);
        } else if (rc == 0) {
            step(r, i, CB_PROGRESS_STARTED, 0, NULL, t0, o->progress, o->progress_payload);
            r->changes++;
        }
        if (rc < 0) {
            step(r, i, CB_PROGRESS_FAILED, rc, cb_error_last()->message, t0, o->progress,
                 o->progress_payload);
            first = first ? first : rc;
            if (o->flags & CB_UP_FAIL_FAST)
                for (i++; i < r->n; i++)
                    step(r, i, CB_PROGRESS_SKIPPED, rc, "fail-fast", t0, o->progress,
                         o->progress_payload);
        }
    }
    return finish(result, r, t0, first);
}

int cb_testbed_down(cb_op_result **result, cb_testbed *tb, const cb_down_options *o)
{
    static const cb_down_options defaults = CB_DOWN_OPTIONS_INIT;
    double t0 = now_s();
    cb_op_result *r = NULL;
    size_t i;
    int rc, first = 0;

    if (result)
        *result = NULL;
    o = o ? o : &defaults;
    if ((rc = select_rows(&r, tb, o->domains)) < 0)
        return rc;
    for (i = 0; i < r->n; i++) {
        cb_domain *d = r->rows[i].d;
        cb_domain_state st = CB_DOMAIN_STATE_UNDEFINED;

        step(r, i, CB_PROGRESS_QUEUED, 0, NULL, t0, o->progress, o->progress_payload);
        if (cb_domain_get_state(&st, d, 0) < 0 || st == CB_DOMAIN_STATE_UNDEFINED ||
            st == CB_DOMAIN_STATE_SHUTOFF) {
            step(r, i, CB_PROGRESS_UNCHANGED, 0, "not running", t0, o->progress,
                 o->progress_payload);
        } else {
            rc = 1;
            if (o->grace_ms > 0) {
                step(r, i, CB_PROGRESS_STOPPING, 0, NULL, t0, o->progress, o->progress_payload);
                cb_domain_clear_events(d, 0);
                if (cb_domain_shutdown(d, 0) == 0 &&
                    cb_domain_wait_event(d, "stopped:shutdown", o->grace_ms, 0) == 0)
                    rc = 0;
            }
            if (rc == 0)
                step(r, i, CB_PROGRESS_STOPPED, 0, NULL, t0, o->progress, o->progress_payload);
            else if ((rc = cb_domain_destroy(d, 0)) == 0)
                step(r, i, CB_PROGRESS_DESTROYED, 0, NULL, t0, o->progress, o->progress_payload);
            else {
                step(r, i, CB_PROGRESS_FAILED, rc, cb_error_last()->message, t0, o->progress,
                     o->progress_payload);
                first = first ? first : rc;
                continue;
            }
            r->changes++;
        }
    }
    if (!first && (o->flags & CB_DOWN_CLEANUP) && !o->domains)
        first = cb_testbed_cleanup(tb, 0) < 0 ? cb_error_last()->code : 0;
    return finish(result, r, t0, first);
}
