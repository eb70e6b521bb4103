/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * image.c: telling a disk image's format by its magic bytes, as qemu-img
 * would, for `source:` volumes. Only what is needed: qcow2 is read, raw is
 * anything else, and the formats a user may plausibly hand us by mistake
 * are named so that the error says what the file is.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/image.h"

struct magic {
    size_t offset;
    const char *bytes;
    size_t len;
    const char *name;
};

/* Formats that are not imported; each would be silently wrong as raw. */
static const struct magic others[] = {
    { 0, "QED\0", 4, "QED" },
    { 0, "KDMV", 4, "VMDK" },
    { 0, "# Disk DescriptorFile", 21, "VMDK (descriptor)" },
    { 64, "\x7f\x10\xda\xbe", 4, "VDI" },
    { 0, "vhdxfile", 8, "VHDX" },
    { 0, "conectix", 8, "VHD (vpc)" },
    { 0, "LUKS\xba\xbe", 6, "LUKS" },
    { 0, "WithoutFreeSpace", 16, "Parallels" },
    { 0, "WithouFreSpacExt", 16, "Parallels" },
    { 0, "Bochs Virtual HD Image", 22, "Bochs" },
    { 0, "#!/bin/sh\n#V2.0 Format", 22, "cloop" },
    { 0, "\x1f\x8b", 2, "gzip-compressed" },
    { 0, "\xfd" "7zXZ\0", 6, "xz-compressed" },
    { 0, "\x28\xb5\x2f\xfd", 4, "zstd-compressed" },
    { 0, "BZh", 3, "bzip2-compressed" },
};

static uint64_t be(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    size_t i;

    for (i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

enum image_probe image_probe(const char *path, enum vol_format *format,
                             unsigned long long *vsize, const char **other)
{
    unsigned char head[512] = { 0 };
    struct stat st;
    ssize_t got;
    size_t i;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

    *other = NULL;
    if (fd < 0)
        return IMAGE_UNREADABLE;
    if (fstat(fd, &st) < 0) {
        close(fd);
        return IMAGE_UNREADABLE;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return IMAGE_NOT_FILE;
    }
    got = pread(fd, head, sizeof(head), 0);
    close(fd);
    if (got < 0)
        return IMAGE_UNREADABLE;
    if (st.st_size == 0)
        return IMAGE_EMPTY;
    if (got >= 32 && memcmp(head, "QFI\xfb", 4) == 0) {
        uint64_t version = be(head + 4, 4);
        if (version < 2) {
            *other = "qcow (version 1)";
            return IMAGE_OTHER;
        }
        *format = VOL_QCOW2;
        *vsize = be(head + 24, 8);
        return IMAGE_OK;
    }
    for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
        if ((size_t)got >= others[i].offset + others[i].len &&
            memcmp(head + others[i].offset, others[i].bytes, others[i].len) == 0) {
            *other = others[i].name;
            return IMAGE_OTHER;
        }
    *format = VOL_RAW;
    *vsize = (unsigned long long)st.st_size;
    return IMAGE_OK;
}
