/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * templates.c: template variables of a domain, rendering, and generation of
 * the domain's template files.
 *
 * The engine is the original tool's: Python's string.Template with
 * safe_substitute and the identifier pattern
 * [a-z][_a-z0-9]*(\.[a-z][_a-z0-9]*)* matched case-insensitively: $$ is $,
 * $name and ${name} are replaced when name is a variable (looked up exactly),
 * and anything else, unknown names included, is left as it is. Identifiers
 * are matched greedily and never shortened: $self.name.example.com is left
 * alone, ${self.name}.example.com is what works.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "serve/gen_record.h"
#include "util/ipv4.h"
#include "testbed.h"
#include "util/util.h"
#include "serve/vars.h"

struct cb_vars {
    struct kv_vec kv;
};

static int set(struct kv_vec *v, char *key, const char *value)
{
    struct kv kv;
    size_t i;

    if (!key)
        return CB_ENOMEM;
    for (i = 0; i < v->n; i++)
        if (strcmp(v->v[i].key, key) == 0) { /* a later definition wins */
            char *nv = str_dup(value);
            free(key);
            if (!nv)
                return CB_ENOMEM;
            free(v->v[i].value);
            v->v[i].value = nv;
            return 0;
        }
    kv.key = key;
    if (!(kv.value = str_dup(value)) || VEC_PUSH(*v, kv) < 0) {
        model_free_kv(&kv);
        return err_oom();
    }
    return 0;
}

/* Resource names lose their hyphens in variable names (as the original). */
static char *clean(const char *name)
{
    char *s = str_dup(name), *w = s;
    const char *r;

    if (!s)
        return NULL;
    for (r = name; *r; r++)
        if (*r != '-')
            *w++ = *r;
    *w = '\0';
    return s;
}

#define OR_NONE(s) ((s) ? (s) : "None")

/* A: N's run-time address (tb_network_address): for `address: auto`, what
 * was taken at creation rather than the file's host numbers. */
static int network_vars(struct kv_vec *v, const cb_network *n, const struct net_addr *a)
{
    char *c = clean(n->name), ip[IPV4_STRLEN], mask[IPV4_STRLEN], ds[IPV4_STRLEN], de[IPV4_STRLEN];
    int rc;

    if (!c)
        return CB_ENOMEM;
    ipv4_format(a->ip, ip);
    ipv4_format(ipv4_mask(a->prefix), mask);
    ipv4_format(a->dhcp_start, ds);
    ipv4_format(a->dhcp_end, de);
    if ((rc = set(v, str_printf("network.%s.forward_mode", c), OR_NONE(fwd_mode_name(n->forward)))) < 0 ||
        (rc = set(v, str_printf("network.%s.bridge_name", c), OR_NONE(n->bridge))) < 0 ||
        (rc = set(v, str_printf("network.%s.ip_host", c), n->has_ip ? ip : "None")) < 0 ||
        (rc = set(v, str_printf("network.%s.netmask", c), n->has_ip ? mask : "None")) < 0 ||
        (rc = set(v, str_printf("network.%s.dhcp_start", c), n->has_dhcp ? ds : "None")) < 0 ||
        /* the original always said None here (a regression): fixed */
        (rc = set(v, str_printf("network.%s.dhcp_end", c), n->has_dhcp ? de : "None")) < 0 ||
        (rc = set(v, str_printf("network.%s.pxe_tftp_dir", c), OR_NONE(n->pxe_dir))) < 0 ||
        (rc = set(v, str_printf("network.%s.pxe_boot_file", c), OR_NONE(n->pxe_file))) < 0)
        goto out;
    if (n->has_ip) {
        char *url = str_printf("http://%s:%u", ip, n->tb->m.http_port);
        rc = url ? set(v, str_printf("network.%s.http_server", c), url) : CB_ENOMEM;
        free(url);
    }
out:
    free(c);
    return rc;
}

/* The variables of domain X under PREFIX ("domain.x" or "self"); ADDRS:
 * every network's run-time address, by index in m.networks. */
