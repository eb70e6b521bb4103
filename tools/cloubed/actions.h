/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * actions.h: what each action of the cloubed command does.
 */
#ifndef CLOUBED_TOOL_ACTIONS_H
#define CLOUBED_TOOL_ACTIONS_H

#include <cloubed/cloubed.h>

#include "args.h"

/* Each returns the process exit status and prints its own errors. */
int action_check(cb_testbed *tb, const struct cli_args *a);
int action_xml(cb_testbed *tb, const struct cli_args *a);
int action_boot(cb_testbed *tb, const struct cli_args *a);
/* shutdown, destroy, reboot, reset, suspend, resume, pause, unpause */
int action_power(cb_testbed *tb, const struct cli_args *a);
int action_status(cb_testbed *tb, const struct cli_args *a);
int action_cleanup(cb_testbed *tb, const struct cli_args *a);
/* 124 when the wait timed out */
int action_wait(cb_testbed *tb, const struct cli_args *a);
int action_vars(cb_testbed *tb, const struct cli_args *a);
int action_gen(cb_testbed *tb, const struct cli_args *a);
/* up and down: 0 all done, 1 any failure, 124 the --timeout expired */
int action_up_down(cb_testbed *tb, const struct cli_args *a);
/* exec: the guest program's exit status (128 + N when signal N killed it),
 * 124 when --timeout expired; copy-to, copy-from: 0 or 1 */
int action_exec(cb_testbed *tb, const struct cli_args *a);
int action_copy(cb_testbed *tb, const struct cli_args *a);
/* While up or down draws its live lines, prints LINE above them and returns
 * true; otherwise returns false and the caller prints it. */
bool action_up_log(const char *line);

/* snapshot, revert, snapshots (one name a line), snapshot-delete */
int action_snapshot(cb_testbed *tb, const struct cli_args *a);
/* link --domain D --network N up|down */
int action_link(cb_testbed *tb, const struct cli_args *a);

/* Prints the library's last error as "cloubed: error: MESSAGE"; returns 1. */
int report_error(void);

#endif
