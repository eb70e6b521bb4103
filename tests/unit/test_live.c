/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * test_live.c: the live lines of `cloubed up`/`down` (tools/cloubed/live.c),
 * byte for byte, escapes included. No terminal and no clock: the time is
 * passed in, the output goes to a memory stream.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "live.h"

/* The next draw, as a string. */
static char *draw(struct live *l, double now_s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    live_draw(l, f, now_s);
    fclose(f);
    return buf;
}

static void check_draw(struct live *l, double now_s, const char *want)
{
    char *got = draw(l, now_s);
    if (strcmp(got, want) != 0)
        fail_msg("draw at %.1f s:\n got: \"%s\"\nwant: \"%s\"", now_s, got, want);
    free(got);
}

#define ROW "\r\x1b[2K"

/* Three domains at 60 columns: names padded to the longest, the time spent
 * in a state that is not final, the time taken once final, messages cut so
 * that no line reaches the last column, and the cursor sent back up over
 * exactly the lines drawn before. */
static void test_three(void **state)
{
    const char *names[] = { "node1", "a-very-long-domain-name-x", "db" };
    struct live l;

    (void)state;
    assert_int_equal(live_init(&l, names, 3, true, 60, 5), 0);
    live_update(&l, 0, "creating", false, false, NULL, 0.5);
    live_update(&l, 1, "started", true, false, NULL, 1.0);
    live_update(&l, 2, "failed", true, true, "cannot start: out of memory", 1.5);
    check_draw(&l, 2.0,
               ROW "  node1                      creating      1.5 s\n"
               ROW "  a-very-long-domain-name-x  started       1.0 s\n"
               ROW "  db                         failed        1.5 s  cannot st\n");
    live_update(&l, 0, "started", true, false, "already running\nsecond line", 2.2);
    check_draw(&l, 3.0,
               "\x1b[3A"
               ROW "  node1                      started       2.2 s  already r\n"
               ROW "  a-very-long-domain-name-x  started       1.0 s\n"
               ROW "  db                         failed        1.5 s  cannot st\n");
    /* a log line goes above, and the rows are drawn again below it */
    {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        live_print_above(&l, f, "cloubed: warning: x\n");
        fclose(f);
        assert_string_equal(buf, "\x1b[3A\r\x1b[Jcloubed: warning: x\n");
        free(buf);
    }
    check_draw(&l, 3.0,
               ROW "  node1                      started       2.2 s  already r\n"
               ROW "  a-very-long-domain-name-x  started       1.0 s\n"
               ROW "  db                         failed        1.5 s  cannot st\n");
    live_free(&l);
}

/* Ten domains in a 5-line terminal: the rows still moving, then one line
 * of counts; fewer lines than last time clears what is left below. */
static void test_ten(void **state)
{
    const char *names[] = { "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9" };
    struct live l;
    char counts[128];
    int i;

    (void)state;
    assert_int_equal(live_init(&l, names, 10, true, 60, 5), 0);
    for (i = 0; i < 7; i++)
        live_update(&l, (size_t)i, "started", true, false, NULL, 1.0 + i);
    live_update(&l, 7, "creating", false, false, NULL, 4.0);
    live_update(&l, 8, "creating", false, false, NULL, 4.5);
    check_draw(&l, 5.0,
               ROW "  d7  creating      1.0 s\n"
               ROW "  d8  creating      0.5 s\n"
               ROW "  7 started, 2 creating, 1 queued\n");
    live_update(&l, 7, "started", true, false, NULL, 5.1);
    live_update(&l, 8, "started", true, false, NULL, 5.2);
    check_draw(&l, 5.5,
               "\x1b[3A"
               ROW "  d9  queued        5.5 s\n"
               ROW "  9 started, 1 queued\n"
               "\x1b[J");
    live_counts(&l, counts, sizeof(counts));
    assert_string_equal(counts, "9 started, 1 queued");
    live_free(&l);
}

/* Colour: only the state word, and the width counts no escape. */
static void test_color(void **state)
{
    const char *names[] = { "vm" };
    struct live l;

    (void)state;
    assert_int_equal(live_init(&l, names, 1, true, 60, 24), 0);
    l.color = true;
    live_update(&l, 0, "failed", true, true, "boom", 1.25);
    check_draw(&l, 2.0, ROW "  vm  \x1b[31mfailed\x1b[0m        1.2 s  boom\n");
    live_free(&l);
}

/* No terminal: live_draw writes nothing; live_plain one line per change. */
static void test_plain(void **state)
{
    const char *names[] = { "vm" };
    char *buf = NULL;
    size_t len = 0;
    struct live l;
    FILE *f;

    (void)state;
    assert_int_equal(live_init(&l, names, 1, false, 80, 24), 0);
    f = open_memstream(&buf, &len);
    live_draw(&l, f, 1.0);
    live_plain(f, "up", "node1", "started", NULL, 4.08);
    live_plain(f, "up", "node2", "failed", "no such network\nmore", 4.3);
    live_plain(f, "down", "node1", "destroyed", NULL, 30.0);
    fclose(f);
    assert_string_equal(buf, "cloubed: up: node1: started (4.1 s)\n"
                             "cloubed: up: node2: failed (4.3 s): no such network\n"
                             "cloubed: down: node1: destroyed (30.0 s)\n");
    free(buf);
    live_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three),
        cmocka_unit_test(test_ten),
        cmocka_unit_test(test_color),
        cmocka_unit_test(test_plain),
    };
    return cmocka_run_group_tests_name("live lines", tests, NULL, NULL);
}
