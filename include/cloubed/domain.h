/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * domain.h: a virtual machine of a testbed.
 *
 * Thread-safety: see testbed.h. Accessors read the immutable model and may be
 * called from any thread; calls that reach libvirt lock the testbed inside.
 */
#ifndef CLOUBED_DOMAIN_H
#define CLOUBED_DOMAIN_H

#include <cloubed/common.h>
#include <cloubed/types.h>

CB_BEGIN_DECLS

/**
 * cb_domain_name:
 * @d: the domain; NULL gives NULL.
 *
 * Returns the domain's name as written in the testbed file.
 * Ownership: borrowed, valid until cb_testbed_free().
 */
CB_EXTERN(const char *) cb_domain_name(const cb_domain *d);

/**
 * cb_domain_libvirt_name:
 * @d: the domain; NULL gives NULL.
 *
 * Returns the name of the libvirt domain, "user:testbed:name".
 * Ownership: borrowed, valid until cb_testbed_free().
 */
CB_EXTERN(const char *) cb_domain_libvirt_name(const cb_domain *d);

/**
 * cb_domain_testbed:
 * @d: the domain; NULL gives NULL.
 *
 * Returns the testbed the domain belongs to (borrowed).
 */
CB_EXTERN(cb_testbed *) cb_domain_testbed(const cb_domain *d);

/** Flags of the cb_*_get_xml() calls: none yet, pass 0. */
typedef enum cb_xml_flags {
    CB_XML_FLAGS_NONE = 0, /**< no flag, the only value today */
} cb_xml_flags;

/**
 * cb_domain_get_xml:
 * @xml:   receives the XML.
 * @d:     the domain.
 * @flags: 0 (see cb_xml_flags).
 *
 * Renders the libvirt domain XML that booting would define, without the
 * <boot> element that boot adds. The domain type comes from the testbed's host
 * profile (see cb_testbed_options.virt_type).
 *
 * Ownership: *xml is a NUL-terminated string the caller releases with free();
 * NULL on failure.
 * Errors: CB_EINVAL (NULL argument, unknown flags), CB_ENOMEM.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_get_xml(char **xml, cb_domain *d, unsigned int flags);

/** Flags of cb_boot_options.flags. */
typedef enum cb_boot_flags {
    /** Boot a running domain again: destroy it first (the original tool's
     * `boot`). Without it, booting a running domain fails with CB_ESTATE. */
    CB_BOOT_RESTART = 1 << 0,
} cb_boot_flags;

/**
 * CB_BOOT_OPTIONS_VERSION:
 *
 * The version of cb_boot_options that these headers describe: 2 (version 2
 * appended `flags`; version 1 callers are still accepted). Callers must set
 * cb_boot_options.version, which CB_BOOT_OPTIONS_INIT sets to this value;
 * cb_domain_boot() fails with CB_EINVAL for a version it does not know.
 */
#define CB_BOOT_OPTIONS_VERSION 2

/**
 * cb_boot_options:
 *
 * Options of cb_domain_boot(). Initialise with CB_BOOT_OPTIONS_INIT.
 *
 * @version:               CB_BOOT_OPTIONS_VERSION.
 * @bootdev:               "hd" (default), "network" (PXE) or "cdrom". Ignored
 *                         when the domain boots a `kernel` directly.
 * @overwrite_all_disks:   non-zero: delete and recreate every volume of the
 *                         domain (never their backing volumes).
 * @overwrite_disks:       NULL-terminated volume names (YAML names, not
 *                         devices) to recreate; names that are not the
 *                         domain's are dropped with a warning.
 * @recreate_all_networks: non-zero: destroy and recreate every network of the
 *                         domain.
 * @recreate_networks:     NULL-terminated network names to recreate.
 * @flags:                 a bitwise or of cb_boot_flags (version 2).
 *
 * The arrays are only read during the call.
 */
typedef struct cb_boot_options {
    unsigned int version;
    const char *bootdev;
    int overwrite_all_disks;
    const char *const *overwrite_disks;
    int recreate_all_networks;
    const char *const *recreate_networks;
    unsigned int flags;
} cb_boot_options;

/**
 * CB_BOOT_OPTIONS_INIT:
 *
 * The initialiser of a cb_boot_options: version CB_BOOT_OPTIONS_VERSION,
 * bootdev "hd", no disk overwritten, no network recreated, no flags, the
 * same as passing NULL options. Write
 * `cb_boot_options o = CB_BOOT_OPTIONS_INIT;`, then set the fields you need:
 * the version must be set, and this sets it.
 */
