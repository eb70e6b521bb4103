/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * up.h: a whole testbed, or a selection of its domains, up and down in one
 * call, in parallel, with one outcome per domain.
 *
 * cb_testbed_up() creates what the selected domains need (pools, volumes in
 * backing order, networks), each object once, then defines and starts the
 * domains several at a time, and optionally waits until each is ready. No
 * library lock is held while libvirt waits for QEMU, so the starts really
 * overlap, and cb_domain_boot() calls from several threads overlap the same
 * way. cb_testbed_down() presses every selected domain's power button at
 * once and pulls the plug of those still running after a grace time.
 *
 * Both return every domain's outcome in a cb_op_result, on success and on
 * failure, and report every failure, not only the first.
 */
#ifndef CLOUBED_UP_H
#define CLOUBED_UP_H

#include <cloubed/common.h>
#include <cloubed/types.h>

CB_BEGIN_DECLS

/** What a domain is doing during cb_testbed_up() / cb_testbed_down(). */
typedef enum cb_progress_state {
    CB_PROGRESS_QUEUED = 0,   /**< waiting for a worker or for its dependencies */
    CB_PROGRESS_CREATING,     /**< its pools, volumes, networks, then define + start */
    CB_PROGRESS_STARTED,      /**< virDomainCreate returned: "all started" counts this */
    CB_PROGRESS_READY,        /**< opts->ready answered (only with a ready condition) */
    CB_PROGRESS_UNCHANGED,    /**< already in the wanted state: nothing done */
    CB_PROGRESS_STOPPING,     /**< down: ACPI power button pressed */
    CB_PROGRESS_STOPPED,      /**< down: shut off by the guest */
    CB_PROGRESS_DESTROYED,    /**< down: grace time over, powered off */
    CB_PROGRESS_FAILED,       /**< see the error and the message */
    CB_PROGRESS_SKIPPED,      /**< not attempted: a dependency failed, fail-fast, or the deadline */
    CB_PROGRESS_ROLLED_BACK,  /**< up failed elsewhere: what this call did to it is undone */
} cb_progress_state;

/**
 * cb_progress_state_name:
 * @s: a state.
 *
 * Returns "queued", "creating", "started", "ready", "unchanged", "stopping",
 * "stopped", "destroyed", "failed", "skipped", "rolled_back", or "?" for a
 * value this version does not know. Static string: never freed.
 * Errors: none. Thread-safety: any thread.
 */
CB_EXTERN(const char *) cb_progress_state_name(cb_progress_state s);

/**
 * CB_PROGRESS_VERSION:
 *
 * The version of cb_progress that these headers describe: 1. The library
 * sets cb_progress.version to its own CB_PROGRESS_VERSION; a callback built
 * against newer headers reads a field appended later only when the version
 * it is given says that the field is there.
 */
#define CB_PROGRESS_VERSION 1
/**
 * cb_progress:
 * One state change of one domain, given to a cb_progress_cb. Versioned:
 * fields are appended, never moved. Valid only during the callback.
 * @version:   CB_PROGRESS_VERSION of the library that calls.
 * @domain:    the domain (borrowed from the testbed).
 * @state:     its new state.
 * @error:     0, or the CB_E* code with FAILED and SKIPPED.
 * @message:   NULL, or one line: the error, or what was done ("already running").
 * @elapsed_s: seconds since the call began (CLOCK_MONOTONIC).
 */
typedef struct cb_progress {
    unsigned int version;
    cb_domain *domain;
    cb_progress_state state;
    int error;
    const char *message;
    double elapsed_s;
} cb_progress;

/**
 * cb_progress_cb:
 * @p:       the state change; borrowed, valid only during the call.
 * @payload: the options' progress_payload, as it was given.
 *
 * Called from the library's worker threads, but never twice at once for one
 * call (the library serialises the calls), and with no library lock held: it
 * may call any read-only accessor and cb_domain_get_state(), but not
 * cb_testbed_up()/down()/cleanup() on the same testbed. Keep it short: a
 * slow callback delays the state changes that follow (not libvirt calls).
 */
typedef void (*cb_progress_cb)(const cb_progress *p, void *payload);

/** Flags of cb_up_options. */
typedef enum cb_up_flags {
    CB_UP_FAIL_FAST       = 1 << 0, /**< after the first failure start nothing more (SKIPPED) */
    CB_UP_KEEP_ON_FAILURE = 1 << 1, /**< do not roll back: leave everything for a post-mortem */
    CB_UP_RESTART         = 1 << 2, /**< restart running domains (CB_BOOT_RESTART for each) */
} cb_up_flags;

/**
 * CB_UP_OPTIONS_VERSION:
 *
 * The version of cb_up_options that these headers describe: 1. Callers must
 * set cb_up_options.version, which CB_UP_OPTIONS_INIT sets to this value;
 * cb_testbed_up() fails with CB_EINVAL for a version it does not know.
 */
