/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * config.c: reading a testbed file, section by section.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "error.h"
#include "units.h"
#include "util.h"

static const char *const top_keys[] = {
    "testbed", "storagepools", "storagevolumes", "networks", "domains", "templates", "http_port",
    NULL,
};

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
    return (c->tb->name = str_dup(name)) ? 0 : CB_ENOMEM;
}

/* Not in the original, which always used 5432. */
static int parse_http_port(struct pctx *c, const ynode *root)
{
    const ynode *node;
    const char *text;
    unsigned long long port;
    int rc = pget_text(c, root, "http_port", 0, &text, &node, NULL,
                       "format of the http_port parameter is not valid");

    c->tb->http_port = 5432;
    if (rc <= 0)
        return rc;
    if (units_parse_number(text, 65535, &port) != UNITS_OK)
        return pfail(c, node, "http_port parameter '%s' is not a TCP port (1 to 65535)", pval(text));
    c->tb->http_port = (unsigned)port;
    return 0;
}

int config_load(cb_testbed *tb, const unsigned char *buf, size_t len)
{
    ydoc doc;
    struct pctx c = { tb, &doc, tb->path };
    const ynode *root;
    int rc;

    if ((rc = ydoc_load(&doc, tb->path, buf, len)) < 0)
        return rc;
    root = ydoc_root(&doc);
    if ((rc = pcheck_keys(&c, root, top_keys, "the top level")) < 0 ||
        (rc = parse_testbed(&c, root)) < 0 || (rc = parse_storagepools(&c, root)) < 0 ||
        (rc = parse_storagevolumes(&c, root)) < 0 || (rc = parse_networks(&c, root)) < 0 ||
        (rc = parse_domains(&c, root)) < 0 || (rc = parse_global_templates(&c, root)) < 0 ||
        (rc = parse_http_port(&c, root)) < 0 ||
        (rc = config_resolve(&c)) < 0)
        goto out;
    rc = 0;
out:
    ydoc_free(&doc);
    return rc;
}
