/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * readiness.c: waiting for a domain's TCP port (or its SSH server's banner)
 * and for text on its serial console.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "virt/addresses.h"
#include "virt/connection.h"
#include "util/deadline.h"
#include "util/error.h"
#include "wait/events.h"
#include "wait/readiness.h"
#include "virt/host.h"
#include "util/ipv4.h"
#include "util/state_dir.h"
#include "virt/ops.h"
#include "util/util.h"

#define TCP_RETRY_MS 20
#define TCP_ATTEMPT_MS 1000
/* Once connected, how long an SSH server may take to send its banner: a
 * Debian sshd under TCG on a busy host re-executes itself for each
 * connection and needs seconds. Giving up sooner and connecting again
 * only piles up unfinished sshd children (measured: the guest starves and
 * no banner ever comes). */
#define SSH_BANNER_MS 60000

static int min_ms(int a, int b)
{
    return a < b ? a : b;
}

/* Fails a wait with CB_ETIMEOUT. When the guest has printed nothing on its
 * serial console the wait was never going to succeed, and the error says so:
 * under kvm that is how a host whose KVM cannot run guests shows itself (a
 * nested hypervisor that hangs an ordinary kernel). */
static int timeout_fail(cb_domain *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int timeout_fail(cb_domain *d, const char *fmt, ...)
{
    struct stat st;
    char *what = NULL;
    bool silent, kvm;
    va_list ap;
    int rc;

    va_start(ap, fmt);
    if (vasprintf(&what, fmt, ap) < 0)
        what = NULL;
    va_end(ap);
    silent = stat(d->console_log, &st) < 0 || st.st_size == 0;
    kvm = strcmp(tb_host(d->tb).virt_type, "kvm") == 0;
    rc = err_set(CB_ETIMEOUT, "%s%s%s%s%s%s", what ? what : "timed out",
                 silent ? "; its console log is still empty, the guest has printed nothing (" : "",
                 silent ? d->console_log : "", silent ? ")" : "", silent && kvm ? "; " : "",
                 silent && kvm ? host_kvm_hint() : "");
    free(what);
    return rc;
}

/* Whether the server on connected FD sends BANNER first, within the
 * attempt's TIMEOUT_MS; cut short by WAKER. */
static bool banner_received(int fd, const char *banner, int timeout_ms, int waker)
{
    struct timespec deadline = deadline_after(timeout_ms);
    size_t want = strlen(banner), got = 0;
    struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN }, { .fd = waker, .events = POLLIN } };
    char buf[16];
    ssize_t n;

    while (got < want) {
        if (poll(pfd, 2, deadline_left_ms(&deadline, timeout_ms)) <= 0 || !pfd[0].revents)
            return false;
        if ((n = read(fd, buf + got, want - got)) <= 0)
            return false; /* closed or reset: not ready yet */
        got += (size_t)n;
    }
    return memcmp(buf, banner, want) == 0;
}

/* One attempt on a fresh non-blocking socket, closed at once (after
 * BANNER, when not NULL, has been read within BANNER_MS); cut short when
 * WAKER becomes readable (the connection lost, the domain stopped). */
static bool tcp_answers(const char *addr, unsigned port, const char *banner, int timeout_ms,
                        int banner_ms, int waker)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    struct pollfd pfd[2];
    int fd, err = 0;
    socklen_t len = sizeof(err);
    bool ok = false;

    if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
        return false;
    if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
        return false;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
        ok = true;
    } else if (errno == EINPROGRESS) {
        pfd[0].fd = fd;
        pfd[0].events = POLLOUT;
        pfd[1].fd = waker;
        pfd[1].events = POLLIN;
        if (poll(pfd, 2, timeout_ms) > 0 && pfd[0].revents &&
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0)
            ok = err == 0;
    }
    if (ok && banner)
        ok = banner_received(fd, banner, banner_ms, waker);
    close(fd);
    return ok;
}

/* Whether a console or TCP wait must end: the connection lost, or the
 * domain stopped (confirmed with libvirt). */
