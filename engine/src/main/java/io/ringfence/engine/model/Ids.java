package io.ringfence.engine.model;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Identifiers: the caller's strings (at most {@link #MAX_ID_BYTES} UTF-8 bytes, NUL padded in
 * SBE {@code Id} fields) and the 64-bit hash the business stages key their state by.
 *
 * <p>The hash is FNV-1a over the UTF-8 bytes followed by a murmur3 finaliser: stable across
 * runs and JVMs (the basis of replay), allocation-free, and with 2^64 values a collision among
 * the ids of one shop is not a practical concern. The string itself always travels with the
 * event, so outputs repeat the caller's id unchanged.
 */
public final class Ids {
    public static final int MAX_ID_BYTES = 36;
    /** Hash of the empty (absent) id. */
    public static final long EMPTY = hash(new byte[0], 0, 0);

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Ids() {
    }

    /** Number of bytes before the first NUL, at most {@code maxLength}. */
    public static int length(final DirectBuffer buffer, final int offset, final int maxLength) {
        int i = 0;
        while (i < maxLength && buffer.getByte(offset + i) != 0) {
            i++;
        }
        return i;
    }

    /** Hash of a NUL-padded id field in a buffer. */
    public static long hash(final DirectBuffer buffer, final int offset, final int maxLength) {
        long h = FNV_OFFSET;
        for (int i = 0; i < maxLength; i++) {
            final byte b = buffer.getByte(offset + i);
            if (b == 0) {
                break;
            }
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return Mix64.mix(h);
    }

    /** Hash of {@code length} bytes of an array; equal to {@link #hash(DirectBuffer, int, int)} of the same bytes. */
    public static long hash(final byte[] bytes, final int offset, final int length) {
        long h = FNV_OFFSET;
        for (int i = 0; i < length; i++) {
            final byte b = bytes[offset + i];
            if (b == 0) {
                break;
            }
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return Mix64.mix(h);
    }

    /** Hash of a string id (edge code and tests; allocates). */
    public static long hash(final String id) {
        final byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        return hash(bytes, 0, bytes.length);
    }

    /** Combines two hashes, order-sensitive (composite keys). */
    public static long combine(final long h1, final long h2) {
        return Mix64.mix(h1 * 31 + h2 + 0x9e3779b97f4a7c15L);
    }
}
