/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * testbed.c: opening and freeing a testbed, and finding its resources.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/parse.h"
#include "virt/connection.h"
#include "serve/http_server.h"
#include "util/error.h"
#include "virt/cells.h"
#include "virt/host.h"
#include "virt/subnet.h"
#include "wait/events.h"
#include "util/util.h"

static int effective_user(char **out)
{
    struct passwd pw, *res = NULL;
    char buf[4096];

    if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &res) != 0 || !res)
        *out = str_printf("%u", (unsigned)geteuid());
    else
        *out = str_dup(pw.pw_name);
    return *out ? 0 : CB_ENOMEM;
}

static int absolute_dir_of(const char *path, char **out)
{
    char *copy = str_dup(path), *dir;
    int rc = 0;

    if (!copy)
        return CB_ENOMEM;
    dir = realpath(dirname(copy), NULL);
    if (!dir)
        rc = err_set(errno == ENOMEM ? CB_ENOMEM : CB_EIO, "Not able to open file %s: %s", path,
                     strerror(errno));
    free(copy);
    *out = dir;
    return rc;
}

static int copy_options(cb_testbed *tb, const cb_testbed_options *opts)
{
    int rc;

    if (!opts)
        return (rc = host_choose_virt_type(tb, NULL)) < 0 ? rc : effective_user(&tb->m.user);
    if (opts->version < 1 || opts->version > CB_TESTBED_OPTIONS_VERSION)
        return err_set(CB_EINVAL, "cb_testbed_open: options version %u is not supported "
                                  "(this library knows versions 1 to %d)", opts->version,
                       CB_TESTBED_OPTIONS_VERSION);
    if (opts->flags & ~(unsigned int)CB_TESTBED_EXTERNAL_EVENT_LOOP)
        return err_set(CB_EINVAL, "cb_testbed_open: unsupported flags 0x%x",
                       opts->flags & ~(unsigned int)CB_TESTBED_EXTERNAL_EVENT_LOOP);
    if (opts->user && (!*opts->user || strchr(opts->user, ':')))
        return err_set(CB_EINVAL, "cb_testbed_open: user \"%s\" is not valid in a namespace",
                       opts->user);
    /* The instance joins libvirt names after '+', which a testbed name never
     * holds: so no instance's names can equal another testbed's. 32 leaves
     * room for the testbed's 64 in a libvirt name. */
    if (opts->version >= 2 && opts->instance && *opts->instance) {
        if (!name_is_valid(opts->instance) || strlen(opts->instance) > 32)
            return err_set(CB_EINVAL, "cb_testbed_open: instance \"%s\" is not valid: use at "
                                      "most 32 letters, digits, '.', '_' or '-', starting with a "
                                      "letter or a digit", opts->instance);
        if (!(tb->m.instance = str_dup(opts->instance)))
            return CB_ENOMEM;
    }
    if ((rc = host_choose_virt_type(tb, opts->virt_type)) < 0)
        return rc;
    tb->opt.log.cb = opts->log_cb;
    tb->opt.log.payload = opts->log_payload;
    tb->opt.flags = opts->flags;
    if (opts->uri && !(tb->rt.uri = str_dup(opts->uri)))
        return CB_ENOMEM;
    if (opts->user)
        return (tb->m.user = str_dup(opts->user)) ? 0 : CB_ENOMEM;
    return effective_user(&tb->m.user);
}

/* Opens a testbed from text: NAME names it in messages (and is its path),
 * DIR is the absolute directory of its relative paths (taken over). */
static int open_text(cb_testbed **out, const char *name, char *dir, const unsigned char *buf,
                     size_t len, const cb_testbed_options *opts)
{
    pthread_condattr_t cattr;
    cb_testbed *tb;
    int rc;

    if (!(tb = calloc(1, sizeof(*tb)))) {
        free(dir);
        return err_oom();
    }
    tb->m.dir = dir;
    tb->opt.pid = getpid();
    pthread_mutex_init(&tb->rt.lock, NULL);
    pthread_mutex_init(&tb->rt.conn_lock, NULL);
    pthread_mutex_init(&tb->rt.ops_lock, NULL);
    pthread_mutex_init(&tb->rt.ev_lock, NULL);
    pthread_mutex_init(&tb->rt.http_lock, NULL);
    pthread_mutex_init(&tb->rt.net_addr_lock, NULL);
    /* Waits measure time on the monotonic clock: a clock change must not
     * shorten or stretch a timeout. */
    pthread_condattr_init(&cattr);
    pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
    pthread_cond_init(&tb->rt.ev_cond, &cattr);
    pthread_cond_init(&tb->rt.cell_cond, &cattr);
    pthread_condattr_destroy(&cattr);
    pthread_mutex_init(&tb->rt.cell_lock, NULL);
    tb->rt.cells = cells_new();
    tb->rt.ev_callback = -1;
    if ((rc = copy_options(tb, opts)) < 0 || (rc = subnet_range_init(tb)) < 0 ||
        !(tb->m.path = str_dup(name)) ||
        (rc = config_load(&tb->m, tb, &tb->opt.log, buf, len)) < 0 ||
        (tb->m.domains.n && !(tb->rt.dom = calloc(tb->m.domains.n, sizeof(*tb->rt.dom)))) ||
        (tb->m.networks.n &&
         !(tb->rt.net_addr = calloc(tb->m.networks.n, sizeof(*tb->rt.net_addr))))) {
        cb_testbed_free(tb);
        return rc < 0 ? rc : err_oom();
    }
    *out = tb;
    return 0;
}

