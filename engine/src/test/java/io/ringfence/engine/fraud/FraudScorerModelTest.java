package io.ringfence.engine.fraud;

import io.ringfence.engine.decision.Verdict;
import io.ringfence.sbe.Outcome;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.ringfence.engine.fraud.FraudEvents.MINUTE;
import static io.ringfence.engine.fraud.FraudEvents.SECOND;
import static io.ringfence.engine.fraud.FraudEvents.order;
import static io.ringfence.engine.fraud.FraudEvents.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FraudScorer} with a {@link LogisticModel}: the outcome at the configured thresholds, the
 * {@code f:<feature>} reasons after the rule reasons (only on REVIEW/DECLINE, not for listed ids,
 * largest contribution first, at most 3, each at least FraudScorer.MODEL_REASON_MIN = 0.5) and the contributions, worked out by
 * hand. ln 10 = 2.302585092994046: a log1p amount term with mean 3·ln10 and std ln10 has
 * z = log10(amount + 1) - 3, i.e. 1 for 9 999, 2 for 99 999, 3 for 999 999.
 */
class FraudScorerModelTest {
    private static final double EPS = 1e-12;
    private static final double LN10 = 2.302585092994046;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final Verdict verdict = new Verdict();

    private static ModelTerm amount(final double weight) {
        return new ModelTerm(Feature.AMOUNT, FeatureTransform.LOG1P, 3 * LN10, LN10, weight);
    }

    private static ModelTerm indicator(final Feature f, final double weight) {
        return new ModelTerm(f, FeatureTransform.IDENTITY, 0, 1, weight);
    }

    /** reviewAt 0.6, declineAt 0.9 (the defaults), allow user vip, deny user bad, the given rules. */
    private static FraudSpec spec(final FraudModel model, final FraudConfig.RuleConfig... rules) {
        final FraudConfig c = new FraudConfig();
        c.allow.users = List.of("vip");
        c.deny.users = List.of("bad");
        c.rules = List.of(rules);
        return c.validate("fraud").withModel(model);
    }

    private static FraudConfig.RuleConfig rule(final String reason, final String action, final String when) {
        return new FraudConfig.RuleConfig().reason(reason).when(when).action(action);
    }

    private Verdict score(final FraudScorer scorer, final FraudEvents.Event event) {
        event.encode(buffer);
        assertTrue(scorer.onEvent(buffer, 0, verdict), "scored");
        return verdict;
    }

    private static List<String> reasons(final Verdict v) {
        final List<String> r = new ArrayList<>();
        for (int i = 0; i < v.reasonCount(); i++) {
            r.add(v.reasonText(i));
        }
        return r;
    }

    private static void assertContributions(final double[] actual, final Object... featureAndValue) {
        final double[] expected = new double[Feature.COUNT];
        for (int i = 0; i < featureAndValue.length; i += 2) {
            expected[((Feature) featureAndValue[i]).ordinal()] = (Double) featureAndValue[i + 1];
        }
        for (int i = 0; i < Feature.COUNT; i++) {
            assertEquals(expected[i], actual[i], EPS, "contribution of " + Feature.at(i).featureName());
        }
    }

    /** intercept -3, clip 6, amount weight 2: log-odds = -3 + 2·(log10(amount + 1) - 3). */
    private static final LogisticModel AMOUNT_MODEL = ModelFile.model(-3.0, 6.0, List.of(amount(2.0)));

    @Test
    void shouldReviewAndDeclineOnTheModelScoreWithTheFeatureAfterTheRuleReasons() {
        final FraudScorer s = new FraudScorer(spec(AMOUNT_MODEL,
            rule("BIG", "add 0.05", "amount > 50000"),
            rule("HUGE", "review", "amount > 500000")));
        assertEquals(AMOUNT_MODEL.id(), s.model().id());

        // 99 999: z = 2, contribution 2·2 = 4, log-odds -3 + 4 = 1, p = 1/(1 + e^-1) = 0.7310585786300049;
        // BIG adds 0.05: 0.7810585786300049 rounded to 6 decimals = 0.781059 → REVIEW (0.6 ≤ s < 0.9)
        score(s, order(0).user("u-1").amount(99_999));
        assertEquals(Outcome.REVIEW, verdict.outcome());
        assertEquals(0.781059, verdict.score());
        assertEquals(List.of("BIG", "f:amount"), reasons(verdict));
        assertEquals(0.7310585786300049, s.lastModelScore(), EPS);
        assertContributions(s.lastContributions(), Feature.AMOUNT, 4.0);

        // 999 999: z = 3, contribution 6, log-odds 3, p = 0.9525741268224334; + 0.05 = 1.0026 → clamped 1.0
        // → DECLINE by score (the HUGE review rule does not hold it back); reasons: review rule, add rule, model
        score(s, order(MINUTE).user("u-2").amount(999_999));
        assertEquals(Outcome.DECLINE, verdict.outcome());
        assertEquals(1.0, verdict.score());
        assertEquals(List.of("HUGE", "BIG", "f:amount"), reasons(verdict));
        assertEquals(0.9525741268224334, s.lastModelScore(), EPS);
        assertContributions(s.lastContributions(), Feature.AMOUNT, 6.0);

        // a payment is scored the same way: 99 999 → REVIEW as above
        score(s, payment(2 * MINUTE).user("u-3").instrument("card-3").amount(99_999));
        assertEquals(Outcome.REVIEW, verdict.outcome());
        assertEquals(List.of("BIG", "f:amount"), reasons(verdict));
    }

