package io.ringfence.gateway.admin;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code /health} reports: a failed pipeline, a gateway not listening, an I/O thread stuck past the bound, stage
 * threads that dispatch nothing while events wait.
 */
class HealthCheckTest {
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean listening = new AtomicBoolean(true);
    private final AtomicLong age = new AtomicLong();
    private final AtomicReference<java.io.File> lostFile = new AtomicReference<>();
    private final AtomicLong diskFree = new AtomicLong(-1);
    private final AtomicLong dispatched = new AtomicLong(99);
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final AtomicReference<Throwable> ioFailure = new AtomicReference<>();
    private final HealthCheck check = new HealthCheck(failure::get, listening::get, () -> "127.0.0.1:7001", age::get,
        HealthCheck.STUCK_AFTER_NANOS, lostFile::get, diskFree::get, 64L << 20, dispatched::get, waiting::get, clock::get)
        .withIoFailure(ioFailure::get);

    /** Chaos trial: the I/O thread ended on an OutOfMemoryError and /health said "gateway is not listening", its port open. */
    @Test
    void anIoThreadThatFailedIsReportedWithItsError() {
        ioFailure.set(new OutOfMemoryError("Cannot reserve 1049344 bytes of direct buffer memory"));
        listening.set(false);
        assertEquals("gateway I/O thread failed: java.lang.OutOfMemoryError: Cannot reserve 1049344 bytes of direct buffer"
            + " memory\n", check.problems());
    }

    @Test
    void healthyWhileTheIoThreadComesRoundWithinTheBound() {
        age.set(HealthCheck.STUCK_AFTER_NANOS - 1);
        assertNull(check.problems());
    }

    @Test
    void anIoThreadStuckForTheBoundIsReportedWithHowLong() {
        age.set(TimeUnit.SECONDS.toNanos(42));
        final String problems = check.problems();
        assertTrue(problems != null && problems.startsWith("gateway I/O thread stuck: it has not come round its loop for 42.0 s"),
            problems);
    }

    @Test
    void aJournalFileDeletedUnderAQuietServerIsReported() {
        lostFile.set(new java.io.File("d1/20261205F.cq4"));
        final String problems = check.problems();
        assertTrue(problems != null && problems.startsWith("journal file d1/20261205F.cq4 was deleted, moved or replaced while"
            + " the server writes it: stop the server (SIGTERM)"), problems);
    }

    @Test
    void aDiskBelowTheReserveIsReportedBeforeTheNextEventStopsTheServer() {
        diskFree.set((64L << 20) - 1);
        final String problems = check.problems();
        assertEquals("journal disk below the reserve: 63 MiB free, journal.minFreeMiB is 64: the next event is refused and the"
            + " server stops; free disk space (or lower the reserve) before traffic comes\n", problems);
        diskFree.set(64L << 20);
        assertNull(check.problems(), "at the reserve: appends still go");
        diskFree.set(-1);
        assertNull(check.problems(), "unknown or the reserve off");
    }

    @Test
    void stageThreadsThatDispatchNothingWhileEventsWaitAreReportedOnceTheBoundPassed() {
        waiting.set(16_384); // a full ring, dispatched up to slot 99
        assertNull(check.problems(), "the first check that sees it starts the count");
        clock.addAndGet(HealthCheck.STUCK_AFTER_NANOS - 1);
        assertNull(check.problems());
        clock.addAndGet(TimeUnit.SECONDS.toNanos(12) + 1);
        assertEquals("engine stuck: 16,384 slots wait in the ring and none was dispatched for 42.0 s (every client waits for"
            + " its answers; a thread dump, jstack PID, shows where the rf- stage threads are)\n", check.problems());
        dispatched.set(100); // one more slot dispatched (an event, or a control: review), one more published: it moves
        assertNull(check.problems());
        clock.addAndGet(HealthCheck.STUCK_AFTER_NANOS);
        assertTrue(check.problems().startsWith("engine stuck: 16,384 slots wait"), "stuck again at the new position");
    }

    @Test
    void aQuietOrMovingRingIsHealthyHoweverLongBetweenChecks() {
        for (int i = 0; i < 5; i++) {
            clock.addAndGet(TimeUnit.MINUTES.toNanos(5));
            assertNull(check.problems(), "nothing waits");
        }
        waiting.set(3);
        for (int i = 0; i < 5; i++) {
            dispatched.addAndGet(10); // ten more dispatched between checks, three always in flight
            clock.addAndGet(TimeUnit.MINUTES.toNanos(5));
            assertNull(check.problems(), "it dispatches");
        }
        waiting.set(0);
        clock.addAndGet(TimeUnit.MINUTES.toNanos(5));
        assertNull(check.problems());
        waiting.set(1); // events wait again at the position of long ago: the count starts now, not then
        assertNull(check.problems());
    }

    @Test
    void everyReasonOneALine() {
        failure.set(new IllegalStateException("business stage threw"));
        listening.set(false);
        age.set(TimeUnit.SECONDS.toNanos(60)); // a closed gateway's thread is gone: not reported as stuck too
        assertEquals("pipeline failed: business stage threw\ngateway is not listening on 127.0.0.1:7001\n", check.problems());
    }
}
