package io.ringfence.engine.fraud;

/**
 * The current event's bucket number and ring position in each {@link Horizon}, computed once per
 * event (three divisions) and shared by every table's {@link VelocityBuckets}.
 */
final class BucketClock {
    final int[] bucket = new int[Horizon.COUNT];
    final int[] position = new int[Horizon.COUNT];

    void set(final long t) {
        for (int h = 0; h < Horizon.COUNT; h++) {
            final int b = Horizon.bucket(h, t);
            bucket[h] = b;
            position[h] = Math.floorMod(b, Horizon.BUCKETS[h]);
        }
    }
}
