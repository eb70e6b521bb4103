/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * cluster: boot three nodes at once (one thread each), wait until each is
 * ready, then until each has reached its peer, and show what the peers
 * answered, read from the nodes' consoles.
 *
 *   cluster [cloubed.yaml] [--instance NAME] [--keep | --cleanup]
 *
 * The networks say `address: auto`, so the addresses the nodes answer with
 * are known only once the networks exist: the example asks the library
 * (cb_network_get_address) rather than hard-coding them. With --instance,
 * several clusters run side by side; --keep leaves this one running, and
 * --cleanup only removes it (tests/scripts/run-instances.sh).
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "../common/example.h"

/* Node N (node1..node3) is host .1N on the networks NODE_NETS[N-1], in
 * netif order: its page says its name, then those addresses. */
static const char *const node_nets[3][2] = { { "lan", "storage" }, { "lan", "storage" },
                                             { "lan", NULL } };
/* Who reaches whom (cloubed.yaml's cloubed.peer), and over which network. */
static const struct { unsigned node, peer; const char *net; } checks[] = {
    { 1, 3, "lan" }, { 2, 1, "storage" }, { 3, 2, "lan" },
};

static void *boot(void *d)
{
    return (void *)(intptr_t)cb_domain_boot(d, NULL);
}

/* HOST on network NET of TB, as text: "10.213.0.13". */
static int host_on(char *out, size_t size, cb_testbed *tb, const char *net, unsigned host)
{
    char *cidr = NULL, *dot;
    int rc = cb_network_get_address(&cidr, cb_testbed_network(tb, net), 0);

    if (rc < 0)
        return rc;
    if ((dot = strrchr(cidr, '.')))
        *dot = '\0';
    snprintf(out, size, "%s.%u", cidr, host);
    free(cidr);
    return 0;
}

int main(int argc, char **argv)
{
    cb_testbed *tb = NULL;
    pthread_t threads[3];
    char text[256], node[16], peer[32], answer[128], a[32];
    size_t i, k;
    int status = 0;

    TRY(example_open(&tb, argc, argv));
    if (example_cleanup_only)
        goto out;
    /* Boots of one testbed may run at once: the shared networks are made once. */
    for (i = 0; i < 3; i++) {
        snprintf(node, sizeof(node), "node%zu", i + 1);
        pthread_create(&threads[i], NULL, boot, cb_testbed_domain(tb, node));
    }
    for (i = 0; i < 3; i++) {
        void *rc;
        pthread_join(threads[i], &rc);
        if ((intptr_t)rc < 0) {
            fprintf(stderr, "boot node%zu failed\n", i + 1);
            status = 1;
        }
    }
    if (status)
        goto out;
    for (i = 0; i < 3; i++) {
        unsigned p = checks[i].peer;
        cb_domain *d;
        snprintf(node, sizeof(node), "node%u", checks[i].node);
        d = cb_testbed_domain(tb, node);
        TRY(host_on(peer, sizeof(peer), tb, checks[i].net, 10 + p));
        snprintf(answer, sizeof(answer), "node%u", p);
        for (k = 0; k < 2 && node_nets[p - 1][k]; k++) {
            TRY(host_on(a, sizeof(a), tb, node_nets[p - 1][k], 10 + p));
            strncat(answer, " ", sizeof(answer) - strlen(answer) - 1);
            strncat(answer, a, sizeof(answer) - strlen(answer) - 1);
        }
        TRY(cb_domain_wait_console(d, "cloubed-guest: ready", EXAMPLE_TIMEOUT_MS, 0));
        snprintf(text, sizeof(text), "cloubed-guest: peer %s says: %s", peer, answer);
        TRY(cb_domain_wait_console(d, text, EXAMPLE_TIMEOUT_MS, 0));
        printf("cluster%s%s: %s reached %s, which answered \"%s\"\n",
               cb_testbed_instance(tb) ? " " : "",
               cb_testbed_instance(tb) ? cb_testbed_instance(tb) : "", node, peer, answer);
    }
out:
    return example_finish(tb, status);
}
