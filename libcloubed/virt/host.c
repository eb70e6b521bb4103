/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * host.c: the host profile: which domain type, emulator and machine the
 * testbed's domains use, and the one rule that chooses between KVM and TCG.
 *
 * The rule (documented in testbed.h): cb_testbed_options.virt_type, else
 * $CLOUBED_VIRT_TYPE, else automatic. Automatic means kvm when libvirt
 * offers it (offline: when /dev/kvm opens), and TCG from the moment a start
 * under kvm fails because QEMU cannot use KVM: libvirtd (root) may see a
 * /dev/kvm that QEMU (libvirt-qemu) cannot open, or a nested KVM that
 * refuses the CPU model. An explicit choice is never overridden.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/error.h"
#include "virt/host.h"
#include "util/util.h"

#define ENV_VIRT_TYPE "CLOUBED_VIRT_TYPE"

static bool kvm_usable(void)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

static bool valid_type(const char *t)
{
    return strcmp(t, "kvm") == 0 || strcmp(t, "qemu") == 0;
}

int host_choose_virt_type(cb_testbed *tb, const char *option)
{
    const char *env = getenv(ENV_VIRT_TYPE);

    if (option) {
        if (!valid_type(option))
            return err_set(CB_EINVAL, "cb_testbed_open: virt_type must be \"kvm\" or \"qemu\", "
                                      "not \"%.64s\"", option);
        tb->opt.virt_source = VIRT_OPTION;
    } else if (env && *env) {
        if (!valid_type(env))
            return err_set(CB_EINVAL, "%s must be \"kvm\" or \"qemu\", not \"%.64s\"",
                           ENV_VIRT_TYPE, env);
        tb->opt.virt_source = VIRT_ENV;
        option = env;
    } else {
        tb->opt.virt_source = VIRT_AUTO;
        return 0;
    }
    return (tb->opt.virt_type = str_dup(option)) ? 0 : CB_ENOMEM;
}

struct host_profile tb_host(cb_testbed *tb)
{
    struct host_profile copy;

    pthread_mutex_lock(&tb->rt.lock);
    if (!tb->rt.host_known) {
        if (tb->opt.virt_type)
            tb->rt.host.virt_type = tb->opt.virt_type[0] == 'k' ? "kvm" : "qemu";
        else
            tb->rt.host.virt_type = kvm_usable() || tb->rt.seams.offer_kvm ? "kvm" : "qemu";
        tb->rt.host_known = true;
    }
    copy = tb->rt.host;
    pthread_mutex_unlock(&tb->rt.lock);
    return copy;
}

void host_from_capabilities(cb_testbed *tb, bool kvm_offered, bool test_driver, char **arch,
                            char **emulator, char **machine)
{
    kvm_offered = kvm_offered || tb->rt.seams.offer_kvm;
    pthread_mutex_lock(&tb->rt.lock);
    if (tb->opt.virt_type)
        tb->rt.host.virt_type = tb->opt.virt_type[0] == 'k' ? "kvm" : "qemu";
    else if (!tb->rt.host_fell_back) /* a reconnection does not undo a fallback */
        tb->rt.host.virt_type = kvm_offered ? "kvm" : "qemu";
    /* libvirt's test driver never offers KVM: nothing to warn about. */
    if (!kvm_offered && !tb->opt.virt_type && !test_driver && !tb->rt.host_tcg_why)
        tb->rt.host_tcg_why = str_dup("libvirt offers no kvm domain type on this host (no usable "
                                   "/dev/kvm)");
    /* Set once: a pointer handed out by tb_host() stays valid. */
    if (!tb->rt.host.arch) {
        tb->rt.host.arch = *arch;
        tb->rt.host.emulator = *emulator;
        tb->rt.host.machine = *machine;
        *arch = *emulator = *machine = NULL;
    }
    tb->rt.host_known = true;
    pthread_mutex_unlock(&tb->rt.lock);
}

bool host_is_kvm_failure(const char *message)
{
    /* What QEMU says when it cannot use KVM, as libvirt passes it on: the
     * device cannot be opened, KVM cannot be initialised, or KVM refuses the
     * CPU model (a nested hypervisor such as kvm_pvm). */
    static const char *const signs[] = {
        "Could not access KVM kernel module",
        "failed to initialize kvm",
        "failed to initialize KVM",
        "failed to set MSR",
        "kvm_buf_set_msrs",
        "KVM is not supported",
        "does not support virt type 'kvm'",
        "/dev/kvm",
    };
    size_t i;

    if (!message)
        return false;
    for (i = 0; i < ARRAY_SIZE(signs); i++)
        if (strstr(message, signs[i]))
            return true;
    return false;
}

/* The first line of a libvirt message (err_set joined its lines with
 * ERR_LINE_SEP), bounded: QEMU's stderr can be long. */
static char *first_line(const char *message)
{
    const char *sep = strstr(message, ERR_LINE_SEP);
    size_t n = sep ? (size_t)(sep - message) : strlen(message);
    return str_printf("%.*s", (int)(n < 300 ? n : 300), message);
}

bool host_fall_back_to_tcg(cb_testbed *tb, const char *domain, const char *message)
{
    char *line;
    bool ok;

    pthread_mutex_lock(&tb->rt.lock);
    ok = tb->opt.virt_source == VIRT_AUTO;
    if (ok && !tb->rt.host_fell_back) {
        tb->rt.host_fell_back = true;
        tb->rt.host.virt_type = "qemu";
        line = first_line(message);
        free(tb->rt.host_tcg_why);
        tb->rt.host_tcg_why = str_printf("KVM cannot run guests on this host: starting domain %s "
                                      "under kvm failed (%s)", domain, line ? line : message);
        tb->rt.host_tcg_warned = false;
        free(line);
    }
    pthread_mutex_unlock(&tb->rt.lock);
    return ok;
}

void host_warn_tcg_once(cb_testbed *tb)
{
    char *why = NULL;

    pthread_mutex_lock(&tb->rt.lock);
    if (tb->rt.host_tcg_why && !tb->rt.host_tcg_warned && strcmp(tb->rt.host.virt_type, "qemu") == 0) {
        tb->rt.host_tcg_warned = true;
        why = str_dup(tb->rt.host_tcg_why);
    }
    pthread_mutex_unlock(&tb->rt.lock);
    if (why)
        tb_log(tb, CB_LOG_WARNING, "%s; the testbed's domains run under QEMU's TCG emulation "
               "(type qemu), which is much slower. Set %s=qemu (or --virt-type qemu, or "
               "cb_testbed_options.virt_type) to choose TCG explicitly", why, ENV_VIRT_TYPE);
    free(why);
}

const char *host_kvm_hint(void)
{
    return "KVM may be unusable on this host: set " ENV_VIRT_TYPE "=qemu (or --virt-type qemu) "
           "to run the guests under TCG";
}
