/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * yaml_doc.c: loading one YAML document and reading its nodes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "yaml_doc.h"

#define YDOC_MAX_BYTES (16u << 20)
/* Merge keys can chain (and, through anchors, loop): bound the walk. */
#define YDOC_MAX_MERGE_DEPTH 8

static int read_file(const char *path, unsigned char **buf, size_t *len)
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

int ydoc_load(yaml_document_t *doc, const char *path)
{
    yaml_parser_t parser;
    yaml_document_t extra;
    unsigned char *buf = NULL;
    size_t len = 0;
    ynode *root;
    int rc;

    rc = read_file(path, &buf, &len);
    if (rc < 0)
        return rc;
    if (!yaml_parser_initialize(&parser)) {
        free(buf);
        return err_oom();
    }
    yaml_parser_set_input_string(&parser, buf, len);
    if (!yaml_parser_load(&parser, doc)) {
        rc = parser_error(&parser, path);
        goto out;
    }
    root = yaml_document_get_root_node(doc);
    if (root) {
        /* A second document is an error, as in the original tool. */
        if (!yaml_parser_load(&parser, &extra)) {
            rc = parser_error(&parser, path);
            yaml_document_delete(doc);
            goto out;
        }
        if (yaml_document_get_root_node(&extra)) {
            ynode *r2 = yaml_document_get_root_node(&extra);
            rc = err_set_at(CB_ECONFIG, path, ynode_line(r2), ynode_column(r2),
                            "Error while loading %s file (may not be valid YAML content): "
                            "expected a single document in the stream, found another one",
                            path);
            yaml_document_delete(&extra);
            yaml_document_delete(doc);
            goto out;
        }
        yaml_document_delete(&extra);
    }
    if (!root || root->type != YAML_MAPPING_NODE) {
        rc = err_set_at(CB_ECONFIG, path, root ? ynode_line(root) : 1,
                        root ? ynode_column(root) : 1,
                        "File %s is not a valid YAML file for Cloubed", path);
        yaml_document_delete(doc);
        goto out;
    }
    rc = 0;
out:
    yaml_parser_delete(&parser);
    free(buf);
    return rc;
}

int ynode_line(const ynode *n)
{
    return (int)n->start_mark.line + 1;
}

int ynode_column(const ynode *n)
{
    return (int)n->start_mark.column + 1;
}

bool ynode_is_null(const ynode *n)
{
    static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
    size_t i;

    if (!n || n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    for (i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
        if (strcmp((const char *)n->data.scalar.value, nulls[i]) == 0)
            return true;
    return false;
}

const char *ynode_text(const ynode *n)
{
    if (!n || n->type != YAML_SCALAR_NODE || ynode_is_null(n))
        return NULL;
    if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
        return NULL; /* an escaped NUL inside: never a valid value */
    return (const char *)n->data.scalar.value;
}

bool ynode_is_plain(const ynode *n)
{
    return n && n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

bool ynode_is_map(const ynode *n)
{
    return n && n->type == YAML_MAPPING_NODE;
}

bool ynode_is_seq(const ynode *n)
{
    return n && n->type == YAML_SEQUENCE_NODE;
}

static bool is_merge_key(const ynode *k)
{
    return ynode_is_plain(k) && strcmp((const char *)k->data.scalar.value, "<<") == 0;
}

static ynode *map_get_depth(yaml_document_t *doc, const ynode *map, const char *key, int depth)
{
    yaml_node_pair_t *p;

    if (!ynode_is_map(map) || depth > YDOC_MAX_MERGE_DEPTH)
        return NULL;
    for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        ynode *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && !is_merge_key(k) &&
            strcmp((const char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    /* Explicit keys win over merged ones; earlier merged maps win over later. */
    for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        ynode *k = yaml_document_get_node(doc, p->key);
        ynode *v = yaml_document_get_node(doc, p->value);
        ynode *r = NULL;
        if (!is_merge_key(k) || !v)
            continue;
        if (v->type == YAML_MAPPING_NODE) {
            r = map_get_depth(doc, v, key, depth + 1);
        } else if (v->type == YAML_SEQUENCE_NODE) {
            yaml_node_item_t *it;
            for (it = v->data.sequence.items.start; !r && it < v->data.sequence.items.top; it++)
                r = map_get_depth(doc, yaml_document_get_node(doc, *it), key, depth + 1);
        }
        if (r)
            return r;
    }
    return NULL;
}

ynode *ymap_get(yaml_document_t *doc, const ynode *map, const char *key)
{
    return map_get_depth(doc, map, key, 0);
}

size_t yseq_len(const ynode *seq)
{
    if (!ynode_is_seq(seq))
        return 0;
    return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

ynode *yseq_at(yaml_document_t *doc, const ynode *seq, size_t i)
{
    if (i >= yseq_len(seq))
        return NULL;
    return yaml_document_get_node(doc, seq->data.sequence.items.start[i]);
}
