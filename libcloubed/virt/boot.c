/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * boot.c: booting a domain: everything it needs, in dependency order, then
 * the domain itself; on failure, nothing this call created is left behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "virt/cells.h"
#include "virt/connection.h"
#include "util/error.h"
#include "virt/host.h"
#include "wait/events.h"
#include "virt/ops.h"
#include "virt/seed.h"
#include "render/render.h"
#include "util/state_dir.h"
#include "util/util.h"

static bool in_list(const char *const *list, const char *name)
{
    for (; list && *list; list++)
        if (strcmp(*list, name) == 0)
            return true;
    return false;
}

static bool domain_has_volume(const cb_domain *d, const char *name)
{
    size_t i;
    for (i = 0; i < d->disks.n; i++)
        if (strcmp(d->disks.v[i].vol->name, name) == 0)
            return true;
    return false;
}

static bool domain_has_network(const cb_domain *d, const char *name)
{
    size_t i;
    for (i = 0; i < d->netifs.n; i++)
        if (strcmp(d->netifs.v[i].net->name, name) == 0)
            return true;
    return false;
}

static int check_options(const cb_domain *d, const cb_boot_options *o)
{
    const char *const *p;

    if (o->version < 1 || o->version > CB_BOOT_OPTIONS_VERSION)
        return err_set(CB_EINVAL, "cb_domain_boot: options version %u is not supported",
                       o->version);
    /* Version 1 callers have no flags field: read it only from version 2. */
    if (o->version >= 2 && (o->flags & ~(unsigned int)CB_BOOT_RESTART))
        return err_set(CB_EINVAL, "cb_domain_boot: unsupported flags 0x%x",
                       o->flags & ~(unsigned int)CB_BOOT_RESTART);
    if (o->bootdev && strcmp(o->bootdev, "hd") && strcmp(o->bootdev, "network") &&
        strcmp(o->bootdev, "cdrom"))
        return err_set(CB_EINVAL, "cb_domain_boot: bootdev must be hd, network or cdrom, not %s",
                       o->bootdev);
    /* As the original: names that are not the domain's are dropped, loudly. */
    for (p = o->overwrite_disks; p && *p; p++)
        if (!domain_has_volume(d, *p))
            tb_log(d->tb, CB_LOG_WARNING, "domain %s does not have disk %s, removing it of disks "
                   "to overwrite", d->name, *p);
    for (p = o->recreate_networks; p && *p; p++)
        if (!domain_has_network(d, *p))
            tb_log(d->tb, CB_LOG_WARNING, "domain %s is not connected to network %s, removing it "
                   "of networks to recreate", d->name, *p);
    return 0;
}

/* On a local daemon, files the domain needs are checked before anything is
 * created, so that a typo costs nothing. */
static int check_files(const cb_domain *d)
{
    const char *files[] = { d->kernel, d->initrd, d->cdrom };
    const char *what[] = { "kernel", "initrd", "cdrom" };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(files); i++)
        if (files[i] && access(files[i], R_OK) < 0)
            return err_set(errno == ENOENT ? CB_ENOTFOUND : CB_EIO, "%s %s of domain %s cannot "
                           "be read: %s", what[i], files[i], d->name, strerror(errno));
    return 0;
}

static void log_console_port(cb_domain *d, virDomainPtr dom)
{
    char *type, *port;

    domain_console(dom, &type, &port);
    if (type && port)
        tb_log(d->tb, CB_LOG_INFO, "%s console of domain %s available on port %s", type, d->name,
               port);
    free(type);
    free(port);
}

/* Defines (or redefines, keeping UUID) the domain as the host profile says
 * now. Persistent, so that a stopped domain keeps its state for status and
 * for the next boot; defining again replaces the definition. */
static int define_domain(cb_domain *d, virConnectPtr c, const char *bootdev, const char *uuid,
                         virDomainPtr *out)
{
    const struct host_profile host = tb_host(d->tb);
    char *xml = render_domain_xml(d, &host, bootdev, uuid);

    if (!xml)
        return CB_ENOMEM;
    *out = virDomainDefineXML(c, xml);
    free(xml);
    return *out ? 0 : lv_fail("cannot define domain %s", d->libvirt_name);
}

/* One start; the failure is recorded as the library's error, with
 * libvirt's message. */
static int start_once(cb_domain *d, virDomainPtr dom)
{
    if (d->tb->rt.seams.domain_create)
        return d->tb->rt.seams.domain_create(dom, d->tb->rt.seams.payload);
    return virDomainCreate(dom) == 0 ? 0 : lv_fail("cannot start domain %s", d->libvirt_name);
}