#define CB_BOOT_OPTIONS_INIT { CB_BOOT_OPTIONS_VERSION, "hd", 0, NULL, 0, NULL, 0 }

/**
 * cb_domain_boot:
 * @d:    the domain.
 * @opts: options, or NULL for the defaults (boot from "hd", keep everything).
 *
 * Creates what the domain needs, in dependency order, then starts it: its
 * storage pools (directories are created when missing; a pool already
 * defined on the same directory under another name is used and never
 * removed), its volumes with their backing volumes first, its networks (after
 * checking that no other active network overlaps their subnet), then defines
 * the domain (persistent) and starts it. Objects that exist are reused, so
 * booting again is safe. A running domain is CB_ESTATE ("domain D is
 * running"), unless @opts has CB_BOOT_RESTART: then it is destroyed and
 * started again, as the original tool did. On a local daemon the kernel,
 * initrd and cdrom files are checked first, and the serial console is logged
 * to DIR/.cloubed/TESTBED/DOMAIN.console.log (see cb_domain_console_log).
 *
 * If anything fails, whatever this call created is removed again; a domain
 * that CB_BOOT_RESTART destroyed gets its old definition back and is started
 * again (a new boot of its guest).
 *
 * Errors: CB_EINVAL (bad options, an unknown options version or flag),
 * CB_ESTATE (the domain runs and CB_BOOT_RESTART is not given), CB_ENOTFOUND
 * (a kernel, initrd or cdrom file is missing), CB_ECONFLICT (another
 * network overlaps, or an object with the testbed's name belongs to someone
 * else), CB_EIO, CB_ELIBVIRT (with libvirt's message), CB_ENOMEM.
 * Thread-safety: any thread; boots of one testbed are serialised while they
 * create shared objects, boots of different testbeds run in parallel.
 */
CB_EXTERN(int) cb_domain_boot(cb_domain *d, const cb_boot_options *opts);

/** Flags of the power calls below: none yet, pass 0. */
typedef enum cb_power_flags {
    CB_POWER_FLAGS_NONE = 0, /**< no flag, the only value today */
} cb_power_flags;

/**
 * cb_domain_shutdown / cb_domain_reboot / cb_domain_reset / cb_domain_pause /
 * cb_domain_unpause / cb_domain_pm_suspend / cb_domain_pm_wakeup /
 * cb_domain_destroy:
 * @d:     the domain.
 * @flags: 0 (see cb_power_flags), for every call of this group.
 *
 * cb_domain_shutdown / cb_domain_reboot: ask the guest to power off or to
 * reboot (ACPI power button; the guest must handle it). They return once
 * the request is delivered: wait for the event to know when it is done.
 *
 * cb_domain_reset: hard reset, as the reset button.
 * cb_domain_pause / cb_domain_unpause: freeze and thaw the virtual CPUs
 * (libvirt's virDomainSuspend / virDomainResume).
 * cb_domain_pm_suspend / cb_domain_pm_wakeup: suspend to RAM (ACPI S3) and
 * wake up (virDomainPMSuspendForDuration / virDomainPMWakeup); suspending
 * needs qemu-guest-agent in the guest, CB_EUNSUPPORTED says so when it is
 * missing.
 * cb_domain_destroy: powers a running domain off at once (pulling the plug).
 * It never undefines: the domain stays defined, shut off, and boots again
 * with its disks; see cb_domain_cleanup() to remove it.
 *
 * Errors: CB_EINVAL (NULL handle, unknown flags), CB_ENOTFOUND (the domain
 * is not booted: "not found in libvirt"), CB_ESTATE (not possible in the
 * domain's state, e.g. shutdown or destroy of a stopped domain),
 * CB_EUNSUPPORTED, CB_ECONFLICT, CB_ELIBVIRT.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_shutdown(cb_domain *d, unsigned int flags);
CB_EXTERN(int) cb_domain_reboot(cb_domain *d, unsigned int flags);
CB_EXTERN(int) cb_domain_reset(cb_domain *d, unsigned int flags);
CB_EXTERN(int) cb_domain_pause(cb_domain *d, unsigned int flags);
CB_EXTERN(int) cb_domain_unpause(cb_domain *d, unsigned int flags);
CB_EXTERN(int) cb_domain_pm_suspend(cb_domain *d, unsigned int flags);
CB_EXTERN(int) cb_domain_pm_wakeup(cb_domain *d, unsigned int flags);
CB_EXTERN(int) cb_domain_destroy(cb_domain *d, unsigned int flags);

/** Flags of cb_domain_cleanup() and cb_testbed_cleanup(): none yet, pass 0. */
typedef enum cb_cleanup_flags {
    CB_CLEANUP_FLAGS_NONE = 0, /**< no flag, the only value today */
} cb_cleanup_flags;

