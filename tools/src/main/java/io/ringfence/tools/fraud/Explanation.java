package io.ringfence.tools.fraud;

import io.ringfence.engine.codec.JsonEventWriter;
import io.ringfence.engine.decision.Verdict;
import io.ringfence.engine.fraud.Feature;
import io.ringfence.engine.fraud.FraudScorer;
import io.ringfence.engine.fraud.LogisticModel;
import io.ringfence.engine.fraud.ModelTerm;
import io.ringfence.engine.fraud.Rule;
import io.ringfence.engine.fraud.RuleHits;
import io.ringfence.engine.fraud.RuleSet;
import io.ringfence.sbe.Outcome;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why one order or payment got its decision, copied from the engine at the moment it was scored:
 * the event, every feature value, each model term's standardised value and contribution, the
 * rules in precedence order with which fired, the lists, the thresholds and the verdict.
 */
public final class Explanation {
    private final long sequence;
    private final String eventJson;
    private final double[] features = new double[Feature.COUNT];
    private final double[] contributions = new double[Feature.COUNT];
    /** The rules' sliding-window terms and their values at this moment (empty when the rules compare none). */
    private final java.util.List<io.ringfence.engine.fraud.WindowTerm> terms;
    private final double[] termValues;
    private final double modelScore;
    private final boolean allowed;
    private final boolean denied;
    private final boolean[] fired;
    /** Whether the event explained is a payment (rules apply to the event types of their {@code on}). */
    private final boolean payment;
    private final Outcome outcome;
    private final double score;
    private final List<String> reasons = new ArrayList<>();
    private final RuleSet rules;
    private final io.ringfence.engine.fraud.FraudModel model;

    /** The user and card a payment was judged by, taken from its order because it named none; null when not. */
    private final String userFromOrder;
    private final String instrumentFromOrder;

    /** The sequence of the decision remembered for this id when it carries ID_REUSED, else -1. */
    private final long reusedOf;

    /** Copies what the scorer holds for the event it just scored (call from a ScoreListener). */
    public Explanation(final long sequence, final DirectBuffer buffer, final int offset, final FraudScorer scorer,
                       final Verdict verdict) {
        this(sequence, buffer, offset, scorer, verdict, -1);
    }

    /** @param reusedOf the sequence of the decision remembered for its id when it was decided for other content, else -1 */
    public Explanation(final long sequence, final DirectBuffer buffer, final int offset, final FraudScorer scorer,
                       final Verdict verdict, final long reusedOf) {
        this.sequence = sequence;
        this.reusedOf = reusedOf;
        this.eventJson = new JsonEventWriter().toJson(buffer, offset);
        this.payment = new io.ringfence.sbe.MessageHeaderDecoder().wrap(buffer, offset).templateId()
                == io.ringfence.sbe.PaymentDecoder.TEMPLATE_ID;
        scorer.lastFeatures().copyTo(features);
        terms = scorer.rules().windowTerms();
        termValues = new double[terms.size()];
        for (int i = 0; i < termValues.length; i++) {
            termValues[i] = scorer.lastFeatures().windowTerm(i);
        }
        System.arraycopy(scorer.lastContributions(), 0, contributions, 0, Feature.COUNT);
        modelScore = scorer.lastModelScore();
        final RuleHits hits = scorer.lastHits();
        allowed = hits.allowed();
        denied = hits.denied();
        rules = scorer.rules();
        fired = new boolean[rules.rules().size()];
        for (int i = 0; i < hits.firedCount(); i++) {
            fired[hits.fired(i)] = true;
        }
        outcome = verdict.outcome();
        score = verdict.score();
        for (int i = 0; i < verdict.reasonCount(); i++) {
            reasons.add(verdict.reasonText(i));
        }
        model = scorer.model();
        userFromOrder = scorer.lastUserFromOrder();
        instrumentFromOrder = scorer.lastInstrumentFromOrder();
    }

    public long sequence() {
        return sequence;
    }

