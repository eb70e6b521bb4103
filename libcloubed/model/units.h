/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * units.h: cpu topologies, memory and disk sizes as written in the testbed
 * file (internal). Pure functions on text.
 */
#ifndef CB_INTERNAL_UNITS_H
#define CB_INTERNAL_UNITS_H

#include <stdbool.h>

enum units_status {
    UNITS_OK = 0,
    UNITS_FORMAT = -1,       /* not of the expected form */
    UNITS_NOT_POSITIVE = -2, /* zero or negative */
    UNITS_TOO_LARGE = -3,
    UNITS_BAD_UNIT = -4,     /* memory: unknown or missing unit */
};

#define UNITS_MAX_VCPUS 4096u
#define UNITS_MAX_MEMORY_MIB (16ull << 20) /* 16 TiB */
#define UNITS_MAX_SIZE_GIB (1ull << 20)    /* 1 PiB */

/* "N" (N cores on one socket), "SxCxT" or "S:C:T". */
int units_parse_cpu(const char *s, unsigned *sockets, unsigned *cores, unsigned *threads);
/* Unquoted "N" means N GiB; otherwise "N UNIT" with M, MB, MiB, G, GB, GiB. */
int units_parse_memory(const char *s, bool plain, unsigned long long *mib);
/* A whole number "N" from 1 to MAX: decimal digits only (no sign, space or
 * hex prefix, which strtol would accept). */
int units_parse_number(const char *s, unsigned long long max, unsigned long long *out);
/* Whole GiB, "N". */
int units_parse_size_gib(const char *s, unsigned long long *gib);

#endif
