/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * seed.h: writing a domain's cloud-init seed volume (internal).
 */
#ifndef CB_INTERNAL_VIRT_SEED_H
#define CB_INTERNAL_VIRT_SEED_H

#include "virt/ops.h"

/* Builds D's seed and writes it as the volume ci->seed_libvirt_name of
 * its pool (replacing an older one), recorded in OP; nothing without a
 * cloudinit section. Call after D's networks exist (their addresses go
 * into network-config). */
int seed_ensure(struct op *op, virConnectPtr c, cb_domain *d);

#endif
