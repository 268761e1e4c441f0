package io.ringfence.engine.anomaly;

/**
 * How far a count is from its expectation under a negative binomial model (variance
 * {@code m + m²/r}; Poisson when {@code 1/r = 0}): the signed root of the deviance, which is
 * approximately standard normal with far better tails than {@code (y − m)/√var} at small counts
 * (0 orders where 3 are expected is −2.4, not −1.7 or the −3 of a log scale).
 *
 * <pre>
 *  Poisson      d = 2·(y·ln(y/m) − (y − m))                          (y = 0: 2m)
 *  NB(size r)   d = 2·(y·ln(y/m) − (y + r)·ln((y + r)/(m + r)))      (y = 0: 2r·ln(1 + m/r))
 *  z = sign(y − m)·√d
 * </pre>
 *
 * Pure functions of doubles with {@link StrictMath} logarithms: deterministic, allocation-free.
 */
final class CountDeviance {
    /** Below this 1/r the Poisson form is used (the NB one loses precision as r grows). */
    static final double POISSON_BELOW = 1e-9;

    private CountDeviance() {
    }

    /**
     * @param y           the observed count (or sum of counts), at least 0
     * @param m           the expected count, above 0
     * @param inverseSize 1/r of the negative binomial; 0 for Poisson
     * @return the signed root of the deviance
     */
    static double score(final double y, final double m, final double inverseSize) {
        final double d;
        if (inverseSize < POISSON_BELOW) {
            d = y > 0.0 ? 2.0 * (y * StrictMath.log(y / m) - (y - m)) : 2.0 * m;
        } else {
            final double r = 1.0 / inverseSize;
            d = y > 0.0
                ? 2.0 * (y * StrictMath.log(y / m) - (y + r) * StrictMath.log((y + r) / (m + r)))
                : 2.0 * r * StrictMath.log1p(m / r);
        }
        final double root = Math.sqrt(Math.max(0.0, d));
        return y < m ? -root : root;
    }

    /**
     * The count at which {@link #score} reaches {@code z} (the band of a count or a sum of counts:
     * {@code bound(m, inverseSize, −k)} and {@code bound(m, inverseSize, k)}): below {@code m} for
     * {@code z < 0}, 0 when even 0 scores above {@code z}; above {@code m} for {@code z > 0}. The score
     * is monotone on each side of {@code m}, so bisection finds it: a fixed number of halvings,
     * deterministic and allocation-free.
     *
     * @param m           the expected count, above 0
     * @param inverseSize 1/r of the negative binomial; 0 for Poisson
     * @param z           the score sought, not 0
     */
    static double bound(final double m, final double inverseSize, final double z) {
        double lo;
        double hi;
        if (z < 0.0) {
            if (score(0.0, m, inverseSize) >= z) {
                return 0.0;
            }
            lo = 0.0;
            hi = m;
        } else {
            lo = m;
            hi = m + 1.0;
            for (int i = 0; i < 1100 && score(hi, m, inverseSize) < z; i++) {
                lo = hi;
                hi *= 2.0;
            }
        }
        for (int i = 0; i < 100; i++) {
            final double mid = 0.5 * (lo + hi);
            if (score(mid, m, inverseSize) < z) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
