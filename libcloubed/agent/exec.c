/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * exec.c: running a program in the guest: guest-exec, then guest-exec-status
 * until it ends or the time is up (then a guest-exec of kill).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "agent/call.h"
#include "agent/protocol.h"
#include "util/deadline.h"
#include "util/error.h"
#include "util/util.h"

#include <cloubed/agent.h>

/* guest-exec-status is asked at once, then ever less often: a quick command
 * answers in tens of milliseconds, a long one costs few requests. */
#define POLL_FIRST_MS 10
#define POLL_MAX_MS 200
/* What killing and reaping a timed-out program may take. */
#define KILL_MS 10000

struct cb_exec_result {
    struct agent_exec_status st;
};

/* guest-exec of ARGV; *PID the agent's process id. */
static int exec_start(long long *pid, cb_domain *d, virDomainPtr dom, const char *const *argv,
                      const cb_exec_options *o, int timeout_ms)
{
    g_autofree char *req = agent_req_exec(argv, o->env, o->input, o->input_len);
    char *reply = NULL, *msg;
    int rc;

    rc = agent_call(d, dom, req, timeout_ms, "guest-exec", &reply);
    if (rc == CB_ELIBVIRT && strstr(cb_error_last()->message, "Failed to execute child process")) {
        /* the agent could not start it: glib's "No such file or directory" */
        msg = str_dup(cb_error_last()->message);
        rc = err_set(CB_ENOTFOUND, "%s", msg ? msg : "program not found");
        free(msg);
    }
    if (rc == 0)
        rc = agent_reply_int(pid, reply, "guest-exec", "pid");
    free(reply);
    return rc;
}

/* One guest-exec-status. */
static int exec_status(struct agent_exec_status *st, cb_domain *d, virDomainPtr dom,
                       long long pid, size_t cap, int timeout_ms)
{
    g_autofree char *req = agent_req_exec_status(pid);
    char *reply = NULL;
    int rc;

    if ((rc = agent_call(d, dom, req, timeout_ms, "guest-exec-status", &reply)) == 0)
        rc = agent_reply_exec_status(st, reply, cap);
    free(reply);
    return rc;
}

/* After a timeout: kill -KILL PID through the agent, then collect both
 * processes so that the agent forgets them. Best effort: the timeout is
 * what the caller hears about. */
static void exec_kill(cb_domain *d, virDomainPtr dom, long long pid)
{
    char num[32];
    const char *kill_argv[] = { "kill", "-KILL", num, NULL };
    struct timespec deadline = deadline_after(KILL_MS);
    struct agent_exec_status st;
    cb_exec_options o = CB_EXEC_OPTIONS_INIT;
    long long kpid;
    int ms = POLL_FIRST_MS;

    snprintf(num, sizeof(num), "%lld", pid);
    if (exec_start(&kpid, d, dom, kill_argv, &o, KILL_MS) == 0)
        if (exec_status(&st, d, dom, kpid, 0, KILL_MS) == 0)
            agent_exec_status_clear(&st);
    while (!deadline_passed(&deadline, KILL_MS) &&
           exec_status(&st, d, dom, pid, 0, deadline_left_ms(&deadline, KILL_MS)) == 0) {
        bool done = st.exited;
        agent_exec_status_clear(&st);
        if (done)
            break;
        g_usleep((gulong)ms * 1000);
        ms = ms * 2 > POLL_MAX_MS ? POLL_MAX_MS : ms * 2;
    }
}

static int exec_argv(cb_exec_result **result, cb_domain *d, const char *const *argv,
                     const cb_exec_options *opts)
{
    cb_exec_options o = CB_EXEC_OPTIONS_INIT;
    struct timespec deadline;
    struct agent_exec_status st;
    virDomainPtr dom = NULL;
    long long pid;
    size_t cap;
    int rc, ms = POLL_FIRST_MS, left;

    if (!result)
        return ARG_FAIL(result);
    *result = NULL;
    CHECK_OPTS_VERSION(opts, CB_EXEC_OPTIONS_VERSION);
    if (opts)
        o = *opts;
    CHECK_FLAGS(o.flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if (!argv || !argv[0] || !argv[0][0])
        return err_set(CB_EINVAL, "cb_domain_exec: no program to run in domain %s", d->name);
    cap = o.output_max ? o.output_max : CB_EXEC_OUTPUT_MAX_DEFAULT;
    deadline = deadline_after(o.timeout_ms);
    if ((rc = agent_domain(d, &dom)) < 0)
        return rc;
    if ((rc = exec_start(&pid, d, dom, argv, &o, o.timeout_ms)) < 0)
        goto out;
    for (;;) {
        left = o.timeout_ms < 0 ? -1 : deadline_left_ms(&deadline, o.timeout_ms);
        if ((rc = exec_status(&st, d, dom, pid, cap, left)) < 0)
            goto out;
        if (st.exited)
            break;
        if (deadline_passed(&deadline, o.timeout_ms)) {
            exec_kill(d, dom, pid);
            rc = err_set(CB_ETIMEOUT, "domain %s: %s did not end within %d ms (killed)", d->name,
                         argv[0], o.timeout_ms);
            goto out;
        }
        /* no event tells that a guest process ended: poll, backing off */
        g_usleep((gulong)(left >= 0 && left < ms ? left : ms) * 1000);
        ms = ms * 2 > POLL_MAX_MS ? POLL_MAX_MS : ms * 2;
    }
    *result = g_new0(cb_exec_result, 1);
    (*result)->st = st;
out:
    virDomainFree(dom);
    return rc;
}

int cb_domain_exec(cb_exec_result **result, cb_domain *d, const char *const *argv,
                   const cb_exec_options *opts)
{
    return exec_argv(result, d, argv, opts);
}

int cb_domain_exec_shell(cb_exec_result **result, cb_domain *d, const char *command,
                         const cb_exec_options *opts)
{
    const char *argv[] = { "/bin/sh", "-c", command, NULL };

    if (!command) {
        if (result)
            *result = NULL;
        return ARG_FAIL(command);
    }
    return exec_argv(result, d, argv, opts);
}

int cb_exec_result_exit_status(const cb_exec_result *r)
{
    return r ? r->st.exitcode : -1;
}

int cb_exec_result_signal(const cb_exec_result *r)
{
    return r ? r->st.signal : 0;
}

const char *cb_exec_result_stdout(const cb_exec_result *r, size_t *len)
{
    if (len)
        *len = r ? r->st.out_len : 0;
    return r ? r->st.out : NULL;
}

const char *cb_exec_result_stderr(const cb_exec_result *r, size_t *len)
{
    if (len)
        *len = r ? r->st.err_len : 0;
    return r ? r->st.err : NULL;
}

unsigned int cb_exec_result_truncated(const cb_exec_result *r)
{
    if (!r)
        return 0;
    return (r->st.out_truncated ? CB_EXEC_STDOUT_TRUNCATED : 0u) |
           (r->st.err_truncated ? CB_EXEC_STDERR_TRUNCATED : 0u);
}

void cb_exec_result_free(cb_exec_result *r)
{
    if (!r)
        return;
    agent_exec_status_clear(&r->st);
    g_free(r);
}
