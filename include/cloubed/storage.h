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
 * @p: the pool; NULL gives NULL.
 *
 * The pool's YAML name, its libvirt name "user:testbed:name", and the
 * absolute path of its directory.
 * Ownership: borrowed, valid until cb_testbed_free().
 */
CB_EXTERN(const char *) cb_storage_pool_name(const cb_storage_pool *p);
CB_EXTERN(const char *) cb_storage_pool_libvirt_name(const cb_storage_pool *p);
CB_EXTERN(const char *) cb_storage_pool_path(const cb_storage_pool *p);

/**
 * cb_storage_pool_get_xml:
 * @xml:   receives the XML.
 * @p:     the pool.
 * @flags: 0 (see cb_xml_flags in domain.h).
 *
 * Renders the libvirt pool XML (a "dir" pool under the namespaced name).
 * Ownership: *xml is the caller's, to free(); NULL on failure.
 * Errors: CB_EINVAL (NULL argument, unknown flags), CB_ENOMEM.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_storage_pool_get_xml(char **xml, cb_storage_pool *p, unsigned int flags);

/**
 * cb_storage_volume_name / cb_storage_volume_libvirt_name /
 * cb_storage_volume_path / cb_storage_volume_pool:
 * @v: the volume; NULL gives NULL.
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
 * cb_storage_volume_get_xml:
 * @xml:   receives the XML.
 * @v:     the volume.
 * @flags: 0 (see cb_xml_flags in domain.h).
 *
 * Renders the libvirt volume XML, with a <backingStore> when the volume has
 * a `backing` volume.
 * Ownership: *xml is the caller's, to free(); NULL on failure.
 * Errors: CB_EINVAL (NULL argument, unknown flags), CB_ENOMEM.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_storage_volume_get_xml(char **xml, cb_storage_volume *v, unsigned int flags);

CB_END_DECLS

#endif /* CLOUBED_STORAGE_H */
