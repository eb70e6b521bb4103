/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * harness: a test suite as a user writes one, with cmocka: the testbed is
 * booted once for the group, every test checks one thing across the two
 * guests, and every libcloubed failure fails the test with the library's
 * own message. The testbed is cleaned up whatever happens.
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
    cb_testbed *tb = NULL;

    opts.log_cb = example_log;
    if (cb_testbed_open(&tb, yaml_path, &opts) < 0 ||
        cb_domain_boot(cb_testbed_domain(tb, "server"), NULL) < 0 ||
        cb_domain_boot(cb_testbed_domain(tb, "client"), NULL) < 0) {
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
    int rc = cb_testbed_cleanup(tb, 0);

    if (rc < 0)
        fprintf(stderr, "teardown: %s\n", cb_error_last()->message);
    cb_testbed_free(tb);
    return rc < 0 ? -1 : 0;
}

static void test_server_answers(void **state)
{
    cb_domain *server = cb_testbed_domain(*state, "server");

    REQUIRE(cb_domain_wait_tcp(server, 80, EXAMPLE_TIMEOUT_MS, 0));
}

static void test_client_reaches_server(void **state)
{
    cb_domain *client = cb_testbed_domain(*state, "client");

    REQUIRE(cb_domain_wait_console(client, "cloubed-guest: peer 10.91.0.10 says: server 10.91.0.10",
                                   EXAMPLE_TIMEOUT_MS, 0));
}

static void test_server_comes_back_after_reboot(void **state)
{
    cb_domain *server = cb_testbed_domain(*state, "server");

    REQUIRE(cb_domain_wait_console(server, "cloubed-guest: ready", EXAMPLE_TIMEOUT_MS, 0));
    REQUIRE(cb_domain_reboot(server, 0));
    /* the next readiness line is the rebooted system's */
    REQUIRE(cb_domain_wait_console(server, "cloubed-guest: ready", EXAMPLE_TIMEOUT_MS, 0));
    REQUIRE(cb_domain_wait_tcp(server, 80, EXAMPLE_TIMEOUT_MS, 0));
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
        cmocka_unit_test(test_server_answers),
        cmocka_unit_test(test_client_reaches_server),
        cmocka_unit_test(test_server_comes_back_after_reboot),
        cmocka_unit_test(test_status_shows_both_running),
    };

    if (argc > 1)
        yaml_path = argv[1];
    return cmocka_run_group_tests_name("client/server harness", tests, group_setup, group_teardown);
}
