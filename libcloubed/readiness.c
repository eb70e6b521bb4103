/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * readiness.c: waiting for a domain's TCP port and for text on its serial
 * console.
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

#include "connection.h"
#include "error.h"
#include "events.h"
#include "host.h"
#include "ipv4.h"
#include "ops.h"
#include "util.h"

#define TCP_RETRY_MS 20
#define TCP_ATTEMPT_MS 1000

static int min_ms(int a, int b)
{
    return a < b ? a : b;
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
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

/* One attempt on a fresh non-blocking socket, closed at once. */
static bool tcp_answers(const char *addr, unsigned port, int timeout_ms)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    struct pollfd pfd;
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
        pfd.fd = fd;
        pfd.events = POLLOUT;
        if (poll(&pfd, 1, timeout_ms) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0)
            ok = err == 0;
    }
    close(fd);
    return ok;
}

/* The address the network's DHCP server leased to the netif's MAC, if any. */
static int leased_address(virConnectPtr c, const struct netif *nif, char addr[IPV4_STRLEN])
{
    virNetworkPtr net = virNetworkLookupByName(c, nif->net->libvirt_name);
    virNetworkDHCPLeasePtr *leases = NULL;
    int n, i;

    addr[0] = '\0';
    if (!net) {
        if (lv_last_code() == VIR_ERR_NO_NETWORK) {
            virResetLastError();
            return 0; /* not created yet: no lease yet */
        }
        return lv_fail("cannot look up network %s", nif->net->libvirt_name);
    }
    n = virNetworkGetDHCPLeases(net, nif->mac, &leases, 0);
    for (i = 0; i < n; i++) {
        if (!addr[0] && leases[i]->type == VIR_IP_ADDR_TYPE_IPV4 && leases[i]->ipaddr)
            snprintf(addr, IPV4_STRLEN, "%s", leases[i]->ipaddr);
        virNetworkDHCPLeaseFree(leases[i]);
    }
    free(leases);
    virNetworkFree(net);
    virResetLastError(); /* drivers without leases: no address yet */
    return 0;
}

/* Where NIF is reached: its static ip, else its DHCP lease; ADDR stays
 * empty while neither is known. */
static int netif_address(cb_testbed *tb, const struct netif *nif, char addr[IPV4_STRLEN])
{
    virConnectPtr c;
    int rc;

    addr[0] = '\0';
    if (nif->has_ip) {
        ipv4_format(nif->ip, addr);
        return 0;
    }
    if ((rc = tb_conn(tb, &c)) < 0)
        return rc;
    return leased_address(c, nif, addr);
}

int cb_domain_get_address(cb_domain *d, char **out)
{
    char addr[IPV4_STRLEN];
    int rc;

    if (!out)
        return ARG_FAIL(out);
    *out = NULL;
    if (!d)
        return ARG_FAIL(d);
    if (d->netifs.n == 0)
        return err_set(CB_ENOTFOUND, "domain %s has no network interface", d->name);
    if ((rc = netif_address(d->tb, &d->netifs.v[0], addr)) < 0)
        return rc;
    if (!addr[0])
        return err_set(CB_ENOTFOUND, "no address is known yet for domain %s (no static ip, and no "
                                     "DHCP lease for %s on network %s)", d->name,
                       d->netifs.v[0].mac, d->netifs.v[0].net->name);
    return (*out = str_dup(addr)) ? 0 : CB_ENOMEM;
}

int cb_domain_wait_tcp(cb_domain *d, unsigned int port, int timeout_ms)
{
    const struct netif *nif;
    struct timespec deadline = deadline_after(timeout_ms);
    char addr[IPV4_STRLEN] = "";
    int rc;

    if (!d)
        return ARG_FAIL(d);
    if (port == 0 || port > 65535)
        return err_set(CB_EINVAL, "cannot wait for TCP port %u: not a port number", port);
    if (d->netifs.n == 0)
        return err_set(CB_EINVAL, "cannot wait for TCP port %u of domain %s: it has no network "
                                  "interface", port, d->name);
    nif = &d->netifs.v[0];
    for (;;) {
        if (!addr[0] && (rc = netif_address(d->tb, nif, addr)) < 0)
            return rc;
        if (addr[0] && tcp_answers(addr, port, min_ms(TCP_ATTEMPT_MS, deadline_left_ms(&deadline, timeout_ms))))
            return 0;
        if (deadline_passed(&deadline, timeout_ms))
            break;
        sleep_ms(min_ms(TCP_RETRY_MS, deadline_left_ms(&deadline, timeout_ms)));
    }
    if (!addr[0])
        return timeout_fail(d, "timed out after %d ms waiting for TCP port %u of domain %s: no "
                               "address is known yet (no static ip, and no DHCP lease for %s on "
                               "network %s)", timeout_ms, port, d->name, nif->mac, nif->net->name);
    return timeout_fail(d, "timed out after %d ms waiting for TCP port %u of domain %s at %s",
                        timeout_ms, port, d->name, addr);
}

