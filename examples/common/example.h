/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * example.h: what every example does the same way: the recommended error
 * handling (check every call, report cb_error_last(), clean up on the way
 * out), and a log callback that prints the library's messages.
 */
#ifndef CLOUBED_EXAMPLE_H
#define CLOUBED_EXAMPLE_H

#include <stdio.h>
#include <stdlib.h>

#include <cloubed/cloubed.h>

/* TCG guests on a busy machine are slow: waits get minutes, not seconds. */
#define EXAMPLE_TIMEOUT_MS (180 * 1000)

/* Runs CALL; on failure prints what failed and why, and jumps to `out`
 * (where the example cleans up) with `status` set to 1. */
#define TRY(call)                                                                      \
    do {                                                                               \
        if ((call) < 0) {                                                              \
            const cb_error *e_ = cb_error_last();                                      \
            fprintf(stderr, "%s: %s: %s\n", cb_error_code_name(e_->code), #call,       \
                    e_->message);                                                      \
            status = 1;                                                                \
            goto out;                                                                  \
        }                                                                              \
    } while (0)

static inline void example_log(cb_log_level level, const char *message, void *payload)
{
    (void)payload;
    if (level >= CB_LOG_INFO)
        fprintf(stderr, "  [%s] %s\n", cb_log_level_name(level), message);
}

/* Opens the testbed file given on the command line (default cloubed.yaml). */
static inline int example_open(cb_testbed **tb, int argc, char **argv)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;

    opts.log_cb = example_log;
    return cb_testbed_open(tb, argc > 1 ? argv[1] : "cloubed.yaml", &opts);
}

/* The end of every example: clean the testbed up whatever happened (a
 * failed cleanup fails the run), free it, return the exit status. */
static inline int example_finish(cb_testbed *tb, int status)
{
    if (tb && cb_testbed_cleanup(tb, 0) < 0) {
        fprintf(stderr, "cleanup: %s\n", cb_error_last()->message);
        status = 1;
    }
    cb_testbed_free(tb);
    return status;
}

#endif
