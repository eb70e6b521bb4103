/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * units.c: cpu topologies, memory and disk sizes.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model/units.h"
#include "util/util.h"

/* Parses a run of decimal digits at *S (at most 12), advancing *S. */
static bool take_number(const char **s, unsigned long long *out)
{
    const char *p = *s;
    unsigned long long v = 0;
    size_t n = 0;

    while (isdigit((unsigned char)*p)) {
        if (++n > 12)
            return false;
        v = v * 10 + (unsigned long long)(*p - '0');
        p++;
    }
    if (n == 0)
        return false;
    *s = p;
    *out = v;
    return true;
}

static bool is_negative_number(const char *s)
{
    unsigned long long v;
    if (*s != '-')
        return false;
    s++;
    return take_number(&s, &v) && *s == '\0';
}

/* A whole text that is one decimal number. */
static int whole_number(const char *s, unsigned long long max, unsigned long long *out)
{
    const char *p = s;

    if (is_negative_number(s))
        return UNITS_NOT_POSITIVE;
    if (!take_number(&p, out)) {
        /* 13 digits or more: a number, but too large */
        return isdigit((unsigned char)*s) && strspn(s, "0123456789") == strlen(s)
                   ? UNITS_TOO_LARGE : UNITS_FORMAT;
    }
    if (*p != '\0')
        return UNITS_FORMAT;
    if (*out == 0)
        return UNITS_NOT_POSITIVE;
    return *out > max ? UNITS_TOO_LARGE : UNITS_OK;
}

int units_parse_cpu(const char *s, unsigned *sockets, unsigned *cores, unsigned *threads)
{
    unsigned long long v[3];
    const char *p = s;
    char sep;
    int i, rc;

    if (!strchr(s, 'x') && !strchr(s, ':')) {
        rc = whole_number(s, UNITS_MAX_VCPUS, &v[0]);
        if (rc < 0)
            return rc;
        *sockets = 1;
        *cores = (unsigned)v[0];
        *threads = 1;
        return UNITS_OK;
    }
    sep = strchr(s, 'x') ? 'x' : ':';
    for (i = 0; i < 3; i++) {
        if (!take_number(&p, &v[i]))
            return UNITS_FORMAT;
        if (i < 2 && *p++ != sep)
            return UNITS_FORMAT;
    }
    if (*p != '\0')
        return UNITS_FORMAT;
    if (v[0] == 0 || v[1] == 0 || v[2] == 0)
        return UNITS_NOT_POSITIVE;
    if (v[0] > UNITS_MAX_VCPUS || v[1] > UNITS_MAX_VCPUS || v[2] > UNITS_MAX_VCPUS ||
        v[0] * v[1] * v[2] > UNITS_MAX_VCPUS)
        return UNITS_TOO_LARGE;
    *sockets = (unsigned)v[0];
    *cores = (unsigned)v[1];
    *threads = (unsigned)v[2];
    return UNITS_OK;
}

int units_parse_memory(const char *s, bool plain, unsigned long long *mib)
{
    static const struct { const char *unit; unsigned long long mib; } units[] = {
        { "M", 1 }, { "MB", 1 }, { "MiB", 1 }, { "G", 1024 }, { "GB", 1024 }, { "GiB", 1024 },
    };
    const char *p = s, *unit;
    unsigned long long v, factor = 0;
    size_t ulen, i;
    int rc;

    if (plain && strspn(s, "0123456789") == strlen(s) && *s) {
        rc = whole_number(s, UNITS_MAX_MEMORY_MIB >> 10, &v);
        if (rc == UNITS_OK)
            *mib = v << 10;
        return rc;
    }
    if (*p == '-' && isdigit((unsigned char)p[1]))
        return UNITS_NOT_POSITIVE;
    if (!take_number(&p, &v))
        return isdigit((unsigned char)*s) ? UNITS_TOO_LARGE : UNITS_FORMAT;
    while (*p == ' ' || *p == '\t')
        p++;
    unit = p;
    while (isalnum((unsigned char)*p) || *p == '_')
        p++;
    ulen = (size_t)(p - unit);
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '\0')
        return UNITS_FORMAT;
    for (i = 0; i < ARRAY_SIZE(units); i++)
        if (strlen(units[i].unit) == ulen && strncmp(units[i].unit, unit, ulen) == 0)
            factor = units[i].mib;
    if (!factor)
        return UNITS_BAD_UNIT;
    if (v == 0)
        return UNITS_NOT_POSITIVE;
    if (v > UNITS_MAX_MEMORY_MIB / factor)
        return UNITS_TOO_LARGE;
    *mib = v * factor;
    return UNITS_OK;
}

int units_parse_number(const char *s, unsigned long long max, unsigned long long *out)
{
    return whole_number(s, max, out);
}

int units_parse_size_gib(const char *s, unsigned long long *gib)
{
    return whole_number(s, UNITS_MAX_SIZE_GIB, gib);
}
