/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * live.c: the live lines of `cloubed up` and `cloubed down` (see live.h).
 */
#include <stdlib.h>
#include <string.h>

#include "live.h"

#define STATE_WIDTH 10

int live_init(struct live *l, const char *const *names, size_t n, bool tty, int width,
              int height)
{
    size_t i;

    memset(l, 0, sizeof(*l));
    pthread_mutex_init(&l->lock, NULL);
    l->tty = tty;
    l->width = width;
    l->height = height;
    if (n && !(l->rows = calloc(n, sizeof(*l->rows))))
        return -1;
    for (i = 0; i < n; i++) {
        int w = (int)strlen(names[i]);
        if (!(l->rows[i].name = strdup(names[i]))) {
            l->n = i;
            live_free(l);
            return -1;
        }
        l->rows[i].state = "queued";
        if (w > l->name_width)
            l->name_width = w;
    }
    l->n = n;
    return 0;
}

void live_free(struct live *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        free(l->rows[i].name);
        free(l->rows[i].message);
    }
    free(l->rows);
    pthread_mutex_destroy(&l->lock);
    memset(l, 0, sizeof(*l));
}

void live_update(struct live *l, size_t row, const char *state, bool final, bool failed,
                 const char *message, double elapsed_s)
{
    struct live_row *r;

    pthread_mutex_lock(&l->lock);
    if (row < l->n) {
        r = &l->rows[row];
        r->state = state;
        r->since_s = elapsed_s;
        r->final = final;
        r->failed = failed;
        /* a state without a message clears the previous state's */
        free(r->message);
        r->message = message ? strdup(message) : NULL;
        if (r->message)
            r->message[strcspn(r->message, "\n")] = '\0';
    }
    pthread_mutex_unlock(&l->lock);
}

/* The length of S cut to at most MAX bytes, not inside a UTF-8 sequence. */
static size_t cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* One row, "\r\x1b[2K" then the text cut to the width, then a newline. */
static void draw_row(const struct live *l, const struct live_row *r, FILE *out, double now_s)
{
    char line[1024];
    double t = r->final ? r->since_s : now_s - r->since_s;
    int state_at = 2 + l->name_width + 2, len;
    /* one column short of the width: some terminals wrap on the last one */
    size_t max = l->width > 1 ? (size_t)l->width - 1 : 0, n;

    len = snprintf(line, sizeof(line), "  %-*s  %-*s %6.1f s%s%s", l->name_width, r->name,
                   STATE_WIDTH, r->state, t < 0 ? 0.0 : t, r->message ? "  " : "",
                   r->message ? r->message : "");
    n = cut(line, len < 0 ? 0 : (size_t)len >= sizeof(line) ? sizeof(line) - 1 : (size_t)len,
            max);
    fputs("\r\x1b[2K", out);
    if (l->color && n >= (size_t)state_at + strlen(r->state)) {
        /* only the state word is coloured: the width counts no escapes */
        fwrite(line, 1, (size_t)state_at, out);
        fputs(r->failed ? "\x1b[31m" : r->final ? "\x1b[32m" : "\x1b[33m", out);
        fputs(r->state, out);
        fputs("\x1b[0m", out);
        fwrite(line + state_at + strlen(r->state), 1, n - (size_t)state_at - strlen(r->state), out);
    } else {
        fwrite(line, 1, n, out);
    }
    fputc('\n', out);
}

struct count { const char *state; size_t n; };

static int by_count(const void *a, const void *b)
{
    const struct count *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->state, y->state);
}

static void counts_locked(const struct live *l, char *buf, size_t len)
{
    struct count *c = calloc(l->n ? l->n : 1, sizeof(*c));
    size_t i, k, nc = 0, used = 0;

    buf[0] = '\0';
    if (!c)
        return;
    for (i = 0; i < l->n; i++) {
        for (k = 0; k < nc && strcmp(c[k].state, l->rows[i].state) != 0; k++)
            ;
        if (k == nc)
            c[nc++].state = l->rows[i].state;
        c[k].n++;
    }
    qsort(c, nc, sizeof(*c), by_count);
    for (k = 0; k < nc && used < len; k++) {
        int w = snprintf(buf + used, len - used, "%s%zu %s", k ? ", " : "", c[k].n, c[k].state);
        used += w > 0 ? (size_t)w : 0;
    }
    free(c);
}

void live_counts(struct live *l, char *buf, size_t len)
{
    pthread_mutex_lock(&l->lock);
    counts_locked(l, buf, len);
    pthread_mutex_unlock(&l->lock);
}

void live_draw(struct live *l, FILE *out, double now_s)
{
    /* two lines spare: the command line that follows, and the summary */
    size_t room = l->height > 3 ? (size_t)l->height - 2 : 1, i, lines = 0;
    char counts[512];

    if (!l->tty)
        return;
    pthread_mutex_lock(&l->lock);
    if (l->drawn)
        fprintf(out, "\x1b[%uA", l->drawn);
    if (l->n <= room) {
        for (i = 0; i < l->n; i++, lines++)
            draw_row(l, &l->rows[i], out, now_s);
    } else {
        /* what is still moving is what the user watches */
        for (i = 0; i < l->n && lines + 1 < room; i++)
            if (!l->rows[i].final)
                draw_row(l, &l->rows[i], out, now_s), lines++;
        counts_locked(l, counts, sizeof(counts));
        fprintf(out, "\r\x1b[2K  %.*s\n", l->width > 3 ? l->width - 3 : 0, counts);
        lines++;
    }
    /* fewer lines than last time: clear what is left below */
    if (lines < l->drawn)
        fputs("\x1b[J", out);
    l->drawn = (unsigned)lines;
    pthread_mutex_unlock(&l->lock);
    fflush(out);
}

void live_print_above(struct live *l, FILE *out, const char *line)
{
    pthread_mutex_lock(&l->lock);
    if (l->tty && l->drawn)
        fprintf(out, "\x1b[%uA\r\x1b[J", l->drawn);
    l->drawn = 0;
    fputs(line, out);
    pthread_mutex_unlock(&l->lock);
    fflush(out);
}

void live_plain(FILE *out, const char *action, const char *name, const char *state,
                const char *message, double elapsed_s)
{
    fprintf(out, "cloubed: %s: %s: %s (%.1f s)%s%.*s\n", action, name, state, elapsed_s,
            message ? ": " : "", message ? (int)strcspn(message, "\n") : 0,
            message ? message : "");
    fflush(out);
}
