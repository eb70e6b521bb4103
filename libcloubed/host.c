/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * host.c: the host profile: which domain type, emulator and machine the
 * testbed's domains use.
 *
 * Decided once per testbed. Without a libvirt connection (the offline calls:
 * check, xml) it comes from the options or from whether /dev/kvm is usable;
 * the libvirt backend replaces it with the host's capabilities.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

static bool kvm_usable(void)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

struct host_profile tb_host(cb_testbed *tb)
{
    struct host_profile copy;

    pthread_mutex_lock(&tb->lock);
    if (!tb->host_known) {
        if (tb->virt_type)
            tb->host.virt_type = strcmp(tb->virt_type, "kvm") == 0 ? "kvm" : "qemu";
        else
            tb->host.virt_type = kvm_usable() ? "kvm" : "qemu";
        tb->host_known = true;
    }
    copy = tb->host;
    pthread_mutex_unlock(&tb->lock);
    return copy;
}
