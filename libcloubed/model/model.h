/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * model.h: the in-memory testbed, as validated from its file (internal).
 *
 * Everything here is written once by config_load() and read-only afterwards,
 * which is what lets accessors run from any thread without locking. Mutable
 * run-time state goes into cb_testbed behind `lock`.
 */
#ifndef CB_INTERNAL_MODEL_H
#define CB_INTERNAL_MODEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <cloubed/cloubed.h>
#include <libvirt/libvirt.h>

#include "model/mac.h"

struct http_server;

/* A growable array; push with VEC_PUSH. */
#define VEC(type) struct { type *v; size_t n, cap; }
#define VEC_PUSH(vec, item)                                                         \
    (array_reserve(&(vec).v, &(vec).cap, (vec).n, sizeof(*(vec).v)) < 0 ? CB_ENOMEM \
                                                                        : ((vec).v[(vec).n++] = (item), 0))

/* Where a node stands in the testbed file (1-based; 0 when synthetic). */
struct cb_loc {
    int line;
    int column;
};

enum vol_format { VOL_QCOW2, VOL_RAW };
enum fwd_mode { FWD_NONE, FWD_NAT, FWD_BRIDGE };
enum disk_bus { BUS_VIRTIO, BUS_SCSI, BUS_IDE };
enum graphics_kind { GFX_SPICE, GFX_VNC, GFX_SDL, GFX_RDP, GFX_NONE };

const char *vol_format_name(enum vol_format f);
const char *fwd_mode_name(enum fwd_mode f);   /* NULL for FWD_NONE */
const char *disk_bus_name(enum disk_bus b);
const char *graphics_name(enum graphics_kind g);

struct cb_storage_pool {
    cb_testbed *tb;
    char *name;
    char *libvirt_name;
    char *path;           /* absolute */
    bool is_default;      /* made up because the file has no storagepools */
    struct cb_loc loc;
};

struct cb_storage_volume {
    cb_testbed *tb;
    char *name;
    char *libvirt_name;   /* user:testbed:name.format, also the file name */
    char *path;           /* pool path / libvirt_name */
    cb_storage_pool *pool;
    cb_storage_volume *backing;
    enum vol_format format;
    unsigned long long size_gib;
    unsigned mode;        /* file mode of the image (0600 unless the file says) */
    bool is_inline;       /* declared in a domain's disk */
    struct cb_loc loc;
    /* references as written, resolved once every section is read */
    char *pool_ref;
    struct cb_loc pool_ref_loc;
    char *backing_ref;
    struct cb_loc backing_ref_loc;
};

struct cb_network {
    cb_testbed *tb;
    char *name;
    char *libvirt_name;
    enum fwd_mode forward;
    char *bridge;         /* forward bridge only */
    bool has_ip;
    uint32_t ip;          /* the host's (gateway's) address, host byte order */
    unsigned prefix;
    bool has_dhcp;
    uint32_t dhcp_start;
    uint32_t dhcp_end;
    char *dns_domain;
    char *pxe_dir;        /* absolute TFTP root */
    char *pxe_file;
    struct cb_loc loc;
    struct cb_loc address_loc;
};

struct netif {
    cb_network *net;
    char mac[MAC_STRLEN];
    bool mac_generated;
    bool has_ip;
    uint32_t ip;
    struct cb_loc loc;
    struct cb_loc ip_loc;
    struct cb_loc mac_loc;
    char *net_ref;
    struct cb_loc net_ref_loc;
};

struct disk {
    char *device;
    enum disk_bus bus;
    cb_storage_volume *vol;
    struct cb_loc loc;
    char *vol_ref;        /* storage_volume reference; NULL for inline */
    struct cb_loc vol_ref_loc;
};

struct virtfs {
    char *source;         /* absolute */
    char *target;
};

struct tpl_file {
    char *name;
    char *input;          /* absolute */
    char *output;         /* absolute */
    bool allow_outside;   /* output may lie outside the testbed directory */
    unsigned mode;        /* permissions of the output (0600) */
    struct cb_loc loc;
};

struct kv {
    char *key;
    char *value;
};

struct kv_vec {
    struct kv *v;
    size_t n, cap;
};

/* A lifecycle event, as libvirt's numbers. */
struct event {
    int type;
    int detail;
};

