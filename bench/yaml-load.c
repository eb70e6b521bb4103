/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * yaml-load.c: the baseline of bench 4 and 5: libyaml alone loads the file
 * into a yaml_document_t, nothing more (no model, no checks, no XML). What
 * any YAML-based tool must pay at least.
 *
 * usage: yaml-load FILE [RUNS]   prints the median in ms of RUNS loads
 */
#include <stdio.h>
#include <stdlib.h>

#include <yaml.h>

#include "bench.h"

int main(int argc, char **argv)
{
    int runs = argc > 2 ? atoi(argv[2]) : 1, i;
    double *t;

    if (argc < 2 || runs < 1)
        return 2;
    t = calloc((size_t)runs, sizeof(*t));
    for (i = 0; i < runs; i++) {
        yaml_parser_t p;
        yaml_document_t doc;
        FILE *f = fopen(argv[1], "rb");
        double t0 = bench_now();
        if (!f) {
            perror(argv[1]);
            return 1;
        }
        yaml_parser_initialize(&p);
        yaml_parser_set_input_file(&p, f);
        if (!yaml_parser_load(&p, &doc) || !yaml_document_get_root_node(&doc)) {
            fprintf(stderr, "%s: %s\n", argv[1], p.problem ? p.problem : "empty");
            return 1;
        }
        yaml_document_delete(&doc);
        yaml_parser_delete(&p);
        t[i] = bench_now() - t0;
        fclose(f);
    }
    printf("%.3f\n", bench_median(t, runs) * 1e3);
    free(t);
    return 0;
}