/* Starts the defined domain *DOM. When QEMU cannot use KVM and the testbed
 * chose kvm automatically, the testbed switches to TCG and the domain is
 * defined again (same UUID: nothing of the failed attempt stays) and
 * started once more. */
static int create_domain(cb_domain *d, virConnectPtr c, const char *bootdev, virDomainPtr *dom)
{
    char uuid[VIR_UUID_STRING_BUFLEN], *why;
    int rc;

    if ((rc = start_once(d, *dom)) == 0 || !host_is_kvm_failure(cb_error_last()->message))
        return rc;
    if (!(why = str_dup(cb_error_last()->message)))
        return CB_ENOMEM;
    if (!host_fall_back_to_tcg(d->tb, d->name, why)) {
        /* chosen explicitly: say what to do instead */
        err_set(rc, "%s (kvm was chosen explicitly; %s)", why, host_kvm_hint());
        free(why);
        return rc;
    }
    free(why);
    host_warn_tcg_once(d->tb);
    if (virDomainGetUUIDString(*dom, uuid) < 0)
        return lv_fail("cannot read the UUID of domain %s", d->libvirt_name);
    virDomainFree(*dom);
    *dom = NULL;
    if ((rc = define_domain(d, c, bootdev, uuid, dom)) < 0)
        return rc;
    return start_once(d, *dom);
}

/* Under D's cell: defines and starts D. A running domain is UNCHANGED
 * (R->running_ok), CB_ESTATE, or restarted (R->restart): then the op records
 * it before destroying it, so that a failure of this op, from the destroy
 * on, starts it again with its old definition. */
static int start_domain(struct op *op, cb_domain *d, virConnectPtr c, const struct boot_req *r,
                        bool *unchanged)
{
    virDomainPtr dom = NULL;
    enum owner owner;
    char uuid[VIR_UUID_STRING_BUFLEN], *old_xml = NULL;
    bool restart = false;
    int rc;

    if ((rc = domain_lookup(d->tb, c, d, &dom, &owner)) < 0)
        return rc;
    if (owner == OWNER_OTHER)
        return owner_conflict(d->tb, "domain", d->libvirt_name);
    if (dom && virDomainIsActive(dom) == 1) {
        /* A silent restart would lose the guest's state: only on request
         * (the original's meaning of boot, which the command asks for). */
        if (!r->restart) {
            virDomainFree(dom);
            if (r->running_ok) {
                *unchanged = true;
                return 0;
            }
            return err_set(CB_ESTATE, "domain %s is running (CB_BOOT_RESTART restarts it)",
                           d->name);
        }
        restart = true;
    }
    /* Defining again keeps the domain's identity, its UUID; the old
     * definition is kept for a rollback. */
    if (dom && (virDomainGetUUIDString(dom, uuid) < 0 ||
                !(old_xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE |
                                                     VIR_DOMAIN_XML_SECURE)))) {
        rc = lv_fail("cannot read the definition of domain %s", d->libvirt_name);
        virDomainFree(dom);
        return rc;
    }
    if (restart) {
        virDomainRef(dom); /* the op's own reference; it takes old_xml too */
        rc = op_record(op, UNDO_DOMAIN, OP_RESTARTED, dom, old_xml, d);
        old_xml = NULL;
        if (rc == 0) {
            tb_log(d->tb, CB_LOG_WARNING, "domain %s is running: destroying it to boot it again",
                   d->name);
            rc = virt_remove(d->tb, VIRT_OBJ_DOMAIN, dom, d->name, VIRT_REMOVE_STOP_ONLY);
        }
        if (rc < 0) {
            virDomainFree(dom);
            return rc;
        }
    }
    if (dom)
        virDomainFree(dom);
    if ((rc = seam_before_create(d->tb, "domain", d->name)) < 0 ||
        (rc = define_domain(d, c, r->bootdev, owner == OWNER_ABSENT ? NULL : uuid, &dom)) < 0) {
        free(old_xml);
        return rc;
    }
    /* a restarted domain is recorded already, under the same UUID */
    if (!restart) {
        virDomainRef(dom); /* the op's own reference */
        if ((rc = op_record(op, UNDO_DOMAIN, owner == OWNER_ABSENT ? OP_CREATED : OP_REDEFINED,
                            dom, old_xml, d)) < 0) {
            virDomainFree(dom);
            return rc;
        }
    }
    if ((rc = create_domain(d, c, r->bootdev, &dom)) < 0) {
        if (dom)
            virDomainFree(dom);
        return rc;
    }
    tb_log(d->tb, CB_LOG_INFO, "domain %s: booted from %s", d->name, r->bootdev);
    /* A new console log: console waits read it from its beginning. */
    console_new_boot(d);
    log_console_port(d, dom);
    virDomainFree(dom);
    return 0;
}

