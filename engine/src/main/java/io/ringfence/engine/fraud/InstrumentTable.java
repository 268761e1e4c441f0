package io.ringfence.engine.fraud;

import java.util.Arrays;

/** Per-instrument state: order and payment velocity, payment attempts and failures. */
final class InstrumentTable extends EntityTable {
    final VelocityBuckets velocity = new VelocityBuckets(true);
    long[] attempts = new long[0];
    long[] failed = new long[0];

    InstrumentTable(final int maxKeys) {
        super("instruments", maxKeys);
    }

    @Override
    void grow(final int n) {
        velocity.grow(n);
        attempts = Arrays.copyOf(attempts, n);
        failed = Arrays.copyOf(failed, n);
    }

    @Override
    void clear(final int s) {
        velocity.clear(s);
        attempts[s] = 0;
        failed[s] = 0;
    }

    @Override
    long hashSlot(final int s, long h) {
        h = velocity.hash(s, h);
        h = h * 31 + attempts[s];
        return h * 31 + failed[s];
    }
}
