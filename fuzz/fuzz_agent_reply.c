/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * fuzz_agent_reply.c: libFuzzer entry point for the guest agent's replies
 * (libcloubed/agent/protocol.c). A reply comes from inside the guest, so it
 * is untrusted input: any text is read by every reply parser, and each
 * either succeeds with consistent results or fails with CB_EIO or
 * CB_ELIBVIRT and a one-line message, never more.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <cloubed/cloubed.h>

#include "agent/protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed parse: only the codes the header promises, one line. */
static void check_failure(int rc)
{
    if (rc == 0)
        return;
    if ((rc != CB_EIO && rc != CB_ELIBVIRT) || cb_error_last()->code != rc ||
        strchr(cb_error_last()->message, '\n')) {
        fprintf(stderr, "rc %d, code %d, message: %s\n", rc, cb_error_last()->code,
                cb_error_last()->message);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *reply = g_strndup((const char *)data, size); /* an inner NUL ends it, as from libvirt */
    struct agent_exec_status st;
    unsigned char *bytes = NULL;
    size_t len = 0, written = 0;
    long long n;
    bool eof;
    int rc;

    check_failure(agent_reply_int(&n, reply, "guest-exec", "pid"));
    check_failure(agent_reply_int(&n, reply, "guest-file-open", NULL));
    memset(&st, 0, sizeof(st));
    rc = agent_reply_exec_status(&st, reply, 64);
    check_failure(rc);
    if (rc == 0 && st.exited && (!st.out || !st.err || st.out_len > 64 || st.err_len > 64 ||
                                 st.out[st.out_len] || st.err[st.err_len]))
        abort(); /* the cap holds and the streams are NUL-terminated */
    agent_exec_status_clear(&st);
    rc = agent_reply_file_read(&bytes, &len, &eof, reply);
    check_failure(rc);
    if (rc < 0 && (bytes || len))
        abort(); /* nothing handed over on failure */
    g_free(bytes);
    check_failure(agent_reply_file_write(&written, reply));
    g_free(reply);
    return 0;
}
