package io.ringfence.engine.model;

/**
 * Deterministic 64-bit mixing (the murmur3 finaliser): id hashes and state hashes. One copy, so
 * every stage's state hash and every id hash uses the same function.
 */
public final class Mix64 {
    private Mix64() {
    }

    /** The murmur3 64-bit finaliser. */
    public static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** Folds {@code v} into {@code h}. */
    public static long combine(final long h, final long v) {
        return mix(h * 0x9e3779b97f4a7c15L + v);
    }
}
