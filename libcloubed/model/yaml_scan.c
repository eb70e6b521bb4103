/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * yaml_scan.c: one pass over libyaml's event stream that checks the limits
 * of a testbed file and composes its document.
 *
 * libyaml's scanner costs O(depth) per token (it rescans its stack of
 * possible simple keys), so deep nesting is quadratic; and anchors let a few
 * bytes stand for an exponential tree ("billion laughs"). Counting on events
 * stops both at the limit, after reading little more than the limit itself.
 *
 * The document is composed here, from the same events, instead of by
 * yaml_parser_load() on a second parse (a third of the time of opening a
 * large testbed). It holds the nodes yaml_parser_load() builds, in the same
 * order and with the same ids, but compact (yaml_doc.h): every collection's
 * children in two shared arrays at their exact size, every scalar in one
 * string chunk, no tags. Every error is the one yaml_parser_load() reported
 * after the former first pass: a limit anywhere before the first syntax
 * error first; else the loader's first error (syntax or composer) in the
 * first two documents; else a second document.
 */
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "util/error.h"
#include "model/yaml_doc.h"

struct anchor {
    size_t size; /* nodes of the anchored tree, its own aliases expanded */
    char name[];
};

struct frame {
    size_t size; /* nodes so far: the collection itself and its items */
    char *anchor;
};

struct scan {
    const char *name;
    void *anchors; /* tsearch tree of struct anchor */
    struct frame stack[YDOC_MAX_DEPTH];
    int depth;
    size_t expanded; /* nodes produced by aliases so far */
};

static int anchor_cmp(const void *a, const void *b)
{
    return strcmp(((const struct anchor *)a)->name, ((const struct anchor *)b)->name);
}

/* Records NAME (a redefinition replaces the earlier size, as in YAML). */
static int anchor_set(struct scan *s, const char *name, size_t size)
{
    struct anchor *a = malloc(sizeof(*a) + strlen(name) + 1), **slot;

    if (!a)
        return err_oom();
    strcpy(a->name, name);
    a->size = size;
    slot = tsearch(a, &s->anchors, anchor_cmp);
    if (!slot) {
        free(a);
        return err_oom();
    }
    if (*slot != a) {
        (*slot)->size = size;
        free(a);
    }
    return 0;
}

/* An alias of an unknown anchor (undefined, or one still open: a loop)
 * counts as one node; libyaml reports the first, the readers never follow
 * the second. */
static size_t anchor_size(const struct scan *s, const char *name)
{
    struct anchor *key = malloc(sizeof(*key) + strlen(name) + 1), **found;
    size_t size = 1;

    if (!key)
        return 1;
    strcpy(key->name, name);
    found = tfind(key, &s->anchors, anchor_cmp);
    if (found)
        size = (*found)->size;
    free(key);
    return size;
}

static int too_deep(const struct scan *s, const yaml_mark_t *m)
{
    return err_set_at(CB_ECONFIG, s->name, (int)m->line + 1, (int)m->column + 1,
                      "nesting is deeper than %d levels, the limit of a testbed file",
                      YDOC_MAX_DEPTH);
}

int ydoc_too_large(const char *name, size_t line, size_t column)
{
    return err_set_at(CB_ECONFIG, name, (int)line + 1, (int)column + 1,
                      "anchors, aliases and merge keys expand to more than %u nodes, the limit "
                      "of a testbed file", YDOC_MAX_EXPANDED);
}

/* Adds a finished node of SIZE nodes to the open collection, if any. */
static int add_node(struct scan *s, size_t size, const char *anchor)
{
    if (s->depth > 0)
        s->stack[s->depth - 1].size += size;
    return anchor ? anchor_set(s, anchor, size) : 0;
}

