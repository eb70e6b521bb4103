/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * file.c: files of the guest through the agent: guest-file-open, then
 * guest-file-write or guest-file-read in chunks, guest-file-close; and the
 * host-file copies built on them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "agent/call.h"
#include "agent/protocol.h"
#include "util/error.h"
#include "util/util.h"

#include <cloubed/agent.h>

/* 1 MiB of data is 1.4 MB of base64: well under libvirt's 4 MiB message
 * strings, and few round trips. */
#define CHUNK ((size_t)1 << 20)
/* One request's answer; a chunk under TCG takes well under a second. */
#define FILE_CALL_MS (120 * 1000)

/* An open guest file. */
struct gfile {
    cb_domain *d;
    virDomainPtr dom;
    long long handle;
    const char *path;
};

static int gfile_open(struct gfile *f, cb_domain *d, const char *path, const char *mode)
{
    g_autofree char *req = NULL;
    char *reply = NULL;
    int rc;

    f->d = d;
    f->path = path;
    if ((rc = agent_domain(d, &f->dom)) < 0)
        return rc;
    req = agent_req_file_open(path, mode);
    if ((rc = agent_call(d, f->dom, req, FILE_CALL_MS, "guest-file-open", &reply)) == 0)
        rc = agent_reply_int(&f->handle, reply, "guest-file-open", NULL);
    free(reply);
    if (rc < 0)
        virDomainFree(f->dom);
    return rc;
}

/* Closes F; RC is the outcome so far, returned unless the close fails a
 * successful transfer (a write not flushed is a failed write). */
static int gfile_close(struct gfile *f, int rc)
{
    g_autofree char *req = agent_req_file_close(f->handle);
    char *reply = NULL;
    char *saved = rc < 0 ? str_dup(cb_error_last()->message) : NULL;
    int crc = agent_call(f->d, f->dom, req, FILE_CALL_MS, "guest-file-close", &reply);

    free(reply);
    virDomainFree(f->dom);
    if (rc < 0) {
        err_set(rc, "%s", saved ? saved : "guest file transfer failed");
        free(saved);
        return rc;
    }
    return crc;
}

static int gfile_write(struct gfile *f, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t done = 0, n, written;
    char *reply;
    int rc = 0;

    while (done < len && rc == 0) {
        g_autofree char *req = NULL;
        n = len - done < CHUNK ? len - done : CHUNK;
        req = agent_req_file_write(f->handle, p + done, n);
        reply = NULL;
        if ((rc = agent_call(f->d, f->dom, req, FILE_CALL_MS, "guest-file-write", &reply)) == 0 &&
            (rc = agent_reply_file_write(&written, reply)) == 0 && written != n)
            rc = err_set(CB_EIO, "domain %s: the guest agent wrote %zu of %zu bytes to %s",
                         f->d->name, written, n, f->path);
        free(reply);
        done += n;
    }
    return rc;
}

/* Reads one chunk: *DATA (g_free) and *LEN, *EOF. */
static int gfile_read(struct gfile *f, unsigned char **data, size_t *len, bool *eof)
{
    g_autofree char *req = agent_req_file_read(f->handle, CHUNK);
    char *reply = NULL;
    int rc;

    if ((rc = agent_call(f->d, f->dom, req, FILE_CALL_MS, "guest-file-read", &reply)) == 0)
        rc = agent_reply_file_read(data, len, eof, reply);
    free(reply);
    return rc;
}

int cb_domain_file_write(cb_domain *d, const char *guest_path, const void *data, size_t len,
                         unsigned int flags)
{
    struct gfile f;
    int rc;

    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if (!guest_path)
        return ARG_FAIL(guest_path);
    if (!data && len)
        return ARG_FAIL(data);
    if ((rc = gfile_open(&f, d, guest_path, "w")) < 0)
        return rc;
    return gfile_close(&f, gfile_write(&f, data, len));
}

