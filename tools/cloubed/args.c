/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * args.c: the cloubed command line.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

enum kind { K_FLAG, K_VALUE, K_LIST };

static const struct {
    const char *name;
    char shortopt;
    enum kind kind;
} opts[OPT_COUNT] = {
    [OPT_CONF] = { "--conf", 'c', K_VALUE },
    [OPT_DOMAIN] = { "--domain", 0, K_VALUE },
    [OPT_BOOTDEV] = { "--bootdev", 0, K_VALUE },
    [OPT_OVERWRITE_DISKS] = { "--overwrite-disks", 0, K_LIST },
    [OPT_RECREATE_NETWORKS] = { "--recreate-networks", 0, K_LIST },
    [OPT_FILENAME] = { "--filename", 0, K_VALUE },
    [OPT_EVENT] = { "--event", 0, K_VALUE },
    [OPT_RESOURCE] = { "--resource", 0, K_VALUE },
    [OPT_CONNECT] = { "--connect", 0, K_VALUE },
    [OPT_TIMEOUT] = { "--timeout", 0, K_VALUE },
    [OPT_VIRT_TYPE] = { "--virt-type", 0, K_VALUE },
    [OPT_PARALLEL] = { "--parallel", 0, K_VALUE },
    [OPT_READY] = { "--ready", 0, K_VALUE },
    [OPT_INSTANCE] = { "--instance", 0, K_VALUE },
    [OPT_GRACE] = { "--grace", 0, K_VALUE },
    [OPT_USER] = { "--user", 0, K_VALUE },
    [OPT_NAME] = { "--name", 0, K_VALUE },
    [OPT_NETWORK] = { "--network", 0, K_VALUE },
    [OPT_DEBUG] = { "--debug", 'd', K_FLAG },
    [OPT_ENABLE_HTTP] = { "--enable-http", 0, K_FLAG },
    [OPT_JSON] = { "--json", 0, K_FLAG },
    [OPT_HELP] = { "--help", 'h', K_FLAG },
    [OPT_VERSION] = { "--version", 'V', K_FLAG },
    [OPT_KEEP_ON_FAILURE] = { "--keep-on-failure", 0, K_FLAG },
    [OPT_CLEANUP] = { "--cleanup", 0, K_FLAG },
    [OPT_SYNC_CLOCK] = { "--sync-clock", 0, K_FLAG },
};

static const char *const action_names[ACT_COUNT] = {
    [ACT_GEN] = "gen", [ACT_BOOT] = "boot", [ACT_SHUTDOWN] = "shutdown",
    [ACT_DESTROY] = "destroy", [ACT_REBOOT] = "reboot", [ACT_RESET] = "reset",
    [ACT_SUSPEND] = "suspend", [ACT_RESUME] = "resume", [ACT_WAIT] = "wait",
    [ACT_STATUS] = "status", [ACT_CLEANUP] = "cleanup", [ACT_VARS] = "vars", [ACT_XML] = "xml",
    [ACT_CHECK] = "check", [ACT_PAUSE] = "pause", [ACT_UNPAUSE] = "unpause",
    [ACT_UP] = "up", [ACT_DOWN] = "down",
    [ACT_SSH] = "ssh",
    [ACT_EXEC] = "exec", [ACT_COPY_TO] = "copy-to", [ACT_COPY_FROM] = "copy-from",
    [ACT_SNAPSHOT] = "snapshot", [ACT_REVERT] = "revert", [ACT_SNAPSHOTS] = "snapshots",
    [ACT_SNAPSHOT_DELETE] = "snapshot-delete", [ACT_LINK] = "link",
};

#define BIT(o) (1u << (o))
/* Always allowed, whatever the action. --instance names which copy of the
 * testbed every action works on, so it is global like --conf. */
#define GLOBAL_OPTS (BIT(OPT_CONF) | BIT(OPT_DEBUG) | BIT(OPT_CONNECT) | BIT(OPT_VIRT_TYPE) | \
                     BIT(OPT_HELP) | BIT(OPT_VERSION) | BIT(OPT_INSTANCE))

