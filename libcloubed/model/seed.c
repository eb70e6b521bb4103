/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * seed.c: the meta-data, user-data and network-config of a domain's
 * cloud-init NoCloud seed (rules in seed.h).
 */
#include <string.h>

#include "model/seed.h"
#include "model/yaml_doc.h"
#include "model/yaml_emit.h"
#include "util/error.h"
#include "util/ipv4.h"
#include "util/util.h"

/* The section's keys, then the testbed's own, as one NULL-terminated list
 * of borrowed strings. */
static const char **collect_keys(const struct cloudinit *ci, const char *pubkey)
{
    GPtrArray *keys = g_ptr_array_new();
    char **k;

    for (k = ci->ssh_keys; k && *k; k++)
        g_ptr_array_add(keys, *k);
    if (ci->testbed_key && pubkey)
        g_ptr_array_add(keys, (char *)pubkey);
    g_ptr_array_add(keys, NULL);
    return (const char **)g_ptr_array_free(keys, FALSE);
}

static void emit_keys(struct yemit *y, const char *const *keys, const ynode *existing, ydoc *doc)
{
    size_t i;

    yemit_seq_start(y, false);
    for (i = 0; existing && i < yseq_len(existing); i++)
        yemit_node(y, doc, yseq_at(doc, existing, i));
    for (; *keys; keys++)
        yemit_scalar(y, *keys, false);
    yemit_seq_end(y);
}

/* Whether user U of `users` is named (not the image's "default"). */
static bool user_is_named(ydoc *doc, const ynode *u)
{
    const char *text;

    if (ynode_is_map(u))
        return ymap_get(doc, u, "name") != NULL;
    return (text = ynode_text(u)) && strcmp(text, "default") != 0;
}

/* User U, with KEYS added to its ssh_authorized_keys. */
static void emit_user_with_keys(struct yemit *y, ydoc *doc, const ynode *u,
                                const char *const *keys)
{
    bool done = false;
    size_t i;

    yemit_map_start(y);
    if (!ynode_is_map(u)) {
        yemit_scalar(y, "name", true);
        yemit_node(y, doc, u);
    } else {
        for (i = 0; i < ymap_len(u); i++) {
            const yaml_node_pair_t *p = ymap_pair(doc, u, i);
            const ynode *k = ydoc_node(doc, p->key), *v = ydoc_node(doc, p->value);
            const char *name = ynode_text(k);
            yemit_node(y, doc, k);
            if (name && strcmp(name, "ssh_authorized_keys") == 0 && ynode_is_seq(v)) {
                emit_keys(y, keys, v, doc);
                done = true;
            } else {
                yemit_node(y, doc, v);
            }
        }
    }
    if (!done) {
        yemit_scalar(y, "ssh_authorized_keys", true);
        emit_keys(y, keys, NULL, doc);
    }
    yemit_map_end(y);
}

static void emit_users(struct yemit *y, ydoc *doc, const ynode *users, const char *const *keys)
{
    bool given = false;
    size_t i;

    if (!ynode_is_seq(users)) {
        yemit_node(y, doc, users);
        return;
    }
    yemit_seq_start(y, false);
    for (i = 0; i < yseq_len(users); i++) {
        const ynode *u = yseq_at(doc, users, i);
        if (!given && user_is_named(doc, u)) {
            emit_user_with_keys(y, doc, u, keys);
            given = true;
        } else {
            yemit_node(y, doc, u);
        }
    }
    yemit_seq_end(y);
}

static void emit_default_user(struct yemit *y, const char *const *keys)
{
    yemit_scalar(y, "users", true);
    yemit_seq_start(y, false);
    yemit_map_start(y);
    yemit_pair(y, "name", SEED_DEFAULT_USER);
    yemit_pair(y, "sudo", "ALL=(ALL) NOPASSWD:ALL");
    yemit_pair(y, "shell", "/bin/bash");
    yemit_scalar(y, "lock_passwd", true);
    yemit_scalar(y, "true", true);
    if (*keys) {
        yemit_scalar(y, "ssh_authorized_keys", true);
        emit_keys(y, keys, NULL, NULL);
    }
    yemit_map_end(y);
    yemit_seq_end(y);
}

