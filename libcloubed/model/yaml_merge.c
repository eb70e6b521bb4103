/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * yaml_merge.c: merge keys ("<<"), expanded once per mapping.
 *
 * Following merges at every lookup re-walks shared anchors each time, which
 * is exponential in a chain of mappings that each merge the previous one
 * twice. Instead every mapping with merge keys gets its effective keys
 * (explicit first, then each merged mapping's effective keys in order, the
 * first of equal keys winning) computed once, from tables already computed:
 * the cost is the size of the output, bounded by YDOC_MAX_EXPANDED.
 */
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "model/yaml_doc.h"

struct yentry {
    const char *key;
    int value;
    size_t order; /* precedence: lower wins */
};

struct ykeys {
    bool done;
    struct yentry *v; /* sorted by key, unique */
    size_t n;
};

/* The effective keys of a mapping with merge keys, else NULL. */
static struct ykeys *keys_of(const ydoc *d, const ynode *map)
{
    return map->data.kids.merge ? &d->keys[map->data.kids.merge - 1] : NULL;
}

static int entry_cmp(const void *a, const void *b)
{
    const struct yentry *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int key_cmp(const void *key, const void *e)
{
    return strcmp(key, ((const struct yentry *)e)->key);
}

/* Maps in an order where whatever a map merges comes first: by end
 * position, inner before outer on a tie. A mapping merged through an alias
 * ends before the alias (or contains it: a loop, found when merging). */
static int end_cmp(const void *a, const void *b, void *arg)
{
    const ydoc *d = arg;
    int ia = *(const int *)a, ib = *(const int *)b;
    uint32_t ea = d->nodes[ia - 1].end, eb = d->nodes[ib - 1].end;

    if (ea != eb)
        return ea < eb ? -1 : 1;
    return ia > ib ? -1 : ia < ib;
}

/* Appends the effective keys of the mapping SRC to V. */
static void append_map(ydoc *d, const ynode *src, struct yentry *v, size_t *n)
{
    const struct ykeys *k = keys_of(d, src);
    size_t i;

    if (k) {
        for (i = 0; i < k->n; i++, (*n)++) {
            v[*n] = k->v[i];
            v[*n].order = *n;
        }
        return;
    }
    for (i = 0; i < ymap_len(src); i++) {
        const yaml_node_pair_t *p = ymap_pair(d, src, i);
        const ynode *key = ydoc_node(d, p->key);
        if (key && key->type == YAML_SCALAR_NODE) {
            v[*n] = (struct yentry){ key->data.scalar.value, p->value, *n };
            (*n)++;
        }
    }
}

/* Checks that SRC can be merged and adds its size to *COUNT; AT is the merge
 * key (the value may be an alias: its position is the anchor's). */
static int check_source(ydoc *d, const ynode *src, const ynode *at, size_t *count)
{
    const struct ykeys *k;

    if (!ynode_is_map(src))
        return err_set_at(CB_ECONFIG, d->name, ynode_line(at), ynode_column(at),
                          "the value of a merge key (<<) must be a mapping or a list of "
                          "mappings");
    k = keys_of(d, src);
    if (k && !k->done)
        return err_set_at(CB_ECONFIG, d->name, ynode_line(at), ynode_column(at),
                          "merge key (<<) merges a mapping that contains it");
    *count += k ? k->n : ymap_len(src);
    return 0;
}

static int merge_one(ydoc *d, const ynode *map, size_t *expanded)
{
    struct ykeys *k = keys_of(d, map);
    size_t count = ymap_len(map), merged = 0, n = 0, i, j, pi;
    struct yentry *v;
    int rc;

    /* First pass: validate the merged values and size the table. */
    for (pi = 0; pi < count; pi++) {
        const yaml_node_pair_t *p = ymap_pair(d, map, pi);
        const ynode *key = ydoc_node(d, p->key), *val = ydoc_node(d, p->value);
        size_t before = merged;
        if (!ynode_is_merge_key(key))
            continue;
        if (ynode_is_seq(val)) {
            for (i = 0; i < yseq_len(val); i++)
                if ((rc = check_source(d, yseq_at(d, val, i), key, &merged)) < 0)
                    return rc;
        } else if ((rc = check_source(d, val, key, &merged)) < 0) {
            return rc;
        }
        if (merged - before > YDOC_MAX_EXPANDED - *expanded)
            return ydoc_too_large(d->name, key->line, key->column);
        *expanded += merged - before;
    }
    if (!(v = malloc((count + merged + 1) * sizeof(*v))))
        return err_oom();
    for (pi = 0; pi < count; pi++) {
        const yaml_node_pair_t *p = ymap_pair(d, map, pi);
        const ynode *key = ydoc_node(d, p->key);
        if (key && key->type == YAML_SCALAR_NODE && !ynode_is_merge_key(key)) {
            v[n] = (struct yentry){ key->data.scalar.value, p->value, n };
            n++;
        }
    }
    for (pi = 0; pi < count; pi++) {
        const yaml_node_pair_t *p = ymap_pair(d, map, pi);
        const ynode *val = ydoc_node(d, p->value);
        if (!ynode_is_merge_key(ydoc_node(d, p->key)))
            continue;
        if (ynode_is_seq(val)) {
            for (i = 0; i < yseq_len(val); i++)
                append_map(d, yseq_at(d, val, i), v, &n);
        } else {
            append_map(d, val, v, &n);
        }
    }
    qsort(v, n, sizeof(*v), entry_cmp);
    for (i = j = 0; i < n; i++)
        if (j == 0 || strcmp(v[j - 1].key, v[i].key) != 0)
            v[j++] = v[i];
    k->v = v;
    k->n = j;
    k->done = true;
    return 0;
}

int ydoc_merge(ydoc *d)
{
    size_t nmaps = 0, i, expanded = 0;
    int *maps;
    int rc = 0;

    /* The composer marked the mappings with merge keys: number them. */
    for (i = 0; i < d->n_nodes; i++)
        nmaps += d->nodes[i].type == YAML_MAPPING_NODE && d->nodes[i].data.kids.merge;
    if (!nmaps)
        return 0;
    if (!(d->keys = calloc(nmaps, sizeof(*d->keys))) || !(maps = malloc(nmaps * sizeof(*maps))))
        return err_oom();
    for (i = 0; i < d->n_nodes; i++)
        if (d->nodes[i].type == YAML_MAPPING_NODE && d->nodes[i].data.kids.merge) {
            maps[d->n_keys] = (int)i + 1;
            d->nodes[i].data.kids.merge = (uint32_t)++d->n_keys;
        }
    qsort_r(maps, nmaps, sizeof(*maps), end_cmp, d);
    for (i = 0; i < nmaps && rc == 0; i++)
        rc = merge_one(d, ydoc_node(d, maps[i]), &expanded);
    free(maps);
    return rc;
}

void ydoc_merge_free(ydoc *d)
{
    size_t i;

    for (i = 0; i < d->n_keys; i++)
        free(d->keys[i].v);
    free(d->keys);
    d->keys = NULL;
    d->n_keys = 0;
}

ynode *ydoc_merged_get(ydoc *d, const ynode *map, const char *key)
{
    const struct ykeys *k = keys_of(d, map);
    const struct yentry *e = bsearch(key, k->v, k->n, sizeof(*k->v), key_cmp);

    return e ? ydoc_node(d, e->value) : NULL;
}
