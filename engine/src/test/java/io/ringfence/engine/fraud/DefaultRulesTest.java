package io.ringfence.engine.fraud;

import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.decision.Verdict;
import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.PaymentResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.ringfence.engine.fraud.FraudEvents.HOUR;
import static io.ringfence.engine.fraud.FraudEvents.MINUTE;
import static io.ringfence.engine.fraud.FraudEvents.SECOND;
import static io.ringfence.engine.fraud.FraudEvents.activity;
import static io.ringfence.engine.fraud.FraudEvents.order;
import static io.ringfence.engine.fraud.FraudEvents.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled default rules (ringfence-defaults.yaml) catch the fraud patterns the demo injects
 * and approve normal shop traffic.
 */
class DefaultRulesTest {
    private final FraudScorer scorer = new FraudScorer(EngineConfigLoader.defaults().fraudSpec());
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final Verdict verdict = new Verdict();

    /** Scores an event; returns "OUTCOME score [REASONS]" or null for an activity. */
    private String score(final FraudEvents.Event event) {
        event.encode(buffer);
        if (!scorer.onEvent(buffer, 0, verdict)) {
            return null;
        }
        final List<String> reasons = new ArrayList<>();
        for (int i = 0; i < verdict.reasonCount(); i++) {
            reasons.add(verdict.reasonText(i));
        }
        return verdict.outcome() + " " + verdict.score() + " " + reasons;
    }

    @Test
    void shouldLeaveRefundsAndChargebacksUnscored() {
        // money trial: a 0.500 BHD refund on a card with a burst of declines was DECLINEd as CARD_TESTING, with a fraudAlert
        score(payment(0).instrument("burst").amount(100).result(PaymentResult.DECLINED));
        score(payment(5 * SECOND).instrument("burst").amount(150).result(PaymentResult.DECLINED));
        score(payment(10 * SECOND).instrument("burst").amount(120).result(PaymentResult.AUTHORIZED));
        assertNull(score(payment(15 * SECOND).instrument("burst").amount(130).result(PaymentResult.REFUNDED)),
                "a refund takes no money: not scored (the decision approves it, score 0, no reasons)");
        assertEquals(Outcome.APPROVE, verdict.outcome());
        assertEquals(0, verdict.reasonCount());
        assertNull(score(payment(16 * SECOND).instrument("burst").amount(130).result(PaymentResult.CHARGEBACK)));
        final String attempt = score(payment(17 * SECOND).instrument("burst").amount(130).result(PaymentResult.DECLINED));
        assertTrue(attempt.startsWith("DECLINE") && attempt.contains("[CARD_TESTING"),
                "the rule still holds for the next attempt (refunds and chargebacks are no attempts either): " + attempt);
    }

    @Test
    void shouldDeclineCardTestingBursts() {
        // small payments on one card every 5 s: declined, declined, authorized, then the 4th sees
        // 3 attempts and 2 failures within a minute at 100 minor units <= 2000
        assertTrue(score(payment(0).instrument("stolen").amount(100).result(PaymentResult.DECLINED)).startsWith("APPROVE"));
        score(payment(5 * SECOND).instrument("stolen").amount(150).result(PaymentResult.DECLINED));
        score(payment(10 * SECOND).instrument("stolen").amount(120).result(PaymentResult.AUTHORIZED));
        final String fourth = score(payment(15 * SECOND).instrument("stolen").amount(130).result(PaymentResult.DECLINED));
        assertTrue(fourth.startsWith("DECLINE") && fourth.contains("[CARD_TESTING"), fourth);
    }

    @Test
    void shouldReviewAnAccountTakeover() {
        // a known user: 5 orders of 40.00-60.00 from home
        final long[] amounts = {5000, 4000, 6000, 5500, 4500};
        for (int i = 0; i < amounts.length; i++) {
            final String s = score(order(i * HOUR).user("alice").device("home").ip("1.2.3.4").amount(amounts[i]));
            assertTrue(s.startsWith("APPROVE"), s);
        }
        // then 900.00 from a device and IP she never ordered from: mean 5000, sd 707, z = 120
        final String s = score(order(6 * HOUR).user("alice").device("attacker").ip("6.6.6.6").amount(90_000));
        assertTrue(s.startsWith("REVIEW") && s.contains("[ACCOUNT_TAKEOVER, HIGH_AMOUNT_FOR_USER"), s);
        // a new phone alone, at her usual amount, is fine
        final String phone = score(order(7 * HOUR).user("alice").device("new-phone").ip("1.2.3.4").amount(5200));
        assertTrue(phone.startsWith("APPROVE"), phone);
    }

    @Test
    void shouldReviewADeviceRing() {
        for (int i = 0; i < 4; i++) {
            final String s = score(order(i * HOUR).user("mule-" + i).device("farm-phone").ip("9.9.9." + i));
            assertTrue(s.startsWith("APPROVE"), s);
        }
        // the fifth user on one device within a day
        final String s = score(order(5 * HOUR).user("mule-4").device("farm-phone").ip("9.9.9.4"));
        assertTrue(s.startsWith("REVIEW") && s.contains("DEVICE_RING"), s);
    }

    @Test
    void shouldReviewANewAccountOrderingSecondsAfterSignup() {
        score(activity(0, ActivityKind.SIGNUP).user("fresh"));
        final String s = score(order(20 * SECOND).user("fresh"));
        assertTrue(s.startsWith("REVIEW") && s.contains("NEW_ACCOUNT_FAST_ORDER"), s);
        score(activity(0, ActivityKind.SIGNUP).user("patient"));
        assertTrue(score(order(10 * MINUTE).user("patient")).startsWith("APPROVE"));
    }

    @Test
    void shouldApproveNormalShopTraffic() {
        int decided = 0;
        int approved = 0;
        for (final FraudEvents.Event e : ShopTraffic.events(42, 2_000, 50_000)) {
            final String s = score(e);
            if (s != null) {
                decided++;
                if (s.startsWith("APPROVE")) {
                    approved++;
                }
            }
        }
        final double rate = approved / (double) decided;
        assertTrue(decided > 30_000, "decided " + decided);
        assertTrue(rate >= 0.99, "approved " + approved + " of " + decided + " = " + rate);
    }

    @Test
    void shouldApproveEverythingWhenDisabled() {
        // fraud.enabled: false keeps the configured rules (FraudConfig): the flag alone must switch scoring off,
        // so the same card-testing burst the enabled scorer declines (shouldDeclineCardTestingBursts) is approved
        final FraudSpec defaults = EngineConfigLoader.defaults().fraudSpec();
        final FraudScorer off = new FraudScorer(new FraudSpec(false, defaults.features(), defaults.rules(), defaults.model()));
        final long[] times = {0, 5 * SECOND, 10 * SECOND, 15 * SECOND};
        final long[] amounts = {100, 150, 120, 130};
        final PaymentResult[] results = {PaymentResult.DECLINED, PaymentResult.DECLINED, PaymentResult.AUTHORIZED,
                PaymentResult.DECLINED};
        for (int i = 0; i < times.length; i++) {
            payment(times[i]).instrument("stolen").amount(amounts[i]).result(results[i]).encode(buffer);
            assertFalse(off.onEvent(buffer, 0, verdict), "nothing is scored with scoring off");
            assertEquals(Outcome.APPROVE, verdict.outcome());
            assertEquals(0, verdict.reasonCount());
            assertEquals(0.0, verdict.score());
            final String on = score(payment(times[i]).instrument("stolen").amount(amounts[i]).result(results[i]));
            assertEquals(i == 3, on.startsWith("DECLINE"), "the enabled scorer on the same payment: " + on);
        }
    }
}
