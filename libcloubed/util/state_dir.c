/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * state_dir.c: the testbed's state directory, DIR/.cloubed/TESTBED (console
 * logs, the record of generated files, the command's lock).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/state_dir.h"
#include "util/util.h"

/* Creates DIR (mode 0700) unless it exists, and checks that it is a real
 * directory of ours: a symlink planted there would send console logs and
 * the lock elsewhere. */
static int private_dir(const char *dir)
{
    struct stat st;
    int fd;

    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return err_set(CB_EIO, "cannot create the state directory %s: %s", dir, strerror(errno));
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return err_set(CB_EIO, "the state directory %s is not a directory%s: %s", dir,
                       errno == ELOOP || errno == ENOTDIR ? " (a symlink or a file: refused)" : "",
                       strerror(errno));
    if (fstat(fd, &st) < 0 || st.st_uid != geteuid()) {
        close(fd);
        return err_set(CB_EIO, "the state directory %s does not belong to this user: refused", dir);
    }
    /* An older version made it 0755. */
    if ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700) < 0) {
        close(fd);
        return err_set(CB_EIO, "cannot make the state directory %s private: %s", dir,
                       strerror(errno));
    }
    close(fd);
    return 0;
}

int state_dir_make(const char *dir, const char *state_dir)
{
    char *parent = str_printf("%s/.cloubed", dir);
    int rc;

    if (!parent)
        return CB_ENOMEM;
    if ((rc = private_dir(parent)) == 0)
        rc = private_dir(state_dir);
    free(parent);
    return rc;
}