static int still_worth_waiting(cb_domain *d, unsigned *seen, const char *what)
{
    if (tb_conn_lost(d->tb))
        return conn_lost_fail(d, what);
    return domain_check_alive(d, seen, what, -1, 0);
}

int wait_port(cb_domain *d, unsigned int port, const char *banner, int timeout_ms,
                     unsigned int flags)
{
    struct timespec deadline = deadline_after(timeout_ms);
    char (*addr)[IPV4_STRLEN], what[32];
    const char *known = NULL;
    struct pollfd pfd;
    unsigned seen;
    size_t i, n;
    int rc, waker, left;

    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if (port == 0 || port > 65535)
        return err_set(CB_EINVAL, "cannot wait for TCP port %u: not a port number", port);
    if ((n = d->netifs.n) == 0)
        return err_set(CB_EINVAL, "cannot wait for TCP port %u of domain %s: it has no network "
                                  "interface", port, d->name);
    if ((rc = pid_check(d->tb->opt.pid)) < 0)
        return rc;
    /* One address per netif, empty until known: a guest may answer on any
     * of its networks, and a static one is known before any lease. */
    if (!(addr = calloc(n, sizeof(*addr))))
        return err_oom();
    if (banner)
        snprintf(what, sizeof(what), "the SSH server (port %u)", port);
    else
        snprintf(what, sizeof(what), "TCP port %u", port);
    if ((waker = waker_add(d->tb)) < 0) {
        free(addr);
        return waker;
    }
    seen = domain_stops(d);
    for (rc = 1; rc > 0;) {
        waker_drain(waker);
        if ((rc = still_worth_waiting(d, &seen, what)) < 0)
            break;
        for (i = 0; i < n && rc == 0; i++)
            if (!addr[i][0])
                rc = netif_address(d->tb, &d->netifs.v[i], false, addr[i], NULL);
        for (i = 0; i < n && rc == 0; i++) {
            if (!addr[i][0])
                continue;
            known = addr[i];
            left = deadline_left_ms(&deadline, timeout_ms);
            if (tcp_answers(addr[i], port, banner, min_ms(TCP_ATTEMPT_MS, left),
                            min_ms(SSH_BANNER_MS, left), waker))
                break;
        }
        if (rc < 0 || i < n)
            break; /* failed, or answered */
        if (deadline_passed(&deadline, timeout_ms)) {
            rc = 1;
            break;
        }
        /* The retry pause, cut short by a loss or a stop. */
        pfd.fd = waker;
        pfd.events = POLLIN;
        poll(&pfd, 1, min_ms(TCP_RETRY_MS, deadline_left_ms(&deadline, timeout_ms)));
        rc = 1;
    }
    waker_remove(d->tb, waker);
    if (rc > 0 && !known && n == 1)
        rc = timeout_fail(d, "timed out after %d ms waiting for %s of domain %s: no "
                             "address is known yet (no static ip, and no DHCP lease for %s on "
                             "network %s)", timeout_ms, what, d->name, d->netifs.v[0].mac,
                          d->netifs.v[0].net->name);
    else if (rc > 0 && !known)
        rc = timeout_fail(d, "timed out after %d ms waiting for %s of domain %s: no "
                             "address is known yet (no static ip, and no DHCP lease, on any of "
                             "its %zu netifs)", timeout_ms, what, d->name, n);
    else if (rc > 0)
        rc = timeout_fail(d, "timed out after %d ms waiting for %s of domain %s at %s%s",
                          timeout_ms, what, d->name, known,
                          n > 1 ? " (and its other known addresses)" : "");
    free(addr);
    return rc;
}

int cb_domain_wait_tcp(cb_domain *d, unsigned int port, int timeout_ms, unsigned int flags)
{
    return wait_port(d, port, NULL, timeout_ms, flags);
}

/* An sshd accepts connections before it can talk (and a guest's port 22
 * may be forwarded to nothing yet): the banner says it is serving. */
int cb_domain_wait_ssh(cb_domain *d, int timeout_ms, unsigned int flags)
{
    return wait_port(d, 22, "SSH-", timeout_ms, flags);
}

