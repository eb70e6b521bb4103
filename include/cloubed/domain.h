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
 *
 * Returns the domain's name as written in the testbed file.
 * Ownership: borrowed, valid until cb_testbed_free().
 */
CB_EXTERN(const char *) cb_domain_name(const cb_domain *d);

/**
 * cb_domain_libvirt_name:
 *
 * Returns the name of the libvirt domain, "user:testbed:name".
 * Ownership: borrowed, valid until cb_testbed_free().
 */
CB_EXTERN(const char *) cb_domain_libvirt_name(const cb_domain *d);

/**
 * cb_domain_testbed:
 *
 * Returns the testbed the domain belongs to (borrowed).
 */
CB_EXTERN(cb_testbed *) cb_domain_testbed(const cb_domain *d);

/**
 * cb_domain_xml:
 *
 * Renders the libvirt domain XML that booting would define, without the
 * <boot> element that boot adds. The domain type comes from the testbed's host
 * profile (see cb_testbed_options.virt_type).
 *
 * Ownership: returns a NUL-terminated string the caller releases with free().
 * Errors: NULL with CB_EINVAL (NULL handle), CB_ENOMEM.
 * Thread-safety: any thread.
 */
CB_EXTERN(char *) cb_domain_xml(cb_domain *d);

CB_END_DECLS

#endif /* CLOUBED_DOMAIN_H */
