package io.ringfence.engine.anomaly;

/**
 * The arithmetic of the binomial spread of rate series ({@link AnomalySpec.Spread#BINOMIAL}): k
 * subset events of n in an interval against an expected rate p, on Anscombe's arcsine scale
 * {@code A(k, n) = asin√((k + ⅜)/(n + ¾))}, whose variance is {@code 1/(4n + 2)} at any p.
 *
 * <pre>
 *  score = 2·√(n + ½)·(A(k, n) − A(n·p, n)) / √φ          φ: learned overdispersion, at least 1
 *  band  = the rates whose score is within ±k
 *  sigma = √(φ·p̃(1 − p̃)/n),  p̃ = (n·p + ⅜)/(n + ¾)         (rate units; never 0, so learning can move)
 * </pre>
 *
 * Why not the Wald {@code z = (k/n − p)/√(p(1 − p)/n)}: at small n·p its right tail is far heavier
 * than normal (4 failures of 50 at 2 % is z = 3.03, yet happens in 2 % of intervals) and it needs a
 * floor at p = 0; here 0 failures where 0 are expected scores 0. Deterministic ({@code StrictMath}).
 */
final class BinomialSpread {
    private BinomialSpread() {
    }

    /** The forecast as a rate: within [0, 1]. */
    static double rate(final double expected) {
        return Math.max(0.0, Math.min(1.0, expected));
    }

    /** The score of the observed rate {@code y} = k/n against the expected rate (clamped to [0, 1]). */
    static double score(final double y, final double expected, final double n, final double dispersion) {
        return 2.0 * Math.sqrt(n + 0.5) * (arcsine(n * y, n) - arcsine(n * rate(expected), n)) / Math.sqrt(Math.max(1.0, dispersion));
    }

    /** The standard deviation of the rate at the expected rate, in rate units. */
    static double sigma(final double expected, final double n, final double dispersion) {
        final double p = (n * rate(expected) + 0.375) / (n + 0.75);
        return Math.sqrt(Math.max(1.0, dispersion) * p * (1.0 - p) / n);
    }

    /** Fills the result's expected rate and band (±k in score units, as rates). */
    static void band(final AnomalyResult r, final double expected, final double n, final double k, final double dispersion) {
        final double p = rate(expected);
        final double centre = arcsine(n * p, n);
        final double half = k * Math.sqrt(Math.max(1.0, dispersion)) / (2.0 * Math.sqrt(n + 0.5));
        r.expected = p;
        r.low = rateAt(Math.max(0.0, centre - half), n);
        r.high = rateAt(Math.min(Math.PI / 2, centre + half), n);
    }

    /** {@code asin√((k + ⅜)/(n + ¾))}. */
    static double arcsine(final double k, final double n) {
        return StrictMath.asin(Math.sqrt((k + 0.375) / (n + 0.75)));
    }

    /** The rate k/n whose {@link #arcsine} is {@code a}, within [0, 1]. */
    static double rateAt(final double a, final double n) {
        final double s = StrictMath.sin(a);
        return Math.max(0.0, Math.min(1.0, ((n + 0.75) * s * s - 0.375) / n));
    }
}
