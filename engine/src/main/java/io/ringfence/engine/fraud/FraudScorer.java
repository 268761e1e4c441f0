package io.ringfence.engine.fraud;

import io.ringfence.engine.decision.Verdict;
import io.ringfence.sbe.Outcome;
import org.agrona.DirectBuffer;

/**
 * Fraud scoring in the business stage (DESIGN §6): for every order and payment the causal
 * features ({@link FraudFeatures}), then the rules, lists and model ({@link RuleSet},
 * {@link FraudModel}) into a {@link Verdict}; every other event only updates the feature state.
 * Features and rules are separate so that {@code explain} and {@code replay --config} can reuse
 * them. Single-threaded, allocation-free in steady state.
 */
public final class FraudScorer {
    /** Prefix of the reason codes naming a model feature ({@link #modelReason}). */
    public static final String MODEL_REASON_PREFIX = "f:";
    /** Most model features named in one decision's reasons. */
    public static final int MODEL_REASONS = 3;
    /** Smallest contribution to the log-odds for a feature to be named as a reason. */
    public static final double MODEL_REASON_MIN = 0.5;

    private final boolean enabled;
    private final FraudFeatures features;
    private final RuleSet rules;
    private final FraudModel model;
    private final FeatureVector vector;
    /** Fills the rules' window terms; null when the rules compare none. */
    private WindowTermSource windowTerms;
    private final RuleHits hits = new RuleHits();
    private final double[] contributions = new double[Feature.COUNT];
    private final byte[][] featureReasons = new byte[Feature.COUNT][];
    private double modelScore;

    /** Uses the spec's model ({@link FraudSpec#model()}). */
    public FraudScorer(final FraudSpec spec) {
        this(spec, spec.model());
    }

    public FraudScorer(final FraudSpec spec, final FraudModel model) {
        this.enabled = spec.enabled();
        this.features = new FraudFeatures(spec.features());
        this.rules = spec.rules();
        this.vector = new FeatureVector(rules.windowTerms().size());
        this.model = model;
        for (int i = 0; i < Feature.COUNT; i++) {
            featureReasons[i] = modelReason(Feature.at(i)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    /**
     * The reason code a decision carries when a feature is among the model's top contributors:
     * {@code f:} and the feature name (the colon cannot appear in a rule's code, so they never clash).
     */
    public static String modelReason(final Feature f) {
        return MODEL_REASON_PREFIX + f.featureName();
    }

    /**
     * Scores the event at {@code offset} if it is an order or payment (the verdict is reset and
     * filled), and updates the feature state with it. A payment that gives money back (REFUNDED,
     * CHARGEBACK) is not scored: the rules and the model judge attempts to take money; only the
     * allow and deny lists answer it (otherwise an approval with score 0 and no reasons).
     *
     * @return true when the event is an order or payment taking money and {@code verdict} holds its scored answer;
     *         false for any other event ({@code verdict} then holds the approval, or a refund's lists answer)
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
        if (windowTerms != null) {
            windowTerms.fill(buffer, offset, e.time, vector.values, Feature.COUNT);
        }
        if (e.kind == FraudEventAdapter.PAYMENT && e.moneyBack) {
            // a refund or chargeback takes no money: the rules and the model judge taking it, the allow and deny lists judge who
            rules.evaluate(true, e.user, e.device, e.ip, e.instrument, vector, hits);
            hits.firedCount = 0;
            rules.decide(hits, 0.0, verdict);
            return false;
        }
        rules.evaluate(e.kind == FraudEventAdapter.PAYMENT, e.user, e.device, e.ip, e.instrument, vector, hits);
        if (hits.allowed) {
            java.util.Arrays.fill(contributions, 0.0);
            modelScore = 0.0;
        } else {
            modelScore = model.score(vector, contributions);
        }
        rules.decide(hits, modelScore, verdict);
        if (verdict.outcome() != Outcome.APPROVE && !hits.allowed && !hits.denied) {
            addModelReasons(verdict);
        }
        return true;
    }

    /**
     * After the rules' reasons, the features that pushed the model's score up the most (at most
     * {@link #MODEL_REASONS}, each contributing at least {@link #MODEL_REASON_MIN} to the log-odds,
     * largest first, ties by feature index). Only on REVIEW and DECLINE: an approval needs no
     * why; {@code explain} shows every contribution of any decision.
     */
    private void addModelReasons(final Verdict verdict) {
        int last = -1;
        double lastValue = Double.POSITIVE_INFINITY;
        for (int k = 0; k < MODEL_REASONS; k++) {
            int best = -1;
            double bestValue = MODEL_REASON_MIN;
            for (int i = 0; i < Feature.COUNT; i++) {
                final double c = contributions[i];
                final boolean after = c < lastValue || (c == lastValue && i > last);
                if (after && (c > bestValue || (best < 0 && c >= bestValue))) {
                    best = i;
                    bestValue = c;
                }
            }
            if (best < 0) {
                return;
            }
            verdict.reason(featureReasons[best]);
            last = best;
            lastValue = bestValue;
        }
    }

    /**
     * Where the rules' window terms ({@link RuleSet#windowTerms()}) get their values: the engine's sliding windows. Set
     * once, before the first event, when the rules compare any.
     */
    public void windowTerms(final WindowTermSource source) {
        this.windowTerms = source;
    }

    /** Where a payment that names its order but not its user or card finds them ({@link OrderParties}); set once. */
    public void joinOrdersWith(final OrderParties parties) {
        features.event().joinOrdersWith(parties);
    }

    /**
     * The user id the last payment was judged by, taken from its order because it named none ({@link OrderParties}), or
     * null when it named its own or its order was not held. For {@code explain}: allocates.
     */
    public String lastUserFromOrder() {
        final FraudEventAdapter e = features.event();
        return e.userFromOrder ? e.fromOrder(0) : null;
    }

    /** As {@link #lastUserFromOrder()} for the payment instrument (card). */
    public String lastInstrumentFromOrder() {
        final FraudEventAdapter e = features.event();
        return e.instrumentFromOrder ? e.fromOrder(FraudEventAdapter.ID) : null;
    }

    /** The features of the last scored event (valid until the next event). */
    public FeatureVector lastFeatures() {
        return vector;
    }

    /** The model's score of the last scored event (0 without a model or when allow-listed). */
    public double lastModelScore() {
        return modelScore;
    }

    /**
     * Each feature's contribution to the model's log-odds for the last scored event, by feature index
     * (valid until the next event; do not modify).
     */
    public double[] lastContributions() {
        return contributions;
    }

    public FraudModel model() {
        return model;
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
