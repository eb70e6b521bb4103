/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * actions_up.c: up and down, the whole testbed (or several --domain) at
 * once through cb_testbed_up()/cb_testbed_down(), with one live line per
 * domain on a terminal, plain lines otherwise, and --json at the end.
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <cloubed/up.h>

#include "actions.h"
#include "live.h"

/* As timeout(1), and as wait's --timeout. */
#define EXIT_TIMEOUT 124
/* The redraw period on a terminal: elapsed times move by tenths. */
#define REDRAW_MS 100

static volatile sig_atomic_t resized;
/* The live lines being drawn, for log messages (the library's log callback
 * has its own payload, the command's arguments). */
static struct live *drawing;
static pthread_mutex_t drawing_lock = PTHREAD_MUTEX_INITIALIZER;

bool action_up_log(const char *line)
{
    bool taken = false;

    pthread_mutex_lock(&drawing_lock);
    if (drawing) {
        live_print_above(drawing, stderr, line);
        taken = true;
    }
    pthread_mutex_unlock(&drawing_lock);
    return taken;
}

static void set_drawing(struct live *l)
{
    pthread_mutex_lock(&drawing_lock);
    drawing = l;
    pthread_mutex_unlock(&drawing_lock);
}

static void on_winch(int sig)
{
    (void)sig;
    resized = 1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct run {
    cb_testbed *tb;
    const struct cli_args *a;
    bool up;
    const char *action;          /* "up" or "down" */
    const char **rows;           /* the selected domains' names, file order */
    const char **names;          /* --domain as given, NULL-terminated, for the library */
    GHashTable *row_of;          /* cb_domain * -> row + 1 */
    struct live live;
    bool plain;                  /* no terminal and no --json: a line per change */
    double t0;
    /* the operation's thread against the drawing one */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool changed, done;
    int rc;
    char *error;                 /* cb_error_last() is per thread: copied in the worker */
    cb_op_result *result;
};

/* A state after which nothing more happens to the domain in this call. */
static bool is_final(const struct run *r, cb_progress_state s)
{
    switch (s) {
    case CB_PROGRESS_QUEUED: case CB_PROGRESS_CREATING: case CB_PROGRESS_STOPPING:
        return false;
    case CB_PROGRESS_STARTED:
        /* with --ready, READY follows */
        return !r->a->value[OPT_READY];
    default:
        return true;
    }
}

/* The library serialises these calls and holds no lock of its own here. */
static void on_progress(const cb_progress *p, void *payload)
{
    struct run *r = payload;
    size_t row = GPOINTER_TO_SIZE(g_hash_table_lookup(r->row_of, p->domain));
    bool failed = p->state == CB_PROGRESS_FAILED;

    if (!row)
        return;
    live_update(&r->live, row - 1, cb_progress_state_name(p->state), is_final(r, p->state),
                failed, p->message, p->elapsed_s);
    if (r->plain)
        live_plain(stderr, r->action, cb_domain_name(p->domain),
                   cb_progress_state_name(p->state), p->message, p->elapsed_s);
    pthread_mutex_lock(&r->lock);
    r->changed = true;
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&r->lock);
}

static void *operate(void *arg)
{
    struct run *r = arg;
    const struct cli_args *a = r->a;
    const char *const *domains = a->domains.n ? r->names : NULL;
    int timeout_ms = a->timeout_s < 0 ? -1 : (int)(a->timeout_s * 1000);
    int rc;

    if (r->up) {
        cb_up_options o = CB_UP_OPTIONS_INIT;
        o.domains = domains;
        o.parallel = a->parallel;
        o.ready = a->value[OPT_READY];
        o.timeout_ms = timeout_ms;
        o.progress = on_progress;
        o.progress_payload = r;
        o.bootdev = a->value[OPT_BOOTDEV];
        o.flags = a->given[OPT_KEEP_ON_FAILURE] ? CB_UP_KEEP_ON_FAILURE : 0;
        rc = cb_testbed_up(&r->result, r->tb, &o);
    } else {
        cb_down_options o = CB_DOWN_OPTIONS_INIT;
        o.domains = domains;
        o.parallel = a->parallel;
        if (a->grace_s >= 0)
            o.grace_ms = (int)(a->grace_s * 1000);
        o.timeout_ms = timeout_ms;
        o.progress = on_progress;
        o.progress_payload = r;
        o.flags = a->given[OPT_CLEANUP] ? CB_DOWN_CLEANUP : 0;
        rc = cb_testbed_down(&r->result, r->tb, &o);
    }
    pthread_mutex_lock(&r->lock);
    r->rc = rc;
    r->error = rc < 0 ? strdup(cb_error_last()->message) : NULL;
    r->done = true;
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

static void term_size(struct live *l)
{
    struct winsize ws;

    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col && ws.ws_row) {
        l->width = ws.ws_col;
        l->height = ws.ws_row;
    }
}