int cb_testbed_open(cb_testbed **out, const char *yaml_path, const cb_testbed_options *opts)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    char *dir = NULL;
    int rc;

    if (!out)
        return ARG_FAIL(out);
    *out = NULL;
    if (!yaml_path)
        return ARG_FAIL(yaml_path);
    if ((rc = absolute_dir_of(yaml_path, &dir)) < 0)
        return rc;
    if ((rc = ydoc_read_file(yaml_path, &buf, &len)) < 0) {
        free(dir);
        return rc;
    }
    rc = open_text(out, yaml_path, dir, buf, len, opts);
    free(buf);
    return rc;
}

int cb_testbed_open_memory(cb_testbed **out, const char *buf, size_t len, const char *name,
                           const char *dir, const cb_testbed_options *opts)
{
    char *absdir;

    if (!out)
        return ARG_FAIL(out);
    *out = NULL;
    if (!buf && len)
        return ARG_FAIL(buf);
    if (!name)
        return ARG_FAIL(name);
    absdir = realpath(dir ? dir : ".", NULL);
    if (!absdir)
        return err_set(errno == ENOMEM ? CB_ENOMEM : CB_EIO, "Not able to use directory %s: %s",
                       dir ? dir : ".", strerror(errno));
    return open_text(out, name, absdir, (const unsigned char *)(buf ? buf : ""), len, opts);
}

void cb_testbed_free(cb_testbed *tb)
{
    size_t i;

    if (!tb)
        return;
    http_stop_all(tb);
    tb_disconnect(tb);
    events_free_listeners(tb);
    for (i = 0; tb->rt.dom && i < tb->m.domains.n; i++)
        free(tb->rt.dom[i].events.v);
    free(tb->rt.dom);
    free((char *)tb->rt.host.arch);
    free((char *)tb->rt.host.emulator);
    free((char *)tb->rt.host.machine);
    pthread_mutex_destroy(&tb->rt.lock);
    pthread_mutex_destroy(&tb->rt.conn_lock);
    pthread_mutex_destroy(&tb->rt.ops_lock);
    pthread_mutex_destroy(&tb->rt.ev_lock);
    pthread_mutex_destroy(&tb->rt.http_lock);
    pthread_mutex_destroy(&tb->rt.net_addr_lock);
    free(tb->rt.net_addr);
    pthread_cond_destroy(&tb->rt.ev_cond);
    pthread_mutex_destroy(&tb->rt.cell_lock);
    pthread_cond_destroy(&tb->rt.cell_cond);
    cells_free(tb->rt.cells);
    model_free(&tb->m);
    free(tb->rt.uri);
    free(tb->opt.virt_type);
    free(tb->rt.host_tcg_why);
    free(tb);
}

void tb_log(const cb_testbed *tb, cb_log_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_msgv(&tb->opt.log, level, fmt, ap);
    va_end(ap);
}

const char *cb_testbed_name(const cb_testbed *tb)
{
    return tb ? tb->m.name : NULL;
}

const char *cb_testbed_path(const cb_testbed *tb)
{
    return tb ? tb->m.path : NULL;
}

const char *cb_testbed_directory(const cb_testbed *tb)
{
    return tb ? tb->m.dir : NULL;
}

const char *cb_testbed_uri(const cb_testbed *tb)
{
    return tb ? tb->rt.uri : NULL;
}

const char *cb_testbed_user(const cb_testbed *tb)
{
    return tb ? tb->m.user : NULL;
}

const char *cb_testbed_instance(const cb_testbed *tb)
{
    return tb ? tb->m.instance : NULL;
}

static void *resource_at(const cb_testbed *tb, void *const *items, size_t n, size_t i)
{
    if (!tb) {
        err_set(CB_EINVAL, "argument 'tb' must not be NULL");
        return NULL;
    }
    if (i >= n) {
        err_set(CB_EINVAL, "index %zu is out of range (%zu resources)", i, n);
        return NULL;
    }
    return items[i];
}

static void *resource_named(void *found, const char *name, const char *kind)
{
    if (!found)
        err_set(CB_ENOTFOUND, "%s %s not found in configuration", kind, name);
    return found;
}

#define RESOURCE_LOOKUPS(type, kind, vec, lookup, label)                             \
    size_t cb_testbed_##kind##_count(const cb_testbed *tb)                           \
    {                                                                                \
        return tb ? tb->m.vec.n : 0;                                                 \
    }                                                                                \
    type *cb_testbed_##kind##_at(cb_testbed *tb, size_t i)                           \
    {                                                                                \
        return resource_at(tb, tb ? (void *const *)tb->m.vec.v : NULL, tb ? tb->m.vec.n : 0, i); \
    }                                                                                \
    type *cb_testbed_##kind(cb_testbed *tb, const char *name)                        \
    {                                                                                \
        if (!tb || !name) {                                                          \
            err_set(CB_EINVAL, "arguments 'tb' and 'name' must not be NULL");        \
            return NULL;                                                             \
        }                                                                            \
        return resource_named(lookup(&tb->m, name), name, label);                    \
    }

RESOURCE_LOOKUPS(cb_domain, domain, domains, model_domain, "domain")
RESOURCE_LOOKUPS(cb_network, network, networks, model_network, "network")
RESOURCE_LOOKUPS(cb_storage_pool, storage_pool, pools, model_pool, "storage pool")
RESOURCE_LOOKUPS(cb_storage_volume, storage_volume, volumes, model_volume, "storage volume")
