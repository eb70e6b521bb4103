/*
 * libcloubed - programmable virtual testbeds on libvirt
 * SPDX-License-Identifier: LGPL-3.0-or-later
 *
 * templates.h: template variables and the generation of a domain's
 * template files (installer configurations, iPXE scripts).
 *
 * The engine is the original tool's (Python's string.Template with
 * safe_substitute): "$$" is "$"; "$name" and "${name}" are replaced when
 * name is a variable; anything else, unknown names included, stays as it is.
 * Names are `[a-z][_a-z0-9]*` segments joined by dots, matched greedily
 * (case-insensitively) and looked up exactly: write ${self.name}.example.org,
 * since $self.name.example.org reads as one (unknown) name.
 */
#ifndef CLOUBED_TEMPLATES_H
#define CLOUBED_TEMPLATES_H

#include <cloubed/common.h>
#include <cloubed/types.h>

CB_BEGIN_DECLS

/** A list of template variables (key, value), in the `vars` order. */
typedef struct cb_vars cb_vars;

/**
 * cb_domain_vars:
 * @out:   receives the variables.
 * @d:     the domain.
 * @flags: 0.
 *
 * Builds the variables a template of @d sees: testbed, testbed.KEY (global
 * templates), storagepool.P.path, storagevolume.V.{format,size,storagepool},
 * network.N.{forward_mode,bridge_name,ip_host,netmask,dhcp_start,dhcp_end,
 * pxe_tftp_dir,pxe_boot_file,http_server}, domain.D.{name,cpu,sockets,cores,
 * threads,memory,graphics,NET.mac,NET.ip,tpl.KEY} for every domain D, and
 * the same for @d as self.*. Names lose their hyphens; missing values are
 * "None", as in the original. They come sorted as `cloubed vars` prints them:
 * testbed, storagepool, storagevolume, network, then domain and self, each
 * group by code point.
 *
 * Ownership: *out is the caller's, freed with cb_vars_free(); NULL on
 * failure.
 * Errors: CB_EINVAL (NULL argument, unknown flags), CB_ENOMEM.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_vars(cb_vars **out, cb_domain *d, unsigned int flags);

/**
 * cb_vars_count / cb_vars_key / cb_vars_value / cb_vars_get:
 * @v:   the list; NULL gives 0 or NULL.
 * @i:   an index, from 0 to the count less 1.
 * @key: a variable's name ("self.name"), matched exactly; NULL gives NULL.
 *
 * The number of variables, the key and value at index @i (NULL when out of
 * range), and the value of @key (NULL when there is none).
 * Ownership: borrowed from the list, valid until cb_vars_free().
 */
CB_EXTERN(size_t) cb_vars_count(const cb_vars *v);
CB_EXTERN(const char *) cb_vars_key(const cb_vars *v, size_t i);
CB_EXTERN(const char *) cb_vars_value(const cb_vars *v, size_t i);
CB_EXTERN(const char *) cb_vars_get(const cb_vars *v, const char *key);

/**
 * cb_vars_free:
 * @v: the list, the caller's until this call; NULL is accepted.
 *
 * Frees the list and its strings.
 */
CB_EXTERN(void) cb_vars_free(cb_vars *v);

/**
 * cb_vars_render:
 * @out:   receives the rendered text.
 * @v:     the variables.
 * @text:  the template, a NUL-terminated string.
 * @flags: 0.
 *
 * Ownership: *out is the caller's, to free(); NULL on failure.
 * Errors: CB_EINVAL (NULL argument, unknown flags), CB_ENOMEM.
 * Thread-safety: any thread.
 */
CB_EXTERN(int) cb_vars_render(char **out, const cb_vars *v, const char *text,
                              unsigned int flags);

/**
 * cb_domain_gen:
 * @d:             the domain.
 * @template_name: the `name` of one of its `templates.files`.
 * @flags:         0.
 *
 * Renders the template's `input` file with cb_domain_vars() into its
 * `output` file (paths relative to the testbed file), atomically: the output
 * is written to a temporary file beside it, then renamed, with the
 * template's `mode` (0600 unless the testbed says otherwise). The file and its
 * SHA-256 are recorded in the testbed's state directory: cb_testbed_cleanup()
 * removes a template output only when it is recorded and unchanged. An
 * output leading out of the testbed directory through a symbolic link is
 * refused unless the template has `allow_outside: true`.
 *
 * Errors: CB_ENOTFOUND ("template T not defined for domain D"), CB_EINVAL
 * (the output leads out of the testbed directory, NULL argument, unknown
 * flags), CB_EIO
 * ("error while reading template file ..." / "error while writing to
 * template file ..."), CB_ENOMEM. Thread-safety: any thread.
 */
CB_EXTERN(int) cb_domain_gen(cb_domain *d, const char *template_name, unsigned int flags);

CB_END_DECLS

#endif /* CLOUBED_TEMPLATES_H */