/* The selected domains in file order: every one, or those of --domain
 * (checked first, so that an unknown name changes nothing). */
static int select_domains(struct run *r)
{
    const struct cli_args *a = r->a;
    size_t i, k, n = cb_testbed_domain_count(r->tb), m = 0;

    for (k = 0; k < a->domains.n; k++)
        if (!cb_testbed_domain(r->tb, a->domains.v[k]))
            return report_error(), -1;
    r->rows = calloc(n + 1, sizeof(*r->rows));
    r->names = calloc(a->domains.n + 1, sizeof(*r->names));
    r->row_of = g_hash_table_new(g_direct_hash, g_direct_equal);
    if (!r->rows || !r->names) {
        fprintf(stderr, "cloubed: error: out of memory\n");
        return -1;
    }
    for (k = 0; k < a->domains.n; k++)
        r->names[k] = a->domains.v[k];
    for (i = 0; i < n; i++) {
        cb_domain *d = cb_testbed_domain_at(r->tb, i);
        bool take = a->domains.n == 0;
        for (k = 0; k < a->domains.n && !take; k++)
            take = strcmp(a->domains.v[k], cb_domain_name(d)) == 0;
        if (!take)
            continue;
        g_hash_table_insert(r->row_of, d, GSIZE_TO_POINTER(m + 1));
        r->rows[m++] = cb_domain_name(d);
    }
    return (int)m;
}

/* MEMBER: VALUE, or null when VALUE is NULL. */
static void json_string_or_null(JsonBuilder *b, const char *member, const char *value)
{
    json_builder_set_member_name(b, member);
    if (value)
        json_builder_add_string_value(b, value);
    else
        json_builder_add_null_value(b);
}

static void json_domain(JsonBuilder *b, const cb_op_result *res, size_t i)
{
    cb_domain *d = cb_op_result_domain(res, i);
    int err = cb_op_result_error(res, i);
    const char *msg = cb_op_result_message(res, i);
    double started = cb_op_result_time(res, i, CB_PROGRESS_STARTED);
    double ready = cb_op_result_time(res, i, CB_PROGRESS_READY);

    json_builder_begin_object(b);
    json_string_or_null(b, "name", cb_domain_name(d));
    json_string_or_null(b, "libvirt_name", cb_domain_libvirt_name(d));
    json_string_or_null(b, "state", cb_progress_state_name(cb_op_result_state(res, i)));
    json_string_or_null(b, "error", err ? cb_error_code_name(err) : NULL);
    json_string_or_null(b, "message", msg);
    json_builder_set_member_name(b, "started_s");
    if (started >= 0)
        json_builder_add_double_value(b, started);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "ready_s");
    if (ready >= 0)
        json_builder_add_double_value(b, ready);
    else
        json_builder_add_null_value(b);
    json_builder_end_object(b);
}

/* Every network of the testbed with the address its host side has now:
 * what an `address: auto` network took shows here (null while it is not
 * created, or when a network has no address). */
static void json_networks(JsonBuilder *b, cb_testbed *tb)
{
    size_t i;

    json_builder_begin_array(b);
    for (i = 0; i < cb_testbed_network_count(tb); i++) {
        cb_network *n = cb_testbed_network_at(tb, i);
        g_autofree char *cidr = NULL;

        json_builder_begin_object(b);
        json_string_or_null(b, "name", cb_network_name(n));
        json_string_or_null(b, "libvirt_name", cb_network_libvirt_name(n));
        json_string_or_null(b, "address", cb_network_get_address(&cidr, n, 0) == 0 ? cidr : NULL);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
}

/* The one document of --json, on stdout (docs/status-json.md). */
static void print_json(const struct run *r, const char *result)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *text = NULL;
    size_t i, n = cb_op_result_count(r->result);

    json_builder_begin_object(b);
    json_string_or_null(b, "action", r->action);
    json_string_or_null(b, "testbed", cb_testbed_name(r->tb));
    json_string_or_null(b, "instance", cb_testbed_instance(r->tb));
    json_string_or_null(b, "result", result);
    json_string_or_null(b, "error", r->error);
    json_builder_set_member_name(b, "elapsed_s");
    json_builder_add_double_value(b, r->result ? cb_op_result_elapsed(r->result) : now_s() - r->t0);
    json_builder_set_member_name(b, "changes");
    json_builder_add_int_value(b, r->result ? cb_op_result_changes(r->result) : 0);
    json_builder_set_member_name(b, "domains");
    json_builder_begin_array(b);
    for (i = 0; i < n; i++)
        json_domain(b, r->result, i);
    json_builder_end_array(b);
    json_builder_set_member_name(b, "networks");
    json_networks(b, r->tb);
    json_builder_end_object(b);
    root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, TRUE);
    text = json_generator_to_data(gen, NULL);
    printf("%s\n", text);
}

