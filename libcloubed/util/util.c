/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * util.c: allocation and string helpers.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/util.h"
#include "util/vec.h"

char *str_dup(const char *s)
{
    char *r = strdup(s);
    if (!r)
        err_oom();
    return r;
}

char *str_printf(const char *fmt, ...)
{
    char buf[256], *r = NULL;
    va_list ap;
    int n;

    /* Most results are short names and paths: formatted on the stack and
     * copied at their size, rather than vasprintf's growing buffer (twice
     * the time, and a larger block per name when a testbed has thousands). */
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof(buf)) {
        if ((r = malloc((size_t)n + 1)))
            memcpy(r, buf, (size_t)n + 1);
    } else if (n >= 0) {
        va_start(ap, fmt);
        if (vasprintf(&r, fmt, ap) < 0)
            r = NULL;
        va_end(ap);
    }
    if (!r)
        err_oom();
    return r;
}

int array_reserve(void *arr, size_t *cap, size_t n, size_t elem)
{
    void **p = arr;
    size_t ncap;
    void *tmp;

    if (n < *cap)
        return 0;
    ncap = *cap ? *cap * 2 : 4;
    if (ncap > SIZE_MAX / elem)
        return err_oom();
    tmp = realloc(*p, ncap * elem);
    if (!tmp)
        return err_oom();
    memset((char *)tmp + *cap * elem, 0, (ncap - *cap) * elem);
    *p = tmp;
    *cap = ncap;
    return 0;
}

char *path_resolve(const char *dir, const char *path)
{
    if (path[0] == '/')
        return str_dup(path);
    return str_printf("%s/%s", dir, path);
}

char *path_normalize(const char *path)
{
    char *out = malloc(strlen(path) + 2), *w = out;
    const char *p = path;

    if (!out) {
        err_oom();
        return NULL;
    }
    *w++ = '/';
    while (*p) {
        const char *seg;
        size_t n;

        while (*p == '/')
            p++;
        seg = p;
        while (*p && *p != '/')
            p++;
        n = (size_t)(p - seg);
        if (n == 0 || (n == 1 && seg[0] == '.'))
            continue;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            /* back to the previous slash, never above the root */
            if (w > out + 1) {
                w--;
                while (w > out + 1 && w[-1] != '/')
                    w--;
            }
            continue;
        }
        memcpy(w, seg, n);
        w += n;
        *w++ = '/';
    }
    if (w > out + 1)
        w--; /* no trailing slash */
    *w = '\0';
    return out;
}

bool path_is_beneath(const char *root, const char *path)
{
    char *norm = path[0] == '/' ? path_normalize(path) : NULL;
    size_t n = strlen(root);
    bool in;

    if (!norm)
        return false;
    while (n > 1 && root[n - 1] == '/')
        n--;
    in = strncmp(norm, root, n) == 0 && (norm[n] == '/' || norm[n] == '\0' || n == 1);
    free(norm);
    return in;
}

bool str_one_edit_apart(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i = 0;

    if (la == lb) {
        while (i < la && a[i] == b[i])
            i++;
        if (i == la)
            return false; /* equal */
        /* substitution */
        if (strcmp(a + i + 1, b + i + 1) == 0)
            return true;
        /* adjacent transposition */
        return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
               strcmp(a + i + 2, b + i + 2) == 0;
    }
    if (la + 1 == lb)
        return str_one_edit_apart(b, a);
    if (la != lb + 1)
        return false;
    /* a has one extra character */
    while (i < lb && a[i] == b[i])
        i++;
    return strcmp(a + i + 1, b + i) == 0;
}
void *vec_find_str(void *const *items, size_t n, size_t off, const char *key)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(*(char *const *)((const char *)items[i] + off), key) == 0)
            return items[i];
    return NULL;
}

void *vec_find_str_inline(const void *items, size_t n, size_t elem, size_t off, const char *key)
{
    const char *p = items;
    size_t i;

    for (i = 0; i < n; i++, p += elem)
        if (strcmp(*(char *const *)(p + off), key) == 0)
            return (void *)p;
    return NULL;
}
