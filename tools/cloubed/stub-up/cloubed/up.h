/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * STUB (issue 11, WP4) -- DELETE AT MERGE. A verbatim copy of the contract
 * of plan11 §2.1, which WP2 (wt-engine) owns as include/cloubed/up.h. It
 * exists only so that the command and the benches build before WP2 merges:
 * tools/cloubed/meson.build uses it, with stub_up.c, only when
 * include/cloubed/up.h is absent from the tree.
 */
#ifndef CLOUBED_UP_H
#define CLOUBED_UP_H

#include <stddef.h>

#include <cloubed/common.h>
#include <cloubed/types.h>

CB_BEGIN_DECLS

/** What a domain is doing during cb_testbed_up() / cb_testbed_down(). */
typedef enum cb_progress_state {
    CB_PROGRESS_QUEUED = 0,   /**< waiting for a worker or for its dependencies */
    CB_PROGRESS_CREATING,     /**< its pools, volumes, networks, then define + start */
    CB_PROGRESS_STARTED,      /**< virDomainCreate returned: "all started" counts this */
    CB_PROGRESS_READY,        /**< opts->ready answered (only with a ready condition) */
    CB_PROGRESS_UNCHANGED,    /**< was already running: nothing done */
    CB_PROGRESS_STOPPING,     /**< down: ACPI power button pressed */
    CB_PROGRESS_STOPPED,      /**< down: shut off by the guest */
    CB_PROGRESS_DESTROYED,    /**< down: grace time over, powered off */
    CB_PROGRESS_FAILED,       /**< see error and message */
    CB_PROGRESS_SKIPPED,      /**< not attempted: a dependency failed, fail-fast, or the deadline */
    CB_PROGRESS_ROLLED_BACK,  /**< up failed elsewhere: what this call did to it is undone */
} cb_progress_state;

/** Returns "queued", "creating", "started", ... Static string. */
CB_EXTERN(const char *) cb_progress_state_name(cb_progress_state s);

/**
 * cb_progress:
 * One state change of one domain, given to cb_progress_cb. Versioned: fields
 * are appended, never moved. Valid only during the callback.
 * @domain:    the domain (borrowed from the testbed).
 * @state:     its new state.
 * @error:     0, or the CB_E* code with FAILED/SKIPPED.
 * @message:   NULL, or one line: the error, or what was done ("already running").
 * @elapsed_s: seconds since the call began (CLOCK_MONOTONIC).
 */
typedef struct cb_progress {
    unsigned int version;        /* CB_PROGRESS_VERSION 1 */
    cb_domain *domain;
    cb_progress_state state;
    int error;
    const char *message;
    double elapsed_s;
} cb_progress;

/**
 * cb_progress_cb:
 * Called from the library's worker threads, but never twice at once for one
 * call (the library serialises them), and with no library lock held: it may
 * call any read-only accessor and cb_domain_get_state(), not
 * cb_testbed_up()/down()/cleanup() on the same testbed. Keep it short: a
 * slow callback delays the state changes that follow (not libvirt calls).
 */
typedef void (*cb_progress_cb)(const cb_progress *p, void *payload);

typedef enum cb_up_flags {
    CB_UP_FAIL_FAST        = 1 << 0, /**< after the first failure start nothing more (SKIPPED) */
    CB_UP_KEEP_ON_FAILURE  = 1 << 1, /**< do not roll back: leave everything for a post-mortem */
    CB_UP_RESTART          = 1 << 2, /**< restart domains that are running (CB_BOOT_RESTART for each) */
} cb_up_flags;

#define CB_UP_OPTIONS_VERSION 1
/**
 * cb_up_options:
 * @domains:  NULL-terminated YAML names; NULL means every domain. Unknown
 *            names fail the call with CB_ENOTFOUND before anything is done.
 * @parallel: domains defined and started at once; 0 = automatic:
 *            min(selected domains, 16) (libvirtd's default max_workers is 20).
 * @ready:    NULL (done at STARTED), "tcp:PORT" (cb_domain_wait_tcp on the
 *            first netif) or "console:TEXT" (cb_domain_wait_console).
 * @timeout_ms: for the whole call, readiness included; < 0 none. On expiry,
 *            queued domains are SKIPPED with CB_ETIMEOUT, waits end, calls
 *            already inside libvirt finish, then the call fails and rolls back.
 * @progress, @progress_payload: see cb_progress_cb; NULL for none.
 * @bootdev:  as cb_boot_options.bootdev, for every domain; NULL = "hd".
 * @flags:    cb_up_flags.
 */
