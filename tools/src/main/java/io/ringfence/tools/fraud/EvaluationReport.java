package io.ringfence.tools.fraud;

import io.ringfence.sbe.Outcome;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers {@code evaluate} reports for a set of scored labelled orders: ROC AUC and PR AUC of
 * the engine's decisions (ranked by outcome, then score: {@link #rank}) and of the model's own score, precision/recall/confusion at the review and
 * decline thresholds (an order counts as flagged at review when its decision was REVIEW or
 * DECLINE, at decline when it was DECLINE, so rules count as well as the score), and the same per
 * calendar month (UTC) of the order time, because fraud drifts.
 */
public final class EvaluationReport {
    /** Metrics of one group of orders. */
    public record Group(String name, int orders, int positives, double rocAuc, double prAuc, double modelRocAuc,
                        double modelPrAuc, BinaryMetrics.Confusion atReview, BinaryMetrics.Confusion atDecline) {
        static Group of(final String name, final ScoredEvents s, final List<Integer> rows) {
            final int n = rows.size();
            final double[] score = new double[n];
            final double[] model = new double[n];
            final boolean[] fraud = new boolean[n];
            final boolean[] review = new boolean[n];
            final boolean[] decline = new boolean[n];
            int positives = 0;
            for (int k = 0; k < n; k++) {
                final int i = rows.get(k);
                score[k] = rank(s.outcome(i), s.score(i));
                model[k] = s.modelScore(i);
                fraud[k] = s.fraud(i);
                positives += fraud[k] ? 1 : 0;
                review[k] = s.outcome(i) != Outcome.APPROVE;
                decline[k] = s.outcome(i) == Outcome.DECLINE;
            }
            return new Group(name, n, positives, BinaryMetrics.rocAuc(score, fraud), BinaryMetrics.prAuc(score, fraud),
                    BinaryMetrics.rocAuc(model, fraud), BinaryMetrics.prAuc(model, fraud),
                    BinaryMetrics.Confusion.of(review, fraud), BinaryMetrics.Confusion.of(decline, fraud));
        }

        Map<String, Object> json() {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("orders", orders);
            m.put("positives", positives);
            m.put("fraudRate", orders == 0 ? null : (double) positives / orders);
            m.put("rocAuc", num(rocAuc));
            m.put("prAuc", num(prAuc));
            m.put("modelRocAuc", num(modelRocAuc));
            m.put("modelPrAuc", num(modelPrAuc));
            m.put("review", confusion(atReview));
            m.put("decline", confusion(atDecline));
            return m;
        }
    }

    /**
     * The engine's risk ordering of a decision: outcome first (a review or decline rule outranks any
     * approved score), then score: APPROVE in [0, 1], REVIEW in [2, 3], DECLINE in [4, 5].
     */
    static double rank(final Outcome outcome, final double score) {
        final int level = outcome == Outcome.DECLINE ? 2 : outcome == Outcome.REVIEW ? 1 : 0;
        return level * 2.0 + score;
    }

    private final Group overall;
    private final List<Group> months;

    private EvaluationReport(final Group overall, final List<Group> months) {
        this.overall = overall;
        this.months = months;
    }

    /** The report over the selected rows. */
    public static EvaluationReport of(final ScoredEvents s, final List<Integer> rows) {
        final TreeMap<String, List<Integer>> byMonth = new TreeMap<>();
        for (final int i : rows) {
            final var t = Instant.ofEpochSecond(Math.floorDiv(s.time(i), 1_000_000L)).atOffset(ZoneOffset.UTC);
            byMonth.computeIfAbsent(String.format("%04d-%02d", t.getYear(), t.getMonthValue()), k -> new ArrayList<>()).add(i);
        }
        final List<Group> months = new ArrayList<>();
        byMonth.forEach((month, r) -> months.add(Group.of(month, s, r)));
        return new EvaluationReport(Group.of("all", s, rows), months);
    }

    public Group overall() {
        return overall;
    }

    public List<Group> months() {
        return months;
    }

    /** The report as text for people. */
    public String text(final double reviewAt, final double declineAt) {
        return text(reviewAt, declineAt, true);
    }

