/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * testbed.h: opening a testbed file and finding its resources.
 *
 * Thread-safety of a testbed and its handles: the model read from the file
 * is immutable once cb_testbed_open() returns, so every lookup and accessor
 * may be called from any number of threads at once without locking. State
 * that changes after opening (the libvirt connection, the host profile, event
 * queues, the HTTP server) lives behind the testbed's own mutex, taken inside
 * the library; callers never lock. The only call that must not race with any
 * other call on the same testbed is cb_testbed_free().
 *
 * Fork rule: a testbed (its libvirt connection, the event loop's thread, the
 * HTTP threads, its mutexes) belongs to the process that opened it. After
 * fork() the child must not call anything on its parent's testbeds, not even
 * cb_testbed_free() (a mutex may be held by a thread that does not exist in
 * the child); it opens its own with cb_testbed_open(). Calls that reach
 * libvirt, the waits and the HTTP server check the process id and fail with
 * CB_ESTATE ("testbed opened by process P, used after fork in Q"); the
 * immutable accessors keep working, since they touch no shared state.
 */
#ifndef CLOUBED_TESTBED_H
#define CLOUBED_TESTBED_H

#include <cloubed/common.h>
#include <cloubed/types.h>
#include <cloubed/log.h>

CB_BEGIN_DECLS

/**
 * CB_TESTBED_OPTIONS_VERSION:
 *
 * The version of cb_testbed_options that these headers describe: 2 (version
 * 2 appended `instance`; version 1 callers are still accepted). Callers must
 * set cb_testbed_options.version, which CB_TESTBED_OPTIONS_INIT sets to this
 * value; cb_testbed_open() fails with CB_EINVAL for a version it does not
 * know.
 */
#define CB_TESTBED_OPTIONS_VERSION 2

/** Flags of cb_testbed_options. */
typedef enum cb_testbed_flags {
    /**
     * The application registers and runs a libvirt event loop itself
     * (virEventRegisterImpl or virEventRegisterDefaultImpl, before the first
     * testbed connects). Without this flag the library registers libvirt's
     * default implementation and runs it in one thread of its own, shared by
     * every testbed of the process and stopped with the last of them.
     */
    CB_TESTBED_EXTERNAL_EVENT_LOOP = 1 << 0,
} cb_testbed_flags;

/**
 * cb_testbed_options:
 *
 * Options of cb_testbed_open(). Initialise with CB_TESTBED_OPTIONS_INIT and
 * then set the fields you need: fields added later are appended and the
 * version field tells the library which ones the caller knows about.
 *
 * @version:     CB_TESTBED_OPTIONS_VERSION.
 * @uri:         libvirt URI; NULL means $LIBVIRT_DEFAULT_URI, else
 *               "qemu:///system". Used only when a call needs libvirt.
 * @user:        the user part of the namespace "user:testbed:name" given to
 *               every libvirt object; NULL means the effective user's name.
 * @virt_type:   the domain type, "kvm" or "qemu" (TCG). The rule:
 *               1. this field when not NULL;
 *               2. else the environment variable CLOUBED_VIRT_TYPE, "kvm" or
 *                  "qemu" (empty means unset; anything else makes
 *                  cb_testbed_open() fail with CB_EINVAL);
 *               3. else automatic: "kvm" when libvirt offers it (before a
 *                  connection: when /dev/kvm opens), "qemu" otherwise. When a
 *                  domain's start under kvm then fails because QEMU cannot use
 *                  KVM (the device cannot be opened, KVM cannot be
 *                  initialised, KVM refuses the CPU model), the testbed
 *                  switches to TCG for good: the domain is defined again
 *                  (same UUID) and started under "qemu", and one warning says
 *                  why and how to choose explicitly. An explicit choice (1 or
 *                  2) is never overridden: the start fails and says so.
 *               A KVM that starts QEMU but hangs the guest cannot be told
 *               from a slow guest at start: a console or TCP wait that times
 *               out on a guest that has printed nothing says so, and under
 *               kvm names CLOUBED_VIRT_TYPE=qemu.
 * @log_cb:      receives warnings and progress; NULL drops them.
 * @log_payload: passed to @log_cb as it is.
 * @flags:       a bitwise or of cb_testbed_flags; unknown bits fail with
 *               CB_EINVAL.
 * @instance:    (version 2) the instance name, so that one testbed file can
 *               run several times side by side (CI jobs); NULL or "" means
 *               none. It joins the namespace of everything the testbed makes:
 *               libvirt names become "user:testbed+instance:name", volume
 *               files live in PATH/INSTANCE of their pool's path, the state
 *               directory is DIR/.cloubed/testbed+instance, and generated
 *               MACs are salted with it. The same rule as a testbed name (at
 *               most 32 letters, digits, '.', '_' or '-', starting with a
 *               letter or a digit); otherwise CB_EINVAL. Version 1 callers
 *               get no instance.
 *
 * The strings are copied by cb_testbed_open(); the caller keeps ownership.
 */