static int domain_vars(struct kv_vec *v, const char *prefix, const cb_domain *x,
                       const struct net_addr *addrs)
{
    char *c = clean(x->name), num[32], ip[IPV4_STRLEN];
    size_t i;
    int rc;

#define NUM(val) (snprintf(num, sizeof(num), "%llu", (unsigned long long)(val)), num)
    if (!c)
        return CB_ENOMEM;
    if ((rc = set(v, str_printf("%s.name", prefix), c)) < 0 ||
        (rc = set(v, str_printf("%s.cpu", prefix), NUM(x->sockets * x->cores * x->threads))) < 0 ||
        (rc = set(v, str_printf("%s.sockets", prefix), NUM(x->sockets))) < 0 ||
        (rc = set(v, str_printf("%s.cores", prefix), NUM(x->cores))) < 0 ||
        (rc = set(v, str_printf("%s.threads", prefix), NUM(x->threads))) < 0 ||
        (rc = set(v, str_printf("%s.memory", prefix), NUM(x->memory_mib))) < 0 ||
        (rc = set(v, str_printf("%s.graphics", prefix), graphics_name(x->graphics))) < 0)
        goto out;
#undef NUM
    for (i = 0; i < x->netifs.n && rc == 0; i++) {
        const struct netif *nif = &x->netifs.v[i];
        char *net = clean(nif->net->name);
        if (!net) {
            rc = CB_ENOMEM;
            break;
        }
        if (nif->net->addr_auto) {
            size_t k;
            for (k = 0; x->m->networks.v[k] != nif->net; k++)
                ;
            ipv4_format((addrs[k].ip & ipv4_mask(addrs[k].prefix)) | nif->ip, ip);
        } else {
            ipv4_format(nif->ip, ip);
        }
        rc = set(v, str_printf("%s.%s.mac", prefix, net), nif->mac);
        if (rc == 0 && nif->has_ip)
            rc = set(v, str_printf("%s.%s.ip", prefix, net), ip);
        free(net);
    }
    for (i = 0; i < x->tpl_vars.n && rc == 0; i++)
        rc = set(v, str_printf("%s.tpl.%s", prefix, x->tpl_vars.v[i].key), x->tpl_vars.v[i].value);
out:
    free(c);
    return rc;
}

/* The `vars` order: testbed, storagepool, storagevolume, network, then
 * domain and self together; by code point within each group. */
static int group(const char *key)
{
    static const char *const prefixes[] = { "testbed", "storagepool", "storagevolume", "network",
                                            "domain", "self" };
    int i;
    for (i = 0; i < 6; i++)
        if (strncmp(key, prefixes[i], strlen(prefixes[i])) == 0)
            return i < 5 ? i : 4;
    return 5;
}

static int compare(const void *a, const void *b)
{
    const struct kv *x = a, *y = b;
    int gx = group(x->key), gy = group(y->key);
    return gx != gy ? gx - gy : strcmp(x->key, y->key);
}

int cb_domain_vars(cb_vars **out, cb_domain *d, unsigned int flags)
{
    const cb_testbed *tb;
    struct net_addr *addrs;
    cb_vars *vars;
    size_t i;
    int rc;

    if (!out)
        return ARG_FAIL(out);
    *out = NULL;
    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    tb = d->tb;
    if (!(addrs = calloc(tb->m.networks.n + 1, sizeof(*addrs))))
        return err_oom();
    /* An `address: auto` network not created yet fails the whole call: a
     * template needs its address, so create it first (CB_ESTATE says how). */
    for (i = 0; i < tb->m.networks.n; i++)
        if ((rc = tb_network_address(&addrs[i], d->tb, tb->m.networks.v[i])) < 0) {
            free(addrs);
            return rc;
        }
    if (!(vars = calloc(1, sizeof(*vars)))) {
        free(addrs);
        return err_oom();
    }
    rc = set(&vars->kv, str_dup("testbed"), tb->m.name);
    for (i = 0; i < tb->m.vars.n && rc == 0; i++)
        rc = set(&vars->kv, str_printf("testbed.%s", tb->m.vars.v[i].key), tb->m.vars.v[i].value);
    for (i = 0; i < tb->m.pools.n && rc == 0; i++) {
        char *c = clean(tb->m.pools.v[i]->name);
        rc = c ? set(&vars->kv, str_printf("storagepool.%s.path", c), tb->m.pools.v[i]->path) : CB_ENOMEM;
        free(c);
    }
    for (i = 0; i < tb->m.volumes.n && rc == 0; i++) {
        const cb_storage_volume *v = tb->m.volumes.v[i];
        char *c = clean(v->name), size[32];
        snprintf(size, sizeof(size), "%llu", v->size_gib);
        if (!c)
            rc = CB_ENOMEM;
        if (rc == 0)
            rc = set(&vars->kv, str_printf("storagevolume.%s.format", c), vol_format_name(v->format));
        if (rc == 0)
            rc = set(&vars->kv, str_printf("storagevolume.%s.size", c), size);
        if (rc == 0)
            rc = set(&vars->kv, str_printf("storagevolume.%s.storagepool", c), v->pool->name);
        free(c);
    }
    for (i = 0; i < tb->m.networks.n && rc == 0; i++)
        rc = network_vars(&vars->kv, tb->m.networks.v[i], &addrs[i]);
    for (i = 0; i < tb->m.domains.n && rc == 0; i++) {
        char *c = clean(tb->m.domains.v[i]->name), *prefix = c ? str_printf("domain.%s", c) : NULL;
        rc = prefix ? domain_vars(&vars->kv, prefix, tb->m.domains.v[i], addrs) : CB_ENOMEM;
        free(prefix);
        free(c);
    }
    if (rc == 0)
        rc = domain_vars(&vars->kv, "self", d, addrs);
    free(addrs);
    if (rc < 0) {
        cb_vars_free(vars);
        return rc;
    }
    qsort(vars->kv.v, vars->kv.n, sizeof(struct kv), compare);
    *out = vars;
    return 0;
}

