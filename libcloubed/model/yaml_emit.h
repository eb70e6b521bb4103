/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * yaml_emit.h: writing YAML text with libyaml's emitter (internal), for the
 * cloud-init seed: libyaml quotes what needs quoting, we only say what.
 */
#ifndef CB_INTERNAL_YAML_EMIT_H
#define CB_INTERNAL_YAML_EMIT_H

#include <stdbool.h>

#include "model/yaml_doc.h"

struct yemit;

/* A new block-style document; never NULL (aborts on allocation failure). */
struct yemit *yemit_new(void);
/* TEXT as a plain scalar when PLAIN and YAML allows it, else single-quoted:
 * quote every string that YAML 1.1 could read as something else (a MAC
 * address is a base-60 integer to cloud-init's PyYAML). */
void yemit_scalar(struct yemit *y, const char *text, bool plain);
/* A plain key and its quoted string value. */
void yemit_pair(struct yemit *y, const char *key, const char *value);
void yemit_map_start(struct yemit *y);
void yemit_map_end(struct yemit *y);
void yemit_seq_start(struct yemit *y, bool flow);
void yemit_seq_end(struct yemit *y);
/* NODE of DOC and everything under it, scalars in their own style. */
void yemit_node(struct yemit *y, ydoc *doc, const ynode *node);
/* Ends the document: its text (a new string to free()), or NULL with
 * CB_EINVAL when the events did not make one document (a bug). */
char *yemit_finish(struct yemit *y);

#endif
