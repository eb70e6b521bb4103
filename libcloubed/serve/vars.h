/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * vars.h: a variable list built by hand (internal): what the template
 * engine's fuzz target renders with, without a testbed.
 */
#ifndef CB_INTERNAL_VARS_H
#define CB_INTERNAL_VARS_H

#include <cloubed/templates.h>

/* An empty list; freed with cb_vars_free(). Returns 0 or CB_ENOMEM. */
int vars_new(cb_vars **out);
/* Sets KEY to VALUE (a later value replaces an earlier one). */
int vars_set(cb_vars *v, const char *key, const char *value);

#endif
