/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * agent.h: acting inside a running guest through the QEMU guest agent:
 * running programs, reading and writing files, waiting for the agent.
 *
 * Every domain gets the agent's virtio-serial channel
 * (org.qemu.guest_agent.0); the guest must run qemu-guest-agent on it.
 * Requests go through libvirt (virDomainQemuAgentCommand, libvirt-qemu), so
 * they work on any URI whose daemon runs QEMU, remote ones included; no
 * network reaches the guest.
 *
 * A guest without a running agent fails at once with CB_EUNSUPPORTED
 * ("domain D: the QEMU guest agent is not connected (qemu-guest-agent must
 * run in the guest)"), except cb_domain_wait_agent(), which waits for it.
 * Calls fail with CB_ENOTFOUND when the domain is not defined in libvirt,
 * CB_ESTATE when it is not running, CB_ELIBVIRT (libvirt's text kept) when
 * the agent answers with an error.
 *
 * Limits measured with libvirt 9.0 and qemu-ga 7.2: libvirt carries an
 * agent reply of at most about 4 MiB of JSON (beyond: "Unable to encode
 * message payload"); qemu-ga itself keeps at most 16 MiB of each stream
 * of a program it runs and reports what it dropped; and qemu-ga fails
 * requests of a few hundred KB (266 KB: "JSON parse error"; 530 KB hung
 * it), so that writes go in chunks of 48 KiB and a program's stdin is
 * limited to CB_EXEC_INPUT_MAX.
 *
 * Thread-safety: every call may run from any thread, on the same domain at
 * once (the agent answers one request at a time; libvirt queues them). In
 * a child after fork() they fail with CB_ESTATE (see testbed.h).
 */
#ifndef CLOUBED_AGENT_H
#define CLOUBED_AGENT_H

#include <stddef.h>

#include <cloubed/common.h>
#include <cloubed/types.h>

CB_BEGIN_DECLS

/**
 * CB_EXEC_OUTPUT_MAX_DEFAULT:
 * How many bytes of each of stdout and stderr cb_domain_exec() keeps when
 * cb_exec_options.output_max is 0: 1 MiB. What a program writes beyond its
 * cap is dropped and flagged by cb_exec_result_truncated(). The whole
 * output must still come back through libvirt: beyond about 3 MiB of stdout
 * and stderr together (4 MiB of base64 in JSON) the call fails with
 * CB_EIO whatever the cap, and qemu-ga keeps no more than 16 MiB per stream.
 */
#define CB_EXEC_OUTPUT_MAX_DEFAULT ((size_t)1 << 20)

/**
 * CB_EXEC_INPUT_MAX:
 * The most bytes cb_exec_options.input may hold: 64 KiB (it travels in
 * the request, base64, and qemu-ga fails requests of a few hundred KB).
 * Larger input: write it to a file first (cb_domain_file_write()).
 */
#define CB_EXEC_INPUT_MAX ((size_t)64 << 10)

/** Bits of cb_exec_result_truncated(). */
typedef enum cb_exec_truncated {
    CB_EXEC_STDOUT_TRUNCATED = 1 << 0, /**< stdout was longer than the cap */
    CB_EXEC_STDERR_TRUNCATED = 1 << 1, /**< stderr was longer than the cap */
} cb_exec_truncated;

/** What a program run in the guest did (opaque; see the accessors). */
typedef struct cb_exec_result cb_exec_result;

/**
 * CB_EXEC_OPTIONS_VERSION:
 *
 * The version of cb_exec_options that these headers describe: 1. Callers
 * must set cb_exec_options.version, which CB_EXEC_OPTIONS_INIT sets to this
 * value; cb_domain_exec() fails with CB_EINVAL for a version it does not
 * know.
 */
#define CB_EXEC_OPTIONS_VERSION 1
/**
 * cb_exec_options:
 * How cb_domain_exec() runs a program. Versioned: start from
 * CB_EXEC_OPTIONS_INIT; fields are appended, never moved.
 * @version:    CB_EXEC_OPTIONS_VERSION.
 * @env:        NULL-terminated "NAME=VALUE" list: the program's whole
 *              environment (nothing is inherited from the agent), or NULL:
 *              the agent's own. The program is looked up in the agent's
 *              PATH either way.
 * @input:      bytes given to the program's stdin, then closed; NULL: an
 *              empty stdin.
 * @input_len:  how many, at most CB_EXEC_INPUT_MAX.
 * @timeout_ms: for the whole call (default 60 s); negative: none. On
 *              timeout the program is killed (SIGKILL, through the agent's
 *              own guest-exec of kill) and the call fails with CB_ETIMEOUT.
 * @output_max: bytes kept of each of stdout and stderr; 0:
 *              CB_EXEC_OUTPUT_MAX_DEFAULT.
 * @flags:      0 (none yet).
 */
typedef struct cb_exec_options {
    unsigned int version;
    const char *const *env;
    const void *input;
    size_t input_len;
    int timeout_ms;
    size_t output_max;
    unsigned int flags;
} cb_exec_options;

/**
 * CB_EXEC_OPTIONS_INIT:
 *
 * The initialiser of a cb_exec_options: version CB_EXEC_OPTIONS_VERSION,
 * the agent's environment, an empty stdin, a timeout of 60000 ms, output
 * kept up to CB_EXEC_OUTPUT_MAX_DEFAULT per stream, no flags; the same as
 * passing NULL options. Write `cb_exec_options o = CB_EXEC_OPTIONS_INIT;`,
 * then set the fields you need: the version must be set, and this sets it.
 */
#define CB_EXEC_OPTIONS_INIT { CB_EXEC_OPTIONS_VERSION, NULL, NULL, 0, 60000, 0, 0 }

/**
 * cb_domain_exec:
 * @result: receives what the program did; free with cb_exec_result_free().
 * @d:      a running domain whose guest runs qemu-guest-agent.
 * @argv:   NULL-terminated; argv[0] is the program (a path, or a name looked
 *          up in the agent's PATH), the rest its arguments.
 * @opts:   NULL for CB_EXEC_OPTIONS_INIT's defaults.
 *
 * Runs a program in the guest (the agent's guest-exec, capturing stdout and
 * stderr), waits for it to end (guest-exec-status, polled every 10 ms at
 * first, then less often, up to every 200 ms) and returns its exit status
 * and output. A program that ran and failed is a success of this call: look
 * at cb_exec_result_exit_status().
 *
 * Errors: CB_EINVAL (NULL or empty argv, unknown options version or flags,
 * input longer than CB_EXEC_INPUT_MAX),
 * CB_ENOTFOUND when the agent cannot start the program (the agent's own
 * message: "Failed to execute child process "x" (No such file or
 * directory)"), CB_ETIMEOUT (the program was killed), CB_EUNSUPPORTED (no
 * agent), CB_ESTATE (domain not running), CB_EIO (output too large for
 * libvirt, see CB_EXEC_OUTPUT_MAX_DEFAULT), CB_ELIBVIRT.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_exec(cb_exec_result **result, cb_domain *d, const char *const *argv,
                              const cb_exec_options *opts);

/**
 * cb_domain_exec_shell:
 * @result:  as for cb_domain_exec().
 * @d:       the domain.
 * @command: a shell command line, run as `/bin/sh -c COMMAND`.
 * @opts:    as for cb_domain_exec().
 *
 * cb_domain_exec() of /bin/sh -c @command. Errors and thread-safety: those
 * of cb_domain_exec().
 */
CB_EXTERN(int) cb_domain_exec_shell(cb_exec_result **result, cb_domain *d, const char *command,
                                    const cb_exec_options *opts);

/**
 * cb_exec_result_exit_status:
 * @r: the result of cb_domain_exec().
 *
 * Returns the program's exit code (0 to 255), or -1 when a signal killed
 * it (see cb_exec_result_signal()) or @r is NULL. Thread-safety: any thread.
 */
CB_EXTERN(int) cb_exec_result_exit_status(const cb_exec_result *r);

/**
 * cb_exec_result_signal:
 * @r: the result of cb_domain_exec(); NULL gives 0.
 *
 * Returns the signal that killed the program, or 0 when it exited.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_exec_result_signal(const cb_exec_result *r);

/**
 * cb_exec_result_stdout:
 * @r:   the result of cb_domain_exec(); NULL gives NULL (and 0 in *@len).
 * @len: receives the length in bytes (the output may hold NUL bytes); may
 *       be NULL.
 *
 * Returns what the program wrote on stdout, at most the cap, followed by a
 * NUL byte; "" when nothing. Borrowed from @r, valid until
 * cb_exec_result_free(). Thread-safety: any thread.
 */
CB_EXTERN(const char *) cb_exec_result_stdout(const cb_exec_result *r, size_t *len);

/**
 * cb_exec_result_stderr:
 * @r:   the result of cb_domain_exec(); NULL gives NULL (and 0 in *@len).
 * @len: receives the length in bytes; may be NULL.
 *
 * The same as cb_exec_result_stdout() for stderr.
 */
CB_EXTERN(const char *) cb_exec_result_stderr(const cb_exec_result *r, size_t *len);

/**
 * cb_exec_result_truncated:
 * @r: the result of cb_domain_exec(); NULL gives 0.
 *
 * Returns a bitwise or of cb_exec_truncated: which streams were cut at the
 * cap (or by the agent's own 16 MiB limit). Thread-safety: any thread.
 */
CB_EXTERN(unsigned int) cb_exec_result_truncated(const cb_exec_result *r);

/**
 * cb_exec_result_free:
 * @r: the result, the caller's until this call; NULL is allowed.
 *
 * Frees the result and its output.
 */
CB_EXTERN(void) cb_exec_result_free(cb_exec_result *r);

/**
 * cb_domain_file_write:
 * @d:          the domain.
 * @guest_path: absolute path in the guest; created or truncated (mode as
 *              the agent's umask gives).
 * @data:       the bytes (may be NULL when @len is 0).
 * @len:        how many.
 * @flags:      0.
 *
 * Writes a file in the guest (guest-file-open, guest-file-write in chunks
 * of 48 KiB, guest-file-close; base64 in between): about 0.3 s per 100 KB
 * under TCG on a busy host.
 * Errors: CB_EINVAL, CB_ELIBVIRT (the agent's message: no such directory,
 * permission...), CB_EUNSUPPORTED (no agent), CB_ESTATE.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_file_write(cb_domain *d, const char *guest_path, const void *data,
                                    size_t len, unsigned int flags);

/**
 * cb_domain_file_read:
 * @data:       receives the bytes followed by a NUL byte (not counted);
 *              free with free().
 * @len:        receives how many.
 * @d:          the domain.
 * @guest_path: the file in the guest.
 * @max_len:    fail rather than read more than this; 0: no limit.
 * @flags:      0.
 *
 * Reads a whole file of the guest, in chunks of 1 MiB.
 * Errors: CB_EINVAL, CB_EIO when the file is longer than @max_len,
 * CB_ELIBVIRT (the agent's message), CB_EUNSUPPORTED, CB_ESTATE.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_file_read(void **data, size_t *len, cb_domain *d, const char *guest_path,
                                   size_t max_len, unsigned int flags);

/**
 * cb_domain_copy_to:
 * @d:          the domain.
 * @host_path:  a file of this host (of the calling process, not of the
 *              libvirt daemon).
 * @guest_path: where it goes in the guest (created or truncated).
 * @flags:      0.
 *
 * Copies a host file into the guest, streamed in chunks of 48 KiB.
 * Errors: those of cb_domain_file_write(), and CB_EIO when @host_path
 * cannot be read. Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_copy_to(cb_domain *d, const char *host_path, const char *guest_path,
                                 unsigned int flags);

/**
 * cb_domain_copy_from:
 * @d:          the domain.
 * @guest_path: the file in the guest.
 * @host_path:  where it goes on this host: written to a temporary file in
 *              the same directory, renamed over @host_path when complete.
 * @flags:      0.
 *
 * Copies a guest file to the host, streamed in chunks of 1 MiB.
 * Errors: those of cb_domain_file_read(), and CB_EIO when @host_path cannot
 * be written (then nothing is left behind). Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_copy_from(cb_domain *d, const char *guest_path, const char *host_path,
                                   unsigned int flags);

/**
 * cb_domain_wait_agent:
 * @d:          the domain.
 * @timeout_ms: how long to wait; negative: for ever.
 * @flags:      0.
 *
 * Waits until the guest agent answers guest-ping. Sleeps on libvirt's agent
 * lifecycle event (the agent opened its channel), pings at once and after
 * each such event, and at the latest every 2 s in case an agent connects
 * without libvirt telling. Ends early when the domain stops or the
 * connection to libvirt is lost, as the other waits do (wait.h).
 *
 * Errors: CB_ETIMEOUT "domain D: no guest agent answered within N s
 * (qemu-guest-agent must run in the guest)", CB_EUNSUPPORTED when the
 * domain has no agent channel, CB_ESTATE when the domain stops (or is not
 * running), CB_ELIBVIRT, CB_EINVAL.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_wait_agent(cb_domain *d, int timeout_ms, unsigned int flags);

/**
 * cb_domain_sync_clock:
 * @d:          a running domain whose guest runs qemu-guest-agent.
 * @timeout_ms: for the whole call, the wait for the agent included; -1
 *              waits for the agent as long as it takes.
 * @flags:      0.
 *
 * Sets the guest's clock to the host's: waits until the guest agent
 * answers (as cb_domain_wait_agent()), reads the host's time (UTC), and
 * sends it with the agent's guest-set-time, which sets the guest's system
 * time and then writes it to the guest's hardware clock (qemu-ga runs
 * /sbin/hwclock -w). The guest is late by the request's way through
 * libvirt, well under a second.
 *
 * For after cb_testbed_snapshot_revert(), which brings the guests' clocks
 * back to the snapshot's time (CB_SNAPSHOT_REVERT_SYNC_CLOCK does this for
 * every domain it reverts), or after a long pause.
 *
 * Errors: each message starts "cannot set the clock: " and names @d: the
 * errors of cb_domain_wait_agent() (CB_EUNSUPPORTED at once when the
 * domain has no agent channel or the driver no agent, as the test
 * driver); CB_ELIBVIRT with the agent's reason (a guest without
 * /sbin/hwclock refuses, its system time set all the same); CB_EINVAL (NULL
 * @d, unknown flags), without the prefix.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_sync_clock(cb_domain *d, int timeout_ms, unsigned int flags);

CB_END_DECLS

#endif /* CLOUBED_AGENT_H */
