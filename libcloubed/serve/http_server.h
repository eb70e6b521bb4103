/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * http_server.h: the installer HTTP server (internal).
 */
#ifndef CB_INTERNAL_HTTP_SERVER_H
#define CB_INTERNAL_HTTP_SERVER_H

#include "testbed.h"

/* Stops every server of the testbed (cb_testbed_free). */
void http_stop_all(cb_testbed *tb);

#endif
