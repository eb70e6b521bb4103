/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * ssh_key.c: the testbed's ed25519 key pair, STATE_DIR/id_ed25519 (0600),
 * made by the host's ssh-keygen the first time a seed or the caller needs
 * it, and its known_hosts file beside it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cloubed/cloubed.h>

#include "util/error.h"
#include "util/state_dir.h"
#include "util/util.h"
#include "virt/spawn.h"
#include "virt/ssh_key.h"

#define KEY_NAME "id_ed25519"

/* Generates the pair under a temporary name, then links it into place:
 * a process that loses the race keeps the winner's pair. */
static int key_make(cb_testbed *tb, const char *key, const char *pub)
{
    g_autofree char *tmp = g_strdup_printf("%s.tmp%ld", key, (long)getpid());
    g_autofree char *tmp_pub = g_strconcat(tmp, ".pub", NULL);
    g_autofree char *comment = g_strdup_printf("cloubed@%s", tb->m.ns_testbed);
    const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f",
                           tmp, NULL };
    int rc;

    unlink(tmp);
    unlink(tmp_pub);
    if ((rc = spawn_run("cannot make the testbed's SSH key", argv, NULL)) < 0)
        return rc;
    chmod(tmp, 0600);
    chmod(tmp_pub, 0600);
    if (link(tmp, key) == 0) {
        if (rename(tmp_pub, pub) < 0)
            rc = err_set(CB_EIO, "cannot rename %s: %s", tmp_pub, strerror(errno));
        else
            tb_log(tb, CB_LOG_INFO, "made the testbed's SSH key %s", key);
    } else if (errno != EEXIST) {
        rc = err_set(CB_EIO, "cannot create %s: %s", key, strerror(errno));
    }
    unlink(tmp);
    unlink(tmp_pub);
    return rc;
}

/* The public line: the .pub file, else (a concurrent maker between its
 * link and its rename) derived from the private half. */
static int read_pub(const char *key, const char *pub, char **out)
{
    const char *argv[] = { "ssh-keygen", "-y", "-f", key, NULL };
    char *text = NULL;
    int rc = 0;

    if (!g_file_get_contents(pub, &text, NULL, NULL) &&
        (rc = spawn_run("cannot read the testbed's public SSH key", argv, &text)) < 0)
        return rc;
    g_strstrip(text);
    if (!*text || strchr(text, '\n')) {
        g_free(text);
        return err_set(CB_EIO, "the testbed's public SSH key %s is not one line", pub);
    }
    *out = text;
    return 0;
}

int ssh_key_get(cb_testbed *tb, char **priv, char **pub)
{
    char *key = str_printf("%s/" KEY_NAME, tb->m.state_dir);
    g_autofree char *pub_path = g_strconcat(key ? key : "", ".pub", NULL);
    int rc = 0;

    *priv = NULL;
    if (pub)
        *pub = NULL;
    if (!key)
        return CB_ENOMEM;
    pthread_mutex_lock(&tb->rt.ops_lock);
    if (access(key, F_OK) < 0 &&
        ((rc = state_dir_make(tb->m.dir, tb->m.state_dir)) < 0 ||
         (rc = key_make(tb, key, pub_path)) < 0)) {
        pthread_mutex_unlock(&tb->rt.ops_lock);
        free(key);
        return rc;
    }
    pthread_mutex_unlock(&tb->rt.ops_lock);
    if (pub && (rc = read_pub(key, pub_path, pub)) < 0) {
        free(key);
        return rc;
    }
    *priv = key;
    return 0;
}

int ssh_key_remove(cb_testbed *tb)
{
    static const char *const names[] = { KEY_NAME, KEY_NAME ".pub", "known_hosts",
                                         "known_hosts.old" };
    size_t i;
    int rc = 0;

    for (i = 0; i < ARRAY_SIZE(names); i++) {
        g_autofree char *path = g_strdup_printf("%s/%s", tb->m.state_dir, names[i]);
        if (unlink(path) < 0 && errno != ENOENT)
            rc = err_set(CB_EIO, "cannot remove %s: %s", path, strerror(errno));
    }
    return rc;
}

int cb_testbed_ssh_key(char **private_key_path, cb_testbed *tb, unsigned int flags)
{
    int rc;

    if (!private_key_path)
        return ARG_FAIL(private_key_path);
    *private_key_path = NULL;
    CHECK_FLAGS(flags, 0);
    if (!tb)
        return ARG_FAIL(tb);
    if ((rc = pid_check(tb->opt.pid)) < 0)
        return rc;
    return ssh_key_get(tb, private_key_path, NULL);
}

const char *cb_domain_ssh_user(const cb_domain *d)
{
    return d && d->ci ? d->ci->ssh_user : NULL;
}
