/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_cli_args.c: the cloubed command line rules (reference §4), as a
 * table of command lines and the error each must give (NULL: accepted).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "args.h"

struct cli_case {
    const char *argv;    /* split on spaces */
    const char *error;   /* expected message, or NULL */
};

static const struct cli_case cases[] = {
    /* argparse errors */
    { "", "the following arguments are required: actions" },
    { "foo", "argument actions: invalid choice: 'foo' (choose from 'gen', 'boot', 'shutdown'" },
    { "status extra", "unrecognized arguments: extra" },
    { "status --toto", "unrecognized arguments: --toto" },
    { "status -z", "unrecognized arguments: -z" },
    { "status --conf", "argument --conf: expected one argument" },
    { "boot --domain", "argument --domain: expected one argument" },
    { "boot --domain --debug", "argument --domain: expected one argument" },
    { "gen --domain vm --filename", "argument --filename: expected one argument" },
    { "wait --domain vm --event", "argument --event: expected one argument" },
    { "boot --domain vm --bootdev", "argument --bootdev: expected one argument" },
    { "boot --domain vm --bootdev floppy", "argument --bootdev: invalid choice: 'floppy'" },
    { "boot --domain vm --overwrite-disks", "argument --overwrite-disks: expected at least one argument" },
    { "boot --domain vm --recreate-networks", "argument --recreate-networks: expected at least one argument" },
    { "status --d", "ambiguous option: --d could match --domain, --debug" },
    { "status --debug=yes", "argument --debug: ignored explicit argument 'yes'" },
    /* required options */
    { "boot", "--domain is required for boot action" },
    { "gen --domain vm", "--filename is required for gen action" },
    { "gen --filename f", "--domain is required for gen action" },
    { "wait --domain vm", "--event is required for wait action" },
    { "wait --event stopped:shutdown", "--domain is required for wait action" },
    { "vars", "--domain is required for vars action" },
    { "xml", "--resource is required for xml action" },
    { "shutdown", "--domain is required for shutdown action" },
    { "destroy", "--domain is required for destroy action" },
    { "reboot", "--domain is required for reboot action" },
    { "reset", "--domain is required for reset action" },
    { "suspend", "--domain is required for suspend action" },
    { "resume", "--domain is required for resume action" },
    { "pause", "--domain is required for pause action" },
    { "unpause", "--domain is required for unpause action" },
    { "status", NULL },
    { "cleanup", NULL },
    { "check", NULL },
    /* incompatible options */
    { "boot --domain vm --filename f", "--filename is not compatible with boot action" },
    { "boot --domain vm --event a:b", "--event is not compatible with boot action" },
    { "gen --domain vm --filename f --bootdev hd", "--bootdev is not compatible with gen action" },
    { "gen --domain vm --filename f --overwrite-disks yes", "--overwrite-disks is not compatible with gen action" },
    { "gen --domain vm --filename f --recreate-networks yes", "--recreate-networks is not compatible with gen action" },
    { "gen --domain vm --filename f --event a:b", "--event is not compatible with gen action" },
    { "wait --domain vm --event a:b --bootdev hd", "--bootdev is not compatible with wait action" },
    { "wait --domain vm --event a:b --filename f", "--filename is not compatible with wait action" },
    { "status --domain vm", "--domain is not compatible with status action" },
    { "cleanup --resource domain:vm", "--resource is not compatible with cleanup action" },
    { "boot --domain vm --enable-http", "--enable-http is not compatible with boot action" },
    { "boot --domain vm --json", "--json is not compatible with boot action" },
    { "xml --resource domain:vm --timeout 3", "--timeout is not compatible with xml action" },
    { "check --domain vm", "--domain is not compatible with check action" },
    /* accepted forms */
    { "boot --domain vm", NULL },
    { "boot --domain=vm --bootdev=network", NULL },
    { "--domain vm boot", NULL },
    { "--dom vm --boot cdrom boot", NULL },
    { "boot --domain vm --overwrite-disks yes", NULL },
    { "boot --domain vm --overwrite-disks a b --recreate-networks no", NULL },
    { "--domain vm --overwrite-disks a b boot", NULL },
    { "gen --domain vm --file ipxe", NULL },
    { "wait --domain vm --event stopped:shutdown --enable-http --timeout 30", NULL },
    { "wait --domain vm --event tcp:22", NULL },
    { "wait --domain vm --event console:login: ready", "unrecognized arguments: ready" },
    { "wait --domain vm --event=console:a:b", NULL },
    { "status --json", NULL },
    { "-c other.yaml -d status", NULL },
    { "-cother.yaml status", NULL },
    { "status --connect test:///default", NULL },
    { "boot --domain vm --virt-type qemu", NULL },
    { "--virt-type=kvm xml --resource domain:vm", NULL },
    { "status --virt-type xen", "argument --virt-type: invalid choice: 'xen' (choose from 'kvm', 'qemu')" },
    { "status --virt-type", "argument --virt-type: expected one argument" },
    { "xml --resource domain:vm", NULL },
    { "-h", NULL },
    { "--version", NULL },
    /* values */
    { "boot --domain vm --overwrite-disks yes a", "--overwrite-disks parameter cannot contain 'yes' among other values" },
    { "boot --domain vm --overwrite-disks a no", "--overwrite-disks parameter cannot contain 'no' among other values" },
    { "boot --domain vm --recreate-networks yes no", "--recreate-networks parameter cannot contain 'yes' among other values" },
    { "wait --domain vm --event fail", "format of --event parameter is not valid" },
    { "wait --domain vm --event a:b:c", "format of --event parameter is not valid" },
    { "wait --domain vm --event :b", "format of --event parameter is not valid" },
    { "xml --resource fail", "format of --resource parameter is not valid" },
    { "xml --resource a:b:c", "format of --resource parameter is not valid" },
    { "wait --domain vm --event a:b --timeout 0", "argument --timeout: '0' is not a positive number of seconds" },
    { "wait --domain vm --event a:b --timeout soon", "argument --timeout: 'soon' is not a positive number of seconds" },
    { "wait --domain vm --event a:b --timeout +5", "argument --timeout: '+5' is not a positive number of seconds" },
    { "wait --domain vm --event a:b --timeout 0x10", "argument --timeout: '0x10' is not a positive number of seconds" },
    { "wait --domain vm --event a:b --timeout inf", "argument --timeout: 'inf' is not a positive number of seconds" },
    /* up and down (issue 11) */
    { "up", NULL },
    { "down", NULL },
    { "up --domain a --domain b --parallel 4 --ready tcp:22 --timeout 60 --json", NULL },
    { "up --bootdev network --keep-on-failure", NULL },
    { "down --domain a --grace 0 --cleanup --parallel 256 --json --timeout 5", NULL },
    { "up --ready console:a:b", NULL },
    { "up --ready=console:login:", NULL },
    { "--instance a up", NULL },
    { "--instance a:b status", NULL }, /* the library rejects the name, with its message */
    { "up --parallel 0", "argument --parallel: '0' is not a number from 1 to 256" },
    { "up --parallel -1", "argument --parallel: expected one argument" },
    { "up --parallel=-1", "argument --parallel: '-1' is not a number from 1 to 256" },
    { "up --parallel x", "argument --parallel: 'x' is not a number from 1 to 256" },
    { "up --parallel 257", "argument --parallel: '257' is not a number from 1 to 256" },
    { "up --parallel +4", "argument --parallel: '+4' is not a number from 1 to 256" },
    { "up --ready tcp:0", "argument --ready: 'tcp:0' is not tcp:PORT (1 to 65535), console:TEXT, ssh or agent" },
    { "up --ready tcp:+80", "argument --ready: 'tcp:+80' is not tcp:PORT" },
    { "up --ready tcp:65536", "argument --ready: 'tcp:65536' is not tcp:PORT" },
    { "up --ready udp:1", "argument --ready: 'udp:1' is not tcp:PORT" },
    { "up --ready console:", "argument --ready: 'console:' is not tcp:PORT" },
    { "up --ready", "argument --ready: expected one argument" },
    { "down --grace soon", "argument --grace: 'soon' is not a number of seconds" },
    { "down --grace -1", "argument --grace: expected one argument" },
    { "up --grace 5", "--grace is not compatible with up action" },
    { "up --cleanup", "--cleanup is not compatible with up action" },
    { "up --enable-http", "--enable-http is not compatible with up action" },
    { "up --event a:b", "--event is not compatible with up action" },
    { "down --ready tcp:22", "--ready is not compatible with down action" },
    { "down --bootdev hd", "--bootdev is not compatible with down action" },
    { "down --keep-on-failure", "--keep-on-failure is not compatible with down action" },
    { "boot --domain vm --parallel 2", "--parallel is not compatible with boot action" },
    { "status --ready tcp:22", "--ready is not compatible with status action" },
    { "wait --domain vm --event a:b --grace 1", "--grace is not compatible with wait action" },
    { "up --domain", "argument --domain: expected one argument" },
    { "status --inst", "argument --instance: expected one argument" },
    /* the guest agent (issue 12) */
    { "up --ready agent", NULL },
    { "up --ready agents", "argument --ready: 'agents' is not tcp:PORT (1 to 65535), console:TEXT, ssh or agent" },
    { "exec --domain vm -- uname -a", NULL },
    { "exec --domain vm --timeout 5 -- sh -c --timeout", NULL }, /* after --: the program's */
    { "exec --domain vm --timeout 0.5 -- true", NULL },
    { "exec -- true", "--domain is required for exec action" },
    { "exec --domain vm", "exec: the program to run is missing: exec --domain D -- PROGRAM ARGS..." },
    { "exec --domain vm --", "exec: the program to run is missing" },
    { "exec --domain vm uname", "exec: the program and its arguments go after --: exec --domain D -- uname ..." },
    { "exec --domain vm --timeout 0 -- true", "argument --timeout: '0' is not a positive number of seconds" },
    { "exec --domain vm --json -- true", "--json is not compatible with exec action" },
    { "copy-to --domain vm a /tmp/a", NULL },
    { "copy-from --domain vm /tmp/a a", NULL },
    { "copy-to --domain vm a", "copy-to takes two paths: copy-to --domain D HOST_PATH GUEST_PATH" },
    { "copy-from --domain vm a b c", "copy-from takes two paths: copy-from --domain D GUEST_PATH HOST_PATH" },
    { "copy-to a b", "--domain is required for copy-to action" },
    { "copy-to --domain vm --timeout 3 a b", "--timeout is not compatible with copy-to action" },
    { "status -- x", "unrecognized arguments: x" },
    /* snapshots and links (issue 12) */
    { "snapshot --name s1", NULL },
    { "revert --name=s1", NULL },
    { "revert --sync-clock --name s1", NULL },
    { "snapshots", NULL },
    { "snapshot-delete --name s1", NULL },
    { "--name s1 snapshot", NULL },
    { "link --domain vm --network lab down", NULL },
    { "link up --domain vm --net lab", NULL },
    { "--domain vm --network lab link up", NULL },
    { "snapshot", "--name is required for snapshot action" },
    { "revert", "--name is required for revert action" },
    { "snapshot-delete", "--name is required for snapshot-delete action" },
    { "snapshot --name", "argument --name: expected one argument" },
    { "snapshots --name s1", "--name is not compatible with snapshots action" },
    { "snapshot --name s1 --domain vm", "--domain is not compatible with snapshot action" },
    { "revert --name s1 --timeout 3", "--timeout is not compatible with revert action" },
    { "snapshot --name s1 --sync-clock", "--sync-clock is not compatible with snapshot action" },
    { "up --sync-clock", "--sync-clock is not compatible with up action" },
    { "snapshot --name s1 extra", "unrecognized arguments: extra" },
    { "link --network lab up", "--domain is required for link action" },
    { "link --domain vm up", "--network is required for link action" },
    { "link --domain vm --network lab", "the following arguments are required: state (up or down)" },
    { "link --domain vm --network lab sideways", "argument state: invalid choice: 'sideways' (choose from 'up', 'down')" },
    { "link --domain vm --network lab up down", "unrecognized arguments: down" },
    { "link --domain vm --network lab --name s up", "--name is not compatible with link action" },
    { "boot --domain vm --network lab", "--network is not compatible with boot action" },
    { "status --n x", "ambiguous option: --n could match --name, --network" },
    { "up --ready ssh", NULL },
    { "ssh", "--domain is required for ssh action" },
    { "ssh --domain vm --user", "argument --user: expected one argument" },
    { "ssh --domain vm extra", "unrecognized arguments: extra" },
    { "boot --domain vm --user bob", "--user is not compatible with boot action" },
    { "ssh --domain vm --user bob -- ls -l", NULL },
};

