package io.ringfence.tools.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The fixed-rate schedule both the engine run and the echo baseline send on: message {@code i} is
 * intended for {@code start + i * period}; the sender parks (never spins) until that time, and
 * latency is taken from the intended time, so a stall delays every message behind it instead of
 * hiding (coordinated omission).
 */
final class OpenLoopSchedule {
    private static final long MAX_PARK_NANOS = 200_000;

    private final long startNanos;
    private final double periodNanos;

    OpenLoopSchedule(final long startNanos, final double rate) {
        this.startNanos = startNanos;
        this.periodNanos = 1e9 / rate;
    }

    long intendedNanos(final long index) {
        return startNanos + (long) (index * periodNanos);
    }

    /** Waits until message {@code index} is due; returns its intended send time. */
    long awaitSlot(final long index) {
        final long intended = intendedNanos(index);
        long now;
        while ((now = System.nanoTime()) < intended) {
            LockSupport.parkNanos(Math.min(intended - now, MAX_PARK_NANOS));
        }
        return intended;
    }
}
