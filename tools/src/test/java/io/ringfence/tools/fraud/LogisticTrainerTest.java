package io.ringfence.tools.fraud;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.fraud.Feature;
import io.ringfence.engine.fraud.FeatureVector;
import io.ringfence.engine.fraud.LogisticModel;
import io.ringfence.engine.fraud.ModelTerm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LogisticTrainer} on features the real engine computed for seeded labelled traffic
 * ({@link LabelledTraffic}: fraud orders come seconds after signup on shared devices). Besides
 * "it separates the classes", the fit is checked against the optimality conditions of the
 * penalised, weighted log-likelihood it claims to maximise, recomputed here from the model.
 */
class LogisticTrainerTest {
    private static final int USERS = 600;

    @TempDir
    static Path dir;

    private static ScoredEvents scored;
    private static int[] all;
    private static int positives;

    @BeforeAll
    static void scoreTraffic() throws Exception {
        final Path input = dir.resolve("labelled.jsonl");
        LabelledTraffic.write(input, USERS, 42, true);
        scored = run(input);
        all = IntStream.range(0, scored.size()).toArray();
        positives = (int) IntStream.of(all).filter(scored::fraud).count();
    }

    static ScoredEvents run(final Path input) throws Exception {
        final EngineConfig config = EngineConfigLoader.load(null);
        config.fraud.model = null;
        config.validate();
        final ScoredEvents s = new ScoredEvents(true);
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final ScoredRun.Result result = ScoredRun.run("test", config, input, null, null, s, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, result.counts().rejected, err.toString(StandardCharsets.UTF_8));
        return s;
    }

    @Test
    void shouldSeeEveryLabelledOrderOfTheTraffic() {
        assertTrue(scored.size() > USERS, "every user orders at least once: " + scored.size());
        assertEquals(0, scored.unlabelled());
        assertTrue(positives > USERS / 10 && positives < USERS / 3, "about 20% fraud users: " + positives);
    }

    @Test
    void shouldFitANegativeWeightOnSecondsSinceSignupAndRankTheTrainingOrdersWell() {
        final LogisticTrainer.Fit fit = new LogisticTrainer(LogisticTrainer.Settings.defaults()).fit(scored, all);
        assertTrue(fit.converged(), "converged in " + fit.iterations());
        assertTrue(fit.iterations() < 30, "Newton steps: " + fit.iterations());
        assertTrue(weight(fit.model(), Feature.SECONDS_SINCE_SIGNUP) < -0.5,
                "fast orders after signup are fraud: " + weight(fit.model(), Feature.SECONDS_SINCE_SIGNUP));
        assertTrue(weight(fit.model(), Feature.DEVICE_OTHER_USERS_24H) > 0, "shared devices are fraud");
        final double auc = BinaryMetrics.rocAuc(scores(fit.model(), all), labels(all));
        assertTrue(auc > 0.9, "training ROC AUC " + auc);
        assertTrue(fit.logLoss() > 0 && fit.logLoss() < Math.log(2), "log-loss below a coin's: " + fit.logLoss());
        // constant features are left out, not fitted: every event is an order, every user signed up
        assertTrue(fit.dropped().contains(Feature.IS_PAYMENT), fit.dropped().toString());
        assertTrue(fit.dropped().contains(Feature.NO_SIGNUP_SEEN), fit.dropped().toString());
        for (final ModelTerm t : fit.model().terms()) {
            assertFalse(fit.dropped().contains(t.feature()), t.feature() + " both used and dropped");
            assertTrue(t.std() > 0 && Double.isFinite(t.weight()), t.toString());
        }
    }

    /**
     * At the optimum of sum_i w_i loglik_i - l2/2 |beta|^2 (intercept not penalised) the gradient is
     * zero: sum_i w_i (y_i - p_i) = 0 and sum_i w_i (y_i - p_i) z_ij = l2 beta_j for every term j,
     * with p_i the model's own probability and z_ij the term's standardised, clipped value.
     */
    @Test
    void shouldSatisfyTheOptimalityConditionsOfThePenalisedWeightedLikelihood() {
        for (final boolean balanced : new boolean[]{true, false}) {
            final double l2 = 1.0;
            final LogisticTrainer.Settings d = LogisticTrainer.Settings.defaults();
            final LogisticModel m = new LogisticTrainer(new LogisticTrainer.Settings(l2, balanced, d.clip(), d.maxIterations(),
                    d.tolerance())).fit(scored, all).model();
            final int n = all.length;
            final double wPos = balanced ? n / (2.0 * positives) : 1;
            final double wNeg = balanced ? n / (2.0 * (n - positives)) : 1;
            final double[] p = scores(m, all);
            final double[] gradient = new double[m.terms().size()];
            double interceptGradient = 0;
            double weightedP = 0;
            double totalWeight = 0;
            for (int i = 0; i < n; i++) {
                final boolean y = scored.fraud(all[i]);
                final double w = y ? wPos : wNeg;
                final double r = w * ((y ? 1 : 0) - p[i]);
                interceptGradient += r;
                weightedP += w * p[i];
                totalWeight += w;
                for (int j = 0; j < gradient.length; j++) {
                    final ModelTerm t = m.terms().get(j);
                    gradient[j] += r * t.standardised(scored.feature(all[i], t.feature().ordinal()), m.clip());
                }
            }
            assertEquals(0.0, interceptGradient, 1e-6 * n, "intercept gradient, balanced=" + balanced);
            // so the (weighted) mean predicted probability is the (weighted) fraud rate: 1/2 when balanced
            assertEquals(balanced ? 0.5 : (double) positives / n, weightedP / totalWeight, 1e-8, "balanced=" + balanced);
            for (int j = 0; j < gradient.length; j++) {
                final ModelTerm t = m.terms().get(j);
                assertEquals(l2 * t.weight(), gradient[j], 1e-6 * n, t.feature() + " gradient, balanced=" + balanced);
            }
        }
    }

