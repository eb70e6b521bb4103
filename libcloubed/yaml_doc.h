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
#include <yaml.h>

typedef yaml_node_t ynode;

/* Reads PATH (at most 16 MiB) and parses exactly one document whose root is a
 * mapping. Returns 0 and fills DOC (free with yaml_document_delete), or
 * CB_EIO / CB_ECONFIG with the last error set. */
int ydoc_load(yaml_document_t *doc, const char *path);

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

/* Value of KEY in mapping MAP, following merge keys ("<<"); NULL when absent
 * or when MAP is not a mapping. */
ynode *ymap_get(yaml_document_t *doc, const ynode *map, const char *key);

/* Number of items of a sequence and the item at I. */
size_t yseq_len(const ynode *seq);
ynode *yseq_at(yaml_document_t *doc, const ynode *seq, size_t i);

#endif
