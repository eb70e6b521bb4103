/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * yaml_scan.c: the limits of a testbed file, checked on libyaml's event
 * stream before the document is composed.
 *
 * libyaml's scanner costs O(depth) per token (it rescans its stack of
 * possible simple keys), so deep nesting is quadratic; and anchors let a few
 * bytes stand for an exponential tree ("billion laughs"). Counting on events
 * stops both at the limit, after reading little more than the limit itself:
 * the composer never sees an absurd file.
 */
#include <search.h>
#include <stdlib.h>
#include <string.h>

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

int ydoc_check_limits(const char *name, const unsigned char *buf, size_t len)
{
    struct scan s = { name, NULL, { { 0, NULL } }, 0, 0 };
    yaml_parser_t parser;
    yaml_event_t ev;
    int rc = 0;

    if (!yaml_parser_initialize(&parser))
        return err_oom();
    yaml_parser_set_input_string(&parser, buf, len);
    /* A syntax error ends the scan quietly: the loader reports it. */
    while (rc == 0 && yaml_parser_parse(&parser, &ev)) {
        bool end = ev.type == YAML_STREAM_END_EVENT;
        rc = on_event(&s, &ev);
        yaml_event_delete(&ev);
        if (end)
            break;
    }
    while (s.depth > 0)
        free(s.stack[--s.depth].anchor);
    tdestroy(s.anchors, free);
    yaml_parser_delete(&parser);
    return rc;
}
