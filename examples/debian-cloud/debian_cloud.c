/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * debian-cloud: two real Debian 12 guests from one imported image, each on
 * a copy-on-write overlay, configured by cloud-init and brought up in
 * parallel until their SSH servers answer. The program then works inside
 * them through the guest agent: cloud-init's mark is there, one guest
 * reaches the other by name; a snapshot of the whole testbed undoes a
 * change; cleanup leaves nothing behind, seeds and imported image included.
 */
#include <dirent.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "../common/example.h"

/* Boots under TCG take one to two minutes, more on a busy machine. */
#define UP_TIMEOUT_MS (20 * 60 * 1000)
#define MARK "/var/lib/debian-cloud.mark"

static const char *const names[] = { "deb1", "deb2" };

/* Runs COMMAND (sh -c) in D through its guest agent; 0 when it exits
 * with WANT_STATUS and its stdout starts with WANT_OUT (NULL: any), else
 * says what it got and returns -1. */
static int run(cb_domain *d, const char *command, int want_status, const char *want_out)
{
    cb_exec_options opts = CB_EXEC_OPTIONS_INIT;
    cb_exec_result *r = NULL;
    const char *out;
    int rc;

    opts.timeout_ms = EXAMPLE_TIMEOUT_MS;
    if (cb_domain_exec_shell(&r, d, command, &opts) < 0) {
        fprintf(stderr, "%s: %s: %s\n", cb_domain_name(d), command, cb_error_last()->message);
        return -1;
    }
    out = cb_exec_result_stdout(r, NULL);
    rc = cb_exec_result_exit_status(r) == want_status &&
                 (!want_out || strncmp(out, want_out, strlen(want_out)) == 0)
             ? 0
             : -1;
    if (rc < 0)
        fprintf(stderr, "%s: '%s' exited with %d (wanted %d); stdout \"%s\", stderr \"%s\"\n",
                cb_domain_name(d), command, cb_exec_result_exit_status(r), want_status, out,
                cb_exec_result_stderr(r, NULL));
    cb_exec_result_free(r);
    return rc;
}

/* cloud-init has run to its end without an error, and its runcmd wrote the
 * mark: "configured HOSTNAME". */
static int check_configured(cb_domain *d)
{
    char want[64];

    snprintf(want, sizeof(want), "configured %s\n", cb_domain_name(d));
    if (run(d, "cloud-init status --wait", 0, NULL) < 0 || run(d, "cat " MARK, 0, want) < 0)
        return -1;
    printf("debian-cloud: %s says %s", cb_domain_name(d), want);
    return 0;
}

/* FROM finds TO by name through the network's DNS (libvirt's dnsmasq,
 * domain cloud.test) at the address TO leased, and reaches its SSH server
 * by its short name. */
static int check_by_name(cb_domain *from, cb_domain *to)
{
    cb_addresses *addrs = NULL;
    char want[64], command[160];
    int rc = -1;

    if (cb_domain_get_addresses(&addrs, to, 0) < 0 || !cb_addresses_ip(addrs, 0)) {
        fprintf(stderr, "no address for %s\n", cb_domain_name(to));
        goto out;
    }
    snprintf(want, sizeof(want), "%s ", cb_addresses_ip(addrs, 0));
    snprintf(command, sizeof(command), "getent hosts %s.cloud.test", cb_domain_name(to));
    if (run(from, command, 0, want) < 0)
        goto out;
    /* bash's /dev/tcp: the image has no ping, netcat or curl */
    snprintf(command, sizeof(command), "exec bash -c 'exec 3<>/dev/tcp/%s/22 && head -c 7 <&3'",
             cb_domain_name(to));
    if (run(from, command, 0, "SSH-2.0") < 0)
        goto out;
    printf("debian-cloud: %s finds %s.cloud.test at %s and reaches its SSH server by name\n",
           cb_domain_name(from), cb_domain_name(to), cb_addresses_ip(addrs, 0));
    rc = 0;
out:
    cb_addresses_free(addrs);
    return rc;
}

