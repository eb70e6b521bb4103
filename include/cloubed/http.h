/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * http.h: the installer HTTP server: what the testbed says is served,
 * read-only, for what network installs fetch (kernels, initrds, preseed or
 * kickstart files, iPXE scripts), at ${network.NET.http_server} in templates.
 *
 * Served, at their path relative to the testbed directory: the template
 * outputs of the testbed's domains, the networks' PXE TFTP roots and the
 * `http: {root}` directory, when inside the testbed directory. Never the
 * storage pools, the state directory (.cloubed), the testbed file, nor a
 * hidden name (".git") inside a served directory: those are "not found".
 * GET and HEAD only; files only (no listings); never anything outside the
 * served directory ("..", encoded or not, absolute paths and symbolic links leading
 * out are refused by the kernel: openat2 with RESOLVE_BENEATH); FIFOs, devices
 * and sockets are refused (403), never opened in a way that blocks. Each request
 * is logged at info level through the testbed's log callback.
 */
#ifndef CLOUBED_HTTP_H
#define CLOUBED_HTTP_H

#include <cloubed/common.h>
#include <cloubed/types.h>

CB_BEGIN_DECLS

/** Flags of cb_testbed_http_start(). */
typedef enum cb_http_flags {
    /** Accept the wildcard address 0.0.0.0 (every interface of the host). */
    CB_HTTP_ALLOW_WILDCARD = 1 << 0,
} cb_http_flags;

/**
 * cb_testbed_http_start:
 * @tb:      the testbed.
 * @address: the IPv4 address to listen on.
 * @port:    the TCP port; 0 for the testbed's (`http_port`, default 5432).
 * @flags:   a bitwise or of cb_http_flags.
 *
 * Starts serving what the testbed serves on address:port, in threads of
 * its own, until cb_testbed_http_stop() or cb_testbed_free(). Starting a
 * server that already runs on the same address and port does nothing. The
 * wildcard address 0.0.0.0 is refused unless @flags has
 * CB_HTTP_ALLOW_WILDCARD.
 *
 * Errors: CB_EINVAL (NULL arguments, a bad address, 0.0.0.0 without
 * CB_HTTP_ALLOW_WILDCARD, unknown flags), CB_ECONFLICT (the port is in use:
 * an error, not a warning), CB_EIO, CB_ESTATE (after fork, see testbed.h).
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_testbed_http_start(cb_testbed *tb, const char *address, unsigned int port,
                                     unsigned int flags);

/**
 * cb_domain_http_start:
 * @d:     the domain.
 * @flags: 0 (CB_HTTP_ALLOW_WILDCARD is meaningless here: CB_EINVAL).
 *
 * cb_testbed_http_start() on the host's address of the first network of @d
 * that has one (the gateway its installer sees), with the testbed's port.
 * Errors: as cb_testbed_http_start(), and CB_ENOTFOUND when no network of
 * the domain has an address. Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_http_start(cb_domain *d, unsigned int flags);

/**
 * cb_testbed_http_stop:
 * @tb:    the testbed.
 * @flags: 0.
 *
 * Stops every HTTP server of the testbed; requests in progress are
 * finished first. Errors: CB_EINVAL (NULL handle, unknown flags).
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_testbed_http_stop(cb_testbed *tb, unsigned int flags);

/**
 * cb_testbed_http_port:
 * @tb: the testbed; NULL gives 0.
 *
 * The testbed's HTTP port (`http_port`, 5432 by default); 0 for NULL.
 * Thread-safety: any thread.
 */
CB_EXTERN(unsigned int) cb_testbed_http_port(const cb_testbed *tb);

CB_END_DECLS

#endif /* CLOUBED_HTTP_H */