int vars_new(cb_vars **out)
{
    return (*out = calloc(1, sizeof(**out))) ? 0 : err_oom();
}

int vars_set(cb_vars *v, const char *key, const char *value)
{
    return set(&v->kv, str_dup(key), value);
}

size_t cb_vars_count(const cb_vars *v)
{
    return v ? v->kv.n : 0;
}

const char *cb_vars_key(const cb_vars *v, size_t i)
{
    return v && i < v->kv.n ? v->kv.v[i].key : NULL;
}

const char *cb_vars_value(const cb_vars *v, size_t i)
{
    return v && i < v->kv.n ? v->kv.v[i].value : NULL;
}

const char *cb_vars_get(const cb_vars *v, const char *key)
{
    size_t i;

    for (i = 0; v && key && i < v->kv.n; i++)
        if (strcmp(v->kv.v[i].key, key) == 0)
            return v->kv.v[i].value;
    return NULL;
}

void cb_vars_free(cb_vars *v)
{
    size_t i;

    if (!v)
        return;
    for (i = 0; i < v->kv.n; i++)
        model_free_kv(&v->kv.v[i]);
    free(v->kv.v);
    free(v);
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_idchar(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

/* Length of the identifier at S, greedy, or 0. */
static size_t ident_len(const char *s)
{
    size_t n = 0;

    if (!is_alpha(s[0]))
        return 0;
    for (;;) {
        n++;
        while (is_idchar(s[n]))
            n++;
        if (s[n] != '.' || !is_alpha(s[n + 1]))
            return n;
        n++;
    }
}

/* Appends the value of the N-byte key at NAME, or the text as it was. */
static void substitute(GString *b, const cb_vars *v, const char *name, size_t n,
                       const char *orig, size_t orig_len)
{
    g_autofree char *key = g_strndup(name, n);
    const char *value = cb_vars_get(v, key);

    if (value)
        g_string_append(b, value);
    else
        g_string_append_len(b, orig, (gssize)orig_len);
}

int cb_vars_render(char **out, const cb_vars *v, const char *text, unsigned int flags)
{
    GString *b;
    const char *p, *dollar;
    size_t n;

    if (!out)
        return ARG_FAIL(out);
    *out = NULL;
    CHECK_FLAGS(flags, 0);
    if (!v)
        return ARG_FAIL(v);
    if (!text)
        return ARG_FAIL(text);
    b = g_string_new(NULL); /* an empty text renders to "" */
    for (p = text; (dollar = strchr(p, '$'));) {
        g_string_append_len(b, p, dollar - p);
        if (dollar[1] == '$') {
            g_string_append_c(b, '$');
            p = dollar + 2;
        } else if ((n = ident_len(dollar + 1))) {
            substitute(b, v, dollar + 1, n, dollar, n + 1);
            p = dollar + 1 + n;
        } else if (dollar[1] == '{' && (n = ident_len(dollar + 2)) && dollar[2 + n] == '}') {
            substitute(b, v, dollar + 2, n, dollar, n + 3);
            p = dollar + 3 + n;
        } else {
            g_string_append_c(b, '$'); /* not a substitution: left as it is */
            p = dollar + 1;
        }
    }
    g_string_append(b, p);
    *out = gstring_steal(b);
    return 0;
}

static int read_all(const char *path, char **out)
{
    FILE *f = fopen(path, "rb");
    GString *b;
    char buf[65536];
    size_t n;
    int e;

    if (!f)
        return err_set(CB_EIO, "error while reading template file %s: %s", path, strerror(errno));
    b = g_string_new(NULL);
    while ((n = fread(buf, 1, sizeof(buf) - 1, f)) > 0) {
        buf[n] = '\0';
        g_string_append(b, buf);
    }
    e = ferror(f) ? errno : 0;
    fclose(f);
    if (e) {
        g_string_free(b, TRUE);
        return err_set(CB_EIO, "error while reading template file %s: %s", path, strerror(e));
    }
    *out = gstring_steal(b);
    return 0;
}

/* Writes through a temporary file and a rename: readers (an installer
 * fetching it over HTTP) never see half a file. */
static int write_atomically(const char *path, const char *text, unsigned mode)
{
    char *tmp = str_printf("%s.XXXXXX", path);
    size_t len = strlen(text);
    int fd, e = 0;

    if (!tmp)
        return CB_ENOMEM;
    if ((fd = mkstemp(tmp)) < 0) {
        e = errno;
    } else {
        if (write(fd, text, len) != (ssize_t)len || fchmod(fd, (mode_t)mode) < 0 || fsync(fd) < 0)
            e = errno ? errno : EIO;
        if (close(fd) < 0 && !e)
            e = errno;
        if (!e && rename(tmp, path) < 0)
            e = errno;
        if (e)
            unlink(tmp);
    }
    free(tmp);
    if (e)
        return err_set(CB_EIO, "error while writing to template file %s: %s", path, strerror(e));
    return 0;
}

/* The configuration checked the output's path as text; a symbolic link on
 * the way could still lead out of the testbed directory. */
static int check_output_dir(const cb_domain *d, const struct tpl_file *t)
{
    char *copy, *real;
    bool in;

    if (t->allow_outside)
        return 0;
    if (!(copy = str_dup(t->output)))
        return CB_ENOMEM;
    real = realpath(dirname(copy), NULL);
    free(copy);
    if (!real) /* written nowhere: the write reports it */
        return 0;
    in = path_is_beneath(d->tb->m.dir, real);
    free(real);
    if (!in)
        return err_set(CB_EINVAL, "template output file %s of domain %s leads out of the testbed "
                       "directory through a symbolic link (set allow_outside: true on the "
                       "template to allow it)", t->output, d->name);
    return 0;
}

/* Writes the output and records it, under ops_lock: cleanup, which reads
 * the record, never sees a file written but not yet recorded. */
static int write_and_record(cb_domain *d, const struct tpl_file *t, const char *text)
{
    int rc;

    pthread_mutex_lock(&d->tb->rt.ops_lock);
    if ((rc = check_output_dir(d, t)) == 0 && (rc = write_atomically(t->output, text, t->mode)) == 0)
        rc = gen_record_add(d->tb, t->output, text, strlen(text));
    pthread_mutex_unlock(&d->tb->rt.ops_lock);
    return rc;
}

int cb_domain_gen(cb_domain *d, const char *template_name, unsigned int flags)
{
    const struct tpl_file *t = NULL;
    cb_vars *vars = NULL;
    char *input = NULL, *output = NULL;
    size_t i;
    int rc;

    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if (!template_name)
        return ARG_FAIL(template_name);
    for (i = 0; i < d->tpl_files.n && !t; i++)
        if (strcmp(d->tpl_files.v[i].name, template_name) == 0)
            t = &d->tpl_files.v[i];
    if (!t)
        return err_set(CB_ENOTFOUND, "template %s not defined for domain %s", template_name, d->name);
    if ((rc = read_all(t->input, &input)) == 0 && (rc = cb_domain_vars(&vars, d, 0)) == 0 &&
        (rc = cb_vars_render(&output, vars, input, 0)) == 0 &&
        (rc = write_and_record(d, t, output)) == 0)
        tb_log(d->tb, CB_LOG_INFO, "generated %s from %s", t->output, t->input);
    free(input);
    free(output);
    cb_vars_free(vars);
    return rc;
}
