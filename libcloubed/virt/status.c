/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * status.c: the state of every resource of the testbed, as the original's
 * text or as JSON (docs/status-json.md).
 */
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>
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

int cb_domain_get_state(cb_domain_state *state, cb_domain *d, unsigned int flags)
{
    virConnectPtr c;
    int rc;

    if (!state)
        return ARG_FAIL(state);
    *state = CB_DOMAIN_STATE_UNDEFINED;
    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
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
    struct net_addr addr;   /* the network's run-time address, if known */
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
    /* Fixed: the file's. Auto: what was taken, by this process or another;
     * unknown while the network is not created (not an error here). */
    if (tb_network_address(&r->addr, tb, n) < 0)
        memset(&r->addr, 0, sizeof(r->addr));
    if (network_lookup(tb, c, n, &net, &owner) < 0 || !net)
        return;
    r->status = virNetworkIsActive(net) == 1 ? "active" : "inactive";
    r->bridge = virNetworkGetBridgeName(net);
    virNetworkFree(net);
}

static void text_kv(GString *b, const char *key, const char *value)
{
    g_string_append_printf(b, "    - %-10s: %-10s\n", key, value);
}

static void render_text(GString *b, struct row *rows[4], const size_t n[4])
{
    static const char *const headers[] = { "storage pools", "storage volumes", "networks",
                                           "domains" };
    char ip[IPV4_STRLEN], mask[IPV4_STRLEN];
    size_t k, i;

    for (k = 0; k < 4; k++) {
        g_string_append_printf(b, "%s:\n", headers[k]);
        for (i = 0; i < n[k]; i++) {
            struct row *r = &rows[k][i];
            g_string_append_printf(b, "  - %s\n", r->name);
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
            g_string_append_printf(b, "    - status    : %s\n", r->status);
            if (r->path)
                g_string_append_printf(b, "    - path      : %s\n", r->path);
            if (r->has_size)
                g_string_append_printf(b, "    - size      : %.2f/%.2fGB\n",
                                       r->allocation / 1073741824.0, r->capacity / 1073741824.0);
            if (r->bridge)
                g_string_append_printf(b, "    - bridge    : %s\n", r->bridge);
            if (r->net && r->addr.known) {
                ipv4_format(r->addr.ip, ip);
                ipv4_format(ipv4_mask(r->addr.prefix), mask);
                g_string_append_printf(b, "    - ip        : %s/%s\n", ip, mask);
            }
            /* not in the original, which had no `address: auto` */
            if (r->net && r->net->addr_auto && r->addr.known)
                g_string_append_printf(b, "    - address   : %s/%u (auto)\n", ip, r->addr.prefix);
            else if (r->net && r->net->addr_auto)
                g_string_append_printf(b, "    - address   : auto, chosen at creation\n");
        }
    }
}

/* A string member, or null when VALUE is NULL. */
static void json_string(JsonBuilder *j, const char *key, const char *value)
{
    json_builder_set_member_name(j, key);
    if (value)
        json_builder_add_string_value(j, value);
    else
        json_builder_add_null_value(j);
}

/* An integer member, or null when HAS is false. */
static void json_int(JsonBuilder *j, const char *key, bool has, gint64 value)
{
    json_builder_set_member_name(j, key);
    if (has)
        json_builder_add_int_value(j, value);
    else
        json_builder_add_null_value(j);
}

/* docs/status-json.md: fields in this order, only ever added to. */
static char *render_json(const cb_testbed *tb, struct row *rows[4], const size_t n[4])
{
    static const char *const keys[] = { "storagepools", "storagevolumes", "networks", "domains" };
    g_autoptr(JsonBuilder) j = json_builder_new();
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *text = NULL;
    char ip[IPV4_STRLEN];
    size_t k, i;

    json_builder_begin_object(j);
    json_int(j, "version", true, 1);
    json_string(j, "testbed", tb->m.name);
    json_string(j, "user", tb->m.user);
    json_string(j, "uri", tb->rt.uri);
    json_string(j, "instance", tb->m.instance);
    for (k = 0; k < 4; k++) {
        json_builder_set_member_name(j, keys[k]);
        json_builder_begin_array(j);
        for (i = 0; i < n[k]; i++) {
            const struct row *r = &rows[k][i];
            json_builder_begin_object(j);
            json_string(j, "name", r->name);
            json_string(j, "libvirt_name", r->libvirt_name);
            json_string(j, "status", r->status);
            if (k == 0 || k == 1)
                json_string(j, "path", r->path);
            if (k == 1) {
                json_int(j, "capacity", r->has_size, (gint64)r->capacity);
                json_int(j, "allocation", r->has_size, (gint64)r->allocation);
            }
            if (k == 2) {
                json_string(j, "bridge", r->bridge);
                json_builder_set_member_name(j, "address_auto");
                json_builder_add_boolean_value(j, r->net->addr_auto);
                if (r->addr.known)
                    ipv4_format(r->addr.ip, ip);
                json_string(j, "address", r->addr.known ? ip : NULL);
                json_int(j, "prefix", r->addr.known, r->addr.prefix);
            }
            if (k == 3) {
                json_string(j, "console", r->console);
                json_int(j, "port", r->port != NULL, r->port ? atoi(r->port) : 0);
            }
            json_builder_end_object(j);
        }
        json_builder_end_array(j);
    }
    json_builder_end_object(j);
    root = json_builder_get_root(j);
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, TRUE);
    text = json_generator_to_data(gen, NULL);
    return str_printf("%s\n", text);
}

int cb_testbed_status(char **out, cb_testbed *tb, cb_status_format format, unsigned int flags)
{
    struct row *rows[4] = { NULL, NULL, NULL, NULL };
    GString *b;
    virConnectPtr c;
    size_t n[4], k, i;
    int rc;

    if (!out)
        return ARG_FAIL(out);
    *out = NULL;
    CHECK_FLAGS(flags, 0);
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
    if (format == CB_STATUS_TEXT) {
        b = g_string_new(NULL);
        render_text(b, rows, n);
        *out = gstring_steal(b);
    } else {
        *out = render_json(tb, rows, n);
    }
    rc = *out ? 0 : CB_ENOMEM;
out:
    for (k = 0; k < 4; k++) {
        for (i = 0; rows[k] && i < n[k]; i++)
            row_free(&rows[k][i]);
        free(rows[k]);
    }
    return rc;
}
