/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * deadline.c: timeouts as CLOCK_MONOTONIC deadlines.
 */
#include <limits.h>

#include "util/deadline.h"


struct timespec deadline_after(int timeout_ms)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    if (timeout_ms > 0) {
        ts.tv_sec += timeout_ms / 1000;
        ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
    }
    return ts;
}

int deadline_left_ms(const struct timespec *deadline, int timeout_ms)
{
    struct timespec now;
    long long ms;

    if (timeout_ms < 0)
        return INT_MAX;
    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
    return ms < 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms;
}

bool deadline_passed(const struct timespec *deadline, int timeout_ms)
{
    return timeout_ms >= 0 && deadline_left_ms(deadline, timeout_ms) == 0;
}
