/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * peak-rss.c: bench 5: the peak resident memory of a command: forks, execs
 * CMD, waits, and prints the child's ru_maxrss (getrusage(RUSAGE_CHILDREN)),
 * so that no GNU time is needed. Its stdout and stderr go to /dev/null.
 *
 * usage: peak-rss CMD [ARG...]   prints "KIB STATUS"
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct rusage ru;
    int status;
    pid_t pid;

    if (argc < 2)
        return 2;
    if ((pid = fork()) < 0)
        return perror("fork"), 1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    if (waitpid(pid, &status, 0) < 0 || getrusage(RUSAGE_CHILDREN, &ru) < 0)
        return perror("wait"), 1;
    /* only this child ever ran: RUSAGE_CHILDREN is its own peak */
    printf("%ld %d\n", ru.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : 128);
    return 0;
}
