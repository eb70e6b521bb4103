/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * cluster: boot three nodes at once (one thread each), wait until each is
 * ready, then until each has reached its peer, and show what the peers
 * answered, read from the nodes' consoles.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "../common/example.h"

static const struct { const char *node, *peer, *answer; } checks[] = {
    { "node1", "10.95.0.13", "node3 10.95.0.13" },
    { "node2", "10.94.0.11", "node1 10.95.0.11 10.94.0.11" },
    { "node3", "10.95.0.12", "node2 10.95.0.12 10.94.0.12" },
};

static void *boot(void *d)
{
    return (void *)(intptr_t)cb_domain_boot(d, NULL);
}

int main(int argc, char **argv)
{
    cb_testbed *tb = NULL;
    pthread_t threads[3];
    char text[128];
    size_t i;
    int status = 0;

    TRY(example_open(&tb, argc, argv));
    /* Boots of one testbed may run at once: the shared networks are made once. */
    for (i = 0; i < 3; i++)
        pthread_create(&threads[i], NULL, boot, cb_testbed_domain(tb, checks[i].node));
    for (i = 0; i < 3; i++) {
        void *rc;
        pthread_join(threads[i], &rc);
        if ((intptr_t)rc < 0) {
            fprintf(stderr, "boot %s failed\n", checks[i].node);
            status = 1;
        }
    }
    if (status)
        goto out;
    for (i = 0; i < 3; i++) {
        cb_domain *d = cb_testbed_domain(tb, checks[i].node);
        TRY(cb_domain_wait_console(d, "cloubed-guest: ready", EXAMPLE_TIMEOUT_MS, 0));
        snprintf(text, sizeof(text), "cloubed-guest: peer %s says: %s", checks[i].peer, checks[i].answer);
        TRY(cb_domain_wait_console(d, text, EXAMPLE_TIMEOUT_MS, 0));
        printf("cluster: %s reached %s, which answered \"%s\"\n", checks[i].node, checks[i].peer,
               checks[i].answer);
    }
out:
    return example_finish(tb, status);
}
