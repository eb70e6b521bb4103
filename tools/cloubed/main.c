/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * main.c: the cloubed command: parse the command line, open the testbed,
 * run the action.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cloubed/cloubed.h>

#include "actions.h"
#include "args.h"

static void print_log(cb_log_level level, const char *message, void *payload)
{
    const struct cli_args *a = payload;

    /* Progress (info) shows, as the original's warnings did; debug on -d. */
    if (level >= CB_LOG_INFO || a->given[OPT_DEBUG])
        fprintf(stderr, "cloubed: %s: %s\n", cb_log_level_name(level), message);
}

static int run(const struct cli_args *a)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    const char *conf = a->value[OPT_CONF] ? a->value[OPT_CONF] : "cloubed.yaml";
    cb_testbed *tb = NULL;
    int status;

    opts.uri = a->value[OPT_CONNECT];
    opts.log_cb = print_log;
    opts.log_payload = (void *)a;
    if (cb_testbed_open(&tb, conf, &opts) < 0)
        return report_error();
    switch (a->action) {
    case ACT_CHECK:
        status = action_check(tb, a);
        break;
    case ACT_XML:
        status = action_xml(tb, a);
        break;
    case ACT_BOOT:
        status = action_boot(tb, a);
        break;
    case ACT_SHUTDOWN: case ACT_DESTROY: case ACT_REBOOT: case ACT_RESET:
    case ACT_SUSPEND: case ACT_RESUME: case ACT_PAUSE: case ACT_UNPAUSE:
        status = action_power(tb, a);
        break;
    case ACT_STATUS:
        status = action_status(tb, a);
        break;
    case ACT_CLEANUP:
        status = action_cleanup(tb, a);
        break;
    case ACT_WAIT:
        status = action_wait(tb, a);
        break;
    case ACT_VARS:
        status = action_vars(tb, a);
        break;
    case ACT_GEN:
        status = action_gen(tb, a);
        break;
    default:
        status = 1;
        break;
    }
    cb_testbed_free(tb);
    return status;
}

int main(int argc, char **argv)
{
    struct cli_args a;
    char err[512];
    int status;

    if (cli_parse(&a, argc, argv, err, sizeof(err)) < 0) {
        fprintf(stderr, "cloubed: error: %s\n", err);
        cli_args_free(&a);
        return 1;
    }
    if (a.given[OPT_HELP]) {
        fputs(cli_usage(), stdout);
        status = 0;
    } else if (a.given[OPT_VERSION]) {
        printf("cloubed %s\n", cb_version());
        status = 0;
    } else {
        status = run(&a);
    }
    cli_args_free(&a);
    return status;
}
