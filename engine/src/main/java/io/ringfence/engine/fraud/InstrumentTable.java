package io.ringfence.engine.fraud;

import java.util.Arrays;

/** Per-instrument state: order and payment velocity, payment attempts and failures ({@code [attempts, failed]} per slot). */
final class InstrumentTable extends EntityTable {
    final VelocityBuckets velocity = new VelocityBuckets(true);
    private long[] record = new long[0];

    InstrumentTable(final int maxKeys) {
        super("instruments", maxKeys);
    }

    @Override
    void grow(final int n) {
        velocity.grow(n);
        record = Arrays.copyOf(record, 2 * n);
    }

    @Override
    void clear(final int s) {
        velocity.clear(s);
        record[2 * s] = 0;
        record[2 * s + 1] = 0;
    }

    long attempts(final int s) {
        return record[2 * s];
    }

    long failed(final int s) {
        return record[2 * s + 1];
    }

    void addAttempt(final int s, final boolean isFailed) {
        record[2 * s]++;
        if (isFailed) {
            record[2 * s + 1]++;
        }
    }

    @Override
    long hashSlot(final int s, long h) {
        h = velocity.hash(s, h);
        h = h * 31 + record[2 * s];
        return h * 31 + record[2 * s + 1];
    }
}
