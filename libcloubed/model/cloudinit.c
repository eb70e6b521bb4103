/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * cloudinit.c: a domain's `cloudinit:` section: what goes into its NoCloud
 * seed (model/seed.c builds the files, virt/seed.c writes the volume).
 *
 * Mappings given inline stay nodes of the testbed file's document, which the
 * model then keeps (model.doc): the seed re-emits them as YAML with their
 * scalars' styles, so cloud-init reads exactly what the file says.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "model/parse.h"
#include "util/error.h"
#include "util/util.h"

static const char *const cloudinit_keys[] = {
    "user_data", "meta_data", "ssh_authorized_keys", "network_config", "testbed_key", NULL,
};

/* The user that `cloubed ssh` logs in as, from a cloud-config mapping: the
 * first named entry of `users` ("default" is the image's own, unnamed here);
 * without `users`, the seed adds the user "cloubed" (model/seed.c). */
static int find_ssh_user(ydoc *doc, const ynode *cfg, char **out)
{
    const ynode *users = cfg ? ymap_get(doc, cfg, "users") : NULL;
    size_t i;

    *out = NULL;
    if (!users)
        return (*out = str_dup(SEED_DEFAULT_USER)) ? 0 : CB_ENOMEM;
    if (!ynode_is_seq(users))
        return 0;
    for (i = 0; i < yseq_len(users); i++) {
        const ynode *u = yseq_at(doc, users, i), *name;
        const char *text = NULL;
        if (ynode_is_map(u) && (name = ymap_get(doc, u, "name")))
            text = ynode_text(name);
        else if ((text = ynode_text(u)) && strcmp(text, "default") == 0)
            text = NULL;
        if (text)
            return (*out = str_dup(text)) ? 0 : CB_ENOMEM;
    }
    return 0;
}

/* `user_data: FILE`: read now, and kept as a document when it is a
 * cloud-config (the seed adds the keys to it), else sent as it is. */
