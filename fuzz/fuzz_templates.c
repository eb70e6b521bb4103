/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * fuzz_templates.c: libFuzzer entry point for the template engine: any
 * variables and any template text, from memory, must render without a
 * crash, a leak or a hang, and rendering must keep its invariants.
 *
 * Input: lines "KEY=VALUE" (the variables), a line "--", then the template
 * text (NUL bytes end it, as they end a C string).
 *
 * Build: CC=clang meson setup build-fuzz -Dfuzz=true -Db_lundef=false
 * Run:   build-fuzz/fuzz/fuzz-templates fuzz/corpus-templates -timeout=10
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cloubed/cloubed.h>

#include "serve/vars.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *line, *next, *sep, *out = NULL;
    const char *tpl = "";
    cb_vars *v = NULL;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (vars_new(&v) < 0)
        abort();
    for (line = text; line; line = next) {
        if ((next = strchr(line, '\n')))
            *next++ = '\0';
        if (strcmp(line, "--") == 0) {
            tpl = next ? next : "";
            break;
        }
        if ((sep = strchr(line, '=')) && sep != line) {
            *sep = '\0';
            if (vars_set(v, line, sep + 1) < 0)
                abort();
        }
    }
    if (cb_vars_render(&out, v, tpl, 0) < 0)
        abort();
    /* Without a "$", the text is copied as it is. */
    if (!strchr(tpl, '$') && strcmp(out, tpl) != 0)
        abort();
    free(out);
    cb_vars_free(v);
    free(text);
    return 0;
}
