/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * model.h: the in-memory testbed, as validated from its file (internal).
 *
 * Everything here is written once by config_load() and read-only afterwards,
 * which is what lets accessors run from any thread without locking. Mutable
 * run-time state lives in struct runtime (testbed.h), never here: this layer
 * knows nothing of libvirt or threads (the `layers` test checks it).
 */
#ifndef CB_INTERNAL_MODEL_H
#define CB_INTERNAL_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <glib.h>

#include <cloubed/cloubed.h>

#include "model/mac.h"
#include "util/log.h"
#include "util/vec.h"

struct model;

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
    const struct model *m;
    char *name;
    char *libvirt_name;
    char *path;           /* absolute */
    bool is_default;      /* made up because the file has no storagepools */
    struct cb_loc loc;
};

struct cb_storage_volume {
    cb_testbed *tb;
    const struct model *m;
    size_t index;         /* in m->volumes */
    char *name;
    char *libvirt_name;   /* user:testbed:name.format, also the file name */
    char *path;           /* pool path / libvirt_name */
    cb_storage_pool *pool;
    cb_storage_volume *backing;
    enum vol_format format;
    unsigned long long size_gib;
    unsigned mode;        /* file mode of the image (0600 unless the file says) */
    bool is_inline;       /* declared in a domain's disk */
    bool size_given;      /* `size` written (optional with `source`) */
    /* `source: PATH`: an image imported into the pool (virt/import.c) */
    char *source;         /* absolute, or NULL */
    enum vol_format source_format;     /* by its magic bytes (model/image.c) */
    unsigned long long source_vsize;   /* its virtual size in bytes */
    char *source_record;  /* state dir/volume-NAME.source: what was imported */
    struct cb_loc source_loc;
    struct cb_loc loc;
    /* references as written, resolved once every section is read */
    char *pool_ref;
    struct cb_loc pool_ref_loc;
    char *backing_ref;
    struct cb_loc backing_ref_loc;
};

struct netif;

struct cb_network {
    cb_testbed *tb;
    const struct model *m;
    size_t index;         /* in m->networks */
    char *name;
    char *libvirt_name;
    enum fwd_mode forward;
    char *bridge;         /* forward bridge only */
    bool has_ip;
    /* `address: auto`: the /24 is chosen at creation (virt/subnet.c), so ip,
     * dhcp_start, dhcp_end and the netifs' ips hold host numbers (ip = 1,
     * prefix 24, network part 0): BASE | offset is the address. */
    bool addr_auto;
    uint32_t ip;          /* the host's (gateway's) address, host byte order */
    unsigned prefix;
    bool has_dhcp;
    uint32_t dhcp_start;
    uint32_t dhcp_end;
    char *dns_domain;
    char *pxe_dir;        /* absolute TFTP root */
    char *pxe_file;
    /* The netifs with an ip on this network, domains then netifs in file
     * order (the static DHCP hosts): rendering one network never walks
     * every domain. */
    VEC(const struct netif *) static_hosts;
    struct cb_loc loc;
    struct cb_loc address_loc;
};

struct netif {
    const cb_domain *domain; /* the domain it belongs to */
    cb_network *net;
    char mac[MAC_STRLEN];
    bool mac_generated;
    unsigned mac_attempt; /* generated: 0 is the original's MAC, k > 0 derived (mac.h) */
    bool has_ip;
    bool ip_is_offset;    /* written ".N": a host number of an `address: auto` network */
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

/* A domain's `cloudinit:` section (model/cloudinit.c). Nodes point into
 * the testbed file's document, which the model keeps for them (model.doc). */
struct cloudinit {
    char *user_data_file; /* absolute, or NULL */
    const struct ynode *user_data; /*: the inline mapping, or the file's root */
    struct ydoc *user_doc;        /* the user_data file's own document, or NULL */
    const struct ynode *meta_data; /*: mapping, or NULL */
    const struct ynode *network_config; /*: mapping, or NULL: derived from the netifs */
    char **ssh_keys;              /* NULL-terminated (g_strfreev) */
    bool testbed_key;             /* the testbed's own key goes in (default) */
    char *ssh_user;               /* who `cloubed ssh` logs in as */
    /* the seed volume: in the pool of the domain's first disk, else the first pool */
    cb_storage_pool *pool;
    char *seed_libvirt_name;      /* user:testbed:DOMAIN-cidata.iso */
    char *seed_path;
    struct cb_loc loc;
};

struct cb_domain {
    cb_testbed *tb;
    const struct model *m;
    size_t index;         /* in m->domains, and of its run-time state (testbed.h) */
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
    struct cloudinit *ci; /* `cloudinit:`, or NULL */
    struct cb_loc loc;
};

/* By-name indexes, filled as the file is read (keys borrowed from the
 * resources). GHashTable lookups do not write, so once the model is opened
 * any number of threads may look up at once. */
struct model_index {
    GHashTable *pool, *volume, *network, *domain; /* YAML name → resource */
    GHashTable *domain_lv;                        /* libvirt name → cb_domain * */
};

/* The whole testbed file, resolved. Each resource points back to it (m)
 * and to the opaque testbed that owns it (tb, for the public handles). */
struct model {
    char *name;
    char *path;           /* as given */
    char *dir;            /* absolute directory of the file */
    char *user;
    char *instance;       /* cb_testbed_options.instance, or NULL: none */
    char *ns_testbed;     /* "testbed" or "testbed+instance": libvirt names, state dir */
    char *state_dir;      /* dir/.cloubed/NS_TESTBED: console logs */
    unsigned http_port;   /* the installer HTTP server's port (5432) */
    char *http_root;      /* absolute: `http: {root}`, served, or NULL */
    VEC(cb_storage_pool *) pools;
    VEC(cb_storage_volume *) volumes;
    VEC(cb_network *) networks;
    VEC(cb_domain *) domains;
    struct kv_vec vars;   /* global template variables */
    /* The testbed file's document, kept only when a `cloudinit:` section
     * points into it (read-only: any thread). */
    struct ydoc *doc;
    struct model_index ix;
};

/* True when NAME may be used in a libvirt object name and a file name: at
 * most NAME_MAX_LEN letters, digits, '.', '_' or '-', starting with a
 * letter or a digit (testbed, resource, instance and snapshot names). */
#define NAME_MAX_LEN 64
bool name_is_valid(const char *name);

/* Creates M's empty indexes; CB_ENOMEM. */
int model_index_init(struct model *m);
/* Constant-time lookups by name; NULL when absent (no error set). Any
 * thread, once the model is opened. */
cb_storage_pool *model_pool(const struct model *m, const char *name);
cb_storage_volume *model_volume(const struct model *m, const char *name);
cb_network *model_network(const struct model *m, const char *name);
cb_domain *model_domain(const struct model *m, const char *name);
/* The domain whose libvirt name is LV_NAME (lifecycle events). */
cb_domain *model_domain_by_libvirt_name(const struct model *m, const char *lv_name);

/* The user a seed creates when its user_data names none (model/seed.c). */
#define SEED_DEFAULT_USER "cloubed"
void cloudinit_free(struct cloudinit *ci);

/* Frees what M holds (not M itself). */
void model_free(struct model *m);
void model_free_kv(struct kv *kv);

#endif
