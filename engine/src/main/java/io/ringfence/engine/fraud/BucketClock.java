package io.ringfence.engine.fraud;

/**
 * The current event's bucket number and ring position in each {@link Horizon}, computed once per
 * event and shared by every table's {@link VelocityBuckets}. Consecutive events mostly fall in
 * the same buckets, so the divisions are only redone when the time leaves the last ones.
 */
final class BucketClock {
    final int[] bucket = new int[Horizon.COUNT];
    final int[] position = new int[Horizon.COUNT];
    /** Per horizon, the event times {@code [from, until)} of the current bucket. */
    private final long[] from = new long[Horizon.COUNT];
    private final long[] until = new long[Horizon.COUNT];

    BucketClock() {
        for (int h = 0; h < Horizon.COUNT; h++) {
            from[h] = Long.MAX_VALUE; // empty: the first set computes
            until[h] = Long.MIN_VALUE;
        }
    }

    void set(final long t) {
        for (int h = 0; h < Horizon.COUNT; h++) {
            if (t < from[h] || t >= until[h]) {
                final int b = Horizon.bucket(h, t);
                bucket[h] = b;
                position[h] = Math.floorMod(b, Horizon.BUCKETS[h]);
                final long start = Math.floorDiv(t, Horizon.WIDTH[h]) * Horizon.WIDTH[h];
                // a clamped bucket number covers more than its width: never reuse it
                final boolean exact = b == Math.floorDiv(t, Horizon.WIDTH[h]);
                from[h] = exact ? start : Long.MAX_VALUE;
                until[h] = exact ? start + Horizon.WIDTH[h] : Long.MIN_VALUE;
            }
        }
    }
}
