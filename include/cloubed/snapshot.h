/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * snapshot.h: snapshots of a whole testbed, to reset it between test cases.
 *
 * A testbed snapshot is one libvirt *internal* snapshot per domain of the
 * testbed that is defined when it is taken, all under the same name, taken
 * at one consistent point: every running domain is paused first (all at
 * once), then each is snapshotted, then they are resumed. A running (or
 * paused) domain's snapshot holds its memory and its disks (QEMU's savevm);
 * a shut-off domain's holds its disks only (qemu-img snapshot), and
 * reverting leaves it shut off. Domains that are not defined when the
 * snapshot is taken are not part of it and a revert leaves them alone.
 *
 * Disks: internal snapshots live inside qcow2 images, and QEMU's savevm
 * needs at least one writable qcow2 disk to hold the memory. So every disk
 * of every defined domain must be a qcow2 volume, and every domain must have
 * one: otherwise cb_testbed_snapshot_create() fails with CB_EUNSUPPORTED,
 * naming each such domain and disk, before anything is touched. (Memory
 * images saved to files with qcow2 overlays, which would lift this, are not
 * implemented.) Snapshot data lives in the volumes, so no file is made:
 * cb_testbed_cleanup() undefines the domains with their snapshot metadata
 * and deletes the volumes, which removes it all. cb_domain_cleanup() alone
 * removes the metadata; the data stays in the domain's volumes until they
 * are deleted.
 *
 * Ownership: the libvirt snapshot is named as the testbed snapshot (`virsh
 * snapshot-list` shows it) and carries a description
 * "cloubed:1 testbed=USER:TESTBED[+INSTANCE] domains=K state=STATE" naming
 * the testbed, how many domains the testbed snapshot covers and what the
 * domain was doing (running, paused, shutoff). Snapshots without that
 * description (made by hand, or by another testbed) are invisible to these
 * calls, except that create refuses a name a domain already uses.
 *
 * Names follow the rules of testbed names: 1 to 64 letters, digits, '.',
 * '_' or '-', starting with a letter or a digit.
 *
 * Thread-safety: any thread; no lock is held while libvirt and QEMU work.
 * Two snapshot calls on one testbed at once are not serialised: libvirt
 * refuses what conflicts.
 */
#ifndef CLOUBED_SNAPSHOT_H
#define CLOUBED_SNAPSHOT_H

#include <stddef.h>

#include <cloubed/common.h>
#include <cloubed/types.h>

CB_BEGIN_DECLS

/**
 * cb_snapshot_flags:
 * @CB_SNAPSHOT_FLAGS_NONE: no flag.
 * @CB_SNAPSHOT_REVERT_SYNC_CLOCK: cb_testbed_snapshot_revert() only: once
 *     each domain that runs again is reverted, set its guest's clock to the
 *     host's with cb_domain_sync_clock(), waiting up to
 *     CB_SNAPSHOT_SYNC_CLOCK_TIMEOUT_MS for its guest agent.
 *
 * Flags of the cb_testbed_snapshot_*() calls; each call rejects the ones it
 * does not take with CB_EINVAL.
 */
typedef enum cb_snapshot_flags {
    CB_SNAPSHOT_FLAGS_NONE = 0,
    CB_SNAPSHOT_REVERT_SYNC_CLOCK = 1 << 0,
} cb_snapshot_flags;

/**
 * CB_SNAPSHOT_SYNC_CLOCK_TIMEOUT_MS:
 *
 * How long a revert with CB_SNAPSHOT_REVERT_SYNC_CLOCK waits for each
 * domain's guest agent: the agent was running when the snapshot was taken,
 * and answers as soon as libvirt reconnects to it.
 */
#define CB_SNAPSHOT_SYNC_CLOCK_TIMEOUT_MS 60000

