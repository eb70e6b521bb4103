/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * config.c: reading a testbed file, section by section.
 */
#include <stdlib.h>
#include <string.h>

#include "model/parse.h"
#include "util/error.h"
#include "model/units.h"
#include "util/util.h"

static const char *const top_keys[] = {
    "testbed", "storagepools", "storagevolumes", "networks", "domains", "templates", "http_port",
    "http", NULL,
};

static const char *const http_keys[] = { "root", "port", NULL };

static int parse_testbed(struct pctx *c, const ynode *root)
{
    const ynode *node;
    const char *name;
    int rc = pget_text(c, root, "testbed", F_REQUIRED, &name, &node,
                       "testbed parameter is missing",
                       "format of the testbed parameter is not valid");
    if (rc < 0)
        return rc;
    if (!name_is_valid(name))
        return pfail(c, node, "testbed name '%s' is not valid: use at most 64 letters, digits, "
                              "'.', '_' or '-', starting with a letter or a digit", pval(name));
    return (c->m->name = str_dup(name)) ? 0 : CB_ENOMEM;
}

/* Not in the original, which always used 5432: `http_port`, or `port` in
 * the `http` section (one or the other). */
static int parse_http_port(struct pctx *c, const ynode *root)
{
    const ynode *node, *http = ymap_get(c->doc, root, "http");
    const char *text, *key = "http_port parameter";
    unsigned long long port;
    int rc = pget_text(c, root, "http_port", 0, &text, &node, NULL,
                       "format of the http_port parameter is not valid");

    c->m->http_port = 5432;
    if (rc < 0)
        return rc;
    if (http && ynode_is_map(http) && ymap_get(c->doc, http, "port")) {
        if (rc > 0)
            return pfail(c, ymap_get(c->doc, http, "port"), "port parameter of the http "
                         "section and the http_port parameter are both given: keep one");
        key = "port parameter of the http section";
        if ((rc = pget_text(c, http, "port", 0, &text, &node, NULL,
                            "format of the port parameter of the http section is not valid")) < 0)
            return rc;
    }
    if (rc == 0)
        return 0;
    if (units_parse_number(text, 65535, &port) != UNITS_OK || port < 1)
        return pfail(c, node, "%s '%s' is not a TCP port (1 to 65535)", key, pval(text));
    c->m->http_port = (unsigned)port;
    return 0;
}

/* `http: {root: DIR}`: a directory the installer HTTP server serves, inside
 * the testbed directory and outside what must never be served. */
static int parse_http(struct pctx *c, const ynode *root)
{
    const ynode *http = ymap_get(c->doc, root, "http"), *node;
    const char *text;
    char *abs, *state;
    size_t i;
    int rc;

    if (!http)
        return 0;
    if (!ynode_is_map(http))
        return pfail(c, http, "format of the http section is not valid");
    if ((rc = pcheck_keys(c, http, http_keys, "the http section")) < 0)
        return rc;
    if ((rc = pget_text(c, http, "root", F_NONEMPTY, &text, &node, NULL,
                        "format of the root parameter of the http section is not valid")) <= 0)
        return rc;
    if (!(abs = path_resolve(c->m->dir, text)))
        return CB_ENOMEM;
    c->m->http_root = path_normalize(abs);
    free(abs);
    if (!c->m->http_root)
        return CB_ENOMEM;
    if (!path_is_beneath(c->m->dir, c->m->http_root))
        return pfail(c, node, "root %s of the http section is outside the testbed directory",
                     pval(text));
    if (!(state = str_printf("%s/.cloubed", c->m->dir)))
        return CB_ENOMEM;
    rc = path_is_beneath(state, c->m->http_root);
    free(state);
    if (rc)
        return pfail(c, node, "root %s of the http section is in the state directory .cloubed",
                     pval(text));
    for (i = 0; i < c->m->pools.n; i++)
        if (path_is_beneath(c->m->pools.v[i]->path, c->m->http_root))
            return pfail(c, node, "root %s of the http section is in storage pool %s",
                         pval(text), c->m->pools.v[i]->name);
    return 0;
}

int config_load(struct model *m, cb_testbed *owner, const struct logger *log,
                const unsigned char *buf, size_t len)
{
    ydoc *doc = g_new0(ydoc, 1);
    struct pctx c = { m, owner, log, doc, m->path };
    const ynode *root;
    size_t i;
    int rc;

    if ((rc = model_index_init(m)) < 0 || (rc = ydoc_load(doc, m->path, buf, len)) < 0) {
        g_free(doc);
        return rc;
    }
    root = ydoc_root(doc);
    if ((rc = pcheck_keys(&c, root, top_keys, "the top level")) < 0 ||
        (rc = parse_testbed(&c, root)) < 0 || (rc = parse_storagepools(&c, root)) < 0 ||
        (rc = parse_storagevolumes(&c, root)) < 0 || (rc = parse_networks(&c, root)) < 0 ||
        (rc = parse_domains(&c, root)) < 0 || (rc = parse_global_templates(&c, root)) < 0 ||
        (rc = parse_http_port(&c, root)) < 0 || (rc = parse_http(&c, root)) < 0 ||
        (rc = config_resolve(&c)) < 0 || (rc = check_template_var_names(&c)) < 0)
        goto out;
    rc = 0;
    /* cloudinit sections point into the document: the model keeps it. */
    for (i = 0; i < m->domains.n; i++)
        if (m->domains.v[i]->ci) {
            m->doc = doc;
            return 0;
        }
out:
    ydoc_free(doc);
    g_free(doc);
    return rc;
}
