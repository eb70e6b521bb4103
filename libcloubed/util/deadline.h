/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * deadline.h: timeouts as CLOCK_MONOTONIC deadlines (internal), so that a
 * clock change neither shortens nor stretches a wait.
 */
#ifndef CB_INTERNAL_DEADLINE_H
#define CB_INTERNAL_DEADLINE_H

#include <stdbool.h>
#include <time.h>

/* Absolute CLOCK_MONOTONIC deadline TIMEOUT_MS from now (<0: none). */
struct timespec deadline_after(int timeout_ms);
/* True when the deadline has passed (never for a negative timeout). */
bool deadline_passed(const struct timespec *deadline, int timeout_ms);
/* Milliseconds left until the deadline, at least 0; INT_MAX without one. */
int deadline_left_ms(const struct timespec *deadline, int timeout_ms);

#endif
