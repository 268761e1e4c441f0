package io.ringfence.engine;

import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.fraud.FraudConfig;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.window.WindowConfig;
import io.ringfence.sbe.Outcome;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rules on configured sliding windows (DESIGN §5: "sliding windows are queryable by the scoring
 * stage at any event"; audit: a sliding window configured in YAML was kept and never read, and a
 * rule naming it was "not a condition"). The term is read for the scored event's own key, as the
 * window stands when the event is scored (the event included), per currency in a money window.
 */
class WindowRuleTest {
    private static final String T0 = "2026-01-05T10:";

    /** One scored event: its outcome, reasons and the values of the rules' window terms. */
    private record Scored(Outcome outcome, List<String> reasons, double[] terms) {
    }

    private static FraudConfig.RuleConfig rule(final String reason, final String on, final String action, final String... when) {
        final FraudConfig.RuleConfig r = new FraudConfig.RuleConfig();
        r.reason = reason;
        r.on = List.of(on);
        r.when = List.of(when);
        r.action = action;
        return r;
    }

    private static EngineConfig config(final FraudConfig.RuleConfig... rules) {
        final EngineConfig c = new EngineConfig();
        c.windows = new ArrayList<>(List.of(
            new WindowConfig().name("user_10m").key("user").kind("sliding").size("10m").step("1m")
                .metrics("count", "sum(amount)", "distinct(deviceId)"),
            new WindowConfig().name("device.5m").key("device").kind("sliding").size("5m").step("1m").metrics("count"),
            new WindowConfig().name("gmv_1h").key("country").kind("tumbling").size("1h").metrics("count")));
        c.fraud.rules = new ArrayList<>(List.of(rules));
        return c;
    }

    private static List<Scored> run(final EngineConfig config, final String... lines) {
        config.validate();
        final List<Scored> scored = new ArrayList<>();
        final EngineLogic logic = new EngineLogic(BusinessSpec.of(config), (seq, buffer, offset, scorer, verdict) -> {
            final List<String> reasons = new ArrayList<>();
            for (int i = 0; i < verdict.reasonCount(); i++) {
                reasons.add(verdict.reasonText(i));
            }
            final double[] terms = new double[scorer.lastFeatures().windowTerms()];
            for (int i = 0; i < terms.length; i++) {
                terms[i] = scorer.lastFeatures().windowTerm(i);
            }
            scored.add(new Scored(verdict.outcome(), reasons, terms));
        });
        final JsonEventParser parser = new JsonEventParser();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final ParseResult result = new ParseResult();
        final OutputBuffer out = new OutputBuffer(4096);
        long seq = 0;
        for (final String line : lines) {
            final int length = parser.parse(line, ++seq, seq, buffer, 0, result);
            assertTrue(length > 0, line + ": " + result);
            out.reset();
            logic.onEvent(seq, 0, buffer, 0, length, out);
        }
        return scored;
    }

    private static String order(final String id, final int minute, final String user, final String amount, final String currency,
                                final String device) {
        return "{\"type\":\"order\",\"time\":\"" + T0 + String.format("%02d", minute) + ":00Z\",\"orderId\":\"" + id + "\",\"userId\":\"" + user
            + "\",\"amount\":\"" + amount + "\",\"currency\":\"" + currency + "\"" + (device == null ? "" : ",\"deviceId\":\"" + device + "\"") + "}";
    }

    @Test
    void shouldReadTheScoredEventsOwnKeyWithTheEventIncludedAndForgetWhatSlidOut() {
        final List<Scored> s = run(config(rule("USER_BURST", "order", "review", "user_10m.count >= 3")),
            order("o1", 0, "u1", "10.00", "EUR", "d1"),
            order("o2", 1, "u1", "10.00", "EUR", "d1"),
            order("o3", 1, "u2", "10.00", "EUR", "d1"), // another user: its own key
            order("o4", 2, "u1", "10.00", "EUR", "d1"), // u1's third in 10 min
            order("o5", 9, "u1", "10.00", "EUR", "d1")); // fourth: minute 0's pane still inside [0, 10)
        assertEquals(List.of(1.0, 2.0, 1.0, 3.0, 4.0), List.of(s.get(0).terms()[0], s.get(1).terms()[0], s.get(2).terms()[0],
            s.get(3).terms()[0], s.get(4).terms()[0]));
        assertEquals(Outcome.APPROVE, s.get(1).outcome());
        assertEquals(Outcome.REVIEW, s.get(3).outcome());
        assertEquals(List.of("USER_BURST"), s.get(3).reasons());
        final List<Scored> later = run(config(rule("USER_BURST", "order", "review", "user_10m.count >= 3")),
            order("o1", 0, "u1", "10.00", "EUR", "d1"),
            order("o2", 1, "u1", "10.00", "EUR", "d1"),
            order("o4", 10, "u1", "10.00", "EUR", "d1")); // panes [1, 11): minute 0 slid out
        assertEquals(2.0, later.get(2).terms()[0]);
        assertEquals(Outcome.APPROVE, later.get(2).outcome());
    }

