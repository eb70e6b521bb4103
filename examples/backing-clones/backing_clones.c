/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * backing-clones: three domains on copy-on-write overlays of one base
 * volume. clone1 changes its disk; the others still see the base's (empty)
 * content; clone1's change survives a reboot; overwriting clone1's disk
 * resets it to the base.
 */
#include <stdbool.h>
#include <string.h>

#include "../common/example.h"

/* True when the domain's console (this boot's) shows TEXT. */
static bool console_shows(cb_domain *d, const char *text)
{
    FILE *f = fopen(cb_domain_console_log(d), "r");
    char line[512];
    bool found = false;

    while (f && !found && fgets(line, sizeof(line), f))
        found = strstr(line, text) != NULL;
    if (f)
        fclose(f);
    return found;
}

int main(int argc, char **argv)
{
    static const char *const names[] = { "clone1", "clone2", "clone3" };
    const char *reset[] = { "clone1-disk", NULL };
    cb_boot_options overwrite = CB_BOOT_OPTIONS_INIT;
    cb_testbed *tb = NULL;
    cb_domain *clone1;
    size_t i;
    int status = 0;

    TRY(example_open(&tb, argc, argv));
    TRY((clone1 = cb_testbed_domain(tb, "clone1")) ? 0 : -1);
    for (i = 0; i < 3; i++)
        TRY(cb_domain_boot(cb_testbed_domain(tb, names[i]), NULL));
    for (i = 0; i < 3; i++)
        TRY(cb_domain_wait_console(cb_testbed_domain(tb, names[i]), "cloubed-guest: ready",
                                   EXAMPLE_TIMEOUT_MS, 0));
    /* ready is printed after the disk is read: the consoles tell it all */
    TRY(console_shows(clone1, "disk vda now says: changed-by-clone1") ? 0 : -1);
    for (i = 1; i < 3; i++)
        if (console_shows(cb_testbed_domain(tb, names[i]), "disk vda says")) {
            fprintf(stderr, "%s sees a change that was clone1's\n", names[i]);
            status = 1;
            goto out;
        }
    printf("backing-clones: clone1 changed its disk, clone2 and clone3 still see the base\n");

    TRY(cb_domain_destroy(clone1, 0));
    TRY(cb_domain_boot(clone1, NULL));
    TRY(cb_domain_wait_console(clone1, "cloubed-guest: disk vda says: changed-by-clone1",
                               EXAMPLE_TIMEOUT_MS, 0));
    printf("backing-clones: clone1's change survived a reboot\n");

    TRY(cb_domain_destroy(clone1, 0));
    overwrite.overwrite_disks = reset;
    TRY(cb_domain_boot(clone1, &overwrite));
    TRY(cb_domain_wait_console(clone1, "cloubed-guest: ready", EXAMPLE_TIMEOUT_MS, 0));
    TRY(console_shows(clone1, "disk vda says") ? -1 : 0);
    printf("backing-clones: overwriting clone1-disk reset it to the base\n");
out:
    return example_finish(tb, status);
}
