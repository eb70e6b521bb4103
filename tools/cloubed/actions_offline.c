/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * actions_offline.c: the actions that need no hypervisor (check, xml).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"

int report_error(void)
{
    fprintf(stderr, "cloubed: error: %s\n", cb_error_last()->message);
    return 1;
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

int action_check(cb_testbed *tb, const struct cli_args *a)
{
    size_t np = cb_testbed_storage_pool_count(tb), nv = cb_testbed_storage_volume_count(tb);
    size_t nn = cb_testbed_network_count(tb), nd = cb_testbed_domain_count(tb);

    (void)a;
    printf("%s: testbed %s is valid: %zu storage %s, %zu storage %s, %zu %s, %zu %s\n",
           cb_testbed_path(tb), cb_testbed_name(tb), np, plural(np, "pool", "pools"), nv,
           plural(nv, "volume", "volumes"), nn, plural(nn, "network", "networks"), nd,
           plural(nd, "domain", "domains"));
    return 0;
}

int action_xml(cb_testbed *tb, const struct cli_args *a)
{
    const char *type = a->resource_type, *name = a->resource_name;
    char *xml = NULL;

    if (strcmp(type, "domain") == 0) {
        cb_domain *d = cb_testbed_domain(tb, name);
        if (d)
            cb_domain_get_xml(&xml, d, 0);
    } else if (strcmp(type, "network") == 0) {
        cb_network *n = cb_testbed_network(tb, name);
        if (n)
            cb_network_get_xml(&xml, n, 0);
    } else if (strcmp(type, "storagevolume") == 0) {
        cb_storage_volume *v = cb_testbed_storage_volume(tb, name);
        if (v)
            cb_storage_volume_get_xml(&xml, v, 0);
    } else if (strcmp(type, "storagepool") == 0) {
        cb_storage_pool *p = cb_testbed_storage_pool(tb, name);
        if (p)
            cb_storage_pool_get_xml(&xml, p, 0);
    } else {
        fprintf(stderr, "cloubed: error: cannot dump XML of invalid resource type %s "
                        "(domain, network, storagevolume or storagepool)\n", type);
        return 1;
    }
    if (!xml)
        return report_error();
    fputs(xml, stdout);
    free(xml);
    return 0;
}