struct cb_domain {
    cb_testbed *tb;
    char *name;
    char *libvirt_name;
    unsigned sockets, cores, threads;
    unsigned long long memory_mib;
    enum graphics_kind graphics;
    char *cdrom;          /* absolute, or NULL */
    char *kernel;         /* absolute, or NULL: direct kernel boot */
    char *initrd;
    char *cmdline;
    char *console_log;    /* absolute: the serial console's log file */
    VEC(struct netif) netifs;
    VEC(struct disk) disks;
    VEC(struct virtfs) virtfs;
    VEC(struct tpl_file) tpl_files;
    struct kv_vec tpl_vars;
    struct cb_loc loc;
    /* run-time state, guarded by tb->ev_lock */
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

/* Where the domain type comes from, strongest first (see testbed.h). */
enum virt_source { VIRT_AUTO, VIRT_ENV, VIRT_OPTION };

/* What the host offers, decided once (lazily) per testbed, and refined
 * from the host's capabilities when the testbed connects. */
struct host_profile {
    const char *virt_type; /* "kvm" or "qemu" */
    /* NULL: let libvirt choose; each set once, freed with tb */
    const char *arch;
    const char *emulator;
    const char *machine;   /* the versioned type behind "pc", for a stable guest ABI */
};

struct cb_testbed {
    char *name;
    char *path;           /* as given */
    char *dir;            /* absolute directory of the file */
    char *user;
    char *state_dir;      /* dir/.cloubed/testbed: console logs */
    unsigned http_port;   /* the installer HTTP server's port (5432) */
    char *http_root;      /* absolute: `http: {root}`, served, or NULL */
    /* options, copied */
    char *uri;            /* set from the environment at connection if NULL */
    char *virt_type;      /* "kvm", "qemu", or NULL: automatic */
    enum virt_source virt_source;
    unsigned flags;
    cb_log_cb log_cb;
    void *log_payload;
    pid_t pid;            /* the opening process: the fork rule (testbed.h) */
    /* the model */
    VEC(cb_storage_pool *) pools;
    VEC(cb_storage_volume *) volumes;
    VEC(cb_network *) networks;
    VEC(cb_domain *) domains;
    struct kv_vec vars;   /* global template variables */
    /* run-time state */
    pthread_mutex_t lock;      /* host profile */
    bool host_known;
    bool host_fell_back;       /* KVM failed at a start: TCG from then on */
    char *host_tcg_why;        /* automatic TCG: why, for the one warning */
    bool host_tcg_warned;
    struct host_profile host;
    struct virt_seams seams;   /* tests only; zero in real use */
    pthread_mutex_t conn_lock; /* opening the connection */
    virConnectPtr conn;        /* thread-safe once open */
    bool loop_held;
    /* Serialises what creates or removes shared objects (pools, volumes,
     * networks): two boots of one testbed must not both create a network. */
    pthread_mutex_t ops_lock;
    /* Events: every domain's queue and the listeners. */
    pthread_mutex_t ev_lock;
    pthread_cond_t ev_cond;    /* CLOCK_MONOTONIC; signalled on event or loss */
    int ev_callback;           /* libvirt's id of the subscription, or -1 */
    bool close_registered;
    int ev_registered;         /* subscriptions libvirt has not released yet (freecb) */
    bool conn_lost;            /* set by the close callback; reset by reconnecting */
    VEC(struct listener *) listeners;
    int next_listener_id;
    VEC(int) wakers;           /* eventfds of console and TCP waits: poked on loss or stop */
    /* Connections found dead and replaced; kept (with their reference) until
     * cb_testbed_free, since other threads may still hold the pointer. */
    VEC(virConnectPtr) dead_conns;
    /* HTTP servers, see http_server.c */
    pthread_mutex_t http_lock;
    struct http_server *http;
};

/* Logs through the testbed's callback, if any. */
void tb_log(const cb_testbed *tb, cb_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Returns a copy of the host profile, deciding it on first use. */
struct host_profile tb_host(cb_testbed *tb);

void model_free_pool(cb_storage_pool *p);
void model_free_volume(cb_storage_volume *v);
void model_free_network(cb_network *n);
void model_free_domain(cb_domain *d);
void model_free_kv(struct kv *kv);

#endif
