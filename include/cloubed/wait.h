/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * wait.h: waiting for something true to happen in a domain: a lifecycle
 * event, a TCP port that answers, a line on its serial console.
 *
 * Events are received by libvirt's event loop, which the library runs in a
 * thread of its own (see CB_TESTBED_EXTERNAL_EVENT_LOOP to run your own).
 * Every domain of a testbed has a queue, subscribed as soon as the testbed
 * connects to libvirt (its first boot, wait or status), so an event that
 * happens between cb_domain_boot() returning and a wait starting is not lost.
 *
 * Timeouts are in milliseconds; a negative timeout waits for ever, but a
 * wait still ends when its domain stops or the connection to libvirt is
 * lost. Nothing here polls with sleeps except the TCP wait's retry of a
 * refused connection, every 20 ms.
 *
 * Every call here takes `unsigned int flags`: 0 today (cb_wait_flags), and
 * CB_EINVAL for unknown bits. In a child after fork() they fail with
 * CB_ESTATE (see the fork rule in testbed.h).
 */
#ifndef CLOUBED_WAIT_H
#define CLOUBED_WAIT_H

#include <cloubed/common.h>
#include <cloubed/types.h>

CB_BEGIN_DECLS

/** Flags of the waits and the event calls: none yet, pass 0. */
typedef enum cb_wait_flags {
    CB_WAIT_FLAGS_NONE = 0, /**< no flag, the only value today */
} cb_wait_flags;

/**
 * cb_domain_wait_event:
 * @d:          the domain.
 * @event:      "type:detail" or "type" (any detail), as libvirt 9.0 names
 *              them, case-insensitive: defined:{added,updated,renamed,
 *              from_snapshot}, undefined:{removed,renamed}, started:{booted,
 *              migrated,restored,from_snapshot,wakeup,recreated},
 *              suspended:{paused,migrated,ioerror,watchdog,restored,
 *              from_snapshot,api_error,postcopy,postcopy_failed},
 *              resumed:{unpaused,migrated,from_snapshot,postcopy,
 *              postcopy_failed}, stopped:{shutdown,destroyed,crashed,migrated,
 *              saved,failed,from_snapshot}, shutdown:{finished,guest,host},
 *              pmsuspended:{memory,disk}, crashed:{panicked,crashloaded}.
 * @timeout_ms: how long to wait; negative: for ever.
 * @flags:      0.
 *
 * Returns as soon as the domain's queue holds a matching event, which may
 * already have happened. The queue is read in order: a successful wait
 * consumes the event it returns and every older one, so a second identical
 * wait waits for the next such event. A wait that fails consumes nothing.
 *
 * Errors: CB_EINVAL at once for an unknown event name (the message lists the
 * known ones) or unknown flags, CB_ETIMEOUT, CB_ESTATE when the domain stops (crash, destroy
 * from outside) and so can no longer produce @event ("domain vm stopped
 * (destroyed) while waiting for shutdown"; waits for started, defined and
 * undefined events go on), CB_ELIBVIRT when the connection to libvirt is
 * lost (never a hang: the next call connects again), or when it cannot be
 * opened.
 * Thread-safety: any thread; several threads may wait on one domain, each
 * event then satisfies one of them.
 */
CB_EXTERN(int) cb_domain_wait_event(cb_domain *d, const char *event, int timeout_ms,
                                    unsigned int flags);

/**
 * cb_domain_state_is_after:
 * @d:     the domain.
 * @event: an event name, as for cb_domain_wait_event().
 * @flags: 0.
 *
 * Returns 1 when the domain is now in the state that @event leaves it in
 * (with libvirt's matching reason when a detail is given: "stopped:shutdown"
 * means shut off because the guest shut down), 0 when it is not, or when
 * the event leaves no lasting state (defined, undefined, shutdown:guest...),
 * or a negative CB_E* code.
 *
 * For one-shot programs (the cloubed command's wait): events that happened
 * before a process connected cannot reach its queue, but the state they left
 * can be seen. A long-lived program needs it not: its queue sees everything.
 * Errors: CB_EINVAL (unknown event name or flags), CB_ELIBVIRT.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_state_is_after(cb_domain *d, const char *event, unsigned int flags);

/**
 * cb_domain_clear_events:
 * @d:     the domain.
 * @flags: 0.
 *
 * Drops every event received for the domain and not yet consumed, so that
 * the next wait only sees what happens from now on.
 * Errors: CB_EINVAL (NULL handle, unknown flags). Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_clear_events(cb_domain *d, unsigned int flags);

/**
 * cb_event_cb:
 * @d:       the domain the event is about.
 * @type:    the event's type ("stopped"); static string.
 * @detail:  its detail ("shutdown"); static string.
 * @payload: as given to cb_testbed_add_event_listener().
 *
 * Called from the event loop's thread, after the event was queued: it must
 * be quick, and may call any libcloubed function except cb_testbed_free(),
 * cb_testbed_remove_event_listener() included.
 */
