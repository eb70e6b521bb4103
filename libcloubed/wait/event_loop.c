/*
 * SPDX-License-Identifier: LGPL-3.0-or-later
 * event_loop.c: the process-wide libvirt event loop thread.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "util/error.h"
#include "wait/event_loop.h"

/* Guarded by loop_lock. */
static pthread_mutex_t loop_lock = PTHREAD_MUTEX_INITIALIZER;
static bool loop_registered;
static unsigned loop_users;
static pthread_t loop_thread;
static volatile int loop_stop; /* read by the loop thread between iterations */

static void *loop_main(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&loop_stop, __ATOMIC_ACQUIRE))
        if (virEventRunDefaultImpl() < 0)
            break;
    return NULL;
}

static void wake_cb(int timer, void *opaque)
{
    (void)opaque;
    virEventRemoveTimeout(timer);
}

/* Barriers: tickets numbered under barrier_lock; each immediate timer marks
 * its ticket passed. Static, so that the loop thread never touches memory
 * handed over through libvirt's loop (invisible to ThreadSanitizer). */
static pthread_mutex_t barrier_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t barrier_cond = PTHREAD_COND_INITIALIZER;
static unsigned long barrier_issued, barrier_passed;

static void barrier_cb(int timer, void *opaque)
{
    unsigned long ticket = (unsigned long)(uintptr_t)opaque;

    virEventRemoveTimeout(timer);
    pthread_mutex_lock(&barrier_lock);
    if (ticket > barrier_passed)
        barrier_passed = ticket;
    pthread_cond_broadcast(&barrier_cond);
    pthread_mutex_unlock(&barrier_lock);
}

void event_loop_barrier(void)
{
    unsigned long ticket;

    /* A timer runs between two dispatches of the loop thread: once one
     * registered after this call began has run, a callback that was being
     * dispatched then has returned. */
    pthread_mutex_lock(&barrier_lock);
    ticket = ++barrier_issued;
    pthread_mutex_unlock(&barrier_lock);
    if (virEventAddTimeout(0, barrier_cb, (void *)(uintptr_t)ticket, NULL) < 0) {
        virResetLastError();
        return;
    }
    pthread_mutex_lock(&barrier_lock);
    while (barrier_passed < ticket)
        pthread_cond_wait(&barrier_cond, &barrier_lock);
    pthread_mutex_unlock(&barrier_lock);
}

int event_loop_acquire(void)
{
    int rc = 0;

    pthread_mutex_lock(&loop_lock);
    if (!loop_registered) {
        if (virEventRegisterDefaultImpl() < 0) {
            rc = err_set(CB_ELIBVIRT, "cannot register libvirt's event loop: %s",
                         virGetLastErrorMessage());
            goto out;
        }
        loop_registered = true;
    }
    if (loop_users == 0) {
        __atomic_store_n(&loop_stop, 0, __ATOMIC_RELEASE);
        if (pthread_create(&loop_thread, NULL, loop_main, NULL) != 0) {
            rc = err_set(CB_ERROR, "cannot start the libvirt event loop thread");
            goto out;
        }
    }
    loop_users++;
out:
    pthread_mutex_unlock(&loop_lock);
    return rc;
}

void event_loop_release(void)
{
    pthread_mutex_lock(&loop_lock);
    if (loop_users > 0 && --loop_users == 0) {
        __atomic_store_n(&loop_stop, 1, __ATOMIC_RELEASE);
        /* An immediate timer makes virEventRunDefaultImpl() return. */
        virEventAddTimeout(0, wake_cb, NULL, NULL);
        pthread_join(loop_thread, NULL);
    }
    pthread_mutex_unlock(&loop_lock);
}