    public Outcome outcome() {
        return outcome;
    }

    public double score() {
        return score;
    }

    public List<String> reasons() {
        return reasons;
    }

    /** Whether inventory added OVERSELL to this order's verdict (after scoring; see CommerceStage). */
    private boolean oversold() {
        return reasons.contains(io.ringfence.engine.commerce.CommerceStage.OVERSELL);
    }

    /** The explanation for people. */
    public String text() {
        final StringBuilder sb = new StringBuilder();
        sb.append("event (seq ").append(sequence).append("): ").append(eventJson).append('\n');
        sb.append(String.format("decision: %s   score %s   reasons: %s%n", outcome, io.ringfence.engine.codec.PlainNumbers.plain(score),
                reasons.isEmpty() ? "(none)" : String.join(", ", reasons)));
        if (userFromOrder != null || instrumentFromOrder != null) { // review LOW: where the payment's parties came from
            sb.append("parties: the payment names ").append(fromOrderText(false)).append(", so it was judged by its order's: ")
                .append(fromOrderText(true)).append(" (docs/fraud.md Features)\n");
        }
        if (reusedOf >= 0) { // new-user trial: the reason named no earlier decision to compare with
            sb.append(String.format("repeats: ID_REUSED: this id was decided at seq %,d for other content (docs/fraud.md \"Repeated"
                    + " orders and payments\"): decided as a new event; `explain` that seq for the first%n", reusedOf));
        }
        if (oversold()) {
            sb.append("inventory: OVERSELL is not fraud scoring: the order asked for more of a sku than was available"
                    + " (inventory.oversell: flag adds the reason; review also makes an APPROVE a REVIEW)\n");
        }
        sb.append(String.format("thresholds: REVIEW at score >= %s, DECLINE at score >= %s (or a review/decline rule; an approve rule overrides the thresholds)%n",
                rules.reviewAt(), rules.declineAt()));
        if (allowed) {
            sb.append("allow list: matched, so APPROVE with score 0; nothing else was looked at\n");
        } else {
            sb.append("allow list: no match;   deny list: ").append(denied ? "MATCHED (DECLINE, score 1)" : "no match").append('\n');
        }
        if (model instanceof LogisticModel m) {
            final double logit = m.intercept() + sum(contributions);
            sb.append(String.format("model %s: log-odds = intercept %.4f + contributions %.4f = %.4f  ->  model score %.6f%n",
                    m.id(), m.intercept(), sum(contributions), logit, modelScore));
            // z is of the transformed value, not of the value beside it (new-user trial: read as the raw value's z-score)
            sb.append(String.format("  %-32s %14s %9s %-13s %9s %13s%n", "feature (by |contribution|)", "value", "z", "(z of)", "weight",
                    "contribution"));
            for (final ModelTerm t : byContribution(m)) {
                final double raw = features[t.feature().ordinal()];
                sb.append(String.format("  %-32s %14s %9s %-13s %9.4f %+13.4f%n", t.feature().featureName(), value(raw),
                        Double.isNaN(raw) ? "missing" : String.format("%.3f", t.standardised(raw, m.clip())), zOf(t), t.weight(),
                        contributions[t.feature().ordinal()]));
            }
        } else {
            sb.append("model: none (the score is the rules' additions)\n");
        }
        sb.append("rules, in precedence order:\n");
        final List<Rule> list = rules.rules();
        for (int i = 0; i < list.size(); i++) {
            final Rule r = list.get(i);
            // a rule not applying to this event type says so (trial: a payment's explanation listed an orders-only rule
            // as not fired while its features met the rule's condition)
            sb.append(String.format("  %-6s %-24s %-10s %s%s%n", fired[i] ? "FIRED" : applies(r) ? "-" : "n/a", r.reason(),
                    action(r), conditions(r), applies(r) ? "" : "   (on: " + on(r) + " only, not " + (payment ? "payments" : "orders") + ")"));
        }
        final String sum = scoreSum();
        if (sum != null) {
            sb.append(sum).append('\n');
        }
        sb.append("features (value as of this moment; NaN = missing; amounts in minor units, e.g. 306 = 3.06 of a two-decimal"
                + " currency, as rules compare them; sums add the minor units of every currency paid in, with no exchange rates):\n");
        for (int f = 0; f < Feature.COUNT; f++) {
            sb.append(String.format("  %-32s %14s%n", Feature.at(f).featureName(), value(features[f])));
        }
        if (!terms.isEmpty()) {
            sb.append("sliding windows the rules read (this event's key, this event included; NaN = no key in the window):\n");
            for (int i = 0; i < terms.size(); i++) {
                sb.append(String.format("  %-40s %14s%n", terms.get(i).text(), value(termValues[i])));
            }
        }
        return sb.toString();
    }

