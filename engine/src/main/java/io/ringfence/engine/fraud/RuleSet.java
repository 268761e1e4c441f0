package io.ringfence.engine.fraud;

import io.ringfence.engine.decision.Verdict;
import io.ringfence.sbe.Outcome;

import java.util.ArrayList;
import java.util.List;

/**
 * The configured rules, allow and deny lists and score thresholds, and the verdict they give a
 * feature vector. Immutable; {@link #evaluate} and {@link #decide} allocate nothing.
 *
 * <p>Precedence, documented in the README:
 * <ol>
 *   <li><b>Allow list</b> (user, device, IP or instrument listed): APPROVE, score 0, its reason
 *   only. Nothing else is looked at.</li>
 *   <li><b>Deny list</b>: DECLINE, score 1, its reason first, then the reasons of the rules that
 *   fired.</li>
 *   <li><b>Rules</b>, every one evaluated, in precedence order: decline rules, review rules,
 *   approve rules, then score additions from the largest to the smallest (ties in configuration
 *   order). Score = model score + the additions of the rules that fired, rounded to 6 decimals
 *   and clamped to [0, 1].
 *   Outcome = DECLINE if a decline rule fired, or score ≥ declineAt and no approve rule fired;
 *   else REVIEW if a review rule fired, or score ≥ reviewAt and no approve rule fired; else
 *   APPROVE. So an approve rule sets both score thresholds aside but not a review or decline rule.</li>
 *   <li><b>Reasons</b>: the codes of the rules that fired, in that precedence order (most
 *   important first), at most {@link Verdict#MAX_REASONS}.</li>
 * </ol>
 */
public final class RuleSet {
    /** No rules, no lists: everything approved with the model's score (thresholds still apply). */
    public static final RuleSet NONE = new RuleSet(List.of(), IdList.EMPTY, IdList.EMPTY, 1.0, 1.0);

    private final Rule[] rules;
    private final IdList allow;
    private final IdList deny;
    private final double reviewAt;
    private final double declineAt;
    /** The distinct window terms the rules compare, in configuration order; term i's value is at {@code Feature.COUNT + i}. */
    private final List<WindowTerm> windowTerms;

    /**
     * @param rules     in configuration order (they are sorted into precedence order here)
     * @param reviewAt  score from which the outcome is at least REVIEW, in (0, 1]
     * @param declineAt score from which the outcome is DECLINE, in [reviewAt, 1]
     */
    public RuleSet(final List<Rule> rules, final IdList allow, final IdList deny, final double reviewAt,
                   final double declineAt) {
        final List<WindowTerm> terms = new ArrayList<>();
        for (final Rule r : rules) {
            for (final Condition c : r.conditions()) {
                if (c.term() != null) {
                    if (!terms.contains(c.term())) {
                        terms.add(c.term());
                    }
                    c.slot(Feature.COUNT + terms.indexOf(c.term()));
                }
            }
        }
        this.windowTerms = List.copyOf(terms);
        final List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort(Rule::compare);
        this.rules = sorted.toArray(new Rule[0]);
        this.allow = allow;
        this.deny = deny;
        this.reviewAt = reviewAt;
        this.declineAt = declineAt;
    }

    /** The sliding-window terms the rules compare ({@link WindowTerm}), each once, in configuration order. */
    public List<WindowTerm> windowTerms() {
        return windowTerms;
    }

    /** The rules in precedence (= evaluation) order. */
    public List<Rule> rules() {
        return List.of(rules);
    }

    /**
     * A score as the engine compares it with the thresholds: rounded to 6 decimals and clipped to
     * [0, 1] ({@code evaluate} measures thresholds on the model score the same way).
     */
    public static double rounded(final double score) {
        return Math.max(0.0, Math.min(1.0, Math.rint(score * 1e6) / 1e6));
    }

    public double reviewAt() {
        return reviewAt;
    }

    public double declineAt() {
        return declineAt;
    }

    /**
     * Matches lists and rules against one event's ids and features (ids are {@code Ids.hash}
     * values, {@code FraudIds.ABSENT} when absent). Pure: changes nothing but {@code hits}.
     */
    public void evaluate(final boolean payment, final long user, final long device, final long ip,
                         final long instrument, final FeatureVector features, final RuleHits hits) {
        hits.reset(rules.length);
        if (allow.matches(user, device, ip, instrument)) {
            hits.allowed = true;
            return;
        }
        hits.denied = deny.matches(user, device, ip, instrument);
        final double[] v = features.values;
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].fires(payment, v)) {
                hits.fired[hits.firedCount++] = i;
            }
        }
    }

    /** Turns hits and the model's score into the verdict (see class comment). */
    public void decide(final RuleHits hits, final double modelScore, final Verdict verdict) {
        verdict.reset();
        if (hits.allowed) {
            verdict.outcome(Outcome.APPROVE).score(0).reason(allow.reasonBytes());
            return;
        }
        if (hits.denied) {
            verdict.reason(deny.reasonBytes());
        }
        double score = Double.isNaN(modelScore) ? 0.0 : modelScore;
        boolean decline = hits.denied;
        boolean review = false;
        boolean approve = false;
        for (int i = 0; i < hits.firedCount; i++) {
            final Rule r = rules[hits.fired[i]];
            switch (r.action()) {
                case DECLINE: decline = true; break;
                case REVIEW: review = true; break;
                case APPROVE: approve = true; break;
                default: score += r.add(); break;
            }
            verdict.reason(r.reasonBytes());
        }
        // rounded to 6 decimals so that configured additions sum as written (0.6 + 0.3 = 0.9, not
        // 0.8999999999999999 below a declineAt of 0.9)
        score = hits.denied ? 1.0 : rounded(score);
        final Outcome outcome;
        if (decline || (!approve && score >= declineAt)) {
            outcome = Outcome.DECLINE;
        } else if (review || (!approve && score >= reviewAt)) {
            outcome = Outcome.REVIEW;
        } else {
            outcome = Outcome.APPROVE;
        }
        verdict.outcome(outcome).score(score);
    }
}
