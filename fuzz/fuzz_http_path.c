/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * fuzz_http_path.c: libFuzzer entry point for the HTTP server's request
 * path resolution (http_paths.c), without a socket: any decoded URL must
 * map to nothing, or to a path that stays inside the served root it names,
 * outside every excluded path, without ".." and without a hidden name below
 * a served directory.
 *
 * Build: CC=clang meson setup build-fuzz -Dfuzz=true -Db_lundef=false
 * Run:   build-fuzz/fuzz/fuzz-http-path fuzz/corpus-http-path -timeout=10
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serve/http_paths.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DIR "/srv/bed"

/* Two maps: a realistic testbed, and one that serves its whole directory
 * (`http: {root: .}`), where only the exclusions protect. */
static struct http_map maps[2];

static void build(void)
{
    static const char *const files[] = { DIR "/out/answers.cfg", DIR "/tftp/boot.ipxe" };
    static const char *const dirs[] = { DIR "/tftp", DIR "/boot", DIR "/www/deep/er" };
    static const char *const excluded[] = { DIR "/pool", DIR "/.cloubed/bed", DIR "/cloubed.yaml",
                                            DIR "/www/deep/er/pool" };
    size_t i;

    for (i = 0; i < 2; i++) {
        size_t j;
        for (j = 0; j < sizeof(files) / sizeof(files[0]); j++)
            if (http_map_add(&maps[i], DIR, files[j], true, false) < 0)
                abort();
        for (j = 0; j < sizeof(dirs) / sizeof(dirs[0]); j++)
            if (http_map_add(&maps[i], DIR, dirs[j], false, false) < 0)
                abort();
        for (j = 0; j < sizeof(excluded) / sizeof(excluded[0]); j++)
            if (http_map_add(&maps[i], DIR, excluded[j], false, true) < 0)
                abort();
    }
    /* outside the directory: ignored, never served */
    if (http_map_add(&maps[1], DIR, "/etc", false, false) < 0 ||
        http_map_add(&maps[1], DIR, DIR "/.", false, false) < 0)
        abort();
}

static void check(const struct http_map *m, size_t root, const char *rel)
{
    const struct http_root *r;
    char *full, *norm;
    size_t i;

    if (root >= m->n_roots || !*rel || rel[0] == '/')
        abort();
    r = &m->roots[root];
    /* no ".." segment: the kernel then keeps the open beneath the root */
    for (i = 0; rel[i]; i++)
        if (rel[i] == '.' && rel[i + 1] == '.' && (i == 0 || rel[i - 1] == '/') &&
            (rel[i + 2] == '/' || rel[i + 2] == '\0'))
            abort();
    if (r->is_file) {
        if (strcmp(rel, r->prefix) != 0)
            abort();
        full = str_printf(DIR "/%s", rel);
    } else {
        full = str_printf(DIR "/%s%s%s", r->prefix, *r->prefix ? "/" : "", rel);
    }
    if (!full || !(norm = path_normalize(full)))
        abort();
    if (!path_is_beneath(DIR, norm))
        abort();
    for (i = 0; i < m->n_excluded; i++) {
        char *ex = str_printf(DIR "/%s", m->excluded[i]);
        if (!ex)
            abort();
        if (path_is_beneath(ex, norm))
            abort();
        free(ex);
    }
    if (!r->is_file && (strstr(rel, "/.") || (rel[0] == '.' && rel[1] != '\0')))
        abort(); /* a hidden name below a served directory */
    free(norm);
    free(full);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *url = malloc(size + 1), *rel;
    size_t i, root;

    if (!url)
        return 0;
    if (!maps[0].n_roots)
        build();
    memcpy(url, data, size);
    url[size] = '\0';
    for (i = 0; i < 2; i++) {
        int rc = http_resolve(&maps[i], url, &root, &rel);
        if (rc == 0) {
            check(&maps[i], root, rel);
            free(rel);
        } else if (rc != CB_ENOTFOUND) {
            abort();
        }
    }
    free(url);
    return 0;
}