static int split(char *line, char **argv, int max)
{
    int argc = 0;
    char *tok, *save = NULL;

    argv[argc++] = "cloubed";
    for (tok = strtok_r(line, " ", &save); tok && argc < max; tok = strtok_r(NULL, " ", &save))
        argv[argc++] = tok;
    argv[argc] = NULL;
    return argc;
}

static void test_table(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char line[512], err[512] = "", *argv[64];
        struct cli_args a;
        int argc, rc;

        snprintf(line, sizeof(line), "%s", cases[i].argv);
        argc = split(line, argv, 63);
        rc = cli_parse(&a, argc, argv, err, sizeof(err));
        if (!cases[i].error && rc != 0)
            fail_msg("'%s' rejected: %s", cases[i].argv, err);
        if (cases[i].error && (rc == 0 || !strstr(err, cases[i].error)))
            fail_msg("'%s': got \"%s\", expected \"%s\"", cases[i].argv, rc ? err : "(accepted)",
                     cases[i].error);
        cli_args_free(&a);
    }
}

/* The parsed values point into argv, so its storage must outlive them: one
 * static buffer, as each result is freed before the next parse. */
static struct cli_args parse_ok(const char *cmd)
{
    static char line[512], *argv[64];
    char err[512];
    struct cli_args a;

