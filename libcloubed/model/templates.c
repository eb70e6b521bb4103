/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * config_templates.c: the global templates section and the templates of a
 * domain (files to generate and their variables).
 */
#include <stdbool.h>
#include <string.h>

#include "model/parse.h"
#include "util/error.h"
#include "util/util.h"

static const char *const domain_tpl_keys[] = { "files", "vars", NULL };
static const char *const tpl_file_keys[] = { "name", "input", "output", "allow_outside",
                                               "mode", NULL };

static int push_kv(struct kv_vec *vec, const char *key, const char *value)
{
    struct kv kv = { str_dup(key), str_dup(value) };

    if (!kv.key || !kv.value || VEC_PUSH(*vec, kv) < 0) {
        model_free_kv(&kv);
        return err_oom();
    }
    return 0;
}

/* Reads a mapping of scalar values into VEC; DOMAIN is NULL for the global
 * section. */
static int parse_vars(struct pctx *c, const ynode *map, struct kv_vec *vec,
                      const cb_domain *domain)
{
    /* A set for the names past a few: the pairwise check is quadratic. */
    GHashTable *seen = ymap_len(map) > 16 ? g_hash_table_new(g_str_hash, g_str_equal) : NULL;
    size_t i, j;
    int rc = 0;

    for (i = 0; i < ymap_len(map) && rc == 0; i++) {
        const yaml_node_pair_t *p = ymap_pair(c->doc, map, i);
        const ynode *k = ydoc_node(c->doc, p->key);
        const ynode *v = ydoc_node(c->doc, p->value);
        const char *key = ynode_text(k), *value = ynode_text(v);
        bool twice = false;

        if (!key || !*key) {
            rc = pfail(c, k, "template variable names must be non-empty strings");
            break;
        }
        if (ynode_is_plain(k) && strcmp(key, "<<") == 0) {
            rc = pfail(c, k, "merge keys are not supported in template variables");
            break;
        }
        if (seen)
            twice = !g_hash_table_add(seen, (char *)key);
        for (j = 0; !seen && j < vec->n && !twice; j++)
            twice = strcmp(vec->v[j].key, key) == 0;
        if (twice)
            rc = pfail(c, k, "template variable %s is given twice", pval(key));
        else if (!value && domain)
            rc = pfail(c, v, "format of the value of %s template variable of domain %s is not "
                             "valid", pval(key), domain->name);
        else if (!value)
            rc = pfail(c, v, "format of the value of the global template variable %s is not "
                             "valid", pval(key));
        else
            rc = push_kv(vec, key, value);
    }
    if (seen)
        g_hash_table_destroy(seen);
    return rc;
}

int parse_global_templates(struct pctx *c, const ynode *root)
{
    const ynode *t = ymap_get(c->doc, root, "templates");
    if (!t)
        return 0;
    if (!ynode_is_map(t))
        return pfail(c, t, "format of the templates section is not valid");
    return parse_vars(c, t, &c->m->vars, NULL);
}

/* A YAML 1.1 boolean at KEY of MAP (absent: false). */
/* `mode`: octal permission bits, at most 0777 (no set-id or sticky bit). */
static int pget_mode(const struct pctx *c, const ynode *map, const char *what, unsigned *out)
{
    const ynode *node;
    const char *text, *p;
    unsigned long v = 0;
    int rc = pget_text(c, map, "mode", F_NONEMPTY, &text, &node, NULL,
                       "format of mode parameter of %s is not valid", what);

    /* Installer answer files carry passwords: owner-only unless asked. */
    *out = 0600;
    if (rc <= 0)
        return rc;
    for (p = text; *p >= '0' && *p <= '7' && v <= 0777; p++)
        v = v * 8 + (unsigned)(*p - '0');
    if (*p || p - text > 4 || v > 0777)
        return pfail(c, node, "mode '%s' of %s is not valid (octal permissions such as 0600 or "
                              "0644, at most 0777)", text, what);
    *out = (unsigned)v;
    return 0;
}

