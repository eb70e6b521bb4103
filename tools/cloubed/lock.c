/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * lock.c: the lock file in a testbed's state directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"

#define LOCK_NAME "lock"

/* Opens DIR (made 0700 if missing) refusing a symlink or a non-directory,
 * as the library does with its state directory. */
static int open_private_dir(int at, const char *name, const char *shown)
{
    int fd;

    if (mkdirat(at, name, 0700) < 0 && errno != EEXIST) {
        fprintf(stderr, "cloubed: error: cannot create %s: %s\n", shown, strerror(errno));
        return -1;
    }
    fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        fprintf(stderr, "cloubed: error: %s is not a directory%s: %s\n", shown,
                errno == ELOOP || errno == ENOTDIR ? " (a symlink or a file: refused)" : "",
                strerror(errno));
    return fd;
}

/* The lock's scope: one per instance of a testbed, as its state directory
 * (two instances are two sets of libvirt objects, changed independently). */
static const char *scope_name(cb_testbed *tb)
{
    static char buf[512]; /* the command is one thread */
    if (cb_testbed_instance(tb)) {
        snprintf(buf, sizeof(buf), "%s+%s", cb_testbed_name(tb), cb_testbed_instance(tb));
        return buf;
    }
    return cb_testbed_name(tb);
}

static int state_dir(cb_testbed *tb, int *parent)
{
    char *shown = NULL;
    int top, fd = -1;

    *parent = -1;
    top = open(cb_testbed_directory(tb), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (top < 0) {
        fprintf(stderr, "cloubed: error: cannot open %s: %s\n", cb_testbed_directory(tb),
                strerror(errno));
        return -1;
    }
    if (asprintf(&shown, "%s/.cloubed", cb_testbed_directory(tb)) > 0 &&
        (*parent = open_private_dir(top, ".cloubed", shown)) >= 0) {
        free(shown);
        shown = NULL;
        if (asprintf(&shown, "%s/.cloubed/%s", cb_testbed_directory(tb), scope_name(tb)) > 0)
            fd = open_private_dir(*parent, scope_name(tb), shown);
    }
    free(shown);
    close(top);
    return fd;
}

/* What the holder wrote: "PID COMMAND". */
static void read_holder(int fd, char *buf, size_t size)
{
    ssize_t n = pread(fd, buf, size - 1, 0);

    buf[n > 0 ? (size_t)n : 0] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    if (!buf[0])
        snprintf(buf, size, "an unknown process");
}

int lock_take(cb_testbed *tb, const char *command)
{
    char holder[512], *mine = NULL;
    struct stat held, named;
    int dir, parent, fd, told = 0;

    if ((dir = state_dir(tb, &parent)) < 0) {
        if (parent >= 0)
            close(parent);
        return -1;
    }
    close(parent);
    for (;;) {
        fd = openat(dir, LOCK_NAME, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
            fprintf(stderr, "cloubed: error: cannot open the lock of testbed %s: %s\n",
                    cb_testbed_name(tb), strerror(errno));
            close(dir);
            return -1;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
            if (errno != EWOULDBLOCK) {
                fprintf(stderr, "cloubed: error: cannot lock testbed %s: %s\n",
                        cb_testbed_name(tb), strerror(errno));
                close(fd);
                close(dir);
                return -1;
            }
            read_holder(fd, holder, sizeof(holder));
            if (!told++)
                fprintf(stderr, "cloubed: waiting for testbed %s, locked by %s\n",
                        cb_testbed_name(tb), holder);
            while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
                ;
        }
        /* A cleanup may have removed the file while we waited for it: the
         * lock only counts on the file under the name. */
        if (fstat(fd, &held) == 0 && fstatat(dir, LOCK_NAME, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
            held.st_ino == named.st_ino && held.st_dev == named.st_dev)
            break;
        close(fd);
    }
    close(dir);
    /* The holder's name is a courtesy: the lock holds without it. */
    if (asprintf(&mine, "pid %ld (%s)\n", (long)getpid(), command) > 0 && ftruncate(fd, 0) == 0)
        (void)!pwrite(fd, mine, strlen(mine), 0);
    free(mine);
    return fd;
}

void lock_release(cb_testbed *tb, int fd, int remove)
{
    char *path = NULL;

    if (fd < 0)
        return;
    if (remove && asprintf(&path, "%s/.cloubed/%s", cb_testbed_directory(tb),
                           scope_name(tb)) > 0) {
        /* Unlinked while held: a waiter then sees another file and retries. */
        int dir = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dir >= 0) {
            unlinkat(dir, LOCK_NAME, 0);
            close(dir);
        }
        rmdir(path);
        *strrchr(path, '/') = '\0';
        rmdir(path);
    }
    free(path);
    /* Closing releases the lock even if the name cannot be cleared. */
    (void)!ftruncate(fd, 0);
    close(fd);
}
