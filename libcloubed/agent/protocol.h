/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * protocol.h: the QEMU guest agent's JSON protocol (internal): requests
 * built and replies read with json-glib, data in base64. Pure code: no
 * libvirt, no I/O, so that unit tests cover it whole (the transport is
 * agent/call.c).
 */
#ifndef CB_INTERNAL_AGENT_PROTOCOL_H
#define CB_INTERNAL_AGENT_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>

/* Requests: a JSON document ({"execute":..., "arguments":{...}}), never
 * NULL (GLib aborts when it cannot allocate); free with g_free(). */
char *agent_req_ping(void);
/* guest-exec with capture-output; ENV NULL (the agent's environment) or
 * NULL-terminated; INPUT NULL (none) or INPUT_LEN bytes. */
char *agent_req_exec(const char *const *argv, const char *const *env, const void *input,
                     size_t input_len);
char *agent_req_exec_status(long long pid);
char *agent_req_file_open(const char *path, const char *mode);
char *agent_req_file_write(long long handle, const void *data, size_t len);
char *agent_req_file_read(long long handle, size_t count);
char *agent_req_file_close(long long handle);
/* guest-set-time to NS nanoseconds since the epoch (UTC). */
char *agent_req_set_time(long long ns);

/* Replies. Each returns 0, or CB_EIO ("the guest agent's reply to WHAT
 * ...: REASON") when REPLY is not what the command answers, or CB_ELIBVIRT
 * with the agent's own description when REPLY is an {"error":...}. */

/* {"return":{MEMBER:N}} (guest-exec's pid) or {"return":N} (MEMBER NULL:
 * guest-file-open's handle). */
int agent_reply_int(long long *out, const char *reply, const char *what, const char *member);

/* guest-exec-status. The streams are kept up to CAP bytes each (the rest
 * dropped and flagged, as are the streams the agent itself truncated),
 * NUL-terminated; free with agent_exec_status_clear(). */
struct agent_exec_status {
    bool exited;
    int exitcode;       /* -1 when killed by a signal */
    int signal;         /* 0 when it exited */
    char *out, *err;    /* NULL until exited */
    size_t out_len, err_len;
    bool out_truncated, err_truncated;
};
int agent_reply_exec_status(struct agent_exec_status *st, const char *reply, size_t cap);
void agent_exec_status_clear(struct agent_exec_status *st);

/* guest-file-read: the bytes (free with g_free(), NULL when none), their
 * count, and whether the file ended. */
int agent_reply_file_read(unsigned char **data, size_t *len, bool *eof, const char *reply);
/* guest-file-write: how many bytes the agent wrote. */
int agent_reply_file_write(size_t *written, const char *reply);

#endif
