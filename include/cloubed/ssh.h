/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * ssh.h: reaching distribution guests over SSH: the testbed's own key pair
 * and the user its cloud-init seeds create (`cloubed ssh`).
 *
 * A domain with a `cloudinit:` section gets the public half of the
 * testbed's key in its seed (unless `testbed_key: false`), for the user
 * that cb_domain_ssh_user() names; cb_domain_wait_ssh() (wait.h) waits
 * until its SSH server answers.
 */
#ifndef CLOUBED_SSH_H
#define CLOUBED_SSH_H

#include <cloubed/common.h>
#include <cloubed/types.h>

CB_BEGIN_DECLS

/**
 * cb_testbed_ssh_key:
 * @private_key_path: out: the path of the private key, to free(); NULL on
 *                    failure.
 * @tb:               the testbed.
 * @flags:            0.
 *
 * The testbed's own ed25519 key pair, `.cloubed/TESTBED/id_ed25519` (and
 * `id_ed25519.pub`) beside the testbed file, both mode 0600: made with the
 * host's `ssh-keygen -t ed25519 -N ""` on the first call that needs it
 * (this one, or the first boot of a domain whose `cloudinit:` section
 * keeps `testbed_key: true`, the default, whose seed then carries the
 * public half). The same directory holds `known_hosts`, which `cloubed
 * ssh` uses. cb_testbed_cleanup() removes the pair and `known_hosts`.
 *
 * Errors: CB_EINVAL (NULL arguments, unknown flags), CB_EUNSUPPORTED
 * (ssh-keygen is not installed: package openssh-client), CB_EIO (the state
 * directory or ssh-keygen failed; its message kept), CB_ESTATE after fork.
 * Thread-safety: any thread; two processes making it at once end with one
 * pair.
 */
CB_EXTERN(int) cb_testbed_ssh_key(char **private_key_path, cb_testbed *tb, unsigned int flags);

/**
 * cb_domain_ssh_user:
 * @d: the domain.
 *
 * The user that the domain's cloud-init seed gives the keys to, as
 * `cloubed ssh` logs in: the first named user of `users` in its
 * `user_data`, else `cloubed`, the user the seed adds when `user_data`
 * has no `users` (docs/testbed-file.md).
 *
 * Returns: a string borrowed from the testbed, or NULL when @d is NULL, has
 * no `cloudinit:` section, or its `users` names nobody (only `default`)
 * or its user_data is not a cloud-config. Thread-safety: any thread.
 */
CB_EXTERN(const char *) cb_domain_ssh_user(const cb_domain *d);

CB_END_DECLS

#endif /* CLOUBED_SSH_H */
