/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * e2e_guest.h: what the end-to-end tests need before they start.
 */
#ifndef CB_TEST_E2E_GUEST_H
#define CB_TEST_E2E_GUEST_H

#include <stdbool.h>

/* Whether this runs in CI (CI set and not "false"): there, a missing daemon
 * or guest fails instead of skipping. */
bool e2e_in_ci(void);

/* The tiny guest's directory ($CB_GUEST_DIR, else /var/lib/cloubed/guest)
 * once its kernel is there and a daemon answers at URI. Otherwise prints
 * why and returns NULL with *status the test's exit status: 1 in CI, 77
 * (skipped) outside. */
const char *e2e_guest(const char *uri, int *status);

/* The first lines of a domain on the tiny guest in a testbed's YAML: name
 * N, one CPU, MEM of memory, no graphics, the guest's kernel and initrd
 * (@GUEST@ is to be replaced by the directory e2e_guest() returns). */
#define E2E_TINY_DOMAIN(n, mem)        \
    "  - name: " n "\n"               \
    "    cpu: 1\n"                     \
    "    memory: " mem "\n"            \
    "    graphics: none\n"             \
    "    kernel: @GUEST@/vmlinuz\n"    \
    "    initrd: @GUEST@/initrd.img\n"

#endif