/* "cloubed: up: 10 started in 5.2 s", "cloubed: up: 2 of 10 failed; rolled back". */
static void print_summary(struct run *r, double elapsed)
{
    size_t i, n = cb_op_result_count(r->result), failed = 0, rolled = 0;
    char counts[512];

    for (i = 0; i < n; i++) {
        cb_progress_state s = cb_op_result_state(r->result, i);
        failed += s == CB_PROGRESS_FAILED;
        rolled += s == CB_PROGRESS_ROLLED_BACK;
    }
    live_counts(&r->live, counts, sizeof(counts));
    if (r->rc == CB_ETIMEOUT)
        fprintf(stderr, "cloubed: %s: timed out after %.1f s: %s\n", r->action, elapsed, counts);
    else if (failed)
        fprintf(stderr, "cloubed: %s: %zu of %zu failed%s\n", r->action, failed, n,
                rolled ? "; rolled back" : "");
    else
        fprintf(stderr, "cloubed: %s: %s in %.1f s\n", r->action, counts, elapsed);
}

int action_up_down(cb_testbed *tb, const struct cli_args *a)
{
    struct run r = { .tb = tb, .a = a, .up = a->action == ACT_UP,
                     .action = cli_action_name(a->action),
                     .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };
    bool tty = isatty(STDERR_FILENO), json = a->given[OPT_JSON];
    const char *term = getenv("TERM");
    const char *result;
    pthread_t worker;
    int n, status;

    if ((n = select_domains(&r)) < 0) {
        status = 1;
        goto out;
    }
    /* 80x24 until the terminal says otherwise; unused without one */
    if (live_init(&r.live, r.rows, (size_t)n, tty, 80, 24) < 0) {
        fprintf(stderr, "cloubed: error: out of memory\n");
        status = 1;
        goto out;
    }
    r.live.color = tty && !getenv("NO_COLOR") && !(term && strcmp(term, "dumb") == 0);
    r.plain = !tty && !json;
    if (tty) {
        signal(SIGWINCH, on_winch);
        term_size(&r.live);
    }
    if (tty)
        set_drawing(&r.live);
    r.t0 = now_s();
    if (pthread_create(&worker, NULL, operate, &r) != 0) {
        fprintf(stderr, "cloubed: error: cannot start a thread\n");
        set_drawing(NULL);
        live_free(&r.live);
        status = 1;
        goto out;
    }
    /* The main thread draws: at every change, and every REDRAW_MS for the
     * elapsed times; the worker only signals. */
    pthread_mutex_lock(&r.lock);
    while (!r.done) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += REDRAW_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        if (!r.changed)
            pthread_cond_timedwait(&r.cond, &r.lock, &until);
        r.changed = false;
        pthread_mutex_unlock(&r.lock);
        if (resized) {
            resized = 0;
            term_size(&r.live);
        }
        live_draw(&r.live, stderr, now_s() - r.t0);
        pthread_mutex_lock(&r.lock);
    }
    pthread_mutex_unlock(&r.lock);
    pthread_join(worker, NULL);
    live_draw(&r.live, stderr, now_s() - r.t0);
    set_drawing(NULL);

    if (r.rc == 0 && r.result && cb_op_result_changes(r.result) == 0)
        result = "nothing-to-do";
    else
        result = r.rc == 0 ? "ok" : "failed";
    if (!json || tty)
        print_summary(&r, r.result ? cb_op_result_elapsed(r.result) : now_s() - r.t0);
    if (r.rc < 0)
        fprintf(stderr, "cloubed: error: %s\n", r.error ? r.error : "out of memory");
    if (json)
        print_json(&r, result);
    else if (strcmp(result, "nothing-to-do") == 0 && r.up)
        printf("testbed %s is already up (%d %s running): nothing to do\n", cb_testbed_name(tb),
               n, n == 1 ? "domain" : "domains");
    else if (strcmp(result, "nothing-to-do") == 0)
        printf("testbed %s is already down: nothing to do\n", cb_testbed_name(tb));
    status = r.rc == 0 ? 0 : r.rc == CB_ETIMEOUT ? EXIT_TIMEOUT : 1;
    live_free(&r.live);
out:
    cb_op_result_free(r.result);
    free(r.error);
    free(r.rows);
    free(r.names);
    if (r.row_of)
        g_hash_table_destroy(r.row_of);
    return status;
}
