/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * actions_snapshot.c: the testbed's snapshots (snapshot, revert, snapshots,
 * snapshot-delete) and link faults (link).
 */
#include <stdio.h>
#include <string.h>

#include "actions.h"

int action_snapshot(cb_testbed *tb, const struct cli_args *a)
{
    const char *name = a->value[OPT_NAME];
    cb_snapshots *l = NULL;
    size_t i;
    int rc;

    switch (a->action) {
    case ACT_SNAPSHOT: rc = cb_testbed_snapshot_create(tb, name, 0); break;
    case ACT_REVERT:
        rc = cb_testbed_snapshot_revert(tb, name, a->given[OPT_SYNC_CLOCK]
                                                      ? CB_SNAPSHOT_REVERT_SYNC_CLOCK : 0);
        break;
    case ACT_SNAPSHOT_DELETE: rc = cb_testbed_snapshot_delete(tb, name, 0); break;
    default:
        if ((rc = cb_testbed_snapshot_list(&l, tb, 0)) < 0)
            break;
        for (i = 0; i < cb_snapshots_count(l); i++)
            puts(cb_snapshots_name(l, i));
        cb_snapshots_free(l);
    }
    return rc < 0 ? report_error() : 0;
}

int action_link(cb_testbed *tb, const struct cli_args *a)
{
    cb_domain *d = cb_testbed_domain(tb, a->value[OPT_DOMAIN]);

    if (!d)
        return report_error();
    return cb_domain_link_set(d, a->value[OPT_NETWORK], strcmp(a->link_state, "up") == 0, 0) < 0
               ? report_error() : 0;
}