typedef struct cb_testbed_options {
    unsigned int version;
    const char *uri;
    const char *user;
    const char *virt_type;
    cb_log_cb log_cb;
    void *log_payload;
    unsigned int flags;
    const char *instance;
} cb_testbed_options;

/**
 * CB_TESTBED_OPTIONS_INIT:
 *
 * The initialiser of a cb_testbed_options: version CB_TESTBED_OPTIONS_VERSION
 * and every other field NULL or 0, which are the defaults described there.
 * Write `cb_testbed_options o = CB_TESTBED_OPTIONS_INIT;`, then set the
 * fields you need: the version must be set, and this sets it.
 */
#define CB_TESTBED_OPTIONS_INIT { CB_TESTBED_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, NULL }

/**
 * cb_testbed_open:
 * @out:       receives the new testbed.
 * @yaml_path: the testbed file (the original tool's "cloubed.yaml"). Relative
 *             paths inside it are relative to its directory.
 * @opts:      options, or NULL for the defaults.
 *
 * Reads and validates the whole file: schema, values, cross-references and
 * consistency (unique names and MACs, subnets, DHCP ranges, static addresses).
 * Never contacts libvirt; the connection is made by the first call that needs
 * it. When it is made, libvirt's default error printing is silenced for the
 * whole process (libvirt offers no per-connection way before connecting):
 * every libvirt failure reaches the caller as a cb_error instead. Unknown and
 * deprecated keys are reported through the log callback as warnings and do
 * not fail.
 *
 * Ownership: on success *out belongs to the caller, who frees it with
 * cb_testbed_free(). On failure *out is set to NULL and nothing is allocated.
 * Errors: CB_EINVAL (NULL arguments, bad options, an unknown options
 * version or flag), CB_EIO (the file cannot be read), CB_ECONFIG (invalid
 * content; cb_error_last() gives file, line and column of the offending
 * node), CB_ENOMEM.
 * Thread-safety: safe to call from several threads at once.
 */
CB_EXTERN(int) cb_testbed_open(cb_testbed **out, const char *yaml_path,
                               const cb_testbed_options *opts);

/**
 * cb_testbed_open_memory:
 * @out:  receives the new testbed.
 * @buf:  the testbed text (YAML, the content of a "cloubed.yaml"); need not
 *        be NUL-terminated. NULL only when @len is 0.
 * @len:  its length in bytes (at most 16 MiB).
 * @name: names the text in error messages ("NAME:LINE:COLUMN: ...") and in
 *        cb_error_last()->file, where cb_testbed_open() puts the path;
 *        cb_testbed_path() returns it. Not opened: any string, such as
 *        "<stdin>" or the URL the text came from.
 * @dir:  the directory that relative paths in the text (pools, disks,
 *        templates, the PXE directory), the console logs (DIR/.cloubed/) and
 *        the HTTP server use, as the file's directory does for
 *        cb_testbed_open(); NULL means the current working directory. It
 *        must exist: it is made absolute now.
 * @opts: options, or NULL for the defaults.
 *
 * The same as cb_testbed_open() on a file holding @buf, without a file: reads
 * and validates the text, never contacts libvirt.
 *
 * Ownership: @buf, @name and @dir stay the caller's (copied or only read
 * during the call). On success *out belongs to the caller, who frees it with
 * cb_testbed_free(); on failure *out is set to NULL.
 * Errors: CB_EINVAL (@out or @name NULL, @buf NULL with @len not 0, bad
 * options), CB_EIO (@dir cannot be resolved), CB_ECONFIG (invalid content,
 * located in @name), CB_ENOMEM.
 * Thread-safety: safe to call from several threads at once.
 */
