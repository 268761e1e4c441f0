package io.ringfence.engine.commerce;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.engine.BusinessSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.ringfence.engine.commerce.CommerceHarness.item;
import static io.ringfence.engine.commerce.CommerceHarness.order;
import static io.ringfence.engine.commerce.CommerceHarness.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code decisions.repeats} (docs/fraud.md "Repeated orders and payments"): an order or payment sent again as a new
 * message is answered with its first decision and counted once. Lives beside {@link CommerceHarness}, which drives the
 * whole business logic; the remembered decisions are the decision stage's.
 */
class RepeatedIdTest {
    private static final String T = "2026-01-05T10:00:00Z";

    /** Every stage on, with the default windows and rules (the harness turns them off for commerce tests). */
    private static Consumer<EngineConfig> defaults(final Consumer<EngineConfig> more) {
        return c -> {
            final EngineConfig d = EngineConfigLoader.defaults();
            c.windows = d.windows;
            c.fraud.rules = d.fraud.rules;
            more.accept(c);
        };
    }

    private static String decision(final List<String> out) {
        return out.stream().filter(s -> s.contains("\"type\":\"decision\"")).findFirst().orElseThrow(() -> new AssertionError(out));
    }

    /** The decision without its sequence numbers (what must repeat: outcome, score, reasons). */
    private static String verdict(final String decision) {
        return decision.replaceAll("\"(seq|clientSeq|ingestTime|decidedAt|time)\":(\"[^\"]*\"|[^,}]*),?", "");
    }

    private static String at(final int second) {
        return String.format("2026-01-05T10:00:%02dZ", second);
    }

    @Test
    void shouldAnswerAnOrderSentAgainWithItsFirstDecisionAndCountItOnce() {
        final CommerceHarness once = new CommerceHarness(defaults(c -> { }));
        final CommerceHarness twice = new CommerceHarness(defaults(c -> { }));
        final String first = decision(once.send(order(T, "o1", "u1", item("s1", 1))));
        assertEquals(first, decision(twice.send(order(T, "o1", "u1", item("s1", 1)))));
        final String again = decision(twice.send(order(at(5), "o1", "u1", item("s1", 1)))); // the shop sends it again later
        assertTrue(again.contains("\"reasons\":[\"REPEATED_ID\""), again);
        assertEquals(verdict(first).replace("\"reasons\":[", "\"reasons\":[\"REPEATED_ID\""), verdict(again).replace(",]", "]"),
                "outcome and score of the first");
        assertEquals(once.logic.fraud().stateHash(), twice.logic.fraud().stateHash(), "the fraud features counted it once");
        assertEquals(once.logic.windows().stateHash(), twice.logic.windows().stateHash(), "so did the windows");
        assertEquals(2, twice.logic.decided(), "both were answered");
    }

    @Test
    void shouldGiveTheSameDecisionEveryTimeWhereDecidingAgainChangesIt() {
        final List<String> first = sendTwentyTimes("first");
        final List<String> again = sendTwentyTimes("again");
        for (int i = 1; i < first.size(); i++) {
            assertTrue(first.get(i).contains("REPEATED_ID"), first.get(i));
            assertEquals(outcomeAndScore(first.get(0)), outcomeAndScore(first.get(i)), "send " + i);
        }
        assertFalse(again.stream().anyMatch(d -> d.contains("REPEATED_ID")), again.toString());
        assertNotEquals(outcomeAndScore(again.get(0)), outcomeAndScore(again.get(again.size() - 1)),
                "decided again, the repeats count in the velocity features: " + again);
    }

