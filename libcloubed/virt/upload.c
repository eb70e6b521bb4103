/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * upload.c: a volume's content through virStorageVolUpload and a stream.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "util/error.h"
#include "virt/connection.h"
#include "virt/upload.h"

struct source {
    int fd;
    const char *buf;
    size_t len, pos;
    int err;      /* errno of a failed read */
};

static int source_read(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    struct source *s = opaque;
    ssize_t n;

    (void)st;
    if (s->fd < 0) {
        n = (ssize_t)(s->len - s->pos < nbytes ? s->len - s->pos : nbytes);
        memcpy(data, s->buf + s->pos, (size_t)n);
        s->pos += (size_t)n;
        return (int)n;
    }
    do
        n = read(s->fd, data, nbytes);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        s->err = errno;
    return (int)n;
}

int vol_upload(virConnectPtr c, virStorageVolPtr vol, const char *name, int fd, const void *buf,
               size_t len)
{
    struct source s = { fd, buf, len, 0, 0 };
    virStreamPtr st = virStreamNew(c, 0);
    int rc = 0;

    if (!st)
        return lv_fail("cannot upload storage volume %s", name);
    if (virStorageVolUpload(vol, st, 0, 0, 0) < 0) {
        rc = lv_last_code() == VIR_ERR_NO_SUPPORT
                 ? (virResetLastError(),
                    err_set(CB_EUNSUPPORTED, "cannot upload storage volume %s: the storage "
                                             "driver does not support it", name))
                 : lv_fail("cannot upload storage volume %s", name);
        virStreamFree(st);
        return rc;
    }
    if (virStreamSendAll(st, source_read, &s) < 0) {
        rc = s.err ? err_set(CB_EIO, "cannot upload storage volume %s: reading: %s", name,
                             strerror(s.err))
                   : lv_fail("cannot upload storage volume %s", name);
        /* virStreamSendAll aborted the stream already */
    } else if (virStreamFinish(st) < 0) {
        rc = lv_fail("cannot upload storage volume %s", name);
    }
    virStreamFree(st);
    return rc;
}
