package io.ringfence.gateway.admin;

import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.gateway.server.GatewayServer;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Whether the server does its job: the pipeline has not stopped on a fatal failure, the journal file
 * being written is in place, its disk is above the free-space reserve, the gateway accepts connections, its I/O thread
 * still comes round its loop, and the stage threads still dispatch what waits in the ring. Read on the admin threads from
 * state the engine already keeps.
 */
final class HealthCheck {
    /**
     * An I/O thread that has not come round its loop for this long is reported stuck: a pass ends within a tick (at most
     * 100 ms) even with no traffic, and the longest pauses measured on the thread (a snapshot of a state of hundreds of MB
     * on the inline layout under contention) took seconds, not tens of seconds.
     */
    static final long STUCK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Supplier<Throwable> failure;
    private Supplier<Throwable> ioFailure = () -> null;
    private final BooleanSupplier listening;
    private final Supplier<Object> address;
    private final LongSupplier ioLoopAgeNanos;
    private final long stuckAfterNanos;
    private final Supplier<java.io.File> lostJournalFile;
    private final LongSupplier diskFreeBytes;
    private final long diskReserveBytes;
    private final LongSupplier dispatchedSlots;
    private final LongSupplier waiting;
    private final LongSupplier nanoClock;
    /** The dispatch position the last check saw, and since when it has been that with events waiting. Guarded by this. */
    private long lastDispatched = Long.MIN_VALUE;
    private long dispatchedSinceNanos;

    HealthCheck(final Pipeline pipeline, final GatewayServer server, final io.ringfence.journal.Journal journal) {
        this(pipeline::failure, server::listening, server::address, server::ioLoopAgeNanos, STUCK_AFTER_NANOS, journal::lostFile,
            journal::diskFreeBytes, journal.diskReserveBytes(), pipeline::dispatchedSlots, pipeline::ringOccupancy, System::nanoTime);
        withIoFailure(server::failure);
    }

    /**
     * @param diskFreeBytes free bytes of the journal's file system, -1 when unknown or the reserve is off
     * @param dispatchedSlots how far dispatch has got, in ring slots ({@link Pipeline#dispatchedSlots()})
     * @param waiting         slots published but not yet dispatched
     */
    HealthCheck(final Supplier<Throwable> failure, final BooleanSupplier listening, final Supplier<Object> address,
                final LongSupplier ioLoopAgeNanos, final long stuckAfterNanos, final Supplier<java.io.File> lostJournalFile,
                final LongSupplier diskFreeBytes, final long diskReserveBytes, final LongSupplier dispatchedSlots,
                final LongSupplier waiting, final LongSupplier nanoClock) {
        this.dispatchedSlots = dispatchedSlots;
        this.waiting = waiting;
        this.nanoClock = nanoClock;
        this.lostJournalFile = lostJournalFile;
        this.diskFreeBytes = diskFreeBytes;
        this.diskReserveBytes = diskReserveBytes;
        this.failure = failure;
        this.listening = listening;
        this.address = address;
        this.ioLoopAgeNanos = ioLoopAgeNanos;
        this.stuckAfterNanos = stuckAfterNanos;
    }

    /** Where the gateway I/O thread's failure is read ({@code GatewayServer#failure}). */
    HealthCheck withIoFailure(final Supplier<Throwable> ioFailure) {
        this.ioFailure = ioFailure;
        return this;
    }

    /** Null when healthy, otherwise every reason it is not, one per line. */
    synchronized String problems() {
        final StringBuilder problems = new StringBuilder();
        final Throwable failed = failure.get();
        if (failed != null) {
            problems.append("pipeline failed: ").append(failed.getMessage() != null ? failed.getMessage() : failed.toString())
                .append('\n');
        } else {
            stalled(problems);
        }
        final java.io.File lost = lostJournalFile.get();
        if (lost != null) {
            // a quiet server goes on until its next event is refused: say it now (the events of that file are copied back at
            // that refusal or at the stop, and lost with the process on a kill -9 before either)
            problems.append("journal file ").append(lost).append(" was deleted, moved or replaced while the server writes it:"
                + " stop the server (SIGTERM) so that it copies what was written back; a kill -9 would lose those events\n");
        }
        final long free = diskFreeBytes.getAsLong();
        if (free >= 0 && diskReserveBytes > 0 && free < diskReserveBytes) {
            // a quiet server below the reserve answered 200 until its next event was refused and it stopped (operations audit)
            problems.append(String.format("journal disk below the reserve: %,d MiB free, journal.minFreeMiB is %,d: the next"
                + " event is refused and the server stops; free disk space (or lower the reserve) before traffic comes%n",
                free >> 20, diskReserveBytes >> 20));
        }
        final Throwable ioFailed = ioFailure.get();
        if (ioFailed != null) {
            problems.append("gateway I/O thread failed: ").append(ioFailed).append('\n');
        } else if (!listening.getAsBoolean()) {
            problems.append("gateway is not listening on ").append(address.get()).append('\n');
        } else {
            final long age = ioLoopAgeNanos.getAsLong();
            if (age >= stuckAfterNanos) {
                problems.append(String.format("gateway I/O thread stuck: it has not come round its loop for %.1f s (it takes no"
                    + " event and sends no answer meanwhile; a thread dump, jstack PID, shows where it is)%n", age / 1e9));
            }
        }
        return problems.length() == 0 ? null : problems.toString();
    }

    /**
     * A stage thread that hangs without failing (a lock, an endless loop, a stuck write) left /health at 200 while the ring
     * filled and every client waited (review): reported once checks {@code stuckAfterNanos} apart have seen events waiting
     * and the same dispatch position. A check sees only its own moment, so the first that finds a hang starts the count.
     * The position is in ring slots, not events: controls, refusals and snapshot markers move it too (review: counted as
     * events published minus slots waiting, each control moved it back by one and hid a hang).
     */
    private void stalled(final StringBuilder problems) {
        final long queued = waiting.getAsLong();
        final long dispatched = dispatchedSlots.getAsLong();
        final long now = nanoClock.getAsLong();
        if (queued <= 0 || dispatched != lastDispatched) {
            lastDispatched = queued <= 0 ? Long.MIN_VALUE : dispatched;
            dispatchedSinceNanos = now;
            return;
        }
        final long still = now - dispatchedSinceNanos;
        if (still >= stuckAfterNanos) {
            problems.append(String.format("engine stuck: %,d slots wait in the ring and none was dispatched for %.1f s (every"
                + " client waits for its answers; a thread dump, jstack PID, shows where the rf- stage threads are)%n", queued,
                still / 1e9));
        }
    }
}
