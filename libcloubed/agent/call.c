/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * call.c: the transport to the guest agent: libvirt-qemu's
 * virDomainQemuAgentCommand, which also synchronises with the agent
 * (guest-sync) before each request.
 */
#include <string.h>

#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>

#include "agent/call.h"
#include "util/error.h"
#include "virt/connection.h"
#include "virt/ops.h"

int agent_domain(cb_domain *d, virDomainPtr *dom)
{
    virConnectPtr c;
    int rc;

    *dom = NULL;
    if ((rc = pid_check(d->tb->opt.pid)) < 0 || (rc = tb_conn(d->tb, &c)) < 0)
        return rc;
    return domain_get(d->tb, c, d, dom);
}

int agent_call_again(cb_domain *d, virDomainPtr dom, const char *request, int timeout_ms,
                     const char *what, char **reply, bool *again)
{
    int secs = timeout_ms < 0 ? VIR_DOMAIN_QEMU_AGENT_COMMAND_BLOCK : timeout_ms / 1000 + 1;
    virErrorPtr e;

    *again = false;
    if ((*reply = virDomainQemuAgentCommand(dom, request, secs, 0)))
        return 0;
    e = virGetLastError();
    switch (e ? e->code : VIR_ERR_OK) {
    case VIR_ERR_AGENT_UNRESPONSIVE:
        /* a channel without its agent yet: one may connect */
        *again = true;
        /* fall through */
    case VIR_ERR_ARGUMENT_UNSUPPORTED: /* no channel: "not configured" */
        return lv_fail("domain %s: the QEMU guest agent is not connected (qemu-guest-agent "
                       "must run in the guest)", d->name);
    case VIR_ERR_RPC:
        /* libvirt's messages carry at most 4 MiB of string: a larger reply
         * (a program's output) cannot come back. */
        if (e->message && strstr(e->message, "encode")) {
            err_set(CB_EIO, "domain %s: the guest agent's reply to %s is too large for libvirt "
                            "(over 4 MiB of JSON): %s", d->name, what, e->message);
            virResetLastError();
            return CB_EIO;
        }
        break;
    default:
        break;
    }
    return lv_fail("domain %s: %s", d->name, what);
}

int agent_call(cb_domain *d, virDomainPtr dom, const char *request, int timeout_ms,
               const char *what, char **reply)
{
    bool again;

    return agent_call_again(d, dom, request, timeout_ms, what, reply, &again);
}