/* The console log, as one wait reads it. The file is identified by the
 * open descriptor: while it is held, its inode cannot be reused, so a log
 * recreated under the same name (a boot: virtlogd removes and creates it)
 * or renamed away (virtlogd's rotation: FILE becomes FILE.0) is told apart
 * from the same file grown. */
struct console_reader {
    int fd;             /* -1: not opened yet (no log yet) */
    long long scan;     /* where to look next */
    unsigned gen;       /* the console_gen this reader started from */
};

void console_forget(cb_domain *d)
{
    struct domain_rt *dr = domain_rt(d);

    if (dr->console_open)
        close(dr->console_fd);
    dr->console_open = false;
    dr->console_pos = 0;
}

void console_new_boot(cb_domain *d)
{
    struct domain_rt *dr = domain_rt(d);

    pthread_mutex_lock(&d->tb->rt.ev_lock);
    console_forget(d);
    dr->console_gen++;
    pthread_mutex_unlock(&d->tb->rt.ev_lock);
}

/* Starts where earlier waits stopped. */
static void reader_init(cb_domain *d, struct console_reader *r)
{
    struct domain_rt *dr = domain_rt(d);

    pthread_mutex_lock(&d->tb->rt.ev_lock);
    r->fd = dr->console_open ? fcntl(dr->console_fd, F_DUPFD_CLOEXEC, 0) : -1;
    r->scan = r->fd >= 0 ? dr->console_pos : 0;
    r->gen = dr->console_gen;
    pthread_mutex_unlock(&d->tb->rt.ev_lock);
}

/* Records that waits consumed the log up to END of the reader's file. */
static void reader_consume(cb_domain *d, const struct console_reader *r, long long end)
{
    struct domain_rt *dr = domain_rt(d);
    struct stat a, b;
    bool same;

    pthread_mutex_lock(&d->tb->rt.ev_lock);
    if (dr->console_gen == r->gen) {
        same = dr->console_open && fstat(dr->console_fd, &a) == 0 && fstat(r->fd, &b) == 0 &&
               a.st_dev == b.st_dev && a.st_ino == b.st_ino;
        if (!same) {
            console_forget(d);
            dr->console_fd = fcntl(r->fd, F_DUPFD_CLOEXEC, 0);
            dr->console_open = dr->console_fd >= 0;
        }
        /* Two waits may match at once: the farther one counts. */
        if (!same || dr->console_pos < end)
            dr->console_pos = end;
    }
    pthread_mutex_unlock(&d->tb->rt.ev_lock);
}

/* How the reader's file relates to the log's name now. */
enum log_change { LOG_SAME, LOG_RENAMED, LOG_REMOVED };

static enum log_change log_change(const char *path, int fd)
{
    struct stat named, held;

    if (fstat(fd, &held) < 0)
        return LOG_REMOVED;
    if (stat(path, &named) == 0 && named.st_dev == held.st_dev && named.st_ino == held.st_ino)
        return LOG_SAME;
    return held.st_nlink > 0 ? LOG_RENAMED : LOG_REMOVED;
}

/* Looks for TEXT from r->scan to the end of the file. Returns 1 and sets
 * *end past the match, 0 when not found (yet), or CB_EIO. */
static int reader_scan(struct console_reader *r, const char *path, const char *text, long long *end)
{
    size_t tlen = strlen(text), len;
    struct stat st;
    char *buf, *hit;
    ssize_t n;

    if (fstat(r->fd, &st) < 0)
        return err_set(CB_EIO, "cannot read %s: %s", path, strerror(errno));
    if (st.st_size < r->scan) /* truncated where it is: a new log */
        r->scan = 0;
    if (st.st_size == r->scan)
        return 0;
    len = (size_t)(st.st_size - r->scan);
    if (!(buf = malloc(len)))
        return err_oom();
    n = pread(r->fd, buf, len, r->scan);
    len = n > 0 ? (size_t)n : 0;
    hit = memmem(buf, len, text, tlen);
    if (hit)
        *end = r->scan + (hit - buf) + (long long)tlen;
    else if (len >= tlen)
        r->scan += (long long)(len - tlen + 1); /* keep what may start a match */
    free(buf);
    return hit != NULL;
}

