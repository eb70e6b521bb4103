/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * types.h: the opaque handles, declared once so that every header can name
 * every other kind.
 *
 * Ownership: a cb_testbed is created by cb_testbed_open() and freed by
 * cb_testbed_free(). Every other handle is owned by its testbed: it is valid
 * from the lookup until cb_testbed_free() and must never be freed alone.
 */
#ifndef CLOUBED_TYPES_H
#define CLOUBED_TYPES_H

#include <cloubed/common.h>

CB_BEGIN_DECLS

/** A testbed: the parsed YAML file and, once connected, its libvirt objects. */
typedef struct cb_testbed cb_testbed;
/** A virtual machine of a testbed (a `domains` item). */
typedef struct cb_domain cb_domain;
/** A virtual network of a testbed (a `networks` item). */
typedef struct cb_network cb_network;
/** A directory storage pool of a testbed (a `storagepools` item, or the default pool). */
typedef struct cb_storage_pool cb_storage_pool;
/** A disk image of a testbed (a `storagevolumes` item, or a volume declared inline in a disk). */
typedef struct cb_storage_volume cb_storage_volume;

CB_END_DECLS

#endif /* CLOUBED_TYPES_H */
