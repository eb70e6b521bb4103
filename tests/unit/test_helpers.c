/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_helpers.c: small helpers shared by the cmocka unit tests.
 */
#include <pthread.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_helpers.h"

char *th_mkdtemp(void)
{
    const char *tmp = getenv("TMPDIR");
    char *dir;

    if (asprintf(&dir, "%s/cbtest.XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
        abort();
    if (!mkdtemp(dir))
        abort();
    return dir;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void th_rmtree(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *th_write(const char *dir, const char *name, const char *data, size_t len)
{
    char *path;
    FILE *f;

    if (asprintf(&path, "%s/%s", dir, name) < 0 || !(f = fopen(path, "wb")))
        abort();
    if (fwrite(data, 1, len, f) != len)
        abort();
    fclose(f);
    return path;
}

char *th_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        abort();
    buf[n] = '\0';
    fclose(f);
    return buf;
}

char *th_replace(const char *s, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), n = 0;
    const char *p;
    char *out, *o;

    for (p = s; (p = strstr(p, from)); p += fl)
        n++;
    out = malloc(strlen(s) + n * (tl > fl ? tl - fl : 0) + 1);
    if (!out)
        abort();
    for (o = out, p = s;;) {
        const char *q = strstr(p, from);
        if (!q) {
            strcpy(o, p);
            break;
        }
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        memcpy(o, to, tl);
        o += tl;
        p = q + fl;
    }
    return out;
}

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void th_log_cb(cb_log_level level, const char *message, void *payload)
{
    struct th_log *log = payload;
    size_t used;

    /* Debug messages come from the event loop's thread too, and tests read
     * the text unlocked from theirs: they are not collected. */
    if (level == CB_LOG_DEBUG)
        return;
    /* The HTTP server's threads log too: one writer at a time. */
    pthread_mutex_lock(&log_lock);
    used = strlen(log->text);
    if (level >= CB_LOG_WARNING)
        log->warnings++;
    snprintf(log->text + used, sizeof(log->text) - used, "%s\n", message);
    pthread_mutex_unlock(&log_lock);
}

cb_testbed *th_open_yaml(const char *dir, const char *sub, const char *yaml, const char *uri,
                         cb_log_cb log_cb, void *payload)
{
    cb_testbed_options opts = CB_TESTBED_OPTIONS_INIT;
    cb_testbed *tb = NULL;
    char *where, *path;

    if (sub) {
        assert_true(asprintf(&where, "%s/%s", dir, sub) > 0);
        assert_int_equal(mkdir(where, 0755), 0);
    } else {
        where = strdup(dir);
        assert_non_null(where);
    }
    path = th_write(where, "cloubed.yaml", yaml, strlen(yaml));
    opts.uri = uri;
    opts.user = "tester";
    opts.log_cb = log_cb;
    opts.log_payload = payload;
    if (cb_testbed_open(&tb, path, &opts) < 0)
        fail_msg("%s", cb_error_last()->message);
    free(path);
    free(where);
    return tb;
}
