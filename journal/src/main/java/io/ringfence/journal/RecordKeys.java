package io.ringfence.journal;

import org.agrona.DirectBuffer;

/**
 * The 64-bit keys a journal record is found by in the journal's {@link KeyIndex} (for the engine: the hashes of an
 * order's or a payment's ids). The journal stores payloads without knowing their schema: its writer is told what to
 * index by this. Called on the sealer's thread, once per record: it must not allocate and need not be thread-safe.
 */
@FunctionalInterface
public interface RecordKeys {
    /**
     * Writes the keys of one record's payload into {@code keys} (at most {@code keys.length}, which is
     * {@value KeyIndex#MAX_KEYS_PER_RECORD}) and returns how many; 0 for a record found by none.
     */
    int keysOf(DirectBuffer payload, int offset, int length, long[] keys);
}
