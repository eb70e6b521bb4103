/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * args.h: the cloubed command line, parsed by getopt_long (prefix
 * abbreviations, --opt=value) and checked as the original tool's argparse
 * parser did (its messages, lists, required and incompatible options),
 * without printing anything. Not thread-safe: getopt_long's state is global.
 */
#ifndef CLOUBED_TOOL_ARGS_H
#define CLOUBED_TOOL_ARGS_H

#include <stdbool.h>
#include <stddef.h>

enum cli_action {
    ACT_NONE,
    ACT_GEN, ACT_BOOT, ACT_SHUTDOWN, ACT_DESTROY, ACT_REBOOT, ACT_RESET, ACT_SUSPEND,
    ACT_RESUME, ACT_WAIT, ACT_STATUS, ACT_CLEANUP, ACT_VARS, ACT_XML,
    /* not in the original */
    ACT_CHECK, ACT_PAUSE, ACT_UNPAUSE, ACT_UP, ACT_DOWN,
    ACT_SSH,
    ACT_EXEC, ACT_COPY_TO, ACT_COPY_FROM,
    ACT_SNAPSHOT, ACT_REVERT, ACT_SNAPSHOTS, ACT_SNAPSHOT_DELETE, ACT_LINK,
    ACT_COUNT
};

/* Options that take values, in the order of the option table. */
enum cli_opt {
    OPT_CONF, OPT_DOMAIN, OPT_BOOTDEV, OPT_OVERWRITE_DISKS, OPT_RECREATE_NETWORKS,
    OPT_FILENAME, OPT_EVENT, OPT_RESOURCE, OPT_CONNECT, OPT_TIMEOUT, OPT_VIRT_TYPE,
    OPT_PARALLEL, OPT_READY, OPT_INSTANCE, OPT_GRACE, OPT_USER, OPT_NAME, OPT_NETWORK,
    /* flags */
    OPT_DEBUG, OPT_ENABLE_HTTP, OPT_JSON, OPT_HELP, OPT_VERSION, OPT_KEEP_ON_FAILURE,
    OPT_CLEANUP, OPT_SYNC_CLOCK,
    OPT_COUNT
};

struct cli_list {
    const char **v;   /* borrowed from argv */
    size_t n;
    bool all;         /* "yes" */
};

struct cli_args {
    enum cli_action action;
    bool given[OPT_COUNT];
    const char *value[OPT_COUNT];   /* borrowed from argv; last one wins */
    struct cli_list overwrite_disks;
    struct cli_list recreate_networks;
    /* --event TYPE:DETAIL and --resource TYPE:NAME, split */
    char *event_type, *event_detail;
    char *resource_type, *resource_name;
    double timeout_s;               /* -1 without --timeout */
    /* Every --domain in order: up and down take several; the other actions
     * use value[OPT_DOMAIN], the last one (the original's argparse rule). */
    struct cli_list domains;
    unsigned parallel;              /* 0 without --parallel (the library's automatic) */
    double grace_s;                 /* -1 without --grace */
    /* ssh: the words after "--", the command to run in the guest */
    char *const *rest;              /* borrowed from argv; NULL without */
    size_t rest_n;
    /* exec: the program and its arguments (after "--"); copy-to, copy-from:
     * the two paths */
    struct cli_list operands;
    const char *link_state;         /* link's positional "up" or "down" */
};

/* Parses ARGV. Returns 0, or -1 with a one-line message in ERR. --help and
 * --version succeed without an action. */
int cli_parse(struct cli_args *a, int argc, char **argv, char *err, size_t errlen);
void cli_args_free(struct cli_args *a);

const char *cli_action_name(enum cli_action act);
const char *cli_opt_name(enum cli_opt opt);
/* The text printed by --help. */
const char *cli_usage(void);

#endif
