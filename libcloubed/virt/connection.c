/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * connection.c: the testbed's libvirt connection, the host profile read
 * from its capabilities, and the mapping of libvirt errors.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libvirt/virterror.h>

#include "virt/connection.h"
#include "util/error.h"
#include "wait/event_loop.h"
#include "wait/events.h"
#include "virt/host.h"
#include "util/util.h"
#include "virt/xml_read.h"

#define DEFAULT_URI "qemu:///system"

/* libvirt prints every error on stderr unless a handler is set; a library
 * must not print, so a silent handler is installed once per process. */
static pthread_once_t silence_once = PTHREAD_ONCE_INIT;

static void silent_handler(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

static void silence_libvirt(void)
{
    virSetErrorFunc(NULL, silent_handler);
}

int lv_last_code(void)
{
    virErrorPtr e = virGetLastError();
    return e ? e->code : VIR_ERR_OK;
}

int lv_fail(const char *fmt, ...)
{
    virErrorPtr e = virGetLastError();
    int code = CB_ELIBVIRT;
    char *what = NULL;
    va_list ap;

    va_start(ap, fmt);
    if (vasprintf(&what, fmt, ap) < 0)
        what = NULL;
    va_end(ap);
    switch (e ? e->code : VIR_ERR_OK) {
    case VIR_ERR_NO_DOMAIN:
    case VIR_ERR_NO_NETWORK:
    case VIR_ERR_NO_STORAGE_POOL:
    case VIR_ERR_NO_STORAGE_VOL:
        code = CB_ENOTFOUND;
        break;
    case VIR_ERR_OPERATION_INVALID:
        code = CB_ESTATE;
        break;
    case VIR_ERR_NO_SUPPORT:
    case VIR_ERR_OPERATION_UNSUPPORTED:
    case VIR_ERR_ARGUMENT_UNSUPPORTED:
    case VIR_ERR_AGENT_UNRESPONSIVE:
        code = CB_EUNSUPPORTED;
        break;
    case VIR_ERR_OPERATION_TIMEOUT:
        code = CB_ETIMEOUT;
        break;
    default:
        break;
    }
    err_set(code, "%s: %s", what ? what : "libvirt call failed",
            e && e->message ? e->message : "unknown libvirt error");
    free(what);
    virResetLastError();
    return code;
}

void lv_close(virConnectPtr c)
{
    struct timespec zero = { 0, 0 };
    sigset_t pipe_set, old, pending;
    bool was_pending;

    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    sigpending(&pending);
    was_pending = sigismember(&pending, SIGPIPE);
    virConnectClose(c);
    /* the write's own SIGPIPE, directed at this thread: taken back */
    if (!was_pending)
        sigtimedwait(&pipe_set, NULL, &zero);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    virResetLastError();
}

bool uri_is_local(const char *uri)
{
    const char *p = strstr(uri, "://");
    return p && p[3] == '/';
}

/* Reads the domain type (kvm when offered, else TCG), the architecture, and
 * for QEMU the emulator and the machine type from the host's capabilities. */
static void read_capabilities(cb_testbed *tb, virConnectPtr conn)
{
    char *caps = virConnectGetCapabilities(conn), *arch = NULL, *kvm = NULL;
    char *emulator = NULL, *machine = NULL, *xp = NULL;
    const char *type = virConnectGetType(conn);
    xmlDocPtr doc = caps ? xr_parse(caps) : NULL;
    bool qemu = type && strcmp(type, "QEMU") == 0;

    if (doc && (arch = xr_string(doc, "string(/capabilities/host/cpu/arch)")) &&
        asprintf(&xp, "/capabilities/guest[os_type='hvm']/arch[@name='%s']", arch) > 0) {
        char *q = NULL;
        if (asprintf(&q, "string(%s/domain[@type='kvm']/@type)", xp) > 0)
            kvm = xr_string(doc, q);
        free(q);
        q = NULL;
        if (qemu && asprintf(&q, "string(%s/domain[@type='%s']/emulator | %s/emulator)", xp,
                             kvm ? "kvm" : "qemu", xp) > 0)
            emulator = xr_string(doc, q);
        free(q);
        q = NULL;
        if (qemu && asprintf(&q, "string(%s/machine[.='pc']/@canonical)", xp) > 0)
            machine = xr_string(doc, q);
        free(q);
    }
    host_from_capabilities(tb, kvm != NULL, type && strcasecmp(type, "test") == 0, &arch,
                           &emulator, &machine);
    free(kvm);
    free(xp);
    free(arch);
    free(emulator);
    free(machine);
    xmlFreeDoc(doc);
    free(caps);
    virResetLastError();
}

/* Under conn_lock, after the close callback reported the connection lost
 * (the daemon died or restarted): the next call opens a new one. The dead
 * one is kept until cb_testbed_free, since another thread may still be
 * inside a call with it (which fails at once). The event loop stays. */
static void drop_dead_connection(cb_testbed *tb)
{
    events_unsubscribe(tb, tb->rt.conn);
    if (VEC_PUSH(tb->rt.dead_conns, tb->rt.conn) < 0)
        return; /* out of memory: keep using the dead one, its calls fail */
    tb->rt.conn = NULL;
    tb->rt.conn_gen++; /* the set's members are of the lost daemon too */
    pthread_mutex_lock(&tb->rt.ev_lock);
    tb->rt.conn_lost = false;
    pthread_mutex_unlock(&tb->rt.ev_lock);
    tb_log(tb, CB_LOG_INFO, "reconnecting to libvirt at %s", tb->rt.uri);
}

int tb_conn(cb_testbed *tb, virConnectPtr *out)
{
    const char *uri;
    virConnectPtr conn;
    int rc;

    /* Before any lock: in a child, a parent's thread may hold it for ever. */
    if ((rc = pid_check(tb->opt.pid)) < 0)
        return rc;
    pthread_once(&silence_once, silence_libvirt);
    pthread_mutex_lock(&tb->rt.conn_lock);
    if (tb->rt.conn && tb_conn_lost(tb))
        drop_dead_connection(tb);
    if (tb->rt.conn)
        goto done;
    if (!tb->rt.loop_held && !(tb->opt.flags & CB_TESTBED_EXTERNAL_EVENT_LOOP)) {
        if ((rc = event_loop_acquire()) < 0)
            goto done;
        tb->rt.loop_held = true;
    }
    uri = tb->rt.uri ? tb->rt.uri : getenv("LIBVIRT_DEFAULT_URI");
    if (!uri || !*uri)
        uri = DEFAULT_URI;
    if (!tb->rt.uri && !(tb->rt.uri = str_dup(uri))) {
        rc = CB_ENOMEM;
        goto done;
    }
    conn = virConnectOpen(tb->rt.uri);
    if (!conn) {
        rc = lv_fail("cannot connect to libvirt at %s", tb->rt.uri);
        rc = rc == CB_ENOTFOUND ? CB_ELIBVIRT : rc;
        goto done;
    }
    /* Detects a dead daemon within 15 s instead of blocking forever; local
     * drivers do not support it, which is fine. */
    if (virConnectSetKeepAlive(conn, 5, 3) < 0)
        virResetLastError();
    read_capabilities(tb, conn);
    /* The loop thread calls back with TB: it synchronises with this thread
     * first (libvirt hands callbacks over through GLib, which thread
     * checkers cannot see; the barrier's lock they can). */
    if (tb->rt.loop_held)
        event_loop_barrier();
    events_subscribe(tb, conn);
    tb->rt.conn = conn;
done:
    if (rc < 0 && tb->rt.loop_held && !tb->rt.dead_conns.n) {
        event_loop_release();
        tb->rt.loop_held = false;
    }
    pthread_mutex_unlock(&tb->rt.conn_lock);
    if (rc == 0)
        *out = tb->rt.conn;
    return rc;
}

void tb_disconnect(cb_testbed *tb)
{
    size_t i;

    if (tb->rt.conn) {
        events_unsubscribe(tb, tb->rt.conn);
        /* Some drivers let go of callbacks only when the connection goes. */
        lv_close(tb->rt.conn);
    }
    tb->rt.conn = NULL;
    conn_set_close(tb);
    for (i = 0; i < tb->rt.dead_conns.n; i++)
        lv_close(tb->rt.dead_conns.v[i]);
    free(tb->rt.dead_conns.v);
    tb->rt.dead_conns.v = NULL;
    tb->rt.dead_conns.n = 0;
    events_wait_released(tb);
    /* libvirt may release the callbacks while the loop thread is still in
     * one of them (it marks them and lets go after dispatching): the
     * testbed must outlive that call. */
    if (tb->rt.loop_held) {
        event_loop_barrier();
        event_loop_release();
    }
    tb->rt.loop_held = false;
}
