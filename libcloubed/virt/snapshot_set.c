/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * snapshot_set.c: the part every testbed snapshot call shares: the name,
 * the description that marks the testbed's snapshots, and the domains of
 * one call (see snapshot.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <libvirt/virterror.h>

#include "util/error.h"
#include "virt/connection.h"
#include "virt/ops.h"
#include "virt/snapshot.h"
#include "virt/xml_read.h"

static const char *const state_names[] = {
    [SNAP_NONE] = "none", [SNAP_RUNNING] = "running", [SNAP_PAUSED] = "paused",
    [SNAP_SHUTOFF] = "shutoff",
};

/* "cloubed:1 testbed=USER:NS_TESTBED ": what every description of the
 * testbed's snapshots starts with. */
static char *marker(const cb_testbed *tb)
{
    return g_strdup_printf("cloubed:1 testbed=%s:%s ", tb->m.user, tb->m.ns_testbed);
}

char *snap_description(const cb_testbed *tb, unsigned k, enum snap_state state)
{
    g_autofree char *m = marker(tb);
    return g_strdup_printf("%sdomains=%u state=%s", m, k, state_names[state]);
}

bool snap_parse(const cb_testbed *tb, const char *xml, enum snap_state *state, unsigned *covers,
                long long *created)
{
    xmlDocPtr doc = xr_parse(xml);
    g_autofree char *m = marker(tb);
    char *desc = doc ? xr_string(doc, "string(/domainsnapshot/description)") : NULL;
    char *when = doc ? xr_string(doc, "string(/domainsnapshot/creationTime)") : NULL;
    char st[16] = "";
    size_t k;
    bool ours = false;

    *state = SNAP_NONE;
    *covers = 0;
    *created = when ? strtoll(when, NULL, 10) : 0;
    if (desc && strncmp(desc, m, strlen(m)) == 0 &&
        sscanf(desc + strlen(m), "domains=%u state=%15s", covers, st) == 2 && *covers > 0) {
        for (k = SNAP_RUNNING; k < G_N_ELEMENTS(state_names); k++)
            if (strcmp(st, state_names[k]) == 0)
                *state = (enum snap_state)k;
        ours = *state != SNAP_NONE;
    }
    free(desc);
    free(when);
    xmlFreeDoc(doc);
    return ours;
}

/* S's domain I: the testbed's snapshot NAME, if any. */
static int find_snapshot(struct snap_run *s, size_t i)
{
    struct snap_dom *x = &s->v[i];
    const cb_domain *d = s->r.res->v[i].d;
    virDomainSnapshotPtr snap = virDomainSnapshotLookupByName(x->dom, s->name, 0);
    long long created;
    char *xml;

    if (!snap) {
        if (lv_last_code() == VIR_ERR_NO_DOMAIN_SNAPSHOT) {
            virResetLastError();
            return 0;
        }
        return lv_fail("cannot look up snapshot %s of domain %s", s->name, d->name);
    }
    if (!(xml = virDomainSnapshotGetXMLDesc(snap, 0))) {
        virDomainSnapshotFree(snap);
        return lv_fail("cannot read snapshot %s of domain %s", s->name, d->name);
    }
    if (snap_parse(s->r.tb, xml, &x->state, &x->covers, &created)) {
        x->snap = snap;
        s->found++;
    } else {
        virDomainSnapshotFree(snap);
    }
    free(xml);
    return 0;
}

int snap_run_init(struct snap_run *s, cb_testbed *tb, const char *name, bool find)
{
    size_t i;
    int rc;

    memset(s, 0, sizeof(*s));
    s->name = name;
    if (!name_is_valid(name))
        return err_set(CB_EINVAL, "snapshot name '%s' is not valid: use at most %d letters, "
                                  "digits, '.', '_' or '-', starting with a letter or a digit",
                       name, NAME_MAX_LEN);
    if ((rc = pid_check(tb->opt.pid)) < 0)
        return rc;
    if ((rc = run_init(&s->r, tb, NULL, -1, NULL, NULL)) < 0 || (rc = tb_conn(tb, &s->c)) < 0) {
        run_destroy(&s->r);
        return rc;
    }
    s->v = g_new0(struct snap_dom, s->r.res->n ? s->r.res->n : 1);
    for (i = 0; i < s->r.res->n && rc == 0; i++) {
        const cb_domain *d = s->r.res->v[i].d;
        enum owner owner;

        if ((rc = domain_lookup(tb, s->c, d, &s->v[i].dom, &owner)) < 0)
            break;
        if (owner == OWNER_OTHER)
            rc = owner_conflict(tb, "domain", d->libvirt_name);
        else if (s->v[i].dom)
            s->defined++;
        if (rc == 0 && s->v[i].dom && find)
            rc = find_snapshot(s, i);
    }
    if (rc < 0)
        snap_run_destroy(s);
    return rc;
}

void snap_run_destroy(struct snap_run *s)
{
    size_t i;

    for (i = 0; s->v && i < s->r.res->n; i++) {
        if (s->v[i].snap)
            virDomainSnapshotFree(s->v[i].snap);
        if (s->v[i].dom)
            virDomainFree(s->v[i].dom);
    }
    g_free(s->v);
    s->v = NULL;
    run_destroy(&s->r);
}

int snap_list_domain(cb_testbed *tb, virDomainPtr dom, const char *domain_name, char ***names,
                     long long **times)
{
    virDomainSnapshotPtr *snaps = NULL;
    int n = virDomainListAllSnapshots(dom, &snaps, 0), k, kept = 0;

    *names = NULL;
    *times = NULL;
    if (n < 0)
        return lv_fail("cannot list the snapshots of domain %s", domain_name);
    *names = g_new0(char *, (size_t)n + 1);
    *times = g_new0(long long, (size_t)n + 1);
    for (k = 0; k < n; k++) {
        char *xml = virDomainSnapshotGetXMLDesc(snaps[k], 0);
        enum snap_state st;
        unsigned covers;

        /* a snapshot deleted meanwhile is simply not listed */
        if (xml && snap_parse(tb, xml, &st, &covers, &(*times)[kept]))
            (*names)[kept++] = g_strdup(virDomainSnapshotGetName(snaps[k]));
        free(xml);
        virDomainSnapshotFree(snaps[k]);
    }
    free(snaps);
    virResetLastError();
    return 0;
}
