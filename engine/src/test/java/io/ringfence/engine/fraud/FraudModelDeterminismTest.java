package io.ringfence.engine.fraud;

import io.ringfence.engine.EngineLogic;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.decision.Verdict;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.sbe.Outcome;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a model over every feature, the same generated traffic through two fresh business stages
 * gives bit-identical model scores, contributions, decision scores and reasons (seen through the
 * {@link ScoreListener} hook) and byte-identical outputs; and every model score is the sum of its
 * terms computed independently from the features, bit for bit.
 */
class FraudModelDeterminismTest {
    private static List<FraudEvents.Event> workload() {
        final List<FraudEvents.Event> events = new ArrayList<>(ShopTraffic.events(23, 400, 20_000));
        // heavy orders by known users from new devices now and then, so the model reviews and declines some
        final SplittableRandom random = new SplittableRandom(5);
        long t = 60 * FraudEvents.HOUR; // after the generated traffic (~58 h)
        for (int i = 0; i < 300; i++) {
            t += random.nextInt(1, 30) * FraudEvents.SECOND;
            final int u = random.nextInt(400);
            events.add(FraudEvents.order(t).user("u" + u).device("x" + random.nextInt(20)).ip("10.7.0." + random.nextInt(50))
                .amount(20_000 + random.nextInt(2_000_000)));
        }
        return events;
    }

    private record Run(List<String> scored, byte[] output, long stateHash, int modelReasons, int notApproved) {
    }

    private static Run run(final List<FraudEvents.Event> events, final LogisticModel model) {
        final EngineConfig config = EngineConfigLoader.defaults();
        final List<String> scored = new ArrayList<>();
        final int[] counts = new int[2];
        final ScoreListener listener = (seq, buffer, offset, scorer, verdict) -> {
            final StringBuilder sb = new StringBuilder().append(seq).append(' ')
                .append(Long.toHexString(Double.doubleToRawLongBits(scorer.lastModelScore()))).append(' ')
                .append(Long.toHexString(Double.doubleToRawLongBits(verdict.score()))).append(' ').append(verdict.outcome());
            final double[] c = scorer.lastContributions();
            for (int i = 0; i < Feature.COUNT; i++) {
                sb.append(i == 0 ? " [" : ",").append(Long.toHexString(Double.doubleToRawLongBits(c[i])));
            }
            sb.append(']');
            for (int i = 0; i < verdict.reasonCount(); i++) {
                final String r = verdict.reasonText(i);
                sb.append(' ').append(r);
                if (r.startsWith(FraudScorer.MODEL_REASON_PREFIX)) {
                    counts[0]++;
                }
            }
            if (verdict.outcome() != Outcome.APPROVE) {
                counts[1]++;
            }
            checkAgainstTheTerms(model, scorer, verdict);
            scored.add(sb.toString());
        };
        final EngineLogic logic = new EngineLogic(config.validate(), config.fraudSpec().withModel(model), listener);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[4096]);
        final OutputBuffer out = new OutputBuffer(64 * 1024);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final OutputBuffer.OutputHandler collect = (b, offset, length) -> {
            final byte[] copy = new byte[length];
            b.getBytes(offset, copy);
            bytes.writeBytes(copy);
        };
        long seq = 0;
        for (final FraudEvents.Event e : events) {
            e.encode(in);
            out.reset();
            seq++;
            logic.onEvent(seq, seq * 10, in, 0, 4096, out);
            out.forEach(collect);
        }
        out.reset();
        logic.onEndOfInput(seq, out);
        out.forEach(collect);
        // a repeat (the same order sent again, decisions.repeats) is answered from the first decision, not scored
        assertEquals(logic.decided() - logic.decisions().repeats(), scored.size(), "the listener saw every decision scored");
        return new Run(scored, bytes.toByteArray(), logic.stateHash(), counts[0], counts[1]);
    }

    /** The model's score recomputed from the features with ModelTerm.standardised, in term order. */
    private static void checkAgainstTheTerms(final LogisticModel model, final FraudScorer scorer, final Verdict verdict) {
        if (scorer.lastHits().allowed()) {
            return;
        }
        final FeatureVector v = scorer.lastFeatures();
        double logit = model.intercept();
        for (final ModelTerm t : model.terms()) {
            final double c = t.weight() * t.standardised(v.get(t.feature()), model.clip());
            if (Double.doubleToRawLongBits(c) != Double.doubleToRawLongBits(scorer.lastContributions()[t.feature().ordinal()])) {
                throw new AssertionError(t.feature().featureName() + ": " + c + " != "
                    + scorer.lastContributions()[t.feature().ordinal()]);
            }
            logit += c;
        }
        final double p = 1.0 / (1.0 + StrictMath.exp(-logit));
        if (Double.doubleToRawLongBits(p) != Double.doubleToRawLongBits(scorer.lastModelScore())) {
            throw new AssertionError("model score " + scorer.lastModelScore() + " != " + p + " for " + v);
        }
    }

    @Test
    void shouldScoreTheSameTrafficToTheSameBits() {
        final List<FraudEvents.Event> events = workload();
        final LogisticModel model = TestModels.everyFeature();
        final Run first = run(events, model);
        final Run second = run(events, TestModels.everyFeature()); // a fresh, equal model
        assertTrue(first.scored().size() > 10_000, "scored: " + first.scored().size());
        assertTrue(first.modelReasons() >= 50, "model reasons given: " + first.modelReasons());
        assertTrue(first.notApproved() < first.scored().size() / 2, "most traffic approved: " + first.notApproved());
        assertEquals(first.scored().size(), second.scored().size());
        for (int i = 0; i < first.scored().size(); i++) {
            assertEquals(first.scored().get(i), second.scored().get(i), "scored event " + i);
        }
        assertArrayEquals(first.output(), second.output(), "outputs differ between two runs of the same events");
        assertEquals(first.stateHash(), second.stateHash());
    }
}
