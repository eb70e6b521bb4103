/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * util.h: allocation and string helpers (internal). Each one records
 * CB_ENOMEM as the last error when it fails.
 */
#ifndef CB_INTERNAL_UTIL_H
#define CB_INTERNAL_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Returns a new string, or NULL (CB_ENOMEM set). */
char *str_dup(const char *s);
char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Makes room for one more element in *ARR (N used, *CAP allocated, ELEM bytes
 * each). Returns 0 or CB_ENOMEM. */
int array_reserve(void *arr, size_t *cap, size_t n, size_t elem);

/* Returns PATH if absolute, else DIR/PATH; a new string or NULL. */
char *path_resolve(const char *dir, const char *path);

/* PATH (absolute) with ".", ".." and repeated slashes resolved by text
 * alone, symbolic links not followed; ".." above "/" stays at "/". A new
 * string or NULL. */
char *path_normalize(const char *path);
/* True when absolute PATH, normalized, is ROOT (absolute, normalized) or
 * lies under it. Text only: the caller deals with symbolic links. */
bool path_is_beneath(const char *root, const char *path);

/* Edit distance limited to what "did you mean" needs: true when A and B
 * differ by one insertion, deletion, substitution or adjacent swap. */
bool str_one_edit_apart(const char *a, const char *b);

/* Hands over the text of B, freeing B. For free(), as the public API
 * promises: GLib allocates with malloc (since 2.46). Strings are built with
 * GString, which aborts on allocation failure, as libvirt does. */
static inline char *gstring_steal(GString *b)
{
    return g_string_free(b, FALSE);
}

#endif
