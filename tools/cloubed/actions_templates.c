/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * actions_templates.c: the vars and gen actions.
 */
#include <stdio.h>

#include "actions.h"

int action_vars(cb_testbed *tb, const struct cli_args *a)
{
    cb_domain *d = cb_testbed_domain(tb, a->value[OPT_DOMAIN]);
    cb_vars *vars = NULL;
    size_t i;

    if (!d || cb_domain_vars(&vars, d, 0) < 0)
        return report_error();
    for (i = 0; i < cb_vars_count(vars); i++)
        printf("%s: %s\n", cb_vars_key(vars, i), cb_vars_value(vars, i));
    cb_vars_free(vars);
    return 0;
}

int action_gen(cb_testbed *tb, const struct cli_args *a)
{
    cb_domain *d = cb_testbed_domain(tb, a->value[OPT_DOMAIN]);

    if (!d || cb_domain_gen(d, a->value[OPT_FILENAME], 0) < 0)
        return report_error();
    return 0;
}