    /**
     * How the score came about, as the engine adds it ({@code RuleSet.decide}): the model's score plus each fired rule's
     * addition in precedence order, rounded to 6 decimals and clamped to [0, 1] (data-scientist trial: "model score
     * 0.999977", "add 0.3", "add -0.2", then "score 1.0", to be worked out by the reader). Null for an allow-listed event,
     * or when the sum does not give the decision's score (a repeat's, answered with an earlier decision's).
     */
    private String scoreSum() {
        if (allowed) {
            return null;
        }
        if (denied) {
            return "score: 1 (the deny list sets it)";
        }
        final StringBuilder sb = new StringBuilder("score: ");
        double total = Double.isNaN(modelScore) ? 0.0 : modelScore;
        sb.append(model instanceof LogisticModel ? String.format(java.util.Locale.ROOT, "model %.6f", total) : "0 (no model)");
        final List<Rule> list = rules.rules();
        int added = 0;
        for (int i = 0; i < list.size(); i++) {
            final Rule r = list.get(i);
            if (fired[i] && r.action() == Rule.Action.ADD) {
                total += r.add();
                sb.append(r.add() < 0 ? " - " : " + ").append(io.ringfence.engine.codec.PlainNumbers.plain(Math.abs(r.add())))
                        .append(" (").append(r.reason()).append(')');
                added++;
            }
        }
        final double rounded = RuleSet.rounded(total);
        if (Double.compare(rounded, score) != 0) {
            return null;
        }
        final double six = Math.rint(total * 1e6) / 1e6;
        if (added > 0) {
            sb.append(" = ").append(io.ringfence.engine.codec.PlainNumbers.plain(six));
        }
        if (six != rounded) {
            sb.append(", clamped to [0, 1]: ").append(io.ringfence.engine.codec.PlainNumbers.plain(rounded));
        }
        return sb.toString();
    }

    /** "no user and no card", or with {@code values} "user u7, card c9": what the payment took from its order. */
    private String fromOrderText(final boolean values) {
        final List<String> parts = new ArrayList<>();
        if (userFromOrder != null) {
            parts.add(values ? "user " + userFromOrder : "no user");
        }
        if (instrumentFromOrder != null) {
            parts.add(values ? "card " + instrumentFromOrder : "no card");
        }
        return String.join(values ? ", " : " and ", parts);
    }

    /** What a term's z standardises: "value", or the transform of it ("log1p(value)"). */
    static String zOf(final ModelTerm t) {
        return t.transform() == io.ringfence.engine.fraud.FeatureTransform.IDENTITY ? "value" : t.transform().text() + "(value)";
    }

    /** The model's terms, largest |contribution| first (ties in feature order), as the text and JSON list them. */
    private List<ModelTerm> byContribution(final LogisticModel m) {
        final List<ModelTerm> terms = new ArrayList<>(m.terms());
        terms.sort((a, b) -> {
            final int c = Double.compare(Math.abs(contributions[b.feature().ordinal()]), Math.abs(contributions[a.feature().ordinal()]));
            return c != 0 ? c : Integer.compare(a.feature().ordinal(), b.feature().ordinal());
        });
        return terms;
    }

