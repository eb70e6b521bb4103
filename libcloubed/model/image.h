/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * image.h: what a disk image file is, by its first bytes (internal).
 */
#ifndef CB_INTERNAL_IMAGE_H
#define CB_INTERNAL_IMAGE_H

#include "model/model.h"

enum image_probe {
    IMAGE_OK,          /* *FORMAT and *VSIZE set */
    IMAGE_UNREADABLE,  /* errno set */
    IMAGE_EMPTY,       /* a file of 0 bytes */
    IMAGE_NOT_FILE,    /* a directory, a device, a FIFO */
    IMAGE_OTHER,       /* a known format that is not imported: *OTHER names it */
};

/* Reads the first bytes of PATH: qcow2 (magic "QFI\xfb", version 2 or 3;
 * its virtual size from the header), or raw: any regular file that is not
 * one of the other formats recognised here (qcow1, QED, VMDK, VDI, VHDX,
 * VHD, LUKS, Parallels, Bochs, cloop, and gzip/xz/zstd/bzip2 compressed
 * files), its virtual size being its size. Does not follow a symlink's
 * target's type away from "regular file". */
enum image_probe image_probe(const char *path, enum vol_format *format,
                             unsigned long long *vsize, const char **other);

#endif