static char *build_user_data(const cb_domain *d, const char *const *keys)
{
    const struct cloudinit *ci = d->ci;
    ydoc *doc = ci->user_doc ? ci->user_doc : d->m->doc;
    const ynode *cfg = ci->user_data;
    bool has_users = false;
    size_t i;
    struct yemit *y;
    char *body, *text = NULL;
    gsize len;

    if (ci->user_data_file && !ci->user_doc) {
        /* Not a cloud-config (a script, a multipart): as it is. */
        GError *e = NULL;
        if (!g_file_get_contents(ci->user_data_file, &text, &len, &e)) {
            err_set(CB_EIO, "cannot read user_data %s of domain %s: %s", ci->user_data_file,
                    d->name, e->message);
            g_error_free(e);
            return NULL;
        }
        return text;
    }
    y = yemit_new();
    yemit_map_start(y);
    for (i = 0; i < ymap_len(cfg); i++) {
        const yaml_node_pair_t *p = ymap_pair(doc, cfg, i);
        const ynode *k = ydoc_node(doc, p->key);
        const char *name = ynode_text(k);
        yemit_node(y, doc, k);
        if (name && strcmp(name, "users") == 0) {
            has_users = true;
            emit_users(y, doc, ydoc_node(doc, p->value), keys);
        } else {
            yemit_node(y, doc, ydoc_node(doc, p->value));
        }
    }
    if (!has_users)
        emit_default_user(y, keys);
    yemit_map_end(y);
    if (!(body = yemit_finish(y)))
        return NULL;
    text = str_printf("#cloud-config\n%s", body);
    free(body);
    return text;
}

/* IID NULL: without instance-id (what the instance id is computed from). */
static char *build_meta_data(const cb_domain *d, const char *const *keys, const char *iid)
{
    struct yemit *y = yemit_new();

    yemit_map_start(y);
    if (iid)
        yemit_pair(y, "instance-id", iid);
    yemit_pair(y, "local-hostname", d->name);
    if (*keys) {
        yemit_scalar(y, "public-keys", true);
        emit_keys(y, keys, NULL, NULL);
    }
    if (d->ci->meta_data) {
        const ynode *md = d->ci->meta_data;
        for (size_t i = 0; i < ymap_len(md); i++) {
            const yaml_node_pair_t *p = ymap_pair(d->m->doc, md, i);
            yemit_node(y, d->m->doc, ydoc_node(d->m->doc, p->key));
            yemit_node(y, d->m->doc, ydoc_node(d->m->doc, p->value));
        }
    }
    yemit_map_end(y);
    return yemit_finish(y);
}

static void emit_ip(struct yemit *y, uint32_t ip, const char *suffix)
{
    char buf[IPV4_STRLEN], *s;

    ipv4_format(ip, buf);
    s = g_strconcat(buf, suffix, NULL);
    yemit_scalar(y, s, false);
    g_free(s);
}