    /** The explanation as a JSON-ready map. */
    public Map<String, Object> json() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", sequence);
        m.put("event", new com.fasterxml.jackson.databind.util.RawValue(eventJson.strip())); // the event itself, not a string of it
        m.put("decision", outcome.name());
        m.put("score", score);
        m.put("reasons", reasons);
        m.put("oversell", oversold()); // inventory's reason, added after fraud scoring
        if (userFromOrder != null || instrumentFromOrder != null) { // what a payment naming neither was judged by
            final Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("userId", userFromOrder);
            pm.put("instrumentId", instrumentFromOrder);
            m.put("fromOrder", pm);
        }
        if (reusedOf >= 0) {
            m.put("idReusedOf", reusedOf); // the decision remembered for this id, of other content
        }
        m.put("reviewAt", rules.reviewAt());
        m.put("declineAt", rules.declineAt());
        m.put("allowList", allowed);
        m.put("denyList", denied);
        if (model instanceof LogisticModel lm) {
            final Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("id", lm.id());
            mm.put("intercept", lm.intercept());
            mm.put("score", modelScore);
            final List<Map<String, Object>> terms = new ArrayList<>();
            for (final ModelTerm t : byContribution(lm)) {
                final Map<String, Object> tm = new LinkedHashMap<>();
                final double raw = features[t.feature().ordinal()];
                tm.put("feature", t.feature().featureName());
                tm.put("value", Double.isNaN(raw) ? null : raw);
                tm.put("z", Double.isNaN(raw) ? null : t.standardised(raw, lm.clip()));
                tm.put("zOf", zOf(t));
                tm.put("weight", t.weight());
                tm.put("contribution", contributions[t.feature().ordinal()]);
                terms.add(tm);
            }
            mm.put("terms", terms);
            m.put("model", mm);
        } else {
            m.put("model", null);
        }
        final List<Map<String, Object>> ruleList = new ArrayList<>();
        final List<Rule> list = rules.rules();
        for (int i = 0; i < list.size(); i++) {
            final Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("reason", list.get(i).reason());
            rm.put("action", action(list.get(i)));
            rm.put("when", conditions(list.get(i)));
            rm.put("on", on(list.get(i)));
            rm.put("applies", applies(list.get(i)));
            rm.put("fired", fired[i]);
            ruleList.add(rm);
        }
        m.put("rules", ruleList);
        final Map<String, Object> fm = new LinkedHashMap<>();
        for (int f = 0; f < Feature.COUNT; f++) {
            fm.put(Feature.at(f).featureName(), Double.isNaN(features[f]) ? null : features[f]);
        }
        m.put("features", fm);
        if (!terms.isEmpty()) {
            final Map<String, Object> wm = new LinkedHashMap<>();
            for (int i = 0; i < terms.size(); i++) {
                wm.put(terms.get(i).text(), Double.isNaN(termValues[i]) ? null : termValues[i]);
            }
            m.put("windowTerms", wm);
        }
        return m;
    }

    private static String action(final Rule r) {
        return r.action() == Rule.Action.ADD ? "add " + r.add() : r.action().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String conditions(final Rule r) {
        final StringBuilder sb = new StringBuilder();
        for (final var c : r.conditions()) {
            sb.append(sb.length() == 0 ? "" : " and ").append(c);
        }
        return sb.toString();
    }

    private static String value(final double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format("%.4f", v);
    }

    private static double sum(final double[] a) {
        double s = 0;
        for (final double v : a) {
            s += v;
        }
        return s;
    }

    /** Whether the rule is evaluated for the event explained (its {@code on} names that event's type). */
    private boolean applies(final Rule r) {
        return payment ? r.onPayments() : r.onOrders();
    }

    /** The rule's {@code on}, as configured: {@code order}, {@code payment} or {@code order,payment}. */
    private static String on(final Rule r) {
        return r.onOrders() && r.onPayments() ? "order,payment" : r.onOrders() ? "order" : "payment";
    }
}
