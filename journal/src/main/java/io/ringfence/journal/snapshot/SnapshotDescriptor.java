package io.ringfence.journal.snapshot;

import java.nio.ByteOrder;

/**
 * Layout of a snapshot file: a fixed header, then the content (the engine's state, opaque here).
 *
 * <pre>
 *   0                   4         6         8
 *   ├───────────────────┼─────────┼─────────┤
 *   │ magic "RFSN"      │ version │ flags 0 │
 *   ├───────────────────┴─────────┴─────────┤  8
 *   │ journal sequence covered (every event up to and including it)
 *   ├───────────────────────────────────────┤ 16
 *   │ configuration digest (SHA-256 of the settings that decide outputs), 32 bytes
 *   ├───────────────────────────────────────┤ 48
 *   │ content length                        │
 *   ├───────────────────────────────────────┤ 56
 *   │ fingerprint of the journal record at the sequence covered (RecordFingerprint; 0 = none)
 *   ├───────────────────┬───────────────────┤ 64
 *   │ CRC32C            │ 0 (padding)       │
 *   ├───────────────────┴───────────────────┤ 72
 *   │ content …                             │
 * </pre>
 *
 * The CRC32C covers header bytes 0..64 and the whole content, so a flipped bit anywhere, a
 * truncated file or a header from another file is detected. Little-endian throughout. The record
 * fingerprint ties the snapshot to the journal it was taken from: a journal deleted and written
 * anew has other records under the same sequences, and its snapshots must not be continued.
 *
 * <p>Version 1 (before the fingerprint) had no bytes 56..64: its CRC32C sat at 56 and its content
 * began at 64. It is still read, without a fingerprint.
 */
public final class SnapshotDescriptor {
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    /** "RFSN" read as a little-endian int. */
    public static final int MAGIC = 'R' | 'F' << 8 | 'S' << 16 | 'N' << 24;
    public static final short VERSION = 2;
    /** The format before the record fingerprint (read, never written). */
    public static final short VERSION_1 = 1;
    public static final int DIGEST_LENGTH = 32;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int DIGEST_OFFSET = 16;
    public static final int CONTENT_LENGTH_OFFSET = DIGEST_OFFSET + DIGEST_LENGTH;
    public static final int RECORD_FINGERPRINT_OFFSET = CONTENT_LENGTH_OFFSET + 8;
    public static final int CRC_OFFSET = RECORD_FINGERPRINT_OFFSET + 8;
    /** Header bytes the CRC covers (everything before it). */
    public static final int CRC_COVERED_HEADER_LENGTH = CRC_OFFSET;
    public static final int HEADER_LENGTH = 72;
    /** Version 1's CRC offset (= the header bytes its CRC covers) and header length. */
    public static final int V1_CRC_OFFSET = CONTENT_LENGTH_OFFSET + 8;
    public static final int V1_HEADER_LENGTH = 64;

    /** File name suffix of a complete snapshot; a write in progress adds {@link #TEMP_SUFFIX}. */
    public static final String SUFFIX = ".snap";
    public static final String TEMP_SUFFIX = ".tmp";
    public static final String PREFIX = "snapshot-";

    private SnapshotDescriptor() {
    }

    /** {@code snapshot-00000000000001000000.snap}: the sequence zero-padded, so names sort by sequence. */
    public static String fileName(final long sequence) {
        return PREFIX + String.format("%020d", sequence) + SUFFIX;
    }

    /** The sequence a file name covers, or -1 when it is not a snapshot file name. */
    public static long sequenceOf(final String fileName) {
        if (!fileName.startsWith(PREFIX) || !fileName.endsWith(SUFFIX)) {
            return -1;
        }
        final String digits = fileName.substring(PREFIX.length(), fileName.length() - SUFFIX.length());
        if (digits.isEmpty() || digits.length() > 20 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (final NumberFormatException e) {
            return -1;
        }
    }
}
