/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * version.c: the run-time version.
 */
#include <cloubed/common.h>

const char *cb_version(void)
{
    return CB_VERSION;
}
