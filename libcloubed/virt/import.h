/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * import.h: volumes made from an image file, `source:` (internal).
 */
#ifndef CB_INTERNAL_IMPORT_H
#define CB_INTERNAL_IMPORT_H

#include <libvirt/libvirt.h>

#include "virt/ops.h"

/* V (with a source) exists in libvirt: 0 when its record says it holds
 * the source as it is now, 1 when there is no record (an import cut
 * short, or made elsewhere: import again), CB_ECONFLICT when the source
 * changed since (the message says how to import it again). */
int import_check(cb_testbed *tb, const cb_storage_volume *v);
/* Creates V in POOL from its source: converted with qemu-img when the
 * formats differ, uploaded, grown to its size, then its record written.
 * The volume is recorded in OP as soon as it exists. */
int import_volume(struct op *op, virConnectPtr c, virStoragePoolPtr pool,
                  const cb_storage_volume *v);

#endif