static double seconds_since(struct timespec t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
}

/* Nothing in DIR but what was there before the testbed: no overlay, no
 * seed, no imported image. */
static int check_empty(const char *dir)
{
    DIR *dh = opendir(dir);
    struct dirent *e;
    int left = 0;

    while (dh && (e = readdir(dh)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            fprintf(stderr, "left behind: %s/%s\n", dir, e->d_name);
            left++;
        }
    if (dh)
        closedir(dh);
    return left ? -1 : 0;
}

int main(int argc, char **argv)
{
    cb_up_options up = CB_UP_OPTIONS_INIT;
    cb_op_result *result = NULL;
    cb_testbed *tb = NULL;
    char *pool = NULL;
    struct timespec start;
    size_t i;
    int rc, status = 0;

    clock_gettime(CLOCK_MONOTONIC, &start);
    TRY(example_open(&tb, argc, argv));
    if (example_cleanup_only)
        goto out;
    TRY((pool = strdup(cb_storage_pool_path(cb_testbed_storage_pool_at(tb, 0)))) ? 0 : -1);

    /* Both at once: the image is imported once, each overlay and seed made
     * for its domain, and each is ready when its SSH server answers. */
    up.ready = "ssh";
    up.timeout_ms = UP_TIMEOUT_MS;
    rc = cb_testbed_up(&result, tb, &up);
    for (i = 0; i < cb_op_result_count(result); i++) {
        const char *why = cb_op_result_message(result, i);
        printf("debian-cloud: %s: %s (SSH answered after %.0f s)%s%s\n",
               cb_domain_name(cb_op_result_domain(result, i)),
               cb_progress_state_name(cb_op_result_state(result, i)),
               cb_op_result_time(result, i, CB_PROGRESS_READY), why ? ": " : "", why ? why : "");
    }
    TRY(rc);

    for (i = 0; i < 2; i++) {
        cb_domain *d = cb_testbed_domain(tb, names[i]);
        TRY(cb_domain_wait_agent(d, EXAMPLE_TIMEOUT_MS, 0));
        TRY(check_configured(d));
        printf("debian-cloud: %s: cloud-init done %.0f s after the start\n", names[i],
               seconds_since(start));
    }
    TRY(check_by_name(cb_testbed_domain(tb, "deb1"), cb_testbed_domain(tb, "deb2")));

    /* Snapshot both, change deb1 (the mark gone, a new file), revert: the
     * change is gone, the mark back. */
    TRY(cb_testbed_snapshot_create(tb, "configured", 0));
    TRY(run(cb_testbed_domain(tb, "deb1"), "rm " MARK " && echo changed >/root/changed && sync",
            0, NULL));
    TRY(run(cb_testbed_domain(tb, "deb1"), "test -e /root/changed", 0, NULL));
    /* with the guests' clocks set to the host's (they were back at the
     * snapshot's time), through their agents */
    TRY(cb_testbed_snapshot_revert(tb, "configured", CB_SNAPSHOT_REVERT_SYNC_CLOCK));
    /* the agents answer again once their guests run on from the snapshot */
    for (i = 0; i < 2; i++)
        TRY(cb_domain_wait_agent(cb_testbed_domain(tb, names[i]), EXAMPLE_TIMEOUT_MS, 0));
    TRY(run(cb_testbed_domain(tb, "deb1"), "test -e /root/changed", 1, NULL));
    TRY(check_configured(cb_testbed_domain(tb, "deb1")));
    printf("debian-cloud: reverting the snapshot undid deb1's change\n");

    /* Cleanup removes the snapshot's domains, overlays, seeds and the
     * imported image: the pool's directory is left empty. */
    if (!example_keep) {
        TRY(cb_testbed_cleanup(tb, 0));
        TRY(check_empty(pool));
        printf("debian-cloud: cleanup left nothing in %s\n", pool);
    }
out:
    cb_op_result_free(result);
    free(pool);
    return example_finish(tb, status);
}
