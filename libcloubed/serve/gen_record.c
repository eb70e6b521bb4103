/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * gen_record.c: the record of what `gen` wrote.
 *
 * One line per file, "SHA256HEX PATH\n", in the testbed's state directory.
 * The digest is what makes cleanup safe: a file that has changed since gen
 * wrote it (edited by hand, or never ours: a template output pointed at an
 * existing file) is not removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "util/error.h"
#include "serve/gen_record.h"
#include "util/state_dir.h"
#include "util/util.h"

static char *record_path(const cb_testbed *tb)
{
    return str_printf("%s/generated", tb->m.state_dir);
}

char *gen_file_digest(const char *path)
{
    GChecksum *sum;
    struct stat st;
    char buf[65536];
    char *hex = NULL;
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return NULL;
    }
    sum = g_checksum_new(G_CHECKSUM_SHA256);
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        g_checksum_update(sum, (const guchar *)buf, (gssize)n);
    if (n == 0)
        hex = g_strdup(g_checksum_get_string(sum));
    g_checksum_free(sum);
    close(fd);
    return hex;
}

/* Parses one line "HEX PATH" in place; false when malformed. */
static bool parse_line(char *line, char **hex, char **path)
{
    char *sp = strchr(line, ' ');

    if (!sp || sp - line != 64 || !sp[1])
        return false;
    *sp = '\0';
    *hex = line;
    *path = sp + 1;
    return true;
}

/* Writes TEXT to the record through a temporary file and a rename, or
 * removes the record when TEXT is empty. */
static int write_record(const cb_testbed *tb, const char *text)
{
    g_autofree char *path = record_path(tb), *tmp = NULL;
    size_t len = strlen(text);
    int fd, e = 0;

    if (!path)
        return CB_ENOMEM;
    if (!*text) {
        if (unlink(path) < 0 && errno != ENOENT)
            return err_set(CB_EIO, "cannot remove %s: %s", path, strerror(errno));
        return 0;
    }
    if (!(tmp = str_printf("%s.XXXXXX", path)))
        return CB_ENOMEM;
    if ((fd = mkstemp(tmp)) < 0)
        return err_set(CB_EIO, "cannot write %s: %s", path, strerror(errno));
    if (write(fd, text, len) != (ssize_t)len || fsync(fd) < 0)
        e = errno ? errno : EIO;
    if (close(fd) < 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) < 0)
        e = errno;
    if (e) {
        unlink(tmp);
        return err_set(CB_EIO, "cannot write %s: %s", path, strerror(e));
    }
    return 0;
}

/* The record's lines, or an empty list when there is none yet. */
static int read_lines(const cb_testbed *tb, char ***lines)
{
    g_autofree char *path = record_path(tb), *text = NULL;
    GError *ge = NULL;

    *lines = NULL;
    if (!path)
        return CB_ENOMEM;
    if (!g_file_get_contents(path, &text, NULL, &ge)) {
        int rc = 0;
        if (!g_error_matches(ge, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            rc = err_set(CB_EIO, "cannot read %s: %s", path, ge->message);
        g_error_free(ge);
        if (rc == 0)
            *lines = g_new0(char *, 1);
        return rc;
    }
    *lines = g_strsplit(text, "\n", -1);
    return 0;
}

int gen_record_add(cb_testbed *tb, const char *path, const char *text, size_t len)
{
    g_auto(GStrv) lines = NULL;
    g_autofree char *hex = NULL;
    GString *out;
    size_t i;
    int rc;

    if (strchr(path, '\n'))
        return err_set(CB_EINVAL, "cannot record template output %s: its name has a newline",
                       path);
    if ((rc = state_dir_make(tb->m.dir, tb->m.state_dir)) < 0 || (rc = read_lines(tb, &lines)) < 0)
        return rc;
    hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text, len);
    out = g_string_new(NULL);
    for (i = 0; lines[i]; i++) {
        char *h, *p;
        if (parse_line(lines[i], &h, &p) && strcmp(p, path) != 0)
            g_string_append_printf(out, "%s %s\n", h, p);
    }
    g_string_append_printf(out, "%s %s\n", hex, path);
    rc = write_record(tb, out->str);
    g_string_free(out, TRUE);
    return rc;
}

/* The record lives in the testbed directory, so it is trusted no more than
 * the testbed file: a path outside the directory is removed only when a
 * template of the testbed still declares it with `allow_outside: true`. */
static bool may_remove(const cb_testbed *tb, const char *path)
{
    size_t i, j;

    if (path_is_beneath(tb->m.dir, path))
        return true;
    for (i = 0; i < tb->m.domains.n; i++)
        for (j = 0; j < tb->m.domains.v[i]->tpl_files.n; j++) {
            const struct tpl_file *t = &tb->m.domains.v[i]->tpl_files.v[j];
            if (t->allow_outside && strcmp(t->output, path) == 0)
                return true;
        }
    return false;
}

int gen_record_cleanup(cb_testbed *tb)
{
    g_auto(GStrv) lines = NULL;
    size_t i;
    int rc;

    if ((rc = read_lines(tb, &lines)) < 0)
        return rc;
    for (i = 0; lines[i]; i++) {
        g_autofree char *now = NULL;
        char *hex, *path;
        struct stat st;

        if (!parse_line(lines[i], &hex, &path) || lstat(path, &st) < 0)
            continue; /* gone already */
        if (!may_remove(tb, path)) {
            tb_log(tb, CB_LOG_WARNING, "template output file %s is outside the testbed "
                   "directory and no template allows it: it is kept", path);
            continue;
        }
        if (!S_ISREG(st.st_mode) || !(now = gen_file_digest(path)) || strcmp(now, hex) != 0) {
            tb_log(tb, CB_LOG_WARNING, "template output file %s changed since it was generated: "
                   "it is kept", path);
            continue;
        }
        tb_log(tb, CB_LOG_WARNING, "removing template output file %s", path);
        if (unlink(path) < 0 && errno != ENOENT)
            rc = err_set(CB_EIO, "cannot remove template output file %s: %s", path,
                         strerror(errno));
    }
    /* Kept when a removal failed, so that the next cleanup tries again. */
    if (rc == 0)
        rc = write_record(tb, "");
    return rc;
}