static int on_event(struct scan *s, const yaml_event_t *ev)
{
    const yaml_mark_t *m = &ev->start_mark;
    struct frame *f;
    size_t size;
    int rc;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        tdestroy(s->anchors, free); /* anchors belong to one document */
        s->anchors = NULL;
        return 0;
    case YAML_SCALAR_EVENT:
        return add_node(s, 1, (const char *)ev->data.scalar.anchor);
    case YAML_ALIAS_EVENT:
        size = anchor_size(s, (const char *)ev->data.alias.anchor);
        if (size > YDOC_MAX_EXPANDED - s->expanded)
            return ydoc_too_large(s->name, m->line, m->column);
        s->expanded += size;
        return add_node(s, size, NULL);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (s->depth == YDOC_MAX_DEPTH)
            return too_deep(s, m);
        f = &s->stack[s->depth++];
        f->size = 1;
        f->anchor = NULL;
        if (ev->type == YAML_SEQUENCE_START_EVENT && ev->data.sequence_start.anchor)
            f->anchor = strdup((const char *)ev->data.sequence_start.anchor);
        else if (ev->type == YAML_MAPPING_START_EVENT && ev->data.mapping_start.anchor)
            f->anchor = strdup((const char *)ev->data.mapping_start.anchor);
        else
            return 0;
        return f->anchor ? 0 : err_oom();
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (s->depth == 0)
            return 0;
        f = &s->stack[--s->depth];
        rc = add_node(s, f->size, f->anchor);
        free(f->anchor);
        f->anchor = NULL;
        return rc;
    default:
        return 0;
    }
}

/* --- composing ----------------------------------------------------------- */

/* An anchor of the document being composed (libyaml's loader semantics:
 * registered when its node starts, so an alias inside it refers to it). */
struct anchor_node {
    int id;
    yaml_mark_t mark;
};

/* libyaml's loader error, kept until the whole stream has been checked for
 * limits (which the former first pass reported before anything else). */
struct compose_error {
    const char *context, *problem;  /* static strings, as libyaml's */
    yaml_mark_t context_mark, problem_mark;
};

/* A collection being composed: its children so far are
 * pending[first .. n_pending), moved to the document's shared arrays, at
 * their exact size, when it ends. */
struct open_node {
    int id;
    size_t first;
};

struct compose {
    ydoc *doc;               /* the document being composed, or NULL */
    GHashTable *anchors;     /* name (owned) → struct anchor_node * (owned) */
    struct open_node open[YDOC_MAX_DEPTH];
    int depth;
    int *pending;            /* node ids, innermost collection last */
    size_t n_pending, cap_pending;
    bool failed;             /* ERR is set: composing stopped */
    struct compose_error err;
};

/* Room for MORE elements in the array *V of N used and *CAP. */
static int reserve(void **v, size_t n, size_t more, size_t *cap, size_t elem)
{
    size_t want = MAX(*cap * 2, n + more + 64);
    void *p;

    if (n + more <= *cap)
        return 0;
    if (!(p = realloc(*v, want * elem)))
        return err_oom();
    *v = p;
    *cap = want;
    return 0;
}

void ydoc_release(ydoc *d)
{
    free(d->nodes);
    free(d->items);
    free(d->pairs);
    if (d->strings)
        g_string_chunk_free(d->strings);
    d->nodes = NULL;
    d->items = NULL;
    d->pairs = NULL;
    d->strings = NULL;
    d->n_nodes = d->cap_nodes = d->n_items = d->cap_items = d->n_pairs = d->cap_pairs = 0;
}

static void compose_fail(struct compose *k, const char *context, yaml_mark_t context_mark,
                         const char *problem, yaml_mark_t problem_mark)
{
    k->failed = true;
    k->err = (struct compose_error){ context, problem, context_mark, problem_mark };
}

/* Puts node ID under the innermost open collection, as libyaml's loader:
 * a mapping gets its key, then its value. */
static int compose_attach(struct compose *k, int id)
{
    if (!k->depth)
        return 0;
    if (reserve((void **)&k->pending, k->n_pending, 1, &k->cap_pending, sizeof(int)) < 0)
        return CB_ENOMEM;
    k->pending[k->n_pending++] = id;
    return 0;
}

