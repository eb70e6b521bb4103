/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * event_names.h: libvirt 9.0's domain lifecycle events by name (internal).
 */
#ifndef CB_INTERNAL_EVENT_NAMES_H
#define CB_INTERNAL_EVENT_NAMES_H

#define EVENT_ANY_DETAIL (-1)

/* Parses "type" or "type:detail" (case-insensitive). Returns 0, or
 * CB_EINVAL with a message listing what exists. */
int event_parse(const char *name, int *type, int *detail);
/* Names of libvirt's numbers; "unknown" for numbers newer than the table. */
const char *event_type_name(int type);
const char *event_detail_name(int type, int detail);

#endif
