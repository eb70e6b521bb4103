/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * host.h: the host profile and the choice between KVM and TCG (internal).
 */
#ifndef CB_INTERNAL_HOST_H
#define CB_INTERNAL_HOST_H

#include <stdbool.h>

#include "testbed.h"

/* Returns a copy of the host profile, deciding it on first use. */
struct host_profile tb_host(cb_testbed *tb);

/* Applies the rule's first two steps at open: OPTION ("kvm"/"qemu"), else
 * $CLOUBED_VIRT_TYPE, else automatic. CB_EINVAL for any other value. */
int host_choose_virt_type(cb_testbed *tb, const char *option);

/* Refines the profile from the connected host's capabilities. Takes the
 * strings it keeps (setting the pointers to NULL); the caller frees the rest. */
void host_from_capabilities(cb_testbed *tb, bool kvm_offered, bool test_driver, char **arch,
                            char **emulator, char **machine);

/* Whether a failed start's libvirt MESSAGE says that QEMU cannot use KVM. */
bool host_is_kvm_failure(const char *message);

/* After a start of DOMAIN under kvm failed with MESSAGE: switches an
 * automatic testbed to TCG for good (once, remembering why) and returns
 * true, so that the caller defines and starts the domain again; returns
 * false when the type was chosen explicitly. Thread-safe. */
bool host_fall_back_to_tcg(cb_testbed *tb, const char *domain, const char *message);

/* Logs, once per testbed, why its domains run under TCG when the library
 * chose it (nothing when the caller chose qemu, or on libvirt's test driver). */
void host_warn_tcg_once(cb_testbed *tb);

/* What a wait that saw no guest output adds under kvm. Static string. */
const char *host_kvm_hint(void);

#endif