    /** The report as text for people; without a model the model-score line is left out (every score would be 0). */
    public String text(final double reviewAt, final double declineAt, final boolean model) {
        final StringBuilder sb = new StringBuilder();
        final Group o = overall;
        sb.append(String.format("  evaluated: %,d orders, %,d fraud (%s)%n", o.orders, o.positives, pct(o.positives, o.orders)));
        sb.append(String.format("  ROC AUC %s   PR AUC %s      (engine decisions: outcome, then score)%n", f4(o.rocAuc), f4(o.prAuc)));
        if (model) {
            sb.append(String.format("  ROC AUC %s   PR AUC %s      (model score alone)%n", f4(o.modelRocAuc), f4(o.modelPrAuc)));
        }
        sb.append(String.format("  at review  (REVIEW or DECLINE: score >= %s or a review/decline rule): precision %s  recall %s  flagged %,d  false-positive rate %s%n",
                reviewAt, f4(o.atReview.precision()), f4(o.atReview.recall()), o.atReview.flagged(), f4(o.atReview.falsePositiveRate())));
        sb.append(String.format("  at decline (DECLINE: score >= %s or a decline rule):            precision %s  recall %s  flagged %,d  false-positive rate %s%n",
                declineAt, f4(o.atDecline.precision()), f4(o.atDecline.recall()), o.atDecline.flagged(), f4(o.atDecline.falsePositiveRate())));
        sb.append("  confusion matrix at review:\n");
        sb.append(String.format("                  flagged    passed%n"));
        sb.append(String.format("    fraud     %,10d %,9d%n", o.atReview.tp(), o.atReview.fn()));
        sb.append(String.format("    legit     %,10d %,9d%n", o.atReview.fp(), o.atReview.tn()));
        sb.append("  per month (order time, UTC): drift shows here\n");
        sb.append(String.format("    %-8s %8s %7s %7s %8s %8s %10s %10s %9s%n", "month", "orders", "fraud", "rate", "ROC AUC", "PR AUC",
                "recall@rv", "precis@rv", "FPR@rv"));
        for (final Group m : months) {
            sb.append(String.format("    %-8s %,8d %,7d %7s %8s %8s %10s %10s %9s%n", m.name, m.orders, m.positives, pct(m.positives, m.orders),
                    f4(m.rocAuc), f4(m.prAuc), f4(m.atReview.recall()), f4(m.atReview.precision()), f4(m.atReview.falsePositiveRate())));
        }
        return sb.toString();
    }

    /** The report as one JSON-ready map ({@code rocAuc}, {@code prAuc}, {@code orders}, {@code positives}, ...). */
    public Map<String, Object> json(final double reviewAt, final double declineAt) {
        return json(reviewAt, declineAt, true);
    }

    /** As {@link #json(double, double)}; without a model the model-score figures are null (every score would be 0). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> json(final double reviewAt, final double declineAt, final boolean model) {
        final Map<String, Object> m = overall.json();
        if (!model) {
            m.put("modelRocAuc", null);
            m.put("modelPrAuc", null);
        }
        ((Map<String, Object>) m.get("review")).put("threshold", reviewAt);
        ((Map<String, Object>) m.get("decline")).put("threshold", declineAt);
        final List<Map<String, Object>> list = new ArrayList<>();
        for (final Group g : months) {
            final Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("month", g.name);
            mm.putAll(g.json());
            if (!model) {
                mm.put("modelRocAuc", null);
                mm.put("modelPrAuc", null);
            }
            list.add(mm);
        }
        m.put("months", list);
        return m;
    }

    static Map<String, Object> confusion(final BinaryMetrics.Confusion c) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", num(c.precision()));
        m.put("recall", num(c.recall()));
        m.put("falsePositiveRate", num(c.falsePositiveRate()));
        m.put("flagged", c.flagged());
        m.put("tp", c.tp());
        m.put("fp", c.fp());
        m.put("fn", c.fn());
        m.put("tn", c.tn());
        return m;
    }

    private static Double num(final double v) {
        return Double.isNaN(v) ? null : v;
    }

    static String f4(final double v) {
        return Double.isNaN(v) ? "-" : String.format("%.4f", v);
    }

    private static String pct(final long a, final long b) {
        return b == 0 ? "-" : String.format("%.2f%%", 100.0 * a / b);
    }
}