    @Test
    void shouldDeclineOnTheModelAloneWithOnlyTheModelReason() {
        final FraudScorer s = new FraudScorer(spec(AMOUNT_MODEL));
        // 999 999 without rules: p = 0.9525741268224334 → 0.952574 ≥ 0.9 → DECLINE
        score(s, order(0).amount(999_999));
        assertEquals(Outcome.DECLINE, verdict.outcome());
        assertEquals(0.952574, verdict.score());
        assertEquals(List.of("f:amount"), reasons(verdict));
        // 9 999 999: z = 4, contribution 8, log-odds 5, p = 1/(1 + 0.006737946999085467) = 0.9933071490757153
        score(s, order(MINUTE).amount(9_999_999));
        assertEquals(0.9933071490757153, s.lastModelScore(), EPS);
        assertEquals(0.993307, verdict.score());
        assertEquals(Outcome.DECLINE, verdict.outcome());
    }

    @Test
    void shouldNameNoFeatureOnAnApproval() {
        final FraudScorer s = new FraudScorer(spec(AMOUNT_MODEL, rule("TRUSTED", "approve", "is_payment >= 1")));
        // 9 999: z = 1, contribution 2 (well above the 0.5 minimum) but log-odds -1, p = 0.2689414213699951 → APPROVE
        score(s, order(0).amount(9_999));
        assertEquals(Outcome.APPROVE, verdict.outcome());
        assertEquals(0.268941, verdict.score());
        assertEquals(List.of(), reasons(verdict));
        assertContributions(s.lastContributions(), Feature.AMOUNT, 2.0);
        // an approve rule over a declining score: p(3) = 0.9525741268224334 but APPROVE, and only the rule's reason
        score(s, payment(MINUTE).amount(999_999));
        assertEquals(Outcome.APPROVE, verdict.outcome());
        assertEquals(0.952574, verdict.score());
        assertEquals(List.of("TRUSTED"), reasons(verdict));
    }

    @Test
    void shouldGiveAnAllowListedUserScoreZeroAndOnlyTheAllowReason() {
        final FraudScorer s = new FraudScorer(spec(AMOUNT_MODEL, rule("BIG", "add 0.05", "amount > 50000")));
        score(s, order(0).user("u-1").amount(999_999)); // leaves contributions behind
        assertEquals(Outcome.DECLINE, verdict.outcome());
        score(s, order(SECOND).user("vip").amount(999_999));
        assertEquals(Outcome.APPROVE, verdict.outcome());
        assertEquals(0.0, verdict.score());
        assertEquals(List.of("ALLOW_LIST"), reasons(verdict));
        assertEquals(0.0, s.lastModelScore());
        assertContributions(s.lastContributions());
        // a deny-listed one: DECLINE with score 1, the list and rule reasons, no model feature
        score(s, order(2 * SECOND).user("bad").amount(999_999));
        assertEquals(Outcome.DECLINE, verdict.outcome());
        assertEquals(1.0, verdict.score());
        assertEquals(List.of("DENY_LIST", "BIG"), reasons(verdict));
        // refunds and chargebacks are not scored (the rules and the model judge taking money); the lists still answer them
        payment(3 * SECOND).user("bad").amount(999_999).result(io.ringfence.sbe.PaymentResult.REFUNDED).encode(buffer);
        assertFalse(s.onEvent(buffer, 0, verdict), "a refund is not scored");
        assertEquals(Outcome.DECLINE, verdict.outcome());
        assertEquals(List.of("DENY_LIST"), reasons(verdict), "the list's reason only: no rule judged it");
        payment(4 * SECOND).user("u-1").amount(999_999).result(io.ringfence.sbe.PaymentResult.CHARGEBACK).encode(buffer);
        assertFalse(s.onEvent(buffer, 0, verdict));
        assertEquals(Outcome.APPROVE, verdict.outcome());
        assertEquals(0.0, verdict.score());
        assertEquals(List.of(), reasons(verdict), "BIG would have fired on a payment taking 999,999");
    }

