/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * upload.h: filling a storage volume through libvirt's stream (internal).
 */
#ifndef CB_INTERNAL_UPLOAD_H
#define CB_INTERNAL_UPLOAD_H

#include <stddef.h>
#include <libvirt/libvirt.h>

/* Writes the volume VOL (named NAME in messages) from the start with the
 * bytes of open file FD (to its end) when FD >= 0, else the LEN bytes of
 * BUF, through virStorageVolUpload: the daemon writes the file, as its
 * owner, local or remote. CB_EUNSUPPORTED when the driver cannot upload
 * (the test driver), CB_ELIBVIRT / CB_EIO otherwise. */
int vol_upload(virConnectPtr c, virStorageVolPtr vol, const char *name, int fd, const void *buf,
               size_t len);

#endif
