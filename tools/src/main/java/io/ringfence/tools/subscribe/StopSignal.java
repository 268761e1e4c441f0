package io.ringfence.tools.subscribe;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Why {@code subscribe} stops, set once by whichever thread sees it first (I/O thread, signal hook, main). */
final class StopSignal {
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<String> why = new AtomicReference<>();

    /** Records the reason unless one was recorded before, and wakes the waiting thread. */
    void stop(final String reason) {
        why.compareAndSet(null, reason);
        stopped.countDown();
    }

    /** Waits until stopped or the timeout passes; true when stopped. */
    boolean await(final long nanos) throws InterruptedException {
        return stopped.await(nanos, TimeUnit.NANOSECONDS);
    }

    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** The first reason given, or null. */
    String why() {
        return why.get();
    }
}
