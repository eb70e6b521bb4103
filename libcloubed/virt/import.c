/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * import.c: `source:` volumes. The image is copied into the pool once,
 * through libvirt (virStorageVolUpload: the daemon writes the file as its
 * own, local or remote), after `qemu-img convert` into the state directory
 * when its format is not the volume's (an upload copies bytes, it cannot
 * convert), then grown to `size` with virStorageVolResize.
 *
 * What was imported is recorded in STATE_DIR/volume-NAME.source (a
 * GKeyFile): the source's path, size, modification time (ns) and SHA-256.
 * The next boot compares size and mtime, cheaply; only when they differ is
 * the file hashed again, and a different hash is a changed source.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "render/render.h"
#include "util/error.h"
#include "util/state_dir.h"
#include "util/util.h"
#include "virt/connection.h"
#include "virt/import.h"
#include "virt/spawn.h"
#include "virt/upload.h"

#define GROUP "source"

static gint64 mtime_ns(const struct stat *st)
{
    return (gint64)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

static int source_stat(const cb_storage_volume *v, struct stat *st)
{
    if (stat(v->source, st) < 0)
        return err_set(errno == ENOENT ? CB_ENOTFOUND : CB_EIO, "source %s of storage volume %s "
                       "cannot be read: %s", v->source, v->name, strerror(errno));
    return 0;
}

static int sha256_file(const cb_storage_volume *v, char **hex)
{
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    unsigned char *buf = g_malloc(1 << 20);
    int fd = open(v->source, O_RDONLY | O_CLOEXEC), rc = 0;
    ssize_t n = -1;

    *hex = NULL;
    if (fd >= 0) {
        while ((n = read(fd, buf, 1 << 20)) > 0 || (n < 0 && errno == EINTR))
            if (n > 0)
                g_checksum_update(sum, buf, n);
        close(fd);
    }
    if (n < 0)
        rc = err_set(CB_EIO, "cannot read source %s of storage volume %s: %s", v->source, v->name,
                     strerror(errno));
    else
        *hex = g_strdup(g_checksum_get_string(sum));
    g_checksum_free(sum);
    g_free(buf);
    return rc;
}

static int record_write(cb_testbed *tb, const cb_storage_volume *v, const struct stat *st,
                        const char *sha)
{
    GKeyFile *k = g_key_file_new();
    GError *e = NULL;
    int rc = 0;

    g_key_file_set_string(k, GROUP, "path", v->source);
    g_key_file_set_uint64(k, GROUP, "size", (guint64)st->st_size);
    g_key_file_set_int64(k, GROUP, "mtime_ns", mtime_ns(st));
    g_key_file_set_string(k, GROUP, "sha256", sha);
    g_key_file_set_string(k, GROUP, "volume", v->libvirt_name);
    if ((rc = state_dir_make(tb->m.dir, tb->m.state_dir)) == 0 &&
        !g_key_file_save_to_file(k, v->source_record, &e)) {
        rc = err_set(CB_EIO, "cannot record the import of storage volume %s: %s", v->name,
                     e->message);
        g_error_free(e);
    }
    g_key_file_free(k);
    return rc;
}

int import_check(cb_testbed *tb, const cb_storage_volume *v)
{
    GKeyFile *k = g_key_file_new();
    g_autofree char *sha = NULL, *now = NULL;
    struct stat st;
    int rc;

    if (!g_key_file_load_from_file(k, v->source_record, G_KEY_FILE_NONE, NULL) ||
        !(sha = g_key_file_get_string(k, GROUP, "sha256", NULL))) {
        g_key_file_free(k);
        return 1;
    }
    if ((rc = source_stat(v, &st)) == 0 &&
        ((guint64)st.st_size != g_key_file_get_uint64(k, GROUP, "size", NULL) ||
         mtime_ns(&st) != g_key_file_get_int64(k, GROUP, "mtime_ns", NULL))) {
        /* Touched, perhaps changed: the content decides. */
        if ((rc = sha256_file(v, &now)) == 0 && strcmp(now, sha) != 0)
            rc = err_set(CB_ECONFLICT, "source %s of storage volume %s changed since it was "
                         "imported: to import it again, overwrite the volume (--overwrite-disks "
                         "%s, cb_boot_options.overwrite_disks: a domain's disk) or remove it "
                         "and its overlays (cleanup)", v->source, v->name, v->name);
        else if (rc == 0)
            rc = record_write(tb, v, &st, sha);
    }
    g_key_file_free(k);
    return rc;
}

/* The image to upload: the source itself, or its conversion to V's format
 * in the state directory (*TMP, removed by the caller). */
static int prepare(cb_testbed *tb, const cb_storage_volume *v, char **tmp)
{
    const char *argv[] = { "qemu-img", "convert", "-f", vol_format_name(v->source_format), "-O",
                           vol_format_name(v->format), v->source, NULL, NULL };
    int rc;

    *tmp = NULL;
    if (v->source_format == v->format)
        return 0;
    if ((rc = state_dir_make(tb->m.dir, tb->m.state_dir)) < 0)
        return rc;
    if (!(*tmp = str_printf("%s/volume-%s.convert.tmp", tb->m.state_dir, v->name)))
        return CB_ENOMEM;
    argv[7] = *tmp;
    tb_log(tb, CB_LOG_INFO, "converting %s to %s for storage volume %s", v->source,
           vol_format_name(v->format), v->name);
    return spawn_run("cannot convert the source of a storage volume", argv, NULL);
}

/* Grows the imported image to V's size. */
static int grow(virStorageVolPtr vol, const cb_storage_volume *v)
{
    unsigned long long bytes = v->size_gib << 30;

    if (!v->size_given || bytes <= v->source_vsize)
        return 0;
    if (virStorageVolResize(vol, bytes, 0) < 0)
        return lv_fail("cannot grow storage volume %s to %llu GiB", v->name, v->size_gib);
    return 0;
}

static int upload_and_grow(struct op *op, virConnectPtr c, virStorageVolPtr vol,
                           const cb_storage_volume *v, const char *image)
{
    g_autofree char *sha = NULL;
    struct stat st;
    int fd, rc;

    /* Identity first: what is recorded is what was read. */
    if ((rc = source_stat(v, &st)) < 0 || (rc = sha256_file(v, &sha)) < 0)
        return rc;
    if ((fd = open(image, O_RDONLY | O_CLOEXEC)) < 0)
        return err_set(CB_EIO, "cannot read %s: %s", image, strerror(errno));
    rc = vol_upload(c, vol, v->name, fd, NULL, 0);
    close(fd);
    if (rc == CB_EUNSUPPORTED) {
        /* libvirt's test driver: the volume exists, empty, and unrecorded. */
        tb_log(op->tb, CB_LOG_WARNING, "storage volume %s: %s; created empty", v->name,
               cb_error_last()->message);
        return 0;
    }
    if (rc < 0 || (rc = grow(vol, v)) < 0)
        return rc;
    if ((rc = record_write(op->tb, v, &st, sha)) == 0)
        tb_log(op->tb, CB_LOG_INFO, "imported %s into storage volume %s", v->source,
               v->libvirt_name);
    return rc;
}

int import_volume(struct op *op, virConnectPtr c, virStoragePoolPtr pool,
                  const cb_storage_volume *v)
{
    cb_storage_volume created = *v;
    virStorageVolPtr vol;
    char *xml, *tmp = NULL;
    int rc;

    if ((rc = prepare(op->tb, v, &tmp)) < 0)
        goto out;
    /* Created at the image's own size: grown after the upload, which
     * replaces the file libvirt made. */
    created.size_given = false;
    if (!(xml = render_volume_xml(&created))) {
        rc = CB_ENOMEM;
        goto out;
    }
    vol = virStorageVolCreateXML(pool, xml, 0);
    free(xml);
    if (!vol) {
        rc = lv_fail("cannot create storage volume %s", v->libvirt_name);
        goto out;
    }
    virStorageVolRef(vol); /* one for the op, one for us */
    if ((rc = op_record(op, UNDO_VOLUME, OP_CREATED, vol, NULL, v)) == 0)
        rc = upload_and_grow(op, c, vol, v, tmp ? tmp : v->source);
    virStorageVolFree(vol);
out:
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    return rc;
}
