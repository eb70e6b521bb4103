/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * snapshot.h: what the testbed snapshot calls share (internal): the name
 * rule, the description that marks a libvirt snapshot as the testbed's,
 * and one call's set of domains, run on the workers of sched.c.
 */
#ifndef CB_INTERNAL_SNAPSHOT_H
#define CB_INTERNAL_SNAPSHOT_H

#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "testbed.h"
#include "virt/sched.h"

/* What a domain was doing when its snapshot was taken (the description's
 * state=). */
enum snap_state { SNAP_NONE, SNAP_RUNNING, SNAP_PAUSED, SNAP_SHUTOFF };

/* One domain of the call: DOM is NULL when the domain is not defined
 * (left out). */
struct snap_dom {
    virDomainPtr dom;
    virDomainSnapshotPtr snap;   /* the testbed's snapshot of that name, or NULL */
    enum snap_state state;       /* now (create) or at the snapshot (revert) */
    unsigned covers;             /* the description's domains= */
    bool paused;                 /* create: paused by this call */
};

/* One snapshot call. The workers get &r (first member); each touches only
 * its own v[i]. */
struct snap_run {
    struct run r;
    virConnectPtr c;
    const char *name;
    struct snap_dom *v;          /* one per r.res->v[i] (every model domain) */
    size_t defined;              /* how many have a dom */
    size_t found;                /* how many have a snap */
    unsigned int flags;          /* the call's (revert: CB_SNAPSHOT_REVERT_SYNC_CLOCK) */
};

/* Checks NAME (CB_EINVAL) and the fork rule, connects, and looks up every
 * domain of the testbed (a foreign one under its name is CB_ECONFLICT).
 * With FIND, also each domain's snapshot NAME, if the testbed's. On
 * failure the run is destroyed already. */
int snap_run_init(struct snap_run *s, cb_testbed *tb, const char *name, bool find);
void snap_run_destroy(struct snap_run *s);
/* The testbed's snapshots of DOM: names (NULL-terminated, g_strfreev) and
 * their creation times in the same order (g_free). */
int snap_list_domain(cb_testbed *tb, virDomainPtr dom, const char *domain_name, char ***names,
                     long long **times);
/* The description of the testbed's snapshots of K domains, STATE. */
char *snap_description(const cb_testbed *tb, unsigned k, enum snap_state state);
/* Parses a snapshot's XML: true when it is the testbed's; then its state,
 * domains= and creation time. */
bool snap_parse(const cb_testbed *tb, const char *xml, enum snap_state *state, unsigned *covers,
                long long *created);

#endif
