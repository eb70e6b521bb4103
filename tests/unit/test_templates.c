/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_templates.c: the template engine's every edge case (reference §3.7),
 * the variable set of the original's debian10-backing example (reference
 * §4.4, with dhcp_end fixed), generation, and the event name table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "wait/event_names.h"
#include "test_helpers.h"
#include "util/util.h"

static cb_testbed *open_fixture(const char *name)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    cb_testbed *tb = NULL;
    char *path;

    assert_true(asprintf(&path, "%s/data/%s/cloubed.yaml", getenv("CB_TEST_SRCDIR"), name) > 0);
    opts.user = "tester";
    if (cb_testbed_open(&tb, path, &opts) < 0)
        fail_msg("%s", cb_error_last()->message);
    free(path);
    return tb;
}

static void test_engine(void **state)
{
    static const struct { const char *in, *out; } cases[] = {
        { "", "" },
        { "no dollar", "no dollar" },
        { "$self.name", "test" },
        { "${self.name}", "test" },
        { "${self.name}.example.com", "test.example.com" },
        { "$self.name.example.com", "$self.name.example.com" }, /* greedy, never shortened */
        { "$self.", "$self." },                  /* no variable "self" */
        { "$testbed.", "debian." },
        { "$self.name.", "test." },
        { "$$", "$" },
        { "$$self.name", "$self.name" },
        { "$$$self.name", "$test" },
        { "cost: 5$", "cost: 5$" },
        { "$ self", "$ self" },
        { "$1abc", "$1abc" },
        { "$_x", "$_x" },
        { "$unknown and ${unknown}", "$unknown and ${unknown}" },
        { "$SELF.NAME", "$SELF.NAME" },          /* matched, looked up exactly */
        { "${net0/mac}", "${net0/mac}" },          /* iPXE's syntax, untouched */
        { "$TZ", "$TZ" },
        { "$primary{ }", "$primary{ }" },
        { "${self.name", "${self.name" },
        { "${}", "${}" },
        { "${ self.name }", "${ self.name }" },
        { "$testbed-$self.name", "debian-test" },
        { "${testbed}${self.name}", "debiantest" },
        { "kernel ${network.net.http_server}/vmlinuz", "kernel http://10.5.0.1:5432/vmlinuz" },
        { "$self.net.mac", "00:16:3e:88:75:91" },
        { "$domain.base.net.ip", "10.5.0.10" },
        { "$network.net.dhcp_end", "10.5.0.100" },  /* the original's None, fixed */
        { "$self.tpl.missing", "$self.tpl.missing" },
        { "multi\nline $self.name\n", "multi\nline test\n" },
    };
    cb_testbed *tb = open_fixture("debian10-backing");
    cb_vars *v = NULL;
    char *out;
    size_t i;

    (void)state;
    assert_int_equal(cb_domain_vars(&v, cb_testbed_domain(tb, "test"), 0), 0);
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        assert_int_equal(cb_vars_render(&out, v, cases[i].in, 0), 0);
        if (strcmp(out, cases[i].out) != 0)
            fail_msg("render \"%s\": \"%s\", expected \"%s\"", cases[i].in, out, cases[i].out);
        free(out);
    }
    assert_int_equal(cb_vars_render(&out, v, NULL, 0), CB_EINVAL);
    assert_int_equal(cb_vars_render(&out, NULL, "x", 0), CB_EINVAL);
    assert_null(cb_vars_get(v, "nope"));
    assert_null(cb_vars_key(v, cb_vars_count(v)));
    cb_vars_free(v);
    cb_vars_free(NULL);
    cb_testbed_free(tb);
}

static void test_vars_of_the_original_example(void **state)
{
    cb_testbed *tb = open_fixture("debian10-backing");
    char *expected_path, *expected, *want, *got;
    GString *b = g_string_new(NULL);
    cb_vars *v = NULL;
    size_t i;

    (void)state;
    assert_int_equal(cb_domain_vars(&v, cb_testbed_domain(tb, "test"), 0), 0);
    for (i = 0; i < cb_vars_count(v); i++)
        g_string_append_printf(b, "%s: %s\n", cb_vars_key(v, i), cb_vars_value(v, i));
    got = gstring_steal(b);
    assert_true(asprintf(&expected_path, "%s/golden/debian10-backing/vars-test.txt",
                         getenv("CB_TEST_SRCDIR")) > 0);
    expected = th_read(expected_path);
    assert_non_null(expected);
    want = th_replace(expected, "@DIR@", cb_testbed_directory(tb));
    if (strcmp(want, got) != 0)
        fail_msg("vars differ from %s:\n%s", expected_path, got);
    free(want);
    free(expected);
    free(expected_path);
    free(got);
    cb_vars_free(v);
    cb_testbed_free(tb);
}

