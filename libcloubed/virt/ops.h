/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * ops.h: creating, finding and removing the testbed's libvirt objects
 * (internal). Callers hold tb->rt.ops_lock around whatever creates or removes.
 */
#ifndef CB_INTERNAL_OPS_H
#define CB_INTERNAL_OPS_H

#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "testbed.h"

/* What a call created so far, removed again if the call fails: no half-built
 * testbed is left behind. */
enum undo_kind { UNDO_POOL, UNDO_VOLUME, UNDO_NETWORK, UNDO_DOMAIN };
struct undo_entry {
    enum undo_kind kind;
    void *obj; /* virStoragePoolPtr, virStorageVolPtr, ... (a reference) */
};
struct undo {
    struct undo_entry *v;
    size_t n, cap;
};
int undo_push(struct undo *u, enum undo_kind kind, void *obj);
/* Removes every recorded object, newest first, and frees the log. */
void undo_rollback(struct undo *u);
/* Keeps the objects and frees the log. */
void undo_commit(struct undo *u);

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
int network_ensure(cb_testbed *tb, virConnectPtr c, const cb_network *n, bool recreate,
                   struct undo *u);

/* Storage: a pool is the testbed's when found under its namespaced name,
 * adopted (used, never removed) when found by path under another name. */
int pool_find(virConnectPtr c, const cb_storage_pool *p, virStoragePoolPtr *out, bool *ours);
int pool_ensure(cb_testbed *tb, virConnectPtr c, const cb_storage_pool *p, virStoragePoolPtr *out,
                struct undo *u);
/* Creates the volume (and its backing chain) unless it exists; OVERWRITE
 * deletes and recreates the volume itself, never its backing volumes. */
int volume_ensure(cb_testbed *tb, virConnectPtr c, const cb_storage_volume *v, bool overwrite,
                  struct undo *u);

#endif
