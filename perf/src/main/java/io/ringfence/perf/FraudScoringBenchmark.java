package io.ringfence.perf;

import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.decision.Verdict;
import io.ringfence.engine.fraud.Feature;
import io.ringfence.engine.fraud.FeatureTransform;
import io.ringfence.engine.fraud.FraudModel;
import io.ringfence.engine.fraud.FraudScorer;
import io.ringfence.engine.fraud.FraudSpec;
import io.ringfence.engine.fraud.LogisticModel;
import io.ringfence.engine.fraud.ModelFile;
import io.ringfence.engine.fraud.ModelTerm;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cost of fraud scoring per order ({@link FraudScorer#onEvent}): hashing the five ids, computing
 * the causal features (velocity over 3 horizons for user, device, IP and instrument, history,
 * distinct users, first-seen sets), the default rules of {@code ringfence-defaults.yaml}, with
 * {@code model=logistic} a logistic model over every feature and its {@code f:} reasons, the
 * verdict, then the state update. Orders are those {@link PipelineThroughput} publishes: 4,096
 * pre-encoded orders over 2,000 users, 3,000 devices, 255 IPs and 2,500 cards, event time
 * advancing 5 ms per order (so buckets roll and every horizon is populated). Run with
 * {@code -prof gc}: gc.alloc.rate.norm must be ~0 B/op.
 *
 * <pre>perf/run jmh -f 1 -wi 2 -i 3 -prof gc FraudScoringBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
public class FraudScoringBenchmark {
    private static final int RING = 4_096;
    private static final int EVENT_TIME_OFFSET = MessageHeaderEncoder.ENCODED_LENGTH + OrderEncoder.eventTimeEncodingOffset();
    private static final long STEP_MICROS = 5_000;

    /** none: rules only; logistic: plus a model over every feature (default transforms), as after {@code train}. */
    @Param({"none", "logistic"})
    public String model;

    private final Verdict verdict = new Verdict();
    private UnsafeBuffer[] orders;
    private FraudScorer scorer;
    private long time;
    private long seq;

    @Setup
    public void setUp() {
        final FraudSpec spec = EngineConfigLoader.defaults().fraudSpec();
        scorer = new FraudScorer(spec, "logistic".equals(model) ? everyFeature() : FraudModel.NONE);
        orders = PipelineThroughput.encodeOrders(RING);
        time = 1_700_000_000_000_000L;
    }

    /**
     * A model over every feature: log1p or identity as {@code train} chooses, unit scaling, small
     * weights of both signs and an intercept that approves most orders (the cost does not depend on
     * the values, only on how many terms there are and which transform each needs).
     */
    static LogisticModel everyFeature() {
        final List<ModelTerm> terms = new ArrayList<>();
        for (int i = 0; i < Feature.COUNT; i++) {
            final Feature f = Feature.at(i);
            terms.add(new ModelTerm(f, FeatureTransform.defaultFor(f), 0.5, 1.5, (i % 2 == 0 ? 0.05 : -0.04) * (1 + i % 5)));
        }
        return ModelFile.model(-3.0, 6.0, terms);
    }

    /** One order: features, rules, model, verdict, state update. */
    @Benchmark
    public int scoreOrder() {
        final UnsafeBuffer b = orders[(int) (seq++ & (RING - 1))];
        time += STEP_MICROS;
        b.putLong(EVENT_TIME_OFFSET, time, ByteOrder.LITTLE_ENDIAN);
        scorer.onEvent(b, 0, verdict);
        return verdict.reasonCount();
    }
}