    snprintf(line, sizeof(line), "%s", cmd);
    if (cli_parse(&a, split(line, argv, 63), argv, err, sizeof(err)) != 0)
        fail_msg("'%s': %s", cmd, err);
    return a;
}

static void test_values(void **state)
{
    struct cli_args a;

    (void)state;
    a = parse_ok("--domain vm --overwrite-disks a b boot");
    assert_int_equal(a.action, ACT_BOOT);
    assert_string_equal(a.value[OPT_DOMAIN], "vm");
    assert_int_equal(a.overwrite_disks.n, 2);
    assert_string_equal(a.overwrite_disks.v[0], "a");
    assert_string_equal(a.overwrite_disks.v[1], "b");
    assert_false(a.overwrite_disks.all);
    assert_null(a.value[OPT_BOOTDEV]);
    cli_args_free(&a);

    a = parse_ok("boot --domain vm --overwrite-disks yes --recreate-networks no");
    assert_true(a.overwrite_disks.all);
    assert_int_equal(a.overwrite_disks.n, 0);
    assert_false(a.recreate_networks.all);
    assert_int_equal(a.recreate_networks.n, 0);
    cli_args_free(&a);

    a = parse_ok("--domain a --domain b --boot=network boot");
    assert_string_equal(a.value[OPT_DOMAIN], "b"); /* the last one wins */
    assert_string_equal(a.value[OPT_BOOTDEV], "network");
    cli_args_free(&a);

    a = parse_ok("wait --domain vm --event stopped:shutdown --timeout 2.5");
    assert_string_equal(a.event_type, "stopped");
    assert_string_equal(a.event_detail, "shutdown");
    assert_true(a.timeout_s > 2.49 && a.timeout_s < 2.51);
    cli_args_free(&a);

    a = parse_ok("wait --domain vm --event=console:login: ");
    assert_string_equal(a.event_type, "console");
    assert_string_equal(a.event_detail, "login:");
    cli_args_free(&a);

    a = parse_ok("xml --resource storagevolume:disk-1");
    assert_string_equal(a.resource_type, "storagevolume");
    assert_string_equal(a.resource_name, "disk-1");
    assert_int_equal(a.timeout_s, -1);
    cli_args_free(&a);

    /* --domain: every one is kept, in order; value[] is still the last */
    a = parse_ok("up --domain a --domain=b --dom c --parallel 8 --ready tcp:22");
    assert_int_equal(a.domains.n, 3);
    assert_string_equal(a.domains.v[0], "a");
    assert_string_equal(a.domains.v[1], "b");
    assert_string_equal(a.domains.v[2], "c");
    assert_string_equal(a.value[OPT_DOMAIN], "c");
    assert_int_equal(a.parallel, 8);
    assert_string_equal(a.value[OPT_READY], "tcp:22");
    assert_true(a.grace_s < 0);
    cli_args_free(&a);

    a = parse_ok("down --grace 2.5 --cleanup --instance blue");
    assert_int_equal(a.action, ACT_DOWN);
    assert_int_equal(a.domains.n, 0);
    assert_int_equal(a.parallel, 0);
    assert_true(a.grace_s > 2.49 && a.grace_s < 2.51);
    assert_true(a.given[OPT_CLEANUP]);
    assert_string_equal(a.value[OPT_INSTANCE], "blue");
    cli_args_free(&a);

    a = parse_ok("down --grace 0");
    assert_true(a.grace_s == 0);
    cli_args_free(&a);

    /* exec: everything after -- is the program's, options included */
    a = parse_ok("exec --domain vm --timeout 3 -- sh -c --domain");
    assert_int_equal(a.action, ACT_EXEC);
    assert_true(a.timeout_s > 2.99 && a.timeout_s < 3.01);
    assert_int_equal(a.operands.n, 3);
    assert_string_equal(a.operands.v[0], "sh");
    assert_string_equal(a.operands.v[2], "--domain");
    assert_null(a.operands.v[3]); /* NULL-terminated: the argv of cb_domain_exec */
    assert_string_equal(a.value[OPT_DOMAIN], "vm");
    cli_args_free(&a);

    a = parse_ok("copy-from /tmp/g --domain vm h");
    assert_int_equal(a.action, ACT_COPY_FROM);
    assert_int_equal(a.operands.n, 2);
    assert_string_equal(a.operands.v[0], "/tmp/g");
    assert_string_equal(a.operands.v[1], "h");
    cli_args_free(&a);

    a = parse_ok("link --domain vm --network lab down");
    assert_int_equal(a.action, ACT_LINK);
    assert_string_equal(a.value[OPT_NETWORK], "lab");
    assert_string_equal(a.link_state, "down");
    cli_args_free(&a);

    a = parse_ok("snapshot-delete --name=before-test.1");
    assert_int_equal(a.action, ACT_SNAPSHOT_DELETE);
    assert_string_equal(a.value[OPT_NAME], "before-test.1");
    assert_null(a.link_state);
    cli_args_free(&a);

    /* ssh: the words after "--" are the guest's command, options or not */
    a = parse_ok("ssh --domain vm --user bob -- ls -l --domain x");
    assert_int_equal(a.action, ACT_SSH);
    assert_string_equal(a.value[OPT_USER], "bob");
    assert_string_equal(a.value[OPT_DOMAIN], "vm");
    assert_int_equal(a.rest_n, 4);
    assert_string_equal(a.rest[0], "ls");
    assert_string_equal(a.rest[3], "x");
    cli_args_free(&a);
    a = parse_ok("ssh --domain vm");
    assert_null(a.rest);
    assert_int_equal(a.rest_n, 0);
    cli_args_free(&a);

    a = parse_ok("-c conf/x.yaml -d check");
    assert_string_equal(a.value[OPT_CONF], "conf/x.yaml");
    assert_true(a.given[OPT_DEBUG]);
    assert_int_equal(a.action, ACT_CHECK);
    cli_args_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_values),
    };
    return cmocka_run_group_tests_name("cli arguments", tests, NULL, NULL);
}
