package io.ringfence.engine.window;

/** Deterministic 64-bit mixing for state hashes (murmur3 finaliser). */
final class Mix {
    private Mix() {
    }

    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    static long combine(final long h, final long v) {
        return mix(h * 0x9e3779b97f4a7c15L + v);
    }
}
