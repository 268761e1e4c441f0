package io.ringfence.journal;

import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The running SHA-256 of a journal's records, record after record: {@code chain(n) = SHA-256(chain(n-1) || sequence
 * || ingest time || source || client sequence || payload length || payload)}, all numbers big-endian, the payload as
 * the engine received it (unpacked), starting from 32 zero bytes before the chain's first sequence. A record changed,
 * added, dropped or reordered anywhere before sequence n changes {@code chain(n)}, so one value kept elsewhere, or
 * sealed in {@link JournalSeals}, vouches for every record up to it; a CRC32C, which anyone can recompute, does not.
 *
 * <p>Not thread-safe; reused for every record (nothing allocated per record but the payload copy of a buffer without
 * a backing array).
 */
public final class SealChain {
    /** Bytes of a chain value. */
    public static final int BYTES = 32;
    private static final int FIELDS = 8 * 4 + 4;

    private final MessageDigest sha;
    private final byte[] value = new byte[BYTES];
    private final ByteBuffer fields = ByteBuffer.allocate(FIELDS).order(ByteOrder.BIG_ENDIAN);
    private byte[] copy = new byte[256];
    private final long from;
    private long last;

    /** A chain whose first record will be {@code from}. */
    public SealChain(final long from) {
        this(from, from - 1, new byte[BYTES]);
    }

    /** A chain from {@code from} that has taken every record up to {@code last}, its value then {@code value}. */
    public SealChain(final long from, final long last, final byte[] value) {
        if (from < 1 || last < from - 1 || value.length != BYTES) {
            throw new IllegalArgumentException("a seal chain from " + from + " through " + last + " with a " + value.length
                    + "-byte value");
        }
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256 (every Java SE has): " + e, e);
        }
        this.from = from;
        this.last = last;
        System.arraycopy(value, 0, this.value, 0, BYTES);
    }

    /**
     * Takes the record with {@code sequence}, which must be the one after {@link #last()}.
     *
     * @throws IllegalStateException when it is not: a chain over a journal that skips or repeats a sequence vouches for
     *                               nothing
     */
    public void add(final long sequence, final long ingestTimeMicros, final long sourceId, final long clientSeq,
                    final DirectBuffer payload, final int offset, final int length) {
        if (sequence != last + 1) {
            throw new IllegalStateException("the seal chain through sequence " + last + " was given sequence " + sequence);
        }
        sha.update(value);
        fields.clear();
        fields.putLong(sequence).putLong(ingestTimeMicros).putLong(sourceId).putLong(clientSeq).putInt(length);
        sha.update(fields.array(), 0, FIELDS);
        final byte[] array = payload.byteArray();
        if (array != null) {
            sha.update(array, (int) payload.wrapAdjustment() + offset, length);
        } else {
            if (copy.length < length) {
                copy = new byte[Math.max(length, copy.length * 2)];
            }
            payload.getBytes(offset, copy, 0, length);
            sha.update(copy, 0, length);
        }
        try {
            sha.digest(value, 0, BYTES);
        } catch (final java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 into a " + BYTES + "-byte array failed: " + e, e);
        }
        last = sequence;
    }

    /** The first sequence the chain takes. */
    public long from() {
        return from;
    }

    /** The last sequence it has taken ({@code from - 1} before any). */
    public long last() {
        return last;
    }

    /** Its value after {@link #last()}, as 64 lower-case hex digits. */
    public String hex() {
        return HexFormat.of().formatHex(value);
    }
}
