/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * http_paths.h: what the installer HTTP server may serve, and the mapping
 * of a request's path onto it (internal). Pure: no socket, no file system,
 * so that it can be fuzzed (fuzz/fuzz_http_path.c).
 *
 * A URL path is a path relative to the testbed directory. What is served:
 * the template outputs (exact files) and the served directories (the
 * networks' PXE TFTP roots and `http: {root}`), all inside the testbed
 * directory; never what is excluded (pools, the state directory, the testbed
 * file), never a hidden name (".git") inside a served directory.
 */
#ifndef CB_INTERNAL_HTTP_PATHS_H
#define CB_INTERNAL_HTTP_PATHS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"

/* Paths relative to the testbed directory, normalized, no leading or
 * trailing slash; "" is the directory itself. */
struct http_root {
    char *prefix;
    bool is_file;
};

struct http_map {
    struct http_root *roots;
    size_t n_roots;
    char **excluded;
    size_t n_excluded;
};

/* Builds the map of a testbed from its model MD. Returns 0 or CB_ENOMEM. */
int http_map_build(const struct model *md, struct http_map *m);
/* Adds one root, or one excluded path (ABS_PATH absolute, under DIR; a path
 * outside DIR is ignored: it cannot be reached). Returns 0 or CB_ENOMEM. */
int http_map_add(struct http_map *m, const char *dir, const char *abs_path, bool is_file,
                 bool excluded);
void http_map_free(struct http_map *m);

/* Maps URL (as decoded by the HTTP library) to root *ROOT and *REL, the path
 * to open beneath that root ("." for the root itself; the caller frees it).
 * Returns 0, CB_ENOTFOUND (nothing served there) or CB_ENOMEM. *REL never
 * starts with "/", never has a ".." segment. */
int http_resolve(const struct http_map *m, const char *url, size_t *root, char **rel);

#endif