/**
 * cb_testbed_snapshot_create:
 * @tb:    the testbed.
 * @name:  the snapshot's name (see the naming rules above).
 * @flags: 0 (see cb_snapshot_flags).
 *
 * Snapshots every defined domain of @tb at one point: pauses the running
 * ones (in parallel), snapshots each domain (in parallel), then resumes
 * what it paused. Domains the caller had paused stay paused. The guests'
 * clocks stand still while paused (a second or so per domain under TCG).
 *
 * If any step fails, the call undoes what it did (deletes the snapshots it
 * took, resumes what it paused) and fails with an error naming every domain
 * that failed and why: "snapshot N of testbed T: 1 of 3 domains failed: a:
 * ...". A failure of the undo itself is logged as a warning.
 *
 * Errors: CB_EINVAL (NULL argument, invalid name, unknown flags),
 * CB_ECONFLICT (a domain already has a snapshot of that name, or an object
 * under the testbed's name is not its own), CB_EUNSUPPORTED (a domain's
 * disks cannot hold an internal snapshot, see above), CB_ESTATE (no domain
 * is defined, or a domain is crashed or suspended to RAM; after fork),
 * CB_ELIBVIRT (with libvirt's message), CB_ENOMEM.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_testbed_snapshot_create(cb_testbed *tb, const char *name, unsigned int flags);

/**
 * cb_testbed_snapshot_revert:
 * @tb:    the testbed.
 * @name:  a snapshot of the testbed.
 * @flags: 0 or CB_SNAPSHOT_REVERT_SYNC_CLOCK.
 *
 * Reverts every domain of the snapshot to it, all in parallel: memory,
 * disks and state. Domains that were running when it was taken run again
 * (from where they were, without booting: they never see the pause), paused
 * ones are paused, shut-off ones shut off. Domains defined after the
 * snapshot was taken are left as they are. A revert cannot be undone: when
 * one domain fails, the others are reverted all the same and the error
 * names every failure.
 *
 * The guests' clocks are back at the snapshot's time. With
 * CB_SNAPSHOT_REVERT_SYNC_CLOCK each domain that runs again has its clock
 * set to the host's (cb_domain_sync_clock(), through its guest agent) on
 * the same worker, right after its revert; a domain whose clock cannot be
 * set counts as failed, its revert done all the same.
 *
 * Errors: CB_EINVAL (NULL argument, invalid name, unknown flags),
 * CB_ENOTFOUND (the testbed has no snapshot of that name: the message names
 * it), CB_ESTATE (a domain of the snapshot was removed since, so that it
 * cannot be restored whole; after fork), CB_ECONFLICT, CB_ELIBVIRT,
 * CB_ENOMEM.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_testbed_snapshot_revert(cb_testbed *tb, const char *name, unsigned int flags);

/**
 * cb_testbed_snapshot_delete:
 * @tb:    the testbed.
 * @name:  a snapshot of the testbed.
 * @flags: 0 (see cb_snapshot_flags).
 *
 * Deletes the snapshot from every domain that has it (its data in the qcow2
 * volumes too). The domains keep running as they are. An incomplete
 * snapshot (see cb_testbed_snapshot_revert) can be deleted.
 *
 * Errors: CB_EINVAL, CB_ENOTFOUND (no snapshot of that name), CB_ECONFLICT,
 * CB_ELIBVIRT (naming every domain that failed), CB_ESTATE (after fork),
 * CB_ENOMEM.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_testbed_snapshot_delete(cb_testbed *tb, const char *name, unsigned int flags);

/** A list of snapshot names (opaque). */
typedef struct cb_snapshots cb_snapshots;

/**
 * cb_testbed_snapshot_list:
 * @list:  receives the list; NULL on failure.
 * @tb:    the testbed.
 * @flags: 0 (see cb_snapshot_flags).
 *
 * The testbed's snapshots (those of its domains that carry its
 * description, each name once), oldest first (libvirt's creation time, in
 * seconds; then by name).
 *
 * Ownership: *list is the caller's, freed with cb_snapshots_free().
 * Errors: CB_EINVAL, CB_ECONFLICT, CB_ELIBVIRT, CB_ESTATE (after fork),
 * CB_ENOMEM.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_testbed_snapshot_list(cb_snapshots **list, cb_testbed *tb, unsigned int flags);

/**
 * cb_snapshots_count / cb_snapshots_name / cb_snapshots_free:
 * @l: the list; NULL gives 0 or NULL. cb_snapshots_free() takes it from
 *     the caller.
 * @i: an index, from 0 to the count less 1.
 *
 * The number of names (0 for NULL), the name at @i (borrowed from @l, NULL
 * when @i is out of range), and freeing the list (NULL is fine).
 * Thread-safety: any thread; a list is not shared while it is freed.
 */
CB_EXTERN(size_t) cb_snapshots_count(const cb_snapshots *l);
CB_EXTERN(const char *) cb_snapshots_name(const cb_snapshots *l, size_t i);
CB_EXTERN(void) cb_snapshots_free(cb_snapshots *l);

CB_END_DECLS

#endif /* CLOUBED_SNAPSHOT_H */
