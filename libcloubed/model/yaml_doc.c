/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * yaml_doc.c: loading one YAML document and reading its nodes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "model/yaml_doc.h"

int ydoc_read_file(const char *path, unsigned char **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t n = 0, cap = 0;

    if (!f)
        return err_set(CB_EIO, "Not able to open file %s: %s", path, strerror(errno));
    for (;;) {
        size_t got;
        if (n == cap) {
            unsigned char *tmp;
            if (cap >= YDOC_MAX_BYTES) {
                fclose(f);
                free(data);
                return err_set(CB_ECONFIG, "file %s is larger than %u MiB", path,
                               YDOC_MAX_BYTES >> 20);
            }
            cap = cap ? cap * 2 : 65536;
            tmp = realloc(data, cap + 1);
            if (!tmp) {
                fclose(f);
                free(data);
                return err_oom();
            }
            data = tmp;
        }
        got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        fclose(f);
        free(data);
        return err_set(CB_EIO, "Not able to read file %s: %s", path, strerror(e));
    }
    fclose(f);
    *buf = data;
    *len = n;
    return 0;
}

static int parser_error(const yaml_parser_t *p, const char *path)
{
    const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->context_mark;
    const char *problem = p->problem ? p->problem : "unknown error";

    if (p->error == YAML_MEMORY_ERROR)
        return err_oom();
    if (p->context)
        return err_set_at(CB_ECONFIG, path, (int)m->line + 1, (int)m->column + 1,
                          "Error while loading %s file (may not be valid YAML content): %s %s",
                          path, p->context, problem);
    return err_set_at(CB_ECONFIG, path, (int)m->line + 1, (int)m->column + 1,
                      "Error while loading %s file (may not be valid YAML content): %s",
                      path, problem);
}

int ydoc_load(ydoc *d, const char *name, const unsigned char *buf, size_t len)
{
    ynode *root;
    int rc;

    memset(d, 0, sizeof(*d));
    d->name = name;
    if (len > YDOC_MAX_BYTES)
        return err_set_at(CB_ECONFIG, name, 1, 1, "%s is larger than %u MiB", name,
                          YDOC_MAX_BYTES >> 20);
    if ((rc = ydoc_parse(d, name, buf, len, parser_error)) < 0)
        return rc;
    root = ydoc_root(d);
    if (!root || root->type != YAML_MAPPING_NODE) {
        rc = err_set_at(CB_ECONFIG, name, root ? ynode_line(root) : 1,
                        root ? ynode_column(root) : 1,
                        "File %s is not a valid YAML file for Cloubed", name);
        goto fail;
    }
    if ((rc = ydoc_merge(d)) < 0)
        goto fail;
    return 0;
fail:
    ydoc_free(d);
    return rc;
}

void ydoc_free(ydoc *d)
{
    ydoc_merge_free(d);
    ydoc_release(d);
}

bool ynode_is_null(const ynode *n)
{
    const char *v;

    if (!n || n->type != YAML_SCALAR_NODE || n->style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    v = n->data.scalar.value;
    switch (n->data.scalar.length) {
    case 0: return true;
    case 1: return v[0] == '~';
    case 4: return strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
    default: return false;
    }
}

const char *ynode_text(const ynode *n)
{
    if (!n || n->type != YAML_SCALAR_NODE || ynode_is_null(n))
        return NULL;
    if (strlen(n->data.scalar.value) != n->data.scalar.length)
        return NULL; /* an escaped NUL inside: never a valid value */
    return n->data.scalar.value;
}

ynode *ymap_get(ydoc *d, const ynode *map, const char *key)
{
    size_t i;

    if (!ynode_is_map(map))
        return NULL;
    if (map->data.kids.merge)
        return ydoc_merged_get(d, map, key);
    for (i = 0; i < map->data.kids.n; i++) {
        const yaml_node_pair_t *p = ymap_pair(d, map, i);
        const ynode *k = ydoc_node(d, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp(k->data.scalar.value, key) == 0)
            return ydoc_node(d, p->value);
    }
    return NULL;
}
