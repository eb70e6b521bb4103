/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * render_domain.c: libvirt XML of domains.
 *
 * The original tool's template, with its bugs fixed: the domain type follows
 * the host (kvm or TCG), the disk driver type follows the volume format, the
 * clock uses `offset`, and there is no cdrom unless one is configured.
 */
#include <string.h>

#include "render/render.h"
#include "render/xml_build.h"

static void render_cpu(struct xb *b, xb_node root, const cb_domain *d, const char *virt_type)
{
    xb_node cpu = xb_elem(b, root, "cpu"), topo;

    /* host-model needs a hardware-assisted guest; TCG keeps QEMU's model. */
    if (virt_type[0] == 'k') {
        xb_attr(b, cpu, "mode", "host-model");
        xb_attr(b, xb_elem(b, cpu, "model"), "fallback", "allow");
    }
    topo = xb_elem(b, cpu, "topology");
    xb_attr(b, topo, "sockets", "%u", d->sockets);
    xb_attr(b, topo, "cores", "%u", d->cores);
    xb_attr(b, topo, "threads", "%u", d->threads);
}

static void render_os(struct xb *b, xb_node root, const cb_domain *d,
                      const struct host_profile *host, const char *bootdev)
{
    xb_node os = xb_elem(b, root, "os"), type;

    type = xb_text(b, os, "type", "hvm");
    if (host->arch)
        xb_attr(b, type, "arch", "%s", host->arch);
    if (host->machine)
        xb_attr(b, type, "machine", "%s", host->machine);
    if (d->kernel)
        xb_text(b, os, "kernel", "%s", d->kernel);
    if (d->initrd)
        xb_text(b, os, "initrd", "%s", d->initrd);
    if (d->cmdline)
        xb_text(b, os, "cmdline", "%s", d->cmdline);
    /* A kernel given directly is what boots: <boot> would be ignored. */
    if (bootdev && !d->kernel)
        xb_attr(b, xb_elem(b, os, "boot"), "dev", "%s", bootdev);
}

/* A read-only CD-ROM holding the image at PATH. */
static void render_cdrom(struct xb *b, xb_node devices, const char *path, const char *dev,
                         const char *bus)
{
    xb_node disk = xb_elem(b, devices, "disk"), driver, target;

    xb_attr(b, disk, "type", "file");
    xb_attr(b, disk, "device", "cdrom");
    driver = xb_elem(b, disk, "driver");
    xb_attr(b, driver, "name", "qemu");
    xb_attr(b, driver, "type", "raw");
    xb_attr(b, xb_elem(b, disk, "source"), "file", "%s", path);
    target = xb_elem(b, disk, "target");
    xb_attr(b, target, "dev", "%s", dev);
    xb_attr(b, target, "bus", "%s", bus);
    xb_elem(b, disk, "readonly");
}

static void render_disks(struct xb *b, xb_node devices, const cb_domain *d)
{
    xb_node disk, driver, target;
    size_t i;

    for (i = 0; i < d->disks.n; i++) {
        const struct disk *dk = &d->disks.v[i];
        disk = xb_elem(b, devices, "disk");
        xb_attr(b, disk, "type", "file");
        xb_attr(b, disk, "device", "disk");
        driver = xb_elem(b, disk, "driver");
        xb_attr(b, driver, "name", "qemu");
        xb_attr(b, driver, "type", "%s", vol_format_name(dk->vol->format));
        xb_attr(b, xb_elem(b, disk, "source"), "file", "%s", dk->vol->path);
        target = xb_elem(b, disk, "target");
        xb_attr(b, target, "dev", "%s", dk->device);
        xb_attr(b, target, "bus", "%s", disk_bus_name(dk->bus));
    }
    if (d->cdrom)
        render_cdrom(b, devices, d->cdrom, "hdc", "ide");
}

/* The cloud-init seed, a read-only CD-ROM on SATA: q35 has no IDE bus, and
 * on pc libvirt adds the AHCI controller itself. Its target is the first
 * sdX that no disk of the domain uses. */
static void render_seed(struct xb *b, xb_node devices, const cb_domain *d)
{
    char dev[4] = "sda";
    size_t i;

    for (; dev[2] < 'z'; dev[2]++) {
        for (i = 0; i < d->disks.n && strcmp(d->disks.v[i].device, dev) != 0; i++)
            ;
        if (i == d->disks.n)
            break;
    }
    render_cdrom(b, devices, d->ci->seed_path, dev, "sata");
}

