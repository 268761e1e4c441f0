package io.ringfence.engine.window;

/** Deterministic 64-bit mixing for state hashes (murmur3 finaliser). */
final class Mix {
    private Mix() {
    }

    static long mix(final long h) {
        return io.ringfence.engine.model.Mix64.mix(h);
    }

    static long combine(final long h, final long v) {
        return io.ringfence.engine.model.Mix64.combine(h, v);
    }
}
