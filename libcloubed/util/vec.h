/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * vec.h: growable arrays (internal).
 */
#ifndef CB_INTERNAL_VEC_H
#define CB_INTERNAL_VEC_H

#include <stddef.h>

#include <cloubed/errors.h>

#include "util/util.h"

/* A growable array; push with VEC_PUSH. */
#define VEC(type) struct { type *v; size_t n, cap; }
#define VEC_PUSH(vec, item)                                                         \
    (array_reserve(&(vec).v, &(vec).cap, (vec).n, sizeof(*(vec).v)) < 0 ? CB_ENOMEM \
                                                                        : ((vec).v[(vec).n++] = (item), 0))

/* Lookup by name, written once: the first of ITEMS[0..N) whose char *
 * field at byte offset OFF equals KEY, or NULL. For arrays of pointers
 * (vec_find_str) and arrays of structs of ELEM bytes (vec_find_str_inline). */
void *vec_find_str(void *const *items, size_t n, size_t off, const char *key);
void *vec_find_str_inline(const void *items, size_t n, size_t elem, size_t off, const char *key);

/* The item of VEC (a VEC of pointers to structs) whose FIELD equals KEY. */
#define VEC_FIND(vec, field, key)                                                  \
    ((__typeof__(*(vec).v))vec_find_str((void *const *)(vec).v, (vec).n,           \
                                        offsetof(__typeof__(**(vec).v), field), (key)))
/* The same for a VEC of structs: a pointer into the array, or NULL. */
#define VEC_FIND_INLINE(vec, field, key)                                            \
    ((__typeof__(&*(vec).v))vec_find_str_inline((vec).v, (vec).n, sizeof(*(vec).v), \
                                                offsetof(__typeof__(*(vec).v), field), (key)))

#endif
