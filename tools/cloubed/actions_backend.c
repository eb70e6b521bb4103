/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * actions_backend.c: the actions that drive libvirt (boot, power, status,
 * cleanup).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"

static cb_domain *find_domain(cb_testbed *tb, const struct cli_args *a)
{
    cb_domain *d = cb_testbed_domain(tb, a->value[OPT_DOMAIN]);
    if (!d)
        report_error();
    return d;
}

int action_boot(cb_testbed *tb, const struct cli_args *a)
{
    cb_boot_options opts = CB_BOOT_OPTIONS_INIT;
    cb_domain *d = find_domain(tb, a);

    if (!d)
        return 1;
    if (a->value[OPT_BOOTDEV])
        opts.bootdev = a->value[OPT_BOOTDEV];
    opts.overwrite_all_disks = a->overwrite_disks.all;
    opts.overwrite_disks = a->overwrite_disks.n ? a->overwrite_disks.v : NULL;
    opts.recreate_all_networks = a->recreate_networks.all;
    opts.recreate_networks = a->recreate_networks.n ? a->recreate_networks.v : NULL;
    /* The original's boot starts a running domain again. */
    opts.flags |= CB_BOOT_RESTART;
    return cb_domain_boot(d, &opts) < 0 ? report_error() : 0;
}

int action_power(cb_testbed *tb, const struct cli_args *a)
{
    static const struct {
        enum cli_action act;
        int (*fn)(cb_domain *, unsigned int);
    } ops[] = {
        { ACT_SHUTDOWN, cb_domain_shutdown },  { ACT_DESTROY, cb_domain_destroy },
        { ACT_REBOOT, cb_domain_reboot },      { ACT_RESET, cb_domain_reset },
        { ACT_SUSPEND, cb_domain_pm_suspend }, { ACT_RESUME, cb_domain_pm_wakeup },
        { ACT_PAUSE, cb_domain_pause },        { ACT_UNPAUSE, cb_domain_unpause },
    };
    cb_domain *d = find_domain(tb, a);
    size_t i;

    if (!d)
        return 1;
    for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (ops[i].act != a->action)
            continue;
        if (ops[i].fn(d, 0) == 0)
            return 0;
        /* The original's destroy removes a domain that is already stopped
         * (cb_domain_cleanup warns "undefining domain D"). */
        if (a->action == ACT_DESTROY && cb_error_last()->code == CB_ESTATE)
            return cb_domain_cleanup(d, 0) < 0 ? report_error() : 0;
        /* As the original: a domain that is not booted is only a warning. */
        if (cb_error_last()->code == CB_ENOTFOUND) {
            fprintf(stderr, "cloubed: warning: unable to %s domain %s since not found in "
                            "libvirt\n", cli_action_name(a->action), cb_domain_name(d));
            return 0;
        }
        return report_error();
    }
    return 1;
}

int action_status(cb_testbed *tb, const struct cli_args *a)
{
    char *out = NULL;

    if (cb_testbed_status(&out, tb, a->given[OPT_JSON] ? CB_STATUS_JSON : CB_STATUS_TEXT, 0) < 0)
        return report_error();
    fputs(out, stdout);
    free(out);
    return 0;
}

int action_cleanup(cb_testbed *tb, const struct cli_args *a)
{
    (void)a;
    return cb_testbed_cleanup(tb, 0) < 0 ? report_error() : 0;
}
