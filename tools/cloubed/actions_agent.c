/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * actions_agent.c: acting inside a guest through its agent: exec, copy-to,
 * copy-from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"

/* Exit status of a program that ran out of time (as timeout(1), and wait). */
#define EXIT_TIMEOUT 124

static void write_out(FILE *f, const char *data, size_t len)
{
    if (len && fwrite(data, 1, len, f) != len)
        perror("cloubed: write");
    fflush(f);
}

int action_exec(cb_testbed *tb, const struct cli_args *a)
{
    cb_domain *d = cb_testbed_domain(tb, a->value[OPT_DOMAIN]);
    cb_exec_options o = CB_EXEC_OPTIONS_INIT;
    cb_exec_result *r = NULL;
    const char *out, *err;
    size_t out_len, err_len;
    int rc, status;

    if (!d)
        return report_error();
    if (a->timeout_s >= 0)
        o.timeout_ms = (int)(a->timeout_s * 1000);
    rc = cb_domain_exec(&r, d, a->operands.v, &o);
    if (rc == CB_ETIMEOUT) {
        fprintf(stderr, "cloubed: error: %s\n", cb_error_last()->message);
        return EXIT_TIMEOUT;
    }
    if (rc < 0)
        return report_error();
    out = cb_exec_result_stdout(r, &out_len);
    err = cb_exec_result_stderr(r, &err_len);
    write_out(stdout, out, out_len);
    write_out(stderr, err, err_len);
    if (cb_exec_result_truncated(r))
        fprintf(stderr, "cloubed: warning: the program's %s was cut at %zu bytes\n",
                cb_exec_result_truncated(r) == CB_EXEC_STDERR_TRUNCATED ? "stderr" : "output",
                (size_t)CB_EXEC_OUTPUT_MAX_DEFAULT);
    /* killed by a signal: 128 + N, as a shell says */
    status = cb_exec_result_signal(r) ? 128 + cb_exec_result_signal(r)
                                      : cb_exec_result_exit_status(r);
    cb_exec_result_free(r);
    return status;
}

int action_copy(cb_testbed *tb, const struct cli_args *a)
{
    cb_domain *d = cb_testbed_domain(tb, a->value[OPT_DOMAIN]);
    const char *from = a->operands.v[0], *to = a->operands.v[1];

    if (!d)
        return report_error();
    if ((a->action == ACT_COPY_TO ? cb_domain_copy_to(d, from, to, 0)
                                  : cb_domain_copy_from(d, from, to, 0)) < 0)
        return report_error();
    return 0;
}
