package io.ringfence.journal;

import org.agrona.DirectBuffer;

/**
 * A 64-bit fingerprint of one journal record: its sequence, ingest time, source, client sequence
 * and payload bytes. A snapshot stores the fingerprint of the record it covers up to, so start-up
 * can tell a snapshot of this journal from one of a journal that was deleted and written anew
 * (the same sequence numbers, other events). Never 0, which stands for "not recorded".
 */
public final class RecordFingerprint {
    /** No fingerprint (a snapshot of the format before, or a sequence the journal does not hold). */
    public static final long NONE = 0;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private RecordFingerprint() {
    }

    public static long of(final long sequence, final long ingestTimeMicros, final long sourceId, final long clientSeq,
                          final DirectBuffer payload, final int offset, final int length) {
        long h = FNV_OFFSET;
        h = mix(h, sequence);
        h = mix(h, ingestTimeMicros);
        h = mix(h, sourceId);
        h = mix(h, clientSeq);
        h = mix(h, length);
        for (int i = 0; i < length; i++) {
            h = (h ^ (payload.getByte(offset + i) & 0xff)) * FNV_PRIME;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h == NONE ? 1 : h;
    }

    private static long mix(final long h, final long v) {
        return (h ^ v) * FNV_PRIME ^ (v >>> 32);
    }
}
