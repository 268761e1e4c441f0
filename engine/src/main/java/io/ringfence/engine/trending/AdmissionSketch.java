package io.ringfence.engine.trending;

import io.ringfence.engine.model.Mix64;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

import java.util.Arrays;

/**
 * How often each (category, sku) has sold recently while it held no place in its full category:
 * a count-min sketch (4 rows of {@code width} counters, an estimate never below the true count)
 * whose counters are all halved every half window of event time, so old sales fade (TinyLFU's
 * "reset", Einziger et al. 2017, on event time): a steady rate {@code r} counts between
 * {@code r * size / 2} and {@code r * size}, the scale of the window counts it is compared with.
 * {@link TrendBoard} admits a new sku into a full category only when this count, with its current
 * sale, exceeds the estimate of the sku it would replace: a sku sold once does not push out one
 * that sells, and one that keeps selling gets in. Deterministic (event time and order only);
 * state, in snapshots.
 */
final class AdmissionSketch {
    private static final int ROWS = 4;
    private static final long[] SEEDS = {0x9E3779B97F4A7C15L, 0xC2B2AE3D27D4EB4FL, 0x165667B19E3779F9L, 0xD6E8FEB86659FD93L};

    private final int width;
    private final int shift;
    private final long ageEvery;
    private final int[] counts;
    /** Event time of the next halving; Long.MIN_VALUE until the first sale. */
    private long nextAge = Long.MIN_VALUE;
    private long ages;

    /**
     * @param width    counters per row, a power of two
     * @param ageEvery event time between halvings, microseconds (half the window)
     */
    AdmissionSketch(final int width, final long ageEvery) {
        if (Integer.bitCount(width) != 1) {
            throw new IllegalArgumentException("width must be a power of two: " + width);
        }
        if (ageEvery <= 0) {
            throw new IllegalArgumentException("ageEvery must be positive: " + ageEvery);
        }
        this.width = width;
        this.shift = 64 - Integer.numberOfTrailingZeros(width);
        this.ageEvery = ageEvery;
        this.counts = new int[ROWS * width];
    }

    /**
     * Counts {@code amount} (positive) sales of {@code key} at event time {@code now} (never less
     * than before) and returns its estimate, this sale included; first halves the counters once per
     * {@code ageEvery} passed since the last halving.
     */
    long add(final long key, final long amount, final long now) {
        age(now);
        final int add = (int) Math.min(amount, Integer.MAX_VALUE);
        int min = Integer.MAX_VALUE;
        for (int r = 0; r < ROWS; r++) {
            final int i = r * width + index(key, r);
            final int v = counts[i] > Integer.MAX_VALUE - add ? Integer.MAX_VALUE : counts[i] + add;
            counts[i] = v;
            min = Math.min(min, v);
        }
        return min;
    }

    private void age(final long now) {
        if (nextAge == Long.MIN_VALUE) {
            nextAge = now + ageEvery;
            return;
        }
        if (now < nextAge) {
            return;
        }
        final long periods = (now - nextAge) / ageEvery + 1;
        final int by = (int) Math.min(periods, 31);
        for (int i = 0; i < counts.length; i++) {
            counts[i] >>>= by;
        }
        nextAge += periods * ageEvery;
        ages += periods;
    }

    /** The estimate of {@code key} without counting (tests). */
    long estimate(final long key) {
        int min = Integer.MAX_VALUE;
        for (int r = 0; r < ROWS; r++) {
            min = Math.min(min, counts[r * width + index(key, r)]);
        }
        return min;
    }

    private int index(final long key, final int row) {
        return (int) (Mix64.mix(key ^ SEEDS[row]) >>> shift);
    }

    /** Times the counters were halved (tests). */
    long ages() {
        return ages;
    }

    int width() {
        return width;
    }

    long stateHash() {
        return (Arrays.hashCode(counts) * 31L + nextAge) * 31 + ages;
    }

    long stateBytes() {
        return 4 + 8 + 8 + 4L * counts.length;
    }

    void writeState(final StateWriter w) {
        w.putInt(width).putLong(nextAge).putLong(ages).putInts(counts, 0, counts.length);
    }

    /** Reads what {@link #writeState} wrote into this new sketch of the same width. */
    void readState(final StateReader r) {
        r.getInt("trending admission sketch width", width, width);
        nextAge = r.getLong();
        ages = r.getLong();
        r.getInts(counts, 0, counts.length);
    }
}
