/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * network-install: the original tool's install flow (gen, boot from the
 * network with the HTTP server on, wait for the installer to power off,
 * boot the installed disk), on the tiny guest.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/example.h"

/* What the network install serves: the original's READMEs download netboot
 * files into the testbed directory; here they are the tiny guest's kernel,
 * initramfs and bootable system image, copied from where scripts/setup.sh
 * built them. */
static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[65536];
    size_t n;
    int rc = in && out ? 0 : -1;

    while (rc == 0 && (n = fread(buf, 1, sizeof(buf), in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    if (rc < 0)
        fprintf(stderr, "cannot copy %s to %s: %s\n", from, to, strerror(errno));
    return rc;
}

int main(int argc, char **argv)
{
    cb_boot_options install = CB_BOOT_OPTIONS_INIT;
    cb_testbed *tb = NULL;
    cb_domain *target;
    int status = 0;

    TRY(example_open(&tb, argc, argv));
    target = cb_testbed_domain(tb, "target");
    TRY(target ? 0 : -1);
    mkdir("boot", 0755);
    mkdir("tftp", 0755);
    mkdir("http", 0755);
    TRY(copy_file("/var/lib/cloubed/guest/vmlinuz", "boot/vmlinuz"));
    TRY(copy_file("/var/lib/cloubed/guest/initrd.img", "boot/initrd.img"));
    TRY(copy_file("/var/lib/cloubed/guest/system.img", "boot/system.img"));

    /* gen --filename ipxe; gen --filename install */
    TRY(cb_domain_gen(target, "ipxe", 0));
    TRY(cb_domain_gen(target, "install", 0));
    /* boot --bootdev network --overwrite-disks yes --recreate-networks yes,
     * with the HTTP server on (wait --enable-http). The server listens on
     * the network's gateway address, which exists once the network does:
     * (re)create the network, serve, then boot. */
    TRY(cb_network_create(cb_testbed_network(tb, "net"), 1));
    TRY(cb_domain_http_start(target, 0));
    install.bootdev = "network";
    install.overwrite_all_disks = 1;
    TRY(cb_domain_boot(target, &install));
    TRY(cb_domain_wait_console(target, "cloubed-guest: installed", 2 * EXAMPLE_TIMEOUT_MS, 0));
    TRY(cb_domain_wait_event(target, "stopped:shutdown", EXAMPLE_TIMEOUT_MS, 0));
    TRY(cb_testbed_http_stop(tb, 0));
    printf("network-install: target installed itself from the network and powered off\n");

    /* boot (from hd): syslinux on the installed disk starts the system */
    TRY(cb_domain_boot(target, NULL));
    TRY(cb_domain_wait_console(target, "Command line: BOOT_IMAGE=vmlinuz", EXAMPLE_TIMEOUT_MS, 0));
    TRY(cb_domain_wait_console(target, "cloubed-guest: ready 10.93.0.10", EXAMPLE_TIMEOUT_MS, 0));
    TRY(cb_domain_wait_tcp(target, 80, EXAMPLE_TIMEOUT_MS, 0));
    printf("network-install: target booted the installed system from its disk\n");
out:
    return example_finish(tb, status);
}
