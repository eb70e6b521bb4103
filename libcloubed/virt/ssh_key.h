/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * ssh_key.h: the testbed's own SSH key pair (internal).
 */
#ifndef CB_INTERNAL_SSH_KEY_H
#define CB_INTERNAL_SSH_KEY_H

#include "testbed.h"

/* The key pair in the state directory, made on first need: *PRIV its
 * private half's path, *PUB (if not NULL) its public line; both free().
 * Any thread (made under tb->rt.ops_lock; across processes, the first
 * link() wins). */
int ssh_key_get(cb_testbed *tb, char **priv, char **pub);
/* The files the key pair and `cloubed ssh` leave in the state directory:
 * removed by cleanup. */
int ssh_key_remove(cb_testbed *tb);

#endif