static void test_gen(void **state)
{
    static const char yaml[] =
        "testbed: gen\n"
        "networks: [{name: admin-net, address: 10.1.2.1/24, dhcp: {start: 10.1.2.10, end: 10.1.2.20}}]\n"
        "templates: {domain: example.org}\n"
        "domains:\n"
        "  - name: node-1\n"
        "    cpu: 2x2x1\n"
        "    memory: 512M\n"
        "    netifs: [{network: admin-net, ip: 10.1.2.5}]\n"
        "    disks: []\n"
        "    templates:\n"
        "      files:\n"
        "        - {name: cfg, input: in/node.cfg, output: out/node.cfg}\n"
        "        - {name: broken, input: in/missing, output: out/x}\n"
        "        - {name: nodir, input: in/node.cfg, output: nodir/x}\n"
        "        - {name: shared, input: in/node.cfg, output: out/shared.cfg, mode: '0644'}\n"
        "      vars: {role: web, port: 8080}\n";
    char *dir = th_mkdtemp(), *path, *out;
    cb_testbed *tb = NULL;
    cb_domain *d;
    struct stat st;

    (void)state;
    path = th_write(dir, "cloubed.yaml", yaml, strlen(yaml));
    assert_true(asprintf(&out, "%s/in", dir) > 0);
    mkdir(out, 0755);
    free(out);
    assert_true(asprintf(&out, "%s/out", dir) > 0);
    mkdir(out, 0755);
    free(out);
    static const char tpl[] =
        "host ${self.name}.$testbed.domain role=$self.tpl.role port=$self.tpl.port "
        "cpu=$self.cpu mem=$self.memory mac=$self.adminnet.mac ip=$self.adminnet.ip "
        "http=${network.adminnet.http_server} $$HOME\n";
    free(th_write(dir, "in/node.cfg", tpl, strlen(tpl)));
    assert_int_equal(cb_testbed_open(&tb, path, NULL), 0);
    d = cb_testbed_domain(tb, "node-1");
    assert_int_equal(cb_domain_gen(d, "cfg", 0), 0);
    assert_true(asprintf(&out, "%s/out/node.cfg", dir) > 0);
    char *text = th_read(out);
    assert_string_equal(text, "host node1.example.org role=web port=8080 cpu=4 mem=512 "
                              "mac=00:16:3e:3f:0d:07 ip=10.1.2.5 http=http://10.1.2.1:5432 $HOME\n");
    free(text);
    assert_int_equal(stat(out, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600); /* owner-only by default: answer files hold passwords */
    free(out);
    assert_int_equal(cb_domain_gen(d, "shared", 0), 0);
    assert_true(asprintf(&out, "%s/out/shared.cfg", dir) > 0);
    assert_int_equal(stat(out, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644); /* as the testbed says */
    free(out);
    assert_int_equal(cb_domain_gen(d, "nope", 0), CB_ENOTFOUND);
    assert_string_equal(cb_error_last()->message, "template nope not defined for domain node-1");
    assert_int_equal(cb_domain_gen(d, "broken", 0), CB_EIO);
    assert_non_null(strstr(cb_error_last()->message, "error while reading template file "));
    assert_int_equal(cb_domain_gen(d, "nodir", 0), CB_EIO);
    assert_non_null(strstr(cb_error_last()->message, "error while writing to template file "));
    cb_testbed_free(tb);
    free(path);
    th_rmtree(dir);
    free(dir);
}

static bool exists(const char *dir, const char *name)
{
    char *p;
    struct stat st;
    bool yes;

    assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
    yes = lstat(p, &st) == 0;
    free(p);
    return yes;
}

/* Issue 9: cleanup removed every template output named in the file, gen
 * or not, wherever it pointed. Now only what gen wrote and still holds
 * what gen wrote. */
static void test_cleanup_removes_only_what_gen_wrote(void **state)
{
    static const char yaml[] =
        "testbed: rec\n"
        "networks: []\n"
        "domains:\n"
        "  - name: vm\n"
        "    cpu: 1\n"
        "    memory: 1\n"
        "    netifs: []\n"
        "    disks: []\n"
        "    templates:\n"
        "      files:\n"
        "        - {name: a, input: in.tpl, output: a.cfg}\n"
        "        - {name: edited, input: in.tpl, output: edited.cfg}\n"
        "        - {name: never, input: in.tpl, output: never.cfg}\n"
        "        - {name: victim, input: in.tpl, output: ../victim.txt, allow_outside: true}\n"
        "        - {name: via-link, input: in.tpl, output: out-link/x.cfg}\n";
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    char *root = th_mkdtemp(), *dir, *path, *p, *text;
    cb_testbed *tb = NULL;
    cb_domain *d;

    (void)state;
    assert_true(asprintf(&dir, "%s/bed", root) > 0);
    assert_int_equal(mkdir(dir, 0755), 0);
    path = th_write(dir, "cloubed.yaml", yaml, strlen(yaml));
    free(th_write(dir, "in.tpl", "name=$self.name\n", 16));
    free(th_write(dir, "never.cfg", "mine\n", 5));
    free(th_write(root, "victim.txt", "precious\n", 9));
    assert_true(asprintf(&p, "%s/out-link", dir) > 0);
    assert_int_equal(symlink(root, p), 0);
    free(p);
    opts.uri = "test:///default";
    if (cb_testbed_open(&tb, path, &opts) < 0)
        fail_msg("%s", cb_error_last()->message);
    d = cb_testbed_domain(tb, "vm");

    /* nothing generated: nothing removed, inside or outside */
    assert_int_equal(cb_testbed_cleanup(tb, 0), 0);
    assert_true(exists(root, "victim.txt"));
    assert_true(exists(dir, "never.cfg"));

    /* generated, then one edited by hand: only the untouched one goes */
    assert_int_equal(cb_domain_gen(d, "a", 0), 0);
    assert_int_equal(cb_domain_gen(d, "edited", 0), 0);
    assert_true(exists(dir, ".cloubed/rec/generated"));
    free(th_write(dir, "edited.cfg", "hand-edited\n", 12));
    assert_int_equal(cb_testbed_cleanup(tb, 0), 0);
    assert_false(exists(dir, "a.cfg"));
    assert_true(exists(dir, "edited.cfg"));
    assert_true(exists(dir, "never.cfg"));
    assert_false(exists(dir, ".cloubed/rec/generated")); /* the record is dropped */

    /* once dropped, a later cleanup does not remove a file gen wrote before */
    assert_int_equal(cb_domain_gen(d, "a", 0), 0);
    assert_int_equal(cb_testbed_cleanup(tb, 0), 0);
    assert_false(exists(dir, "a.cfg"));
    free(th_write(dir, "a.cfg", "name=vm\n", 8)); /* same content, not written by gen */
    assert_int_equal(cb_testbed_cleanup(tb, 0), 0);
    assert_true(exists(dir, "a.cfg"));

    /* outside, allowed explicitly: written, recorded, removed */
    assert_int_equal(cb_domain_gen(d, "victim", 0), 0);
    assert_true(asprintf(&p, "%s/victim.txt", root) > 0);
    text = th_read(p);
    assert_string_equal(text, "name=vm\n");
    free(text);
    free(p);
    assert_int_equal(cb_testbed_cleanup(tb, 0), 0);
    assert_false(exists(root, "victim.txt"));

    /* out through a symbolic link, not allowed: refused, nothing written */
    assert_int_equal(cb_domain_gen(d, "via-link", 0), CB_EINVAL);
    assert_non_null(strstr(cb_error_last()->message, "leads out of the testbed directory"));
    assert_false(exists(root, "x.cfg"));

    cb_testbed_free(tb);
    free(path);
    free(dir);
    th_rmtree(root);
    free(root);
}

static void test_event_names(void **state)
{
    static const struct { const char *name; int type, detail; } ok[] = {
        { "started:booted", 2, 0 }, { "STOPPED:SHUTDOWN", 5, 0 }, { "stopped", 5, -1 },
        { "shutdown:guest", 6, 1 }, { "shutdown:host", 6, 2 }, { "crashed:panicked", 8, 0 },
        { "crashed:crashloaded", 8, 1 }, { "defined:renamed", 0, 2 },
        { "suspended:postcopy_failed", 3, 8 }, { "resumed:postcopy", 4, 3 },
        { "pmsuspended:disk", 7, 1 }, { "started:recreated", 2, 5 }, { "undefined:removed", 1, 0 },
    };
    static const char *const bad[] = { "", "stoped:shutdown", "stopped:shutdwn", "shutdown:last",
                                       "tcp", "stopped:", ":shutdown", "started:booted:x" };
    int t, dt;
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(ok); i++) {
        if (event_parse(ok[i].name, &t, &dt) != 0)
            fail_msg("%s: %s", ok[i].name, cb_error_last()->message);
        assert_int_equal(t, ok[i].type);
        assert_int_equal(dt, ok[i].detail);
    }
    for (i = 0; i < ARRAY_SIZE(bad); i++)
        if (event_parse(bad[i], &t, &dt) != CB_EINVAL)
            fail_msg("'%s' accepted", bad[i]);
    assert_int_equal(event_parse("stoped", &t, &dt), CB_EINVAL);
    assert_non_null(strstr(cb_error_last()->message, "unknown event type of 'stoped' (types: defined, undefined, started"));
    assert_int_equal(event_parse("stopped:x", &t, &dt), CB_EINVAL);
    assert_non_null(strstr(cb_error_last()->message, "(details: shutdown, destroyed, crashed, migrated, saved, failed, from_snapshot)"));
    assert_string_equal(event_type_name(6), "shutdown");
    assert_string_equal(event_detail_name(6, 1), "guest");
    assert_string_equal(event_detail_name(6, 9), "unknown");
    assert_string_equal(event_type_name(42), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engine),
        cmocka_unit_test(test_vars_of_the_original_example),
        cmocka_unit_test(test_gen),
        cmocka_unit_test(test_cleanup_removes_only_what_gen_wrote),
        cmocka_unit_test(test_event_names),
    };
    return cmocka_run_group_tests_name("templates and event names", tests, NULL, NULL);
}
