package io.ringfence.tools.fraud;

import java.nio.charset.StandardCharsets;

/**
 * The fixed hash bucket that {@code --holdout F} uses to keep users out of training: a user is
 * held out when {@code bucket(userId) < F}, where
 * <pre>
 *   h      = FNV-1a 64-bit of the user id's UTF-8 bytes
 *            (offset basis 0xcbf29ce484222325, prime 0x100000001b3)
 *   h      = murmur3 fmix64 of h:  h ^= h >>> 33; h *= 0xff51afd7ed558ccd; h ^= h >>> 33;
 *                                  h *= 0xc4ceb9fe1a85ec53; h ^= h >>> 33
 *   bucket = (h >>> 11) / 2^53              a number in [0, 1)
 * </pre>
 * (the same hash as the engine's {@code Ids}). The finaliser matters: the top bits of plain
 * FNV-1a hardly depend on the last bytes, so ids that differ only there (u0..u999, sequential
 * customer numbers) would crowd into a few buckets and {@code --holdout 0.3} could hold out 1% or
 * 45% of the users instead of about 30%.
 * Every order of a user lands on the same side, the split does not depend on the data, the run or
 * the machine, and {@code train --holdout 0.3} and {@code evaluate --holdout 0.3} pick
 * complementary sets. Written out so it can be reproduced in a few lines of any language.
 */
public final class UserBucket {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final double TWO_POW_MINUS_53 = 0x1.0p-53;

    private UserBucket() {
    }

    /** The user's bucket in [0, 1). */
    public static double of(final String userId) {
        long h = FNV_OFFSET;
        for (final byte b : userId.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (h >>> 11) * TWO_POW_MINUS_53;
    }
}
