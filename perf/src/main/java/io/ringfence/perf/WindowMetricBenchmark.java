package io.ringfence.perf;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.window.WindowAggregator;
import io.ringfence.engine.window.WindowConfig;
import io.ringfence.engine.window.WindowSpecs;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Window update per metric: one window keyed by merchant (20 keys) holding only the metric(s) under
 * test, fed the orders {@link WindowAggregatorBenchmark} uses (event time 5 ms apart, so tumbling
 * windows close and sliding panes expire; closes amortised into ns/op). {@code count} alone is the
 * window's fixed cost (key lookup, pane bookkeeping); each other metric's cost is its figure minus
 * count's. Run with {@code -prof gc}: gc.alloc.rate.norm must be ~0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
public class WindowMetricBenchmark {
    private static final int RING = 4_096;
    private static final int EVENT_TIME_OFFSET = MessageHeaderEncoder.ENCODED_LENGTH + OrderEncoder.eventTimeEncodingOffset();
    private static final long STEP_MICROS = 5_000;

    /** The metric(s) of the one window. */
    @Param({"count", "sum", "minmax", "meanstddev", "distinct", "topk"})
    public String metric;

    /** tumbling 1h; {@code -p kind=sliding} (1h in 1m steps) for every metric but topk, which is tumbling only. */
    @Param({"tumbling"})
    public String kind;

    private final OutputBuffer out = new OutputBuffer(64 * 1024);
    private UnsafeBuffer[] orders;
    private WindowAggregator aggregator;
    private long time;
    private long seq;

    static String[] metrics(final String metric) {
        switch (metric) {
            case "count": return new String[] {"count"};
            case "sum": return new String[] {"sum(amount)"};
            case "minmax": return new String[] {"min(amount)", "max(amount)"};
            case "meanstddev": return new String[] {"mean(amount)", "stddev(amount)"};
            case "distinct": return new String[] {"distinct(userId)"};
            case "topk": return new String[] {"topk(sku, 5)"};
            default: throw new IllegalArgumentException("unknown metric " + metric);
        }
    }

    @Setup
    public void setUp() {
        final WindowConfig window = new WindowConfig().name("bench").key("merchant").kind(kind).size("1h").metrics(metrics(metric));
        if ("sliding".equals(kind)) {
            window.step("1m");
        }
        aggregator = new WindowAggregator(WindowSpecs.from(List.of(window)));
        orders = PipelineThroughput.encodeOrders(RING);
        time = 1_700_000_000_000_000L;
    }

    /** One order through the window. */
    @Benchmark
    public int onEvent() {
        final UnsafeBuffer b = orders[(int) (seq & (RING - 1))];
        time += STEP_MICROS;
        b.putLong(EVENT_TIME_OFFSET, time, ByteOrder.LITTLE_ENDIAN);
        out.reset();
        aggregator.onEvent(seq++, b, 0, out);
        return out.count();
    }
}
