/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * render.h: the libvirt XML of each resource kind (internal). Each returns a
 * string to free(), or NULL with CB_ENOMEM.
 */
#ifndef CB_INTERNAL_RENDER_H
#define CB_INTERNAL_RENDER_H

#include "model/model.h"

char *render_pool_xml(const cb_storage_pool *p);
char *render_volume_xml(const cb_storage_volume *v);
char *render_network_xml(const cb_network *n);
/* BOOTDEV is "hd", "network" or "cdrom", or NULL for no <boot> element;
 * UUID is the existing domain's when it is defined again, else NULL. */
char *render_domain_xml(cb_domain *d, const char *bootdev, const char *uuid);

#endif
