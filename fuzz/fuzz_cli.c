/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * fuzz_cli.c: libFuzzer entry point for the command line parser
 * (tools/cloubed/args.c): the input, split on NUL bytes, is argv after
 * "cloubed". Any argv parses or fails with a message; nothing crashes,
 * leaks or reads past argv. (Messages quote arguments as given, control
 * characters included: the caller chose them.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1), **argv, err[512];
    struct cli_args a;
    size_t i, argc = 1;
    int rc;

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    for (i = 0; i < size; i++)
        argc += buf[i] == '\0';
    /* argv[0], one per NUL-separated piece, and the NULL that ends argv */
    if (!(argv = calloc(argc + 2, sizeof(*argv)))) {
        free(buf);
        return 0;
    }
    argv[0] = (char *)"cloubed";
    argv[1] = buf;
    for (i = 0, argc = 2; i < size; i++)
        if (buf[i] == '\0')
            argv[argc++] = buf + i + 1;
    memset(&a, 0, sizeof(a));
    err[0] = '\0';
    rc = cli_parse(&a, (int)argc, argv, err, sizeof(err));
    if (rc != 0 && (rc != -1 || !err[0]))
        abort();
    cli_args_free(&a);
    free(argv);
    free(buf);
    return 0;
}
