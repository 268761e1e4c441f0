package io.ringfence.tools.fraud;

import io.ringfence.engine.fraud.RuleSet;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a threshold on the model score alone (no rules) would do to a set of labelled orders: the
 * orders it flags and the precision, recall and false-positive rate that gives, and the lowest
 * threshold whose false-positive rate stays within a target. A trained model's scores are not
 * calibrated probabilities, so these are the figures a shop sets {@code fraud.reviewAt} and
 * {@code declineAt} from. As in the engine, a threshold flags a score at or above it, and the score
 * is rounded to 6 decimals first ({@link RuleSet#rounded}), so a printed threshold copied into the
 * configuration flags exactly the orders counted here (when no rule adds to the score).
 */
public final class OperatingPoints {
    /** Decimal places tried, fewest first, for the threshold chosen for a target. */
    private static final int MAX_PLACES = 6;

    /**
     * One threshold and what it flags.
     *
     * @param threshold the threshold, or NaN when no threshold in [0, 1] meets the target
     * @param targetFpr the false-positive rate the threshold was chosen for, NaN for a given threshold
     */
    public record Point(double threshold, double targetFpr, BinaryMetrics.Confusion confusion) {
        Map<String, Object> json() {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("threshold", Double.isNaN(threshold) ? null : threshold);
            m.put("targetFpr", Double.isNaN(targetFpr) ? null : targetFpr);
            m.putAll(EvaluationReport.confusion(confusion));
            return m;
        }
    }

    private final double[] scores;
    private final long[] positivesFrom;
    private final long[] negativesFrom;
    private final long positives;
    private final long negatives;

    /** @param modelScores the model's scores, {@code fraud} their labels (same order, same length) */
    public OperatingPoints(final double[] modelScores, final boolean[] fraud) {
        if (modelScores.length != fraud.length) {
            throw new IllegalArgumentException(modelScores.length + " scores but " + fraud.length + " labels");
        }
        final int n = modelScores.length;
        final double[] rounded = new double[n];
        final Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            rounded[i] = RuleSet.rounded(Double.isNaN(modelScores[i]) ? 0.0 : modelScores[i]);
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(rounded[a], rounded[b]));
        scores = new double[n];
        positivesFrom = new long[n + 1];
        negativesFrom = new long[n + 1];
        for (int k = n - 1; k >= 0; k--) {
            scores[k] = rounded[order[k]];
            final boolean f = fraud[order[k]];
            positivesFrom[k] = positivesFrom[k + 1] + (f ? 1 : 0);
            negativesFrom[k] = negativesFrom[k + 1] + (f ? 0 : 1);
        }
        positives = positivesFrom[0];
        negatives = negativesFrom[0];
    }

    /** The orders a threshold flags: those whose rounded model score is at or above it. */
    public Point at(final double threshold) {
        return new Point(threshold, Double.NaN, confusionFrom(firstAtOrAbove(threshold)));
    }

    /** The points of each threshold, in the order given. */
    public List<Point> at(final double[] thresholds) {
        return Arrays.stream(thresholds).mapToObj(this::at).toList();
    }

    /**
     * The lowest threshold whose false-positive rate is at most {@code targetFpr}. Thresholds between
     * two adjacent scores flag the same orders, so of those the one with the fewest decimals (1 to
     * 6) is returned: above the next lower score, at most the lowest score flagged. When even the
     * top score breaks the target, the threshold flags nothing; when that top score is 1, no
     * threshold in [0, 1] can, and the point's threshold is NaN.
     */
    public Point forTargetFpr(final double targetFpr) {
        final int n = scores.length;
        int from = 0;
        while (from < n && !(fpr(from) <= targetFpr)) {
            from++;
            while (from < n && scores[from] == scores[from - 1]) {
                from++;
            }
        }
        final double threshold;
        if (from == n) {
            threshold = n == 0 ? 0.0 : scores[n - 1] >= 1.0 ? Double.NaN : fewestDecimals(scores[n - 1], 1.0);
        } else if (from == 0) {
            threshold = scores[0] == 0.0 ? 0.0 : fewestDecimals(0.0, scores[0]);
        } else {
            threshold = fewestDecimals(scores[from - 1], scores[from]);
        }
        return new Point(threshold, targetFpr, confusionFrom(from));
    }

    private double fpr(final int from) {
        return negatives == 0 ? 0.0 : (double) negativesFrom[from] / negatives;
    }

    private BinaryMetrics.Confusion confusionFrom(final int from) {
        final long tp = positivesFrom[from];
        final long fp = negativesFrom[from];
        return new BinaryMetrics.Confusion(tp, fp, positives - tp, negatives - fp);
    }

    private int firstAtOrAbove(final double threshold) {
        int lo = 0;
        int hi = scores.length;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (scores[mid] >= threshold) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The decimal with the fewest places (1 to 6) above {@code lower} and at most {@code upper}; else upper. */
    static double fewestDecimals(final double lower, final double upper) {
        for (int places = 1; places <= MAX_PLACES; places++) {
            final BigDecimal unit = BigDecimal.ONE.movePointLeft(places);
            BigDecimal c = new BigDecimal(lower).setScale(places, RoundingMode.FLOOR);
            double d;
            do {
                c = c.add(unit);
                d = c.doubleValue();
            } while (d <= lower);
            if (d <= upper) {
                return d;
            }
        }
        return upper;
    }

    /** The points as a table for people, after the report. */
    static String text(final List<Point> points) {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format("  model score alone (no rules): an order is flagged when its score >= the threshold, as fraud.reviewAt/declineAt%n"));
        sb.append(String.format("    %-10s %9s %10s %8s %8s%n", "threshold", "flagged", "precision", "recall", "FPR"));
        for (final Point p : points) {
            final BinaryMetrics.Confusion c = p.confusion();
            sb.append(String.format("    %-10s %,9d %10s %8s %8s", format(p.threshold()), c.flagged(), EvaluationReport.f4(c.precision()),
                    EvaluationReport.f4(c.recall()), EvaluationReport.f4(c.falsePositiveRate())));
            if (!Double.isNaN(p.targetFpr())) {
                sb.append(Double.isNaN(p.threshold())
                        ? "   no threshold in [0, 1] keeps FPR <= " + format(p.targetFpr()) + " (legitimate orders score 1)"
                        : "   lowest threshold with FPR <= " + format(p.targetFpr()));
            }
            sb.append(String.format("%n"));
        }
        return sb.toString();
    }

    /** A threshold as people write it: 0.35, 0.000125, 1 (NaN as "-"). */
    static String format(final double threshold) {
        return Double.isNaN(threshold) ? "-" : BigDecimal.valueOf(threshold).stripTrailingZeros().toPlainString();
    }
}
