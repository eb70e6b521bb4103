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
#include <yaml.h>

typedef yaml_node_t ynode;

/* Limits of a testbed file (documented in docs/testbed-file.md). */
#define YDOC_MAX_BYTES (16u << 20)
/* Collections inside collections; a testbed needs about 8. */
#define YDOC_MAX_DEPTH 100
/* Nodes that aliases and merge keys stand for, beyond the file's own: 2
 * million leave room for 5000 domains merging a 400-node anchor each. */
#define YDOC_MAX_EXPANDED 2000000u

struct ykeys;

/* A loaded document and, for each mapping with merge keys ("<<"), its
 * effective keys, computed once (see yaml_merge.c). */
typedef struct ydoc {
    yaml_document_t doc;
    const char *name;     /* for messages: the file, or the caller's name */
    struct ykeys *keys;   /* indexed by node id - 1 */
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

ynode *ydoc_root(ydoc *d);
ynode *ydoc_node(ydoc *d, int id);

/* 1-based position of a node's first character. */
int ynode_line(const ynode *n);
int ynode_column(const ynode *n);

/* True for a plain scalar that YAML reads as null: "", "~", "null", "Null", "NULL". */
bool ynode_is_null(const ynode *n);
/* The text of a scalar that is not null and holds no NUL byte, else NULL. */
const char *ynode_text(const ynode *n);
/* True for an unquoted scalar. */
bool ynode_is_plain(const ynode *n);
bool ynode_is_map(const ynode *n);
bool ynode_is_seq(const ynode *n);
/* True for the merge key, an unquoted "<<". */
bool ynode_is_merge_key(const ynode *n);

/* Value of KEY in mapping MAP, following merge keys; NULL when absent or
 * when MAP is not a mapping. Explicit keys win over merged ones, earlier
 * merged mappings over later ones. */
ynode *ymap_get(ydoc *d, const ynode *map, const char *key);

/* Number of items of a sequence and the item at I. */
size_t yseq_len(const ynode *seq);
ynode *yseq_at(ydoc *d, const ynode *seq, size_t i);

/* --- for yaml_doc.c ----------------------------------------------------- */

/* yaml_scan.c: checks the depth and expansion limits and composes the
 * first document into D->doc (zeroed by the caller), in one pass over the
 * event stream. Fails on a limit, on a syntax error (reported through
 * SYNTAX_ERROR) or a composer error in the first two documents, and on a
 * second document; then D->doc is freed. */
int ydoc_parse(ydoc *d, const char *name, const unsigned char *buf, size_t len,
               int (*syntax_error)(const yaml_parser_t *p, const char *name));
/* The error of a file over YDOC_MAX_EXPANDED, at M. */
int ydoc_too_large(const char *name, const yaml_mark_t *m);
/* yaml_merge.c: computes D->keys; fails on a merge key whose value is not
 * mappings, on a loop, or over YDOC_MAX_EXPANDED. */
int ydoc_merge(ydoc *d);
void ydoc_merge_free(ydoc *d);
/* The effective value of KEY in MAP when MAP has merge keys: sets *HANDLED. */
ynode *ydoc_merged_get(ydoc *d, const ynode *map, const char *key, bool *handled);

#endif
