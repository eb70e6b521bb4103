/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * spawn.h: running the host's tools (qemu-img, ssh-keygen) (internal).
 */
#ifndef CB_INTERNAL_SPAWN_H
#define CB_INTERNAL_SPAWN_H

/* Runs ARGV (NULL-terminated; ARGV[0] looked up in PATH) with no input and
 * waits for it. 0 when it exits with 0, *OUT (if not NULL) then holding its
 * standard output (free()). Otherwise CB_EIO: "WHAT: ARGV[0] failed
 * (exit status N): its last line of stderr", or CB_EUNSUPPORTED when the
 * tool is not installed. Any thread. */
int spawn_run(const char *what, const char *const *argv, char **out);

#endif
