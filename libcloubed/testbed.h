/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * testbed.h: what a cb_testbed is (internal): the immutable model, the
 * options it was opened with, and the run-time state that changes while it
 * lives. Only virt/, wait/, serve/ and the root files include it: the model
 * and render layers see cb_testbed as an opaque handle.
 */
#ifndef CB_INTERNAL_TESTBED_H
#define CB_INTERNAL_TESTBED_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <glib.h>
#include <libvirt/libvirt.h>

#include "model/model.h"
#include "render/render.h"
#include "util/log.h"
#include "util/vec.h"

struct http_server;

/* Where the domain type comes from, strongest first (see include/cloubed/testbed.h). */
enum virt_source { VIRT_AUTO, VIRT_ENV, VIRT_OPTION };

/* The options, copied at open and read-only afterwards. */
struct options {
    char *virt_type;      /* "kvm", "qemu", or NULL: automatic */
    enum virt_source virt_source;
    unsigned flags;
    struct logger log;
    pid_t pid;            /* the opening process: the fork rule (cloubed.h) */
    /* the range of `address: auto` ($CLOUBED_AUTO_SUBNETS, virt/subnet.c) */
    uint32_t auto_net;
    unsigned auto_prefix;
};

/* A lifecycle event, as libvirt's numbers. */
struct event {
    int type;
    int detail;
};

/* One domain's run-time state (wait/), guarded by rt.ev_lock. */
struct domain_rt {
    VEC(struct event) events;  /* received, not yet consumed by a wait */
    unsigned stops;            /* stopped events received: waits notice a death */
    int last_stop_detail;      /* the detail of the last one */
    bool stopped;              /* the last stopped/started event was a stop */
    /* The console log as waits consumed it: the file they read (kept open,
     * so that its inode cannot be reused by a new log and identifies it),
     * the position read up to, and a generation bumped by every boot. */
    bool console_open;
    int console_fd;
    long long console_pos;
    unsigned console_gen;
};

/* Test seams: what libvirt's test driver cannot produce (a host that offers
 * KVM, a start that fails because of KVM). Zero in real use. */
struct virt_seams {
    bool offer_kvm;
    /* instead of virDomainCreate; sets the library's error on failure */
    int (*domain_create)(virDomainPtr dom, void *payload);
    void *payload;
    /* WP2 (virt/cells.c, up.c, down.c): called inside an object's cell just
     * before it is created (KIND "pool", "volume", "network", "domain"):
     * may block, or fail (< 0, error set) */
    int (*before_create)(const char *kind, const char *name, void *payload);
    /* instead of virDomainShutdown in cb_testbed_down; error set on failure */
    int (*domain_shutdown)(virDomainPtr dom, void *payload);
    /* true: the up "dies" at WHERE ("after-create" of domain NAME): it
     * stops at once, neither rolling back nor committing, as after kill -9 */
    bool (*crash_point)(const char *where, const char *name, void *payload);
    /* snapshot_create.c: called by each worker just before it snapshots
     * domain NAME: may fail (< 0, error set), to test the rollback */
    int (*before_snapshot)(const char *name, void *payload);
};

/* A listener lives until removed and no longer pinned by a delivery; then
 * its free_cb runs, once. */
struct listener {
    int id;
    cb_event_cb cb;
    void *payload;
    cb_free_cb free_cb;
    unsigned pinned;           /* deliveries that may still call it */
    bool removed;
    bool free_on_unpin;        /* removed by itself: the delivery frees it */
};

/* What changes while the testbed lives, grouped by the layer that owns it. */
struct runtime {
    /* virt/: the host profile */
    pthread_mutex_t lock;      /* host profile */
    bool host_known;
    bool host_fell_back;       /* KVM failed at a start: TCG from then on */
    char *host_tcg_why;        /* automatic TCG: why, for the one warning */
    bool host_tcg_warned;
    struct host_profile host;
    struct virt_seams seams;   /* tests only; zero in real use */
    /* virt/: the connection */
    char *uri;                 /* the options'; set from the environment at connection if NULL */
    pthread_mutex_t conn_lock; /* opening the connection */
    virConnectPtr conn;        /* thread-safe once open */
    bool loop_held;
    /* Serialises cleanup and the generated-files record (serve/); boots and
     * ups no longer take it: they use the cells below. */
    pthread_mutex_t ops_lock;
    /* virt/cells.c: per-object "ensure once" (pool, volume, network,
     * domain, keyed by the model object's address). cell_lock guards only
     * the cells' flags and is never held across a libvirt call. */
    pthread_mutex_t cell_lock;
    pthread_cond_t cell_cond;  /* CLOCK_MONOTONIC; broadcast when a cell is left */
    GHashTable *cells;         /* const void * -> struct cell * */
    /* wait/: every domain's queue and the listeners. */
    pthread_mutex_t ev_lock;
    pthread_cond_t ev_cond;    /* CLOCK_MONOTONIC; signalled on event or loss */
    int ev_callback;           /* libvirt's id of the subscription, or -1 */
    bool close_registered;
    int ev_registered;         /* subscriptions libvirt has not released yet (freecb) */
    bool conn_lost;            /* set by the close callback; reset by reconnecting */
    struct domain_rt *dom;     /* one per model domain, by cb_domain.index */
    VEC(struct listener *) listeners;
    int next_listener_id;
    VEC(int) wakers;           /* eventfds of console and TCP waits: poked on loss or stop */
    /* Connections found dead and replaced; kept (with their reference) until
     * cb_testbed_free, since other threads may still hold the pointer. */
    VEC(virConnectPtr) dead_conns;
    /* virt/subnet.c: what each `address: auto` network took, by index in
     * m.networks (known false: not yet known to this handle). */
    pthread_mutex_t net_addr_lock;
    struct net_addr *net_addr;
    /* serve/: HTTP servers, see http_server.c */
    pthread_mutex_t http_lock;
    struct http_server *http;
};

struct cb_testbed {
    struct model m;            /* immutable once opened */
    struct options opt;        /* immutable once opened */
    struct runtime rt;
};

/* D's run-time state. */
static inline struct domain_rt *domain_rt(const cb_domain *d)
{
    return &d->tb->rt.dom[d->index];
}

/* The run-time address of N (virt/subnet.c): a fixed network's from the
 * model; an `address: auto` network's from the cache, else from its live
 * libvirt XML (created earlier, perhaps by another process), else CB_ESTATE
 * "network N has address auto and is not created yet". A network without an
 * address gives known false. Declared here, the sanctioned cross-layer
 * header, so that serve/ (template variables) calls it without including
 * virt/. Thread-safety: any thread. */
int tb_network_address(struct net_addr *out, cb_testbed *tb, const cb_network *n);

/* Logs through the testbed's callback, if any. */
void tb_log(const cb_testbed *tb, cb_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