CB_EXTERN(int) cb_testbed_open_memory(cb_testbed **out, const char *buf, size_t len,
                                      const char *name, const char *dir,
                                      const cb_testbed_options *opts);

/**
 * cb_testbed_free:
 * @tb: the testbed, the caller's until this call; NULL is allowed.
 *
 * Frees the testbed and every handle obtained from it. It does not stop or
 * remove any libvirt object (see cb_testbed_cleanup for that). NULL is
 * accepted and ignored.
 *
 * Thread-safety: no other call may be running on this testbed or its handles.
 */
CB_EXTERN(void) cb_testbed_free(cb_testbed *tb);

/**
 * cb_testbed_name:
 * @tb: the testbed; NULL gives NULL.
 *
 * Returns the testbed's name (the `testbed` key).
 * Ownership: borrowed, valid until cb_testbed_free(). Thread-safety: any thread.
 */
CB_EXTERN(const char *) cb_testbed_name(const cb_testbed *tb);

/**
 * cb_testbed_path:
 * @tb: the testbed; NULL gives NULL.
 *
 * Returns the path of the testbed file as it was given to cb_testbed_open().
 * Ownership: borrowed, valid until cb_testbed_free(). Thread-safety: any thread.
 */
CB_EXTERN(const char *) cb_testbed_path(const cb_testbed *tb);

/**
 * cb_testbed_directory:
 * @tb: the testbed; NULL gives NULL.
 *
 * Returns the absolute directory of the testbed file, against which every
 * relative path of the file is resolved.
 * Ownership: borrowed, valid until cb_testbed_free(). Thread-safety: any thread.
 */
CB_EXTERN(const char *) cb_testbed_directory(const cb_testbed *tb);

/**
 * cb_testbed_user:
 * @tb: the testbed; NULL gives NULL.
 *
 * Returns the user part of the testbed's libvirt namespace.
 * Ownership: borrowed, valid until cb_testbed_free(). Thread-safety: any thread.
 */
CB_EXTERN(const char *) cb_testbed_user(const cb_testbed *tb);

/**
 * cb_testbed_instance:
 * @tb: the testbed; NULL gives NULL.
 *
 * Returns the instance name the testbed was opened with
 * (cb_testbed_options.instance), or NULL when it has none.
 * Ownership: borrowed, valid until cb_testbed_free(). Thread-safety: any thread.
 */
CB_EXTERN(const char *) cb_testbed_instance(const cb_testbed *tb);

/**
 * cb_testbed_domain_count / cb_testbed_domain_at / cb_testbed_domain:
 * @tb:   the testbed; NULL gives 0, or NULL with CB_EINVAL.
 * @i:    an index, from 0 to the count less 1.
 * @name: a YAML name, matched exactly; NULL gives NULL with CB_EINVAL.
 *
 * Enumerate the domains in file order, or find one by its YAML name.
 * cb_testbed_domain_at() returns NULL with CB_EINVAL for an index out of
 * range; cb_testbed_domain() returns NULL with CB_ENOTFOUND ("domain NAME not
 * found in configuration") for an unknown name.
 * Ownership: the handles are borrowed from the testbed.
 * Thread-safety: any thread.
 */
CB_EXTERN(size_t) cb_testbed_domain_count(const cb_testbed *tb);
CB_EXTERN(cb_domain *) cb_testbed_domain_at(cb_testbed *tb, size_t i);
CB_EXTERN(cb_domain *) cb_testbed_domain(cb_testbed *tb, const char *name);

/**
 * cb_testbed_network_count / cb_testbed_network_at / cb_testbed_network:
 * @tb:   the testbed; NULL gives 0, or NULL with CB_EINVAL.
 * @i:    an index, from 0 to the count less 1.
 * @name: a YAML name, matched exactly; NULL gives NULL with CB_EINVAL.
 *
 * The same for networks ("network NAME not found in configuration").
 */
CB_EXTERN(size_t) cb_testbed_network_count(const cb_testbed *tb);
CB_EXTERN(cb_network *) cb_testbed_network_at(cb_testbed *tb, size_t i);
CB_EXTERN(cb_network *) cb_testbed_network(cb_testbed *tb, const char *name);