static void render_filesystems(struct xb *b, xb_node devices, const cb_domain *d)
{
    xb_node fs;
    size_t i;

    for (i = 0; i < d->virtfs.n; i++) {
        fs = xb_elem(b, devices, "filesystem");
        xb_attr(b, fs, "type", "mount");
        xb_attr(b, fs, "accessmode", "mapped");
        xb_attr(b, xb_elem(b, fs, "source"), "dir", "%s", d->virtfs.v[i].source);
        xb_attr(b, xb_elem(b, fs, "target"), "dir", "%s", d->virtfs.v[i].target);
    }
}

static void render_interfaces(struct xb *b, xb_node devices, const cb_domain *d)
{
    xb_node ifc;
    size_t i;

    for (i = 0; i < d->netifs.n; i++) {
        const struct netif *nif = &d->netifs.v[i];
        ifc = xb_elem(b, devices, "interface");
        xb_attr(b, ifc, "type", "network");
        xb_attr(b, xb_elem(b, ifc, "source"), "network", "%s", nif->net->libvirt_name);
        xb_attr(b, xb_elem(b, ifc, "mac"), "address", "%s", nif->mac);
        xb_attr(b, xb_elem(b, ifc, "model"), "type", "virtio");
    }
}

static void render_consoles(struct xb *b, xb_node devices, const cb_domain *d)
{
    xb_node g, serial, log, console, target, channel;

    if (d->graphics != GFX_NONE) {
        g = xb_elem(b, devices, "graphics");
        xb_attr(b, g, "type", "%s", graphics_name(d->graphics));
        if (d->graphics == GFX_SPICE)
            xb_attr(b, g, "autoport", "yes");
    }
    /* The console stays a pty (virsh console works) and is also logged to
     * a file, so that a failed boot can be read and waited on. */
    serial = xb_elem(b, devices, "serial");
    xb_attr(b, serial, "type", "pty");
    log = xb_elem(b, serial, "log");
    xb_attr(b, log, "file", "%s", d->console_log);
    xb_attr(b, log, "append", "off");
    xb_attr(b, xb_elem(b, serial, "target"), "port", "0");
    console = xb_elem(b, devices, "console");
    xb_attr(b, console, "type", "pty");
    target = xb_elem(b, console, "target");
    xb_attr(b, target, "type", "serial");
    xb_attr(b, target, "port", "0");
    /* The guest agent's channel: what suspend to RAM goes through, for
     * guests that run qemu-guest-agent (the original never defined it). */
    channel = xb_elem(b, devices, "channel");
    xb_attr(b, channel, "type", "unix");
    target = xb_elem(b, channel, "target");
    xb_attr(b, target, "type", "virtio");
    xb_attr(b, target, "name", "org.qemu.guest_agent.0");
}

char *render_domain_xml(cb_domain *d, const struct host_profile *hostp, const char *bootdev,
                        const char *uuid)
{
    const struct host_profile host = *hostp;
    struct xb b;
    xb_node root = xb_init(&b, "domain"), features, pm, devices;

    xb_attr(&b, root, "type", "%s", host.virt_type);
    xb_text(&b, root, "name", "%s", d->libvirt_name);
    if (uuid)
        xb_text(&b, root, "uuid", "%s", uuid);
    xb_metadata(&b, root, d->m);
    xb_attr(&b, xb_text(&b, root, "memory", "%llu", d->memory_mib), "unit", "MiB");
    xb_text(&b, root, "vcpu", "%u", d->sockets * d->cores * d->threads);
    render_cpu(&b, root, d, host.virt_type);
    render_os(&b, root, d, &host, bootdev);
    features = xb_elem(&b, root, "features");
    xb_elem(&b, features, "acpi");
    xb_elem(&b, features, "apic");
    xb_attr(&b, xb_elem(&b, root, "clock"), "offset", "localtime");
    xb_text(&b, root, "on_poweroff", "destroy");
    xb_text(&b, root, "on_reboot", "restart");
    xb_text(&b, root, "on_crash", "restart");
    xb_text(&b, root, "on_lockfailure", "poweroff");
    pm = xb_elem(&b, root, "pm");
    xb_attr(&b, xb_elem(&b, pm, "suspend-to-mem"), "enabled", "yes");
    xb_attr(&b, xb_elem(&b, pm, "suspend-to-disk"), "enabled", "no");
    devices = xb_elem(&b, root, "devices");
    if (host.emulator)
        xb_text(&b, devices, "emulator", "%s", host.emulator);
    render_disks(&b, devices, d);
    if (d->ci)
        render_seed(&b, devices, d);
    render_filesystems(&b, devices, d);
    render_interfaces(&b, devices, d);
    render_consoles(&b, devices, d);
    return xb_finish(&b);
}
