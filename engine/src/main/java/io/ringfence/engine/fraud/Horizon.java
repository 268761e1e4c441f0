package io.ringfence.engine.fraud;

/**
 * The three velocity horizons and their bucket layout. A horizon of length {@code H} is kept as
 * {@code n} buckets of {@code w = H / n} aligned to the epoch; its value at time {@code t} sums
 * the bucket holding {@code t} and the {@code n − 1} before it, so it covers the last
 * {@code H − w} to {@code H} (exactly: event times in {@code [(floor(t/w) − n + 1)·w, t]} plus any
 * earlier-processed events later than {@code t} in the same bucket).
 *
 * <pre>
 *  horizon  length  buckets × width   covers at least
 *  1m       60 s     6 × 10 s          50 s
 *  1h       1 h     12 × 5 min         55 min
 *  24h      24 h    12 × 2 h           22 h
 * </pre>
 */
final class Horizon {
    static final int COUNT = 3;
    static final long SECOND = 1_000_000L;
    /** Bucket width per horizon, microseconds. */
    static final long[] WIDTH = {10 * SECOND, 300 * SECOND, 7_200 * SECOND};
    /** Buckets per horizon. */
    static final int[] BUCKETS = {6, 12, 12};
    /** First bucket of each horizon in a key's bucket block. */
    static final int[] BASE = {0, 6, 18};
    /** Buckets per key, all horizons. */
    static final int TOTAL = 30;
    /** Names as used in feature names. */
    static final String[] NAMES = {"1m", "1h", "24h"};
    static final long DAY = 86_400 * SECOND;

    private Horizon() {
    }

    /** The bucket number holding time {@code t} in horizon {@code h}, clamped into an int. */
    static int bucket(final int h, final long t) {
        final long b = Math.floorDiv(t, WIDTH[h]);
        return (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, b));
    }
}
