/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * gen_record.h: the record of the files `gen` wrote (internal), so that
 * cleanup removes those and nothing else.
 */
#ifndef CB_INTERNAL_GEN_RECORD_H
#define CB_INTERNAL_GEN_RECORD_H

#include <stddef.h>

#include "testbed.h"

/* Records that PATH now holds the LEN bytes at TEXT: an entry (path and
 * SHA-256) in DIR/.cloubed/TESTBED/generated, replaced atomically. The
 * caller holds tb->rt.ops_lock. Returns 0, CB_EINVAL (a path with a newline
 * cannot be recorded) or CB_EIO. */
int gen_record_add(cb_testbed *tb, const char *path, const char *text, size_t len);

/* Removes every recorded file that still holds what gen wrote (others are
 * kept, with a warning), then the record itself. The caller holds
 * tb->rt.ops_lock. Returns 0 or the last failure. */
int gen_record_cleanup(cb_testbed *tb);

/* The SHA-256 of the regular file at PATH in hex, or NULL (not a regular
 * file, unreadable). Never follows a final symbolic link, never blocks on a
 * FIFO. The caller frees the result with g_free(). */
char *gen_file_digest(const char *path);

#endif