/* Ends the innermost open collection at END: its children move from the
 * pending stack to the document. */
static int compose_close(struct compose *k, size_t end)
{
    const struct open_node *o = &k->open[--k->depth];
    ynode *n = &k->doc->nodes[o->id - 1];
    size_t count = k->n_pending - o->first, i;
    ydoc *d = k->doc;

    n->end = (uint32_t)end;
    if (n->type == YAML_SEQUENCE_NODE) {
        if (reserve((void **)&d->items, d->n_items, count, &d->cap_items, sizeof(int)) < 0)
            return CB_ENOMEM;
        n->data.kids.first = (uint32_t)d->n_items;
        n->data.kids.n = (uint32_t)count;
        if (count)
            memcpy(d->items + d->n_items, k->pending + o->first, count * sizeof(int));
        d->n_items += count;
    } else {
        count /= 2; /* libyaml ends a mapping only after a value for each key */
        if (reserve((void **)&d->pairs, d->n_pairs, count, &d->cap_pairs,
                    sizeof(yaml_node_pair_t)) < 0)
            return CB_ENOMEM;
        n->data.kids.first = (uint32_t)d->n_pairs;
        n->data.kids.n = (uint32_t)count;
        for (i = 0; i < count; i++) {
            int key = k->pending[o->first + 2 * i];
            d->pairs[d->n_pairs++] = (yaml_node_pair_t){ key, k->pending[o->first + 2 * i + 1] };
            if (ynode_is_merge_key(ydoc_node(d, key)))
                n->data.kids.merge = 1; /* numbered by ydoc_merge() */
        }
    }
    k->n_pending = o->first;
    return 0;
}

/* One event into K's document. */
static int compose_event(struct compose *k, yaml_event_t *ev)
{
    ydoc *d = k->doc;
    const char *anchor = NULL;
    struct anchor_node *a;
    ynode *node;
    int id, rc;

    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        if (!(a = g_hash_table_lookup(k->anchors, ev->data.alias.anchor))) {
            compose_fail(k, NULL, ev->start_mark, "found undefined alias", ev->start_mark);
            return 0;
        }
        return compose_attach(k, a->id);
    case YAML_SCALAR_EVENT:
        anchor = (const char *)ev->data.scalar.anchor;
        break;
    case YAML_SEQUENCE_START_EVENT:
        anchor = (const char *)ev->data.sequence_start.anchor;
        break;
    case YAML_MAPPING_START_EVENT:
        anchor = (const char *)ev->data.mapping_start.anchor;
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return k->depth ? compose_close(k, ev->end_mark.index) : 0;
    default:
        return 0;
    }
    if (reserve((void **)&d->nodes, d->n_nodes, 1, &d->cap_nodes, sizeof(*d->nodes)) < 0)
        return CB_ENOMEM;
    node = &d->nodes[d->n_nodes++];
    id = (int)d->n_nodes;
    memset(node, 0, sizeof(*node));
    node->line = (uint32_t)ev->start_mark.line;
    node->column = (uint32_t)ev->start_mark.column;
    node->end = (uint32_t)ev->end_mark.index;
    if (ev->type == YAML_SCALAR_EVENT) {
        node->type = YAML_SCALAR_NODE;
        node->style = (unsigned char)ev->data.scalar.style;
        node->data.scalar.value = g_string_chunk_insert_len(
            d->strings, (const char *)ev->data.scalar.value, (gssize)ev->data.scalar.length);
        node->data.scalar.length = ev->data.scalar.length;
    } else {
        node->type = ev->type == YAML_SEQUENCE_START_EVENT ? YAML_SEQUENCE_NODE
                                                             : YAML_MAPPING_NODE;
    }
    if (anchor) {
        if ((a = g_hash_table_lookup(k->anchors, anchor))) {
            compose_fail(k, "found duplicate anchor; first occurrence", a->mark,
                         "second occurrence", ev->start_mark);
            return 0;
        }
        a = g_new(struct anchor_node, 1);
        a->id = id;
        a->mark = ev->start_mark;
        g_hash_table_insert(k->anchors, g_strdup(anchor), a);
    }
    if ((rc = compose_attach(k, id)) < 0)
        return rc;
    if (node->type != YAML_SCALAR_NODE) {
        k->open[k->depth].id = id;
        k->open[k->depth++].first = k->n_pending;
    }
    return 0;
}

