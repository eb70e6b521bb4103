/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * config.h: reading and validating a testbed file into the model (internal).
 *
 * Sections are read in the original tool's order (testbed, storagepools,
 * storagevolumes, networks, domains, templates), so the first error reported
 * is the one the original would report; references and consistency are
 * checked once everything is read.
 */
#ifndef CB_INTERNAL_CONFIG_H
#define CB_INTERNAL_CONFIG_H

#include <stdbool.h>

#include "model/model.h"
#include "model/yaml_doc.h"

/* Reads the testbed text BUF (LEN bytes) into M; m->path (the name used in
 * messages), m->dir and m->user are already set. OWNER is the testbed the
 * resources point back to; warnings go to LOG. On failure M holds a partial
 * model that model_free() releases. */
int config_load(struct model *m, cb_testbed *owner, const struct logger *log,
                const unsigned char *buf, size_t len);

/* --- for the section readers ------------------------------------------ */

struct pctx {
    struct model *m;
    cb_testbed *tb;            /* opaque: only stored in the resources */
    const struct logger *log;
    ydoc *doc;
    const char *file;
};

struct cb_loc ploc(const ynode *n);
/* A value from the file as a message quotes it: S itself when at most
 * PVAL_MAX_CHARS characters long, else its first PVAL_MAX_CHARS characters
 * and "…", control characters as '?', in one of four thread-local buffers (valid until the fourth
 * next call). Every message that quotes unchecked text goes through it, so a
 * 10 MB name makes a one-line error of bounded length. */
#define PVAL_MAX_CHARS 64
const char *pval(const char *s);
int pfail(const struct pctx *c, const ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int pfail_loc(const struct pctx *c, struct cb_loc at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void pwarn(const struct pctx *c, const ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Warns about each key of MAP that is not in KNOWN (NULL-terminated), with a
 * "did you mean" when a known key is one edit away; fails on a key given
 * twice or a key that is not a plain string. WHAT_FMT and its arguments
 * name the mapping (at most 127 bytes), formatted only for a message. */
int pcheck_keys(const struct pctx *c, const ynode *map, const char *const *known,
                const char *what_fmt, ...) __attribute__((format(printf, 4, 5)));

enum {
    F_REQUIRED = 1 << 0, /* absent is an error (MISSING) */
    F_NONEMPTY = 1 << 1, /* "" is an error */
};

/* Reads the scalar at KEY of MAP as text. Returns 1 with *out set (owned by
 * the document) when present, 0 when absent and optional, or CB_ECONFIG.
 * MISSING and INVALID are message formats taking the same arguments. NODE,
 * if not NULL, receives the value node (or MAP when absent). */
int pget_text(const struct pctx *c, const ynode *map, const char *key, int flags,
              const char **out, const ynode **node, const char *missing,
              const char *invalid, ...) __attribute__((format(printf, 8, 9)));

/* Reads and checks the `name` of a section item; KIND is "storage pool"... */
int pget_name(const struct pctx *c, const ynode *item, const char *kind, const char **out);


/* Section readers, in reading order. */
int parse_storagepools(struct pctx *c, const ynode *root);
int parse_storagevolumes(struct pctx *c, const ynode *root);
int parse_volume(struct pctx *c, const ynode *item, bool is_inline, cb_storage_volume **out);
int parse_networks(struct pctx *c, const ynode *root);
int parse_domains(struct pctx *c, const ynode *root);
int parse_global_templates(struct pctx *c, const ynode *root);
int parse_domain_templates(struct pctx *c, cb_domain *d, const ynode *t);
/* Resource names that would give the same template variables. */
int check_template_var_names(struct pctx *c);
/* References, derived names and MACs, and consistency across sections. */
int config_resolve(struct pctx *c);

#endif