static int parse_tpl_file(struct pctx *c, cb_domain *d, const ynode *item, size_t i)
{
    struct tpl_file f = { 0 };
    const char *name, *input, *output;
    char what[128];
    size_t j;
    int rc;

    if (!ynode_is_map(item))
        return pfail(c, item, "format of template file %zu of domain %s is not valid", i, d->name);
    snprintf(what, sizeof(what), "template file %zu of domain %s", i, d->name);
    if ((rc = pcheck_keys(c, item, tpl_file_keys, "%s", what)) < 0)
        return rc;
#define TPL_FIELD(key, out)                                                                    \
    pget_text(c, item, key, F_REQUIRED | F_NONEMPTY, out, NULL,                                \
              "%s parameter of a template file of domain %s is missing",                      \
              "format of %s parameter of a template file of domain %s is not valid", key, d->name)
    if ((rc = TPL_FIELD("name", &name)) < 0 || (rc = TPL_FIELD("input", &input)) < 0 ||
        (rc = TPL_FIELD("output", &output)) < 0)
        return rc;
#undef TPL_FIELD
    if ((rc = pget_bool(c, item, "allow_outside", what, &f.allow_outside)) < 0 ||
        (rc = pget_mode(c, item, what, &f.mode)) < 0)
        return rc;
    for (j = 0; j < d->tpl_files.n; j++)
        if (strcmp(d->tpl_files.v[j].name, name) == 0)
            return pfail(c, item, "duplicate template name %s in domain %s (first defined at line %d)",
                         pval(name), d->name, d->tpl_files.v[j].loc.line);
    f.loc = ploc(item);
    f.name = str_dup(name);
    f.input = path_resolve(c->m->dir, input);
    f.output = path_resolve(c->m->dir, output);
    if (f.output && !f.allow_outside && !path_is_beneath(c->m->dir, f.output)) {
        const ynode *at = ymap_get(c->doc, item, "output");
        free(f.name);
        free(f.input);
        free(f.output);
        /* gen writes as whoever runs it, often root, and cleanup removes
         * what gen wrote: leaving the directory has to be asked for. */
        return pfail(c, at, "output %s of template %s of domain %s is outside the testbed "
                            "directory (set allow_outside: true on the template to allow it)",
                     output, name, d->name);
    }
    if (!f.name || !f.input || !f.output || VEC_PUSH(d->tpl_files, f) < 0) {
        free(f.name);
        free(f.input);
        free(f.output);
        return err_oom();
    }
    return 0;
}

int parse_domain_templates(struct pctx *c, cb_domain *d, const ynode *t)
{
    const ynode *files, *vars;
    char what[128];
    size_t i;
    int rc;

    if (!ynode_is_map(t))
        return pfail(c, t, "format of the templates section of domain %s is not valid", d->name);
    snprintf(what, sizeof(what), "the templates section of domain %s", d->name);
    if ((rc = pcheck_keys(c, t, domain_tpl_keys, "%s", what)) < 0)
        return rc;
    if ((files = ymap_get(c->doc, t, "files"))) {
        if (!ynode_is_seq(files))
            return pfail(c, files, "format of the files sub-section in the templates section of "
                                   "domain %s templates is not valid", d->name);
        for (i = 0; i < yseq_len(files); i++)
            if ((rc = parse_tpl_file(c, d, yseq_at(c->doc, files, i), i)) < 0)
                return rc;
    }
    if ((vars = ymap_get(c->doc, t, "vars"))) {
        if (!ynode_is_map(vars))
            return pfail(c, vars, "format of the vars sub-section in the templates section of "
                                  "domain %s templates is not valid", d->name);
        return parse_vars(c, vars, &d->tpl_vars, d);
    }
    return 0;
}

/* Template variables name resources without their hyphens (the original's
 * rule, templates.c): "a-b" and "ab" would both be `KIND.ab.*`, one
 * silently hiding the other. The key of a name in the set below. */
static char *var_name(const char *name)
{
    char *out = g_malloc(strlen(name) + 1), *p = out;

    for (; *name; name++)
        if (*name != '-')
            *p++ = *name;
    *p = '\0';
    return out;
}

/* Each name against the first earlier one with the same variable name, as
 * the all-pairs check this replaces reported it. */
#define CHECK_KIND(vec, kind, prefix)                                                          \
    do {                                                                                       \
        GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);       \
        for (i = 0; i < (vec).n && rc == 0; i++) {                                             \
            char *key = var_name((vec).v[i]->name);                                            \
            const __typeof__(**(vec).v) *first = g_hash_table_lookup(seen, key);               \
            if (!first) {                                                                      \
                g_hash_table_insert(seen, key, (vec).v[i]);                                    \
                continue;                                                                      \
            }                                                                                  \
            g_free(key);                                                                       \
            rc = pfail_loc(c, (vec).v[i]->loc, "%s names %s and %s (line %d) give the same "   \
                           "template variables %s.* (hyphens are dropped): rename one", kind,  \
                           (vec).v[i]->name, first->name, first->loc.line, prefix);            \
        }                                                                                      \
        g_hash_table_destroy(seen);                                                            \
        if (rc < 0)                                                                            \
            return rc;                                                                         \
    } while (0)

int check_template_var_names(struct pctx *c)
{
    const struct model *md = c->m;
    size_t i;
    int rc = 0;

    CHECK_KIND(md->pools, "storage pool", "storagepool.NAME");
    CHECK_KIND(md->volumes, "storage volume", "storagevolume.NAME");
    CHECK_KIND(md->networks, "network", "network.NAME");
    CHECK_KIND(md->domains, "domain", "domain.NAME");
    return 0;
}
