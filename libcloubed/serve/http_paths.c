/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * http_paths.c: what the installer HTTP server may serve, by path.
 *
 * Text only: the server then opens *REL beneath the root's own directory
 * with openat2(RESOLVE_BENEATH), so a symbolic link cannot lead out of the
 * root the text check chose.
 */
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "serve/http_paths.h"
#include "util/util.h"

/* True when P is PREFIX or lies under it ("" contains everything). */
static bool under(const char *p, const char *prefix)
{
    size_t n = strlen(prefix);

    if (n == 0)
        return true;
    return strncmp(p, prefix, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

/* Relative form of absolute PATH under DIR, or NULL when outside. */
static char *relative(const char *dir, const char *path)
{
    char *norm, *rel;
    size_t n = strlen(dir);

    if (!path_is_beneath(dir, path) || !(norm = path_normalize(path)))
        return NULL;
    while (n > 1 && dir[n - 1] == '/')
        n--;
    rel = str_dup(n == 1 ? norm + 1 : (norm[n] ? norm + n + 1 : ""));
    free(norm);
    return rel;
}

int http_map_add(struct http_map *m, const char *dir, const char *abs_path, bool is_file,
                 bool excluded)
{
    char *rel = relative(dir, abs_path);
    void *grown;

    if (!rel)
        return path_is_beneath(dir, abs_path) ? CB_ENOMEM : 0;
    if (excluded) {
        grown = realloc(m->excluded, (m->n_excluded + 1) * sizeof(*m->excluded));
        if (!grown)
            goto oom;
        m->excluded = grown;
        m->excluded[m->n_excluded++] = rel;
    } else {
        grown = realloc(m->roots, (m->n_roots + 1) * sizeof(*m->roots));
        if (!grown)
            goto oom;
        m->roots = grown;
        m->roots[m->n_roots].prefix = rel;
        m->roots[m->n_roots++].is_file = is_file;
    }
    return 0;
oom:
    free(rel);
    return err_oom();
}

int http_map_build(const struct model *md, struct http_map *m)
{
    size_t i, j;
    int rc = 0;

    memset(m, 0, sizeof(*m));
    for (i = 0; i < md->domains.n && rc == 0; i++)
        for (j = 0; j < md->domains.v[i]->tpl_files.n && rc == 0; j++)
            rc = http_map_add(m, md->dir, md->domains.v[i]->tpl_files.v[j].output, true, false);
    for (i = 0; i < md->networks.n && rc == 0; i++)
        if (md->networks.v[i]->pxe_dir)
            rc = http_map_add(m, md->dir, md->networks.v[i]->pxe_dir, false, false);
    if (rc == 0 && md->http_root)
        rc = http_map_add(m, md->dir, md->http_root, false, false);
    for (i = 0; i < md->pools.n && rc == 0; i++)
        rc = http_map_add(m, md->dir, md->pools.v[i]->path, false, true);
    if (rc == 0)
        rc = http_map_add(m, md->dir, md->state_dir, false, true);
    if (rc == 0) {
        const char *slash = strrchr(md->path, '/');
        char *file = str_printf("%s/%s", md->dir, slash ? slash + 1 : md->path);
        rc = file ? http_map_add(m, md->dir, file, true, true) : CB_ENOMEM;
        free(file);
    }
    if (rc < 0)
        http_map_free(m);
    return rc;
}

void http_map_free(struct http_map *m)
{
    size_t i;

    for (i = 0; i < m->n_roots; i++)
        free(m->roots[i].prefix);
    for (i = 0; i < m->n_excluded; i++)
        free(m->excluded[i]);
    free(m->roots);
    free(m->excluded);
    memset(m, 0, sizeof(*m));
}

/* True when a segment of P starts with a dot: ".git", ".cloubed". */
static bool has_hidden_segment(const char *p)
{
    const char *s;

    for (s = p; *s; s++)
        if (*s == '.' && (s == p || s[-1] == '/'))
            return true;
    return false;
}

int http_resolve(const struct http_map *m, const char *url, size_t *root, char **rel)
{
    char *norm;
    const char *path;
    size_t i, best = (size_t)-1, best_len = 0;
    int rc = CB_ENOTFOUND;

    *rel = NULL;
    if (url[0] != '/')
        return CB_ENOTFOUND;
    /* ".." is resolved as text, never above "/": nothing above the testbed
     * directory can be named. */
    if (!(norm = path_normalize(url)))
        return CB_ENOMEM;
    path = norm + 1;
    for (i = 0; i < m->n_excluded; i++)
        if (under(path, m->excluded[i]))
            goto out;
    for (i = 0; i < m->n_roots; i++) {
        const struct http_root *r = &m->roots[i];
        size_t n = strlen(r->prefix);
        if (r->is_file ? strcmp(path, r->prefix) == 0 : under(path, r->prefix)) {
            /* an exact file beats a directory; then the deepest directory */
            if (best == (size_t)-1 || r->is_file || (!m->roots[best].is_file && n > best_len)) {
                best = i;
                best_len = n;
            }
        }
    }
    if (best == (size_t)-1)
        goto out;
    if (m->roots[best].is_file) {
        *rel = str_dup(path);
    } else {
        const char *rest = path + best_len;
        while (*rest == '/')
            rest++;
        if (has_hidden_segment(rest))
            goto out;
        *rel = str_dup(*rest ? rest : ".");
    }
    *root = best;
    rc = *rel ? 0 : CB_ENOMEM;
out:
    free(norm);
    return rc;
}
