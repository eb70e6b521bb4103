/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * harness: a test suite as a user writes one, with cmocka. The testbed comes
 * up once for the group (in parallel, ready when each guest serves its page
 * and its agent answers) and is snapshotted; every test case starts by
 * reverting to that snapshot, so no case sees what another did, then checks
 * one thing by running commands inside the guests through the QEMU guest
 * agent. Every libcloubed
 * failure fails the test with the library's own message; the testbed is
 * cleaned up whatever happens.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/example.h"

static const char *yaml_path = "cloubed.yaml";

#define SNAPSHOT "clean"
#define SERVER_PAGE "server 10.91.0.10"
/* The client fetches the server's page with busybox nc (its static wget
 * cannot resolve anything); -w bounds the connect when the link is down. */
#define FETCH "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 10.91.0.10 80"

/* Fails the current test with what the library said. */
#define REQUIRE(call)                                                                  \
    do {                                                                               \
        if ((call) < 0)                                                                \
            fail_msg("%s: %s (%s)", #call, cb_error_last()->message,                   \
                     cb_error_code_name(cb_error_last()->code));                       \
    } while (0)

static int group_setup(void **state)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    cb_up_options up = CB_UP_OPTIONS_INIT;
    cb_testbed *tb = NULL;

    opts.log_cb = example_log;
    /* Ready when each guest serves its page: the network is up then. The
     * tiny guest starts its agent before DHCP, so the agent alone is not
     * enough; it is waited for too, so that the snapshot holds it running. */
    up.ready = "tcp:80";
    up.timeout_ms = EXAMPLE_TIMEOUT_MS;
    if (cb_testbed_open(&tb, yaml_path, &opts) < 0 ||
        cb_testbed_up(NULL, tb, &up) < 0 ||
        cb_domain_wait_agent(cb_testbed_domain(tb, "server"), EXAMPLE_TIMEOUT_MS, 0) < 0 ||
        cb_domain_wait_agent(cb_testbed_domain(tb, "client"), EXAMPLE_TIMEOUT_MS, 0) < 0 ||
        cb_testbed_snapshot_create(tb, SNAPSHOT, 0) < 0) {
        fprintf(stderr, "setup: %s\n", cb_error_last()->message);
        if (tb)
            cb_testbed_cleanup(tb, 0);
        cb_testbed_free(tb);
        return -1;
    }
    *state = tb;
    return 0;
}

static int group_teardown(void **state)
{
    cb_testbed *tb = *state;
    int rc = cb_testbed_cleanup(tb, 0);   /* the snapshot goes with the domains */

    if (rc < 0)
        fprintf(stderr, "teardown: %s\n", cb_error_last()->message);
    cb_testbed_free(tb);
    return rc < 0 ? -1 : 0;
}

/* Every case starts from the snapshot: both guests running, as they were,
 * and ready as up left them: each agent answers (the revert set each
 * guest's clock to the host's through it) and each guest's page answers
 * the host across the network's bridge (the revert started new QEMU
 * processes, whose interfaces join the bridge anew). */
static void revert(cb_testbed *tb)
{
    static const char *const names[] = { "server", "client" };
    size_t i;

    REQUIRE(cb_testbed_snapshot_revert(tb, SNAPSHOT, CB_SNAPSHOT_REVERT_SYNC_CLOCK));
    for (i = 0; i < 2; i++) {
        REQUIRE(cb_domain_wait_agent(cb_testbed_domain(tb, names[i]), EXAMPLE_TIMEOUT_MS, 0));
        REQUIRE(cb_domain_wait_tcp(cb_testbed_domain(tb, names[i]), 80, EXAMPLE_TIMEOUT_MS, 0));
    }
}

static int case_setup(void **state)
{
    revert(*state);
    return 0;
}

/* Runs COMMAND in D with /bin/sh; returns its exit status, and its stdout
 * in *out (free()d by the caller) when OUT is not NULL. What the command
 * said on stderr is shown, to explain a failing check. */
static int sh(cb_domain *d, const char *command, char **out)
{
    cb_exec_options opts = CB_EXEC_OPTIONS_INIT;
    cb_exec_result *r = NULL;
    const char *err;
    int status;

    REQUIRE(cb_domain_exec_shell(&r, d, command, &opts));
    status = cb_exec_result_exit_status(r);
    if (*(err = cb_exec_result_stderr(r, NULL)))
        fprintf(stderr, "  %s: %s: exit %d: %s", cb_domain_name(d), command, status, err);
    if (out)
        *out = strdup(cb_exec_result_stdout(r, NULL));
    cb_exec_result_free(r);
    return status;
}

static void test_client_fetches_server_page(void **state)
{
    char *page = NULL;

    assert_int_equal(sh(cb_testbed_domain(*state, "client"), FETCH, &page), 0);
    assert_non_null(strstr(page, SERVER_PAGE));
    free(page);
}

static void test_cut_link_fails_the_fetch_until_restored(void **state)
{
    cb_domain *client = cb_testbed_domain(*state, "client");
    char *page = NULL;

    REQUIRE(cb_domain_link_set(client, "lab", 0, 0));
    sh(client, FETCH, &page);
    assert_null(strstr(page, SERVER_PAGE));
    free(page);

    REQUIRE(cb_domain_link_set(client, "lab", 1, 0));
    assert_int_equal(sh(client, FETCH, &page), 0);
    assert_non_null(strstr(page, SERVER_PAGE));
    free(page);
}

static void test_files_go_in_and_come_back(void **state)
{
    static const char text[] = "written by the harness\n";
    cb_domain *server = cb_testbed_domain(*state, "server");
    void *data = NULL;
    size_t len = 0;

    REQUIRE(cb_domain_file_write(server, "/tmp/from-harness", text, sizeof text - 1, 0));
    REQUIRE(cb_domain_file_read(&data, &len, server, "/tmp/from-harness", 4096, 0));
    assert_int_equal(len, sizeof text - 1);
    assert_memory_equal(data, text, len);
    free(data);
}

static void test_revert_undoes_what_a_case_did(void **state)
{
    cb_domain *server = cb_testbed_domain(*state, "server");

    assert_int_equal(sh(server, "echo changed > /tmp/mark && test -e /tmp/mark", NULL), 0);
    revert(*state);
    assert_int_not_equal(sh(server, "test -e /tmp/mark", NULL), 0);
}

static void test_status_shows_both_running(void **state)
{
    char *json = NULL;

    REQUIRE(cb_testbed_status(&json, *state, CB_STATUS_JSON, 0));
    assert_non_null(strstr(json, "\"name\" : \"server\",\n      \"libvirt_name\""));
    assert_non_null(strstr(json, "\"status\" : \"running\""));
    free(json);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_client_fetches_server_page, case_setup),
        cmocka_unit_test_setup(test_cut_link_fails_the_fetch_until_restored, case_setup),
        cmocka_unit_test_setup(test_files_go_in_and_come_back, case_setup),
        cmocka_unit_test_setup(test_revert_undoes_what_a_case_did, case_setup),
        cmocka_unit_test_setup(test_status_shows_both_running, case_setup),
    };

    if (argc > 1)
        yaml_path = argv[1];
    return cmocka_run_group_tests_name("client/server harness", tests, group_setup, group_teardown);
}
