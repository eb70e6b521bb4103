/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * lock.h: one cloubed process at a time changes a testbed.
 *
 * The lock is the command's, not the library's: a command is one action
 * from start to end (a boot, then its status) and is serialised as a
 * whole, while a library caller (a test harness) runs in one process and
 * orders its own calls; it does not take this lock, so the command and a
 * harness on one testbed at once are not serialised.
 */
#ifndef CLOUBED_TOOL_LOCK_H
#define CLOUBED_TOOL_LOCK_H

#include <cloubed/cloubed.h>

/* Takes DIR/.cloubed/TESTBED/lock (flock, exclusive), waiting for the
 * holder with a message naming it, and records this process's pid and
 * COMMAND in it. Returns a descriptor for lock_release, or -1 after
 * printing the error. The kernel drops the lock when the process dies. */
int lock_take(cb_testbed *tb, const char *command);
/* Releases the lock; with REMOVE (cleanup), removes the lock file and the
 * state directories when they are empty. */
void lock_release(cb_testbed *tb, int fd, int remove);

#endif
