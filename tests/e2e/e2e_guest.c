/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * e2e_guest.c: what the end-to-end tests need before they start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "e2e_guest.h"

bool e2e_in_ci(void)
{
    const char *ci = getenv("CI");
    return ci && *ci && strcmp(ci, "false") != 0;
}

const char *e2e_guest(const char *uri, int *status)
{
    const char *dir = getenv("CB_GUEST_DIR") ? getenv("CB_GUEST_DIR") : "/var/lib/cloubed/guest";
    virConnectPtr probe = NULL;
    char *kernel;

    if (asprintf(&kernel, "%s/vmlinuz", dir) < 0) {
        *status = 1;
        return NULL;
    }
    virSetErrorFunc(NULL, NULL);
    if (access(kernel, R_OK) == 0)
        probe = virConnectOpen(uri);
    free(kernel);
    if (!probe) {
        fprintf(stderr, "%s: no libvirt daemon at %s or no guest in %s (run scripts/setup.sh)\n",
                e2e_in_ci() ? "FAIL" : "SKIP", uri, dir);
        *status = e2e_in_ci() ? 1 : 77;
        return NULL;
    }
    virConnectClose(probe);
    return dir;
}