    @Test
    void shouldSumInTheEventsCurrencyAndCountDistinctValues() {
        final List<Scored> s = run(config(rule("BIG", "order", "add 0.7", "user_10m.sum >= 2500", "user_10m.distinct(deviceId) >= 2")),
            order("o1", 0, "u1", "20.00", "EUR", "d1"),
            order("o2", 1, "u1", "900.00", "USD", "d2"), // another currency: its own key
            order("o3", 2, "u1", "5.00", "EUR", "d2"));
        assertEquals(2000.0, s.get(0).terms()[0]);
        assertEquals(90000.0, s.get(1).terms()[0]);
        assertEquals(1.0, s.get(1).terms()[1], "USD: one device so far");
        assertEquals(2500.0, s.get(2).terms()[0], "20.00 + 5.00 EUR, minor units");
        assertEquals(2.0, s.get(2).terms()[1]);
        assertEquals(List.of(), s.get(1).reasons());
        assertEquals(List.of("BIG"), s.get(2).reasons());
        assertEquals(Outcome.REVIEW, s.get(2).outcome(), "score 0.7 >= reviewAt");
    }

    @Test
    void shouldMissWhereTheEventHasNoKeyInTheWindowSoTheConditionFails() {
        final List<Scored> s = run(config(rule("NO_DEVICE", "order", "decline", "device.5m.count < 100")),
            order("o1", 0, "u1", "10.00", "EUR", null), // no device: no key in device.5m
            order("o2", 0, "u1", "10.00", "EUR", "d9"),
            "{\"type\":\"payment\",\"time\":\"" + T0 + "01:00Z\",\"paymentId\":\"p1\",\"orderId\":\"o2\",\"userId\":\"u1\","
                + "\"amount\":\"10.00\",\"currency\":\"EUR\",\"result\":\"AUTHORIZED\"}"); // the window takes orders only
        assertTrue(Double.isNaN(s.get(0).terms()[0]), "missing, not 0");
        assertEquals(Outcome.APPROVE, s.get(0).outcome());
        assertEquals(1.0, s.get(1).terms()[0], "a window name with a dot: the metric is after the last one");
        assertEquals(Outcome.DECLINE, s.get(1).outcome());
        assertTrue(Double.isNaN(s.get(2).terms()[0]));
        assertEquals(Outcome.APPROVE, s.get(2).outcome());
    }

    @Test
    void shouldRefuseATermItCannotReadNamingTheCondition() {
        final String[][] cases = {
            {"nope.count >= 1", "names no window 'nope'; rules read sliding windows (configured: user_10m, device.5m)"},
            {"gmv_1h.count >= 1", "names 'gmv_1h', a tumbling window; rules read sliding windows (configured: user_10m, device.5m)"},
            {"device.5m.max >= 1", "window 'device.5m' keeps no amount metric (add sum(amount) to its metrics)"},
            {"user_10m.distinct(ip) >= 1", "window 'user_10m' has no distinct(ip) metric"},
        };
        for (final String[] c : cases) {
            final ConfigException e = assertThrows(ConfigException.class, () -> config(rule("R", "order", "review", "amount > 0", c[0])).validate(),
                c[0]);
            assertTrue(e.getMessage().contains("fraud.rules[0].when[1]") && e.getMessage().contains(c[1]), e.getMessage());
        }
        final ConfigException syntax = assertThrows(ConfigException.class,
            () -> config(rule("R", "order", "review", "user_10m.median >= 1")).validate());
        assertTrue(syntax.getMessage().contains("neither a feature nor WINDOW.METRIC of a sliding window"), syntax.getMessage());
    }

    /** Review: a key the window refused at maxKeys read as an empty window (count 0), so "count < 1" declined every such order. */
    @Test
    void shouldMissForAKeyTheWindowRefusedAtMaxKeys() {
        final EngineConfig c = config(rule("NONE_YET", "order", "decline", "user_10m.count < 1"));
        c.windows.set(0, new WindowConfig().name("user_10m").key("user").kind("sliding").size("10m").step("1m").maxKeys(1)
            .metrics("count", "sum(amount)", "distinct(deviceId)"));
        final List<Scored> s = run(c,
            order("o1", 0, "u1", "10.00", "EUR", "d1"), // held
            order("o2", 0, "u2", "10.00", "EUR", "d1")); // refused: the window is full
        assertEquals(1.0, s.get(0).terms()[0]);
        assertTrue(Double.isNaN(s.get(1).terms()[0]), "missing, not 0: " + s.get(1).terms()[0]);
        assertEquals(Outcome.APPROVE, s.get(1).outcome());
    }

    /** Review: only the first bad term was named; window names may start with '-' or '.'; a field's name is checked. */
    @Test
    void shouldNameEveryBadTermAndReadAnyWindowName() {
        final EngineConfig c = config(rule("A", "order", "review", "nope.count >= 1"), rule("B", "order", "review", "user_10m.distinct(device_id) >= 1"));
        final ConfigException e = assertThrows(ConfigException.class, c::validate);
        assertTrue(e.getMessage().contains("fraud.rules[0].when[0]") && e.getMessage().contains("fraud.rules[1].when[0]")
            && e.getMessage().contains("window 'user_10m' has no distinct(device_id) metric"), e.getMessage());
        final EngineConfig dashed = config(rule("D", "order", "review", "-x.count >= 2"));
        dashed.windows.add(new WindowConfig().name("-x").key("user").kind("sliding").size("5m").step("1m").metrics("count"));
        final List<Scored> s = run(dashed, order("o1", 0, "u1", "10.00", "EUR", "d1"), order("o2", 0, "u1", "10.00", "EUR", "d1"));
        assertEquals(Outcome.REVIEW, s.get(1).outcome());
    }
}