typedef void (*cb_event_cb)(cb_domain *d, const char *type, const char *detail, void *payload);

/**
 * cb_free_cb:
 * @payload: as given with the callback it goes with.
 *
 * Releases a payload once the library no longer uses it.
 */
typedef void (*cb_free_cb)(void *payload);

/**
 * cb_testbed_add_event_listener:
 * @id:      receives the listener's id (>= 0), for
 *           cb_testbed_remove_event_listener(); -1 on failure.
 * @tb:      the testbed.
 * @cb:      called for every lifecycle event of the testbed's domains.
 * @payload: passed to @cb and @free_cb; may be NULL.
 * @free_cb: called once with @payload when the listener is gone (removed,
 *           or its testbed freed) and @cb will never run again; may be NULL.
 * @flags:   0.
 *
 * Calls @cb for every lifecycle event of the testbed's domains from now on
 * (connecting to libvirt if needed; a listener survives reconnections).
 * Events still reach the domains' queues: listening consumes nothing.
 *
 * Returns 0, or a negative CB_E* code (CB_EINVAL for NULL arguments or
 * unknown flags, CB_ENOMEM, CB_ELIBVIRT, CB_ESTATE after fork), in which case
 * @free_cb is not called: @payload stays the caller's.
 * Ownership: @payload is the library's from success until @free_cb runs.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_testbed_add_event_listener(int *id, cb_testbed *tb, cb_event_cb cb,
                                             void *payload, cb_free_cb free_cb,
                                             unsigned int flags);

/**
 * cb_testbed_remove_event_listener:
 * @tb: the testbed.
 * @id: as given by cb_testbed_add_event_listener().
 * @flags: 0.
 *
 * Removes a listener. When this returns, the listener's callback is not
 * running and never runs again: a delivery in progress in another thread
 * is waited for (never for a time). Called from a listener itself (in the
 * event loop's thread), it does not wait for the callback that is running
 * there, which is the caller; no other delivery calls the removed listener.
 * @free_cb runs once the callback has returned for the last time: before
 * this returns, or, when called from a listener, when that listener
 * returns.
 *
 * Errors: CB_EINVAL (NULL handle, unknown flags), CB_ENOTFOUND (no such id,
 * or removed already).
 * Thread-safety: any thread, including a listener's.
 */
CB_EXTERN(int) cb_testbed_remove_event_listener(cb_testbed *tb, int id, unsigned int flags);

/**
 * cb_domain_wait_tcp:
 * @d:          the domain.
 * @port:       TCP port, 1 to 65535.
 * @timeout_ms: how long to wait; negative: for ever.
 * @flags:      0.
 *
 * Waits until a TCP connection to the domain succeeds on any of its netifs:
 * each round tries every address that cb_domain_get_addresses() gives (the
 * static `ip` of a netif, else what the network's DHCP server leased to its
 * MAC, looked up again until one is known), in file order. Each attempt uses
 * a fresh non-blocking socket, closed at once.
 *
 * Errors: CB_EINVAL (no netif, bad port, unknown flags), CB_ETIMEOUT (the message says
 * whether no address was known yet or the port did not answer),
 * CB_ESTATE when the domain stops while waiting, CB_ELIBVIRT (the
 * connection to libvirt lost: never a hang). Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_wait_tcp(cb_domain *d, unsigned int port, int timeout_ms,
                                  unsigned int flags);

/**
 * cb_domain_wait_ssh:
 * @d:          the domain.
 * @timeout_ms: how long to wait; negative: for ever.
 * @flags:      0.
 *
 * Waits until an SSH server answers on port 22 of the domain: as
 * cb_domain_wait_tcp(), each attempt on every known address of its netifs,
 * but an attempt succeeds only when the server's first bytes are the
 * protocol banner "SSH-" (an sshd that accepts and closes while it starts
 * is not ready). The readiness kind "ssh" of cb_testbed_up().
 *
 * Errors: as cb_domain_wait_tcp(). Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_wait_ssh(cb_domain *d, int timeout_ms, unsigned int flags);

/** The addresses of a domain, one entry per netif (opaque; see below). */
typedef struct cb_addresses cb_addresses;

/** Where an address of cb_addresses comes from. */
typedef enum cb_address_source {
    CB_ADDRESS_NONE = 0,   /**< none known (yet): cb_addresses_ip() is NULL */
    CB_ADDRESS_STATIC,     /**< the netif's `ip` in the testbed file */
    CB_ADDRESS_LEASE,      /**< the network's DHCP lease for the netif's MAC */
    CB_ADDRESS_AGENT,      /**< the guest agent (CB_ADDRESSES_SRC_AGENT) */
} cb_address_source;