static const struct {
    unsigned required;
    unsigned allowed; /* besides required and GLOBAL_OPTS */
} rules[ACT_COUNT] = {
    [ACT_GEN] = { BIT(OPT_DOMAIN) | BIT(OPT_FILENAME), 0 },
    [ACT_BOOT] = { BIT(OPT_DOMAIN),
                   BIT(OPT_BOOTDEV) | BIT(OPT_OVERWRITE_DISKS) | BIT(OPT_RECREATE_NETWORKS) },
    [ACT_SHUTDOWN] = { BIT(OPT_DOMAIN), 0 }, [ACT_DESTROY] = { BIT(OPT_DOMAIN), 0 },
    [ACT_REBOOT] = { BIT(OPT_DOMAIN), 0 },   [ACT_RESET] = { BIT(OPT_DOMAIN), 0 },
    [ACT_SUSPEND] = { BIT(OPT_DOMAIN), 0 },  [ACT_RESUME] = { BIT(OPT_DOMAIN), 0 },
    [ACT_PAUSE] = { BIT(OPT_DOMAIN), 0 },    [ACT_UNPAUSE] = { BIT(OPT_DOMAIN), 0 },
    [ACT_WAIT] = { BIT(OPT_DOMAIN) | BIT(OPT_EVENT), BIT(OPT_ENABLE_HTTP) | BIT(OPT_TIMEOUT) },
    [ACT_STATUS] = { 0, BIT(OPT_JSON) },
    [ACT_CLEANUP] = { 0, 0 },
    [ACT_VARS] = { BIT(OPT_DOMAIN), 0 },
    [ACT_XML] = { BIT(OPT_RESOURCE), 0 },
    [ACT_CHECK] = { 0, 0 },
    [ACT_UP] = { 0, BIT(OPT_DOMAIN) | BIT(OPT_PARALLEL) | BIT(OPT_READY) | BIT(OPT_TIMEOUT) |
                    BIT(OPT_JSON) | BIT(OPT_BOOTDEV) | BIT(OPT_KEEP_ON_FAILURE) },
    [ACT_DOWN] = { 0, BIT(OPT_DOMAIN) | BIT(OPT_PARALLEL) | BIT(OPT_GRACE) | BIT(OPT_TIMEOUT) |
                      BIT(OPT_JSON) | BIT(OPT_CLEANUP) },
    [ACT_SSH] = { BIT(OPT_DOMAIN), BIT(OPT_USER) },
    [ACT_EXEC] = { BIT(OPT_DOMAIN), BIT(OPT_TIMEOUT) },
    [ACT_COPY_TO] = { BIT(OPT_DOMAIN), 0 },
    [ACT_COPY_FROM] = { BIT(OPT_DOMAIN), 0 },
    [ACT_SNAPSHOT] = { BIT(OPT_NAME), 0 },
    [ACT_REVERT] = { BIT(OPT_NAME), BIT(OPT_SYNC_CLOCK) },
    [ACT_SNAPSHOTS] = { 0, 0 },
    [ACT_SNAPSHOT_DELETE] = { BIT(OPT_NAME), 0 },
    [ACT_LINK] = { BIT(OPT_DOMAIN) | BIT(OPT_NETWORK), 0 },
};

const char *cli_action_name(enum cli_action act)
{
    return act > ACT_NONE && act < ACT_COUNT ? action_names[act] : "?";
}

const char *cli_opt_name(enum cli_opt opt)
{
    return opts[opt].name;
}

