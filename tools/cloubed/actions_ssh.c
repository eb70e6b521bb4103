/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * actions_ssh.c: `cloubed ssh --domain D [--user U] [-- COMMAND...]`: the
 * system's ssh, with the testbed's key, its own known_hosts, the cloud-init
 * user and the guest's address.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "actions.h"

/* The first known address of D's netifs, to free(); NULL with a message. */
static char *guest_address(cb_domain *d)
{
    cb_addresses *addrs = NULL;
    char *ip = NULL;
    size_t i;

    if (cb_domain_get_addresses(&addrs, d, 0) < 0) {
        report_error();
        return NULL;
    }
    for (i = 0; i < cb_addresses_count(addrs) && !ip; i++)
        if (cb_addresses_ip(addrs, i))
            ip = strdup(cb_addresses_ip(addrs, i));
    cb_addresses_free(addrs);
    if (!ip)
        fprintf(stderr, "cloubed: error: no address of domain %s is known yet (no static ip, "
                        "and no DHCP lease)\n", cb_domain_name(d));
    return ip;
}

int action_ssh(cb_testbed *tb, const struct cli_args *a)
{
    cb_domain *d = cb_testbed_domain(tb, a->value[OPT_DOMAIN]);
    const char *user;
    char *key = NULL, *ip;
    GPtrArray *argv;
    size_t i;

    if (!d)
        return report_error();
    user = a->value[OPT_USER] ? a->value[OPT_USER] : cb_domain_ssh_user(d);
    if (!user) {
        fprintf(stderr, "cloubed: error: domain %s has no cloud-init user to log in as: give "
                        "--user\n", cb_domain_name(d));
        return 1;
    }
    if (cb_testbed_ssh_key(&key, tb, 0) < 0)
        return report_error();
    if (!(ip = guest_address(d))) {
        free(key);
        return 1;
    }
    argv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(argv, g_strdup("ssh"));
    g_ptr_array_add(argv, g_strdup("-i"));
    g_ptr_array_add(argv, g_strdup(key));
    g_ptr_array_add(argv, g_strdup("-o"));
    g_ptr_array_add(argv, g_strdup("IdentitiesOnly=yes"));
    g_ptr_array_add(argv, g_strdup("-o"));
    g_ptr_array_add(argv, g_strdup("StrictHostKeyChecking=accept-new"));
    /* known_hosts beside the key: the testbed's guests, not the user's */
    g_ptr_array_add(argv, g_strdup("-o"));
    g_ptr_array_add(argv, g_strdup_printf("UserKnownHostsFile=%.*s/known_hosts",
                                          (int)(strrchr(key, '/') - key), key));
    g_ptr_array_add(argv, g_strdup("-l"));
    g_ptr_array_add(argv, g_strdup(user));
    /* "--": the address and the command are never read as ssh options */
    g_ptr_array_add(argv, g_strdup("--"));
    g_ptr_array_add(argv, g_strdup(ip));
    for (i = 0; i < a->rest_n; i++)
        g_ptr_array_add(argv, g_strdup(a->rest[i]));
    g_ptr_array_add(argv, NULL);
    free(key);
    free(ip);
    fflush(NULL);
    execvp("ssh", (char **)argv->pdata);
    fprintf(stderr, "cloubed: error: cannot run ssh: %s%s\n", strerror(errno),
            errno == ENOENT ? " (install openssh-client)" : "");
    g_ptr_array_free(argv, TRUE);
    return 1;
}
