package io.ringfence.perf;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The whole in-process pipeline per event, journaling on: a fresh engine per trial (default
 * configuration: every business stage, Chronicle journal in a temporary directory, combined
 * layout, yielding wait on this machine's cores), the seeded shop mix ({@link MixPasses}: new order and
 * payment ids each pass) published by this thread
 * and awaited until dispatched, {@value #BATCH} events per invocation. {@code queue} runs the
 * same engine on the Disruptor ring or on ArrayBlockingQueues; {@code -prof gc} gives the bytes
 * allocated per event by every thread. The state is filled with 1,000,000 events (windows cycle
 * after an hour of event time, 720,000 events) before the first
 * iteration so the measured events see a steady state. {@code perf/run pipeline} measures the
 * same sustained over millions of events.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dchronicle.analytics.disable=true", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class PipelineBenchmark {
    static final int BATCH = 8_192;
    private static final int DISTINCT = 65_536;
    private static final int FILL = 1_000_000;

    @Param({"disruptor", "array-blocking-queue"})
    String queue;

    private Path directory;
    private PipelineVariant.Running engine;
    private MixPasses events;
    private long next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        events = new MixPasses(PipelineThroughput.encodeShop(DISTINCT));
        directory = Files.createTempDirectory("ringfence-pipeline-bench");
        final EngineConfig config = EngineConfigLoader.loadValidated(null);
        engine = ("disruptor".equals(queue) ? PipelineVariant.DISRUPTOR : PipelineVariant.ABQ)
                .start(config, directory, true, new PipelineThroughput.CountingSink());
        for (int i = 0; i < FILL; i++) {
            publishNext();
        }
        engine.awaitDispatched();
    }

    /** Time moves on 5 ms per event; each pass over the mix has new order and payment ids. */
    private void publishNext() {
        final long i = next++;
        final UnsafeBuffer b = events.event(i, 1_700_000_000_000_000L + i * 5_000);
        engine.publish(i, i, b, b.capacity());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long publishAndDispatch() {
        for (int i = 0; i < BATCH; i++) {
            publishNext();
        }
        engine.awaitDispatched();
        return next;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            engine.close();
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