const char *cli_usage(void)
{
    return
        "usage: cloubed [-h] [-V] [-c FILE] [-d] [--connect URI] [--virt-type {kvm,qemu}]\n"
        "               [--domain DOMAIN]\n"
        "               [--bootdev {hd,network,cdrom}] [--overwrite-disks DISK [DISK ...]]\n"
        "               [--recreate-networks NETWORK [NETWORK ...]] [--filename TEMPLATE]\n"
        "               [--event EVENT] [--enable-http] [--timeout SECONDS]\n"
        "               [--resource TYPE:NAME] [--json] [--instance NAME]\n"
        "               [--parallel N] [--ready tcp:PORT|console:TEXT|ssh|agent]\n"
        "               [--grace SECONDS] [--keep-on-failure] [--cleanup] [--user USER]\n"
        "               [--name NAME] [--network NETWORK] [--sync-clock]\n"
        "               {gen,boot,shutdown,destroy,reboot,reset,suspend,resume,pause,unpause,\n"
        "                wait,status,cleanup,vars,xml,check,up,down,ssh,exec,copy-to,\n"
        "                copy-from,snapshot,revert,snapshots,snapshot-delete,link}\n"
        "               [-- COMMAND...]\n"
        "\n"
        "Builds and drives a virtual testbed described by a YAML file on libvirt.\n"
        "\n"
        "actions:\n"
        "  check        validate the testbed file and print a summary\n"
        "  xml          print the libvirt XML of --resource TYPE:NAME\n"
        "               (TYPE: domain, network, storagevolume, storagepool)\n"
        "  boot         create what --domain needs and start it\n"
        "  shutdown, reboot, reset, destroy, suspend, resume, pause, unpause\n"
        "               power operations on --domain\n"
        "  wait         wait for --event on --domain (TYPE:DETAIL, tcp:PORT, console:TEXT)\n"
        "  status       show the state of every resource (--json for JSON)\n"
        "  cleanup      remove every libvirt object of the testbed\n"
        "  up           create and start the testbed (or each --domain D, repeatable),\n"
        "               in parallel; --ready waits for each (tcp:PORT, console:TEXT,\n"
        "               ssh, agent)\n"
        "  down         ACPI power off, then destroy after --grace (default 30 s);\n"
        "               --cleanup removes everything after\n"
        "  vars, gen    show template variables of --domain, generate --filename\n"
        "  ssh          log in to --domain with the testbed's key (or run -- COMMAND)\n"
        "  exec         exec --domain D [--timeout S] -- PROGRAM ARGS...: run PROGRAM in\n"
        "               the guest through its agent; its stdout, stderr and exit status\n"
        "               become ours (124: --timeout, default 60 s, expired)\n"
        "  copy-to      copy-to --domain D HOST_PATH GUEST_PATH (through the agent)\n"
        "  copy-from    copy-from --domain D GUEST_PATH HOST_PATH\n"
        "  snapshot     snapshot every defined domain at one point, as --name\n"
        "  revert       bring every domain back to snapshot --name (running ones run)\n"
        "  snapshots    list the testbed's snapshots, oldest first\n"
        "  snapshot-delete  delete snapshot --name\n"
        "  link         link --domain D --network N up|down: plug or pull the cable\n"
        "               of D's interface on N (the running domain only)\n"
        "\n"
        "options:\n"
        "  -h, --help             show this help and exit\n"
        "  -V, --version          show the version and exit\n"
        "  -c, --conf FILE        the testbed file (default: cloubed.yaml)\n"
        "  -d, --debug            show debug messages\n"
        "  --connect URI          libvirt URI (default: $LIBVIRT_DEFAULT_URI or qemu:///system)\n"
        "  --virt-type kvm|qemu   domain type (default: $CLOUBED_VIRT_TYPE, else kvm when it\n"
        "                         runs guests here, TCG (qemu) otherwise)\n"
        "  --event EVENT          TYPE[:DETAIL] (started:booted, stopped:shutdown, ...),\n"
        "                         tcp:PORT or console:TEXT\n"
        "  --timeout SECONDS      give up waiting after this long (exit status 124)\n"
        "  --enable-http          serve the testbed directory over HTTP while waiting\n"
        "  --instance NAME        work on this instance of the testbed (its own objects)\n"
        "  --parallel N           up, down: domains handled at once, 1 to 256 (default:\n"
        "                         automatic)\n"
        "  --ready tcp:PORT|console:TEXT|ssh|agent  up: also wait until each domain\n"
        "                         answers (ssh: its SSH banner; agent: its QEMU guest agent)\n"
        "  --grace SECONDS        down: destroy what is still running after this long\n"
        "  --keep-on-failure      up: leave everything as it is when a domain fails\n"
        "  --cleanup              down: then remove every libvirt object\n"
        "  --user USER            ssh: log in as USER (default: the cloud-init user)\n"
        "  --name NAME            snapshot, revert, snapshot-delete: the snapshot\n"
        "  --network NETWORK      link: the network whose cable is plugged or pulled\n"
        "  --sync-clock           revert: then set each running guest's clock to the host's\n"
        "                         (through its QEMU guest agent)\n"
        "  --json                 status, up, down: one JSON document on stdout\n"
        "  --overwrite-disks yes|no|VOLUME...     recreate these disks at boot\n"
        "  --recreate-networks yes|no|NETWORK...  recreate these networks at boot\n"
        "\n"
        "Exit status: 0 on success, 1 on error, 124 when a wait (or up, down) times out.\n";
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* getopt_long's value for each long option: beyond every short option's
 * character, so that optopt tells them apart. */
#define LONG_VAL(o) (256 + (o))

/* The option whose short letter is C, or -1. */
static int short_opt(int c)
{
    int o;
    for (o = 0; o < OPT_COUNT; o++)
        if (opts[o].shortopt && opts[o].shortopt == c)
            return o;
    return -1;
}

static enum cli_action find_action(const char *s)
{
    int i;
    for (i = ACT_NONE + 1; i < ACT_COUNT; i++)
        if (strcmp(action_names[i], s) == 0)
            return (enum cli_action)i;
    return ACT_NONE;
}

static bool is_option(const char *s)
{
    return s[0] == '-' && s[1] != '\0';
}

/* True when no later argument can be the action, so a list option placed
 * before it must leave it alone (argparse swallowed it: a bug). */
static bool last_action_candidate(int argc, char **argv, int i)
{
    int j;
    if (find_action(argv[i]) == ACT_NONE)
        return false;
    for (j = i + 1; j < argc; j++)
        if (!is_option(argv[j]))
            return false;
    return true;
}

/* Where cli_parse is: the list option (--overwrite-disks A B...) that takes
 * the positional arguments that follow it, if any. */
struct parser {
    struct cli_args *a;
    int argc;
    char **argv;
    int list_opt; /* -1: none open */
    char *err;
    size_t errlen;
};

static struct cli_list *list_of(struct cli_args *a, int o)
{
    return o == OPT_OVERWRITE_DISKS ? &a->overwrite_disks : &a->recreate_networks;
}

/* Ends the open list, if any: at least one value, and yes or no alone. */
static int list_close(struct parser *p)
{
    int o = p->list_opt;
    struct cli_list *l;
    size_t k;

    if (o < 0)
        return 0;
    p->list_opt = -1;
    l = list_of(p->a, o);
    if (l->n == 0)
        return fail(p->err, p->errlen, "argument %s: expected at least one argument",
                    opts[o].name);
    for (k = 0; k < l->n; k++) {
        bool yes = strcmp(l->v[k], "yes") == 0, no = strcmp(l->v[k], "no") == 0;
        if ((yes || no) && l->n > 1)
            return fail(p->err, p->errlen, "%s parameter cannot contain '%s' among other values",
                        opts[o].name, yes ? "yes" : "no");
        if (yes)
            l->all = true;
        if (yes || no)
            l->n = 0;
    }
    p->a->given[o] = true;
    return 0;
}

/* Starts list option O over (the last one wins), with its =VALUE if any. */
static int list_start(struct parser *p, int o, const char *inline_value)
{
    struct cli_list *l = list_of(p->a, o);

    free(l->v);
    l->v = calloc((size_t)p->argc + 1, sizeof(*l->v));
    l->n = 0;
    l->all = false;
    if (!l->v)
        return fail(p->err, p->errlen, "out of memory");
    p->list_opt = o;
    if (!inline_value)
        return 0;
    /* --opt=value: that one value, the list ends there */
    l->v[l->n++] = inline_value;
    return list_close(p);
}

/* ARGV[I], not an option: a value of the open list, else the action. */
static int positional(struct parser *p, int i, bool after_dashdash)
{
    const char *arg = p->argv[i];
    char choices[256] = "";
    int k;

    if (!after_dashdash && p->list_opt >= 0 &&
        !(p->a->action == ACT_NONE && last_action_candidate(p->argc, p->argv, i))) {
        struct cli_list *l = list_of(p->a, p->list_opt);
        l->v[l->n++] = arg;
        return 0;
    }
    if (list_close(p) < 0)
        return -1;
    if (p->a->action == ACT_EXEC && !after_dashdash)
        return fail(p->err, p->errlen, "exec: the program and its arguments go after --: "
                                       "exec --domain D -- %s ...", arg);
    if (p->a->action == ACT_EXEC || p->a->action == ACT_COPY_TO ||
        p->a->action == ACT_COPY_FROM) {
        struct cli_list *l = &p->a->operands;
        if (!l->v && !(l->v = calloc((size_t)p->argc + 1, sizeof(*l->v))))
            return fail(p->err, p->errlen, "out of memory");
        l->v[l->n++] = arg;
        return 0;
    }
    /* link's one positional argument: up or down */
    if (p->a->action == ACT_LINK && !p->a->link_state) {
        p->a->link_state = arg;
        return 0;
    }
    if (p->a->action != ACT_NONE)
        return fail(p->err, p->errlen, "unrecognized arguments: %s", arg);
    if ((p->a->action = find_action(arg)) != ACT_NONE)
        return 0;
    for (k = ACT_NONE + 1; k < ACT_COUNT; k++) {
        size_t used = strlen(choices);
        snprintf(choices + used, sizeof(choices) - used, "%s'%s'", k > 1 ? ", " : "",
                 action_names[k]);
    }
    return fail(p->err, p->errlen, "argument actions: invalid choice: '%s' (choose from %s)",
                arg, choices);
}

/* getopt_long turned ARG down without saying why (opterr is off): words
 * argparse's message. Ambiguous and unknown long options look alike to the
 * caller (optopt 0), so the candidates are listed here for the message
 * only; the matching is getopt_long's. */
static int long_rejected(struct parser *p, const char *arg)
{
    size_t len = strcspn(arg, "=");
    char cands[256] = "";
    int o, n = 0;

    for (o = 0; o < OPT_COUNT; o++)
        if (strncmp(opts[o].name, arg, len) == 0) {
            size_t used = strlen(cands);
            snprintf(cands + used, sizeof(cands) - used, "%s%s", n++ ? ", " : "", opts[o].name);
        }
    if (n > 1)
        return fail(p->err, p->errlen, "ambiguous option: %.*s could match %s", (int)len, arg,
                    cands);
    return fail(p->err, p->errlen, "unrecognized arguments: %.*s", (int)len, arg);
}

/* Option O, given by getopt_long with OPTARG (NULL when it takes none). */
static int take_option(struct parser *p, int o, const char *arg)
{
    if (opts[o].kind == K_FLAG) {
        p->a->given[o] = true;
        return 0;
    }
    /* lists are optional_argument: OPTARG only from --opt=value; values
     * follow as positional arguments */
    if (opts[o].kind == K_LIST)
        return list_start(p, o, arg);
    /* getopt_long takes the next argument whatever it is; argparse
     * refused one that looks like an option */
    if (arg == p->argv[optind - 1] && is_option(arg))
        return fail(p->err, p->errlen, "argument %s: expected one argument", opts[o].name);
    p->a->given[o] = true;
    p->a->value[o] = arg;
    if (o == OPT_DOMAIN) {
        /* argc bounds the count: allocated once, at the first --domain */
        if (!p->a->domains.v && !(p->a->domains.v = calloc((size_t)p->argc + 1, sizeof(char *))))
            return fail(p->err, p->errlen, "out of memory");
        p->a->domains.v[p->a->domains.n++] = arg;
    }
    return 0;
}

/* One getopt_long result C; 0 to go on, -1 on error. */
static int step(struct parser *p, int c)
{
    int o = c >= LONG_VAL(0) ? c - LONG_VAL(0) : short_opt(c);

    if (c == 1) /* a positional argument, in order ('-' in optstring) */
        return positional(p, optind - 1, false);
    /* anything else that looks like an option ends the open list first, as
     * in argparse, even one getopt_long turns down */
    if (list_close(p) < 0)
        return -1;
    switch (c) {
    case ':': /* a value missing at the end of argv */
        o = optopt >= LONG_VAL(0) ? optopt - LONG_VAL(0) : short_opt(optopt);
        return fail(p->err, p->errlen, "argument %s: expected one argument",
                    o >= 0 ? opts[o].name : "?");
    case '?':
        if (optopt >= LONG_VAL(0)) /* a flag given --flag=value */
            return fail(p->err, p->errlen, "argument %s: ignored explicit argument '%s'",
                        opts[optopt - LONG_VAL(0)].name, strchr(p->argv[optind - 1], '=') + 1);
        if (optopt)
            return fail(p->err, p->errlen, "unrecognized arguments: -%c", optopt);
        return long_rejected(p, p->argv[optind - 1]);
    default:
        if (o < 0)
            return fail(p->err, p->errlen, "unrecognized arguments: -%c", c);
        return take_option(p, o, optarg);
    }
}

static int split_pair(const char *s, bool rest_may_hold_colons, char **type, char **detail)
{
    const char *colon = strchr(s, ':');

    if (!colon || colon == s || !colon[1] || (!rest_may_hold_colons && strchr(colon + 1, ':')))
        return -1;
    *type = strndup(s, (size_t)(colon - s));
    *detail = strdup(colon + 1);
    return *type && *detail ? 0 : -1;
}

/* V is N, digits only, with MIN <= N <= MAX: strtoul alone would take "+5",
 * " 5", "-1" (as a huge number). */
static bool digits_in_range(const char *v, unsigned long min, unsigned long max, unsigned long *n)
{
    if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 9)
        return false;
    *n = strtoul(v, NULL, 10);
    return *n >= min && *n <= max;
}

