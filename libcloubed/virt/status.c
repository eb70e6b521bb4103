/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * status.c: the state of every resource of the testbed, as the original's
 * text or as JSON (docs/status-json.md).
 */
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "virt/connection.h"
#include "util/error.h"
#include "util/ipv4.h"
#include "virt/ops.h"
#include "util/util.h"

static const char *const domain_state_names[] = {
    [CB_DOMAIN_STATE_UNDEFINED] = "undefined", [CB_DOMAIN_STATE_UNKNOWN] = "unknown",
    [CB_DOMAIN_STATE_RUNNING] = "running",     [CB_DOMAIN_STATE_BLOCKED] = "blocked",
    [CB_DOMAIN_STATE_PAUSED] = "paused",       [CB_DOMAIN_STATE_SHUTDOWN] = "shutdown",
    [CB_DOMAIN_STATE_SHUTOFF] = "shutoff",     [CB_DOMAIN_STATE_CRASHED] = "crashed",
    [CB_DOMAIN_STATE_PMSUSPENDED] = "suspended",
};

const char *cb_domain_state_name(cb_domain_state state)
{
    if ((unsigned)state >= ARRAY_SIZE(domain_state_names))
        return "unknown";
    return domain_state_names[state];
}

static int domain_state(cb_testbed *tb, virConnectPtr c, const cb_domain *d,
                        cb_domain_state *state, char **console, char **port)
{
    virDomainPtr dom;
    enum owner owner;
    int rc = domain_lookup(tb, c, d, &dom, &owner), st, reason;

    *state = CB_DOMAIN_STATE_UNDEFINED;
    if (rc < 0 || !dom)
        return rc;
    if (virDomainGetState(dom, &st, &reason, 0) < 0) {
        rc = lv_fail("cannot read the state of domain %s", d->name);
    } else {
        *state = st >= VIR_DOMAIN_NOSTATE && st <= VIR_DOMAIN_PMSUSPENDED
                     ? (cb_domain_state)(st + CB_DOMAIN_STATE_UNKNOWN) : CB_DOMAIN_STATE_UNKNOWN;
        if (console)
            domain_console(dom, console, port);
    }
    virDomainFree(dom);
    return rc;
}

int cb_domain_get_state(cb_domain *d, cb_domain_state *state)
{
    virConnectPtr c;
    int rc;

    if (!d)
        return ARG_FAIL(d);
    if (!state)
        return ARG_FAIL(state);
    if ((rc = tb_conn(d->tb, &c)) < 0)
        return rc;
    return domain_state(d->tb, c, d, state, NULL, NULL);
}

/* What status shows of one resource: its state and up to three facts. */
struct row {
    const char *name;
    const char *libvirt_name;
    const char *status;
    char *path, *bridge, *console, *port;
    bool has_size;
    unsigned long long capacity, allocation; /* bytes */
    const cb_network *net;
};

static void row_free(struct row *r)
{
    free(r->path);
    free(r->bridge);
    free(r->console);
    free(r->port);
}

static const char *const pool_states[] = { "inactive", "initializing", "active", "degraded",
                                           "inaccessible" };

static void pool_row(virConnectPtr c, const cb_storage_pool *p, struct row *r)
{
    virStoragePoolPtr pool;
    virStoragePoolInfo info;
    bool ours;

    r->status = "undefined";
    if (pool_find(c, p, &pool, &ours) < 0 || !pool)
        return;
    if (virStoragePoolGetInfo(pool, &info) == 0 && (size_t)info.state < ARRAY_SIZE(pool_states))
        r->status = pool_states[info.state];
    r->path = strdup(p->path);
    virStoragePoolFree(pool);
}

