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
 * large testbed). It is the document yaml_parser_load() builds (but for
 * default tags, left out), and every
 * error is the one the former two passes reported: a limit anywhere before
 * the first syntax error first; else the loader's first error (syntax or
 * composer) in the first two documents; else a second document.
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

int ydoc_too_large(const char *name, const yaml_mark_t *m)
{
    return err_set_at(CB_ECONFIG, name, (int)m->line + 1, (int)m->column + 1,
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
            return ydoc_too_large(s->name, m);
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

struct compose {
    yaml_document_t *doc;    /* the document being composed, or NULL */
    GHashTable *anchors;     /* name (owned) → struct anchor_node * (owned) */
    int open[YDOC_MAX_DEPTH]; /* node ids of the open collections */
    int depth;
    bool failed;             /* ERR is set: composing stopped */
    struct compose_error err;
};

/* The node arrays are freed by yaml_document_delete() with yaml_free(),
 * which is free(): they are grown here with realloc(). */
static int grow(void **start, void **top, void **end, size_t elem)
{
    size_t n = (size_t)((char *)*top - (char *)*start) / elem;
    size_t cap = (size_t)((char *)*end - (char *)*start) / elem;
    void *p;

    if (n < cap)
        return 0;
    cap = cap ? cap * 2 : 16;
    if (!(p = realloc(*start, cap * elem)))
        return err_oom();
    *start = p;
    *top = (char *)p + n * elem;
    *end = (char *)p + cap * elem;
    return 0;
}

static void compose_fail(struct compose *k, const char *context, yaml_mark_t context_mark,
                         const char *problem, yaml_mark_t problem_mark)
{
    k->failed = true;
    k->err = (struct compose_error){ context, problem, context_mark, problem_mark };
}

/* Adds NODE (its strings taken over) to the document, under the open
 * collection if any, and registers ANCHOR (taken over). */
static int compose_add(struct compose *k, yaml_node_t *node, char *anchor)
{
    yaml_document_t *doc = k->doc;
    yaml_node_t *nodes;
    int id;

    if (grow((void **)&doc->nodes.start, (void **)&doc->nodes.top, (void **)&doc->nodes.end,
             sizeof(*node)) < 0) {
        free(anchor);
        free(node->tag);
        if (node->type == YAML_SCALAR_NODE)
            free(node->data.scalar.value);
        return CB_ENOMEM;
    }
    *doc->nodes.top++ = *node;
    nodes = doc->nodes.start;
    id = (int)(doc->nodes.top - nodes);
    if (anchor) {
        struct anchor_node *a = g_hash_table_lookup(k->anchors, anchor);
        if (a) {
            compose_fail(k, "found duplicate anchor; first occurrence", a->mark,
                         "second occurrence", node->start_mark);
            free(anchor);
            return 0;
        }
        a = g_new(struct anchor_node, 1);
        a->id = id;
        a->mark = node->start_mark;
        g_hash_table_insert(k->anchors, anchor, a);
    }
    return 0;
}

/* Puts node ID under the innermost open collection, as libyaml's loader:
 * a mapping gets its key, then its value. */
static int compose_attach(struct compose *k, int id)
{
    yaml_node_t *parent;

    if (!k->depth)
        return 0;
    parent = k->doc->nodes.start + k->open[k->depth - 1] - 1;
    if (parent->type == YAML_SEQUENCE_NODE) {
        if (grow((void **)&parent->data.sequence.items.start,
                 (void **)&parent->data.sequence.items.top,
                 (void **)&parent->data.sequence.items.end, sizeof(yaml_node_item_t)) < 0)
            return CB_ENOMEM;
        *parent->data.sequence.items.top++ = id;
        return 0;
    }
    if (parent->data.mapping.pairs.top > parent->data.mapping.pairs.start) {
        yaml_node_pair_t *last = parent->data.mapping.pairs.top - 1;
        if (last->key && !last->value) {
            last->value = id;
            return 0;
        }
    }
    if (grow((void **)&parent->data.mapping.pairs.start, (void **)&parent->data.mapping.pairs.top,
             (void **)&parent->data.mapping.pairs.end, sizeof(yaml_node_pair_t)) < 0)
        return CB_ENOMEM;
    *parent->data.mapping.pairs.top++ = (yaml_node_pair_t){ id, 0 };
    return 0;
}

/* The event's tag, or none where libyaml's loader would give the default
 * tag: the readers never look at tags (yaml_doc.h), and a copy of the
 * default in every node was a twentieth of the time of opening a file. */
static yaml_char_t *take_tag(yaml_char_t **tag)
{
    yaml_char_t *t = *tag;

    *tag = NULL;
    if (t && strcmp((char *)t, "!") == 0) {
        free(t);
        t = NULL;
    }
    return t;
}

/* One event into K's document; its strings are taken over (set to NULL). */
static int compose_event(struct compose *k, yaml_event_t *ev)
{
    yaml_node_t node = { 0 };
    char *anchor = NULL;
    struct anchor_node *a;
    int rc;

    node.start_mark = ev->start_mark;
    node.end_mark = ev->end_mark;
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        if (!(a = g_hash_table_lookup(k->anchors, ev->data.alias.anchor))) {
            compose_fail(k, NULL, ev->start_mark, "found undefined alias", ev->start_mark);
            return 0;
        }
        return compose_attach(k, a->id);
    case YAML_SCALAR_EVENT:
        node.type = YAML_SCALAR_NODE;
        node.data.scalar.value = ev->data.scalar.value;
        node.data.scalar.length = ev->data.scalar.length;
        node.data.scalar.style = ev->data.scalar.style;
        ev->data.scalar.value = NULL;
        anchor = (char *)ev->data.scalar.anchor;
        ev->data.scalar.anchor = NULL;
        node.tag = take_tag(&ev->data.scalar.tag);
        break;
    case YAML_SEQUENCE_START_EVENT:
        node.type = YAML_SEQUENCE_NODE;
        node.data.sequence.style = ev->data.sequence_start.style;
        anchor = (char *)ev->data.sequence_start.anchor;
        ev->data.sequence_start.anchor = NULL;
        node.tag = take_tag(&ev->data.sequence_start.tag);
        break;
    case YAML_MAPPING_START_EVENT:
        node.type = YAML_MAPPING_NODE;
        node.data.mapping.style = ev->data.mapping_start.style;
        anchor = (char *)ev->data.mapping_start.anchor;
        ev->data.mapping_start.anchor = NULL;
        node.tag = take_tag(&ev->data.mapping_start.tag);
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (k->depth)
            k->doc->nodes.start[k->open[--k->depth] - 1].end_mark = ev->end_mark;
        return 0;
    default:
        return 0;
    }
    if ((rc = compose_add(k, &node, anchor)) < 0 || k->failed)
        return rc;
    if ((rc = compose_attach(k, (int)(k->doc->nodes.top - k->doc->nodes.start))) < 0)
        return rc;
    if (node.type != YAML_SCALAR_NODE)
        k->open[k->depth++] = (int)(k->doc->nodes.top - k->doc->nodes.start);
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
    yaml_document_t second;
    yaml_parser_t parser;
    yaml_event_t ev;
    int docs = 0, rc = 0;
    bool parsed = true, has_second = false, second_done = false;

    memset(&second, 0, sizeof(second));
    if (!yaml_parser_initialize(&parser))
        return err_oom();
    yaml_parser_set_input_string(&parser, buf, len);
    k.anchors = g_hash_table_new_full(g_str_hash, g_str_equal, free, g_free);
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
            k.doc = docs++ == 0 ? &d->doc : &second;
            k.depth = 0;
            g_hash_table_remove_all(k.anchors);
            k.doc->start_mark = ev.start_mark;
            k.doc->start_implicit = ev.data.document_start.implicit;
        } else if (rc == 0 && k.doc && !k.failed) {
            if (type == YAML_DOCUMENT_END_EVENT) {
                k.doc->end_mark = ev.end_mark;
                k.doc->end_implicit = ev.data.document_end.implicit;
                if (k.doc == &second) {
                    second_done = true;
                    has_second = second.nodes.top > second.nodes.start;
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
        rc = err_set_at(CB_ECONFIG, name, (int)second.nodes.start->start_mark.line + 1,
                        (int)second.nodes.start->start_mark.column + 1,
                        "Error while loading %s file (may not be valid YAML content): "
                        "expected a single document in the stream, found another one", name);
    while (s.depth > 0)
        free(s.stack[--s.depth].anchor);
    tdestroy(s.anchors, free);
    g_hash_table_destroy(k.anchors);
    yaml_document_delete(&second);
    yaml_parser_delete(&parser);
    if (rc < 0)
        yaml_document_delete(&d->doc);
    return rc;
}
