package io.ringfence.gateway.admin;

import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.gateway.server.GatewayServer;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Whether the server does its job: the pipeline has not stopped on a fatal failure, the journal file
 * being written is in place, its disk is above the free-space reserve, the gateway accepts connections, and its I/O thread
 * still comes round its loop. Read on the admin thread from state the engine already keeps.
 */
final class HealthCheck {
    /**
     * An I/O thread that has not come round its loop for this long is reported stuck: a pass ends within a tick (at most
     * 100 ms) even with no traffic, and the longest pauses measured on the thread (a snapshot of a state of hundreds of MB
     * on the inline layout under contention) took seconds, not tens of seconds.
     */
    static final long STUCK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Supplier<Throwable> failure;
    private final BooleanSupplier listening;
    private final Supplier<Object> address;
    private final LongSupplier ioLoopAgeNanos;
    private final long stuckAfterNanos;
    private final Supplier<java.io.File> lostJournalFile;
    private final LongSupplier diskFreeBytes;
    private final long diskReserveBytes;

    HealthCheck(final Pipeline pipeline, final GatewayServer server, final io.ringfence.journal.Journal journal) {
        this(pipeline::failure, server::listening, server::address, server::ioLoopAgeNanos, STUCK_AFTER_NANOS, journal::lostFile,
            journal::diskFreeBytes, journal.diskReserveBytes());
    }

    /** @param diskFreeBytes free bytes of the journal's file system, -1 when unknown or the reserve is off */
    HealthCheck(final Supplier<Throwable> failure, final BooleanSupplier listening, final Supplier<Object> address,
                final LongSupplier ioLoopAgeNanos, final long stuckAfterNanos, final Supplier<java.io.File> lostJournalFile,
                final LongSupplier diskFreeBytes, final long diskReserveBytes) {
        this.lostJournalFile = lostJournalFile;
        this.diskFreeBytes = diskFreeBytes;
        this.diskReserveBytes = diskReserveBytes;
        this.failure = failure;
        this.listening = listening;
        this.address = address;
        this.ioLoopAgeNanos = ioLoopAgeNanos;
        this.stuckAfterNanos = stuckAfterNanos;
    }

    /** Null when healthy, otherwise every reason it is not, one per line. */
    String problems() {
        final StringBuilder problems = new StringBuilder();
        final Throwable failed = failure.get();
        if (failed != null) {
            problems.append("pipeline failed: ").append(failed.getMessage() != null ? failed.getMessage() : failed.toString())
                .append('\n');
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
        if (!listening.getAsBoolean()) {
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
}