/** Flags of cb_domain_get_addresses(). 0 means static, else DHCP lease. */
typedef enum cb_addresses_flags {
    /** Look only at DHCP leases, ignoring static `ip`s. */
    CB_ADDRESSES_SRC_LEASE = 1 << 0,
    /** Ask the guest agent instead (agent.h): every address of every
     *  interface of the guest, IPv6 and loopback included. */
    CB_ADDRESSES_SRC_AGENT = 1 << 1,
} cb_addresses_flags;

/**
 * cb_domain_get_addresses:
 * @out:   receives the list.
 * @d:     the domain.
 * @flags: a bitwise or of cb_addresses_flags; 0 for the default sources.
 *
 * The IPv4 address of each netif of the domain, in file order, as
 * cb_domain_wait_tcp() finds them: the netif's static `ip`, else what the
 * network's DHCP server leased to its MAC (CB_ADDRESSES_SRC_LEASE: the lease
 * only). A netif without a known address is listed with a NULL ip and
 * CB_ADDRESS_NONE; a domain without netifs gives an empty list.
 *
 * With CB_ADDRESSES_SRC_AGENT (not with CB_ADDRESSES_SRC_LEASE) the list is
 * what the guest agent reports instead (virDomainInterfaceAddresses, agent
 * source): one entry per address of every interface of the guest, in the
 * agent's order, IPv4 and IPv6 (as text, without the prefix length),
 * loopback included, each with CB_ADDRESS_AGENT, its interface's MAC, and
 * the network of the netif with that MAC (NULL for an interface that is no
 * netif, such as lo). The agent must run (cb_domain_wait_agent()).
 *
 * Ownership: *out is the caller's, freed with cb_addresses_free(); NULL on
 * failure.
 * Errors: CB_EINVAL (NULL argument, unknown flags, both sources),
 * CB_EUNSUPPORTED (CB_ADDRESSES_SRC_AGENT: no agent answers), CB_ELIBVIRT,
 * CB_ENOMEM, CB_ENOTFOUND (agent source: the domain is not defined),
 * CB_ESTATE (after fork; agent source: the domain is not running).
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_get_addresses(cb_addresses **out, cb_domain *d, unsigned int flags);

/**
 * cb_addresses_count / cb_addresses_network / cb_addresses_mac /
 * cb_addresses_ip / cb_addresses_source:
 * @a: the list; NULL gives 0, NULL or CB_ADDRESS_NONE.
 * @i: an index, from 0 to the count less 1.
 *
 * The number of entries (the domain's netifs, or the agent's addresses),
 * and for entry @i: the YAML name of its network (agent: NULL when none),
 * its MAC ("52:54:00:..."), its IPv4 (agent: or IPv6) address as text
 * (NULL when none is known yet) and where that comes from. Out of range:
 * NULL (CB_ADDRESS_NONE).
 * Ownership: borrowed from the list, valid until cb_addresses_free().
 * Thread-safety: any thread; the list is immutable.
 */
CB_EXTERN(size_t) cb_addresses_count(const cb_addresses *a);
CB_EXTERN(const char *) cb_addresses_network(const cb_addresses *a, size_t i);
CB_EXTERN(const char *) cb_addresses_mac(const cb_addresses *a, size_t i);
CB_EXTERN(const char *) cb_addresses_ip(const cb_addresses *a, size_t i);
CB_EXTERN(cb_address_source) cb_addresses_source(const cb_addresses *a, size_t i);

/**
 * cb_addresses_free:
 * @a: the list, the caller's until this call; NULL is accepted.
 *
 * Frees the list and its strings.
 */
CB_EXTERN(void) cb_addresses_free(cb_addresses *a);

/**
 * cb_domain_wait_console:
 * @d:          the domain.
 * @text:       the text to find (bytes, may span lines).
 * @timeout_ms: how long to wait; negative: for ever.
 * @flags:      0.
 *
 * Waits until the domain's serial console log (cb_domain_console_log)
 * contains @text, reading only what earlier waits did not consume: a
 * successful wait consumes the console up to the end of the match, so a
 * second identical wait waits for the next occurrence. Booting the domain
 * starts a new log and reading starts again from its beginning, whoever
 * booted it (a new file is told by its identity, not its size); a log that
 * virtlogd rotates (renamed to .0) is read to its end, then the new one.
 * File changes are watched with inotify, not polled.
 *
 * Errors: CB_EINVAL (NULL or empty arguments, unknown flags), CB_ETIMEOUT,
 * CB_EIO, CB_ESTATE when the domain stops while waiting (or after fork),
 * CB_ELIBVIRT (the connection to libvirt lost).
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_wait_console(cb_domain *d, const char *text, int timeout_ms,
                                      unsigned int flags);

CB_END_DECLS

#endif /* CLOUBED_WAIT_H */
