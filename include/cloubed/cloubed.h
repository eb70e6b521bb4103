/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * cloubed.h: the umbrella header; include only this one.
 *
 * Conventions, valid for every call (libgit2's and libvirt's):
 *  1. Every public symbol starts with cb_; handles are opaque. Out-parameters
 *     come first, `unsigned int flags` comes last, a callback's payload is
 *     its last argument. A call returns 0, a count, or a negative CB_E* code
 *     described by cb_error_last(); a call that fails sets *out to NULL (or
 *     0) before it returns.
 *  2. Strings: every string the library hands over comes through a
 *     `char **out` and is the caller's, freed with free(). There is no
 *     cb_free(): Linux has one libc per process, and libvirt's
 *     virDomainGetXMLDesc() works the same way. Lists come as opaque handles
 *     (cb_vars, cb_addresses) freed with their own _free function. A
 *     `const char *` result is borrowed from its handle.
 *  3. Growth: every call that may grow takes `unsigned int flags` (0 today
 *     unless its header lists flags) or a versioned options struct (first
 *     field `version`, initialised with its _INIT macro). Unknown flag bits
 *     and unknown option versions fail with CB_EINVAL, as with libvirt's
 *     virCheckFlags: a program built against newer headers learns at once
 *     that this library does not know what it asks for.
 *  4. Pure accessors (name, path, count, at, lookup by name, _free) take no
 *     flags and never fail for a valid handle.
 *  5. Threads: see testbed.h. A testbed belongs to the process that opened
 *     it: after fork() the child must not use its parent's testbeds (not
 *     even cb_testbed_free()); it opens its own with cb_testbed_open(). Calls
 *     that reach libvirt, the waits and the HTTP server check this and fail
 *     with CB_ESTATE in a child.
 *  6. The library never prints: see log.h.
 */
#ifndef CLOUBED_H
#define CLOUBED_H

#include <cloubed/common.h>
#include <cloubed/errors.h>
#include <cloubed/log.h>
#include <cloubed/types.h>
#include <cloubed/testbed.h>
#include <cloubed/domain.h>
#include <cloubed/network.h>
#include <cloubed/storage.h>
#include <cloubed/wait.h>
#include <cloubed/templates.h>
#include <cloubed/http.h>
#include <cloubed/up.h>
#include <cloubed/agent.h>
#include <cloubed/snapshot.h>

#endif /* CLOUBED_H */
