/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * cloubed.h: the umbrella header; include only this one.
 *
 * Conventions, valid for every call:
 *  - every public symbol starts with cb_; handles are opaque;
 *  - failure is a negative CB_E* code (or NULL), described by cb_error_last();
 *  - out-parameters come first, a callback's payload comes last;
 *  - what a call returns through **out is the caller's and is freed with the
 *    type's _free function; other returned pointers are borrowed;
 *  - the library never prints: see log.h.
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

#endif /* CLOUBED_H */