static void volume_row(virConnectPtr c, const cb_storage_volume *v, struct row *r)
{
    virStoragePoolPtr pool;
    virStorageVolPtr vol;
    virStorageVolInfo info;
    bool ours;

    r->status = "-";
    if (pool_find(c, v->pool, &pool, &ours) < 0 || !pool)
        return;
    r->status = "undefined";
    if (virStoragePoolIsActive(pool) == 1 && (vol = virStorageVolLookupByName(pool, v->libvirt_name))) {
        r->status = "active";
        /* the volume's own path, not its backing file's (the original's bug) */
        r->path = virStorageVolGetPath(vol);
        if (virStorageVolGetInfo(vol, &info) == 0) {
            r->has_size = true;
            r->capacity = info.capacity;
            r->allocation = info.allocation;
        }
        virStorageVolFree(vol);
    }
    virStoragePoolFree(pool);
}

static void network_row(cb_testbed *tb, virConnectPtr c, const cb_network *n, struct row *r)
{
    virNetworkPtr net;
    enum owner owner;

    r->status = "undefined";
    r->net = n;
    if (network_lookup(tb, c, n, &net, &owner) < 0 || !net)
        return;
    r->status = virNetworkIsActive(net) == 1 ? "active" : "inactive";
    r->bridge = virNetworkGetBridgeName(net);
    virNetworkFree(net);
}

static void text_kv(struct strbuf *b, const char *key, const char *value)
{
    sb_appendf(b, "    - %-10s: %-10s\n", key, value);
}

static void render_text(struct strbuf *b, struct row *rows[4], const size_t n[4])
{
    static const char *const headers[] = { "storage pools", "storage volumes", "networks",
                                           "domains" };
    char ip[IPV4_STRLEN], mask[IPV4_STRLEN];
    size_t k, i;

    for (k = 0; k < 4; k++) {
        sb_appendf(b, "%s:\n", headers[k]);
        for (i = 0; i < n[k]; i++) {
            struct row *r = &rows[k][i];
            sb_appendf(b, "  - %s\n", r->name);
            if (k == 0 || k == 3) {
                text_kv(b, "status", r->status);
                if (r->path)
                    text_kv(b, "path", r->path);
                if (r->console && r->port) {
                    text_kv(b, "console", r->console);
                    text_kv(b, "port", r->port);
                }
                continue;
            }
            sb_appendf(b, "    - status    : %s\n", r->status);
            if (r->path)
                sb_appendf(b, "    - path      : %s\n", r->path);
            if (r->has_size)
                sb_appendf(b, "    - size      : %.2f/%.2fGB\n", r->allocation / 1073741824.0,
                           r->capacity / 1073741824.0);
            if (r->bridge)
                sb_appendf(b, "    - bridge    : %s\n", r->bridge);
            if (r->net && r->net->has_ip) {
                ipv4_format(r->net->ip, ip);
                ipv4_format(ipv4_mask(r->net->prefix), mask);
                sb_appendf(b, "    - ip        : %s/%s\n", ip, mask);
            }
        }
    }
}

static void json_field(struct strbuf *b, const char *key, const char *value)
{
    sb_appendf(b, ", \"%s\": ", key);
    sb_json_string(b, value);
}

