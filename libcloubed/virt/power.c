/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * power.c: power operations on a booted domain.
 */
#include <libvirt/virterror.h>

#include "virt/connection.h"
#include "util/error.h"
#include "virt/ops.h"

typedef int (*power_fn)(virDomainPtr dom);

static int do_shutdown(virDomainPtr dom) { return virDomainShutdown(dom); }
static int do_reboot(virDomainPtr dom) { return virDomainReboot(dom, 0); }
static int do_reset(virDomainPtr dom) { return virDomainReset(dom, 0); }
static int do_pause(virDomainPtr dom) { return virDomainSuspend(dom); }
static int do_unpause(virDomainPtr dom) { return virDomainResume(dom); }
static int do_destroy(virDomainPtr dom) { return virDomainDestroy(dom); }
static int do_pm_wakeup(virDomainPtr dom) { return virDomainPMWakeup(dom, 0); }
static int do_pm_suspend(virDomainPtr dom)
{
    return virDomainPMSuspendForDuration(dom, VIR_NODE_SUSPEND_TARGET_MEM, 0, 0);
}

static int power(cb_domain *d, const char *verb, power_fn fn, unsigned int flags)
{
    virConnectPtr c;
    virDomainPtr dom;
    int rc;

    CHECK_FLAGS(flags, 0);
    if (!d)
        return ARG_FAIL(d);
    if ((rc = tb_conn(d->tb, &c)) < 0 || (rc = domain_get(d->tb, c, d, &dom)) < 0)
        return rc;
    /* Drivers word "not running" differently (an internal error for some):
     * check it here for one clear error. */
    if (virDomainIsActive(dom) == 0) {
        rc = err_set(CB_ESTATE, "cannot %s domain %s: it is not running", verb, d->name);
    } else if (fn(dom) < 0) {
        rc = lv_fail("cannot %s domain %s", verb, d->name);
        if (fn == do_pm_suspend && rc == CB_EUNSUPPORTED)
            err_set(rc, "%s (suspending to RAM needs qemu-guest-agent running in the guest "
                        "and ACPI S3 support)", cb_error_last()->message);
    } else {
        tb_log(d->tb, CB_LOG_INFO, "domain %s: %s", d->name, verb);
    }
    virDomainFree(dom);
    return rc;
}

int cb_domain_shutdown(cb_domain *d, unsigned int flags)
{
    return power(d, "shutdown", do_shutdown, flags);
}
int cb_domain_reboot(cb_domain *d, unsigned int flags)
{
    return power(d, "reboot", do_reboot, flags);
}
int cb_domain_reset(cb_domain *d, unsigned int flags)
{
    return power(d, "reset", do_reset, flags);
}
int cb_domain_pm_suspend(cb_domain *d, unsigned int flags)
{
    return power(d, "suspend", do_pm_suspend, flags);
}
int cb_domain_pm_wakeup(cb_domain *d, unsigned int flags)
{
    return power(d, "wake up", do_pm_wakeup, flags);
}
int cb_domain_pause(cb_domain *d, unsigned int flags)
{
    return power(d, "pause", do_pause, flags);
}
int cb_domain_unpause(cb_domain *d, unsigned int flags)
{
    return power(d, "unpause", do_unpause, flags);
}
/* Stops only: removing the definition is cb_domain_cleanup's job. */
int cb_domain_destroy(cb_domain *d, unsigned int flags)
{
    return power(d, "destroy", do_destroy, flags);
}
