/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * yaml_doc.h: loading one YAML document and reading its nodes (internal).
 *
 * Scalars are read as text: the YAML 1.1 resolver (booleans, base-60 ints,
 * octal) is never applied, so each schema field decides what its text means.
 */
#ifndef CB_INTERNAL_YAML_DOC_H
#define CB_INTERNAL_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <stdint.h>
#include <glib.h>
#include <yaml.h>

/* A node of a loaded document: 32 bytes, a third of libyaml's yaml_node_t
 * (its tag, end mark and three pointers per collection): a testbed of 1000
 * domains has some 28 000 nodes, and on a virtual machine each page the
 * document first touches costs more than parsing what it holds (bench 4). */
typedef struct ynode {
    unsigned char type;       /* YAML_SCALAR_NODE, YAML_SEQUENCE_NODE or YAML_MAPPING_NODE */
    unsigned char style;      /* a scalar's yaml_scalar_style_t */
    uint32_t line, column;    /* of its first character, 0-based */
    uint32_t end;             /* the offset of the byte after it */
    union {
        struct {
            char *value;      /* NUL-terminated; may hold an escaped NUL before LENGTH */
            size_t length;
        } scalar;
        struct {
            uint32_t first, n;  /* a sequence's items in ydoc.items, a mapping's pairs in ydoc.pairs */
            uint32_t merge;     /* a mapping with merge keys: 1 + its index in ydoc.keys */
        } kids;
    } data;
} ynode;

/* Limits of a testbed file (documented in docs/testbed-file.md). */
#define YDOC_MAX_BYTES (16u << 20)
/* Collections inside collections; a testbed needs about 8. */
#define YDOC_MAX_DEPTH 100
/* Nodes that aliases and merge keys stand for, beyond the file's own: 2
 * million leave room for 5000 domains merging a 400-node anchor each. */
#define YDOC_MAX_EXPANDED 2000000u

struct ykeys;

/* A loaded document, composed from libyaml's events (yaml_scan.c): its
 * nodes (id I is nodes[I - 1], the root is 1), the children of every
 * collection in two shared arrays, every scalar's text in one string
 * chunk, and for each mapping with merge keys ("<<") its effective keys,
 * computed once (see yaml_merge.c). Tags are not kept: the readers give
 * every scalar its meaning from the schema. */
typedef struct ydoc {
    const char *name;     /* for messages: the file, or the caller's name */
    ynode *nodes;
    size_t n_nodes, cap_nodes;
    int *items;
    size_t n_items, cap_items;
    yaml_node_pair_t *pairs;
    size_t n_pairs, cap_pairs;
    GStringChunk *strings;
    struct ykeys *keys;
    size_t n_keys;
} ydoc;

/* Reads PATH (at most YDOC_MAX_BYTES) into a new buffer, the caller's to
 * free. Returns 0, CB_EIO, CB_ECONFIG (too large) or CB_ENOMEM. */
int ydoc_read_file(const char *path, unsigned char **buf, size_t *len);

/* Parses BUF (LEN bytes; NAME names it in messages) after checking the
 * limits: exactly one document whose root is a mapping. Returns 0 and fills
 * D (free with ydoc_free), or CB_ECONFIG / CB_ENOMEM with the last error
 * set and nothing to free. */
int ydoc_load(ydoc *d, const char *name, const unsigned char *buf, size_t len);
void ydoc_free(ydoc *d);

static inline ynode *ydoc_root(const ydoc *d)
{
    return d->n_nodes ? &d->nodes[0] : NULL;
}

/* The node of id ID (1-based), or NULL. */
static inline ynode *ydoc_node(const ydoc *d, int id)
{
    return id > 0 && (size_t)id <= d->n_nodes ? &d->nodes[id - 1] : NULL;
}

/* 1-based position of a node's first character. */
static inline int ynode_line(const ynode *n)
{
    return (int)n->line + 1;
}

static inline int ynode_column(const ynode *n)
{
    return (int)n->column + 1;
}

/* True for a plain scalar that YAML reads as null: "", "~", "null", "Null", "NULL". */
bool ynode_is_null(const ynode *n);
/* The text of a scalar that is not null and holds no NUL byte, else NULL. */
const char *ynode_text(const ynode *n);

/* True for an unquoted scalar. */
static inline bool ynode_is_plain(const ynode *n)
{
    return n && n->type == YAML_SCALAR_NODE && n->style == YAML_PLAIN_SCALAR_STYLE;
}

static inline bool ynode_is_map(const ynode *n)
{
    return n && n->type == YAML_MAPPING_NODE;
}

static inline bool ynode_is_seq(const ynode *n)
{
    return n && n->type == YAML_SEQUENCE_NODE;
}

/* True for the merge key, an unquoted "<<". */
static inline bool ynode_is_merge_key(const ynode *k)
{
    return ynode_is_plain(k) && strcmp(k->data.scalar.value, "<<") == 0;
}

/* Value of KEY in mapping MAP, following merge keys; NULL when absent or
 * when MAP is not a mapping. Explicit keys win over merged ones, earlier
 * merged mappings over later ones. */
ynode *ymap_get(ydoc *d, const ynode *map, const char *key);

/* Number of pairs of a mapping as written (merge keys not followed; 0 for
 * anything else) and the pair at I. */
static inline size_t ymap_len(const ynode *map)
{
    return ynode_is_map(map) ? map->data.kids.n : 0;
}

static inline const yaml_node_pair_t *ymap_pair(const ydoc *d, const ynode *map, size_t i)
{
    return &d->pairs[map->data.kids.first + i];
}

/* Number of items of a sequence and the item at I. */
static inline size_t yseq_len(const ynode *seq)
{
    return ynode_is_seq(seq) ? seq->data.kids.n : 0;
}

static inline ynode *yseq_at(const ydoc *d, const ynode *seq, size_t i)
{
    return i < yseq_len(seq) ? ydoc_node(d, d->items[seq->data.kids.first + i]) : NULL;
}

/* --- for yaml_doc.c ----------------------------------------------------- */

/* yaml_scan.c: checks the depth and expansion limits and composes the
 * first document into D (zeroed by the caller but for its name), in one
 * pass over the event stream. Fails on a limit, on a syntax error (reported
 * through SYNTAX_ERROR) or a composer error in the first two documents, and
 * on a second document; then D is freed. */
int ydoc_parse(ydoc *d, const char *name, const unsigned char *buf, size_t len,
               int (*syntax_error)(const yaml_parser_t *p, const char *name));
/* The error of a file over YDOC_MAX_EXPANDED, at LINE and COLUMN (0-based). */
int ydoc_too_large(const char *name, size_t line, size_t column);
/* Frees what D holds (yaml_scan.c). */
void ydoc_release(ydoc *d);
/* yaml_merge.c: computes D->keys; fails on a merge key whose value is not
 * mappings, on a loop, or over YDOC_MAX_EXPANDED. */
int ydoc_merge(ydoc *d);
void ydoc_merge_free(ydoc *d);
/* The effective value of KEY in MAP, a mapping with merge keys. */
ynode *ydoc_merged_get(ydoc *d, const ynode *map, const char *key);

#endif
