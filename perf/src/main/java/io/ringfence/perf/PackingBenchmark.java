package io.ringfence.perf;

import io.ringfence.journal.ZeroRunPacking;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Cost of zero-run packing (journal write) and unpacking (journal read) one SBE event of the seeded
 * shop mix (mean 275 bytes, packing to ~82), cycling through 4,096 distinct events so branch
 * prediction sees realistic variety. Target buffer off-heap, like the journal appender's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dchronicle.analytics.disable=true"})
@State(Scope.Thread)
public class PackingBenchmark {
    private static final int EVENTS = 4096;
    private UnsafeBuffer[] events;
    private UnsafeBuffer[] packed;
    private int[] packedLengths;
    private final UnsafeBuffer target = new UnsafeBuffer(ByteBuffer.allocateDirect(ZeroRunPacking.maxPackedLength(64 * 1024)));
    private final UnsafeBuffer unpacked = new UnsafeBuffer(new byte[64 * 1024]);
    private int i;

    @Setup
    public void setUp() throws Exception {
        events = PipelineThroughput.encodeShop(EVENTS);
        packed = new UnsafeBuffer[EVENTS];
        packedLengths = new int[EVENTS];
        for (int e = 0; e < EVENTS; e++) {
            final UnsafeBuffer p = new UnsafeBuffer(new byte[ZeroRunPacking.maxPackedLength(events[e].capacity())]);
            packedLengths[e] = ZeroRunPacking.pack(events[e], 0, events[e].capacity(), p, 0);
            packed[e] = p;
        }
    }

    @Benchmark
    public int pack() {
        final UnsafeBuffer event = events[i++ & (EVENTS - 1)];
        return ZeroRunPacking.pack(event, 0, event.capacity(), target, 0);
    }

    @Benchmark
    public int unpack() {
        final int e = i++ & (EVENTS - 1);
        final int length = events[e].capacity();
        ZeroRunPacking.unpack(packed[e], 0, packedLengths[e], unpacked, 0, length);
        return unpacked.getInt(length - 4);
    }
}
