/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * config_util.c: field readers shared by the section readers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "model/parse.h"
#include "util/error.h"
#include "util/util.h"

const char *pval(const char *s)
{
    /* Four buffers: enough for every value one message quotes. */
    static __thread char ring[4][PVAL_MAX_CHARS * 4 + sizeof("\u2026")];
    static __thread unsigned next;
    size_t i = 0, chars = 0, k;
    bool control = false;
    char *buf;

    while (s[i] && chars < PVAL_MAX_CHARS) {
        control |= (unsigned char)s[i] < 0x20 || s[i] == 0x7f;
        /* one UTF-8 character: a lead byte and at most 3 continuation bytes */
        i++;
        for (k = 0; k < 3 && ((unsigned char)s[i] & 0xc0) == 0x80; k++)
            i++;
        chars++;
    }
    if (!s[i] && !control)
        return s;
    buf = ring[next++ % 4];
    memcpy(buf, s, i);
    /* a message is one line: a newline or tab of the value becomes '?' */
    for (k = 0; k < i; k++)
        if ((unsigned char)buf[k] < 0x20 || buf[k] == 0x7f)
            buf[k] = '?';
    memcpy(buf + i, s[i] ? "\u2026" : "", s[i] ? sizeof("\u2026") : 1);
    return buf;
}

struct cb_loc ploc(const ynode *n)
{
    struct cb_loc l = { ynode_line(n), ynode_column(n) };
    return l;
}

