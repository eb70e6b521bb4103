/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * network.h: a virtual network of a testbed.
 *
 * Thread-safety: see testbed.h.
 */
#ifndef CLOUBED_NETWORK_H
#define CLOUBED_NETWORK_H

#include <cloubed/common.h>
#include <cloubed/types.h>

CB_BEGIN_DECLS

/**
 * cb_network_name:
 * @n: the network; NULL gives NULL.
 *
 * Returns the network's name as written in the testbed file.
 * Ownership: borrowed, valid until cb_testbed_free().
 */
CB_EXTERN(const char *) cb_network_name(const cb_network *n);

/**
 * cb_network_libvirt_name:
 * @n: the network; NULL gives NULL.
 *
 * Returns the name of the libvirt network, "user:testbed:name".
 * Ownership: borrowed, valid until cb_testbed_free().
 */
CB_EXTERN(const char *) cb_network_libvirt_name(const cb_network *n);

/**
 * cb_network_get_xml:
 * @xml:   receives the XML.
 * @n:     the network.
 * @flags: 0 (see cb_xml_flags in domain.h).
 *
 * Renders the libvirt network XML, including one DHCP <host> entry for every
 * netif of the testbed that has a static `ip` on this network.
 *
 * Ownership: *xml is the caller's, to free(); NULL on failure.
 * Errors: CB_EINVAL (NULL argument, unknown flags), CB_ENOMEM.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_network_get_xml(char **xml, cb_network *n, unsigned int flags);

/**
 * cb_network_get_address:
 * @cidr:  receives the network's host address and prefix, "10.213.4.1/24".
 * @n:     the network.
 * @flags: 0.
 *
 * The address of the host side of the network: the one the testbed file
 * gives, or, for `address: auto`, the /24 taken when the network was created,
 * asking libvirt when another process (or an earlier run) created it.
 *
 * Ownership: *cidr is the caller's, to free(); NULL on failure.
 * Errors: CB_EINVAL (NULL argument, unknown flags), CB_ENOTFOUND (the
 * network has no address: forward bridge, or no `address`), CB_ESTATE (an
 * `address: auto` network not created yet), CB_ELIBVIRT, CB_ENOMEM.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_network_get_address(char **cidr, cb_network *n, unsigned int flags);

/** Flags of cb_network_create(). */
typedef enum cb_network_create_flags {
    /** Destroy and undefine the network first if it exists. */
    CB_NETWORK_CREATE_RECREATE = 1 << 0,
} cb_network_create_flags;

/**
 * cb_network_create:
 * @n:     the network.
 * @flags: a bitwise or of cb_network_create_flags.
 *
 * Creates the network in libvirt unless it exists (and starts it if it is
 * defined but inactive), after checking that no other active network
 * overlaps its subnet. cb_domain_boot() does this for the domain's networks.
 * An `address: auto` network takes the first /24 of the range
 * (docs/testbed-file.md) that no libvirt network overlaps, under a host-wide
 * lock; CB_ECONFLICT when the range is exhausted.
 *
 * Errors: CB_EINVAL (NULL handle, unknown flags), CB_ECONFLICT (an
 * overlapping network, named in the message, or an object with the
 * testbed's name that belongs to someone else), CB_ELIBVIRT.
 * Thread-safety: any thread; serialised with the testbed's other creations.
 */
CB_EXTERN(int) cb_network_create(cb_network *n, unsigned int flags);

CB_END_DECLS

#endif /* CLOUBED_NETWORK_H */
