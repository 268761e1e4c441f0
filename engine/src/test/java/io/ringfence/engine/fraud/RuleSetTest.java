package io.ringfence.engine.fraud;

import io.ringfence.engine.decision.Verdict;

import io.ringfence.sbe.Outcome;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conditions, lists, precedence, score clamping and reason order of {@link RuleSet}. */
class RuleSetTest {
    private static final long U = FraudIds.hash("u-1");
    private static final long D = FraudIds.hash("d-1");
    private static final long IP = FraudIds.hash("10.0.0.1");
    private static final long C = FraudIds.hash("card-1");

    private final FeatureVector v = new FeatureVector();
    private final RuleHits hits = new RuleHits();
    private final Verdict verdict = new Verdict();

    private static Rule rule(final String reason, final String action, final String... when) {
        return rule(reason, action, true, true, when);
    }

    private static Rule rule(final String reason, final String action, final boolean orders, final boolean payments,
                             final String... when) {
        final List<Condition> c = new ArrayList<>();
        for (final String w : when) {
            c.add(Condition.parse(w));
        }
        final Rule.Action a = action.startsWith("add") ? Rule.Action.ADD : Rule.Action.valueOf(action.toUpperCase());
        final double add = a == Rule.Action.ADD ? Double.parseDouble(action.substring(4)) : 0;
        return new Rule(reason, c, orders, payments, a, add, COUNTER[0]++);
    }

    private static final int[] COUNTER = {0};

    private static RuleSet set(final Rule... rules) {
        return new RuleSet(List.of(rules), IdList.EMPTY, IdList.EMPTY, 0.6, 0.9);
    }

    private Verdict decide(final RuleSet rules, final boolean payment) {
        rules.evaluate(payment, U, D, IP, C, v, hits);
        rules.decide(hits, 0.0, verdict);
        return verdict;
    }

    private static List<String> reasons(final Verdict verdict) {
        final List<String> r = new ArrayList<>();
        for (int i = 0; i < verdict.reasonCount(); i++) {
            r.add(verdict.reasonText(i));
        }
        return r;
    }

    @Test
    void shouldApplyEachOperatorAtTheBoundary() {
        final double[][] cases = {
            // amount, >100, >=100, <100, <=100
            {99, 0, 0, 1, 1},
            {100, 0, 1, 0, 1},
            {101, 1, 1, 0, 0},
        };
        for (final double[] c : cases) {
            v.set(Feature.AMOUNT, c[0]);
            assertEquals(c[1] == 1, Condition.parse("amount > 100").holds(v), "> at " + c[0]);
            assertEquals(c[2] == 1, Condition.parse("amount >= 100").holds(v), ">= at " + c[0]);
            assertEquals(c[3] == 1, Condition.parse("amount < 100").holds(v), "< at " + c[0]);
            assertEquals(c[4] == 1, Condition.parse("amount<=100").holds(v), "<= at " + c[0]);
        }
    }

    @Test
    void shouldNeverHoldOnAMissingFeature() {
        v.clear();
        for (final String op : new String[] {">", ">=", "<", "<="}) {
            assertFalse(Condition.parse("seconds_since_signup " + op + " 60").holds(v), op);
        }
    }

