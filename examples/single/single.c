/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * single: one domain on a NAT network. Boot it, wait until its HTTP port
 * answers, print its address and state, shut it down through ACPI, wait
 * until it is off, clean up.
 */
#include "../common/example.h"

int main(int argc, char **argv)
{
    cb_testbed *tb = NULL;
    cb_domain *web;
    cb_domain_state state;
    cb_addresses *addrs = NULL;
    int status = 0;

    TRY(example_open(&tb, argc, argv));
    web = cb_testbed_domain(tb, "web");
    TRY(web ? 0 : -1);

    TRY(cb_domain_boot(web, NULL));
    TRY(cb_domain_wait_tcp(web, 80, EXAMPLE_TIMEOUT_MS, 0));
    /* One entry per netif; web has one, with a static ip or a lease. */
    TRY(cb_domain_get_addresses(&addrs, web, 0));
    TRY(cb_addresses_count(addrs) > 0 && cb_addresses_ip(addrs, 0) ? 0 : -1);
    TRY(cb_domain_get_state(&state, web, 0));
    printf("single: domain web answers on http://%s/ (network %s) and is %s\n",
           cb_addresses_ip(addrs, 0), cb_addresses_network(addrs, 0), cb_domain_state_name(state));

    TRY(cb_domain_shutdown(web, 0));
    TRY(cb_domain_wait_event(web, "stopped:shutdown", EXAMPLE_TIMEOUT_MS, 0));
    TRY(cb_domain_get_state(&state, web, 0));
    printf("single: after an ACPI shutdown, domain web is %s\n", cb_domain_state_name(state));
out:
    cb_addresses_free(addrs);
    return example_finish(tb, status);
}
