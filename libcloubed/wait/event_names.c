/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * event_names.c: libvirt 9.0's domain lifecycle events by name.
 *
 * The original tool's table stopped at libvirt 0.9 (SHUTDOWN_GUEST shown as
 * SHUTDOWN_LAST, no CRASHED type); this one follows virDomainEventType and
 * its detail enums as of libvirt 9.0, index for index.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libvirt/libvirt.h>

#include "util/error.h"
#include "wait/event_names.h"

static const char *const defined_d[] = { "added", "updated", "renamed", "from_snapshot", NULL };
static const char *const undefined_d[] = { "removed", "renamed", NULL };
static const char *const started_d[] = { "booted", "migrated", "restored", "from_snapshot",
                                         "wakeup", "recreated", NULL };
static const char *const suspended_d[] = { "paused", "migrated", "ioerror", "watchdog",
                                           "restored", "from_snapshot", "api_error", "postcopy",
                                           "postcopy_failed", NULL };
static const char *const resumed_d[] = { "unpaused", "migrated", "from_snapshot", "postcopy",
                                         "postcopy_failed", NULL };
static const char *const stopped_d[] = { "shutdown", "destroyed", "crashed", "migrated", "saved",
                                         "failed", "from_snapshot", NULL };
static const char *const shutdown_d[] = { "finished", "guest", "host", NULL };
static const char *const pmsuspended_d[] = { "memory", "disk", NULL };
static const char *const crashed_d[] = { "panicked", "crashloaded", NULL };

static const struct {
    const char *name;
    const char *const *details;
} types[] = {
    [VIR_DOMAIN_EVENT_DEFINED] = { "defined", defined_d },
    [VIR_DOMAIN_EVENT_UNDEFINED] = { "undefined", undefined_d },
    [VIR_DOMAIN_EVENT_STARTED] = { "started", started_d },
    [VIR_DOMAIN_EVENT_SUSPENDED] = { "suspended", suspended_d },
    [VIR_DOMAIN_EVENT_RESUMED] = { "resumed", resumed_d },
    [VIR_DOMAIN_EVENT_STOPPED] = { "stopped", stopped_d },
    [VIR_DOMAIN_EVENT_SHUTDOWN] = { "shutdown", shutdown_d },
    [VIR_DOMAIN_EVENT_PMSUSPENDED] = { "pmsuspended", pmsuspended_d },
    [VIR_DOMAIN_EVENT_CRASHED] = { "crashed", crashed_d },
};
#define NTYPES ((int)(sizeof(types) / sizeof(types[0])))

const char *event_type_name(int type)
{
    return type >= 0 && type < NTYPES ? types[type].name : "unknown";
}

const char *event_detail_name(int type, int detail)
{
    int i;

    if (type < 0 || type >= NTYPES || detail < 0)
        return "unknown";
    for (i = 0; types[type].details[i]; i++)
        if (i == detail)
            return types[type].details[i];
    return "unknown";
}

static int unknown(const char *name, const char *what, int type)
{
    char list[512] = "", shown[65];
    size_t used = 0;
    int i;

    /* the name is the caller's text: quoted cut and on one line */
    for (i = 0; i < 64 && name[i]; i++)
        shown[i] = (unsigned char)name[i] < 0x20 || name[i] == 0x7f ? '?' : name[i];
    shown[i] = '\0';

    if (type < 0) {
        for (i = 0; i < NTYPES; i++)
            used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
                                     types[i].name);
    } else {
        for (i = 0; types[type].details[i]; i++)
            used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
                                     types[type].details[i]);
    }
    return err_set(CB_EINVAL, "unknown event %s '%s%s' (%s: %s)", what, shown,
                   strlen(name) > 64 ? "\u2026" : "", type < 0 ? "types" : "details", list);
}

int event_parse(const char *name, int *type, int *detail)
{
    const char *colon = name ? strchr(name, ':') : NULL;
    size_t tlen;
    int t, i;

    if (!name)
        return err_set(CB_EINVAL, "the event name must not be NULL");
    tlen = colon ? (size_t)(colon - name) : strlen(name);
    for (t = 0; t < NTYPES; t++)
        if (strlen(types[t].name) == tlen && strncasecmp(types[t].name, name, tlen) == 0)
            break;
    if (t == NTYPES)
        return unknown(name, "type of", -1);
    *type = t;
    *detail = EVENT_ANY_DETAIL;
    if (!colon)
        return 0;
    for (i = 0; types[t].details[i]; i++)
        if (strcasecmp(types[t].details[i], colon + 1) == 0) {
            *detail = i;
            return 0;
        }
    return unknown(name, "detail of", t);
}
