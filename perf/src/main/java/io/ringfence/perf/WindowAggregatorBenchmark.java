package io.ringfence.perf;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.window.SlidingWindow;
import io.ringfence.engine.window.WindowAggregator;
import io.ringfence.engine.window.WindowConfig;
import io.ringfence.engine.window.WindowSpecs;
import io.ringfence.engine.window.WindowView;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.PaymentEncoder;
import io.ringfence.sbe.PaymentResult;
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

import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cost of {@link WindowAggregator#onEvent} per event for a realistic configuration: a tumbling
 * 1 h GMV-by-country window (count, sum) and a sliding 1 h / 5 m per-user window (count, sum,
 * distinct devices). Events come from a pre-encoded ring of 4,096 orders and payments over 10,000
 * users and 20 countries; only the event time is rewritten (advancing 10 ms per event, so windows
 * close and panes expire as in production). Run with {@code -prof gc} to confirm ~0 B/op.
 *
 * <pre>java -jar perf/target/ringfence-perf.jar WindowAggregatorBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class WindowAggregatorBenchmark {
    private static final int RING = 4_096;
    private static final int EVENT_TIME_OFFSET = MessageHeaderEncoder.ENCODED_LENGTH + OrderEncoder.eventTimeEncodingOffset();
    private static final long STEP_MICROS = 10_000;

    private final UnsafeBuffer events = new UnsafeBuffer(new byte[RING * 512]);
    private final int[] offsets = new int[RING];
    private final OutputBuffer out = new OutputBuffer(64 * 1024);
    private final WindowView view = new WindowView();
    private WindowAggregator aggregator;
    private SlidingWindow users;
    private long time;
    private long seq;

    @Setup
    public void setUp() {
        aggregator = new WindowAggregator(WindowSpecs.from(List.of(
            new WindowConfig().name("gmv_by_country_1h").key("country").kind("tumbling").size("1h")
                .events("order", "payment").metrics("count", "sum(amount)"),
            new WindowConfig().name("user_velocity_1h").key("user").kind("sliding").size("1h").step("5m")
                .events("order", "payment").metrics("count", "sum(amount)", "distinct(deviceId)"))));
        users = aggregator.sliding("user_velocity_1h");

        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final OrderEncoder order = new OrderEncoder();
        final PaymentEncoder payment = new PaymentEncoder();
        final SplittableRandom random = new SplittableRandom(1);
        int at = 0;
        for (int i = 0; i < RING; i++) {
            offsets[i] = at;
            final int user = random.nextInt(10_000);
            final long amount = 100 + random.nextLong(50_000);
            if (random.nextInt(4) < 3) {
                order.wrapAndApplyHeader(events, at, header)
                    .clientSeq(i).eventTime(0).orderId("o-" + i).userId("user-" + user).merchantId("shop-1")
                    .amount(amount).currency("EUR").country("country-" + user % 20).ip("10.0.0." + user % 250)
                    .deviceId("dev-" + (user + random.nextInt(2))).instrumentId("card-" + user).channel(Channel.WEB).label((byte) -1);
                order.itemsCount(1).next().sku("sku-" + random.nextInt(500)).qty(1).unitPrice(amount).category("c");
                at += MessageHeaderEncoder.ENCODED_LENGTH + order.encodedLength();
            } else {
                payment.wrapAndApplyHeader(events, at, header)
                    .clientSeq(i).eventTime(0).paymentId("p-" + i).orderId("o-" + i).userId("user-" + user)
                    .instrumentId("card-" + user).amount(amount).currency("EUR").result(PaymentResult.AUTHORIZED).label((byte) -1);
                at += MessageHeaderEncoder.ENCODED_LENGTH + payment.encodedLength();
            }
        }
        time = 1_323_432_000_000_000L;
    }

    private int nextEvent() {
        final int offset = offsets[(int) (seq & (RING - 1))];
        time += STEP_MICROS;
        events.putLong(offset + EVENT_TIME_OFFSET, time, ByteOrder.LITTLE_ENDIAN);
        return offset;
    }

    /** One event through both windows (tumbling closes included, amortised). */
    @Benchmark
    public int onEvent() {
        final int offset = nextEvent();
        out.reset();
        aggregator.onEvent(seq++, events, offset, out);
        return out.count();
    }

    /** One event plus the per-user velocity query the scoring stage will make for it. */
    @Benchmark
    public long onEventAndQuery() {
        final int offset = nextEvent();
        out.reset();
        aggregator.onEvent(seq++, events, offset, out);
        users.query(users.keyHash(events, offset), time, view);
        return view.count() + view.sum() + view.distinct(0);
    }
}