static void render_json(struct strbuf *b, const cb_testbed *tb, struct row *rows[4],
                        const size_t n[4])
{
    static const char *const keys[] = { "storagepools", "storagevolumes", "networks", "domains" };
    char ip[IPV4_STRLEN];
    size_t k, i;

    sb_append(b, "{\"version\": 1, \"testbed\": ");
    sb_json_string(b, tb->m.name);
    sb_append(b, ", \"user\": ");
    sb_json_string(b, tb->m.user);
    sb_append(b, ", \"uri\": ");
    sb_json_string(b, tb->rt.uri);
    for (k = 0; k < 4; k++) {
        sb_appendf(b, ",\n \"%s\": [", keys[k]);
        for (i = 0; i < n[k]; i++) {
            struct row *r = &rows[k][i];
            sb_append(b, i ? ",\n  {\"name\": " : "\n  {\"name\": ");
            sb_json_string(b, r->name);
            json_field(b, "libvirt_name", r->libvirt_name);
            json_field(b, "status", r->status);
            if (k == 0 || k == 1)
                json_field(b, "path", r->path);
            if (k == 1) {
                if (r->has_size)
                    sb_appendf(b, ", \"capacity\": %llu, \"allocation\": %llu", r->capacity,
                               r->allocation);
                else
                    sb_append(b, ", \"capacity\": null, \"allocation\": null");
            }
            if (k == 2) {
                json_field(b, "bridge", r->bridge);
                if (r->net->has_ip) {
                    ipv4_format(r->net->ip, ip);
                    sb_appendf(b, ", \"address\": \"%s\", \"prefix\": %u", ip, r->net->prefix);
                } else {
                    sb_append(b, ", \"address\": null, \"prefix\": null");
                }
            }
            if (k == 3) {
                json_field(b, "console", r->console);
                if (r->port)
                    sb_appendf(b, ", \"port\": %d", atoi(r->port));
                else
                    sb_append(b, ", \"port\": null");
            }
            sb_append(b, "}");
        }
        sb_append(b, n[k] ? "\n ]" : "]");
    }
    sb_append(b, "\n}\n");
}

int cb_testbed_status(cb_testbed *tb, cb_status_format format, char **out)
{
    struct row *rows[4] = { NULL, NULL, NULL, NULL };
    struct strbuf b = { 0 };
    virConnectPtr c;
    size_t n[4], k, i;
    int rc;

    if (!out)
        return ARG_FAIL(out);
    *out = NULL;
    if (!tb)
        return ARG_FAIL(tb);
    if (format != CB_STATUS_TEXT && format != CB_STATUS_JSON)
        return err_set(CB_EINVAL, "cb_testbed_status: unknown format %d", (int)format);
    if ((rc = tb_conn(tb, &c)) < 0)
        return rc;
    n[0] = tb->m.pools.n;
    n[1] = tb->m.volumes.n;
    n[2] = tb->m.networks.n;
    n[3] = tb->m.domains.n;
    for (k = 0; k < 4; k++)
        if (!(rows[k] = calloc(n[k] + 1, sizeof(struct row)))) {
            rc = err_oom();
            goto out;
        }
    for (i = 0; i < n[0]; i++) {
        rows[0][i].name = tb->m.pools.v[i]->name;
        rows[0][i].libvirt_name = tb->m.pools.v[i]->libvirt_name;
        pool_row(c, tb->m.pools.v[i], &rows[0][i]);
    }
    for (i = 0; i < n[1]; i++) {
        rows[1][i].name = tb->m.volumes.v[i]->name;
        rows[1][i].libvirt_name = tb->m.volumes.v[i]->libvirt_name;
        volume_row(c, tb->m.volumes.v[i], &rows[1][i]);
    }
    for (i = 0; i < n[2]; i++) {
        rows[2][i].name = tb->m.networks.v[i]->name;
        rows[2][i].libvirt_name = tb->m.networks.v[i]->libvirt_name;
        network_row(tb, c, tb->m.networks.v[i], &rows[2][i]);
    }
    for (i = 0; i < n[3]; i++) {
        cb_domain_state st;
        struct row *r = &rows[3][i];
        r->name = tb->m.domains.v[i]->name;
        r->libvirt_name = tb->m.domains.v[i]->libvirt_name;
        if ((rc = domain_state(tb, c, tb->m.domains.v[i], &st, &r->console, &r->port)) < 0)
            goto out;
        r->status = cb_domain_state_name(st);
    }
    virResetLastError();
    if (format == CB_STATUS_TEXT)
        render_text(&b, rows, n);
    else
        render_json(&b, tb, rows, n);
    *out = sb_finish(&b);
    rc = *out ? 0 : CB_ENOMEM;
out:
    for (k = 0; k < 4; k++) {
        for (i = 0; rows[k] && i < n[k]; i++)
            row_free(&rows[k][i]);
        free(rows[k]);
    }
    return rc;
}