    @Test
    void shouldParseNumbersAndRefuseNonsense() {
        assertEquals(-0.5, Condition.parse(" user_amount_zscore >= -0.5 ").threshold());
        assertEquals(1e3, Condition.parse("amount > 1e3").threshold());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Condition.parse("amount == 3")).getMessage()
            .contains("not a condition"));
        final String m = assertThrows(IllegalArgumentException.class, () -> Condition.parse("amont > 3")).getMessage();
        assertTrue(m.contains("amont") && m.contains("user_orders_1m"), m);
    }

    @Test
    void shouldFireOnlyWhenEveryConditionHolds() {
        final RuleSet rules = set(rule("BOTH", "review", "amount > 10", "user_orders_1h >= 2"));
        v.set(Feature.AMOUNT, 20);
        v.set(Feature.USER_ORDERS_1H, 1);
        assertEquals(Outcome.APPROVE, decide(rules, false).outcome());
        v.set(Feature.USER_ORDERS_1H, 2);
        assertEquals(Outcome.REVIEW, decide(rules, false).outcome());
        assertEquals(List.of("BOTH"), reasons(verdict));
    }

    @Test
    void shouldApplyARuleOnlyToItsEventKinds() {
        final RuleSet rules = set(rule("PAY_ONLY", "decline", false, true, "amount > 0"));
        v.set(Feature.AMOUNT, 5);
        assertEquals(Outcome.APPROVE, decide(rules, false).outcome());
        assertEquals(Outcome.DECLINE, decide(rules, true).outcome());
    }

    @Test
    void shouldLetTheAllowListWinOverDenyListAndRules() {
        final IdList allow = new IdList("VIP", List.of("u-1"), List.of(), List.of(), List.of());
        final IdList deny = new IdList("BLOCKED", List.of(), List.of(), List.of(), List.of("card-1"));
        final RuleSet rules = new RuleSet(List.of(rule("BIG", "decline", "amount > 0")), allow, deny, 0.6, 0.9);
        v.set(Feature.AMOUNT, 5);
        decide(rules, false);
        assertEquals(Outcome.APPROVE, verdict.outcome());
        assertEquals(0.0, verdict.score());
        assertEquals(List.of("VIP"), reasons(verdict));
    }

    @Test
    void shouldDeclineADeniedIdWithScoreOneAndTheRulesThatFired() {
        final IdList deny = new IdList("BLOCKED", List.of(), List.of(), List.of("10.0.0.1"), List.of());
        final RuleSet rules = new RuleSet(List.of(rule("SMALL", "add 0.1", "amount > 0")), IdList.EMPTY, deny, 0.6, 0.9);
        v.set(Feature.AMOUNT, 5);
        decide(rules, false);
        assertEquals(Outcome.DECLINE, verdict.outcome());
        assertEquals(1.0, verdict.score());
        assertEquals(List.of("BLOCKED", "SMALL"), reasons(verdict));
        // other ids are not denied
        rules.evaluate(false, U, D, FraudIds.hash("10.0.0.2"), C, v, hits);
        assertFalse(hits.denied());
    }

    @Test
    void shouldTakeTheStrongestActionAndOrderReasonsByIt() {
        v.set(Feature.AMOUNT, 5);
        final RuleSet rules = set(
            rule("ADD_SMALL", "add 0.1", "amount > 0"),
            rule("OK", "approve", "amount > 0"),
            rule("LOOK", "review", "amount > 0"),
            rule("ADD_BIG", "add 0.3", "amount > 0"),
            rule("STOP", "decline", "amount > 0"));
        decide(rules, false);
        assertEquals(Outcome.DECLINE, verdict.outcome());
        // decline, review, approve, then additions largest first
        assertEquals(List.of("STOP", "LOOK", "OK", "ADD_BIG", "ADD_SMALL"), reasons(verdict));
        assertEquals(0.4, verdict.score(), 1e-12);
    }

    @Test
    void shouldLetAnApproveRuleOverrideTheThresholdsButNotAReviewRule() {
        v.set(Feature.AMOUNT, 5);
        final Rule big = rule("ADD", "add 0.95", "amount > 0");
        final Rule ok = rule("TRUSTED", "approve", "amount > 0");
        decide(set(big), false);
        assertEquals(Outcome.DECLINE, verdict.outcome(), "0.95 >= declineAt 0.9");
        decide(set(big, ok), false);
        assertEquals(Outcome.APPROVE, verdict.outcome(), "approve rule overrides the score thresholds");
        assertEquals(0.95, verdict.score(), 1e-12, "the score is still reported");
        decide(set(big, ok, rule("LOOK", "review", "amount > 0")), false);
        assertEquals(Outcome.REVIEW, verdict.outcome(), "a review rule beats an approve rule");
    }

    @Test
    void shouldMapTheScoreToOutcomesAtTheThresholds() {
        v.set(Feature.AMOUNT, 5);
        decide(set(rule("A", "add 0.59", "amount > 0")), false);
        assertEquals(Outcome.APPROVE, verdict.outcome());
        decide(set(rule("A", "add 0.6", "amount > 0")), false);
        assertEquals(Outcome.REVIEW, verdict.outcome(), "reviewAt is inclusive");
        decide(set(rule("A", "add 0.6", "amount > 0"), rule("B", "add 0.3", "amount > 0")), false);
        assertEquals(Outcome.DECLINE, verdict.outcome(), "0.6 + 0.3 = 0.9 = declineAt");
    }

    @Test
    void shouldClampTheScoreToZeroAndOne() {
        v.set(Feature.AMOUNT, 5);
        decide(set(rule("A", "add 0.7", "amount > 0"), rule("B", "add 0.6", "amount > 0")), false);
        assertEquals(1.0, verdict.score(), "0.7 + 0.6 = 1.3 clamped to 1");
        decide(set(rule("A", "add 0.2", "amount > 0"), rule("TRUST", "add -0.5", "amount > 0")), false);
        assertEquals(0.0, verdict.score(), "0.2 - 0.5 = -0.3 clamped to 0");
        assertEquals(List.of("A", "TRUST"), reasons(verdict));
        rules(0.5);
    }

    private void rules(final double model) {
        final RuleSet rules = set(rule("A", "add 0.2", "amount > 0"));
        rules.evaluate(false, U, D, IP, C, v, hits);
        rules.decide(hits, model, verdict);
        assertEquals(0.7, verdict.score(), 1e-12, "model score 0.5 + rule 0.2");
        assertEquals(Outcome.REVIEW, verdict.outcome());
    }

    @Test
    void shouldKeepAtMostEightReasonsMostImportantFirst() {
        v.set(Feature.AMOUNT, 5);
        final List<Rule> many = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            many.add(rule("R" + i, "add 0.0" + (i % 10), "amount > 0"));
        }
        decide(new RuleSet(many, IdList.EMPTY, IdList.EMPTY, 0.6, 0.9), false);
        // additions 0.01..0.09 and R10 = 0.00: largest first, 8 kept
        assertEquals(List.of("R9", "R8", "R7", "R6", "R5", "R4", "R3", "R2"), reasons(verdict));
        assertEquals(10, hits.firedCount(), "every rule was evaluated");
    }
}