static int parse_user_data_file(struct pctx *c, cb_domain *d, const ynode *node, const char *text)
{
    struct cloudinit *ci = d->ci;
    unsigned char *buf = NULL;
    struct stat st;
    size_t len = 0;
    int rc;

    if (!(ci->user_data_file = path_resolve(c->m->dir, text)))
        return CB_ENOMEM;
    /* A FIFO or a device would block the open, or never end. */
    if (stat(ci->user_data_file, &st) < 0)
        return pfail(c, node, "user_data %s of domain %s cannot be read: %s",
                     ci->user_data_file, d->name, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return pfail(c, node, "user_data %s of domain %s is not a regular file",
                     ci->user_data_file, d->name);
    if ((rc = ydoc_read_file(ci->user_data_file, &buf, &len)) < 0)
        return pfail(c, node, "user_data %s of domain %s cannot be read: %s", ci->user_data_file,
                     d->name, cb_error_last()->message);
    if (len < 13 || memcmp(buf, "#cloud-config", 13) != 0) {
        free(buf);
        return 0; /* a script, a MIME multipart: sent as it is */
    }
    if (!(ci->user_doc = calloc(1, sizeof(*ci->user_doc)))) {
        free(buf);
        return err_oom();
    }
    rc = ydoc_load(ci->user_doc, ci->user_data_file, buf, len);
    free(buf);
    if (rc < 0) {
        free(ci->user_doc);
        ci->user_doc = NULL;
        return pfail(c, node, "user_data %s of domain %s is not a valid cloud-config: %s",
                     ci->user_data_file, d->name, cb_error_last()->message);
    }
    ci->user_data = ydoc_root(ci->user_doc);
    return find_ssh_user(ci->user_doc, ci->user_data, &ci->ssh_user);
}

static int parse_user_data(struct pctx *c, cb_domain *d, const ynode *sec)
{
    const ynode *node = ymap_get(c->doc, sec, "user_data");
    const char *text;

    if (!node || ynode_is_null(node))
        return find_ssh_user(c->doc, NULL, &d->ci->ssh_user);
    if (ynode_is_map(node)) {
        d->ci->user_data = node;
        return find_ssh_user(c->doc, node, &d->ci->ssh_user);
    }
    if (!(text = ynode_text(node)) || !*text)
        return pfail(c, node, "format of user_data of domain %s is not valid (a file, or a "
                              "mapping sent as #cloud-config)", d->name);
    return parse_user_data_file(c, d, node, text);
}

static int parse_meta_data(struct pctx *c, cb_domain *d, const ynode *sec)
{
    static const char *const derived[] = { "instance-id", "local-hostname", NULL };
    const ynode *node = ymap_get(c->doc, sec, "meta_data");
    size_t i;

    if (!node)
        return 0;
    if (!ynode_is_map(node))
        return pfail(c, node, "format of meta_data of domain %s is not valid (a mapping)",
                     d->name);
    for (i = 0; derived[i]; i++)
        if (ymap_get(c->doc, node, derived[i]))
            return pfail(c, ymap_get(c->doc, node, derived[i]), "meta_data of domain %s may not "
                         "set %s: the library derives it", d->name, derived[i]);
    d->ci->meta_data = node;
    return 0;
}

static int parse_keys(struct pctx *c, cb_domain *d, const ynode *sec)
{
    const ynode *node = ymap_get(c->doc, sec, "ssh_authorized_keys");
    size_t i, n;

    if (!node)
        return 0;
    if (!ynode_is_seq(node))
        return pfail(c, node, "format of ssh_authorized_keys of domain %s is not valid (a list "
                              "of public keys)", d->name);
    n = yseq_len(node);
    d->ci->ssh_keys = g_new0(char *, n + 1);
    for (i = 0; i < n; i++) {
        const ynode *k = yseq_at(c->doc, node, i);
        const char *text = ynode_text(k);
        if (!text || !*text || strchr(text, '\n'))
            return pfail(c, k, "key %zu of ssh_authorized_keys of domain %s is not a one-line "
                               "public key", i, d->name);
        d->ci->ssh_keys[i] = g_strdup(text);
    }
    return 0;
}

static int parse_network_config(struct pctx *c, cb_domain *d, const ynode *sec)
{
    const ynode *node = ymap_get(c->doc, sec, "network_config"), *v;
    const char *text;

    if (!node)
        return 0;
    if (!ynode_is_map(node))
        return pfail(c, node, "format of network_config of domain %s is not valid (a mapping in "
                              "cloud-init's network-config format)", d->name);
    v = ymap_get(c->doc, node, "version");
    if (!v || !(text = ynode_text(v)) || (strcmp(text, "1") && strcmp(text, "2")))
        return pfail(c, v ? v : node, "network_config of domain %s needs version: 1 or 2",
                     d->name);
    d->ci->network_config = node;
    return 0;
}

int parse_cloudinit(struct pctx *c, cb_domain *d, const ynode *sec)
{
    char what[128];
    int rc;

    if (!ynode_is_map(sec))
        return pfail(c, sec, "format of cloudinit section of domain %s is not valid", d->name);
    if ((rc = pcheck_keys(c, sec, cloudinit_keys, "the cloudinit section of domain %s",
                          d->name)) < 0)
        return rc;
    d->ci = calloc(1, sizeof(*d->ci));
    if (!d->ci)
        return err_oom();
    d->ci->loc = ploc(sec);
    snprintf(what, sizeof(what), "the cloudinit section of domain %s", d->name);
    if ((rc = parse_user_data(c, d, sec)) < 0 || (rc = parse_meta_data(c, d, sec)) < 0 ||
        (rc = parse_keys(c, d, sec)) < 0 || (rc = parse_network_config(c, d, sec)) < 0)
        return rc;
    /* Present by default: absent is true here, unlike pget_bool's default. */
    d->ci->testbed_key = true;
    if (ymap_get(c->doc, sec, "testbed_key"))
        rc = pget_bool(c, sec, "testbed_key", what, &d->ci->testbed_key);
    return rc;
}

void cloudinit_free(struct cloudinit *ci)
{
    if (!ci)
        return;
    free(ci->user_data_file);
    if (ci->user_doc) {
        ydoc_free(ci->user_doc);
        free(ci->user_doc);
    }
    g_strfreev(ci->ssh_keys);
    free(ci->ssh_user);
    free(ci->seed_libvirt_name);
    free(ci->seed_path);
    free(ci);
}