#define CB_UP_OPTIONS_VERSION 1
/**
 * cb_up_options:
 * Options of cb_testbed_up(). Initialise with CB_UP_OPTIONS_INIT.
 * @version:    CB_UP_OPTIONS_VERSION.
 * @domains:    NULL-terminated YAML names; NULL means every domain. Unknown
 *              names fail the call with CB_ENOTFOUND before anything is done.
 *              Borrowed for the duration of the call.
 * @parallel:   domains defined and started at once; 0 = automatic:
 *              min(selected domains, 16).
 * @ready:      NULL (done at STARTED), "tcp:PORT" (cb_domain_wait_tcp),
 *              "console:TEXT" (cb_domain_wait_console), "ssh"
 *              (cb_domain_wait_ssh) or "agent" (cb_domain_wait_agent). A
 *              domain that was running already (UNCHANGED) is waited for
 *              with "tcp:", "ssh" and "agent", not with
 *              "console:" (its boot's text may be consumed already).
 * @timeout_ms: for the whole call, readiness included; < 0: none. On expiry
 *              queued domains are SKIPPED with CB_ETIMEOUT, waits end, calls
 *              already inside libvirt finish, then the call fails and rolls back.
 * @progress, @progress_payload: see cb_progress_cb; NULL for none.
 * @bootdev:    as cb_boot_options.bootdev, for every domain; NULL = "hd".
 * @flags:      cb_up_flags.
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
/**
 * CB_UP_OPTIONS_INIT:
 *
 * The initialiser of a cb_up_options: version CB_UP_OPTIONS_VERSION, every
 * domain, automatic parallelism, no ready condition, no timeout (-1), no
 * progress callback, bootdev "hd" (NULL), no flags; the same as passing
 * NULL options. Write `cb_up_options o = CB_UP_OPTIONS_INIT;`, then set
 * the fields you need: the version must be set, and this sets it.
 */
#define CB_UP_OPTIONS_INIT { CB_UP_OPTIONS_VERSION, NULL, 0, NULL, -1, NULL, NULL, NULL, 0 }

/**
 * cb_op_result:
 * The outcome of cb_testbed_up()/down(): one entry per selected domain, in
 * file order. Obtained through the calls' first argument, freed with
 * cb_op_result_free(). The accessors are pure: an index out of range gives
 * NULL, CB_PROGRESS_SKIPPED with CB_EINVAL, or -1. Thread-safety: a result
 * is immutable; any thread may read it.
 */
typedef struct cb_op_result cb_op_result;

/**
 * cb_op_result_count / cb_op_result_domain / cb_op_result_state /
 * cb_op_result_error / cb_op_result_message / cb_op_result_time:
 * @r:     the result; NULL gives 0, or what an index out of range gives.
 * @i:     an entry, from 0 to the count less 1, in file order.
 * @state: the state whose time is asked for.
 *
 * The number of selected domains; for entry @i: the domain (borrowed from
 * the testbed); its final state; 0, or the CB_E* code that made it FAILED
 * or SKIPPED; one line about it (borrowed from @r), or NULL; the seconds
 * from the call's start until it reached @state, < 0 if it never did.
 */
CB_EXTERN(size_t) cb_op_result_count(const cb_op_result *r);
CB_EXTERN(cb_domain *) cb_op_result_domain(const cb_op_result *r, size_t i);
CB_EXTERN(cb_progress_state) cb_op_result_state(const cb_op_result *r, size_t i);
CB_EXTERN(int) cb_op_result_error(const cb_op_result *r, size_t i);
CB_EXTERN(const char *) cb_op_result_message(const cb_op_result *r, size_t i);
CB_EXTERN(double) cb_op_result_time(const cb_op_result *r, size_t i, cb_progress_state state);
/**
 * cb_op_result_changes:
 * @r: the result; NULL gives 0.
 *
 * Returns how many objects (pools, volumes, networks, domains) the call
 * created, started or stopped; 0 means it had nothing to do.
 */
CB_EXTERN(unsigned) cb_op_result_changes(const cb_op_result *r);
/**
 * cb_op_result_elapsed:
 * @r: the result; NULL gives -1.
 *
 * Returns the seconds the whole call took.
 */
CB_EXTERN(double) cb_op_result_elapsed(const cb_op_result *r);
/**
 * cb_op_result_free:
 * @r: the result, the caller's until this call; NULL is allowed.
 *
 * Frees the result and its messages.
 */
CB_EXTERN(void) cb_op_result_free(cb_op_result *r);

