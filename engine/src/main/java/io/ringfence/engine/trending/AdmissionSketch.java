package io.ringfence.engine.trending;

import io.ringfence.engine.model.Mix64;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;

import java.util.Arrays;

/**
 * How often each (category, sku) has sold recently while it held no place in its full category:
 * a count-min sketch (4 rows of {@code width} counters, an estimate never below the true count)
 * whose counters are all halved after every {@code 10 * width} counted sales, so old sales fade
 * (TinyLFU's "reset", Einziger et al. 2017). {@link TrendBoard} admits a new sku into a full
 * category only when this count, with its current sale, exceeds the estimate of the sku it would
 * replace: a sku sold once does not push out one that sells, and one that keeps selling gets in.
 * Deterministic (event order only); state, in snapshots.
 */
final class AdmissionSketch {
    private static final int ROWS = 4;
    private static final long[] SEEDS = {0x9E3779B97F4A7C15L, 0xC2B2AE3D27D4EB4FL, 0x165667B19E3779F9L, 0xD6E8FEB86659FD93L};

    private final int width;
    private final int shift;
    private final long agePeriod;
    private final int[] counts;
    private long sinceAge;
    private long ages;

    /** @param width counters per row, a power of two */
    AdmissionSketch(final int width) {
        if (Integer.bitCount(width) != 1) {
            throw new IllegalArgumentException("width must be a power of two: " + width);
        }
        this.width = width;
        this.shift = 64 - Integer.numberOfTrailingZeros(width);
        this.agePeriod = 10L * width;
        this.counts = new int[ROWS * width];
    }

    /** Counts {@code amount} sales of {@code key} and returns its estimate, this sale included. */
    long add(final long key, final long amount) {
        final int add = (int) Math.min(amount, Integer.MAX_VALUE);
        int min = Integer.MAX_VALUE;
        for (int r = 0; r < ROWS; r++) {
            final int i = r * width + index(key, r);
            final int v = counts[i] > Integer.MAX_VALUE - add ? Integer.MAX_VALUE : counts[i] + add;
            counts[i] = v;
            min = Math.min(min, v);
        }
        sinceAge += add;
        if (sinceAge >= agePeriod) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] >>>= 1;
            }
            sinceAge = 0;
            ages++;
        }
        return min;
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
        return (Arrays.hashCode(counts) * 31L + sinceAge) * 31 + ages;
    }

    long stateBytes() {
        return 4 + 8 + 8 + 4L * counts.length;
    }

    void writeState(final StateWriter w) {
        w.putInt(width).putLong(sinceAge).putLong(ages).putInts(counts, 0, counts.length);
    }

    /** Reads what {@link #writeState} wrote into this new sketch of the same width. */
    void readState(final StateReader r) {
        r.getInt("trending admission sketch width", width, width);
        sinceAge = r.getLong();
        ages = r.getLong();
        r.getInts(counts, 0, counts.length);
    }
}
