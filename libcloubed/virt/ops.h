/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * ops.h: creating, finding and removing the testbed's libvirt objects
 * (internal). The ensure functions run each object in its cell (cells.h):
 * callers hold no lock.
 */
#ifndef CB_INTERNAL_OPS_H
#define CB_INTERNAL_OPS_H

#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "testbed.h"

/* An op: one cb_domain_boot, cb_network_create or cb_testbed_up call, and
 * what it did to libvirt objects, undone (newest first) if it fails: no
 * half-built testbed is left behind, and nothing that existed before is
 * removed. The workers of one up share one op, hence the mutex (held only to
 * append or take the entries, never across libvirt). Only in memory: a run
 * killed with -9 leaves what it made, which the next run adopts by name. */
enum undo_kind { UNDO_POOL, UNDO_VOLUME, UNDO_NETWORK, UNDO_DOMAIN };
enum op_what {
    OP_CREATED,   /* did not exist: rollback removes it */
    OP_STARTED,   /* existed, inactive: rollback stops it */
    OP_REDEFINED, /* a domain's definition replaced: rollback stops it, defines old_xml */
    OP_RESTARTED, /* a running domain destroyed to boot it again (recorded before the
                     destroy): rollback stops it, defines old_xml and starts it */
};
struct op_entry {
    enum undo_kind kind;
    enum op_what what;
    void *obj;     /* virStoragePoolPtr, virStorageVolPtr, ... (a reference) */
    char *old_xml; /* OP_REDEFINED */
    const void *cell; /* the model object: its cell decides whether a rollback undoes it */
};
struct op {
    cb_testbed *tb;
    pthread_mutex_t lock;
    struct op_entry *v;
    size_t n, cap;
    unsigned changes;  /* objects created, started or redefined */
    /* cells of the objects this op uses, in first-use order (cells.h);
     * released newest first when it ends */
    VEC(const void *) claims;
    /* the whole call's deadline, for cells (timeout_ms < 0: none) */
    struct timespec deadline;
    int timeout_ms;
};
void op_init(struct op *op, cb_testbed *tb, int timeout_ms);
/* Takes over OBJ's reference (and OLD_XML) whatever happens; CB_ENOMEM.
 * CELL is the model object (its cell entered by the caller); the op claims it. */
int op_record(struct op *op, enum undo_kind kind, enum op_what what, void *obj, char *old_xml,
              const void *cell);
/* The op uses CELL's object, found or made: until the op ends, no other op's
 * rollback removes it; CHANGED: this op just created, started or redefined
 * it. Call with the cell entered. CB_ENOMEM. */
int op_claim(struct op *op, const void *cell, bool changed);
/* Undoes every entry, newest first, except objects other ops still use or
 * that a committed op used (cells.h), then frees them and releases the
 * claims (the op stays usable). */
void op_rollback(struct op *op);
/* Keeps the objects, frees the entries, releases the claims. */
void op_commit(struct op *op);
void op_destroy(struct op *op);

/* Stops OBJ if it is active, then undefines it if it is persistent: the one
 * destroy-then-undefine sequence of the library. OBJ stays referenced (the
 * caller frees it). NAME (the YAML name) is for messages; TB may be NULL
 * (no log, as in a rollback). Returns 0 or the CB_E* code of the failing
 * step, with libvirt's message. */
enum virt_obj { VIRT_OBJ_DOMAIN, VIRT_OBJ_NETWORK, VIRT_OBJ_POOL };
enum {
    VIRT_REMOVE_LOG = 1 << 0,       /* warn "destroying/undefining KIND NAME" */
    VIRT_REMOVE_STOP_ONLY = 1 << 1, /* destroy, never undefine (boot's restart) */
};
int virt_remove(cb_testbed *tb, enum virt_obj kind, void *obj, const char *name,
                unsigned int flags);

/* Whether a libvirt object found under one of the testbed's names carries
 * the testbed's metadata. */
enum owner { OWNER_ABSENT, OWNER_TESTBED, OWNER_OTHER };
bool xml_is_owned(const cb_testbed *tb, const char *xml);

/* CB_ECONFLICT: an object under the testbed's name that is not its own. */
int owner_conflict(const cb_testbed *tb, const char *kind, const char *libvirt_name);
/* The type and port of a domain's graphics console, from its live XML;
 * each NULL when there is none. The caller frees both. */
void domain_console(virDomainPtr dom, char **type, char **port);

/* Domains: the testbed's domain, or NULL with *owner ABSENT or OTHER. */
int domain_lookup(cb_testbed *tb, virConnectPtr c, const cb_domain *d, virDomainPtr *out,
                  enum owner *owner);
/* The same, failing with CB_ENOTFOUND ("not found in libvirt") or
 * CB_ECONFLICT (foreign object under the testbed's name). */
int domain_get(cb_testbed *tb, virConnectPtr c, const cb_domain *d, virDomainPtr *out);

/* Networks. */
int network_lookup(cb_testbed *tb, virConnectPtr c, const cb_network *n, virNetworkPtr *out,
                   enum owner *owner);
int network_ensure(struct op *op, virConnectPtr c, const cb_network *n, bool recreate);

/* Storage: a pool is the testbed's when found under its namespaced name,
 * adopted (used, never removed) when found by path under another name. */
int pool_find(virConnectPtr c, const cb_storage_pool *p, virStoragePoolPtr *out, bool *ours);
int pool_ensure(struct op *op, virConnectPtr c, const cb_storage_pool *p, virStoragePoolPtr *out);
/* Creates the volume (and its backing chain) unless it exists; OVERWRITE
 * deletes and recreates the volume itself, never its backing volumes. */
int volume_ensure(struct op *op, virConnectPtr c, const cb_storage_volume *v, bool overwrite);

/* boot.c: what one domain needs, then the domain, for cb_domain_boot and
 * each worker of cb_testbed_up. */
struct boot_req {
    const char *bootdev;                 /* "hd", "network", "cdrom" */
    bool restart;                        /* CB_BOOT_RESTART */
    bool running_ok;                     /* up: a running domain is UNCHANGED, not CB_ESTATE */
    bool overwrite_all;
    const char *const *overwrite_disks;
    bool recreate_all;
    const char *const *recreate_networks;
};
/* *UNCHANGED: the domain was running already and nothing was done. */
int domain_bring_up(struct op *op, cb_domain *d, virConnectPtr c, const struct boot_req *r,
                    bool *unchanged);
/* The local files D needs are readable (kernel, initrd, cdrom). */
int boot_check_domain(cb_domain *d);
/* The seam before a create, if any (testbed.h). */
int seam_before_create(cb_testbed *tb, const char *kind, const char *name);

#endif