static int composer_error(const char *name, const struct compose_error *e)
{
    const yaml_mark_t *m = &e->problem_mark;

    if (e->context)
        return err_set_at(CB_ECONFIG, name, (int)m->line + 1, (int)m->column + 1,
                          "Error while loading %s file (may not be valid YAML content): %s %s",
                          name, e->context, e->problem);
    return err_set_at(CB_ECONFIG, name, (int)m->line + 1, (int)m->column + 1,
                      "Error while loading %s file (may not be valid YAML content): %s",
                      name, e->problem);
}

int ydoc_parse(ydoc *d, const char *name, const unsigned char *buf, size_t len,
               int (*syntax_error)(const yaml_parser_t *p, const char *name))
{
    struct scan s = { name, NULL, { { 0, NULL } }, 0, 0 };
    struct compose k = { 0 };
    ydoc second;
    yaml_parser_t parser;
    yaml_event_t ev;
    int docs = 0, rc = 0;
    bool parsed = true, has_second = false, second_done = false;

    memset(&second, 0, sizeof(second));
    if (!yaml_parser_initialize(&parser))
        return err_oom();
    yaml_parser_set_input_string(&parser, buf, len);
    k.anchors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (;;) {
        yaml_event_type_t type;
        if (!yaml_parser_parse(&parser, &ev)) {
            parsed = false;
            break;
        }
        type = ev.type;
        rc = on_event(&s, &ev);
        /* The first two documents are composed (the second only to find
         * its errors and its root), while no error stopped composing. */
        if (rc == 0 && type == YAML_DOCUMENT_START_EVENT && docs < 2 && !k.failed) {
            k.doc = docs++ == 0 ? d : &second;
            k.depth = 0;
            k.n_pending = 0;
            g_hash_table_remove_all(k.anchors);
            /* most scalars are a few bytes: one chunk holds a small file */
            k.doc->strings = g_string_chunk_new(len < 16384 ? 16384 : 65536);
        } else if (rc == 0 && k.doc && !k.failed) {
            if (type == YAML_DOCUMENT_END_EVENT) {
                if (k.doc == &second) {
                    second_done = true;
                    has_second = second.n_nodes > 0;
                }
                k.doc = NULL;
            } else {
                rc = compose_event(&k, &ev);
            }
        }
        yaml_event_delete(&ev);
        if (rc < 0 || type == YAML_STREAM_END_EVENT)
            break;
    }
    /* A syntax error counts where the loader would have met it: before the
     * end of the second document (it never read further). */
    if (rc == 0 && k.failed)
        rc = composer_error(name, &k.err);
    else if (rc == 0 && !parsed && !second_done)
        rc = syntax_error(&parser, name);
    else if (rc == 0 && has_second)
        rc = err_set_at(CB_ECONFIG, name, ynode_line(&second.nodes[0]),
                        ynode_column(&second.nodes[0]),
                        "Error while loading %s file (may not be valid YAML content): "
                        "expected a single document in the stream, found another one", name);
    while (s.depth > 0)
        free(s.stack[--s.depth].anchor);
    tdestroy(s.anchors, free);
    g_hash_table_destroy(k.anchors);
    free(k.pending);
    ydoc_release(&second);
    yaml_parser_delete(&parser);
    if (rc < 0)
        ydoc_release(d);
    return rc;
}
