/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * state_dir.h: the testbed's state directory (internal).
 */
#ifndef CB_INTERNAL_STATE_DIR_H
#define CB_INTERNAL_STATE_DIR_H

/* Creates DIR/.cloubed and STATE_DIR (the testbed's, beneath it), where
 * console logs go: mode 0700, owned by this user, never through a symlink
 * (CB_EIO otherwise). */
int state_dir_make(const char *dir, const char *state_dir);

#endif
