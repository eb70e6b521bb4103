/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * call.h: sending requests to a domain's guest agent through libvirt
 * (internal).
 */
#ifndef CB_INTERNAL_AGENT_CALL_H
#define CB_INTERNAL_AGENT_CALL_H

#include <stdbool.h>

#include <libvirt/libvirt.h>

#include "testbed.h"

/* The live libvirt domain of D (a reference: virDomainFree), after the
 * fork rule; CB_ENOTFOUND when it is not defined. */
int agent_domain(cb_domain *d, virDomainPtr *dom);

/* Sends REQUEST (JSON) to the agent and sets *REPLY (free with free()).
 * TIMEOUT_MS: how long libvirt waits for the answer, rounded up to whole
 * seconds; negative: as long as it takes. WHAT names the request in
 * errors. Errors: CB_EUNSUPPORTED "domain D: the QEMU guest agent is not
 * connected (qemu-guest-agent must run in the guest): ..." (no agent, or no
 * channel), CB_ESTATE (not running), CB_EIO (a reply too large for
 * libvirt), CB_ELIBVIRT (the agent's error, libvirt's text kept). */
int agent_call(cb_domain *d, virDomainPtr dom, const char *request, int timeout_ms,
               const char *what, char **reply);
/* agent_call, telling on failure in *AGAIN whether the agent may answer
 * later: libvirt found the domain's agent channel but no agent on it
 * (VIR_ERR_AGENT_UNRESPONSIVE), rather than no channel (its "not
 * configured"), a driver without the agent's API, or another failure. */
int agent_call_again(cb_domain *d, virDomainPtr dom, const char *request, int timeout_ms,
                     const char *what, char **reply, bool *again);

/* wait_agent.c: cb_domain_wait_agent on DOM, D's live domain. */
int agent_wait(cb_domain *d, virDomainPtr dom, int timeout_ms);

#endif