typedef struct cb_up_options {
    unsigned int version;
    const char *const *domains;
    unsigned int parallel;
    const char *ready;
    int timeout_ms;
    cb_progress_cb progress;
    void *progress_payload;
    const char *bootdev;
    unsigned int flags;
} cb_up_options;
#define CB_UP_OPTIONS_INIT { CB_UP_OPTIONS_VERSION, NULL, 0, NULL, -1, NULL, NULL, NULL, 0 }

/** The outcome of cb_testbed_up()/down(), one entry per selected domain, in file order. */
typedef struct cb_op_result cb_op_result;
CB_EXTERN(size_t) cb_op_result_count(const cb_op_result *r);
CB_EXTERN(cb_domain *) cb_op_result_domain(const cb_op_result *r, size_t i);
CB_EXTERN(cb_progress_state) cb_op_result_state(const cb_op_result *r, size_t i);   /* final */
CB_EXTERN(int) cb_op_result_error(const cb_op_result *r, size_t i);                /* 0 or CB_E* */
CB_EXTERN(const char *) cb_op_result_message(const cb_op_result *r, size_t i);     /* borrowed, or NULL */
/* Seconds from the call's start until domain I reached STATE; < 0 if it never did. */
CB_EXTERN(double) cb_op_result_time(const cb_op_result *r, size_t i, cb_progress_state state);
/* Objects (pools, volumes, networks, domains) this call created or started: 0 = it had nothing to do. */
CB_EXTERN(unsigned) cb_op_result_changes(const cb_op_result *r);
CB_EXTERN(double) cb_op_result_elapsed(const cb_op_result *r);
CB_EXTERN(void) cb_op_result_free(cb_op_result *r);

/**
 * cb_testbed_up:
 * @result: receives the per-domain outcome (also on failure), or NULL if not wanted.
 * Brings the selected domains up: their pools, volumes (backing first) and
 * networks, each created once, those that do not depend on each other at
 * once; then defines and starts the domains, @parallel at a time, each as
 * soon as its own dependencies exist; then, with @ready, waits for each.
 * Objects that exist are used (found by name and the testbed's metadata), so
 * a run interrupted at any point, even by kill -9, is completed by the next.
 * A testbed that is up already: returns 0, every domain UNCHANGED,
 * cb_op_result_changes() == 0.
 * On any failure, every domain's outcome is in *result; the call undoes what
 * it created or started (never what existed before it, never an object another
 * call still uses; not at all with CB_UP_KEEP_ON_FAILURE) and returns the code
 * of the first failed domain in file order; cb_error_last() names every
 * failure: "up of testbed T: 2 of 10 domains failed: d3: ...; d7: ...".
 * Errors: CB_EINVAL, CB_ENOTFOUND, CB_ETIMEOUT, CB_ECONFLICT, CB_ELIBVIRT, CB_EIO, CB_ENOMEM.
 * Thread-safety: any thread; several calls (and cb_domain_boot) on one testbed may run at once.
 */
CB_EXTERN(int) cb_testbed_up(cb_op_result **result, cb_testbed *tb, const cb_up_options *opts);

typedef enum cb_down_flags {
    CB_DOWN_CLEANUP = 1 << 0, /**< then remove the domains, and the networks, volumes and pools no other
                                   domain of the testbed uses (cb_testbed_cleanup when every domain is selected) */
} cb_down_flags;
#define CB_DOWN_OPTIONS_VERSION 1
typedef struct cb_down_options {
    unsigned int version;
    const char *const *domains;   /* NULL = every domain */
    unsigned int parallel;        /* 0 = automatic, as for up */
    int grace_ms;                 /* ACPI, then destroy after this long; default 30000; 0 = destroy at once */
    int timeout_ms;               /* whole call; < 0 none */
    cb_progress_cb progress;
    void *progress_payload;
    unsigned int flags;           /* cb_down_flags */
} cb_down_options;
#define CB_DOWN_OPTIONS_INIT { CB_DOWN_OPTIONS_VERSION, NULL, 0, 30000, -1, NULL, NULL, 0 }
/**
 * cb_testbed_down:
 * Presses every selected running domain's power button at once, waits for
 * each to stop (its stopped event), and destroys those still running after
 * @grace_ms. Domains already stopped are UNCHANGED. Never rolls back.
 */
CB_EXTERN(int) cb_testbed_down(cb_op_result **result, cb_testbed *tb, const cb_down_options *opts);

CB_END_DECLS

#endif
