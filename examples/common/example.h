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
#include <string.h>

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

/* --keep: example_finish leaves the testbed running (a test cleans it up).
 * --cleanup: the example does nothing but clean up (an instance left with
 * --keep), until the command's --instance can do it. */
static int example_keep, example_cleanup_only;

/* Opens the testbed file given on the command line (default cloubed.yaml):
 *   PROGRAM [FILE] [--instance NAME] [--keep | --cleanup]
 * --instance runs it as that instance (cb_testbed_options.instance), side by
 * side with others of the same file. */
static inline int example_open(cb_testbed **tb, int argc, char **argv)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    const char *file = "cloubed.yaml";
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--instance") == 0 && i + 1 < argc)
            opts.instance = argv[++i];
        else if (strcmp(argv[i], "--keep") == 0)
            example_keep = 1;
        else if (strcmp(argv[i], "--cleanup") == 0)
            example_cleanup_only = 1;
        else
            file = argv[i];
    }
    opts.log_cb = example_log;
    return cb_testbed_open(tb, file, &opts);
}

/* The end of every example: clean the testbed up whatever happened (a
 * failed cleanup fails the run) unless --keep, free it, return the exit
 * status. */
static inline int example_finish(cb_testbed *tb, int status)
{
    if (tb && !example_keep && cb_testbed_cleanup(tb, 0) < 0) {
        fprintf(stderr, "cleanup: %s\n", cb_error_last()->message);
        status = 1;
    }
    cb_testbed_free(tb);
    return status;
}

#endif
