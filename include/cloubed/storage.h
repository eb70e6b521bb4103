/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * storage.h: storage pools (directories) and volumes (disk images).
 *
 * Thread-safety: see testbed.h.
 */
#ifndef CLOUBED_STORAGE_H
#define CLOUBED_STORAGE_H

#include <cloubed/common.h>
#include <cloubed/types.h>

CB_BEGIN_DECLS

/**
 * cb_storage_pool_name / cb_storage_pool_libvirt_name / cb_storage_pool_path:
 *
 * The pool's YAML name, its libvirt name "user:testbed:name", and the
 * absolute path of its directory.
 * Ownership: borrowed, valid until cb_testbed_free().
 */
CB_EXTERN(const char *) cb_storage_pool_name(const cb_storage_pool *p);
CB_EXTERN(const char *) cb_storage_pool_libvirt_name(const cb_storage_pool *p);
CB_EXTERN(const char *) cb_storage_pool_path(const cb_storage_pool *p);

/**
 * cb_storage_pool_xml:
 *
 * Renders the libvirt pool XML (a "dir" pool under the namespaced name).
 * Ownership: the caller releases the string with free().
 * Errors: NULL with CB_EINVAL or CB_ENOMEM. Thread-safety: any thread.
 */
CB_EXTERN(char *) cb_storage_pool_xml(cb_storage_pool *p);

/**
 * cb_storage_volume_name / cb_storage_volume_libvirt_name /
 * cb_storage_volume_path / cb_storage_volume_pool:
 *
 * The volume's YAML name; its libvirt name and file name
 * "user:testbed:name.FORMAT"; the absolute path of that file; its pool.
 * Ownership: borrowed, valid until cb_testbed_free().
 */
CB_EXTERN(const char *) cb_storage_volume_name(const cb_storage_volume *v);
CB_EXTERN(const char *) cb_storage_volume_libvirt_name(const cb_storage_volume *v);
CB_EXTERN(const char *) cb_storage_volume_path(const cb_storage_volume *v);
CB_EXTERN(cb_storage_pool *) cb_storage_volume_pool(const cb_storage_volume *v);

/**
 * cb_storage_volume_xml:
 *
 * Renders the libvirt volume XML, with a <backingStore> when the volume has
 * a `backing` volume.
 * Ownership: the caller releases the string with free().
 * Errors: NULL with CB_EINVAL or CB_ENOMEM. Thread-safety: any thread.
 */
CB_EXTERN(char *) cb_storage_volume_xml(cb_storage_volume *v);

CB_END_DECLS

#endif /* CLOUBED_STORAGE_H */
