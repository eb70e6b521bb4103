/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * readiness.h: the TCP wait behind cb_domain_wait_tcp and
 * cb_domain_wait_ssh (internal).
 */
#ifndef CB_INTERNAL_READINESS_H
#define CB_INTERNAL_READINESS_H

#include <cloubed/cloubed.h>

/* cb_domain_wait_tcp on PORT; with BANNER, an attempt succeeds only once
 * the server's first bytes are BANNER (cb_domain_wait_ssh: port 22,
 * "SSH-"; tests use a port of their own). */
int wait_port(cb_domain *d, unsigned int port, const char *banner, int timeout_ms,
              unsigned int flags);

#endif