    /**
     * With an overwhelming penalty every weight is ~0 and only the intercept is fitted: log(pos/neg)
     * of the plain counts without class weights, log(1) = 0 with balanced weights.
     */
    @Test
    void shouldMoveTheInterceptByTheClassWeightsAsWorkedOutByHand() {
        final LogisticTrainer.Settings d = LogisticTrainer.Settings.defaults();
        final double huge = 1e12;
        final LogisticModel none = new LogisticTrainer(new LogisticTrainer.Settings(huge, false, d.clip(), d.maxIterations(), d.tolerance()))
                .fit(scored, all).model();
        final LogisticModel balanced = new LogisticTrainer(new LogisticTrainer.Settings(huge, true, d.clip(), d.maxIterations(), d.tolerance()))
                .fit(scored, all).model();
        final int negatives = all.length - positives;
        assertEquals(Math.log((double) positives / negatives), none.intercept(), 1e-6);
        assertEquals(0.0, balanced.intercept(), 1e-6);
        for (final ModelTerm t : none.terms()) {
            assertEquals(0.0, t.weight(), 1e-6, t.feature().toString());
        }
        // with the default penalty, balancing still raises the intercept: fraud is the minority
        final LogisticModel noneFit = new LogisticTrainer(new LogisticTrainer.Settings(1.0, false, d.clip(), d.maxIterations(), d.tolerance()))
                .fit(scored, all).model();
        final LogisticModel balancedFit = new LogisticTrainer(LogisticTrainer.Settings.defaults()).fit(scored, all).model();
        assertTrue(balancedFit.intercept() > noneFit.intercept() + 0.5,
                "balanced " + balancedFit.intercept() + " vs none " + noneFit.intercept());
    }

    @Test
    void shouldGiveTheSameModelBitForBitEveryTime() throws Exception {
        final LogisticTrainer trainer = new LogisticTrainer(LogisticTrainer.Settings.defaults());
        final LogisticModel a = trainer.fit(scored, all).model();
        final LogisticModel b = new LogisticTrainer(LogisticTrainer.Settings.defaults()).fit(scored, all).model();
        assertEquals(a.id(), b.id());
        assertEquals(Double.doubleToRawLongBits(a.intercept()), Double.doubleToRawLongBits(b.intercept()));
        assertEquals(a.terms(), b.terms());
        // and from a second run of the engine over the same file
        final Path again = dir.resolve("again.jsonl");
        LabelledTraffic.write(again, USERS, 42, true);
        final ScoredEvents rescored = run(again);
        assertEquals(a.id(), trainer.fit(rescored, IntStream.range(0, rescored.size()).toArray()).model().id());
        // another seed gives other data and another model
        final Path other = dir.resolve("other.jsonl");
        LabelledTraffic.write(other, USERS, 43, true);
        final ScoredEvents different = run(other);
        assertFalse(a.id().equals(trainer.fit(different, IntStream.range(0, different.size()).toArray()).model().id()));
    }

    @Test
    void shouldRefuseATrainingSetWithOneClass() {
        final LogisticTrainer trainer = new LogisticTrainer(LogisticTrainer.Settings.defaults());
        final int[] legit = IntStream.of(all).filter(i -> !scored.fraud(i)).toArray();
        final int[] fraud = IntStream.of(all).filter(scored::fraud).toArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(scored, legit));
        assertEquals("the training orders need both classes (0 fraud of " + legit.length + ")", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(scored, fraud));
        assertEquals("the training orders need both classes (" + fraud.length + " fraud of " + fraud.length + ")", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(scored, new int[0]));
        assertTrue(e.getMessage().contains("need both classes"), e.getMessage());
    }

    @Test
    void shouldRefuseANegativeOrNonFinitePenalty() {
        final LogisticTrainer.Settings d = LogisticTrainer.Settings.defaults();
        for (final double l2 : new double[]{-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new LogisticTrainer(new LogisticTrainer.Settings(l2, true, d.clip(), d.maxIterations(), d.tolerance())));
            assertTrue(e.getMessage().startsWith("--l2 must be a finite number >= 0"), e.getMessage());
        }
    }

    static double weight(final LogisticModel m, final Feature f) {
        return m.terms().stream().filter(t -> t.feature() == f).mapToDouble(ModelTerm::weight).findFirst()
                .orElseThrow(() -> new AssertionError(f + " not in the model: " + m.terms()));
    }

    private static double[] scores(final LogisticModel m, final int[] rows) {
        final double[] s = new double[rows.length];
        final FeatureVector v = new FeatureVector();
        final double[] contributions = new double[Feature.COUNT];
        for (int i = 0; i < rows.length; i++) {
            for (int f = 0; f < Feature.COUNT; f++) {
                v.set(Feature.at(f), scored.feature(rows[i], f));
            }
            s[i] = m.score(v, contributions);
        }
        return s;
    }

    private static boolean[] labels(final int[] rows) {
        final boolean[] y = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = scored.fraud(rows[i]);
        }
        return y;
    }
}
