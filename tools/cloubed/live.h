/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * live.h: the per-domain lines `cloubed up` and `cloubed down` show while
 * they run. Pure: no libcloubed call and no clock, so that the output is
 * tested byte for byte (tests/unit/test_live.c); the caller turns the
 * library's progress into live_update() calls and passes the time in.
 */
#ifndef CLOUBED_TOOL_LIVE_H
#define CLOUBED_TOOL_LIVE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct live_row {
    char *name;
    const char *state;   /* static string ("queued", "started"...) */
    double since_s;      /* when it entered the state, seconds from the start */
    bool final;          /* no later state will come: show the time it took */
    bool failed;
    char *message;       /* NULL, or one line */
};

struct live {
    /* the progress callback (a library worker) against the drawing thread */
    pthread_mutex_t lock;
    struct live_row *rows;
    size_t n;
    int name_width;      /* the longest name, for the padding */
    bool tty;            /* redraw in place; else nothing is drawn */
    bool color;          /* tty && !$NO_COLOR && $TERM != "dumb": the caller decides */
    unsigned drawn;      /* lines drawn last time: the cursor goes up by as many */
    int width, height;   /* of the terminal; the caller refreshes them */
};

/* NAMES[0..N-1] in file order, every row "queued" at 0 s. 0, or -1 when
 * out of memory. */
int live_init(struct live *l, const char *const *names, size_t n, bool tty, int width,
              int height);
void live_free(struct live *l);
/* Row ROW entered STATE (a static string) at ELAPSED_S; MESSAGE is copied. */
void live_update(struct live *l, size_t row, const char *state, bool final, bool failed,
                 const char *message, double elapsed_s);
/* On a tty: moves up over the lines drawn last time and draws every row
 * again, "  NAME  STATE  TIME s  MESSAGE", each cut to the width so that no
 * line wraps (a wrapped line would break the count of lines to go up).
 * TIME is the time spent in the state, or the time it took when final.
 * When the rows do not fit in height - 2 lines: the rows not yet final, then
 * one summary line ("7 started, 2 creating, 1 queued"). Nothing without a tty. */
void live_draw(struct live *l, FILE *out, double now_s);
/* Prints LINE (with its newline) where the rows were, and forgets them: the
 * next live_draw() draws them below it. Log messages that arrive while the
 * rows are shown go through here, or they would be drawn over. */
void live_print_above(struct live *l, FILE *out, const char *line);
/* "7 started, 2 creating, 1 queued": the count of rows in each state, the
 * largest first, ties in name order. */
void live_counts(struct live *l, char *buf, size_t len);
/* Without a tty, one line per state change:
 * "cloubed: up: node1: started (4.1 s)", "...: failed (4.3 s): MESSAGE". */
void live_plain(FILE *out, const char *action, const char *name, const char *state,
                const char *message, double elapsed_s);

#endif
