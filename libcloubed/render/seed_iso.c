/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * seed_iso.c: the NoCloud seed as an ISO9660 image labelled "cidata", with
 * Rock Ridge and Joliet (lower-case names of any length, as cloud-init
 * reads them), built in memory with libisofs (Debian's libisofs-dev): the
 * maintained library behind xorriso, rather than a hand-written ISO writer
 * or a genisoimage process.
 */
#include <stdlib.h>
#include <string.h>

#include <stdint.h>
#include <sys/types.h>

/* We read its output ourselves: no libburn, so libisofs declares burn_source. */
#define LIBISOFS_WITHOUT_LIBBURN 1
#include <libisofs/libisofs.h>

#include "model/seed.h"
#include "render/render.h"
#include "util/error.h"

/* libisofs must be initialised once per process, and prints to stderr
 * unless told not to: the library never prints. */
static gpointer iso_setup(gpointer unused)
{
    (void)unused;
    if (iso_init_with_flag(1) < 0)  /* 1: leave the locale alone */
        return GINT_TO_POINTER(-1);
    iso_set_msgs_severities("NEVER", "NEVER", "libcloubed");
    return GINT_TO_POINTER(1);
}

/* A file of mode 0444 (libisofs's default) holding a copy of TEXT. */
static int add_file(IsoImage *image, const char *name, const char *text)
{
    size_t len = strlen(text);
    unsigned char *copy = malloc(len ? len : 1);  /* the stream frees it */
    IsoStream *stream = NULL;
    IsoFile *file = NULL;
    int rc;

    if (!copy)
        return err_oom();
    memcpy(copy, text, len);
    if ((rc = iso_memory_stream_new(copy, len, &stream)) < 0) {
        free(copy);
        return err_set(CB_ENOMEM, "cannot build the seed: file %s: libisofs error %d", name, rc);
    }
    /* The new file takes the stream's reference. */
    if ((rc = iso_image_add_new_file(image, iso_image_get_root(image), name, stream, &file)) < 0) {
        iso_stream_unref(stream);
        return err_set(CB_EINVAL, "cannot build the seed: file %s: libisofs error %d", name, rc);
    }
    return 0;
}

/* One image at a time, process-wide: libisofs keeps objects shared by
 * every image (its local filesystem, its message queue) whose reference
 * counts it does not lock. A seed takes milliseconds. */
static GMutex iso_lock;

static int build_iso(unsigned char **buf, size_t *len, const struct seed_files *f);

int render_seed_iso(unsigned char **buf, size_t *len, const struct seed_files *f)
{
    int rc;

    g_mutex_lock(&iso_lock);
    rc = build_iso(buf, len, f);
    g_mutex_unlock(&iso_lock);
    return rc;
}

static int build_iso(unsigned char **buf, size_t *len, const struct seed_files *f)
{
    static GOnce once = G_ONCE_INIT;
    IsoImage *image = NULL;
    IsoWriteOpts *opts = NULL;
    struct burn_source *src = NULL;
    GByteArray *out = NULL;
    unsigned char block[2048];
    int rc, n;

    *buf = NULL;
    *len = 0;
    if (GPOINTER_TO_INT(g_once(&once, iso_setup, NULL)) < 0)
        return err_set(CB_ENOMEM, "cannot initialise libisofs");
    if (iso_image_new("cidata", &image) < 0)
        return err_oom();
    if ((rc = add_file(image, "meta-data", f->meta_data)) < 0 ||
        (rc = add_file(image, "user-data", f->user_data)) < 0 ||
        (f->network_config &&
         (rc = add_file(image, "network-config", f->network_config)) < 0))
        goto out;
    if (iso_write_opts_new(&opts, 0) < 0) {
        rc = err_oom();
        goto out;
    }
    iso_write_opts_set_rockridge(opts, 1);
    iso_write_opts_set_joliet(opts, 1);
    /* "cidata" as written: genisoimage -V keeps lower case, and so do we. */
    iso_write_opts_set_relaxed_vol_atts(opts, 1);
    if ((rc = iso_image_create_burn_source(image, opts, &src)) < 0) {
        rc = err_set(CB_EINVAL, "cannot build the seed: libisofs error %d", rc);
        goto out;
    }
    /* libisofs writes in a thread of its own; reading to the end joins it. */
    out = g_byte_array_new();
    while ((n = src->read_xt(src, block, sizeof(block))) > 0)
        g_byte_array_append(out, block, (guint)n);
    if (n < 0) {
        rc = err_set(CB_EIO, "cannot build the seed: libisofs failed while writing the image");
        goto out;
    }
    *len = out->len;
    *buf = g_byte_array_free(out, FALSE);
    out = NULL;
    rc = 0;
out:
    if (out)
        g_byte_array_free(out, TRUE);
    if (src) {
        src->free_data(src);
        free(src);
    }
    if (opts)
        iso_write_opts_free(opts);
    iso_image_unref(image);
    return rc;
}