/* Reads FROM..EOF of the console log into a new buffer; *size gets the
 * file's size. Returns 0, or CB_EIO. */
static int read_from(const char *path, long long from, char **buf, size_t *len, long long *size)
{
    struct stat st;
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    *buf = NULL;
    *len = 0;
    *size = 0;
    if (fd < 0)
        return errno == ENOENT ? 0 : err_set(CB_EIO, "cannot read %s: %s", path, strerror(errno));
    if (fstat(fd, &st) < 0 || st.st_size < from) {
        *size = fstat(fd, &st) == 0 ? st.st_size : 0;
        close(fd);
        return 0;
    }
    *size = st.st_size;
    if (st.st_size > from && (*buf = malloc((size_t)(st.st_size - from)))) {
        n = pread(fd, *buf, (size_t)(st.st_size - from), from);
        *len = n > 0 ? (size_t)n : 0;
    }
    close(fd);
    return 0;
}

int cb_domain_wait_console(cb_domain *d, const char *text, int timeout_ms)
{
    struct timespec deadline = deadline_after(timeout_ms);
    size_t tlen, len;
    long long pos, scan, size;
    char *buf, *hit, evbuf[4096];
    int ifd, rc;
    struct pollfd pfd;

    if (!d)
        return ARG_FAIL(d);
    if (!text || !*text)
        return err_set(CB_EINVAL, "cb_domain_wait_console: the text must not be empty");
    tlen = strlen(text);
    if ((rc = state_dir_make(d->tb)) < 0)
        return rc;
    /* Watch the directory: the log is created, truncated and written there. */
    if ((ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0 ||
        inotify_add_watch(ifd, d->tb->state_dir, IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_ATTRIB) < 0) {
        rc = err_set(CB_EIO, "cannot watch %s: %s", d->tb->state_dir, strerror(errno));
        if (ifd >= 0)
            close(ifd);
        return rc;
    }
    pthread_mutex_lock(&d->tb->ev_lock);
    pos = d->console_pos;
    pthread_mutex_unlock(&d->tb->ev_lock);
    scan = pos;
    for (;;) {
        if ((rc = read_from(d->console_log, scan, &buf, &len, &size)) < 0)
            break;
        if (size < pos) /* a new log (the domain booted again): start over */
            pos = scan = 0;
        hit = buf ? memmem(buf, len, text, tlen) : NULL;
        if (hit) {
            pthread_mutex_lock(&d->tb->ev_lock);
            if (d->console_pos < scan + (hit - buf) + (long long)tlen)
                d->console_pos = scan + (hit - buf) + (long long)tlen;
            pthread_mutex_unlock(&d->tb->ev_lock);
            free(buf);
            rc = 0;
            break;
        }
        /* Next time, look again only at what may complete a match. */
        if (len >= tlen)
            scan += (long long)(len - tlen + 1);
        free(buf);
        if (deadline_passed(&deadline, timeout_ms)) {
            rc = timeout_fail(d, "timed out after %d ms waiting for \"%s\" on the console of "
                                 "domain %s", timeout_ms, text, d->name);
            break;
        }
        pfd.fd = ifd;
        pfd.events = POLLIN;
        if (poll(&pfd, 1, timeout_ms < 0 ? -1 : deadline_left_ms(&deadline, timeout_ms)) > 0)
            while (read(ifd, evbuf, sizeof(evbuf)) > 0)
                ; /* drained: whatever changed, read the file again */
    }
    close(ifd);
    return rc;
}