int cb_domain_file_read(void **data, size_t *len, cb_domain *d, const char *guest_path,
                        size_t max_len, unsigned int flags)
{
    GByteArray *all;
    unsigned char *chunk;
    struct gfile f;
    size_t n;
    bool eof = false;
    int rc;

    if (!data)
        return ARG_FAIL(data);
    *data = NULL;
    if (!len)
        return ARG_FAIL(len);
    *len = 0;
    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if (!guest_path)
        return ARG_FAIL(guest_path);
    if ((rc = gfile_open(&f, d, guest_path, "r")) < 0)
        return rc;
    all = g_byte_array_new();
    while (!eof && (rc = gfile_read(&f, &chunk, &n, &eof)) == 0) {
        if (n)
            g_byte_array_append(all, chunk, (guint)n);
        g_free(chunk);
        if (max_len && all->len > max_len) {
            rc = err_set(CB_EIO, "domain %s: guest file %s is longer than %zu bytes", d->name,
                         guest_path, max_len);
            break;
        }
        if (n == 0)
            break; /* nothing more, whatever eof says */
    }
    if ((rc = gfile_close(&f, rc)) < 0) {
        g_byte_array_free(all, TRUE);
        return rc;
    }
    *len = all->len;
    g_byte_array_append(all, (const guint8 *)"", 1); /* the NUL after the data */
    *data = malloc(all->len);
    if (!*data) {
        g_byte_array_free(all, TRUE);
        *len = 0;
        return err_oom();
    }
    memcpy(*data, all->data, all->len);
    g_byte_array_free(all, TRUE);
    return 0;
}

int cb_domain_copy_to(cb_domain *d, const char *host_path, const char *guest_path,
                      unsigned int flags)
{
    unsigned char *buf;
    struct gfile f;
    ssize_t n;
    int fd, rc;

    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if (!host_path)
        return ARG_FAIL(host_path);
    if (!guest_path)
        return ARG_FAIL(guest_path);
    if ((fd = open(host_path, O_RDONLY | O_CLOEXEC)) < 0)
        return err_set(CB_EIO, "cannot read %s: %s", host_path, strerror(errno));
    if ((rc = gfile_open(&f, d, guest_path, "w")) < 0) {
        close(fd);
        return rc;
    }
    buf = g_malloc(CHUNK);
    do {
        n = read(fd, buf, CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = err_set(CB_EIO, "cannot read %s: %s", host_path, strerror(errno));
        else if (n > 0)
            rc = gfile_write(&f, buf, (size_t)n);
    } while (n != 0 && rc == 0);
    g_free(buf);
    close(fd);
    return gfile_close(&f, rc);
}

int cb_domain_copy_from(cb_domain *d, const char *guest_path, const char *host_path,
                        unsigned int flags)
{
    g_autofree char *tmp = NULL;
    unsigned char *chunk;
    struct gfile f;
    bool eof = false;
    FILE *out;
    size_t n;
    int fd, rc;

    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if (!guest_path)
        return ARG_FAIL(guest_path);
    if (!host_path)
        return ARG_FAIL(host_path);
    /* a temporary beside the target, renamed when complete: no half file */
    tmp = g_strdup_printf("%s.cloubed-XXXXXX", host_path);
    if ((fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0644)) < 0)
        return err_set(CB_EIO, "cannot write %s: %s", host_path, strerror(errno));
    if (!(out = fdopen(fd, "wb"))) {
        close(fd);
        unlink(tmp);
        return err_oom();
    }
    if ((rc = gfile_open(&f, d, guest_path, "r")) < 0) {
        fclose(out);
        unlink(tmp);
        return rc;
    }
    while (!eof && (rc = gfile_read(&f, &chunk, &n, &eof)) == 0) {
        if (n && fwrite(chunk, 1, n, out) != n)
            rc = err_set(CB_EIO, "cannot write %s: %s", tmp, strerror(errno));
        g_free(chunk);
        if (rc < 0 || n == 0)
            break;
    }
    rc = gfile_close(&f, rc);
    if (fclose(out) != 0 && rc == 0)
        rc = err_set(CB_EIO, "cannot write %s: %s", tmp, strerror(errno));
    if (rc == 0 && rename(tmp, host_path) < 0)
        rc = err_set(CB_EIO, "cannot rename %s to %s: %s", tmp, host_path, strerror(errno));
    if (rc < 0)
        unlink(tmp);
    return rc;
}