/**
 * cb_domain_cleanup:
 * @d:     the domain.
 * @flags: 0 (see cb_cleanup_flags).
 *
 * Removes one domain: destroys it if it runs, undefines it (with the
 * metadata of its snapshots, see snapshot.h), and removes its cloud-init
 * seed volume (if it has a `cloudinit:` section) and its console log: the
 * per-domain part of cb_testbed_cleanup(). Its volumes and networks stay.
 * Only a domain that carries the testbed's metadata is
 * touched; a domain not in libvirt is not an error. Each step is logged as
 * a warning ("destroying domain D", "undefining domain D").
 *
 * Errors: CB_EINVAL (NULL handle, unknown flags), CB_ELIBVIRT, CB_EIO (the
 * console log cannot be removed).
 * Thread-safety: any thread; serialised with the testbed's boots.
 */
CB_EXTERN(int) cb_domain_cleanup(cb_domain *d, unsigned int flags);

/** The state of a domain in libvirt; UNDEFINED when it is not there. */
typedef enum cb_domain_state {
    CB_DOMAIN_STATE_UNDEFINED = 0, /**< not defined in libvirt (or cb_domain_get_state() failed) */
    CB_DOMAIN_STATE_UNKNOWN,       /**< defined, but libvirt reports no state */
    CB_DOMAIN_STATE_RUNNING,       /**< running */
    CB_DOMAIN_STATE_BLOCKED,       /**< running, blocked on a resource */
    CB_DOMAIN_STATE_PAUSED,        /**< its virtual CPUs frozen (cb_domain_pause()) */
    CB_DOMAIN_STATE_SHUTDOWN,      /**< being shut down */
    CB_DOMAIN_STATE_SHUTOFF,       /**< defined and not running */
    CB_DOMAIN_STATE_CRASHED,       /**< crashed */
    CB_DOMAIN_STATE_PMSUSPENDED,   /**< suspended to RAM (cb_domain_pm_suspend()) */
} cb_domain_state;

/**
 * cb_domain_get_state:
 * @state: receives its state (CB_DOMAIN_STATE_UNDEFINED on failure).
 * @d:     the domain.
 * @flags: 0.
 *
 * Errors: CB_EINVAL (NULL argument, unknown flags), CB_ECONFLICT,
 * CB_ELIBVIRT, CB_ESTATE (used after fork, see cloubed.h).
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_get_state(cb_domain_state *state, cb_domain *d, unsigned int flags);

/**
 * cb_domain_state_name:
 * @state: a state.
 *
 * Returns the original tool's name of a state: "undefined", "unknown",
 * "running", "blocked", "paused", "shutdown", "shutoff", "crashed",
 * "suspended"; "unknown" too for a value this version does not know.
 * Ownership: static string. Thread-safety: any thread.
 */
CB_EXTERN(const char *) cb_domain_state_name(cb_domain_state state);

/**
 * cb_domain_console_log:
 * @d: the domain; NULL gives NULL.
 *
 * Returns the file the domain's serial console is logged to once booted:
 * DIR/.cloubed/TESTBED/DOMAIN.console.log. Read it to see why a boot failed.
 * Ownership: borrowed, valid until cb_testbed_free(). Thread-safety: any thread.
 */
CB_EXTERN(const char *) cb_domain_console_log(const cb_domain *d);

/**
 * cb_domain_link_set:
 * @d:       the domain.
 * @network: a network of the testbed (its YAML name).
 * @up:      non-zero: link up; 0: link down (a pulled cable).
 * @flags:   0.
 *
 * Sets the link state of the domain's interfaces on @network (all of them
 * when it has several there), matched by MAC address, on the running
 * domain only (virDomainUpdateDeviceFlags with VIR_DOMAIN_AFFECT_LIVE): the
 * persistent definition keeps its link up, so the next boot has the link
 * up again. With the link down, the guest sees no carrier and nothing
 * reaches it over that interface.
 *
 * Errors: CB_EINVAL (NULL argument, unknown flags), CB_ENOTFOUND (no such
 * network, or the domain has no interface on it, or the domain is not
 * booted), CB_ESTATE (the domain is not running; after fork),
 * CB_EUNSUPPORTED (the driver cannot change a live device, as libvirt's
 * test driver), CB_ECONFLICT, CB_ELIBVIRT.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_link_set(cb_domain *d, const char *network, int up, unsigned int flags);

CB_END_DECLS

#endif /* CLOUBED_DOMAIN_H */
