package io.ringfence.tools.fraud;

import java.util.Arrays;

/**
 * Ranking and threshold metrics of fraud scores against labels, computed exactly (no sampling):
 * ROC AUC as the Mann-Whitney statistic (tied scores count one half), PR AUC as average precision
 * (precision at each distinct score, weighted by the recall it adds; tied scores enter together).
 * NaN where a metric is undefined (no positives, or no negatives for ROC AUC).
 */
public final class BinaryMetrics {
    private BinaryMetrics() {
    }

    /** ROC AUC of {@code scores} for labels {@code fraud}. */
    public static double rocAuc(final double[] scores, final boolean[] fraud) {
        final int n = scores.length;
        final Integer[] order = sortedAscending(scores);
        long positives = 0;
        double rankSum = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            final double midRank = (i + j) / 2.0 + 1.0;
            for (int k = i; k <= j; k++) {
                if (fraud[order[k]]) {
                    positives++;
                    rankSum += midRank;
                }
            }
            i = j + 1;
        }
        final long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Average precision of {@code scores} for labels {@code fraud}. */
    public static double prAuc(final double[] scores, final boolean[] fraud) {
        final int n = scores.length;
        long positives = 0;
        for (final boolean f : fraud) {
            positives += f ? 1 : 0;
        }
        if (positives == 0) {
            return Double.NaN;
        }
        final Integer[] order = sortedAscending(scores);
        double ap = 0;
        long tp = 0;
        long seen = 0;
        int i = n - 1;
        while (i >= 0) {
            int j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) {
                j--;
            }
            long tiedPositives = 0;
            for (int k = j; k <= i; k++) {
                tiedPositives += fraud[order[k]] ? 1 : 0;
            }
            tp += tiedPositives;
            seen += i - j + 1;
            ap += ((double) tiedPositives / positives) * ((double) tp / seen);
            i = j - 1;
        }
        return ap;
    }

    private static Integer[] sortedAscending(final double[] scores) {
        final Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        return order;
    }

    /** A confusion matrix at one threshold. */
    public record Confusion(long tp, long fp, long fn, long tn) {
        public static Confusion of(final boolean[] flagged, final boolean[] fraud) {
            long tp = 0;
            long fp = 0;
            long fn = 0;
            long tn = 0;
            for (int i = 0; i < fraud.length; i++) {
                if (flagged[i]) {
                    if (fraud[i]) {
                        tp++;
                    } else {
                        fp++;
                    }
                } else if (fraud[i]) {
                    fn++;
                } else {
                    tn++;
                }
            }
            return new Confusion(tp, fp, fn, tn);
        }

        /** Share of flagged orders that are fraud (NaN when none is flagged). */
        public double precision() {
            return tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
        }

        /** Share of fraud that is flagged (NaN without fraud). */
        public double recall() {
            return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
        }

        /** Share of legitimate orders that are flagged. */
        public double falsePositiveRate() {
            return fp + tn == 0 ? Double.NaN : (double) fp / (fp + tn);
        }

        public long flagged() {
            return tp + fp;
        }
    }
}