static int pfail_locv(const struct pctx *c, struct cb_loc at, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static int pfail_locv(const struct pctx *c, struct cb_loc at, const char *fmt, va_list ap)
{
    return err_set_atv(CB_ECONFIG, c->file, at.line, at.column, fmt, ap);
}

int pfail_loc(const struct pctx *c, struct cb_loc at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pfail_locv(c, at, fmt, ap);
    va_end(ap);
    return CB_ECONFIG;
}

int pfail(const struct pctx *c, const ynode *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pfail_locv(c, ploc(at), fmt, ap);
    va_end(ap);
    return CB_ECONFIG;
}

void pwarn(const struct pctx *c, const ynode *at, const char *fmt, ...)
{
    va_list ap;
    char *msg = NULL;

    if (!c->log->cb)
        return;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    if (msg)
        log_msg(c->log, CB_LOG_WARNING, "%s:%d:%d: %s", c->file, ynode_line(at), ynode_column(at),
                msg);
    free(msg);
}

static const char *suggest(const char *key, const char *const *known)
{
    for (; *known; known++)
        if (str_one_edit_apart(key, *known))
            return *known;
    return NULL;
}

/* Whether KEY (the key of pair P of MAP) was given before: the earlier
 * pair, or NULL. A set past a few keys: the pairwise loop is quadratic in a
 * mapping of thousands of keys. SEEN is created on demand. */
#define KEYS_LINEAR_MAX 16
static const yaml_node_pair_t *earlier_key(const struct pctx *c, const ynode *map,
                                           const yaml_node_pair_t *p, const char *key,
                                           GHashTable **seen)
{
    const yaml_node_pair_t *q;

    if (ymap_len(map) <= KEYS_LINEAR_MAX) {
        for (q = ymap_pair(c->doc, map, 0); q < p; q++) {
            const ynode *k2 = ydoc_node(c->doc, q->key);
            if (strcmp(key, k2->data.scalar.value) == 0)
                return q;
        }
        return NULL;
    }
    if (!*seen)
        *seen = g_hash_table_new(g_str_hash, g_str_equal);
    if ((q = g_hash_table_lookup(*seen, key)))
        return q;
    g_hash_table_insert(*seen, (char *)key, (void *)p);
    return NULL;
}

int pcheck_keys(const struct pctx *c, const ynode *map, const char *const *known,
                const char *what_fmt, ...)
{
    const yaml_node_pair_t *p, *q;
    GHashTable *seen = NULL;
    size_t i;
    char what[128];
    va_list ap;
    int rc = 0;

    /* Formatted only for a message: most mappings have none. */
#define WHAT() (va_start(ap, what_fmt), vsnprintf(what, sizeof(what), what_fmt, ap), va_end(ap), what)
    for (i = 0; i < ymap_len(map) && rc == 0; i++) {
        const ynode *k = ydoc_node(c->doc, (p = ymap_pair(c->doc, map, i))->key);
        const char *key = ynode_text(k);
        const char *const *kn;
        const char *hint;

        if (!key || k->type != YAML_SCALAR_NODE) {
            rc = pfail(c, k, "keys of %s must be strings", WHAT());
            break;
        }
        /* "<<" merges a map; "x-..." keys hold the user's own data, such as
         * anchors to merge from (the docker-compose convention). */
        if ((ynode_is_plain(k) && strcmp(key, "<<") == 0) || strncmp(key, "x-", 2) == 0)
            continue;
        if ((q = earlier_key(c, map, p, key, &seen))) {
            rc = pfail(c, k, "key '%s' of %s is given twice (first at line %d)", pval(key),
                       WHAT(), ynode_line(ydoc_node(c->doc, q->key)));
            break;
        }
        for (kn = known; *kn; kn++)
            if (strcmp(*kn, key) == 0)
                break;
        if (*kn)
            continue;
        hint = suggest(key, known);
        if (hint)
            pwarn(c, k, "unknown key '%s' in %s is ignored (did you mean '%s'?)", pval(key), WHAT(),
                  hint);
        else
            pwarn(c, k, "unknown key '%s' in %s is ignored", pval(key), WHAT());
    }
#undef WHAT
    if (seen)
        g_hash_table_destroy(seen);
    return rc;
}

int pget_text(const struct pctx *c, const ynode *map, const char *key, int flags,
              const char **out, const ynode **node, const char *missing,
              const char *invalid, ...)
{
    const ynode *v = ymap_get(c->doc, map, key);
    const char *text;
    va_list ap;
    char *msg;
    int rc;

    if (node)
        *node = v ? v : map;
    if (!v && !(flags & F_REQUIRED))
        return 0;
    text = v ? ynode_text(v) : NULL;
    if (text && (!(flags & F_NONEMPTY) || *text)) {
        *out = text;
        return 1;
    }
    va_start(ap, invalid);
    /* MISSING and INVALID take the same arguments; the attribute checks
     * INVALID at every call, the yaml-cases tests print every MISSING. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    if (vasprintf(&msg, v ? invalid : missing, ap) < 0)
        msg = NULL;
#pragma GCC diagnostic pop
    va_end(ap);
    if (!msg)
        return err_oom();
    rc = pfail(c, v ? v : map, "%s%s", msg, text ? " (it is empty)" : "");
    free(msg);
    return rc;
}

bool name_is_valid(const char *name)
{
    size_t i, n = strlen(name);

    if (n == 0 || n > NAME_MAX_LEN)
        return false;
    for (i = 0; i < n; i++) {
        char ch = name[i];
        bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        if (!alnum && (i == 0 || (ch != '.' && ch != '_' && ch != '-')))
            return false;
    }
    return true;
}

int pget_name(const struct pctx *c, const ynode *item, const char *kind, const char **out)
{
    const ynode *v = ymap_get(c->doc, item, "name");
    const char *text = ynode_text(v);

    if (!v)
        return pfail(c, item, "one %s object does not have a name", kind);
    if (!text || v->type != YAML_SCALAR_NODE)
        return pfail(c, v, "the format of one %s object is not valid", kind);
    if (!name_is_valid(text))
        return pfail(c, v,
                     "name '%s' of one %s object is not valid: use at most %d letters, digits, "
                     "'.', '_' or '-', starting with a letter or a digit",
                     pval(text), kind, NAME_MAX_LEN);
    *out = text;
    return 0;
}

int pget_bool(const struct pctx *c, const ynode *map, const char *key, const char *what,
              bool *out)
{
    static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On",
                                       "ON", NULL };
    static const char *const no[] = { "false", "False", "FALSE", "no", "No", "NO", "off", "Off",
                                      "OFF", NULL };
    const ynode *node;
    const char *text;
    size_t i;
    int rc = pget_text(c, map, key, 0, &text, &node, NULL,
                       "format of %s parameter of %s is not valid", key, what);

    *out = false;
    if (rc <= 0)
        return rc;
    for (i = 0; yes[i]; i++)
        if (ynode_is_plain(node) && strcmp(text, yes[i]) == 0)
            return (*out = true), 0;
    for (i = 0; no[i]; i++)
        if (ynode_is_plain(node) && strcmp(text, no[i]) == 0)
            return 0;
    return pfail(c, node, "value of %s parameter of %s must be true or false", key, what);
}