static void emit_static(struct yemit *y, const struct netif *nif, const struct seed_net *n,
                        bool *route_given)
{
    uint32_t ip = nif->ip_is_offset ? (n->ip & ipv4_mask(n->prefix)) | nif->ip : nif->ip;
    char prefix[8];

    snprintf(prefix, sizeof(prefix), "/%u", n->prefix);
    yemit_scalar(y, "addresses", true);
    yemit_seq_start(y, false);
    emit_ip(y, ip, prefix);
    yemit_seq_end(y);
    /* One default route: through the first network that leads out. */
    if (nif->net->forward != FWD_NONE && !*route_given) {
        *route_given = true;
        yemit_scalar(y, "routes", true);
        yemit_seq_start(y, false);
        yemit_map_start(y);
        yemit_pair(y, "to", "0.0.0.0/0");
        yemit_scalar(y, "via", true);
        emit_ip(y, n->ip, "");
        yemit_map_end(y);
        yemit_seq_end(y);
    }
    /* libvirt's dnsmasq answers DNS on the network's address. */
    yemit_scalar(y, "nameservers", true);
    yemit_map_start(y);
    yemit_scalar(y, "addresses", true);
    yemit_seq_start(y, false);
    emit_ip(y, n->ip, "");
    yemit_seq_end(y);
    if (nif->net->dns_domain) {
        yemit_scalar(y, "search", true);
        yemit_seq_start(y, false);
        yemit_scalar(y, nif->net->dns_domain, false);
        yemit_seq_end(y);
    }
    yemit_map_end(y);
}

static char *build_network_config(const cb_domain *d, const struct seed_net *nets)
{
    struct yemit *y;
    bool route_given = false;
    char id[32];
    size_t i;

    if (d->ci->network_config) {
        y = yemit_new();
        yemit_node(y, d->m->doc, d->ci->network_config);
        return yemit_finish(y);
    }
    if (!d->netifs.n)
        return NULL;
    y = yemit_new();
    yemit_map_start(y);
    yemit_scalar(y, "version", true);
    yemit_scalar(y, "2", true);
    yemit_scalar(y, "ethernets", true);
    yemit_map_start(y);
    for (i = 0; i < d->netifs.n; i++) {
        const struct netif *nif = &d->netifs.v[i];
        snprintf(id, sizeof(id), "nic%zu", i);
        yemit_scalar(y, id, true);
        yemit_map_start(y);
        yemit_scalar(y, "match", true);
        yemit_map_start(y);
        yemit_pair(y, "macaddress", nif->mac);
        yemit_map_end(y);
        if (nif->has_ip && nets[i].known) {
            emit_static(y, nif, &nets[i], &route_given);
        } else {
            yemit_scalar(y, "dhcp4", true);
            yemit_scalar(y, "true", true);
        }
        yemit_map_end(y);
    }
    yemit_map_end(y);
    yemit_map_end(y);
    return yemit_finish(y);
}

int seed_build(struct seed_files *out, const cb_domain *d, const struct seed_net *nets,
               const char *pubkey)
{
    const char **keys = collect_keys(d->ci, pubkey);
    GChecksum *sum;
    char *meta0 = NULL;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    if (!(out->user_data = build_user_data(d, keys)) ||
        (!(out->network_config = build_network_config(d, nets)) &&
         (d->netifs.n || d->ci->network_config)) ||
        !(meta0 = build_meta_data(d, keys, NULL))) {
        rc = cb_error_last()->code ? cb_error_last()->code : CB_EINVAL;
        goto out;
    }
    /* The instance id is the content's: cloud-init runs again when it changes. */
    sum = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(sum, (const guchar *)out->user_data, (gssize)strlen(out->user_data) + 1);
    if (out->network_config)
        g_checksum_update(sum, (const guchar *)out->network_config,
                          (gssize)strlen(out->network_config));
    g_checksum_update(sum, (const guchar *)"", 1);
    g_checksum_update(sum, (const guchar *)meta0, (gssize)strlen(meta0));
    snprintf(out->instance_id, sizeof(out->instance_id), "cloubed-%.16s",
             g_checksum_get_string(sum));
    g_checksum_free(sum);
    if (!(out->meta_data = build_meta_data(d, keys, out->instance_id)))
        rc = CB_EINVAL;
out:
    free(meta0);
    g_free(keys);
    if (rc < 0)
        seed_files_free(out);
    return rc;
}

void seed_files_free(struct seed_files *f)
{
    free(f->meta_data);
    free(f->user_data);
    free(f->network_config);
    memset(f, 0, sizeof(*f));
}
