/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * fuzz_testbed.c: libFuzzer entry point for the testbed parser: any bytes,
 * written as a testbed file, must open or fail with CB_ECONFIG/CB_EIO and a
 * located message, never crash, leak or hang. Renders every resource of a
 * file that opens, so the XML writers are fuzzed too.
 *
 * Build: CC=clang meson setup build-fuzz -Dfuzz=true -Db_lundef=false
 * Run:   build-fuzz/fuzz/fuzz-testbed fuzz/corpus -max_total_time=60
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cloubed/cloubed.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    cb_testbed *tb = NULL;
    FILE *f;
    size_t i;

    if (!path[0])
        snprintf(path, sizeof(path), "/tmp/cloubed-fuzz-%d.yaml", (int)getpid());
    if (!(f = fopen(path, "wb")))
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    opts.user = "fuzz";
    opts.virt_type = "qemu";
    if (cb_testbed_open(&tb, path, &opts) < 0) {
        const cb_error *e = cb_error_last();
        if (e->code != CB_ECONFIG && e->code != CB_EIO && e->code != CB_ENOMEM)
            abort();
        if (e->code == CB_ECONFIG && (e->line < 1 || e->column < 1))
            abort(); /* every configuration error is located */
        return 0;
    }
    for (i = 0; i < cb_testbed_domain_count(tb); i++)
        free(cb_domain_xml(cb_testbed_domain_at(tb, i)));
    for (i = 0; i < cb_testbed_network_count(tb); i++)
        free(cb_network_xml(cb_testbed_network_at(tb, i)));
    for (i = 0; i < cb_testbed_storage_volume_count(tb); i++)
        free(cb_storage_volume_xml(cb_testbed_storage_volume_at(tb, i)));
    cb_testbed_free(tb);
    return 0;
}
