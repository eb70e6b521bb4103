/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_helpers.h: small helpers shared by the cmocka tests (unit, integration, e2e).
 */
#ifndef CB_TEST_HELPERS_H
#define CB_TEST_HELPERS_H

#include <stdbool.h>
#include <stddef.h>

#include <cloubed/cloubed.h>

/* A fresh directory under $TMPDIR (removed by th_rmtree). */
char *th_mkdtemp(void);
void th_rmtree(const char *dir);
/* Writes LEN bytes of DATA to DIR/NAME; returns the path (free it). */
char *th_write(const char *dir, const char *name, const char *data, size_t len);
/* Reads a whole file; NULL if it cannot. */
char *th_read(const char *path);
/* Replaces every FROM in S by TO; returns a new string. */
char *th_replace(const char *s, const char *from, const char *to);

/* Collects log messages for assertions (not debug ones, which the event
 * loop thread sends). */
struct th_log {
    char text[16384];
    int warnings;
};
void th_log_cb(cb_log_level level, const char *message, void *payload);

/* Writes YAML to DIR/SUB/cloubed.yaml (DIR/cloubed.yaml if SUB is NULL;
 * SUB is made and must be new) and opens it on URI as user "tester",
 * logging through LOG_CB with PAYLOAD. Fails the running cmocka test if it
 * cannot; the caller frees the testbed. */
cb_testbed *th_open_yaml(const char *dir, const char *sub, const char *yaml, const char *uri,
                         cb_log_cb log_cb, void *payload);

#endif
