package io.ringfence.engine.fraud;

/**
 * Per-instrument state: order and payment velocity, payment attempts and failures, one block per
 * key of the velocity array ({@link VelocityBuckets}) with {@code [attempts, failed]} in front.
 */
final class InstrumentTable extends EntityTable {
    private static final int ATTEMPTS = 0;
    private static final int FAILED = 1;

    final VelocityBuckets velocity = new VelocityBuckets(true, 2);

    InstrumentTable(final int maxKeys) {
        super("instruments", maxKeys);
    }

    @Override
    void grow(final int n) {
        velocity.grow(n);
    }

    @Override
    void clear(final int s) {
        velocity.clear(s);
    }

    long attempts(final int s) {
        return velocity.page(s)[velocity.block(s) + ATTEMPTS];
    }

    long failed(final int s) {
        return velocity.page(s)[velocity.block(s) + FAILED];
    }

    void addAttempt(final int s, final boolean isFailed) {
        final long[] d = velocity.page(s);
        final int r = velocity.block(s);
        d[r + ATTEMPTS]++;
        if (isFailed) {
            d[r + FAILED]++;
        }
    }

    @Override
    VelocityBuckets blocks() {
        return velocity;
    }

    @Override
    long hashSlot(final int s, final long h) {
        return velocity.hash(s, h);
    }
}