    @Test
    void shouldNameAtMostThreeFeaturesInContributionOrder() {
        // a user's first order, no SIGNUP seen: new_device/new_ip/new_instrument_for_user = 1,
        // no_signup_seen = 1, is_payment = 0, seconds_since_signup missing
        final LogisticModel m = ModelFile.model(-3.7, 6.0, List.of(
            amount(0.5),                                    // 9 999: z = 1 → 0.5 (fourth: cut by the cap)
            indicator(Feature.NO_SIGNUP_SEEN, 0.09),        // 1 → 0.09 (below the 0.5 minimum)
            indicator(Feature.NEW_DEVICE_FOR_USER, 1.0),    // 1 → 1.0 (ties with new_ip: lower index first)
            indicator(Feature.NEW_IP_FOR_USER, 1.0),        // 1 → 1.0
            indicator(Feature.NEW_INSTRUMENT_FOR_USER, 2.0), // 1 → 2.0 (largest, highest index)
            new ModelTerm(Feature.SECONDS_SINCE_SIGNUP, FeatureTransform.LOG1P, 0, 1, 5.0), // missing → 0
            new ModelTerm(Feature.IS_PAYMENT, FeatureTransform.IDENTITY, 0.5, 0.5, 0.3)));  // z = (0-0.5)/0.5 = -1 → -0.3
        final FraudScorer s = new FraudScorer(spec(m));
        score(s, order(0).user("fresh").device("d-9").ip("10.9.9.9").instrument("card-9").amount(9_999));
        assertEquals(1.0, s.lastFeatures().get(Feature.NEW_DEVICE_FOR_USER));
        assertEquals(1.0, s.lastFeatures().get(Feature.NO_SIGNUP_SEEN));
        assertTrue(s.lastFeatures().missing(Feature.SECONDS_SINCE_SIGNUP));
        assertContributions(s.lastContributions(),
            Feature.AMOUNT, 0.5, Feature.NO_SIGNUP_SEEN, 0.09, Feature.NEW_DEVICE_FOR_USER, 1.0,
            Feature.NEW_IP_FOR_USER, 1.0, Feature.NEW_INSTRUMENT_FOR_USER, 2.0, Feature.IS_PAYMENT, -0.3);
        // log-odds = -3.7 + 0.5 + 0.09 + 1 + 1 + 2 - 0.3 = 0.59; p = 1/(1 + 0.5543272847345071) = 0.6433651456944017
        assertEquals(0.6433651456944017, s.lastModelScore(), EPS);
        assertEquals(0.643365, verdict.score());
        assertEquals(Outcome.REVIEW, verdict.outcome());
        assertEquals(List.of("f:new_instrument_for_user", "f:new_device_for_user", "f:new_ip_for_user"), reasons(verdict));
    }

    @Test
    void shouldNameAFeatureFromAContributionOfExactlyTheMinimum() {
        assertEquals(0.5, FraudScorer.MODEL_REASON_MIN);
        final LogisticModel m = ModelFile.model(2.0, 6.0, List.of(
            amount(0.9),                                  // 9 999: z = 1 → 0.9
            indicator(Feature.NEW_DEVICE_FOR_USER, 0.5),  // 1 → 0.5: exactly the minimum, named
            indicator(Feature.NO_SIGNUP_SEEN, 0.4999),    // 1 → 0.4999: not named
            indicator(Feature.NEW_IP_FOR_USER, -2.0)));   // 1 → -2: pulls down, never named
        final FraudScorer s = new FraudScorer(spec(m));
        score(s, order(0).user("fresh").amount(9_999));
        // log-odds = 2 + 0.9 + 0.5 + 0.4999 - 2 = 1.8999; p = 1/(1 + 0.14958357683242535) = 0.8698802071924256
        assertEquals(0.8698802071924256, s.lastModelScore(), EPS);
        assertEquals(Outcome.REVIEW, verdict.outcome());
        assertEquals(List.of("f:amount", "f:new_device_for_user"), reasons(verdict));
        assertContributions(s.lastContributions(), Feature.AMOUNT, 0.9, Feature.NEW_DEVICE_FOR_USER, 0.5,
            Feature.NO_SIGNUP_SEEN, 0.4999, Feature.NEW_IP_FOR_USER, -2.0);
    }

    @Test
    void shouldNameNoFeatureWithoutAModel() {
        final FraudScorer s = new FraudScorer(spec(FraudModel.NONE, rule("LOOK", "review", "amount > 0")));
        score(s, order(0).amount(999_999));
        assertEquals(Outcome.REVIEW, verdict.outcome());
        assertEquals(0.0, verdict.score());
        assertEquals(List.of("LOOK"), reasons(verdict));
        assertEquals(0.0, s.lastModelScore());
        assertContributions(s.lastContributions());
    }

    @Test
    void shouldFitEveryFeatureReasonIntoAReasonCode() {
        for (int i = 0; i < Feature.COUNT; i++) {
            final Feature f = Feature.at(i);
            final String code = FraudScorer.modelReason(f);
            assertEquals("f:" + f.featureName(), code);
            assertTrue(code.length() <= Verdict.MAX_REASON_LENGTH, code);
            final Verdict v = new Verdict();
            v.reason(Verdict.code(code));
            assertEquals(code, v.reasonText(0));
        }
    }
}