/**
 * cb_testbed_up:
 * @result: set to NULL first; receives the per-domain outcome once the
 *          domains are attempted, also when some fail; stays NULL when the
 *          call fails before that (invalid options, an unknown domain name,
 *          a missing local file, no connection to libvirt). NULL if not
 *          wanted. Free it with cb_op_result_free().
 * @tb:     the testbed.
 * @opts:   options, or NULL for CB_UP_OPTIONS_INIT.
 *
 * Brings the selected domains up: their pools, volumes (backing first) and
 * networks, each created once, those that do not depend on each other at
 * once; then defines and starts the domains, @parallel at a time, each as
 * soon as its own dependencies exist; then, with @ready, waits for each.
 * Objects that exist are used (found by their deterministic names and the
 * testbed's metadata), and a create that loses a race with another process
 * adopts the winner's object, so a run interrupted at any point, even by
 * kill -9, is completed by the next. A testbed that is up already: returns
 * 0, every domain UNCHANGED, cb_op_result_changes() == 0, and one INFO log
 * line says so.
 *
 * On failure every domain's outcome is in *result; unless
 * CB_UP_KEEP_ON_FAILURE, the call undoes what it created or started (never
 * what existed before it; a domain CB_UP_RESTART destroyed gets its old
 * definition back and is started again, a new boot of its guest) and
 * returns the code of the first failed domain in file order;
 * cb_error_last() names every failure: "up of testbed T: 2 of 10 domains
 * failed: d3: ...; d7: ...".
 *
 * Errors: CB_EINVAL (NULL testbed, unknown flags or options version, a bad
 * @ready or @bootdev), CB_ENOTFOUND (unknown domain name), CB_ETIMEOUT,
 * CB_ECONFLICT, CB_ESTATE, CB_ELIBVIRT, CB_EIO, CB_ENOMEM.
 * Thread-safety: any thread; several calls (and cb_domain_boot()) on one
 * testbed may run at once: each shared object is still created once.
 */
CB_EXTERN(int) cb_testbed_up(cb_op_result **result, cb_testbed *tb, const cb_up_options *opts);

/** Flags of cb_down_options. */
typedef enum cb_down_flags {
    /** Then remove the selected domains (cb_domain_cleanup), or the whole
     *  testbed when every domain is selected (cb_testbed_cleanup). */
    CB_DOWN_CLEANUP = 1 << 0,
} cb_down_flags;

/**
 * CB_DOWN_OPTIONS_VERSION:
 *
 * The version of cb_down_options that these headers describe: 1. Callers
 * must set cb_down_options.version, which CB_DOWN_OPTIONS_INIT sets to this
 * value; cb_testbed_down() fails with CB_EINVAL for a version it does not
 * know.
 */
#define CB_DOWN_OPTIONS_VERSION 1
/**
 * cb_down_options:
 * Options of cb_testbed_down(). Initialise with CB_DOWN_OPTIONS_INIT.
 * @version:    CB_DOWN_OPTIONS_VERSION.
 * @domains:    NULL-terminated YAML names; NULL = every domain. Unknown
 *              names fail the call with CB_ENOTFOUND. Borrowed for the
 *              duration of the call.
 * @parallel:   domains handled at once; 0 = automatic, as for up.
 * @grace_ms:   ACPI, then destroy after this long, in milliseconds; default
 *              30000; 0 = destroy at once; negative: CB_EINVAL.
 * @timeout_ms: the whole call; < 0: none.
 * @progress, @progress_payload: see cb_progress_cb.
 * @flags:      cb_down_flags.
 */
typedef struct cb_down_options {
    unsigned int version;
    const char *const *domains;
    unsigned int parallel;
    int grace_ms;
    int timeout_ms;
    cb_progress_cb progress;
    void *progress_payload;
    unsigned int flags;
} cb_down_options;
/**
 * CB_DOWN_OPTIONS_INIT:
 *
 * The initialiser of a cb_down_options: version CB_DOWN_OPTIONS_VERSION,
 * every domain, automatic parallelism, a grace time of 30000 ms, no timeout
 * (-1), no progress callback, no flags; the same as passing NULL options.
 * Write `cb_down_options o = CB_DOWN_OPTIONS_INIT;`, then set the fields
 * you need: the version must be set, and this sets it.
 */
#define CB_DOWN_OPTIONS_INIT { CB_DOWN_OPTIONS_VERSION, NULL, 0, 30000, -1, NULL, NULL, 0 }

/**
 * cb_testbed_down:
 * @result: set to NULL first; receives the per-domain outcome once the
 *          domains are attempted, also when some fail; stays NULL when the
 *          call fails before that (invalid options, an unknown domain name,
 *          no connection to libvirt). NULL if not wanted. Free it with
 *          cb_op_result_free().
 * @tb:     the testbed.
 * @opts:   options, or NULL for CB_DOWN_OPTIONS_INIT.
 *
 * Presses every selected running domain's power button at once, waits for
 * each to stop (its stopped event), and destroys those still running after
 * the grace time (cb_down_options.grace_ms): STOPPED or DESTROYED. Domains
 * not running (or not defined) are UNCHANGED. Never rolls back. Returns 0,
 * or the code of the first failed domain in file order, with every failure
 * named in cb_error_last().
 * Errors: CB_EINVAL, CB_ENOTFOUND, CB_ETIMEOUT, CB_ECONFLICT, CB_ELIBVIRT,
 * CB_ENOMEM.
 * Thread-safety: any thread; not together with cb_testbed_up() of the same
 * domains.
 */
CB_EXTERN(int) cb_testbed_down(cb_op_result **result, cb_testbed *tb, const cb_down_options *opts);

CB_END_DECLS

#endif
