package io.ringfence.perf;

import io.ringfence.engine.config.EngineConfigLoader;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cost of {@link WindowAggregator#onEvent} per order event with the default window set of
 * {@code ringfence-defaults.yaml} (gmv_by_country_1h; merchant_1h with max/mean/stddev,
 * distinct(userId), topk(sku, 5), lateness 5m; user_velocity_1h sliding 1h/1m), on the orders
 * {@link PipelineThroughput} publishes: 4,096 pre-encoded orders of 2 item lines over 2,000 users,
 * 20 merchants, 500 skus and 5 countries, event time advancing 5 ms per event (so tumbling windows
 * close, sliding panes expire and sketches pass their exact bound as in production). Tumbling
 * closes are amortised into ns/op. Run with {@code -prof gc}: gc.alloc.rate.norm must be ~0 B/op.
 *
 * <pre>java $FLAGS -jar perf/target/ringfence-perf.jar jmh -prof gc WindowAggregatorBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
public class WindowAggregatorBenchmark {
    private static final int RING = 4_096;
    private static final int EVENT_TIME_OFFSET = MessageHeaderEncoder.ENCODED_LENGTH + OrderEncoder.eventTimeEncodingOffset();
    private static final long STEP_MICROS = 5_000;

    /** "all" (the default set), or a comma-separated subset of its window names, to split the cost. */
    @Param({"all"})
    public String windows;

    private final OutputBuffer out = new OutputBuffer(64 * 1024);
    private UnsafeBuffer[] orders;
    private WindowAggregator aggregator;
    private long time;
    private long seq;

    @Setup
    public void setUp() {
        final List<WindowConfig> configs = new ArrayList<>(EngineConfigLoader.defaults().windows);
        if (!"all".equals(windows)) {
            final List<String> names = Arrays.asList(windows.split(","));
            configs.removeIf(c -> !names.contains(c.name));
        }
        aggregator = new WindowAggregator(WindowSpecs.from(configs));
        orders = PipelineThroughput.encodeOrders(RING);
        time = 1_700_000_000_000_000L;
    }

    /** One order through the default windows (tumbling closes included, amortised). */
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
