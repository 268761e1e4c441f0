package io.ringfence.gateway.bridge;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;

/**
 * The one wall clock of the gateway side: stamps each accepted event's ingest time (journaled) and
 * measures arrival-to-answer latency against it. One instance for both, because two offset clocks
 * sampled at different moments disagree by a few microseconds, which is the size of the latencies
 * being measured. Epoch nanoseconds from {@code System.nanoTime} plus one sampled offset: no
 * allocation, no system call per read. Never read by business logic (DESIGN §3).
 */
final class IngestClock {
    private static final EpochNanoClock CLOCK = new OffsetEpochNanoClock();

    private IngestClock() {
    }

    static long epochMicros() {
        return CLOCK.nanoTime() / 1_000;
    }
}
