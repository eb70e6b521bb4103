/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * util.h: allocation and string helpers (internal). Each one records
 * CB_ENOMEM as the last error when it fails.
 */
#ifndef CB_INTERNAL_UTIL_H
#define CB_INTERNAL_UTIL_H

#include <stdbool.h>
#include <stddef.h>

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

/* A growing string; every append keeps it NUL-terminated. On allocation
 * failure `failed` is set and later appends do nothing. */
struct strbuf {
    char *s;
    size_t len, cap;
    bool failed;
};
void sb_append(struct strbuf *b, const char *s);
void sb_appendf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends S as a JSON string literal, or null when S is NULL. */
void sb_json_string(struct strbuf *b, const char *s);
/* Returns the string (the caller frees it), or NULL with CB_ENOMEM. */
char *sb_finish(struct strbuf *b);

#endif
