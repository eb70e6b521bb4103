/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * main.c: the cloubed command: parse the command line, open the testbed,
 * run the action.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cloubed/cloubed.h>

#include "actions.h"
#include "args.h"
#include "lock.h"

static void print_log(cb_log_level level, const char *message, void *payload)
{
    const struct cli_args *a = payload;

    /* Progress (info) shows, as the original's warnings did; debug on -d. */
    char line[2048];

    if (level < CB_LOG_INFO && !a->given[OPT_DEBUG])
        return;
    snprintf(line, sizeof(line), "cloubed: %s: %s\n", cb_log_level_name(level), message);
    /* up and down draw live lines that a message must not overwrite */
    if (!action_up_log(line))
        fputs(line, stderr);
}

/* What each action does; cli_parse() only returns actions of this table. */
static int (*const actions[ACT_COUNT])(cb_testbed *, const struct cli_args *) = {
    [ACT_CHECK] = action_check,     [ACT_XML] = action_xml,
    [ACT_BOOT] = action_boot,       [ACT_STATUS] = action_status,
    [ACT_CLEANUP] = action_cleanup, [ACT_WAIT] = action_wait,
    [ACT_VARS] = action_vars,       [ACT_GEN] = action_gen,
    [ACT_SHUTDOWN] = action_power,  [ACT_DESTROY] = action_power,
    [ACT_REBOOT] = action_power,    [ACT_RESET] = action_power,
    [ACT_SUSPEND] = action_power,   [ACT_RESUME] = action_power,
    [ACT_PAUSE] = action_power,     [ACT_UNPAUSE] = action_power,
    [ACT_UP] = action_up_down,      [ACT_DOWN] = action_up_down,
    [ACT_EXEC] = action_exec,       [ACT_COPY_TO] = action_copy,
    [ACT_COPY_FROM] = action_copy,
    [ACT_SNAPSHOT] = action_snapshot,        [ACT_REVERT] = action_snapshot,
    [ACT_SNAPSHOTS] = action_snapshot,       [ACT_SNAPSHOT_DELETE] = action_snapshot,
    [ACT_LINK] = action_link,
};

/* Actions that change the testbed: one cloubed process at a time. */
static int changes_testbed(enum cli_action act)
{
    return act != ACT_CHECK && act != ACT_XML && act != ACT_STATUS && act != ACT_WAIT &&
           act != ACT_VARS && act != ACT_EXEC && act != ACT_COPY_TO && act != ACT_COPY_FROM &&
           act != ACT_SNAPSHOTS;
}

static int run(const struct cli_args *a, const char *command)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    const char *conf = a->value[OPT_CONF] ? a->value[OPT_CONF] : "cloubed.yaml";
    cb_testbed *tb = NULL;
    int status;

    opts.uri = a->value[OPT_CONNECT];
    opts.virt_type = a->value[OPT_VIRT_TYPE];
    opts.log_cb = print_log;
    opts.log_payload = (void *)a;
    opts.instance = a->value[OPT_INSTANCE];
    if (cb_testbed_open(&tb, conf, &opts) < 0)
        return report_error();
    if (changes_testbed(a->action)) {
        int lock = lock_take(tb, command);
        if (lock < 0) {
            cb_testbed_free(tb);
            return 1;
        }
        status = actions[a->action](tb, a);
        /* down --cleanup of every domain removes what cleanup removes */
        lock_release(tb, lock, status == 0 && (a->action == ACT_CLEANUP ||
                                               (a->action == ACT_DOWN && a->given[OPT_CLEANUP] &&
                                                a->domains.n == 0)));
    } else {
        status = actions[a->action](tb, a);
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
        char command[256] = "cloubed";
        size_t used = strlen(command);
        int i;
        /* The command line, shortened, names the holder of the lock. */
        for (i = 1; i < argc && used < sizeof(command) - 1; i++)
            used += (size_t)snprintf(command + used, sizeof(command) - used, " %s", argv[i]);
        status = run(&a, command);
    }
    cli_args_free(&a);
    return status;
}