/* CB_ESTATE when the domain runs (*RUNNING with R->running_ok): checked
 * before anything is created or overwritten, so that a refused boot touches
 * no disk of a running guest. */
static int check_running(cb_domain *d, virConnectPtr c, const struct boot_req *r, bool *running)
{
    virDomainPtr dom = NULL;
    enum owner owner;
    int rc;

    *running = false;
    if ((rc = domain_lookup(d->tb, c, d, &dom, &owner)) < 0 || !dom)
        return rc;
    if (owner == OWNER_OTHER)
        rc = owner_conflict(d->tb, "domain", d->libvirt_name);
    else if (virDomainIsActive(dom) == 1) {
        if (r->running_ok)
            *running = true;
        else
            rc = err_set(CB_ESTATE, "domain %s is running (CB_BOOT_RESTART restarts it)",
                         d->name);
    }
    virDomainFree(dom);
    return rc;
}

int domain_bring_up(struct op *op, cb_domain *d, virConnectPtr c, const struct boot_req *r,
                    bool *unchanged)
{
    size_t i, j;
    bool running = false;
    int rc = 0;

    *unchanged = false;
    if (!r->restart) {
        /* In the domain's cell: a running domain found here is claimed
         * before another op's rollback may decide to remove it. */
        if ((rc = cell_enter(d->tb, d, d->libvirt_name, &op->deadline, op->timeout_ms)) < 0)
            return rc;
        if ((rc = check_running(d, c, r, &running)) == 0 && running)
            rc = op_claim(op, d, false);
        cell_leave(d->tb, d);
        if (rc < 0 || running) {
            *unchanged = running;
            return rc;
        }
    }
    for (i = 0; i < d->disks.n && rc == 0; i++) {
        const cb_storage_volume *v = d->disks.v[i].vol;
        rc = volume_ensure(op, c, v, r->overwrite_all || in_list(r->overwrite_disks, v->name));
    }
    for (i = 0; i < d->netifs.n && rc == 0; i++) {
        const cb_network *n = d->netifs.v[i].net;
        for (j = 0; j < i && d->netifs.v[j].net != n; j++)
            ; /* each network once */
        if (j == i)
            rc = network_ensure(op, c, n, r->recreate_all || in_list(r->recreate_networks, n->name));
    }
    /* After the networks: an `address: auto` one's address goes in. */
    if (rc < 0 || (rc = seed_ensure(op, c, d)) < 0)
        return rc;
    host_warn_tcg_once(d->tb);
    /* The domain's cell: a second boot of the same domain waits, then finds
     * it running. Only the busy flag is held across define and create. */
    if ((rc = cell_enter(d->tb, d, d->libvirt_name, &op->deadline, op->timeout_ms)) < 0)
        return rc;
    if ((rc = start_domain(op, d, c, r, unchanged)) == 0)
        rc = op_claim(op, d, false);
    cell_leave(d->tb, d);
    return rc;
}

int cb_domain_boot(cb_domain *d, const cb_boot_options *opts)
{
    static const cb_boot_options defaults = CB_BOOT_OPTIONS_INIT;
    struct boot_req r = { 0 };
    virConnectPtr c;
    struct op op;
    bool unchanged;
    int rc;

    if (!d)
        return ARG_FAIL(d);
    if (!opts)
        opts = &defaults;
    if ((rc = check_options(d, opts)) < 0 || (rc = tb_conn(d->tb, &c)) < 0)
        return rc;
    if (uri_is_local(d->tb->rt.uri) && ((rc = check_files(d)) < 0 || (rc = state_dir_make(d->tb->m.dir, d->tb->m.state_dir)) < 0))
        return rc;

    r.bootdev = opts->bootdev ? opts->bootdev : "hd";
    r.restart = opts->version >= 2 && (opts->flags & CB_BOOT_RESTART);
    r.overwrite_all = opts->overwrite_all_disks;
    r.overwrite_disks = opts->overwrite_disks;
    r.recreate_all = opts->recreate_all_networks;
    r.recreate_networks = opts->recreate_networks;
    /* No lock: each object is made in its own cell, so boots of several
     * domains from several threads overlap, and share what they share. */
    op_init(&op, d->tb, -1);
    /* concurrent boots each on a connection of the set (connection.h) */
    if ((rc = tb_conn_take(d->tb, &c)) == 0) {
        rc = domain_bring_up(&op, d, c, &r, &unchanged);
        tb_conn_put(d->tb, c);
    }
    if (rc < 0)
        op_rollback(&op);
    op_destroy(&op);
    return rc;
}

/* Shared with up.c: the checks cb_domain_boot makes before anything. */
int boot_check_domain(cb_domain *d)
{
    if (uri_is_local(d->tb->rt.uri))
        return check_files(d);
    return 0;
}