/* A positive (or, with ZERO_OK, non-negative) plain decimal number of
 * seconds: strtod alone would take " 5", "+5", "0x10", "inf". */
static bool seconds(const char *v, bool zero_ok, double *out)
{
    char *end = NULL;
    double s;

    if (!*v || strspn(v, "0123456789.") != strlen(v))
        return false;
    s = strtod(v, &end);
    if (end == v || *end || !(s >= 0) || (s == 0 && !zero_ok) || s > 2147483.0)
        return false;
    *out = s;
    return true;
}

static int check_values(struct cli_args *a, char *err, size_t errlen)
{
    unsigned long n;
    const char *v;

    if ((v = a->value[OPT_BOOTDEV]) && strcmp(v, "hd") && strcmp(v, "network") && strcmp(v, "cdrom"))
        return fail(err, errlen, "argument --bootdev: invalid choice: '%s' (choose from 'hd', "
                                 "'network', 'cdrom')", v);
    if ((v = a->value[OPT_VIRT_TYPE]) && strcmp(v, "kvm") && strcmp(v, "qemu"))
        return fail(err, errlen, "argument --virt-type: invalid choice: '%s' (choose from 'kvm', "
                                 "'qemu')", v);
    if ((v = a->value[OPT_EVENT])) {
        /* console:TEXT may hold colons in its TEXT */
        bool console = strncmp(v, "console:", 8) == 0;
        if (split_pair(v, console, &a->event_type, &a->event_detail) < 0)
            return fail(err, errlen, "format of --event parameter is not valid");
    }
    if ((v = a->value[OPT_RESOURCE]) &&
        split_pair(v, false, &a->resource_type, &a->resource_name) < 0)
        return fail(err, errlen, "format of --resource parameter is not valid");
    a->timeout_s = -1;
    if ((v = a->value[OPT_TIMEOUT]) && !seconds(v, false, &a->timeout_s))
        return fail(err, errlen, "argument --timeout: '%s' is not a positive number of "
                                 "seconds", v);
    a->grace_s = -1;
    if ((v = a->value[OPT_GRACE]) && !seconds(v, true, &a->grace_s))
        return fail(err, errlen, "argument --grace: '%s' is not a number of seconds", v);
    /* 256: beyond libvirtd's default max_workers (20) more only queues */
    if ((v = a->value[OPT_PARALLEL])) {
        if (!digits_in_range(v, 1, 256, &n))
            return fail(err, errlen, "argument --parallel: '%s' is not a number from 1 to 256", v);
        a->parallel = (unsigned)n;
    }
    if ((v = a->value[OPT_READY])) {
        /* the same digits-only port rule as wait's --event tcp:PORT */
        bool tcp = strncmp(v, "tcp:", 4) == 0, console = strncmp(v, "console:", 8) == 0;
        bool ssh = strcmp(v, "ssh") == 0, agent = strcmp(v, "agent") == 0;
        if ((tcp && !digits_in_range(v + 4, 1, 65535, &n)) || (console && !v[8]) ||
            (!tcp && !console && !ssh && !agent))
            return fail(err, errlen, "argument --ready: '%s' is not tcp:PORT (1 to 65535), "
                                     "console:TEXT, ssh or agent", v);
    }
    if (a->action == ACT_EXEC && a->operands.n == 0)
        return fail(err, errlen, "exec: the program to run is missing: exec --domain D -- "
                                 "PROGRAM ARGS...");
    if ((a->action == ACT_COPY_TO || a->action == ACT_COPY_FROM) && a->operands.n != 2)
        return fail(err, errlen, "%s takes two paths: %s --domain D %s", action_names[a->action],
                    action_names[a->action], a->action == ACT_COPY_TO ? "HOST_PATH GUEST_PATH"
                                                                       : "GUEST_PATH HOST_PATH");
    if (a->action == ACT_LINK && strcmp(a->link_state, "up") && strcmp(a->link_state, "down"))
        return fail(err, errlen, "argument state: invalid choice: '%s' (choose from 'up', "
                                 "'down')", a->link_state);
    /* The instance name's own rules are the library's (one message there).
     * So are snapshot names. */
    return 0;
}