/* One look at the log. Returns 1 (found, *end set), 0, or a CB_E* code. */
static int console_look(cb_domain *d, struct console_reader *r, const char *text, long long *end)
{
    struct domain_rt *dr = domain_rt(d);
    enum log_change change;
    unsigned gen;
    int rc;

    pthread_mutex_lock(&d->tb->rt.ev_lock);
    gen = dr->console_gen;
    pthread_mutex_unlock(&d->tb->rt.ev_lock);
    if (gen != r->gen) { /* this process booted the domain again */
        if (r->fd >= 0)
            close(r->fd);
        r->fd = -1;
        r->gen = gen;
    }
    for (;;) {
        if (r->fd < 0) {
            r->scan = 0;
            if ((r->fd = open(d->console_log, O_RDONLY | O_CLOEXEC)) < 0)
                return errno == ENOENT ? 0 : err_set(CB_EIO, "cannot read %s: %s", d->console_log,
                                                     strerror(errno));
        }
        /* Before reading: what a rotation renamed away is read to its end,
         * no more is written to it. */
        change = log_change(d->console_log, r->fd);
        if (change != LOG_REMOVED && (rc = reader_scan(r, d->console_log, text, end)) != 0)
            return rc;
        if (change == LOG_SAME)
            return 0;
        /* Renamed (read to its end) or removed (the last boot's, dropped):
         * go on with the file under the name now. */
        close(r->fd);
        r->fd = -1;
    }
}

int cb_domain_wait_console(cb_domain *d, const char *text, int timeout_ms, unsigned int flags)
{
    struct timespec deadline = deadline_after(timeout_ms);
    struct console_reader r;
    struct pollfd pfd[2];
    long long end = 0;
    char evbuf[4096], *what;
    unsigned seen;
    int ifd, rc, waker;

    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if (!text || !*text)
        return err_set(CB_EINVAL, "cb_domain_wait_console: the text must not be empty");
    if ((rc = pid_check(d->tb->opt.pid)) < 0)
        return rc;
    if ((rc = state_dir_make(d->tb->m.dir, d->tb->m.state_dir)) < 0)
        return rc;
    if (!(what = str_printf("\"%s\" on the console", text)))
        return CB_ENOMEM;
    /* Watch the directory: the log is created, truncated, written, renamed
     * and removed there. */
    if ((ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0 ||
        inotify_add_watch(ifd, d->tb->m.state_dir, IN_MODIFY | IN_CREATE | IN_MOVED_TO |
                                                     IN_MOVED_FROM | IN_DELETE | IN_ATTRIB) < 0) {
        rc = err_set(CB_EIO, "cannot watch %s: %s", d->tb->m.state_dir, strerror(errno));
        if (ifd >= 0)
            close(ifd);
        free(what);
        return rc;
    }
    if ((waker = waker_add(d->tb)) < 0) {
        close(ifd);
        free(what);
        return waker;
    }
    seen = domain_stops(d);
    reader_init(d, &r);
    for (;;) {
        waker_drain(waker);
        if ((rc = console_look(d, &r, text, &end)) != 0) {
            if (rc > 0) {
                reader_consume(d, &r, end);
                rc = 0;
            }
            break;
        }
        if ((rc = still_worth_waiting(d, &seen, what)) < 0)
            break;
        if (deadline_passed(&deadline, timeout_ms)) {
            rc = timeout_fail(d, "timed out after %d ms waiting for \"%s\" on the console of "
                                 "domain %s", timeout_ms, text, d->name);
            break;
        }
        pfd[0].fd = ifd;
        pfd[0].events = POLLIN;
        pfd[1].fd = waker;
        pfd[1].events = POLLIN;
        if (poll(pfd, 2, timeout_ms < 0 ? -1 : deadline_left_ms(&deadline, timeout_ms)) > 0)
            while (read(ifd, evbuf, sizeof(evbuf)) > 0)
                ; /* drained: whatever changed, look at the file again */
    }
    if (r.fd >= 0)
        close(r.fd);
    waker_remove(d->tb, waker);
    close(ifd);
    free(what);
    return rc;
}
