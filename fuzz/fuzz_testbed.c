/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * fuzz_testbed.c: libFuzzer entry point for the testbed parser: any bytes,
 * opened as a testbed from memory, must open or fail with CB_ECONFIG and a
 * located, one-line message of bounded length, never crash, leak or hang.
 * Renders every resource of a file that opens, so the XML writers are
 * fuzzed too. No file is written: cb_testbed_open_memory reads the input
 * where it is.
 *
 * Build: CC=clang meson setup build-fuzz -Dfuzz=true -Db_lundef=false
 * Run:   see fuzz/README.md
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cloubed/cloubed.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    cb_testbed *tb = NULL;
    size_t i;
    char *x;

    opts.user = "fuzz";
    opts.virt_type = "qemu";
    /* "/" exists everywhere; nothing below it is read while opening */
    if (cb_testbed_open_memory(&tb, (const char *)data, size, "fuzz.yaml", "/", &opts) < 0) {
        const cb_error *e = cb_error_last();
        if (e->code != CB_ECONFIG && e->code != CB_ENOMEM)
            abort();
        if (e->code == CB_ECONFIG && (e->line < 1 || e->column < 1))
            abort(); /* every configuration error is located */
        if (strchr(e->message, '\n') || strlen(e->message) > 1024)
            abort(); /* one line, user values cut */
        return 0;
    }
    for (i = 0; i < cb_testbed_domain_count(tb); i++)
        if (cb_domain_get_xml(&x, cb_testbed_domain_at(tb, i), 0) == 0)
            free(x);
    for (i = 0; i < cb_testbed_network_count(tb); i++)
        if (cb_network_get_xml(&x, cb_testbed_network_at(tb, i), 0) == 0)
            free(x);
    for (i = 0; i < cb_testbed_storage_volume_count(tb); i++)
        if (cb_storage_volume_get_xml(&x, cb_testbed_storage_volume_at(tb, i), 0) == 0)
            free(x);
    cb_testbed_free(tb);
    return 0;
}
