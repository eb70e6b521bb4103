/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * fuzz_event_names.c: libFuzzer entry point for the event-name parser
 * (libcloubed/event_names.c, behind cb_domain_wait_event and `cloubed wait
 * --event`): any text parses or fails with CB_EINVAL; what parses names an
 * event whose names parse back to the same numbers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cloubed/cloubed.h>

#include "wait/event_names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *name = malloc(size + 1), again[256];
    int type, detail, t2, d2;

    if (!name)
        return 0;
    memcpy(name, data, size);
    name[size] = '\0'; /* an inner NUL ends the name, as in C callers */
    if (event_parse(name, &type, &detail) < 0) {
        if (cb_error_last()->code != CB_EINVAL || strchr(cb_error_last()->message, '\n'))
            abort();
        free(name);
        return 0;
    }
    if (detail == EVENT_ANY_DETAIL)
        snprintf(again, sizeof(again), "%s", event_type_name(type));
    else
        snprintf(again, sizeof(again), "%s:%s", event_type_name(type),
                 event_detail_name(type, detail));
    if (event_parse(again, &t2, &d2) < 0 || t2 != type || d2 != detail)
        abort();
    free(name);
    return 0;
}
