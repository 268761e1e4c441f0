package io.ringfence.engine.fraud;

import io.ringfence.engine.decision.Verdict;
import org.agrona.DirectBuffer;

/**
 * Fraud scoring in the business stage (DESIGN §6): for every order and payment the causal
 * features ({@link FraudFeatures}), then the rules, lists and model ({@link RuleSet},
 * {@link FraudModel}) into a {@link Verdict}; every other event only updates the feature state.
 * Features and rules are separate so that {@code explain} and {@code replay --config} can reuse
 * them. Single-threaded, allocation-free in steady state.
 */
public final class FraudScorer {
    private final boolean enabled;
    private final FraudFeatures features;
    private final RuleSet rules;
    private final FraudModel model;
    private final FeatureVector vector = new FeatureVector();
    private final RuleHits hits = new RuleHits();

    public FraudScorer(final FraudSpec spec) {
        this(spec, FraudModel.NONE);
    }

    public FraudScorer(final FraudSpec spec, final FraudModel model) {
        this.enabled = spec.enabled();
        this.features = new FraudFeatures(spec.features());
        this.rules = spec.rules();
        this.model = model;
    }

    /**
     * Scores the event at {@code offset} if it is an order or payment (the verdict is reset and
     * filled), and updates the feature state with it.
     *
     * @return true when the event is an order or payment and {@code verdict} holds its answer
     */
    public boolean onEvent(final DirectBuffer buffer, final int offset, final Verdict verdict) {
        verdict.reset();
        if (!enabled) {
            return false;
        }
        if (!features.onEvent(buffer, offset, vector)) {
            return false;
        }
        final FraudEventAdapter e = features.event();
        rules.evaluate(e.kind == FraudEventAdapter.PAYMENT, e.user, e.device, e.ip, e.instrument, vector, hits);
        rules.decide(hits, hits.allowed ? 0.0 : model.score(vector), verdict);
        return true;
    }

    /** The features of the last scored event (valid until the next event). */
    public FeatureVector lastFeatures() {
        return vector;
    }

    /** The rule hits of the last scored event (valid until the next event). */
    public RuleHits lastHits() {
        return hits;
    }

    public RuleSet rules() {
        return rules;
    }

    public FraudFeatures features() {
        return features;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Hash of the feature state. */
    public long stateHash() {
        return features.stateHash();
    }
}