static int check_rules(const struct cli_args *a, char *err, size_t errlen)
{
    unsigned req = rules[a->action].required;
    unsigned ok = req | rules[a->action].allowed | GLOBAL_OPTS;
    int o;

    for (o = 0; o < OPT_COUNT; o++)
        if ((req & BIT(o)) && !a->given[o])
            return fail(err, errlen, "%s is required for %s action", opts[o].name,
                        action_names[a->action]);
    for (o = 0; o < OPT_COUNT; o++)
        if (a->given[o] && !(ok & BIT(o)))
            return fail(err, errlen, "%s is not compatible with %s action", opts[o].name,
                        action_names[a->action]);
    return 0;
}

int cli_parse(struct cli_args *a, int argc, char **argv, char *err, size_t errlen)
{
    /* '-': positional arguments come back in order (as 1), since a list
     * option takes those that follow it; ':': quiet, ':' for a missing
     * value. */
    static const char optstring[] = "-:c:dhV";
    struct option longopts[OPT_COUNT + 1];
    struct parser p = { a, argc, argv, -1, err, errlen };
    static const int has_arg[] = { [K_FLAG] = no_argument, [K_VALUE] = required_argument,
                                   [K_LIST] = optional_argument };
    int o, c;

    memset(a, 0, sizeof(*a));
    a->timeout_s = -1;
    a->grace_s = -1;
    memset(longopts, 0, sizeof(longopts));
    for (o = 0; o < OPT_COUNT; o++)
        longopts[o] = (struct option){ opts[o].name + 2, has_arg[opts[o].kind], NULL, LONG_VAL(o) };
    opterr = 0;
    optind = 0; /* 0, not 1: glibc starts afresh, argv may differ from last time */
    while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1)
        if (step(&p, c) < 0)
            return -1;
    if (list_close(&p) < 0)
        return -1;
    /* what follows "--": ssh's command for the guest, else arguments */
    if (a->action == ACT_SSH && optind < argc) {
        a->rest = argv + optind;
        a->rest_n = (size_t)(argc - optind);
        optind = argc;
    }
    for (; optind < argc; optind++)
        if (positional(&p, optind, true) < 0)
            return -1;
    if (a->given[OPT_HELP] || a->given[OPT_VERSION])
        return 0;
    if (a->action == ACT_NONE)
        return fail(err, errlen, "the following arguments are required: actions");
    if (check_rules(a, err, errlen) < 0)
        return -1;
    if (a->action == ACT_LINK && !a->link_state)
        return fail(err, errlen, "the following arguments are required: state (up or down)");
    return check_values(a, err, errlen);
}

void cli_args_free(struct cli_args *a)
{
    free(a->overwrite_disks.v);
    free(a->recreate_networks.v);
    free(a->event_type);
    free(a->event_detail);
    free(a->resource_type);
    free(a->resource_name);
    free(a->domains.v);
    free(a->operands.v);
    memset(a, 0, sizeof(*a));
}