/**
 * cb_testbed_storage_pool_count / cb_testbed_storage_pool_at /
 * cb_testbed_storage_pool:
 * @tb:   the testbed; NULL gives 0, or NULL with CB_EINVAL.
 * @i:    an index, from 0 to the count less 1.
 * @name: a YAML name, matched exactly; NULL gives NULL with CB_EINVAL.
 *
 * The same for storage pools, including the default pool `pool` that a file
 * without a `storagepools` section gets ("storage pool NAME not found in
 * configuration").
 */
CB_EXTERN(size_t) cb_testbed_storage_pool_count(const cb_testbed *tb);
CB_EXTERN(cb_storage_pool *) cb_testbed_storage_pool_at(cb_testbed *tb, size_t i);
CB_EXTERN(cb_storage_pool *) cb_testbed_storage_pool(cb_testbed *tb, const char *name);

/**
 * cb_testbed_storage_volume_count / cb_testbed_storage_volume_at /
 * cb_testbed_storage_volume:
 * @tb:   the testbed; NULL gives 0, or NULL with CB_EINVAL.
 * @i:    an index, from 0 to the count less 1.
 * @name: a YAML name, matched exactly; NULL gives NULL with CB_EINVAL.
 *
 * The same for storage volumes: the `storagevolumes` section first, then the
 * volumes declared inline in disks, in domain order ("storage volume NAME not
 * found in configuration").
 */
CB_EXTERN(size_t) cb_testbed_storage_volume_count(const cb_testbed *tb);
CB_EXTERN(cb_storage_volume *) cb_testbed_storage_volume_at(cb_testbed *tb, size_t i);
CB_EXTERN(cb_storage_volume *) cb_testbed_storage_volume(cb_testbed *tb, const char *name);

/**
 * cb_testbed_uri:
 * @tb: the testbed; NULL gives NULL.
 *
 * Returns the libvirt URI of the testbed: the one given in the options, or,
 * once connected, the one chosen from the environment; NULL before that.
 * Ownership: borrowed. Thread-safety: any thread.
 */
CB_EXTERN(const char *) cb_testbed_uri(const cb_testbed *tb);

/**
 * cb_testbed_cleanup:
 * @tb:    the testbed.
 * @flags: 0 (see cb_cleanup_flags in domain.h).
 *
 * Removes everything of the testbed and nothing else: its domains (destroyed
 * and undefined), its networks, its volumes, the storage pools it created
 * (never a pool it only used), the template output files cb_domain_gen() wrote
 * (recorded, and only while unchanged) and its console logs.
 * Only objects that carry the testbed's namespace (and, for domains and
 * networks, its metadata) are touched; objects already gone are not errors.
 * A failure does not stop the cleanup of the other objects; the call returns
 * the last failure.
 *
 * Errors: CB_EINVAL (NULL handle, unknown flags), CB_ELIBVIRT, CB_EIO.
 * Thread-safety: any thread; serialised with the testbed's boots.
 */
CB_EXTERN(int) cb_testbed_cleanup(cb_testbed *tb, unsigned int flags);

/** Formats of cb_testbed_status(). */
typedef enum cb_status_format {
    CB_STATUS_TEXT = 0, /**< the original tool's text */
    CB_STATUS_JSON = 1, /**< JSON, documented in docs/status-json.md */
} cb_status_format;

/**
 * cb_testbed_status:
 * @out:    receives the text.
 * @tb:     the testbed.
 * @format: CB_STATUS_TEXT or CB_STATUS_JSON.
 * @flags:  0.
 *
 * Describes the state of every pool, volume, network and domain of the
 * testbed in libvirt, in file order.
 *
 * Ownership: *out is the caller's, to free(); NULL on failure.
 * Errors: CB_EINVAL (NULL argument, unknown format or flags), CB_ELIBVIRT,
 * CB_ENOMEM. Thread-safety: any thread.
 */
CB_EXTERN(int) cb_testbed_status(char **out, cb_testbed *tb, cb_status_format format,
                                 unsigned int flags);

CB_END_DECLS

#endif /* CLOUBED_TESTBED_H */