    private static List<String> sendTwentyTimes(final String repeats) {
        final CommerceHarness h = new CommerceHarness(defaults(c -> c.decisions.repeats = repeats));
        final List<String> decisions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            decisions.add(decision(h.send(order(at(i), "o7", "u7", item("s1", 1)))));
        }
        return decisions;
    }

    private static String outcomeAndScore(final String decision) {
        return decision.replaceAll(".*(\"decision\":\"[A-Z]+\").*(\"score\":[0-9.eE-]+).*", "$1 $2");
    }

    @Test
    void shouldDecideAnIdSentWithOtherContentAgainAndSaySo() {
        final CommerceHarness h = new CommerceHarness(defaults(c -> { }));
        decision(h.send(order(T, "o1", "u1", item("s1", 1))));
        final String other = decision(h.send(order(T, "o1", "u2", item("s1", 1)))); // another user under the same id
        assertFalse(other.contains("REPEATED_ID"), other);
        assertTrue(other.contains("\"ID_REUSED\""), other);
        final String back = decision(h.send(order(T, "o1", "u1", item("s1", 1))));
        assertTrue(back.contains("REPEATED_ID"), "the first content stays the one remembered: " + back);
    }

    /** Review: ID_REUSED was dropped from a decision that already had the eight reasons a decision holds. */
    @Test
    void shouldSayAnIdWasReusedEvenAfterEightRulesReasons() {
        final CommerceHarness h = new CommerceHarness(c -> {
            c.fraud.rules = new java.util.ArrayList<>();
            for (int r = 1; r <= 9; r++) {
                c.fraud.rules.add(new io.ringfence.engine.fraud.FraudConfig.RuleConfig().reason("RULE_" + r).on("order")
                        .when("amount >= 0").action("review"));
            }
        });
        final String first = decision(h.send(order(T, "o1", "u1", item("s1", 1))));
        assertTrue(first.contains("RULE_8") && !first.contains("RULE_9"), "eight reasons held: " + first);
        final String other = decision(h.send(order(T, "o1", "u2", item("s1", 1))));
        assertTrue(other.contains("\"ID_REUSED\"") && other.contains("RULE_7") && !other.contains("RULE_8"),
                "ID_REUSED in the last reason's place: " + other);
    }

    /** Review: only user, amount, currency and merchant were compared: a resend with a stolen card got the first approval. */
    @Test
    void shouldDecideAnOrderSentAgainWithAnotherCardOrDeviceAfresh() {
        final CommerceHarness h = new CommerceHarness(defaults(c -> c.fraud.deny.instruments = List.of("card-stolen")));
        final String base = order(T, "o1", "u1", item("s1", 1));
        assertTrue(decision(h.send(base)).contains("\"decision\":\"APPROVE\""));
        final String card = base.substring(0, base.length() - 1) + ",\"instrumentId\":\"card-stolen\"}";
        final String stolen = decision(h.send(card));
        assertTrue(stolen.contains("\"decision\":\"DECLINE\"") && stolen.contains("DENY_LIST") && stolen.contains("ID_REUSED"), stolen);
        final String device = decision(h.send(base.substring(0, base.length() - 1) + ",\"deviceId\":\"d-other\"}"));
        assertTrue(device.contains("ID_REUSED") && !device.contains("REPEATED_ID"), device);
    }

    /**
     * Review (2026-12-06): the content was hashed to 64 bits by a multiply and a rotate a word, invertible: eight chosen
     * printable bytes of a device id (which the customer's browser supplies) made a resend with a stolen card collide
     * with the first order, which was then answered with its approval, unscored. Built here against that old hash (the
     * collision is checked), the crafted resend must be decided afresh.
     */
    @Test
    void shouldDecideAResendCraftedToCollideWithTheFirstsContentAfresh() {
        final CommerceHarness h = new CommerceHarness(defaults(c -> c.fraud.deny.instruments = List.of("card-stolen")));
        final String base = order(T, "o1", "u1", item("s1", 1));
        final String first = base.substring(0, base.length() - 1) + ",\"deviceId\":\"dev-mine\",\"instrumentId\":\"card-mine\"}";
        assertTrue(decision(h.send(first)).contains("\"decision\":\"APPROVE\""));
        final String crafted = OldContentHash.collidingResend(first, base, "card-stolen");
        assertEquals(OldContentHash.of(first), OldContentHash.of(crafted), "the crafted resend collides under the old hash");
        final String resend = decision(h.send(crafted));
        assertTrue(resend.contains("\"decision\":\"DECLINE\"") && resend.contains("DENY_LIST") && resend.contains("ID_REUSED")
                && !resend.contains("REPEATED_ID"), resend);
    }

    /** Review (2026-12-06): the item lines were not compared: a resend with gift cards for socks got the first approval. */
    @Test
    void shouldDecideAResendWithOtherItemLinesAfresh() {
        final CommerceHarness h = new CommerceHarness(defaults(c -> {
            c.fraud.riskyItems.skus("GIFT-CARD-50");
            c.fraud.rules = new ArrayList<>(List.of(new io.ringfence.engine.fraud.FraudConfig.RuleConfig().reason("RISKY_GOODS")
                    .on("order").when("risky_items >= 1").action("decline")));
        }));
        assertTrue(decision(h.send(order(T, "o1", "u1", item("sock", 1)))).contains("\"decision\":\"APPROVE\""));
        final String resend = decision(h.send(order(at(1), "o1", "u1", item("GIFT-CARD-50", 1))));
        assertTrue(resend.contains("\"decision\":\"DECLINE\"") && resend.contains("RISKY_GOODS") && resend.contains("ID_REUSED")
                && !resend.contains("REPEATED_ID"), resend);
        final String more = decision(h.send(order(at(2), "o1", "u1", item("sock", 1) + "," + item("sock", 1))));
        assertTrue(more.contains("ID_REUSED") && !more.contains("REPEATED_ID"), "another line: " + more);
        assertTrue(decision(h.send(order(at(3), "o1", "u1", item("sock", 1)))).contains("REPEATED_ID"), "the first, again");
    }

    /**
     * The content compared ends at the label, taken to be the last field of the order's and payment's blocks: a field
     * added after it to the schema would be left out of the comparison without this failing (review).
     */
    @Test
    void shouldCompareEveryFieldOfTheBlockButTheLabel() {
        assertEquals(io.ringfence.sbe.OrderDecoder.BLOCK_LENGTH, io.ringfence.sbe.OrderDecoder.labelEncodingOffset()
                + io.ringfence.sbe.OrderDecoder.labelEncodingLength(), "the label ends the order's block");
        assertEquals(io.ringfence.sbe.PaymentDecoder.BLOCK_LENGTH, io.ringfence.sbe.PaymentDecoder.labelEncodingOffset()
                + io.ringfence.sbe.PaymentDecoder.labelEncodingLength(), "the label ends the payment's block");
    }

    /** Review: with orders off (or the first order forgotten) a repeat reserved its lines again and the next order was OVERSELL. */
    @Test
    void shouldNotReserveARepeatsLinesAgain() {
        final CommerceHarness h = new CommerceHarness(defaults(c -> c.orders.enabled = false));
        h.send(CommerceHarness.level(T, "s1", "w1", 3));
        h.send(order(T, "o1", "u1", item("s1", 2)));
        assertTrue(decision(h.send(order(at(1), "o1", "u1", item("s1", 2)))).contains("REPEATED_ID"));
        assertEquals(1, h.commerce().available("s1"), "reserved once");
        assertFalse(decision(h.send(order(at(2), "o2", "u2", item("s1", 1)))).contains("OVERSELL"), "1 of 1 left");
    }

    @Test
    void shouldKeepAPaymentsResultsApartAndRepeatADeclineWithItsReason() {
        final CommerceHarness h = new CommerceHarness(defaults(c -> c.fraud.deny.users = List.of("u1")));
        final List<String> firstOut = h.send(payment(T, "p1", "o1", "AUTHORIZED"));
        final String declined = decision(firstOut);
        assertTrue(declined.contains("\"decision\":\"DECLINE\"") && declined.contains("DENY_LIST"), declined);
        assertTrue(firstOut.stream().anyMatch(o -> o.contains("\"type\":\"fraudAlert\"")), "the decline is alerted: " + firstOut);
        final List<String> repeatOut = h.send(payment(at(1), "p1", "o1", "AUTHORIZED"));
        assertFalse(repeatOut.stream().anyMatch(o -> o.contains("\"type\":\"fraudAlert\"")), "not twice: " + repeatOut);
        final String repeat = decision(repeatOut);
        assertTrue(repeat.contains("\"decision\":\"DECLINE\"") && repeat.contains("\"reasons\":[\"REPEATED_ID\",\"DENY_LIST\"]"),
                repeat);
        final String capture = decision(h.send(payment(at(2), "p1", "o1", "CAPTURED"))); // a capture repeats its authorization's id
        assertFalse(capture.contains("REPEATED_ID"), capture);
    }

    @Test
    void shouldForgetADecidedIdAfterRememberForOfEventTimeOrToMakeRoom() {
        final CommerceHarness h = new CommerceHarness(defaults(c -> c.decisions.rememberFor = "1h"));
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", item("s1", 1)));
        assertTrue(decision(h.send(order("2026-01-05T10:59:59Z", "o1", "u1", item("s1", 1)))).contains("REPEATED_ID"));
        h.send(order("2026-01-05T11:00:01Z", "o2", "u2", item("s1", 1))); // the newest time is now past o1's hour
        assertFalse(decision(h.send(order("2026-01-05T11:00:02Z", "o1", "u1", item("s1", 1)))).contains("REPEATED_ID"),
                "o1 was forgotten: decided again");

        final CommerceHarness small = new CommerceHarness(defaults(c -> c.decisions.maxRemembered = 2));
        small.send(order(T, "a", "u1", item("s1", 1)));
        small.send(order(T, "b", "u1", item("s1", 1)));
        small.send(order(T, "c", "u1", item("s1", 1))); // room for two: a leaves
        assertFalse(decision(small.send(order(T, "a", "u1", item("s1", 1)))).contains("REPEATED_ID"), "a was forgotten");
        assertTrue(decision(small.send(order(T, "c", "u1", item("s1", 1)))).contains("REPEATED_ID"), "c is held");
    }

    @Test
    void shouldKeepTheRememberedDecisionsInSnapshots() {
        final CommerceHarness h = new CommerceHarness(defaults(c -> c.fraud.deny.users = List.of("u9")));
        final String first = decision(h.send(order(T, "o9", "u9", item("s1", 1))));
        for (int i = 0; i < 1500; i++) { // past the table's first size: it grows, in order
            h.send(order(T, "n" + i, "u" + i, item("s1", 1)));
        }
        final CommerceHarness restored = h.restored(defaults(c -> c.fraud.deny.users = List.of("u9")));
        assertEquals(h.logic.stateHash(), restored.logic.stateHash(), "the restored state");
        final String repeat = decision(restored.send(order(T, "o9", "u9", item("s1", 1))));
        assertTrue(first.contains("\"decision\":\"DECLINE\""), first);
        assertTrue(repeat.contains("\"decision\":\"DECLINE\"") && repeat.contains("REPEATED_ID"), repeat);
        assertEquals(decision(h.send(order(T, "o9", "u9", item("s1", 1)))).replaceAll("\"seq\":[0-9]+", ""),
                repeat.replaceAll("\"seq\":[0-9]+", ""));
        assertEquals(h.logic.stateHash(), restored.logic.stateHash(), "and after the repeat");
    }

    @Test
    void shouldRefuseBadDecisionsSettingsNamingTheField() {
        final EngineConfig c = EngineConfigLoader.defaults();
        c.decisions.repeats = "once";
        assertTrue(assertThrows(ConfigException.class, () -> BusinessSpec.of(c)).getMessage().contains("decisions.repeats"));
        c.decisions.repeats = "first";
        c.decisions.rememberFor = "0s";
        assertTrue(assertThrows(ConfigException.class, () -> BusinessSpec.of(c)).getMessage().contains("decisions.rememberFor"));
        c.decisions.rememberFor = "7d";
        c.decisions.maxRemembered = 0;
        assertTrue(assertThrows(ConfigException.class, () -> BusinessSpec.of(c)).getMessage().contains("decisions.maxRemembered"));
    }
}
